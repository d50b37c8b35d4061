//! A manager creates a task with everything a task has, in one change, into the
//! week of its due date; bad input changes nothing; the task is edited field by
//! field; staff find it by a word of its description.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

mod support;

use storeops_api::command::{
    AddPerson, AddTask, EditTask, GetTaskDetail, ListTasks, SearchTasks, SetTaskStatus,
};
use storeops_api::tasks::{Change, ChangeKind, FieldChange, Said};
use storeops_api::{Handles, Priority, TaskStatus};
use storeops_client::{Device, sync_loop};
use storeops_domain::Role;
use storeops_domain::calendar::Date;
use storeops_relay::registry::Registry;
use support::*;

/// The org, the first tasks document and every tasks document of the device,
/// with their heads.
fn all_heads(device: &Device) -> Vec<(String, Option<Vec<automerge::ChangeHash>>)> {
    let r = device.replica();
    let (org, tasks) = r.store_documents().unwrap();
    let mut docs = vec![org, tasks];
    docs.extend(r.task_documents());
    docs.into_iter()
        .map(|d| (d.to_string(), r.heads(&d)))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_made_whole_in_one_form_reaches_its_assignee_and_is_found_by_a_word() {
    let relay_dir = tempfile::tempdir().unwrap();
    let today = Date::from_unix_ms(now_ms(), 0);
    let (store, code) = store_with_manager_code(relay_dir.path(), "plan1");
    let (relay, addr) = start_relay(relay_dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    let url = format!("http://{addr}");
    let (m, _m_dir) = enrolled_device(&url, code, "Laptop").await;
    tokio::spawn(sync_loop(m.clone()));
    eventually("the store arrives", || m.replica().all_arrived()).await;
    let lin = m
        .handle(AddPerson {
            name: "Lin".into(),
            contact: String::new(),
            position: None,
        })
        .unwrap();
    let staff_code = Registry::open(relay_dir.path())
        .unwrap()
        .create_invite(&store, Role::Staff, Some(&lin), now_ms(), 3_600_000)
        .unwrap();
    let (phone, _p_dir) = enrolled_device(&url, staff_code, "Lin's phone").await;
    tokio::spawn(sync_loop(phone.clone()));

    // Bad input: a clear refusal, and no document (nor the root's listing) changes.
    let (_, first_tasks) = m.replica().store_documents().unwrap();
    let first_heads = m.replica().heads(&first_tasks);
    let before = all_heads(&m);
    let whole = |title: &str| AddTask {
        description: "Use the blue scanner".into(),
        assignee: Some(format!("person:{lin}")),
        due: Some(today.add_days(1).to_string()),
        due_time: Some("09:30".into()),
        priority: Some(Priority::High),
        checklist: vec!["Freezer 1".into(), " ".into(), "Freezer 2".into()],
        ..AddTask::titled(title)
    };
    let bad = [
        ("no title", AddTask::titled("  ")),
        ("a 201-character title", AddTask::titled("x".repeat(201))),
        (
            "an unknown assignee",
            AddTask {
                assignee: Some("person:nobody".into()),
                ..whole("Count")
            },
        ),
        (
            "not an owner",
            AddTask {
                assignee: Some("Lin".into()),
                ..whole("Count")
            },
        ),
        (
            "not a date",
            AddTask {
                due: Some("someday".into()),
                ..whole("Count")
            },
        ),
        (
            "not a time",
            AddTask {
                due_time: Some("25:00".into()),
                ..whole("Count")
            },
        ),
        (
            "51 checklist items",
            AddTask {
                checklist: (0..51).map(|i| format!("step {i}")).collect(),
                ..whole("Count")
            },
        ),
    ];
    for (what, command) in bad {
        let err = m.handle(command).unwrap_err();
        assert!(!err.message.is_empty(), "{what}: {err}");
        assert_eq!(all_heads(&m), before, "{what} changed nothing");
    }

    // The whole task, in the week document of its due date.
    let task = m.handle(whole("Check the cold room")).unwrap();
    assert_eq!(
        m.replica().heads(&first_tasks),
        first_heads,
        "the first tasks document stays as it was"
    );
    let held_in = m.replica().task_document(&task.id).unwrap();
    assert_ne!(held_in, first_tasks);
    eventually("the week's document reaches the relay", || {
        relay_documents(relay_dir.path(), &store)
            .iter()
            .any(|(d, meta)| *d == held_in && meta.kind == storeops_domain::kind::TASKS)
    })
    .await;
    let detail = m
        .handle(GetTaskDetail {
            task_id: task.id.clone(),
        })
        .unwrap();
    assert_eq!(detail.task.title, "Check the cold room");
    assert_eq!(detail.task.priority, Priority::High);
    assert_eq!(detail.task.due, Some(today.add_days(1).to_string()));
    assert_eq!(detail.task.assignee.as_deref(), Some("Lin"));
    assert_eq!(detail.description, "Use the blue scanner");
    let items: Vec<&str> = detail.checklist.iter().map(|i| i.text.as_str()).collect();
    assert_eq!(items, ["Freezer 1", "Freezer 2"]);

    // It reaches Lin's phone, which finds it by a word of its description.
    eventually("Lin's phone has the task", || {
        phone
            .handle(ListTasks {})
            .is_ok_and(|ts| ts.iter().any(|t| t.id == task.id))
    })
    .await;
    let found = phone.handle(SearchTasks::words("BLUE scanner")).unwrap();
    assert_eq!(
        found.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        [task.id.as_str()]
    );
    assert!(
        phone
            .handle(SearchTasks::words("red scanner"))
            .unwrap()
            .is_empty()
    );
    let open = phone
        .handle(SearchTasks {
            status: Some(TaskStatus::Todo),
            assignee: Some(format!("person:{lin}")),
            ..SearchTasks::words("")
        })
        .unwrap();
    assert!(open.iter().any(|t| t.id == task.id));
    assert!(
        phone
            .handle(SearchTasks {
                overdue: true,
                ..SearchTasks::words("")
            })
            .unwrap()
            .iter()
            .all(|t| t.id != task.id),
        "due tomorrow is not overdue"
    );
    assert!(
        phone
            .handle(SearchTasks {
                due_from: Some("later".into()),
                ..SearchTasks::words("")
            })
            .is_err()
    );

    // Edited field by field; an empty due date clears it.
    let edited = m
        .handle(EditTask {
            task_id: task.id.clone(),
            title: None,
            description: None,
            due: Some(String::new()),
            due_time: Some(String::new()),
            priority: Some(Priority::Urgent),
        })
        .unwrap();
    assert_eq!(edited.task.priority, Priority::Urgent);
    assert_eq!(edited.task.due, None);
    assert_eq!(edited.description, "Use the blue scanner", "untouched");
    let before = all_heads(&m);
    assert!(
        m.handle(EditTask {
            task_id: task.id.clone(),
            title: Some(" ".into()),
            description: None,
            due: None,
            due_time: None,
            priority: None,
        })
        .is_err()
    );
    assert!(
        m.handle(EditTask {
            task_id: task.id.clone(),
            title: None,
            description: None,
            due: Some("31/12/2026".into()),
            due_time: None,
            priority: None,
        })
        .is_err()
    );
    assert_eq!(all_heads(&m), before, "a refused edit changes nothing");
    assert!(
        phone
            .handle(EditTask {
                task_id: task.id.clone(),
                title: Some("Mine now".into()),
                description: None,
                due: None,
                due_time: None,
                priority: None,
            })
            .is_err(),
        "staff do not edit tasks"
    );
    // Lin starts it once the phone shows it as edited (as a person acts on what
    // they see): the phone's history then ends with Lin's change, after the edit.
    eventually("the edit reaches Lin's phone", || {
        phone
            .handle(GetTaskDetail {
                task_id: task.id.clone(),
            })
            .is_ok_and(|d| d.task.priority == Priority::Urgent)
    })
    .await;
    phone
        .handle(SetTaskStatus {
            task_id: task.id.clone(),
            status: TaskStatus::InProgress,
        })
        .unwrap();

    // Its history is structure the UI words: who, what field, from, to.
    let said: Vec<Said> = edited.history.into_iter().map(|h| h.said).collect();
    let [Said::Change(created), Said::Change(edited)] = said.as_slice() else {
        panic!("two structured changes: {said:?}")
    };
    assert_eq!(
        created.what,
        ChangeKind::Created {
            title: "Check the cold room".into()
        }
    );
    assert_eq!(edited.who, created.who);
    let due = today.add_days(1).to_string();
    assert!(
        matches!(
            &edited.what,
            ChangeKind::Edited { fields } if fields.as_slice() == [
                FieldChange::Due { from: Some(due.clone()), to: None },
                FieldChange::DueTime { from: Some("09:30".into()), to: None },
                FieldChange::Priority { from: Priority::High, to: Priority::Urgent },
            ]
        ),
        "{edited:?}"
    );
    let on_phone = phone
        .handle(GetTaskDetail {
            task_id: task.id.clone(),
        })
        .unwrap()
        .history;
    assert_eq!(
        on_phone.last().map(|h| &h.said),
        Some(&Said::Change(Change {
            who: "Lin".into(),
            what: ChangeKind::Status {
                from: TaskStatus::Todo,
                to: TaskStatus::InProgress
            }
        })),
        "{on_phone:?}"
    );
    relay.stop().await;
}
