use std::collections::BTreeSet;
use std::rc::Rc;

use crate::shell::context::{use_app, use_dispatch, use_lang};
use storeops_api::org::{DutyRegister, DutyView};
use yew::prelude::*;

use crate::duties::calls::{self};
use crate::duties::duty_form::DutyForm;
use crate::duties::duty_register::{DutyActions, DutyRegisterView};
use crate::i18n::{Key, t};
use crate::shell::state::Op;
use crate::ui::form::set_to;
use crate::ui::owner_picker::OwnerChoices;

#[derive(Properties, PartialEq, Debug)]
pub struct DutyEditorProps {
    pub register: Rc<DutyRegister>,
    /// Managers edit; staff only read.
    pub manager: bool,
}

/// What the duty form is open for.
#[derive(Clone, Debug, PartialEq)]
enum Editing {
    New,
    Duty(Box<DutyView>),
}

/// The duty register; for managers with "Add duty", and "Edit" / "Create task now" on
/// each duty, the form opening over the register.
#[function_component(DutyEditor)]
pub fn duty_editor(props: &DutyEditorProps) -> Html {
    let lang = use_lang();
    let app = use_app();
    let d = use_dispatch();
    let editing = use_state(|| None::<Editing>);
    let close = set_to(&editing, None);
    let actions = props.manager.then(|| {
        let on_edit = {
            let (editing, register) = (editing.clone(), props.register.clone());
            Callback::from(move |id: String| {
                let duty = register
                    .groups
                    .iter()
                    .flat_map(|g| &g.sections)
                    .flat_map(|s| &s.duties)
                    .find(|d| d.id == id);
                if let Some(duty) = duty {
                    editing.set(Some(Editing::Duty(Box::new(duty.clone()))));
                }
            })
        };
        let d = d.clone();
        // Duties whose "Create task now" is under way.
        let creating: BTreeSet<String> = (app.busy.iter())
            .filter_map(|op| match op {
                Op::TaskFromDuty(id) => Some(id.clone()),
                _ => None,
            })
            .collect();
        DutyActions {
            on_edit,
            on_task: Callback::from(move |id| calls::task_from_duty(&d, id)),
            creating: Rc::new(creating),
        }
    });
    // For the owner pickers: departments (else taken from the register), positions, people.
    let staffing = app.staffing.data.as_deref();
    let choices = Rc::new(match &app.org.data {
        Some(org) => OwnerChoices::from_org(&org.departments, staffing),
        None => {
            let named: Vec<_> = props
                .register
                .groups
                .iter()
                .map(|g| (g.department_id.clone(), g.department.clone()))
                .collect();
            OwnerChoices::new(&named, staffing)
        }
    });
    let add = set_to(&editing, Some(Editing::New));
    let form = (*editing).clone().map(|what| {
        let duty = match what {
            Editing::New => None,
            Editing::Duty(duty) => Some(*duty),
        };
        let key = duty.as_ref().map_or_else(String::new, |d| d.id.clone());
        html! {
            <DutyForm
                {key}
                {duty}
                {choices}
                on_close={close.clone()}
            />
        }
    });
    html! {
        <>
            if props.manager {
                <div class="screen-actions">
                    <button type="button" id="add-duty-button" class="button button-primary" onclick={add}>
                        <span aria-hidden="true">{ "+ " }</span>{ t(lang, Key::AddDuty) }
                    </button>
                </div>
            }
            <DutyRegisterView
                register={props.register.clone()}
                {actions}
            />
            { for form }
        </>
    }
}
