//! Tasks: commands (create, edit, reassign, checklist, comments, status) and the
//! queries of the Today screen.
//!
//! Every command is one automerge change on one tasks document with a message
//! naming who did what. Edits write only the fields they change, always in the
//! same order, so concurrent edits of different fields all survive and
//! concurrent edits of the same field end with one value on every replica.

use crate::problem::{Action, Hint, Invalid, Needed, Noun};
use automerge::transaction::{Transactable, Transaction};
use automerge::{Automerge, ObjId, ObjType, ROOT, ReadDoc, Value};
use autosurgeon::{hydrate_prop, reconcile_insert, reconcile_prop};

use crate::access::{Actor, departments_of};
use crate::calendar::Date;
use crate::documents::*;
use crate::history::{Change, ChangeKind, FieldChange};
use crate::text::limits;
use crate::{DomainError, transact};

/// Writes tasks made from other records (plan items, meeting actions) in one
/// change; nothing when there are none. Returns their ids.
pub(crate) fn write_new_tasks(
    am: &mut Automerge,
    tasks: &ObjId,
    message: String,
    now_ms: i64,
    new: Vec<(String, Task)>,
) -> Result<Vec<String>, DomainError> {
    if new.is_empty() {
        return Ok(vec![]);
    }
    crate::transact(am, message, now_ms, |tx| {
        for (id, t) in &new {
            reconcile_prop(tx, tasks, id.as_str(), t)?;
        }
        Ok(())
    })?;
    Ok(new.into_iter().map(|(id, _)| id).collect())
}

pub(crate) fn tasks_obj<D: ReadDoc>(am: &D) -> Result<ObjId, DomainError> {
    match am.get(ROOT, "tasks")? {
        Some((Value::Object(ObjType::Map), id)) => Ok(id),
        _ => Err(DomainError::Malformed("tasks", "no tasks map".into())),
    }
}

/// The map at `parent[key]`, or `NotFound { what, key }`.
pub(crate) fn child_map<D: ReadDoc>(
    doc: &D,
    parent: &ObjId,
    key: &str,
    what: crate::problem::Noun,
) -> Result<ObjId, DomainError> {
    match doc.get(parent, key)? {
        Some((Value::Object(ObjType::Map), id)) => Ok(id),
        _ => Err(DomainError::NotFound {
            what,
            id: key.into(),
        }),
    }
}

/// The list at `parent[key]`, created when missing.
pub(crate) fn list_in(
    tx: &mut Transaction<'_>,
    parent: &ObjId,
    key: &str,
) -> Result<ObjId, DomainError> {
    match tx.get(parent, key)? {
        Some((Value::Object(ObjType::List), id)) => Ok(id),
        _ => Ok(tx.put_object(parent, key, ObjType::List)?),
    }
}

/// What a new task needs.
#[derive(Debug, Clone)]
pub struct NewTask {
    pub title: String,
    pub description: String,
    pub assignee: Option<Owner>,
    pub due: Option<Date>,
    pub priority: Priority,
    pub source_duty: Option<String>,
    /// `HH:MM`.
    pub due_time: Option<String>,
    /// Checklist item texts; the items get ids `c1`, `c2`, ….
    pub checklist: Vec<String>,
    /// The department the task counts for; defaults to the assignee's.
    pub department: Option<String>,
    /// The plan item or meeting action item the task executes.
    pub origin: Option<String>,
}

