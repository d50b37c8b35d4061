//! Plans, meetings, problem feedback and the dashboard, as the app shows them
//! (`docs/design/app-api.md`), and the commands that change them.

use std::collections::{BTreeMap, BTreeSet};

use automerge::Automerge;
use serde::Serialize;
use storeops_domain::assessment::{self, KpiMetric, KpiReport};
use storeops_domain::calendar::Date;
use storeops_domain::feedback::{self, ReportStatus};
use storeops_domain::meetings::{self, NewMeeting};
use storeops_domain::plans::{self, Approver, NewPlan, PlanAction, PlanLevel, PlanStatus};
use storeops_domain::{self as domain, Actor, DomainError, OrgDoc, Owner, Role, Task, kind};

use crate::replica::week_key;
use crate::views::Named;
use crate::{ClientError, Device, Replica, parse_owner, random_id};

// ---------------------------------------------------------------- plans

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanBoard {
    pub year: String,
    pub can_create: bool,
    pub plans: Vec<PlanView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanView {
    pub id: String,
    pub level: &'static str,
    pub period: String,
    pub title: String,
    pub owner: String,
    pub owner_title: String,
    pub department: Option<String>,
    pub parent: Option<String>,
    pub status: &'static str,
    pub approver: String,
    pub items: Vec<PlanItemView>,
    pub reviews: Vec<ReviewView>,
    pub progress: Progress,
    pub can_edit: bool,
    pub can_review: bool,
    /// The approver may reopen an approved plan.
    pub can_reopen: bool,
    /// The owner side and the approver may comment at any time.
    pub can_comment: bool,
    pub can_schedule: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanItemView {
    pub id: String,
    pub text: String,
    pub parent_item: Option<String>,
    pub assignee_id: Option<String>,
    pub assignee: Option<String>,
    pub due: Option<String>,
    pub task_id: Option<String>,
    pub task_status: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewView {
    pub kind: &'static str,
    pub round: u64,
    pub by: String,
    pub at: i64,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub tasks: usize,
    pub done: usize,
}

fn level_str(l: PlanLevel) -> &'static str {
    match l {
        PlanLevel::Annual => "annual",
        PlanLevel::Monthly => "monthly",
        PlanLevel::Weekly => "weekly",
    }
}

fn review_kind(k: plans::ReviewKind) -> &'static str {
    use plans::ReviewKind::*;
    match k {
        Submitted => "submitted",
        Approved => "approved",
        Returned => "returned",
        Reopened => "reopened",
        Comment => "comment",
    }
}

/// The plans of `year` from every plans document of that year.
fn plans_of_year(r: &Replica, year: &str) -> Result<plans::PlansDoc, ClientError> {
    let mut all = plans::PlansDoc::default();
    for (_, doc) in r.kind_docs(kind::PLANS, |p| p == year) {
        if let Some(am) = r.arrived(&doc) {
            for (id, p) in plans::read_plans(am)?.plans {
                all.plans.entry(id).or_insert(p);
            }
        }
    }
    Ok(all)
}

fn may_act_for(org: &OrgDoc, actor: &Actor, position: &str) -> bool {
    actor.is_manager()
        && (actor.positions.iter().any(|p| p == position)
            || actor
                .require_owner_in_scope(org, &Owner::Position(position.to_owned()), "plan")
                .is_ok())
}

fn is_approver(org: &OrgDoc, actor: &Actor, plan: &plans::Plan) -> bool {
    match plans::approver(org, plan) {
        Approver::Position(p) => actor.positions.contains(&p),
        Approver::Company => actor.role == Role::Director,
    }
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
                task_status: task.map(|t| t.status.as_str()),
            }
        })
        .collect();
    let unscheduled = items.iter().any(|i| i.task_id.is_none());
    let progress = plans::plan_progress(doc, id, task_list);
    PlanView {
        id: id.to_owned(),
        level: level_str(plan.level),
        period: plan.period.clone(),
        title: plan.title.clone(),
        owner: plan.owner.clone(),
        owner_title: position_title(&plan.owner),
        department: plan
            .department
            .as_ref()
            .map(|d| org.departments.get(d).map_or(d.clone(), |x| x.name.clone())),
        parent: plan.parent.clone(),
        status: status.as_str(),
        approver: match plans::approver(org, plan) {
            Approver::Position(p) => position_title(&p),
            Approver::Company => "company".into(),
        },
        items,
        reviews: plan
            .reviews
            .iter()
            .map(|r| ReviewView {
                kind: review_kind(r.kind),
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
        can_edit: matches!(status, PlanStatus::Draft | PlanStatus::Returned)
            && may_act_for(org, actor, &plan.owner),
        can_review: status == PlanStatus::Submitted && is_approver(org, actor, plan),
        can_reopen: status == PlanStatus::Approved && is_approver(org, actor, plan),
        can_comment: is_approver(org, actor, plan) || may_act_for(org, actor, &plan.owner),
        can_schedule: plan.level == PlanLevel::Weekly
            && status == PlanStatus::Approved
            && unscheduled
            && actor
                .require_owner_in_scope(org, &Owner::Position(plan.owner.clone()), "schedule")
                .is_ok(),
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
            can_create: actor.is_manager(),
            plans,
        })
    }

    fn plan_view_of(&self, plan_id: &str) -> Result<PlanView, ClientError> {
        let doc_id = self
            .locate(kind::PLANS, "plans", plan_id)
            .ok_or_else(|| not_found("plan", plan_id))?;
        let am = self.arrived(&doc_id).ok_or(ClientError::NotSyncedYet)?;
        let year = plans::read_plans(am)?.period;
        self.plan_board_for(&year)?
            .plans
            .into_iter()
            .find(|p| p.id == plan_id)
            .ok_or_else(|| not_found("plan", plan_id))
    }
}

