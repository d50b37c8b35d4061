//! Every command the UI can send to the device, defined once.
//!
//! Each command is a request struct with the view it returns ([`Command::Output`]) and
//! its wire name ([`Command::NAME`]). [`Request`] carries any of them over a boundary
//! (Tauri IPC, a worker's messages) as `{"command": NAME, "args": {...}}`; a device side
//! implements [`Handles`] for each, which makes it a [`Handler`], and answers any
//! [`Request`] through [`Request::dispatch`]. A command missing a handler does not
//! compile.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use storeops_domain::assessment::KpiMetric;
use storeops_domain::feedback::ReportStatus;
use storeops_domain::plans::{PlanAction, PlanLevel};
use storeops_domain::{Cadence, Priority, Role, TaskStatus};

use crate::assessment::{AssessmentBoard, SessionInput};
use crate::chain::Chain;
use crate::dashboard::Dashboard;
use crate::error::{ApiError, ErrorCode};
use crate::feedback::FeedbackBoard;
use crate::meetings::MeetingBoard;
use crate::org::{DutyRegister, MyDuty, OrgChart, RaciInput};
use crate::plans::{PlanBoard, PlanView};
use crate::relay::{Invite, NewStore, StoreDevice};
use crate::status::{AppStatus, SyncStatus};
use crate::tasks::{Staffing, TaskDetail, TaskView, TeamBoard};

/// A command's answer as it crosses a boundary, before the caller reads it as the
/// command's [`Command::Output`].
pub type Reply = serde_json::Value;

/// One command: its arguments are the struct's fields.
pub trait Command: Serialize + DeserializeOwned + Into<Request> {
    /// The wire name, as in `docs/design/app-api.md`.
    const NAME: &'static str;
    /// What the command returns.
    type Output: Serialize + DeserializeOwned;
}

/// A device side's answer to one command.
pub trait Handles<C: Command> {
    fn handle(&self, command: C) -> Result<C::Output, ApiError>;
}

