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
use storeops_e2e::riverside::{
    COUNT_DONE, FIND_TASK, RECEIVING, STOCK_COUNT, create_store, hire_wang_and_invite, open_task,
    saved, shown,
};
use storeops_e2e::{AppSession, RelayProcess, Screen, artifacts, free_port};

const LONG: Duration = Duration::from_secs(60);

#[test]
fn a_staff_phone_enrols_from_a_link_works_offline_through_a_reload_and_a_kill_and_syncs_back()
-> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = artifacts("phone_web_app");
    let relay_dir = dir.path().join("relay");
    let (_, code) = create_store(&relay_dir)?;
    let mut relay = RelayProcess::start(&relay_dir, free_port()?, &out.join("relay.log"))?;

    // The manager hires Wang, gives the stock count a checklist, and invites Wang's phone.
    let manager = AppSession::start("manager", &dir.path().join("manager"), &out)?;
    manager.enrol(&relay.url(), &code, "Office laptop")?;
    hire_wang_and_invite(&manager)?;
    let link = shown(
        &manager,
        "the phone's invite link",
        "#invite-web-link-shown",
    )?;
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
