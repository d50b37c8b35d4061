//! What the UI shows, serialised to JSON for the frontend.

use serde::Serialize;
use storeops_domain::{Cadence, OrgDoc, Owner, Task};

/// The sync indicator's data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncStatus {
    pub online: bool,
    /// Local changes the relay has not confirmed.
    pub pending_changes: u32,
    /// Unix ms of the last moment everything local was confirmed.
    pub last_synced_at: Option<i64>,
    pub last_error: Option<String>,
    /// The store's root, org and tasks documents are on this device: until then the
    /// screens are empty because nothing has arrived, not because the store is empty.
    pub store_arrived: bool,
}

/// A task as the task list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskView {
    pub id: String,
    /// The assignee as an owner id (`position:<id>`, `person:<id>`), for pickers.
    pub assignee_id: Option<String>,
    pub title: String,
    pub status: String,
    pub priority: String,
    pub due: Option<String>,
    pub assignee: Option<String>,
    pub department: Option<String>,
    pub duty: Option<String>,
    /// Unix ms it was done.
    pub done_at: Option<i64>,
    /// The store's date it was done on (for "done today"); set by the replica, which
    /// knows the store's time zone.
    pub done_on: Option<String>,
}

impl TaskView {
    /// Resolves ids to names through the org document.
    pub fn new(id: String, t: &Task, org: &OrgDoc) -> Self {
        let position_dept = |p: &str| org.positions.get(p).map(|p| p.department.clone());
        let dept_of = match &t.assignee {
            Some(Owner::Position(p)) => position_dept(p),
            Some(Owner::Department(d)) => Some(d.clone()),
            Some(Owner::Person(p)) => org
                .people
                .get(p)
                .and_then(|person| person.positions.first())
                .and_then(|p| position_dept(p)),
            None => None,
        };
        let assignee = t.assignee.as_ref().map(|a| match a {
            Owner::Position(p) => org.positions.get(p).map_or(p.clone(), |p| p.title.clone()),
            Owner::Department(d) => org.departments.get(d).map_or(d.clone(), |d| d.name.clone()),
            Owner::Person(p) => org.people.get(p).map_or(p.clone(), |p| p.name.clone()),
        });
        Self {
            id,
            assignee_id: t.assignee.as_ref().map(ToString::to_string),
            title: t.title.clone(),
            status: t.status.as_str().into(),
            priority: t.priority.as_str().into(),
            due: t.due.clone(),
            assignee,
            department: dept_of.map(|d| org.departments.get(&d).map_or(d, |d| d.name.clone())),
            duty: t
                .source_duty
                .as_ref()
                .and_then(|d| org.duties.get(d))
                .map(|d| d.text.clone()),
            done_at: t
                .completed_at
                .filter(|_| t.status == storeops_domain::TaskStatus::Done),
            done_on: None,
        }
    }

    /// Open before done; earlier due first; then title.
    pub fn sort_key(&self) -> (bool, String, String) {
        let closed = matches!(self.status.as_str(), "done" | "cancelled");
        (
            closed,
            self.due.clone().unwrap_or_else(|| "9999".into()),
            self.title.clone(),
        )
    }
}