macro_rules! commands {
    ($(
        $(#[$meta:meta])*
        $wire:literal => $name:ident { $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)? } -> $out:ty;
    )*) => {
        $(
            $(#[$meta])*
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
            pub struct $name { $( $(#[$fmeta])* pub $field: $ty, )* }

            impl Command for $name {
                const NAME: &'static str = $wire;
                type Output = $out;
            }

            impl From<$name> for Request {
                fn from(c: $name) -> Self {
                    Request::$name(c)
                }
            }
        )*

        /// Any command, as it crosses a boundary.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "command", content = "args")]
        pub enum Request {
            $( #[serde(rename = $wire)] $name($name), )*
        }

        /// Every command's wire name.
        pub const COMMANDS: &[&str] = &[$($wire),*];

        /// A device side that answers every command.
        pub trait Handler: $(Handles<$name> +)* {}

        impl<T: $(Handles<$name> +)* ?Sized> Handler for T {}

        impl Request {
            /// The command's wire name.
            pub fn name(&self) -> &'static str {
                match self {
                    $( Request::$name(_) => $wire, )*
                }
            }

            /// Answers the request with `handler`; the output as a [`Reply`].
            pub fn dispatch<H: Handler + ?Sized>(self, handler: &H) -> Result<Reply, ApiError> {
                match self {
                    $( Request::$name(c) => reply(Handles::<$name>::handle(handler, c)), )*
                }
            }
        }
    };
}

fn reply<T: Serialize>(result: Result<T, ApiError>) -> Result<Reply, ApiError> {
    serde_json::to_value(result?).map_err(|e| {
        ApiError::new(
            ErrorCode::Internal,
            format!("cannot serialise the answer: {e}"),
        )
    })
}

commands! {
    // ---- the device -------------------------------------------------------------
    /// The device's state: enrolled, its store, its role, its sync.
    "status" => GetStatus {} -> AppStatus;
    /// Redeems an invite code at the relay and starts syncing. A device that holds a
    /// store already holds this one beside it (its own documents, enrolment and token)
    /// and shows it; an invite to a store it holds renews that store's enrolment.
    "enrol" => Enrol { relay_url: String, code: String, device_name: String } -> AppStatus;
    /// Opens a new store from a seed template; this device becomes its director (beside
    /// any store it holds already) and shows it.
    "open_store" => OpenStore { relay_url: String, store: NewStore } -> AppStatus;
    /// Shows another store this device holds (`AppStatus::stores`); remembered.
    "switch_store" => SwitchStore { store_id: String } -> AppStatus;
    /// Every store this device holds side by side, worst first (managers' stores).
    "chain" => GetChain { weeks: Option<u32> } -> Chain;
    /// Reconnects to the relay at once.
    "sync_now" => SyncNow {} -> SyncStatus;
    /// A one-time invite code for another device of this store.
    "create_invite" => CreateInvite { person: Option<String>, role: Option<Role> } -> Invite;
    /// The store's devices this device could have invited (managers).
    "list_devices" => ListDevices {} -> Vec<StoreDevice>;
    /// Revokes one of them: cut off within a second, its token refused.
    "revoke_device" => RevokeDevice { device_id: String } -> Vec<StoreDevice>;
    /// Leaves the store: enrolment, token and local documents are removed. Refused while
    /// more changes than `discard_unsynced` (those the person agreed to lose) are not on
    /// the relay yet.
    "sign_out" => SignOut { discard_unsynced: u32 } -> ();

    // ---- tasks ------------------------------------------------------------------
    /// This device's tasks (its person's, its positions').
    "list_tasks" => ListTasks {} -> Vec<TaskView>;
    /// An ad-hoc task, in one change: a title, and optionally a description,
    /// an owner id (`person:…`, `position:…`, `department:…`), a due date
    /// (`YYYY-MM-DD`) and time (`HH:MM`), a priority and checklist items. It goes
    /// to the week document of its due date (undated: of today).
    "add_task" => AddTask {
        title: String,
        #[serde(default)] description: String,
        #[serde(default)] assignee: Option<String>,
        #[serde(default)] due: Option<String>,
        #[serde(default)] due_time: Option<String>,
        #[serde(default)] priority: Option<Priority>,
        #[serde(default)] checklist: Vec<String>,
    } -> TaskView;
    /// Changes the given fields of a task (managers in scope), each its own
    /// write so concurrent edits of other fields survive; an empty `due` or
    /// `due_time` clears it.
    "edit_task" => EditTask {
        task_id: String,
        #[serde(default)] title: Option<String>,
        #[serde(default)] description: Option<String>,
        #[serde(default)] due: Option<String>,
        #[serde(default)] due_time: Option<String>,
        #[serde(default)] priority: Option<Priority>,
    } -> TaskDetail;
    "set_task_status" => SetTaskStatus { task_id: String, status: TaskStatus } -> TaskView;
    "task_detail" => GetTaskDetail { task_id: String } -> TaskDetail;
    "set_checklist_item" => SetChecklistItem { task_id: String, item_id: String, done: bool } -> TaskDetail;
    "add_checklist_item" => AddChecklistItem { task_id: String, text: String } -> TaskDetail;
    "add_comment" => AddComment { task_id: String, text: String } -> TaskDetail;
    /// Tasks of the store this device keeps that answer every part given: words
    /// in the title, description, checklist or comments; a status; an owner id
    /// (a person's includes their positions' tasks); a department; due from / to
    /// (`YYYY-MM-DD`); overdue only. At most 200, soonest due first.
    "search_tasks" => SearchTasks {
        #[serde(default)] words: String,
        #[serde(default)] status: Option<TaskStatus>,
        #[serde(default)] assignee: Option<String>,
        #[serde(default)] department: Option<String>,
        #[serde(default)] due_from: Option<String>,
        #[serde(default)] due_to: Option<String>,
        #[serde(default)] overdue: bool,
    } -> Vec<TaskView>;
    /// Gives a task to an owner id (`position:…`, `person:…`) or to no one.
    "reassign_task" => ReassignTask { task_id: String, assignee: Option<String> } -> TaskDetail;
    /// Moves every open task of owner `from` to `to`; answers how many moved.
    "reassign_open_tasks" => ReassignOpenTasks { from: String, to: Option<String> } -> u32;
    /// Positions and people, for pickers.
    "people_and_positions" => GetStaffing {} -> Staffing;
    /// Open work grouped by who holds it.
    "team_board" => GetTeamBoard {} -> TeamBoard;

    // ---- org chart and duties ---------------------------------------------------
    "org_chart" => GetOrgChart {} -> OrgChart;
    "duty_register" => GetDutyRegister {} -> DutyRegister;
    /// This device's person's standing duties.
    "my_duties" => GetMyDuties {} -> Vec<MyDuty>;
    /// Adds a person, optionally holding a position; answers the new person's id.
    "add_person" => AddPerson { name: String, contact: String, position: Option<String> } -> String;
    "add_department" => AddDepartment { name: String, parent: Option<String> } -> OrgChart;
    "rename_department" => RenameDepartment { department_id: String, name: String } -> OrgChart;
    "move_department" => MoveDepartment { department_id: String, parent: Option<String> } -> OrgChart;
    "set_department_head" => SetDepartmentHead { department_id: String, position: Option<String> } -> OrgChart;
    "add_position" => AddPosition { department: String, title: String, reports_to: Option<String>, headcount: u32 } -> OrgChart;
    "edit_position" => EditPosition { position_id: String, title: String, department: String, reports_to: Option<String>, headcount: u32 } -> OrgChart;
    "set_person_positions" => SetPersonPositions { person_id: String, positions: Vec<String> } -> OrgChart;
    /// Marks a person as active or as having left.
    "set_person_active" => SetPersonActive { person_id: String, active: bool } -> OrgChart;
    "add_duty" => AddDuty { text: String, owner: Option<String>, cadence: Cadence, raci: Option<RaciInput> } -> DutyRegister;
    "edit_duty" => EditDuty { duty_id: String, text: String, owner: Option<String>, cadence: Cadence, raci: Option<RaciInput> } -> DutyRegister;
    /// An ad-hoc task for the duty's owner; due today when `due` is `None`.
    "task_from_duty" => TaskFromDuty { duty_id: String, due: Option<String> } -> TaskView;

    // ---- plans ------------------------------------------------------------------
    /// The plans of `year` (`None`: this year).
    "plans" => GetPlans { year: Option<String> } -> PlanBoard;
    /// A new draft plan; `owner` is the owning position's id.
    "create_plan" => CreatePlan { level: PlanLevel, period: String, title: String, owner: String, parent: Option<String> } -> PlanView;
    /// Adds (`item_id` `None`) or changes an item of a plan.
    "set_plan_item" => SetPlanItem { plan_id: String, item_id: Option<String>, text: String, assignee: Option<String>, due: Option<String>, parent_item: Option<String> } -> PlanView;
    "review_plan" => ReviewPlan { plan_id: String, action: PlanAction, text: String } -> PlanView;
    /// Turns an approved weekly plan's items into tasks.
    "schedule_plan" => SchedulePlan { plan_id: String } -> PlanView;

    // ---- meetings ---------------------------------------------------------------
    "meetings" => GetMeetings {} -> MeetingBoard;
    /// A new meeting, and `repeat_weeks` more like it a week apart.
    "create_meeting" => CreateMeeting { title: String, date: String, department: Option<String>, attendees: Vec<String>, agenda: Vec<String>, repeat_weeks: u32, #[serde(default)] managers_only: bool } -> MeetingBoard;
    "add_agenda_item" => AddAgendaItem { meeting_id: String, text: String } -> MeetingBoard;
    "set_minutes" => SetMinutes { meeting_id: String, text: String } -> MeetingBoard;
    "add_action_item" => AddActionItem { meeting_id: String, text: String, owner: Option<String>, due: Option<String> } -> MeetingBoard;
    "actions_to_tasks" => ActionsToTasks { meeting_id: String } -> MeetingBoard;

    // ---- feedback ---------------------------------------------------------------
    "feedback" => GetFeedback {} -> FeedbackBoard;
    /// `photo` is a `data:image/jpeg;base64,…` URL.
    "report_problem" => ReportProblem { category: String, text: String, photo: Option<String> } -> FeedbackBoard;
    /// Routes a category of problem reports to a department (the store's managers).
    "set_feedback_route" => SetFeedbackRoute { category: String, department: String } -> FeedbackBoard;
    /// Sends one report to another department (whoever may handle it).
    "reroute_report" => RerouteReport { report_id: String, department: String } -> FeedbackBoard;
    "set_report_status" => SetReportStatus { report_id: String, status: ReportStatus, resolution: Option<String> } -> FeedbackBoard;
    /// The report's photo as a `data:` URL.
    "report_photo" => GetReportPhoto { report_id: String } -> String;

    // ---- dashboard and assessment -----------------------------------------------
    /// The last `weeks` weeks (default 8).
    "dashboard" => GetDashboard { weeks: Option<u32> } -> Dashboard;
    "assessment" => GetAssessment { year: Option<String> } -> AssessmentBoard;
    /// `subject` is a department or person owner id.
    "define_kpi" => DefineKpi { name: String, subject: String, metric: KpiMetric, target: f64 } -> AssessmentBoard;
    "record_kpi_value" => RecordKpiValue { kpi_id: String, period: String, value: f64 } -> AssessmentBoard;
    "assess" => Assess { subject: String, period: String, score: u64, comment: String } -> AssessmentBoard;
    "give_award" => GiveAward { title: String, person_id: String, period: String, reason: String } -> AssessmentBoard;
    "plan_training" => PlanTraining { title: String, department: Option<String>, sessions: Vec<SessionInput> } -> AssessmentBoard;
    "record_attendance" => RecordAttendance { training_id: String, session_id: String, attendees: Vec<String> } -> AssessmentBoard;
    "open_survey" => OpenSurvey { title: String } -> AssessmentBoard;
    "answer_survey" => AnswerSurvey { survey_id: String, score: u64, comment: String } -> AssessmentBoard;
}

impl SearchTasks {
    /// A search by words only.
    pub fn words(words: impl Into<String>) -> Self {
        Self {
            words: words.into(),
            status: None,
            assignee: None,
            department: None,
            due_from: None,
            due_to: None,
            overdue: false,
        }
    }
}

impl AddTask {
    /// A task with only a title (the rest not given).
    pub fn titled(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            description: String::new(),
            assignee: None,
            due: None,
            due_time: None,
            priority: None,
            checklist: vec![],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_travels_as_its_command_name_and_arguments() {
        let req: Request = SetTaskStatus {
            task_id: "task-1".into(),
            status: TaskStatus::InProgress,
        }
        .into();
        let wire = serde_json::to_value(&req).expect("serialise");
        assert_eq!(
            wire,
            serde_json::json!({"command": "set_task_status", "args": {"task_id": "task-1", "status": "in_progress"}})
        );
        assert_eq!(req.name(), SetTaskStatus::NAME);
        let back: Request = serde_json::from_value(wire).expect("read back");
        assert_eq!(back, req);
    }

    #[test]
    fn every_command_name_is_unique_and_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for name in COMMANDS {
            assert!(seen.insert(*name), "{name} twice");
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{name}"
            );
        }
        assert_eq!(COMMANDS.len(), 65);
    }

    #[test]
    fn an_unknown_command_or_bad_arguments_do_not_read() {
        for bad in [
            serde_json::json!({"command": "drop_everything", "args": {}}),
            serde_json::json!({"command": "add_task", "args": {"title": 42}}),
            serde_json::json!({"command": "set_task_status", "args": {"task_id": "t", "status": "exploded"}}),
        ] {
            assert!(
                serde_json::from_value::<Request>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }
}
