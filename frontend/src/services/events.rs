//! Subscriptions to the backend's events. The UI never polls: it refreshes when told to.

use wasm_bindgen::prelude::*;

use super::api::{CODE_BAD_REPLY, rejection};
use super::tauri;
use crate::model::{ApiError, SyncStatus};

/// Documents changed through sync: the task list and status should be fetched again.
pub const CHANGED: &str = "storeops://changed";
/// The sync state changed; the payload is a [`SyncStatus`].
pub const SYNC: &str = "storeops://sync";

/// Calls `handler` on every `storeops://changed`, for the life of the page.
pub async fn on_changed(mut handler: impl FnMut() + 'static) -> Result<(), ApiError> {
    subscribe(CHANGED, move |_event| handler()).await
}

/// Calls `handler` with the payload of every `storeops://sync`, for the life of the page.
pub async fn on_sync(
    mut handler: impl FnMut(Result<SyncStatus, ApiError>) + 'static,
) -> Result<(), ApiError> {
    subscribe(SYNC, move |event| handler(payload(&event))).await
}

async fn subscribe(name: &str, handler: impl FnMut(JsValue) + 'static) -> Result<(), ApiError> {
    let closure = Closure::<dyn FnMut(JsValue)>::new(handler);
    tauri::listen(name, &closure).await.map_err(rejection)?;
    // Subscribed once at start-up and never unsubscribed: the handler must outlive this call.
    closure.forget();
    Ok(())
}

/// A Tauri event is `{ event, id, payload }`.
fn payload<T: serde::de::DeserializeOwned>(event: &JsValue) -> Result<T, ApiError> {
    let payload = js_sys::Reflect::get(event, &JsValue::from_str("payload")).map_err(rejection)?;
    serde_wasm_bindgen::from_value(payload).map_err(|e| ApiError {
        code: CODE_BAD_REPLY.to_owned(),
        message: format!("{SYNC}: {e}"),
    })
}
