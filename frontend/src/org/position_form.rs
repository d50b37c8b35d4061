use std::rc::Rc;

use crate::shell::context::{use_busy, use_dispatch, use_lang};
use storeops_api::org::{OrgChart, OrgPosition};
use yew::prelude::*;

use crate::i18n::{self, Key, t};
use crate::org::calls::PositionRequest;
use crate::org::editing::{
    PositionDraft, all_positions, department_choices, indented, position_and_below,
};
use crate::shell::state::Op;
use crate::ui::busy_button;
use crate::ui::form::{self, picked};
use crate::ui::sheet::Sheet;

#[derive(Properties, PartialEq, Debug)]
pub struct PositionFormProps {
    pub org: Rc<OrgChart>,
    /// The position edited and its department's id; `None` for a new one.
    pub position: Option<(OrgPosition, String)>,
    pub on_close: Callback<()>,
}

/// A position's title, department, whom it reports to (not itself, nor anyone below it)
/// and how many people it is for. Editing sends every field.
#[function_component(PositionForm)]
pub fn position_form(props: &PositionFormProps) -> Html {
    let lang = use_lang();
    let busy = use_busy(Op::EditOrg);
    let d = use_dispatch();
    let editing = props.position.as_ref();
    let title = use_node_ref();
    let headcount = use_node_ref();
    crate::ui::seed::use_seed(
        &title,
        editing.map(|(p, _)| p.title.clone()).unwrap_or_default(),
    );
    crate::ui::seed::use_seed(
        &headcount,
        editing.map_or(1, |(p, _)| p.headcount.max(1)).to_string(),
    );
    let department = use_state(|| editing.map(|(_, d)| d.clone()).unwrap_or_default());
    let reports_to = use_state(|| {
        editing
            .and_then(|(p, _)| p.reports_to.clone())
            .unwrap_or_default()
    });
    let onsubmit = {
        let (title, headcount) = (title.clone(), headcount.clone());
        let (department, reports_to) = (department.clone(), reports_to.clone());
        let id = editing.map(|(p, _)| p.id.clone());
        let (org, on_close, d) = (props.org.clone(), props.on_close.clone(), d.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if busy {
                return;
            }
            crate::org::calls::save_position(
                &d,
                PositionRequest {
                    draft: PositionDraft {
                        id: id.clone(),
                        title: form::read(&title),
                        department: (*department).clone(),
                        reports_to: Some((*reports_to).clone()).filter(|r| !r.is_empty()),
                        headcount: form::read(&headcount),
                    },
                    org: org.clone(),
                    done: on_close.clone(),
                },
            );
        })
    };
    let departments = department_choices(&props.org.departments, None);
    let positions = all_positions(&props.org.departments);
    let below = editing
        .map(|(p, _)| position_and_below(positions.iter().map(|(p, _)| *p), &p.id))
        .unwrap_or_default();
    let heading = t(
        lang,
        if editing.is_some() {
            Key::EditPosition
        } else {
            Key::NewPosition
        },
    );
    html! {
        <Sheet id="position-editor" title={heading} on_close={props.on_close.clone()}>
            <form class="form sheet-form" novalidate=true {onsubmit}>
                <div class="field">
                    <label for="position-title">{ t(lang, Key::PositionTitle) }</label>
                    <input id="position-title" ref={title} type="text" autocomplete="off" aria-required="true" />
                </div>
                <div class="field">
                    <label for="position-department">{ t(lang, Key::PositionDepartment) }</label>
                    <select id="position-department" class="select" aria-required="true" onchange={picked(&department)}>
                        <option value="" selected={department.is_empty()} disabled=true>{ t(lang, Key::ChooseDepartment) }</option>
                        {
                            for departments.iter().map(|(d, depth)| html! {
                                <option value={d.id.clone()} selected={*department == d.id}>{ indented(&d.name, *depth) }</option>
                            })
                        }
                    </select>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="position-reports-to">{ t(lang, Key::ReportsTo) }</label>
                        <select id="position-reports-to" class="select" onchange={picked(&reports_to)}>
                            <option value="" selected={reports_to.is_empty()}>{ t(lang, Key::ReportsToNone) }</option>
                            {
                                for positions.iter().filter(|(p, _)| !below.contains(&p.id)).map(|(p, dept)| html! {
                                    <option value={p.id.clone()} selected={*reports_to == p.id}>
                                        { i18n::position_choice(&p.title, dept) }
                                    </option>
                                })
                            }
                        </select>
                    </div>
                    <div class="field field-narrow">
                        <label for="position-headcount">{ t(lang, Key::Headcount) }</label>
                        <input id="position-headcount" ref={headcount} type="text" inputmode="numeric"
                            autocomplete="off" aria-describedby="position-headcount-hint" />
                    </div>
                </div>
                <p class="field-hint" id="position-headcount-hint">{ t(lang, Key::HeadcountHint) }</p>
                <div class="sheet-actions">
                    { busy_button(lang, Some("save-position-button"), "button-primary", busy, [Key::SavePosition, Key::Saving], None) }
                </div>
            </form>
        </Sheet>
    }
}
