//! The planning cascade: annual → monthly → weekly plans, each approved by the
//! position its owner reports to, and approved weekly plans turned into tasks.
//!
//! A plan's status is not a stored field: it is derived from its review log (a
//! list of events, each with the submission round it belongs to), so devices
//! deciding apart cannot lose a decision or a comment:
//!
//! | events of the latest round | status |
//! |---|---|
//! | no submission yet | draft |
//! | a `reopened` | draft |
//! | a `returned` (even with a concurrent `approved`) | returned |
//! | an `approved` | approved |
//! | only `submitted` | submitted |
//!
//! So an approval and a return made offline at the same time end as
//! **returned** on every replica — nothing counts as approved that a reviewer
//! objected to — and both comments stay in the log. Submitting again starts
//! the next round.

use crate::problem::{Action, Hint, Invalid, Needed, Noun};
use std::collections::{BTreeMap, BTreeSet};

use automerge::{Automerge, ReadDoc};
use autosurgeon::{Hydrate, Reconcile, hydrate, reconcile_insert, reconcile_prop};

use crate::access::Actor;
use crate::calendar::Date;
use crate::documents::{Owner, Priority, SCHEMA_VERSION, Task};
use crate::tasks::{check_owner, child_map, list_in, tasks_obj, write_new_tasks};
use crate::unreadable::{Entities, Entity};
use crate::{DomainError, Role, transact};

/// One year of plans (`period` = `2026`).
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct PlansDoc {
    pub schema: u64,
    pub period: String,
    pub plans: Entities<Plan>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum PlanLevel {
    #[autosurgeon(rename = "annual")]
    Annual,
    #[autosurgeon(rename = "monthly")]
    Monthly,
    #[autosurgeon(rename = "weekly")]
    Weekly,
}

impl PlanLevel {
    /// The levels of the cascade, top first.
    pub const ALL: [PlanLevel; 3] = [Self::Annual, Self::Monthly, Self::Weekly];

    /// The level a plan of this level breaks down: an annual plan breaks down none.
    pub fn parent_level(self) -> Option<Self> {
        match self {
            Self::Annual => None,
            Self::Monthly => Some(Self::Annual),
            Self::Weekly => Some(Self::Monthly),
        }
    }
}

impl PlanLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Annual => "annual",
            Self::Monthly => "monthly",
            Self::Weekly => "weekly",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Plan {
    pub level: PlanLevel,
    /// `2026`, `2026-11` or `2026-W48`.
    pub period: String,
    #[autosurgeon(hydrate = "crate::text::string")]
    pub title: String,
    /// The position that owns the plan; it reports to the approver.
    pub owner: String,
    pub department: Option<String>,
    /// The plan this one breaks down.
    pub parent: Option<String>,
    pub items: BTreeMap<String, PlanItem>,
    /// Submissions, decisions and comments, in order.
    pub reviews: Vec<Review>,
    pub created_by: String,
    pub created_at: i64,
}

impl Entity for Plan {
    const KIND: &'static str = "plan";
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct PlanItem {
    #[autosurgeon(hydrate = "crate::text::string")]
    pub text: String,
    /// The parent plan's item this one serves (its id in the parent plan).
    pub parent_item: Option<String>,
    pub assignee: Option<Owner>,
    /// `YYYY-MM-DD`.
    pub due: Option<String>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ReviewKind {
    #[autosurgeon(rename = "submitted")]
    Submitted,
    #[autosurgeon(rename = "approved")]
    Approved,
    #[autosurgeon(rename = "returned")]
    Returned,
    #[autosurgeon(rename = "reopened")]
    Reopened,
    #[autosurgeon(rename = "comment")]
    Comment,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Review {
    #[key]
    pub id: String,
    pub kind: ReviewKind,
    /// The submission round the event belongs to (1 for the first submission).
    pub round: u64,
    pub by: String,
    pub at: i64,
    #[autosurgeon(hydrate = "crate::text::string")]
    pub text: String,
}

impl std::fmt::Display for PlanLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Draft,
    Submitted,
    Approved,
    Returned,
}

impl PlanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Returned => "returned",
        }
    }
}

impl Plan {
    /// The current submission round (0 before the first submission).
    pub fn round(&self) -> u64 {
        self.reviews
            .iter()
            .filter(|r| r.kind == ReviewKind::Submitted)
            .map(|r| r.round)
            .max()
            .unwrap_or(0)
    }

