//! Everything that leaves the wasm module: the device behind the [`backend`] seam
//! (commands and events) and the few browser facilities the UI needs (local storage,
//! the browser's language, timers). Components never touch these directly;
//! `crate::shell::controller` and `crate::org::edits` call them.

pub mod backend;
pub mod browser;
pub mod offline;
pub mod tauri;
pub mod timing;
pub mod worker;

pub use backend::call;
