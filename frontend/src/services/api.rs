//! One typed async function per backend command.
//!
//! Arguments go over as a JS object with camelCase keys; results come back as JSON shaped
//! like `crate::model`. A rejected promise becomes an [`ApiError`].

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

use super::tauri;
use crate::assessment::SessionArgs;
use crate::model::{
    ApiError, AppStatus, AssessmentBoard, Dashboard, DutyRegister, FeedbackBoard, Invite,
    MeetingBoard, OrgChart, PlanBoard, PlanView, Staffing, SyncStatus, TaskDetail, TaskView,
    TeamBoard,
};

/// `code` of an error raised on this side of the bridge because Tauri itself could not be
/// reached (no `window.__TAURI__`, or it threw).
pub const CODE_UNAVAILABLE: &str = "ui.unavailable";
/// `code` of an error raised because a reply did not have the expected shape.
pub const CODE_BAD_REPLY: &str = "ui.bad_reply";

pub async fn status() -> Result<AppStatus, ApiError> {
    call("status", &NoArgs {}).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EnrolArgs<'a> {
    relay_url: &'a str,
    code: &'a str,
    device_name: &'a str,
}

pub async fn enrol(relay_url: &str, code: &str, device_name: &str) -> Result<AppStatus, ApiError> {
    let args = EnrolArgs {
        relay_url,
        code,
        device_name,
    };
    call("enrol", &args).await
}

pub async fn list_tasks() -> Result<Vec<TaskView>, ApiError> {
    call("list_tasks", &NoArgs {}).await
}

#[derive(Serialize)]
struct AddTaskArgs<'a> {
    title: &'a str,
}

pub async fn add_task(title: &str) -> Result<TaskView, ApiError> {
    call("add_task", &AddTaskArgs { title }).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SetTaskStatusArgs<'a> {
    task_id: &'a str,
    status: &'a str,
}

pub async fn set_task_status(task_id: &str, status: &str) -> Result<TaskView, ApiError> {
    call("set_task_status", &SetTaskStatusArgs { task_id, status }).await
}

pub async fn sync_now() -> Result<SyncStatus, ApiError> {
    call("sync_now", &NoArgs {}).await
}

pub async fn org_chart() -> Result<OrgChart, ApiError> {
    call("org_chart", &NoArgs {}).await
}

pub async fn duty_register() -> Result<DutyRegister, ApiError> {
    call("duty_register", &NoArgs {}).await
}

#[derive(Serialize)]
struct CreateInviteArgs<'a> {
    role: &'a str,
    person: Option<&'a str>,
}

/// `role` is `"staff"` or `"manager"`; `person` the id of the person who will use the
/// device, if known.
pub async fn create_invite(role: &str, person: Option<&str>) -> Result<Invite, ApiError> {
    call("create_invite", &CreateInviteArgs { role, person }).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TaskArgs<'a> {
    task_id: &'a str,
}

pub async fn task_detail(task_id: &str) -> Result<TaskDetail, ApiError> {
    call("task_detail", &TaskArgs { task_id }).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SetChecklistItemArgs<'a> {
    task_id: &'a str,
    item_id: &'a str,
    done: bool,
}

pub async fn set_checklist_item(
    task_id: &str,
    item_id: &str,
    done: bool,
) -> Result<TaskDetail, ApiError> {
    let args = SetChecklistItemArgs {
        task_id,
        item_id,
        done,
    };
    call("set_checklist_item", &args).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TaskTextArgs<'a> {
    task_id: &'a str,
    text: &'a str,
}

pub async fn add_checklist_item(task_id: &str, text: &str) -> Result<TaskDetail, ApiError> {
    call("add_checklist_item", &TaskTextArgs { task_id, text }).await
}

pub async fn add_comment(task_id: &str, text: &str) -> Result<TaskDetail, ApiError> {
    call("add_comment", &TaskTextArgs { task_id, text }).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReassignTaskArgs<'a> {
    task_id: &'a str,
    /// An owner id; `None` (sent as `null`) leaves the task unassigned.
    assignee: Option<&'a str>,
}

