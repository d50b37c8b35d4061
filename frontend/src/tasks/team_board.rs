use std::rc::Rc;

use crate::shell::context::{use_app, use_dispatch, use_lang, use_today};
use storeops_api::TaskStatus;
use storeops_api::tasks::{TaskView, TeamBoard, TeamGroup};
use yew::prelude::*;

use crate::i18n::{self, Key, Lang, t};
use crate::shell::state::{Op, TeamGrouping};
use crate::tasks::calls;
use crate::tasks::task_item::due_badge;
use crate::ui::busy_button;
use crate::ui::form;
use crate::ui::owner_select::owner_options;
use crate::ui::wire;

#[derive(Properties, PartialEq, Debug)]
pub struct TeamBoardViewProps {
    pub board: Rc<TeamBoard>,
}

/// Managers: the store's open work, by assignee or by status, overdue work flagged; each
/// assignee's work can be moved to someone else at once.
#[function_component(TeamBoardView)]
pub fn team_board_view(props: &TeamBoardViewProps) -> Html {
    let lang = use_lang();
    let app = use_app();
    let d = use_dispatch();
    let today = use_today();
    let on_open = {
        let d = d.clone();
        Callback::from(move |id: String| calls::open_task(&d, id))
    };
    let board = &props.board;
    let total: usize = board.groups.iter().map(|g| g.tasks.len()).sum();
    let switch = |grouping: TeamGrouping, id: &'static str, key: Key| {
        let d = d.clone();
        let onclick = Callback::from(move |_: MouseEvent| calls::set_team_grouping(&d, grouping));
        html! {
            <button
                type="button"
                {id}
                class="segment"
                aria-pressed={(app.team_grouping == grouping).to_string()}
                {onclick}
            >
                { t(lang, key) }
            </button>
        }
    };
    let body = if total == 0 {
        html! { <p class="empty">{ t(lang, Key::NoOpenWork) }</p> }
    } else {
        match app.team_grouping {
            TeamGrouping::Owner => html! {
                { for board.groups.iter().filter(|g| !g.tasks.is_empty()).map(|group| html! {
                    <OwnerGroup
                        key={group.owner_id.clone().unwrap_or_default()}
                        group={group.clone()}
                        on_open={on_open.clone()}
                    />
                }) }
            },
            TeamGrouping::Status => by_status(lang, board, &today, &on_open),
        }
    };
    html! {
        <>
            <div class="duty-filters team-controls">
                <div class="segmented" role="group" aria-label={t(lang, Key::TeamGrouping)}>
                    { switch(TeamGrouping::Owner, "team-by-owner", Key::ByOwner) }
                    { switch(TeamGrouping::Status, "team-by-status", Key::ByStatus) }
                </div>
            </div>
            <div id="team-board" class="team-board">{ body }</div>
        </>
    }
}

fn is_overdue(task: &TaskView, today: &str) -> bool {
    task.status.is_open()
        && task.due.as_deref().is_some_and(|due| due < today)
        && !task.is_missed(today)
}

/// Open tasks by status (in progress, blocked, to do), each with who has it.
fn by_status(lang: Lang, board: &TeamBoard, today: &str, on_open: &Callback<String>) -> Html {
    let order = [
        TaskStatus::Blocked,
        TaskStatus::InProgress,
        TaskStatus::Todo,
    ];
    let groups = order.into_iter().filter_map(|status| {
        let tasks: Vec<(&TaskView, &str)> = board
            .groups
            .iter()
            .flat_map(|g| {
                let owner = if g.owner_id.is_some() {
                    g.owner.as_str()
                } else {
                    t(lang, Key::Unassigned)
                };
                g.tasks.iter().map(move |task| (task, owner))
            })
            .filter(|(task, _)| task.status == status)
            .collect();
        if tasks.is_empty() {
            return None;
        }
        let overdue = tasks.iter().filter(|(task, _)| is_overdue(task, today)).count();
        Some(html! {
            <section class={classes!("team-group", "team-group-status", (overdue > 0).then_some("has-overdue"))} data-status={wire::name(status)}>
                <header class="team-group-head">
                    <h3 class="team-group-name">
                        <span class={classes!("badge", "badge-status", format!("status-{}", wire::name(status)))}>
                            { i18n::status_label(lang, status) }
                        </span>
                    </h3>
                    <span class="team-count">{ i18n::open_count(lang, tasks.len()) }</span>
                    if overdue > 0 {
                        <span class="team-overdue">{ i18n::overdue_count(lang, overdue) }</span>
                    }
                </header>
                <ul class="team-tasks">
                    { for tasks.iter().map(|(task, owner)| team_task(lang, task, Some(owner), today, on_open)) }
                </ul>
            </section>
        })
    });
    html! { <>{ for groups }</> }
}

