//! What happens when: each user intent or backend event becomes commands sent through
//! [`call`] and then [`Action`]s. Components only emit callbacks; the backend itself
//! lives behind `crate::services::backend`.

use storeops_api::command::{
    ActionsToTasks, AddActionItem, AddAgendaItem, AddChecklistItem, AddComment, AddPerson, AddTask,
    CreateInvite, CreateMeeting, CreatePlan, Enrol, GetAssessment, GetDashboard, GetDutyRegister,
    GetFeedback, GetMeetings, GetOrgChart, GetPlans, GetReportPhoto, GetStaffing, GetStatus,
    GetTaskDetail, GetTeamBoard, ListTasks, ReassignOpenTasks, ReassignTask, ReportProblem,
    ReviewPlan, SchedulePlan, SetChecklistItem, SetMinutes, SetPlanItem, SetReportStatus,
    SetTaskStatus, SignOut, SyncNow,
};
use storeops_api::meetings::MeetingBoard;
use storeops_api::tasks::TaskDetail;
use storeops_api::{ApiError, PlanAction, ReportStatus, Role, TaskStatus};
use yew::Callback;

use crate::i18n::{Key, Lang};
use crate::services::backend::{self, Event};
use crate::services::{browser, call};
pub use crate::shell::run::Dispatch;
use crate::shell::run::{failed, fetch, hide_saved_later, refused, run, save};
use crate::shell::state::{Action, DutyFilter, Op, Problem, Screen, TeamGrouping, ticket};

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
        crate::org::edits::load_my_duties(d.clone());
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
            Screen::Today => match call(ListTasks {}).await {
                Ok(tasks) => Action::TasksLoaded { tasks, asked_at },
                Err(err) => load_failed(err),
            },
            Screen::Duties => match call(GetDutyRegister {}).await {
                Ok(duties) => Action::DutiesLoaded { duties, asked_at },
                Err(err) => load_failed(err),
            },
            Screen::Team => match call(GetTeamBoard {}).await {
                Ok(team) => Action::TeamLoaded { team, asked_at },
                Err(err) => load_failed(err),
            },
            Screen::Org => match call(GetOrgChart {}).await {
                Ok(org) => Action::OrgLoaded { org, asked_at },
                Err(err) => load_failed(err),
            },
            Screen::Task => match call(GetTaskDetail { task_id: task }).await {
                Ok(detail) => Action::TaskDetailLoaded { detail, asked_at },
                Err(err) => load_failed(err),
            },
            Screen::Plans => match call(GetPlans { year: None }).await {
                Ok(board) => Action::PlansLoaded { board, asked_at },
                Err(err) => load_failed(err),
            },
            Screen::Meetings => match call(GetMeetings {}).await {
                Ok(board) => Action::MeetingsLoaded { board, asked_at },
                Err(err) => load_failed(err),
            },
            Screen::Feedback => match call(GetFeedback {}).await {
                Ok(board) => Action::FeedbackLoaded { board, asked_at },
                Err(err) => load_failed(err),
            },
            Screen::Assessment => match call(GetAssessment { year: None }).await {
                Ok(board) => Action::AssessmentLoaded { board, asked_at },
                Err(err) => load_failed(err),
            },
            Screen::Dashboard => match call(GetDashboard {
                weeks: Some(DASHBOARD_WEEKS),
            })
            .await
            {
                Ok(dashboard) => Action::DashboardLoaded {
                    dashboard,
                    asked_at,
                },
                Err(err) => load_failed(err),
            },
            Screen::Settings => return,
        };
        d.dispatch(action);
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
        return refused(d, Key::FillAllFields);
    }
    let asked_at = ticket();
    let command = call(Enrol {
        relay_url,
        code,
        device_name,
    });
    // Once enrolled, the task list fetches itself.
    run(d, Op::Enrol, command, move |d, status, _| {
        d.dispatch(Action::StatusLoaded { status, asked_at });
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
    save(
        d,
        Op::AddTask,
        call(AddTask { title }),
        move |d, task, at| {
            d.dispatch(Action::TaskSaved { task, at });
            req.added.emit(());
        },
    );
}

/// Changes a task's status; from the task screen (`with_detail`), its detail is fetched
/// again afterwards, as the status change returns only the task.
pub fn set_task_status(d: &Dispatch, task_id: String, status: TaskStatus, with_detail: bool) {
    let op = Op::Task(task_id.clone());
    let command = call(SetTaskStatus {
        task_id: task_id.clone(),
        status,
    });
    save(d, op, command, move |d, task, at| {
        d.dispatch(Action::TaskSaved { task, at });
        if with_detail {
            fetch(d, GetTaskDetail { task_id }, true, |d, detail, asked_at| {
                d.dispatch(Action::TaskDetailLoaded { detail, asked_at });
            });
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
    F: std::future::Future<Output = Result<TaskDetail, ApiError>> + 'static,
{
    save(d, op, command, move |d, detail, at| {
        d.dispatch(Action::TaskDetailSaved { detail, at });
        if let Some(done) = done {
            done.emit(());
        }
    });
}

pub fn set_checklist_item(d: &Dispatch, task_id: String, item_id: String, done: bool) {
    let op = Op::Checklist(item_id.clone());
    let command = call(SetChecklistItem {
        task_id,
        item_id,
        done,
    });
    change_detail(d, op, command, None);
}

pub fn add_checklist_item(d: &Dispatch, task_id: String, req: TextRequest) {
    let text = req.text.trim().to_owned();
    if text.is_empty() {
        return;
    }
    let command = call(AddChecklistItem { task_id, text });
    change_detail(d, Op::AddChecklistItem, command, Some(req.added));
}

pub fn add_comment(d: &Dispatch, task_id: String, req: TextRequest) {
    let text = req.text.trim().to_owned();
    if text.is_empty() {
        return;
    }
    let command = call(AddComment { task_id, text });
    change_detail(d, Op::AddComment, command, Some(req.added));
}

/// Gives the task to `assignee` (an owner id), or to no one.
pub fn reassign_task(d: &Dispatch, task_id: String, assignee: Option<String>) {
    let command = call(ReassignTask { task_id, assignee });
    change_detail(d, Op::Reassign, command, None);
}

pub fn set_team_grouping(d: &Dispatch, grouping: TeamGrouping) {
    d.dispatch(Action::SetTeamGrouping(grouping));
}

/// "Move all open work to…" on the team board: then the board is fetched again.
pub fn move_open_tasks(d: &Dispatch, from: String, to: Option<String>) {
    let op = Op::MoveAll(from.clone());
    save(
        d,
        op,
        call(ReassignOpenTasks { from, to }),
        |d, _moved, _| {
            let query = ScreenQuery {
                screen: Screen::Team,
                task: None,
                manager: false,
            };
            load_screen(d.clone(), query);
        },
    );
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
        return refused(d, Key::PersonNameNeeded);
    }
    let contact = req.contact.trim().to_owned();
    let command = call(AddPerson {
        name,
        contact,
        position: req.position,
    });
    save(d, Op::AddPerson, command, move |d, _person_id, _| {
        req.added.emit(());
        let query = ScreenQuery {
            screen: Screen::Org,
            task: None,
            manager: true,
        };
        load_screen(d.clone(), query);
    });
}

pub fn sync_now(d: &Dispatch) {
    run(d, Op::Sync, call(SyncNow {}), |d, sync, at| {
        d.dispatch(Action::SyncChanged { sync, at });
    });
}

/// What "Create invite code" asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InviteRequest {
    pub role: Role,
    /// The id of the person the device is for, if chosen.
    pub person: Option<String>,
}

/// A manager's "Create invite code".
pub fn create_invite(d: &Dispatch, req: InviteRequest) {
    let command = call(CreateInvite {
        role: req.role,
        person: req.person,
    });
    run(d, Op::Invite, command, |d, invite, _| {
        d.dispatch(Action::InviteCreated(invite));
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
            Err(()) => refused(&d, Key::CopyFailed),
        }
    });
}

/// "Sign out of this device", once confirmed: leave the store and show enrolment.
pub fn sign_out(d: &Dispatch) {
    run(d, Op::SignOut, call(SignOut {}), |d, (), _| {
        d.dispatch(Action::SignedOut);
        reload(d.clone());
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

// ---- Plans ------------------------------------------------------------------------

/// Width below which the plans screen is one column (see `.plans-layout`).
const PLANS_ONE_COLUMN_BELOW: f64 = 1000.0;

/// Shows a plan under the cascade; on a phone or tablet, scrolls down to it.
pub fn open_plan(d: &Dispatch, plan_id: Option<String>) {
    let opened = plan_id.is_some();
    d.dispatch(Action::OpenPlan(plan_id));
    if opened {
        browser::after(0, || {
            browser::reveal_on_narrow("plan-detail", PLANS_ONE_COLUMN_BELOW)
        });
    }
}

/// What the new-plan form submits; `created` is called once the plan is saved.
#[derive(Clone, Debug, PartialEq)]
pub struct NewPlanRequest {
    pub plan: CreatePlan,
    pub created: Callback<()>,
}

pub fn create_plan(d: &Dispatch, req: NewPlanRequest) {
    let mut plan = req.plan;
    plan.title = plan.title.trim().to_owned();
    plan.period = plan.period.trim().to_owned();
    if plan.title.is_empty() {
        return refused(d, Key::PlanTitleNeeded);
    }
    if plan.owner.is_empty() {
        return refused(d, Key::PlanOwnerNeeded);
    }
    if !crate::ui::period::period_fits(plan.level, &plan.period) {
        return refused(d, Key::PlanPeriodInvalid);
    }
    let created = req.created;
    let command = call(plan);
    save(d, Op::CreatePlan, command, move |d, plan, at| {
        let id = plan.id.clone();
        d.dispatch(Action::PlanSaved { plan, at });
        d.dispatch(Action::OpenPlan(Some(id)));
        created.emit(());
    });
}

/// What the add-item form submits; `added` is called once the item is saved.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanItemRequest {
    pub item: SetPlanItem,
    pub added: Callback<()>,
}

pub fn set_plan_item(d: &Dispatch, req: PlanItemRequest) {
    let mut item = req.item;
    item.text = item.text.trim().to_owned();
    if item.text.is_empty() {
        return refused(d, Key::ItemTextNeeded);
    }
    let op = Op::PlanItem(item.plan_id.clone());
    let added = req.added;
    let command = call(item);
    save(d, op, command, move |d, plan, at| {
        d.dispatch(Action::PlanSaved { plan, at });
        added.emit(());
    });
}

/// A decision or comment on a plan; `done` is called once it is saved.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewRequest {
    pub plan_id: String,
    pub action: PlanAction,
    pub text: String,
    pub done: Callback<()>,
}

pub fn review_plan(d: &Dispatch, req: ReviewRequest) {
    let text = req.text.trim().to_owned();
    if req.action.needs_text() && text.is_empty() {
        let key = if req.action == PlanAction::Return {
            Key::ReturnNeedsComment
        } else {
            Key::CommentNeeded
        };
        return refused(d, key);
    }
    let op = Op::ReviewPlan(req.plan_id.clone(), req.action);
    let (plan_id, action, done) = (req.plan_id, req.action, req.done);
    let command = call(ReviewPlan {
        plan_id,
        action,
        text,
    });
    save(d, op, command, move |d, plan, at| {
        d.dispatch(Action::PlanSaved { plan, at });
        done.emit(());
    });
}

/// "Turn into tasks": an approved weekly plan's items become tasks.
pub fn schedule_plan(d: &Dispatch, plan_id: String) {
    let op = Op::SchedulePlan(plan_id.clone());
    let command = call(SchedulePlan { plan_id });
    save(d, op, command, |d, plan, at| {
        d.dispatch(Action::PlanSaved { plan, at });
    });
}

// ---- Meetings ---------------------------------------------------------------------

pub fn open_meeting(d: &Dispatch, meeting_id: Option<String>) {
    d.dispatch(Action::OpenMeeting(meeting_id));
    browser::scroll_to_top();
}

/// What the new-meeting form submits; `created` is called once it is saved.
#[derive(Clone, Debug, PartialEq)]
pub struct NewMeetingRequest {
    pub meeting: CreateMeeting,
    pub created: Callback<()>,
}

pub fn create_meeting(d: &Dispatch, req: NewMeetingRequest) {
    let mut meeting = req.meeting;
    meeting.title = meeting.title.trim().to_owned();
    meeting.agenda = meeting
        .agenda
        .iter()
        .map(|line| line.trim().to_owned())
        .filter(|line| !line.is_empty())
        .collect();
    meeting.repeat_weeks = meeting.repeat_weeks.min(12);
    if meeting.title.is_empty() {
        return refused(d, Key::MeetingTitleNeeded);
    }
    if crate::ui::period::Day::parse(&meeting.date).is_none() {
        return refused(d, Key::MeetingDateNeeded);
    }
    let (title, date) = (meeting.title.clone(), meeting.date.clone());
    let created = req.created;
    let command = call(meeting);
    save(d, Op::CreateMeeting, command, move |d, board, at| {
        // The new meeting: the first with its title on its date.
        let new = board
            .meetings
            .iter()
            .find(|m| m.title == title && m.date == date)
            .map(|m| m.id.clone());
        d.dispatch(Action::MeetingsLoaded {
            board,
            asked_at: at,
        });
        d.dispatch(Action::OpenMeeting(new));
        created.emit(());
    });
}

fn meetings_saved(d: &Dispatch, board: MeetingBoard, at: u64) {
    d.dispatch(Action::MeetingsLoaded {
        board,
        asked_at: at,
    });
}

pub fn add_agenda_item(d: &Dispatch, meeting_id: String, req: TextRequest) {
    let text = req.text.trim().to_owned();
    if text.is_empty() {
        return;
    }
    let op = Op::AddAgenda(meeting_id.clone());
    let added = req.added;
    let command = call(AddAgendaItem { meeting_id, text });
    save(d, op, command, move |d, board, at| {
        meetings_saved(d, board, at);
        added.emit(());
    });
}

pub fn set_minutes(d: &Dispatch, meeting_id: String, text: String) {
    let op = Op::Minutes(meeting_id.clone());
    let command = call(SetMinutes { meeting_id, text });
    save(d, op, command, meetings_saved);
}

/// What the action-item form submits; `added` is called once it is saved.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionRequest {
    pub action: AddActionItem,
    pub added: Callback<()>,
}

pub fn add_action_item(d: &Dispatch, req: ActionRequest) {
    let mut action = req.action;
    action.text = action.text.trim().to_owned();
    if action.text.is_empty() {
        return refused(d, Key::ItemTextNeeded);
    }
    let op = Op::AddAction(action.meeting_id.clone());
    let added = req.added;
    let command = call(action);
    save(d, op, command, move |d, board, at| {
        meetings_saved(d, board, at);
        added.emit(());
    });
}

pub fn actions_to_tasks(d: &Dispatch, meeting_id: String) {
    let op = Op::ActionsToTasks(meeting_id.clone());
    let command = call(ActionsToTasks { meeting_id });
    save(d, op, command, meetings_saved);
}

// ---- Feedback ---------------------------------------------------------------------

/// The most a photo may weigh once encoded (the backend refuses more than 300 KB).
const PHOTO_MAX_BYTES: usize = 300 * 1024;

/// What the report form submits; `sent` is called once the report is saved.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportRequest {
    pub category: String,
    pub text: String,
    pub photo: Option<web_sys::File>,
    pub sent: Callback<()>,
}

/// How many bytes a base64 `data:` URL decodes to.
fn data_url_bytes(url: &str) -> usize {
    let payload = url.split_once(',').map_or(url, |(_, p)| p);
    payload.len() / 4 * 3
}

/// Scales the photo down and encodes it, lowering the quality until it is small enough.
async fn encode_photo(file: &web_sys::File) -> Result<String, Key> {
    for quality in [0.7, 0.5, 0.35] {
        let url = browser::scale_photo(file, quality).await.map_err(|err| {
            web_sys::console::warn_1(&format!("photo: {err}").into());
            Key::PhotoUnreadable
        })?;
        if data_url_bytes(&url) <= PHOTO_MAX_BYTES {
            return Ok(url);
        }
    }
    Err(Key::PhotoTooLarge)
}

pub fn report_problem(d: &Dispatch, req: ReportRequest) {
    let text = req.text.trim().to_owned();
    if text.is_empty() {
        return refused(d, Key::ReportTextNeeded);
    }
    let ReportRequest {
        category,
        photo,
        sent,
        ..
    } = req;
    // The photo is encoded while the form is busy; a photo that cannot be is refused.
    let command = {
        let d = d.clone();
        async move {
            let photo = match &photo {
                Some(file) => match encode_photo(file).await {
                    Ok(url) => Some(url),
                    Err(key) => {
                        refused(&d, key);
                        return Ok(None);
                    }
                },
                None => None,
            };
            call(ReportProblem {
                category,
                text,
                photo,
            })
            .await
            .map(Some)
        }
    };
    run(d, Op::ReportProblem, command, move |d, board, at| {
        let Some(board) = board else { return };
        d.dispatch(Action::FeedbackLoaded {
            board,
            asked_at: at,
        });
        d.dispatch(Action::Saved(at));
        hide_saved_later(d, at);
        sent.emit(());
    });
}

/// Starting work on a report, or resolving it with what was done.
pub fn set_report_status(
    d: &Dispatch,
    report_id: String,
    status: ReportStatus,
    resolution: Option<String>,
) {
    let resolution = resolution
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    if status == ReportStatus::Resolved && resolution.is_none() {
        return refused(d, Key::ResolutionNeeded);
    }
    let op = Op::ReportStatus(report_id.clone());
    let command = call(SetReportStatus {
        report_id,
        status,
        resolution,
    });
    save(d, op, command, |d, board, at| {
        d.dispatch(Action::FeedbackLoaded {
            board,
            asked_at: at,
        });
    });
}

/// "Show photo" on a report: fetched once, then kept.
pub fn load_photo(d: &Dispatch, report_id: String) {
    let op = Op::Photo(report_id.clone());
    let command = call(GetReportPhoto {
        report_id: report_id.clone(),
    });
    run(d, op, command, move |d, url, _| {
        d.dispatch(Action::PhotoLoaded {
            report: report_id,
            url,
        });
    });
}

// ---- Assessment -------------------------------------------------------------------

/// What a form of the assessment screen submits; `done` is called once it is saved
/// (the form clears itself then).
#[derive(Clone, Debug, PartialEq)]
pub struct AssessmentRequest {
    pub command: crate::assessment::Command,
    pub done: Callback<()>,
}

/// Any assessment command: checked here, then sent; every one returns the whole board.
pub fn assessment_command(d: &Dispatch, req: AssessmentRequest) {
    use crate::assessment::Checked;
    let op = req.command.op();
    let checked = match req.command.check() {
        Ok(checked) => checked,
        Err(key) => return refused(d, key),
    };
    let command = async move {
        match checked {
            Checked::DefineKpi(c) => call(c).await,
            Checked::RecordKpiValue(c) => call(c).await,
            Checked::Assess(c) => call(c).await,
            Checked::GiveAward(c) => call(c).await,
            Checked::PlanTraining(c) => call(c).await,
            Checked::RecordAttendance(c) => call(c).await,
            Checked::OpenSurvey(c) => call(c).await,
            Checked::AnswerSurvey(c) => call(c).await,
        }
    };
    let done = req.done;
    save(d, op, command, move |d, board, at| {
        d.dispatch(Action::AssessmentLoaded {
            board,
            asked_at: at,
        });
        done.emit(());
    });
}

// ---- Dashboard --------------------------------------------------------------------

/// "Print report": the printable view, then the print dialog once it has rendered.
pub fn print_report(d: &Dispatch) {
    d.dispatch(Action::PrintView(true));
    browser::scroll_to_top();
    browser::after(300, browser::print_page);
}

pub fn close_print(d: &Dispatch) {
    d.dispatch(Action::PrintView(false));
}
