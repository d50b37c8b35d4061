//! A lived-in demo store (`cargo xtask run`'s: `Registry::create_lived_in_store`)
//! reaches a manager's device with its eight weeks of history, and the
//! dashboard, plans, meetings and feedback screens show it.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

mod support;

use storeops_api::command::{GetDashboard, GetFeedback, GetMeetings, GetPlans};
use storeops_api::{Handles, PlanStatus, ReportStatus};
use storeops_client::sync_loop;
use storeops_domain::Role;
use storeops_domain::calendar::Zone;
use storeops_relay::registry::Registry;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lived_in_demo_store_shows_its_history_on_a_managers_device() {
    let relay_dir = tempfile::tempdir().unwrap();
    let now = now_ms();
    let today = Zone::named("Asia/Shanghai").unwrap().date_of(now);
    let (store, code) = {
        let mut reg = Registry::open(relay_dir.path()).unwrap();
        let s = reg
            .create_lived_in_store("Demo", "plan3", "zh-CN", "Asia/Shanghai", today, now)
            .unwrap();
        let code = reg
            .create_invite(&s.id, Role::Manager, None, now, 3_600_000)
            .unwrap();
        (s.id, code)
    };
    let _ = store;
    let (relay, addr) = start_relay(relay_dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    let (m, _dir) = enrolled_device(&format!("http://{addr}"), code, "Manager").await;
    tokio::spawn(sync_loop(m.clone()));

    // Past weeks with most, not all, of their work done, department by department.
    eventually("weeks of work on the dashboard", || {
        m.handle(GetDashboard { weeks: Some(8) }).is_ok_and(|d| {
            d.departments.iter().any(|dep| {
                dep.completion
                    .iter()
                    .filter(|c| c.is_some_and(|v| v > 0.5 && v < 1.0))
                    .count()
                    >= 4
            })
        })
    })
    .await;
    eventually("reports resolved and open", || {
        m.handle(GetDashboard { weeks: Some(8) })
            .is_ok_and(|d| d.feedback.resolved >= 3 && d.feedback.open >= 1)
    })
    .await;
    // The KPIs are in the assessment documents, which sync on their own.
    eventually("KPI values", || {
        m.replica().all_arrived()
            && m.handle(GetDashboard { weeks: Some(8) })
                .is_ok_and(|d| d.kpis.iter().any(|k| k.value.is_some()))
    })
    .await;
    let dashboard = m.handle(GetDashboard { weeks: Some(8) }).unwrap();
    assert!(
        dashboard.people.iter().any(|p| p.done > 10),
        "{dashboard:?}"
    );
    eventually("approved plans and one waiting", || {
        m.handle(GetPlans { year: None }).is_ok_and(|b| {
            b.plans
                .iter()
                .filter(|p| p.status == PlanStatus::Approved)
                .count()
                >= 4
                && b.plans.iter().any(|p| p.status == PlanStatus::Submitted)
        })
    })
    .await;
    eventually("meetings with action items", || {
        m.handle(GetMeetings {})
            .is_ok_and(|b| b.meetings.iter().any(|x| !x.actions.is_empty()))
    })
    .await;
    let feedback = m.handle(GetFeedback {}).unwrap();
    assert!(
        feedback
            .reports
            .iter()
            .any(|r| r.status == ReportStatus::Open)
    );
    relay.stop().await;
}
