use std::rc::Rc;

use crate::duties::calls::set_duty_filter;
use crate::shell::context::{use_app, use_dispatch, use_lang, use_today};
use storeops_api::Cadence;
use storeops_api::org::{DutyGroup, DutyRegister, DutySection, DutyView};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::{self, Key, Lang, t};
use crate::shell::state::DutyFilter;
use crate::ui::wire;

#[derive(Properties, PartialEq, Debug)]
pub struct DutyRegisterViewProps {
    pub register: Rc<DutyRegister>,
    /// Managers: "Edit" and "Create task now" on each duty.
    #[prop_or_default]
    pub actions: Option<DutyActions>,
}

/// What a manager can do with each duty.
#[derive(Clone, PartialEq, Debug)]
pub struct DutyActions {
    /// "Edit", with the duty's id.
    pub on_edit: Callback<String>,
    /// "Create task now", with the duty's id.
    pub on_task: Callback<String>,
    /// Duties whose task is being created.
    pub creating: Rc<std::collections::BTreeSet<String>>,
}

/// The standing duties by department and then position, with who covers each, how often
/// it comes round and when it is next due; filtered to uncovered duties or one cadence.
#[function_component(DutyRegisterView)]
pub fn duty_register_view(props: &DutyRegisterViewProps) -> Html {
    let lang = use_lang();
    let today = use_today();
    let filter = use_app().duty_filter;
    let register = &props.register;
    let total: usize = register
        .groups
        .iter()
        .flat_map(|g| &g.sections)
        .map(|s| s.duties.len())
        .sum();

    let summary = if total == 0 {
        html! {}
    } else if register.uncovered > 0 {
        html! {
            <p class="coverage-summary is-warning" id="duties-coverage">
                <span aria-hidden="true">{ "⚠ " }</span>
                { i18n::uncovered_count_long(lang, register.uncovered) }
            </p>
        }
    } else {
        html! {
            <p class="coverage-summary is-ok" id="duties-coverage">
                <span aria-hidden="true">{ "✓ " }</span>
                { t(lang, Key::AllDutiesCovered) }
            </p>
        }
    };

    let groups = filtered(register, filter);
    let body = if total == 0 {
        html! { <p class="empty">{ t(lang, Key::NoDuties) }</p> }
    } else if groups.is_empty() {
        html! { <p class="empty">{ t(lang, Key::NoMatchingDuties) }</p> }
    } else {
        html! {
            <>{ for groups.iter().map(|(group, sections)| html! {
                <section class="duty-group" key={group.department_id.clone()} data-department-id={group.department_id.clone()}>
                    <h3 class="duty-group-title">{ group.department.clone() }</h3>
                    { for sections.iter().map(|(section, duties)| render_section(lang, &today, group, section, duties, props.actions.as_ref())) }
                </section>
            }) }</>
        }
    };

    html! {
        <>
            <Filters uncovered={register.uncovered} />
            { summary }
            <div id="duty-register" class="duty-register">{ body }</div>
        </>
    }
}

type Shown<'a> = Vec<(&'a DutyGroup, Vec<(&'a DutySection, Vec<&'a DutyView>)>)>;

/// The groups, sections and duties that pass `filter`; empty ones are left out.
fn filtered(register: &DutyRegister, filter: DutyFilter) -> Shown<'_> {
    let passes = |duty: &DutyView| {
        (!filter.uncovered_only || !duty.covered)
            && filter.cadence.is_none_or(|c| duty.cadence == c)
    };
    register
        .groups
        .iter()
        .filter_map(|group| {
            let sections: Vec<_> = group
                .sections
                .iter()
                .filter_map(|section| {
                    let duties: Vec<_> = section.duties.iter().filter(|d| passes(d)).collect();
                    (!duties.is_empty()).then_some((section, duties))
                })
                .collect();
            (!sections.is_empty()).then_some((group, sections))
        })
        .collect()
}

fn render_section(
    lang: Lang,
    today: &str,
    group: &DutyGroup,
    section: &DutySection,
    duties: &[&DutyView],
    actions: Option<&DutyActions>,
) -> Html {
    let own = section.position_id.is_none();
    // The department's own duties, under its own name again: just say whose they are.
    let plain = section.title.is_empty() || (own && section.title == group.department);
    let title = if plain {
        t(lang, Key::DepartmentDuties).to_owned()
    } else {
        section.title.clone()
    };
    let holders = if !section.holders.is_empty() {
        html! {
            <span class="duty-holders">
                { t(lang, Key::HeldBy) }{ ": " }{ i18n::names(lang, &section.holders) }
            </span>
        }
    } else if !own {
        html! { <span class="badge section-vacant">{ t(lang, Key::Vacant) }</span> }
    } else {
        html! {}
    };
    html! {
        <div
            class={classes!("duty-section", own.then_some("is-department"))}
            data-position-id={section.position_id.clone()}
        >
            <div class="duty-section-head">
                <h4 class="duty-section-title">{ title }</h4>
                if own && !plain {
                    <span class="badge section-kind">{ t(lang, Key::DepartmentDuties) }</span>
                }
                { holders }
            </div>
            <ul class="duties">
                { for duties.iter().map(|duty| render_duty(lang, today, duty, actions)) }
            </ul>
        </div>
    }
}

