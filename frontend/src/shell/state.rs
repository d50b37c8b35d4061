//! The screen's state and every way it can change, as in yew's `function_todomvc`.
//!
//! Replies can arrive out of order (a task-list fetch started before a status change may
//! finish after it), so each reply carries a ticket from [`ticket`]: a fetch records the
//! ticket taken when it was asked, an update the ticket taken when it arrived, and the
//! reducer keeps whichever is newer.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use yew::Reducible;

use storeops_api::assessment::AssessmentBoard;
use storeops_api::chain::Chain;
use storeops_api::dashboard::Dashboard;
use storeops_api::feedback::FeedbackBoard;
use storeops_api::meetings::MeetingBoard;
use storeops_api::org::{DutyRegister, MyDuty, OrgChart};
use storeops_api::plans::{PlanBoard, PlanView};
use storeops_api::relay::Invite;
use storeops_api::status::{AppStatus, SyncStatus};
use storeops_api::tasks::{Staffing, TaskDetail, TaskView, TeamBoard};
use storeops_api::{ApiError, Cadence, PlanAction};

use crate::i18n::{Key, Lang};

thread_local! {
    static TICKETS: Cell<u64> = const { Cell::new(0) };
}

/// A number larger than every earlier one.
pub fn ticket() -> u64 {
    TICKETS.with(|t| {
        let next = t.get() + 1;
        t.set(next);
        next
    })
}

/// Something that went wrong, kept untranslated so the banner follows the language toggle.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    Api(ApiError),
    Ui(Key),
}

/// A command under way, during which its control is disabled.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Op {
    /// A feedback category's route is being set.
    FeedbackRoute,
    Enrol,
    AddTask,
    Sync,
    Task(String),
    Invite,
    SignOut,
    /// Ticking or unticking this checklist item.
    Checklist(String),
    AddChecklistItem,
    AddComment,
    Reassign,
    /// Moving all open work away from this owner id.
    MoveAll(String),
    AddPerson,
    CreatePlan,
    /// Adding an item to this plan.
    PlanItem(String),
    /// Submitting, approving, returning, reopening or commenting on this plan.
    ReviewPlan(String, PlanAction),
    SchedulePlan(String),
    CreateMeeting,
    /// Adding an agenda item to this meeting.
    AddAgenda(String),
    /// Saving this meeting's minutes.
    Minutes(String),
    AddAction(String),
    ActionsToTasks(String),
    ReportProblem,
    /// Starting or resolving this report.
    ReportStatus(String),
    /// Fetching this report's photo.
    Photo(String),
    DefineKpi,
    /// Recording a value of this KPI.
    KpiValue(String),
    Assess,
    GiveAward,
    PlanTraining,
    /// Marking this session held.
    Attendance(String),
    OpenSurvey,
    /// Answering this survey.
    AnswerSurvey(String),
    /// An org chart command (departments, positions, people).
    EditOrg,
    /// Adding or editing a duty.
    EditDuty,
    /// "Create task now" for this duty id.
    TaskFromDuty(String),
    OpenStore,
    /// Adding another store to this device (an invite redeemed from Settings).
    AddStore,
    /// Showing another store this device holds.
    SwitchStore,
}

/// The screens of an enrolled device, in the order the navigation shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Screen {
    #[default]
    Today,
    Duties,
    /// Open work by assignee: managers only.
    Team,
    /// The planning cascade: annual → monthly → weekly plans.
    Plans,
    Meetings,
    /// Problems reported, and reporting one.
    Feedback,
    /// KPIs, assessments, awards, training and the satisfaction survey.
    Assessment,
    /// Managers' charts.
    Dashboard,
    /// Every store this device holds side by side: managers holding two or more,
    /// from the store switcher (not a tab: a laptop's row of tabs is full).
    Chain,
    Org,
    Settings,
    /// One task in full, opened from a list; not in the navigation.
    Task,
}

impl Screen {
    /// The screens the navigation offers (managers only: see [`Screen::managers_only`]).
    pub const ALL: [Screen; 10] = [
        Self::Today,
        Self::Duties,
        Self::Feedback,
        Self::Plans,
        Self::Meetings,
        Self::Assessment,
        Self::Team,
        Self::Dashboard,
        Self::Org,
        Self::Settings,
    ];

    /// The `id` of the screen's root element; its nav button's is `nav-…` with the same tail.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Today => "today",
            Self::Duties => "duties",
            Self::Team => "team",
            Self::Plans => "plans",
            Self::Meetings => "meetings",
            Self::Feedback => "feedback",
            Self::Assessment => "assessment",
            Self::Dashboard => "dashboard",
            Self::Chain => "chain",
            Self::Org => "org",
            Self::Settings => "settings",
            Self::Task => "task",
        }
    }

    pub fn managers_only(self) -> bool {
        matches!(self, Self::Team | Self::Dashboard | Self::Chain)
    }
}

/// How the team board groups open work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TeamGrouping {
    #[default]
    Owner,
    Status,
}

