//! The org chart and the duty register: their views, editing them, the people in
//! them, and each person's own duties.

use storeops_api::Named;
use storeops_api::command::{
    AddDepartment, AddDuty, AddPerson, AddPosition, EditDuty, EditPosition, GetDutyRegister,
    GetMyDuties, GetOrgChart, MoveDepartment, RenameDepartment, SetDepartmentHead, SetPersonActive,
    SetPersonPositions, TaskFromDuty,
};
use storeops_api::org::{
    DutyGroup, DutyRegister, DutySection, DutyView, MyDuty, NextTask, OrgChart, OrgDepartment,
    OrgPosition, OrgTotals, RaciInput, RaciRole, RaciView,
};
use storeops_api::tasks::TaskView;
use storeops_domain::org::{self, DutyEdit, NewDuty, PositionEdit};
use storeops_domain::{
    self as domain, DomainError, NewTask, OrgDoc, Owner, Position, Raci, Task, kind,
};

use crate::device::{Run, parse_owner, random_id};
use crate::replica::week_key;
use crate::{ClientError, Device, Replica};

/// Names of the active people holding a position.
fn holders(org: &OrgDoc, position: &str) -> Vec<String> {
    org::holders(org, position)
        .into_iter()
        .map(|(_, p)| p.name.clone())
        .collect()
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

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub fn org_chart(org: &OrgDoc) -> OrgChart {
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
                        holder_ids: org::holders(org, pid)
                            .into_iter()
                            .map(|(id, _)| id.clone())
                            .collect(),
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
    OrgChart {
        departments,
        totals,
    }
}

fn raci_view(org: &OrgDoc, raci: &storeops_domain::Raci) -> RaciView {
    let named = |o: &Owner| Named {
        id: o.to_string(),
        name: domain::owner_name(org, o),
    };
    RaciView {
        responsible: raci.responsible.as_ref().map(named),
        accountable: raci.accountable.as_ref().map(named),
        consulted: raci.consulted.iter().map(named).collect(),
        informed: raci.informed.iter().map(named).collect(),
    }
}

/// `tasks` gives each duty's next open generated task.
pub fn duty_register(org: &OrgDoc, tasks: &[(String, Task)]) -> DutyRegister {
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
        cadence: d.cadence,
        owner: d
            .owner
            .as_ref()
            .map(|o| domain::owner_name(org, o))
            .unwrap_or_default(),
        owner_id: d.owner.as_ref().map(ToString::to_string),
        raci: d.raci.as_ref().map(|r| raci_view(org, r)),
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
    DutyRegister { groups, uncovered }
}

fn parse_raci(input: &RaciInput) -> Result<Raci, ClientError> {
    let many = |v: &[String]| {
        v.iter()
            .map(|o| parse_owner(o))
            .collect::<Result<Vec<_>, _>>()
    };
    Ok(Raci {
        responsible: input.responsible.as_deref().map(parse_owner).transpose()?,
        accountable: input.accountable.as_deref().map(parse_owner).transpose()?,
        consulted: many(&input.consulted)?,
        informed: many(&input.informed)?,
    })
}

fn check_headcount(n: u32) -> Result<u64, ClientError> {
    if (1..=50).contains(&n) {
        Ok(u64::from(n))
    } else {
        Err(ClientError::Domain(
            storeops_domain::problem::Invalid::HeadcountRange { max: 50 }.into(),
        ))
    }
}

impl Replica {
    /// The org chart with holders, vacancies and uncovered duties.
    pub fn org_chart(&self) -> Result<OrgChart, ClientError> {
        Ok(org_chart(&self.org()?))
    }

    /// Duties by department and position, with coverage and next due dates.
    pub fn duty_register(&self) -> Result<DutyRegister, ClientError> {
        let org = self.org()?;
        Ok(duty_register(&org, &self.listed_tasks(&org, None)?))
    }
}

type OrgEdit<'a> =
    Box<dyn FnOnce(&mut automerge::Automerge, &domain::Actor, i64) -> Result<(), DomainError> + 'a>;

impl Device {
    /// One change to the org document, answered with the org chart.
    fn edit_org(&self, f: OrgEdit<'_>) -> Result<OrgChart, ClientError> {
        let mut r = self.replica();
        r.change_org(f)?;
        r.org_chart()
    }

    /// One change to the org document, answered with the duty register.
    fn edit_duties(&self, f: OrgEdit<'_>) -> Result<DutyRegister, ClientError> {
        let mut r = self.replica();
        r.change_org(f)?;
        r.duty_register()
    }
}

impl Run<GetOrgChart> for Device {
    fn run(&self, _: GetOrgChart) -> Result<OrgChart, ClientError> {
        self.replica().org_chart()
    }
}

impl Run<GetDutyRegister> for Device {
    fn run(&self, _: GetDutyRegister) -> Result<DutyRegister, ClientError> {
        self.replica().duty_register()
    }
}

/// Adds a person, optionally holding a position; durable when this returns.
impl Run<AddPerson> for Device {
    fn run(&self, c: AddPerson) -> Result<String, ClientError> {
        let id = format!("person-{}", random_id()?);
        let positions: Vec<&str> = c.position.as_deref().into_iter().collect();
        let contact = c.contact.trim();
        domain::text::limits::at_most(
            storeops_domain::problem::Noun::Contact,
            contact,
            domain::text::limits::TITLE,
        )?;
        let mut r = self.replica();
        // The org chart every device reads holds no contact details; they go to
        // the contacts document only managers receive.
        r.change_org(|am, actor, now| {
            org::add_person(am, actor, &id, &c.name, "", &positions, now)
        })?;
        if !contact.is_empty() {
            r.change_period(
                kind::CONTACTS,
                domain::contacts::PERIOD,
                |am, actor, now| domain::contacts::set_contact(am, actor, &id, contact, now),
            )?;
        }
        Ok(id)
    }
}

impl Run<AddDepartment> for Device {
    fn run(&self, c: AddDepartment) -> Result<OrgChart, ClientError> {
        let id = format!("dept:{}", random_id()?);
        self.edit_org(Box::new(|am, actor, now| {
            org::add_department(am, actor, &id, &c.name, c.parent.as_deref(), now).map(|_| ())
        }))
    }
}

impl Run<RenameDepartment> for Device {
    fn run(&self, c: RenameDepartment) -> Result<OrgChart, ClientError> {
        self.edit_org(Box::new(|am, actor, now| {
            org::rename_department(am, actor, &c.department_id, &c.name, now)
        }))
    }
}

impl Run<MoveDepartment> for Device {
    fn run(&self, c: MoveDepartment) -> Result<OrgChart, ClientError> {
        self.edit_org(Box::new(|am, actor, now| {
            org::move_department(am, actor, &c.department_id, c.parent.as_deref(), now)
        }))
    }
}

impl Run<SetDepartmentHead> for Device {
    fn run(&self, c: SetDepartmentHead) -> Result<OrgChart, ClientError> {
        self.edit_org(Box::new(|am, actor, now| {
            org::set_department_head(am, actor, &c.department_id, c.position.as_deref(), now)
        }))
    }
}

impl Run<AddPosition> for Device {
    fn run(&self, c: AddPosition) -> Result<OrgChart, ClientError> {
        let id = format!("pos:{}", random_id()?);
        let position = Position {
            title: c.title.trim().to_owned(),
            department: c.department,
            reports_to: c.reports_to,
            headcount: check_headcount(c.headcount)?,
            role: None,
        };
        self.edit_org(Box::new(|am, actor, now| {
            org::add_position(am, actor, &id, position, now).map(|_| ())
        }))
    }
}

impl Run<EditPosition> for Device {
    fn run(&self, c: EditPosition) -> Result<OrgChart, ClientError> {
        let edit = PositionEdit {
            title: Some(c.title.trim().to_owned()),
            department: Some(c.department),
            reports_to: Some(c.reports_to),
            headcount: Some(check_headcount(c.headcount)?),
        };
        self.edit_org(Box::new(|am, actor, now| {
            org::edit_position(am, actor, &c.position_id, edit, now).map(|_| ())
        }))
    }
}

impl Run<SetPersonPositions> for Device {
    fn run(&self, c: SetPersonPositions) -> Result<OrgChart, ClientError> {
        let positions: Vec<&str> = c.positions.iter().map(String::as_str).collect();
        self.edit_org(Box::new(|am, actor, now| {
            org::set_person_positions(am, actor, &c.person_id, &positions, now)
        }))
    }
}

/// Marks a person as left (or back). Someone who leaves hands their open tasks to
/// their first position, or leaves them unassigned with a reason.
impl Run<SetPersonActive> for Device {
    fn run(&self, c: SetPersonActive) -> Result<OrgChart, ClientError> {
        let id = c.person_id.as_str();
        let mut r = self.replica();
        r.change_org(|am, actor, now| org::set_person_active(am, actor, id, c.active, now))?;
        if !c.active {
            let org = r.org()?;
            r.change_each_tasks_doc(|am, actor, now| {
                domain::release_tasks_of(am, &org, actor, id, now).map(|_| Vec::<()>::new())
            })?;
        }
        r.org_chart()
    }
}

impl Run<AddDuty> for Device {
    fn run(&self, c: AddDuty) -> Result<DutyRegister, ClientError> {
        let new = NewDuty {
            text: c.text.trim().to_owned(),
            owner: c.owner.as_deref().map(parse_owner).transpose()?,
            cadence: c.cadence,
            raci: c.raci.as_ref().map(parse_raci).transpose()?,
        };
        let id = format!("duty:custom-{}", random_id()?);
        self.edit_duties(Box::new(|am, actor, now| {
            org::add_duty(am, actor, &id, new, now).map(|_| ())
        }))
    }
}

impl Run<EditDuty> for Device {
    fn run(&self, c: EditDuty) -> Result<DutyRegister, ClientError> {
        let edit = DutyEdit {
            text: Some(c.text.trim().to_owned()),
            owner: Some(c.owner.as_deref().map(parse_owner).transpose()?),
            cadence: Some(c.cadence),
            raci: Some(c.raci.as_ref().map(parse_raci).transpose()?),
        };
        self.edit_duties(Box::new(|am, actor, now| {
            org::edit_duty(am, actor, &c.duty_id, edit, now).map(|_| ())
        }))
    }
}

/// An ad-hoc task for a duty's owner, in the week document of its due date.
impl Run<TaskFromDuty> for Device {
    fn run(&self, c: TaskFromDuty) -> Result<TaskView, ClientError> {
        let mut r = self.replica();
        let org_doc = r.org()?;
        let d = org_doc.duties.get(&c.duty_id).ok_or_else(|| {
            ClientError::Domain(DomainError::NotFound {
                what: storeops_domain::problem::Noun::Duty,
                id: c.duty_id.clone(),
            })
        })?;
        let due = match c.due.as_deref() {
            Some(text) => crate::device::parse_date(text)?,
            None => r.today_date(),
        };
        let new = NewTask {
            assignee: d.owner.clone(),
            due: Some(due),
            source_duty: Some(c.duty_id.clone()),
            ..NewTask::titled(d.text.clone())
        };
        let id = format!("task-{}", random_id()?);
        r.change_period(kind::TASKS, &week_key(due), |am, actor, now| {
            domain::add_task(am, actor, &id, new, now)
        })?;
        r.task_view(&id)
    }
}

/// The standing duties of this device's person, with each one's next task.
impl Run<GetMyDuties> for Device {
    fn run(&self, _: GetMyDuties) -> Result<Vec<MyDuty>, ClientError> {
        let r = self.replica();
        let org = r.org()?;
        let actor = r.actor()?;
        let tasks = r.listed_tasks(&org, None)?;
        let mine = org::my_duties(&org, &actor);
        let in_raci = |raci: &Raci| -> Option<RaciRole> {
            let me = |o: &Owner| match o {
                Owner::Person(p) => actor.person.as_deref() == Some(p.as_str()),
                Owner::Position(p) => actor.positions.contains(p),
                Owner::Department(d) => actor.departments.contains(d),
            };
            if raci.responsible.as_ref().is_some_and(me) {
                Some(RaciRole::Responsible)
            } else if raci.accountable.as_ref().is_some_and(me) {
                Some(RaciRole::Accountable)
            } else if raci.consulted.iter().any(me) {
                Some(RaciRole::Consulted)
            } else if raci.informed.iter().any(me) {
                Some(RaciRole::Informed)
            } else {
                None
            }
        };
        let mut out: Vec<MyDuty> = mine
            .iter()
            .map(|(id, d)| (id.clone(), d.clone()))
            .chain(
                org.duties
                    .iter()
                    .filter(|(id, d)| {
                        !mine.iter().any(|(m, _)| m == *id)
                            && d.raci.as_ref().and_then(in_raci).is_some()
                    })
                    .map(|(id, d)| (id.clone(), d.clone())),
            )
            .map(|(id, d)| {
                let next_task = tasks
                    .iter()
                    .filter(|(_, t)| {
                        t.source_duty.as_deref() == Some(id.as_str()) && t.status.is_open()
                    })
                    .min_by(|a, b| a.1.due.cmp(&b.1.due))
                    .map(|(tid, t)| NextTask {
                        id: tid.clone(),
                        title: t.title.clone(),
                        due: t.due.clone(),
                        status: t.status,
                    });
                let department = match &d.owner {
                    Some(Owner::Department(x)) => Some(x.clone()),
                    Some(Owner::Position(p)) => org.positions.get(p).map(|p| p.department.clone()),
                    _ => None,
                }
                .map(|x| {
                    org.departments
                        .get(&x)
                        .map_or(x.clone(), |d| d.name.clone())
                });
                MyDuty {
                    raci_role: d.raci.as_ref().and_then(in_raci),
                    cadence: d.cadence,
                    owner: d
                        .owner
                        .as_ref()
                        .map(|o| domain::owner_name(&org, o))
                        .unwrap_or_default(),
                    department,
                    text: d.text.clone(),
                    id,
                    next_task,
                }
            })
            .collect();
        out.sort_by(|a, b| (a.cadence, &a.text).cmp(&(b.cadence, &b.text)));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headcounts_are_checked() {
        assert!(check_headcount(0).is_err());
        assert!(check_headcount(51).is_err());
        assert_eq!(check_headcount(3).unwrap(), 3);
    }

    #[test]
    fn a_raci_with_a_bad_owner_is_refused() {
        let bad = RaciInput {
            responsible: Some("nobody".into()),
            ..RaciInput::default()
        };
        assert!(parse_raci(&bad).is_err());
        let good = RaciInput {
            responsible: Some("position:pos:cashier".into()),
            informed: vec!["department:dept:ops".into()],
            ..RaciInput::default()
        };
        assert!(parse_raci(&good).is_ok());
    }
}
