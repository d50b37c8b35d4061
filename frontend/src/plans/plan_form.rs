use std::rc::Rc;

use crate::shell::context::{use_app, use_busy, use_dispatch, use_lang, use_today};
use storeops_api::PlanLevel;
use storeops_api::command::CreatePlan;
use storeops_api::plans::PlanBoard;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::{self, Key, t};
use crate::plans::calls::{self, NewPlanRequest};
use crate::plans::cascade;
use crate::shell::state::Op;
use crate::ui::busy_button;
use crate::ui::form;
use crate::ui::period;
use crate::ui::wire;

#[derive(Properties, PartialEq, Debug)]
pub struct NewPlanFormProps {
    /// The plans a new one can break down.
    pub plans: Rc<PlanBoard>,
    pub on_cancel: Callback<()>,
}

/// A new draft plan: its level, period (this year, month or week unless changed), title,
/// the position that owns it and the plan one level up that it breaks down.
#[function_component(NewPlanForm)]
pub fn new_plan_form(props: &NewPlanFormProps) -> Html {
    let lang = use_lang();
    let staffing = use_app().staffing.data.clone();
    let today = use_today();
    let busy = use_busy(Op::CreatePlan);
    let d = use_dispatch();
    let level = use_state(|| PlanLevel::Weekly);
    let period_ref = use_node_ref();
    let title_ref = use_node_ref();
    let owner_ref = use_node_ref();
    let parent_ref = use_node_ref();

    let on_level = {
        let level = level.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(picked) = wire::parse(&select.value()) {
                level.set(picked);
            }
        })
    };
    let onsubmit = {
        let refs = (
            period_ref.clone(),
            title_ref.clone(),
            owner_ref.clone(),
            parent_ref.clone(),
        );
        let level = *level;
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if busy {
                return;
            }
            let (period, title, owner, parent) = &refs;
            let plan = CreatePlan {
                level,
                period: form::read(period),
                title: form::read(title),
                owner: form::read(owner),
                parent: form::chosen(parent),
            };
            let on_cancel = on_cancel.clone();
            calls::create_plan(
                &d,
                NewPlanRequest {
                    plan,
                    created: Callback::from(move |()| on_cancel.emit(())),
                },
            );
        })
    };
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());

    let default_period = period::current_period(*level, &today);
    crate::ui::seed::use_seed(&period_ref, default_period.clone());
    let parents = cascade::parent_choices(&props.plans.plans, *level);
    let positions = staffing
        .as_ref()
        .map(|s| s.positions.clone())
        .unwrap_or_default();
    html! {
        <section class="settings-card new-plan" aria-labelledby="new-plan-title">
            <h3 class="settings-card-title" id="new-plan-title">{ t(lang, Key::NewPlan) }</h3>
            <form id="new-plan-form" class="grid-form" novalidate=true {onsubmit}>
                <div class="field">
                    <label for="plan-level">{ t(lang, Key::PlanLevel) }</label>
                    <select id="plan-level" class="select" onchange={on_level}>
                        { for PlanLevel::ALL.into_iter().map(|l| html! {
                            <option value={wire::name(l)} selected={l == *level}>{ i18n::plan_level_label(lang, l) }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="plan-period">{ t(lang, Key::PlanPeriod) }</label>
                    <input
                        id="plan-period"
                        ref={period_ref}
                        type="text"
                        autocomplete="off"
                        aria-describedby="plan-period-hint"
                    />
                    <p class="field-hint" id="plan-period-hint">{ i18n::period_hint(lang, *level) }</p>
                </div>
                <div class="field field-wide">
                    <label for="plan-title">{ t(lang, Key::PlanTitle) }</label>
                    <input id="plan-title" ref={title_ref} type="text" autocomplete="off" aria-required="true" />
                </div>
                <div class="field">
                    <label for="plan-owner">{ t(lang, Key::PlanOwner) }</label>
                    <select id="plan-owner" class="select" ref={owner_ref} aria-required="true">
                        <option value="">{ t(lang, Key::PickPosition) }</option>
                        { for positions.iter().map(|p| html! {
                            <option value={p.id.clone()}>{ i18n::position_choice(&p.title, &p.department) }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="plan-parent">{ t(lang, Key::PlanParent) }</label>
                    <select id="plan-parent" class="select" ref={parent_ref} disabled={*level == PlanLevel::Annual}>
                        <option value="">{ t(lang, Key::NoParent) }</option>
                        { for parents.iter().map(|p| html! {
                            <option value={p.id.clone()}>{ format!("{} · {}", p.period, p.title) }</option>
                        }) }
                    </select>
                </div>
                <div class="form-actions field-wide">
                    <button type="button" class="button button-quiet" onclick={cancel}>{ t(lang, Key::Cancel) }</button>
                    { busy_button(lang, Some("create-plan-button"), "button-primary", busy, [Key::CreatePlan, Key::CreatingRecord], None) }
                </div>
            </form>
        </section>
    }
}
