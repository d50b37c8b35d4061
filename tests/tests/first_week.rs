//! A real store's first week from the app alone (issue 16), after the relay
//! operator's one `store grant`: a director opens a store from a template, adds a
//! department manager and two staff to the org chart and invites a device for
//! each; the three enrol from those invites; the department manager creates a
//! task with everything a task has and it reaches the assigned staff member's
//! Today; the department manager drafts and submits a weekly plan and the
//! director approves it; a staff member finds the task by a word of its
//! description; the director revokes one staff device and it is cut off.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::time::Duration;

use serde_json::json;
use storeops_e2e::{AppSession, RelayProcess, artifacts, free_port, relay_cli};

const MANAGER: &str = "王经理";
const STAFF_A: &str = "赵小红";
const STAFF_B: &str = "钱小明";
const TASK: &str = "冷库温度登记";
const DESCRIPTION: &str = "用蓝色扫码枪记录两台冷柜";

fn wait(app: &AppSession, what: &str, script: &str, args: serde_json::Value) -> anyhow::Result<()> {
    app.wait_for(what, script, args, Duration::from_secs(60))?;
    Ok(())
}

fn wait_for_element(app: &AppSession, what: &str, css: &str) -> anyhow::Result<()> {
    wait(
        app,
        what,
        "return !!document.querySelector(arguments[0])",
        json!([css]),
    )
}

/// Sets a form field the way typing would (date and time inputs take no
/// keystrokes reliably).
fn set_field(app: &AppSession, css: &str, value: &str) -> anyhow::Result<()> {
    app.element(css)?;
    app.script(
        "const e = document.querySelector(arguments[0]);
         e.value = arguments[1];
         e.dispatchEvent(new Event('input', { bubbles: true }));
         e.dispatchEvent(new Event('change', { bubbles: true }));",
        json!([css, value]),
    )?;
    Ok(())
}

/// The value of the option of `select` whose text includes `text`.
fn option_with(app: &AppSession, select: &str, text: &str) -> anyhow::Result<String> {
    let v = app.script(
        "return [...document.querySelectorAll(arguments[0] + ' option')].find(o => o.textContent.includes(arguments[1]))?.value ?? null",
        json!([select, text]),
    )?;
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no option {text:?} in {select}: {}", app.page_summary()))
}

/// The director adds `name` in `position` on the org chart.
fn add_person(director: &AppSession, name: &str, position: &str) -> anyhow::Result<()> {
    director.open_screen("org")?;
    director.fill("#person-name", name)?;
    director.select("#person-position", position)?;
    director.click("#add-person-button")?;
    wait(
        director,
        &format!("{name} on the org chart"),
        "return [...document.querySelectorAll('.org-position')].some(e => e.innerText.includes(arguments[0]))",
        json!([name]),
    )
}

/// The director's invite for `name`, whose positions give `role`: the code shown.
fn invite(director: &AppSession, name: &str, role: &str) -> anyhow::Result<String> {
    director.open_screen("settings")?;
    wait(
        director,
        &format!("{name} among the people to invite"),
        "return [...document.querySelectorAll('#invite-person option')].some(o => o.textContent.includes(arguments[0]))",
        json!([name]),
    )?;
    let person = option_with(director, "#invite-person", name)?;
    director.select("#invite-person", &person)?;
    // No role to pick: the person's positions give it.
    wait(
        director,
        &format!("{name}'s role from their positions"),
        "return document.querySelector('#invite-role-shown')?.dataset.role === arguments[0]",
        json!([role]),
    )?;
    let before = director.script(
        "return document.querySelector('#invite-code-shown')?.innerText ?? ''",
        json!([]),
    )?;
    director.click("#invite-create")?;
    let code = director.wait_for(
        "a new invite code",
        "const c = document.querySelector('#invite-code-shown')?.innerText.trim(); return c && c !== arguments[0] ? c : null",
        json!([before.as_str().unwrap_or_default().trim()]),
        Duration::from_secs(20),
    )?;
    Ok(code.as_str().unwrap_or_default().to_owned())
}

fn task_on_today(app: &AppSession, what: &str) -> anyhow::Result<()> {
    app.open_screen("today")?;
    wait(
        app,
        what,
        "return [...document.querySelectorAll('.task .task-title')].some(e => e.textContent.trim() === arguments[0])",
        json!([TASK]),
    )
}

