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
    /// `"staff"`, `"manager"`, `"department_manager"`, `"operations_manager"` or
    /// `"director"`.
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub relay_url: Option<String>,
    #[serde(default)]
    pub sync: SyncStatus,
}

impl AppStatus {
    /// Every role but staff manages something (a department, the store, several stores)
    /// and sees the managers' screens; staff and a device with no role yet do not. What
    /// each may actually change is the backend's to say, through the views' flags.
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
pub const ROLE_DEPARTMENT_MANAGER: &str = "department_manager";
pub const ROLE_OPERATIONS_MANAGER: &str = "operations_manager";
pub const ROLE_DIRECTOR: &str = "director";
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
    /// The store's date it was done on, if done.
    #[serde(default)]
    pub done_on: Option<String>,
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

/// A field the backend may send as `null`: read as its default, as if it were absent.
fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

fn nullable_yes<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(d)?.unwrap_or(true))
}

// ---- Plans ------------------------------------------------------------------------

/// What `plans` returns: one year's plans, in no particular order (the UI builds the
/// cascade from `parent`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct PlanBoard {
    #[serde(default, deserialize_with = "nullable")]
    pub year: String,
    /// This device may draw up a new plan.
    #[serde(default, deserialize_with = "nullable")]
    pub can_create: bool,
    #[serde(default, deserialize_with = "nullable")]
    pub plans: Vec<PlanView>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct PlanView {
    pub id: String,
    /// One of [`PlanLevel`]'s wire names.
    #[serde(default, deserialize_with = "nullable")]
    pub level: String,
    /// `2026`, `2026-11` or `2026-W48`.
    #[serde(default, deserialize_with = "nullable")]
    pub period: String,
    #[serde(default, deserialize_with = "nullable")]
    pub title: String,
    /// The owning position's id (`pos:…`).
    #[serde(default, deserialize_with = "nullable")]
    pub owner: String,
    #[serde(default, deserialize_with = "nullable")]
    pub owner_title: String,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub parent: Option<String>,
    /// One of [`PlanStatus`]'s wire names.
    #[serde(default, deserialize_with = "nullable")]
    pub status: String,
    /// The approver's position title, or `"company"`.
    #[serde(default, deserialize_with = "nullable")]
    pub approver: String,
    #[serde(default, deserialize_with = "nullable")]
    pub items: Vec<PlanItemView>,
    #[serde(default, deserialize_with = "nullable")]
    pub reviews: Vec<PlanReviewView>,
    #[serde(default)]
    pub progress: PlanProgressView,
    /// Owner side, plan draft or returned: items, submit.
    #[serde(default, deserialize_with = "nullable")]
    pub can_edit: bool,
    /// Approver, plan submitted: approve, return (and reopen once approved).
    #[serde(default, deserialize_with = "nullable")]
    pub can_review: bool,
    /// An approved weekly plan with items not yet tasks.
    #[serde(default, deserialize_with = "nullable")]
    pub can_schedule: bool,
    /// The approver may reopen this approved plan (if the backend says so apart from
    /// `can_review`).
    #[serde(default, deserialize_with = "nullable")]
    pub can_reopen: bool,
    /// This device may comment (if the backend says so apart from the other flags).
    #[serde(default, deserialize_with = "nullable")]
    pub can_comment: bool,
}

impl PlanView {
    pub fn level(&self) -> Option<PlanLevel> {
        PlanLevel::from_wire(&self.level)
    }

