//! Declares the app's one command, `call` (every `storeops_api` command travels
//! through it), so Tauri generates its permission for `capabilities/default.json`;
//! and rebuilds the app when the UI it embeds changes.

fn main() {
    // The UI is embedded by `generate_context!`, which cargo cannot see read it: a new
    // build of the UI must rebuild the app.
    println!("cargo:rerun-if-changed=../frontend/dist");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(&["call"])),
    )
    .expect("tauri build configuration");
}
