//! The root component: holds the [`State`] and picks the screen: loading, enrolment, or
//! once enrolled the header (store, sync, navigation) over one of the [`Screen`]s.

use std::rc::Rc;

use storeops_api::ErrorCode;
use storeops_api::status::AppStatus;
use yew::prelude::*;

use crate::assessment::AssessmentView;
use crate::chain::{ChainView, StoreSwitcher};
use crate::dashboard::DashboardView;
use crate::duties::{DutyEditor, MyDuties};
use crate::feedback::FeedbackView;
use crate::i18n::{Key, Lang, t};
use crate::meetings::MeetingsView;
use crate::org::{AddPersonForm, OrgChartView, OrgEditor};
use crate::plans::PlansView;
use crate::services::{browser, offline, timing};
use crate::settings::invite_link::parse_invite_link;
use crate::settings::{EnrolForm, Settings};
use crate::shell::context::AppContext;
use crate::shell::controller::{self, query};
use crate::shell::run::refused;
use crate::shell::state::{Action, DeviceHere, Problem, Remote, Screen, State};
use crate::shell::{
    AppHeader, AppNav, DamagedStorage, ErrorBanner, OtherTab, SavedToast, StorageCleared,
    SyncIndicator, UnreadableNotice, UpdateBanner, nav_label,
};
use crate::tasks::{AddTaskForm, TaskDetailView, TaskList, TaskSearch, TeamBoardView};
use crate::ui::{LoadFailed, Loading};

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
        use_effect_with((), move |()| {
            if !offline::in_tauri() {
                let d = d.clone();
                offline::install(move || d.dispatch(Action::UpdateReady));
            }
            controller::start(d)
        });
    }
    // An invite link opened in a browser that already holds a device: the link is not
    // used; the person is told how to switch (signing out warns about unsynced work).
    {
        let d = state.dispatcher();
        let enrolled = state.status.as_ref().map(|s| s.enrolled);
        use_effect_with(enrolled, move |enrolled| {
            if *enrolled == Some(true) && !offline::in_tauri() {
                let link = offline::href().and_then(|href| parse_invite_link(&href));
                if link.is_some() {
                    offline::replace_address("/");
                    refused(&d, Key::AlreadyEnrolled);
                }
            }
        });
    }
    // When Today first shows its tasks, for whoever measures the app's start.
    let today_shown = state.screen == Screen::Today && state.tasks.is_some();
    use_effect_with(today_shown, |shown| {
        if *shown {
            timing::mark_today_shown();
        }
    });
    // The web app remembers that this browser holds a device, to tell at the next start
    // whether the browser removed it (see `offline::was_enrolled`).
    use_effect_with(state.enrolled(), |enrolled| {
        if *enrolled {
            offline::mark_enrolled(true);
        }
    });
    {
        // The shown screen fetches its data when it appears, once enrolled, and after
        // every change the backend reports.
        let d = state.dispatcher();
        let deps = (state.enrolled(), state.changes, query(&state));
        use_effect_with(deps, move |(enrolled, _, query)| {
            if *enrolled {
                controller::load_screen(d, query.clone());
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

    let screen = match state.status.as_ref() {
        _ if state.device_here != DeviceHere::Here => html! {
            <>
                <AppHeader title={t(lang, Key::AppName)} />
                <OtherTab here={state.device_here} />
            </>
        },
        Some(status) if status.enrolled => enrolled_screen(&state, status, lang),
        // Until the status arrives, and before enrolling: the app's name over the content.
        status => html! {
            <>
                <AppHeader title={t(lang, Key::AppName)} />
                <main class="content">
                    <ErrorBanner />
                    if status.is_some() {
                        if offline::was_enrolled() {
                            <StorageCleared />
                        }
                        <EnrolForm />
                    } else {
                        { loading_screen(&state, lang) }
                    }
                </main>
            </>
        },
    };

    html! {
        <ContextProvider<AppContext> context={state.clone()}>
            <div class="app">
                if state.update_ready {
                    <UpdateBanner />
                }
                { screen }
                <SavedToast visible={state.saved.is_some()} />
            </div>
        </ContextProvider<AppContext>>
    }
}

/// Until the status arrives: a spinner, or "Try again" if fetching it failed.
fn loading_screen(state: &UseReducerHandle<State>, lang: Lang) -> Html {
    if !state.status_failed {
        return html! {
            <div class="centre loading" role="status">
                <span class="spinner" aria-hidden="true"></span>
                { t(lang, Key::Loading) }
            </div>
        };
    }
    let d = state.dispatcher();
    let on_retry = Callback::from(move |_: MouseEvent| controller::start(d.clone()));
    // The web app's database cannot be opened: say so, and offer to start afresh.
    if let Some(Problem::Api(err)) = &state.problem
        && err.code == ErrorCode::Storage
        && !offline::in_tauri()
    {
        return html! { <DamagedStorage {on_retry} /> };
    }
    html! {
        <div class="centre">
            <button type="button" id="retry-button" class="button button-primary" onclick={on_retry}>
                { t(lang, Key::Retry) }
            </button>
        </div>
    }
}

/// The header (store name, device, sync, navigation) over the chosen screen.
fn enrolled_screen(state: &UseReducerHandle<State>, status: &AppStatus, lang: Lang) -> Html {
    let (store_name, time_zone) = status
        .store
        .as_ref()
        .map(|s| (s.name.clone(), s.time_zone.clone()))
        .unwrap_or_default();
    let subtitle = {
        let parts: Vec<String> = [
            status.device_name.clone(),
            status.role.map(|r| crate::i18n::role_label(lang, r)),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
        (!parts.is_empty()).then(|| AttrValue::from(parts.join(" · ")))
    };

    let screen = state.screen;
    let manager = status.is_manager();
    let body = match screen {
        Screen::Today => today_screen(state, manager),
        Screen::Duties => duties_screen(state, manager),
        Screen::Team | Screen::Dashboard | Screen::Chain if !manager => html! {},
        Screen::Team => loaded(&state.team, |board| html! { <TeamBoardView {board} /> }),
        // Staff see the chart only; managers also its edit controls, the people, and
        // adding a person.
        Screen::Org if manager => loaded(&state.org, |org| {
            html! { <><OrgEditor {org} /><AddPersonForm /></> }
        }),
        Screen::Org => loaded(&state.org, |org| html! { <OrgChartView {org} /> }),
        Screen::Settings => html! { <Settings status={status.clone()} /> },
        Screen::Task => task_screen(state),
        Screen::Plans => loaded(&state.plans, |board| html! { <PlansView {board} /> }),
        Screen::Meetings => loaded(&state.meetings, |board| html! { <MeetingsView {board} /> }),
        Screen::Feedback => loaded(&state.feedback, |board| html! { <FeedbackView {board} /> }),
        Screen::Assessment => loaded(
            &state.assessment,
            |board| html! { <AssessmentView {board} /> },
        ),
        Screen::Dashboard => loaded(
            &state.dashboard,
            |dashboard| html! { <DashboardView {dashboard} /> },
        ),
        Screen::Chain => loaded(&state.chain, |chain| html! { <ChainView {chain} /> }),
    };
    // The task list leaves its heading to the navigation, as it always did; the task
    // screen to the task's own title.
    let heading_class = classes!(
        "screen-title",
        matches!(screen, Screen::Today | Screen::Task).then_some("visually-hidden")
    );
    // The task screen is reached from a list: the navigation keeps showing that list.
    let nav_current = if screen == Screen::Task {
        state.task_from
    } else {
        screen
    };

    html! {
        <>
            <AppHeader
                title={store_name}
                title_id={Some(AttrValue::from("store-name"))}
                {subtitle}
            >
                <StoreSwitcher
                    stores={status.stores.clone()}
                    current={status.store.as_ref().map(|s| s.id.clone()).unwrap_or_default()}
                />
                <SyncIndicator
                    sync={status.sync.clone()}
                    time_zone={time_zone.clone()}
                />
                <AppNav current={nav_current} {manager} />
            </AppHeader>
            <main class={classes!("content", "has-tab-bar", state.print_view.then_some("is-printing"))}>
                <ErrorBanner />
                <UnreadableNotice
                    unreadable={status.unreadable.clone()}
                    needs_update={status.needs_update}
                    {manager}
                />
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

/// The screen's `data`, shown by `view` once it has arrived.
fn loaded<T>(data: &Remote<T>, view: impl FnOnce(Rc<T>) -> Html) -> Html {
    match data.data.clone() {
        Some(data) => view(data),
        None => not_loaded(data.failed),
    }
}

/// The screen's data has not arrived: a spinner, or "Try again" if fetching it failed.
fn not_loaded(failed: bool) -> Html {
    if failed {
        html! { <LoadFailed /> }
    } else {
        html! { <Loading /> }
    }
}

fn today_screen(state: &UseReducerHandle<State>, manager: bool) -> Html {
    let lang = state.lang();
    let arrived = state.status.as_ref().is_none_or(|s| s.sync.store_arrived);
    let tasks_view = match &state.tasks {
        None => not_loaded(state.tasks_failed),
        Some(tasks) if tasks.is_empty() && !arrived => {
            html! { <p class="empty" id="store-arriving">{ t(lang, Key::StoreArriving) }</p> }
        }
        // The list groups the tasks by due date and shows today's progress over them.
        Some(tasks) => html! { <TaskList tasks={Rc::new(tasks.clone())} /> },
    };

    html! {
        <>
            // Only managers create tasks; staff report problems instead.
            if manager {
                <AddTaskForm />
            }
            <TaskSearch>{ tasks_view }</TaskSearch>
        </>
    }
}

/// My duties first, then the register (which managers edit).
fn duties_screen(state: &UseReducerHandle<State>, manager: bool) -> Html {
    let register = loaded(&state.duties, |register| {
        html! { <DutyEditor {register} {manager} /> }
    });
    html! { <><MyDuties />{ register }</> }
}

/// One task in full, under a back button to the list it was opened from.
fn task_screen(state: &UseReducerHandle<State>) -> Html {
    let lang = state.lang();
    let on_back = {
        let d = state.dispatcher();
        let from = state.task_from;
        Callback::from(move |_: MouseEvent| controller::navigate(&d, from))
    };
    let back = html! {
        <div class="detail-top">
            <button type="button" id="task-back" class="button button-quiet back-button" onclick={on_back}>
                <span aria-hidden="true">{ "← " }</span>{ t(lang, Key::Back) }
            </button>
        </div>
    };
    let (Some(_), Some(detail)) = (state.open_task.as_ref(), state.task_detail.data.clone()) else {
        return html! {
            <>
                { back }
                { not_loaded(state.task_detail.failed) }
            </>
        };
    };
    html! {
        <>
            { back }
            <TaskDetailView {detail} />
        </>
    }
}
