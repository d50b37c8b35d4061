//! Roles and scope; task commands and the Today queries.

#![allow(clippy::unwrap_used)]
mod support;

use storeops_domain::history::task_history;
use storeops_domain::*;
use support::*;

#[test]
fn roles_read_and_write_as_readable_words() {
    for role in [
        Role::Staff,
        Role::Manager,
        Role::DepartmentManager,
        Role::OperationsManager,
        Role::Director,
    ] {
        assert_eq!(role.as_str().parse::<Role>(), Ok(role));
    }
    assert_eq!("store_manager".parse::<Role>(), Ok(Role::Manager));
    assert!(
        "boss"
            .parse::<Role>()
            .unwrap_err()
            .contains("department_manager")
    );
    assert!(Role::Director.is_store_level() && !Role::DepartmentManager.is_store_level());
}

#[test]
fn a_department_manager_reaches_their_department_and_the_ones_below_only() {
    let s = shop();
    let org = org(&s);
    let wang = actor(&s, "p-wang", Role::DepartmentManager);
    assert_eq!(wang.departments, vec!["dept:warehouse".to_string()]);
    assert!(wang.manages_department(&org, "dept:warehouse"));
    assert!(!wang.manages_department(&org, "dept:marketing"));
    let zhang = actor(&s, "p-zhang", Role::Manager);
    // The store manager heads store-ops, the parent of every other department.
    let as_dept_manager = Actor {
        role: Role::DepartmentManager,
        ..zhang
    };
    assert!(as_dept_manager.manages_department(&org, "dept:marketing"));
}

#[test]
fn a_department_manager_cannot_assign_work_in_another_department_and_is_told_whom_to_ask() {
    let mut s = shop();
    let org = org(&s);
    let wang = actor(&s, "p-wang", Role::DepartmentManager);
    let mut new = NewTask::titled("Put up posters");
    new.assignee = Some(Owner::Position("pos:marketing-specialist".into()));
    let heads = s.tasks.get_heads();
    let err = create_task(&mut s.tasks, &org, &wang, "t", new.clone(), 1).unwrap_err();
    assert!(err.is_permission());
    assert_eq!(
        err.to_string(),
        "Marketing is outside your departments, so you cannot create tasks there; ask that department's manager or the store manager"
    );
    assert_eq!(s.tasks.get_heads(), heads);
    let li = actor(&s, "p-li", Role::DepartmentManager);
    let t = create_task(&mut s.tasks, &org, &li, "t", new, 1).unwrap();
    assert_eq!(t.department.as_deref(), Some("dept:marketing"));
    // Li cannot move it to the warehouse either.
    let err = reassign_task(
        &mut s.tasks,
        &org,
        &li,
        "t",
        Some(Owner::Person("p-zhao".into())),
        2,
    )
    .unwrap_err();
    assert!(matches!(err, DomainError::OutOfScope { .. }), "{err}");
    // Nor can Wang touch it.
    let err = edit_task(
        &mut s.tasks,
        &org,
        &wang,
        "t",
        TaskEdit {
            title: Some("x".into()),
            ..Default::default()
        },
        3,
    )
    .unwrap_err();
    assert!(matches!(err, DomainError::OutOfScope { .. }));
}

#[test]
fn staff_may_progress_their_own_work_but_not_create_cancel_or_reassign() {
    let mut s = shop();
    let org = org(&s);
    let zhao = actor(&s, "p-zhao", Role::Staff);
    let err = create_task(&mut s.tasks, &org, &zhao, "t", NewTask::titled("x"), 1).unwrap_err();
    assert_eq!(
        err.to_string(),
        "only a manager may create tasks; ask your department manager or store manager"
    );
    let id = "duty:warehouse-specialist/stock-count@2026-11";
    change_task_status(
        &mut s.tasks,
        Some(&org),
        &zhao,
        id,
        TaskStatus::InProgress,
        2,
    )
    .unwrap();
    let err = change_task_status(
        &mut s.tasks,
        Some(&org),
        &zhao,
        id,
        TaskStatus::Cancelled,
        3,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("mark it blocked with a comment instead")
    );
    assert!(
        reassign_task(&mut s.tasks, &org, &zhao, id, None, 4)
            .unwrap_err()
            .is_permission()
    );
    let sun = actor(&s, "p-sun", Role::Staff);
    assert!(
        change_task_status(&mut s.tasks, Some(&org), &sun, id, TaskStatus::Done, 5)
            .unwrap_err()
            .is_permission()
    );
}

