//! The browser facilities the UI uses besides Tauri. All of them degrade quietly: a page
//! whose storage is blocked just forgets the language choice.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

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