impl NewTask {
    pub fn titled(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            description: String::new(),
            assignee: None,
            due: None,
            priority: Priority::Normal,
            source_duty: None,
            due_time: None,
            checklist: vec![],
            department: None,
            origin: None,
        }
    }

    fn into_task(self, actor: &Actor, now_ms: i64) -> Result<Task, DomainError> {
        let title = self.title.trim();
        if title.is_empty() {
            return Err(Invalid::NeedsTitle { what: Noun::Task }.into());
        }
        limits::at_most(Noun::Title, title, limits::TITLE)?;
        limits::at_most(Noun::Description, &self.description, limits::DESCRIPTION)?;
        let items: Vec<&str> = self
            .checklist
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect();
        if items.len() > limits::CHECKLIST_ITEMS {
            return Err(Invalid::TooManyChecklistItems {
                max: limits::CHECKLIST_ITEMS,
            }
            .into());
        }
        for item in &items {
            limits::at_most(Noun::ChecklistItem, item, limits::CHECKLIST_ITEM)?;
        }
        if let Some(t) = &self.due_time {
            check_time(t)?;
        }
        let mut task = Task::new(title, actor.name.clone(), now_ms);
        task.description = self.description;
        task.source_duty = self.source_duty;
        task.assignee = self.assignee;
        task.due = self.due.map(|d| d.to_string());
        task.due_time = self.due_time;
        task.priority = self.priority;
        task.department = self.department;
        task.origin = self.origin;
        task.checklist = self
            .checklist
            .into_iter()
            .filter(|t| !t.trim().is_empty())
            .enumerate()
            .map(|(i, text)| ChecklistItem {
                id: format!("c{}", i + 1),
                text: text.trim().into(),
                done: false,
                done_by: None,
                done_at: None,
            })
            .collect();
        Ok(task)
    }
}

fn check_time(t: &str) -> Result<(), DomainError> {
    let ok = t.len() == 5
        && t.as_bytes()[2] == b':'
        && t[..2].parse::<u32>().is_ok_and(|h| h < 24)
        && t[3..].parse::<u32>().is_ok_and(|m| m < 60);
    if ok {
        Ok(())
    } else {
        Err(Invalid::NotATime { text: t.into() }.into())
    }
}

/// Checks that `owner` exists in the org chart (and a person is still active).
pub fn check_owner(org: &OrgDoc, owner: &Owner) -> Result<(), DomainError> {
    let found = match owner {
        Owner::Position(p) => org.positions.contains_key(p),
        Owner::Department(d) => org.departments.contains_key(d),
        Owner::Person(p) => match org.people.get(p) {
            Some(person) if !person.active => {
                return Err(Invalid::PersonLeft {
                    name: person.name.clone(),
                }
                .into());
            }
            Some(_) => true,
            None => false,
        },
    };
    if found {
        Ok(())
    } else {
        Err(DomainError::NotFound {
            what: Noun::of_owner(owner),
            id: owner.id().into(),
        })
    }
}

/// A readable name for an owner.
pub fn owner_name(org: &OrgDoc, owner: &Owner) -> String {
    match owner {
        Owner::Position(p) => org.positions.get(p).map(|p| p.title.clone()),
        Owner::Department(d) => org.departments.get(d).map(|d| d.name.clone()),
        Owner::Person(p) => org.people.get(p).map(|p| p.name.clone()),
    }
    .unwrap_or_else(|| owner.id().to_owned())
}

fn assignee_name(org: &OrgDoc, owner: Option<&Owner>) -> Option<String> {
    owner.map(|o| owner_name(org, o))
}

/// The message of a change by `actor` that did `what`.
pub(crate) fn said(actor: &Actor, what: ChangeKind) -> String {
    Change::new(actor.name.clone(), what).message()
}

/// A count for a change message.
pub(crate) fn count_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn insert_task(
    am: &mut Automerge,
    actor: &Actor,
    id: &str,
    task: &Task,
    now_ms: i64,
) -> Result<(), DomainError> {
    let tasks = tasks_obj(am)?;
    if am.get(&tasks, id)?.is_some() {
        return Err(Invalid::IdTaken {
            what: Noun::Task,
            id: id.into(),
        }
        .into());
    }
    let message = said(
        actor,
        ChangeKind::Created {
            title: task.title.clone(),
        },
    );
    transact(am, message, now_ms, |tx| {
        Ok(reconcile_prop(tx, &tasks, id, task)?)
    })
}

