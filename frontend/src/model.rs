//! The data the backend sends, exactly as its Tauri commands serialise it.
//!
//! Field names are the backend's (snake_case); every optional field also tolerates being
//! absent, so an older or newer backend that adds or drops an optional field still loads.

use serde::{Deserialize, Serialize};

/// The store this device belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct Store {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub time_zone: String,
    /// `"zh-CN"` or `"en"`.
    #[serde(default)]
    pub locale: String,
}

/// Connection to the relay and the changes that have not reached it yet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct SyncStatus {
    pub online: bool,
    #[serde(default)]
    pub pending_changes: u32,
    /// Unix time in milliseconds.
    #[serde(default)]
    pub last_synced_at: Option<i64>,
    #[serde(default)]
    pub last_error: Option<String>,
    /// False until the store's documents have reached this device.
    #[serde(default)]
    pub store_arrived: bool,
}

/// What the `status` and `enrol` commands return.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct AppStatus {
    pub enrolled: bool,
    #[serde(default)]
    pub store: Option<Store>,
    #[serde(default)]
    pub device_name: Option<String>,
    /// `"manager"` or `"staff"`.
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub relay_url: Option<String>,
    #[serde(default)]
    pub sync: SyncStatus,
}

impl AppStatus {
    /// Managers see the controls that change the store (inviting devices, for now); staff
    /// and unknown roles do not.
    pub fn is_manager(&self) -> bool {
        // Every role above staff (store, department and operations managers, the
        // director) manages something.
        self.role
            .as_deref()
            .and_then(|r| r.parse::<storeops_domain::Role>().ok())
            .is_some_and(storeops_domain::Role::is_manager)
    }
}

pub const ROLE_MANAGER: &str = "manager";
pub const ROLE_STAFF: &str = "staff";

/// One task as the task list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct TaskView {
    pub id: String,
    pub title: String,
    /// One of [`TaskStatus`]'s wire names.
    pub status: String,
    /// One of [`Priority`]'s wire names.
    #[serde(default = "normal")]
    pub priority: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub due: Option<String>,
    /// Display name of a person or a position.
    #[serde(default)]
    pub assignee: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    /// The standing duty this task was made from.
    #[serde(default)]
    pub duty: Option<String>,
    /// The owner id of the assignee: `"position:…"` or `"person:…"` (see [`owner_id`]).
    #[serde(default)]
    pub assignee_id: Option<String>,
}

fn normal() -> String {
    Priority::Normal.wire().to_owned()
}

impl TaskView {
    pub fn status(&self) -> TaskStatus {
        TaskStatus::from_wire(&self.status)
    }

    pub fn priority(&self) -> Priority {
        Priority::from_wire(&self.priority)
    }
}

/// A task's state. An unknown wire value reads as [`TaskStatus::Todo`]: still shown, still open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskStatus {
    Todo,
    InProgress,
    Blocked,
    Done,
    Cancelled,
}

impl TaskStatus {
    pub fn from_wire(s: &str) -> Self {
        match s {
            "in_progress" => Self::InProgress,
            "blocked" => Self::Blocked,
            "done" => Self::Done,
            "cancelled" => Self::Cancelled,
            _ => Self::Todo,
        }
    }

    pub fn wire(self) -> &'static str {
        match self {
            Self::Todo => "todo",
            Self::InProgress => "in_progress",
            Self::Blocked => "blocked",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
        }
    }

    /// Todo, in progress and blocked: work still to do.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Todo | Self::InProgress | Self::Blocked)
    }
}

/// A task's priority, most urgent last so that `Ord` sorts by urgency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub fn from_wire(s: &str) -> Self {
        match s {
            "low" => Self::Low,
            "high" => Self::High,
            "urgent" => Self::Urgent,
            _ => Self::Normal,
        }
    }

    pub fn wire(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
            Self::Urgent => "urgent",
        }
    }
}

