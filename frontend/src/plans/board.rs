use std::rc::Rc;

use crate::shell::context::{use_app, use_dispatch, use_lang};
use storeops_api::plans::{PlanBoard, PlanView};
use yew::prelude::*;

use crate::i18n::{self, Key, Lang, t};
use crate::plans::calls;
use crate::plans::cascade;
use crate::plans::plan_detail::PlanDetail;
use crate::plans::plan_form::NewPlanForm;
use crate::ui::form::set_to;
use crate::ui::wire;

#[derive(Properties, PartialEq, Debug)]
pub struct PlansViewProps {
    pub board: Rc<PlanBoard>,
}

/// The planning cascade as a tree, the plan picked in full beside it (below it on a
/// phone), and for those who may, a form for a new plan.
#[function_component(PlansView)]
pub fn plans_view(props: &PlansViewProps) -> Html {
    let lang = use_lang();
    let app = use_app();
    let d = use_dispatch();
    let on_open = Callback::from(move |id: Option<String>| calls::open_plan(&d, id));
    let board = &props.board;
    let form_open = use_state(|| false);
    let toggle_form = {
        let form_open = form_open.clone();
        Callback::from(move |_: MouseEvent| form_open.set(!*form_open))
    };
    let close_form = set_to(&form_open, false);

    let rows = cascade::rows(&board.plans);
    let tree = if rows.is_empty() {
        html! { <p class="empty">{ t(lang, if board.can_create { Key::NoPlansYet } else { Key::NoPlansStaff }) }</p> }
    } else {
        html! {
            <ul class="plan-tree" id="plan-tree" aria-label={t(lang, Key::Cascade)}>
                { for rows.iter().map(|row| {
                    let plan = &board.plans[row.index];
                    plan_node(lang, plan, row.depth, app.open_plan.as_deref() == Some(plan.id.as_str()), &on_open)
                }) }
            </ul>
        }
    };
    let open = app
        .open_plan
        .as_deref()
        .and_then(|id| board.plans.iter().find(|p| p.id == id));
    let detail = match open {
        Some(plan) => html! {
            <PlanDetail plan={Rc::new(plan.clone())} />
        },
        None if !rows.is_empty() => html! {
            <p class="detail-empty plan-pick-hint">{ t(lang, Key::PickPlan) }</p>
        },
        None => html! {},
    };

    html! {
        <>
            <div class="screen-actions">
                <span class="screen-note">{ i18n::plan_year(lang, &board.year) }</span>
                if board.can_create {
                    <button
                        type="button"
                        id="new-plan-button"
                        class="button button-primary"
                        aria-expanded={form_open.to_string()}
                        aria-controls="new-plan-form"
                        onclick={toggle_form}
                    >
                        { t(lang, Key::NewPlan) }
                    </button>
                }
            </div>
            if board.can_create && *form_open {
                <NewPlanForm plans={board.clone()} on_cancel={close_form} />
            }
            <div class={classes!("plans-layout", open.is_some().then_some("has-open"))}>
                <div class="plans-tree-col">{ tree }</div>
                <div class="plans-detail-col">{ detail }</div>
            </div>
        </>
    }
}

fn plan_node(
    lang: Lang,
    plan: &PlanView,
    depth: usize,
    current: bool,
    on_open: &Callback<Option<String>>,
) -> Html {
    let status = plan.status;
    let onclick = {
        let id = plan.id.clone();
        on_open.reform(move |_: MouseEvent| Some(id.clone()))
    };
    let progress = plan.progress;
    let share = cascade::share(progress.done, progress.tasks);
    let depth = depth.min(4);
    html! {
        <li
            class={classes!("plan-node", format!("depth-{depth}"), current.then_some("is-current"))}
            key={plan.id.clone()}
            data-plan-id={plan.id.clone()}
            data-status={wire::name(status)}
            data-level={wire::name(plan.level)}
        >
            <button type="button" class="plan-node-button" aria-current={current.then_some("true")} {onclick}>
                <span class="plan-node-top">
                    <span class={classes!("badge", "badge-level", format!("level-{}", wire::name(plan.level)))}>
                        { i18n::plan_level_label(lang, plan.level) }
                    </span>
                    <span class="plan-period">{ plan.period.clone() }</span>
                    <span class={classes!("badge", "badge-plan-status", format!("plan-{}", wire::name(status)))}>
                        { i18n::plan_status_label(lang, status) }
                    </span>
                </span>
                <span class="plan-node-title">{ plan.title.clone() }</span>
                <span class="plan-node-meta">
                    <span class="plan-owner">{ plan.owner_title.clone() }</span>
                    <span class="plan-approver">{ i18n::approved_by(lang, &plan.approver) }</span>
                </span>
                <span class="plan-progress">
                    <progress
                        class="progress-bar"
                        max={progress.tasks.max(1).to_string()}
                        value={progress.done.min(progress.tasks).to_string()}
                        aria-label={i18n::tasks_done(lang, progress.done, progress.tasks)}
                    />
                    <span class="plan-progress-text">
                        { if progress.tasks == 0 { t(lang, Key::NoTasksYet).to_owned() } else { crate::ui::chart::percent(share) } }
                    </span>
                </span>
            </button>
        </li>
    }
}
