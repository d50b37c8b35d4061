//! What happens when: each user intent or backend event becomes service calls and then
//! [`Action`]s. Components only emit callbacks; the IPC itself lives in `crate::services`.

use std::cell::Cell;

use yew::{Callback, UseReducerDispatcher};

use crate::i18n::{Key, Lang};
use crate::model::{ApiError, TaskStatus};
use crate::services::{api, browser, events};
use crate::state::{Action, DutyFilter, Op, Problem, Screen, State, TeamGrouping, ticket};

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

/// What a screen needs to know to fetch its data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScreenQuery {
    pub screen: Screen,
    /// The task the task screen shows.
    pub task: Option<String>,
    /// Managers' screens also fetch the positions and people their pickers offer.
    pub manager: bool,
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
        Screen::Team | Screen::Task | Screen::Org | Screen::Settings | Screen::Duties
    );
    if manager && pickers {
        // The pickers of the team board and the task screen are their main controls: say
        // when they cannot be filled. Elsewhere they are extras, and stay quiet.
        let essential = matches!(screen, Screen::Team | Screen::Task);
        load_staffing(d.clone(), essential);
    }
    if screen == Screen::Settings {
        return;
    }
    if screen == Screen::Duties {
        crate::edits::load_my_duties(d.clone());
    }
    let task = match (screen, task) {
        (Screen::Task, None) => return,
        (_, task) => task.unwrap_or_default(),
    };
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
            Screen::Team => match api::team_board().await {
                Ok(team) => Action::TeamLoaded { team, asked_at },
                Err(err) => load_failed(err),
            },
            Screen::Org => match api::org_chart().await {
                Ok(org) => Action::OrgLoaded { org, asked_at },
                Err(err) => load_failed(err),
            },
            Screen::Task => match api::task_detail(&task).await {
                Ok(detail) => Action::TaskDetailLoaded { detail, asked_at },
                Err(err) => load_failed(err),
            },
            Screen::Settings => return,
        };
        d.dispatch(action);
    });
}

/// Positions and people; a failure is shown in the banner only if `loud`.
fn load_staffing(d: Dispatch, loud: bool) {
    wasm_bindgen_futures::spawn_local(async move {
        let asked_at = ticket();
        match api::people_and_positions().await {
            Ok(staffing) => d.dispatch(Action::StaffingLoaded { staffing, asked_at }),
            Err(err) if loud => failed(&d, err),
            Err(err) => web_sys::console::warn_1(&format!("people_and_positions: {err}").into()),
        }
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

/// Changes a task's status; from the task screen (`with_detail`), its detail is fetched
/// again afterwards, as the status change returns only the task.
pub fn set_task_status(d: &Dispatch, task_id: String, status: TaskStatus, with_detail: bool) {
    let op = Op::Task(task_id.clone());
    d.dispatch(Action::Begin(op.clone()));
    let d = d.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let result = api::set_task_status(&task_id, status.wire()).await;
        d.dispatch(Action::End(op));
        match result {
            Ok(task) => {
                saved(&d, task);
                if with_detail {
                    let asked_at = ticket();
                    match api::task_detail(&task_id).await {
                        Ok(detail) => d.dispatch(Action::TaskDetailLoaded { detail, asked_at }),
                        Err(err) => failed(&d, err),
                    }
                }
            }
            Err(err) => failed(&d, err),
        }
    });
}

/// A task's title in a list: show the task screen for it.
pub fn open_task(d: &Dispatch, task_id: String) {
    d.dispatch(Action::OpenTask(task_id));
    browser::scroll_to_top();
}

/// What a one-line form on the task screen submits; `added` is called once it is saved.
#[derive(Clone, Debug, PartialEq)]
pub struct TextRequest {
    pub text: String,
    pub added: Callback<()>,
}

/// Runs a command that returns the task's detail, with `op` busy meanwhile; then shows the
/// detail returned and "Saved", and calls `done`.
fn change_detail<F>(d: &Dispatch, op: Op, command: F, done: Option<Callback<()>>)
where
    F: std::future::Future<Output = Result<crate::model::TaskDetail, ApiError>> + 'static,
{
    d.dispatch(Action::Begin(op.clone()));
    let d = d.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let result = command.await;
        d.dispatch(Action::End(op));
        match result {
            Ok(detail) => {
                let at = ticket();
                d.dispatch(Action::TaskDetailSaved { detail, at });
                hide_saved_later(&d, at);
                if let Some(done) = done {
                    done.emit(());
                }
            }
            Err(err) => failed(&d, err),
        }
    });
}