    pub fn status(&self) -> PlanStatus {
        PlanStatus::from_wire(&self.status)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct PlanItemView {
    pub id: String,
    #[serde(default, deserialize_with = "nullable")]
    pub text: String,
    #[serde(default)]
    pub parent_item: Option<String>,
    /// Owner id: `position:…` or `person:…`.
    #[serde(default)]
    pub assignee_id: Option<String>,
    #[serde(default)]
    pub assignee: Option<String>,
    #[serde(default)]
    pub due: Option<String>,
    /// The task made from it once the plan is scheduled.
    #[serde(default)]
    pub task_id: Option<String>,
    #[serde(default)]
    pub task_status: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct PlanReviewView {
    /// `submitted`, `approved`, `returned`, `reopened` or `comment`.
    #[serde(default, deserialize_with = "nullable")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub round: u32,
    #[serde(default, deserialize_with = "nullable")]
    pub by: String,
    /// Unix time in milliseconds.
    #[serde(default, deserialize_with = "nullable")]
    pub at: i64,
    #[serde(default, deserialize_with = "nullable")]
    pub text: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct PlanProgressView {
    #[serde(default, deserialize_with = "nullable")]
    pub tasks: u32,
    #[serde(default, deserialize_with = "nullable")]
    pub done: u32,
}

/// The levels of the cascade, top first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PlanLevel {
    Annual,
    Monthly,
    Weekly,
}

impl PlanLevel {
    pub const ALL: [PlanLevel; 3] = [Self::Annual, Self::Monthly, Self::Weekly];

    pub fn from_wire(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.wire() == s)
    }

    pub fn wire(self) -> &'static str {
        match self {
            Self::Annual => "annual",
            Self::Monthly => "monthly",
            Self::Weekly => "weekly",
        }
    }

    /// The level a plan of this level breaks down: annual has none.
    pub fn parent_level(self) -> Option<Self> {
        match self {
            Self::Annual => None,
            Self::Monthly => Some(Self::Annual),
            Self::Weekly => Some(Self::Monthly),
        }
    }
}

/// A plan's state; an unknown wire value reads as draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanStatus {
    Draft,
    Submitted,
    Approved,
    Returned,
}

impl PlanStatus {
    pub fn from_wire(s: &str) -> Self {
        match s {
            "submitted" => Self::Submitted,
            "approved" => Self::Approved,
            "returned" => Self::Returned,
            _ => Self::Draft,
        }
    }

    pub fn wire(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Returned => "returned",
        }
    }
}

/// A decision or a comment on a plan, as `review_plan` takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PlanAction {
    Submit,
    Approve,
    Return,
    Reopen,
    Comment,
}

impl PlanAction {
    pub fn wire(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Approve => "approve",
            Self::Return => "return",
            Self::Reopen => "reopen",
            Self::Comment => "comment",
        }
    }

    /// Returning a plan and commenting on it say nothing without a text.
    pub fn needs_text(self) -> bool {
        matches!(self, Self::Return | Self::Comment)
    }
}

// ---- Meetings ---------------------------------------------------------------------