pub async fn reassign_task(task_id: &str, assignee: Option<&str>) -> Result<TaskDetail, ApiError> {
    call("reassign_task", &ReassignTaskArgs { task_id, assignee }).await
}

pub async fn people_and_positions() -> Result<Staffing, ApiError> {
    call("people_and_positions", &NoArgs {}).await
}

pub async fn team_board() -> Result<TeamBoard, ApiError> {
    call("team_board", &NoArgs {}).await
}

#[derive(Serialize)]
struct ReassignOpenTasksArgs<'a> {
    from: &'a str,
    to: Option<&'a str>,
}

/// Moves every open task of owner `from` to `to` (`None`: unassigned); returns how many.
pub async fn reassign_open_tasks(from: &str, to: Option<&str>) -> Result<u32, ApiError> {
    call("reassign_open_tasks", &ReassignOpenTasksArgs { from, to }).await
}

#[derive(Serialize)]
struct AddPersonArgs<'a> {
    name: &'a str,
    contact: &'a str,
    /// The id of the position they take, if any.
    position: Option<&'a str>,
}

pub async fn add_person(name: &str, contact: &str, position: Option<&str>) -> Result<(), ApiError> {
    let args = AddPersonArgs {
        name,
        contact,
        position,
    };
    // The reply is `null`; whatever else comes back is ignored, not an error.
    call::<_, serde::de::IgnoredAny>("add_person", &args)
        .await
        .map(|_| ())
}

/// Leaves the store; `status` reports `enrolled: false` afterwards.
pub async fn sign_out() -> Result<(), ApiError> {
    // The reply is `null`; whatever else comes back is ignored, not an error.
    call::<_, serde::de::IgnoredAny>("sign_out", &NoArgs {})
        .await
        .map(|_| ())
}

// ---- Plans ------------------------------------------------------------------------

#[derive(Serialize)]
struct PlansArgs<'a> {
    /// `None`: the current year.
    year: Option<&'a str>,
}

pub async fn plans(year: Option<&str>) -> Result<PlanBoard, ApiError> {
    call("plans", &PlansArgs { year }).await
}

/// A new draft plan; `owner` is the owning position's id (`pos:…`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewPlanArgs {
    pub level: String,
    pub period: String,
    pub title: String,
    pub owner: String,
    pub parent: Option<String>,
}

pub async fn create_plan(args: &NewPlanArgs) -> Result<PlanView, ApiError> {
    call("create_plan", args).await
}

/// An item of a plan: `item_id` `None` adds one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanItemArgs {
    pub plan_id: String,
    pub item_id: Option<String>,
    pub text: String,
    /// An owner id (`position:…`, `person:…`).
    pub assignee: Option<String>,
    /// `YYYY-MM-DD`.
    pub due: Option<String>,
    pub parent_item: Option<String>,
}

pub async fn set_plan_item(args: &PlanItemArgs) -> Result<PlanView, ApiError> {
    call("set_plan_item", args).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReviewPlanArgs<'a> {
    plan_id: &'a str,
    action: &'a str,
    text: &'a str,
}

/// `action` is one of `PlanAction`'s wire names.
pub async fn review_plan(plan_id: &str, action: &str, text: &str) -> Result<PlanView, ApiError> {
    let args = ReviewPlanArgs {
        plan_id,
        action,
        text,
    };
    call("review_plan", &args).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PlanArgs<'a> {
    plan_id: &'a str,
}

pub async fn schedule_plan(plan_id: &str) -> Result<PlanView, ApiError> {
    call("schedule_plan", &PlanArgs { plan_id }).await
}

// ---- Meetings ---------------------------------------------------------------------

pub async fn meetings() -> Result<MeetingBoard, ApiError> {
    call("meetings", &NoArgs {}).await
}

/// A new meeting, and `repeat_weeks` more like it a week apart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewMeetingArgs {
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// A department id.
    pub department: Option<String>,
    /// Person ids.
    pub attendees: Vec<String>,
    pub agenda: Vec<String>,
    pub repeat_weeks: u32,
}

