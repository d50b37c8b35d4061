use crate::shell::context::{use_busy, use_dispatch, use_lang};
use storeops_api::tasks::TaskView;
use storeops_api::{Priority, TaskStatus};
use yew::prelude::*;

use crate::i18n::{self, Key, Lang, t};
use crate::shell::state::Op;
use crate::tasks::calls;
use crate::ui::wire;

/// When a task is due: missed (a recurring task's period ended undone), overdue,
/// today, or on its day.
pub fn due_badge(lang: Lang, due: &str, missed: bool, overdue: bool, due_today: bool) -> Html {
    let (class, text) = if missed {
        ("due-missed", i18n::missed(lang, due))
    } else if overdue {
        ("due-overdue", i18n::overdue(lang, due))
    } else if due_today {
        ("due-today", t(lang, Key::DueToday).to_owned())
    } else {
        ("due-later", i18n::due_on(lang, due))
    };
    html! {
        <span class={classes!("badge", "badge-due", class)} data-due={due.to_owned()}>
            <time datetime={due.to_owned()}>{ text }</time>
        </span>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct TaskItemProps {
    pub task: TaskView,
    /// Today in the store's zone, `YYYY-MM-DD`, to flag due and overdue tasks.
    pub today: AttrValue,
    pub on_set_status: Callback<(String, TaskStatus)>,
}

#[function_component(TaskItem)]
pub fn task_item(props: &TaskItemProps) -> Html {
    let lang = use_lang();
    let d = use_dispatch();
    let task = &props.task;
    let busy = use_busy(Op::Task(task.id.clone()));
    let status = task.status;
    let priority = task.priority;
    let done = status == TaskStatus::Done;

    let onclick = {
        let id = task.id.clone();
        let next = if done {
            TaskStatus::Todo
        } else {
            TaskStatus::Done
        };
        props
            .on_set_status
            .reform(move |_: MouseEvent| (id.clone(), next))
    };
    let open = {
        let id = task.id.clone();
        Callback::from(move |_: MouseEvent| calls::open_task(&d, id.clone()))
    };
    let toggle_label = t(
        lang,
        if done {
            Key::MarkNotDone
        } else {
            Key::MarkDone
        },
    );

    // Todo and done speak through the group they are in and the toggle; the rest say so.
    let status_badge = matches!(
        status,
        TaskStatus::InProgress | TaskStatus::Blocked | TaskStatus::Cancelled
    )
    .then(|| {
        html! {
            <span class={classes!("badge", "badge-status", format!("status-{}", wire::name(status)))}>
                { i18n::status_label(lang, status) }
            </span>
        }
    });
    let priority_badge = (priority != Priority::Normal).then(|| {
        html! {
            <span class={classes!("badge", "badge-priority", format!("priority-{}", wire::name(priority)))}>
                { i18n::priority_label(lang, priority) }
            </span>
        }
    });
    let due_badge = task.due.as_deref().map(|due| {
        let (open, today) = (status.is_open(), props.today.as_str());
        let missed = task.is_missed(today);
        due_badge(lang, due, missed, open && due < today, open && due == today)
    });
    let labelled = |class: &'static str, label: Key, value: &Option<String>, mark: Html| {
        value.as_deref().map(|value| {
            html! {
                <span class={classes!("badge", class)} title={format!("{}: {value}", t(lang, label))}>
                    { mark }
                    <span class="visually-hidden">{ t(lang, label) }{ ": " }</span>
                    { value.to_owned() }
                </span>
            }
        })
    };
    let initial = task
        .assignee
        .as_deref()
        .and_then(|a| a.chars().next())
        .map(|c| c.to_uppercase().to_string())
        .unwrap_or_default();
    let assignee_badge = labelled(
        "badge-assignee",
        Key::Assignee,
        &task.assignee,
        html! { <span class="avatar" aria-hidden="true">{ initial }</span> },
    );
    let department_badge = labelled(
        "badge-department",
        Key::Department,
        &task.department,
        html! {},
    );
    // A task generated from a duty usually carries the duty's text as its title:
    // then the badge says only where it came from.
    let duty_text = task.duty.as_ref().map(|d| {
        if *d == task.title {
            t(lang, Key::Duty).to_owned()
        } else {
            d.clone()
        }
    });
    let duty_badge = labelled(
        "badge-duty",
        Key::Duty,
        &duty_text,
        html! { <span class="duty-mark" aria-hidden="true">{ "↻" }</span> },
    );

    let meta: Vec<Html> = [
        status_badge,
        priority_badge,
        due_badge,
        assignee_badge,
        department_badge,
        duty_badge,
    ]
    .into_iter()
    .flatten()
    .collect();

    html! {
        <li
            class={classes!("task", format!("task-{}", wire::name(status)), busy.then_some("is-saving"))}
            data-task-id={task.id.clone()}
            data-status={wire::name(status)}
            data-priority={wire::name(priority)}
            aria-busy={busy.to_string()}
        >
            <button
                type="button"
                class="task-done-toggle"
                role="checkbox"
                aria-checked={done.to_string()}
                aria-label={format!("{toggle_label}: {}", task.title)}
                title={toggle_label}
                disabled={busy}
                {onclick}
            >
                <span class="check-box" aria-hidden="true"></span>
            </button>
            <div class="task-body">
                <button
                    type="button"
                    class="task-title task-open"
                    title={t(lang, Key::OpenTask)}
                    onclick={open}
                >
                    { task.title.clone() }
                </button>
                if !meta.is_empty() {
                    <div class="task-meta">{ for meta }</div>
                }
            </div>
        </li>
    }
}