/// How every command reports failure: the promise rejects with this.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ApiError {
    #[serde(default)]
    pub code: String,
    pub message: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// What `org_chart` returns: the departments, each with its positions, and the totals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct OrgChart {
    #[serde(default)]
    pub departments: Vec<OrgDepartment>,
    #[serde(default)]
    pub totals: OrgTotals,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct OrgDepartment {
    pub id: String,
    pub name: String,
    /// The department this one sits under; `None` at the top.
    #[serde(default)]
    pub parent: Option<String>,
    /// The position that heads it.
    #[serde(default)]
    pub head: Option<String>,
    #[serde(default)]
    pub positions: Vec<OrgPosition>,
    #[serde(default)]
    pub uncovered_duties: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct OrgPosition {
    pub id: String,
    pub title: String,
    /// The position this one reports to.
    #[serde(default)]
    pub reports_to: Option<String>,
    #[serde(default)]
    pub headcount: u32,
    /// Names of the people holding it.
    #[serde(default)]
    pub holders: Vec<String>,
    /// Ids of the people holding it, in the order of `holders`.
    #[serde(default)]
    pub holder_ids: Vec<String>,
    #[serde(default)]
    pub vacant: u32,
    #[serde(default)]
    pub uncovered_duties: u32,
}

impl OrgPosition {
    /// Places not filled: what the backend says, and never fewer than headcount − holders.
    pub fn vacancies(&self) -> u32 {
        let held = u32::try_from(self.holders.len()).unwrap_or(u32::MAX);
        self.vacant.max(self.headcount.saturating_sub(held))
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct OrgTotals {
    #[serde(default)]
    pub departments: u32,
    #[serde(default)]
    pub positions: u32,
    #[serde(default)]
    pub people: u32,
    #[serde(default)]
    pub vacancies: u32,
    #[serde(default)]
    pub uncovered_duties: u32,
}

/// What `duty_register` returns: every standing duty, by department and then position.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct DutyRegister {
    #[serde(default)]
    pub groups: Vec<DutyGroup>,
    /// How many duties have no one to do them.
    #[serde(default)]
    pub uncovered: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct DutyGroup {
    pub department_id: String,
    pub department: String,
    #[serde(default)]
    pub sections: Vec<DutySection>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct DutySection {
    /// `None`: the department's own duties rather than a position's.
    #[serde(default)]
    pub position_id: Option<String>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub holders: Vec<String>,
    #[serde(default)]
    pub duties: Vec<DutyView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct DutyView {
    pub id: String,
    pub text: String,
    /// One of [`Cadence`]'s wire names.
    #[serde(default)]
    pub cadence: String,
    /// Display name of the position or department that owns it.
    #[serde(default)]
    pub owner: String,
    /// Someone holds the owner position.
    #[serde(default = "yes")]
    pub covered: bool,
    /// Due date of the next task generated from it, `YYYY-MM-DD`.
    #[serde(default)]
    pub next_due: Option<String>,
    /// The owner id (`position:…`, `department:…`, `person:…`), as editing needs it.
    #[serde(default)]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub raci: Option<crate::editing::RaciView>,
}

fn yes() -> bool {
    true
}

impl DutyView {
    pub fn cadence(&self) -> Option<Cadence> {
        Cadence::from_wire(&self.cadence)
    }
}

/// How often a duty comes round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cadence {
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
    AsNeeded,
}

impl Cadence {
    pub const ALL: [Cadence; 6] = [
        Self::Daily,
        Self::Weekly,
        Self::Monthly,
        Self::Quarterly,
        Self::Yearly,
        Self::AsNeeded,
    ];

    /// `None` for a value this build does not know; it is then shown as sent.
    pub fn from_wire(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.wire() == s)
    }

    pub fn wire(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::Weekly => "weekly",
            Self::Monthly => "monthly",
            Self::Quarterly => "quarterly",
            Self::Yearly => "yearly",
            Self::AsNeeded => "as_needed",
        }
    }
}

/// What `create_invite` returns: a one-time code another device enrols with.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct Invite {
    pub code: String,
    /// `"staff"` or `"manager"`.
    #[serde(default)]
    pub role: String,
    /// Unix time in milliseconds.
    #[serde(default)]
    pub expires_at: i64,
}

/// What `task_detail` (and every command that changes a task's detail) returns.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct TaskDetail {
    pub task: TaskView,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub checklist: Vec<ChecklistItemView>,
    #[serde(default)]
    pub comments: Vec<CommentView>,
    #[serde(default)]
    pub history: Vec<HistoryView>,
    /// This device may change the task's progress (status, checklist).
    #[serde(default)]
    pub can_edit: bool,
    /// This device may give the task to someone else.
    #[serde(default)]
    pub can_reassign: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct ChecklistItemView {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub done: bool,
    #[serde(default)]
    pub done_by: Option<String>,
    /// Unix time in milliseconds.
    #[serde(default)]
    pub done_at: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct CommentView {
    pub id: String,
    #[serde(default)]
    pub author: String,
    /// Unix time in milliseconds.
    #[serde(default)]
    pub at: i64,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct HistoryView {
    /// Unix time in milliseconds.
    #[serde(default)]
    pub at: i64,
    pub message: String,
}

/// What `people_and_positions` returns: everyone and every position a task can go to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct Staffing {
    #[serde(default)]
    pub positions: Vec<StaffPosition>,
    #[serde(default)]
    pub people: Vec<StaffPerson>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct StaffPosition {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub department: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct StaffPerson {
    pub id: String,
    pub name: String,
    /// Ids of the positions they hold.
    #[serde(default)]
    pub positions: Vec<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

/// Someone work can be assigned to: a position (whoever holds it) or a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnerKind {
    Position,
    Person,
}

/// The owner id of a position or a person, as tasks and `reassign_*` commands carry it.
pub fn owner_id(kind: OwnerKind, id: &str) -> String {
    match kind {
        OwnerKind::Position => format!("position:{id}"),
        OwnerKind::Person => format!("person:{id}"),
    }
}

/// What `team_board` returns: open tasks by assignee.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct TeamBoard {
    #[serde(default)]
    pub groups: Vec<TeamGroup>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct TeamGroup {
    /// `None`: the tasks no one is assigned.
    #[serde(default)]
    pub owner_id: Option<String>,
    /// Display name ("Unassigned" when `owner_id` is `None`).
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub tasks: Vec<TaskView>,
    #[serde(default)]
    pub overdue: u32,
}
