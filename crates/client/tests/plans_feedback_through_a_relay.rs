//! Plans, feedback and meetings across devices through a real relay: the period
//! documents they live in are opened offline, listed in the root, and accepted by
//! the relay when the devices reconnect.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

mod support;

use storeops_api::command::{
    ActionsToTasks, AddActionItem, CreateMeeting, CreatePlan, GetDashboard, GetFeedback,
    GetMeetings, GetOrgChart, GetPlans, GetReportPhoto, GetStatus, GetTaskDetail, ListTasks,
    OpenStore, ReportProblem, RerouteReport, ReviewPlan, SchedulePlan, SetFeedbackRoute,
    SetMinutes, SetPlanItem, SetReportStatus, SetTaskStatus,
};
use storeops_api::plans::PlanBoard;
use storeops_api::relay::NewStore;
use storeops_api::tasks::{Change, ChangeKind, OriginKind, OriginView, Said};
use storeops_api::{
    ErrorCode, Handles, PlanAction, PlanLevel, PlanStatus, ReportStatus, TaskStatus,
};
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
        tokio::task::spawn_blocking(move || d.handle(enrol(&url, &code, "Lead")).unwrap())
            .await
            .unwrap();
    }
    tokio::spawn(sync_loop(lead.clone()));
    eventually("the store reaches the lead", || {
        lead.replica().all_arrived()
    })
    .await;
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
        tokio::task::spawn_blocking(move || d2.handle(enrol(&url, &code, &name)).unwrap())
            .await
            .unwrap();
        tokio::spawn(sync_loop(d.clone()));
        devices.push(d);
    }
    let (head, boss, staff) = (&devices[0], &devices[1], &devices[2]);
    // Every document the relay opened with the store (the year's plans among
    // them) is on each device before the relay stops.
    eventually("the store reaches every device", || {
        devices.iter().all(|d| d.replica().all_arrived())
    })
    .await;

    // Offline: the head drafts next week's plan, adds an item for a staff position, submits.
    relay.stop().await;
    eventually("the head is offline", || !head.app_status().sync.online).await;
    let week = {
        let (y, w) = today.add_days(7).iso_week();
        format!("{y}-W{w:02}")
    };
    let due = today.add_days(7).to_string();
    let plan = head
        .handle(create_plan(
            PlanLevel::Weekly,
            &week,
            "Stock take week",
            &head_pos,
        ))
        .unwrap();
    assert_eq!((plan.status, plan.can_edit), (PlanStatus::Draft, true));
    let plan = head
        .handle(SetPlanItem {
            plan_id: plan.id.clone(),
            item_id: None,
            text: "Count the dairy chiller".into(),
            assignee: Some(format!("position:{staff_pos}")),
            due: Some(due.clone()),
            parent_item: None,
        })
        .unwrap();
    assert_eq!(plan.items.len(), 1);
    let plan = head
        .handle(review_plan(&plan.id, PlanAction::Submit, ""))
        .unwrap();
    assert_eq!(plan.status, PlanStatus::Submitted);
    // Bad input changes nothing.
    assert!(
        head.handle(review_plan(&plan.id, PlanAction::Approve, ""))
            .is_err(),
        "the owner cannot approve"
    );
    assert!(refused_on_the_wire(
        review_plan(&plan.id, PlanAction::Submit, ""),
        "action",
        "launch"
    ));
    assert!(
        head.handle(create_plan(PlanLevel::Weekly, "2026-48", "x", &head_pos))
            .is_err()
    );
    assert!(refused_on_the_wire(
        create_plan(PlanLevel::Weekly, &week, "x", &head_pos),
        "level",
        "daily"
    ));
    assert!(
        staff
            .handle(create_plan(PlanLevel::Weekly, &week, "x", &head_pos))
            .is_err()
    );
    assert_eq!(plans(head).plans.len(), 1);

    // Back online: the boss sees it submitted, may review it, and approves.
    let (relay, _) = start_relay(relay_dir.path(), addr).await;
    for d in &devices {
        d.sync_now();
    }
    eventually("the boss sees the submitted plan", || {
        plans(boss)
            .plans
            .iter()
            .any(|p| p.id == plan.id && p.status == PlanStatus::Submitted && p.can_review)
    })
    .await;
    let sent_back = boss
        .handle(review_plan(&plan.id, PlanAction::Return, ""))
        .unwrap_err();
    assert_eq!(sent_back.code, ErrorCode::Invalid, "{sent_back}");
    let approved = boss
        .handle(review_plan(&plan.id, PlanAction::Approve, "Good"))
        .unwrap();
    assert_eq!(approved.status, PlanStatus::Approved);
    assert!(approved.can_reopen && approved.can_comment && !approved.can_review);

    // The head turns it into tasks; they reach the staff device.
    eventually("the head sees it approved", || {
        plans(head)
            .plans
            .iter()
            .any(|p| p.id == plan.id && p.can_schedule)
    })
    .await;
    let scheduled = head
        .handle(SchedulePlan {
            plan_id: plan.id.clone(),
        })
        .unwrap();
    assert_eq!(scheduled.items[0].task_status, Some(TaskStatus::Todo));
    assert!(!scheduled.can_schedule);
    eventually("the staff device has the task", || {
        staff
            .handle(ListTasks {})
            .unwrap()
            .iter()
            .any(|t| t.title == "Count the dairy chiller" && t.due.as_deref() == Some(due.as_str()))
    })
    .await;
    let task_id = scheduled.items[0].task_id.clone().unwrap();
    let detail = head
        .handle(GetTaskDetail {
            task_id: task_id.clone(),
        })
        .unwrap();
    assert!(
        matches!(
            &detail.origin,
            Some(OriginView { kind: OriginKind::Plan, id, title: Some(title), .. })
                if *id == plan.id && *title == plan.title
        ),
        "{:?}",
        detail.origin
    );
    staff
        .handle(SetTaskStatus {
            task_id,
            status: TaskStatus::Done,
        })
        .unwrap();
    eventually("the plan's progress shows on the boss's device", || {
        plans(boss)
            .plans
            .iter()
            .any(|p| p.id == plan.id && p.progress.done == 1 && p.progress.tasks == 1)
    })
    .await;

    // Feedback: staff report a problem with a photo; its department handles it.
    // The store's managers choose where each category goes; staff may not.
    let board = boss.handle(GetFeedback {}).unwrap();
    assert!(board.can_route && !staff.handle(GetFeedback {}).unwrap().can_route);
    assert_eq!(board.routes.len(), board.categories.len());
    let target = board
        .departments
        .iter()
        .find(|d| {
            Some(&d.id)
                != board
                    .routes
                    .iter()
                    .find(|r| r.category == "staffing")
                    .and_then(|r| r.department.as_ref())
                    .map(|n| &n.id)
        })
        .unwrap()
        .clone();
    let routed = boss
        .handle(SetFeedbackRoute {
            category: "staffing".into(),
            department: target.id.clone(),
        })
        .unwrap();
    let route = routed
        .routes
        .iter()
        .find(|r| r.category == "staffing")
        .unwrap();
    assert!(route.chosen && route.department.as_ref() == Some(&target));
    for bad in [
        SetFeedbackRoute {
            category: "weather".into(),
            department: target.id.clone(),
        },
        SetFeedbackRoute {
            category: "staffing".into(),
            department: "dept:nowhere".into(),
        },
    ] {
        assert!(boss.handle(bad).is_err());
    }
    assert!(
        staff
            .handle(SetFeedbackRoute {
                category: "stock".into(),
                department: target.id.clone(),
            })
            .is_err(),
        "staff do not route"
    );
    let photo = "data:image/jpeg;base64,/9j/4AAQ";
    let board = staff
        .handle(report_problem(
            "equipment",
            "Freezer 2 is leaking",
            Some(photo),
        ))
        .unwrap();
    let report = board.reports.iter().find(|r| r.mine).unwrap().clone();
    assert!(report.has_photo && !report.can_handle);
    assert!(
        staff
            .handle(report_problem("equipment", "  ", None))
            .is_err()
    );
    assert!(
        staff
            .handle(report_problem(
                "stock",
                "x",
                Some("data:text/plain;base64,AA")
            ))
            .is_err()
    );
    assert!(
        staff
            .handle(SetReportStatus {
                report_id: report.id.clone(),
                status: ReportStatus::Resolved,
                resolution: Some("Fixed".into()),
            })
            .is_err()
    );
    eventually("the boss sees the report", || {
        boss.handle(GetFeedback {})
            .unwrap()
            .reports
            .iter()
            .any(|r| r.id == report.id && r.can_handle)
    })
    .await;
    // A staffing report goes where the route says; the boss sends it on.
    let board = staff
        .handle(report_problem("staffing", "Two off sick on Saturday", None))
        .unwrap();
    let staffing = board
        .reports
        .iter()
        .find(|r| r.category == "staffing")
        .unwrap()
        .clone();
    assert_eq!(staffing.department_id.as_ref(), Some(&target.id));
    let elsewhere = board
        .departments
        .iter()
        .find(|d| d.id != target.id)
        .unwrap()
        .clone();
    eventually("the boss has the staffing report", || {
        boss.handle(GetFeedback {})
            .unwrap()
            .reports
            .iter()
            .any(|r| r.id == staffing.id)
    })
    .await;
    let sent_on = boss
        .handle(RerouteReport {
            report_id: staffing.id.clone(),
            department: elsewhere.id.clone(),
        })
        .unwrap();
    assert_eq!(
        sent_on
            .reports
            .iter()
            .find(|r| r.id == staffing.id)
            .and_then(|r| r.department_id.clone()),
        Some(elsewhere.id.clone())
    );
    assert_eq!(
        boss.handle(GetReportPhoto {
            report_id: report.id.clone(),
        })
        .unwrap(),
        photo
    );
    boss.handle(SetReportStatus {
        report_id: report.id.clone(),
        status: ReportStatus::Resolved,
        resolution: Some("Seal replaced".into()),
    })
    .unwrap();
    eventually("the reporter sees the outcome", || {
        staff
            .handle(GetFeedback {})
            .unwrap()
            .reports
            .iter()
            .any(|r| {
                r.id == report.id
                    && r.status == ReportStatus::Resolved
                    && r.resolution.as_deref() == Some("Seal replaced")
            })
    })
    .await;

    // A meeting with an action item that becomes a task.
    let board = boss
        .handle(CreateMeeting {
            title: "Weekly operations meeting".into(),
            date: today.to_string(),
            department: None,
            attendees: vec![head_p.clone(), boss_p.clone()],
            agenda: vec!["Last week's numbers".to_owned()],
            repeat_weeks: 1,
            managers_only: false,
        })
        .unwrap();
    assert_eq!(board.meetings.len(), 2, "the meeting and its repeat");
    let meeting = board
        .meetings
        .iter()
        .find(|m| m.date == today.to_string())
        .unwrap()
        .id
        .clone();
    boss.handle(SetMinutes {
        meeting_id: meeting.clone(),
        text: "Dairy stock take went well".into(),
    })
    .unwrap();
    boss.handle(AddActionItem {
        meeting_id: meeting.clone(),
        text: "Fix the chiller door".into(),
        owner: Some(format!("position:{staff_pos}")),
        due: Some(today.to_string()),
    })
    .unwrap();
    let board = boss
        .handle(ActionsToTasks {
            meeting_id: meeting.clone(),
        })
        .unwrap();
    let m = board.meetings.iter().find(|m| m.id == meeting).unwrap();
    assert_eq!(m.minutes, "Dairy stock take went well");
    assert!(m.actions[0].task_id.is_some());
    // The task says where it came from as structure (the UI words it), and
    // its description is what a person typed: nothing.
    let detail = boss
        .handle(GetTaskDetail {
            task_id: m.actions[0].task_id.clone().unwrap(),
        })
        .unwrap();
    assert_eq!(detail.description, "");
    assert_eq!(
        detail.origin,
        Some(OriginView {
            kind: OriginKind::Meeting,
            id: meeting.clone(),
            title: Some("Weekly operations meeting".into()),
            date: Some(today.to_string()),
        })
    );
    assert!(
        matches!(
            detail.history.last().map(|h| &h.said),
            Some(Said::Change(Change { what: ChangeKind::FromMeeting { count: 1, meeting }, .. }))
                if meeting == "Weekly operations meeting"
        ),
        "{:?}",
        detail.history
    );
    eventually("the action item reaches staff as a task", || {
        staff
            .handle(ListTasks {})
            .unwrap()
            .iter()
            .any(|t| t.title == "Fix the chiller door")
    })
    .await;

    // A meeting marked for managers only: everyone sees that it was held, its
    // minutes reach the managers' devices and never a staff phone.
    let board = boss
        .handle(CreateMeeting {
            title: "Pay review".into(),
            date: today.to_string(),
            department: None,
            attendees: vec![head_p.clone(), boss_p.clone()],
            agenda: vec![],
            repeat_weeks: 0,
            managers_only: true,
        })
        .unwrap();
    let private = board
        .meetings
        .iter()
        .find(|m| m.title == "Pay review")
        .unwrap()
        .id
        .clone();
    let board = boss
        .handle(SetMinutes {
            meeting_id: private.clone(),
            text: "Raises for the dairy team".into(),
        })
        .unwrap();
    let m = board.meetings.iter().find(|m| m.id == private).unwrap();
    assert_eq!(
        (m.minutes.as_str(), m.managers_only),
        ("Raises for the dairy team", true)
    );
    eventually("the department head reads the managers' minutes", || {
        head.handle(GetMeetings {}).is_ok_and(|b| {
            b.meetings
                .iter()
                .any(|m| m.id == private && m.minutes == "Raises for the dairy team")
        })
    })
    .await;
    eventually("staff see the meeting without its minutes", || {
        staff.handle(GetMeetings {}).is_ok_and(|b| {
            b.meetings
                .iter()
                .any(|m| m.id == private && m.managers_only && m.minutes.is_empty())
        })
    })
    .await;
    let minutes_doc = relay_documents(relay_dir.path(), &store)
        .into_iter()
        .find(|(_, m)| m.kind == storeops_domain::kind::MINUTES)
        .map(|(id, _)| id)
        .unwrap();
    assert!(
        staff
            .replica()
            .heads(&minutes_doc)
            .is_none_or(|h| h.is_empty()),
        "the staff phone never received the managers' minutes"
    );
    assert!(staff.app_status().sync.last_error.is_none());

    // The dashboard counts it all; staff have none.
    let dash = boss.handle(GetDashboard { weeks: Some(8) }).unwrap();
    assert_eq!(dash.weeks.len(), 8);
    assert_eq!(dash.feedback.resolved, 1);
    assert!(dash.plans.iter().any(|p| p.id == plan.id && p.share == 1.0));
    assert!(staff.handle(GetDashboard { weeks: Some(8) }).is_err());
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
    let new = |template: &str| NewStore {
        code: code.clone(),
        name: "West Gate".into(),
        template: template.into(),
        locale: "en".into(),
        time_zone: "UTC".into(),
        device_name: "Director laptop".into(),
        person_name: Some("Li Min".into()),
    };
    {
        let (d, url, bad, good) = (device.clone(), url.clone(), new("plan7"), new("plan1"));
        tokio::task::spawn_blocking(move || {
            let open = |store: &NewStore| OpenStore {
                relay_url: url.clone(),
                store: store.clone(),
            };
            let e = d.handle(open(&bad)).unwrap_err();
            assert_eq!(e.code, ErrorCode::Invalid, "{e}");
            assert!(d.replica().enrolment().is_none());
            d.handle(open(&good)).unwrap();
            // A device holding a store may open another beside it (a director's
            // chain), but not with a code already used.
            let again = d.handle(open(&good)).unwrap_err();
            assert_eq!(again.code, ErrorCode::Refused, "{again}");
            assert_eq!(d.handle(GetStatus {}).unwrap().stores.len(), 1);
        })
        .await
        .unwrap();
    }
    tokio::spawn(sync_loop(device.clone()));
    // (Its periods, the year's plans included, are open from the start.)
    eventually("the new store arrives", || device.replica().all_arrived()).await;
    assert_eq!(device.replica().enrolment().unwrap().role, "director");
    let org = device.handle(GetOrgChart {}).unwrap();
    assert!(!org.departments.is_empty(), "built from the template");
    let year = Date::from_unix_ms(now_ms(), 0).year.to_string();
    let top = org_top_position(&device);
    // The opener is a person of the org chart, in the top position, and the
    // device is theirs.
    let person = device
        .replica()
        .enrolment()
        .unwrap()
        .person
        .clone()
        .unwrap();
    let chart = device.replica().org().unwrap();
    assert_eq!(chart.people[&person].name, "Li Min");
    assert_eq!(chart.people[&person].held_positions(), vec![top.as_str()]);
    assert_eq!(device.replica().actor().unwrap().name, "Li Min");
    let plan = device
        .handle(create_plan(
            PlanLevel::Annual,
            &year,
            "The first year",
            &top,
        ))
        .unwrap();
    device
        .handle(SetPlanItem {
            plan_id: plan.id.clone(),
            item_id: None,
            text: "Open the second floor".into(),
            assignee: None,
            due: None,
            parent_item: None,
        })
        .unwrap();
    device
        .handle(review_plan(&plan.id, PlanAction::Submit, ""))
        .unwrap();
    let approved = device
        .handle(review_plan(&plan.id, PlanAction::Approve, "Go"))
        .unwrap();
    assert_eq!(
        approved.status,
        PlanStatus::Approved,
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

/// A top-level plan (no parent) owned by `owner`, a position id.
fn create_plan(level: PlanLevel, period: &str, title: &str, owner: &str) -> CreatePlan {
    CreatePlan {
        level,
        period: period.into(),
        title: title.into(),
        owner: owner.into(),
        parent: None,
    }
}

fn review_plan(plan: &str, action: PlanAction, text: &str) -> ReviewPlan {
    ReviewPlan {
        plan_id: plan.into(),
        action,
        text: text.into(),
    }
}

/// This year's plans as `device` sees them.
fn plans(device: &Device) -> PlanBoard {
    device.handle(GetPlans { year: None }).unwrap()
}

fn report_problem(category: &str, text: &str, photo: Option<&str>) -> ReportProblem {
    ReportProblem {
        category: category.into(),
        text: text.into(),
        photo: photo.map(Into::into),
    }
}
