//! Finding tasks by words, status or lateness, across every week this device keeps.

use storeops_api::TaskStatus;
use storeops_api::command::SearchTasks;
use storeops_api::tasks::TaskView;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::{self, Key, t};
use crate::services::call;
use crate::shell::context::{use_dispatch, use_lang, use_today};
use crate::shell::run::failed;
use crate::tasks::calls;
use crate::tasks::task_item::TaskItem;
use crate::ui::form;

const STATUSES: [TaskStatus; 5] = TaskStatus::ALL;

#[derive(Properties, PartialEq, Debug)]
pub struct TaskSearchProps {
    /// What shows while nothing is searched for.
    pub children: Html,
}

/// A search field with a status filter and "overdue only"; while a search is on, its
/// results take the place of the list below.
#[function_component(TaskSearch)]
pub fn task_search(props: &TaskSearchProps) -> Html {
    let lang = use_lang();
    let today = use_today();
    let d = use_dispatch();
    let words = use_node_ref();
    let status = use_node_ref();
    let overdue = use_node_ref();
    // `None`: no search on.
    let found = use_state(|| None::<Vec<TaskView>>);

    let search = {
        let (words, status, overdue, found, d) = (
            words.clone(),
            status.clone(),
            overdue.clone(),
            found.clone(),
            d.clone(),
        );
        Callback::from(move |()| {
            let text = form::read(&words).trim().to_owned();
            let status = status
                .cast::<HtmlSelectElement>()
                .and_then(|s| STATUSES.into_iter().find(|x| x.as_str() == s.value()));
            let overdue = overdue
                .cast::<HtmlInputElement>()
                .is_some_and(|el| el.checked());
            if text.is_empty() && status.is_none() && !overdue {
                found.set(None);
                return;
            }
            let query = SearchTasks {
                words: text,
                status,
                assignee: None,
                department: None,
                due_from: None,
                due_to: None,
                overdue,
            };
            let (found, d) = (found.clone(), d.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match call(query).await {
                    Ok(tasks) => found.set(Some(tasks)),
                    Err(err) => failed(&d, err),
                }
            });
        })
    };
    let onsubmit = search.reform(|e: SubmitEvent| e.prevent_default());
    let onchange = search.reform(|_: Event| ());
    let clear = {
        let (words, status, overdue, found) = (
            words.clone(),
            status.clone(),
            overdue.clone(),
            found.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            form::clear(std::slice::from_ref(&words));
            if let Some(s) = status.cast::<HtmlSelectElement>() {
                s.set_value("");
            }
            if let Some(el) = overdue.cast::<HtmlInputElement>() {
                el.set_checked(false);
            }
            found.set(None);
        })
    };
    let on_set_status = {
        let (d, search) = (d.clone(), search.clone());
        Callback::from(move |(id, status): (String, TaskStatus)| {
            calls::set_task_status(&d, id, status, false);
            search.emit(());
        })
    };
    let results = found.as_ref().map(|tasks| {
        html! {
            <section class="search-results" aria-live="polite" id="search-results">
                <p class="search-count">
                    { i18n::found_count(lang, tasks.len()) }
                    <button type="button" class="button button-quiet" id="search-clear" onclick={clear.clone()}>
                        { t(lang, Key::ClearSearch) }
                    </button>
                </p>
                if !tasks.is_empty() {
                    <ul class="tasks">
                        { for tasks.iter().map(|task| html! {
                            <TaskItem
                                key={task.id.clone()}
                                task={task.clone()}
                                today={today.clone()}
                                on_set_status={on_set_status.clone()}
                            />
                        }) }
                    </ul>
                }
            </section>
        }
    });

    html! {
        <>
            <form class="task-search" id="task-search-form" role="search" {onsubmit}>
                <label for="task-search" class="visually-hidden">{ t(lang, Key::SearchTasks) }</label>
                <input id="task-search" ref={words} type="search" autocomplete="off" enterkeyhint="search"
                    placeholder={t(lang, Key::SearchTasksHint)} />
                <label for="task-search-status" class="visually-hidden">{ t(lang, Key::Status) }</label>
                <select id="task-search-status" class="select" ref={status} onchange={onchange.clone()}>
                    <option value="">{ t(lang, Key::AnyStatus) }</option>
                    { for STATUSES.iter().map(|s| html! {
                        <option value={s.as_str()}>{ i18n::status_label(lang, *s) }</option>
                    }) }
                </select>
                <label class="check-row" for="task-search-overdue">
                    <input type="checkbox" id="task-search-overdue" ref={overdue} onchange={onchange} />
                    { t(lang, Key::OverdueOnly) }
                </label>
            </form>
            if let Some(results) = results {
                { results }
            } else {
                { props.children.clone() }
            }
        </>
    }
}
