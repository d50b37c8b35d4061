use std::collections::BTreeSet;
use std::rc::Rc;

use crate::shell::context::{use_busy, use_dispatch, use_lang};
use storeops_api::org::{DutyView, RaciInput};
use storeops_api::{Cadence, Named};
use yew::prelude::*;

use crate::duties::calls::DutyRequest;
use crate::i18n::{self, Key, t};
use crate::org::editing::DutyDraft;
use crate::shell::state::Op;
use crate::ui::busy_button;
use crate::ui::form::{self, picked};
use crate::ui::owner_picker::{OwnerChecklist, OwnerChoices, OwnerSelect};
use crate::ui::sheet::Sheet;
use crate::ui::wire;

#[derive(Properties, PartialEq, Debug)]
pub struct DutyFormProps {
    /// The duty edited; `None` for a new one.
    pub duty: Option<DutyView>,
    pub choices: Rc<OwnerChoices>,
    pub on_close: Callback<()>,
}

/// A duty's text, owner, cadence and (optionally) RACI, in a sheet.
#[function_component(DutyForm)]
pub fn duty_form(props: &DutyFormProps) -> Html {
    let lang = use_lang();
    let busy = use_busy(Op::EditDuty);
    let d = use_dispatch();
    let duty = props.duty.as_ref();
    let text = use_node_ref();
    crate::ui::seed::use_seed(&text, duty.map(|d| d.text.clone()).unwrap_or_default());
    let owner = use_state(|| duty.and_then(|d| d.owner_id.clone()).unwrap_or_default());
    // The cadence's wire name, as the select holds it.
    let cadence = use_state(|| wire::name(duty.map_or(Cadence::Daily, |d| d.cadence)));
    let raci = use_state(|| {
        duty.and_then(|d| d.raci.as_ref())
            .map(|r| r.to_input())
            .unwrap_or_default()
    });

    let onsubmit = {
        let text = text.clone();
        let (owner, cadence, raci) = (owner.clone(), cadence.clone(), raci.clone());
        let id = duty.map(|d| d.id.clone());
        let (on_close, d) = (props.on_close.clone(), d.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if busy {
                return;
            }
            let text = form::read(&text);
            crate::duties::calls::save_duty(
                &d,
                DutyRequest {
                    draft: DutyDraft {
                        id: id.clone(),
                        text,
                        owner: Some((*owner).clone()).filter(|o| !o.is_empty()),
                        cadence: (*cadence).clone(),
                        raci: (*raci).clone(),
                    },
                    done: on_close.clone(),
                },
            );
        })
    };
    let set = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |v: String| state.set(v))
    };
    let on_cadence = picked(&cadence);
    let set_raci = |f: fn(&mut RaciInput, Option<String>)| {
        let raci = raci.clone();
        Callback::from(move |v: String| {
            let mut next = (*raci).clone();
            f(&mut next, Some(v).filter(|v| !v.is_empty()));
            raci.set(next);
        })
    };
    let set_raci_list = |f: fn(&mut RaciInput, Vec<String>)| {
        let raci = raci.clone();
        Callback::from(move |v: BTreeSet<String>| {
            let mut next = (*raci).clone();
            f(&mut next, v.into_iter().collect());
            raci.set(next);
        })
    };
    // The names of those the duty's RACI holds, should the choices not list them.
    let names = duty.and_then(|d| d.raci.as_ref());
    let name_of = |n: Option<&Named>| n.map(|n| AttrValue::from(n.name.clone()));
    let title = t(
        lang,
        if duty.is_some() {
            Key::EditDuty
        } else {
            Key::NewDuty
        },
    );
    html! {
        <Sheet id="duty-editor" {title} on_close={props.on_close.clone()}>
            <form class="form sheet-form" novalidate=true {onsubmit}>
                <div class="field">
                    <label for="duty-text">{ t(lang, Key::DutyText) }</label>
                    <textarea id="duty-text" ref={text} rows="3" aria-required="true" />
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="duty-owner">{ t(lang, Key::DutyOwner) }</label>
                        <OwnerSelect
                            id="duty-owner"
                            choices={props.choices.clone()}
                            value={(*owner).clone()}
                            none={Key::NoOwner}
                            value_name={duty.map(|d| AttrValue::from(d.owner.clone()))}
                            on_change={set(&owner)}
                        />
                    </div>
                    <div class="field">
                        <label for="duty-cadence">{ t(lang, Key::DutyCadence) }</label>
                        <select id="duty-cadence" class="select" onchange={on_cadence}>
                            {
                                for Cadence::ALL.into_iter().map(|c| html! {
                                    <option value={wire::name(c)} selected={*cadence == wire::name(c)}>
                                        { i18n::cadence_label(lang, c) }
                                    </option>
                                })
                            }
                        </select>
                    </div>
                </div>
                <details class="raci-fields" open={!raci.is_empty()}>
                    <summary>{ t(lang, Key::RaciSection) }</summary>
                    <div class="field-row">
                        <div class="field">
                            <label for="duty-responsible">{ t(lang, Key::Responsible) }</label>
                            <OwnerSelect
                                id="duty-responsible"
                                choices={props.choices.clone()}
                                value={raci.responsible.clone().unwrap_or_default()}
                                none={Key::Nobody}
                                value_name={name_of(names.and_then(|n| n.responsible.as_ref()))}
                                on_change={set_raci(|r, v| r.responsible = v)}
                            />
                        </div>
                        <div class="field">
                            <label for="duty-accountable">{ t(lang, Key::Accountable) }</label>
                            <OwnerSelect
                                id="duty-accountable"
                                choices={props.choices.clone()}
                                value={raci.accountable.clone().unwrap_or_default()}
                                none={Key::Nobody}
                                value_name={name_of(names.and_then(|n| n.accountable.as_ref()))}
                                on_change={set_raci(|r, v| r.accountable = v)}
                            />
                        </div>
                    </div>
                    <div class="field-row">
                        <OwnerChecklist
                            id="duty-consulted"
                            label={t(lang, Key::Consulted)}
                            groups={props.choices.checklist_groups()}
                            chosen={raci.consulted.iter().cloned().collect::<BTreeSet<_>>()}
                            on_change={set_raci_list(|r, v| r.consulted = v)}
                        />
                        <OwnerChecklist
                            id="duty-informed"
                            label={t(lang, Key::Informed)}
                            groups={props.choices.checklist_groups()}
                            chosen={raci.informed.iter().cloned().collect::<BTreeSet<_>>()}
                            on_change={set_raci_list(|r, v| r.informed = v)}
                        />
                    </div>
                </details>
                <div class="sheet-actions">
                    { busy_button(lang, Some("save-duty-button"), "button-primary", busy, [Key::SaveDuty, Key::Saving], None) }
                </div>
            </form>
        </Sheet>
    }
}
