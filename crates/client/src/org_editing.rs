//! Editing the org chart and the duty register, and each person's own duties
//! (`docs/design/app-api.md`).

use serde::{Deserialize, Serialize};
use storeops_domain::org::{self, DutyEdit, NewDuty, PositionEdit};
use storeops_domain::{self as domain, Cadence, DomainError, NewTask, Owner, Position, Raci, kind};

use crate::replica::week_key;
use crate::views::{DutyRegister, OrgChart, TaskView};
use crate::{ClientError, Device, parse_owner, random_id};

/// A RACI assignment as the UI sends it: owner strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct RaciInput {
    #[serde(default)]
    pub responsible: Option<String>,
    #[serde(default)]
    pub accountable: Option<String>,
    #[serde(default)]
    pub consulted: Vec<String>,
    #[serde(default)]
    pub informed: Vec<String>,
}

impl RaciInput {
    fn parse(&self) -> Result<Raci, ClientError> {
        let many = |v: &[String]| {
            v.iter()
                .map(|o| parse_owner(o))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(Raci {
            responsible: self.responsible.as_deref().map(parse_owner).transpose()?,
            accountable: self.accountable.as_deref().map(parse_owner).transpose()?,
            consulted: many(&self.consulted)?,
            informed: many(&self.informed)?,
        })
    }
}

fn parse_cadence(text: &str) -> Result<Cadence, ClientError> {
    Ok(match text {
        "daily" => Cadence::Daily,
        "weekly" => Cadence::Weekly,
        "monthly" => Cadence::Monthly,
        "quarterly" => Cadence::Quarterly,
        "yearly" => Cadence::Yearly,
        "as_needed" => Cadence::AsNeeded,
        other => {
            return Err(ClientError::Domain(DomainError::Invalid(format!(
                "{other:?} is not a cadence; use daily, weekly, monthly, quarterly, yearly or as_needed"
            ))));
        }
    })
}

fn check_headcount(n: u32) -> Result<u64, ClientError> {
    if (1..=50).contains(&n) {
        Ok(u64::from(n))
    } else {
        Err(ClientError::Domain(DomainError::Invalid(
            "a position's headcount is 1 to 50".into(),
        )))
    }
}

/// One of my standing duties, with the next task it has generated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MyDuty {
    pub id: String,
    pub text: String,
    pub cadence: &'static str,
    pub owner: String,
    pub department: Option<String>,
    pub raci_role: Option<&'static str>,
    pub next_task: Option<NextTask>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextTask {
    pub id: String,
    pub title: String,
    pub due: Option<String>,
    pub status: &'static str,
}

impl Device {
    fn edit_org(
        &self,
        f: impl FnOnce(&mut automerge::Automerge, &domain::Actor, i64) -> Result<(), DomainError>,
    ) -> Result<OrgChart, ClientError> {
        let mut r = self.replica();
        r.change_org(f)?;
        r.org_chart()
    }

    fn edit_duties(
        &self,
        f: impl FnOnce(&mut automerge::Automerge, &domain::Actor, i64) -> Result<(), DomainError>,
    ) -> Result<DutyRegister, ClientError> {
        let mut r = self.replica();
        r.change_org(f)?;
        r.duty_register()
    }

    pub fn add_department(
        &self,
        name: &str,
        parent: Option<&str>,
    ) -> Result<OrgChart, ClientError> {
        let id = format!("dept:{}", random_id()?);
        self.edit_org(|am, actor, now| {
            org::add_department(am, actor, &id, name, parent, now).map(|_| ())
        })
    }

    pub fn rename_department(&self, id: &str, name: &str) -> Result<OrgChart, ClientError> {
        self.edit_org(|am, actor, now| org::rename_department(am, actor, id, name, now))
    }

    pub fn move_department(&self, id: &str, parent: Option<&str>) -> Result<OrgChart, ClientError> {
        self.edit_org(|am, actor, now| org::move_department(am, actor, id, parent, now))
    }

    pub fn set_department_head(
        &self,
        id: &str,
        position: Option<&str>,
    ) -> Result<OrgChart, ClientError> {
        self.edit_org(|am, actor, now| org::set_department_head(am, actor, id, position, now))
    }

    pub fn add_position(
        &self,
        department: &str,
        title: &str,
        reports_to: Option<&str>,
        headcount: u32,
    ) -> Result<OrgChart, ClientError> {
        let id = format!("pos:{}", random_id()?);
        let position = Position {
            title: title.trim().to_owned(),
            department: department.to_owned(),
            reports_to: reports_to.map(str::to_owned),
            headcount: check_headcount(headcount)?,
        };
        self.edit_org(|am, actor, now| org::add_position(am, actor, &id, position, now).map(|_| ()))
    }

