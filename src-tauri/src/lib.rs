//! The Storeops app shell: each command is one call into `storeops-client`
//! plus an error conversion to `{code, message}`.

use std::path::PathBuf;

use serde::Serialize;
use storeops_client::assessment_board::{AssessmentBoard, SessionInput};
use storeops_client::boards::{Dashboard, FeedbackBoard, MeetingBoard, PlanBoard, PlanView};
use storeops_client::org_editing::{MyDuty, RaciInput};
use storeops_client::{
    ClientError, ClientEvent, Device, DutyRegister, Invite, NewStore, OrgChart, Staffing,
    SyncStatus, TaskDetail, TaskView, TeamBoard, sync_loop,
};
use storeops_domain::StoreProfile;
use tauri::{Emitter, Manager, State};

/// The error every command returns to the UI.
#[derive(Debug, Serialize)]
pub struct CommandError {
    code: &'static str,
    message: String,
}

impl From<ClientError> for CommandError {
    fn from(e: ClientError) -> Self {
        Self {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

type Result<T> = std::result::Result<T, CommandError>;

/// What the UI needs at start and after enrolment.
#[derive(Debug, Serialize)]
pub struct AppStatus {
    enrolled: bool,
    store: Option<Store>,
    device_name: Option<String>,
    role: Option<String>,
    relay_url: Option<String>,
    sync: SyncStatus,
}

#[derive(Debug, Serialize)]
struct Store {
    id: String,
    name: String,
    time_zone: String,
    locale: String,
}

fn app_status(device: &Device) -> AppStatus {
    let r = device.replica();
    let e = r.enrolment();
    let store = r
        .store_profile()
        .map(|p: StoreProfile| Store {
            id: p.id,
            name: p.name,
            time_zone: p.time_zone,
            locale: p.locale,
        })
        .or_else(|| {
            e.map(|e| Store {
                id: e.store_id.clone(),
                name: e.store_name.clone(),
                time_zone: String::new(),
                locale: String::new(),
            })
        });
    AppStatus {
        enrolled: e.is_some(),
        store,
        device_name: e.map(|e| e.device_name.clone()),
        role: e.map(|e| e.role.clone()),
        relay_url: e.map(|e| e.relay_url.clone()),
        sync: r.status(),
    }
}

#[tauri::command]
fn status(device: State<'_, Device>) -> AppStatus {
    app_status(&device)
}

#[tauri::command]
async fn enrol(
    device: State<'_, Device>,
    relay_url: String,
    code: String,
    device_name: String,
) -> Result<AppStatus> {
    let d = device.inner().clone();
    let ca = relay_ca()?;
    tauri::async_runtime::spawn_blocking(move || {
        d.enrol_with_ca(&relay_url, &code, &device_name, ca.as_deref())
    })
    .await
    .map_err(|e| ClientError::Internal(e.to_string()))??;
    Ok(app_status(&device))
}

/// Opens a new store from a seed template (a new-store code from the relay's
/// operator); this device becomes its director.
#[tauri::command]
async fn open_store(
    device: State<'_, Device>,
    relay_url: String,
    store: NewStore,
) -> Result<AppStatus> {
    let d = device.inner().clone();
    let ca = relay_ca()?;
    tauri::async_runtime::spawn_blocking(move || d.open_store(&relay_url, &store, ca.as_deref()))
        .await
        .map_err(|e| ClientError::Internal(e.to_string()))??;
    Ok(app_status(&device))
}

#[tauri::command]
fn list_tasks(device: State<'_, Device>) -> Result<Vec<TaskView>> {
    Ok(device.tasks()?)
}

#[tauri::command]
fn add_task(device: State<'_, Device>, title: String) -> Result<TaskView> {
    Ok(device.add_task(&title)?)
}

#[tauri::command]
fn set_task_status(device: State<'_, Device>, task_id: String, status: String) -> Result<TaskView> {
    Ok(device.set_task_status(&task_id, &status)?)
}

#[tauri::command]
fn sync_now(device: State<'_, Device>) -> SyncStatus {
    device.sync_now();
    device.status()
}

#[tauri::command]
fn org_chart(device: State<'_, Device>) -> Result<OrgChart> {
    Ok(device.org_chart()?)
}

#[tauri::command]
fn duty_register(device: State<'_, Device>) -> Result<DutyRegister> {
    Ok(device.duty_register()?)
}

#[tauri::command]
async fn create_invite(
    device: State<'_, Device>,
    role: String,
    person: Option<String>,
) -> Result<Invite> {
    let d = device.inner().clone();
    Ok(
        tauri::async_runtime::spawn_blocking(move || d.create_invite(&role, person.as_deref()))
            .await
            .map_err(|e| ClientError::Internal(e.to_string()))??,
    )
}

#[tauri::command]
fn task_detail(device: State<'_, Device>, task_id: String) -> Result<TaskDetail> {
    Ok(device.task_detail(&task_id)?)
}

#[tauri::command]
fn set_checklist_item(
    device: State<'_, Device>,
    task_id: String,
    item_id: String,
    done: bool,
) -> Result<TaskDetail> {
    Ok(device.set_checklist_item(&task_id, &item_id, done)?)
}

#[tauri::command]
fn add_checklist_item(
    device: State<'_, Device>,
    task_id: String,
    text: String,
) -> Result<TaskDetail> {
    Ok(device.add_checklist_item(&task_id, &text)?)
}

#[tauri::command]
fn add_comment(device: State<'_, Device>, task_id: String, text: String) -> Result<TaskDetail> {
    Ok(device.add_comment(&task_id, &text)?)
}

#[tauri::command]
fn reassign_task(
    device: State<'_, Device>,
    task_id: String,
    assignee: Option<String>,
) -> Result<TaskDetail> {
    Ok(device.reassign_task(&task_id, assignee.as_deref())?)
}

#[tauri::command]
fn reassign_open_tasks(device: State<'_, Device>, from: String, to: Option<String>) -> Result<u32> {
    Ok(device.reassign_open_tasks(&from, to.as_deref())?)
}

#[tauri::command]
fn people_and_positions(device: State<'_, Device>) -> Result<Staffing> {
    Ok(device.staffing()?)
}

#[tauri::command]
fn team_board(device: State<'_, Device>) -> Result<TeamBoard> {
    Ok(device.team_board()?)
}

#[tauri::command]
fn add_person(
    device: State<'_, Device>,
    name: String,
    contact: String,
    position: Option<String>,
) -> Result<()> {
    device.add_person(&name, &contact, position.as_deref())?;
    Ok(())
}

#[tauri::command]
fn sign_out(device: State<'_, Device>) -> Result<()> {
    Ok(device.sign_out()?)
}

// Plans, meetings, feedback and the dashboard (`docs/design/app-api.md`).

#[tauri::command]
fn plans(device: State<'_, Device>, year: Option<String>) -> Result<PlanBoard> {
    Ok(device.plans(year.as_deref())?)
}

#[tauri::command]
fn create_plan(
    device: State<'_, Device>,
    level: String,
    period: String,
    title: String,
    owner: String,
    parent: Option<String>,
) -> Result<PlanView> {
    Ok(device.create_plan(&level, &period, &title, &owner, parent.as_deref())?)
}

#[tauri::command]
fn set_plan_item(
    device: State<'_, Device>,
    plan_id: String,
    item_id: Option<String>,
    text: String,
    assignee: Option<String>,
    due: Option<String>,
    parent_item: Option<String>,
) -> Result<PlanView> {
    Ok(device.set_plan_item(
        &plan_id,
        item_id.as_deref(),
        &text,
        assignee.as_deref(),
        due.as_deref(),
        parent_item.as_deref(),
    )?)
}

#[tauri::command]
fn review_plan(
    device: State<'_, Device>,
    plan_id: String,
    action: String,
    text: String,
) -> Result<PlanView> {
    Ok(device.review_plan(&plan_id, &action, &text)?)
}

#[tauri::command]
fn schedule_plan(device: State<'_, Device>, plan_id: String) -> Result<PlanView> {
    Ok(device.schedule_plan(&plan_id)?)
}

#[tauri::command]
fn meetings(device: State<'_, Device>) -> Result<MeetingBoard> {
    Ok(device.meetings()?)
}

#[tauri::command]
fn create_meeting(
    device: State<'_, Device>,
    title: String,
    date: String,
    department: Option<String>,
    attendees: Vec<String>,
    agenda: Vec<String>,
    repeat_weeks: u32,
) -> Result<MeetingBoard> {
    Ok(device.create_meeting(
        &title,
        &date,
        department.as_deref(),
        &attendees,
        &agenda,
        repeat_weeks,
    )?)
}

#[tauri::command]
fn add_agenda_item(
    device: State<'_, Device>,
    meeting_id: String,
    text: String,
) -> Result<MeetingBoard> {
    Ok(device.add_agenda_item(&meeting_id, &text)?)
}

#[tauri::command]
fn set_minutes(
    device: State<'_, Device>,
    meeting_id: String,
    text: String,
) -> Result<MeetingBoard> {
    Ok(device.set_minutes(&meeting_id, &text)?)
}

#[tauri::command]
fn add_action_item(
    device: State<'_, Device>,
    meeting_id: String,
    text: String,
    owner: Option<String>,
    due: Option<String>,
) -> Result<MeetingBoard> {
    Ok(device.add_action_item(&meeting_id, &text, owner.as_deref(), due.as_deref())?)
}

#[tauri::command]
fn actions_to_tasks(device: State<'_, Device>, meeting_id: String) -> Result<MeetingBoard> {
    Ok(device.actions_to_tasks(&meeting_id)?)
}

#[tauri::command]
fn feedback(device: State<'_, Device>) -> Result<FeedbackBoard> {
    Ok(device.feedback()?)
}

#[tauri::command]
fn report_problem(
    device: State<'_, Device>,
    category: String,
    text: String,
    photo: Option<String>,
) -> Result<FeedbackBoard> {
    Ok(device.report_problem(&category, &text, photo.as_deref())?)
}

#[tauri::command]
fn set_report_status(
    device: State<'_, Device>,
    report_id: String,
    status: String,
    resolution: Option<String>,
) -> Result<FeedbackBoard> {
    Ok(device.set_report_status(&report_id, &status, resolution.as_deref())?)
}

#[tauri::command]
fn report_photo(device: State<'_, Device>, report_id: String) -> Result<String> {
    Ok(device.report_photo(&report_id)?)
}

#[tauri::command]
fn dashboard(device: State<'_, Device>, weeks: Option<u32>) -> Result<Dashboard> {
    Ok(device.dashboard(weeks.unwrap_or(8) as usize)?)
}

// Editing the org chart and the duty register; my duties.

#[tauri::command]
fn add_department(
    device: State<'_, Device>,
    name: String,
    parent: Option<String>,
) -> Result<OrgChart> {
    Ok(device.add_department(&name, parent.as_deref())?)
}

#[tauri::command]
fn rename_department(
    device: State<'_, Device>,
    department_id: String,
    name: String,
) -> Result<OrgChart> {
    Ok(device.rename_department(&department_id, &name)?)
}

#[tauri::command]
fn move_department(
    device: State<'_, Device>,
    department_id: String,
    parent: Option<String>,
) -> Result<OrgChart> {
    Ok(device.move_department(&department_id, parent.as_deref())?)
}

#[tauri::command]
fn set_department_head(
    device: State<'_, Device>,
    department_id: String,
    position: Option<String>,
) -> Result<OrgChart> {
    Ok(device.set_department_head(&department_id, position.as_deref())?)
}

#[tauri::command]
fn add_position(
    device: State<'_, Device>,
    department: String,
    title: String,
    reports_to: Option<String>,
    headcount: u32,
) -> Result<OrgChart> {
    Ok(device.add_position(&department, &title, reports_to.as_deref(), headcount)?)
}

#[tauri::command]
fn edit_position(
    device: State<'_, Device>,
    position_id: String,
    title: String,
    department: String,
    reports_to: Option<String>,
    headcount: u32,
) -> Result<OrgChart> {
    Ok(device.edit_position(
        &position_id,
        &title,
        &department,
        reports_to.as_deref(),
        headcount,
    )?)
}

#[tauri::command]
fn set_person_positions(
    device: State<'_, Device>,
    person_id: String,
    positions: Vec<String>,
) -> Result<OrgChart> {
    Ok(device.set_person_positions(&person_id, &positions)?)
}

#[tauri::command]
fn set_person_active(
    device: State<'_, Device>,
    person_id: String,
    active: bool,
) -> Result<OrgChart> {
    Ok(device.set_person_active(&person_id, active)?)
}

#[tauri::command]
fn add_duty(
    device: State<'_, Device>,
    text: String,
    owner: Option<String>,
    cadence: String,
    raci: Option<RaciInput>,
) -> Result<DutyRegister> {
    Ok(device.add_duty(&text, owner.as_deref(), &cadence, raci.as_ref())?)
}

#[tauri::command]
fn edit_duty(
    device: State<'_, Device>,
    duty_id: String,
    text: String,
    owner: Option<String>,
    cadence: String,
    raci: Option<RaciInput>,
) -> Result<DutyRegister> {
    Ok(device.edit_duty(&duty_id, &text, owner.as_deref(), &cadence, raci.as_ref())?)
}

#[tauri::command]
fn task_from_duty(
    device: State<'_, Device>,
    duty_id: String,
    due: Option<String>,
) -> Result<TaskView> {
    Ok(device.task_from_duty(&duty_id, due.as_deref())?)
}

#[tauri::command]
fn my_duties(device: State<'_, Device>) -> Result<Vec<MyDuty>> {
    Ok(device.my_duties()?)
}

// Assessment: KPIs, assessments, awards, training, surveys.

#[tauri::command]
fn assessment(device: State<'_, Device>, year: Option<String>) -> Result<AssessmentBoard> {
    Ok(device.assessment(year.as_deref())?)
}

#[tauri::command]
fn define_kpi(
    device: State<'_, Device>,
    name: String,
    subject: String,
    metric: String,
    target: f64,
) -> Result<AssessmentBoard> {
    Ok(device.define_kpi(&name, &subject, &metric, target)?)
}

#[tauri::command]
fn record_kpi_value(
    device: State<'_, Device>,
    kpi_id: String,
    period: String,
    value: f64,
) -> Result<AssessmentBoard> {
    Ok(device.record_kpi_value(&kpi_id, &period, value)?)
}

#[tauri::command]
fn assess(
    device: State<'_, Device>,
    subject: String,
    period: String,
    score: u64,
    comment: String,
) -> Result<AssessmentBoard> {
    Ok(device.assess(&subject, &period, score, &comment)?)
}

#[tauri::command]
fn give_award(
    device: State<'_, Device>,
    title: String,
    person_id: String,
    period: String,
    reason: String,
) -> Result<AssessmentBoard> {
    Ok(device.give_award(&title, &person_id, &period, &reason)?)
}

#[tauri::command]
fn plan_training(
    device: State<'_, Device>,
    title: String,
    department: Option<String>,
    sessions: Vec<SessionInput>,
) -> Result<AssessmentBoard> {
    Ok(device.plan_training(&title, department.as_deref(), &sessions)?)
}

#[tauri::command]
fn record_attendance(
    device: State<'_, Device>,
    training_id: String,
    session_id: String,
    attendees: Vec<String>,
) -> Result<AssessmentBoard> {
    Ok(device.record_attendance(&training_id, &session_id, &attendees)?)
}

#[tauri::command]
fn open_survey(device: State<'_, Device>, title: String) -> Result<AssessmentBoard> {
    Ok(device.open_survey(&title)?)
}

#[tauri::command]
fn answer_survey(
    device: State<'_, Device>,
    survey_id: String,
    score: u64,
    comment: String,
) -> Result<AssessmentBoard> {
    Ok(device.answer_survey(&survey_id, score, &comment)?)
}

/// A self-hosted relay's CA certificate, from the PEM file `STOREOPS_RELAY_CA_FILE`.
fn relay_ca() -> std::result::Result<Option<String>, ClientError> {
    match std::env::var_os("STOREOPS_RELAY_CA_FILE") {
        None => Ok(None),
        Some(path) => std::fs::read_to_string(&path).map(Some).map_err(|e| {
            ClientError::BadCertificate(format!("cannot read {}: {e}", path.to_string_lossy()))
        }),
    }
}

/// `STOREOPS_DATA_DIR` if set (tests run several instances), else the OS's app data dir.
fn data_dir(app: &tauri::App) -> std::result::Result<PathBuf, Box<dyn std::error::Error>> {
    if let Some(dir) = std::env::var_os("STOREOPS_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    Ok(app.path().app_data_dir()?)
}

/// Enrols on first start when `STOREOPS_ENROL_URL` and `STOREOPS_ENROL_CODE` are
/// set (the demo launcher uses this); otherwise the UI asks.
fn enrol_from_environment(device: &Device) {
    if device.replica().enrolment().is_some() {
        return;
    }
    let (Ok(url), Ok(code)) = (
        std::env::var("STOREOPS_ENROL_URL"),
        std::env::var("STOREOPS_ENROL_CODE"),
    ) else {
        return;
    };
    let name = std::env::var("STOREOPS_DEVICE_NAME").unwrap_or_else(|_| "Storeops desktop".into());
    let device = device.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let ca = match relay_ca() {
            Ok(ca) => ca,
            Err(e) => {
                tracing::error!(error = %e, "enrolment from the environment failed");
                return;
            }
        };
        if let Err(e) = device.enrol_with_ca(&url, &code, &name, ca.as_deref()) {
            tracing::error!(error = %e, "enrolment from the environment failed");
        }
    });
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let result = tauri::Builder::default()
        .setup(|app| {
            let device = Device::open(&data_dir(app)?)?;
            let handle = app.handle().clone();
            device.set_listener(move |event| {
                let _ = match event {
                    ClientEvent::Changed => handle.emit("storeops://changed", ()),
                    ClientEvent::Sync(status) => handle.emit("storeops://sync", status),
                };
            });
            tauri::async_runtime::spawn(sync_loop(device.clone()));
            enrol_from_environment(&device);
            app.manage(device);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            status,
            enrol,
            open_store,
            list_tasks,
            add_task,
            set_task_status,
            sync_now,
            org_chart,
            duty_register,
            create_invite,
            sign_out,
            task_detail,
            set_checklist_item,
            add_checklist_item,
            add_comment,
            reassign_task,
            reassign_open_tasks,
            people_and_positions,
            team_board,
            add_person,
            plans,
            create_plan,
            set_plan_item,
            review_plan,
            schedule_plan,
            meetings,
            create_meeting,
            add_agenda_item,
            set_minutes,
            add_action_item,
            actions_to_tasks,
            feedback,
            report_problem,
            set_report_status,
            report_photo,
            dashboard,
            add_department,
            rename_department,
            move_department,
            set_department_head,
            add_position,
            edit_position,
            set_person_positions,
            set_person_active,
            add_duty,
            edit_duty,
            task_from_duty,
            my_duties,
            assessment,
            define_kpi,
            record_kpi_value,
            assess,
            give_award,
            plan_training,
            record_attendance,
            open_survey,
            answer_survey,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Storeops could not start: {e}");
        std::process::exit(1);
    }
}
