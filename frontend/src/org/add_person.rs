use crate::shell::context::{use_app, use_busy, use_dispatch, use_lang};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::{self, Key, t};
use crate::org::calls::{self, PersonRequest};
use crate::shell::state::Op;
use crate::ui::busy_button;
use crate::ui::form;

/// Managers, under the org chart: a new person, with how to reach them and their position.
/// The inputs are uncontrolled, as in the other forms, and cleared once the person is saved.
#[function_component(AddPersonForm)]
pub fn add_person_form() -> Html {
    let lang = use_lang();
    let app = use_app();
    let busy = use_busy(Op::AddPerson);
    let d = use_dispatch();
    let name = use_node_ref();
    let contact = use_node_ref();
    let position = use_node_ref();
    // Kept so that re-rendering (the positions arriving, the language changing) shows the
    // position picked, not another.
    let picked = use_state(String::new);
    let on_pick = form::picked(&picked);

    let onsubmit = {
        let (name, contact, position) = (name.clone(), contact.clone(), position.clone());
        let picked = picked.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if busy {
                return;
            }
            let (Some(name_el), Some(contact_el)) = (
                name.cast::<HtmlInputElement>(),
                contact.cast::<HtmlInputElement>(),
            ) else {
                return;
            };
            let position_el = position.cast::<HtmlSelectElement>();
            let added = {
                let (name_el, contact_el) = (name_el.clone(), contact_el.clone());
                let position_el = position_el.clone();
                let picked = picked.clone();
                Callback::from(move |()| {
                    name_el.set_value("");
                    contact_el.set_value("");
                    if let Some(el) = &position_el {
                        el.set_value("");
                    }
                    picked.set(String::new());
                })
            };
            calls::add_person(
                &d,
                PersonRequest {
                    name: name_el.value(),
                    contact: contact_el.value(),
                    position: position_el.map(|s| s.value()).filter(|v| !v.is_empty()),
                    added,
                },
            );
        })
    };

    let positions = app
        .staffing
        .data
        .as_ref()
        .map(|s| s.positions.clone())
        .unwrap_or_default();
    html! {
        <section class="settings-card add-person" aria-labelledby="add-person-title">
            <h3 class="settings-card-title" id="add-person-title">{ t(lang, Key::AddPersonTitle) }</h3>
            <form id="add-person-form" class="person-form" novalidate=true {onsubmit}>
                <div class="field">
                    <label for="person-name">{ t(lang, Key::PersonName) }</label>
                    <input id="person-name" ref={name} type="text" autocomplete="off" aria-required="true" />
                </div>
                <div class="field">
                    <label for="person-contact">{ t(lang, Key::PersonContact) }</label>
                    <input
                        id="person-contact"
                        ref={contact}
                        type="text"
                        autocomplete="off"
                        aria-describedby="person-contact-hint"
                    />
                    <p class="field-hint" id="person-contact-hint">{ t(lang, Key::PersonContactHint) }</p>
                </div>
                <div class="field">
                    <label for="person-position">{ t(lang, Key::PersonPosition) }</label>
                    <select id="person-position" class="select" ref={position} onchange={on_pick}>
                        <option value="" selected={picked.is_empty()}>{ t(lang, Key::NoPosition) }</option>
                        {
                            for positions.iter().map(|p| html! {
                                <option value={p.id.clone()} selected={*picked == p.id}>{ i18n::position_choice(&p.title, &p.department) }</option>
                            })
                        }
                    </select>
                </div>
                <div class="person-form-actions">
                    { busy_button(lang, Some("add-person-button"), "button-primary", busy, [Key::AddPersonButton, Key::AddingPerson], None) }
                </div>
            </form>
        </section>
    }
}
