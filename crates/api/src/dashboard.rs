//! The managers' dashboard: completion and overdue by department and person, duty
//! coverage, plan progress, KPIs and feedback.

use serde::{Deserialize, Serialize};
use storeops_domain::plans::{PlanLevel, PlanStatus};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// ISO weeks, oldest first; the series below have one value per week.
    pub weeks: Vec<String>,
    pub departments: Vec<DepartmentSeries>,
    pub people: Vec<PersonRates>,
    pub coverage: CoverageSummary,
    pub plans: Vec<PlanShare>,
    pub kpis: Vec<KpiSummary>,
    pub feedback: FeedbackCounts,
    /// The store as a whole, as the chain compares it with the others.
    #[serde(default)]
    pub summary: StoreSummary,
}

/// A store's figures in one line: the chain dashboard's row and the head of the
/// store's own dashboard (one definition, in the device's dashboard).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoreSummary {
    /// Share done of the tasks due in the dashboard's weeks; `None` with nothing due.
    pub completion: Option<f64>,
    /// Share of those done on time.
    pub on_time: Option<f64>,
    /// Open tasks past their due date (missed duties count in the completion instead).
    pub overdue: usize,
    /// Problem reports not resolved yet (open or in progress).
    pub open_feedback: usize,
    /// Share done of the tasks made from this year's plans; `None` with none yet.
    pub plan_progress: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepartmentSeries {
    pub id: String,
    pub name: String,
    /// Share done of the tasks due that week; `None` with nothing due.
    pub completion: Vec<Option<f64>>,
    pub on_time: Vec<Option<f64>>,
    pub open: usize,
    pub overdue: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRates {
    pub id: String,
    pub name: String,
    pub department: Option<String>,
    pub completion: Option<f64>,
    pub on_time: Option<f64>,
    pub overdue: usize,
    pub done: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageSummary {
    pub duties: usize,
    pub covered: usize,
    /// The uncovered duties' texts.
    pub uncovered: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanShare {
    pub id: String,
    pub title: String,
    pub level: PlanLevel,
    pub status: PlanStatus,
    pub share: f64,
}

/// A KPI against its target, as the dashboard shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiSummary {
    pub name: String,
    pub owner: String,
    pub target: f64,
    pub value: Option<f64>,
    pub unit: String,
    pub higher_is_better: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedbackCounts {
    pub open: usize,
    pub in_progress: usize,
    pub resolved: usize,
    pub mean_hours_to_resolve: Option<f64>,
}
