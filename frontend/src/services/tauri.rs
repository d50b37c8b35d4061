//! The Tauri shell as a [`Backend`]: one Tauri command, `call`, takes any [`Request`]
//! (`invoke("call", { request })`) and resolves to the command's output as JSON, or
//! rejects with an [`ApiError`]; the shell emits `storeops://changed` (no payload) and
//! `storeops://sync` (a [`SyncStatus`]).
//!
//! The global Tauri API (`withGlobalTauri: true`) is looked up when a function is called.
//! The imports are synchronous and return the promise, rather than `async fn`s, so that a
//! throw before any promise exists (no `window.__TAURI__`, as in a plain browser) also
//! comes back as `Err`: an imported `async fn` with `catch` would still try to await the
//! missing promise and abort.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use js_sys::Promise;
use serde::Serialize;
use storeops_api::status::SyncStatus;
use storeops_api::{ApiError, ErrorCode, Reply, Request};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::backend::{Backend, Event, EventHandler, Pending};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    fn invoke_promise(cmd: &str, args: JsValue) -> Result<Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], js_name = listen, catch)]
    fn listen_promise(
        event: &str,
        handler: &Closure<dyn FnMut(JsValue)>,
    ) -> Result<Promise, JsValue>;
}

/// The shell's one command.
const CALL: &str = "call";
/// Documents changed through sync.
const CHANGED: &str = "storeops://changed";
/// The sync state changed; the payload is a [`SyncStatus`].
const SYNC: &str = "storeops://sync";

/// The Tauri shell's IPC.
#[derive(Default)]
pub struct TauriBackend {
    /// Where events go: the handler of the latest [`Backend::listen`].
    handler: Rc<RefCell<Option<EventHandler>>>,
    /// The events subscribed to so far; each is subscribed once for the page's life.
    subscribed: Rc<RefCell<BTreeSet<&'static str>>>,
}

impl std::fmt::Debug for TauriBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TauriBackend")
            .field("subscribed", &self.subscribed.borrow())
            .finish_non_exhaustive()
    }
}

#[derive(Serialize)]
struct CallArgs<'a> {
    request: &'a Request,
}

impl Backend for TauriBackend {
    fn call(&self, request: Request) -> Pending<Reply> {
        Box::pin(async move {
            let name = request.name();
            // `None` goes over as `null`, not as a missing key; maps as plain objects.
            let serializer = serde_wasm_bindgen::Serializer::new()
                .serialize_missing_as_null(true)
                .serialize_maps_as_objects(true);
            let args = CallArgs { request: &request }
                .serialize(&serializer)
                .map_err(|e| ApiError::new(ErrorCode::BadReply, format!("{name}: {e}")))?;
            let promise = invoke_promise(CALL, args).map_err(rejection)?;
            let reply = JsFuture::from(promise).await.map_err(rejection)?;
            serde_wasm_bindgen::from_value(reply)
                .map_err(|e| ApiError::new(ErrorCode::BadReply, format!("{name}: {e}")))
        })
    }

    fn listen(&self, handler: EventHandler) -> Pending<()> {
        *self.handler.borrow_mut() = Some(handler);
        let (current, subscribed) = (self.handler.clone(), self.subscribed.clone());
        Box::pin(async move {
            for name in [CHANGED, SYNC] {
                if subscribed.borrow().contains(name) {
                    continue;
                }
                let current = current.clone();
                let closure = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                    let handler = current.borrow().clone();
                    if let Some(handler) = handler {
                        handler(read_event(name, &event));
                    }
                });
                let promise = listen_promise(name, &closure).map_err(rejection)?;
                JsFuture::from(promise).await.map_err(rejection)?;
                // Never unsubscribed: the handler must outlive this call.
                closure.forget();
                subscribed.borrow_mut().insert(name);
            }
            Ok(())
        })
    }
}

/// A Tauri event is `{ event, id, payload }`.
fn read_event(name: &'static str, event: &JsValue) -> Result<Event, ApiError> {
    if name == CHANGED {
        return Ok(Event::Changed);
    }
    let payload = js_sys::Reflect::get(event, &JsValue::from_str("payload")).map_err(rejection)?;
    serde_wasm_bindgen::from_value::<SyncStatus>(payload)
        .map(Event::Sync)
        .map_err(|e| ApiError::new(ErrorCode::BadReply, format!("{name}: {e}")))
}

/// Reads whatever a rejected promise carried: the device's `{ code, message }`, a JS
/// exception (Tauri itself cannot be reached), or anything else (a bare string, as Tauri
/// reports e.g. arguments it cannot read).
fn rejection(value: JsValue) -> ApiError {
    // First: a JS `Error` has a `message` too, and would otherwise pass for the device's.
    if let Some(err) = value.dyn_ref::<js_sys::Error>() {
        return ApiError::new(ErrorCode::Unavailable, String::from(err.message()));
    }
    if let Ok(err) = serde_wasm_bindgen::from_value::<ApiError>(value.clone()) {
        return err;
    }
    let message = value.as_string().unwrap_or_else(|| {
        js_sys::JSON::stringify(&value)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| "unknown error".to_owned())
    });
    ApiError::new(ErrorCode::BadReply, message)
}
