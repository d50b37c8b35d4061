//! The planning cascade: annual, monthly and weekly plans, their items and reviews,
//! and turning an approved weekly plan into tasks.

use std::collections::BTreeMap;

use automerge::Automerge;
use storeops_api::command::{CreatePlan, GetPlans, ReviewPlan, SchedulePlan, SetPlanItem};
use storeops_api::plans::{PlanBoard, PlanItemView, PlanView, Progress, ReviewView};
use storeops_domain::calendar::Date;
use storeops_domain::plans::{self, Approver, NewPlan, PlanAction, PlanLevel};
use storeops_domain::problem::Invalid;
use storeops_domain::{self as domain, Actor, OrgDoc, Task, kind};

use crate::device::{Run, check_date, not_found, parse_owner, random_id};
use crate::replica::week_key;
use crate::{ClientError, Device, Replica};

/// The plans of `year` from every plans document of that year.
pub(crate) fn plans_of_year(r: &Replica, year: &str) -> Result<plans::PlansDoc, ClientError> {
    let mut all = plans::PlansDoc::default();
    for (_, doc) in r.kind_docs(kind::PLANS, |p| p == year) {
        if let Some(read) = r.read_noted(doc, plans::read_plans)? {
            all.plans.merge(read.plans);
        }
    }
    Ok(all)
}

fn plan_view(
    id: &str,
    plan: &plans::Plan,
    doc: &plans::PlansDoc,
    org: &OrgDoc,
    actor: &Actor,
    tasks: &BTreeMap<String, Task>,
    task_list: &[(String, Task)],
) -> PlanView {
    let status = plan.status();
    let may = plans::permissions(org, actor, plan);
    let position_title = |p: &str| {
        org.positions
            .get(p)
            .map_or(p.to_owned(), |x| x.title.clone())
    };
    let items: Vec<PlanItemView> = plan
        .items
        .iter()
        .map(|(item_id, item)| {
            let task_id = plans::plan_task_id(id, item_id);
            let task = tasks.get(&task_id);
            PlanItemView {
                id: item_id.clone(),
                text: item.text.clone(),
                parent_item: item.parent_item.clone(),
                assignee_id: item.assignee.as_ref().map(ToString::to_string),
                assignee: item.assignee.as_ref().map(|o| domain::owner_name(org, o)),
                due: item.due.clone(),
                task_id: task.map(|_| task_id),
                task_status: task.map(|t| t.status),
            }
        })
        .collect();
    let unscheduled = items.iter().any(|i| i.task_id.is_none());
    let progress = plans::plan_progress(doc, id, task_list);
    PlanView {
        id: id.to_owned(),
        level: plan.level,
        period: plan.period.clone(),
        title: plan.title.clone(),
        owner: plan.owner.clone(),
        owner_title: position_title(&plan.owner),
        department: plan
            .department
            .as_ref()
            .map(|d| org.departments.get(d).map_or(d.clone(), |x| x.name.clone())),
        parent: plan.parent.clone(),
        status,
        approver: match plans::approver(org, plan) {
            Approver::Position(p) => position_title(&p),
            Approver::Company => "company".into(),
        },
        items,
        reviews: plan
            .reviews
            .iter()
            .map(|r| ReviewView {
                kind: r.kind,
                round: r.round,
                by: r.by.clone(),
                at: r.at,
                text: r.text.clone(),
            })
            .collect(),
        progress: Progress {
            tasks: progress.tasks,
            done: progress.done,
        },
        can_edit: may.edit,
        can_review: may.review,
        can_reopen: may.reopen,
        can_comment: may.comment,
        // Nothing to schedule once every item is a task.
        can_schedule: may.schedule && unscheduled,
    }
}

impl Replica {
    fn plan_board_for(&self, year: &str) -> Result<PlanBoard, ClientError> {
        let org = self.org()?;
        let actor = self.actor()?;
        let doc = plans_of_year(self, year)?;
        let task_list = self.all_tasks()?;
        let tasks: BTreeMap<String, Task> = task_list.iter().cloned().collect();
        let mut plans: Vec<PlanView> = doc
            .plans
            .iter()
            .map(|(id, p)| plan_view(id, p, &doc, &org, &actor, &tasks, &task_list))
            .collect();
        plans.sort_by(|a, b| (a.period.as_str(), &a.title).cmp(&(b.period.as_str(), &b.title)));
        Ok(PlanBoard {
            year: year.to_owned(),
            can_create: plans::may_create_plans(&org, &actor),
            plans,
        })
    }