/// Adds a task without the org chart at hand (store-level managers anywhere;
/// department managers only with `new.department` or a department assignee in
/// their own departments). Prefer [`create_task`], which also checks references.
pub fn add_task(
    am: &mut Automerge,
    actor: &Actor,
    id: &str,
    new: NewTask,
    now_ms: i64,
) -> Result<Task, DomainError> {
    if !actor.is_manager() {
        return Err(DomainError::NotPermitted {
            action: Action::CreateTasks,
            needed: Needed::Manager,
            hint: Hint::ReportAProblem,
        });
    }
    let mut task = new.into_task(actor, now_ms)?;
    if task.department.is_none()
        && let Some(Owner::Department(d)) = &task.assignee
    {
        task.department = Some(d.clone());
    }
    if !actor.is_store_level() && !actor.manages_task(None, &task) {
        return Err(DomainError::OutOfScope {
            action: Action::CreateTask,
            department: task.department.clone().unwrap_or_default(),
            hint: Hint::GiveItYourDepartment,
        });
    }
    insert_task(am, actor, id, &task, now_ms)?;
    Ok(task)
}

/// Creates a task (ad hoc): managers, for owners and departments in their scope.
/// The task counts for `new.department`, else for its assignee's department.
pub fn create_task(
    am: &mut Automerge,
    org: &OrgDoc,
    actor: &Actor,
    id: &str,
    new: NewTask,
    now_ms: i64,
) -> Result<Task, DomainError> {
    actor.require_manager(Action::CreateTasks)?;
    let mut task = new.into_task(actor, now_ms)?;
    if let Some(o) = &task.assignee {
        check_owner(org, o)?;
        if task.department.is_none() {
            task.department = departments_of(org, o).into_iter().next();
        }
    }
    match &task.department {
        Some(d) => {
            if !org.departments.contains_key(d) {
                return Err(DomainError::NotFound {
                    what: Noun::Department,
                    id: d.clone(),
                });
            }
            actor.require_department(org, d, Action::CreateTasksThere)?;
        }
        None => actor.require_store_level(Action::CreateUndepartmentedTask)?,
    }
    if let Some(o) = &task.assignee {
        actor.require_owner_in_scope(org, o, Action::AssignWork)?;
    }
    insert_task(am, actor, id, &task, now_ms)?;
    Ok(task)
}

/// Creates a task from a duty: its text, owner and department, due `due`.
pub fn create_task_from_duty(
    am: &mut Automerge,
    org: &OrgDoc,
    actor: &Actor,
    id: &str,
    duty_id: &str,
    due: Option<Date>,
    now_ms: i64,
) -> Result<Task, DomainError> {
    let duty = org
        .duties
        .get(duty_id)
        .ok_or_else(|| DomainError::NotFound {
            what: Noun::Duty,
            id: duty_id.into(),
        })?;
    let mut new = NewTask::titled(duty.text.clone());
    new.assignee = duty.owner.clone();
    new.source_duty = Some(duty_id.into());
    new.due = due;
    create_task(am, org, actor, id, new, now_ms)
}

/// The task map of `id` inside a transaction.
fn task_map<D: ReadDoc>(doc: &D, id: &str) -> Result<ObjId, DomainError> {
    let tasks = tasks_obj(doc)?;
    child_map(doc, &tasks, id, Noun::Task)
}

/// Changes to a task's fields; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct TaskEdit {
    pub title: Option<String>,
    pub description: Option<String>,
    /// `Some(None)` clears the due date.
    pub due: Option<Option<Date>>,
    pub due_time: Option<Option<String>>,
    pub priority: Option<Priority>,
}

