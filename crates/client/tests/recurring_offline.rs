//! Daily work without a manager online (issue 16): the relay opens the store's
//! weeks ahead with their daily duties' work; a staff phone off all weekend shows
//! Saturday's and Sunday's as missed and Monday's as due, and its progress and a
//! second device's merge; past what the relay opened, the devices make their own
//! days offline, and once both are back each task exists once.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

mod support;

use std::collections::BTreeMap;

use automerge::ReadDoc;
use storeops_api::Handles;
use storeops_api::command::{AddComment, GetTaskDetail, ListTasks, SetTaskStatus};
use storeops_client::{Device, sync_loop};
use storeops_domain::calendar::Date;
use storeops_domain::{Cadence, Owner, Role, TaskStatus};
use storeops_relay::registry::Registry;
use support::*;

const DAY_MS: i64 = 86_400_000;

/// Every task id in the tasks documents `device` keeps, with how many
/// documents hold it.
fn task_ids(device: &Device) -> BTreeMap<String, usize> {
    let r = device.replica();
    let mut ids = BTreeMap::new();
    for doc in r.task_documents() {
        let Some(am) = r.arrived(&doc) else { continue };
        if let Ok(Some((_, tasks))) = am.get(automerge::ROOT, "tasks") {
            for id in am.keys(&tasks) {
                *ids.entry(id).or_insert(0) += 1;
            }
        }
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_off_all_weekend_makes_its_own_daily_duties_and_shows_the_weekend_as_missed() {
    let relay_dir = tempfile::tempdir().unwrap();
    let today = Date::from_unix_ms(now_ms(), 0);
    let mut reg = Registry::open(relay_dir.path()).unwrap();
    let store = reg
        .create_demo_store("Demo", "plan1", "en", "UTC", today, now_ms())
        .unwrap();
    let org = reg.org_chart(&store.id).unwrap();
    // Someone whose position has daily duties.
    let (person, daily) = org
        .people
        .iter()
        .find_map(|(id, p)| {
            let daily: Vec<String> = org
                .duties
                .iter()
                .filter(|(_, d)| {
                    d.cadence == Cadence::Daily
                        && matches!(&d.owner, Some(Owner::Position(pos)) if p.positions.contains(pos))
                })
                .map(|(id, _)| id.clone())
                .collect();
            (!daily.is_empty()).then(|| (id.clone(), daily))
        })
        .expect("plan 1 has daily duties held by its people");
    let invite = |reg: &mut Registry| {
        reg.create_invite(&store.id, Role::Staff, Some(&person), now_ms(), 3_600_000)
            .unwrap()
    };
    let (phone_code, tablet_code) = (invite(&mut reg), invite(&mut reg));
    drop(reg);

    // No manager's device ever connects.
    let (relay, addr) = start_relay(relay_dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    let url = format!("http://{addr}");
    let (phone, _p) = enrolled_device(&url, phone_code, "Phone").await;
    let (tablet, _t) = enrolled_device(&url, tablet_code, "Tablet").await;
    tokio::spawn(sync_loop(phone.clone()));
    tokio::spawn(sync_loop(tablet.clone()));
    // The relay opened this and next week; both arrive on both devices.
    eventually("this and next week's tasks documents arrive", || {
        [&phone, &tablet]
            .iter()
            .all(|d| d.replica().task_documents().len() >= 3)
    })
    .await;
    // ... with the coming days' work of the daily duties in them.
    eventually("the relay wrote the coming days' duties", || {
        let ids = task_ids(&phone);
        daily.iter().all(|duty| {
            (0..=3).all(|day| ids.contains_key(&format!("{duty}@{}", today.add_days(day))))
        })
    })
    .await;

    relay.stop().await;
    eventually("both notice the relay is gone", || {
        !phone.app_status().sync.online && !tablet.app_status().sync.online
    })
    .await;
    // Monday, three days on: the weekend's duties are missed, Monday's are due.
    let monday = today.add_days(3);
    for device in [&phone, &tablet] {
        device.replica().move_clock(3 * DAY_MS);
        let tasks = device.handle(ListTasks {}).unwrap();
        for duty in &daily {
            for (day, missed) in [(1, true), (2, true), (3, false)] {
                let id = format!("{duty}@{}", today.add_days(day));
                let task = tasks
                    .iter()
                    .find(|t| t.id == id)
                    .unwrap_or_else(|| panic!("{id} is on the list"));
                assert_eq!(task.is_missed(&monday.to_string()), missed, "{id}");
                assert!(task.recurring);
            }
        }
    }
    // Both work on Monday's first duty offline.
    let first = format!("{}@{monday}", daily[0]);
    phone
        .handle(SetTaskStatus {
            task_id: first.clone(),
            status: TaskStatus::Done,
        })
        .unwrap();
    tablet
        .handle(AddComment {
            task_id: first.clone(),
            text: "Done before opening".into(),
        })
        .unwrap();

    // Two weeks on: past the weeks the relay opened, each device makes the
    // days owed since (into the latest week it has), offline.
    for device in [&phone, &tablet] {
        device.replica().move_clock(14 * DAY_MS);
        device.handle(ListTasks {}).unwrap();
    }
    let beyond: Vec<String> = (0..=14)
        .map(|day| today.add_days(day))
        .filter(|d| d.week_start() > today.week_start().add_days(7))
        .flat_map(|d| daily.iter().map(move |duty| format!("{duty}@{d}")))
        .collect();
    assert!(!beyond.is_empty());
    for id in &beyond {
        assert!(task_ids(&phone).contains_key(id), "{id} made on the phone");
        assert!(
            task_ids(&tablet).contains_key(id),
            "{id} made on the tablet"
        );
    }

    // Back online: the relay takes what staff devices made (their own duties,
    // exactly as the app makes them), both devices' work on Monday's duty
    // survives, and each task exists once.
    let (relay, _) = start_relay(relay_dir.path(), addr).await;
    phone.sync_now();
    tablet.sync_now();
    eventually("both devices' changes are confirmed", || {
        [&phone, &tablet]
            .iter()
            .all(|d| d.app_status().sync.pending_changes == 0 && d.app_status().sync.online)
    })
    .await;
    eventually("the phone and the tablet hold the same tasks", || {
        task_ids(&phone) == task_ids(&tablet)
            && tablet
                .handle(GetTaskDetail {
                    task_id: first.clone(),
                })
                .is_ok_and(|t| t.task.status == TaskStatus::Done)
    })
    .await;
    let detail = phone
        .handle(GetTaskDetail {
            task_id: first.clone(),
        })
        .unwrap();
    assert_eq!(detail.task.status, TaskStatus::Done);
    assert_eq!(detail.comments.len(), 1, "{:?}", detail.comments);
    let ids = task_ids(&phone);
    for id in &beyond {
        assert_eq!(ids.get(id), Some(&1), "{id}: one task in one document");
    }
    assert!(
        ids.values().all(|n| *n == 1),
        "no task is in two documents: {ids:?}"
    );
    relay.stop().await;
}
