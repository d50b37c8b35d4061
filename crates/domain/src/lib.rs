//! The store's documents and every way to change them, with no IO: time, ids
//! and "today" are passed in by the shell.
//!
//! - [`documents`]: the typed documents (store, org, tasks) and their kinds.
//! - [`access`]: roles and scopes ([`Actor`], [`Role`]).
//! - [`tasks`] (re-exported here): create, edit, reassign, checklist, comments,
//!   status; the Today queries ([`my_day`], [`position_open_work`]).
//! - [`history`]: who changed a task, when, from the change history.
//! - [`org`]: org chart and duty register commands, [`org::my_duties`], [`org::coverage`].
//! - [`plans`]: annual → monthly → weekly plans with approval; weekly plans to tasks.
//! - [`meetings`], [`feedback`] (problem reports, surveys), [`assessment`] (KPIs,
//!   assessments, awards, training).
//! - [`split`]: the period documents (tasks by week, …) listed in the root.
//! - [`schema`]: schema versions and the upgrade from 1 to 2.
//! - [`unreadable`]: readers skip (and name) entities that do not read, and read
//!   a newer schema's documents read-only.
//! - [`template`]: the seed's three plans as templates.
//! - [`demo`]: sample people and eight weeks of history, for a demo store that
//!   looks lived in.
//!
//! Every command checks the [`Actor`]'s role and scope and makes exactly one
//! automerge change, whose message says what it did as structure (who, what,
//! from, to: [`history::Change`]) for the UI to word; on error the
//! document is untouched and the error says what to do.
//!
//! ```
//! use storeops_domain::{Actor, NewTask, add_task, new_store, read_tasks, template, StoreSetup};
//! use storeops_domain::calendar::Date;
//!
//! let setup = StoreSetup {
//!     id: "store-1".into(), name: "Demo".into(), time_zone: "Asia/Shanghai".into(),
//!     locale: "en".into(), org_doc: "org-id".into(), tasks_doc: "tasks-id".into(),
//! };
//! let today = Date::new(2026, 11, 28).unwrap();
//! let mut store = new_store(&setup, template::template("plan3").unwrap(), today, 0).unwrap();
//! let manager = Actor::manager("Ms Li");
//! add_task(&mut store.tasks, &manager, "t1", NewTask::titled("Count aisle 3"), 1).unwrap();
//! assert!(read_tasks(&store.tasks).unwrap().iter().any(|(id, t)| id == "t1" && t.title == "Count aisle 3"));
//! ```

pub mod access;
pub mod assessment;
pub mod calendar;
pub mod contacts;
pub mod demo;
pub mod documents;
pub mod feedback;
pub mod history;
pub mod meetings;
pub mod org;
pub mod plans;
pub mod problem;
pub mod recurring;
pub mod rules;
pub mod schema;
pub mod search;
pub mod split;
pub mod tasks;
pub mod template;
pub mod text;
pub mod unreadable;

use automerge::transaction::{CommitOptions, Transaction};
use automerge::{Automerge, ReadDoc};
use autosurgeon::{hydrate, reconcile};

pub use access::Actor;
use calendar::Date;
pub use documents::*;
pub use recurring::{generate_recurring, period_end, period_key, recurring_task_id};
pub use tasks::*;
use template::Template;
pub use unreadable::{Entities, Readable, Unreadable};

