//! Opening a new store from the app: the first-run screen's "Open a new store" with a
//! code from the relay's operator, a seed template picked from its preview; then the
//! new director builds on it (a department, a duty). Screenshots at phone and laptop
//! size for a person to look at.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::time::Duration;

use serde_json::json;
use storeops_e2e::{AppSession, RelayProcess, artifacts, free_port, relay_cli};

fn wait_for_element(app: &AppSession, what: &str, css: &str) -> anyhow::Result<()> {
    app.wait_for(
        what,
        "return !!document.querySelector(arguments[0])",
        json!([css]),
        Duration::from_secs(20),
    )?;
    Ok(())
}

fn wait_for_text(app: &AppSession, what: &str, css: &str, text: &str) -> anyhow::Result<()> {
    app.wait_for(
        what,
        "return [...document.querySelectorAll(arguments[0])].some(e => e.textContent.includes(arguments[1]))",
        json!([css, text]),
        Duration::from_secs(20),
    )?;
    Ok(())
}

#[test]
fn a_director_opens_a_store_from_a_template_and_builds_on_it() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = artifacts("new_store");
    let relay_dir = dir.path().join("relay");
    std::fs::create_dir_all(&relay_dir)?;
    let code = relay_cli(&relay_dir, &["store", "grant"])?;
    let relay = RelayProcess::start(&relay_dir, free_port()?, &out.join("relay.log"))?;
    let app = AppSession::start("director", &dir.path().join("app"), &out)?;

    app.resize(390, 844)?;
    app.click("#open-store-tab")?;
    wait_for_element(&app, "the new-store form", "#open-store-form")?;
    app.click(".template-card[data-template='plan2']")?;
    wait_for_element(
        &app,
        "plan 2's preview",
        "#template-preview[data-template='plan2']",
    )?;
    app.screenshot("1-new-store-phone")?;
    app.resize(1440, 900)?;
    app.screenshot("2-new-store-laptop")?;

    // A wrong code is refused with the relay's words, and nothing is created.
    app.fill("#store-code", "0000-0000-0000-0000")?;
    app.fill("#store-name", "西门店")?;
    app.fill("#store-person-name", "李敏")?;
    app.fill("#store-device-name", "总监电脑")?;
    app.fill("#store-relay-url", &relay.url())?;
    app.click("#open-store-button")?;
    wait_for_element(&app, "the refusal", "#error-banner")?;
    assert!(
        app.text("#error-banner")?.contains("code"),
        "{}",
        app.page_summary()
    );
    assert_eq!(relay_cli(&relay_dir, &["store", "list"])?, "");

    app.fill("#store-code", &code)?;
    app.click("#open-store-button")?;
    app.wait_for(
        "the new store's data",
        "return document.querySelector('#sync-state')?.dataset.arrived === 'true'",
        json!([]),
        Duration::from_secs(30),
    )?;
    wait_for_text(&app, "the store's name", "header", "西门店")?;
    assert!(relay_cli(&relay_dir, &["store", "list"])?.contains("西门店"));
    app.screenshot("3-director-today")?;

    // The opener is on the org chart, in the plan's top position, and may invite
    // (a dead end before): here a second device of their own, whose role their
    // position gives.
    app.open_screen("org")?;
    wait_for_text(
        &app,
        "the director on the org chart",
        ".org-position",
        "李敏",
    )?;
    app.open_screen("settings")?;
    let me = app.wait_for(
        "the director among the people to invite",
        "return [...document.querySelectorAll('#invite-person option')].find(o => o.textContent.includes('李敏'))?.value ?? null",
        json!([]),
        Duration::from_secs(10),
    )?;
    app.select("#invite-person", me.as_str().unwrap_or_default())?;
    let role = app.wait_for(
        "the role their position gives",
        "return document.querySelector('#invite-role-shown')?.dataset.role ?? null",
        json!([]),
        Duration::from_secs(10),
    )?;
    assert!(
        ["manager", "operations_manager", "director"].contains(&role.as_str().unwrap_or_default()),
        "{role}"
    );
    app.click("#invite-create")?;
    wait_for_element(&app, "the invite code", "#invite-code-shown")?;
    app.screenshot("3b-director-invites-a-department-manager")?;

    // The director adds a department and a duty.
    app.open_screen("org")?;
    app.click("#add-department-button")?;
    wait_for_element(&app, "the department form", "#department-name")?;
    app.fill("#department-name", "烘焙部")?;
    app.screenshot("4-add-department")?;
    app.click("#save-department-button")?;
    wait_for_text(&app, "the new department", ".org-department", "烘焙部")?;

    app.open_screen("duties")?;
    app.click("#add-duty-button")?;
    wait_for_element(&app, "the duty form", "#duty-text")?;
    app.fill("#duty-text", "每天开店前检查冷柜温度")?;
    let owner = app.script(
        "return [...document.querySelector('#duty-owner').options].map(o => o.value).find(v => v.startsWith('position:')) ?? null",
        json!([]),
    )?;
    app.select("#duty-owner", owner.as_str().unwrap())?;
    app.select("#duty-cadence", "daily")?;
    app.screenshot("5-add-duty")?;
    app.click("#save-duty-button")?;
    wait_for_text(&app, "the new duty", ".duty", "每天开店前检查冷柜温度")?;
    app.resize(390, 844)?;
    app.screenshot("6-duties-phone")?;
    Ok(())
}
