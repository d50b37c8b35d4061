//! `storeops-loadgen`: simulated stores and devices speaking the automerge-repo
//! WebSocket protocol (v1) to any relay, and a driver that runs our relay and the
//! reference JS relay (automerge-repo + `NodeWSServerAdapter`) on the same
//! workload, side by side.
//!
//! - [`device::Device`] — one simulated device, no IO: `join`, `request`/`sync`
//!   over automerge's sync API, task edits to the store's tasks document.
//! - [`setup`] — stores and enrolled devices on our relay (through its
//!   registry), or template documents to push to a relay without auth.
//! - [`workload`] — the phases (connect, steady, saturate) and idle connections,
//!   with what they measure.
//! - [`relay`] — starting either relay as a process; [`stats`] — percentiles,
//!   `/proc` readings; [`compare`] — both relays and the table; [`backends`] —
//!   our relay on SQLite, on PostgreSQL, and on several nodes sharing it.
//!
//! ```no_run
//! # async fn f() -> anyhow::Result<()> {
//! use storeops_loadgen::{setup, workload};
//! let stores = setup::seeded(2)?;
//! workload::seed("ws://127.0.0.1:3030", &stores).await?;
//! let target = workload::Target::one("ws://127.0.0.1:3030".into(), stores, None);
//! let report = workload::run(target, workload::Workload::default()).await?;
//! println!("{:.0} edits/s", report.edits_per_sec);
//! # Ok(()) }
//! ```

pub mod backends;
pub mod compare;
pub mod device;
pub mod floor;
pub mod relay;
pub mod setup;
pub mod stats;
pub mod workload;

/// `LOADGEN_TRACE=1` prints every sync message of the edited document and every
/// turn of a device's loop to stderr (for debugging the workload, not for runs).
pub fn tracing_enabled() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("LOADGEN_TRACE").is_some())
}
