//! What the frame does: subscribing to the backend's events, the status, fetching what
//! the shown screen shows, navigation, the language, syncing. Each feature's own commands
//! live in its folder (`crate::plans::calls`, …); the backend itself lives behind
//! `crate::services::backend`.

use storeops_api::command::{
    GetAssessment, GetChain, GetDashboard, GetDutyRegister, GetFeedback, GetMeetings, GetOrgChart,
    GetPlans, GetStaffing, GetStatus, GetTaskDetail, GetTeamBoard, ListTasks, SyncNow,
};

use crate::i18n::Lang;
use crate::services::backend::{self, Event};
use crate::services::{browser, call};
pub use crate::shell::run::Dispatch;
use crate::shell::run::{failed, fetch, run};
use crate::shell::state::{Action, DeviceHere, Op, Problem, Screen, State, ticket};

/// When the app mounts, and on "Try again": subscribe to the backend's events (those not
/// yet subscribed: see [`backend::Backend::listen`]), then load the status. Subscribing
/// first means no change can slip in between the first fetch and the subscription. The
/// shown screen fetches its own data (see [`load_screen`]) once the status says this
/// device is enrolled.
pub fn start(d: Dispatch) {
    wasm_bindgen_futures::spawn_local(async move {
        subscribe(&d).await;
        load(&d).await;
    });
}

async fn subscribe(d: &Dispatch) {
    let on_event = {
        let d = d.clone();
        move |event| match event {
            Ok(Event::Changed) => changed(d.clone()),
            Ok(Event::Sync(sync)) => d.dispatch(Action::SyncChanged { sync, at: ticket() }),
            Ok(Event::Elsewhere) => d.dispatch(Action::DeviceHere(DeviceHere::Elsewhere)),
            Ok(Event::TakenOver) => d.dispatch(Action::DeviceHere(DeviceHere::TakenOver)),
            Err(err) => failed(&d, err),
        }
    };
    if let Err(err) = backend::listen(on_event).await {
        failed(d, err);
    }
}

/// `storeops://changed`: fetch the status again, and have the shown screen fetch its data
/// again (the app does that when [`Action::Changed`] counts one more change).
pub fn changed(d: Dispatch) {
    d.dispatch(Action::Changed);
    reload(d);
}

/// Fetches the status again.
pub fn reload(d: Dispatch) {
    wasm_bindgen_futures::spawn_local(async move { load(&d).await });
}

async fn load(d: &Dispatch) {
    let asked_at = ticket();
    match call(GetStatus {}).await {
        Ok(status) => d.dispatch(Action::StatusLoaded { status, asked_at }),
        Err(err) => d.dispatch(Action::StatusFailed(Problem::Api(err))),
    }
}

/// What a screen needs to know to fetch its data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScreenQuery {
    pub screen: Screen,
    /// The task the task screen shows.
    pub task: Option<String>,
    /// Managers' screens also fetch the positions and people their pickers offer.
    pub manager: bool,
}

/// What the shown screen fetches.
pub fn query(state: &State) -> ScreenQuery {
    ScreenQuery {
        screen: state.screen,
        task: (state.screen == Screen::Task)
            .then(|| state.open_task.clone())
            .flatten(),
        manager: state.status.as_ref().is_some_and(|s| s.is_manager()),
    }
}

