//! Plans, feedback and meetings across devices through a real relay: the period
//! documents they live in are opened offline, listed in the root, and accepted by
//! the relay when the devices reconnect.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

mod support;

use storeops_client::{Device, sync_loop};
use storeops_domain::Role;
use storeops_domain::calendar::Date;
use storeops_relay::registry::Registry;
use support::*;

/// The demo plan2 store's people: (department head, their boss, a staff member of
/// the head's department), as (person, position) pairs, read from its org chart.
fn cast(org: &storeops_domain::OrgDoc) -> [(String, String); 3] {
    let holder = |pos: &str| {
        org.people
            .iter()
            .find(|(_, p)| p.held_positions().contains(&pos))
            .map(|(id, _)| id.clone())
            .unwrap()
    };
    let (dept, head, boss) = org
        .departments
        .iter()
        .find_map(|(id, d)| {
            let head = d.head.clone()?;
            let boss = org.positions.get(&head)?.reports_to.clone()?;
            Some((id.clone(), head, boss))
        })
        .unwrap();
    let staff = org
        .positions
        .iter()
        .find(|(id, p)| p.department == dept && **id != head)
        .map(|(id, _)| id.clone())
        .unwrap();
    [
        (holder(&head), head),
        (holder(&boss), boss),
        (holder(&staff), staff),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_weekly_plan_drafted_offline_is_approved_upstairs_and_becomes_staff_tasks() {
    let relay_dir = tempfile::tempdir().unwrap();
    let today = Date::from_unix_ms(now_ms(), 0);
    let (store, org_doc) = {
        let mut reg = Registry::open(relay_dir.path()).unwrap();
        let s = reg
            .create_demo_store("Demo", "plan2", "en", "UTC", today, 0)
            .unwrap();
        (s.id.clone(), s)
    };
    let _ = org_doc;
    let (relay, addr) = start_relay(relay_dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    let url = format!("http://{addr}");

    // A manager device first, to read who is who.
    let code = Registry::open(relay_dir.path())
        .unwrap()
        .create_invite(&store, Role::Manager, None, now_ms(), 3_600_000)
        .unwrap();
    let dirs: Vec<_> = (0..4).map(|_| tempfile::tempdir().unwrap()).collect();
    let lead = Device::open(dirs[0].path()).unwrap();
    {
        let (d, url) = (lead.clone(), url.clone());
        tokio::task::spawn_blocking(move || d.enrol(&url, &code, "Lead").unwrap())
            .await
            .unwrap();
    }
    tokio::spawn(sync_loop(lead.clone()));
    eventually("the store reaches the lead", || lead.status().store_arrived).await;
    let org = lead.replica().org().unwrap();
    let [(head_p, head_pos), (boss_p, _), (staff_p, staff_pos)] = cast(&org);

    let mut devices = Vec::new();
    for (i, (role, person, name)) in [
        (Role::DepartmentManager, &head_p, "Head phone"),
        (Role::OperationsManager, &boss_p, "Ops laptop"),
        (Role::Staff, &staff_p, "Floor phone"),
    ]
    .into_iter()
    .enumerate()
    {
        let code = Registry::open(relay_dir.path())
            .unwrap()
            .create_invite(&store, role, Some(person), now_ms(), 3_600_000)
            .unwrap();
        let d = Device::open(dirs[i + 1].path()).unwrap();
        let (d2, url, name) = (d.clone(), url.clone(), name.to_owned());
        tokio::task::spawn_blocking(move || d2.enrol(&url, &code, &name).unwrap())
            .await
            .unwrap();
        tokio::spawn(sync_loop(d.clone()));
        devices.push(d);
    }
    let (head, boss, staff) = (&devices[0], &devices[1], &devices[2]);
    eventually("the store reaches every device", || {
        devices.iter().all(|d| d.status().store_arrived)
    })
    .await;

    // Offline: the head drafts next week's plan, adds an item for a staff position, submits.
    relay.stop().await;
    eventually("the head is offline", || !head.status().online).await;
    let week = {
        let (y, w) = today.add_days(7).iso_week();
        format!("{y}-W{w:02}")
    };
    let due = today.add_days(7).to_string();
    let plan = head
        .create_plan("weekly", &week, "Stock take week", &head_pos, None)
        .unwrap();
    assert_eq!((plan.status, plan.can_edit), ("draft", true));
    let plan = head
        .set_plan_item(
            &plan.id,
            None,
            "Count the dairy chiller",
            Some(&format!("position:{staff_pos}")),
            Some(&due),
            None,
        )
        .unwrap();
    assert_eq!(plan.items.len(), 1);
    let plan = head.review_plan(&plan.id, "submit", "").unwrap();
    assert_eq!(plan.status, "submitted");
    // Bad input changes nothing.
    assert!(
        head.review_plan(&plan.id, "approve", "").is_err(),
        "the owner cannot approve"
    );
    assert!(head.review_plan(&plan.id, "launch", "").is_err());
    assert!(
        head.create_plan("weekly", "2026-48", "x", &head_pos, None)
            .is_err()
    );
    assert!(
        head.create_plan("daily", &week, "x", &head_pos, None)
            .is_err()
    );
    assert!(
        staff
            .create_plan("weekly", &week, "x", &head_pos, None)
            .is_err()
    );
    assert_eq!(head.plans(None).unwrap().plans.len(), 1);

    // Back online: the boss sees it submitted, may review it, and approves.
    let (relay, _) = start_relay(relay_dir.path(), addr).await;
    for d in &devices {
        d.sync_now();
    }
    eventually("the boss sees the submitted plan", || {
        boss.plans(None)
            .unwrap()
            .plans
            .iter()
            .any(|p| p.id == plan.id && p.status == "submitted" && p.can_review)
    })
    .await;
    let sent_back = boss.review_plan(&plan.id, "return", "").unwrap_err();
    assert_eq!(sent_back.code(), "invalid", "{sent_back}");
    let approved = boss.review_plan(&plan.id, "approve", "Good").unwrap();
    assert_eq!(approved.status, "approved");

    // The head turns it into tasks; they reach the staff device.
    eventually("the head sees it approved", || {
        head.plans(None)
            .unwrap()
            .plans
            .iter()
            .any(|p| p.id == plan.id && p.can_schedule)
    })
    .await;
    let scheduled = head.schedule_plan(&plan.id).unwrap();
    assert_eq!(scheduled.items[0].task_status, Some("todo"));
    assert!(!scheduled.can_schedule);
    eventually("the staff device has the task", || {
        staff
            .tasks()
            .unwrap()
            .iter()
            .any(|t| t.title == "Count the dairy chiller" && t.due.as_deref() == Some(due.as_str()))
    })
    .await;
    let task_id = scheduled.items[0].task_id.clone().unwrap();
    staff.set_task_status(&task_id, "done").unwrap();
    eventually("the plan's progress shows on the boss's device", || {
        boss.plans(None)
            .unwrap()
            .plans
            .iter()
            .any(|p| p.id == plan.id && p.progress.done == 1 && p.progress.tasks == 1)
    })
    .await;

    // Feedback: staff report a problem with a photo; its department handles it.
    let photo = "data:image/jpeg;base64,/9j/4AAQ";
    let board = staff
        .report_problem("equipment", "Freezer 2 is leaking", Some(photo))
        .unwrap();
    let report = board.reports.iter().find(|r| r.mine).unwrap().clone();
    assert!(report.has_photo && !report.can_handle);
    assert!(staff.report_problem("equipment", "  ", None).is_err());
    assert!(
        staff
            .report_problem("stock", "x", Some("data:text/plain;base64,AA"))
            .is_err()
    );
    assert!(
        staff
            .set_report_status(&report.id, "resolved", Some("Fixed"))
            .is_err()
    );
    eventually("the boss sees the report", || {
        boss.feedback()
            .unwrap()
            .reports
            .iter()
            .any(|r| r.id == report.id && r.can_handle)
    })
    .await;
    assert_eq!(boss.report_photo(&report.id).unwrap(), photo);
    boss.set_report_status(&report.id, "resolved", Some("Seal replaced"))
        .unwrap();
    eventually("the reporter sees the outcome", || {
        staff.feedback().unwrap().reports.iter().any(|r| {
            r.id == report.id
                && r.status == "resolved"
                && r.resolution.as_deref() == Some("Seal replaced")
        })
    })
    .await;

    // A meeting with an action item that becomes a task.
    let board = boss
        .create_meeting(
            "Weekly operations meeting",
            &today.to_string(),
            None,
            &[head_p.clone(), boss_p.clone()],
            &["Last week's numbers".to_owned()],
            1,
        )
        .unwrap();
    assert_eq!(board.meetings.len(), 2, "the meeting and its repeat");
    let meeting = board
        .meetings
        .iter()
        .find(|m| m.date == today.to_string())
        .unwrap()
        .id
        .clone();
    boss.set_minutes(&meeting, "Dairy stock take went well")
        .unwrap();
    boss.add_action_item(
        &meeting,
        "Fix the chiller door",
        Some(&format!("position:{staff_pos}")),
        Some(&today.to_string()),
    )
    .unwrap();
    let board = boss.actions_to_tasks(&meeting).unwrap();
    let m = board.meetings.iter().find(|m| m.id == meeting).unwrap();
    assert_eq!(m.minutes, "Dairy stock take went well");
    assert!(m.actions[0].task_id.is_some());
    eventually("the action item reaches staff as a task", || {
        staff
            .tasks()
            .unwrap()
            .iter()
            .any(|t| t.title == "Fix the chiller door")
    })
    .await;

    // The dashboard counts it all; staff have none.
    let dash = boss.dashboard(8).unwrap();
    assert_eq!(dash.weeks.len(), 8);
    assert_eq!(dash.feedback.resolved, 1);
    assert!(dash.plans.iter().any(|p| p.id == plan.id && p.share == 1.0));
    assert!(staff.dashboard(8).is_err());
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_store_opened_from_the_app_makes_the_device_its_director() {
    let relay_dir = tempfile::tempdir().unwrap();
    let code = Registry::open(relay_dir.path())
        .unwrap()
        .create_store_grant(now_ms(), 3_600_000)
        .unwrap();
    let (relay, addr) = start_relay(relay_dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    let url = format!("http://{addr}");
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path()).unwrap();
    let new = |template: &str| storeops_client::NewStore {
        code: code.clone(),
        name: "West Gate".into(),
        template: template.into(),
        locale: "en".into(),
        time_zone: "UTC".into(),
        device_name: "Director laptop".into(),
    };
    {
        let (d, url, bad, good) = (device.clone(), url.clone(), new("plan7"), new("plan1"));
        tokio::task::spawn_blocking(move || {
            let e = d.open_store(&url, &bad, None).unwrap_err();
            assert_eq!(e.code(), "refused", "{e}");
            assert!(d.replica().enrolment().is_none());
            d.open_store(&url, &good, None).unwrap();
            let again = d.open_store(&url, &good, None).unwrap_err();
            assert!(again.to_string().contains("sign out"), "{again}");
        })
        .await
        .unwrap();
    }
    tokio::spawn(sync_loop(device.clone()));
    eventually("the new store arrives", || device.status().store_arrived).await;
    assert_eq!(device.replica().enrolment().unwrap().role, "director");
    let org = device.org_chart().unwrap();
    assert!(!org.departments.is_empty(), "built from the template");
    let year = Date::from_unix_ms(now_ms(), 0).year.to_string();
    let top = org_top_position(&device);
    let plan = device
        .create_plan("annual", &year, "The first year", &top, None)
        .unwrap();
    device
        .set_plan_item(&plan.id, None, "Open the second floor", None, None, None)
        .unwrap();
    device.review_plan(&plan.id, "submit", "").unwrap();
    let approved = device.review_plan(&plan.id, "approve", "Go").unwrap();
    assert_eq!(
        approved.status, "approved",
        "the director decides for the company"
    );
    relay.stop().await;
}

/// A position that reports to nobody (its plans go to the company).
fn org_top_position(device: &Device) -> String {
    let org = device.replica().org().unwrap();
    org.positions
        .iter()
        .find(|(_, p)| p.reports_to.is_none())
        .map(|(id, _)| id.clone())
        .unwrap()
}
