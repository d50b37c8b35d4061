//! The RACI line and the managers' buttons under each duty of the register.

use yew::prelude::*;

use crate::duties::duty_register::DutyActions;
use crate::i18n::{Key, Lang, t};
use crate::ui::busy_button;
use storeops_api::Named;
use storeops_api::org::RaciView;

/// "Responsible: … · Accountable: … · Consulted: … · Informed: …"; nothing without a RACI.
pub fn raci_line(lang: Lang, raci: Option<&RaciView>) -> Html {
    let Some(raci) = raci.filter(|r| !r.is_empty()) else {
        return html! {};
    };
    let names = |list: &[Named]| {
        list.iter()
            .map(|n| {
                if n.name.is_empty() {
                    n.id.clone()
                } else {
                    n.name.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(if lang == Lang::Zh { "、" } else { ", " })
    };
    let role = |slug: &'static str, key: Key, who: String| {
        (!who.is_empty()).then(|| {
            html! {
                <div class="raci-role" data-role={slug}>
                    <dt>{ t(lang, key) }</dt>
                    <dd>{ who }</dd>
                </div>
            }
        })
    };
    let one = |n: &Option<Named>| n.iter().cloned().collect::<Vec<_>>();
    html! {
        <dl class="raci">
            { for role("responsible", Key::Responsible, names(&one(&raci.responsible))) }
            { for role("accountable", Key::Accountable, names(&one(&raci.accountable))) }
            { for role("consulted", Key::Consulted, names(&raci.consulted)) }
            { for role("informed", Key::Informed, names(&raci.informed)) }
        </dl>
    }
}

/// "Edit" and "Create task now".
pub fn duty_buttons(lang: Lang, duty_id: &str, actions: &DutyActions) -> Html {
    let creating = actions.creating.contains(duty_id);
    let on_edit = {
        let id = duty_id.to_owned();
        actions.on_edit.reform(move |_: MouseEvent| id.clone())
    };
    let on_task = {
        let id = duty_id.to_owned();
        actions.on_task.reform(move |_: MouseEvent| id.clone())
    };
    html! {
        <div class="duty-actions">
            <button type="button" class="button button-quiet edit-duty" onclick={on_edit}>
                { t(lang, Key::Edit) }
            </button>
            { busy_button(lang, None, "button-secondary task-from-duty", creating, [Key::CreateTaskNow, Key::Creating], Some(on_task)) }
        </div>
    }
}