    /// The status derived from the review log (see the module docs).
    pub fn status(&self) -> PlanStatus {
        let round = self.round();
        if round == 0 {
            return PlanStatus::Draft;
        }
        let kinds: Vec<ReviewKind> = self
            .reviews
            .iter()
            .filter(|r| r.round == round)
            .map(|r| r.kind)
            .collect();
        if kinds.contains(&ReviewKind::Reopened) {
            PlanStatus::Draft
        } else if kinds.contains(&ReviewKind::Returned) {
            PlanStatus::Returned
        } else if kinds.contains(&ReviewKind::Approved) {
            PlanStatus::Approved
        } else {
            PlanStatus::Submitted
        }
    }
}

/// Who approves a plan: the position its owner reports to, or — for a plan whose
/// owner reports to nobody (the director's annual plan) — the company, for which
/// a director records the decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approver {
    Position(String),
    Company,
}

/// The approver of `plan` from the org chart.
pub fn approver(org: &crate::OrgDoc, plan: &Plan) -> Approver {
    match org
        .positions
        .get(&plan.owner)
        .and_then(|p| p.reports_to.clone())
    {
        Some(p) => Approver::Position(p),
        None => Approver::Company,
    }
}

/// A new, empty plans document for a year.
pub fn new_plans_doc(year: &str, now_ms: i64) -> Result<Automerge, DomainError> {
    let mut am = Automerge::new();
    let doc = PlansDoc {
        schema: SCHEMA_VERSION,
        period: year.into(),
        plans: Entities::default(),
    };
    transact(
        &mut am,
        format!("Create the plans of {year}"),
        now_ms,
        |tx| Ok(autosurgeon::reconcile(tx, &doc)?),
    )?;
    Ok(am)
}

pub fn read_plans(am: &Automerge) -> Result<PlansDoc, DomainError> {
    hydrate(am).map_err(|e| DomainError::Malformed("plans", e.to_string()))
}

fn plan_of<'a>(doc: &'a PlansDoc, id: &str) -> Result<&'a Plan, DomainError> {
    doc.plans.get(id).ok_or_else(|| DomainError::NotFound {
        what: Noun::Plan,
        id: id.into(),
    })
}

fn plans_obj<D: ReadDoc>(doc: &D) -> Result<automerge::ObjId, DomainError> {
    match doc.get(automerge::ROOT, "plans")? {
        Some((automerge::Value::Object(automerge::ObjType::Map), id)) => Ok(id),
        _ => Err(DomainError::Malformed("plans", "no plans map".into())),
    }
}

/// What a new plan needs.
#[derive(Debug, Clone)]
pub struct NewPlan {
    pub level: PlanLevel,
    pub period: String,
    pub title: String,
    /// The owning position.
    pub owner: String,
    pub parent: Option<String>,
}

/// Whether `actor` may act as the plan's owner: holds the owner position, or
/// manages its department.
fn require_owner_side(
    org: &crate::OrgDoc,
    actor: &Actor,
    plan: &Plan,
    action: Action,
) -> Result<(), DomainError> {
    if actor.positions.contains(&plan.owner) {
        return Ok(());
    }
    actor.require_owner_in_scope(org, &Owner::Position(plan.owner.clone()), action)
}

/// What the plan screens may offer `actor`: each flag is true exactly when the
/// command behind it would be allowed (the commands below check the same rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlanPermissions {
    /// Change items and submit: the owner side, while the plan is a draft or returned.
    pub edit: bool,
    /// Approve or return: the approver, while the plan is submitted.
    pub review: bool,
    /// Reopen: the approver, once the plan is approved.
    pub reopen: bool,
    /// Comment: the owner side or the approver, at any time.
    pub comment: bool,
    /// Turn into tasks: an approved weekly plan, someone with its owner in scope.
    pub schedule: bool,
}

/// [`PlanPermissions`] of `actor` on `plan`.
pub fn permissions(org: &crate::OrgDoc, actor: &Actor, plan: &Plan) -> PlanPermissions {
    let status = plan.status();
    let owner_side = require_owner_side(org, actor, plan, Action::ChangePlans).is_ok();
    let approver = require_approver(org, actor, plan).is_ok();
    PlanPermissions {
        edit: owner_side && matches!(status, PlanStatus::Draft | PlanStatus::Returned),
        review: approver && status == PlanStatus::Submitted,
        reopen: approver && status == PlanStatus::Approved,
        comment: owner_side || approver,
        schedule: plan.level == PlanLevel::Weekly
            && status == PlanStatus::Approved
            && require_schedule(org, actor, plan).is_ok(),
    }
}

