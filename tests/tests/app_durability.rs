//! kill -9 of the app right after the UI showed a change saved loses nothing.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::time::Duration;

use serde_json::json;
use storeops_e2e::{AppSession, RelayProcess, artifacts, free_port, relay_cli};

#[test]
fn a_task_the_ui_showed_saved_survives_kill_9_of_the_app_while_offline() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = artifacts("app_durability");
    let relay_dir = dir.path().join("relay");
    let store = relay_cli(
        &relay_dir,
        &[
            "store",
            "create",
            "--name",
            "Durable Store",
            "--template",
            "plan1",
            "--locale",
            "zh-CN",
        ],
    )?;
    let code = relay_cli(
        &relay_dir,
        &["invite", "create", "--store", &store, "--role", "manager"],
    )?;
    let mut relay = RelayProcess::start(&relay_dir, free_port()?, &out.join("relay.log"))?;
    let app_dir = dir.path().join("app");

    let app = AppSession::start("before-kill", &app_dir, &out)?;
    app.enrol(&relay.url(), &code, "收银台平板")?;

    app.screenshot("1-online")?;
    // Offline: the only copy of the new task is the app's own database.
    relay.stop();
    app.wait_for(
        "the offline indicator",
        "return document.querySelector('#sync-state')?.dataset.online === 'false'",
        json!([]),
        Duration::from_secs(20),
    )?;
    app.screenshot("2-offline")?;
    let title = "盘点三号货架 (kill -9)";
    app.fill("#new-task-title", title)?;
    app.click("#add-task-button")?;
    app.wait_for(
        "the saved confirmation",
        "return !!document.querySelector('#saved-indicator')",
        json!([]),
        Duration::from_secs(10),
    )?;
    app.kill_app()?;
    drop(app);

    let again = AppSession::start("after-kill", &app_dir, &out)?;
    again.wait_for(
        "the task after the restart",
        "return [...document.querySelectorAll('.task .task-title')].some(e => e.textContent.trim() === arguments[0])",
        json!([title]),
        Duration::from_secs(30),
    )?;
    again.screenshot("restarted-offline")?;
    Ok(())
}
