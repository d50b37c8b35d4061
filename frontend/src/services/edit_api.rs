//! The commands that edit the org chart and the duty register, `my_duties`, and
//! `open_store` (see `docs/design/app-api.md`). Same bridge as [`super::api`].

use serde::Serialize;

use super::api::{NoArgs, call};
use crate::editing::{MyDuty, Raci};
use crate::model::{ApiError, AppStatus, DutyRegister, OrgChart, TaskView};

#[derive(Serialize)]
struct AddDepartmentArgs<'a> {
    name: &'a str,
    parent: Option<&'a str>,
}

pub async fn add_department(name: &str, parent: Option<&str>) -> Result<OrgChart, ApiError> {
    call("add_department", &AddDepartmentArgs { name, parent }).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RenameDepartmentArgs<'a> {
    department_id: &'a str,
    name: &'a str,
}

pub async fn rename_department(department_id: &str, name: &str) -> Result<OrgChart, ApiError> {
    let args = RenameDepartmentArgs {
        department_id,
        name,
    };
    call("rename_department", &args).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MoveDepartmentArgs<'a> {
    department_id: &'a str,
    parent: Option<&'a str>,
}

pub async fn move_department(
    department_id: &str,
    parent: Option<&str>,
) -> Result<OrgChart, ApiError> {
    let args = MoveDepartmentArgs {
        department_id,
        parent,
    };
    call("move_department", &args).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SetDepartmentHeadArgs<'a> {
    department_id: &'a str,
    position: Option<&'a str>,
}

pub async fn set_department_head(
    department_id: &str,
    position: Option<&str>,
) -> Result<OrgChart, ApiError> {
    let args = SetDepartmentHeadArgs {
        department_id,
        position,
    };
    call("set_department_head", &args).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AddPositionArgs<'a> {
    department: &'a str,
    title: &'a str,
    reports_to: Option<&'a str>,
    headcount: u32,
}

pub async fn add_position(
    department: &str,
    title: &str,
    reports_to: Option<&str>,
    headcount: u32,
) -> Result<OrgChart, ApiError> {
    let args = AddPositionArgs {
        department,
        title,
        reports_to,
        headcount,
    };
    call("add_position", &args).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EditPositionArgs<'a> {
    position_id: &'a str,
    title: &'a str,
    department: &'a str,
    reports_to: Option<&'a str>,
    headcount: u32,
}

pub async fn edit_position(
    position_id: &str,
    title: &str,
    department: &str,
    reports_to: Option<&str>,
    headcount: u32,
) -> Result<OrgChart, ApiError> {
    let args = EditPositionArgs {
        position_id,
        title,
        department,
        reports_to,
        headcount,
    };
    call("edit_position", &args).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SetPersonPositionsArgs<'a> {
    person_id: &'a str,
    positions: &'a [String],
}

pub async fn set_person_positions(
    person_id: &str,
    positions: &[String],
) -> Result<OrgChart, ApiError> {
    let args = SetPersonPositionsArgs {
        person_id,
        positions,
    };
    call("set_person_positions", &args).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SetPersonActiveArgs<'a> {
    person_id: &'a str,
    active: bool,
}

pub async fn set_person_active(person_id: &str, active: bool) -> Result<OrgChart, ApiError> {
    call(
        "set_person_active",
        &SetPersonActiveArgs { person_id, active },
    )
    .await
}

#[derive(Serialize)]
struct AddDutyArgs<'a> {
    text: &'a str,
    owner: Option<&'a str>,
    cadence: &'a str,
    raci: Option<&'a Raci>,
}

pub async fn add_duty(
    text: &str,
    owner: Option<&str>,
    cadence: &str,
    raci: Option<&Raci>,
) -> Result<DutyRegister, ApiError> {
    let args = AddDutyArgs {
        text,
        owner,
        cadence,
        raci,
    };
    call("add_duty", &args).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EditDutyArgs<'a> {
    duty_id: &'a str,
    text: &'a str,
    owner: Option<&'a str>,
    cadence: &'a str,
    raci: Option<&'a Raci>,
}

pub async fn edit_duty(
    duty_id: &str,
    text: &str,
    owner: Option<&str>,
    cadence: &str,
    raci: Option<&Raci>,
) -> Result<DutyRegister, ApiError> {
    let args = EditDutyArgs {
        duty_id,
        text,
        owner,
        cadence,
        raci,
    };
    call("edit_duty", &args).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TaskFromDutyArgs<'a> {
    duty_id: &'a str,
    due: Option<&'a str>,
}

/// An ad-hoc task for the duty's owner; due today when `due` is `None`.
pub async fn task_from_duty(duty_id: &str, due: Option<&str>) -> Result<TaskView, ApiError> {
    call("task_from_duty", &TaskFromDutyArgs { duty_id, due }).await
}

pub async fn my_duties() -> Result<Vec<MyDuty>, ApiError> {
    call("my_duties", &NoArgs {}).await
}

/// What `open_store` takes as `store`: its keys are snake_case, as the backend reads them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewStore {
    pub code: String,
    pub name: String,
    pub template: String,
    pub locale: String,
    pub time_zone: String,
    pub device_name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OpenStoreArgs<'a> {
    relay_url: &'a str,
    store: &'a NewStore,
}

pub async fn open_store(relay_url: &str, store: &NewStore) -> Result<AppStatus, ApiError> {
    call("open_store", &OpenStoreArgs { relay_url, store }).await
}
