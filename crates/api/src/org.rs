//! The org chart, the duty register, RACI and each person's own duties.

use serde::{Deserialize, Serialize};
use storeops_domain::{Cadence, TaskStatus};

use crate::Named;

/// The org chart: departments with their positions, holders and gaps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgChart {
    pub departments: Vec<OrgDepartment>,
    pub totals: OrgTotals,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgDepartment {
    pub id: String,
    pub name: String,
    /// The department this one sits under; `None` at the top.
    pub parent: Option<String>,
    /// The position that heads it.
    pub head: Option<String>,
    pub positions: Vec<OrgPosition>,
    pub uncovered_duties: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgPosition {
    pub id: String,
    pub title: String,
    pub reports_to: Option<String>,
    pub headcount: u32,
    /// Names of the active people holding it.
    pub holders: Vec<String>,
    /// The holders' person ids, in the order of `holders`.
    pub holder_ids: Vec<String>,
    /// Places not filled: headcount − holders.
    pub vacant: u32,
    pub uncovered_duties: u32,
}

impl OrgPosition {
    /// Places not filled: `vacant`, and never fewer than headcount − holders.
    pub fn vacancies(&self) -> u32 {
        let held = u32::try_from(self.holders.len()).unwrap_or(u32::MAX);
        self.vacant.max(self.headcount.saturating_sub(held))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgTotals {
    pub departments: u32,
    pub positions: u32,
    pub people: u32,
    pub vacancies: u32,
    pub uncovered_duties: u32,
}

/// Duties by department and position, with coverage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyRegister {
    pub groups: Vec<DutyGroup>,
    /// How many duties have no one to do them.
    pub uncovered: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyGroup {
    pub department_id: String,
    pub department: String,
    pub sections: Vec<DutySection>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutySection {
    /// `None`: the department's own duties rather than a position's.
    pub position_id: Option<String>,
    pub title: String,
    pub holders: Vec<String>,
    pub duties: Vec<DutyView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyView {
    pub id: String,
    pub text: String,
    pub cadence: Cadence,
    /// Display name of the position, department or person that owns it.
    pub owner: String,
    /// The owner id (`position:…`, `department:…`, `person:…`), for editing.
    pub owner_id: Option<String>,
    pub raci: Option<RaciView>,
    /// Someone active holds the owner.
    pub covered: bool,
    /// Due date of the next open task generated from it, `YYYY-MM-DD`.
    pub next_due: Option<String>,
}

/// A duty's RACI assignment, with names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaciView {
    pub responsible: Option<Named>,
    pub accountable: Option<Named>,
    pub consulted: Vec<Named>,
    pub informed: Vec<Named>,
}

impl RaciView {
    pub fn is_empty(&self) -> bool {
        self.responsible.is_none()
            && self.accountable.is_none()
            && self.consulted.is_empty()
            && self.informed.is_empty()
    }

    /// The owner ids, as a form edits them.
    pub fn to_input(&self) -> RaciInput {
        RaciInput {
            responsible: self.responsible.as_ref().map(|n| n.id.clone()),
            accountable: self.accountable.as_ref().map(|n| n.id.clone()),
            consulted: self.consulted.iter().map(|n| n.id.clone()).collect(),
            informed: self.informed.iter().map(|n| n.id.clone()).collect(),
        }
    }
}

/// A RACI assignment as the UI sends it: owner ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaciInput {
    pub responsible: Option<String>,
    pub accountable: Option<String>,
    pub consulted: Vec<String>,
    pub informed: Vec<String>,
}

impl RaciInput {
    pub fn is_empty(&self) -> bool {
        self.responsible.is_none()
            && self.accountable.is_none()
            && self.consulted.is_empty()
            && self.informed.is_empty()
    }
}

/// The part a person plays in a duty's RACI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RaciRole {
    Responsible,
    Accountable,
    Consulted,
    Informed,
}

/// One of my standing duties, with the next task it has generated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyDuty {
    pub id: String,
    pub text: String,
    pub cadence: Cadence,
    pub owner: String,
    pub department: Option<String>,
    pub raci_role: Option<RaciRole>,
    pub next_task: Option<NextTask>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextTask {
    pub id: String,
    pub title: String,
    pub due: Option<String>,
    pub status: TaskStatus,
}
