//! The split of a store into period documents, so none grows without bound
//! (see `docs/design/documents.md`).
//!
//! - tasks: one document per **ISO week of the due date** (`tasks/2026-W48`); a
//!   task without a due date goes to the week it was created in (a month of a
//!   50-staff store is ~1,700 tasks and 7,500 changes: 100 ms to load, too slow;
//!   a week is a quarter of that, see `docs/benchmarks.md`);
//! - plans, meetings, assessment: one document per **year**;
//! - feedback: one per **month**.
//!
//! The root document lists them in [`DocumentLinks::periods`]: `"<kind>/<period>"`
//! to a set of document ids. Two managers opening the same month offline each
//! create a document; both are listed after the merge and readers take the
//! union, so no task is lost. The walking skeleton's `tasks` document stays: it
//! holds the tasks made before the split and is read with the monthly ones.

use crate::problem::{Action, Invalid};
use automerge::Automerge;
use autosurgeon::reconcile_prop;

use crate::access::Actor;
use crate::calendar::Date;
use crate::documents::*;
use crate::unreadable::{Entities, hydrate_entity};
use crate::{DomainError, transact};

/// The period of a document of `kind` that holds what happens on `day`.
pub fn period_of(kind: &str, day: Date) -> Result<String, DomainError> {
    let cadence = kind::PERIODIC
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, c)| *c)
        .ok_or_else(|| DomainError::from(Invalid::NotSplitByPeriod { kind: kind.into() }))?;
    crate::period_key(cadence, day).ok_or_else(|| Invalid::NoPeriod { kind: kind.into() }.into())
}

/// The key of a period document in the root's list: `tasks/2026-11`.
pub fn period_doc_key(kind: &str, period: &str) -> String {
    format!("{kind}/{period}")
}

/// The week document a task belongs in: its due date's ISO week, else its
/// creation date's (`2026-W48`).
pub fn task_period(due: Option<Date>, created: Date) -> String {
    let (y, w) = due.unwrap_or(created).iso_week();
    format!("{y}-W{w:02}")
}

/// The ids of the documents holding `kind` for `period` (usually one).
pub fn period_docs(store: &StoreDoc, kind: &str, period: &str) -> Vec<String> {
    store
        .documents
        .periods
        .get(&period_doc_key(kind, period))
        .map(|ids| ids.keys().cloned().collect())
        .unwrap_or_default()
}

/// Lists a new period document in the root (managers), as one change. Returns
/// `false` when it was listed already.
pub fn register_period_doc(
    store_am: &mut Automerge,
    actor: &Actor,
    kind: &str,
    period: &str,
    doc_id: &str,
    now_ms: i64,
) -> Result<bool, DomainError> {
    actor.require_manager(Action::OpenPeriod)?;
    let store = crate::read_store(store_am)?;
    if period_docs(&store, kind, period)
        .iter()
        .any(|d| d == doc_id)
    {
        return Ok(false);
    }
    let key = period_doc_key(kind, period);
    let message = format!("{} opened {key}", actor.name);
    transact(store_am, message, now_ms, |tx| {
        use automerge::{ObjType, ROOT, ReadDoc, Value};
        let docs = match tx.get(ROOT, "documents")? {
            Some((Value::Object(ObjType::Map), id)) => id,
            _ => return Err(DomainError::Malformed("store", "no documents map".into())),
        };
        let entry = format!("{PERIOD_KEY_PREFIX}{key} {doc_id}");
        reconcile_prop(tx, &docs, entry.as_str(), now_ms)?;
        Ok(())
    })?;
    Ok(true)
}

