//! What happens when: each user intent or backend event becomes service calls and then
//! [`Action`]s. Components only emit callbacks; the IPC itself lives in `crate::services`.

use std::cell::Cell;

use yew::{Callback, UseReducerDispatcher};

use crate::i18n::{Key, Lang};
use crate::model::{ApiError, TaskStatus};
use crate::services::{api, browser, events};
use crate::state::{Action, DutyFilter, Op, Problem, Screen, State, ticket};

pub type Dispatch = UseReducerDispatcher<State>;

/// How long "Saved" stays up after a command returns.
const SAVED_MS: i32 = 2_000;

fn failed(d: &Dispatch, err: ApiError) {
    d.dispatch(Action::Failed(Problem::Api(err)));
}

thread_local! {
    /// Which event subscriptions are in place: each is made once for the page's life.
    static SUBSCRIBED_CHANGED: Cell<bool> = const { Cell::new(false) };
    static SUBSCRIBED_SYNC: Cell<bool> = const { Cell::new(false) };
}

/// When the app mounts, and on "Try again": subscribe to the backend's events (those not
/// yet subscribed), then load the status. Subscribing first means no change can slip in
/// between the first fetch and the subscription. The shown screen fetches its own data
/// (see [`load_screen`]) once the status says this device is enrolled.
pub fn start(d: Dispatch) {
    wasm_bindgen_futures::spawn_local(async move {
        subscribe(&d).await;
        load(&d).await;
    });
}

async fn subscribe(d: &Dispatch) {
    if !SUBSCRIBED_CHANGED.get() {
        let on_changed = {
            let d = d.clone();
            move || changed(d.clone())
        };
        match events::on_changed(on_changed).await {
            Ok(()) => SUBSCRIBED_CHANGED.set(true),
            Err(err) => failed(d, err),
        }
    }
    if !SUBSCRIBED_SYNC.get() {
        let on_sync = {
            let d = d.clone();
            move |sync| match sync {
                Ok(sync) => d.dispatch(Action::SyncChanged { sync, at: ticket() }),
                Err(err) => failed(&d, err),
            }
        };
        match events::on_sync(on_sync).await {
            Ok(()) => SUBSCRIBED_SYNC.set(true),
            Err(err) => failed(d, err),
        }
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
    match api::status().await {
        Ok(status) => d.dispatch(Action::StatusLoaded { status, asked_at }),
        Err(err) => d.dispatch(Action::StatusFailed(Problem::Api(err))),
    }
}

/// Fetches what `screen` shows: when it is first shown, after every change, and on "Try
/// again". Settings shows only the status, which is fetched on its own.
pub fn load_screen(d: Dispatch, screen: Screen) {
    if screen == Screen::Settings {
        return;
    }
    d.dispatch(Action::Fetching(screen));
    wasm_bindgen_futures::spawn_local(async move {
        let asked_at = ticket();
        let load_failed = |err| Action::LoadFailed {
            screen,
            problem: Problem::Api(err),
            asked_at,
        };
        let action = match screen {
            Screen::Today => match api::list_tasks().await {
                Ok(tasks) => Action::TasksLoaded { tasks, asked_at },
                Err(err) => load_failed(err),
            },
            Screen::Duties => match api::duty_register().await {
                Ok(duties) => Action::DutiesLoaded { duties, asked_at },
                Err(err) => load_failed(err),
            },
            Screen::Org => match api::org_chart().await {
                Ok(org) => Action::OrgLoaded { org, asked_at },
                Err(err) => load_failed(err),
            },
            Screen::Settings => return,
        };
        d.dispatch(action);
    });
}

pub fn navigate(d: &Dispatch, screen: Screen) {
    d.dispatch(Action::Navigate(screen));
    browser::scroll_to_top();
}

pub fn set_duty_filter(d: &Dispatch, filter: DutyFilter) {
    d.dispatch(Action::SetDutyFilter(filter));
}

/// From the org chart's "uncovered duties": the duty register, showing only those.
pub fn show_uncovered_duties(d: &Dispatch) {
    d.dispatch(Action::SetDutyFilter(DutyFilter {
        uncovered_only: true,
        cadence: None,
    }));
    navigate(d, Screen::Duties);
}

/// What the enrol form submits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnrolRequest {
    pub relay_url: String,
    pub code: String,
    pub device_name: String,
}

