//! One typed async function per backend command.
//!
//! Arguments go over as a JS object with camelCase keys; results come back as JSON shaped
//! like `crate::model`. A rejected promise becomes an [`ApiError`].

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

use super::tauri;
use crate::model::{ApiError, AppStatus, DutyRegister, Invite, OrgChart, SyncStatus, TaskView};

/// `code` of an error raised on this side of the bridge because Tauri itself could not be
/// reached (no `window.__TAURI__`, or it threw).
pub const CODE_UNAVAILABLE: &str = "ui.unavailable";
/// `code` of an error raised because a reply did not have the expected shape.
pub const CODE_BAD_REPLY: &str = "ui.bad_reply";

pub async fn status() -> Result<AppStatus, ApiError> {
    call("status", &NoArgs {}).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EnrolArgs<'a> {
    relay_url: &'a str,
    code: &'a str,
    device_name: &'a str,
}

pub async fn enrol(relay_url: &str, code: &str, device_name: &str) -> Result<AppStatus, ApiError> {
    let args = EnrolArgs {
        relay_url,
        code,
        device_name,
    };
    call("enrol", &args).await
}

pub async fn list_tasks() -> Result<Vec<TaskView>, ApiError> {
    call("list_tasks", &NoArgs {}).await
}

#[derive(Serialize)]
struct AddTaskArgs<'a> {
    title: &'a str,
}

pub async fn add_task(title: &str) -> Result<TaskView, ApiError> {
    call("add_task", &AddTaskArgs { title }).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SetTaskStatusArgs<'a> {
    task_id: &'a str,
    status: &'a str,
}

pub async fn set_task_status(task_id: &str, status: &str) -> Result<TaskView, ApiError> {
    call("set_task_status", &SetTaskStatusArgs { task_id, status }).await
}

pub async fn sync_now() -> Result<SyncStatus, ApiError> {
    call("sync_now", &NoArgs {}).await
}

pub async fn org_chart() -> Result<OrgChart, ApiError> {
    call("org_chart", &NoArgs {}).await
}

pub async fn duty_register() -> Result<DutyRegister, ApiError> {
    call("duty_register", &NoArgs {}).await
}

#[derive(Serialize)]
struct CreateInviteArgs<'a> {
    role: &'a str,
}

/// `role` is `"staff"` or `"manager"`.
pub async fn create_invite(role: &str) -> Result<Invite, ApiError> {
    call("create_invite", &CreateInviteArgs { role }).await
}

/// Leaves the store; `status` reports `enrolled: false` afterwards.
pub async fn sign_out() -> Result<(), ApiError> {
    // The reply is `null`; whatever else comes back is ignored, not an error.
    call::<_, serde::de::IgnoredAny>("sign_out", &NoArgs {})
        .await
        .map(|_| ())
}

#[derive(Serialize)]
struct NoArgs {}

async fn call<A: Serialize, R: DeserializeOwned>(cmd: &str, args: &A) -> Result<R, ApiError> {
    let args = serde_wasm_bindgen::to_value(args).map_err(|e| ApiError {
        code: CODE_BAD_REPLY.to_owned(),
        message: format!("{cmd}: {e}"),
    })?;
    let reply = tauri::invoke(cmd, args).await.map_err(rejection)?;
    serde_wasm_bindgen::from_value(reply).map_err(|e| ApiError {
        code: CODE_BAD_REPLY.to_owned(),
        message: format!("{cmd}: {e}"),
    })
}

/// Reads whatever a rejected promise carried: the backend's `{ code, message }`, a bare
/// string (how Tauri itself reports e.g. an unknown command), or a JS exception.
pub(super) fn rejection(value: JsValue) -> ApiError {
    // First: a JS `Error` has a `message` too, and would otherwise pass for the backend's.
    if let Some(err) = value.dyn_ref::<js_sys::Error>() {
        return ApiError {
            code: CODE_UNAVAILABLE.to_owned(),
            message: String::from(err.message()),
        };
    }
    if let Ok(err) = serde_wasm_bindgen::from_value::<ApiError>(value.clone()) {
        return err;
    }
    if let Some(message) = value.as_string() {
        return ApiError {
            code: String::new(),
            message,
        };
    }
    let message = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| "unknown error".to_owned());
    ApiError {
        code: String::new(),
        message,
    }
}
