//! What the UI shows, serialised to JSON for the frontend.

use serde::Serialize;
use storeops_domain::{OrgDoc, Owner, Task};

/// The sync indicator's data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncStatus {
    pub online: bool,
    /// Local changes the relay has not confirmed.
    pub pending_changes: u32,
    /// Unix ms of the last moment everything local was confirmed.
    pub last_synced_at: Option<i64>,
    pub last_error: Option<String>,
}

/// A task as the task list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskView {
    pub id: String,
    pub title: String,
    pub status: String,
    pub priority: String,
    pub due: Option<String>,
    pub assignee: Option<String>,
    pub department: Option<String>,
    pub duty: Option<String>,
}

impl TaskView {
    /// Resolves ids to names through the org document.
    pub fn new(id: String, t: &Task, org: &OrgDoc) -> Self {
        let position_dept = |p: &str| org.positions.get(p).map(|p| p.department.clone());
        let dept_of = match &t.assignee {
            Some(Owner::Position(p)) => position_dept(p),
            Some(Owner::Department(d)) => Some(d.clone()),
            Some(Owner::Person(p)) => org
                .people
                .get(p)
                .and_then(|person| person.positions.first())
                .and_then(|p| position_dept(p)),
            None => None,
        };
        let assignee = t.assignee.as_ref().map(|a| match a {
            Owner::Position(p) => org.positions.get(p).map_or(p.clone(), |p| p.title.clone()),
            Owner::Department(d) => org.departments.get(d).map_or(d.clone(), |d| d.name.clone()),
            Owner::Person(p) => org.people.get(p).map_or(p.clone(), |p| p.name.clone()),
        });
        Self {
            id,
            title: t.title.clone(),
            status: t.status.as_str().into(),
            priority: t.priority.as_str().into(),
            due: t.due.clone(),
            assignee,
            department: dept_of.map(|d| org.departments.get(&d).map_or(d, |d| d.name.clone())),
            duty: t
                .source_duty
                .as_ref()
                .and_then(|d| org.duties.get(d))
                .map(|d| d.text.clone()),
        }
    }

    /// Open before done; earlier due first; then title.
    pub fn sort_key(&self) -> (bool, String, String) {
        let closed = matches!(self.status.as_str(), "done" | "cancelled");
        (
            closed,
            self.due.clone().unwrap_or_else(|| "9999".into()),
            self.title.clone(),
        )
    }
}
