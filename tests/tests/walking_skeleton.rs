//! The walking skeleton, end to end with real processes: a relay and two app
//! instances driven through WebDriver.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::time::Duration;

use serde_json::json;
use storeops_e2e::{AppSession, RelayProcess, artifacts, free_port, relay_cli};

const TASK_STATUS: &str = "
    const t = [...document.querySelectorAll('.task')]
        .find(e => e.querySelector('.task-title')?.textContent.trim() === arguments[0]);
    return t ? t.dataset.status : null;";

const TASK_ID: &str = "
    const t = [...document.querySelectorAll('.task')]
        .find(e => e.querySelector('.task-title')?.textContent.trim() === arguments[0]);
    return t ? t.dataset.taskId : null;";

#[test]
fn a_task_created_on_one_device_is_completed_offline_on_another_and_syncs_back()
-> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = artifacts("walking_skeleton");
    let relay_dir = dir.path().join("relay");
    let store = relay_cli(
        &relay_dir,
        &[
            "store",
            "create",
            "--name",
            "Riverside Store",
            "--template",
            "plan3",
            "--locale",
            "en",
        ],
    )?;
    let manager_code = relay_cli(
        &relay_dir,
        &["invite", "create", "--store", &store, "--role", "manager"],
    )?;
    let staff_code = relay_cli(
        &relay_dir,
        &["invite", "create", "--store", &store, "--role", "staff"],
    )?;
    let mut relay = RelayProcess::start(&relay_dir, free_port()?, &out.join("relay.log"))?;

    let a = AppSession::start("a-manager", &dir.path().join("app-a"), &out)?;
    let b = AppSession::start("b-staff", &dir.path().join("app-b"), &out)?;
    a.enrol(&relay.url(), &manager_code, "Manager laptop")?;
    b.enrol(&relay.url(), &staff_code, "Floor phone")?;

    let title = "Count stock in aisle 3";
    a.fill("#new-task-title", title)?;
    a.click("#add-task-button")?;
    a.wait_for(
        "the new task on A",
        TASK_STATUS,
        json!([title]),
        Duration::from_secs(10),
    )?;
    a.screenshot("1-created")?;
    b.wait_for(
        "the new task on B",
        TASK_STATUS,
        json!([title]),
        Duration::from_secs(20),
    )?;
    b.screenshot("2-received")?;

    relay.stop();
    b.wait_for(
        "B to show it is offline",
        "return document.querySelector('#sync-state')?.dataset.online === 'false'",
        json!([]),
        Duration::from_secs(20),
    )?;
    let id = b.script(TASK_ID, json!([title]))?;
    let id = id.as_str().unwrap_or_default().to_owned();
    b.click(&format!(".task[data-task-id=\"{id}\"] .task-done-toggle"))?;
    b.wait_for(
        "B to show the task done",
        &format!("return (function() {{ {TASK_STATUS} }}).apply(null, arguments) === 'done';"),
        json!([title]),
        Duration::from_secs(10),
    )?;
    b.wait_for(
        "B's saved confirmation",
        "return !!document.querySelector('#saved-indicator')",
        json!([]),
        Duration::from_secs(10),
    )?;
    b.screenshot("3-done-offline")?;

    relay.restart()?;
    a.wait_for(
        "A to see the task done",
        &format!("return (function() {{ {TASK_STATUS} }}).apply(null, arguments) === 'done';"),
        json!([title]),
        Duration::from_secs(60),
    )?;
    b.wait_for(
        "B to confirm nothing is waiting",
        "return document.querySelector('#sync-state')?.dataset.online === 'true'",
        json!([]),
        Duration::from_secs(60),
    )?;
    a.screenshot("4-synced-back")?;
    Ok(())
}
