//! The phone web app's page-side facilities: which shell runs the UI, the service
//! worker that keeps the app on the phone for offline starts (and how a new version
//! takes over only when asked), persistent storage, and the invite link the page was
//! opened with.

use wasm_bindgen::prelude::*;

use crate::services::browser::local_storage;
use wasm_bindgen_futures::JsFuture;

/// The service worker's script, beside the page.
/// The OPFS directory the worker keeps the device's database in (crates/web's storage).
const DATA_DIRECTORY: &str = "storeops";
/// Kept in the page's local storage while this browser is enrolled: if the database is
/// gone at the next start while this is not, the browser removed it.
const ENROLLED_MARK: &str = "storeops-enrolled";
const SERVICE_WORKER: &str = "sw.js";
/// What the page tells a waiting service worker to take over now.
const SKIP_WAITING: &str = "skip-waiting";

/// Whether the Tauri desktop shell runs this page (else: a browser, the web app).
pub fn in_tauri() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("__TAURI__")).ok())
        .is_some_and(|t| !t.is_undefined() && !t.is_null())
}

/// The page's origin, `https://host:port`: the relay that served it.
pub fn origin() -> Option<String> {
    web_sys::window()?.location().origin().ok()
}

/// The page's address (with its fragment).
pub fn href() -> Option<String> {
    web_sys::window()?.location().href().ok()
}

/// Shows the page's address as `path` from now on, without loading anything (e.g. drops
/// an invite code from the address bar once read).
pub fn replace_address(path: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(path));
    }
}

pub fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

fn service_workers() -> Option<web_sys::ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    // Missing outside a secure context: looked up rather than called.
    let container = js_sys::Reflect::get(&navigator, &JsValue::from_str("serviceWorker")).ok()?;
    (!container.is_undefined()).then(|| container.unchecked_into())
}

/// Registers the service worker; `on_update` runs when a new version has installed
/// while this page runs an older one (it waits until [`activate_update`]). Asks the
/// browser to keep the app's storage (not evicted under storage pressure).
pub fn install(on_update: impl Fn() + Clone + 'static) {
    if let Some(Ok(asked)) = web_sys::window().map(|w| w.navigator().storage().persist()) {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(asked).await;
        });
    }
    let Some(container) = service_workers() else {
        web_sys::console::warn_1(
            &"no service worker here (not a secure context?): the app will not open offline".into(),
        );
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let registration = match JsFuture::from(container.register(SERVICE_WORKER)).await {
            Ok(r) => r.unchecked_into::<web_sys::ServiceWorkerRegistration>(),
            Err(e) => {
                web_sys::console::warn_2(&"the service worker did not register".into(), &e);
                return;
            }
        };
        // Installed before this page loaded, and waiting for the old one's pages.
        if registration.waiting().is_some() && container.controller().is_some() {
            on_update();
        }
        let found = {
            let registration = registration.clone();
            Closure::<dyn FnMut()>::new(move || {
                let Some(installing) = registration.installing() else {
                    return;
                };
                let (worker, on_update) = (installing.clone(), on_update.clone());
                let changed = Closure::<dyn FnMut()>::new(move || {
                    let has_controller = service_workers().and_then(|c| c.controller()).is_some();
                    if worker.state() == web_sys::ServiceWorkerState::Installed && has_controller {
                        on_update();
                    }
                });
                installing.set_onstatechange(Some(changed.as_ref().unchecked_ref()));
                changed.forget();
            })
        };
        registration.set_onupdatefound(Some(found.as_ref().unchecked_ref()));
        found.forget();
    });
}

/// Lets the waiting new version take over, and reloads the page onto it.
pub fn activate_update() {
    let Some(container) = service_workers() else {
        return reload();
    };
    let on_change = Closure::<dyn FnMut()>::new(reload);
    container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
    wasm_bindgen_futures::spawn_local(async move {
        let waiting = match JsFuture::from(container.get_registration()).await {
            Ok(r) if !r.is_undefined() => r
                .unchecked_into::<web_sys::ServiceWorkerRegistration>()
                .waiting(),
            _ => None,
        };
        match waiting {
            Some(worker) => {
                let _ = worker.post_message(&JsValue::from_str(SKIP_WAITING));
            }
            None => reload(),
        }
    });
}

/// Remembers whether this browser holds an enrolled device (the web app only).
pub fn mark_enrolled(enrolled: bool) {
    if in_tauri() {
        return;
    }
    if let Some(storage) = local_storage() {
        let _ = if enrolled {
            storage.set_item(ENROLLED_MARK, "1")
        } else {
            storage.remove_item(ENROLLED_MARK)
        };
    }
}

/// This browser held an enrolled device, and nobody signed it out here: if it has no
/// device now, the browser cleared its storage (freeing space, or "clear site data").
pub fn was_enrolled() -> bool {
    !in_tauri()
        && local_storage()
            .and_then(|s| s.get_item(ENROLLED_MARK).ok().flatten())
            .is_some()
}

/// Deletes this browser's copy of the store (the device's database) and opens the app
/// again, to enrol afresh: what to do when that copy cannot be read. The device part
/// stops first, so that it lets go of the files; they are retried for a few seconds.
pub async fn start_afresh() -> Result<(), String> {
    crate::services::worker::stop();
    let storage = web_sys::window().ok_or("no window")?.navigator().storage();
    let root: web_sys::FileSystemDirectoryHandle = JsFuture::from(storage.get_directory())
        .await
        .map_err(|e| format!("{e:?}"))?
        .unchecked_into();
    let options = web_sys::FileSystemRemoveOptions::new();
    options.set_recursive(true);
    let mut last = String::new();
    for _ in 0..25 {
        match JsFuture::from(root.remove_entry_with_options(DATA_DIRECTORY, &options)).await {
            Ok(_) => {
                mark_enrolled(false);
                replace_address("/");
                reload();
                return Ok(());
            }
            Err(e) => {
                let name = js_sys::Reflect::get(&e, &JsValue::from_str("name"))
                    .ok()
                    .and_then(|n| n.as_string())
                    .unwrap_or_default();
                if name == "NotFoundError" {
                    mark_enrolled(false);
                    reload();
                    return Ok(());
                }
                last = format!("{name}: {e:?}");
            }
        }
        let pause = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 200);
            }
        });
        let _ = JsFuture::from(pause).await;
    }
    Err(last)
}
