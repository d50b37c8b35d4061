//! The documents of a store and their typed mapping (autosurgeon).
//!
//! A store is split along permission boundaries (see `docs/design/documents.md`):
//! - the **store** document (root): profile and the ids of the other documents;
//!   managers write it;
//! - the **org** document: departments, positions, people, duties; managers write it;
//! - the **tasks** documents: tasks and their progress, one per ISO week (plus the
//!   walking skeleton's first one); staff write them too;
//! - the **plans**, **meetings** and **assessment** documents (one per year) and the
//!   **feedback** documents (one per month; staff write them too).
//!
//! Every document carries a `schema` number; [`SCHEMA_VERSION`] is the one this
//! build writes. Entities live in maps keyed by their id, so two devices adding
//! different entities never collide and the same deterministic id merges.

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

use crate::unreadable::{Entities, Entity};

/// The schema version every document of this build is written with.
///
/// Version 2 stores an [`Owner`] as one string (`position:pos:x`) instead of a map
/// keyed by the variant, so concurrent reassignments to different kinds of owner
/// cannot leave two owners behind; [`crate::schema::upgrade`] turns a version 1
/// document into a version 2 one.
pub const SCHEMA_VERSION: u64 = 2;

/// Kinds of documents, as the relay's access control knows them.
pub mod kind {
    pub const STORE: &str = "store";
    pub const ORG: &str = "org";
    pub const TASKS: &str = "tasks";
    pub const PLANS: &str = "plans";
    pub const MEETINGS: &str = "meetings";
    pub const FEEDBACK: &str = "feedback";
    pub const ASSESSMENT: &str = "assessment";
    /// People's contact details: managers only read and write them.
    pub const CONTACTS: &str = "contacts";
    /// Assessment scores and comments, one document per subject and year
    /// (`scores/2026/person:p-3`): only the person assessed and the managers
    /// above them read it ([`crate::assessment::may_read_scores`]).
    pub const SCORES: &str = "scores";
    /// The minutes of meetings marked for managers only, one document per
    /// year (`minutes/2026`).
    pub const MINUTES: &str = "minutes";
    /// Kinds only managers receive.
    pub const MANAGERS_ONLY: &[&str] = &[CONTACTS, MINUTES];
    /// Kinds a staff device may write: progress on tasks, problem reports and
    /// survey answers.
    pub const STAFF_WRITABLE: &[&str] = &[TASKS, FEEDBACK];
    /// Kinds a manager's device may write (the relay's rules then judge each
    /// write).
    pub const MANAGER_WRITABLE: &[&str] = &[
        STORE, ORG, TASKS, PLANS, MEETINGS, FEEDBACK, ASSESSMENT, CONTACTS, SCORES, MINUTES,
    ];
    /// Every kind split by period, with the cadence of its periods.
    pub const PERIODIC: &[(&str, crate::Cadence)] = &[
        (TASKS, crate::Cadence::Weekly),
        (PLANS, crate::Cadence::Yearly),
        (MEETINGS, crate::Cadence::Yearly),
        (FEEDBACK, crate::Cadence::Monthly),
        (ASSESSMENT, crate::Cadence::Yearly),
        (MINUTES, crate::Cadence::Yearly),
    ];

    /// Whom a document of `kind` for `period` is about, for the kinds only some
    /// may read (scores: `2026/person:p-3` is about `person:p-3`).
    pub fn subject_of(kind: &str, period: &str) -> Option<String> {
        match kind {
            SCORES => period.split_once('/').map(|(_, s)| s.to_owned()),
            _ => None,
        }
    }
}

