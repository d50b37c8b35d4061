use std::rc::Rc;

use crate::shell::context::{use_app, use_busy, use_dispatch, use_lang, use_time_zone};
use storeops_api::command::SetPlanItem;
use storeops_api::plans::{PlanItemView, PlanView};
use storeops_api::{PlanAction, PlanStatus};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::i18n::{self, Key, Lang, t};
use crate::plans::calls::{self, PlanItemRequest, ReviewRequest};
use crate::shell::state::Op;
use crate::ui::busy_button;
use crate::ui::form;
use crate::ui::format;
use crate::ui::owner_select::owner_options;
use crate::ui::wire;

#[derive(Properties, PartialEq, Debug)]
pub struct PlanDetailProps {
    pub plan: Rc<PlanView>,
}

/// One plan: what it is and whose, its items, its review log, and the actions its flags
/// allow this device.
#[function_component(PlanDetail)]
pub fn plan_detail(props: &PlanDetailProps) -> Html {
    let lang = use_lang();
    let app = use_app();
    let d = use_dispatch();
    let time_zone = use_time_zone();
    let plan = &props.plan;
    let status = plan.status;
    let busy = |op: Op| app.is_busy(&op);
    let reviewing = |action: PlanAction| busy(Op::ReviewPlan(plan.id.clone(), action));
    let comment_ref = use_node_ref();

    let review = |action: PlanAction| {
        let comment_ref = comment_ref.clone();
        let d = d.clone();
        let plan_id = plan.id.clone();
        Callback::from(move |_: MouseEvent| {
            let el = comment_ref.cast::<HtmlTextAreaElement>();
            let text = el.as_ref().map(|el| el.value()).unwrap_or_default();
            let done = Callback::from(move |()| {
                if let Some(el) = &el {
                    el.set_value("");
                }
            });
            let plan_id = plan_id.clone();
            calls::review_plan(
                &d,
                ReviewRequest {
                    plan_id,
                    action,
                    text,
                    done,
                },
            );
        })
    };
    let button = |id: &'static str,
                  class: &'static str,
                  action: PlanAction,
                  label: Key,
                  busy_label: Key| {
        let is_busy = reviewing(action);
        html! {
            { busy_button(lang, Some(id), class, is_busy, [label, busy_label], Some(review(action))) }
        }
    };

    let editable = plan.can_edit && matches!(status, PlanStatus::Draft | PlanStatus::Returned);
    let may_comment = plan.can_comment || plan.can_edit || plan.can_review;
    let submit = editable.then(|| {
        button(
            "submit-plan-button",
            "button-primary",
            PlanAction::Submit,
            Key::SubmitPlan,
            Key::Submitting,
        )
    });
    let decide = (plan.can_review && status == PlanStatus::Submitted).then(|| html! {
        <>
            { button("approve-plan-button", "button-primary", PlanAction::Approve, Key::ApprovePlan, Key::Approving) }
            { button("return-plan-button", "button-danger-quiet", PlanAction::Return, Key::ReturnPlan, Key::Returning) }
        </>
    });
    let reopen =
        ((plan.can_reopen || plan.can_review) && status == PlanStatus::Approved).then(|| {
            button(
                "reopen-plan-button",
                "button-secondary",
                PlanAction::Reopen,
                Key::ReopenPlan,
                Key::Reopening,
            )
        });
    let schedule = plan.can_schedule.then(|| {
        let is_busy = busy(Op::SchedulePlan(plan.id.clone()));
        let onclick = {
            let (d, id) = (d.clone(), plan.id.clone());
            Callback::from(move |_: MouseEvent| calls::schedule_plan(&d, id.clone()))
        };
        html! {
            { busy_button(lang, Some("schedule-plan-button"), "button-primary", is_busy, [Key::SchedulePlan, Key::Scheduling], Some(onclick)) }
        }
    });

    let items = if plan.items.is_empty() {
        html! { <p class="detail-empty">{ t(lang, Key::NoPlanItems) }</p> }
    } else {
        html! {
            <ol class="plan-items" id="plan-items">
                { for plan.items.iter().map(|item| plan_item(lang, item)) }
            </ol>
        }
    };
    let when = |ms: i64| format::date_time(ms, lang, &time_zone);
    let reviews = if plan.reviews.is_empty() {
        html! { <p class="detail-empty">{ t(lang, Key::NoReviews) }</p> }
    } else {
        html! {
            <ol class="history plan-reviews" id="plan-reviews">
                { for plan.reviews.iter().map(|r| html! {
                    <li class={classes!("history-entry", "plan-review", format!("review-{}", wire::name(r.kind)))} data-kind={wire::name(r.kind)}>
                        <time class="history-time" data-at={r.at.to_string()}>{ when(r.at) }</time>
                        <p class="history-message">
                            { i18n::review_line(lang, r.kind, &r.by, r.round) }
                        </p>
                        if !r.text.is_empty() {
                            <p class="review-text">{ r.text.clone() }</p>
                        }
                    </li>
                }) }
            </ol>
        }
    };
    let progress = plan.progress;
    let close = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| calls::open_plan(&d, None))
    };

    html! {
        <article class="detail-card plan-detail" id="plan-detail" data-plan-id={plan.id.clone()} data-status={wire::name(status)}>
            <div class="plan-detail-head">
                <div class="plan-node-top">
                    <span class={classes!("badge", "badge-level", format!("level-{}", wire::name(plan.level)))}>
                        { i18n::plan_level_label(lang, plan.level) }
                    </span>
                    <span class="plan-period">{ plan.period.clone() }</span>
                    <span class={classes!("badge", "badge-plan-status", format!("plan-{}", wire::name(status)))} id="plan-status">
                        { i18n::plan_status_label(lang, status) }
                    </span>
                </div>
                <button type="button" id="close-plan-button" class="button button-quiet" onclick={close}>
                    { t(lang, Key::Close) }
                </button>
            </div>
            <h3 class="detail-title">{ plan.title.clone() }</h3>
            <dl class="facts detail-facts">
                <div class="fact"><dt>{ t(lang, Key::PlanOwner) }</dt><dd>{ plan.owner_title.clone() }</dd></div>
                <div class="fact"><dt>{ t(lang, Key::Approver) }</dt><dd>{ i18n::approver_name(lang, &plan.approver) }</dd></div>
                if let Some(dept) = plan.department.as_ref().filter(|d| !d.is_empty()) {
                    <div class="fact"><dt>{ t(lang, Key::Department) }</dt><dd>{ dept.clone() }</dd></div>
                }
                <div class="fact"><dt>{ t(lang, Key::Progress) }</dt><dd>{ i18n::tasks_done(lang, progress.done, progress.tasks) }</dd></div>
            </dl>

            <section class="detail-section" aria-labelledby="plan-items-title">
                <div class="detail-card-head">
                    <h4 class="detail-section-title" id="plan-items-title">{ t(lang, Key::PlanItems) }</h4>
                    <span class="detail-count">{ plan.items.len() }</span>
                </div>
                { items }
                if editable {
                    <PlanItemForm plan_id={plan.id.clone()} />
                }
            </section>

            if submit.is_some() || decide.is_some() || reopen.is_some() || schedule.is_some() || may_comment {
                <section class="detail-section plan-actions" aria-labelledby="plan-actions-title">
                    <h4 class="detail-section-title" id="plan-actions-title">{ t(lang, Key::Decision) }</h4>
                    if may_comment {
                        <div class="field">
                            <label for="review-comment">{ t(lang, Key::ReviewComment) }</label>
                            <textarea id="review-comment" ref={comment_ref.clone()} rows="2" placeholder={t(lang, Key::ReviewCommentHint)}></textarea>
                        </div>
                    }
                    <div class="card-actions plan-buttons">
                        { for schedule }
                        { for submit }
                        { for decide }
                        { for reopen }
                        if may_comment {
                            { button("comment-plan-button", "button-secondary", PlanAction::Comment, Key::CommentPlan, Key::Saving) }
                        }
                    </div>
                </section>
            }

            <section class="detail-section" aria-labelledby="plan-reviews-title">
                <h4 class="detail-section-title" id="plan-reviews-title">{ t(lang, Key::ReviewLog) }</h4>
                { reviews }
            </section>
        </article>
    }
}