/// What went wrong, in words a user can act on. [`DomainError::problem`] gives
/// the same as a key and parameters for the UI to word ([`problem`]); the
/// `Display` is the English, for logs and the CLI.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("there is no {what} with id {id:?}")]
    NotFound { what: problem::Noun, id: String },
    #[error("this task belongs to someone else; ask your manager to reassign it")]
    NotYourTask,
    #[error("{0:?} is not a task status (todo, in_progress, blocked, done, cancelled)")]
    UnknownStatus(String),
    #[error("there is no template {0:?}; choose plan1, plan2 or plan3")]
    UnknownTemplate(String),
    #[error("the document is not a Storeops {0} document or is damaged: {1}")]
    Malformed(&'static str, String),
    #[error("the document was written by a newer Storeops (schema {0}); update the app")]
    SchemaTooNew(u64),
    #[error("internal document error: {0}")]
    Automerge(String),
    #[error("only {needed} may {action}; {hint}")]
    NotPermitted {
        action: problem::Action,
        needed: problem::Needed,
        hint: problem::Hint,
    },
    /// Only whoever holds `position` (its title) may.
    #[error("only {position} may {action}; {hint}")]
    NeedsPosition {
        action: problem::Action,
        position: String,
        hint: problem::Hint,
    },
    #[error(
        "only the store manager, operations manager or director may invite a {} device; ask the store manager",
        role.as_str()
    )]
    MayNotInviteRole { role: Role },
    /// `department` is a department's name; empty when the work has none.
    #[error(
        "{} is outside your departments, so you cannot {action}; {hint}",
        if department.is_empty() { "no department" } else { department.as_str() }
    )]
    OutOfScope {
        action: problem::Action,
        department: String,
        hint: problem::Hint,
    },
    /// `from` and `to` are statuses of `what` (`draft`, `done`, …), or `edited` / `tasks`.
    #[error("a {what} that is {from} cannot become {to}; {hint}")]
    IllegalTransition {
        what: problem::Noun,
        from: String,
        to: String,
        hint: problem::Hint,
    },
    #[error("{0}")]
    Invalid(problem::Invalid),
}

impl DomainError {
    /// A permission problem (retrying will not help; someone else must act).
    pub fn is_permission(&self) -> bool {
        matches!(
            self,
            Self::NotYourTask
                | Self::NotPermitted { .. }
                | Self::NeedsPosition { .. }
                | Self::MayNotInviteRole { .. }
                | Self::OutOfScope { .. }
        )
    }
}

impl From<automerge::AutomergeError> for DomainError {
    fn from(e: automerge::AutomergeError) -> Self {
        Self::Automerge(e.to_string())
    }
}

impl From<autosurgeon::ReconcileError> for DomainError {
    fn from(e: autosurgeon::ReconcileError) -> Self {
        Self::Automerge(e.to_string())
    }
}

/// A person's role, deciding what they may change (see [`access`] for scopes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Floor staff: progress on their own or their position's tasks.
    Staff,
    /// The store manager (店长): everything in the store.
    Manager,
    /// A department manager (经理): their department(s) and those below.
    DepartmentManager,
    /// The operations manager (运营经理): everything in the store.
    OperationsManager,
    /// The operations director (运营总监): everything in the store.
    Director,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::Manager => "manager",
            Role::DepartmentManager => "department_manager",
            Role::OperationsManager => "operations_manager",
            Role::Director => "director",
        }
    }

    /// Any role above staff.
    pub fn is_manager(self) -> bool {
        self != Role::Staff
    }

    /// Store manager, operations manager, director: the whole store is in scope.
    pub fn is_store_level(self) -> bool {
        matches!(
            self,
            Role::Manager | Role::OperationsManager | Role::Director
        )
    }

    /// Rank, lowest first: of several positions a person holds, the highest
    /// role counts.
    pub fn rank(self) -> u8 {
        match self {
            Role::Staff => 0,
            Role::DepartmentManager => 1,
            Role::Manager => 2,
            Role::OperationsManager => 3,
            Role::Director => 4,
        }
    }
}

impl autosurgeon::Reconcile for Role {
    type Key<'a> = autosurgeon::reconcile::NoKey;

    fn reconcile<R: autosurgeon::Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        reconciler.str(self.as_str())
    }
}

