//! The real JS `@automerge/automerge-repo` client (from npm) against our relay.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use storeops_api::Handles;
use storeops_api::command::{AddTask, Enrol, ListTasks};
use storeops_client::{Device, sync_loop};
use storeops_e2e::{RelayProcess, artifacts, free_port, relay_cli};

fn interop_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("interop")
}

fn wait(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_js_automerge_repo_client_reads_a_rust_change_and_a_rust_device_sees_its_change() {
    assert!(
        interop_dir()
            .join("node_modules/@automerge/automerge-repo")
            .exists(),
        "npm packages missing: run `cargo xtask test`, which installs them"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = artifacts("js_interop");
    let relay_dir = dir.path().join("relay");
    let store = relay_cli(
        &relay_dir,
        &[
            "store",
            "create",
            "--name",
            "Interop",
            "--template",
            "plan2",
            "--locale",
            "en",
        ],
    )
    .unwrap();
    let invite = |role: &str| {
        relay_cli(
            &relay_dir,
            &["invite", "create", "--store", &store, "--role", role],
        )
        .unwrap()
    };
    let (rust_code, js_code) = (invite("manager"), invite("manager"));
    let relay =
        RelayProcess::start(&relay_dir, free_port().unwrap(), &out.join("relay.log")).unwrap();

    // The Rust device: enrol, sync, add a task.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let device = Device::open(&dir.path().join("rust-device")).unwrap();
    device
        .handle(Enrol {
            relay_url: relay.url(),
            code: rust_code,
            device_name: "Rust device".into(),
        })
        .unwrap();
    rt.spawn(sync_loop(device.clone()));
    wait("the store to arrive", || {
        device
            .handle(ListTasks {})
            .map(|t| !t.is_empty())
            .unwrap_or(false)
    });
    let task = device.handle(AddTask::titled("Written by Rust")).unwrap();
    wait("the relay to confirm", || {
        device.app_status().sync.pending_changes == 0
    });
    let tasks_doc = device.replica().task_document(&task.id).unwrap();

    // The JS client: its own enrolment, the token in the query string.
    let (_, js_token) = storeops_client::relay::enrol(
        &storeops_client::relay::Ureq,
        &relay.url(),
        &js_code,
        "JS client",
        None,
    )
    .unwrap();
    let ws = format!("ws://127.0.0.1:{}/sync?token={js_token}", relay.port);
    let output = Command::new("node")
        .current_dir(interop_dir())
        .args([
            "client.mjs",
            &ws,
            &tasks_doc.to_string(),
            &task.id,
            "Renamed by JS",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    std::fs::write(out.join("node.log"), stderr.as_bytes()).unwrap();
    assert!(output.status.success(), "node client failed: {stderr}");
    let seen: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the client prints JSON");
    let titles: Vec<&str> = seen["titles"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    assert!(titles.contains(&"Written by Rust"), "{titles:?}");

    wait("the Rust device to see the JS rename", || {
        device
            .handle(ListTasks {})
            .unwrap()
            .iter()
            .any(|t| t.id == task.id && t.title == "Renamed by JS")
    });
    drop(relay);
}
