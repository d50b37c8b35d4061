//! What happens when a manager edits the org chart or the duty register, when "my
//! duties" are fetched, and when a new store is opened: checks, then commands through
//! [`call`], then [`Action`]s. Like `crate::shell::controller`, whose conventions it follows;
//! kept apart so each file stays about one thing.

use std::rc::Rc;

use storeops_api::ApiError;
use storeops_api::command::{
    AddDepartment, AddDuty, AddPosition, EditDuty, EditPosition, GetMyDuties, GetOrgChart,
    GetStaffing, MoveDepartment, OpenStore, RenameDepartment, SetDepartmentHead, SetPersonActive,
    SetPersonPositions, TaskFromDuty,
};
use storeops_api::org::{OrgChart, OrgDepartment};
use storeops_api::relay::NewStore;
use yew::Callback;

use crate::i18n::Key;
use crate::org::editing::{DepartmentDraft, DutyDraft, PositionDraft, all_positions};
use crate::services::call;
use crate::shell::run::{Dispatch, fetch, refused, save};
use crate::shell::state::{Action, Op, ticket};

/// Runs an org chart command with [`Op::EditOrg`] busy; on success shows the chart it
/// returned and calls `done`.
fn change_org<F>(d: &Dispatch, command: F, done: Callback<()>)
where
    F: std::future::Future<Output = Result<OrgChart, ApiError>> + 'static,
{
    save(d, Op::EditOrg, command, move |d, org, at| {
        // The chart a command returned is the newest there is; the pickers' positions
        // and people may have changed with it, so they are fetched again.
        d.dispatch(Action::OrgLoaded { org, asked_at: at });
        fetch(d, GetStaffing {}, false, |d, staffing, asked_at| {
            d.dispatch(Action::StaffingLoaded { staffing, asked_at });
        });
        done.emit(());
    });
}

/// `my_duties`, on the Duties screen. Quiet on failure (the register below is the
/// screen's main content and says so itself); the console keeps the reason.
pub fn load_my_duties(d: Dispatch) {
    fetch(&d, GetMyDuties {}, false, |d, duties, asked_at| {
        d.dispatch(Action::MyDutiesLoaded { duties, asked_at });
    });
}

/// What the department form submits; `done` closes it once saved.
#[derive(Clone, Debug, PartialEq)]
pub struct DepartmentRequest {
    pub draft: DepartmentDraft,
    /// The chart the form was filled in from, to check against and compare with.
    pub org: Rc<OrgChart>,
    pub done: Callback<()>,
}

/// A new department, or an existing one's name, parent and head: only the commands for
/// what changed, one after another.
pub fn save_department(d: &Dispatch, req: DepartmentRequest) {
    let draft = match req.draft.checked(&req.org.departments) {
        Ok(draft) => draft,
        Err(key) => return refused(d, key),
    };
    let before: Option<OrgDepartment> = draft
        .id
        .as_ref()
        .and_then(|id| req.org.departments.iter().find(|x| &x.id == id).cloned());
    let command = async move {
        let Some(id) = draft.id.clone() else {
            let DepartmentDraft { name, parent, .. } = draft;
            return call(AddDepartment { name, parent }).await;
        };
        let mut org = None;
        let unchanged = |f: &dyn Fn(&OrgDepartment) -> bool| before.as_ref().is_some_and(f);
        if !unchanged(&|b| b.name == draft.name) {
            let name = draft.name.clone();
            let department_id = id.clone();
            org = Some(
                call(RenameDepartment {
                    department_id,
                    name,
                })
                .await?,
            );
        }
        if !unchanged(&|b| b.parent == draft.parent) {
            let parent = draft.parent.clone();
            let department_id = id.clone();
            org = Some(
                call(MoveDepartment {
                    department_id,
                    parent,
                })
                .await?,
            );
        }
        if !unchanged(&|b| b.head == draft.head) {
            let position = draft.head.clone();
            let department_id = id;
            org = Some(
                call(SetDepartmentHead {
                    department_id,
                    position,
                })
                .await?,
            );
        }
        match org {
            Some(org) => Ok(org),
            // Nothing changed: show the chart as it is.
            None => call(GetOrgChart {}).await,
        }
    };
    change_org(d, command, req.done);
}

