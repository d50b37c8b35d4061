//! The Storeops UI: a Yew app compiled to wasm and shown by the Tauri shell.
//!
//! Layout follows yew's `function_todomvc`: [`state`] holds the screen's state as a
//! `Reducible` with an `Action` enum, [`components`] render it and report user intents
//! through callbacks, [`controller`] turns those intents into calls to [`services`] (the
//! only code that talks to the device, through its `Backend` seam), and [`i18n`] holds
//! every visible string. What crosses to the device, views and commands alike, is
//! `storeops_api`'s.

pub mod app;
pub mod assessment;
pub mod cascade;
pub mod chart;
pub mod components;
pub mod context;
pub mod controller;
pub mod editing;
pub mod edits;
pub mod format;
pub mod i18n;
pub mod invite_link;
pub mod period;
pub mod run;
pub mod services;
pub mod state;
pub mod templates;
pub mod today;
pub mod wire;

use wasm_bindgen::prelude::*;

/// Mounts the app on `<body>` when the module is initialised.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&JsValue::from_str(&info.to_string()));
    }));
    services::backend::install(std::rc::Rc::new(services::tauri::TauriBackend::default()));
    yew::Renderer::<app::App>::new().render();
}
