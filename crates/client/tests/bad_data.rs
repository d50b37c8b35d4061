//! A device whose documents hold bad data (one malformed entity of each kind, as a
//! buggy or hostile device could write them) shows everything else on every screen,
//! and its status names what the screens left out; a document of a newer schema
//! shows read-only and refuses changes with `update_app`.

#![allow(clippy::unwrap_used)]
mod support;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjId, ROOT, ReadDoc, ScalarValue};
use storeops_api::command::{
    AddPerson, AddTask, CreateMeeting, CreatePlan, DefineKpi, GetAssessment, GetDashboard,
    GetDutyRegister, GetFeedback, GetMeetings, GetOrgChart, GetPlans, GetStaffing, GetStatus,
    GetTeamBoard, ListTasks, ReportProblem,
};
use storeops_api::{ErrorCode, Handles, KpiMetric, PlanLevel};
use storeops_client::{Device, sync_loop};
use storeops_domain::calendar::Date;
use storeops_domain::{DomainError, Role, kind};
use storeops_relay::registry::Registry;
use support::*;

/// Writes `value` at `path` (from the root) `.field`, as one raw change.
fn spoil(
    am: &mut Automerge,
    path: &[&str],
    field: &str,
    value: impl Into<ScalarValue>,
) -> Result<(), DomainError> {
    let mut tx = am.transaction();
    let mut obj: ObjId = ROOT;
    for key in path {
        obj = tx.get(&obj, *key).unwrap().unwrap().1;
    }
    tx.put(&obj, field, value.into()).unwrap();
    tx.commit();
    Ok(())
}

/// The ids of the two entities of a pair: the one kept good, the one spoilt.
fn pair(ids: Vec<String>) -> (String, String) {
    assert_eq!(ids.len(), 2, "{ids:?}");
    (ids[0].clone(), ids[1].clone())
}