/// Fetches what a screen shows: when it is first shown, after every change, and on "Try
/// again". Settings shows only the status, which is fetched on its own, and for managers
/// the people an invite can be for.
pub fn load_screen(d: Dispatch, query: ScreenQuery) {
    let ScreenQuery {
        screen,
        task,
        manager,
    } = query;
    let pickers = matches!(
        screen,
        Screen::Today
            | Screen::Team
            | Screen::Task
            | Screen::Org
            | Screen::Settings
            | Screen::Duties
    );
    if manager && pickers {
        // The pickers of the team board and the task screen are their main controls: say
        // when they cannot be filled. Elsewhere they are extras, and stay quiet.
        let essential = matches!(screen, Screen::Team | Screen::Task);
        load_staffing(d.clone(), essential);
    }
    // Plans and meetings offer pickers to whoever may edit them, which the views' flags
    // say, not the role: fetch them for everyone, quietly. Meetings also pick departments.
    if matches!(screen, Screen::Plans | Screen::Meetings) {
        load_staffing(d.clone(), false);
    }
    // The assessment screen picks departments and people for whoever may manage it.
    if screen == Screen::Assessment {
        load_staffing(d.clone(), false);
    }
    if matches!(screen, Screen::Meetings | Screen::Assessment) {
        load_org_quietly(d.clone());
    }
    if screen == Screen::Settings {
        return;
    }
    if screen == Screen::Duties {
        crate::duties::calls::load_my_duties(d.clone());
    }
    let task = match (screen, task) {
        (Screen::Task, None) => return,
        (_, task) => task.unwrap_or_default(),
    };
    d.dispatch(Action::Fetching(screen));
    wasm_bindgen_futures::spawn_local(async move {
        let asked_at = ticket();
        let loaded = match screen {
            Screen::Today => call(ListTasks {})
                .await
                .map(|tasks| Action::TasksLoaded { tasks, asked_at }),
            Screen::Duties => call(GetDutyRegister {})
                .await
                .map(|duties| Action::DutiesLoaded { duties, asked_at }),
            Screen::Team => call(GetTeamBoard {})
                .await
                .map(|team| Action::TeamLoaded { team, asked_at }),
            Screen::Org => call(GetOrgChart {})
                .await
                .map(|org| Action::OrgLoaded { org, asked_at }),
            Screen::Task => call(GetTaskDetail { task_id: task })
                .await
                .map(|detail| Action::TaskDetailLoaded { detail, asked_at }),
            Screen::Plans => call(GetPlans { year: None })
                .await
                .map(|board| Action::PlansLoaded { board, asked_at }),
            Screen::Meetings => call(GetMeetings {})
                .await
                .map(|board| Action::MeetingsLoaded { board, asked_at }),
            Screen::Feedback => call(GetFeedback {})
                .await
                .map(|board| Action::FeedbackLoaded { board, asked_at }),
            Screen::Assessment => call(GetAssessment { year: None })
                .await
                .map(|board| Action::AssessmentLoaded { board, asked_at }),
            Screen::Dashboard => call(GetDashboard {
                weeks: Some(DASHBOARD_WEEKS),
            })
            .await
            .map(|dashboard| Action::DashboardLoaded {
                dashboard,
                asked_at,
            }),
            Screen::Chain => call(GetChain {
                weeks: Some(DASHBOARD_WEEKS),
            })
            .await
            .map(|chain| Action::ChainLoaded { chain, asked_at }),
            Screen::Settings => return,
        };
        let read = loaded.is_ok();
        let action = loaded.unwrap_or_else(|err| Action::LoadFailed {
            screen,
            problem: Problem::Api(err),
            asked_at,
        });
        d.dispatch(action);
        // The status names what the screens' reads could not read (managers are told):
        // this read may have found something.
        if manager && read {
            load(&d).await;
        }
    });
}

/// How many weeks the dashboard's charts go back.
pub const DASHBOARD_WEEKS: u32 = 8;

/// The org chart, for the departments a meeting can be for; a failure only logged.
fn load_org_quietly(d: Dispatch) {
    fetch(&d, GetOrgChart {}, false, |d, org, asked_at| {
        d.dispatch(Action::OrgLoaded { org, asked_at });
    });
}

/// Positions and people; a failure is shown in the banner only if `loud`.
fn load_staffing(d: Dispatch, loud: bool) {
    fetch(&d, GetStaffing {}, loud, |d, staffing, asked_at| {
        d.dispatch(Action::StaffingLoaded { staffing, asked_at });
    });
}

pub fn navigate(d: &Dispatch, screen: Screen) {
    d.dispatch(Action::Navigate(screen));
    browser::scroll_to_top();
}

pub fn sync_now(d: &Dispatch) {
    run(d, Op::Sync, call(SyncNow {}), |d, sync, at| {
        d.dispatch(Action::SyncChanged { sync, at });
    });
}

/// The language toggle: remembered on this device.
pub fn choose_lang(d: &Dispatch, lang: Lang) {
    browser::store_lang(lang.tag());
    d.dispatch(Action::ChooseLang(lang));
}

pub fn dismiss_problem(d: &Dispatch) {
    d.dispatch(Action::DismissProblem);
}