#[test]
fn status_changes_follow_the_documented_transitions() {
    let mut s = shop();
    let org = org(&s);
    let boss = Actor::manager("Zhang");
    create_task(&mut s.tasks, &org, &boss, "t", NewTask::titled("Sweep"), 1).unwrap();
    let done =
        change_task_status(&mut s.tasks, Some(&org), &boss, "t", TaskStatus::Done, 2).unwrap();
    assert_eq!(
        (done.completed_at, done.completed_by.as_deref()),
        (Some(2), Some("Zhang"))
    );
    let err = change_task_status(&mut s.tasks, Some(&org), &boss, "t", TaskStatus::Blocked, 3)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a task that is done cannot become blocked; reopen it (todo) first"
    );
    change_task_status(
        &mut s.tasks,
        Some(&org),
        &boss,
        "t",
        TaskStatus::Cancelled,
        3,
    )
    .unwrap_err();
    change_task_status(&mut s.tasks, Some(&org), &boss, "t", TaskStatus::Todo, 4).unwrap();
    change_task_status(
        &mut s.tasks,
        Some(&org),
        &boss,
        "t",
        TaskStatus::Cancelled,
        5,
    )
    .unwrap();
    assert!(matches!(
        change_task_status(&mut s.tasks, Some(&org), &boss, "t", TaskStatus::Done, 6),
        Err(DomainError::IllegalTransition { .. })
    ));
    let back =
        change_task_status(&mut s.tasks, Some(&org), &boss, "t", TaskStatus::Todo, 7).unwrap();
    assert_eq!(back.completed_at, None);
}

