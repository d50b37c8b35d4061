//! Assessment: KPIs against targets, periodic assessments, awards, training plans
//! with attendance, the anonymous satisfaction survey.

use serde::{Deserialize, Serialize};
use storeops_domain::assessment::KpiMetric;

use crate::Named;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AssessmentBoard {
    pub year: String,
    pub can_manage: bool,
    pub kpis: Vec<KpiRow>,
    pub assessments: Vec<AssessmentRow>,
    pub awards: Vec<AwardRow>,
    pub training: Vec<TrainingRow>,
    pub surveys: Vec<SurveyRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiRow {
    pub id: String,
    pub name: String,
    pub subject: String,
    pub subject_id: String,
    pub metric: KpiMetric,
    pub target: f64,
    /// This month's value: computed from the tasks for the rate metrics, else recorded.
    pub current: Option<f64>,
    /// Recorded values by period, oldest first.
    pub values: Vec<PeriodValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodValue {
    pub period: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentRow {
    pub id: String,
    pub subject: String,
    pub subject_id: String,
    pub period: String,
    pub score: u64,
    pub comment: String,
    pub by: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardRow {
    pub id: String,
    pub title: String,
    pub person: Named,
    pub period: String,
    pub reason: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingRow {
    pub id: String,
    pub title: String,
    pub department: Option<String>,
    pub sessions: Vec<SessionRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    pub id: String,
    pub date: String,
    pub topic: String,
    pub attendees: Vec<Named>,
    pub held: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyRow {
    pub id: String,
    pub title: String,
    pub answers: usize,
    /// Shown only from the domain's minimum number of answers on.
    pub results: Option<SurveyResultsView>,
    /// This device has answered it (remembered here only; answers carry no name).
    pub answered_here: bool,
    /// Where this device's answer is: waiting to be sent to the relay, sent, or
    /// refused by it (`None`: not answered here).
    #[serde(default)]
    pub delivery: Option<AnswerDelivery>,
}

/// Where a survey answer given on this device is. The relay, not the device,
/// writes answers (so none carries the device's identity): until it is online
/// the answer waits on the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "message")]
pub enum AnswerDelivery {
    WaitingToSend,
    Sent,
    /// The relay refused it, e.g. this person answered on another device.
    Refused(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyResultsView {
    pub answers: usize,
    pub mean: f64,
    pub distribution: [usize; 5],
    pub comments: Vec<String>,
}

/// A training session as the UI sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInput {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub topic: String,
    /// Person ids.
    pub attendees: Vec<String>,
}
