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

use crate::i18n::{Key, Lang};
use crate::model::{
    ApiError, AppStatus, Cadence, DutyRegister, Invite, OrgChart, SyncStatus, TaskView,
};

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
    Enrol,
    AddTask,
    Sync,
    Task(String),
    Invite,
    SignOut,
}

/// The screens of an enrolled device, in the order the navigation shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Screen {
    #[default]
    Today,
    Duties,
    Org,
    Settings,
}

impl Screen {
    pub const ALL: [Screen; 4] = [Self::Today, Self::Duties, Self::Org, Self::Settings];

    /// The `id` of the screen's root element; its nav button's is `nav-…` with the same tail.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Today => "today",
            Self::Duties => "duties",
            Self::Org => "org",
            Self::Settings => "settings",
        }
    }
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

#[derive(Clone, Debug, PartialEq, Default)]
pub struct State {
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
}

#[derive(Debug)]
pub enum Action {
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
    InviteCreated(Invite),
    /// This device left its store: back to enrolment, with nothing of the store kept.
    SignedOut,
    Begin(Op),
    End(Op),
    Failed(Problem),
    DismissProblem,
    ChooseLang(Lang),
    HideSaved(u64),
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
        self.invite = None;
        self.saved = None;
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
        match action {
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
            }
            Action::Changed => s.changes += 1,
            Action::Fetching(screen) => match screen {
                Screen::Today => s.tasks_failed = false,
                Screen::Duties => s.duties.failed = false,
                Screen::Org => s.org.failed = false,
                Screen::Settings => return self,
            },
            Action::OrgLoaded { org, asked_at } => {
                if !s.org.loaded(org, asked_at) {
                    return self;
                }
            }
            Action::DutiesLoaded { duties, asked_at } => {
                if !s.duties.loaded(duties, asked_at) {
                    return self;
                }
            }
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
                    Screen::Org => s.org.fail(asked_at),
                    Screen::Settings => {}
                }
                s.problem = Some(problem);
            }
            Action::SetDutyFilter(filter) => s.duty_filter = filter,
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
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: &str, status: &str) -> TaskView {
        TaskView {
            id: id.into(),
            title: format!("task {id}"),
            status: status.into(),
            priority: "normal".into(),
            due: None,
            assignee: None,
            department: None,
            duty: None,
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
                task: task("a", "done"),
                at: ticket(),
            },
        );
        let s = apply(
            s,
            Action::TasksLoaded {
                tasks: vec![task("a", "todo"), task("b", "todo")],
                asked_at,
            },
        );
        let tasks = s.tasks.clone().unwrap_or_default();
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[0].status, "done");

        // A list asked for after the save is trusted as it is.
        let s = apply(
            s,
            Action::TasksLoaded {
                tasks: vec![task("a", "in_progress")],
                asked_at: ticket(),
            },
        );
        let tasks = s.tasks.clone().unwrap_or_default();
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].status, "in_progress");
    }

    #[test]
    fn an_older_list_does_not_replace_a_newer_one() {
        let first = ticket();
        let second = ticket();
        let s = apply(
            Rc::new(State::default()),
            Action::TasksLoaded {
                tasks: vec![task("new", "todo")],
                asked_at: second,
            },
        );
        let s = apply(
            s,
            Action::TasksLoaded {
                tasks: vec![task("old", "todo")],
                asked_at: first,
            },
        );
        assert_eq!(s.tasks.clone().unwrap_or_default()[0].id, "new");
    }

    fn org(name: &str) -> OrgChart {
        OrgChart {
            departments: vec![crate::model::OrgDepartment {
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
            role: Some("manager".into()),
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
            invite: Some(crate::model::Invite {
                code: "ABC".into(),
                role: "staff".into(),
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
            tasks: Some(vec![task("a", "todo")]),
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
            tasks: Some(vec![task("a", "todo")]),
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

    #[test]
    fn language_prefers_choice_then_store_then_browser() {
        let mut s = State::new(None, Some(Lang::En));
        assert_eq!(s.lang(), Lang::En);
        s.status = Some(AppStatus {
            enrolled: true,
            store: Some(crate::model::Store {
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
}
