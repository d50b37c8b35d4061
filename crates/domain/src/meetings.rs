//! Operations meetings: agenda, attendees, minutes and action items that
//! become tasks. One document per year (`meetings/2026`).
//!
//! A meeting marked for managers only keeps its minutes apart, in the year's
//! managers' minutes document (`minutes/2026`, [`kind::MINUTES`](crate::kind::MINUTES)),
//! which the relay serves to managers only; its title, date, agenda and action
//! items stay in the meetings document everyone reads.

use crate::problem::{Action, Invalid, Noun};
use std::collections::BTreeMap;

use automerge::{Automerge, ReadDoc};
use autosurgeon::{Hydrate, Reconcile, hydrate, reconcile_insert, reconcile_prop};

use crate::access::Actor;
use crate::calendar::Date;
use crate::documents::{Owner, SCHEMA_VERSION, Task};
use crate::tasks::{check_owner, child_map, list_in, tasks_obj, write_new_tasks};
use crate::unreadable::{Entities, Entity};
use crate::{DomainError, transact};

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct MeetingsDoc {
    pub schema: u64,
    pub period: String,
    pub meetings: Entities<Meeting>,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Meeting {
    #[autosurgeon(hydrate = "crate::text::string")]
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The department holding it; `None` for a store-wide meeting.
    pub department: Option<String>,
    /// Person ids.
    pub attendees: Vec<String>,
    pub agenda: Vec<AgendaItem>,
    /// Empty for a meeting whose minutes are for managers only (they are in
    /// the [`MinutesDoc`]).
    #[autosurgeon(hydrate = "crate::text::string")]
    pub minutes: String,
    pub actions: BTreeMap<String, ActionItem>,
    pub created_by: String,
    pub created_at: i64,
    /// Its minutes are read by managers only.
    #[autosurgeon(missing = "Default::default")]
    pub managers_only: bool,
}

/// The minutes of a year's managers-only meetings.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct MinutesDoc {
    pub schema: u64,
    pub period: String,
    /// Meeting id → its minutes.
    pub minutes: BTreeMap<String, String>,
}

pub fn new_minutes_doc(year: &str, now_ms: i64) -> Result<Automerge, DomainError> {
    let mut am = Automerge::new();
    let doc = MinutesDoc {
        schema: SCHEMA_VERSION,
        period: year.into(),
        minutes: BTreeMap::new(),
    };
    transact(
        &mut am,
        format!("Create the managers' minutes of {year}"),
        now_ms,
        |tx| Ok(autosurgeon::reconcile(tx, &doc)?),
    )?;
    Ok(am)
}

pub fn read_minutes(am: &Automerge) -> Result<MinutesDoc, DomainError> {
    let doc: MinutesDoc =
        hydrate(am).map_err(|e| DomainError::Malformed("minutes", e.to_string()))?;
    crate::check_schema(doc.schema)?;
    Ok(doc)
}

