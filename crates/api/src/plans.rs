//! The planning cascade: annual, monthly and weekly plans with their reviews.

use serde::{Deserialize, Serialize};
use storeops_domain::TaskStatus;
use storeops_domain::plans::{PlanLevel, PlanStatus, ReviewKind};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanBoard {
    pub year: String,
    pub can_create: bool,
    pub plans: Vec<PlanView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanView {
    pub id: String,
    pub level: PlanLevel,
    /// `2026`, `2026-11` or `2026-W48`.
    pub period: String,
    pub title: String,
    /// The owning position's id.
    pub owner: String,
    pub owner_title: String,
    pub department: Option<String>,
    pub parent: Option<String>,
    pub status: PlanStatus,
    /// The approving position's title, or `company` for the annual plan.
    pub approver: String,
    pub items: Vec<PlanItemView>,
    pub reviews: Vec<ReviewView>,
    pub progress: Progress,
    pub can_edit: bool,
    pub can_review: bool,
    /// The approver may reopen an approved plan.
    pub can_reopen: bool,
    /// The owner side and the approver may comment at any time.
    pub can_comment: bool,
    pub can_schedule: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItemView {
    pub id: String,
    pub text: String,
    pub parent_item: Option<String>,
    pub assignee_id: Option<String>,
    pub assignee: Option<String>,
    /// `YYYY-MM-DD`.
    pub due: Option<String>,
    pub task_id: Option<String>,
    pub task_status: Option<TaskStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    pub kind: ReviewKind,
    pub round: u64,
    pub by: String,
    pub at: i64,
    pub text: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub tasks: usize,
    pub done: usize,
}
