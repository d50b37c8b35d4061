use std::rc::Rc;

use crate::shell::context::{use_app, use_dispatch, use_lang, use_time_zone, use_today};
use storeops_api::TaskStatus;
use storeops_api::tasks::{ChecklistItemView, TaskDetail};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::{self, Key, t};
use crate::shell::state::Op;
use crate::tasks::calls;
use crate::ui::busy_button;
use crate::ui::form;
use crate::ui::format;
use crate::ui::line_form::LineForm;
use crate::ui::line_form::TextRequest;
use crate::ui::owner_select::owner_options;
use crate::ui::wire;

const STATUSES: [TaskStatus; 5] = TaskStatus::ALL;

#[derive(Properties, PartialEq, Debug)]
pub struct TaskDetailViewProps {
    pub detail: Rc<TaskDetail>,
}

/// One task in full: what it is and whose, its status, checklist, comments and history,
/// and for managers who it goes to. The back button is the app's (see `app.rs`).
#[function_component(TaskDetailView)]
pub fn task_detail_view(props: &TaskDetailViewProps) -> Html {
    let lang = use_lang();
    let app = use_app();
    let d = use_dispatch();
    let today = use_today();
    let time_zone = use_time_zone();
    let detail = &props.detail;
    let task = &detail.task;
    let status = task.status;
    let when = |ms: i64| format::date_time(ms, lang, &time_zone);
    let confirming = use_state(|| false);
    // The task the task screen shows: what its commands are for.
    let id = app.open_task.clone().unwrap_or_default();
    let on_set_status = {
        let (d, id) = (d.clone(), id.clone());
        Callback::from(move |status| calls::set_task_status(&d, id.clone(), status, true))
    };
    let cancel_done = {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(false))
    };
    let done_anyway = {
        let (on_set_status, confirming) = (on_set_status.clone(), confirming.clone());
        Callback::from(move |_: MouseEvent| {
            confirming.set(false);
            on_set_status.emit(TaskStatus::Done);
        })
    };
    let on_add_item = {
        let (d, id) = (d.clone(), id.clone());
        Callback::from(move |req: TextRequest| calls::add_checklist_item(&d, id.clone(), req))
    };
    let on_add_comment = {
        let (d, id) = (d.clone(), id.clone());
        Callback::from(move |req: TextRequest| calls::add_comment(&d, id.clone(), req))
    };

    // Done with checklist items still open is asked about first.
    let open_items = detail.checklist.iter().filter(|i| !i.done).count();
    let status_buttons = STATUSES.into_iter().map(|choice| {
        let current = choice == status;
        let onclick = {
            let (on_set_status, confirming) = (on_set_status.clone(), confirming.clone());
            Callback::from(move |_: MouseEvent| {
                if choice == TaskStatus::Done && open_items > 0 && !current {
                    confirming.set(true);
                } else {
                    confirming.set(false);
                    on_set_status.emit(choice);
                }
            })
        };
        html! {
            <button
                type="button"
                id={format!("status-{}", wire::name(choice))}
                class={classes!("segment", "status-choice", format!("choice-{}", wire::name(choice)))}
                aria-pressed={current.to_string()}
                disabled={!detail.can_edit || app.is_busy(&Op::Task(id.clone()))}
                {onclick}
            >
                { i18n::status_label(lang, choice) }
            </button>
        }
    });

    let due = task.due.as_deref().map(|due| {
        let today = today.as_str();
        let (class, text) = if status.is_open() && due < today {
            ("due-overdue", i18n::overdue(lang, due))
        } else if status.is_open() && due == today {
            ("due-today", t(lang, Key::DueToday).to_owned())
        } else {
            ("due-later", due.to_owned())
        };
        html! {
            <span class={classes!("badge", "badge-due", class)} data-due={due.to_owned()}>
                <time datetime={due.to_owned()}>{ text }</time>
            </span>
        }
    });
    let fact = |label: Key, id: &'static str, value: Html| {
        html! {
            <div class="fact">
                <dt>{ t(lang, label) }</dt>
                <dd id={id}>{ value }</dd>
            </div>
        }
    };
    let text_or = |value: &Option<String>, empty: &'static str| match value {
        Some(v) if !v.is_empty() => html! { { v.clone() } },
        _ => html! { <span class="is-unknown">{ empty }</span> },
    };

    let done_items = detail.checklist.iter().filter(|i| i.done).count();
    let checklist = if detail.checklist.is_empty() {
        html! { <p class="detail-empty">{ t(lang, Key::NoChecklist) }</p> }
    } else {
        html! {
            <ul class="checklist" id="checklist">
                {
                    for detail.checklist.iter().map(|item| html! {
                        <ChecklistRow
                            key={item.id.clone()}
                            item={item.clone()}
                            ticked={item.done.then(|| i18n::ticked_by(
                                lang,
                                item.done_by.as_deref(),
                                item.done_at.map(when).as_deref(),
                            ))}
                            disabled={!detail.can_edit}
                        />
                    })
                }
            </ul>
        }
    };

    let comments = if detail.comments.is_empty() {
        html! { <p class="detail-empty">{ t(lang, Key::NoComments) }</p> }
    } else {
        html! {
            <ul class="comments" id="comments">
                {
                    for detail.comments.iter().map(|c| html! {
                        <li class="comment" key={c.id.clone()} data-comment-id={c.id.clone()}>
                            <div class="comment-head">
                                <span class="avatar" aria-hidden="true">
                                    { c.author.chars().next().map(|ch| ch.to_uppercase().to_string()).unwrap_or_default() }
                                </span>
                                <span class="comment-author">{ c.author.clone() }</span>
                                <time class="comment-time" data-at={c.at.to_string()}>{ when(c.at) }</time>
                            </div>
                            <p class="comment-text">{ c.text.clone() }</p>
                        </li>
                    })
                }
            </ul>
        }
    };

    let history = if detail.history.is_empty() {
        html! { <p class="detail-empty">{ t(lang, Key::NoHistory) }</p> }
    } else {
        html! {
            <ol class="history" id="history">
                {
                    for detail.history.iter().map(|h| html! {
                        <li class="history-entry">
                            <time class="history-time" data-at={h.at.to_string()}>{ when(h.at) }</time>
                            <span class="history-message">{ i18n::said_text(lang, &h.said) }</span>
                        </li>
                    })
                }
            </ol>
        }
    };

    let reassign = detail.can_reassign.then(|| {
        html! {
            <Reassign
                current={task.assignee_id.clone().map(AttrValue::from)}
                current_name={task.assignee.clone().map(AttrValue::from)}
            />
        }
    });

    html! {
        <div class="task-detail" data-task-id={task.id.clone()} data-status={wire::name(status)}>
            <div class="detail-col detail-col-main">
            <article class="detail-card detail-main">
                <h3 class="detail-title" id="task-detail-title">{ task.title.clone() }</h3>
                <div class="detail-status">
                    <span class="detail-label" id="task-status-label">{ t(lang, Key::Status) }</span>
                    <div class="segmented status-picker" role="group" aria-labelledby="task-status-label">
                        { for status_buttons }
                    </div>
                </div>
                if *confirming {
                    <div class="confirm-done" id="confirm-done" role="alert">
                        <p>{ i18n::open_items_left(lang, open_items) }</p>
                        <div class="card-actions">
                            <button type="button" class="button button-quiet" id="confirm-done-no" onclick={cancel_done}>
                                { t(lang, Key::Cancel) }
                            </button>
                            <button type="button" class="button button-primary" id="confirm-done-yes" onclick={done_anyway}>
                                { t(lang, Key::MarkDoneAnyway) }
                            </button>
                        </div>
                    </div>
                }
                if !detail.can_edit {
                    <p class="detail-note">{ t(lang, Key::ReadOnlyTask) }</p>
                }
                <dl class="facts detail-facts">
                    { fact(Key::Assignee, "task-assignee", text_or(&task.assignee, t(lang, Key::Unassigned))) }
                    { fact(Key::Due, "task-due", due.unwrap_or_else(|| html! { <span class="is-unknown">{ t(lang, Key::NoDueDate) }</span> })) }
                    { fact(Key::Priority, "task-priority", html! {
                        <span class={classes!("badge", "badge-priority", format!("priority-{}", wire::name(task.priority)))}>
                            { i18n::priority_label(lang, task.priority) }
                        </span>
                    }) }
                    { fact(Key::Department, "task-department", text_or(&task.department, "—")) }
                    { fact(Key::Duty, "task-duty", text_or(&task.duty, "—")) }
                    if let Some(origin) = &detail.origin {
                        { fact(Key::Origin, "task-origin", html! { { i18n::origin_text(lang, origin) } }) }
                    }
                </dl>
                <section class="detail-section" aria-labelledby="task-description-title">
                    <h4 class="detail-section-title" id="task-description-title">{ t(lang, Key::Description) }</h4>
                    if detail.description.trim().is_empty() {
                        <p class="detail-empty" id="task-description">{ t(lang, Key::NoDescription) }</p>
                    } else {
                        <p class="detail-description" id="task-description">{ detail.description.clone() }</p>
                    }
                </section>
            </article>
            <section class="detail-card detail-checklist" aria-labelledby="task-checklist-title">
                <div class="detail-card-head">
                    <h4 class="detail-section-title" id="task-checklist-title">{ t(lang, Key::Checklist) }</h4>
                    if !detail.checklist.is_empty() {
                        <span class="detail-count">{ i18n::checklist_progress(lang, done_items, detail.checklist.len()) }</span>
                    }
                </div>
                { checklist }
                <LineForm
                    input_id="new-checklist-item"
                    button_id="add-checklist-item"
                    label={t(lang, Key::NewChecklistItem)}
                    placeholder={t(lang, Key::NewChecklistPlaceholder)}
                    button={t(lang, Key::AddItem)}
                    busy_button={t(lang, Key::Adding)}
                    busy={app.is_busy(&Op::AddChecklistItem)}
                    disabled={!detail.can_edit}
                    on_submit={on_add_item}
                />
            </section>
            <section class="detail-card detail-comments" aria-labelledby="task-comments-title">
                <h4 class="detail-section-title" id="task-comments-title">{ t(lang, Key::Comments) }</h4>
                { comments }
                <LineForm
                    input_id="new-comment"
                    button_id="add-comment"
                    label={t(lang, Key::NewComment)}
                    placeholder={t(lang, Key::NewCommentPlaceholder)}
                    button={t(lang, Key::AddComment)}
                    busy_button={t(lang, Key::Adding)}
                    busy={app.is_busy(&Op::AddComment)}
                    on_submit={on_add_comment}
                />
            </section>
            </div>
            <div class="detail-col detail-col-side">
            { for reassign }
            <section class="detail-card detail-history" aria-labelledby="task-history-title">
                <h4 class="detail-section-title" id="task-history-title">{ t(lang, Key::History) }</h4>
                { history }
            </section>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct ChecklistRowProps {
    item: ChecklistItemView,
    /// Who ticked it and when, if it is done.
    ticked: Option<String>,
    disabled: bool,
}

#[function_component(ChecklistRow)]
fn checklist_row(props: &ChecklistRowProps) -> Html {
    let item = &props.item;
    let app = use_app();
    let d = use_dispatch();
    let busy = app.is_busy(&Op::Checklist(item.id.clone()));
    let input = use_node_ref();
    {
        // The box shows what was saved: after a failed tick it goes back, although the
        // item itself has not changed.
        let input = input.clone();
        use_effect_with((item.done, busy), move |(done, _)| {
            if let Some(el) = input.cast::<HtmlInputElement>() {
                el.set_checked(*done);
            }
        });
    }
    let onchange = {
        let (task, id) = (app.open_task.clone().unwrap_or_default(), item.id.clone());
        Callback::from(move |e: Event| {
            let el: HtmlInputElement = e.target_unchecked_into();
            calls::set_checklist_item(&d, task.clone(), id.clone(), el.checked());
        })
    };
    let box_id = format!("checklist-{}", item.id);
    html! {
        <li
            class={classes!("checklist-item", item.done.then_some("is-done"), busy.then_some("is-saving"))}
            data-item-id={item.id.clone()}
            data-done={item.done.to_string()}
            aria-busy={busy.to_string()}
        >
            <input
                type="checkbox"
                id={box_id.clone()}
                class="checklist-toggle"
                ref={input}
                checked={item.done}
                disabled={props.disabled || busy}
                {onchange}
            />
            <label for={box_id} class="checklist-label">
                <span class="checklist-text">{ item.text.clone() }</span>
                if let Some(ticked) = props.ticked.as_ref().filter(|s| !s.is_empty()) {
                    <span class="checklist-ticked">{ ticked.clone() }</span>
                }
            </label>
        </li>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct ReassignProps {
    /// The owner id of the current assignee.
    current: Option<AttrValue>,
    current_name: Option<AttrValue>,
}

/// Managers: pick a position or a person (or no one) and reassign.
#[function_component(Reassign)]
fn reassign(props: &ReassignProps) -> Html {
    let lang = use_lang();
    let app = use_app();
    let busy = app.is_busy(&Op::Reassign);
    let d = use_dispatch();
    let select = use_node_ref();
    let onclick = {
        let (select, task) = (select.clone(), app.open_task.clone().unwrap_or_default());
        Callback::from(move |_: MouseEvent| {
            if !busy {
                calls::reassign_task(&d, task.clone(), form::chosen(&select));
            }
        })
    };
    html! {
        <section class="detail-card detail-reassign" aria-labelledby="task-reassign-title">
            <h4 class="detail-section-title" id="task-reassign-title">{ t(lang, Key::ReassignSection) }</h4>
            <label class="invite-label" for="reassign-to">{ t(lang, Key::ReassignTo) }</label>
            <div class="invite-form">
                <select id="reassign-to" class="select" ref={select}>
                    {
                        owner_options(
                            lang,
                            app.staffing.data.as_deref(),
                            None,
                            props.current.as_deref(),
                            props.current_name.as_deref(),
                        )
                    }
                </select>
                { busy_button(lang, Some("reassign-button"), "button-primary", busy, [Key::ReassignButton, Key::Reassigning], Some(onclick)) }
            </div>
        </section>
    }
}