pub async fn create_meeting(args: &NewMeetingArgs) -> Result<MeetingBoard, ApiError> {
    call("create_meeting", args).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MeetingTextArgs<'a> {
    meeting_id: &'a str,
    text: &'a str,
}

pub async fn add_agenda_item(meeting_id: &str, text: &str) -> Result<MeetingBoard, ApiError> {
    call("add_agenda_item", &MeetingTextArgs { meeting_id, text }).await
}

pub async fn set_minutes(meeting_id: &str, text: &str) -> Result<MeetingBoard, ApiError> {
    call("set_minutes", &MeetingTextArgs { meeting_id, text }).await
}

/// An action item of a meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionItemArgs {
    pub meeting_id: String,
    pub text: String,
    /// An owner id; `None`: no one yet.
    pub owner: Option<String>,
    /// `YYYY-MM-DD`.
    pub due: Option<String>,
}

pub async fn add_action_item(args: &ActionItemArgs) -> Result<MeetingBoard, ApiError> {
    call("add_action_item", args).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MeetingArgs<'a> {
    meeting_id: &'a str,
}

pub async fn actions_to_tasks(meeting_id: &str) -> Result<MeetingBoard, ApiError> {
    call("actions_to_tasks", &MeetingArgs { meeting_id }).await
}

// ---- Feedback ---------------------------------------------------------------------

pub async fn feedback() -> Result<FeedbackBoard, ApiError> {
    call("feedback", &NoArgs {}).await
}

#[derive(Serialize)]
struct ReportProblemArgs<'a> {
    category: &'a str,
    text: &'a str,
    /// A `data:image/jpeg;base64,…` URL.
    photo: Option<&'a str>,
}

pub async fn report_problem(
    category: &str,
    text: &str,
    photo: Option<&str>,
) -> Result<FeedbackBoard, ApiError> {
    let args = ReportProblemArgs {
        category,
        text,
        photo,
    };
    call("report_problem", &args).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportStatusArgs<'a> {
    report_id: &'a str,
    status: &'a str,
    resolution: Option<&'a str>,
}

pub async fn set_report_status(
    report_id: &str,
    status: &str,
    resolution: Option<&str>,
) -> Result<FeedbackBoard, ApiError> {
    let args = ReportStatusArgs {
        report_id,
        status,
        resolution,
    };
    call("set_report_status", &args).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportArgs<'a> {
    report_id: &'a str,
}

/// The report's photo as a `data:` URL.
pub async fn report_photo(report_id: &str) -> Result<String, ApiError> {
    call("report_photo", &ReportArgs { report_id }).await
}

// ---- Dashboard --------------------------------------------------------------------

#[derive(Serialize)]
struct DashboardArgs {
    weeks: u32,
}

pub async fn dashboard(weeks: u32) -> Result<Dashboard, ApiError> {
    call("dashboard", &DashboardArgs { weeks }).await
}

// ---- Assessment -------------------------------------------------------------------

#[derive(Serialize)]
struct YearArgs<'a> {
    year: Option<&'a str>,
}

pub async fn assessment(year: Option<&str>) -> Result<AssessmentBoard, ApiError> {
    call("assessment", &YearArgs { year }).await
}

#[derive(Serialize)]
struct DefineKpiArgs<'a> {
    name: &'a str,
    subject: &'a str,
    metric: &'a str,
    target: f64,
}

pub async fn define_kpi(
    name: &str,
    subject: &str,
    metric: &str,
    target: f64,
) -> Result<AssessmentBoard, ApiError> {
    let args = DefineKpiArgs {
        name,
        subject,
        metric,
        target,
    };
    call("define_kpi", &args).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct KpiValueArgs<'a> {
    kpi_id: &'a str,
    period: &'a str,
    value: f64,
}

pub async fn record_kpi_value(
    kpi_id: &str,
    period: &str,
    value: f64,
) -> Result<AssessmentBoard, ApiError> {
    let args = KpiValueArgs {
        kpi_id,
        period,
        value,
    };
    call("record_kpi_value", &args).await
}

