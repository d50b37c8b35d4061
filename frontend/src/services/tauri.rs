//! Raw bindings to the global Tauri API (`withGlobalTauri: true`).
//!
//! The namespaces are looked up when a function is called. The imports are synchronous and
//! return the promise, rather than `async fn`s, so that a throw before any promise exists
//! (no `window.__TAURI__`, as in a plain browser) also comes back as `Err`: an imported
//! `async fn` with `catch` would still try to await the missing promise and abort.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

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

/// `window.__TAURI__.core.invoke(cmd, args)`.
pub async fn invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(invoke_promise(cmd, args)?).await
}

/// `window.__TAURI__.event.listen(event, handler)`; resolves to the unlisten function.
pub async fn listen(
    event: &str,
    handler: &Closure<dyn FnMut(JsValue)>,
) -> Result<JsValue, JsValue> {
    JsFuture::from(listen_promise(event, handler)?).await
}
