//! The device's database in the browser: SQLite in the origin's private file system
//! (OPFS) through the "sync access handle pool" VFS, installed as SQLite's default, so
//! the replica opens it by name exactly as the desktop opens its file.

use sqlite_wasm_vfs::sahpool::{OpfsSAHPoolCfgBuilder, install};

use crate::js::sleep;

/// The OPFS directory that holds the pool.
const DIRECTORY: &str = "storeops";

/// Installs the pool. A tab that has just taken the database over may find the
/// previous owner's handles not yet released: it tries again for a few seconds.
pub(crate) async fn open() -> Result<(), String> {
    let config = OpfsSAHPoolCfgBuilder::new()
        .directory(DIRECTORY)
        // Room for several stores (a director's chain): each store's database takes a
        // file and its journal.
        .initial_capacity(16)
        .build();
    let mut last = String::new();
    for _ in 0..25 {
        match install::<sqlite_wasm_rs::WasmOsCallback>(&config, true).await {
            Ok(_) => return Ok(()),
            Err(e) => last = e.to_string(),
        }
        sleep(200).await;
    }
    Err(format!(
        "this browser's storage for the app cannot be opened ({last}); close other tabs of the app and reload"
    ))
}
