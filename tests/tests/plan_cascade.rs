//! The planning cascade through the real app: a department head drafts a weekly plan
//! offline and submits it; the operations head approves it on another device; the
//! department head turns it into tasks; they appear on a staff member's Today.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::time::Duration;

use serde_json::json;
use storeops_e2e::{AppSession, RelayProcess, artifacts, free_port, relay_cli, stored_org};

/// Sets a form field the way typing would (date inputs take no keystrokes reliably).
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

fn wait_for_element(app: &AppSession, what: &str, css: &str, secs: u64) -> anyhow::Result<()> {
    app.wait_for(
        what,
        "return !!document.querySelector(arguments[0])",
        json!([css]),
        Duration::from_secs(secs),
    )?;
    Ok(())
}

#[test]
fn a_weekly_plan_drafted_offline_is_approved_and_becomes_tasks_on_a_staff_phone()
-> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = artifacts("plan_cascade");
    let relay_dir = dir.path().join("relay");
    let store = relay_cli(
        &relay_dir,
        &[
            "store",
            "create",
            "--name",
            "东门店",
            "--template",
            "plan2",
            "--locale",
            "zh-CN",
            "--demo-people",
            "yes",
        ],
    )?;
    // Who is who, from the org chart: a department head, whom they report to, and
    // a position in the head's department.
    let org = stored_org(&relay_dir, &store)?;
    let holder = |pos: &str| {
        org.people
            .iter()
            .find(|(_, p)| p.held_positions().contains(&pos))
            .map(|(id, _)| id.clone())
            .unwrap()
    };
    let (dept, head_pos, boss_pos) = org
        .departments
        .iter()
        .find_map(|(id, d)| {
            let head = d.head.clone()?;
            let boss = org.positions.get(&head)?.reports_to.clone()?;
            Some((id.clone(), head, boss))
        })
        .unwrap();
    let staff_pos = org
        .positions
        .iter()
        .find(|(id, p)| p.department == dept && **id != head_pos)
        .map(|(id, _)| id.clone())
        .unwrap();
    let invite = |role: &str, pos: &str| {
        relay_cli(
            &relay_dir,
            &[
                "invite",
                "create",
                "--store",
                &store,
                "--role",
                role,
                "--person",
                &holder(pos),
            ],
        )
    };
    let head_code = invite("department_manager", &head_pos)?;
    let boss_code = invite("operations_manager", &boss_pos)?;
    let staff_code = invite("staff", &staff_pos)?;

    let mut relay = RelayProcess::start(&relay_dir, free_port()?, &out.join("relay.log"))?;
    let head = AppSession::start("head", &dir.path().join("head"), &out)?;
    let boss = AppSession::start("boss", &dir.path().join("boss"), &out)?;
    let staff = AppSession::start("staff", &dir.path().join("staff"), &out)?;
    head.enrol(&relay.url(), &head_code, "市场部经理手机")?;
    boss.enrol(&relay.url(), &boss_code, "运营部经理电脑")?;
    staff.enrol(&relay.url(), &staff_code, "店员手机")?;

    // Offline, the department head drafts this week's plan with one item and submits it.
    relay.stop();
    head.wait_for(
        "the offline indicator",
        "return document.querySelector('#sync-state')?.dataset.online === 'false'",
        json!([]),
        Duration::from_secs(20),
    )?;
    head.open_screen("plans")?;
    wait_for_element(&head, "the plans screen", "#new-plan-button", 10)?;
    head.click("#new-plan-button")?;
    wait_for_element(&head, "the new plan form", "#plan-title", 10)?;
    head.select("#plan-level", "weekly")?;
    head.fill("#plan-title", "本周陈列与盘点")?;
    head.select("#plan-owner", &head_pos)?;
    head.click("#create-plan-button")?;
    wait_for_element(
        &head,
        "the new weekly plan",
        ".plan-node.is-current[data-level='weekly']",
        10,
    )?;
    let item = "盘点乳品冷柜";
    head.fill("#plan-item-text", item)?;
    head.select("#plan-item-assignee", &format!("position:{staff_pos}"))?;
    // Due today in the store's time zone (Asia/Shanghai, the default), so it is on Today.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis() as i64;
    let today = storeops_domain::calendar::Date::from_unix_ms(now, 480).to_string();
    set_field(&head, "#plan-item-due", &today)?;
    head.click("#add-plan-item-button")?;
    wait_for_element(&head, "the plan's item", "#plan-detail .plan-item", 10)?;
    head.click("#submit-plan-button")?;
    wait_for_element(
        &head,
        "the submitted plan",
        "#plan-detail[data-status='submitted']",
        10,
    )?;
    head.screenshot("1-submitted-offline")?;

    // Back online: the operations head approves it.
    relay.restart()?;
    boss.open_screen("plans")?;
    wait_for_element(
        &boss,
        "the submitted plan on the approver's device",
        ".plan-node[data-status='submitted']",
        60,
    )?;
    boss.click(".plan-node[data-status='submitted']")?;
    wait_for_element(&boss, "the approve button", "#approve-plan-button", 10)?;
    boss.click("#approve-plan-button")?;
    wait_for_element(
        &boss,
        "the approved plan",
        "#plan-detail[data-status='approved']",
        10,
    )?;
    boss.screenshot("2-approved")?;

    // The department head schedules it.
    wait_for_element(
        &head,
        "the approval on the head's device",
        ".plan-node[data-status='approved']",
        60,
    )?;
    head.click(".plan-node[data-status='approved']")?;
    wait_for_element(&head, "the schedule button", "#schedule-plan-button", 10)?;
    head.click("#schedule-plan-button")?;
    head.wait_for(
        "the plan's tasks",
        "return !document.querySelector('#schedule-plan-button')",
        json!([]),
        Duration::from_secs(10),
    )?;
    head.screenshot("3-scheduled")?;

    // The staff member finds it on Today.
    staff.open_screen("today")?;
    staff.wait_for(
        "the plan's task on the staff phone",
        "return [...document.querySelectorAll('.task .task-title')].some(e => e.textContent.trim() === arguments[0])",
        json!([item]),
        Duration::from_secs(60),
    )?;
    staff.screenshot("4-staff-today")?;
    Ok(())
}