/// Edits a task's fields (managers in scope); writes only the changed fields.
pub fn edit_task(
    am: &mut Automerge,
    org: &OrgDoc,
    actor: &Actor,
    id: &str,
    edit: TaskEdit,
    now_ms: i64,
) -> Result<Task, DomainError> {
    let mut task = crate::read_task(am, id)?;
    actor.require_task(Some(org), &task, Action::EditTask)?;
    let mut changed: Vec<&'static str> = vec![];
    let mut fields: Vec<FieldChange> = vec![];
    if let Some(t) = edit.title {
        let t = t.trim();
        if t.is_empty() {
            return Err(Invalid::NeedsTitle { what: Noun::Task }.into());
        }
        limits::at_most(Noun::Title, t, limits::TITLE)?;
        if t != task.title {
            fields.push(FieldChange::Title {
                from: std::mem::replace(&mut task.title, t.into()),
                to: t.into(),
            });
            changed.push("title");
        }
    }
    if let Some(d) = &edit.description {
        limits::at_most(Noun::Description, d, limits::DESCRIPTION)?;
    }
    if let Some(d) = edit.description
        && d != task.description
    {
        task.description = d;
        fields.push(FieldChange::Description);
        changed.push("description");
    }
    if let Some(d) = edit.due {
        let d = d.map(|d| d.to_string());
        if d != task.due {
            fields.push(FieldChange::Due {
                from: task.due.clone(),
                to: d.clone(),
            });
            task.due = d;
            changed.push("due");
        }
    }
    if let Some(t) = edit.due_time {
        if let Some(t) = &t {
            check_time(t)?;
        }
        if t != task.due_time {
            fields.push(FieldChange::DueTime {
                from: task.due_time.clone(),
                to: t.clone(),
            });
            task.due_time = t;
            changed.push("due_time");
        }
    }
    if let Some(p) = edit.priority
        && p != task.priority
    {
        fields.push(FieldChange::Priority {
            from: task.priority,
            to: p,
        });
        task.priority = p;
        changed.push("priority");
    }
    if changed.is_empty() {
        return Ok(task);
    }
    let message = said(actor, ChangeKind::Edited { fields });
    transact(am, message, now_ms, |tx| {
        let obj = task_map(tx, id)?;
        for field in &changed {
            match *field {
                "title" => reconcile_prop(tx, &obj, "title", &task.title)?,
                "description" => reconcile_prop(tx, &obj, "description", &task.description)?,
                "due" => reconcile_prop(tx, &obj, "due", &task.due)?,
                "due_time" => reconcile_prop(tx, &obj, "due_time", &task.due_time)?,
                _ => reconcile_prop(tx, &obj, "priority", task.priority)?,
            }
        }
        Ok(())
    })?;
    Ok(task)
}

/// Writes a new assignee: `assignee`, `department`, `unassigned_reason`, in
/// this order (so concurrent reassignments keep the three consistent).
fn write_assignee(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    assignee: &Option<Owner>,
    department: &Option<String>,
    reason: &Option<String>,
) -> Result<(), DomainError> {
    reconcile_prop(tx, obj, "assignee", assignee)?;
    reconcile_prop(tx, obj, "department", department)?;
    reconcile_prop(tx, obj, "unassigned_reason", reason)?;
    Ok(())
}

/// Reassigns one task (managers, from and to owners in their scope). `None`
/// leaves it unassigned. Checklist, comments and status are untouched, so an
/// assignee's offline progress survives the merge.
pub fn reassign_task(
    am: &mut Automerge,
    org: &OrgDoc,
    actor: &Actor,
    id: &str,
    to: Option<Owner>,
    now_ms: i64,
) -> Result<Task, DomainError> {
    let mut task = crate::read_task(am, id)?;
    actor.require_task(Some(org), &task, Action::ReassignTask)?;
    let department = match &to {
        Some(o) => {
            check_owner(org, o)?;
            actor.require_owner_in_scope(org, o, Action::AssignWork)?;
            departments_of(org, o)
                .into_iter()
                .next()
                .or(task.department.clone())
        }
        None => task.department.clone(),
    };
    if task.assignee == to {
        return Ok(task);
    }
    let message = said(
        actor,
        ChangeKind::Reassigned {
            from: assignee_name(org, task.assignee.as_ref()),
            to: assignee_name(org, to.as_ref()),
        },
    );
    task.assignee = to;
    task.department = department;
    task.unassigned_reason = None;
    transact(am, message, now_ms, |tx| {
        let obj = task_map(tx, id)?;
        write_assignee(tx, &obj, &task.assignee, &task.department, &None)
    })?;
    Ok(task)
}