/// Data a screen fetches: the latest answer, and whether the latest attempt failed.
#[derive(Clone, Debug, PartialEq)]
pub struct Remote<T> {
    /// `None` until the first answer.
    pub data: Option<Rc<T>>,
    /// The last fetch failed (the banner says why); `data`, if any, is older.
    pub failed: bool,
    /// Ticket at which the shown data was asked for.
    asked_at: u64,
}

impl<T> Default for Remote<T> {
    fn default() -> Self {
        Self {
            data: None,
            failed: false,
            asked_at: 0,
        }
    }
}

impl<T> Remote<T> {
    /// Keeps `data` unless what is shown was asked for later. Returns whether it was kept.
    fn loaded(&mut self, data: T, asked_at: u64) -> bool {
        if asked_at < self.asked_at {
            return false;
        }
        self.asked_at = asked_at;
        self.data = Some(Rc::new(data));
        self.failed = false;
        true
    }

    /// A fetch asked for at `asked_at` failed: say so, unless a later one already answered.
    fn fail(&mut self, asked_at: u64) {
        if asked_at >= self.asked_at {
            self.failed = true;
        }
    }
}

/// Which duties the duty register shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct DutyFilter {
    pub uncovered_only: bool,
    /// `None`: every cadence.
    pub cadence: Option<Cadence>,
}

/// Whether this tab runs the device. Always [`DeviceHere::Here`] in the desktop app.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DeviceHere {
    #[default]
    Here,
    /// Another tab holds the device's data; this one waits for "Use here".
    Elsewhere,
    /// Another tab took it over: this one stopped.
    TakenOver,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct State {
    /// Whether this tab runs the device (the web app: another tab may hold it).
    pub device_here: DeviceHere,
    /// The web app: a new version is installed and waits for a reload.
    pub update_ready: bool,
    /// `None` until `status` first answers.
    pub status: Option<AppStatus>,
    /// `status` failed before it ever answered: offer to try again.
    pub status_failed: bool,
    /// `None` until `list_tasks` first answers.
    pub tasks: Option<Vec<TaskView>>,
    /// The last `list_tasks` failed.
    pub tasks_failed: bool,
    /// The screen shown once enrolled.
    pub screen: Screen,
    /// Counts `storeops://changed` events: the shown screen fetches its data again on each.
    pub changes: u64,
    pub org: Remote<OrgChart>,
    pub duties: Remote<DutyRegister>,
    pub duty_filter: DutyFilter,
    /// The task the task screen shows, and the screen it was opened from.
    pub open_task: Option<String>,
    pub task_from: Screen,
    pub task_detail: Remote<TaskDetail>,
    pub team: Remote<TeamBoard>,
    pub team_grouping: TeamGrouping,
    /// Positions and people, for pickers: fetched by managers' screens.
    pub staffing: Remote<Staffing>,
    pub plans: Remote<PlanBoard>,
    /// The plan shown under the cascade.
    pub open_plan: Option<String>,
    pub meetings: Remote<MeetingBoard>,
    /// The meeting shown in full.
    pub open_meeting: Option<String>,
    pub feedback: Remote<FeedbackBoard>,
    /// Photos of reports fetched so far, by report id, as `data:` URLs.
    pub photos: BTreeMap<String, String>,
    pub assessment: Remote<AssessmentBoard>,
    pub dashboard: Remote<Dashboard>,
    pub chain: Remote<Chain>,
    /// The dashboard shows its printable report, one page per department.
    pub print_view: bool,
    /// The invite created last, shown until the manager leaves the settings screen.
    pub invite: Option<Invite>,
    pub problem: Option<Problem>,
    /// The language picked with the toggle, if any: it wins over every default.
    pub lang_choice: Option<Lang>,
    pub browser_lang: Option<Lang>,
    pub busy: BTreeSet<Op>,
    /// Ticket of the latest "Saved" confirmation while it is showing.
    pub saved: Option<u64>,
    /// Ticket at which the shown task list was asked for.
    tasks_asked_at: u64,
    /// Tasks saved by this device, with the ticket they arrived at: re-applied over a list
    /// that was asked for before they arrived.
    recent_saves: BTreeMap<String, (u64, TaskView)>,
    /// Ticket at which the shown sync status arrived.
    sync_at: u64,
    /// Plans saved by this device, as [`State::recent_saves`] for tasks.
    plan_saves: BTreeMap<String, (u64, PlanView)>,
    /// The standing duties of this device's person (`my_duties`), on the Duties screen.
    pub my_duties: Remote<Vec<MyDuty>>,
}