/// Whether `actor` may draw up a plan for at least one position (what
/// [`create_plan`] checks, for some owner).
pub fn may_create_plans(org: &crate::OrgDoc, actor: &Actor) -> bool {
    org.positions.keys().any(|p| {
        actor.positions.contains(p)
            || actor
                .require_owner_in_scope(
                    org,
                    &Owner::Position(p.clone()),
                    Action::DrawUpPositionPlans,
                )
                .is_ok()
    })
}

fn require_schedule(org: &crate::OrgDoc, actor: &Actor, plan: &Plan) -> Result<(), DomainError> {
    actor.require_owner_in_scope(
        org,
        &Owner::Position(plan.owner.clone()),
        Action::SchedulePlan,
    )
}

fn require_approver(org: &crate::OrgDoc, actor: &Actor, plan: &Plan) -> Result<(), DomainError> {
    match approver(org, plan) {
        Approver::Position(p) if actor.positions.contains(&p) => Ok(()),
        Approver::Company if actor.role == Role::Director => Ok(()),
        Approver::Position(p) => Err(DomainError::NeedsPosition {
            action: Action::ReviewPlan,
            position: org.positions.get(&p).map_or(p.clone(), |p| p.title.clone()),
            hint: Hint::GoesToReportsTo,
        }),
        Approver::Company => Err(DomainError::NotPermitted {
            action: Action::ReviewPlan,
            needed: Needed::Company,
            hint: Hint::AskDirectorForCompany,
        }),
    }
}

/// Creates a draft plan (the owner position's holder, or a manager of its department).
pub fn create_plan(
    am: &mut Automerge,
    org: &crate::OrgDoc,
    actor: &Actor,
    id: &str,
    new: NewPlan,
    now_ms: i64,
) -> Result<Plan, DomainError> {
    let doc = read_plans(am)?;
    if doc.plans.contains_key(id) {
        return Err(Invalid::IdTaken {
            what: Noun::Plan,
            id: id.into(),
        }
        .into());
    }
    let owner = org
        .positions
        .get(&new.owner)
        .ok_or_else(|| DomainError::NotFound {
            what: Noun::Position,
            id: new.owner.clone(),
        })?;
    if let Some(p) = &new.parent {
        let parent = plan_of(&doc, p)?;
        if Some(parent.level) != new.level.parent_level() {
            return Err(Invalid::PlanLevelMismatch.into());
        }
    }
    let title = new.title.trim();
    if title.is_empty() {
        return Err(Invalid::NeedsTitle { what: Noun::Plan }.into());
    }
    let plan = Plan {
        level: new.level,
        period: new.period,
        title: title.into(),
        owner: new.owner.clone(),
        department: Some(owner.department.clone()),
        parent: new.parent,
        items: BTreeMap::new(),
        reviews: vec![],
        created_by: actor.name.clone(),
        created_at: now_ms,
    };
    actor.require_manager(Action::DrawUpPlans)?;
    require_owner_side(org, actor, &plan, Action::DrawUpPositionPlans)?;
    let message = format!("{} drafted plan \"{}\"", actor.name, plan.title);
    transact(am, message, now_ms, |tx| {
        let plans = plans_obj(tx)?;
        Ok(reconcile_prop(tx, &plans, id, &plan)?)
    })?;
    Ok(plan)
}

/// Adds or replaces an item of a draft or returned plan (owner side).
#[allow(clippy::too_many_arguments)]
pub fn set_plan_item(
    am: &mut Automerge,
    org: &crate::OrgDoc,
    actor: &Actor,
    plan_id: &str,
    item_id: &str,
    item: PlanItem,
    now_ms: i64,
) -> Result<(), DomainError> {
    let doc = read_plans(am)?;
    let plan = plan_of(&doc, plan_id)?;
    require_owner_side(org, actor, plan, Action::ChangePlans)?;
    if !matches!(plan.status(), PlanStatus::Draft | PlanStatus::Returned) {
        return Err(DomainError::IllegalTransition {
            what: Noun::Plan,
            from: plan.status().as_str().into(),
            to: "edited".into(),
            hint: Hint::OnlyDraftChanges,
        });
    }
    if item.text.trim().is_empty() {
        return Err(Invalid::NeedsText {
            what: Noun::PlanItem,
        }
        .into());
    }
    if let Some(parent_item) = &item.parent_item {
        let parent = plan
            .parent
            .as_ref()
            .and_then(|p| doc.plans.get(p))
            .ok_or_else(|| DomainError::from(Invalid::NoParentPlan))?;
        if !parent.items.contains_key(parent_item) {
            return Err(DomainError::NotFound {
                what: Noun::ParentPlanItem,
                id: parent_item.clone(),
            });
        }
    }
    if let Some(o) = &item.assignee {
        check_owner(org, o)?;
    }
    if let Some(d) = &item.due {
        d.parse::<Date>()
            .map_err(|_| Invalid::NotADate { text: d.clone() })?;
    }
    let verb = if plan.items.contains_key(item_id) {
        "changed"
    } else {
        "added"
    };
    let message = format!(
        "{} {verb} \"{}\" in plan \"{}\"",
        actor.name,
        item.text.trim(),
        plan.title
    );
    transact(am, message, now_ms, |tx| {
        let plans = plans_obj(tx)?;
        let p = child_map(tx, &plans, plan_id, Noun::Plan)?;
        let items = child_map(tx, &p, "items", Noun::PlanItem)?;
        Ok(reconcile_prop(tx, &items, item_id, &item)?)
    })
}

