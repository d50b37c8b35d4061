//! The duty register's commands and filter, and "my duties".

use storeops_api::command::{AddDuty, EditDuty, GetMyDuties, TaskFromDuty};
use yew::Callback;

use crate::org::editing::DutyDraft;
use crate::services::call;
use crate::shell::controller::navigate;
use crate::shell::run::{Dispatch, fetch, refused, save};
use crate::shell::state::{Action, DutyFilter, Op, Screen};

pub fn set_duty_filter(d: &Dispatch, filter: DutyFilter) {
    d.dispatch(Action::SetDutyFilter(filter));
}

/// From the org chart's "uncovered duties": the duty register, showing only those.
pub fn show_uncovered_duties(d: &Dispatch) {
    d.dispatch(Action::SetDutyFilter(DutyFilter {
        uncovered_only: true,
        cadence: None,
    }));
    navigate(d, Screen::Duties);
}

/// `my_duties`, on the Duties screen. Quiet on failure (the register below is the
/// screen's main content and says so itself); the console keeps the reason.
pub fn load_my_duties(d: Dispatch) {
    fetch(&d, GetMyDuties {}, false, |d, duties, asked_at| {
        d.dispatch(Action::MyDutiesLoaded { duties, asked_at });
    });
}

/// What the duty form submits; `done` closes it once saved.
#[derive(Clone, Debug, PartialEq)]
pub struct DutyRequest {
    pub draft: DutyDraft,
    pub done: Callback<()>,
}

pub fn save_duty(d: &Dispatch, req: DutyRequest) {
    let edit = match req.draft.checked() {
        Ok(edit) => edit,
        Err(key) => return refused(d, key),
    };
    let (text, owner, cadence, raci) = (edit.text, edit.owner, edit.cadence, edit.raci);
    let command = async move {
        match edit.id {
            None => {
                call(AddDuty {
                    text,
                    owner,
                    cadence,
                    raci,
                })
                .await
            }
            Some(duty_id) => {
                call(EditDuty {
                    duty_id,
                    text,
                    owner,
                    cadence,
                    raci,
                })
                .await
            }
        }
    };
    save(d, Op::EditDuty, command, move |d, duties, at| {
        d.dispatch(Action::DutiesLoaded {
            duties,
            asked_at: at,
        });
        req.done.emit(());
        load_my_duties(d.clone());
    });
}

/// "Create task now" on a duty: a task due today for the duty's owner, then shown.
pub fn task_from_duty(d: &Dispatch, duty_id: String) {
    let op = Op::TaskFromDuty(duty_id.clone());
    save(
        d,
        op,
        call(TaskFromDuty { duty_id, due: None }),
        |d, task, at| {
            let id = task.id.clone();
            d.dispatch(Action::TaskSaved { task, at });
            crate::tasks::calls::open_task(d, id);
        },
    );
}