/// How often a duty comes round, as a badge.
pub fn cadence_badge(lang: Lang, cadence: Cadence) -> Html {
    html! {
        <span class={classes!("badge", "cadence", format!("cadence-{}", wire::name(cadence)))}>
            <span class="duty-mark" aria-hidden="true">{ "↻" }</span>
            { i18n::cadence_label(lang, cadence) }
        </span>
    }
}

fn render_duty(lang: Lang, today: &str, duty: &DutyView, actions: Option<&DutyActions>) -> Html {
    let next = duty.next_due.as_deref().map(|date| {
        let is_today = date == today;
        html! {
            <span class={classes!("badge", "badge-next", is_today.then_some("due-today"))} data-due={date.to_owned()}>
                <time datetime={date.to_owned()}>{ i18n::next_due(lang, date, is_today) }</time>
            </span>
        }
    });
    html! {
        <li
            class={classes!("duty", (!duty.covered).then_some("is-uncovered"))}
            key={duty.id.clone()}
            data-duty-id={duty.id.clone()}
            data-id={duty.id.clone()}
            data-cadence={wire::name(duty.cadence)}
            data-covered={duty.covered.to_string()}
        >
            <p class="duty-text">{ duty.text.clone() }</p>
            <div class="duty-meta">
                { cadence_badge(lang, duty.cadence) }
                if !duty.owner.is_empty() {
                    <span class="badge badge-owner">{ t(lang, Key::Owner) }{ ": " }{ duty.owner.clone() }</span>
                }
                { for next }
                if !duty.covered {
                    <span class="badge uncovered">
                        <span aria-hidden="true">{ "⚠ " }</span>{ t(lang, Key::Uncovered) }
                    </span>
                }
            </div>
            { crate::duties::duty_raci::raci_line(lang, duty.raci.as_ref()) }
            { for actions.map(|a| crate::duties::duty_raci::duty_buttons(lang, &duty.id, a)) }
        </li>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct FiltersProps {
    uncovered: u32,
}

/// "All / Uncovered only" and a cadence select.
#[function_component(Filters)]
fn filters(props: &FiltersProps) -> Html {
    let lang = use_lang();
    let filter = use_app().duty_filter;
    let on_filter = {
        let d = use_dispatch();
        Callback::from(move |filter| set_duty_filter(&d, filter))
    };
    let show_all = on_filter.reform(move |_: MouseEvent| DutyFilter {
        uncovered_only: false,
        ..filter
    });
    // Pressed again, "Uncovered only" goes back to all: it is a toggle as well as a tab.
    let toggle_uncovered = on_filter.reform(move |_: MouseEvent| DutyFilter {
        uncovered_only: !filter.uncovered_only,
        ..filter
    });
    let on_cadence = on_filter.reform(move |e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        DutyFilter {
            cadence: wire::parse(&select.value()),
            ..filter
        }
    });
    html! {
        <div class="duty-filters" role="group" aria-label={t(lang, Key::DutyFilters)}>
            <div class="segmented">
                <button
                    type="button"
                    id="duties-all"
                    class="segment"
                    aria-pressed={(!filter.uncovered_only).to_string()}
                    onclick={show_all}
                >
                    { t(lang, Key::FilterAll) }
                </button>
                <button
                    type="button"
                    id="duties-uncovered-only"
                    class="segment"
                    aria-pressed={filter.uncovered_only.to_string()}
                    onclick={toggle_uncovered}
                >
                    { i18n::with_count(lang, Key::FilterUncovered, props.uncovered) }
                </button>
            </div>
            <div class="select-field">
                <label for="duties-cadence">{ t(lang, Key::CadenceFilter) }</label>
                <select id="duties-cadence" class="select" onchange={on_cadence}>
                    <option value="" selected={filter.cadence.is_none()}>{ t(lang, Key::AllCadences) }</option>
                    {
                        for Cadence::ALL.into_iter().map(|c| html! {
                            <option value={wire::name(c)} selected={filter.cadence == Some(c)}>
                                { i18n::cadence_label(lang, c) }
                            </option>
                        })
                    }
                </select>
            </div>
        </div>
    }
}