#[derive(Serialize)]
struct AssessArgs<'a> {
    subject: &'a str,
    period: &'a str,
    score: u64,
    comment: &'a str,
}

pub async fn assess(
    subject: &str,
    period: &str,
    score: u64,
    comment: &str,
) -> Result<AssessmentBoard, ApiError> {
    let args = AssessArgs {
        subject,
        period,
        score,
        comment,
    };
    call("assess", &args).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AwardArgs<'a> {
    title: &'a str,
    person_id: &'a str,
    period: &'a str,
    reason: &'a str,
}

pub async fn give_award(
    title: &str,
    person_id: &str,
    period: &str,
    reason: &str,
) -> Result<AssessmentBoard, ApiError> {
    let args = AwardArgs {
        title,
        person_id,
        period,
        reason,
    };
    call("give_award", &args).await
}

#[derive(Serialize)]
struct PlanTrainingArgs<'a> {
    title: &'a str,
    department: Option<&'a str>,
    sessions: &'a [SessionArgs],
}

pub async fn plan_training(
    title: &str,
    department: Option<&str>,
    sessions: &[SessionArgs],
) -> Result<AssessmentBoard, ApiError> {
    let args = PlanTrainingArgs {
        title,
        department,
        sessions,
    };
    call("plan_training", &args).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AttendanceArgs<'a> {
    training_id: &'a str,
    session_id: &'a str,
    attendees: &'a [String],
}

pub async fn record_attendance(
    training_id: &str,
    session_id: &str,
    attendees: &[String],
) -> Result<AssessmentBoard, ApiError> {
    let args = AttendanceArgs {
        training_id,
        session_id,
        attendees,
    };
    call("record_attendance", &args).await
}

#[derive(Serialize)]
struct OpenSurveyArgs<'a> {
    title: &'a str,
}

pub async fn open_survey(title: &str) -> Result<AssessmentBoard, ApiError> {
    call("open_survey", &OpenSurveyArgs { title }).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AnswerSurveyArgs<'a> {
    survey_id: &'a str,
    score: u64,
    comment: &'a str,
}

pub async fn answer_survey(
    survey_id: &str,
    score: u64,
    comment: &str,
) -> Result<AssessmentBoard, ApiError> {
    let args = AnswerSurveyArgs {
        survey_id,
        score,
        comment,
    };
    call("answer_survey", &args).await
}

#[derive(Serialize)]
pub(super) struct NoArgs {}

pub(super) async fn call<A: Serialize, R: DeserializeOwned>(
    cmd: &str,
    args: &A,
) -> Result<R, ApiError> {
    // `None` goes over as `null`, not as a missing key.
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    let args = args.serialize(&serializer).map_err(|e| ApiError {
        code: CODE_BAD_REPLY.to_owned(),
        message: format!("{cmd}: {e}"),
    })?;
    let reply = tauri::invoke(cmd, args).await.map_err(rejection)?;
    serde_wasm_bindgen::from_value(reply).map_err(|e| ApiError {
        code: CODE_BAD_REPLY.to_owned(),
        message: format!("{cmd}: {e}"),
    })
}

/// Reads whatever a rejected promise carried: the backend's `{ code, message }`, a bare
/// string (how Tauri itself reports e.g. an unknown command), or a JS exception.
pub(super) fn rejection(value: JsValue) -> ApiError {
    // First: a JS `Error` has a `message` too, and would otherwise pass for the backend's.
    if let Some(err) = value.dyn_ref::<js_sys::Error>() {
        return ApiError {
            code: CODE_UNAVAILABLE.to_owned(),
            message: String::from(err.message()),
        };
    }
    if let Ok(err) = serde_wasm_bindgen::from_value::<ApiError>(value.clone()) {
        return err;
    }
    if let Some(message) = value.as_string() {
        return ApiError {
            code: String::new(),
            message,
        };
    }
    let message = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| "unknown error".to_owned());
    ApiError {
        code: String::new(),
        message,
    }
}