    pub fn edit_position(
        &self,
        id: &str,
        title: &str,
        department: &str,
        reports_to: Option<&str>,
        headcount: u32,
    ) -> Result<OrgChart, ClientError> {
        let edit = PositionEdit {
            title: Some(title.trim().to_owned()),
            department: Some(department.to_owned()),
            reports_to: Some(reports_to.map(str::to_owned)),
            headcount: Some(check_headcount(headcount)?),
        };
        self.edit_org(|am, actor, now| org::edit_position(am, actor, id, edit, now).map(|_| ()))
    }

    pub fn set_person_positions(
        &self,
        id: &str,
        positions: &[String],
    ) -> Result<OrgChart, ClientError> {
        let positions: Vec<&str> = positions.iter().map(String::as_str).collect();
        self.edit_org(|am, actor, now| org::set_person_positions(am, actor, id, &positions, now))
    }

    /// Marks a person as left (or back). Someone who leaves hands their open
    /// tasks to their first position, or leaves them unassigned with a reason.
    pub fn set_person_active(&self, id: &str, active: bool) -> Result<OrgChart, ClientError> {
        let mut r = self.replica();
        r.change_org(|am, actor, now| org::set_person_active(am, actor, id, active, now))?;
        if !active {
            let org = r.org()?;
            r.change_each_tasks_doc(|am, actor, now| {
                domain::release_tasks_of(am, &org, actor, id, now).map(|_| Vec::<()>::new())
            })?;
        }
        r.org_chart()
    }

    pub fn add_duty(
        &self,
        text: &str,
        owner: Option<&str>,
        cadence: &str,
        raci: Option<&RaciInput>,
    ) -> Result<DutyRegister, ClientError> {
        let new = NewDuty {
            text: text.trim().to_owned(),
            owner: owner.map(parse_owner).transpose()?,
            cadence: parse_cadence(cadence)?,
            raci: raci.map(RaciInput::parse).transpose()?,
        };
        let id = format!("duty:custom-{}", random_id()?);
        self.edit_duties(|am, actor, now| org::add_duty(am, actor, &id, new, now).map(|_| ()))
    }

    pub fn edit_duty(
        &self,
        id: &str,
        text: &str,
        owner: Option<&str>,
        cadence: &str,
        raci: Option<&RaciInput>,
    ) -> Result<DutyRegister, ClientError> {
        let edit = DutyEdit {
            text: Some(text.trim().to_owned()),
            owner: Some(owner.map(parse_owner).transpose()?),
            cadence: Some(parse_cadence(cadence)?),
            raci: Some(raci.map(RaciInput::parse).transpose()?),
        };
        self.edit_duties(|am, actor, now| org::edit_duty(am, actor, id, edit, now).map(|_| ()))
    }

    /// An ad-hoc task for a duty's owner, in the week document of its due date.
    pub fn task_from_duty(&self, duty: &str, due: Option<&str>) -> Result<TaskView, ClientError> {
        let mut r = self.replica();
        let org_doc = r.org()?;
        let d = org_doc.duties.get(duty).ok_or_else(|| {
            ClientError::Domain(DomainError::NotFound {
                what: "duty",
                id: duty.to_owned(),
            })
        })?;
        let due = match due {
            Some(text) => crate::boards::parse_date(text)?,
            None => r.today_date(),
        };
        let new = NewTask {
            assignee: d.owner.clone(),
            due: Some(due),
            source_duty: Some(duty.to_owned()),
            ..NewTask::titled(d.text.clone())
        };
        let id = format!("task-{}", random_id()?);
        r.change_period(kind::TASKS, &week_key(due), |am, actor, now| {
            domain::add_task(am, actor, &id, new, now)
        })?;
        r.task_view(&id)
    }

    /// The standing duties of this device's person, with each one's next task.
    pub fn my_duties(&self) -> Result<Vec<MyDuty>, ClientError> {
        let r = self.replica();
        let org = r.org()?;
        let actor = r.actor()?;
        let tasks = r.listed_tasks(&org, None)?;
        let mine = org::my_duties(&org, &actor);
        let in_raci = |raci: &Raci| -> Option<&'static str> {
            let me = |o: &Owner| match o {
                Owner::Person(p) => actor.person.as_deref() == Some(p.as_str()),
                Owner::Position(p) => actor.positions.contains(p),
                Owner::Department(d) => actor.departments.contains(d),
            };
            if raci.responsible.as_ref().is_some_and(me) {
                Some("responsible")
            } else if raci.accountable.as_ref().is_some_and(me) {
                Some("accountable")
            } else if raci.consulted.iter().any(me) {
                Some("consulted")
            } else if raci.informed.iter().any(me) {
                Some("informed")
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
                        status: t.status.as_str(),
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
                    cadence: crate::views::cadence_name(d.cadence),
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
    fn cadences_and_headcounts_are_checked() {
        assert!(parse_cadence("weekly").is_ok());
        assert!(parse_cadence("hourly").is_err());
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
        assert!(bad.parse().is_err());
        let good = RaciInput {
            responsible: Some("position:pos:cashier".into()),
            informed: vec!["department:dept:ops".into()],
            ..RaciInput::default()
        };
        assert!(good.parse().is_ok());
    }
}
