use std::rc::Rc;

use crate::shell::context::{use_busy, use_dispatch, use_lang};
use yew::prelude::*;

use crate::i18n::{Key, t};
use crate::org::calls::DepartmentRequest;
use crate::org::editing::{DepartmentDraft, department_choices, indented};
use crate::shell::state::Op;
use crate::ui::busy_button;
use crate::ui::form::{self, picked};
use crate::ui::sheet::Sheet;
use storeops_api::org::{OrgChart, OrgDepartment};

#[derive(Properties, PartialEq, Debug)]
pub struct DepartmentFormProps {
    pub org: Rc<OrgChart>,
    /// The department edited; `None` for a new one.
    pub department: Option<OrgDepartment>,
    pub on_close: Callback<()>,
}

/// A department's name, the department it sits under (not itself, nor one below it) and,
/// once it has positions, which of them heads it.
#[function_component(DepartmentForm)]
pub fn department_form(props: &DepartmentFormProps) -> Html {
    let lang = use_lang();
    let busy = use_busy(Op::EditOrg);
    let d = use_dispatch();
    let dept = props.department.as_ref();
    let name = use_node_ref();
    crate::ui::seed::use_seed(&name, dept.map(|d| d.name.clone()).unwrap_or_default());
    let parent = use_state(|| dept.and_then(|d| d.parent.clone()).unwrap_or_default());
    let head = use_state(|| dept.and_then(|d| d.head.clone()).unwrap_or_default());
    let onsubmit = {
        let name = name.clone();
        let (parent, head) = (parent.clone(), head.clone());
        let id = dept.map(|d| d.id.clone());
        let (org, on_close, d) = (props.org.clone(), props.on_close.clone(), d.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if busy {
                return;
            }
            let name = form::read(&name);
            crate::org::calls::save_department(
                &d,
                DepartmentRequest {
                    draft: DepartmentDraft {
                        id: id.clone(),
                        name,
                        parent: Some((*parent).clone()).filter(|p| !p.is_empty()),
                        head: Some((*head).clone()).filter(|h| !h.is_empty()),
                    },
                    org: org.clone(),
                    done: on_close.clone(),
                },
            );
        })
    };
    let parents = department_choices(&props.org.departments, dept.map(|d| d.id.as_str()));
    let title = t(
        lang,
        if dept.is_some() {
            Key::EditDepartment
        } else {
            Key::NewDepartment
        },
    );
    html! {
        <Sheet id="department-editor" {title} on_close={props.on_close.clone()}>
            <form class="form sheet-form" novalidate=true {onsubmit}>
                <div class="field">
                    <label for="department-name">{ t(lang, Key::DepartmentName) }</label>
                    <input id="department-name" ref={name} type="text" autocomplete="off" aria-required="true" />
                </div>
                <div class="field">
                    <label for="department-parent">{ t(lang, Key::ParentDepartment) }</label>
                    <select id="department-parent" class="select" onchange={picked(&parent)}>
                        <option value="" selected={parent.is_empty()}>{ t(lang, Key::TopLevel) }</option>
                        {
                            for parents.iter().map(|(d, depth)| html! {
                                <option value={d.id.clone()} selected={*parent == d.id}>{ indented(&d.name, *depth) }</option>
                            })
                        }
                    </select>
                </div>
                if let Some(dept) = dept.filter(|d| !d.positions.is_empty()) {
                    <div class="field">
                        <label for="department-head">{ t(lang, Key::HeadPosition) }</label>
                        <select id="department-head" class="select" onchange={picked(&head)}>
                            <option value="" selected={head.is_empty()}>{ t(lang, Key::NoHead) }</option>
                            {
                                for dept.positions.iter().map(|p| html! {
                                    <option value={p.id.clone()} selected={*head == p.id}>{ p.title.clone() }</option>
                                })
                            }
                        </select>
                    </div>
                }
                <div class="sheet-actions">
                    { busy_button(lang, Some("save-department-button"), "button-primary", busy, [Key::SaveDepartment, Key::Saving], None) }
                </div>
            </form>
        </Sheet>
    }
}
