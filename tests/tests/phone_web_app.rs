//! The phone web app, in a real Chromium (mobile emulation, touch) against the real
//! relay, which serves it: a manager's desktop app invites a staff member's phone with
//! a link; the phone opens it, enrols and shows Today; with the relay stopped it ticks
//! and completes a task (signing out now warns that two changes would be lost), is
//! reloaded (served by its service worker, its data from the browser's storage), and
//! its browser is killed with SIGKILL and opened again: the work is still there. The
//! relay comes back: the manager sees it done; the manager moves the staff member's
//! open work, and the phone shows it without a reload. A second tab of the app waits
//! for "Use here", and the first then stops. Every screen, in both languages, at two
//! phone sizes.
//!
//! And what goes wrong: a link cut short, a wrong or used code, another relay's link,
//! a damaged copy of the store in the browser, one the browser removed, and a second
//! invite opened on an enrolled phone; each says what happened.

use std::time::Duration;

use serde_json::json;
use storeops_e2e::riverside::{
    COUNT_DONE, FIND_TASK, RECEIVING, STOCK_COUNT, create_store, finish_count_offline,
    hire_wang_and_invite, open_task, saved, shown,
};
use storeops_e2e::{AppSession, RelayProcess, Screen, artifacts, free_port, relay_cli};

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
    finish_count_offline(&phone, Duration::from_secs(30))?;
    saved(&phone)?;
    phone.screenshot("3-done-offline")?;

    // Signing out now would lose the two changes: the question says so, with the count.
    phone.open_screen("settings")?;
    phone.click("#sign-out")?;
    phone.wait_for(
        "the unsynced changes' warning",
        "return document.querySelector('#sign-out-confirmation .confirm-warning')?.innerText.includes('2 changes')",
        json!([]),
        Duration::from_secs(10),
    )?;
    phone.screenshot("3-sign-out-warns")?;
    phone.click("#sign-out-cancel")?;

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
    phone.open_screen("today")?;
    phone.wait_for(
        "the receiving task on the phone",
        &format!("{FIND_TASK} return !!t;"),
        json!([RECEIVING]),
        LONG,
    )?;
    manager.open_screen("team")?;
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

    // Every screen Wang has, in both languages, on a small phone and a large one.
    every_screen_at_phone_sizes(&phone)?;
    let errors = phone.script("return window.storeopsErrors ?? null", json!([]))?;
    assert_eq!(errors, json!([]), "the page logged errors");
    Ok(())
}

/// The screens a staff member reaches on a phone: screenshots in Chinese and English at
/// 360×640 and 390×844; nothing scrolls sideways, and the tab bar's tabs are whole and
/// at least 44 px tall, the rest under "More".
fn every_screen_at_phone_sizes(phone: &AppSession) -> anyhow::Result<()> {
    const SCREENS: &[&str] = &[
        "today",
        "duties",
        "feedback",
        "plans",
        "meetings",
        "assessment",
        "org",
        "settings",
    ];
    for lang in ["zh", "en"] {
        phone.choose_language(lang)?;
        for size in [Screen::SMALL, Screen::IPHONE] {
            phone.resize(size.width, size.height)?;
            let at = format!("{lang}-{}x{}", size.width, size.height);
            for screen in SCREENS {
                phone.open_screen(screen)?;
                phone.screenshot(&format!("{at}-{screen}"))?;
                let problems = phone.script(
                    "const bad = [];
                     if (document.documentElement.scrollWidth > window.innerWidth + 1) bad.push('scrolls sideways');
                     const tabs = [...document.querySelectorAll('.app-nav-item')].filter(i => i.getClientRects().length > 0);
                     if (tabs.length < 4 || tabs.length > 5) bad.push(tabs.length + ' tabs');
                     for (const i of tabs) {
                       const r = i.getBoundingClientRect(), l = i.querySelector('.app-nav-label');
                       if (r.right > window.innerWidth + 1 || r.height < 44 || l.scrollWidth > l.clientWidth + 1)
                         bad.push('tab cut: ' + i.innerText.trim());
                     }
                     return bad",
                    json!([]),
                )?;
                assert_eq!(problems, json!([]), "{at}/{screen}");
            }
            phone.click("#nav-more")?;
            phone.element("#more-screens")?;
            phone.screenshot(&format!("{at}-more"))?;
            phone.click("#more-screens .sheet-close")?;
            open_task(phone, STOCK_COUNT)?;
            phone.screenshot(&format!("{at}-task"))?;
        }
    }
    Ok(())
}

/// JavaScript: the page's error banner says `arguments[0]` (its text, in part).
const BANNER_SAYS: &str =
    "return document.querySelector('#error-banner')?.innerText.includes(arguments[0])";

/// JavaScript (asynchronous), run on a page of the relay that is not the app (its service
/// worker script, shown as text): overwrites
/// the device's database files in the browser's private file system past their pool
/// header (SQLite's own header included) with junk; answers how many it damaged.
const DAMAGE_DATABASE: &str = "const done = arguments[arguments.length - 1];
    (async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          const damage = async dir => {
            let damaged = 0;
            for await (const [, entry] of dir.entries()) {
              if (entry.kind === 'directory') {
                damaged += await damage(entry);
              } else if ((await entry.getFile()).size > 4096) {
                const w = await entry.createWritable({ keepExistingData: true });
                await w.write({ type: 'write', position: 4096, data: new Uint8Array(8192).fill(0x5a) });
                await w.close();
                damaged++;
              }
            }
            return damaged;
          };
          return await damage(await (await navigator.storage.getDirectory()).getDirectoryHandle('storeops'));
        } catch (e) {
          if (attempt > 25) return 'error: ' + e;
          await new Promise(r => setTimeout(r, 200));
        }
      }
    })().then(done);";