pub fn set_checklist_item(d: &Dispatch, task_id: String, item_id: String, done: bool) {
    let op = Op::Checklist(item_id.clone());
    let command = async move { api::set_checklist_item(&task_id, &item_id, done).await };
    change_detail(d, op, command, None);
}

pub fn add_checklist_item(d: &Dispatch, task_id: String, req: TextRequest) {
    let text = req.text.trim().to_owned();
    if text.is_empty() {
        return;
    }
    let command = async move { api::add_checklist_item(&task_id, &text).await };
    change_detail(d, Op::AddChecklistItem, command, Some(req.added));
}

pub fn add_comment(d: &Dispatch, task_id: String, req: TextRequest) {
    let text = req.text.trim().to_owned();
    if text.is_empty() {
        return;
    }
    let command = async move { api::add_comment(&task_id, &text).await };
    change_detail(d, Op::AddComment, command, Some(req.added));
}

/// Gives the task to `assignee` (an owner id), or to no one.
pub fn reassign_task(d: &Dispatch, task_id: String, assignee: Option<String>) {
    let command = async move { api::reassign_task(&task_id, assignee.as_deref()).await };
    change_detail(d, Op::Reassign, command, None);
}

pub fn set_team_grouping(d: &Dispatch, grouping: TeamGrouping) {
    d.dispatch(Action::SetTeamGrouping(grouping));
}

/// "Move all open work to…" on the team board: then the board is fetched again.
pub fn move_open_tasks(d: &Dispatch, from: String, to: Option<String>) {
    let op = Op::MoveAll(from.clone());
    d.dispatch(Action::Begin(op.clone()));
    let d = d.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let result = api::reassign_open_tasks(&from, to.as_deref()).await;
        d.dispatch(Action::End(op));
        match result {
            Ok(_moved) => {
                show_saved(&d);
                load_screen(
                    d.clone(),
                    ScreenQuery {
                        screen: Screen::Team,
                        task: None,
                        manager: false,
                    },
                );
            }
            Err(err) => failed(&d, err),
        }
    });
}

/// What the add-person form submits; `added` is called once the person is saved.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonRequest {
    pub name: String,
    pub contact: String,
    /// The id of the position they take.
    pub position: Option<String>,
    pub added: Callback<()>,
}

/// Adds a person; then the org chart (and the pickers) are fetched again.
pub fn add_person(d: &Dispatch, req: PersonRequest) {
    let name = req.name.trim().to_owned();
    if name.is_empty() {
        d.dispatch(Action::Failed(Problem::Ui(Key::PersonNameNeeded)));
        return;
    }
    let contact = req.contact.trim().to_owned();
    d.dispatch(Action::Begin(Op::AddPerson));
    let d = d.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let result = api::add_person(&name, &contact, req.position.as_deref()).await;
        d.dispatch(Action::End(Op::AddPerson));
        match result {
            Ok(()) => {
                show_saved(&d);
                req.added.emit(());
                let query = ScreenQuery {
                    screen: Screen::Org,
                    task: None,
                    manager: true,
                };
                load_screen(d.clone(), query);
            }
            Err(err) => failed(&d, err),
        }
    });
}

/// A command returned `task`, so it is durable: show it and say so briefly.
fn saved(d: &Dispatch, task: crate::model::TaskView) {
    let at = ticket();
    d.dispatch(Action::TaskSaved { task, at });
    hide_saved_later(d, at);
}

/// A command that returns no task is durable: say so briefly.
fn show_saved(d: &Dispatch) {
    let at = ticket();
    d.dispatch(Action::Saved(at));
    hide_saved_later(d, at);
}

fn hide_saved_later(d: &Dispatch, at: u64) {
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

/// What "Create invite code" asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InviteRequest {
    /// `"staff"` or `"manager"`.
    pub role: String,
    /// The id of the person the device is for, if chosen.
    pub person: Option<String>,
}

/// A manager's "Create invite code".
pub fn create_invite(d: &Dispatch, req: InviteRequest) {
    d.dispatch(Action::Begin(Op::Invite));
    let d = d.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let result = api::create_invite(&req.role, req.person.as_deref()).await;
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
