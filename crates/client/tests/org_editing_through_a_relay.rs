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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_keeps_kpis_assessments_awards_training_and_an_anonymous_survey() {
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
    let (relay, addr) = start_relay(relay_dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    let dir = tempfile::tempdir().unwrap();
    let m = Device::open(dir.path()).unwrap();
    {
        let (d, url) = (m.clone(), format!("http://{addr}"));
        tokio::task::spawn_blocking(move || d.enrol(&url, &code, "Laptop").unwrap())
            .await
            .unwrap();
    }
    tokio::spawn(sync_loop(m.clone()));
    eventually("the store arrives", || m.status().store_arrived).await;
    let org = m.replica().org().unwrap();
    let dept = org.departments.keys().next().unwrap().clone();
    let person = org.people.keys().next().unwrap().clone();
    let month = format!("{}-{:02}", today.year, today.month);

    m.define_kpi(
        "Task completion",
        &format!("department:{dept}"),
        "completion_rate",
        0.95,
    )
    .unwrap();
    let board = m
        .define_kpi(
            "Stock-count accuracy",
            &format!("department:{dept}"),
            "manual",
            0.99,
        )
        .unwrap();
    let manual = board
        .kpis
        .iter()
        .find(|k| k.metric == "manual")
        .unwrap()
        .id
        .clone();
    let board = m.record_kpi_value(&manual, &month, 0.97).unwrap();
    let k = board.kpis.iter().find(|k| k.id == manual).unwrap();
    assert_eq!((k.current, k.target), (Some(0.97), 0.99));
    m.assess(&format!("person:{person}"), &month, 85, "Reliable")
        .unwrap();
    m.give_award(
        "Employee of the month",
        &person,
        &month,
        "Saved the stock take",
    )
    .unwrap();
    let sessions = [storeops_client::assessment_board::SessionInput {
        date: today.to_string(),
        topic: "Cold chain".into(),
        attendees: vec![person.clone()],
    }];
    let board = m
        .plan_training("Food safety", Some(&dept), &sessions)
        .unwrap();
    let training = board.training[0].id.clone();
    let board = m
        .record_attendance(&training, "s1", std::slice::from_ref(&person))
        .unwrap();
    assert!(board.training[0].sessions[0].held);
    assert_eq!(board.assessments[0].score, 85);
    assert_eq!(board.awards[0].person.id, person);

    // Bad input is refused and changes nothing.
    let before = m.assessment(None).unwrap();
    assert!(
        m.define_kpi("Speed", &format!("department:{dept}"), "speed", 1.0)
            .is_err()
    );
    assert!(
        m.define_kpi("", &format!("department:{dept}"), "manual", 1.0)
            .is_err()
    );
    assert!(
        m.assess(&format!("person:{person}"), &month, 101, "")
            .is_err()
    );
    assert!(m.record_kpi_value("kpi-nope", &month, 1.0).is_err());
    let bad_day = [storeops_client::assessment_board::SessionInput {
        date: "someday".into(),
        topic: "x".into(),
        attendees: vec![],
    }];
    assert!(m.plan_training("x", None, &bad_day).is_err());
    assert_eq!(m.assessment(None).unwrap(), before);

    // The survey: one answer per device, no results below five answers.
    let board = m.open_survey("How was this month?").unwrap();
    let survey = board.surveys[0].id.clone();
    assert!(
        m.answer_survey(&survey, 6, "").is_err(),
        "scores are 1 to 5"
    );
    let board = m.answer_survey(&survey, 4, "Busy but fine").unwrap();
    let s = board.surveys.iter().find(|s| s.id == survey).unwrap();
    assert_eq!(
        (s.answers, s.answered_here, s.results.is_none()),
        (1, true, true)
    );
    assert!(
        m.answer_survey(&survey, 5, "again").is_err(),
        "once per device"
    );
    relay.stop().await;
}
