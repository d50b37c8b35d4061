use storeops_api::Priority;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::i18n::{self, Key, t};
use crate::shell::context::{use_app, use_busy, use_dispatch, use_lang};
use crate::shell::state::Op;
use crate::tasks::calls::{self, AddRequest, NewTaskFields};
use crate::ui::owner_select::owner_options;
use crate::ui::{busy_button, form};

const PRIORITIES: [Priority; 4] = [
    Priority::Low,
    Priority::Normal,
    Priority::High,
    Priority::Urgent,
];

/// A title, Enter or "Add"; "Details" opens the rest of a task — description,
/// assignee, due date and time, priority, checklist — saved with it as one change.
///
/// The inputs are uncontrolled, like the enrol form's, so Chinese input methods work;
/// they are cleared only once the task is saved, and only if the title still holds
/// what was sent.
#[function_component(AddTaskForm)]
pub fn add_task_form() -> Html {
    let lang = use_lang();
    let app = use_app();
    let busy = use_busy(Op::AddTask);
    let d = use_dispatch();
    let details = use_state(|| false);
    let title = use_node_ref();
    let description = use_node_ref();
    let assignee = use_node_ref();
    let due = use_node_ref();
    let due_time = use_node_ref();
    let priority = use_node_ref();
    let checklist = use_node_ref();

    let onsubmit = {
        let refs = [
            title.clone(),
            description.clone(),
            assignee.clone(),
            due.clone(),
            due_time.clone(),
            priority.clone(),
            checklist.clone(),
        ];
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let [
                title,
                description,
                assignee,
                due,
                due_time,
                priority,
                checklist,
            ] = &refs;
            let Some(el) = title.cast::<HtmlInputElement>() else {
                return;
            };
            let text = el.value().trim().to_owned();
            if busy || text.is_empty() {
                let _ = el.focus();
                return;
            }
            let fields = NewTaskFields {
                description: form::read(description),
                assignee: form::chosen(assignee),
                due: form::chosen(due),
                due_time: form::chosen(due_time),
                priority: priority
                    .cast::<HtmlSelectElement>()
                    .and_then(|s| PRIORITIES.into_iter().find(|p| p.as_str() == s.value())),
                checklist: checklist
                    .cast::<HtmlTextAreaElement>()
                    .map(|el| el.value().lines().map(str::to_owned).collect())
                    .unwrap_or_default(),
            };
            let sent = text.clone();
            let rest = refs[1..].to_vec();
            let added = Callback::from(move |()| {
                if el.value().trim() == sent {
                    el.set_value("");
                    form::clear(&rest);
                }
                let _ = el.focus();
            });
            calls::add_task(
                &d,
                AddRequest {
                    title: text,
                    fields,
                    added,
                },
            );
        })
    };
    let toggle = {
        let details = details.clone();
        Callback::from(move |_: MouseEvent| details.set(!*details))
    };

    html! {
        <form class="add-task-form" id="add-task-form" {onsubmit}>
            <div class="add-task">
                <label for="new-task-title" class="visually-hidden">{ t(lang, Key::NewTaskLabel) }</label>
                <input
                    id="new-task-title"
                    ref={title}
                    type="text"
                    autocomplete="off"
                    maxlength="200"
                    placeholder={t(lang, Key::NewTaskPlaceholder)}
                />
                <button
                    type="button"
                    id="task-details-toggle"
                    class="button button-quiet"
                    aria-expanded={details.to_string()}
                    aria-controls="new-task-details"
                    onclick={toggle}
                >
                    { t(lang, Key::TaskDetails) }
                </button>
                { busy_button(lang, Some("add-task-button"), "button-primary", busy, [Key::AddTask, Key::Adding], None) }
            </div>
            <div class="grid-form new-task-details" id="new-task-details" hidden={!*details}>
                <div class="field field-wide">
                    <label for="new-task-description">{ t(lang, Key::Description) }</label>
                    <textarea id="new-task-description" ref={description} rows="2" maxlength="4000"></textarea>
                </div>
                <div class="field">
                    <label for="new-task-assignee">{ t(lang, Key::Assignee) }</label>
                    <select id="new-task-assignee" class="select" ref={assignee}>
                        { owner_options(lang, app.staffing.data.as_deref(), None, None, None) }
                    </select>
                </div>
                <div class="field">
                    <label for="new-task-priority">{ t(lang, Key::Priority) }</label>
                    <select id="new-task-priority" class="select" ref={priority}>
                        { for PRIORITIES.iter().map(|p| html! {
                            <option value={p.as_str()} selected={*p == Priority::Normal}>
                                { i18n::priority_label(lang, *p) }
                            </option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="new-task-due">{ t(lang, Key::DueDate) }</label>
                    <input id="new-task-due" ref={due} type="date" />
                </div>
                <div class="field">
                    <label for="new-task-due-time">{ t(lang, Key::DueTime) }</label>
                    <input id="new-task-due-time" ref={due_time} type="time" />
                </div>
                <div class="field field-wide">
                    <label for="new-task-checklist">{ t(lang, Key::Checklist) }</label>
                    <textarea id="new-task-checklist" ref={checklist} rows="3" placeholder={t(lang, Key::ChecklistLinesHint)}></textarea>
                </div>
            </div>
        </form>
    }
}
