use std::rc::Rc;

use crate::shell::context::{use_app, use_busy, use_dispatch, use_lang, use_today};
use storeops_api::command::{AddActionItem, CreateMeeting};
use storeops_api::meetings::{MeetingBoard, MeetingView};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::i18n::{self, Key, t};
use crate::meetings::calls::{self, ActionRequest, NewMeetingRequest};
use crate::shell::state::Op;
use crate::ui::busy_button;
use crate::ui::form::{self, set_to};
use crate::ui::line_form::LineForm;
use crate::ui::line_form::TextRequest;
use crate::ui::owner_select::owner_options;
use crate::ui::wire;

#[derive(Properties, PartialEq, Debug)]
pub struct MeetingsViewProps {
    pub board: Rc<MeetingBoard>,
}

/// Operations meetings: the list, newest first, and one meeting in full.
#[function_component(MeetingsView)]
pub fn meetings_view(props: &MeetingsViewProps) -> Html {
    let lang = use_lang();
    let app = use_app();
    let d = use_dispatch();
    let board = &props.board;
    let form_open = use_state(|| false);
    if let Some(meeting) = app
        .open_meeting
        .as_deref()
        .and_then(|id| board.meetings.iter().find(|m| m.id == id))
    {
        return html! {
            <MeetingDetail meeting={meeting.clone()} />
        };
    }
    let toggle = {
        let form_open = form_open.clone();
        Callback::from(move |_: MouseEvent| form_open.set(!*form_open))
    };
    let close = set_to(&form_open, false);
    let list = if board.meetings.is_empty() {
        html! { <p class="empty">{ t(lang, Key::NoMeetings) }</p> }
    } else {
        html! {
            <ul class="meetings" id="meetings">
                { for board.meetings.iter().map(|m| {
                    let onclick = {
                        let (d, id) = (d.clone(), m.id.clone());
                        Callback::from(move |_: MouseEvent| calls::open_meeting(&d, Some(id.clone())))
                    };
                    let open_actions = m.actions.iter().filter(|a| a.task_id.is_none()).count();
                    html! {
                        <li class="meeting" key={m.id.clone()} data-meeting-id={m.id.clone()}>
                            <button type="button" class="meeting-button" {onclick}>
                                <span class="meeting-date"><time datetime={m.date.clone()}>{ m.date.clone() }</time></span>
                                <span class="meeting-title">{ m.title.clone() }</span>
                                <span class="task-meta">
                                    if let Some(dept) = &m.department {
                                        <span class="badge">{ dept.clone() }</span>
                                    }
                                    if m.managers_only {
                                        <span class="badge">{ t(lang, Key::ManagersMinutes) }</span>
                                    }
                                    <span class="badge">{ i18n::attendee_count(lang, m.attendees.len()) }</span>
                                    <span class="badge">{ i18n::action_count(lang, m.actions.len(), open_actions) }</span>
                                </span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        }
    };
    html! {
        <>
            if board.can_create {
                <div class="screen-actions">
                    <span></span>
                    <button
                        type="button"
                        id="new-meeting-button"
                        class="button button-primary"
                        aria-expanded={form_open.to_string()}
                        onclick={toggle}
                    >
                        { t(lang, Key::NewMeeting) }
                    </button>
                </div>
                if *form_open {
                    <MeetingForm on_cancel={close} />
                }
            }
            { list }
        </>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct MeetingFormProps {
    on_cancel: Callback<()>,
}

#[function_component(MeetingForm)]
fn meeting_form(props: &MeetingFormProps) -> Html {
    let lang = use_lang();
    let app = use_app();
    let busy = use_busy(Op::CreateMeeting);
    let d = use_dispatch();
    let today = use_today();
    let title = use_node_ref();
    let date = use_node_ref();
    crate::ui::seed::use_seed(&date, today.to_string());
    let department = use_node_ref();
    let agenda = use_node_ref();
    let repeat = use_node_ref();
    let attendees = use_node_ref();
    let managers_only = use_node_ref();
    let onsubmit = {
        let refs = (
            title.clone(),
            date.clone(),
            department.clone(),
            agenda.clone(),
            repeat.clone(),
            attendees.clone(),
            managers_only.clone(),
        );
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if busy {
                return;
            }
            let (title, date, department, agenda, repeat, attendees, managers_only) = &refs;
            let people = attendees
                .cast::<web_sys::Element>()
                .and_then(|list| list.query_selector_all("input:checked").ok())
                .map(|checked| {
                    (0..checked.length())
                        .filter_map(|i| checked.item(i))
                        .filter_map(|node| {
                            wasm_bindgen::JsCast::dyn_into::<HtmlInputElement>(node).ok()
                        })
                        .map(|el| el.value())
                        .collect()
                })
                .unwrap_or_default();
            let meeting = CreateMeeting {
                title: form::read(title),
                date: form::read(date),
                department: form::chosen(department),
                attendees: people,
                agenda: agenda
                    .cast::<HtmlTextAreaElement>()
                    .map(|el| el.value().lines().map(str::to_owned).collect())
                    .unwrap_or_default(),
                repeat_weeks: form::read(repeat).trim().parse().unwrap_or(0),
                managers_only: managers_only
                    .cast::<HtmlInputElement>()
                    .is_some_and(|el| el.checked()),
            };
            let on_cancel = on_cancel.clone();
            calls::create_meeting(
                &d,
                NewMeetingRequest {
                    meeting,
                    created: Callback::from(move |()| on_cancel.emit(())),
                },
            );
        })
    };
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    let people = app
        .staffing
        .data
        .as_ref()
        .map(|s| {
            s.people
                .iter()
                .filter(|p| p.active)
                .cloned()
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let departments = app
        .org
        .data
        .as_ref()
        .map(|o| o.departments.clone())
        .unwrap_or_default();
    html! {
        <section class="settings-card new-meeting" aria-labelledby="new-meeting-title">
            <h3 class="settings-card-title" id="new-meeting-title">{ t(lang, Key::NewMeeting) }</h3>
            <form id="new-meeting-form" class="grid-form" novalidate=true {onsubmit}>
                <div class="field field-wide">
                    <label for="meeting-title">{ t(lang, Key::MeetingTitle) }</label>
                    <input id="meeting-title" ref={title} type="text" autocomplete="off" placeholder={t(lang, Key::MeetingTitleHint)} />
                </div>
                <div class="field">
                    <label for="meeting-date">{ t(lang, Key::MeetingDate) }</label>
                    <input id="meeting-date" ref={date} type="date" />
                </div>
                <div class="field">
                    <label for="meeting-department">{ t(lang, Key::Department) }</label>
                    <select id="meeting-department" class="select" ref={department}>
                        <option value="">{ t(lang, Key::StoreWide) }</option>
                        { for departments.iter().map(|d| html! { <option value={d.id.clone()}>{ d.name.clone() }</option> }) }
                    </select>
                </div>
                <fieldset class="field field-wide attendee-picker" ref={attendees}>
                    <legend>{ t(lang, Key::Attendees) }</legend>
                    if people.is_empty() {
                        <p class="field-hint">{ t(lang, Key::NoPeopleYet) }</p>
                    }
                    <div class="attendee-choices">
                        { for people.iter().map(|p| {
                            let id = format!("attendee-{}", p.id);
                            html! {
                                <label class="attendee-choice" for={id.clone()}>
                                    <input type="checkbox" id={id} value={p.id.clone()} />
                                    <span>{ p.name.clone() }</span>
                                </label>
                            }
                        }) }
                    </div>
                </fieldset>
                <div class="field field-wide">
                    <label for="meeting-agenda">{ t(lang, Key::Agenda) }</label>
                    <textarea id="meeting-agenda" ref={agenda} rows="3" placeholder={t(lang, Key::AgendaHint)}></textarea>
                </div>
                <div class="field">
                    <label for="meeting-repeat">{ t(lang, Key::RepeatWeeks) }</label>
                    <input id="meeting-repeat" ref={repeat} type="number" min="0" max="12" value="0" inputmode="numeric" />
                </div>
                <div class="field field-wide">
                    <label class="check-row" for="meeting-managers-only">
                        <input type="checkbox" id="meeting-managers-only" ref={managers_only} />
                        { t(lang, Key::ManagersOnlyMinutes) }
                    </label>
                    <p class="field-hint">{ t(lang, Key::ManagersOnlyMinutesHint) }</p>
                </div>
                <div class="form-actions field-wide">
                    <button type="button" class="button button-quiet" onclick={cancel}>{ t(lang, Key::Cancel) }</button>
                    { busy_button(lang, Some("create-meeting-button"), "button-primary", busy, [Key::CreateMeeting, Key::CreatingRecord], None) }
                </div>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct MeetingDetailProps {
    meeting: MeetingView,
}

#[function_component(MeetingDetail)]
fn meeting_detail(props: &MeetingDetailProps) -> Html {
    let lang = use_lang();
    let app = use_app();
    let d = use_dispatch();
    let m = &props.meeting;
    let busy = |op: Op| app.is_busy(&op);
    let minutes = use_node_ref();
    crate::ui::seed::use_seed(&minutes, m.minutes.clone());
    let action_text = use_node_ref();
    let action_owner = use_node_ref();
    let action_due = use_node_ref();

    let back = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| calls::open_meeting(&d, None))
    };
    let save_minutes = {
        let minutes = minutes.clone();
        let id = m.id.clone();
        let d = d.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(el) = minutes.cast::<HtmlTextAreaElement>() {
                calls::set_minutes(&d, id.clone(), el.value());
            }
        })
    };
    let on_agenda = {
        let (d, id) = (d.clone(), m.id.clone());
        Callback::from(move |req: TextRequest| calls::add_agenda_item(&d, id.clone(), req))
    };
    let add_action = {
        let refs = (
            action_text.clone(),
            action_owner.clone(),
            action_due.clone(),
        );
        let id = m.id.clone();
        let d = d.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (text, owner, due) = &refs;
            let (Some(text_el), Some(due_el)) = (
                text.cast::<HtmlInputElement>(),
                due.cast::<HtmlInputElement>(),
            ) else {
                return;
            };
            let sent = text_el.value();
            let action = AddActionItem {
                meeting_id: id.clone(),
                text: sent.clone(),
                owner: form::chosen(owner),
                due: Some(due_el.value()).filter(|v| !v.is_empty()),
            };
            let added = Callback::from(move |()| {
                if text_el.value() == sent {
                    text_el.set_value("");
                }
            });
            calls::add_action_item(&d, ActionRequest { action, added });
        })
    };
    let to_tasks = {
        let id = m.id.clone();
        Callback::from(move |_: MouseEvent| calls::actions_to_tasks(&d, id.clone()))
    };
    let pending_actions = m.actions.iter().filter(|a| a.task_id.is_none()).count();
    let saving_minutes = busy(Op::Minutes(m.id.clone()));
    let adding_action = busy(Op::AddAction(m.id.clone()));
    let converting = busy(Op::ActionsToTasks(m.id.clone()));

    html! {
        <>
            <div class="detail-top">
                <button type="button" id="meeting-back" class="button button-quiet back-button" onclick={back}>
                    <span aria-hidden="true">{ "← " }</span>{ t(lang, Key::AllMeetings) }
                </button>
            </div>
            <article class="meeting-detail" id="meeting-detail" data-meeting-id={m.id.clone()}>
                <div class="detail-card">
                    <h3 class="detail-title">{ m.title.clone() }</h3>
                    <dl class="facts detail-facts">
                        <div class="fact"><dt>{ t(lang, Key::MeetingDate) }</dt><dd><time datetime={m.date.clone()}>{ m.date.clone() }</time></dd></div>
                        <div class="fact"><dt>{ t(lang, Key::Department) }</dt><dd>{ m.department.clone().unwrap_or_else(|| t(lang, Key::StoreWide).to_owned()) }</dd></div>
                        <div class="fact"><dt>{ t(lang, Key::Attendees) }</dt><dd>{ i18n::names(lang, &m.attendees.iter().map(|a| a.name.clone()).collect::<Vec<_>>()) }</dd></div>
                    </dl>
                </div>
                <div class="detail-card">
                    <h4 class="detail-section-title">{ t(lang, Key::Agenda) }</h4>
                    if m.agenda.is_empty() {
                        <p class="detail-empty">{ t(lang, Key::NoAgenda) }</p>
                    } else {
                        <ol class="agenda" id="agenda">
                            { for m.agenda.iter().map(|a| html! { <li class="agenda-item" key={a.id.clone()}>{ a.text.clone() }</li> }) }
                        </ol>
                    }
                    if m.can_edit {
                        <LineForm
                            input_id="agenda-text"
                            button_id="add-agenda-button"
                            label={t(lang, Key::NewAgendaItem)}
                            placeholder={t(lang, Key::NewAgendaItem)}
                            button={t(lang, Key::AddItem)}
                            busy_button={t(lang, Key::Adding)}
                            busy={busy(Op::AddAgenda(m.id.clone()))}
                            on_submit={on_agenda}
                        />
                    }
                </div>
                <div class="detail-card">
                    <h4 class="detail-section-title"><label for="minutes-text">{ t(lang, Key::Minutes) }</label></h4>
                    if m.managers_only {
                        <p class="field-hint" id="minutes-for-managers">{ t(lang, Key::MinutesForManagers) }</p>
                    }
                    if m.can_edit {
                        <textarea id="minutes-text" ref={minutes} rows="6" placeholder={t(lang, Key::MinutesHint)}></textarea>
                        <div class="card-actions">
                            { busy_button(lang, Some("save-minutes-button"), "button-secondary", saving_minutes, [Key::SaveMinutes, Key::Saving], Some(save_minutes)) }
                        </div>
                    } else if m.minutes.is_empty() && !m.managers_only {
                        <p class="detail-empty">{ t(lang, Key::NoMinutes) }</p>
                    } else if m.minutes.is_empty() {
                    } else {
                        <p class="minutes" id="minutes-text">{ m.minutes.clone() }</p>
                    }
                </div>
                <div class="detail-card">
                    <h4 class="detail-section-title">{ t(lang, Key::ActionItems) }</h4>
                    if m.actions.is_empty() {
                        <p class="detail-empty">{ t(lang, Key::NoActions) }</p>
                    } else {
                        <ul class="meeting-actions" id="meeting-actions">
                            { for m.actions.iter().map(|a| {
                                let status = a.task_status;
                                html! {
                                    <li class="meeting-action" key={a.id.clone()} data-task-id={a.task_id.clone().unwrap_or_default()}>
                                        <p class="plan-item-text">{ a.text.clone() }</p>
                                        <div class="task-meta">
                                            if let Some(owner) = a.owner.as_ref().filter(|o| !o.is_empty()) {
                                                <span class="badge badge-assignee">{ owner.clone() }</span>
                                            }
                                            if let Some(due) = &a.due {
                                                <span class="badge badge-due due-later"><time datetime={due.clone()}>{ i18n::due_on(lang, due) }</time></span>
                                            }
                                            if let Some(status) = status {
                                                <span class={classes!("badge", "badge-status", format!("status-{}", wire::name(status)))}>{ i18n::status_label(lang, status) }</span>
                                            } else {
                                                <span class="badge">{ t(lang, Key::NotATaskYet) }</span>
                                            }
                                        </div>
                                    </li>
                                }
                            }) }
                        </ul>
                    }
                    if m.can_edit {
                        <form class="grid-form action-form" novalidate=true onsubmit={add_action}>
                            <div class="field field-wide">
                                <label for="action-text">{ t(lang, Key::NewAction) }</label>
                                <input id="action-text" ref={action_text} type="text" autocomplete="off" />
                            </div>
                            <div class="field">
                                <label for="action-owner">{ t(lang, Key::Assignee) }</label>
                                <select id="action-owner" class="select" ref={action_owner}>
                                    { owner_options(lang, app.staffing.data.as_deref(), None, None, None) }
                                </select>
                            </div>
                            <div class="field">
                                <label for="action-due">{ t(lang, Key::DueDate) }</label>
                                <input id="action-due" ref={action_due} type="date" />
                            </div>
                            <div class="form-actions field-wide">
                                { busy_button(lang, Some("add-action-button"), "button-secondary", adding_action, [Key::AddAction, Key::Adding], None) }
                                if pending_actions > 0 {
                                    { busy_button(lang, Some("actions-to-tasks-button"), "button-primary", converting, [Key::ActionsToTasks, Key::Scheduling], Some(to_tasks)) }
                                }
                            </div>
                        </form>
                    }
                </div>
                <div class="detail-card">
                    <h4 class="detail-section-title">{ t(lang, Key::DepartmentNumbers) }</h4>
                    if m.department_reports.is_empty() {
                        <p class="detail-empty">{ t(lang, Key::NoNumbers) }</p>
                    } else {
                        <div class="table-wrap">
                            <table class="numbers" id="department-reports">
                                <thead>
                                    <tr>
                                        <th scope="col">{ t(lang, Key::Department) }</th>
                                        <th scope="col" class="num">{ t(lang, Key::OpenCount) }</th>
                                        <th scope="col" class="num">{ t(lang, Key::DoneGroup) }</th>
                                        <th scope="col" class="num">{ t(lang, Key::OverdueCount) }</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    { for m.department_reports.iter().map(|r| html! {
                                        <tr>
                                            <th scope="row">{ r.department.clone() }</th>
                                            <td class="num">{ r.open }</td>
                                            <td class="num">{ r.done }</td>
                                            <td class={classes!("num", (r.overdue > 0).then_some("is-overdue"))}>{ r.overdue }</td>
                                        </tr>
                                    }) }
                                </tbody>
                            </table>
                        </div>
                    }
                </div>
            </article>
        </>
    }
}
