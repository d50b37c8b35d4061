//! The browser shell of the Storeops device: the same device side as the desktop app
//! (`storeops-client`: replica, period documents, commands, views) running in a
//! dedicated Web Worker, compiled to wasm. The page (the Yew UI) sends it commands
//! through `postMessage` (`storeops_api::worker`); this crate brings the IO the
//! browser has:
//!
//! - [`storage`](crate): the device's SQLite database in the origin's private file
//!   system (OPFS), through the "sync access handle pool" VFS, so a change is on disk
//!   before the UI says "Saved";
//! - [`owner`](crate): one tab's worker owns the database at a time (a Web Lock);
//! - [`link`](crate): the browser's WebSocket to the relay's `/sync`, reconnecting
//!   with backoff, driving the replica's sync engine;
//! - [`http`](crate): the relay's HTTP API through a synchronous `XMLHttpRequest`
//!   (allowed in workers; commands are synchronous on the device side).
//!
//! Outside wasm the crate is empty, so the workspace builds and lints it everywhere.

#[cfg(target_family = "wasm")]
mod http;
#[cfg(target_family = "wasm")]
mod js;
#[cfg(target_family = "wasm")]
mod link;
#[cfg(target_family = "wasm")]
mod owner;
#[cfg(target_family = "wasm")]
mod storage;
#[cfg(target_family = "wasm")]
mod worker;

/// Starts the device in this worker; `worker.js` calls it once, after loading the
/// module, with the messages the page sent meanwhile.
#[cfg(target_family = "wasm")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn start(early: js_sys::Array) {
    // A panic stops the module: the page hears why instead of waiting for answers.
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
        js::post(&storeops_api::worker::FromWorker::Failed {
            error: storeops_api::ApiError::new(
                storeops_api::ErrorCode::Internal,
                format!("the app's device part stopped: {info}"),
            ),
        });
    }));
    wasm_bindgen_futures::spawn_local(worker::run(early));
}