#[derive(Debug)]
pub enum Action {
    /// The web app: another tab holds the device, or took it from this one.
    DeviceHere(DeviceHere),
    /// The web app: a new version waits for a reload.
    UpdateReady,
    StatusLoaded {
        status: AppStatus,
        asked_at: u64,
    },
    StatusFailed(Problem),
    TasksLoaded {
        tasks: Vec<TaskView>,
        asked_at: u64,
    },
    /// A command returned this task: it is durable now.
    TaskSaved {
        task: TaskView,
        at: u64,
    },
    SyncChanged {
        sync: SyncStatus,
        at: u64,
    },
    /// Show another screen.
    Navigate(Screen),
    /// The backend says documents changed.
    Changed,
    /// A fetch for `screen` starts: it is not failed any more, at least for now.
    Fetching(Screen),
    OrgLoaded {
        org: OrgChart,
        asked_at: u64,
    },
    DutiesLoaded {
        duties: DutyRegister,
        asked_at: u64,
    },
    /// Fetching `screen`'s data failed.
    LoadFailed {
        screen: Screen,
        problem: Problem,
        asked_at: u64,
    },
    SetDutyFilter(DutyFilter),
    /// Show the task screen for this task, coming from the screen shown now.
    OpenTask(String),
    TaskDetailLoaded {
        detail: TaskDetail,
        asked_at: u64,
    },
    /// A command returned the task's detail: it is durable now.
    TaskDetailSaved {
        detail: TaskDetail,
        at: u64,
    },
    TeamLoaded {
        team: TeamBoard,
        asked_at: u64,
    },
    SetTeamGrouping(TeamGrouping),
    StaffingLoaded {
        staffing: Staffing,
        asked_at: u64,
    },
    PlansLoaded {
        board: PlanBoard,
        asked_at: u64,
    },
    /// A command returned this plan: it is durable now.
    PlanSaved {
        plan: PlanView,
        at: u64,
    },
    /// Show this plan under the cascade (`None`: none).
    OpenPlan(Option<String>),
    /// The meetings, fetched (`asked_at` the ticket of the fetch) or returned by a command
    /// (the ticket it arrived at).
    MeetingsLoaded {
        board: MeetingBoard,
        asked_at: u64,
    },
    OpenMeeting(Option<String>),
    /// The reports, fetched or returned by a command, as for meetings.
    FeedbackLoaded {
        board: FeedbackBoard,
        asked_at: u64,
    },
    /// The assessment board, fetched or returned by a command, as for meetings.
    AssessmentLoaded {
        board: AssessmentBoard,
        asked_at: u64,
    },
    PhotoLoaded {
        report: String,
        url: String,
    },
    DashboardLoaded {
        dashboard: Dashboard,
        asked_at: u64,
    },
    ChainLoaded {
        chain: Chain,
        asked_at: u64,
    },
    /// The device shows another store now (switched to, or just added): nothing of the
    /// store shown before stays on screen; `screen` is shown.
    StoreShown {
        status: AppStatus,
        screen: Screen,
    },
    /// Show or leave the dashboard's printable report.
    PrintView(bool),
    /// A command with no task to show returned: show "Saved".
    Saved(u64),
    InviteCreated(Invite),
    /// This device left its store: back to enrolment, with nothing of the store kept.
    SignedOut,
    Begin(Op),
    End(Op),
    Failed(Problem),
    DismissProblem,
    ChooseLang(Lang),
    HideSaved(u64),
    MyDutiesLoaded {
        duties: Vec<MyDuty>,
        asked_at: u64,
    },
}

impl State {
    pub fn new(lang_choice: Option<Lang>, browser_lang: Option<Lang>) -> Self {
        Self {
            lang_choice,
            browser_lang,
            ..Self::default()
        }
    }

    /// The toggle's choice, else the store's locale, else the browser's, else English.
    pub fn lang(&self) -> Lang {
        self.lang_choice
            .or_else(|| {
                let store = self.status.as_ref()?.store.as_ref()?;
                Lang::from_tag(&store.locale)
            })
            .or(self.browser_lang)
            .unwrap_or_default()
    }

    pub fn is_busy(&self, op: &Op) -> bool {
        self.busy.contains(op)
    }

    pub fn enrolled(&self) -> bool {
        self.status.as_ref().is_some_and(|s| s.enrolled)
    }

    /// Forgets everything that belonged to the store, e.g. after signing out.
    fn forget_store(&mut self) {
        self.tasks = None;
        self.tasks_failed = false;
        self.recent_saves.clear();
        self.screen = Screen::Today;
        self.org = Remote::default();
        self.duties = Remote::default();
        self.duty_filter = DutyFilter::default();
        self.open_task = None;
        self.task_from = Screen::Today;
        self.task_detail = Remote::default();
        self.team = Remote::default();
        self.team_grouping = TeamGrouping::default();
        self.staffing = Remote::default();
        self.plans = Remote::default();
        self.plan_saves.clear();
        self.open_plan = None;
        self.meetings = Remote::default();
        self.open_meeting = None;
        self.feedback = Remote::default();
        self.photos.clear();
        self.assessment = Remote::default();
        self.dashboard = Remote::default();
        self.chain = Remote::default();
        self.print_view = false;
        self.invite = None;
        self.saved = None;
        self.my_duties = Remote::default();
    }

    fn upsert_plan(plans: &mut Vec<PlanView>, plan: PlanView) {
        match plans.iter_mut().find(|p| p.id == plan.id) {
            Some(slot) => *slot = plan,
            None => plans.push(plan),
        }
    }

