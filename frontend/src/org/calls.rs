//! What happens when a manager edits the org chart or adds a person: checks, then
//! commands through [`call`], then [`Action`]s.

use std::rc::Rc;

use storeops_api::ApiError;
use storeops_api::command::{
    AddDepartment, AddPerson, AddPosition, EditPosition, GetOrgChart, GetStaffing, MoveDepartment,
    RenameDepartment, SetDepartmentHead, SetPersonActive, SetPersonPositions,
};
use storeops_api::org::{OrgChart, OrgDepartment};
use yew::Callback;

use crate::i18n::Key;
use crate::org::editing::{DepartmentDraft, PositionDraft, all_positions};
use crate::services::call;
use crate::shell::controller::{ScreenQuery, load_screen};
use crate::shell::run::{Dispatch, fetch, refused, save};
use crate::shell::state::{Action, Op, Screen};

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

/// What the add-person form submits; `added` is called once the person is saved.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonRequest {
    pub name: String,
    pub contact: String,
    /// The id of the position they take.
    pub position: Option<String>,
    pub added: Callback<()>,
}

/// Adds a person; then the org chart (and the pickers) are fetched again.
pub fn add_person(d: &Dispatch, req: PersonRequest) {
    let name = req.name.trim().to_owned();
    if name.is_empty() {
        return refused(d, Key::PersonNameNeeded);
    }
    let contact = req.contact.trim().to_owned();
    let command = call(AddPerson {
        name,
        contact,
        position: req.position,
    });
    save(d, Op::AddPerson, command, move |d, _person_id, _| {
        req.added.emit(());
        let query = ScreenQuery {
            screen: Screen::Org,
            task: None,
            manager: true,
        };
        load_screen(d.clone(), query);
    });
}
