//! One tab owns the device's database at a time: its worker holds the Web Lock
//! [`LOCK`] for as long as it lives. A second tab's worker finds it taken, says so, and
//! takes it only when the user asks; the tab it was taken from is told and stops.

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::js::scope;

// The Web Locks API (web-sys has it only behind its unstable-APIs flag).
#[wasm_bindgen]
extern "C" {
    type LockManager;

    #[wasm_bindgen(method, catch)]
    fn request(
        this: &LockManager,
        name: &str,
        options: &JsValue,
        callback: &JsValue,
    ) -> Result<Promise, JsValue>;
}

/// The lock's name, per origin.
const LOCK: &str = "storeops-device";

/// Asks for the lock: `steal` takes it from the tab that holds it. `Ok(true)` once it
/// is held (until the worker ends, or another tab steals it: `on_lost` runs then);
/// `Ok(false)` when another tab holds it and `steal` was not asked.
pub(crate) async fn acquire(
    steal: bool,
    on_lost: impl FnOnce() + 'static,
) -> Result<bool, JsValue> {
    let locks: LockManager =
        Reflect::get(&scope().navigator(), &JsValue::from_str("locks"))?.unchecked_into();
    let (granted_tx, granted_rx) = tokio::sync::oneshot::channel::<bool>();
    let callback = Closure::once_into_js(move |lock: JsValue| -> Promise {
        let granted = !lock.is_null();
        let _ = granted_tx.send(granted);
        if granted {
            // Held for the worker's life: a promise that never settles.
            Promise::new(&mut |_, _| {})
        } else {
            Promise::resolve(&JsValue::UNDEFINED)
        }
    });
    let options = Object::new();
    let flag = if steal { "steal" } else { "ifAvailable" };
    Reflect::set(&options, &JsValue::from_str(flag), &JsValue::TRUE)?;
    let held = locks.request(LOCK, &options, &callback)?;
    let granted = granted_rx
        .await
        .map_err(|_| JsValue::from_str("the browser did not answer the lock request"))?;
    if granted {
        // The request's promise settles only when the lock goes: stolen by another tab.
        wasm_bindgen_futures::spawn_local(async move {
            if JsFuture::from(held).await.is_err() {
                on_lost();
            }
        });
    }
    Ok(granted)
}