    fn upsert(tasks: &mut Vec<TaskView>, task: TaskView) {
        match tasks.iter_mut().find(|t| t.id == task.id) {
            Some(slot) => *slot = task,
            None => tasks.push(task),
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        // Whether the answer is kept: `false` when what is shown was asked for later.
        let mut kept = true;
        match action {
            Action::DeviceHere(here) => s.device_here = here,
            Action::UpdateReady => s.update_ready = true,
            Action::StatusLoaded {
                mut status,
                asked_at,
            } => {
                if let Some(current) = s.status.as_ref().filter(|_| s.sync_at > asked_at) {
                    status.sync = current.sync.clone();
                } else {
                    s.sync_at = asked_at;
                }
                let enrolled = status.enrolled;
                s.status = Some(status);
                s.status_failed = false;
                if !enrolled {
                    // Signed out or revoked: nothing of the store may stay on screen.
                    s.forget_store();
                }
            }
            Action::StatusFailed(problem) => {
                s.status_failed = s.status.is_none();
                s.problem = Some(problem);
            }
            Action::TasksLoaded { tasks, asked_at } => {
                if asked_at < s.tasks_asked_at {
                    return self; // an older answer than the one shown
                }
                s.tasks_asked_at = asked_at;
                s.tasks_failed = false;
                s.recent_saves.retain(|_, (at, _)| *at > asked_at);
                let mut tasks = tasks;
                for (_, task) in s.recent_saves.values() {
                    State::upsert(&mut tasks, task.clone());
                }
                s.tasks = Some(tasks);
            }
            Action::TaskSaved { task, at } => {
                s.recent_saves.insert(task.id.clone(), (at, task.clone()));
                State::upsert(s.tasks.get_or_insert_with(Vec::new), task);
                s.saved = Some(at);
            }
            Action::SyncChanged { sync, at } => {
                if at < s.sync_at {
                    return self;
                }
                s.sync_at = at;
                if let Some(status) = s.status.as_mut() {
                    status.sync = sync;
                }
            }
            Action::Navigate(screen) => {
                if screen == s.screen {
                    return self;
                }
                s.screen = screen;
                s.problem = None;
                s.invite = None;
                s.print_view = false;
            }
            Action::Changed => s.changes += 1,
            Action::Fetching(screen) => match screen {
                Screen::Today => s.tasks_failed = false,
                Screen::Duties => s.duties.failed = false,
                Screen::Team => s.team.failed = false,
                Screen::Org => s.org.failed = false,
                Screen::Task => s.task_detail.failed = false,
                Screen::Plans => s.plans.failed = false,
                Screen::Meetings => s.meetings.failed = false,
                Screen::Feedback => s.feedback.failed = false,
                Screen::Assessment => s.assessment.failed = false,
                Screen::Dashboard => s.dashboard.failed = false,
                Screen::Chain => s.chain.failed = false,
                Screen::Settings => return self,
            },
            Action::OrgLoaded { org, asked_at } => kept = s.org.loaded(org, asked_at),
            Action::DutiesLoaded { duties, asked_at } => kept = s.duties.loaded(duties, asked_at),
            Action::LoadFailed {
                screen,
                problem,
                asked_at,
            } => {
                match screen {
                    Screen::Today => {
                        if asked_at >= s.tasks_asked_at {
                            s.tasks_failed = true;
                        }
                    }
                    Screen::Duties => s.duties.fail(asked_at),
                    Screen::Team => s.team.fail(asked_at),
                    Screen::Org => s.org.fail(asked_at),
                    Screen::Task => s.task_detail.fail(asked_at),
                    Screen::Plans => s.plans.fail(asked_at),
                    Screen::Meetings => s.meetings.fail(asked_at),
                    Screen::Feedback => s.feedback.fail(asked_at),
                    Screen::Assessment => s.assessment.fail(asked_at),
                    Screen::Dashboard => s.dashboard.fail(asked_at),
                    Screen::Chain => s.chain.fail(asked_at),
                    Screen::Settings => {}
                }
                s.problem = Some(problem);
            }
            Action::SetDutyFilter(filter) => s.duty_filter = filter,
            Action::OpenTask(id) => {
                if s.screen != Screen::Task {
                    s.task_from = s.screen;
                }
                if s.open_task.as_deref() != Some(id.as_str()) {
                    s.task_detail = Remote::default();
                }
                s.open_task = Some(id);
                s.screen = Screen::Task;
                s.problem = None;
                s.invite = None;
            }
            Action::TaskDetailLoaded { detail, asked_at } => {
                if s.open_task.as_deref() != Some(detail.task.id.as_str())
                    || !s.task_detail.loaded(detail, asked_at)
                {
                    return self;
                }
            }
            Action::TaskDetailSaved { detail, at } => {
                let task = detail.task.clone();
                if s.open_task.as_deref() == Some(task.id.as_str()) {
                    s.task_detail.loaded(detail, at);
                }
                s.recent_saves.insert(task.id.clone(), (at, task.clone()));
                if let Some(tasks) = s.tasks.as_mut() {
                    State::upsert(tasks, task);
                }
                s.saved = Some(at);
            }
            Action::TeamLoaded { team, asked_at } => kept = s.team.loaded(team, asked_at),
            Action::SetTeamGrouping(grouping) => s.team_grouping = grouping,
            Action::StaffingLoaded { staffing, asked_at } => {
                kept = s.staffing.loaded(staffing, asked_at)
            }
            Action::PlansLoaded {
                mut board,
                asked_at,
            } => {
                if asked_at < s.plans.asked_at {
                    return self;
                }
                // Plans saved after this board was asked for are newer than its copies.
                s.plan_saves.retain(|_, (at, _)| *at > asked_at);
                for (_, plan) in s.plan_saves.values() {
                    State::upsert_plan(&mut board.plans, plan.clone());
                }
                s.plans.loaded(board, asked_at);
            }
            Action::PlanSaved { plan, at } => {
                s.plan_saves.insert(plan.id.clone(), (at, plan.clone()));
                if let Some(board) = s.plans.data.as_mut() {
                    State::upsert_plan(&mut Rc::make_mut(board).plans, plan);
                }
                s.saved = Some(at);
            }
            Action::OpenPlan(id) => s.open_plan = id,
            Action::MeetingsLoaded { board, asked_at } => kept = s.meetings.loaded(board, asked_at),
            Action::OpenMeeting(id) => s.open_meeting = id,
            Action::FeedbackLoaded { board, asked_at } => kept = s.feedback.loaded(board, asked_at),
            Action::AssessmentLoaded { board, asked_at } => {
                kept = s.assessment.loaded(board, asked_at)
            }
            Action::PhotoLoaded { report, url } => {
                s.photos.insert(report, url);
            }
            Action::DashboardLoaded {
                dashboard,
                asked_at,
            } => kept = s.dashboard.loaded(dashboard, asked_at),
            Action::ChainLoaded { chain, asked_at } => kept = s.chain.loaded(chain, asked_at),
            Action::StoreShown { status, screen } => {
                s.forget_store();
                s.status = Some(status);
                // A task of the store shown before is no task of this one.
                s.screen = if screen == Screen::Task {
                    Screen::Today
                } else {
                    screen
                };
                s.problem = None;
            }
            Action::PrintView(on) => s.print_view = on,
            Action::Saved(at) => s.saved = Some(at),
            Action::InviteCreated(invite) => s.invite = Some(invite),
            Action::SignedOut => {
                if let Some(status) = s.status.as_mut() {
                    status.enrolled = false;
                    status.store = None;
                    status.device_name = None;
                    status.role = None;
                }
                s.forget_store();
            }
            Action::Begin(op) => {
                s.problem = None;
                s.busy.insert(op);
            }
            Action::End(op) => {
                s.busy.remove(&op);
            }
            Action::Failed(problem) => s.problem = Some(problem),
            Action::DismissProblem => s.problem = None,
            Action::ChooseLang(lang) => s.lang_choice = Some(lang),
            Action::HideSaved(at) => {
                if s.saved != Some(at) {
                    return self;
                }
                s.saved = None;
            }
            Action::MyDutiesLoaded { duties, asked_at } => {
                kept = s.my_duties.loaded(duties, asked_at)
            }
        }
        if !kept {
            return self;
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use storeops_api::org::OrgDepartment;
    use storeops_api::plans::Progress;
    use storeops_api::status::StoreInfo;
    use storeops_api::{PlanLevel, PlanStatus, Priority, Role, TaskStatus};

    use super::*;

    fn task(id: &str, status: TaskStatus) -> TaskView {
        TaskView {
            id: id.into(),
            title: format!("task {id}"),
            status,
            priority: Priority::Normal,
            due: None,
            assignee: None,
            department: None,
            duty: None,
            assignee_id: None,
            done_at: None,
            done_on: None,
            recurring: false,
            starts: None,
        }
    }

    fn apply(state: Rc<State>, action: Action) -> Rc<State> {
        state.reduce(action)
    }

    #[test]
    fn a_list_asked_for_before_a_save_keeps_the_save() {
        let s = Rc::new(State::default());
        let asked_at = ticket();
        let s = apply(
            s,
            Action::TaskSaved {
                task: task("a", TaskStatus::Done),
                at: ticket(),
            },
        );
        let s = apply(
            s,
            Action::TasksLoaded {
                tasks: vec![task("a", TaskStatus::Todo), task("b", TaskStatus::Todo)],
                asked_at,
            },
        );
        let tasks = s.tasks.clone().unwrap_or_default();
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[0].status, TaskStatus::Done);

        // A list asked for after the save is trusted as it is.
        let s = apply(
            s,
            Action::TasksLoaded {
                tasks: vec![task("a", TaskStatus::InProgress)],
                asked_at: ticket(),
            },
        );
        let tasks = s.tasks.clone().unwrap_or_default();
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].status, TaskStatus::InProgress);
    }

