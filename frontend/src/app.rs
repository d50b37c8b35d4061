//! The root component: holds the [`State`] and picks the screen.

use std::collections::BTreeSet;
use std::rc::Rc;

use yew::prelude::*;

use crate::components::{
    AddTaskForm, AppHeader, EnrolForm, ErrorBanner, SavedToast, SyncIndicator, TaskList,
    TaskProgress,
};
use crate::controller::{self, AddRequest, EnrolRequest};
use crate::format;
use crate::i18n::{Key, Lang, t};
use crate::model::{AppStatus, TaskStatus, TaskView};
use crate::services::browser;
use crate::state::{Op, State};

fn initial_state() -> State {
    let stored = browser::stored_lang().and_then(|tag| Lang::from_tag(&tag));
    let browser = browser::browser_language().and_then(|tag| Lang::from_tag(&tag));
    State::new(stored, browser)
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial_state);
    let lang = state.lang();

    {
        let d = state.dispatcher();
        use_effect_with((), move |()| controller::start(d));
    }

    let store_name = state
        .status
        .as_ref()
        .and_then(|s| s.store.as_ref())
        .map(|store| store.name.clone());
    use_effect_with((lang, store_name.clone()), |(lang, store_name)| {
        let app = t(*lang, Key::AppName);
        let title = match store_name {
            Some(name) => format!("{name} · {app}"),
            None => app.to_owned(),
        };
        browser::set_document_lang_and_title(lang.tag(), &title);
    });

    let on_toggle_lang = {
        let d = state.dispatcher();
        Callback::from(move |()| controller::choose_lang(&d, lang.other()))
    };
    let on_dismiss = {
        let d = state.dispatcher();
        Callback::from(move |()| controller::dismiss_problem(&d))
    };
    let banner = html! {
        <ErrorBanner {lang} problem={state.problem.clone()} {on_dismiss} />
    };

    let screen = match state.status.as_ref() {
        None => loading_screen(&state, lang),
        Some(status) if !status.enrolled => {
            let d = state.dispatcher();
            let on_enrol = Callback::from(move |req: EnrolRequest| controller::enrol(&d, req));
            html! {
                <>
                    <AppHeader {lang} title={t(lang, Key::AppName)} {on_toggle_lang} />
                    <main class="content">
                        { banner }
                        <EnrolForm {lang} busy={state.is_busy(&Op::Enrol)} {on_enrol} />
                    </main>
                </>
            }
        }
        Some(status) => tasks_screen(&state, status, lang, on_toggle_lang, banner),
    };

    html! {
        <div class="app">
            { screen }
            <SavedToast {lang} visible={state.saved.is_some()} />
        </div>
    }
}

fn loading_screen(state: &UseReducerHandle<State>, lang: Lang) -> Html {
    let on_toggle_lang = {
        let d = state.dispatcher();
        Callback::from(move |()| controller::choose_lang(&d, lang.other()))
    };
    let on_dismiss = {
        let d = state.dispatcher();
        Callback::from(move |()| controller::dismiss_problem(&d))
    };
    let on_retry = {
        let d = state.dispatcher();
        Callback::from(move |_: MouseEvent| controller::start(d.clone()))
    };
    html! {
        <>
            <AppHeader {lang} title={t(lang, Key::AppName)} {on_toggle_lang} />
            <main class="content">
                <ErrorBanner {lang} problem={state.problem.clone()} {on_dismiss} />
                if state.status_failed {
                    <div class="centre">
                        <button type="button" id="retry-button" class="button button-primary" onclick={on_retry}>
                            { t(lang, Key::Retry) }
                        </button>
                    </div>
                } else {
                    <div class="centre loading" role="status">
                        <span class="spinner" aria-hidden="true"></span>
                        { t(lang, Key::Loading) }
                    </div>
                }
            </main>
        </>
    }
}

fn tasks_screen(
    state: &UseReducerHandle<State>,
    status: &AppStatus,
    lang: Lang,
    on_toggle_lang: Callback<()>,
    banner: Html,
) -> Html {
    let (store_name, time_zone) = status
        .store
        .as_ref()
        .map(|s| (s.name.clone(), s.time_zone.clone()))
        .unwrap_or_default();
    let subtitle = {
        let parts: Vec<String> = [
            status.device_name.clone(),
            status
                .role
                .as_deref()
                .map(|r| crate::i18n::role_label(lang, r)),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
        (!parts.is_empty()).then(|| AttrValue::from(parts.join(" · ")))
    };

    let on_sync_now = {
        let d = state.dispatcher();
        Callback::from(move |()| controller::sync_now(&d))
    };
    let on_add = {
        let d = state.dispatcher();
        Callback::from(move |req: AddRequest| controller::add_task(&d, req))
    };
    let on_set_status = {
        let d = state.dispatcher();
        Callback::from(move |(id, status): (String, TaskStatus)| {
            controller::set_task_status(&d, id, status);
        })
    };

    let busy_tasks: Rc<BTreeSet<String>> = Rc::new(
        state
            .busy
            .iter()
            .filter_map(|op| match op {
                Op::Task(id) => Some(id.clone()),
                _ => None,
            })
            .collect(),
    );

    let tasks_view = match &state.tasks {
        None => html! {
            <div class="centre loading" role="status">
                <span class="spinner" aria-hidden="true"></span>
                { t(lang, Key::Loading) }
            </div>
        },
        Some(tasks) => {
            let (done, total) = counts(tasks);
            let today = format::today(&time_zone);
            html! {
                <>
                    if total > 0 {
                        <TaskProgress {lang} {done} {total} />
                    }
                    <TaskList
                        {lang}
                        tasks={Rc::new(tasks.clone())}
                        today={today}
                        busy={busy_tasks}
                        {on_set_status}
                    />
                </>
            }
        }
    };

    html! {
        <>
            <AppHeader
                {lang}
                title={store_name}
                title_id={Some(AttrValue::from("store-name"))}
                {subtitle}
                {on_toggle_lang}
            >
                <SyncIndicator
                    {lang}
                    sync={status.sync.clone()}
                    time_zone={time_zone.clone()}
                    syncing={state.is_busy(&Op::Sync)}
                    {on_sync_now}
                />
            </AppHeader>
            <main class="content">
                { banner }
                <AddTaskForm {lang} busy={state.is_busy(&Op::AddTask)} {on_add} />
                { tasks_view }
            </main>
        </>
    }
}

/// Done tasks, out of all tasks that were not cancelled.
fn counts(tasks: &[TaskView]) -> (usize, usize) {
    let total = tasks
        .iter()
        .filter(|t| t.status() != TaskStatus::Cancelled)
        .count();
    let done = tasks
        .iter()
        .filter(|t| t.status() == TaskStatus::Done)
        .count();
    (done, total)
}