/// Reassigns every open task held by `from` (a person or a position) to `to`,
/// in one change. Returns the ids of the tasks moved.
pub fn reassign_open_tasks(
    am: &mut Automerge,
    org: &OrgDoc,
    actor: &Actor,
    from: &Owner,
    to: Option<Owner>,
    now_ms: i64,
) -> Result<Vec<String>, DomainError> {
    actor.require_owner_in_scope(org, from, Action::MoveWork)?;
    let department = match &to {
        Some(o) => {
            check_owner(org, o)?;
            actor.require_owner_in_scope(org, o, Action::AssignWork)?;
            departments_of(org, o).into_iter().next()
        }
        None => None,
    };
    let moved: Vec<(String, Task)> = crate::read_tasks(am)?
        .into_iter()
        .filter(|(_, t)| t.status.is_open() && t.assignee.as_ref() == Some(from))
        .filter(|(_, t)| actor.manages_task(Some(org), t))
        .collect();
    if moved.is_empty() || Some(from) == to.as_ref() {
        return Ok(vec![]);
    }
    let message = said(
        actor,
        ChangeKind::ReassignedOpen {
            count: count_of(moved.len()),
            from: owner_name(org, from),
            to: assignee_name(org, to.as_ref()),
        },
    );
    transact(am, message, now_ms, |tx| {
        for (id, t) in &moved {
            let obj = task_map(tx, id)?;
            let dept = department.clone().or(t.department.clone());
            write_assignee(tx, &obj, &to, &dept, &None)?;
        }
        Ok(())
    })?;
    Ok(moved.into_iter().map(|(id, _)| id).collect())
}

/// What happened to a departed person's open tasks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Released {
    /// Tasks now held by one of the person's positions: (task, position).
    pub to_position: Vec<(String, String)>,
    /// Tasks left unassigned (the person held no position) and flagged.
    pub unassigned: Vec<String>,
}

/// Hands the open tasks of a person who left (or is leaving) to their first
/// position, so whoever holds it inherits the work; tasks of a person without a
/// position become unassigned with a reason the coverage check reports.
pub fn release_tasks_of(
    am: &mut Automerge,
    org: &OrgDoc,
    actor: &Actor,
    person: &str,
    now_ms: i64,
) -> Result<Released, DomainError> {
    let p = org
        .people
        .get(person)
        .ok_or_else(|| DomainError::NotFound {
            what: Noun::Person,
            id: person.into(),
        })?;
    let owner = Owner::Person(person.into());
    actor.require_owner_in_scope(org, &owner, Action::HandOverWork)?;
    let fallback = p
        .held_positions()
        .into_iter()
        .find(|pos| org.positions.contains_key(*pos))
        .map(String::from);
    let held: Vec<(String, Task)> = crate::read_tasks(am)?
        .into_iter()
        .filter(|(_, t)| t.status.is_open() && t.assignee.as_ref() == Some(&owner))
        .collect();
    let mut released = Released::default();
    if held.is_empty() {
        return Ok(released);
    }
    let reason = format!("{} left and held no position", p.name);
    let count = count_of(held.len());
    let message = said(
        actor,
        match &fallback {
            Some(pos) => ChangeKind::HandedOver {
                count,
                person: p.name.clone(),
                to: owner_name(org, &Owner::Position(pos.clone())),
            },
            None => ChangeKind::UnassignedLeft {
                count,
                person: p.name.clone(),
            },
        },
    );
    transact(am, message, now_ms, |tx| {
        for (id, t) in &held {
            let obj = task_map(tx, id)?;
            match &fallback {
                Some(pos) => {
                    let dept = org.positions.get(pos).map(|p| p.department.clone());
                    let to = Some(Owner::Position(pos.clone()));
                    write_assignee(tx, &obj, &to, &dept.or(t.department.clone()), &None)?;
                }
                None => {
                    write_assignee(tx, &obj, &None, &t.department, &Some(reason.clone()))?;
                }
            }
        }
        Ok(())
    })?;
    for (id, _) in held {
        match &fallback {
            Some(pos) => released.to_position.push((id, pos.clone())),
            None => released.unassigned.push(id),
        }
    }
    Ok(released)
}