fn append_review(
    am: &mut Automerge,
    plan_id: &str,
    review: &Review,
    message: String,
    now_ms: i64,
) -> Result<(), DomainError> {
    transact(am, message, now_ms, |tx| {
        let plans = plans_obj(tx)?;
        let p = child_map(tx, &plans, plan_id, Noun::Plan)?;
        let list = list_in(tx, &p, "reviews")?;
        let len = tx.length(&list);
        reconcile_insert(tx, list, len, review)?;
        Ok(())
    })
}

/// A decision or comment on a plan.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum PlanAction {
    Submit,
    Approve,
    Return,
    Reopen,
    Comment,
}

impl PlanAction {
    /// Returning a plan and commenting on it say nothing without a text; [`review_plan`]
    /// refuses them with none.
    pub fn needs_text(self) -> bool {
        matches!(self, Self::Return | Self::Comment)
    }
}

/// Records `action` on a plan as one change, checking the transition and who
/// may take it:
///
/// | action | from | who |
/// |---|---|---|
/// | submit | draft, returned | the owner side |
/// | approve | submitted | the approver |
/// | return (needs a comment) | submitted | the approver |
/// | reopen | approved | the approver |
/// | comment | any | the owner side or the approver |
#[allow(clippy::too_many_arguments)]
pub fn review_plan(
    am: &mut Automerge,
    org: &crate::OrgDoc,
    actor: &Actor,
    plan_id: &str,
    review_id: &str,
    action: PlanAction,
    text: &str,
    now_ms: i64,
) -> Result<PlanStatus, DomainError> {
    let doc = read_plans(am)?;
    let plan = plan_of(&doc, plan_id)?;
    let status = plan.status();
    let illegal = |to: &str, hint: Hint| DomainError::IllegalTransition {
        what: Noun::Plan,
        from: status.as_str().into(),
        to: to.into(),
        hint,
    };
    let (kind, round, verb) = match action {
        PlanAction::Submit => {
            require_owner_side(org, actor, plan, Action::SubmitPlans)?;
            if !matches!(status, PlanStatus::Draft | PlanStatus::Returned) {
                return Err(illegal("submitted", Hint::WithApprover));
            }
            if plan.items.is_empty() {
                return Err(Invalid::EmptyPlan.into());
            }
            (ReviewKind::Submitted, plan.round() + 1, "submitted")
        }
        PlanAction::Approve | PlanAction::Return | PlanAction::Reopen => {
            require_approver(org, actor, plan)?;
            let (needed, kind, verb, to) = match action {
                PlanAction::Approve => (
                    PlanStatus::Submitted,
                    ReviewKind::Approved,
                    "approved",
                    "approved",
                ),
                PlanAction::Return => (
                    PlanStatus::Submitted,
                    ReviewKind::Returned,
                    "returned",
                    "returned",
                ),
                _ => (
                    PlanStatus::Approved,
                    ReviewKind::Reopened,
                    "reopened",
                    "draft",
                ),
            };
            if status != needed {
                return Err(illegal(to, Hint::OnlySubmittedReviewed));
            }
            if action == PlanAction::Return && text.trim().is_empty() {
                return Err(Invalid::SayWhyReturned.into());
            }
            (kind, plan.round(), verb)
        }
        PlanAction::Comment => {
            if require_approver(org, actor, plan).is_err() {
                require_owner_side(org, actor, plan, Action::CommentOnPlans)?;
            }
            if text.trim().is_empty() {
                return Err(Invalid::NeedsText {
                    what: Noun::Comment,
                }
                .into());
            }
            (ReviewKind::Comment, plan.round(), "commented on")
        }
    };
    let review = Review {
        id: review_id.into(),
        kind,
        round,
        by: actor.name.clone(),
        at: now_ms,
        text: text.trim().into(),
    };
    let message = format!("{} {verb} plan \"{}\"", actor.name, plan.title);
    append_review(am, plan_id, &review, message, now_ms)?;
    let mut after = plan.clone();
    after.reviews.push(review);
    Ok(after.status())
}