/// What the position form submits; `done` closes it once saved.
#[derive(Clone, Debug, PartialEq)]
pub struct PositionRequest {
    pub draft: PositionDraft,
    pub org: Rc<OrgChart>,
    pub done: Callback<()>,
}

pub fn save_position(d: &Dispatch, req: PositionRequest) {
    let edit = match req.draft.checked(&all_positions(&req.org.departments)) {
        Ok(edit) => edit,
        Err(key) => return refused(d, key),
    };
    let command = async move {
        match edit.id {
            None => {
                call(AddPosition {
                    department: edit.department,
                    title: edit.title,
                    reports_to: edit.reports_to,
                    headcount: edit.headcount,
                })
                .await
            }
            Some(position_id) => {
                call(EditPosition {
                    position_id,
                    title: edit.title,
                    department: edit.department,
                    reports_to: edit.reports_to,
                    headcount: edit.headcount,
                })
                .await
            }
        }
    };
    change_org(d, command, req.done);
}

/// The positions a person holds, all of them (none: they hold none).
pub fn save_person_positions(
    d: &Dispatch,
    person_id: String,
    positions: Vec<String>,
    done: Callback<()>,
) {
    let command = call(SetPersonPositions {
        person_id,
        positions,
    });
    change_org(d, command, done);
}

/// Someone left (`active` false), or came back.
pub fn set_person_active(d: &Dispatch, person_id: String, active: bool, done: Callback<()>) {
    let command = call(SetPersonActive { person_id, active });
    change_org(d, command, done);
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
            crate::shell::controller::open_task(d, id);
        },
    );
}

/// What the new-store form submits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenStoreRequest {
    pub relay_url: String,
    pub store: NewStore,
}

impl OpenStoreRequest {
    /// Trims every field; refuses one left empty.
    pub fn checked(mut self) -> Result<Self, Key> {
        let s = &mut self.store;
        for field in [
            &mut self.relay_url,
            &mut s.code,
            &mut s.name,
            &mut s.device_name,
            &mut s.time_zone,
        ] {
            *field = field.trim().to_owned();
            if field.is_empty() {
                return Err(Key::FillStoreFields);
            }
        }
        Ok(self)
    }
}

/// "Open store" on the first-run screen: like enrolling, the status it returns shows the
/// new store's screens.
pub fn open_store(d: &Dispatch, req: OpenStoreRequest) {
    let req = match req.checked() {
        Ok(req) => req,
        Err(key) => return refused(d, key),
    };
    let asked_at = ticket();
    let command = call(OpenStore {
        relay_url: req.relay_url,
        store: req.store,
    });
    crate::shell::run::run(d, Op::OpenStore, command, move |d, status, _| {
        d.dispatch(Action::StatusLoaded { status, asked_at });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> OpenStoreRequest {
        OpenStoreRequest {
            relay_url: " http://127.0.0.1:8787 ".into(),
            store: NewStore {
                code: " NEW-1 ".into(),
                name: " 人民路店 ".into(),
                template: "plan2".into(),
                locale: "zh-CN".into(),
                time_zone: "Asia/Shanghai".into(),
                device_name: "店长的电脑".into(),
            },
        }
    }

    #[test]
    fn a_new_store_request_is_trimmed() {
        let req = request().checked();
        let req = req.as_ref().map(|r| {
            (
                r.relay_url.as_str(),
                r.store.name.as_str(),
                r.store.code.as_str(),
            )
        });
        assert_eq!(req, Ok(("http://127.0.0.1:8787", "人民路店", "NEW-1")));
    }

    #[test]
    fn a_new_store_needs_every_field() {
        let mut req = request();
        req.store.name = "  ".into();
        assert_eq!(req.checked(), Err(Key::FillStoreFields));
        let mut req = request();
        req.store.code = String::new();
        assert_eq!(req.checked(), Err(Key::FillStoreFields));
    }
}
