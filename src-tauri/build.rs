//! Declares the app's one command, `call` (every `storeops_api` command travels
//! through it), so Tauri generates its permission for `capabilities/default.json`.

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(&["call"])),
    )
    .expect("tauri build configuration");
}
