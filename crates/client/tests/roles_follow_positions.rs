//! A device's role follows its person's positions, on the device and at the
//! relay (issue 16, "every device is a person"): a staff member promoted to
//! head a department acts as its manager on the phone they already have; one
//! who leaves has their devices revoked and cut off; and a department manager
//! cannot write themselves into the store's top position.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

mod support;

use std::time::Instant;

use automerge::ReadDoc;
use automerge::transaction::Transactable;
use storeops_api::Handles;
use storeops_api::command::{
    AddPerson, AddTask, CreateInvite, ListDevices, ListTasks, SetPersonActive, SetPersonPositions,
};
use storeops_client::sync_loop;
use storeops_domain::Role;
use storeops_relay::registry::Registry;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn promoted_a_phone_manages_its_department_and_left_its_devices_are_cut_off() {
    let relay_dir = tempfile::tempdir().unwrap();
    let (_, code) = store_with_manager_code(relay_dir.path(), "plan3");
    let (relay, addr) = start_relay(relay_dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    let url = format!("http://{addr}");
    let (manager, _dm) = enrolled_device(&url, code, "Laptop").await;
    tokio::spawn(sync_loop(manager.clone()));
    eventually("the store reaches the manager", || {
        manager.replica().all_arrived()
    })
    .await;

    // An invite names its person; the role comes from their position.
    let wang = manager
        .handle(AddPerson {
            name: "Wang".into(),
            contact: String::new(),
            position: Some("pos:warehouse-specialist".into()),
        })
        .unwrap();
    eventually("Wang reaches the relay", || {
        manager.app_status().sync.pending_changes == 0
    })
    .await;
    let (m, w) = (manager.clone(), wang.clone());
    let invite = tokio::task::spawn_blocking(move || {
        m.handle(CreateInvite {
            person: Some(w),
            role: Some(Role::Director), // asked, and ignored: Wang is staff
        })
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(invite.role, Role::Staff);
    let (phone, _dp) = enrolled_device(&url, invite.code, "Wang's phone").await;
    tokio::spawn(sync_loop(phone.clone()));
    eventually("the org chart reaches the phone", || {
        phone.replica().all_arrived()
    })
    .await;
    assert_eq!(phone.app_status().role, Some(Role::Staff));
    assert!(phone.handle(AddTask::titled("Sweep the dock")).is_err());

    // Promoted to head the warehouse: the same phone is its manager.
    manager
        .handle(SetPersonPositions {
            person_id: wang.clone(),
            positions: vec!["pos:warehouse-manager".into()],
        })
        .unwrap();
    eventually("the phone acts as the warehouse's manager", || {
        phone.app_status().role == Some(Role::DepartmentManager)
    })
    .await;
    let mut task = AddTask::titled("Sweep the dock");
    task.assignee = Some("department:dept:warehouse".into());
    let added = loop {
        // Until the relay has closed the phone's old connection and it signed in
        // again as a department manager, the change would be refused there.
        if let Ok(t) = phone.handle(task.clone()) {
            break t;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    eventually("the relay keeps the department manager's task", || {
        manager
            .handle(ListTasks {})
            .map(|t| t.iter().any(|t| t.id == added.id))
            .unwrap_or(false)
    })
    .await;
    let listed = manager.handle(ListDevices {}).unwrap();
    let listed = listed.iter().find(|d| d.name == "Wang's phone").unwrap();
    assert_eq!(listed.role, Role::DepartmentManager);

    // A department manager writing himself into the store manager's position
    // (no command of his does) is refused by the relay and undone on the phone.
    phone
        .replica()
        .change_org(|am, actor, now| {
            forged(am, format!("{} added a position", actor.name), now, |tx| {
                let (_, people) = tx.get(automerge::ROOT, "people")?.unwrap();
                let (_, me) = tx.get(&people, wang.as_str())?.unwrap();
                let (_, held) = tx.get(&me, "positions")?.unwrap();
                let n = tx.length(&held);
                tx.insert(&held, n, "pos:store-manager")
            })
        })
        .unwrap();
    eventually("the forged promotion is undone on the phone", || {
        phone.app_status().role == Some(Role::DepartmentManager)
            && phone
                .app_status()
                .sync
                .last_error
                .is_some_and(|e| e.contains("org-scope"))
    })
    .await;

    // Wang leaves: the relay revokes his phone and cuts it off.
    let left = Instant::now();
    manager
        .handle(SetPersonActive {
            person_id: wang.clone(),
            active: false,
        })
        .unwrap();
    let device_id = phone.replica().enrolment().unwrap().device_id.clone();
    eventually("the relay revokes the phone of someone who left", || {
        Registry::open(relay_dir.path())
            .unwrap()
            .devices()
            .unwrap()
            .iter()
            .any(|d| d.id == device_id && d.revoked)
    })
    .await;
    eprintln!(
        "left -> device revoked at the relay: {} ms",
        left.elapsed().as_millis()
    );
    eventually("the phone is offline for good", || {
        !phone.app_status().sync.online
    })
    .await;
    relay.stop().await;
}
