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