/// What `meetings` and every meeting command return: the meetings, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct MeetingBoard {
    #[serde(default, deserialize_with = "nullable")]
    pub can_create: bool,
    #[serde(default, deserialize_with = "nullable")]
    pub meetings: Vec<MeetingView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct MeetingView {
    pub id: String,
    #[serde(default, deserialize_with = "nullable")]
    pub title: String,
    /// `YYYY-MM-DD`.
    #[serde(default, deserialize_with = "nullable")]
    pub date: String,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub attendees: Vec<Attendee>,
    #[serde(default, deserialize_with = "nullable")]
    pub agenda: Vec<AgendaItemView>,
    #[serde(default, deserialize_with = "nullable")]
    pub minutes: String,
    #[serde(default, deserialize_with = "nullable")]
    pub actions: Vec<ActionItemView>,
    #[serde(default, deserialize_with = "nullable")]
    pub department_reports: Vec<DepartmentReport>,
    #[serde(default, deserialize_with = "nullable")]
    pub can_edit: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct Attendee {
    pub id: String,
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct AgendaItemView {
    pub id: String,
    #[serde(default, deserialize_with = "nullable")]
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct ActionItemView {
    pub id: String,
    #[serde(default, deserialize_with = "nullable")]
    pub text: String,
    #[serde(default, deserialize_with = "nullable")]
    pub owner: String,
    #[serde(default, deserialize_with = "nullable")]
    pub owner_id: String,
    #[serde(default)]
    pub due: Option<String>,
    #[serde(default)]
    pub task_id: Option<String>,
    #[serde(default)]
    pub task_status: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct DepartmentReport {
    #[serde(default, deserialize_with = "nullable")]
    pub department: String,
    #[serde(default, deserialize_with = "nullable")]
    pub open: u32,
    #[serde(default, deserialize_with = "nullable")]
    pub done: u32,
    #[serde(default, deserialize_with = "nullable")]
    pub overdue: u32,
}

// ---- Feedback ---------------------------------------------------------------------

/// What `feedback` and every feedback command return: the reports, open first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct FeedbackBoard {
    /// Category wire names, in the order the form offers them.
    #[serde(default, deserialize_with = "nullable")]
    pub categories: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub reports: Vec<ReportView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct ReportView {
    pub id: String,
    #[serde(default, deserialize_with = "nullable")]
    pub category: String,
    #[serde(default, deserialize_with = "nullable")]
    pub text: String,
    #[serde(default, deserialize_with = "nullable")]
    pub reporter: String,
    /// This device's person reported it.
    #[serde(default, deserialize_with = "nullable")]
    pub mine: bool,
    /// The department it was routed to.
    #[serde(default)]
    pub department: Option<String>,
    /// One of [`ReportStatus`]'s wire names.
    #[serde(default, deserialize_with = "nullable")]
    pub status: String,
    #[serde(default)]
    pub resolution: Option<String>,
    #[serde(default)]
    pub resolved_by: Option<String>,
    #[serde(default)]
    pub resolved_at: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    pub created_at: i64,
    #[serde(default, deserialize_with = "nullable")]
    pub has_photo: bool,
    /// This device may start or resolve it.
    #[serde(default, deserialize_with = "nullable")]
    pub can_handle: bool,
}

impl ReportView {
    pub fn status(&self) -> ReportStatus {
        ReportStatus::from_wire(&self.status)
    }
}

/// A report's state; an unknown wire value reads as open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportStatus {
    Open,
    InProgress,
    Resolved,
}

impl ReportStatus {
    pub fn from_wire(s: &str) -> Self {
        match s {
            "in_progress" => Self::InProgress,
            "resolved" => Self::Resolved,
            _ => Self::Open,
        }
    }

    pub fn wire(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::InProgress => "in_progress",
            Self::Resolved => "resolved",
        }
    }
}

/// The categories a problem can be reported under, should `feedback` not list them.
pub const REPORT_CATEGORIES: [&str; 9] = [
    "stock",
    "customer",
    "equipment",
    "system",
    "staffing",
    "money",
    "marketing",
    "safety",
    "other",
];

// ---- Dashboard --------------------------------------------------------------------

/// What `dashboard` returns: the numbers behind the managers' charts.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct Dashboard {
    /// ISO weeks, oldest first (`2026-W41`).
    #[serde(default, deserialize_with = "nullable")]
    pub weeks: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub departments: Vec<DashDepartment>,
    #[serde(default, deserialize_with = "nullable")]
    pub people: Vec<DashPerson>,
    #[serde(default)]
    pub coverage: DashCoverage,
    #[serde(default, deserialize_with = "nullable")]
    pub plans: Vec<DashPlan>,
    #[serde(default, deserialize_with = "nullable")]
    pub kpis: Vec<DashKpi>,
    #[serde(default)]
    pub feedback: DashFeedback,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct DashDepartment {
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// Per week, as in [`Dashboard::weeks`]: done / due that week; `None` if none was due.
    #[serde(default)]
    pub completion: Vec<Option<f64>>,
    /// Per week: done by the due date / due.
    #[serde(default)]
    pub on_time: Vec<Option<f64>>,
    #[serde(default, deserialize_with = "nullable")]
    pub open: u32,
    #[serde(default, deserialize_with = "nullable")]
    pub overdue: u32,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct DashPerson {
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub department: String,
    #[serde(default)]
    pub completion: Option<f64>,
    #[serde(default)]
    pub on_time: Option<f64>,
    #[serde(default, deserialize_with = "nullable")]
    pub overdue: u32,
    #[serde(default, deserialize_with = "nullable")]
    pub done: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct DashCoverage {
    #[serde(default, deserialize_with = "nullable")]
    pub duties: u32,
    #[serde(default, deserialize_with = "nullable")]
    pub covered: u32,
    /// The duties no one does.
    #[serde(default, deserialize_with = "nullable")]
    pub uncovered: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct DashPlan {
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    #[serde(default, deserialize_with = "nullable")]
    pub title: String,
    #[serde(default, deserialize_with = "nullable")]
    pub level: String,
    #[serde(default, deserialize_with = "nullable")]
    pub status: String,
    /// Done share of its tasks, 0 to 1.
    #[serde(default, deserialize_with = "nullable")]
    pub share: f64,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct DashKpi {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub owner: String,
    #[serde(default, deserialize_with = "nullable")]
    pub target: f64,
    /// `None` until there is something to measure.
    #[serde(default)]
    pub value: Option<f64>,
    /// `"%"`: target and value are shares from 0 to 1, shown as percentages.
    #[serde(default, deserialize_with = "nullable")]
    pub unit: String,
    #[serde(default = "yes", deserialize_with = "nullable_yes")]
    pub higher_is_better: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct DashFeedback {
    #[serde(default, deserialize_with = "nullable")]
    pub open: u32,
    #[serde(default, deserialize_with = "nullable")]
    pub in_progress: u32,
    #[serde(default, deserialize_with = "nullable")]
    pub resolved: u32,
    #[serde(default)]
    pub mean_hours_to_resolve: Option<f64>,
}

// ---- Assessment -------------------------------------------------------------------

/// What `assessment` and every assessment command return: the year's KPIs, assessments,
/// awards and training, and the satisfaction surveys.
#[derive(Clone, Debug, PartialEq, Default, Deserialize, Serialize)]
pub struct AssessmentBoard {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub can_manage: bool,
    #[serde(default)]
    pub kpis: Vec<KpiView>,
    #[serde(default)]
    pub assessments: Vec<AssessmentEntry>,
    #[serde(default)]
    pub awards: Vec<AwardView>,
    #[serde(default)]
    pub training: Vec<TrainingView>,
    #[serde(default)]
    pub surveys: Vec<SurveyView>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct KpiView {
    pub id: String,
    pub name: String,
    /// The department's or person's name.
    pub subject: String,
    /// `department:<id>` or `person:<id>`.
    #[serde(default)]
    pub subject_id: String,
    /// `completion_rate`, `on_time_rate` or `manual`.
    pub metric: String,
    /// A share, 0.0–1.0.
    pub target: f64,
    /// This month's value, if there is one.
    #[serde(default)]
    pub current: Option<f64>,
    #[serde(default)]
    pub values: Vec<PeriodValue>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct PeriodValue {
    pub period: String,
    pub value: f64,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct AssessmentEntry {
    pub id: String,
    pub subject: String,
    #[serde(default)]
    pub subject_id: String,
    pub period: String,
    pub score: u64,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub by: String,
    #[serde(default)]
    pub at: i64,
}

/// A person named in a reply.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct AwardView {
    pub id: String,
    pub title: String,
    pub person: Named,
    pub period: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub by: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct TrainingView {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub sessions: Vec<SessionView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct SessionView {
    pub id: String,
    pub date: String,
    pub topic: String,
    #[serde(default)]
    pub attendees: Vec<Named>,
    #[serde(default)]
    pub held: bool,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct SurveyView {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub answers: usize,
    #[serde(default)]
    pub answered_here: bool,
    /// Only from 5 answers on.
    #[serde(default)]
    pub results: Option<SurveyResults>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct SurveyResults {
    pub answers: usize,
    pub mean: f64,
    /// How many answered 1, 2, 3, 4 and 5.
    pub distribution: [usize; 5],
    #[serde(default)]
    pub comments: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_role(role: Option<&str>) -> AppStatus {
        AppStatus {
            enrolled: true,
            role: role.map(str::to_owned),
            ..AppStatus::default()
        }
    }

    #[test]
    fn every_role_but_staff_is_a_manager() {
        for role in [
            ROLE_MANAGER,
            ROLE_DEPARTMENT_MANAGER,
            ROLE_OPERATIONS_MANAGER,
            ROLE_DIRECTOR,
        ] {
            assert!(with_role(Some(role)).is_manager(), "{role}");
        }
        assert!(!with_role(Some(ROLE_STAFF)).is_manager());
        assert!(!with_role(None).is_manager());
        assert!(!with_role(Some("")).is_manager());
    }

    #[test]
    fn a_plan_board_reads_with_fields_missing() -> Result<(), serde_json::Error> {
        let board: PlanBoard = serde_json::from_str(
            r#"{"plans":[{"id":"plan-1","level":"weekly","status":"submitted","progress":{"tasks":4,"done":1}}]}"#,
        )?;
        let plan = &board.plans[0];
        assert_eq!(plan.level(), Some(PlanLevel::Weekly));
        assert_eq!(plan.status(), PlanStatus::Submitted);
        assert_eq!(plan.progress.done, 1);
        assert!(!board.can_create && plan.items.is_empty());
        Ok(())
    }

    #[test]
    fn a_dashboard_reads_weeks_with_nothing_due() -> Result<(), serde_json::Error> {
        let dash: Dashboard = serde_json::from_str(
            r#"{"weeks":["2026-W47","2026-W48"],"departments":[{"id":"dept:a","name":"A","completion":[null,0.5],"on_time":[null,0.25],"open":2,"overdue":1}],"feedback":{"open":1,"in_progress":0,"resolved":2,"mean_hours_to_resolve":null}}"#,
        )?;
        assert_eq!(dash.departments[0].completion, vec![None, Some(0.5)]);
        assert_eq!(dash.feedback.mean_hours_to_resolve, None);
        Ok(())
    }

    #[test]
    fn nulls_read_as_absent() -> Result<(), serde_json::Error> {
        let board: MeetingBoard = serde_json::from_str(
            r#"{"can_create":true,"meetings":[{"id":"m","title":"周例会","date":"2026-11-30","department":null,"minutes":null,"actions":[{"id":"a","text":"x","owner":null,"owner_id":null,"due":null,"task_id":null,"task_status":null}]}]}"#,
        )?;
        assert_eq!(board.meetings[0].actions[0].owner, "");
        let person: DashPerson = serde_json::from_str(
            r#"{"id":"p","name":"王芳","department":null,"completion":null,"on_time":null,"overdue":0,"done":3}"#,
        )?;
        assert_eq!(person.department, "");
        let kpi: DashKpi = serde_json::from_str(
            r#"{"name":"k","owner":"o","target":0.9,"value":null,"unit":"%","higher_is_better":null}"#,
        )?;
        assert!(kpi.value.is_none() && kpi.higher_is_better);
        Ok(())
    }
    #[test]
    fn an_assessment_board_reads() {
        let board: AssessmentBoard = serde_json::from_str(
            r#"{"year":"2026","can_manage":true,"kpis":[{"id":"k","name":"N","subject":"Ops","subject_id":"department:d","metric":"manual","target":0.95,"current":null,"values":[{"period":"2026-11","value":0.97}]}],"assessments":[],"awards":[{"id":"a","title":"Star","person":{"id":"p","name":"Li"},"period":"2026-11","reason":"r","by":"b"}],"training":[{"id":"t","title":"T","department":null,"sessions":[{"id":"s","date":"2026-12-01","topic":"x","attendees":[],"held":false}]}],"surveys":[{"id":"v","title":"Q4","answers":5,"answered_here":true,"results":{"answers":5,"mean":4.2,"distribution":[0,0,1,2,2],"comments":["ok"]}}]}"#,
        )
        .expect("board");
        assert!(board.can_manage);
        assert_eq!(board.kpis[0].values[0].period, "2026-11");
        assert_eq!(
            board.surveys[0].results.as_ref().map(|r| r.distribution[4]),
            Some(2)
        );
    }
}