/// Hydrates an optional role; anything but a known role's name (a buggy or
/// hostile device's value) reads as none, so the chart stays readable.
pub(crate) fn hydrate_role<D: autosurgeon::ReadDoc>(
    doc: &D,
    obj: &automerge::ObjId,
    prop: autosurgeon::Prop<'_>,
) -> Result<Option<Role>, autosurgeon::HydrateError> {
    use autosurgeon::Hydrate;
    Ok(match Option::<String>::hydrate(doc, obj, prop) {
        Ok(Some(s)) => s.parse().ok(),
        _ => None,
    })
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "staff" => Ok(Role::Staff),
            "manager" | "store_manager" => Ok(Role::Manager),
            "department_manager" => Ok(Role::DepartmentManager),
            "operations_manager" => Ok(Role::OperationsManager),
            "director" => Ok(Role::Director),
            other => Err(format!(
                "{other:?} is not a role; use staff, department_manager, manager, operations_manager or director"
            )),
        }
    }
}

/// Runs one user action as one automerge change with `message`, upgrading a
/// document of an older schema first (in the same change). On error nothing changes.
pub(crate) fn transact<R>(
    am: &mut Automerge,
    message: String,
    now_ms: i64,
    f: impl FnOnce(&mut Transaction<'_>) -> Result<R, DomainError>,
) -> Result<R, DomainError> {
    let f = |tx: &mut Transaction<'_>| {
        schema::upgrade_in(tx)?;
        f(tx)
    };
    am.transact_with(
        |_| {
            CommitOptions::default()
                .with_message(message)
                .with_time(now_ms / 1000)
        },
        f,
    )
    .map(|s| s.result)
    .map_err(|f| f.error)
}

pub(crate) fn check_schema(schema: u64) -> Result<(), DomainError> {
    if schema > SCHEMA_VERSION {
        Err(DomainError::SchemaTooNew(schema))
    } else {
        Ok(())
    }
}

/// What a new store needs besides its template.
#[derive(Debug, Clone)]
pub struct StoreSetup {
    pub id: String,
    pub name: String,
    pub time_zone: String,
    pub locale: String,
    /// Ids of the documents the caller allocated for the org and tasks.
    pub org_doc: String,
    pub tasks_doc: String,
}

/// The documents of a new store.
#[derive(Debug)]
pub struct NewStore {
    pub store: Automerge,
    pub org: Automerge,
    pub tasks: Automerge,
}

/// Builds a new store's documents from a template, with the recurring tasks due
/// in the period containing `today`.
pub fn new_store(
    setup: &StoreSetup,
    template: &Template,
    today: Date,
    now_ms: i64,
) -> Result<NewStore, DomainError> {
    let locale = setup.locale.as_str();
    let store_doc = StoreDoc {
        schema: SCHEMA_VERSION,
        profile: StoreProfile {
            id: setup.id.clone(),
            name: setup.name.clone(),
            time_zone: setup.time_zone.clone(),
            locale: setup.locale.clone(),
            template: template.id.into(),
        },
        documents: DocumentLinks {
            org: setup.org_doc.clone(),
            tasks: setup.tasks_doc.clone(),
            periods: Default::default(),
        },
    };
    let mut org = OrgDoc {
        schema: SCHEMA_VERSION,
        ..OrgDoc::default()
    };
    for d in template.departments {
        let head = d
            .positions
            .iter()
            .find(|p| p.head)
            .map(|p| format!("pos:{}", p.key));
        org.departments.insert(
            format!("dept:{}", d.key),
            Department {
                name: d.name.get(locale).into(),
                head,
                parent: d.parent.map(|p| format!("dept:{p}")),
            },
        );
        for p in d.positions {
            let pos_id = format!("pos:{}", p.key);
            org.positions.insert(
                pos_id.clone(),
                Position {
                    title: p.title.get(locale).into(),
                    department: format!("dept:{}", d.key),
                    reports_to: p.reports_to.map(|r| format!("pos:{r}")),
                    headcount: p.headcount,
                    role: p.role,
                },
            );
            for duty in p.duties {
                org.duties.insert(
                    format!("duty:{}/{}", p.key, duty.key),
                    Duty {
                        text: duty.text.get(locale).into(),
                        owner: Some(Owner::Position(pos_id.clone())),
                        cadence: duty.cadence,
                        raci: None,
                    },
                );
            }
        }
        for duty in d.duties {
            org.duties.insert(
                format!("duty:{}/{}", d.key, duty.key),
                Duty {
                    text: duty.text.get(locale).into(),
                    owner: Some(Owner::Department(format!("dept:{}", d.key))),
                    cadence: duty.cadence,
                    raci: None,
                },
            );
        }
    }
    let message = format!("Create store {} from template {}", setup.name, template.id);
    let mut store = Automerge::new();
    transact(&mut store, message.clone(), now_ms, |tx| {
        Ok(reconcile(tx, &store_doc)?)
    })?;
    let mut org_am = Automerge::new();
    transact(&mut org_am, message.clone(), now_ms, |tx| {
        Ok(reconcile(tx, &org)?)
    })?;
    let mut tasks = Automerge::new();
    let book = TasksDoc {
        schema: SCHEMA_VERSION,
        tasks: Default::default(),
        period: String::new(),
    };
    transact(&mut tasks, message, now_ms, |tx| Ok(reconcile(tx, &book)?))?;
    generate_recurring(&mut tasks, &org, today, &Actor::manager("Storeops"), now_ms)?;
    Ok(NewStore {
        store,
        org: org_am,
        tasks,
    })
}

