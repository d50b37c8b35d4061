//! A staff device's token in an attacker's hands (issue 18): the real JS
//! automerge-repo client writes what no Storeops command would; the release
//! relay refuses each write (not stored, not forwarded), while an honest staff
//! device in the same store goes on.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use storeops_api::Handles;
use storeops_api::command::{AddTask, Enrol, ListTasks, SetTaskStatus};
use storeops_client::{Device, sync_loop};
use storeops_domain::TaskStatus;
use storeops_e2e::{RelayProcess, artifacts, free_port, relay_cli, stored_store_task_titles};

const ATTACKS: &[&str] = &[
    "title_number",
    "checklist_string",
    "status_exploded",
    "assignee_nested",
    "title_2mb",
    "ten_thousand_keys",
    "schema_99",
    "delete_all",
    "reassign",
    "complete_as_other",
    "forged_message",
];

fn interop_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("interop")
}

fn wait(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn device(dir: &std::path::Path, name: &str, relay: &RelayProcess, code: String) -> Device {
    let device = Device::open(&dir.join(name)).unwrap();
    device
        .handle(Enrol {
            relay_url: relay.url(),
            code,
            device_name: name.into(),
        })
        .unwrap();
    device
}

fn rejected(port: u16) -> u64 {
    let body = ureq::get(&format!("http://127.0.0.1:{port}/metrics"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    body.lines()
        .filter(|l| {
            l.starts_with("storeops_relay_rejected_total{reason=\"invalid_change\"}")
                || l.starts_with("storeops_relay_rejected_total{reason=\"too_large\"}")
        })
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

#[test]
fn every_forged_write_from_a_staff_token_is_refused_and_an_honest_staff_device_goes_on() {
    assert!(
        interop_dir()
            .join("node_modules/@automerge/automerge-repo")
            .exists(),
        "npm packages missing: run `cargo xtask test`, which installs them"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = artifacts("write_rules");
    let relay_dir = dir.path().join("relay");
    let store = relay_cli(
        &relay_dir,
        &[
            "store",
            "create",
            "--name",
            "Rules",
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
    let (manager_code, staff_code, attacker_code) =
        (invite("manager"), invite("staff"), invite("staff"));
    let relay =
        RelayProcess::start(&relay_dir, free_port().unwrap(), &out.join("relay.log")).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();

    let manager = device(dir.path(), "Manager laptop", &relay, manager_code);
    rt.spawn(sync_loop(manager.clone()));
    wait("the store to arrive", || {
        manager.handle(ListTasks {}).is_ok_and(|t| !t.is_empty())
    });
    let task = manager.handle(AddTask::titled("Face up aisle 4")).unwrap();
    wait("the relay to confirm the task", || {
        manager.app_status().sync.pending_changes == 0
    });
    let tasks_doc = manager.replica().task_document(&task.id).unwrap();
    let before = manager.handle(ListTasks {}).unwrap();

    // An honest staff device makes progress: accepted.
    let staff = device(dir.path(), "Floor phone", &relay, staff_code);
    rt.spawn(sync_loop(staff.clone()));
    wait("the staff device to get the task", || {
        staff
            .handle(ListTasks {})
            .is_ok_and(|t| t.iter().any(|t| t.id == task.id))
    });
    staff
        .handle(SetTaskStatus {
            task_id: task.id.clone(),
            status: TaskStatus::InProgress,
        })
        .unwrap();
    let status_of = |d: &Device| {
        d.handle(ListTasks {})
            .unwrap()
            .into_iter()
            .find(|t| t.id == task.id)
            .map(|t| t.status)
    };
    wait("the manager to see the honest progress", || {
        status_of(&manager) == Some(TaskStatus::InProgress)
    });

    // The attacker: a second staff token, the real JS client.
    let (_, token) = storeops_client::relay::enrol(
        &storeops_client::relay::Ureq,
        &relay.url(),
        &attacker_code,
        "Lifted token",
        None,
    )
    .unwrap();
    let ws = format!("ws://127.0.0.1:{}/sync?token={token}", relay.port);
    let mut node_log = String::new();
    for attack in ATTACKS {
        let refused_before = rejected(relay.port);
        let output = Command::new("node")
            .current_dir(interop_dir())
            .args([
                "attacker.mjs",
                &ws,
                &tasks_doc.to_string(),
                &task.id,
                attack,
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        node_log.push_str(&format!("== {attack}\n{stderr}\n"));
        assert!(output.status.success(), "{attack}: node failed: {stderr}");
        wait(&format!("the relay to refuse {attack}"), || {
            rejected(relay.port) > refused_before
        });
        // Not forwarded: the manager's device still has the task as it was.
        let now = manager.handle(ListTasks {}).unwrap();
        assert_eq!(now.len(), before.len(), "{attack} changed the task list");
        let t = now.iter().find(|t| t.id == task.id).unwrap();
        assert_eq!(t.title, "Face up aisle 4", "{attack}");
        assert_eq!(t.status, TaskStatus::InProgress, "{attack}");
        assert_eq!(t.assignee_id, None, "{attack}");
    }
    std::fs::write(out.join("node.log"), node_log).unwrap();

    // The honest device goes on after the attacks.
    staff
        .handle(SetTaskStatus {
            task_id: task.id.clone(),
            status: TaskStatus::Done,
        })
        .unwrap();
    wait("the manager to see the task done", || {
        status_of(&manager) == Some(TaskStatus::Done)
    });
    wait("the staff device to be confirmed", || {
        staff.app_status().sync.pending_changes == 0
    });

    // Not stored: the relay's database has every task readable, as written.
    let mut relay = relay;
    relay.stop();
    let store = manager.replica().enrolment().unwrap().store_id.clone();
    let titles = stored_store_task_titles(&relay_dir, &store).unwrap();
    assert!(titles.contains("Face up aisle 4"), "{titles:?}");
    // (Titles, not tasks: a duty's task of each day has the same title.)
    let listed: std::collections::BTreeSet<String> = before.into_iter().map(|t| t.title).collect();
    assert_eq!(titles, listed);
}
