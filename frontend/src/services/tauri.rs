//! Raw bindings to the global Tauri API (`withGlobalTauri: true`).
//!
//! The namespaces are looked up when a function is called, so a page opened without Tauri
//! (a plain browser) fails each call with a `TypeError`, which `catch` turns into `Err`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `window.__TAURI__.core.invoke(cmd, args)`.
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], catch)]
    pub async fn invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    /// `window.__TAURI__.event.listen(event, handler)`; resolves to the unlisten function.
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], catch)]
    pub async fn listen(
        event: &str,
        handler: &Closure<dyn FnMut(JsValue)>,
    ) -> Result<JsValue, JsValue>;
}
