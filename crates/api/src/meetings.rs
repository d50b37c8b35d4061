//! Operations meetings: agenda, attendees, minutes, action items.

use serde::{Deserialize, Serialize};
use storeops_domain::TaskStatus;

use crate::Named;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingBoard {
    pub can_create: bool,
    pub meetings: Vec<MeetingView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingView {
    pub id: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub department: Option<String>,
    pub attendees: Vec<Named>,
    pub agenda: Vec<AgendaView>,
    /// For a managers-only meeting, what a manager's device holds of the
    /// managers' minutes (empty on any other device).
    pub minutes: String,
    /// Its minutes are for managers only.
    #[serde(default)]
    pub managers_only: bool,
    pub actions: Vec<ActionView>,
    pub department_reports: Vec<DepartmentReport>,
    pub can_edit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaView {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionView {
    pub id: String,
    pub text: String,
    pub owner: Option<String>,
    pub owner_id: Option<String>,
    pub due: Option<String>,
    pub task_id: Option<String>,
    pub task_status: Option<TaskStatus>,
}

/// A department's numbers for a meeting's week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentReport {
    pub department: String,
    pub open: usize,
    pub done: usize,
    pub overdue: usize,
}