/// Adds a checklist item (managers in scope, or whoever may progress the task).
pub fn add_checklist_item(
    am: &mut Automerge,
    org: Option<&OrgDoc>,
    actor: &Actor,
    task_id: &str,
    item_id: &str,
    text: &str,
    now_ms: i64,
) -> Result<ChecklistItem, DomainError> {
    let task = crate::read_task(am, task_id)?;
    require_progress(actor, org, &task)?;
    let text = text.trim();
    if text.is_empty() {
        return Err(Invalid::NeedsText {
            what: Noun::ChecklistItem,
        }
        .into());
    }
    limits::at_most(Noun::ChecklistItem, text, limits::CHECKLIST_ITEM)?;
    if task.checklist.len() >= limits::CHECKLIST_ITEMS {
        return Err(Invalid::TooManyChecklistItems {
            max: limits::CHECKLIST_ITEMS,
        }
        .into());
    }
    if task.checklist.iter().any(|i| i.id == item_id) {
        return Err(Invalid::IdTaken {
            what: Noun::ChecklistItem,
            id: item_id.into(),
        }
        .into());
    }
    let item = ChecklistItem {
        id: item_id.into(),
        text: text.into(),
        done: false,
        done_by: None,
        done_at: None,
    };
    let message = said(
        actor,
        ChangeKind::ChecklistItemAdded {
            item: item.text.clone(),
        },
    );
    transact(am, message, now_ms, |tx| {
        let obj = task_map(tx, task_id)?;
        let list = list_in(tx, &obj, "checklist")?;
        let len = tx.length(&list);
        reconcile_insert(tx, list, len, &item)?;
        Ok(())
    })?;
    Ok(item)
}

fn require_progress(actor: &Actor, org: Option<&OrgDoc>, task: &Task) -> Result<(), DomainError> {
    if actor.may_progress_task(org, task) {
        Ok(())
    } else {
        Err(DomainError::NotYourTask)
    }
}

/// Ticks (`done = true`) or unticks a checklist item. Writes `done`,
/// `done_by`, `done_at` of that item only, in this order.
///
/// The same item ticked on one device and unticked on another while apart ends
/// with one value on both: automerge keeps the write with the greater operation
/// id (Lamport counter, then actor id) for each field, and since the three
/// fields are written in the same order by one change, all three come from the
/// same device. Both actions stay in the task history.
pub fn set_checklist_item(
    am: &mut Automerge,
    org: Option<&OrgDoc>,
    actor: &Actor,
    task_id: &str,
    item_id: &str,
    done: bool,
    now_ms: i64,
) -> Result<Task, DomainError> {
    let mut task = crate::read_task(am, task_id)?;
    require_progress(actor, org, &task)?;
    let item = task
        .checklist
        .iter_mut()
        .find(|i| i.id == item_id)
        .ok_or_else(|| DomainError::NotFound {
            what: Noun::ChecklistItem,
            id: item_id.into(),
        })?;
    if item.done == done {
        return Ok(task);
    }
    item.done = done;
    item.done_by = done.then(|| actor.name.clone());
    item.done_at = done.then_some(now_ms);
    let item = item.clone();
    let message = said(
        actor,
        ChangeKind::Ticked {
            item: item.text.clone(),
            done,
        },
    );
    transact(am, message, now_ms, |tx| {
        let obj = task_map(tx, task_id)?;
        let list = list_in(tx, &obj, "checklist")?;
        let mut target = None;
        for i in 0..tx.length(&list) {
            if let Some((Value::Object(ObjType::Map), m)) = tx.get(&list, i)? {
                let id: Option<String> = hydrate_prop(&*tx, &m, "id").ok();
                if id.as_deref() == Some(item_id) {
                    target = Some(m);
                    break;
                }
            }
        }
        let m = target.ok_or_else(|| DomainError::NotFound {
            what: Noun::ChecklistItem,
            id: item_id.into(),
        })?;
        reconcile_prop(tx, &m, "done", item.done)?;
        reconcile_prop(tx, &m, "done_by", &item.done_by)?;
        reconcile_prop(tx, &m, "done_at", item.done_at)?;
        Ok(())
    })?;
    Ok(task)
}

