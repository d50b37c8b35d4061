//! The task commands: adding, status, the checklist, comments, reassigning, moving open work.

use storeops_api::command::{
    AddChecklistItem, AddComment, AddTask, GetTaskDetail, ReassignOpenTasks, ReassignTask,
    SetChecklistItem, SetTaskStatus,
};
use storeops_api::tasks::TaskDetail;
use storeops_api::{ApiError, TaskStatus};
use yew::Callback;

use crate::i18n::Key;
use crate::services::browser;
use crate::services::call;
use crate::shell::controller::{ScreenQuery, load_screen};
use crate::shell::run::{Dispatch, fetch, refused, save};
use crate::shell::state::{Action, Op};
use crate::shell::state::{Screen, TeamGrouping};
use crate::ui::line_form::TextRequest;

/// What the add-task form submits; `added` is called once the task is saved, so the form
/// can clear itself (and keeps the text if saving failed).
#[derive(Clone, Debug, PartialEq)]
pub struct AddRequest {
    pub title: String,
    pub fields: NewTaskFields,
    pub added: Callback<()>,
}

/// The rest of a new task, as its form's details hold them (empty: not given).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct NewTaskFields {
    pub description: String,
    /// An owner id (`person:…`, `position:…`).
    pub assignee: Option<String>,
    pub due: Option<String>,
    pub due_time: Option<String>,
    pub priority: Option<storeops_api::Priority>,
    pub checklist: Vec<String>,
}

pub fn add_task(d: &Dispatch, req: AddRequest) {
    let title = req.title.trim().to_owned();
    if title.is_empty() {
        return refused(d, Key::TaskTitleNeeded);
    }
    let f = req.fields;
    let command = AddTask {
        title,
        description: f.description,
        assignee: f.assignee,
        due: f.due,
        due_time: f.due_time,
        priority: f.priority,
        checklist: f.checklist,
    };
    save(d, Op::AddTask, call(command), move |d, task, at| {
        d.dispatch(Action::TaskSaved { task, at });
        req.added.emit(());
    });
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
