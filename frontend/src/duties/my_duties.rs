use crate::shell::context::{use_app, use_dispatch, use_lang, use_today};
use storeops_api::org::MyDuty;
use yew::prelude::*;

use crate::duties::duty_register::cadence_badge;
use crate::i18n::{self, Key, t};
use crate::tasks::calls::open_task;
use crate::ui::wire;

/// The standing duties that are mine: how often, in which RACI role, and the next task
/// each has generated (tap to open it).
#[function_component(MyDuties)]
pub fn my_duties() -> Html {
    let lang = use_lang();
    let app = use_app();
    let d = use_dispatch();
    let today = use_today();
    // `None` until `my_duties` answers.
    let Some(duties) = app.my_duties.data.as_ref() else {
        return html! {};
    };
    let item = |duty: &MyDuty| {
        let role = match duty.raci_role {
            Some(role) => i18n::raci_label(lang, role),
            None => t(lang, Key::YourDuty),
        };
        let next = match &duty.next_task {
            Some(task) => {
                let on_open = {
                    let (d, id) = (d.clone(), task.id.clone());
                    Callback::from(move |_: MouseEvent| open_task(&d, id.clone()))
                };
                let due = task.due.as_deref().map(|date| {
                    let is_today = date == today.as_str();
                    let late = date < today.as_str() && task.status.is_open();
                    html! {
                        <time
                            class={classes!("badge", is_today.then_some("due-today"), late.then_some("due-overdue"))}
                            datetime={date.to_owned()}
                        >
                            {
                                if is_today {
                                    t(lang, Key::DueToday).to_owned()
                                } else if late {
                                    i18n::overdue(lang, date)
                                } else {
                                    i18n::due_on(lang, date)
                                }
                            }
                        </time>
                    }
                });
                html! {
                    <button type="button" class="link-button my-duty-next" data-task-id={task.id.clone()} onclick={on_open}>
                        <span class="my-duty-next-title">{ i18n::next_task(lang, &task.title) }</span>
                        { for due }
                    </button>
                }
            }
            None => html! { <span class="my-duty-none">{ t(lang, Key::NoNextTask) }</span> },
        };
        html! {
            <li class="my-duty" key={duty.id.clone()} data-id={duty.id.clone()}>
                <p class="duty-text">{ duty.text.clone() }</p>
                <div class="duty-meta">
                    { cadence_badge(lang, duty.cadence) }
                    <span class="badge raci-badge" data-role={duty.raci_role.map_or_else(|| "owner".to_owned(), wire::name)}>{ role }</span>
                    if !duty.owner.is_empty() {
                        <span class="badge badge-owner">{ duty.owner.clone() }</span>
                    }
                </div>
                <div class="my-duty-task">{ next }</div>
            </li>
        }
    };
    html! {
        <section id="my-duties" class="my-duties" aria-labelledby="my-duties-title">
            <h3 class="my-duties-title" id="my-duties-title">{ t(lang, Key::MyDuties) }</h3>
            if duties.is_empty() {
                <p class="empty">{ t(lang, Key::NoMyDuties) }</p>
            } else {
                <ul class="my-duty-list">{ for duties.iter().map(item) }</ul>
            }
        </section>
    }
}