    #[test]
    fn an_older_list_does_not_replace_a_newer_one() {
        let first = ticket();
        let second = ticket();
        let s = apply(
            Rc::new(State::default()),
            Action::TasksLoaded {
                tasks: vec![task("new", TaskStatus::Todo)],
                asked_at: second,
            },
        );
        let s = apply(
            s,
            Action::TasksLoaded {
                tasks: vec![task("old", TaskStatus::Todo)],
                asked_at: first,
            },
        );
        assert_eq!(s.tasks.clone().unwrap_or_default()[0].id, "new");
    }

    fn org(name: &str) -> OrgChart {
        OrgChart {
            departments: vec![OrgDepartment {
                id: "dept:a".into(),
                name: name.into(),
                parent: None,
                head: None,
                positions: Vec::new(),
                uncovered_duties: 0,
            }],
            ..OrgChart::default()
        }
    }

    fn enrolled() -> AppStatus {
        AppStatus {
            enrolled: true,
            role: Some(Role::Manager),
            ..AppStatus::default()
        }
    }

    #[test]
    fn an_older_org_chart_does_not_replace_a_newer_one() {
        let first = ticket();
        let second = ticket();
        let s = apply(
            Rc::new(State::default()),
            Action::OrgLoaded {
                org: org("new"),
                asked_at: second,
            },
        );
        let s = apply(
            s,
            Action::OrgLoaded {
                org: org("old"),
                asked_at: first,
            },
        );
        let shown = s.org.data.clone().map(|o| o.departments[0].name.clone());
        assert_eq!(shown.as_deref(), Some("new"));

        // Nor does a fetch asked for before it mark it as failed.
        let s = apply(
            s,
            Action::LoadFailed {
                screen: Screen::Org,
                problem: Problem::Ui(Key::BadReply),
                asked_at: first,
            },
        );
        assert!(!s.org.failed);
        assert!(s.problem.is_some());
    }

