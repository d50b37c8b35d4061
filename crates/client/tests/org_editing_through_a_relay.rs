//! A manager edits the org chart and the duty register; a staff member linked to a
//! person sees their duties; whoever leaves hands their work on.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

mod support;

use storeops_api::assessment::SessionInput;
use storeops_api::command::{
    AddDepartment, AddDuty, AddPerson, AddPosition, AnswerSurvey, Assess, DefineKpi, GetAssessment,
    GetMyDuties, GetOrgChart, GetTaskDetail, GiveAward, ListTasks, MoveDepartment, OpenSurvey,
    PlanTraining, ReassignTask, RecordAttendance, RecordKpiValue, RenameDepartment,
    SetDepartmentHead, SetPersonActive, SetPersonPositions, TaskFromDuty,
};
use storeops_api::org::{RaciInput, RaciRole};
use storeops_api::{Cadence, Handles, KpiMetric};
use storeops_client::{Device, sync_loop};
use storeops_domain::Role;
use storeops_domain::calendar::Date;
use storeops_relay::registry::Registry;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_builds_a_department_staffs_it_and_gives_it_duties_that_staff_see_as_theirs() {
    let relay_dir = tempfile::tempdir().unwrap();
    let today = Date::from_unix_ms(now_ms(), 0);
    let (store, manager_code) = store_with_manager_code(relay_dir.path(), "plan1");
    let (relay, addr) = start_relay(relay_dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    let url = format!("http://{addr}");
    let (dm, ds) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let manager = Device::open(dm.path()).unwrap();
    {
        let (d, url) = (manager.clone(), url.clone());
        tokio::task::spawn_blocking(move || {
            d.handle(enrol(&url, &manager_code, "Laptop")).unwrap()
        })
        .await
        .unwrap();
    }
    tokio::spawn(sync_loop(manager.clone()));
    eventually("the store arrives", || {
        manager.app_status().sync.store_arrived
    })
    .await;

    let chart = manager.handle(add_department("Bakery", None)).unwrap();
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
    let chart = manager.handle(add_position(&bakery, "Baker", 2)).unwrap();
    let baker = chart
        .departments
        .iter()
        .flat_map(|d| &d.positions)
        .find(|p| p.title == "Baker")
        .unwrap()
        .id
        .clone();
    manager
        .handle(RenameDepartment {
            department_id: bakery.clone(),
            name: "Bakery & pastry".into(),
        })
        .unwrap();
    manager
        .handle(move_department(&bakery, Some(&other)))
        .unwrap();
    manager
        .handle(SetDepartmentHead {
            department_id: bakery.clone(),
            position: Some(baker.clone()),
        })
        .unwrap();
    let person = manager
        .handle(AddPerson {
            name: "Lin".into(),
            contact: "+86 139 0000 5678".into(),
            position: None,
        })
        .unwrap();
    let chart = manager
        .handle(SetPersonPositions {
            person_id: person.clone(),
            positions: vec![baker.clone()],
        })
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
    let before = manager.handle(GetOrgChart {}).unwrap();
    assert!(
        manager
            .handle(move_department(&other, Some(&bakery)))
            .is_err(),
        "a cycle"
    );
    assert!(manager.handle(add_position(&bakery, "Nobody", 0)).is_err());
    assert!(
        manager
            .handle(add_position("dept:nope", "Ghost", 1))
            .is_err()
    );
    assert!(manager.handle(add_department("  ", None)).is_err());
    assert!(
        manager
            .handle(add_duty("Bake", Some("position:nope"), None))
            .is_err()
    );
    assert!(refused_on_the_wire(
        add_duty("Bake", None, None),
        "cadence",
        "hourly"
    ));
    assert_eq!(manager.handle(GetOrgChart {}).unwrap(), before);

    let raci = RaciInput {
        responsible: Some(format!("position:{baker}")),
        informed: vec![format!("department:{other}")],
        ..RaciInput::default()
    };
    let register = manager
        .handle(add_duty(
            "Bake the morning bread",
            Some(&format!("position:{baker}")),
            Some(raci),
        ))
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
    let task = manager.handle(task_from_duty(&duty.id)).unwrap();
    assert_eq!(task.due, Some(today.to_string()));
    assert!(manager.handle(task_from_duty("duty:nope")).is_err());
    // The daily duty's own task for today, generated on the manager's device
    // (once every document it keeps is here: the relay opens weeks too).
    let recurring = format!("{}@{today}", duty.id);
    eventually("the duty's task for today is made", || {
        manager.replica().tick().unwrap();
        let tasks = manager.handle(ListTasks {}).unwrap();
        tasks.iter().any(|t| t.id == recurring)
    })
    .await;
    let tasks = manager.handle(ListTasks {}).unwrap();
    manager.replica().tick().unwrap();
    assert_eq!(
        manager.handle(ListTasks {}).unwrap().len(),
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
        tokio::task::spawn_blocking(move || d.handle(enrol(&url, &code, "Lin's phone")).unwrap())
            .await
            .unwrap();
    }
    tokio::spawn(sync_loop(staff.clone()));
    eventually("Lin sees the duty and its task", || {
        staff.handle(GetMyDuties {}).is_ok_and(|m| {
            m.iter().any(|d| {
                d.id == duty.id
                    && d.raci_role == Some(RaciRole::Responsible)
                    && d.next_task
                        .as_ref()
                        .is_some_and(|t| t.id == task.id || t.id == recurring)
            })
        })
    })
    .await;
    // Lin's phone number is in the contacts document, which the relay serves to
    // managers only: the manager's device has it, Lin's phone does not, and the
    // org chart every device reads holds none.
    let relay_contacts = || {
        relay_documents(relay_dir.path(), &store)
            .into_iter()
            .find(|(_, m)| m.kind == storeops_domain::kind::CONTACTS)
            .map(|(id, _)| id)
    };
    eventually("the manager's device uploads the contacts document", || {
        relay_contacts().is_some()
    })
    .await;
    let contacts = relay_contacts().unwrap();
    eventually("the contacts reach the manager's device only", || {
        manager
            .replica()
            .heads(&contacts)
            .is_some_and(|h| !h.is_empty())
    })
    .await;
    assert!(
        staff
            .replica()
            .heads(&contacts)
            .is_none_or(|h| h.is_empty())
    );
    assert!(
        staff
            .replica()
            .org()
            .unwrap()
            .people
            .values()
            .all(|p| p.contact.is_empty())
    );
    assert!(
        staff.app_status().sync.last_error.is_none(),
        "{:?}",
        staff.app_status().sync.last_error
    );
    assert!(
        staff.handle(add_department("Mine", None)).is_err(),
        "staff do not edit the org"
    );
    assert!(staff.handle(task_from_duty(&duty.id)).is_err());

    // Lin leaves: the open task given to her goes back to her position.
    let given = manager
        .handle(ReassignTask {
            task_id: task.id.clone(),
            assignee: Some(format!("person:{person}")),
        })
        .unwrap();
    assert_eq!(given.task.assignee.as_deref(), Some("Lin"));
    manager
        .handle(SetPersonActive {
            person_id: person.clone(),
            active: false,
        })
        .unwrap();
    let detail = manager
        .handle(GetTaskDetail {
            task_id: task.id.clone(),
        })
        .unwrap();
    assert_eq!(detail.task.assignee.as_deref(), Some("Baker"));
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_keeps_kpis_assessments_awards_training_and_an_anonymous_survey() {
    let relay_dir = tempfile::tempdir().unwrap();
    let today = Date::from_unix_ms(now_ms(), 0);
    let (store, code) = {
        let mut reg = Registry::open(relay_dir.path()).unwrap();
        let s = reg
            .create_demo_store("Demo", "plan2", "en", "UTC", today, 0)
            .unwrap();
        let code = reg
            .create_invite(&s.id, Role::Manager, None, now_ms(), 3_600_000)
            .unwrap();
        (s.id, code)
    };
    let (relay, addr) = start_relay(relay_dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    let dir = tempfile::tempdir().unwrap();
    let m = Device::open(dir.path()).unwrap();
    {
        let (d, url) = (m.clone(), format!("http://{addr}"));
        tokio::task::spawn_blocking(move || d.handle(enrol(&url, &code, "Laptop")).unwrap())
            .await
            .unwrap();
    }
    tokio::spawn(sync_loop(m.clone()));
    eventually("the store arrives", || m.replica().all_arrived()).await;
    let org = m.replica().org().unwrap();
    let dept = org.departments.keys().next().unwrap().clone();
    let person = org.people.keys().next().unwrap().clone();
    let month = format!("{}-{:02}", today.year, today.month);

    m.handle(define_kpi(
        "Task completion",
        &dept,
        KpiMetric::CompletionRate,
        0.95,
    ))
    .unwrap();
    let board = m
        .handle(define_kpi(
            "Stock-count accuracy",
            &dept,
            KpiMetric::Manual,
            0.99,
        ))
        .unwrap();
    let manual = board
        .kpis
        .iter()
        .find(|k| k.metric == KpiMetric::Manual)
        .unwrap()
        .id
        .clone();
    let board = m
        .handle(RecordKpiValue {
            kpi_id: manual.clone(),
            period: month.clone(),
            value: 0.97,
        })
        .unwrap();
    let k = board.kpis.iter().find(|k| k.id == manual).unwrap();
    assert_eq!((k.current, k.target), (Some(0.97), 0.99));
    m.handle(assess(&person, &month, 85, "Reliable")).unwrap();
    m.handle(GiveAward {
        title: "Employee of the month".into(),
        person_id: person.clone(),
        period: month.clone(),
        reason: "Saved the stock take".into(),
    })
    .unwrap();
    let sessions = vec![SessionInput {
        date: today.to_string(),
        topic: "Cold chain".into(),
        attendees: vec![person.clone()],
    }];
    let board = m
        .handle(PlanTraining {
            title: "Food safety".into(),
            department: Some(dept.clone()),
            sessions,
        })
        .unwrap();
    let training = board.training[0].id.clone();
    let board = m
        .handle(RecordAttendance {
            training_id: training.clone(),
            session_id: "s1".into(),
            attendees: vec![person.clone()],
        })
        .unwrap();
    assert!(board.training[0].sessions[0].held);
    assert_eq!(board.assessments[0].score, 85);
    assert_eq!(board.awards[0].person.id, person);

    // Bad input is refused and changes nothing.
    let before = m.handle(GetAssessment { year: None }).unwrap();
    assert!(refused_on_the_wire(
        define_kpi("Speed", &dept, KpiMetric::Manual, 1.0),
        "metric",
        "speed"
    ));
    assert!(
        m.handle(define_kpi("", &dept, KpiMetric::Manual, 1.0))
            .is_err()
    );
    assert!(m.handle(assess(&person, &month, 101, "")).is_err());
    assert!(
        m.handle(RecordKpiValue {
            kpi_id: "kpi-nope".into(),
            period: month.clone(),
            value: 1.0,
        })
        .is_err()
    );
    let bad_day = vec![SessionInput {
        date: "someday".into(),
        topic: "x".into(),
        attendees: vec![],
    }];
    assert!(
        m.handle(PlanTraining {
            title: "x".into(),
            department: None,
            sessions: bad_day,
        })
        .is_err()
    );
    assert_eq!(m.handle(GetAssessment { year: None }).unwrap(), before);

    // The survey: one answer per device, sent to the relay (which writes answers
    // in batches of five), no results below five answers.
    let board = m
        .handle(OpenSurvey {
            title: "How was this month?".into(),
        })
        .unwrap();
    let survey = board.surveys[0].id.clone();
    assert!(
        m.handle(answer_survey(&survey, 6, "")).is_err(),
        "scores are 1 to 5"
    );
    let board = m
        .handle(answer_survey(&survey, 4, "Busy but fine"))
        .unwrap();
    let s = board.surveys.iter().find(|s| s.id == survey).unwrap();
    assert_eq!(
        (s.answers, s.answered_here, s.results.is_none()),
        (0, true, true)
    );
    assert!(s.delivery.is_some());
    assert!(
        m.handle(answer_survey(&survey, 5, "again")).is_err(),
        "once per device"
    );

    // The score and its comment reach the person assessed, not their colleague:
    // the manager's device opened a scores document about that person, which
    // the relay serves to them and the managers above them only.
    let colleague = org.people.keys().find(|p| **p != person).unwrap().clone();
    let mut phones = vec![];
    for who in [&person, &colleague] {
        let code = Registry::open(relay_dir.path())
            .unwrap()
            .create_invite(&store, Role::Staff, Some(who), now_ms(), 3_600_000)
            .unwrap();
        let (phone, dir) = enrolled_device(&format!("http://{addr}"), code, "Phone").await;
        tokio::spawn(sync_loop(phone.clone()));
        phones.push((phone, dir));
    }
    let (assessed, other) = (&phones[0].0, &phones[1].0);
    eventually("the person assessed sees their score", || {
        assessed
            .handle(GetAssessment { year: None })
            .is_ok_and(|b| {
                b.assessments
                    .iter()
                    .any(|a| a.score == 85 && a.comment == "Reliable")
            })
    })
    .await;
    eventually("the colleague has the awards and training", || {
        other
            .handle(GetAssessment { year: None })
            .is_ok_and(|b| !b.awards.is_empty() && !b.training.is_empty())
    })
    .await;
    assert!(
        other
            .handle(GetAssessment { year: None })
            .unwrap()
            .assessments
            .is_empty(),
        "the colleague never receives the score"
    );
    let relay_scores: Vec<storeops_sync::DocMeta> = relay_documents(relay_dir.path(), &store)
        .into_iter()
        .filter(|(_, m)| m.kind == storeops_domain::kind::SCORES)
        .map(|(_, m)| m)
        .collect();
    assert_eq!(relay_scores.len(), 1);
    assert_eq!(relay_scores[0].subject, Some(format!("person:{person}")));
    for (phone, _) in &phones {
        let status = phone.app_status().sync;
        assert!(status.last_error.is_none(), "{:?}", status.last_error);
    }
    relay.stop().await;
}

fn add_department(name: &str, parent: Option<&str>) -> AddDepartment {
    AddDepartment {
        name: name.into(),
        parent: parent.map(Into::into),
    }
}

fn move_department(id: &str, parent: Option<&str>) -> MoveDepartment {
    MoveDepartment {
        department_id: id.into(),
        parent: parent.map(Into::into),
    }
}

/// A position reporting to nobody.
fn add_position(department: &str, title: &str, headcount: u32) -> AddPosition {
    AddPosition {
        department: department.into(),
        title: title.into(),
        reports_to: None,
        headcount,
    }
}

/// A daily duty.
fn add_duty(text: &str, owner: Option<&str>, raci: Option<RaciInput>) -> AddDuty {
    AddDuty {
        text: text.into(),
        owner: owner.map(Into::into),
        cadence: Cadence::Daily,
        raci,
    }
}

/// An ad-hoc task from a duty, due today.
fn task_from_duty(duty: &str) -> TaskFromDuty {
    TaskFromDuty {
        duty_id: duty.into(),
        due: None,
    }
}

/// A KPI of a department.
fn define_kpi(name: &str, department: &str, metric: KpiMetric, target: f64) -> DefineKpi {
    DefineKpi {
        name: name.into(),
        subject: format!("department:{department}"),
        metric,
        target,
    }
}

/// An assessment of a person.
fn assess(person: &str, period: &str, score: u64, comment: &str) -> Assess {
    Assess {
        subject: format!("person:{person}"),
        period: period.into(),
        score,
        comment: comment.into(),
    }
}

fn answer_survey(survey: &str, score: u64, comment: &str) -> AnswerSurvey {
    AnswerSurvey {
        survey_id: survey.into(),
        score,
        comment: comment.into(),
    }
}
