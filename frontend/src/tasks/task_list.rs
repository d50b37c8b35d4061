use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use crate::shell::context::{use_dispatch, use_lang, use_today};
use storeops_api::TaskStatus;
use storeops_api::tasks::TaskView;
use yew::prelude::*;

use crate::i18n::{self, Key, t};
use crate::tasks::calls;
use crate::tasks::progress::TaskProgress;
use crate::tasks::task_item::TaskItem;
use crate::tasks::today::group_today;

#[derive(Properties, PartialEq, Debug)]
pub struct TaskListProps {
    pub tasks: Rc<Vec<TaskView>>,
}

/// Today's work with its progress: overdue, due today, undated; what is due later folded
/// under "Upcoming"; what was done today at the bottom.
#[function_component(TaskList)]
pub fn task_list(props: &TaskListProps) -> Html {
    let lang = use_lang();
    let today = use_today();
    let d = use_dispatch();
    // Tasks closed from this list since it was shown stay in view under "Done today",
    // even when they were due on an earlier day.
    let closed_here = use_mut_ref(BTreeSet::<String>::new);
    let on_set_status = {
        let closed_here = closed_here.clone();
        Callback::from(move |(id, status): (String, TaskStatus)| {
            if !status.is_open() {
                closed_here.borrow_mut().insert(id.clone());
            }
            calls::set_task_status(&d, id, status, false);
        })
    };
    let closed: BTreeSet<String> = RefCell::borrow(&closed_here).clone();
    let groups = group_today(&props.tasks, &today, &closed);

    let item = |task: &&TaskView| {
        html! {
            <TaskItem
                key={task.id.clone()}
                task={(*task).clone()}
                today={today.clone()}
                on_set_status={on_set_status.clone()}
            />
        }
    };
    let section = |slug: &'static str, key: Key, list: &[&TaskView]| {
        let heading = format!("{slug}-heading");
        html! {
            <section class={classes!("task-group", format!("task-group-{slug}"))} aria-labelledby={heading.clone()}>
                <h2 class="group-heading" id={heading}>{ i18n::group_heading(lang, key, list.len()) }</h2>
                <ul class="tasks">{ for list.iter().map(item) }</ul>
            </section>
        }
    };

    let (done, total) = groups.progress();
    let body = if props.tasks.is_empty() {
        html! { <p class="empty">{ t(lang, Key::NoTasks) }</p> }
    } else {
        html! {
            <>
                if total > 0 {
                    <TaskProgress {done} {total} />
                }
                if !groups.overdue.is_empty() {
                    { section("overdue", Key::OverdueGroup, &groups.overdue) }
                }
                if !groups.today.is_empty() {
                    { section("today", Key::TodayGroup, &groups.today) }
                } else if groups.overdue.is_empty() {
                    <p class="empty" id="nothing-today">{ t(lang, Key::NothingToday) }</p>
                }
                if !groups.no_date.is_empty() {
                    { section("no-date", Key::NoDateGroup, &groups.no_date) }
                }
                if !groups.upcoming.is_empty() {
                    <details class="task-group task-group-upcoming" id="today-upcoming">
                        <summary class="group-heading group-toggle" id="upcoming-heading">
                            { i18n::group_heading(lang, Key::UpcomingGroup, groups.upcoming.len()) }
                        </summary>
                        <ul class="tasks">{ for groups.upcoming.iter().map(item) }</ul>
                    </details>
                }
                if !groups.done.is_empty() {
                    { section("done", Key::DoneTodayGroup, &groups.done) }
                }
                if !groups.missed.is_empty() {
                    <details class="task-group task-group-missed" id="today-missed">
                        <summary class="group-heading group-toggle" id="missed-heading">
                            { i18n::group_heading(lang, Key::MissedGroup, groups.missed.len()) }
                        </summary>
                        <ul class="tasks">{ for groups.missed.iter().map(item) }</ul>
                    </details>
                }
            </>
        }
    };
    html! { <div id="task-list" class="task-list">{ body }</div> }
}