/// Adds a comment (whoever may progress the task, and managers in scope).
/// Comments are appended to a list, so concurrent comments all survive.
pub fn add_comment(
    am: &mut Automerge,
    org: Option<&OrgDoc>,
    actor: &Actor,
    task_id: &str,
    comment_id: &str,
    text: &str,
    now_ms: i64,
) -> Result<Comment, DomainError> {
    let task = crate::read_task(am, task_id)?;
    require_progress(actor, org, &task)?;
    let text = text.trim();
    if text.is_empty() {
        return Err(Invalid::NeedsText {
            what: Noun::Comment,
        }
        .into());
    }
    limits::at_most(Noun::Comment, text, limits::COMMENT)?;
    let comment = Comment {
        id: comment_id.into(),
        author: actor.name.clone(),
        at: now_ms,
        text: text.into(),
    };
    let message = said(actor, ChangeKind::Commented);
    transact(am, message, now_ms, |tx| {
        let obj = task_map(tx, task_id)?;
        let list = list_in(tx, &obj, "comments")?;
        let len = tx.length(&list);
        reconcile_insert(tx, list, len, &comment)?;
        Ok(())
    })?;
    Ok(comment)
}

/// Whether `from → to` is a legal status change for this actor.
///
/// | from | to |
/// |---|---|
/// | todo, in progress, blocked | any other open status, done, cancelled (managers) |
/// | done | todo, in progress (reopen) |
/// | cancelled | todo (managers) |
pub fn check_transition(
    actor: &Actor,
    from: TaskStatus,
    to: TaskStatus,
) -> Result<(), DomainError> {
    use TaskStatus::*;
    let illegal = |hint: Hint| DomainError::IllegalTransition {
        what: Noun::Task,
        from: from.as_str().into(),
        to: to.as_str().into(),
        hint,
    };
    match (from, to) {
        (a, b) if a == b => Ok(()),
        (_, Cancelled) | (Cancelled, _) if !actor.is_manager() => Err(DomainError::NotPermitted {
            action: Action::CancelTasks,
            needed: Needed::Manager,
            hint: Hint::BlockWithComment,
        }),
        (Cancelled, Todo) => Ok(()),
        (Cancelled, _) => Err(illegal(Hint::RestoreToTodo)),
        (Done, Todo | InProgress) => Ok(()),
        (Done, _) => Err(illegal(Hint::ReopenFirst)),
        _ => Ok(()),
    }
}

/// Moves a task to `status` (see [`check_transition`]); staff only on their own,
/// their position's (and with `org`, their department's) tasks. Writes
/// `status`, `completed_at`, `completed_by`, `completed_by_person` only.
pub fn change_task_status(
    am: &mut Automerge,
    org: Option<&OrgDoc>,
    actor: &Actor,
    id: &str,
    status: TaskStatus,
    now_ms: i64,
) -> Result<Task, DomainError> {
    let mut task = crate::read_task(am, id)?;
    require_progress(actor, org, &task)?;
    check_transition(actor, task.status, status)?;
    if task.status == status {
        return Ok(task);
    }
    let from = task.status;
    task.status = status;
    if status == TaskStatus::Done {
        task.completed_at = Some(now_ms);
        task.completed_by = Some(actor.name.clone());
        task.completed_by_person = actor.person.clone();
    } else {
        task.completed_at = None;
        task.completed_by = None;
        task.completed_by_person = None;
    }
    let message = said(actor, ChangeKind::Status { from, to: status });
    transact(am, message, now_ms, |tx| {
        let obj = task_map(tx, id)?;
        reconcile_prop(tx, &obj, "status", task.status)?;
        reconcile_prop(tx, &obj, "completed_at", task.completed_at)?;
        reconcile_prop(tx, &obj, "completed_by", &task.completed_by)?;
        reconcile_prop(tx, &obj, "completed_by_person", &task.completed_by_person)?;
        Ok(())
    })?;
    Ok(task)
}

