//! The browser facilities the UI uses besides Tauri. All of them degrade quietly: a page
//! whose storage is blocked just forgets the language choice.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

const LANG_KEY: &str = "storeops.lang";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The language tag the user last chose with the language toggle.
pub fn stored_lang() -> Option<String> {
    local_storage()?.get_item(LANG_KEY).ok().flatten()
}

pub fn store_lang(tag: &str) {
    if let Some(storage) = local_storage() {
        // Best effort: storage can be full or disabled; the choice then lasts for this session.
        let _ = storage.set_item(LANG_KEY, tag);
    }
}

/// `navigator.language`, e.g. `"zh-CN"` or `"en-GB"`.
pub fn browser_language() -> Option<String> {
    web_sys::window()?.navigator().language()
}

/// Sets `<html lang>` (so the right CJK glyphs and hyphenation are used) and the title.
pub fn set_document_lang_and_title(tag: &str, title: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("lang", tag);
    }
    document.set_title(title);
}

/// Back to the top of the page, e.g. when another screen is shown.
pub fn scroll_to_top() {
    if let Some(window) = web_sys::window() {
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Runs `f` once, `ms` milliseconds from now.
pub fn after(ms: i32, f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let callback = Closure::once_into_js(f);
    if let Some(callback) = callback.dyn_ref::<js_sys::Function>() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(callback, ms);
    }
}

/// Puts `text` on the clipboard. Fails where the page may not write to it (no
/// `navigator.clipboard` outside a secure context, or permission refused).
pub async fn copy_text(text: &str) -> Result<(), ()> {
    let navigator = web_sys::window().ok_or(())?.navigator();
    // Looked up rather than called directly: where it is missing, a direct call would throw
    // past the wasm boundary.
    let clipboard =
        js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).map_err(|_| ())?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return Err(());
    }
    let clipboard: web_sys::Clipboard = clipboard.unchecked_into();
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|_| ())
}
