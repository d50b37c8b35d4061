//! The browser facilities the UI uses besides Tauri. All of them degrade quietly: a page
//! whose storage is blocked just forgets the language choice.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

const LANG_KEY: &str = "storeops.lang";

pub(crate) fn local_storage() -> Option<web_sys::Storage> {
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

/// Brings the element with this `id` into view where the page is one column (phones and
/// tablets), where it would otherwise appear below the fold; wider pages show it beside.
pub fn reveal_on_narrow(id: &str, one_column_below: f64) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let narrow = window
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w < one_column_below);
    if !narrow {
        return;
    }
    if let Some(el) = window.document().and_then(|d| d.get_element_by_id(id)) {
        el.scroll_into_view_with_bool(true);
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

/// The longest side, in pixels, of a photo sent with a problem report.
pub const PHOTO_MAX_SIDE: u32 = 1024;

/// The largest side that fits `max`, keeping the aspect ratio; never scaled up.
pub fn fit_within(width: u32, height: u32, max: u32) -> (u32, u32) {
    let longest = width.max(height);
    if longest <= max || longest == 0 {
        return (width, height);
    }
    let scale = f64::from(max) / f64::from(longest);
    let side = |v: u32| ((f64::from(v) * scale).round() as u32).max(1);
    (side(width), side(height))
}

/// A photo the user picked, scaled down to at most [`PHOTO_MAX_SIDE`] pixels and
/// re-encoded as JPEG at `quality` (0 to 1): a `data:image/jpeg;base64,…` URL.
pub async fn scale_photo(file: &web_sys::File, quality: f64) -> Result<String, String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let url = web_sys::Url::create_object_url_with_blob(file).map_err(|_| "no object URL")?;
    let image = web_sys::HtmlImageElement::new().map_err(|_| "no image element")?;
    image.set_src(&url);
    let decoded = wasm_bindgen_futures::JsFuture::from(image.decode()).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    decoded.map_err(|_| "the file is not an image this device can read")?;
    let (width, height) = fit_within(
        image.natural_width(),
        image.natural_height(),
        PHOTO_MAX_SIDE,
    );
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(|_| "no canvas")?
        .dyn_into()
        .map_err(|_| "no canvas")?;
    canvas.set_width(width);
    canvas.set_height(height);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .ok_or("no 2d context")?;
    context
        .draw_image_with_html_image_element_and_dw_and_dh(
            &image,
            0.0,
            0.0,
            f64::from(width),
            f64::from(height),
        )
        .map_err(|_| "could not draw the photo")?;
    canvas
        .to_data_url_with_type_and_encoder_options("image/jpeg", &JsValue::from_f64(quality))
        .map_err(|_| "could not encode the photo".to_owned())
}

/// Whether a WebDriver session drives this page (`navigator.webdriver`).
pub fn automated() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &JsValue::from_str("webdriver")).ok())
        .is_some_and(|v| v.is_truthy())
}

/// Opens the print dialog, except under WebDriver, where it would block the session.
pub fn print_page() {
    if automated() {
        return;
    }
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

#[cfg(test)]
mod tests {
    use super::fit_within;

    #[test]
    fn photos_shrink_to_fit_and_never_grow() {
        assert_eq!(fit_within(4032, 3024, 1024), (1024, 768));
        assert_eq!(fit_within(3024, 4032, 1024), (768, 1024));
        assert_eq!(fit_within(800, 600, 1024), (800, 600));
        assert_eq!(fit_within(5000, 10, 1024), (1024, 2));
    }
}