impl Entity for Meeting {
    const KIND: &'static str = "meeting";
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct AgendaItem {
    #[key]
    pub id: String,
    #[autosurgeon(hydrate = "crate::text::string")]
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct ActionItem {
    #[autosurgeon(hydrate = "crate::text::string")]
    pub text: String,
    pub owner: Option<Owner>,
    /// `YYYY-MM-DD`.
    pub due: Option<String>,
}

pub fn new_meetings_doc(year: &str, now_ms: i64) -> Result<Automerge, DomainError> {
    let mut am = Automerge::new();
    let doc = MeetingsDoc {
        schema: SCHEMA_VERSION,
        period: year.into(),
        meetings: Entities::default(),
    };
    transact(
        &mut am,
        format!("Create the meetings of {year}"),
        now_ms,
        |tx| Ok(autosurgeon::reconcile(tx, &doc)?),
    )?;
    Ok(am)
}

pub fn read_meetings(am: &Automerge) -> Result<MeetingsDoc, DomainError> {
    hydrate(am).map_err(|e| DomainError::Malformed("meetings", e.to_string()))
}

fn meetings_obj<D: ReadDoc>(doc: &D) -> Result<automerge::ObjId, DomainError> {
    match doc.get(automerge::ROOT, "meetings")? {
        Some((automerge::Value::Object(automerge::ObjType::Map), id)) => Ok(id),
        _ => Err(DomainError::Malformed("meetings", "no meetings map".into())),
    }
}

fn meeting_of(am: &Automerge, id: &str) -> Result<Meeting, DomainError> {
    read_meetings(am)?
        .meetings
        .remove(id)
        .ok_or_else(|| DomainError::NotFound {
            what: Noun::Meeting,
            id: id.into(),
        })
}

/// Whether `actor` may run the meetings of `department` (`None`: store-wide ones):
/// create them, change their agenda, minutes and action items.
pub fn may_host(org: &crate::OrgDoc, actor: &Actor, department: Option<&str>) -> bool {
    require_host(org, actor, department).is_ok()
}

/// Whether `actor` may create some meeting: store-wide or of some department.
pub fn may_create_meetings(org: &crate::OrgDoc, actor: &Actor) -> bool {
    may_host(org, actor, None)
        || org
            .departments
            .keys()
            .any(|d| may_host(org, actor, Some(d)))
}

fn require_host(
    org: &crate::OrgDoc,
    actor: &Actor,
    department: Option<&str>,
) -> Result<(), DomainError> {
    match department {
        Some(d) => actor.require_department(org, d, Action::RunDepartmentMeetings),
        None => actor.require_store_level(Action::RunStoreMeetings),
    }
}

/// What a new meeting needs.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub title: String,
    pub date: Date,
    pub department: Option<String>,
    pub attendees: Vec<String>,
    pub agenda: Vec<String>,
    /// Its minutes are for managers only.
    pub managers_only: bool,
}

/// Schedules a meeting (managers of its department; store-level for store-wide ones).
pub fn create_meeting(
    am: &mut Automerge,
    org: &crate::OrgDoc,
    actor: &Actor,
    id: &str,
    new: NewMeeting,
    now_ms: i64,
) -> Result<Meeting, DomainError> {
    require_host(org, actor, new.department.as_deref())?;
    if read_meetings(am)?.meetings.contains_key(id) {
        return Err(Invalid::IdTaken {
            what: Noun::Meeting,
            id: id.into(),
        }
        .into());
    }
    for p in &new.attendees {
        check_owner(org, &Owner::Person(p.clone()))?;
    }
    let title = new.title.trim();
    if title.is_empty() {
        return Err(Invalid::NeedsTitle {
            what: Noun::Meeting,
        }
        .into());
    }
    let meeting = Meeting {
        title: title.into(),
        date: new.date.to_string(),
        department: new.department,
        attendees: new.attendees,
        agenda: new
            .agenda
            .into_iter()
            .enumerate()
            .map(|(i, text)| AgendaItem {
                id: format!("a{}", i + 1),
                text,
            })
            .collect(),
        minutes: String::new(),
        actions: BTreeMap::new(),
        created_by: actor.name.clone(),
        created_at: now_ms,
        managers_only: new.managers_only,
    };
    let message = format!(
        "{} scheduled meeting \"{}\" on {}",
        actor.name, meeting.title, meeting.date
    );
    transact(am, message, now_ms, |tx| {
        let m = meetings_obj(tx)?;
        Ok(reconcile_prop(tx, &m, id, &meeting)?)
    })?;
    Ok(meeting)
}

/// Adds an agenda item (the meeting's hosts).
pub fn add_agenda_item(
    am: &mut Automerge,
    org: &crate::OrgDoc,
    actor: &Actor,
    meeting_id: &str,
    item_id: &str,
    text: &str,
    now_ms: i64,
) -> Result<(), DomainError> {
    let meeting = meeting_of(am, meeting_id)?;
    require_host(org, actor, meeting.department.as_deref())?;
    let item = AgendaItem {
        id: item_id.into(),
        text: text.trim().into(),
    };
    if item.text.is_empty() || meeting.agenda.iter().any(|a| a.id == item_id) {
        return Err(Invalid::NeedsText {
            what: Noun::AgendaItem,
        }
        .into());
    }
    let message = format!(
        "{} added \"{}\" to the agenda of \"{}\"",
        actor.name, item.text, meeting.title
    );
    transact(am, message, now_ms, |tx| {
        let m = meetings_obj(tx)?;
        let obj = child_map(tx, &m, meeting_id, Noun::Meeting)?;
        let list = list_in(tx, &obj, "agenda")?;
        let len = tx.length(&list);
        reconcile_insert(tx, list, len, &item)?;
        Ok(())
    })
}

/// Records the minutes (the meeting's hosts).
pub fn set_minutes(
    am: &mut Automerge,
    org: &crate::OrgDoc,
    actor: &Actor,
    meeting_id: &str,
    minutes: &str,
    now_ms: i64,
) -> Result<(), DomainError> {
    let meeting = meeting_of(am, meeting_id)?;
    require_host(org, actor, meeting.department.as_deref())?;
    if meeting.managers_only {
        return Err(Invalid::MinutesArePrivate {
            meeting: meeting.title.clone(),
        }
        .into());
    }
    let message = format!(
        "{} recorded the minutes of \"{}\"",
        actor.name, meeting.title
    );
    transact(am, message, now_ms, |tx| {
        let m = meetings_obj(tx)?;
        let obj = child_map(tx, &m, meeting_id, Noun::Meeting)?;
        Ok(reconcile_prop(tx, &obj, "minutes", minutes)?)
    })
}

/// Records the minutes of a managers-only meeting (its hosts), read from the
/// meetings document, in the managers' minutes document `minutes_am`.
pub fn set_managers_minutes(
    minutes_am: &mut Automerge,
    org: &crate::OrgDoc,
    actor: &Actor,
    meeting_id: &str,
    meeting: &Meeting,
    minutes: &str,
    now_ms: i64,
) -> Result<(), DomainError> {
    require_host(org, actor, meeting.department.as_deref())?;
    if !meeting.managers_only {
        return Err(Invalid::MinutesArePublic {
            meeting: meeting.title.clone(),
        }
        .into());
    }
    read_minutes(minutes_am)?;
    let message = format!(
        "{} recorded the managers' minutes of \"{}\"",
        actor.name, meeting.title
    );
    transact(minutes_am, message, now_ms, |tx| {
        use automerge::transaction::Transactable;
        let map = match tx.get(automerge::ROOT, "minutes")? {
            Some((automerge::Value::Object(automerge::ObjType::Map), id)) => id,
            _ => tx.put_object(automerge::ROOT, "minutes", automerge::ObjType::Map)?,
        };
        Ok(reconcile_prop(tx, &map, meeting_id, minutes)?)
    })
}

/// Adds an action item (the meeting's hosts).
pub fn add_action_item(
    am: &mut Automerge,
    org: &crate::OrgDoc,
    actor: &Actor,
    meeting_id: &str,
    action_id: &str,
    action: ActionItem,
    now_ms: i64,
) -> Result<(), DomainError> {
    let meeting = meeting_of(am, meeting_id)?;
    require_host(org, actor, meeting.department.as_deref())?;
    if action.text.trim().is_empty() || meeting.actions.contains_key(action_id) {
        return Err(Invalid::NeedsText {
            what: Noun::ActionItem,
        }
        .into());
    }
    if let Some(o) = &action.owner {
        check_owner(org, o)?;
    }
    if let Some(d) = &action.due {
        d.parse::<Date>()
            .map_err(|_| Invalid::NotADate { text: d.clone() })?;
    }
    let message = format!(
        "{} added action \"{}\" to \"{}\"",
        actor.name,
        action.text.trim(),
        meeting.title
    );
    transact(am, message, now_ms, |tx| {
        let m = meetings_obj(tx)?;
        let obj = child_map(tx, &m, meeting_id, Noun::Meeting)?;
        let actions = child_map(tx, &obj, "actions", Noun::ActionItem)?;
        Ok(reconcile_prop(tx, &actions, action_id, &action)?)
    })
}

/// The id of the task made from an action item (the same on every device).
pub fn action_task_id(meeting_id: &str, action_id: &str) -> String {
    format!("meeting:{meeting_id}/{action_id}")
}

/// Turns a meeting's action items into tasks in `tasks_am` (one change), skipping
/// those already made, so two devices doing it offline make each task once.
pub fn actions_to_tasks(
    meetings_am: &Automerge,
    tasks_am: &mut Automerge,
    org: &crate::OrgDoc,
    actor: &Actor,
    meeting_id: &str,
    default_due: Date,
    now_ms: i64,
) -> Result<Vec<String>, DomainError> {
    let meeting = meeting_of(meetings_am, meeting_id)?;
    require_host(org, actor, meeting.department.as_deref())?;
    let tasks = tasks_obj(tasks_am)?;
    let mut new = Vec::new();
    for (action_id, a) in &meeting.actions {
        let id = action_task_id(meeting_id, action_id);
        if tasks_am.get(&tasks, id.as_str())?.is_some() {
            continue;
        }
        let mut t = Task::new(a.text.clone(), actor.name.clone(), now_ms);
        t.assignee = a.owner.clone();
        t.department = a
            .owner
            .as_ref()
            .and_then(|o| crate::access::departments_of(org, o).into_iter().next())
            .or(meeting.department.clone());
        t.due = Some(a.due.clone().unwrap_or_else(|| default_due.to_string()));
        t.origin = Some(format!("{meeting_id}/{action_id}"));
        new.push((id, t));
    }
    let message = crate::tasks::said(
        actor,
        crate::history::ChangeKind::FromMeeting {
            count: crate::tasks::count_of(new.len()),
            meeting: meeting.title.clone(),
        },
    );
    write_new_tasks(tasks_am, &tasks, message, now_ms, new)
}