    fn plan_view_of(&self, plan_id: &str) -> Result<PlanView, ClientError> {
        let doc_id = self
            .locate(kind::PLANS, "plans", plan_id)
            .ok_or_else(|| not_found(storeops_domain::problem::Noun::Plan, plan_id))?;
        let am = self.arrived(&doc_id).ok_or(ClientError::NotSyncedYet)?;
        let year = plans::read_plans(am)?.period;
        self.plan_board_for(&year)?
            .plans
            .into_iter()
            .find(|p| p.id == plan_id)
            .ok_or_else(|| not_found(storeops_domain::problem::Noun::Plan, plan_id))
    }
}

/// Checks a plan period against its level: `2026`, `2026-11` or `2026-W48`.
fn check_period(level: PlanLevel, period: &str) -> Result<(), ClientError> {
    let b = period.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let ok = match level {
        PlanLevel::Annual => b.len() == 4 && digits(0..4),
        PlanLevel::Monthly => {
            b.len() == 7
                && digits(0..4)
                && b[4] == b'-'
                && digits(5..7)
                && (1..=12).contains(&period[5..7].parse::<u32>().unwrap_or(0))
        }
        PlanLevel::Weekly => {
            b.len() == 8
                && digits(0..4)
                && &period[4..6] == "-W"
                && digits(6..8)
                && (1..=53).contains(&period[6..8].parse::<u32>().unwrap_or(0))
        }
    };
    if ok {
        Ok(())
    } else {
        Err(ClientError::Domain(
            Invalid::NotAPeriod {
                text: period.into(),
                level,
                example: match level {
                    PlanLevel::Annual => "2026",
                    PlanLevel::Monthly => "2026-11",
                    PlanLevel::Weekly => "2026-W48",
                }
                .into(),
            }
            .into(),
        ))
    }
}

/// The Monday of an ISO week key (`2026-W48`).
fn week_monday(week: &str) -> Option<Date> {
    let (y, w) = week.split_once("-W")?;
    let (y, w): (i32, i64) = (y.parse().ok()?, w.parse().ok()?);
    Some(Date::new(y, 1, 4)?.week_start().add_days(7 * (w - 1)))
}

impl Device {
    /// The plans of a year (`None`: this year), as a cascade.
    fn plans(&self, year: Option<&str>) -> Result<PlanBoard, ClientError> {
        let r = self.replica();
        let year = match year {
            Some(y) => y.to_owned(),
            None => r.today_date().year.to_string(),
        };
        r.plan_board_for(&year)
    }

    /// Drafts a plan; durable when this returns.
    fn create_plan(
        &self,
        level: PlanLevel,
        period: &str,
        title: &str,
        owner: &str,
        parent: Option<&str>,
    ) -> Result<PlanView, ClientError> {
        let period = period.trim();
        check_period(level, period)?;
        let id = format!("plan-{}", random_id()?);
        let mut r = self.replica();
        let org = r.org()?;
        let new = NewPlan {
            level,
            period: period.to_owned(),
            title: title.to_owned(),
            owner: owner.to_owned(),
            parent: parent.map(str::to_owned),
        };
        if let Some(p) = parent
            && r.locate(kind::PLANS, "plans", p).is_none()
        {
            return Err(not_found(storeops_domain::problem::Noun::Plan, p));
        }
        // A plan lives in its year's document, with its parent when that is
        // elsewhere (parent and child must be read together).
        let year = &period[..4];
        let doc = match parent.and_then(|p| r.locate(kind::PLANS, "plans", p)) {
            Some(d) => d,
            None => r.period_doc_for_write(kind::PLANS, year)?,
        };
        r.change_doc(doc, |am, actor, now| {
            plans::create_plan(am, &org, actor, &id, new, now)
        })?;
        r.plan_view_of(&id)
    }