#[test]
fn each_action_is_one_change_with_a_message_naming_who_did_what() {
    use storeops_domain::history::{Change, ChangeKind, FieldChange, Said};
    let mut s = shop();
    let org = org(&s);
    let boss = actor(&s, "p-zhang", Role::Manager);
    let zhao = actor(&s, "p-zhao", Role::Staff);
    let mut new = NewTask::titled("Count aisle 3");
    new.checklist = vec!["Shelves".into()];
    new.assignee = Some(Owner::Position("pos:warehouse-specialist".into()));
    let before = s.tasks.get_changes(&[]).len();
    create_task(&mut s.tasks, &org, &boss, "t", new, 1_000).unwrap();
    reassign_task(
        &mut s.tasks,
        &org,
        &boss,
        "t",
        Some(Owner::Person("p-zhao".into())),
        2_000,
    )
    .unwrap();
    set_checklist_item(&mut s.tasks, Some(&org), &zhao, "t", "c1", true, 3_000).unwrap();
    add_checklist_item(
        &mut s.tasks,
        Some(&org),
        &boss,
        "t",
        "c2",
        "Back room",
        4_000,
    )
    .unwrap();
    add_comment(&mut s.tasks, Some(&org), &zhao, "t", "k", "ok", 5_000).unwrap();
    let edit = TaskEdit {
        title: Some("Count aisle 4".into()),
        description: Some("Both sides".into()),
        due: Some(Some(today())),
        due_time: Some(Some("09:30".into())),
        priority: Some(Priority::High),
    };
    edit_task(&mut s.tasks, &org, &boss, "t", edit, 6_000).unwrap();
    change_task_status(
        &mut s.tasks,
        Some(&org),
        &zhao,
        "t",
        TaskStatus::Done,
        7_000,
    )
    .unwrap();
    set_checklist_item(&mut s.tasks, Some(&org), &zhao, "t", "c1", false, 8_000).unwrap();
    reassign_task(&mut s.tasks, &org, &boss, "t", None, 9_000).unwrap();
    assert_eq!(s.tasks.get_changes(&[]).len(), before + 9);
    let h = task_history(&s.tasks, "t").unwrap();
    let said: Vec<Said> = h.iter().map(|e| e.said.clone()).collect();
    let by = |who: &str, what| Said::Change(Change::new(who, what));
    assert_eq!(
        said,
        [
            by(
                "Zhang",
                ChangeKind::Created {
                    title: "Count aisle 3".into()
                }
            ),
            by(
                "Zhang",
                ChangeKind::Reassigned {
                    from: Some("Warehouse specialist".into()),
                    to: Some("Zhao".into())
                }
            ),
            by(
                "Zhao",
                ChangeKind::Ticked {
                    item: "Shelves".into(),
                    done: true
                }
            ),
            by(
                "Zhang",
                ChangeKind::ChecklistItemAdded {
                    item: "Back room".into()
                }
            ),
            by("Zhao", ChangeKind::Commented),
            by(
                "Zhang",
                ChangeKind::Edited {
                    fields: vec![
                        FieldChange::Title {
                            from: "Count aisle 3".into(),
                            to: "Count aisle 4".into()
                        },
                        FieldChange::Description,
                        FieldChange::Due {
                            from: None,
                            to: Some(today().to_string())
                        },
                        FieldChange::DueTime {
                            from: None,
                            to: Some("09:30".into())
                        },
                        FieldChange::Priority {
                            from: Priority::Normal,
                            to: Priority::High
                        },
                    ]
                }
            ),
            by(
                "Zhao",
                ChangeKind::Status {
                    from: TaskStatus::Todo,
                    to: TaskStatus::Done
                }
            ),
            by(
                "Zhao",
                ChangeKind::Ticked {
                    item: "Shelves".into(),
                    done: false
                }
            ),
            by(
                "Zhang",
                ChangeKind::Reassigned {
                    from: Some("Zhao".into()),
                    to: None
                }
            ),
        ]
    );
    // What a change message looks like: the writer's name first (the relay's
    // rule for staff), then the versioned structure.
    let comment = s
        .tasks
        .get_changes(&[])
        .into_iter()
        .filter_map(|c| c.message().map(str::to_owned))
        .find(|m| m.contains("commented"))
        .unwrap();
    assert_eq!(comment, r#"Zhao [storeops/1] {"kind":"commented"}"#);
    assert_eq!(
        h.iter().map(|e| e.at_ms).collect::<Vec<_>>(),
        [
            1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 9_000
        ]
    );
    // Another task's changes are not in this history.
    create_task(
        &mut s.tasks,
        &org,
        &boss,
        "other",
        NewTask::titled("Other"),
        10_000,
    )
    .unwrap();
    assert_eq!(task_history(&s.tasks, "t").unwrap().len(), 9);
}

#[test]
fn changes_of_many_tasks_at_once_say_so_in_each_task_history() {
    use storeops_domain::history::{Change, ChangeKind, Said};
    let mut s = shop();
    let org = org(&s);
    let wang = actor(&s, "p-wang", Role::DepartmentManager);
    let pos = Owner::Position("pos:warehouse-specialist".into());
    let mut n = NewTask::titled("x");
    n.assignee = Some(pos.clone());
    create_task(&mut s.tasks, &org, &wang, "x", n, 1).unwrap();
    let moved = reassign_open_tasks(
        &mut s.tasks,
        &org,
        &wang,
        &pos,
        Some(Owner::Person("p-qian".into())),
        2,
    )
    .unwrap();
    let last = |s: &NewStore| task_history(&s.tasks, "x").unwrap().pop().unwrap().said;
    assert_eq!(
        last(&s),
        Said::Change(Change::new(
            "Wang",
            ChangeKind::ReassignedOpen {
                count: u32::try_from(moved.len()).unwrap(),
                from: "Warehouse specialist".into(),
                to: Some("Qian".into()),
            }
        ))
    );
}

#[test]
fn unchanged_edits_write_nothing_and_bad_input_is_refused() {
    let mut s = shop();
    let org = org(&s);
    let boss = Actor::manager("Zhang");
    create_task(&mut s.tasks, &org, &boss, "t", NewTask::titled("Sweep"), 1).unwrap();
    let heads = s.tasks.get_heads();
    edit_task(
        &mut s.tasks,
        &org,
        &boss,
        "t",
        TaskEdit {
            title: Some("Sweep".into()),
            ..Default::default()
        },
        2,
    )
    .unwrap();
    assert_eq!(s.tasks.get_heads(), heads);
    let bad_time = TaskEdit {
        due_time: Some(Some("25:00".into())),
        ..Default::default()
    };
    assert!(
        edit_task(&mut s.tasks, &org, &boss, "t", bad_time, 3)
            .unwrap_err()
            .to_string()
            .contains("HH:MM")
    );
    let err = create_task(&mut s.tasks, &org, &boss, "t", NewTask::titled("Again"), 4).unwrap_err();
    assert!(err.to_string().contains("use a fresh id"));
    let mut ghost = NewTask::titled("Ghost");
    ghost.assignee = Some(Owner::Person("p-nobody".into()));
    assert_eq!(
        create_task(&mut s.tasks, &org, &boss, "g", ghost, 5).unwrap_err(),
        DomainError::NotFound {
            what: storeops_domain::problem::Noun::Person,
            id: "p-nobody".into()
        }
    );
}

#[test]
fn my_day_lists_todays_work_urgent_first_and_overdue_work_oldest_first() {
    let mut s = shop();
    let org = org(&s);
    let boss = Actor::manager("Zhang");
    let zhao = actor(&s, "p-zhao", Role::Staff);
    let mk = |title: &str, owner: Owner, due: i64, priority: Priority| {
        let mut n = NewTask::titled(title);
        n.assignee = Some(owner);
        n.due = Some(today().add_days(due));
        n.priority = priority;
        n
    };
    let me = Owner::Person("p-zhao".into());
    let my_position = Owner::Position("pos:warehouse-specialist".into());
    for (id, n) in [
        ("a", mk("Normal today", me.clone(), 0, Priority::Normal)),
        (
            "b",
            mk("Urgent today", my_position.clone(), 0, Priority::Urgent),
        ),
        ("c", mk("Two days late", me.clone(), -2, Priority::Normal)),
        (
            "d",
            mk("A week late", my_position.clone(), -7, Priority::Low),
        ),
        ("e", mk("Tomorrow", me.clone(), 1, Priority::Normal)),
        (
            "f",
            mk(
                "Someone else's",
                Owner::Person("p-qian".into()),
                0,
                Priority::Normal,
            ),
        ),
        ("g", mk("Late but done", me.clone(), -1, Priority::Normal)),
        (
            "h",
            mk(
                "Department's today",
                Owner::Department("dept:warehouse".into()),
                0,
                Priority::Normal,
            ),
        ),
    ] {
        create_task(&mut s.tasks, &org, &boss, id, n, 1).unwrap();
    }
    change_task_status(&mut s.tasks, Some(&org), &zhao, "g", TaskStatus::Done, 2).unwrap();
    let tasks = read_tasks(&s.tasks).unwrap();
    let day = my_day(&tasks, Some(&org), &zhao, today());
    let ids = |v: &[(String, Task)]| v.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>();
    // The daily receiving duty of Zhao's position is today's work too.
    assert_eq!(
        ids(&day.today),
        [
            "b",
            "a",
            "duty:warehouse-specialist/receive-ship@2026-11-28",
            "h"
        ]
    );
    // The monthly stock count is due at month end, not today; overdue is oldest first.
    assert_eq!(ids(&day.overdue), ["d", "c"]);
    let open = position_open_work(&tasks, "pos:warehouse-specialist");
    assert_eq!(ids(&open)[..2], ["d".to_string(), "b".to_string()]);
    assert!(
        open.iter()
            .all(|(_, t)| t.assignee == Some(my_position.clone()))
    );
}

#[test]
fn reassigning_all_open_work_of_a_position_moves_only_open_tasks_in_one_change() {
    let mut s = shop();
    let org = org(&s);
    let wang = actor(&s, "p-wang", Role::DepartmentManager);
    let pos = Owner::Position("pos:warehouse-specialist".into());
    for id in ["x", "y", "z"] {
        let mut n = NewTask::titled(id);
        n.assignee = Some(pos.clone());
        create_task(&mut s.tasks, &org, &wang, id, n, 1).unwrap();
    }
    change_task_status(&mut s.tasks, Some(&org), &wang, "z", TaskStatus::Done, 2).unwrap();
    let changes = s.tasks.get_changes(&[]).len();
    let moved = reassign_open_tasks(
        &mut s.tasks,
        &org,
        &wang,
        &pos,
        Some(Owner::Person("p-qian".into())),
        3,
    )
    .unwrap();
    assert_eq!(s.tasks.get_changes(&[]).len(), changes + 1);
    // The recurring specialist tasks move too; the done one stays.
    assert!(moved.contains(&"x".to_string()) && moved.contains(&"y".to_string()));
    assert!(!moved.contains(&"z".to_string()));
    assert_eq!(
        read_task(&s.tasks, "z").unwrap().assignee,
        Some(pos.clone())
    );
    assert_eq!(
        read_task(&s.tasks, "x").unwrap().assignee,
        Some(Owner::Person("p-qian".into()))
    );
    assert!(
        position_open_work(&read_tasks(&s.tasks).unwrap(), "pos:warehouse-specialist").is_empty()
    );
}

#[test]
fn a_task_created_from_a_duty_takes_its_text_owner_and_department() {
    let mut s = shop();
    let org = org(&s);
    let wang = actor(&s, "p-wang", Role::DepartmentManager);
    let t = create_task_from_duty(
        &mut s.tasks,
        &org,
        &wang,
        "extra-count",
        "duty:warehouse-specialist/stock-count",
        Some(today()),
        1,
    )
    .unwrap();
    assert_eq!(
        t.source_duty.as_deref(),
        Some("duty:warehouse-specialist/stock-count")
    );
    assert_eq!(
        t.assignee,
        Some(Owner::Position("pos:warehouse-specialist".into()))
    );
    assert_eq!(t.department.as_deref(), Some("dept:warehouse"));
    assert_eq!(t.due.as_deref(), Some("2026-11-28"));
}