async fn manager_device() -> (RunningRelay, Device, tempfile::TempDir, tempfile::TempDir) {
    let relay_dir = tempfile::tempdir().unwrap();
    let today = Date::from_unix_ms(now_ms(), 0);
    let code = {
        let mut reg = Registry::open(relay_dir.path()).unwrap();
        let s = reg
            .create_demo_store("Demo", "plan2", "en", "UTC", today, 0)
            .unwrap();
        reg.create_invite(&s.id, Role::Manager, None, now_ms(), 3_600_000)
            .unwrap()
    };
    // Bad data as it reaches devices through a relay that does not check writes
    // (an older one): a checking relay refuses it (its write rules), and the
    // writing device takes it back.
    let (relay, addr) = start_relay_with(relay_dir.path(), "127.0.0.1:0".parse().unwrap(), |s| {
        s.validate_writes = false
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let m = Device::open(dir.path()).unwrap();
    {
        let (d, url) = (m.clone(), format!("http://{addr}"));
        tokio::task::spawn_blocking(move || d.handle(enrol(&url, &code, "Laptop")).unwrap())
            .await
            .unwrap();
    }
    tokio::spawn(sync_loop(m.clone()));
    // With the periods the relay opened for it.
    eventually("the store arrives", || m.replica().all_arrived()).await;
    (relay, m, relay_dir, dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_malformed_entity_of_each_kind_hides_nothing_else_and_managers_are_told_which() {
    let (relay, m, _relay_dir, _dir) = manager_device().await;
    let today = Date::from_unix_ms(now_ms(), 0);
    let year = today.year.to_string();
    let org = m.replica().org().unwrap();
    let top = org
        .positions
        .iter()
        .find(|(_, p)| p.reports_to.is_none())
        .map(|(id, _)| id.clone())
        .unwrap();
    let dept = org.departments.keys().next().unwrap().clone();

    // Two of each: one stays good, the other is spoilt below.
    let tasks = pair(
        ["Good task", "Bad task"]
            .map(|t| m.handle(AddTask::titled(t)).unwrap().id)
            .to_vec(),
    );
    let people = pair(
        ["Good person", "Bad person"]
            .map(|name| {
                m.handle(AddPerson {
                    name: name.into(),
                    contact: String::new(),
                    position: None,
                })
                .unwrap()
            })
            .to_vec(),
    );
    for title in ["Good plan", "Bad plan"] {
        m.handle(CreatePlan {
            level: PlanLevel::Annual,
            period: year.clone(),
            title: title.into(),
            owner: top.clone(),
            parent: None,
        })
        .unwrap();
    }
    let plans_before = m.handle(GetPlans { year: None }).unwrap();
    let plans = pair(plans_before.plans.iter().map(|p| p.id.clone()).collect());
    let meetings = m
        .handle(CreateMeeting {
            title: "Weekly".into(),
            date: today.to_string(),
            department: None,
            attendees: vec![],
            agenda: vec!["Numbers".into()],
            repeat_weeks: 1,
            managers_only: false,
        })
        .unwrap();
    let meetings = pair(meetings.meetings.iter().map(|m| m.id.clone()).collect());
    for text in ["Shelf 4 is short", "Freezer is loud"] {
        m.handle(ReportProblem {
            category: "stock".into(),
            text: text.into(),
            photo: None,
        })
        .unwrap();
    }
    let reports = m.handle(GetFeedback {}).unwrap();
    let reports = pair(reports.reports.iter().map(|r| r.id.clone()).collect());
    for name in ["Good KPI", "Bad KPI"] {
        m.handle(DefineKpi {
            name: name.into(),
            subject: format!("department:{dept}"),
            metric: KpiMetric::Manual,
            target: 0.9,
        })
        .unwrap();
    }
    let kpis = m.handle(GetAssessment { year: None }).unwrap();
    let kpis = pair(kpis.kpis.iter().map(|k| k.id.clone()).collect());
    assert!(m.handle(GetStatus {}).unwrap().unreadable.is_empty());

    {
        let mut r = m.replica();
        let bad = tasks.1.clone();
        r.change_task(&bad, |am, _, _| spoil(am, &["tasks", &bad], "title", 42))
            .unwrap();
        r.change_org(|am, _, _| spoil(am, &["people", &people.1], "active", "maybe"))
            .unwrap();
        r.change_holding(kind::PLANS, "plans", &plans.1, |am, _, _| {
            spoil(am, &["plans", &plans.1], "level", "galactic")
        })
        .unwrap();
        r.change_holding(kind::MEETINGS, "meetings", &meetings.1, |am, _, _| {
            spoil(am, &["meetings", &meetings.1], "attendees", 7)
        })
        .unwrap();
        r.change_holding(kind::FEEDBACK, "reports", &reports.1, |am, _, _| {
            spoil(am, &["reports", &reports.1], "status", "exploded")
        })
        .unwrap();
        r.change_holding(kind::ASSESSMENT, "kpis", &kpis.1, |am, _, _| {
            spoil(am, &["kpis", &kpis.1], "target", "high")
        })
        .unwrap();
    }

    // Every screen still shows the good ones, without the bad ones.
    let listed: Vec<String> = m
        .handle(ListTasks {})
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert!(listed.contains(&tasks.0) && !listed.contains(&tasks.1));
    let board = m.handle(GetTeamBoard {}).unwrap();
    let on_board: Vec<&str> = board
        .groups
        .iter()
        .flat_map(|g| g.tasks.iter().map(|t| t.id.as_str()))
        .collect();
    assert!(on_board.contains(&tasks.0.as_str()) && !on_board.contains(&tasks.1.as_str()));
    let staffing = m.handle(GetStaffing {}).unwrap();
    let named: Vec<&str> = staffing.people.iter().map(|p| p.id.as_str()).collect();
    assert!(named.contains(&people.0.as_str()) && !named.contains(&people.1.as_str()));
    let chart = m.handle(GetOrgChart {}).unwrap();
    assert_eq!(chart.totals.people as usize, staffing.people.len());
    assert!(!m.handle(GetDutyRegister {}).unwrap().groups.is_empty());
    let shown: Vec<String> = m
        .handle(GetPlans { year: None })
        .unwrap()
        .plans
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(shown, [plans.0.as_str()]);
    let shown: Vec<String> = m
        .handle(GetMeetings {})
        .unwrap()
        .meetings
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(shown, [meetings.0.as_str()]);
    let shown: Vec<String> = m
        .handle(GetFeedback {})
        .unwrap()
        .reports
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(shown, [reports.0.as_str()]);
    let shown: Vec<String> = m
        .handle(GetAssessment { year: None })
        .unwrap()
        .kpis
        .into_iter()
        .map(|k| k.id)
        .collect();
    assert_eq!(shown, [kpis.0.as_str()]);
    let dashboard = m.handle(GetDashboard { weeks: Some(4) }).unwrap();
    assert_eq!(dashboard.plans.len(), 1);

    // The status names each of them, once.
    let status = m.handle(GetStatus {}).unwrap();
    let mut named: Vec<(String, String)> = status
        .unreadable
        .iter()
        .map(|u| (u.kind.clone(), u.id.clone()))
        .collect();
    named.sort();
    let mut expected = vec![
        ("task".to_owned(), tasks.1.clone()),
        ("person".to_owned(), people.1.clone()),
        ("plan".to_owned(), plans.1.clone()),
        ("meeting".to_owned(), meetings.1.clone()),
        ("report".to_owned(), reports.1.clone()),
        ("kpi".to_owned(), kpis.1.clone()),
    ];
    expected.sort();
    assert_eq!(named, expected);
    assert!(status.unreadable.iter().all(|u| !u.reason.is_empty()));
    assert!(!status.needs_update);

    // What reads can still be changed; once the bad task is fixed, the task list
    // shows it and the status stops naming it.
    m.handle(AddTask::titled("Another")).unwrap();
    let bad = tasks.1.clone();
    m.replica()
        .change_task(&bad, |am, _, _| {
            spoil(am, &["tasks", &bad], "title", "Fixed")
        })
        .unwrap();
    let listed = m.handle(ListTasks {}).unwrap();
    assert!(listed.iter().any(|t| t.id == tasks.1 && t.title == "Fixed"));
    let status = m.handle(GetStatus {}).unwrap();
    assert!(status.unreadable.iter().all(|u| u.id != tasks.1));
    assert_eq!(status.unreadable.len(), expected.len() - 1);
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_of_a_newer_schema_shows_read_only_and_says_update_the_app() {
    let (relay, m, _relay_dir, _dir) = manager_device().await;
    let chart = m.handle(GetOrgChart {}).unwrap();
    m.replica()
        .change_org(|am, _, _| spoil(am, &[], "schema", 99u64))
        .unwrap();
    let status = m.handle(GetStatus {}).unwrap();
    assert!(status.needs_update);
    assert!(status.unreadable.is_empty());
    assert_eq!(m.handle(GetOrgChart {}).unwrap(), chart);
    assert!(!m.handle(GetDutyRegister {}).unwrap().groups.is_empty());
    m.handle(ListTasks {}).unwrap();
    let err = m
        .handle(AddPerson {
            name: "New".into(),
            contact: String::new(),
            position: None,
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::UpdateApp);
    assert!(err.message.contains("update the app"), "{}", err.message);
    assert_eq!(m.handle(GetOrgChart {}).unwrap(), chart);
    relay.stop().await;
}