fn plan_item(lang: Lang, item: &PlanItemView) -> Html {
    let task_status = item.task_status;
    html! {
        <li class="plan-item" key={item.id.clone()} data-item-id={item.id.clone()} data-task-id={item.task_id.clone().unwrap_or_default()}>
            <p class="plan-item-text">{ item.text.clone() }</p>
            <div class="task-meta">
                if let Some(who) = item.assignee.as_ref().filter(|a| !a.is_empty()) {
                    <span class="badge badge-assignee">{ who.clone() }</span>
                }
                if let Some(due) = &item.due {
                    <span class="badge badge-due due-later"><time datetime={due.clone()}>{ i18n::due_on(lang, due) }</time></span>
                }
                if let Some(status) = task_status {
                    <span class={classes!("badge", "badge-status", format!("status-{}", wire::name(status)))}>
                        { i18n::status_label(lang, status) }
                    </span>
                }
            </div>
        </li>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct PlanItemFormProps {
    plan_id: String,
}

/// A new item: what, who (a position or a person), by when.
#[function_component(PlanItemForm)]
fn plan_item_form(props: &PlanItemFormProps) -> Html {
    let lang = use_lang();
    let staffing = use_app().staffing.data.clone();
    let busy = use_busy(Op::PlanItem(props.plan_id.clone()));
    let d = use_dispatch();
    let text = use_node_ref();
    let assignee = use_node_ref();
    let due = use_node_ref();
    let onsubmit = {
        let (text, assignee, due) = (text.clone(), assignee.clone(), due.clone());
        let plan_id = props.plan_id.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if busy {
                return;
            }
            let (Some(text_el), Some(due_el)) = (
                text.cast::<HtmlInputElement>(),
                due.cast::<HtmlInputElement>(),
            ) else {
                return;
            };
            let sent = text_el.value();
            let item = SetPlanItem {
                plan_id: plan_id.clone(),
                item_id: None,
                text: sent.clone(),
                assignee: form::chosen(&assignee),
                due: Some(due_el.value()).filter(|v| !v.is_empty()),
                parent_item: None,
            };
            let added = Callback::from(move |()| {
                if text_el.value() == sent {
                    text_el.set_value("");
                }
            });
            calls::set_plan_item(&d, PlanItemRequest { item, added });
        })
    };
    html! {
        <form class="grid-form plan-item-form" novalidate=true {onsubmit}>
            <div class="field field-wide">
                <label for="plan-item-text">{ t(lang, Key::NewItem) }</label>
                <input id="plan-item-text" ref={text} type="text" autocomplete="off" placeholder={t(lang, Key::NewItemHint)} />
            </div>
            <div class="field">
                <label for="plan-item-assignee">{ t(lang, Key::Assignee) }</label>
                <select id="plan-item-assignee" class="select" ref={assignee}>
                    { owner_options(lang, staffing.as_deref(), None, None, None) }
                </select>
            </div>
            <div class="field">
                <label for="plan-item-due">{ t(lang, Key::DueDate) }</label>
                <input id="plan-item-due" ref={due} type="date" />
            </div>
            <div class="form-actions field-wide">
                { busy_button(lang, Some("add-plan-item-button"), "button-secondary", busy, [Key::AddItem, Key::Adding], None) }
            </div>
        </form>
    }
}
