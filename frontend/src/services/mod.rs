//! Everything that leaves the wasm module: the Tauri bridge (commands and events) and the
//! few browser facilities the UI needs (local storage, the browser's language, timers).
//! Components never touch these directly; `crate::controller` calls them.

pub mod api;
pub mod browser;
pub mod edit_api;
pub mod events;
mod tauri;