/// The root document of a store.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct StoreDoc {
    pub schema: u64,
    pub profile: StoreProfile,
    /// Ids (automerge-repo text form) of the store's other documents.
    pub documents: DocumentLinks,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct StoreProfile {
    pub id: String,
    #[autosurgeon(hydrate = "crate::text::string")]
    pub name: String,
    /// IANA name, e.g. `Asia/Shanghai`.
    pub time_zone: String,
    /// `zh-CN` or `en`.
    pub locale: String,
    /// The seed template the store started from.
    pub template: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DocumentLinks {
    pub org: String,
    /// The walking skeleton's tasks document; still read and written (tasks
    /// without a monthly document land here), see `docs/design/documents.md`.
    pub tasks: String,
    /// The periodic documents: `"<kind>/<period>"` (e.g. `tasks/2026-11`) to the
    /// set of document ids holding it (usually one; two devices creating the same
    /// period offline leave two, and readers take both), with when each was listed.
    ///
    /// Stored flat in the `documents` map (which every root has had since
    /// schema 1), one key per document: `period:tasks/2026-11 <doc id>`. Nested
    /// maps created by two devices offline would conflict and one would be lost.
    pub periods: BTreeMap<String, BTreeMap<String, i64>>,
}

/// The prefix of a period document's key in the root's `documents` map.
pub const PERIOD_KEY_PREFIX: &str = "period:";

impl Hydrate for DocumentLinks {
    fn hydrate_map<D: autosurgeon::ReadDoc>(
        doc: &D,
        obj: &automerge::ObjId,
    ) -> Result<Self, autosurgeon::HydrateError> {
        let org = crate::text::string(doc, obj, "org".into())?;
        let tasks = crate::text::string(doc, obj, "tasks".into())?;
        let mut periods: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
        for item in doc.map_range(obj, ..) {
            let Some(rest) = item.key.strip_prefix(PERIOD_KEY_PREFIX) else {
                continue;
            };
            if let Some((key, id)) = rest.split_once(' ') {
                let at = match item.value {
                    automerge::ValueRef::Scalar(automerge::ScalarValueRef::Int(i)) => i,
                    _ => 0,
                };
                periods
                    .entry(key.to_owned())
                    .or_default()
                    .insert(id.to_owned(), at);
            }
        }
        Ok(Self {
            org,
            tasks,
            periods,
        })
    }
}

impl Reconcile for DocumentLinks {
    type Key<'a> = autosurgeon::reconcile::NoKey;

    fn reconcile<R: autosurgeon::Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        use autosurgeon::reconcile::MapReconciler;
        let mut m = reconciler.map()?;
        m.put("org", &self.org)?;
        m.put("tasks", &self.tasks)?;
        for (key, ids) in &self.periods {
            for (id, at) in ids {
                m.put(format!("{PERIOD_KEY_PREFIX}{key} {id}"), *at)?;
            }
        }
        Ok(())
    }
}

/// Departments, positions, people and duties.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct OrgDoc {
    pub schema: u64,
    pub departments: Entities<Department>,
    pub positions: Entities<Position>,
    pub people: Entities<Person>,
    pub duties: Entities<Duty>,
    /// Problem-report category (`stock`, `customer`, …) to the department that
    /// handles it; categories without a rule use [`crate::feedback::route`]'s defaults.
    #[autosurgeon(missing = "BTreeMap::new")]
    pub routing: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Department {
    #[autosurgeon(hydrate = "crate::text::string")]
    pub name: String,
    /// The position heading it.
    pub head: Option<String>,
    pub parent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Position {
    #[autosurgeon(hydrate = "crate::text::string")]
    pub title: String,
    pub department: String,
    pub reports_to: Option<String>,
    pub headcount: u64,
    /// The role its holder acts with, where the chart alone does not say it
    /// (the operations director, the operations manager). Unset: heading the
    /// top department makes a store manager, heading another a department
    /// manager, anything else staff ([`crate::access::role_of`]).
    #[autosurgeon(hydrate = "crate::hydrate_role")]
    pub role: Option<crate::Role>,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Person {
    #[autosurgeon(hydrate = "crate::text::string")]
    pub name: String,
    #[autosurgeon(hydrate = "crate::text::string")]
    pub contact: String,
    pub positions: Vec<String>,
    pub active: bool,
}

impl Entity for Department {
    const KIND: &'static str = "department";
}

impl Entity for Position {
    const KIND: &'static str = "position";
}

impl Entity for Person {
    const KIND: &'static str = "person";
}

impl Person {
    /// The positions held, without the duplicates two devices adding the same
    /// position offline can leave.
    pub fn held_positions(&self) -> Vec<&str> {
        let mut seen = Vec::<&str>::new();
        for p in &self.positions {
            if !seen.contains(&p.as_str()) {
                seen.push(p);
            }
        }
        seen
    }
}

/// Who owns a duty or holds a task.
///
/// Stored as one string, `position:<id>`, `department:<id>` or `person:<id>`
/// (schema 2); the map form of schema 1 (`{"Position": "<id>"}`) still reads.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Owner {
    Position(String),
    Department(String),
    Person(String),
}

impl Owner {
    /// The id of the position, department or person.
    pub fn id(&self) -> &str {
        match self {
            Owner::Position(id) | Owner::Department(id) | Owner::Person(id) => id,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Owner::Position(_) => "position",
            Owner::Department(_) => "department",
            Owner::Person(_) => "person",
        }
    }
}

impl std::fmt::Display for Owner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.kind(), self.id())
    }
}

