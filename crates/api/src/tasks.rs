//! Tasks: the list, the detail, the team board and the people to assign them to.

use serde::{Deserialize, Serialize};
pub use storeops_domain::history::{Change, ChangeKind, FieldChange, Said};
use storeops_domain::{Priority, TaskStatus};

/// A task as the task list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskView {
    pub id: String,
    /// The assignee as an owner id (`position:<id>`, `person:<id>`), for pickers.
    pub assignee_id: Option<String>,
    pub title: String,
    pub status: TaskStatus,
    pub priority: Priority,
    /// `YYYY-MM-DD`.
    pub due: Option<String>,
    /// Display name of a person, position or department.
    pub assignee: Option<String>,
    pub department: Option<String>,
    /// The standing duty this task was made from.
    pub duty: Option<String>,
    /// Unix ms it was done.
    pub done_at: Option<i64>,
    /// The store's date it was done on (for "done today").
    pub done_on: Option<String>,
    /// Made from a duty for one period: left undone past it, it is missed, not
    /// overdue.
    #[serde(default)]
    pub recurring: bool,
    /// A recurring task's first day of its period (`YYYY-MM-DD`): before it, it
    /// is not work yet.
    #[serde(default)]
    pub starts: Option<String>,
}

impl TaskView {
    /// A recurring task whose period ended (before `today`, `YYYY-MM-DD`) undone.
    pub fn is_missed(&self, today: &str) -> bool {
        self.recurring
            && self.status.is_open()
            && self
                .due
                .as_deref()
                .is_some_and(|d| !d.is_empty() && d < today)
    }

    /// Open before done; earlier due first; then title.
    pub fn sort_key(&self) -> (bool, String, String) {
        (
            !self.status.is_open(),
            self.due.clone().unwrap_or_else(|| "9999".into()),
            self.title.clone(),
        )
    }
}

/// A task with everything the detail screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskDetail {
    pub task: TaskView,
    pub description: String,
    pub checklist: Vec<ChecklistItemView>,
    pub comments: Vec<CommentView>,
    pub history: Vec<HistoryView>,
    /// The meeting or plan the task was made from.
    #[serde(default)]
    pub origin: Option<OriginView>,
    /// The device may change this task's progress (status, checklist, comments).
    pub can_edit: bool,
    /// The device may give it to someone else.
    pub can_reassign: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItemView {
    pub id: String,
    pub text: String,
    pub done: bool,
    pub done_by: Option<String>,
    pub done_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: String,
    pub author: String,
    pub at: i64,
    pub text: String,
}

/// One change in a task's history: when, and what as structure (who, what
/// field, from, to) for the UI to word, or an older change's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryView {
    pub at: i64,
    pub said: Said,
}

/// What a task was made from: a meeting's action item or a plan's item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginView {
    pub kind: OriginKind,
    /// The meeting's or plan's id.
    pub id: String,
    /// Its title; `None` when this device does not hold it.
    pub title: Option<String>,
    /// A meeting's date (`YYYY-MM-DD`), a plan's period (`2026-W48`); `None`
    /// when this device does not hold it.
    pub date: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OriginKind {
    Meeting,
    Plan,
}

/// Positions and people, for assignee pickers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staffing {
    pub positions: Vec<StaffingPosition>,
    pub people: Vec<StaffingPerson>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffingPosition {
    pub id: String,
    pub title: String,
    /// The department's display name.
    pub department: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffingPerson {
    pub id: String,
    pub name: String,
    /// Position ids.
    pub positions: Vec<String>,
    pub active: bool,
    /// The role their positions give (`access::role_of`); none once they left.
    #[serde(default)]
    pub role: Option<storeops_domain::Role>,
}

/// Open work grouped by who holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamBoard {
    pub groups: Vec<TeamGroup>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamGroup {
    pub owner_id: Option<String>,
    pub owner: String,
    pub tasks: Vec<TaskView>,
    pub overdue: u32,
}
