use std::collections::BTreeSet;
use std::rc::Rc;

use yew::prelude::*;

use super::task_item::TaskItem;
use crate::i18n::{self, Key, Lang, t};
use crate::model::{TaskStatus, TaskView};

#[derive(Properties, PartialEq, Debug)]
pub struct TaskListProps {
    pub lang: Lang,
    pub tasks: Rc<Vec<TaskView>>,
    pub today: AttrValue,
    /// Ids of tasks whose status change is under way.
    pub busy: Rc<BTreeSet<String>>,
    pub on_set_status: Callback<(String, TaskStatus)>,
    /// A task's title was tapped: show the task.
    pub on_open: Callback<String>,
}

/// Open tasks (most urgent, then soonest due, first), then done and cancelled ones.
#[function_component(TaskList)]
pub fn task_list(props: &TaskListProps) -> Html {
    let lang = props.lang;
    let (mut open, closed): (Vec<&TaskView>, Vec<&TaskView>) =
        props.tasks.iter().partition(|task| task.status().is_open());
    // Stable: tasks that tie keep the backend's order.
    open.sort_by(|a, b| {
        b.priority()
            .cmp(&a.priority())
            .then_with(|| match (&a.due, &b.due) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
    });

    let item = |task: &&TaskView| {
        html! {
            <TaskItem
                key={task.id.clone()}
                {lang}
                task={(*task).clone()}
                today={props.today.clone()}
                busy={props.busy.contains(&task.id)}
                on_set_status={props.on_set_status.clone()}
                on_open={props.on_open.clone()}
            />
        }
    };

    let body = if props.tasks.is_empty() {
        html! { <p class="empty">{ t(lang, Key::NoTasks) }</p> }
    } else {
        html! {
            <>
                <section class="task-group task-group-open" aria-labelledby="open-heading">
                    <h2 class="group-heading" id="open-heading">
                        { i18n::group_heading(lang, Key::OpenGroup, open.len()) }
                    </h2>
                    if open.is_empty() {
                        <p class="empty">{ t(lang, Key::NoOpenTasks) }</p>
                    } else {
                        <ul class="tasks">{ for open.iter().map(item) }</ul>
                    }
                </section>
                if !closed.is_empty() {
                    <section class="task-group task-group-done" aria-labelledby="done-heading">
                        <h2 class="group-heading" id="done-heading">
                            { i18n::group_heading(lang, Key::DoneGroup, closed.len()) }
                        </h2>
                        <ul class="tasks">{ for closed.iter().map(item) }</ul>
                    </section>
                }
            </>
        }
    };
    html! { <div id="task-list" class="task-list">{ body }</div> }
}
