use crate::shell::context::{use_busy, use_dispatch, use_lang};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::{Key, t};
use crate::shell::state::Op;
use crate::tasks::calls::{self, AddRequest};
use crate::ui::busy_button;

/// A one-line form: type a title, press Enter or "Add".
///
/// The input is uncontrolled, like the enrol form's, so Chinese input methods work; it is
/// cleared only once the task is saved, and only if it still holds what was sent.
#[function_component(AddTaskForm)]
pub fn add_task_form() -> Html {
    let lang = use_lang();
    let busy = use_busy(Op::AddTask);
    let d = use_dispatch();
    let input = use_node_ref();

    let onsubmit = {
        let input = input.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(el) = input.cast::<HtmlInputElement>() else {
                return;
            };
            let title = el.value().trim().to_owned();
            if busy || title.is_empty() {
                let _ = el.focus();
                return;
            }
            let sent = title.clone();
            let added = Callback::from(move |()| {
                if el.value().trim() == sent {
                    el.set_value("");
                }
                let _ = el.focus();
            });
            calls::add_task(&d, AddRequest { title, added });
        })
    };

    html! {
        <form class="add-task" {onsubmit}>
            <label for="new-task-title" class="visually-hidden">{ t(lang, Key::NewTaskLabel) }</label>
            <input
                id="new-task-title"
                ref={input}
                type="text"
                autocomplete="off"
                placeholder={t(lang, Key::NewTaskPlaceholder)}
            />
            { busy_button(lang, Some("add-task-button"), "button-primary", busy, [Key::AddTask, Key::Adding], None) }
        </form>
    }
}