/// JavaScript (asynchronous): removes the device's database from the browser's private
/// file system, as the browser does when it evicts a site's storage; `true` when done.
const REMOVE_DATABASE: &str = "const done = arguments[arguments.length - 1];
    (async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          await (await navigator.storage.getDirectory()).removeEntry('storeops', { recursive: true });
          return true;
        } catch (e) {
          if (attempt > 25) return 'error: ' + e;
          await new Promise(r => setTimeout(r, 200));
        }
      }
    })().then(done);";

#[test]
fn bad_links_a_damaged_copy_and_a_removed_one_each_say_what_happened() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = artifacts("phone_bad_input");
    let relay_dir = dir.path().join("relay");
    let (store, _) = create_store(&relay_dir)?;
    let invite = || {
        relay_cli(
            &relay_dir,
            &["invite", "create", "--store", &store, "--role", "staff"],
        )
    };
    let relay = RelayProcess::start(&relay_dir, free_port()?, &out.join("relay.log"))?;
    let base = relay.url();
    let enrolled = |phone: &AppSession, what: &str| {
        phone.wait_for(
            what,
            "return document.querySelector('#sync-state')?.dataset.arrived === 'true'",
            json!([]),
            LONG,
        )
    };

    // A link cut short (no code): the app says so, and offers the form.
    let phone = AppSession::phone(
        "phone",
        &dir.path().join("profile"),
        Screen::SMALL,
        &format!("{base}/enrol#"),
        &out,
    )?;
    phone.wait_for(
        "the incomplete link's message",
        BANNER_SAYS,
        json!(["incomplete"]),
        LONG,
    )?;
    phone.element("#invite-code")?;
    phone.screenshot("1-link-cut-short")?;

    // A code the relay does not know.
    phone.goto(&format!("{base}/enrol#code=NOPE-NOPE-NOPE"))?;
    phone.wait_for(
        "the relay's refusal of a wrong code",
        "return document.querySelector('#error-banner')?.dataset.code === 'refused'",
        json!([]),
        LONG,
    )?;
    phone.screenshot("2-wrong-code")?;

    // Another relay's link, pasted into the form.
    phone.fill(
        "#invite-code",
        "https://relay.other.example:8787/enrol#code=AB12-CD34",
    )?;
    phone.click("#enrol-button")?;
    phone.wait_for(
        "the other relay's message",
        BANNER_SAYS,
        json!(["another relay"]),
        LONG,
    )?;
    phone.screenshot("3-another-relay")?;

    // The right link enrols; opened again on another phone, it has been used.
    let first = format!("{base}/enrol#code={}", invite()?);
    phone.goto(&first)?;
    enrolled(&phone, "the store on the phone")?;
    let other = AppSession::phone(
        "other-phone",
        &dir.path().join("other-profile"),
        Screen::IPHONE,
        &first,
        &out,
    )?;
    other.wait_for(
        "the used invite refused",
        "return document.querySelector('#error-banner')?.dataset.code === 'refused'",
        json!([]),
        LONG,
    )?;
    other.element("#invite-code")?;
    other.screenshot("4-used-link")?;
    drop(other);

    // The browser's copy of the store damaged while the app is closed (a page of the
    // relay that is not the app holds the tab: its service worker's script): the app says so and starts afresh.
    phone.goto(&format!("{base}/sw.js"))?;
    let damaged = phone.script_async(DAMAGE_DATABASE, json!([]))?;
    assert!(
        damaged.as_u64().is_some_and(|n| n >= 1),
        "damaged: {damaged}"
    );
    phone.goto(&format!("{base}/"))?;
    phone.wait_for(
        "the damaged copy's message",
        "return !!document.querySelector('#storage-damaged')",
        json!([]),
        LONG,
    )?;
    phone.screenshot("5-damaged")?;
    phone.click("#start-afresh")?;
    phone.click("#start-afresh-confirm")?;
    phone.wait_for(
        "the enrol form after starting afresh",
        "return !!document.querySelector('#invite-code') && !document.querySelector('#storage-cleared')",
        json!([]),
        LONG,
    )?;
    phone.goto(&format!("{base}/enrol#code={}", invite()?))?;
    enrolled(&phone, "the store back after starting afresh")?;

    // The browser removes the app's storage: the next start says so instead of showing
    // an empty app as if nothing had been there.
    phone.goto(&format!("{base}/sw.js"))?;
    let removed = phone.script_async(REMOVE_DATABASE, json!([]))?;
    assert_eq!(removed, json!(true));
    phone.goto(&format!("{base}/"))?;
    phone.wait_for(
        "the removed copy's message",
        "return !!document.querySelector('#storage-cleared') && !!document.querySelector('#invite-code')",
        json!([]),
        LONG,
    )?;
    phone.screenshot("6-removed-by-the-browser")?;
    phone.goto(&format!("{base}/enrol#code={}", invite()?))?;
    enrolled(&phone, "the store back after the browser removed it")?;
    assert_eq!(
        phone.script(
            "return !!document.querySelector('#storage-cleared')",
            json!([])
        )?,
        json!(false)
    );

    // A second invite opened on the enrolled phone is not used: it says how to switch.
    phone.goto(&format!("{base}/enrol#code={}", invite()?))?;
    phone.wait_for(
        "the already-enrolled message",
        BANNER_SAYS,
        json!(["already set up"]),
        LONG,
    )?;
    enrolled(&phone, "the store still on the phone")?;
    phone.screenshot("7-second-invite")?;
    Ok(())
}