/// Why text is not an owner.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an owner; write position:<id>, department:<id> or person:<id>")]
pub struct OwnerParseError(pub String);

impl std::str::FromStr for Owner {
    type Err = OwnerParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || OwnerParseError(s.chars().take(80).collect());
        let (kind, id) = s.split_once(':').ok_or_else(err)?;
        if id.is_empty() {
            return Err(err());
        }
        match kind {
            "position" => Ok(Owner::Position(id.into())),
            "department" => Ok(Owner::Department(id.into())),
            "person" => Ok(Owner::Person(id.into())),
            _ => Err(err()),
        }
    }
}

impl Reconcile for Owner {
    type Key<'a> = String;

    fn reconcile<R: autosurgeon::Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        reconciler.str(self.to_string())
    }

    fn key(&self) -> autosurgeon::reconcile::LoadKey<Self::Key<'_>> {
        autosurgeon::reconcile::LoadKey::Found(self.to_string())
    }

    fn hydrate_key<'a, D: autosurgeon::ReadDoc>(
        doc: &D,
        obj: &automerge::ObjId,
        prop: autosurgeon::Prop<'_>,
    ) -> Result<autosurgeon::reconcile::LoadKey<Self::Key<'a>>, autosurgeon::ReconcileError> {
        Ok(match Owner::hydrate(doc, obj, prop) {
            Ok(o) => autosurgeon::reconcile::LoadKey::Found(o.to_string()),
            Err(_) => autosurgeon::reconcile::LoadKey::KeyNotFound,
        })
    }
}

impl Hydrate for Owner {
    fn hydrate_string(s: &str) -> Result<Self, autosurgeon::HydrateError> {
        s.parse()
            .map_err(|e: OwnerParseError| autosurgeon::HydrateError::unexpected("an owner", e.0))
    }

    /// Schema 1: a map with one key naming the variant.
    fn hydrate_map<D: autosurgeon::ReadDoc>(
        doc: &D,
        obj: &automerge::ObjId,
    ) -> Result<Self, autosurgeon::HydrateError> {
        for (kind, make) in [
            ("Position", Owner::Position as fn(String) -> Owner),
            ("Department", Owner::Department),
            ("Person", Owner::Person),
        ] {
            if doc.get(obj, kind)?.is_some() {
                return crate::text::string(doc, obj, kind.into()).map(make);
            }
        }
        Err(autosurgeon::HydrateError::unexpected(
            "an owner",
            "a map without Position, Department or Person".into(),
        ))
    }
}
/// How often a duty comes round; ordered from most to least often.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Reconcile, Hydrate, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    #[autosurgeon(rename = "daily")]
    Daily,
    #[autosurgeon(rename = "weekly")]
    Weekly,
    #[autosurgeon(rename = "monthly")]
    Monthly,
    #[autosurgeon(rename = "quarterly")]
    Quarterly,
    #[autosurgeon(rename = "yearly")]
    Yearly,
    #[autosurgeon(rename = "as_needed")]
    AsNeeded,
}

impl Cadence {
    /// Every cadence, most frequent first.
    pub const ALL: [Cadence; 6] = [
        Self::Daily,
        Self::Weekly,
        Self::Monthly,
        Self::Quarterly,
        Self::Yearly,
        Self::AsNeeded,
    ];
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Duty {
    #[autosurgeon(hydrate = "crate::text::string")]
    pub text: String,
    pub owner: Option<Owner>,
    pub cadence: Cadence,
    /// Who is responsible, accountable, consulted and informed, when recorded.
    pub raci: Option<Raci>,
}

impl Entity for Duty {
    const KIND: &'static str = "duty";
}

/// A duty's RACI assignment.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Raci {
    pub responsible: Option<Owner>,
    pub accountable: Option<Owner>,
    pub consulted: Vec<Owner>,
    pub informed: Vec<Owner>,
}