pub fn enrol(d: &Dispatch, req: EnrolRequest) {
    let relay_url = req.relay_url.trim().to_owned();
    let code = req.code.trim().to_owned();
    let device_name = req.device_name.trim().to_owned();
    if relay_url.is_empty() || code.is_empty() || device_name.is_empty() {
        d.dispatch(Action::Failed(Problem::Ui(Key::FillAllFields)));
        return;
    }
    d.dispatch(Action::Begin(Op::Enrol));
    let d = d.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let asked_at = ticket();
        let result = api::enrol(&relay_url, &code, &device_name).await;
        d.dispatch(Action::End(Op::Enrol));
        match result {
            // Once enrolled, the task list fetches itself.
            Ok(status) => d.dispatch(Action::StatusLoaded { status, asked_at }),
            Err(err) => failed(&d, err),
        }
    });
}

/// What the add-task form submits; `added` is called once the task is saved, so the form
/// can clear itself (and keeps the text if saving failed).
#[derive(Clone, Debug, PartialEq)]
pub struct AddRequest {
    pub title: String,
    pub added: Callback<()>,
}

pub fn add_task(d: &Dispatch, req: AddRequest) {
    let title = req.title.trim().to_owned();
    if title.is_empty() {
        return;
    }
    d.dispatch(Action::Begin(Op::AddTask));
    let d = d.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let result = api::add_task(&title).await;
        d.dispatch(Action::End(Op::AddTask));
        match result {
            Ok(task) => {
                saved(&d, task);
                req.added.emit(());
            }
            Err(err) => failed(&d, err),
        }
    });
}

pub fn set_task_status(d: &Dispatch, task_id: String, status: TaskStatus) {
    let op = Op::Task(task_id.clone());
    d.dispatch(Action::Begin(op.clone()));
    let d = d.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let result = api::set_task_status(&task_id, status.wire()).await;
        d.dispatch(Action::End(op));
        match result {
            Ok(task) => saved(&d, task),
            Err(err) => failed(&d, err),
        }
    });
}

/// A command returned `task`, so it is durable: show it and say so briefly.
fn saved(d: &Dispatch, task: crate::model::TaskView) {
    let at = ticket();
    d.dispatch(Action::TaskSaved { task, at });
    let d = d.clone();
    browser::after(SAVED_MS, move || d.dispatch(Action::HideSaved(at)));
}

pub fn sync_now(d: &Dispatch) {
    d.dispatch(Action::Begin(Op::Sync));
    let d = d.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let result = api::sync_now().await;
        d.dispatch(Action::End(Op::Sync));
        match result {
            Ok(sync) => d.dispatch(Action::SyncChanged { sync, at: ticket() }),
            Err(err) => failed(&d, err),
        }
    });
}

/// A manager's "Create invite code"; `role` is `"staff"` or `"manager"`.
pub fn create_invite(d: &Dispatch, role: String) {
    d.dispatch(Action::Begin(Op::Invite));
    let d = d.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let result = api::create_invite(&role).await;
        d.dispatch(Action::End(Op::Invite));
        match result {
            Ok(invite) => d.dispatch(Action::InviteCreated(invite)),
            Err(err) => failed(&d, err),
        }
    });
}

/// What a "Copy" button asks for; `copied` is called once the text is on the clipboard.
#[derive(Clone, Debug, PartialEq)]
pub struct CopyRequest {
    pub text: String,
    pub copied: Callback<()>,
}

pub fn copy(d: &Dispatch, req: CopyRequest) {
    let d = d.clone();
    wasm_bindgen_futures::spawn_local(async move {
        match browser::copy_text(&req.text).await {
            Ok(()) => req.copied.emit(()),
            Err(()) => d.dispatch(Action::Failed(Problem::Ui(Key::CopyFailed))),
        }
    });
}

/// "Sign out of this device", once confirmed: leave the store and show enrolment.
pub fn sign_out(d: &Dispatch) {
    d.dispatch(Action::Begin(Op::SignOut));
    let d = d.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let result = api::sign_out().await;
        d.dispatch(Action::End(Op::SignOut));
        match result {
            Ok(()) => {
                d.dispatch(Action::SignedOut);
                load(&d).await;
            }
            Err(err) => failed(&d, err),
        }
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