/// The org chart: departments with their positions, holders and gaps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgChart {
    pub departments: Vec<OrgDepartment>,
    pub totals: OrgTotals,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgDepartment {
    pub id: String,
    pub name: String,
    pub parent: Option<String>,
    pub head: Option<String>,
    pub positions: Vec<OrgPosition>,
    pub uncovered_duties: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgPosition {
    pub id: String,
    pub title: String,
    pub reports_to: Option<String>,
    pub headcount: u32,
    pub holders: Vec<String>,
    /// The holders' person ids, in the order of `holders`.
    pub holder_ids: Vec<String>,
    pub vacant: u32,
    pub uncovered_duties: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OrgTotals {
    pub departments: u32,
    pub positions: u32,
    pub people: u32,
    pub vacancies: u32,
    pub uncovered_duties: u32,
}

/// Names of the active people holding a position.
fn holders(org: &OrgDoc, position: &str) -> Vec<String> {
    holding(org, position)
        .map(|(_, p)| p.name.clone())
        .collect()
}

fn holding<'a>(
    org: &'a OrgDoc,
    position: &'a str,
) -> impl Iterator<Item = (&'a String, &'a storeops_domain::Person)> {
    org.people
        .iter()
        .filter(move |(_, p)| p.active && p.positions.iter().any(|q| q == position))
}

/// A duty is covered when someone active holds its owner: the position, the
/// department's head position, or the person.
fn covered(org: &OrgDoc, owner: Option<&Owner>) -> bool {
    match owner {
        None => false,
        Some(Owner::Position(p)) => !holders(org, p).is_empty(),
        Some(Owner::Department(d)) => org
            .departments
            .get(d)
            .and_then(|d| d.head.as_ref())
            .is_some_and(|head| !holders(org, head).is_empty()),
        Some(Owner::Person(p)) => org.people.get(p).is_some_and(|p| p.active),
    }
}

fn owner_name(org: &OrgDoc, owner: Option<&Owner>) -> String {
    match owner {
        None => String::new(),
        Some(Owner::Position(p)) => org.positions.get(p).map_or(p.clone(), |p| p.title.clone()),
        Some(Owner::Department(d)) => org.departments.get(d).map_or(d.clone(), |d| d.name.clone()),
        Some(Owner::Person(p)) => org.people.get(p).map_or(p.clone(), |p| p.name.clone()),
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl OrgChart {
    pub fn new(org: &OrgDoc) -> Self {
        let uncovered_of_position = |pos: &str| {
            count(
                org.duties
                    .values()
                    .filter(|d| d.owner == Some(Owner::Position(pos.to_owned())))
                    .filter(|d| !covered(org, d.owner.as_ref()))
                    .count(),
            )
        };
        let mut totals = OrgTotals {
            people: count(org.people.values().filter(|p| p.active).count()),
            uncovered_duties: count(
                org.duties
                    .values()
                    .filter(|d| !covered(org, d.owner.as_ref()))
                    .count(),
            ),
            ..OrgTotals::default()
        };
        let departments = org
            .departments
            .iter()
            .map(|(id, d)| {
                let positions: Vec<OrgPosition> = org
                    .positions
                    .iter()
                    .filter(|(_, p)| p.department == *id)
                    .map(|(pid, p)| {
                        let holders = holders(org, pid);
                        let headcount = u32::try_from(p.headcount).unwrap_or(u32::MAX);
                        let vacant = headcount.saturating_sub(count(holders.len()));
                        OrgPosition {
                            id: pid.clone(),
                            title: p.title.clone(),
                            reports_to: p.reports_to.clone(),
                            headcount,
                            holders,
                            holder_ids: holding(org, pid).map(|(id, _)| id.clone()).collect(),
                            vacant,
                            uncovered_duties: uncovered_of_position(pid),
                        }
                    })
                    .collect();
                let own_uncovered = count(
                    org.duties
                        .values()
                        .filter(|duty| duty.owner == Some(Owner::Department(id.clone())))
                        .filter(|duty| !covered(org, duty.owner.as_ref()))
                        .count(),
                );
                totals.positions += count(positions.len());
                totals.vacancies += positions.iter().map(|p| p.vacant).sum::<u32>();
                OrgDepartment {
                    id: id.clone(),
                    name: d.name.clone(),
                    parent: d.parent.clone(),
                    head: d.head.clone(),
                    uncovered_duties: own_uncovered
                        + positions.iter().map(|p| p.uncovered_duties).sum::<u32>(),
                    positions,
                }
            })
            .collect::<Vec<_>>();
        totals.departments = count(departments.len());
        Self {
            departments,
            totals,
        }
    }
}

/// Duties by department and position, with coverage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DutyRegister {
    pub groups: Vec<DutyGroup>,
    pub uncovered: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DutyGroup {
    pub department_id: String,
    pub department: String,
    pub sections: Vec<DutySection>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DutySection {
    pub position_id: Option<String>,
    pub title: String,
    pub holders: Vec<String>,
    pub duties: Vec<DutyView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DutyView {
    pub id: String,
    pub text: String,
    pub cadence: String,
    pub owner: String,
    /// The owner as an owner string, for editing.
    pub owner_id: Option<String>,
    pub raci: Option<RaciView>,
    pub covered: bool,
    pub next_due: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RaciView {
    pub responsible: Option<Named>,
    pub accountable: Option<Named>,
    pub consulted: Vec<Named>,
    pub informed: Vec<Named>,
}

impl RaciView {
    fn new(org: &OrgDoc, raci: &storeops_domain::Raci) -> Self {
        let named = |o: &Owner| Named {
            id: o.to_string(),
            name: owner_name(org, Some(o)),
        };
        Self {
            responsible: raci.responsible.as_ref().map(named),
            accountable: raci.accountable.as_ref().map(named),
            consulted: raci.consulted.iter().map(named).collect(),
            informed: raci.informed.iter().map(named).collect(),
        }
    }
}

pub(crate) fn cadence_name(c: Cadence) -> &'static str {
    match c {
        Cadence::Daily => "daily",
        Cadence::Weekly => "weekly",
        Cadence::Monthly => "monthly",
        Cadence::Quarterly => "quarterly",
        Cadence::Yearly => "yearly",
        Cadence::AsNeeded => "as_needed",
    }
}

impl DutyRegister {
    /// `tasks` gives each duty's next open generated task.
    pub fn new(org: &OrgDoc, tasks: &[(String, Task)]) -> Self {
        let next_due = |duty: &str| {
            tasks
                .iter()
                .filter(|(_, t)| t.source_duty.as_deref() == Some(duty) && t.status.is_open())
                .filter_map(|(_, t)| t.due.clone())
                .min()
        };
        let view = |id: &String, d: &storeops_domain::Duty| DutyView {
            id: id.clone(),
            text: d.text.clone(),
            cadence: cadence_name(d.cadence).into(),
            owner: owner_name(org, d.owner.as_ref()),
            owner_id: d.owner.as_ref().map(ToString::to_string),
            raci: d.raci.as_ref().map(|r| RaciView::new(org, r)),
            covered: covered(org, d.owner.as_ref()),
            next_due: next_due(id),
        };
        // The top of the org first, then departments by name.
        let mut departments: Vec<_> = org.departments.iter().collect();
        departments.sort_by_key(|(_, d)| (d.parent.is_some(), d.name.clone()));
        let groups = departments
            .into_iter()
            .map(|(dept_id, dept)| {
                let mut sections = Vec::new();
                let own: Vec<DutyView> = org
                    .duties
                    .iter()
                    .filter(|(_, d)| d.owner == Some(Owner::Department(dept_id.clone())))
                    .map(|(id, d)| view(id, d))
                    .collect();
                if !own.is_empty() {
                    sections.push(DutySection {
                        position_id: None,
                        title: dept.name.clone(),
                        holders: vec![],
                        duties: own,
                    });
                }
                for (pos_id, pos) in org
                    .positions
                    .iter()
                    .filter(|(_, p)| p.department == *dept_id)
                {
                    sections.push(DutySection {
                        position_id: Some(pos_id.clone()),
                        title: pos.title.clone(),
                        holders: holders(org, pos_id),
                        duties: org
                            .duties
                            .iter()
                            .filter(|(_, d)| d.owner == Some(Owner::Position(pos_id.clone())))
                            .map(|(id, d)| view(id, d))
                            .collect(),
                    });
                }
                DutyGroup {
                    department_id: dept_id.clone(),
                    department: dept.name.clone(),
                    sections,
                }
            })
            .collect();
        let uncovered = count(
            org.duties
                .values()
                .filter(|d| !covered(org, d.owner.as_ref()))
                .count(),
        );
        Self { groups, uncovered }
    }
}

/// A task with everything the detail screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskDetail {
    pub task: TaskView,
    pub description: String,
    pub checklist: Vec<ChecklistItemView>,
    pub comments: Vec<CommentView>,
    pub history: Vec<HistoryView>,
    /// The device may change this task's progress.
    pub can_edit: bool,
    /// The device may reassign it.
    pub can_reassign: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistItemView {
    pub id: String,
    pub text: String,
    pub done: bool,
    pub done_by: Option<String>,
    pub done_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommentView {
    pub id: String,
    pub author: String,
    pub at: i64,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryView {
    pub at: i64,
    pub message: String,
}

impl TaskDetail {
    pub fn new(
        id: String,
        t: &Task,
        org: &OrgDoc,
        history: Vec<storeops_domain::history::HistoryEntry>,
        can_edit: bool,
        can_reassign: bool,
    ) -> Self {
        Self {
            task: TaskView::new(id, t, org),
            description: t.description.clone(),
            checklist: t
                .checklist
                .iter()
                .map(|c| ChecklistItemView {
                    id: c.id.clone(),
                    text: c.text.clone(),
                    done: c.done,
                    done_by: c.done_by.clone(),
                    done_at: c.done_at,
                })
                .collect(),
            comments: t
                .comments
                .iter()
                .map(|c| CommentView {
                    id: c.id.clone(),
                    author: c.author.clone(),
                    at: c.at,
                    text: c.text.clone(),
                })
                .collect(),
            history: history
                .into_iter()
                .map(|h| HistoryView {
                    at: h.at_ms,
                    message: h.message,
                })
                .collect(),
            can_edit,
            can_reassign,
        }
    }
}

/// Positions and people, for assignee pickers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Staffing {
    pub positions: Vec<StaffingPosition>,
    pub people: Vec<StaffingPerson>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffingPosition {
    pub id: String,
    pub title: String,
    pub department: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffingPerson {
    pub id: String,
    pub name: String,
    pub positions: Vec<String>,
    pub active: bool,
}

impl Staffing {
    pub fn new(org: &OrgDoc) -> Self {
        Self {
            positions: org
                .positions
                .iter()
                .map(|(id, p)| StaffingPosition {
                    id: id.clone(),
                    title: p.title.clone(),
                    department: org
                        .departments
                        .get(&p.department)
                        .map_or(p.department.clone(), |d| d.name.clone()),
                })
                .collect(),
            people: org
                .people
                .iter()
                .map(|(id, p)| StaffingPerson {
                    id: id.clone(),
                    name: p.name.clone(),
                    positions: p.held_positions().into_iter().map(String::from).collect(),
                    active: p.active,
                })
                .collect(),
        }
    }
}

/// Open work grouped by who holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamBoard {
    pub groups: Vec<TeamGroup>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamGroup {
    pub owner_id: Option<String>,
    pub owner: String,
    pub tasks: Vec<TaskView>,
    pub overdue: u32,
}

impl TeamBoard {
    /// `today` is `YYYY-MM-DD` in the store's time zone.
    pub fn new(tasks: &[(String, Task)], org: &OrgDoc, today: &str) -> Self {
        let mut groups: std::collections::BTreeMap<Option<String>, TeamGroup> = Default::default();
        for (id, t) in tasks.iter().filter(|(_, t)| t.status.is_open()) {
            let key = t.assignee.as_ref().map(ToString::to_string);
            let group = groups.entry(key.clone()).or_insert_with(|| TeamGroup {
                owner_id: key,
                owner: owner_name(org, t.assignee.as_ref()),
                tasks: vec![],
                overdue: 0,
            });
            if t.due.as_deref().is_some_and(|d| d < today) {
                group.overdue += 1;
            }
            group.tasks.push(TaskView::new(id.clone(), t, org));
        }
        let mut groups: Vec<TeamGroup> = groups.into_values().collect();
        for g in &mut groups {
            g.tasks.sort_by_key(TaskView::sort_key);
        }
        groups.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(a.owner.cmp(&b.owner)));
        Self { groups }
    }
}
