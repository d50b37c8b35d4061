//! A manager edits the org chart and the duty register; a staff member linked to a
//! person sees their duties; whoever leaves hands their work on.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

mod support;

use storeops_client::org_editing::RaciInput;
use storeops_client::{Device, sync_loop};
use storeops_domain::Role;
use storeops_domain::calendar::Date;
use storeops_relay::registry::Registry;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_builds_a_department_staffs_it_and_gives_it_duties_that_staff_see_as_theirs() {
    let relay_dir = tempfile::tempdir().unwrap();
    let today = Date::from_unix_ms(now_ms(), 0);
    let (store, manager_code) = {
        let mut reg = Registry::open(relay_dir.path()).unwrap();
        let s = reg
            .create_store("Demo", "plan1", "en", "UTC", today, 0)
            .unwrap();
        let code = reg
            .create_invite(&s.id, Role::Manager, None, now_ms(), 3_600_000)
            .unwrap();
        (s.id, code)
    };
    let (relay, addr) = start_relay(relay_dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    let url = format!("http://{addr}");
    let (dm, ds) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let manager = Device::open(dm.path()).unwrap();
    {
        let (d, url) = (manager.clone(), url.clone());
        tokio::task::spawn_blocking(move || d.enrol(&url, &manager_code, "Laptop").unwrap())
            .await
            .unwrap();
    }
    tokio::spawn(sync_loop(manager.clone()));
    eventually("the store arrives", || manager.status().store_arrived).await;

    let chart = manager.add_department("Bakery", None).unwrap();
    let bakery = chart
        .departments
        .iter()
        .find(|d| d.name == "Bakery")
        .unwrap()
        .id
        .clone();
    let other = chart
        .departments
        .iter()
        .find(|d| d.id != bakery)
        .unwrap()
        .id
        .clone();
    let chart = manager.add_position(&bakery, "Baker", None, 2).unwrap();
    let baker = chart
        .departments
        .iter()
        .flat_map(|d| &d.positions)
        .find(|p| p.title == "Baker")
        .unwrap()
        .id
        .clone();
    manager
        .rename_department(&bakery, "Bakery & pastry")
        .unwrap();
    manager.move_department(&bakery, Some(&other)).unwrap();
    manager.set_department_head(&bakery, Some(&baker)).unwrap();
    let person = manager.add_person("Lin", "", None).unwrap();
    let chart = manager
        .set_person_positions(&person, std::slice::from_ref(&baker))
        .unwrap();
    let pos = chart
        .departments
        .iter()
        .flat_map(|d| &d.positions)
        .find(|p| p.id == baker)
        .unwrap();
    assert_eq!(
        (pos.holder_ids.clone(), pos.vacant),
        (vec![person.clone()], 1)
    );

    // Bad input is refused and changes nothing.
    let before = manager.org_chart().unwrap();
    assert!(
        manager.move_department(&other, Some(&bakery)).is_err(),
        "a cycle"
    );
    assert!(manager.add_position(&bakery, "Nobody", None, 0).is_err());
    assert!(manager.add_position("dept:nope", "Ghost", None, 1).is_err());
    assert!(manager.add_department("  ", None).is_err());
    assert!(
        manager
            .add_duty("Bake", Some("position:nope"), "daily", None)
            .is_err()
    );
    assert!(manager.add_duty("Bake", None, "hourly", None).is_err());
    assert_eq!(manager.org_chart().unwrap(), before);

    let raci = RaciInput {
        responsible: Some(format!("position:{baker}")),
        informed: vec![format!("department:{other}")],
        ..RaciInput::default()
    };
    let register = manager
        .add_duty(
            "Bake the morning bread",
            Some(&format!("position:{baker}")),
            "daily",
            Some(&raci),
        )
        .unwrap();
    let duty = register
        .groups
        .iter()
        .flat_map(|g| &g.sections)
        .flat_map(|s| &s.duties)
        .find(|d| d.text == "Bake the morning bread")
        .unwrap()
        .clone();
    assert_eq!(duty.owner_id, Some(format!("position:{baker}")));
    assert_eq!(
        duty.raci
            .as_ref()
            .unwrap()
            .responsible
            .as_ref()
            .unwrap()
            .name,
        "Baker"
    );
    let task = manager.task_from_duty(&duty.id, None).unwrap();
    assert_eq!(task.due, Some(today.to_string()));
    assert!(manager.task_from_duty("duty:nope", None).is_err());
    // The daily duty's own task for today, generated on the manager's device.
    manager.replica().tick().unwrap();
    let recurring = format!("{}@{today}", duty.id);
    let tasks = manager.tasks().unwrap();
    assert!(tasks.iter().any(|t| t.id == recurring), "no {recurring}");
    manager.replica().tick().unwrap();
    assert_eq!(
        manager.tasks().unwrap().len(),
        tasks.len(),
        "generated once, however often the device ticks"
    );

    // Lin's phone: the duty is theirs, with its next task.
    let code = Registry::open(relay_dir.path())
        .unwrap()
        .create_invite(&store, Role::Staff, Some(&person), now_ms(), 3_600_000)
        .unwrap();
    let staff = Device::open(ds.path()).unwrap();
    {
        let (d, url) = (staff.clone(), url.clone());
        tokio::task::spawn_blocking(move || d.enrol(&url, &code, "Lin's phone").unwrap())
            .await
            .unwrap();
    }
    tokio::spawn(sync_loop(staff.clone()));
    eventually("Lin sees the duty and its task", || {
        staff.my_duties().is_ok_and(|m| {
            m.iter().any(|d| {
                d.id == duty.id
                    && d.raci_role == Some("responsible")
                    && d.next_task
                        .as_ref()
                        .is_some_and(|t| t.id == task.id || t.id == recurring)
            })
        })
    })
    .await;
    assert!(
        staff.add_department("Mine", None).is_err(),
        "staff do not edit the org"
    );
    assert!(staff.task_from_duty(&duty.id, None).is_err());

    // Lin leaves: the open task given to her goes back to her position.
    let given = manager
        .reassign_task(&task.id, Some(&format!("person:{person}")))
        .unwrap();
    assert_eq!(given.task.assignee.as_deref(), Some("Lin"));
    manager.set_person_active(&person, false).unwrap();
    let detail = manager.task_detail(&task.id).unwrap();
    assert_eq!(detail.task.assignee.as_deref(), Some("Baker"));
    relay.stop().await;
}