    #[test]
    fn a_failed_first_fetch_offers_to_try_again_until_the_next_fetch_starts() {
        let s = apply(
            Rc::new(State::default()),
            Action::LoadFailed {
                screen: Screen::Duties,
                problem: Problem::Ui(Key::BadReply),
                asked_at: ticket(),
            },
        );
        assert!(s.duties.failed && s.duties.data.is_none());
        let s = apply(s, Action::Fetching(Screen::Duties));
        assert!(!s.duties.failed);
    }

    #[test]
    fn navigating_clears_the_banner_and_the_shown_invite() {
        let mut s = State {
            status: Some(enrolled()),
            problem: Some(Problem::Ui(Key::BadReply)),
            invite: Some(Invite {
                code: "ABC".into(),
                role: Role::Staff,
                expires_at: 0,
            }),
            ..State::default()
        };
        s.screen = Screen::Settings;
        let s = apply(Rc::new(s), Action::Navigate(Screen::Org));
        assert_eq!(s.screen, Screen::Org);
        assert!(s.problem.is_none());
        assert!(s.invite.is_none());
    }

    #[test]
    fn signing_out_forgets_the_store() {
        let s = State {
            status: Some(enrolled()),
            screen: Screen::Org,
            tasks: Some(vec![task("a", TaskStatus::Todo)]),
            ..State::default()
        };
        let s = apply(
            Rc::new(s),
            Action::OrgLoaded {
                org: org("x"),
                asked_at: ticket(),
            },
        );
        let s = apply(s, Action::SignedOut);
        assert!(!s.enrolled());
        assert_eq!(s.screen, Screen::Today);
        assert!(s.tasks.is_none());
        assert!(s.org.data.is_none());
    }

    #[test]
    fn a_status_saying_not_enrolled_forgets_the_store() {
        let s = State {
            status: Some(enrolled()),
            screen: Screen::Duties,
            tasks: Some(vec![task("a", TaskStatus::Todo)]),
            ..State::default()
        };
        let s = apply(
            Rc::new(s),
            Action::StatusLoaded {
                status: AppStatus::default(),
                asked_at: ticket(),
            },
        );
        assert_eq!(s.screen, Screen::Today);
        assert!(s.tasks.is_none());
    }

    fn detail(id: &str, status: TaskStatus) -> TaskDetail {
        TaskDetail {
            task: task(id, status),
            description: String::new(),
            checklist: Vec::new(),
            comments: Vec::new(),
            history: Vec::new(),
            origin: None,
            can_edit: true,
            can_reassign: false,
        }
    }

    #[test]
    fn opening_a_task_remembers_where_it_came_from_and_ignores_other_tasks_details() {
        let s = State {
            status: Some(enrolled()),
            screen: Screen::Team,
            ..State::default()
        };
        let s = apply(Rc::new(s), Action::OpenTask("a".into()));
        assert_eq!(s.screen, Screen::Task);
        assert_eq!(s.task_from, Screen::Team);
        let s = apply(
            s,
            Action::TaskDetailLoaded {
                detail: detail("b", TaskStatus::Todo),
                asked_at: ticket(),
            },
        );
        assert!(s.task_detail.data.is_none());
        let s = apply(
            s,
            Action::TaskDetailLoaded {
                detail: detail("a", TaskStatus::Todo),
                asked_at: ticket(),
            },
        );
        assert_eq!(
            s.task_detail.data.as_ref().map(|d| d.task.id.as_str()),
            Some("a")
        );
    }

