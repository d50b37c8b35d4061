//! The problem feedback channel.

use serde::{Deserialize, Serialize};
use storeops_domain::feedback::ReportStatus;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackBoard {
    /// The categories a report may have, in the order the form offers them.
    pub categories: Vec<String>,
    pub reports: Vec<ReportView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    pub id: String,
    pub category: String,
    pub text: String,
    pub reporter: String,
    pub mine: bool,
    pub department: Option<String>,
    pub status: ReportStatus,
    pub resolution: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<i64>,
    pub created_at: i64,
    pub has_photo: bool,
    pub can_handle: bool,
}
