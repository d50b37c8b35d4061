//! The phone web app, in a real Chromium (mobile emulation, touch) against the real
//! relay, which serves it: a manager's desktop app invites a staff member's phone with
//! a link; the phone opens it, enrols and shows Today; with the relay stopped it ticks
//! and completes a task, is reloaded (served by its service worker, its data from the
//! browser's storage), and its browser is killed with SIGKILL and opened again: the
//! work is still there. The relay comes back: the manager sees it done; the manager
//! moves the staff member's open work, and the phone shows it without a reload. A
//! second tab of the app waits for "Use here", and the first then stops.

use std::time::Duration;

use serde_json::json;
use storeops_e2e::{AppSession, RelayProcess, Screen, artifacts, free_port, relay_cli};

const STOCK_COUNT: &str = "Stock count so records match the shelves";
const RECEIVING: &str = "Receive and ship goods";

/// JavaScript: the `.task` element whose title is `arguments[0]`.
const FIND_TASK: &str = "const t = [...document.querySelectorAll('.task')]
    .find(e => e.querySelector('.task-title')?.textContent.trim() === arguments[0]);";

const LONG: Duration = Duration::from_secs(60);

fn open_task(app: &AppSession, title: &str) -> anyhow::Result<()> {
    app.click("#nav-today")?;
    let id = app.wait_for(
        &format!("the task {title}"),
        &format!("{FIND_TASK} return t ? t.dataset.taskId : null;"),
        json!([title]),
        LONG,
    )?;
    let id = id.as_str().unwrap_or_default().to_owned();
    app.click(&format!(".task[data-task-id=\"{id}\"] .task-open"))?;
    app.wait_for(
        "the task detail",
        "return !!document.querySelector('#screen-task .history-entry')",
        json!([]),
        Duration::from_secs(20),
    )?;
    Ok(())
}

fn saved(app: &AppSession) -> anyhow::Result<()> {
    app.wait_for(
        "the saved confirmation",
        "return !!document.querySelector('#saved-indicator')",
        json!([]),
        Duration::from_secs(10),
    )?;
    Ok(())
}

/// The stock count is done and its item ticked, on the task screen.
const COUNT_DONE: &str = "return document.querySelector('#status-done')?.getAttribute('aria-pressed') === 'true' && document.querySelector('.checklist-item')?.dataset.done === 'true'";