/// The periods work is written to now or within a week, whose documents someone
/// opens ahead so that every device (staff ones, which may not open periods,
/// included) has them before they start: this and next week's tasks, and the
/// feedback month and the plans, meetings and assessment year of today and of a
/// week later.
pub fn periods_to_open(today: Date) -> Result<Vec<(&'static str, String)>, DomainError> {
    let mut wanted: Vec<(&'static str, String)> = Vec::new();
    for k in [
        kind::TASKS,
        kind::FEEDBACK,
        kind::PLANS,
        kind::MEETINGS,
        kind::ASSESSMENT,
    ] {
        for day in [today, today.add_days(7)] {
            let period = period_of(k, day)?;
            if !wanted.iter().any(|(wk, p)| *wk == k && *p == period) {
                wanted.push((k, period));
            }
        }
    }
    Ok(wanted)
}

/// Opens in memory the periods [`periods_to_open`] names for `today` that
/// `store_am` lists no document for: each a new document (its id from
/// `new_id`) listed in the root by `actor`. Returns them (kind, id, document);
/// tasks weeks first, this week before next.
#[allow(clippy::type_complexity)]
pub fn open_periods(
    store_am: &mut Automerge,
    actor: &Actor,
    today: Date,
    now_ms: i64,
    mut new_id: impl FnMut() -> Result<String, DomainError>,
) -> Result<Vec<(&'static str, String, Automerge)>, DomainError> {
    let store = crate::read_store(store_am)?;
    let mut opened = Vec::new();
    for (kind, period) in periods_to_open(today)? {
        if !period_docs(&store, kind, &period).is_empty() {
            continue;
        }
        let id = new_id()?;
        let am = new_period_doc(kind, &period, now_ms)?;
        register_period_doc(store_am, actor, kind, &period, &id, now_ms)?;
        opened.push((kind, id, am));
    }
    Ok(opened)
}

/// A new, empty document of `kind` for `period`.
pub fn new_period_doc(kind: &str, period: &str, now_ms: i64) -> Result<Automerge, DomainError> {
    match kind {
        kind::TASKS => new_tasks_doc(period, now_ms),
        kind::PLANS => crate::plans::new_plans_doc(period, now_ms),
        kind::MEETINGS => crate::meetings::new_meetings_doc(period, now_ms),
        kind::FEEDBACK => crate::feedback::new_feedback_doc(period, now_ms),
        kind::ASSESSMENT | kind::SCORES => crate::assessment::new_assessment_doc(period, now_ms),
        kind::CONTACTS => crate::contacts::new_contacts_doc(now_ms),
        kind::MINUTES => crate::meetings::new_minutes_doc(period, now_ms),
        other => Err(Invalid::NoPeriod { kind: other.into() }.into()),
    }
}

/// A new, empty tasks document for an ISO week (`2026-W48`).
pub fn new_tasks_doc(week: &str, now_ms: i64) -> Result<Automerge, DomainError> {
    let mut am = Automerge::new();
    let doc = TasksDoc {
        schema: SCHEMA_VERSION,
        tasks: Default::default(),
        period: week.into(),
    };
    transact(
        &mut am,
        format!("Create the tasks of {week}"),
        now_ms,
        |tx| Ok(autosurgeon::reconcile(tx, &doc)?),
    )?;
    Ok(am)
}

/// The months whose tasks the Today screen needs: the previous and the current
/// month (today's and recent overdue work; older overdue work is on the
/// managers' dashboards, which open older months on demand).
pub fn today_task_periods(today: Date) -> [String; 2] {
    let previous = Date::new(today.year, today.month, 1)
        .unwrap_or(today)
        .add_days(-1);
    [
        task_period(Some(previous), today),
        task_period(Some(today), today),
    ]
}

/// The ids of the tasks documents the Today screen loads: the first (walking
/// skeleton) one and those of [`today_task_periods`].
pub fn today_task_docs(store: &StoreDoc, today: Date) -> Vec<String> {
    let mut ids = vec![store.documents.tasks.clone()];
    for p in today_task_periods(today) {
        ids.extend(period_docs(store, kind::TASKS, &p));
    }
    ids
}

/// Which of `docs` holds task `id`.
pub fn locate_task<'a>(docs: &[(&'a str, &'a Automerge)], id: &str) -> Option<&'a str> {
    docs.iter()
        .find(|(_, am)| {
            crate::tasks::tasks_obj(*am)
                .ok()
                .and_then(|t| automerge::ReadDoc::get(*am, &t, id).ok().flatten())
                .is_some()
        })
        .map(|(doc_id, _)| *doc_id)
}

/// [`crate::my_day`] straight from documents: reads only the assignee, due date
/// and status of each task and hydrates the ones that are `actor`'s, which is
/// several times faster than hydrating every task first. A task that does not
/// read is left out.
pub fn my_day_in(
    docs: &[&Automerge],
    org: Option<&OrgDoc>,
    actor: &Actor,
    today: Date,
) -> Result<crate::MyDay, DomainError> {
    use automerge::{ObjType, ReadDoc, Value};
    use autosurgeon::hydrate_prop;
    let today_s = today.to_string();
    let mut mine = Vec::new();
    for am in docs {
        let tasks = crate::tasks::tasks_obj(*am)?;
        for item in am.map_range(&tasks, ..) {
            let id = item.key.to_string();
            let Ok(Some((Value::Object(ObjType::Map), obj))) = am.get(&tasks, id.as_str()) else {
                continue;
            };
            let due: Option<String> = hydrate_prop(*am, &obj, "due").ok().flatten();
            if due.as_ref().is_none_or(|d| d.as_str() > today_s.as_str()) {
                continue;
            }
            let assignee: Option<Owner> = hydrate_prop(*am, &obj, "assignee").ok().flatten();
            let probe = Task {
                assignee,
                ..Task::new("", "", 0)
            };
            if !crate::is_mine(actor, org, &probe) {
                continue;
            }
            if let Ok(task) = hydrate_entity::<Task, _>(*am, &tasks, &id) {
                mine.push((id, task));
            }
        }
    }
    Ok(crate::my_day(&mine, org, actor, today))
}

/// The tasks the task lists show, from several documents, by id: every open task,
/// and those finished (done or cancelled) that were due today or completed since
/// `since_ms`. With `actor`, only that person's work ([`crate::is_mine`]). Status,
/// due date, completion time and assignee are read first; only the tasks kept are
/// hydrated, so a week of finished work costs little. A kept task that does not
/// read is listed in the answer's [`Entities::unreadable`].
pub fn list_tasks_in(
    docs: &[&Automerge],
    org: Option<&OrgDoc>,
    actor: Option<&Actor>,
    today: Date,
    since_ms: i64,
) -> Result<Entities<Task>, DomainError> {
    use automerge::{ObjType, ReadDoc, Value};
    use autosurgeon::hydrate_prop;
    let today_s = today.to_string();
    let mut all = Entities::default();
    for am in docs {
        let tasks = crate::tasks::tasks_obj(*am)?;
        for item in am.map_range(&tasks, ..) {
            let id = item.key.to_string();
            if all.contains_key(&id) {
                continue;
            }
            let Ok(Some((Value::Object(ObjType::Map), obj))) = am.get(&tasks, id.as_str()) else {
                continue;
            };
            let status: Option<TaskStatus> = hydrate_prop(*am, &obj, "status").ok();
            if status.is_some_and(|s| !s.is_open()) {
                let due: Option<String> = hydrate_prop(*am, &obj, "due").ok().flatten();
                let done_at: Option<i64> = hydrate_prop(*am, &obj, "completed_at").ok().flatten();
                if due.as_deref() != Some(today_s.as_str())
                    && done_at.is_none_or(|at| at < since_ms)
                {
                    continue;
                }
            }
            if let Some(actor) = actor {
                let assignee: Option<Owner> = hydrate_prop(*am, &obj, "assignee").ok().flatten();
                let probe = Task {
                    assignee,
                    ..Task::new("", "", 0)
                };
                if !crate::is_mine(actor, org, &probe) {
                    continue;
                }
            }
            match hydrate_entity::<Task, _>(*am, &tasks, &id) {
                Ok(task) => {
                    all.insert(id, task);
                }
                Err(u) => all.skip(u),
            }
        }
    }
    Ok(all)
}

/// The tasks of several documents, by id (a task id appears in one document;
/// should two hold it, the first wins), with those that do not read.
pub fn read_tasks_of(docs: &[&Automerge]) -> Result<Entities<Task>, DomainError> {
    let mut all = Entities::default();
    for am in docs {
        all.merge(crate::read_tasks_doc(am)?.tasks);
    }
    Ok(all)
}
