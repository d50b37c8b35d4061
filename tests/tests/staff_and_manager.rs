//! The store's day through the real app: a manager staffs a position and invites
//! the person's phone; the phone ticks a checklist item and completes a task while
//! the relay is down; the manager sees it once the relay is back, then moves the
//! person's open work elsewhere and the phone shows the new assignments.

use std::time::Duration;

use serde_json::json;
use storeops_e2e::riverside::{
    COUNT_DONE, FIND_TASK, RECEIVING, STOCK_COUNT, create_store, finish_count_offline,
    hire_wang_and_invite, open_task, saved, shown,
};
use storeops_e2e::{AppSession, RelayProcess, artifacts, free_port};

const COLD_ROOM: &str = "Check the cold room";

#[test]
fn staff_work_offline_reaches_the_manager_and_a_reassignment_reaches_the_staff()
-> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = artifacts("staff_and_manager");
    let relay_dir = dir.path().join("relay");
    let (_, code) = create_store(&relay_dir)?;
    let mut relay = RelayProcess::start(&relay_dir, free_port()?, &out.join("relay.log"))?;

    // The manager enrols, hires Wang as warehouse specialist, and invites Wang's phone.
    let manager = AppSession::start("manager", &dir.path().join("manager"), &out)?;
    manager.enrol(&relay.url(), &code, "Office laptop")?;
    hire_wang_and_invite(&manager)?;
    let staff_code = shown(&manager, "the invite code", "#invite-code-shown")?;

    // The manager gives Wang a task of their own, with everything a task has, in
    // one form: description, assignee, due date, priority and a checklist.
    manager.open_screen("today")?;
    manager.click("#task-details-toggle")?;
    manager.fill("#new-task-title", COLD_ROOM)?;
    manager.fill("#new-task-description", "Log both thermometers")?;
    let wang = manager.script(
        "return [...document.querySelectorAll('#new-task-assignee option')].find(o => o.textContent.includes('Wang Fang'))?.value",
        json!([]),
    )?;
    manager.select("#new-task-assignee", wang.as_str().unwrap_or_default())?;
    manager.select("#new-task-priority", "high")?;
    manager.script(
        "document.querySelector('#new-task-due').value = new Date().toISOString().slice(0, 10)",
        json!([]),
    )?;
    // One step per line (WebDriver's typing of a newline differs between engines).
    manager.script(
        "document.querySelector('#new-task-checklist').value = 'Freezer 1\\nFreezer 2'",
        json!([]),
    )?;
    manager.screenshot("0-new-task-form")?;
    manager.click("#add-task-button")?;
    manager.wait_for(
        "the new task saved and the form cleared",
        "return document.querySelector('#new-task-title').value === '' && document.querySelector('#new-task-checklist').value === ''",
        json!([]),
        Duration::from_secs(10),
    )?;

    // Wang's phone sees Wang's work only.
    let phone = AppSession::start("phone", &dir.path().join("phone"), &out)?;
    phone.resize(390, 844)?;
    phone.enrol(&relay.url(), &staff_code, "Wang's phone")?;
    phone.wait_for(
        "Wang's tasks",
        &format!("{FIND_TASK} return !!t;"),
        json!([STOCK_COUNT]),
        Duration::from_secs(30),
    )?;
    let titles = phone.script(
        "return [...document.querySelectorAll('.task .task-title')].map(e => e.textContent.trim())",
        json!([]),
    )?;
    assert_eq!(
        titles.as_array().map(Vec::len),
        Some(3),
        "Wang's work only: {titles}"
    );
    phone.screenshot("1-today")?;
    open_task(&phone, COLD_ROOM)?;
    phone.wait_for(
        "the new task whole on the phone",
        "return document.querySelectorAll('.checklist-item').length === 2 && document.body.innerText.includes('Log both thermometers')",
        json!([]),
        Duration::from_secs(10),
    )?;
    phone.screenshot("1b-new-task-on-the-phone")?;
    // Done with both freezers still open is asked about first; "Cancel" leaves it.
    phone.click("#status-done")?;
    phone.element("#confirm-done")?;
    phone.screenshot("1c-done-with-items-open-asks")?;
    phone.click("#confirm-done-no")?;
    phone.wait_for(
        "the task still to do",
        "return !document.querySelector('#confirm-done') && document.querySelector('#status-todo')?.getAttribute('aria-pressed') === 'true'",
        json!([]),
        Duration::from_secs(10),
    )?;
    phone.click("#task-back")?;
    open_task(&phone, STOCK_COUNT)?;
    phone.click("#task-back")?;

    // Offline: tick the item, finish the count.
    relay.stop();
    finish_count_offline(&phone, Duration::from_secs(20))?;
    // A problem that lasts is spelled out under the bar (after a few seconds,
    // so a blip in the connection does not move the screen).
    phone.wait_for(
        "the sync problem spelled out",
        "return document.querySelector('.sync-bar .sync-error')?.innerText.includes('relay')",
        json!([]),
        Duration::from_secs(10),
    )?;
    phone.screenshot("2-done-offline")?;
    phone.click("#task-back")?;

    // Back online: the manager sees the tick and the completion.
    relay.restart()?;
    manager.click("#sync-now")?;
    open_task(&manager, STOCK_COUNT)?;
    manager.wait_for(
        "the manager to see the count done and ticked",
        COUNT_DONE,
        json!([]),
        Duration::from_secs(60),
    )?;
    manager.screenshot("3-manager-sees-done")?;

    // The manager moves the warehouse specialist's open work to the warehouse manager.
    manager.open_screen("team")?;
    let group = ".team-group[data-owner=\"position:pos:warehouse-specialist\"]";
    manager.element(group)?;
    manager.select(
        &format!("{group} .move-to"),
        "position:pos:warehouse-manager",
    )?;
    manager.click(&format!("{group} .move-all"))?;
    saved(&manager)?;
    phone.click("#sync-now")?;
    phone.wait_for(
        "the moved task to leave Wang's list",
        &format!("{FIND_TASK} return !t;"),
        json!([RECEIVING]),
        Duration::from_secs(60),
    )?;
    phone.screenshot("4-after-reassignment")?;

    // The manager revokes Wang's phone from Settings (asked twice); the phone is
    // cut off and told why.
    manager.open_screen("settings")?;
    manager.wait_for(
        "the store's devices",
        "return [...document.querySelectorAll('.device-row')].some(r => r.innerText.includes(\"Wang's phone\"))",
        json!([]),
        Duration::from_secs(10),
    )?;
    let row = "[...document.querySelectorAll('.device-row')].find(r => r.innerText.includes(\"Wang's phone\"))";
    manager.script(&format!("{row}.querySelector('button').click()"), json!([]))?;
    manager.script(
        &format!("{row}.querySelector('.button-danger').click()"),
        json!([]),
    )?;
    manager.wait_for(
        "the phone shown revoked",
        &format!("return {row}?.dataset.revoked === 'true'"),
        json!([]),
        Duration::from_secs(10),
    )?;
    manager.screenshot("5-devices-one-revoked")?;
    phone.click("#sync-now")?;
    phone.wait_for(
        "the phone told it is no longer accepted",
        "return document.body.innerText.includes('no longer accepts this device')",
        json!([]),
        Duration::from_secs(30),
    )?;
    phone.screenshot("6-revoked")?;
    Ok(())
}