/// The store's tasks (one week of them, or the walking skeleton's first document).
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct TasksDoc {
    pub schema: u64,
    pub tasks: Entities<Task>,
    /// The ISO week (`2026-W48`) of a weekly document; empty for the first one.
    #[autosurgeon(missing = "String::new")]
    pub period: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    #[autosurgeon(rename = "todo")]
    Todo,
    #[autosurgeon(rename = "in_progress")]
    InProgress,
    #[autosurgeon(rename = "blocked")]
    Blocked,
    #[autosurgeon(rename = "done")]
    Done,
    #[autosurgeon(rename = "cancelled")]
    Cancelled,
}

impl TaskStatus {
    /// Every status, in the order a task moves through them.
    pub const ALL: [TaskStatus; 5] = [
        TaskStatus::Todo,
        TaskStatus::InProgress,
        TaskStatus::Blocked,
        TaskStatus::Done,
        TaskStatus::Cancelled,
    ];

    pub fn is_open(self) -> bool {
        matches!(self, Self::Todo | Self::InProgress | Self::Blocked)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Todo => "todo",
            Self::InProgress => "in_progress",
            Self::Blocked => "blocked",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
        }
    }
}

impl std::str::FromStr for TaskStatus {
    type Err = crate::DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "todo" => Self::Todo,
            "in_progress" => Self::InProgress,
            "blocked" => Self::Blocked,
            "done" => Self::Done,
            "cancelled" => Self::Cancelled,
            other => {
                return Err(crate::DomainError::UnknownStatus(
                    other.chars().take(40).collect(),
                ));
            }
        })
    }
}

/// Least urgent first, so that `Ord` sorts by urgency.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Reconcile, Hydrate, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    #[autosurgeon(rename = "low")]
    Low,
    #[autosurgeon(rename = "normal")]
    Normal,
    #[autosurgeon(rename = "high")]
    High,
    #[autosurgeon(rename = "urgent")]
    Urgent,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
            Self::Urgent => "urgent",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct ChecklistItem {
    #[key]
    pub id: String,
    #[autosurgeon(hydrate = "crate::text::string")]
    pub text: String,
    pub done: bool,
    /// Who ticked it, when ticked (cleared on untick).
    pub done_by: Option<String>,
    pub done_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Comment {
    #[key]
    pub id: String,
    pub author: String,
    pub at: i64,
    #[autosurgeon(hydrate = "crate::text::string")]
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Task {
    #[autosurgeon(hydrate = "crate::text::string")]
    pub title: String,
    #[autosurgeon(hydrate = "crate::text::string")]
    pub description: String,
    /// The duty this task was generated from, if any.
    pub source_duty: Option<String>,
    pub assignee: Option<Owner>,
    /// `YYYY-MM-DD` in the store's time zone.
    pub due: Option<String>,
    pub priority: Priority,
    pub checklist: Vec<ChecklistItem>,
    pub comments: Vec<Comment>,
    pub status: TaskStatus,
    pub created_at: i64,
    pub created_by: String,
    pub completed_at: Option<i64>,
    pub completed_by: Option<String>,
    /// The person record of whoever completed it, for per-person KPIs.
    pub completed_by_person: Option<String>,
    /// The department the task counts for (the assignee's when it was assigned);
    /// decides which department manager may change it.
    pub department: Option<String>,
    /// `HH:MM` in the store's time zone, with `due`.
    pub due_time: Option<String>,
    /// `<plan id>/<item id>` or `<meeting id>/<action id>` the task executes.
    pub origin: Option<String>,
    /// Why the task has no assignee when it lost one (e.g. its holder left and
    /// held no position); cleared when it is assigned again.
    pub unassigned_reason: Option<String>,
}

impl Entity for Task {
    const KIND: &'static str = "task";
}

impl Task {
    /// A new open task with everything else empty.
    pub fn new(title: impl Into<String>, created_by: impl Into<String>, created_at: i64) -> Self {
        Self {
            title: title.into(),
            description: String::new(),
            source_duty: None,
            assignee: None,
            due: None,
            priority: Priority::Normal,
            checklist: vec![],
            comments: vec![],
            status: TaskStatus::Todo,
            created_at,
            created_by: created_by.into(),
            completed_at: None,
            completed_by: None,
            completed_by_person: None,
            department: None,
            due_time: None,
            origin: None,
            unassigned_reason: None,
        }
    }

    /// The due date, when it is a valid one.
    pub fn due_date(&self) -> Option<crate::calendar::Date> {
        self.due.as_deref().and_then(|d| d.parse().ok())
    }
}
