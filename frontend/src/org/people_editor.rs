use std::collections::BTreeSet;
use std::rc::Rc;

use crate::org::calls;
use crate::shell::context::{use_app, use_busy, use_dispatch, use_lang};
use crate::shell::state::Op;
use storeops_api::tasks::{Staffing, StaffingPerson};
use yew::prelude::*;

use crate::i18n::{self, Key, t};
use crate::ui::busy_button;
use crate::ui::form::set_to;
use crate::ui::owner_picker::OwnerChecklist;
use crate::ui::sheet::Sheet;

/// Managers, under the org chart: everyone with the positions they hold; "Edit" opens
/// their positions as ticks, with "Mark as left" (asked twice). People who left are
/// listed apart, with "Back again".
#[function_component(PeopleEditor)]
pub fn people_editor() -> Html {
    let lang = use_lang();
    // An org chart command is under way.
    let busy = use_busy(Op::EditOrg);
    let d = use_dispatch();
    let editing = use_state(|| None::<String>);
    // `None` until `people_and_positions` answers.
    let Some(staffing) = use_app().staffing.data.clone() else {
        return html! {};
    };
    let title_of = |id: &str| {
        staffing
            .positions
            .iter()
            .find(|p| p.id == id)
            .map_or_else(|| id.to_owned(), |p| p.title.clone())
    };
    let (active, former): (Vec<&StaffingPerson>, Vec<&StaffingPerson>) =
        staffing.people.iter().partition(|p| p.active);
    let row = |person: &StaffingPerson| {
        let held: Vec<String> = person.positions.iter().map(|id| title_of(id)).collect();
        let on_edit = {
            let (editing, id) = (editing.clone(), person.id.clone());
            Callback::from(move |_: MouseEvent| editing.set(Some(id.clone())))
        };
        html! {
            <li class="org-person" key={person.id.clone()} data-id={person.id.clone()}>
                <div class="org-person-text">
                    <span class="org-person-name">{ person.name.clone() }</span>
                    <span class={classes!("org-person-positions", held.is_empty().then_some("is-none"))}>
                        if held.is_empty() {
                            { t(lang, Key::HoldsNothing) }
                        } else {
                            { i18n::names(lang, &held) }
                        }
                    </span>
                </div>
                <button type="button" class="button button-quiet edit-person" onclick={on_edit}>
                    { t(lang, Key::Edit) }
                </button>
            </li>
        }
    };
    let former_row = |person: &StaffingPerson| {
        let on_rejoin = {
            let (id, d) = (person.id.clone(), d.clone());
            Callback::from(move |_: MouseEvent| {
                calls::set_person_active(&d, id.clone(), true, Callback::noop())
            })
        };
        html! {
            <li class="org-person is-former" key={person.id.clone()} data-id={person.id.clone()}>
                <span class="org-person-name">{ person.name.clone() }</span>
                <button type="button" class="button button-quiet person-rejoin" disabled={busy} onclick={on_rejoin}>
                    { t(lang, Key::Rejoin) }
                </button>
            </li>
        }
    };
    let form = (*editing)
        .as_ref()
        .and_then(|id| staffing.people.iter().find(|p| &p.id == id))
        .map(|person| {
            let close = set_to(&editing, None);
            html! {
                <PersonForm
                    key={person.id.clone()}
                    person={person.clone()}
                    staffing={staffing.clone()}
                    on_close={close}
                />
            }
        });
    html! {
        <section class="settings-card people-editor" id="people-editor" aria-labelledby="people-title">
            <h3 class="settings-card-title" id="people-title">{ t(lang, Key::PeopleSection) }</h3>
            <p class="card-intro">{ t(lang, Key::PeopleIntro) }</p>
            if active.is_empty() {
                <p class="empty">{ t(lang, Key::NoPeople) }</p>
            } else {
                <ul class="org-people">{ for active.iter().map(|p| row(p)) }</ul>
            }
            if !former.is_empty() {
                <h4 class="org-people-heading">{ t(lang, Key::FormerStaff) }</h4>
                <ul class="org-people">{ for former.iter().map(|p| former_row(p)) }</ul>
            }
            { for form }
        </section>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct PersonFormProps {
    person: StaffingPerson,
    staffing: Rc<Staffing>,
    on_close: Callback<()>,
}

#[function_component(PersonForm)]
fn person_form(props: &PersonFormProps) -> Html {
    let lang = use_lang();
    let busy = use_busy(Op::EditOrg);
    let d = use_dispatch();
    let person = &props.person;
    let chosen = use_state(|| person.positions.iter().cloned().collect::<BTreeSet<_>>());
    let confirming = use_state(|| false);
    let on_change = {
        let chosen = chosen.clone();
        Callback::from(move |next: BTreeSet<String>| chosen.set(next))
    };
    let on_save = {
        let (chosen, id) = (chosen.clone(), person.id.clone());
        let (d, on_close) = (d.clone(), props.on_close.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !busy {
                // Positions already held keep their order; new ones follow.
                let positions = chosen.iter().cloned().collect();
                calls::save_person_positions(&d, id.clone(), positions, on_close.clone());
            }
        })
    };
    let ask = set_to(&confirming, true);
    let cancel = set_to(&confirming, false);
    let confirm = {
        let id = person.id.clone();
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| {
            calls::set_person_active(&d, id.clone(), false, on_close.clone())
        })
    };
    let positions: Vec<(String, String)> = props
        .staffing
        .positions
        .iter()
        .map(|p| (p.id.clone(), i18n::position_choice(&p.title, &p.department)))
        .collect();
    html! {
        <Sheet id="person-editor" title={person.name.clone()} on_close={props.on_close.clone()}>
            <form class="form sheet-form" novalidate=true onsubmit={on_save}>
                <OwnerChecklist
                    id="person-positions"
                    label={t(lang, Key::PersonPositions)}
                    groups={vec![(None, positions)]}
                    chosen={(*chosen).clone()}
                    {on_change}
                />
                <div class="sheet-actions">
                    { busy_button(lang, Some("save-person-button"), "button-primary", busy, [Key::SavePerson, Key::Saving], None) }
                </div>
            </form>
            <div class="sheet-danger">
                if *confirming {
                    <div class="confirm" role="group" aria-labelledby="person-left-question">
                        <p id="person-left-question">{ i18n::confirm_left(lang, &person.name) }</p>
                        <div class="card-actions">
                            <button type="button" id="person-left-confirm" class="button button-danger"
                                disabled={busy} onclick={confirm}>
                                { t(lang, Key::ConfirmLeft) }
                            </button>
                            <button type="button" class="button button-quiet" onclick={cancel}>
                                { t(lang, Key::Cancel) }
                            </button>
                        </div>
                    </div>
                } else {
                    <button type="button" id="person-left-button" class="button button-danger-quiet" onclick={ask}>
                        { t(lang, Key::MarkLeft) }
                    </button>
                }
            </div>
        </Sheet>
    }
}