pub(crate) fn not_found(what: &'static str, id: &str) -> ClientError {
    ClientError::Domain(DomainError::NotFound {
        what,
        id: id.to_owned(),
    })
}

fn parse_level(level: &str) -> Result<PlanLevel, ClientError> {
    match level {
        "annual" => Ok(PlanLevel::Annual),
        "monthly" => Ok(PlanLevel::Monthly),
        "weekly" => Ok(PlanLevel::Weekly),
        other => Err(ClientError::Domain(DomainError::Invalid(format!(
            "{other:?} is not a plan level; use annual, monthly or weekly"
        )))),
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
        Err(ClientError::Domain(DomainError::Invalid(format!(
            "{period:?} is not a {} period; write it like {}",
            level_str(level),
            match level {
                PlanLevel::Annual => "2026",
                PlanLevel::Monthly => "2026-11",
                PlanLevel::Weekly => "2026-W48",
            }
        ))))
    }
}

/// The Monday of an ISO week key (`2026-W48`).
fn week_monday(week: &str) -> Option<Date> {
    let (y, w) = week.split_once("-W")?;
    let (y, w): (i32, i64) = (y.parse().ok()?, w.parse().ok()?);
    Some(Date::new(y, 1, 4)?.week_start().add_days(7 * (w - 1)))
}

/// A date as the UI sends it (`YYYY-MM-DD`).
pub(crate) fn parse_date(text: &str) -> Result<Date, ClientError> {
    text.parse::<Date>().map_err(|_| {
        ClientError::Domain(DomainError::Invalid(format!(
            "{text:?} is not a date; write it like 2026-11-30"
        )))
    })
}

/// [`parse_date`], written back in its canonical form.
pub(crate) fn check_date(text: &str) -> Result<String, ClientError> {
    parse_date(text).map(|d| d.to_string())
}

impl Device {
    /// The plans of a year (`None`: this year), as a cascade.
    pub fn plans(&self, year: Option<&str>) -> Result<PlanBoard, ClientError> {
        let r = self.replica();
        let year = match year {
            Some(y) => y.to_owned(),
            None => r.today_date().year.to_string(),
        };
        r.plan_board_for(&year)
    }

