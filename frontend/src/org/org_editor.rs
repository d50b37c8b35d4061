use std::rc::Rc;

use crate::shell::context::use_lang;
use storeops_api::org::OrgChart;
use yew::prelude::*;

use crate::i18n::{Key, t};
use crate::org::department_form::DepartmentForm;
use crate::org::org_chart::{OrgActions, OrgChartView};
use crate::org::people_editor::PeopleEditor;
use crate::org::position_form::PositionForm;
use crate::ui::form::set_to;

#[derive(Properties, PartialEq, Debug)]
pub struct OrgEditorProps {
    pub org: Rc<OrgChart>,
}

/// What a form is open for.
#[derive(Clone, Debug, PartialEq)]
enum Editing {
    NewDepartment,
    Department(String),
    NewPosition,
    Position(String),
}

/// Managers' org chart: "Add department" and "Add position" over the chart, "Edit" on
/// each department and position, and the people with their positions below it.
#[function_component(OrgEditor)]
pub fn org_editor(props: &OrgEditorProps) -> Html {
    let lang = use_lang();
    let org = &props.org;
    let editing = use_state(|| None::<Editing>);
    let open = |what: Editing| {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(Some(what.clone())))
    };
    let close = set_to(&editing, None);
    let actions = OrgActions {
        on_edit_department: {
            let editing = editing.clone();
            Callback::from(move |id| editing.set(Some(Editing::Department(id))))
        },
        on_edit_position: {
            let editing = editing.clone();
            Callback::from(move |id| editing.set(Some(Editing::Position(id))))
        },
    };
    let form = match (*editing).clone() {
        None => html! {},
        Some(Editing::NewDepartment) => html! {
            <DepartmentForm org={org.clone()} department={None} on_close={close.clone()} />
        },
        Some(Editing::Department(id)) => {
            let department = org.departments.iter().find(|d| d.id == id).cloned();
            html! {
                <DepartmentForm key={id} org={org.clone()} {department} on_close={close.clone()} />
            }
        }
        Some(Editing::NewPosition) => html! {
            <PositionForm org={org.clone()} position={None} on_close={close.clone()} />
        },
        Some(Editing::Position(id)) => {
            let position = org.departments.iter().find_map(|d| {
                d.positions
                    .iter()
                    .find(|p| p.id == id)
                    .map(|p| (p.clone(), d.id.clone()))
            });
            html! {
                <PositionForm key={id} org={org.clone()} {position} on_close={close.clone()} />
            }
        }
    };
    html! {
        <>
            <div class="screen-actions">
                <button type="button" id="add-department-button" class="button button-secondary"
                    onclick={open(Editing::NewDepartment)}>
                    <span aria-hidden="true">{ "+ " }</span>{ t(lang, Key::AddDepartment) }
                </button>
                <button type="button" id="add-position-button" class="button button-secondary"
                    disabled={org.departments.is_empty()} onclick={open(Editing::NewPosition)}>
                    <span aria-hidden="true">{ "+ " }</span>{ t(lang, Key::AddPosition) }
                </button>
            </div>
            <OrgChartView org={org.clone()} actions={Some(actions)} />
            <PeopleEditor />
            { form }
        </>
    }
}