#[test]
fn a_new_store_runs_its_first_week_from_the_app_alone() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = artifacts("first_week");
    let relay_dir = dir.path().join("relay");
    std::fs::create_dir_all(&relay_dir)?;
    // The operator's one step.
    let grant = relay_cli(&relay_dir, &["store", "grant"])?;
    let relay = RelayProcess::start(&relay_dir, free_port()?, &out.join("relay.log"))?;

    // The director opens the store from plan 3 (the store manager's position on top).
    let director = AppSession::start("director", &dir.path().join("director"), &out)?;
    director.resize(1440, 900)?;
    director.click("#open-store-tab")?;
    wait_for_element(&director, "the new-store form", "#open-store-form")?;
    director.click(".template-card[data-template='plan3']")?;
    director.fill("#store-code", &grant)?;
    director.fill("#store-name", "北门店")?;
    director.fill("#store-person-name", "李总")?;
    director.fill("#store-device-name", "总监电脑")?;
    director.select("#store-time-zone", "UTC")?;
    director.fill("#store-relay-url", &relay.url())?;
    director.click("#open-store-button")?;
    wait(
        &director,
        "the new store's data",
        "return document.querySelector('#sync-state')?.dataset.arrived === 'true'",
        json!([]),
    )?;

    // People on the org chart, and a device invite for each.
    add_person(&director, MANAGER, "pos:warehouse-manager")?;
    add_person(&director, STAFF_A, "pos:warehouse-specialist")?;
    add_person(&director, STAFF_B, "pos:warehouse-specialist")?;
    let manager_code = invite(&director, MANAGER, "department_manager")?;
    director.screenshot("1-director-invites-the-department-manager")?;
    let a_code = invite(&director, STAFF_A, "staff")?;
    let b_code = invite(&director, STAFF_B, "staff")?;
    assert_eq!(
        relay_cli(&relay_dir, &["store", "list"])?.lines().count(),
        1,
        "one store"
    );

    let manager = AppSession::start("manager", &dir.path().join("manager"), &out)?;
    let staff_a = AppSession::start("staff-a", &dir.path().join("staff-a"), &out)?;
    let staff_b = AppSession::start("staff-b", &dir.path().join("staff-b"), &out)?;
    staff_a.resize(390, 844)?;
    staff_b.resize(390, 844)?;
    manager.enrol(&relay.url(), &manager_code, "仓储部平板")?;
    staff_a.enrol(&relay.url(), &a_code, "赵小红的手机")?;
    staff_b.enrol(&relay.url(), &b_code, "钱小明的手机")?;

    // The department manager creates a whole task for Zhao, in one form.
    let today = storeops_domain::calendar::Date::from_unix_ms(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_millis() as i64,
        0,
    )
    .to_string();
    manager.open_screen("today")?;
    wait(
        &manager,
        "Zhao among the people to assign",
        "return [...document.querySelectorAll('#new-task-assignee option')].some(o => o.textContent.includes(arguments[0]))",
        json!([STAFF_A]),
    )?;
    manager.click("#task-details-toggle")?;
    manager.fill("#new-task-title", TASK)?;
    manager.fill("#new-task-description", DESCRIPTION)?;
    let zhao = option_with(&manager, "#new-task-assignee", STAFF_A)?;
    manager.select("#new-task-assignee", &zhao)?;
    manager.select("#new-task-priority", "high")?;
    set_field(&manager, "#new-task-due", &today)?;
    set_field(&manager, "#new-task-due-time", "09:30")?;
    set_field(&manager, "#new-task-checklist", "冷柜一号\n冷柜二号")?;
    manager.screenshot("2-department-manager-new-task")?;
    manager.click("#add-task-button")?;
    wait(
        &manager,
        "the task saved and the form cleared",
        "return document.querySelector('#new-task-title').value === ''",
        json!([]),
    )?;

    // It is on Zhao's Today, whole; not on Qian's.
    task_on_today(&staff_a, "the new task on Zhao's phone")?;
    staff_a.screenshot("3-zhao-today")?;
    let qian_titles = staff_b.script(
        "return [...document.querySelectorAll('.task .task-title')].map(e => e.textContent.trim())",
        json!([]),
    )?;
    assert!(
        !qian_titles.to_string().contains(TASK),
        "Zhao's task is not on Qian's Today: {qian_titles}"
    );

    // The department manager's weekly plan, submitted; the director approves it.
    manager.open_screen("plans")?;
    wait_for_element(&manager, "the plans screen", "#new-plan-button")?;
    manager.click("#new-plan-button")?;
    wait_for_element(&manager, "the new plan form", "#plan-title")?;
    manager.select("#plan-level", "weekly")?;
    manager.fill("#plan-title", "本周仓储计划")?;
    manager.select("#plan-owner", "pos:warehouse-manager")?;
    manager.click("#create-plan-button")?;
    wait_for_element(
        &manager,
        "the new weekly plan",
        ".plan-node.is-current[data-level='weekly']",
    )?;
    manager.fill("#plan-item-text", "整理冷库货架")?;
    manager.click("#add-plan-item-button")?;
    wait_for_element(&manager, "the plan's item", "#plan-detail .plan-item")?;
    manager.click("#submit-plan-button")?;
    wait_for_element(
        &manager,
        "the submitted plan",
        "#plan-detail[data-status='submitted']",
    )?;
    director.open_screen("plans")?;
    wait_for_element(
        &director,
        "the submitted plan on the director's laptop",
        ".plan-node[data-status='submitted']",
    )?;
    director.click(".plan-node[data-status='submitted']")?;
    wait_for_element(&director, "the approve button", "#approve-plan-button")?;
    director.click("#approve-plan-button")?;
    wait_for_element(
        &director,
        "the approved plan",
        "#plan-detail[data-status='approved']",
    )?;
    director.screenshot("4-director-approved")?;
    wait_for_element(
        &manager,
        "the approval on the department manager's tablet",
        ".plan-node[data-status='approved']",
    )?;

    // Zhao finds the task by a word of its description.
    staff_a.open_screen("today")?;
    staff_a.fill("#task-search", "扫码枪")?;
    staff_a.script(
        "document.querySelector('#task-search-form').requestSubmit()",
        json!([]),
    )?;
    wait(
        &staff_a,
        "the task found by a word of its description",
        "return document.querySelector('#search-results')?.innerText.includes(arguments[0])",
        json!([TASK]),
    )?;
    staff_a.screenshot("5-zhao-search")?;

    // The director revokes Qian's phone; it is cut off.
    director.open_screen("settings")?;
    let row = "[...document.querySelectorAll('.device-row')].find(r => r.innerText.includes('钱小明的手机'))";
    wait(
        &director,
        "Qian's phone among the store's devices",
        &format!("return !!{row}"),
        json!([]),
    )?;
    director.script(&format!("{row}.querySelector('button').click()"), json!([]))?;
    director.script(
        &format!("{row}.querySelector('.button-danger').click()"),
        json!([]),
    )?;
    wait(
        &director,
        "Qian's phone shown revoked",
        &format!("return {row}?.dataset.revoked === 'true'"),
        json!([]),
    )?;
    director.screenshot("6-director-revoked-a-phone")?;
    staff_b.click("#sync-now")?;
    wait(
        &staff_b,
        "Qian's phone cut off and told so",
        "return document.querySelector('#sync-state')?.dataset.online === 'false' && !!document.querySelector('.sync-bar .sync-error')",
        json!([]),
    )?;
    staff_b.screenshot("7-qian-revoked")?;

    // For a person to look at: the new forms, the QR invite, the devices and
    // search, at phone and laptop size, in both languages.
    for (lang, (size, w, h)) in ["zh", "en"]
        .into_iter()
        .flat_map(|l| [("phone", 390, 844), ("laptop", 1440, 900)].map(|s| (l, s)))
    {
        let shot =
            |app: &AppSession, what: &str| app.screenshot(&format!("8-{lang}-{size}-{what}"));
        let into_view = |app: &AppSession, css: &str| {
            app.script(
                "document.querySelector(arguments[0])?.scrollIntoView({block: 'start'})",
                json!([css]),
            )
        };
        director.choose_language(lang)?;
        director.resize(w, h)?;
        director.open_screen("settings")?;
        let wang = option_with(&director, "#invite-person", MANAGER)?;
        director.select("#invite-person", &wang)?;
        director.click("#invite-create")?;
        wait_for_element(&director, "the invite's QR code", ".invite-qr svg")?;
        into_view(&director, "#invite-section")?;
        shot(&director, "invite")?;
        into_view(&director, ".invite-qr")?;
        shot(&director, "invite-qr")?;
        into_view(&director, "#devices-section")?;
        shot(&director, "devices")?;

        manager.choose_language(lang)?;
        manager.resize(w, h)?;
        manager.open_screen("today")?;
        wait_for_element(&manager, "the new-task form", "#task-details-toggle")?;
        if manager.script(
            "return document.querySelector('#new-task-details').hidden",
            json!([]),
        )? == json!(true)
        {
            manager.click("#task-details-toggle")?;
        }
        shot(&manager, "task-form")?;

        staff_a.choose_language(lang)?;
        staff_a.resize(w, h)?;
        staff_a.open_screen("today")?;
        staff_a.fill("#task-search", "扫码枪")?;
        staff_a.script(
            "document.querySelector('#task-search-form').requestSubmit()",
            json!([]),
        )?;
        wait(
            &staff_a,
            "the search's result",
            "return document.querySelector('#search-results')?.innerText.includes(arguments[0])",
            json!([TASK]),
        )?;
        shot(&staff_a, "search")?;
    }
    drop(relay);
    Ok(())
}
