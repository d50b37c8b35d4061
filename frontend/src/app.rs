//! The root component: holds the [`State`] and picks the screen: loading, enrolment, or
//! once enrolled the header (store, sync, navigation) over one of the [`Screen`]s.

use std::collections::BTreeSet;
use std::rc::Rc;

use yew::prelude::*;

use crate::components::{
    AddTaskForm, AppHeader, AppNav, DutyRegisterView, EnrolForm, ErrorBanner, LoadFailed, Loading,
    OrgChartView, SavedToast, Settings, SyncIndicator, TaskList, TaskProgress, nav_label,
};
use crate::controller::{self, AddRequest, CopyRequest, EnrolRequest};
use crate::format;
use crate::i18n::{Key, Lang, t};
use crate::model::{AppStatus, TaskStatus, TaskView};
use crate::services::browser;
use crate::state::{DutyFilter, Op, Screen, State};

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
    {
        // The shown screen fetches its data when it appears, once enrolled, and after
        // every change the backend reports.
        let d = state.dispatcher();
        let deps = (state.screen, state.enrolled(), state.changes);
        use_effect_with(deps, move |&(screen, enrolled, _)| {
            if enrolled {
                controller::load_screen(d, screen);
            }
        });
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
        Some(status) => enrolled_screen(&state, status, lang, on_toggle_lang, banner),
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

/// The header (store name, device, sync, navigation) over the chosen screen.
fn enrolled_screen(
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
    let on_navigate = {
        let d = state.dispatcher();
        Callback::from(move |screen: Screen| controller::navigate(&d, screen))
    };

    let screen = state.screen;
    let body = match screen {
        Screen::Today => today_screen(state, lang, &time_zone),
        Screen::Duties => duties_screen(state, lang, &time_zone),
        Screen::Org => org_screen(state, lang),
        Screen::Settings => settings_screen(state, status, lang, on_sync_now.clone()),
    };
    // Only the heading of the task list is left to the navigation, as it always was.
    let heading_class = classes!(
        "screen-title",
        (screen == Screen::Today).then_some("visually-hidden")
    );

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
                <AppNav {lang} current={screen} {on_navigate} />
            </AppHeader>
            <main class="content has-tab-bar">
                { banner }
                <section
                    id={format!("screen-{}", screen.slug())}
                    class={classes!("screen", format!("screen-{}", screen.slug()))}
                    aria-labelledby="screen-title"
                >
                    <h2 id="screen-title" class={heading_class}>{ t(lang, nav_label(screen)) }</h2>
                    { body }
                </section>
            </main>
        </>
    }
}

/// The screen's data has not arrived: a spinner, or "Try again" if fetching it failed.
fn not_loaded(state: &UseReducerHandle<State>, lang: Lang, screen: Screen, failed: bool) -> Html {
    if failed {
        let d = state.dispatcher();
        let on_retry = Callback::from(move |()| controller::load_screen(d.clone(), screen));
        html! { <LoadFailed {lang} {on_retry} /> }
    } else {
        html! { <Loading {lang} /> }
    }
}

fn today_screen(state: &UseReducerHandle<State>, lang: Lang, time_zone: &str) -> Html {
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
        None => not_loaded(state, lang, Screen::Today, state.tasks_failed),
        Some(tasks) => {
            let (done, total) = counts(tasks);
            let today = format::today(time_zone);
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
            <AddTaskForm {lang} busy={state.is_busy(&Op::AddTask)} {on_add} />
            { tasks_view }
        </>
    }
}

fn duties_screen(state: &UseReducerHandle<State>, lang: Lang, time_zone: &str) -> Html {
    let Some(register) = state.duties.data.clone() else {
        return not_loaded(state, lang, Screen::Duties, state.duties.failed);
    };
    let on_filter = {
        let d = state.dispatcher();
        Callback::from(move |filter: DutyFilter| controller::set_duty_filter(&d, filter))
    };
    html! {
        <DutyRegisterView
            {lang}
            {register}
            filter={state.duty_filter}
            today={format::today(time_zone)}
            {on_filter}
        />
    }
}

fn org_screen(state: &UseReducerHandle<State>, lang: Lang) -> Html {
    let Some(org) = state.org.data.clone() else {
        return not_loaded(state, lang, Screen::Org, state.org.failed);
    };
    let on_show_uncovered = {
        let d = state.dispatcher();
        Callback::from(move |()| controller::show_uncovered_duties(&d))
    };
    html! { <OrgChartView {lang} {org} {on_show_uncovered} /> }
}

fn settings_screen(
    state: &UseReducerHandle<State>,
    status: &AppStatus,
    lang: Lang,
    on_sync_now: Callback<()>,
) -> Html {
    let on_choose_lang = {
        let d = state.dispatcher();
        Callback::from(move |choice: Lang| controller::choose_lang(&d, choice))
    };
    let on_create_invite = {
        let d = state.dispatcher();
        Callback::from(move |role: String| controller::create_invite(&d, role))
    };
    let on_copy = {
        let d = state.dispatcher();
        Callback::from(move |req: CopyRequest| controller::copy(&d, req))
    };
    let on_sign_out = {
        let d = state.dispatcher();
        Callback::from(move |()| controller::sign_out(&d))
    };
    html! {
        <Settings
            {lang}
            status={status.clone()}
            invite={state.invite.clone()}
            inviting={state.is_busy(&Op::Invite)}
            signing_out={state.is_busy(&Op::SignOut)}
            syncing={state.is_busy(&Op::Sync)}
            {on_choose_lang}
            {on_sync_now}
            {on_create_invite}
            {on_copy}
            {on_sign_out}
        />
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
