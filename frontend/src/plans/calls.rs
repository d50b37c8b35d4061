//! The plans screen's commands: opening a plan, creating one, its items, reviews and scheduling.

use storeops_api::PlanAction;
use storeops_api::command::{CreatePlan, ReviewPlan, SchedulePlan, SetPlanItem};
use yew::Callback;

use crate::i18n::Key;
use crate::services::browser;
use crate::services::call;
use crate::shell::run::{Dispatch, refused, save};
use crate::shell::state::{Action, Op};

/// Width below which the plans screen is one column (see `.plans-layout`).
const PLANS_ONE_COLUMN_BELOW: f64 = 1000.0;

/// Shows a plan under the cascade; on a phone or tablet, scrolls down to it.
pub fn open_plan(d: &Dispatch, plan_id: Option<String>) {
    let opened = plan_id.is_some();
    d.dispatch(Action::OpenPlan(plan_id));
    if opened {
        browser::after(0, || {
            browser::reveal_on_narrow("plan-detail", PLANS_ONE_COLUMN_BELOW)
        });
    }
}

/// What the new-plan form submits; `created` is called once the plan is saved.
#[derive(Clone, Debug, PartialEq)]
pub struct NewPlanRequest {
    pub plan: CreatePlan,
    pub created: Callback<()>,
}

pub fn create_plan(d: &Dispatch, req: NewPlanRequest) {
    let mut plan = req.plan;
    plan.title = plan.title.trim().to_owned();
    plan.period = plan.period.trim().to_owned();
    if plan.title.is_empty() {
        return refused(d, Key::PlanTitleNeeded);
    }
    if plan.owner.is_empty() {
        return refused(d, Key::PlanOwnerNeeded);
    }
    if !crate::ui::period::period_fits(plan.level, &plan.period) {
        return refused(d, Key::PlanPeriodInvalid);
    }
    let created = req.created;
    let command = call(plan);
    save(d, Op::CreatePlan, command, move |d, plan, at| {
        let id = plan.id.clone();
        d.dispatch(Action::PlanSaved { plan, at });
        d.dispatch(Action::OpenPlan(Some(id)));
        created.emit(());
    });
}

/// What the add-item form submits; `added` is called once the item is saved.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanItemRequest {
    pub item: SetPlanItem,
    pub added: Callback<()>,
}

pub fn set_plan_item(d: &Dispatch, req: PlanItemRequest) {
    let mut item = req.item;
    item.text = item.text.trim().to_owned();
    if item.text.is_empty() {
        return refused(d, Key::ItemTextNeeded);
    }
    let op = Op::PlanItem(item.plan_id.clone());
    let added = req.added;
    let command = call(item);
    save(d, op, command, move |d, plan, at| {
        d.dispatch(Action::PlanSaved { plan, at });
        added.emit(());
    });
}

/// A decision or comment on a plan; `done` is called once it is saved.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewRequest {
    pub plan_id: String,
    pub action: PlanAction,
    pub text: String,
    pub done: Callback<()>,
}

pub fn review_plan(d: &Dispatch, req: ReviewRequest) {
    let text = req.text.trim().to_owned();
    if req.action.needs_text() && text.is_empty() {
        let key = if req.action == PlanAction::Return {
            Key::ReturnNeedsComment
        } else {
            Key::CommentNeeded
        };
        return refused(d, key);
    }
    let op = Op::ReviewPlan(req.plan_id.clone(), req.action);
    let (plan_id, action, done) = (req.plan_id, req.action, req.done);
    let command = call(ReviewPlan {
        plan_id,
        action,
        text,
    });
    save(d, op, command, move |d, plan, at| {
        d.dispatch(Action::PlanSaved { plan, at });
        done.emit(());
    });
}

/// "Turn into tasks": an approved weekly plan's items become tasks.
pub fn schedule_plan(d: &Dispatch, plan_id: String) {
    let op = Op::SchedulePlan(plan_id.clone());
    let command = call(SchedulePlan { plan_id });
    save(d, op, command, |d, plan, at| {
        d.dispatch(Action::PlanSaved { plan, at });
    });
}
