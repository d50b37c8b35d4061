//! The problem feedback channel.

use serde::{Deserialize, Serialize};
use storeops_domain::feedback::ReportStatus;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackBoard {
    /// The categories a report may have, in the order the form offers them.
    pub categories: Vec<String>,
    pub reports: Vec<ReportView>,
    /// Where each category's reports go now.
    #[serde(default)]
    pub routes: Vec<FeedbackRoute>,
    /// Whether this device may set the routes (the store's managers).
    #[serde(default)]
    pub can_route: bool,
    /// The departments a route or a report may go to.
    #[serde(default)]
    pub departments: Vec<crate::Named>,
}

/// The department a category of problem reports goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackRoute {
    pub category: String,
    pub department: Option<crate::Named>,
    /// Set by a manager (else the template's default for the category).
    pub chosen: bool,
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
    /// The department's id (`department` is its name).
    #[serde(default)]
    pub department_id: Option<String>,
}