/// Moves a task to `status` without the org chart at hand; see [`change_task_status`].
pub fn set_task_status(
    am: &mut Automerge,
    actor: &Actor,
    id: &str,
    status: TaskStatus,
    now_ms: i64,
) -> Result<Task, DomainError> {
    change_task_status(am, None, actor, id, status, now_ms)
}

/// The Today screen of one person.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MyDay {
    /// Tasks due today (open and finished), urgent first.
    pub today: Vec<(String, Task)>,
    /// Open tasks due before today, oldest first; recurring ones aside.
    pub overdue: Vec<(String, Task)>,
    /// Recurring tasks whose period ended undone ([`Task::is_missed`]), latest first.
    pub missed: Vec<(String, Task)>,
}

/// Whether `task` is `actor`'s work: assigned to them, to a position they hold,
/// or (with `org`) to a department one of their positions belongs to.
pub fn is_mine(actor: &Actor, org: Option<&OrgDoc>, task: &Task) -> bool {
    match &task.assignee {
        Some(Owner::Department(d)) => org.is_some_and(|org| {
            actor
                .positions
                .iter()
                .any(|p| org.positions.get(p).is_some_and(|p| &p.department == d))
        }),
        Some(o) => actor.holds(o),
        None => false,
    }
}

/// `actor`'s tasks due `today` and their overdue open tasks, from tasks of any
/// number of documents.
pub fn my_day(tasks: &[(String, Task)], org: Option<&OrgDoc>, actor: &Actor, today: Date) -> MyDay {
    let mut day = MyDay::default();
    for (id, t) in tasks {
        if !is_mine(actor, org, t) {
            continue;
        }
        match t.due_date() {
            Some(d) if d == today && t.status != TaskStatus::Cancelled => {
                day.today.push((id.clone(), t.clone()));
            }
            Some(_) if t.is_missed(today) => day.missed.push((id.clone(), t.clone())),
            Some(d) if d < today && t.status.is_open() => day.overdue.push((id.clone(), t.clone())),
            _ => {}
        }
    }
    day.today.sort_by(|(a_id, a), (b_id, b)| {
        (
            !a.status.is_open(),
            std::cmp::Reverse(a.priority as u8),
            &a.due_time,
            a_id,
        )
            .cmp(&(
                !b.status.is_open(),
                std::cmp::Reverse(b.priority as u8),
                &b.due_time,
                b_id,
            ))
    });
    day.overdue
        .sort_by(|(a_id, a), (b_id, b)| (&a.due, a_id).cmp(&(&b.due, b_id)));
    day.missed
        .sort_by(|(a_id, a), (b_id, b)| (&b.due, a_id).cmp(&(&a.due, b_id)));
    day
}

/// The open tasks held by a position, earliest due first.
pub fn position_open_work(tasks: &[(String, Task)], position: &str) -> Vec<(String, Task)> {
    let owner = Owner::Position(position.into());
    let mut out: Vec<(String, Task)> = tasks
        .iter()
        .filter(|(_, t)| t.status.is_open() && t.assignee.as_ref() == Some(&owner))
        .cloned()
        .collect();
    out.sort_by(|(a_id, a), (b_id, b)| {
        (a.due.is_none(), &a.due, a_id).cmp(&(b.due.is_none(), &b.due, b_id))
    });
    out
}