    #[test]
    fn a_saved_detail_updates_the_task_list_and_says_saved() {
        let s = State {
            status: Some(enrolled()),
            tasks: Some(vec![task("a", TaskStatus::Todo)]),
            ..State::default()
        };
        let s = apply(Rc::new(s), Action::OpenTask("a".into()));
        let s = apply(
            s,
            Action::TaskDetailSaved {
                detail: detail("a", TaskStatus::Blocked),
                at: ticket(),
            },
        );
        assert_eq!(
            s.tasks.clone().unwrap_or_default()[0].status,
            TaskStatus::Blocked
        );
        assert!(s.saved.is_some());
        assert!(s.task_detail.data.is_some());
    }

    fn plan(id: &str, status: PlanStatus) -> PlanView {
        PlanView {
            id: id.into(),
            level: PlanLevel::Weekly,
            period: "2026-W48".into(),
            title: format!("plan {id}"),
            owner: "pos:a".into(),
            owner_title: "A".into(),
            department: None,
            parent: None,
            status,
            approver: "B".into(),
            items: Vec::new(),
            reviews: Vec::new(),
            progress: Progress::default(),
            can_edit: true,
            can_review: false,
            can_schedule: false,
            can_reopen: false,
            can_comment: false,
        }
    }

    fn board(plans: Vec<PlanView>) -> PlanBoard {
        PlanBoard {
            year: "2026".into(),
            can_create: true,
            plans,
        }
    }

    fn status_of(s: &State, id: &str) -> Option<PlanStatus> {
        let board = s.plans.data.as_ref()?;
        let plan = board.plans.iter().find(|p| p.id == id)?;
        Some(plan.status)
    }

    #[test]
    fn a_plan_board_asked_for_before_a_save_keeps_the_save() {
        let s = apply(
            Rc::new(State::default()),
            Action::PlansLoaded {
                board: board(vec![plan("p", PlanStatus::Draft)]),
                asked_at: ticket(),
            },
        );
        let asked_at = ticket();
        let s = apply(
            s,
            Action::PlanSaved {
                plan: plan("p", PlanStatus::Submitted),
                at: ticket(),
            },
        );
        assert_eq!(status_of(&s, "p"), Some(PlanStatus::Submitted));
        assert!(s.saved.is_some());
        let s = apply(
            s,
            Action::PlansLoaded {
                board: board(vec![
                    plan("p", PlanStatus::Draft),
                    plan("q", PlanStatus::Draft),
                ]),
                asked_at,
            },
        );
        assert_eq!(status_of(&s, "p"), Some(PlanStatus::Submitted));
        assert_eq!(status_of(&s, "q"), Some(PlanStatus::Draft));
        // A board asked for after the save is trusted as it is.
        let s = apply(
            s,
            Action::PlansLoaded {
                board: board(vec![plan("p", PlanStatus::Approved)]),
                asked_at: ticket(),
            },
        );
        assert_eq!(status_of(&s, "p"), Some(PlanStatus::Approved));
    }

    #[test]
    fn a_new_plan_saved_before_the_board_arrives_is_shown_with_it() {
        let asked_at = ticket();
        let s = apply(
            Rc::new(State::default()),
            Action::PlanSaved {
                plan: plan("new", PlanStatus::Draft),
                at: ticket(),
            },
        );
        let s = apply(
            s,
            Action::PlansLoaded {
                board: board(Vec::new()),
                asked_at,
            },
        );
        assert_eq!(status_of(&s, "new"), Some(PlanStatus::Draft));
    }

    #[test]
    fn an_older_meeting_board_does_not_replace_one_a_command_returned() {
        let asked_at = ticket();
        let returned = MeetingBoard {
            can_create: true,
            ..MeetingBoard::default()
        };
        let s = apply(
            Rc::new(State::default()),
            Action::MeetingsLoaded {
                board: returned,
                asked_at: ticket(),
            },
        );
        let s = apply(
            s,
            Action::MeetingsLoaded {
                board: MeetingBoard::default(),
                asked_at,
            },
        );
        assert!(s.meetings.data.as_ref().is_some_and(|b| b.can_create));
    }

    #[test]
    fn leaving_the_dashboard_leaves_its_print_view_and_signing_out_forgets_plans() {
        let s = State {
            status: Some(enrolled()),
            screen: Screen::Dashboard,
            ..State::default()
        };
        let s = apply(Rc::new(s), Action::PrintView(true));
        assert!(s.print_view);
        let s = apply(s, Action::Navigate(Screen::Plans));
        assert!(!s.print_view);
        let s = apply(s, Action::OpenPlan(Some("p".into())));
        let s = apply(
            s,
            Action::PhotoLoaded {
                report: "r".into(),
                url: "data:image/jpeg;base64,AA".into(),
            },
        );
        let s = apply(s, Action::SignedOut);
        assert!(s.open_plan.is_none() && s.photos.is_empty());
    }