    /// Drafts a plan; durable when this returns.
    pub fn create_plan(
        &self,
        level: &str,
        period: &str,
        title: &str,
        owner: &str,
        parent: Option<&str>,
    ) -> Result<PlanView, ClientError> {
        let level = parse_level(level)?;
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
            return Err(not_found("plan", p));
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
    pub fn set_plan_item(
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
            return Err(ClientError::Domain(DomainError::Invalid(
                "a plan item needs some text".into(),
            )));
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
    pub fn review_plan(
        &self,
        plan: &str,
        action: &str,
        text: &str,
    ) -> Result<PlanView, ClientError> {
        let action = match action {
            "submit" => PlanAction::Submit,
            "approve" => PlanAction::Approve,
            "return" => PlanAction::Return,
            "reopen" => PlanAction::Reopen,
            "comment" => PlanAction::Comment,
            other => {
                return Err(ClientError::Domain(DomainError::Invalid(format!(
                    "{other:?} is not a plan action"
                ))));
            }
        };
        let review = format!("review-{}", random_id()?);
        let mut r = self.replica();
        let org = r.org()?;
        r.change_holding(kind::PLANS, "plans", plan, |am, actor, now| {
            plans::review_plan(am, &org, actor, plan, &review, action, text, now)
        })?;
        r.plan_view_of(plan)
    }

    /// Turns an approved weekly plan's items into tasks, in its week's document.
    pub fn schedule_plan(&self, plan_id: &str) -> Result<PlanView, ClientError> {
        let mut r = self.replica();
        let org = r.org()?;
        let doc = r
            .locate(kind::PLANS, "plans", plan_id)
            .ok_or_else(|| not_found("plan", plan_id))?;
        let plans_am: Automerge = r.arrived(&doc).ok_or(ClientError::NotSyncedYet)?.clone();
        let plan = plans::read_plans(&plans_am)?
            .plans
            .remove(plan_id)
            .ok_or_else(|| not_found("plan", plan_id))?;
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

// ---------------------------------------------------------------- meetings

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeetingBoard {
    pub can_create: bool,
    pub meetings: Vec<MeetingView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeetingView {
    pub id: String,
    pub title: String,
    pub date: String,
    pub department: Option<String>,
    pub attendees: Vec<Named>,
    pub agenda: Vec<AgendaView>,
    pub minutes: String,
    pub actions: Vec<ActionView>,
    pub department_reports: Vec<DepartmentReport>,
    pub can_edit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaView {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionView {
    pub id: String,
    pub text: String,
    pub owner: Option<String>,
    pub owner_id: Option<String>,
    pub due: Option<String>,
    pub task_id: Option<String>,
    pub task_status: Option<&'static str>,
}

/// A department head's numbers for a meeting's week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepartmentReport {
    pub department: String,
    pub open: usize,
    pub done: usize,
    pub overdue: usize,
}

fn department_reports(
    org: &OrgDoc,
    tasks: &[(String, Task)],
    week: Date,
    today: Date,
) -> Vec<DepartmentReport> {
    let (from, to) = (week.week_start(), week.week_start().add_days(6));
    org.departments
        .iter()
        .map(|(id, d)| {
            let mut rep = DepartmentReport {
                department: d.name.clone(),
                open: 0,
                done: 0,
                overdue: 0,
            };
            for (_, t) in tasks {
                let Some(due) = t.due_date() else { continue };
                if t.department.as_deref() != Some(id.as_str()) || due < from || due > to {
                    continue;
                }
                match t.status {
                    domain::TaskStatus::Done => rep.done += 1,
                    domain::TaskStatus::Cancelled => {}
                    _ if due < today => {
                        rep.open += 1;
                        rep.overdue += 1;
                    }
                    _ => rep.open += 1,
                }
            }
            rep
        })
        .collect()
}

fn require_host_flag(org: &OrgDoc, actor: &Actor, department: Option<&str>) -> bool {
    match department {
        Some(d) => actor.require_department(org, d, "host").is_ok(),
        None => actor.is_store_level(),
    }
}

impl Replica {
    fn meeting_board(&self) -> Result<MeetingBoard, ClientError> {
        let org = self.org()?;
        let actor = self.actor()?;
        let today = self.today_date();
        let task_list = self.all_tasks()?;
        let tasks: BTreeMap<&str, &Task> = task_list.iter().map(|(i, t)| (i.as_str(), t)).collect();
        let mut out = Vec::new();
        for (_, doc) in self.kind_docs(kind::MEETINGS, |_| true) {
            let Some(am) = self.arrived(&doc) else {
                continue;
            };
            for (id, m) in meetings::read_meetings(am)?.meetings {
                if out.iter().any(|v: &MeetingView| v.id == id) {
                    continue;
                }
                let date: Date = m.date.parse().unwrap_or(today);
                let actions = m
                    .actions
                    .iter()
                    .map(|(aid, a)| {
                        let task_id = meetings::action_task_id(&id, aid);
                        let task = tasks.get(task_id.as_str());
                        ActionView {
                            id: aid.clone(),
                            text: a.text.clone(),
                            owner: a.owner.as_ref().map(|o| domain::owner_name(&org, o)),
                            owner_id: a.owner.as_ref().map(ToString::to_string),
                            due: a.due.clone(),
                            task_id: task.map(|_| task_id.clone()),
                            task_status: task.map(|t| t.status.as_str()),
                        }
                    })
                    .collect();
                out.push(MeetingView {
                    can_edit: require_host_flag(&org, &actor, m.department.as_deref()),
                    title: m.title,
                    date: m.date,
                    department: m
                        .department
                        .as_ref()
                        .map(|d| org.departments.get(d).map_or(d.clone(), |x| x.name.clone())),
                    attendees: m
                        .attendees
                        .iter()
                        .map(|p| Named {
                            id: p.clone(),
                            name: org.people.get(p).map_or(p.clone(), |x| x.name.clone()),
                        })
                        .collect(),
                    agenda: m
                        .agenda
                        .iter()
                        .map(|a| AgendaView {
                            id: a.id.clone(),
                            text: a.text.clone(),
                        })
                        .collect(),
                    minutes: m.minutes,
                    actions,
                    department_reports: department_reports(&org, &task_list, date, today),
                    id,
                });
            }
        }
        out.sort_by(|a, b| (b.date.as_str(), &b.id).cmp(&(a.date.as_str(), &a.id)));
        Ok(MeetingBoard {
            can_create: actor.is_manager(),
            meetings: out,
        })
    }
}

impl Device {
    pub fn meetings(&self) -> Result<MeetingBoard, ClientError> {
        self.replica().meeting_board()
    }

    /// Schedules a meeting, and `repeat_weeks` more on the same weekday.
    pub fn create_meeting(
        &self,
        title: &str,
        date: &str,
        department: Option<&str>,
        attendees: &[String],
        agenda: &[String],
        repeat_weeks: u32,
    ) -> Result<MeetingBoard, ClientError> {
        if repeat_weeks > 12 {
            return Err(ClientError::Domain(DomainError::Invalid(
                "repeat a meeting for at most 12 weeks".into(),
            )));
        }
        let first = parse_date(date)?;
        let mut r = self.replica();
        let org = r.org()?;
        for n in 0..=i64::from(repeat_weeks) {
            let day = first.add_days(7 * n);
            let id = format!("meeting-{}", random_id()?);
            let new = NewMeeting {
                title: title.to_owned(),
                date: day,
                department: department.map(str::to_owned),
                attendees: attendees.to_vec(),
                agenda: agenda
                    .iter()
                    .map(|a| a.trim().to_owned())
                    .filter(|a| !a.is_empty())
                    .collect(),
            };
            let year = day.year.to_string();
            r.change_period(kind::MEETINGS, &year, |am, actor, now| {
                meetings::create_meeting(am, &org, actor, &id, new, now)
            })?;
        }
        r.meeting_board()
    }

    pub fn add_agenda_item(&self, meeting: &str, text: &str) -> Result<MeetingBoard, ClientError> {
        let item = format!("agenda-{}", random_id()?);
        let mut r = self.replica();
        let org = r.org()?;
        r.change_holding(kind::MEETINGS, "meetings", meeting, |am, actor, now| {
            meetings::add_agenda_item(am, &org, actor, meeting, &item, text, now)
        })?;
        r.meeting_board()
    }

    pub fn set_minutes(&self, meeting: &str, text: &str) -> Result<MeetingBoard, ClientError> {
        let mut r = self.replica();
        let org = r.org()?;
        r.change_holding(kind::MEETINGS, "meetings", meeting, |am, actor, now| {
            meetings::set_minutes(am, &org, actor, meeting, text, now)
        })?;
        r.meeting_board()
    }

    pub fn add_action_item(
        &self,
        meeting: &str,
        text: &str,
        owner: Option<&str>,
        due: Option<&str>,
    ) -> Result<MeetingBoard, ClientError> {
        let action = meetings::ActionItem {
            text: text.trim().to_owned(),
            owner: owner.map(parse_owner).transpose()?,
            due: due.map(check_date).transpose()?,
        };
        let id = format!("action-{}", random_id()?);
        let mut r = self.replica();
        let org = r.org()?;
        r.change_holding(kind::MEETINGS, "meetings", meeting, |am, actor, now| {
            meetings::add_action_item(am, &org, actor, meeting, &id, action, now)
        })?;
        r.meeting_board()
    }

    /// Turns a meeting's action items into tasks (in the meeting's week).
    pub fn actions_to_tasks(&self, meeting: &str) -> Result<MeetingBoard, ClientError> {
        let mut r = self.replica();
        let org = r.org()?;
        let doc = r
            .locate(kind::MEETINGS, "meetings", meeting)
            .ok_or_else(|| not_found("meeting", meeting))?;
        let meetings_am: Automerge = r.arrived(&doc).ok_or(ClientError::NotSyncedYet)?.clone();
        let m = meetings::read_meetings(&meetings_am)?
            .meetings
            .remove(meeting)
            .ok_or_else(|| not_found("meeting", meeting))?;
        let today = r.today_date();
        let day: Date = m.date.parse().unwrap_or(today);
        // Without a date an action is due a week after the meeting.
        let default_due = std::cmp::max(day.add_days(7), today);
        r.change_period(kind::TASKS, &week_key(day), |tasks_am, actor, now| {
            meetings::actions_to_tasks(
                &meetings_am,
                tasks_am,
                &org,
                actor,
                meeting,
                default_due,
                now,
            )
        })?;
        r.meeting_board()
    }
}

// ---------------------------------------------------------------- feedback

/// The categories a problem can be reported under (their names are translated by the UI).
pub const CATEGORIES: &[&str] = &[
    "stock",
    "customer",
    "equipment",
    "system",
    "staffing",
    "money",
    "marketing",
    "safety",
    "other",
];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeedbackBoard {
    pub categories: Vec<&'static str>,
    pub reports: Vec<ReportView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportView {
    pub id: String,
    pub category: String,
    pub text: String,
    pub reporter: String,
    pub mine: bool,
    pub department: Option<String>,
    pub status: &'static str,
    pub resolution: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<i64>,
    pub created_at: i64,
    pub has_photo: bool,
    pub can_handle: bool,
}

fn status_code(s: ReportStatus) -> &'static str {
    match s {
        ReportStatus::Open => "open",
        ReportStatus::InProgress => "in_progress",
        ReportStatus::Resolved => "resolved",
    }
}

fn may_handle(org: &OrgDoc, actor: &Actor, department: Option<&str>) -> bool {
    match department {
        Some(d) => actor.require_department(org, d, "handle").is_ok(),
        None => actor.is_store_level(),
    }
}

impl Replica {
    /// Every report this device's person may see, with the document holding it.
    fn reports(&self) -> Result<Vec<(feedback::Report, ReportView)>, ClientError> {
        let org = self.org()?;
        let actor = self.actor()?;
        let my_departments: BTreeSet<String> = actor
            .positions
            .iter()
            .filter_map(|p| org.positions.get(p).map(|x| x.department.clone()))
            .collect();
        let mut out: Vec<(feedback::Report, ReportView)> = Vec::new();
        for (_, doc) in self.kind_docs(kind::FEEDBACK, |_| true) {
            let Some(am) = self.arrived(&doc) else {
                continue;
            };
            for (id, rep) in feedback::read_feedback(am)?.reports {
                let mine = rep.reporter_person.is_some() && rep.reporter_person == actor.person
                    || rep.reporter_person.is_none() && rep.reporter == actor.name;
                let handle = may_handle(&org, &actor, rep.department.as_deref());
                let visible = mine
                    || handle
                    || actor.is_store_level()
                    || rep
                        .department
                        .as_ref()
                        .is_some_and(|d| my_departments.contains(d));
                if !visible || out.iter().any(|(_, v)| v.id == id) {
                    continue;
                }
                let view = ReportView {
                    has_photo: feedback::has_photo(am, &id),
                    id,
                    category: rep.category.clone(),
                    text: rep.text.clone(),
                    reporter: rep.reporter.clone(),
                    mine,
                    department: rep
                        .department
                        .as_ref()
                        .map(|d| org.departments.get(d).map_or(d.clone(), |x| x.name.clone())),
                    status: status_code(rep.status),
                    resolution: rep.resolution.clone(),
                    resolved_by: rep.resolved_by.clone(),
                    resolved_at: rep.resolved_at,
                    created_at: rep.created_at,
                    can_handle: handle,
                };
                out.push((rep, view));
            }
        }
        Ok(out)
    }

    fn feedback_board(&self) -> Result<FeedbackBoard, ClientError> {
        let mut reports: Vec<ReportView> = self.reports()?.into_iter().map(|(_, v)| v).collect();
        reports.sort_by_key(|r| (r.status == "resolved", std::cmp::Reverse(r.created_at)));
        Ok(FeedbackBoard {
            categories: CATEGORIES.to_vec(),
            reports,
        })
    }
}

/// `data:image/jpeg;base64,...` → bytes.
fn decode_data_url(url: &str) -> Result<Vec<u8>, ClientError> {
    use base64::Engine as _;
    let bad = |why: &str| ClientError::Domain(DomainError::Invalid(format!("the photo {why}")));
    let (head, data) = url
        .split_once(',')
        .ok_or_else(|| bad("is not a data URL"))?;
    if !head.starts_with("data:image/") || !head.ends_with(";base64") {
        return Err(bad("must be a base64 image data URL"));
    }
    // Refuse before decoding what could never fit.
    if data.len() > feedback::MAX_PHOTO_BYTES / 3 * 4 + 8 {
        return Err(bad(&format!(
            "is larger than {} KB",
            feedback::MAX_PHOTO_BYTES / 1024
        )));
    }
    base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|_| bad("is not valid base64"))
}

impl Device {
    pub fn feedback(&self) -> Result<FeedbackBoard, ClientError> {
        self.replica().feedback_board()
    }

    /// Reports a problem (anyone), with an optional photo as a data URL.
    pub fn report_problem(
        &self,
        category: &str,
        text: &str,
        photo: Option<&str>,
    ) -> Result<FeedbackBoard, ClientError> {
        let photo = photo.map(decode_data_url).transpose()?;
        let id = format!("report-{}", random_id()?);
        let mut r = self.replica();
        let org = r.org()?;
        let month = domain::split::period_of(kind::FEEDBACK, r.today_date())?;
        r.change_period(kind::FEEDBACK, &month, |am, actor, now| {
            feedback::report_problem_with_photo(
                am,
                &org,
                actor,
                &id,
                category,
                text,
                photo.as_deref(),
                now,
            )
        })?;
        r.feedback_board()
    }

    pub fn set_report_status(
        &self,
        report: &str,
        status: &str,
        resolution: Option<&str>,
    ) -> Result<FeedbackBoard, ClientError> {
        let status = match status {
            "open" => ReportStatus::Open,
            "in_progress" => ReportStatus::InProgress,
            "resolved" => ReportStatus::Resolved,
            other => {
                return Err(ClientError::Domain(DomainError::Invalid(format!(
                    "{other:?} is not a report status; use open, in_progress or resolved"
                ))));
            }
        };
        let mut r = self.replica();
        let org = r.org()?;
        r.change_holding(kind::FEEDBACK, "reports", report, |am, actor, now| {
            feedback::set_report_status(am, &org, actor, report, status, resolution, now)
        })?;
        r.feedback_board()
    }

    /// A report's photo as a data URL.
    pub fn report_photo(&self, report: &str) -> Result<String, ClientError> {
        use base64::Engine as _;
        let r = self.replica();
        if !r.feedback_board()?.reports.iter().any(|v| v.id == report) {
            return Err(not_found("report", report));
        }
        let doc = r
            .locate(kind::FEEDBACK, "reports", report)
            .ok_or_else(|| not_found("report", report))?;
        let am = r.arrived(&doc).ok_or(ClientError::NotSyncedYet)?;
        let bytes = feedback::report_photo(am, report).ok_or_else(|| not_found("photo", report))?;
        let mime = if bytes.starts_with(b"\x89PNG") {
            "image/png"
        } else {
            "image/jpeg"
        };
        Ok(format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ))
    }
}

// ---------------------------------------------------------------- dashboard

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    pub weeks: Vec<String>,
    pub departments: Vec<DepartmentSeries>,
    pub people: Vec<PersonRates>,
    pub coverage: CoverageSummary,
    pub plans: Vec<PlanShare>,
    pub kpis: Vec<KpiView>,
    pub feedback: FeedbackCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DepartmentSeries {
    pub id: String,
    pub name: String,
    pub completion: Vec<Option<f64>>,
    pub on_time: Vec<Option<f64>>,
    pub open: usize,
    pub overdue: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonRates {
    pub id: String,
    pub name: String,
    pub department: Option<String>,
    pub completion: Option<f64>,
    pub on_time: Option<f64>,
    pub overdue: usize,
    pub done: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageSummary {
    pub duties: usize,
    pub covered: usize,
    pub uncovered: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanShare {
    pub id: String,
    pub title: String,
    pub level: &'static str,
    pub status: &'static str,
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiView {
    pub name: String,
    pub owner: String,
    pub target: f64,
    pub value: Option<f64>,
    pub unit: &'static str,
    pub higher_is_better: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeedbackCounts {
    pub open: usize,
    pub in_progress: usize,
    pub resolved: usize,
    pub mean_hours_to_resolve: Option<f64>,
}

impl Replica {
    fn dashboard(&self, weeks: usize) -> Result<Dashboard, ClientError> {
        let actor = self.actor()?;
        actor.require_manager("see the dashboard")?;
        let org = self.org()?;
        let today = self.today_date();
        let offset = self.utc_offset();
        let tasks = self.all_tasks()?;
        let weeks = weeks.clamp(1, crate::replica::TASK_WEEKS_BACK as usize + 1);
        let this_monday = today.week_start();
        let mondays: Vec<Date> = (0..weeks)
            .rev()
            .map(|n| this_monday.add_days(-7 * n as i64))
            .collect();
        let reports: Vec<KpiReport> = mondays
            .iter()
            .map(|m| assessment::task_kpis(&tasks, &org, *m, m.add_days(6), offset))
            .collect();
        let window = assessment::task_kpis(&tasks, &org, mondays[0], today, offset);
        let is_overdue = |t: &Task| t.status.is_open() && t.due_date().is_some_and(|d| d < today);
        let scope = if actor.is_store_level() {
            None
        } else {
            Some(actor.scope_departments(&org))
        };
        let in_scope = |d: &str| scope.as_ref().is_none_or(|s| s.contains(d));
        let departments = org
            .departments
            .iter()
            .filter(|(id, _)| in_scope(id))
            .map(|(id, d)| {
                let of_dept = |t: &&Task| t.department.as_deref() == Some(id.as_str());
                DepartmentSeries {
                    id: id.clone(),
                    name: d.name.clone(),
                    completion: reports
                        .iter()
                        .map(|r| r.by_department.get(id).and_then(|x| x.completion_rate()))
                        .collect(),
                    on_time: reports
                        .iter()
                        .map(|r| r.by_department.get(id).and_then(|x| x.on_time_rate()))
                        .collect(),
                    open: tasks
                        .iter()
                        .map(|(_, t)| t)
                        .filter(of_dept)
                        .filter(|t| t.status.is_open())
                        .count(),
                    overdue: tasks
                        .iter()
                        .map(|(_, t)| t)
                        .filter(of_dept)
                        .filter(|t| is_overdue(t))
                        .count(),
                }
            })
            .collect();
        let people = org
            .people
            .iter()
            .filter(|(_, p)| p.active)
            .filter_map(|(id, p)| {
                let dept = p
                    .held_positions()
                    .first()
                    .and_then(|pos| org.positions.get(*pos))
                    .map(|pos| pos.department.clone());
                if !dept.as_deref().is_none_or(in_scope) {
                    return None;
                }
                let rates = window.by_person.get(id).copied().unwrap_or_default();
                let mine = |t: &Task| matches!(&t.assignee, Some(Owner::Person(x)) if x == id);
                Some(PersonRates {
                    id: id.clone(),
                    name: p.name.clone(),
                    department: dept.and_then(|d| org.departments.get(&d).map(|x| x.name.clone())),
                    completion: rates.completion_rate(),
                    on_time: rates.on_time_rate(),
                    overdue: tasks
                        .iter()
                        .filter(|(_, t)| mine(t) && is_overdue(t))
                        .count(),
                    done: rates.done,
                })
            })
            .collect();
        let cov = domain::org::coverage(&org, &tasks);
        let duties: usize = org.duties.len();
        let mut uncovered: Vec<String> = cov
            .duties_without_owner
            .iter()
            .chain(&cov.duties_without_holder)
            .map(|d| org.duties.get(d).map_or(d.clone(), |x| x.text.clone()))
            .collect();
        uncovered.sort();
        uncovered.dedup();
        let year = today.year.to_string();
        let plan_doc = plans_of_year(self, &year)?;
        let plans = plan_doc
            .plans
            .iter()
            .map(|(id, p)| PlanShare {
                id: id.clone(),
                title: p.title.clone(),
                level: level_str(p.level),
                status: p.status().as_str(),
                share: plans::plan_progress(&plan_doc, id, &tasks).share(),
            })
            .collect();
        let month = format!("{}-{:02}", today.year, today.month);
        let month_report = assessment::task_kpis(
            &tasks,
            &org,
            Date::new(today.year, today.month, 1).unwrap_or(today),
            today,
            offset,
        );
        let mut kpis = Vec::new();
        for (_, doc) in self.kind_docs(kind::ASSESSMENT, |p| p == year) {
            let Some(am) = self.arrived(&doc) else {
                continue;
            };
            for (_, k) in assessment::read_assessment(am)?.kpis {
                let rate = !matches!(k.metric, KpiMetric::Manual);
                kpis.push(KpiView {
                    value: assessment::kpi_value(&k, &month_report, &month),
                    owner: domain::owner_name(&org, &k.subject),
                    name: k.name,
                    target: k.target,
                    unit: if rate { "%" } else { "" },
                    higher_is_better: true,
                });
            }
        }
        let mut fb = FeedbackCounts {
            open: 0,
            in_progress: 0,
            resolved: 0,
            mean_hours_to_resolve: None,
        };
        let mut hours = Vec::new();
        for (rep, _) in self.reports()? {
            match rep.status {
                ReportStatus::Open => fb.open += 1,
                ReportStatus::InProgress => fb.in_progress += 1,
                ReportStatus::Resolved => {
                    fb.resolved += 1;
                    if let Some(at) = rep.resolved_at {
                        hours.push((at - rep.created_at) as f64 / 3_600_000.0);
                    }
                }
            }
        }
        if !hours.is_empty() {
            fb.mean_hours_to_resolve = Some(hours.iter().sum::<f64>() / hours.len() as f64);
        }
        Ok(Dashboard {
            weeks: mondays.iter().map(|m| week_key(*m)).collect(),
            departments,
            people,
            coverage: CoverageSummary {
                duties,
                covered: duties.saturating_sub(uncovered.len()),
                uncovered,
            },
            plans,
            kpis,
            feedback: fb,
        })
    }
}

impl Device {
    /// Rates over the last `weeks` weeks, coverage, plans, KPIs and feedback (managers).
    pub fn dashboard(&self, weeks: usize) -> Result<Dashboard, ClientError> {
        self.replica().dashboard(weeks)
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

    #[test]
    fn a_photo_must_be_a_base64_image_data_url() {
        assert_eq!(
            decode_data_url("data:image/jpeg;base64,/9j/").unwrap(),
            vec![0xff, 0xd8, 0xff]
        );
        for bad in [
            "",
            "data:text/plain;base64,AAAA",
            "data:image/png,AAAA",
            "data:image/png;base64,***",
        ] {
            assert!(decode_data_url(bad).is_err(), "{bad}");
        }
        let huge = format!("data:image/jpeg;base64,{}", "A".repeat(500_000));
        assert!(decode_data_url(&huge).is_err());
    }
}
