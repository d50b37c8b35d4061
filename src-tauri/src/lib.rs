//! The Storeops app shell: one Tauri command, `call`, that hands a
//! `storeops_api::Request` to the device side off the main thread and returns its
//! answer; two events (`storeops://changed`, `storeops://sync`) tell the UI to refresh.

use std::path::PathBuf;

use storeops_api::command::Enrol;
use storeops_api::{ApiError, ErrorCode, Handles, Reply, Request};
use storeops_client::{ClientEvent, Device, sync_loop};
use tauri::{Emitter, Manager, State};

/// Every command the UI sends: run on a blocking worker thread, never on the main
/// (UI) thread, since it takes the replica's lock and writes SQLite.
#[tauri::command]
async fn call(device: State<'_, Device>, request: Request) -> Result<Reply, ApiError> {
    let device = device.inner().clone();
    tauri::async_runtime::spawn_blocking(move || request.dispatch(&device))
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?
}

/// A self-hosted relay's CA certificate, from the PEM file `STOREOPS_RELAY_CA_FILE`.
fn relay_ca() -> Result<Option<String>, String> {
    match std::env::var_os("STOREOPS_RELAY_CA_FILE") {
        None => Ok(None),
        Some(path) => std::fs::read_to_string(&path)
            .map(Some)
            .map_err(|e| format!("cannot read {}: {e}", path.to_string_lossy())),
    }
}

/// `STOREOPS_DATA_DIR` if set (tests run several instances), else the OS's app data dir.
fn data_dir(app: &tauri::App) -> Result<PathBuf, Box<dyn std::error::Error>> {
    if let Some(dir) = std::env::var_os("STOREOPS_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    Ok(app.path().app_data_dir()?)
}

/// Enrols on first start when `STOREOPS_ENROL_URL` and `STOREOPS_ENROL_CODE` are
/// set (the demo launcher uses this); otherwise the UI asks.
fn enrol_from_environment(device: &Device) {
    if device.replica().enrolment().is_some() {
        return;
    }
    let (Ok(relay_url), Ok(code)) = (
        std::env::var("STOREOPS_ENROL_URL"),
        std::env::var("STOREOPS_ENROL_CODE"),
    ) else {
        return;
    };
    let device_name =
        std::env::var("STOREOPS_DEVICE_NAME").unwrap_or_else(|_| "Storeops desktop".into());
    let device = device.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let enrol = Enrol {
            relay_url,
            code,
            device_name,
        };
        if let Err(e) = device.handle(enrol) {
            tracing::error!(error = %e, "enrolment from the environment failed");
        }
    });
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let result = tauri::Builder::default()
        .setup(|app| {
            let device = Device::open(&data_dir(app)?)?.trusting(relay_ca()?);
            let handle = app.handle().clone();
            device.set_listener(move |event| {
                let _ = match event {
                    ClientEvent::Changed => handle.emit("storeops://changed", ()),
                    ClientEvent::Sync(status) => handle.emit("storeops://sync", status),
                };
            });
            tauri::async_runtime::spawn(sync_loop(device.clone()));
            enrol_from_environment(&device);
            app.manage(device);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![call])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Storeops could not start: {e}");
        std::process::exit(1);
    }
}