fn team_task(
    lang: Lang,
    task: &TaskView,
    owner: Option<&str>,
    today: &str,
    on_open: &Callback<String>,
) -> Html {
    let status = task.status;
    let overdue = is_overdue(task, today);
    let open = {
        let id = task.id.clone();
        on_open.reform(move |_: MouseEvent| id.clone())
    };
    let due = (task.due.as_deref())
        .map(|due| due_badge(lang, due, task.is_missed(today), overdue, due == today));
    html! {
        <li
            class={classes!("team-task", overdue.then_some("overdue"))}
            key={task.id.clone()}
            data-task-id={task.id.clone()}
            data-status={wire::name(status)}
        >
            <button type="button" class="task-title task-open" title={t(lang, Key::OpenTask)} onclick={open}>
                { task.title.clone() }
            </button>
            <div class="task-meta">
                <span class={classes!("badge", "badge-status", format!("status-{}", wire::name(status)))}>
                    { i18n::status_label(lang, status) }
                </span>
                { for due }
                if let Some(owner) = owner.filter(|o| !o.is_empty()) {
                    <span class="badge badge-assignee">{ owner.to_owned() }</span>
                }
            </div>
        </li>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct OwnerGroupProps {
    group: TeamGroup,
    on_open: Callback<String>,
}

#[function_component(OwnerGroup)]
fn owner_group(props: &OwnerGroupProps) -> Html {
    let lang = use_lang();
    let app = use_app();
    let d = use_dispatch();
    let today = use_today();
    let group = &props.group;
    // Whether this owner's work is being moved.
    let moving = (group.owner_id.as_ref()).is_some_and(|id| app.is_busy(&Op::MoveAll(id.clone())));
    let select = use_node_ref();
    // No one: said in the language shown, whatever the backend calls it.
    let owner = if group.owner_id.is_none() {
        t(lang, Key::Unassigned).to_owned()
    } else {
        group.owner.clone()
    };
    let owner_key = group.owner_id.clone().unwrap_or_default();
    let select_id = format!("move-to-{owner_key}");
    let mover = group.owner_id.clone().map(|from| {
        let onclick = {
            let select = select.clone();
            let d = d.clone();
            Callback::from(move |_: MouseEvent| {
                if moving {
                    return;
                }
                let to = form::chosen(&select);
                calls::move_open_tasks(&d, from.clone(), to);
            })
        };
        html! {
            <div class="team-move">
                <label class="team-move-label" for={select_id.clone()}>{ t(lang, Key::MoveAllTo) }</label>
                <div class="invite-form">
                    <select id={select_id.clone()} class="select move-to" ref={select.clone()}>
                        { owner_options(lang, app.staffing.data.as_deref(), group.owner_id.as_deref(), None, None) }
                    </select>
                    { busy_button(lang, None, "button-secondary move-all", moving, [Key::MoveAll, Key::Moving], Some(onclick)) }
                </div>
            </div>
        }
    });
    html! {
        <section
            class={classes!("team-group", (group.overdue > 0).then_some("has-overdue"), group.owner_id.is_none().then_some("is-unassigned"))}
            data-owner={owner_key}
            data-count={group.tasks.len().to_string()}
            data-overdue={group.overdue.to_string()}
        >
            <header class="team-group-head">
                <h3 class="team-group-name">{ owner }</h3>
                <span class="team-count">{ i18n::open_count(lang, group.tasks.len()) }</span>
                if group.overdue > 0 {
                    <span class="team-overdue">{ i18n::overdue_count(lang, group.overdue as usize) }</span>
                }
            </header>
            <ul class="team-tasks">
                { for group.tasks.iter().map(|task| team_task(lang, task, None, &today, &props.on_open)) }
            </ul>
            { for mover }
        </section>
    }
}
