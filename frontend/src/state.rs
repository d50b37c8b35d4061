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
use crate::model::{ApiError, AppStatus, SyncStatus, TaskView};

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
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct State {
    /// `None` until `status` first answers.
    pub status: Option<AppStatus>,
    /// `status` failed before it ever answered: offer to try again.
    pub status_failed: bool,
    /// `None` until `list_tasks` first answers.
    pub tasks: Option<Vec<TaskView>>,
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
                s.status = Some(status);
                s.status_failed = false;
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
