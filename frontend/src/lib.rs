//! The Storeops UI: a Yew app compiled to wasm, shown by the Tauri shell on the desktop
//! and, as the phone web app, by any browser (the device then runs in a Web Worker).
//!
//! One module per screen family ([`tasks`], [`org`], [`duties`], [`plans`],
//! [`meetings`], [`feedback`], [`dashboard`], [`assessment`], [`chain`] (several
//! stores on one device), [`settings`]), each with
//! its components and what it checks before a command; [`shell`] is the frame (the root
//! component, its `Reducible` state, the context every component reads the state and
//! language from, the one way to run a command, header, navigation, sync indicator,
//! banner); [`ui`] holds the shared widgets; [`services`] is the only code that talks to
//! the device, through its `Backend` seam; [`i18n`] holds every visible string. What
//! crosses to the device, views and commands alike, is `storeops_api`'s.

pub mod assessment;
pub mod chain;
pub mod dashboard;
pub mod duties;
pub mod feedback;
pub mod i18n;
pub mod meetings;
pub mod org;
pub mod plans;
pub mod services;
pub mod settings;
pub mod shell;
pub mod tasks;
pub mod ui;

use wasm_bindgen::prelude::*;

/// Mounts the app on `<body>` when the module is initialised.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&JsValue::from_str(&info.to_string()));
    }));
    if services::offline::in_tauri() {
        services::backend::install(std::rc::Rc::new(services::tauri::TauriBackend::default()));
    } else {
        match services::worker::WorkerBackend::start() {
            Ok(worker) => services::backend::install(std::rc::Rc::new(worker)),
            // No backend: the first command says why.
            Err(e) => web_sys::console::error_1(&JsValue::from_str(&e.to_string())),
        }
    }
    yew::Renderer::<shell::app::App>::new().render();
}