#[test]
fn a_staff_phone_enrols_from_a_link_works_offline_through_a_reload_and_a_kill_and_syncs_back()
-> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = artifacts("phone_web_app");
    let relay_dir = dir.path().join("relay");
    let store = relay_cli(
        &relay_dir,
        &[
            "store",
            "create",
            "--name",
            "Riverside",
            "--template",
            "plan3",
            "--locale",
            "en",
        ],
    )?;
    let code = relay_cli(
        &relay_dir,
        &["invite", "create", "--store", &store, "--role", "manager"],
    )?;
    let mut relay = RelayProcess::start(&relay_dir, free_port()?, &out.join("relay.log"))?;

    // The manager hires Wang, gives the stock count a checklist, and invites Wang's phone.
    let manager = AppSession::start("manager", &dir.path().join("manager"), &out)?;
    manager.enrol(&relay.url(), &code, "Office laptop")?;
    manager.click("#nav-org")?;
    manager.fill("#person-name", "Wang Fang")?;
    manager.select("#person-position", "pos:warehouse-specialist")?;
    manager.click("#add-person-button")?;
    manager.wait_for(
        "Wang on the org chart",
        "return [...document.querySelectorAll('.org-position')].some(e => e.innerText.includes('Wang Fang'))",
        json!([]),
        Duration::from_secs(10),
    )?;
    open_task(&manager, STOCK_COUNT)?;
    manager.fill("#new-checklist-item", "Aisle 1")?;
    manager.click("#add-checklist-item")?;
    manager.wait_for(
        "the checklist item",
        "return document.querySelectorAll('.checklist-item').length === 1",
        json!([]),
        Duration::from_secs(10),
    )?;
    manager.click("#nav-settings")?;
    manager.select("#invite-role", "staff")?;
    let wang = manager.script(
        "return [...document.querySelectorAll('#invite-person option')].find(o => o.textContent.trim() === 'Wang Fang')?.value",
        json!([]),
    )?;
    manager.select("#invite-person", wang.as_str().unwrap_or_default())?;
    manager.click("#invite-create")?;
    let link = manager
        .wait_for(
            "the phone's invite link",
            "return document.querySelector('#invite-web-link-shown')?.innerText.trim()",
            json!([]),
            Duration::from_secs(10),
        )?
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        link.starts_with(&format!("{}/enrol#code=", relay.url())),
        "{link}"
    );
    manager.wait_for(
        "the invite's QR code",
        "return !!document.querySelector('#invite-qr svg')",
        json!([]),
        Duration::from_secs(5),
    )?;
    manager.screenshot("1-invite-with-qr")?;

    // Wang opens the link on the phone: the app enrols and shows Wang's work.
    let mut phone = AppSession::phone(
        "phone",
        &dir.path().join("phone-profile"),
        Screen::IPHONE,
        &link,
        &out,
    )?;
    phone.wait_for(
        "the store's data on the phone",
        "return document.querySelector('#sync-state')?.dataset.arrived === 'true'",
        json!([]),
        LONG,
    )?;
    phone.wait_for(
        "Wang's tasks",
        &format!("{FIND_TASK} return !!t;"),
        json!([STOCK_COUNT]),
        LONG,
    )?;
    let address = phone.script("return location.href", json!([]))?;
    assert_eq!(
        address,
        json!(format!("{}/", relay.url())),
        "the code leaves the address bar"
    );
    // The app is on the phone for offline starts once its service worker is active.
    phone.wait_for(
        "the service worker to control the page",
        "return navigator.serviceWorker.controller?.state === 'activated'",
        json!([]),
        LONG,
    )?;
    phone.screenshot("2-today")?;

    // Offline: the relay stops. Tick the item, finish the count.
    relay.stop();
    phone.wait_for(
        "the phone to show it is offline",
        "return document.querySelector('#sync-state')?.dataset.online === 'false'",
        json!([]),
        Duration::from_secs(30),
    )?;
    open_task(&phone, STOCK_COUNT)?;
    phone.click(".checklist-item .checklist-toggle")?;
    saved(&phone)?;
    phone.click("#status-done")?;
    phone.wait_for(
        "the count done on the phone",
        COUNT_DONE,
        json!([]),
        Duration::from_secs(10),
    )?;
    saved(&phone)?;
    phone.screenshot("3-done-offline")?;

    // Reloaded with no relay: the service worker serves the app, the browser's storage the data.
    phone.reload()?;
    open_task(&phone, STOCK_COUNT)?;
    phone.wait_for(
        "the count still done after an offline reload",
        COUNT_DONE,
        json!([]),
        Duration::from_secs(20),
    )?;

    // The browser killed outright, and opened again on the same profile, still offline.
    phone.kill_and_reopen_browser()?;
    open_task(&phone, STOCK_COUNT)?;
    phone.wait_for(
        "the count still done after the browser was killed",
        COUNT_DONE,
        json!([]),
        Duration::from_secs(20),
    )?;
    phone.screenshot("4-after-kill")?;

    // The relay is back: the manager's desktop app sees the tick and the completion.
    relay.restart()?;
    phone.click("#sync-now")?;
    manager.click("#sync-now")?;
    open_task(&manager, STOCK_COUNT)?;
    manager.wait_for(
        "the manager to see the count done and ticked",
        COUNT_DONE,
        json!([]),
        LONG,
    )?;
    manager.screenshot("5-manager-sees-done")?;

    // The manager moves the warehouse specialist's open work; the phone follows, live.
    phone.click("#nav-today")?;
    phone.wait_for(
        "the receiving task on the phone",
        &format!("{FIND_TASK} return !!t;"),
        json!([RECEIVING]),
        LONG,
    )?;
    manager.click("#nav-team")?;
    let group = ".team-group[data-owner=\"position:pos:warehouse-specialist\"]";
    manager.element(group)?;
    manager.select(
        &format!("{group} .move-to"),
        "position:pos:warehouse-manager",
    )?;
    manager.click(&format!("{group} .move-all"))?;
    saved(&manager)?;
    phone.wait_for(
        "the moved task to leave Wang's list without a reload",
        &format!("{FIND_TASK} return !t;"),
        json!([RECEIVING]),
        LONG,
    )?;
    phone.screenshot("6-after-reassignment")?;

    // A second tab of the app: it waits, and takes over only when asked.
    let first = phone.current_window()?;
    let second = phone.new_tab(&format!("{}/", relay.url()))?;
    phone.wait_for(
        "the second tab to say the app is open elsewhere",
        "return !!document.querySelector('#other-tab')",
        json!([]),
        LONG,
    )?;
    phone.screenshot("7-second-tab")?;
    phone.click("#other-tab-button")?;
    phone.wait_for(
        "the second tab to run the app",
        &format!("{FIND_TASK} return !!t;"),
        json!([STOCK_COUNT]),
        LONG,
    )?;
    phone.switch_to(&first)?;
    phone.wait_for(
        "the first tab to stop",
        "return !!document.querySelector('#other-tab')",
        json!([]),
        LONG,
    )?;
    phone.switch_to(&second)?;
    Ok(())
}