/// The id of the task made from a plan item (the same on every device).
pub fn plan_task_id(plan_id: &str, item_id: &str) -> String {
    format!("plan:{plan_id}/{item_id}")
}

/// Turns an approved weekly plan's items into tasks in `tasks_am`, in one change:
/// assigned to the item's assignee (else the plan's owner position), due on the
/// item's date (else `default_due`). Items already turned into tasks are skipped,
/// so two devices doing it offline make each task once. Returns the new task ids.
pub fn plan_to_tasks(
    plans_am: &Automerge,
    tasks_am: &mut Automerge,
    org: &crate::OrgDoc,
    actor: &Actor,
    plan_id: &str,
    default_due: Date,
    now_ms: i64,
) -> Result<Vec<String>, DomainError> {
    let doc = read_plans(plans_am)?;
    let plan = plan_of(&doc, plan_id)?;
    require_schedule(org, actor, plan)?;
    if plan.level != PlanLevel::Weekly || plan.status() != PlanStatus::Approved {
        return Err(DomainError::IllegalTransition {
            what: Noun::Plan,
            from: plan.status().as_str().into(),
            to: "tasks".into(),
            hint: Hint::OnlyApprovedWeekly,
        });
    }
    let tasks = tasks_obj(tasks_am)?;
    let mut new = Vec::new();
    for (item_id, item) in &plan.items {
        let id = plan_task_id(plan_id, item_id);
        if tasks_am.get(&tasks, id.as_str())?.is_some() {
            continue;
        }
        let mut t = Task::new(item.text.clone(), actor.name.clone(), now_ms);
        t.assignee = Some(
            item.assignee
                .clone()
                .unwrap_or(Owner::Position(plan.owner.clone())),
        );
        t.department = plan.department.clone();
        t.due = Some(item.due.clone().unwrap_or_else(|| default_due.to_string()));
        t.origin = Some(format!("{plan_id}/{item_id}"));
        t.priority = Priority::Normal;
        new.push((id, t));
    }
    let message = crate::tasks::said(
        actor,
        crate::history::ChangeKind::FromPlan {
            count: crate::tasks::count_of(new.len()),
            plan: plan.title.clone(),
        },
    );
    write_new_tasks(tasks_am, &tasks, message, now_ms, new)
}

/// How far a plan's work is done.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanProgress {
    /// Tasks from the plan and the plans below it (cancelled ones excluded).
    pub tasks: usize,
    pub done: usize,
}

impl PlanProgress {
    /// Share of the tasks done, 0.0 to 1.0 (0.0 without tasks).
    pub fn share(&self) -> f64 {
        if self.tasks == 0 {
            0.0
        } else {
            self.done as f64 / self.tasks as f64
        }
    }
}

/// The progress of a plan: the tasks made from it and from every plan below it.
pub fn plan_progress(doc: &PlansDoc, plan_id: &str, tasks: &[(String, Task)]) -> PlanProgress {
    let mut family: BTreeSet<&str> = BTreeSet::from([plan_id]);
    for _ in 0..3 {
        for (id, p) in &doc.plans {
            if p.parent
                .as_deref()
                .is_some_and(|parent| family.contains(parent))
            {
                family.insert(id);
            }
        }
    }
    progress_of(&family, tasks)
}

/// The progress of every plan of the document together (a year's): the tasks made
/// from any of them.
pub fn year_progress(doc: &PlansDoc, tasks: &[(String, Task)]) -> PlanProgress {
    let every: BTreeSet<&str> = doc.plans.keys().map(String::as_str).collect();
    progress_of(&every, tasks)
}

/// The tasks made from the plans in `family`, and how many are done.
fn progress_of(family: &BTreeSet<&str>, tasks: &[(String, Task)]) -> PlanProgress {
    let mut progress = PlanProgress { tasks: 0, done: 0 };
    for (_, t) in tasks {
        let from_family = t
            .origin
            .as_deref()
            .and_then(|o| o.rsplit_once('/'))
            .is_some_and(|(plan, _)| family.contains(plan));
        if from_family && t.status != crate::TaskStatus::Cancelled {
            progress.tasks += 1;
            if t.status == crate::TaskStatus::Done {
                progress.done += 1;
            }
        }
    }
    progress
}