    /// Adds (`item: None`) or rewrites an item of a draft or returned plan.
    #[allow(clippy::too_many_arguments)]
    fn set_plan_item(
        &self,
        plan: &str,
        item: Option<&str>,
        text: &str,
        assignee: Option<&str>,
        due: Option<&str>,
        parent_item: Option<&str>,
    ) -> Result<PlanView, ClientError> {
        let item_id = match item {
            Some(i) => i.to_owned(),
            None => format!("item-{}", random_id()?),
        };
        let assignee = assignee.map(parse_owner).transpose()?;
        let due = due.map(check_date).transpose()?;
        if text.trim().is_empty() {
            return Err(ClientError::Domain(
                Invalid::NeedsText {
                    what: storeops_domain::problem::Noun::PlanItem,
                }
                .into(),
            ));
        }
        let mut r = self.replica();
        let org = r.org()?;
        let value = plans::PlanItem {
            text: text.trim().to_owned(),
            parent_item: parent_item.map(str::to_owned),
            assignee,
            due,
        };
        r.change_holding(kind::PLANS, "plans", plan, |am, actor, now| {
            plans::set_plan_item(am, &org, actor, plan, &item_id, value, now)
        })?;
        r.plan_view_of(plan)
    }

    /// Submits, approves, returns, reopens or comments on a plan.
    fn review_plan(
        &self,
        plan: &str,
        action: PlanAction,
        text: &str,
    ) -> Result<PlanView, ClientError> {
        let review = format!("review-{}", random_id()?);
        let mut r = self.replica();
        let org = r.org()?;
        r.change_holding(kind::PLANS, "plans", plan, |am, actor, now| {
            plans::review_plan(am, &org, actor, plan, &review, action, text, now)
        })?;
        r.plan_view_of(plan)
    }

    /// Turns an approved weekly plan's items into tasks, in its week's document.
    fn schedule_plan(&self, plan_id: &str) -> Result<PlanView, ClientError> {
        let mut r = self.replica();
        let org = r.org()?;
        let doc = r
            .locate(kind::PLANS, "plans", plan_id)
            .ok_or_else(|| not_found(storeops_domain::problem::Noun::Plan, plan_id))?;
        let plans_am: Automerge = r.arrived(&doc).ok_or(ClientError::NotSyncedYet)?.clone();
        let plan = plans::read_plans(&plans_am)?
            .plans
            .remove(plan_id)
            .ok_or_else(|| not_found(storeops_domain::problem::Noun::Plan, plan_id))?;
        let monday = week_monday(&plan.period).unwrap_or_else(|| r.today_date().week_start());
        // Undated items are due on the week's Friday, or today if that has passed.
        let default_due = std::cmp::max(monday.add_days(4), r.today_date());
        let week = week_key(monday);
        r.change_period(kind::TASKS, &week, |tasks_am, actor, now| {
            plans::plan_to_tasks(&plans_am, tasks_am, &org, actor, plan_id, default_due, now)
        })?;
        r.plan_view_of(plan_id)
    }
}

impl Run<GetPlans> for Device {
    fn run(&self, c: GetPlans) -> Result<PlanBoard, ClientError> {
        self.plans(c.year.as_deref())
    }
}

impl Run<CreatePlan> for Device {
    fn run(&self, c: CreatePlan) -> Result<PlanView, ClientError> {
        self.create_plan(c.level, &c.period, &c.title, &c.owner, c.parent.as_deref())
    }
}

impl Run<SetPlanItem> for Device {
    fn run(&self, c: SetPlanItem) -> Result<PlanView, ClientError> {
        self.set_plan_item(
            &c.plan_id,
            c.item_id.as_deref(),
            &c.text,
            c.assignee.as_deref(),
            c.due.as_deref(),
            c.parent_item.as_deref(),
        )
    }
}

impl Run<ReviewPlan> for Device {
    fn run(&self, c: ReviewPlan) -> Result<PlanView, ClientError> {
        self.review_plan(&c.plan_id, c.action, &c.text)
    }
}

impl Run<SchedulePlan> for Device {
    fn run(&self, c: SchedulePlan) -> Result<PlanView, ClientError> {
        self.schedule_plan(&c.plan_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_periods_are_checked_against_their_level() {
        for (level, good, bad) in [
            (PlanLevel::Annual, "2026", "26"),
            (PlanLevel::Monthly, "2026-11", "2026-13"),
            (PlanLevel::Weekly, "2026-W48", "2026-W60"),
        ] {
            assert!(check_period(level, good).is_ok());
            assert!(check_period(level, bad).is_err());
            assert!(check_period(level, "").is_err());
        }
    }

    #[test]
    fn a_week_key_names_its_monday() {
        let monday = week_monday("2026-W48").unwrap();
        assert_eq!(monday.to_string(), "2026-11-23");
        assert_eq!(week_key(monday), "2026-W48");
        assert_eq!(week_monday("2026-48"), None);
    }
}
