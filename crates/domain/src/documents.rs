//! The documents of a store and their typed mapping (autosurgeon).
//!
//! A store is split along permission boundaries (see `docs/design/documents.md`):
//! - the **store** document (root): profile and the ids of the other documents;
//!   managers write it;
//! - the **org** document: departments, positions, people, duties; managers write it;
//! - the **tasks** document: tasks and their progress; staff write it too.
//!
//! Every document carries a `schema` number; [`SCHEMA_VERSION`] is the one this
//! build writes. Entities live in maps keyed by their id, so two devices adding
//! different entities never collide and the same deterministic id merges.

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

/// The schema version every document of this build is written with.
pub const SCHEMA_VERSION: u64 = 1;

/// Kinds of documents, as the relay's access control knows them.
pub mod kind {
    pub const STORE: &str = "store";
    pub const ORG: &str = "org";
    pub const TASKS: &str = "tasks";
    /// Kinds a staff device may write.
    pub const STAFF_WRITABLE: &[&str] = &[TASKS];
}

/// The root document of a store.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct StoreDoc {
    pub schema: u64,
    pub profile: StoreProfile,
    /// Ids (automerge-repo text form) of the store's other documents.
    pub documents: DocumentLinks,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct StoreProfile {
    pub id: String,
    #[autosurgeon(hydrate = "crate::text::string")]
    pub name: String,
    /// IANA name, e.g. `Asia/Shanghai`.
    pub time_zone: String,
    /// `zh-CN` or `en`.
    pub locale: String,
    /// The seed template the store started from.
    pub template: String,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct DocumentLinks {
    pub org: String,
    pub tasks: String,
}

/// Departments, positions, people and duties.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct OrgDoc {
    pub schema: u64,
    pub departments: BTreeMap<String, Department>,
    pub positions: BTreeMap<String, Position>,
    pub people: BTreeMap<String, Person>,
    pub duties: BTreeMap<String, Duty>,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Department {
    #[autosurgeon(hydrate = "crate::text::string")]
    pub name: String,
    /// The position heading it.
    pub head: Option<String>,
    pub parent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Position {
    #[autosurgeon(hydrate = "crate::text::string")]
    pub title: String,
    pub department: String,
    pub reports_to: Option<String>,
    pub headcount: u64,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Person {
    #[autosurgeon(hydrate = "crate::text::string")]
    pub name: String,
    #[autosurgeon(hydrate = "crate::text::string")]
    pub contact: String,
    pub positions: Vec<String>,
    pub active: bool,
}

/// Who owns a duty or holds a task.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, Serialize, Deserialize)]
pub enum Owner {
    Position(String),
    Department(String),
    Person(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    #[autosurgeon(rename = "daily")]
    Daily,
    #[autosurgeon(rename = "weekly")]
    Weekly,
    #[autosurgeon(rename = "monthly")]
    Monthly,
    #[autosurgeon(rename = "quarterly")]
    Quarterly,
    #[autosurgeon(rename = "yearly")]
    Yearly,
    #[autosurgeon(rename = "as_needed")]
    AsNeeded,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Duty {
    #[autosurgeon(hydrate = "crate::text::string")]
    pub text: String,
    pub owner: Option<Owner>,
    pub cadence: Cadence,
}

/// The store's tasks.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct TasksDoc {
    pub schema: u64,
    pub tasks: BTreeMap<String, Task>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    #[autosurgeon(rename = "todo")]
    Todo,
    #[autosurgeon(rename = "in_progress")]
    InProgress,
    #[autosurgeon(rename = "blocked")]
    Blocked,
    #[autosurgeon(rename = "done")]
    Done,
    #[autosurgeon(rename = "cancelled")]
    Cancelled,
}

impl TaskStatus {
    pub fn is_open(self) -> bool {
        matches!(self, Self::Todo | Self::InProgress | Self::Blocked)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Todo => "todo",
            Self::InProgress => "in_progress",
            Self::Blocked => "blocked",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
        }
    }
}

impl std::str::FromStr for TaskStatus {
    type Err = crate::DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "todo" => Self::Todo,
            "in_progress" => Self::InProgress,
            "blocked" => Self::Blocked,
            "done" => Self::Done,
            "cancelled" => Self::Cancelled,
            other => {
                return Err(crate::DomainError::UnknownStatus(
                    other.chars().take(40).collect(),
                ));
            }
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    #[autosurgeon(rename = "low")]
    Low,
    #[autosurgeon(rename = "normal")]
    Normal,
    #[autosurgeon(rename = "high")]
    High,
    #[autosurgeon(rename = "urgent")]
    Urgent,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
            Self::Urgent => "urgent",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct ChecklistItem {
    #[key]
    pub id: String,
    #[autosurgeon(hydrate = "crate::text::string")]
    pub text: String,
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Comment {
    #[key]
    pub id: String,
    pub author: String,
    pub at: i64,
    #[autosurgeon(hydrate = "crate::text::string")]
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Task {
    #[autosurgeon(hydrate = "crate::text::string")]
    pub title: String,
    #[autosurgeon(hydrate = "crate::text::string")]
    pub description: String,
    /// The duty this task was generated from, if any.
    pub source_duty: Option<String>,
    pub assignee: Option<Owner>,
    /// `YYYY-MM-DD` in the store's time zone.
    pub due: Option<String>,
    pub priority: Priority,
    pub checklist: Vec<ChecklistItem>,
    pub comments: Vec<Comment>,
    pub status: TaskStatus,
    pub created_at: i64,
    pub created_by: String,
    pub completed_at: Option<i64>,
    pub completed_by: Option<String>,
}