    #[test]
    fn showing_another_store_forgets_the_one_shown_before() {
        let s = State {
            status: Some(enrolled()),
            screen: Screen::Chain,
            ..State::default()
        };
        let s = apply(
            Rc::new(s),
            Action::DashboardLoaded {
                dashboard: Dashboard::default(),
                asked_at: ticket(),
            },
        );
        let s = apply(s, Action::OpenPlan(Some("p".into())));
        let mut other = enrolled();
        other.device_name = Some("other".into());
        let s = apply(
            s,
            Action::StoreShown {
                status: other.clone(),
                screen: Screen::Dashboard,
            },
        );
        assert!(s.dashboard.data.is_none() && s.open_plan.is_none());
        assert_eq!(s.screen, Screen::Dashboard);
        assert_eq!(s.status, Some(other));
    }

    #[test]
    fn staff_do_not_get_the_managers_screens() {
        assert!(Screen::Dashboard.managers_only() && Screen::Team.managers_only());
        assert!(!Screen::Plans.managers_only() && !Screen::Feedback.managers_only());
        assert!(!Screen::Assessment.managers_only());
        assert_eq!(Screen::Assessment.slug(), "assessment");
        let slugs: BTreeSet<&str> = Screen::ALL.iter().map(|s| s.slug()).collect();
        assert_eq!(slugs.len(), Screen::ALL.len());
    }

    fn my_duty(id: &str) -> MyDuty {
        MyDuty {
            id: id.into(),
            text: id.into(),
            cadence: Cadence::Daily,
            owner: String::new(),
            department: None,
            raci_role: None,
            next_task: None,
        }
    }

    #[test]
    fn my_duties_keep_the_newest_answer_and_go_with_the_store() {
        let first = ticket();
        let second = ticket();
        let s = State {
            status: Some(enrolled()),
            ..State::default()
        };
        let s = apply(
            Rc::new(s),
            Action::MyDutiesLoaded {
                duties: vec![my_duty("new")],
                asked_at: second,
            },
        );
        let s = apply(
            s,
            Action::MyDutiesLoaded {
                duties: vec![my_duty("old")],
                asked_at: first,
            },
        );
        assert_eq!(
            s.my_duties.data.as_ref().map(|d| d[0].id.as_str()),
            Some("new")
        );
        let s = apply(s, Action::SignedOut);
        assert!(s.my_duties.data.is_none());
    }

    #[test]
    fn an_edit_shows_the_chart_it_returned_over_an_older_fetch() {
        let fetch = ticket();
        let s = apply(Rc::new(State::default()), Action::Begin(Op::EditOrg));
        assert!(s.is_busy(&Op::EditOrg));
        // The edit's reply is ticketed when it arrives; a fetch asked for before it loses.
        let s = apply(
            s,
            Action::OrgLoaded {
                org: org("renamed"),
                asked_at: ticket(),
            },
        );
        let s = apply(s, Action::End(Op::EditOrg));
        let s = apply(
            s,
            Action::OrgLoaded {
                org: org("before"),
                asked_at: fetch,
            },
        );
        assert!(!s.is_busy(&Op::EditOrg));
        assert_eq!(
            s.org.data.as_ref().map(|o| o.departments[0].name.as_str()),
            Some("renamed")
        );
    }

    #[test]
    fn language_prefers_choice_then_store_then_browser() {
        let mut s = State::new(None, Some(Lang::En));
        assert_eq!(s.lang(), Lang::En);
        s.status = Some(AppStatus {
            enrolled: true,
            store: Some(StoreInfo {
                id: "s".into(),
                name: "Store".into(),
                time_zone: "Asia/Shanghai".into(),
                locale: "zh-CN".into(),
            }),
            ..AppStatus::default()
        });
        assert_eq!(s.lang(), Lang::Zh);
        s.lang_choice = Some(Lang::En);
        assert_eq!(s.lang(), Lang::En);
    }

    fn assessment_board(year: &str) -> AssessmentBoard {
        AssessmentBoard {
            year: year.into(),
            ..AssessmentBoard::default()
        }
    }

    #[test]
    fn the_assessment_board_keeps_the_newest_answer_and_goes_with_the_store() {
        let fetch = ticket();
        let s = State {
            status: Some(enrolled()),
            screen: Screen::Assessment,
            ..State::default()
        };
        let s = apply(Rc::new(s), Action::Fetching(Screen::Assessment));
        let s = apply(s, Action::Begin(Op::DefineKpi));
        assert!(s.is_busy(&Op::DefineKpi));
        // A command's reply, ticketed when it arrives, wins over a fetch asked before it.
        let s = apply(
            s,
            Action::AssessmentLoaded {
                board: assessment_board("saved"),
                asked_at: ticket(),
            },
        );
        let s = apply(s, Action::End(Op::DefineKpi));
        let s = apply(
            s,
            Action::AssessmentLoaded {
                board: assessment_board("stale"),
                asked_at: fetch,
            },
        );
        assert!(!s.is_busy(&Op::DefineKpi));
        assert_eq!(
            s.assessment.data.as_ref().map(|b| b.year.as_str()),
            Some("saved")
        );
        let s = apply(
            s,
            Action::LoadFailed {
                screen: Screen::Assessment,
                problem: Problem::Ui(Key::NavAssessment),
                asked_at: fetch,
            },
        );
        assert!(!s.assessment.failed);
        let s = apply(s, Action::SignedOut);
        assert!(s.assessment.data.is_none());
    }
}