// The readers below read whatever they can: an entity that does not read is
// skipped and listed in its collection's `unreadable()`, and a document of a
// newer schema reads as far as it can and is read-only (see [`unreadable`]).
// Only a document that is not one of its kind at all is an error.

/// Reads the store document.
pub fn read_store(am: &Automerge) -> Result<StoreDoc, DomainError> {
    hydrate(am).map_err(|e| DomainError::Malformed("store", e.to_string()))
}

/// Reads the org document.
pub fn read_org(am: &Automerge) -> Result<OrgDoc, DomainError> {
    hydrate(am).map_err(|e| DomainError::Malformed("org", e.to_string()))
}

/// Reads a tasks document.
pub fn read_tasks_doc(am: &Automerge) -> Result<TasksDoc, DomainError> {
    hydrate(am).map_err(|e| DomainError::Malformed("tasks", e.to_string()))
}

/// Every task that reads, by id (see [`read_tasks_doc`] for those that do not).
pub fn read_tasks(am: &Automerge) -> Result<Vec<(String, Task)>, DomainError> {
    Ok(read_tasks_doc(am)?.tasks.into_iter().collect())
}

/// One task.
pub fn read_task(am: &Automerge, id: &str) -> Result<Task, DomainError> {
    let tasks = tasks_obj(am)?;
    if am.get(&tasks, id)?.is_none() {
        return Err(DomainError::NotFound {
            what: crate::problem::Noun::Task,
            id: id.into(),
        });
    }
    unreadable::hydrate_entity(am, &tasks, id)
        .map_err(|u| DomainError::Malformed("tasks", u.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::tasks_obj;
    use automerge::ROOT;
    use automerge::transaction::Transactable;

    fn setup() -> StoreSetup {
        StoreSetup {
            id: "s1".into(),
            name: "Demo".into(),
            time_zone: "Asia/Shanghai".into(),
            locale: "zh-CN".into(),
            org_doc: "o".into(),
            tasks_doc: "t".into(),
        }
    }

    fn today() -> Date {
        Date::new(2026, 11, 28).unwrap()
    }

    fn store(tpl: &str) -> NewStore {
        new_store(&setup(), template::template(tpl).unwrap(), today(), 1_000).unwrap()
    }

    #[test]
    fn a_store_from_each_template_has_its_org_and_this_periods_tasks() {
        for tpl in template::TEMPLATES {
            let s = new_store(&setup(), tpl, today(), 0).unwrap();
            let profile = read_store(&s.store).unwrap().profile;
            assert_eq!(profile.template, tpl.id);
            let org = read_org(&s.org).unwrap();
            assert_eq!(org.departments.len(), tpl.departments.len());
            let tasks = read_tasks(&s.tasks).unwrap();
            let recurring = org
                .duties
                .values()
                .filter(|d| d.cadence != Cadence::AsNeeded)
                .count();
            assert_eq!(tasks.len(), recurring, "{}", tpl.id);
        }
    }

    #[test]
    fn the_stock_count_is_a_monthly_task_due_at_month_end() {
        let s = store("plan3");
        let tasks = read_tasks(&s.tasks).unwrap();
        let (_, count) = tasks
            .iter()
            .find(|(id, _)| id == "duty:warehouse-specialist/stock-count@2026-11")
            .expect("monthly stock count");
        assert_eq!(count.due.as_deref(), Some("2026-11-30"));
        assert_eq!(count.title, "库存盘点，确保账实相符");
        assert_eq!(
            count.assignee,
            Some(Owner::Position("pos:warehouse-specialist".into()))
        );
    }

    #[test]
    fn generating_twice_for_the_same_period_creates_nothing_new() {
        let mut s = store("plan1");
        let org = read_org(&s.org).unwrap();
        let n = generate_recurring(&mut s.tasks, &org, today(), &Actor::manager("x"), 2).unwrap();
        assert_eq!(n, 0);
        let next_day = today().add_days(1);
        let n = generate_recurring(&mut s.tasks, &org, next_day, &Actor::manager("x"), 2).unwrap();
        let daily = org
            .duties
            .values()
            .filter(|d| d.cadence == Cadence::Daily)
            .count();
        // The 29th is a Sunday in the same week and month: only daily tasks are new.
        assert_eq!(n, daily);
    }

    #[test]
    fn two_devices_generating_the_same_period_offline_end_with_one_task_each() {
        let s = store("plan2");
        let org = read_org(&s.org).unwrap();
        let mut a = s.tasks.fork();
        let mut b = s.tasks.fork();
        let next_week = today().add_days(7);
        generate_recurring(&mut a, &org, next_week, &Actor::manager("a"), 5).unwrap();
        generate_recurring(&mut b, &org, next_week, &Actor::manager("b"), 6).unwrap();
        a.merge(&mut b).unwrap();
        let after = read_tasks(&a).unwrap();
        let mut ids: Vec<_> = after.iter().map(|(id, _)| id.clone()).collect();
        ids.dedup();
        assert_eq!(ids.len(), after.len());
        let weekly_next = after
            .iter()
            .filter(|(id, _)| id.ends_with("@2026-W49"))
            .count();
        let weekly = org
            .duties
            .values()
            .filter(|d| d.cadence == Cadence::Weekly)
            .count();
        assert_eq!(weekly_next, weekly);
    }

    #[test]
    fn staff_cannot_create_tasks_and_the_document_is_unchanged() {
        let mut s = store("plan3");
        let heads = s.tasks.get_heads();
        let err = add_task(
            &mut s.tasks,
            &Actor::staff("Wang"),
            "t",
            NewTask::titled("x"),
            1,
        );
        assert!(matches!(err, Err(DomainError::NotPermitted { .. })));
        assert_eq!(s.tasks.get_heads(), heads);
    }

    #[test]
    fn a_task_needs_a_title() {
        let mut s = store("plan3");
        let err = add_task(
            &mut s.tasks,
            &Actor::manager("Li"),
            "t",
            NewTask::titled("  "),
            1,
        );
        assert_eq!(
            err.unwrap_err(),
            DomainError::Invalid(problem::Invalid::NeedsTitle {
                what: problem::Noun::Task
            })
        );
    }

    #[test]
    fn staff_complete_an_unassigned_task_and_completion_is_recorded() {
        let mut s = store("plan3");
        add_task(
            &mut s.tasks,
            &Actor::manager("Li"),
            "t",
            NewTask::titled("Sweep"),
            1,
        )
        .unwrap();
        let done = set_task_status(
            &mut s.tasks,
            &Actor::staff("Wang"),
            "t",
            TaskStatus::Done,
            9,
        )
        .unwrap();
        assert_eq!(done.completed_by.as_deref(), Some("Wang"));
        assert_eq!(read_task(&s.tasks, "t").unwrap().status, TaskStatus::Done);
        let reopened = set_task_status(
            &mut s.tasks,
            &Actor::staff("Wang"),
            "t",
            TaskStatus::Todo,
            10,
        )
        .unwrap();
        assert_eq!(reopened.completed_at, None);
    }

    #[test]
    fn staff_cannot_complete_another_positions_task() {
        let mut s = store("plan3");
        let id = "duty:warehouse-specialist/stock-count@2026-11";
        let err = set_task_status(&mut s.tasks, &Actor::staff("Wang"), id, TaskStatus::Done, 9);
        assert!(matches!(err, Err(DomainError::NotYourTask)));
        let mut holder = Actor::staff("Zhao");
        holder.positions.push("pos:warehouse-specialist".into());
        set_task_status(&mut s.tasks, &holder, id, TaskStatus::Done, 9).unwrap();
    }

    #[test]
    fn completing_offline_and_renaming_elsewhere_both_survive_the_merge() {
        let mut s = store("plan3");
        add_task(
            &mut s.tasks,
            &Actor::manager("Li"),
            "t",
            NewTask::titled("Sweep"),
            1,
        )
        .unwrap();
        let mut phone = s.tasks.fork();
        set_task_status(&mut phone, &Actor::staff("Wang"), "t", TaskStatus::Done, 5).unwrap();
        let tasks = tasks_obj(&s.tasks).unwrap();
        s.tasks
            .transact::<_, _, automerge::AutomergeError>(|tx| {
                let (_, obj) = tx.get(&tasks, "t")?.unwrap();
                tx.put(&obj, "title", "Sweep aisle 3")?;
                Ok(())
            })
            .unwrap();
        s.tasks.merge(&mut phone).unwrap();
        let t = read_task(&s.tasks, "t").unwrap();
        assert_eq!(
            (t.title.as_str(), t.status),
            ("Sweep aisle 3", TaskStatus::Done)
        );
    }

    #[test]
    fn an_unknown_task_is_named_in_the_error() {
        let mut s = store("plan3");
        let err = set_task_status(
            &mut s.tasks,
            &Actor::manager("Li"),
            "nope",
            TaskStatus::Done,
            1,
        );
        assert_eq!(
            err.unwrap_err().to_string(),
            "there is no task with id \"nope\""
        );
    }

    #[test]
    fn a_document_from_a_newer_schema_reads_but_refuses_every_command() {
        let mut s = store("plan3");
        let before = read_tasks(&s.tasks).unwrap();
        s.tasks
            .transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(ROOT, "schema", 99u64)?;
                Ok(())
            })
            .unwrap();
        let doc = read_tasks_doc(&s.tasks).unwrap();
        assert!(doc.is_read_only());
        assert_eq!(read_tasks(&s.tasks).unwrap(), before);
        let heads = s.tasks.get_heads();
        let err = add_task(
            &mut s.tasks,
            &Actor::manager("Li"),
            "t",
            NewTask::titled("x"),
            1,
        );
        assert_eq!(err.unwrap_err(), DomainError::SchemaTooNew(99));
        assert!(
            DomainError::SchemaTooNew(99)
                .to_string()
                .contains("update the app")
        );
        assert_eq!(s.tasks.get_heads(), heads);
    }

    #[test]
    fn a_document_that_is_not_a_tasks_document_is_reported_not_a_panic() {
        let am = Automerge::new();
        assert!(matches!(read_tasks(&am), Err(DomainError::Malformed(..))));
        assert!(matches!(
            read_task(&am, "x"),
            Err(DomainError::Malformed(..))
        ));
    }
}
