//! What happens when devices edit the same task apart and then merge (issue 3).

#![allow(clippy::unwrap_used)]
mod support;

use storeops_domain::history::{ChangeKind, task_history};
use storeops_domain::org::{coverage, set_person_active};
use storeops_domain::*;
use support::*;

fn stock_count(s: &mut NewStore) -> &'static str {
    let org = org(s);
    let mut new = NewTask::titled("Count aisle 3");
    new.assignee = Some(Owner::Person("p-zhao".into()));
    new.checklist = vec!["Shelves".into(), "Back room".into(), "Enter counts".into()];
    new.due = Some(today());
    create_task(&mut s.tasks, &org, &Actor::manager("Zhang"), "t1", new, 10).unwrap();
    "t1"
}

#[test]
fn two_managers_reassigning_the_same_task_concurrently_end_with_one_assignee_on_both_replicas_and_the_other_in_history()
 {
    let mut s = shop();
    let id = stock_count(&mut s);
    let org = org(&s);
    let mut laptop = device(&s.tasks, 1);
    let mut tablet = device(&s.tasks, 2);
    // One reassigns to a person, the other to a position: different kinds of owner.
    reassign_task(
        &mut laptop,
        &org,
        &actor(&s, "p-zhang", Role::Manager),
        id,
        Some(Owner::Person("p-qian".into())),
        20,
    )
    .unwrap();
    let wang = actor(&s, "p-wang", Role::DepartmentManager);
    reassign_task(
        &mut tablet,
        &org,
        &wang,
        id,
        Some(Owner::Position("pos:warehouse-manager".into())),
        21,
    )
    .unwrap();
    sync(&mut laptop, &mut tablet);
    assert_eq!(laptop.get_heads(), tablet.get_heads());
    let a = read_task(&laptop, id).unwrap();
    let b = read_task(&tablet, id).unwrap();
    assert_eq!(a, b);
    let winner = a.assignee.clone().unwrap();
    assert!(
        winner == Owner::Person("p-qian".into())
            || winner == Owner::Position("pos:warehouse-manager".into())
    );
    assert_eq!(a.department.as_deref(), Some("dept:warehouse"));
    let history: Vec<ChangeKind> = task_history(&laptop, id)
        .unwrap()
        .into_iter()
        .filter_map(|h| h.said.change().map(|c| c.what.clone()))
        .collect();
    let reassigned_to = |name: &str| {
        history
            .iter()
            .any(|k| matches!(k, ChangeKind::Reassigned { to: Some(to), .. } if to == name))
    };
    assert!(reassigned_to("Qian"), "{history:?}");
    assert!(reassigned_to("Warehouse manager"), "{history:?}");
    assert!(matches!(history[0], ChangeKind::Created { .. }));
}

#[test]
fn reassigning_while_the_assignee_is_offline_keeps_their_ticks_and_completion_and_the_new_assignee_sees_it_done()
 {
    let mut s = shop();
    let id = stock_count(&mut s);
    let org = org(&s);
    let mut phone = device(&s.tasks, 1);
    let mut laptop = device(&s.tasks, 2);
    let zhao = actor(&s, "p-zhao", Role::Staff);
    set_checklist_item(&mut phone, Some(&org), &zhao, id, "c1", true, 30).unwrap();
    set_checklist_item(&mut phone, Some(&org), &zhao, id, "c2", true, 31).unwrap();
    add_comment(
        &mut phone,
        Some(&org),
        &zhao,
        id,
        "k1",
        "Aisle 3 done, 2 boxes damaged",
        32,
    )
    .unwrap();
    change_task_status(&mut phone, Some(&org), &zhao, id, TaskStatus::Done, 33).unwrap();
    reassign_task(
        &mut laptop,
        &org,
        &Actor::manager("Zhang"),
        id,
        Some(Owner::Person("p-qian".into())),
        34,
    )
    .unwrap();
    sync(&mut phone, &mut laptop);
    let t = read_task(&laptop, id).unwrap();
    assert_eq!(t, read_task(&phone, id).unwrap());
    assert_eq!(t.assignee, Some(Owner::Person("p-qian".into())));
    assert_eq!(t.status, TaskStatus::Done);
    assert_eq!(t.completed_by.as_deref(), Some("Zhao"));
    assert_eq!(t.completed_by_person.as_deref(), Some("p-zhao"));
    assert_eq!(t.checklist.iter().filter(|i| i.done).count(), 2);
    assert_eq!(t.comments.len(), 1);
    // The new assignee's Today screen shows it done.
    let qian = actor(&s, "p-qian", Role::Staff);
    let tasks = read_tasks(&laptop).unwrap();
    let day = my_day(&tasks, Some(&org), &qian, today());
    let (_, mine) = day
        .today
        .iter()
        .find(|(tid, _)| tid == id)
        .expect("on Qian's day");
    assert_eq!(mine.status, TaskStatus::Done);
}

#[test]
fn a_person_removed_while_holding_tasks_hands_their_open_tasks_to_their_position_and_coverage_reports_what_is_uncovered()
 {
    let mut s = shop();
    let id = stock_count(&mut s);
    let boss = Actor::manager("Zhang");
    // Meanwhile, offline, another manager gives Zhao one more task.
    let mut tablet = device(&s.tasks, 9);
    let org_before = org(&s);
    let mut late = NewTask::titled("Label returns");
    late.assignee = Some(Owner::Person("p-zhao".into()));
    create_task(
        &mut tablet,
        &org_before,
        &actor(&s, "p-wang", Role::DepartmentManager),
        "t2",
        late,
        40,
    )
    .unwrap();
    // Zhao leaves; so does Qian, leaving the specialist position empty.
    set_person_active(&mut s.org, &boss, "p-zhao", false, 41).unwrap();
    set_person_active(&mut s.org, &boss, "p-qian", false, 42).unwrap();
    let org = org(&s);
    let released = release_tasks_of(&mut s.tasks, &org, &boss, "p-zhao", 43).unwrap();
    assert_eq!(
        released.to_position,
        vec![(id.to_string(), "pos:warehouse-specialist".to_string())]
    );
    let handed = task_history(&s.tasks, id).unwrap().pop().unwrap().said;
    assert!(
        matches!(
            handed.change().map(|c| &c.what),
            Some(ChangeKind::HandedOver { count: 1, person, to })
                if person == "Zhao" && to == "Warehouse specialist"
        ),
        "{handed:?}"
    );
    // The offline task arrives after the hand-over: coverage flags it.
    s.tasks.merge(&mut tablet).unwrap();
    let tasks = read_tasks(&s.tasks).unwrap();
    let c = coverage(&org, &tasks);
    assert_eq!(c.tasks_of_departed, vec!["t2".to_string()]);
    assert!(c.tasks_of_empty_positions.contains(&id.to_string()));
    assert!(
        c.positions_without_holder
            .contains(&"pos:warehouse-specialist".to_string())
    );
    assert!(
        c.duties_without_holder
            .contains(&"duty:warehouse-specialist/stock-count".to_string())
    );
    assert!(!c.is_covered());
    // Releasing again picks up the late task.
    let again = release_tasks_of(&mut s.tasks, &org, &boss, "p-zhao", 44).unwrap();
    assert_eq!(again.to_position.len(), 1);
    let c = coverage(&org, &read_tasks(&s.tasks).unwrap());
    assert!(c.tasks_of_departed.is_empty());
}

#[test]
fn a_person_without_a_position_leaving_leaves_their_tasks_unassigned_and_flagged() {
    let mut s = shop();
    let boss = Actor::manager("Zhang");
    storeops_domain::org::add_person(&mut s.org, &boss, "p-temp", "Temp", "", &[], 1).unwrap();
    let org = org(&s);
    let mut new = NewTask::titled("Help with the sale");
    new.assignee = Some(Owner::Person("p-temp".into()));
    create_task(&mut s.tasks, &org, &boss, "t", new, 2).unwrap();
    set_person_active(&mut s.org, &boss, "p-temp", false, 3).unwrap();
    let org = support::org(&s);
    let r = release_tasks_of(&mut s.tasks, &org, &boss, "p-temp", 4).unwrap();
    assert_eq!(r.unassigned, vec!["t".to_string()]);
    let t = read_task(&s.tasks, "t").unwrap();
    assert_eq!(
        (t.assignee, t.unassigned_reason.as_deref()),
        (None, Some("Temp left and held no position"))
    );
    assert_eq!(
        task_history(&s.tasks, "t").unwrap().pop().unwrap().said,
        storeops_domain::history::Said::Change(storeops_domain::history::Change::new(
            "Zhang",
            ChangeKind::UnassignedLeft {
                count: 1,
                person: "Temp".into()
            }
        ))
    );
    assert!(
        coverage(&org, &read_tasks(&s.tasks).unwrap())
            .tasks_unassigned
            .contains(&"t".to_string())
    );
}

#[test]
fn concurrent_edits_of_different_fields_of_a_task_all_survive() {
    let mut s = shop();
    let id = stock_count(&mut s);
    let org = org(&s);
    let boss = Actor::manager("Zhang");
    let zhao = actor(&s, "p-zhao", Role::Staff);
    let mut a = device(&s.tasks, 1);
    let mut b = device(&s.tasks, 2);
    let mut c = device(&s.tasks, 3);
    edit_task(
        &mut a,
        &org,
        &boss,
        id,
        TaskEdit {
            title: Some("Count aisles 3–4".into()),
            ..Default::default()
        },
        50,
    )
    .unwrap();
    edit_task(
        &mut b,
        &org,
        &boss,
        id,
        TaskEdit {
            priority: Some(Priority::High),
            due: Some(Some(today().add_days(1))),
            ..Default::default()
        },
        51,
    )
    .unwrap();
    change_task_status(&mut c, Some(&org), &zhao, id, TaskStatus::InProgress, 52).unwrap();
    set_checklist_item(&mut c, Some(&org), &zhao, id, "c3", true, 53).unwrap();
    add_comment(
        &mut a,
        Some(&org),
        &boss,
        id,
        "k-a",
        "Use the new scanner",
        54,
    )
    .unwrap();
    add_comment(&mut c, Some(&org), &zhao, id, "k-c", "Started", 55).unwrap();
    sync(&mut a, &mut b);
    sync(&mut b, &mut c);
    sync(&mut a, &mut b);
    let t = read_task(&a, id).unwrap();
    assert_eq!(t, read_task(&c, id).unwrap());
    assert_eq!(t.title, "Count aisles 3–4");
    assert_eq!(t.priority, Priority::High);
    assert_eq!(t.due, Some(today().add_days(1).to_string()));
    assert_eq!(t.status, TaskStatus::InProgress);
    assert!(t.checklist.iter().any(|i| i.id == "c3" && i.done));
    assert_eq!(t.comments.len(), 2);
}

#[test]
fn the_same_checklist_item_ticked_on_one_device_and_unticked_on_another_ends_the_same_on_both_with_all_three_fields_from_one_device()
 {
    for (first, second) in [(1u8, 2u8), (2, 1)] {
        let mut s = shop();
        let id = stock_count(&mut s);
        let org = org(&s);
        let zhao = actor(&s, "p-zhao", Role::Staff);
        set_checklist_item(&mut s.tasks, Some(&org), &zhao, id, "c1", true, 60).unwrap();
        let mut phone = device(&s.tasks, first);
        let mut tablet = device(&s.tasks, second);
        // Phone: unticks. Tablet: unticks and ticks again (two writes).
        set_checklist_item(&mut phone, Some(&org), &zhao, id, "c1", false, 61).unwrap();
        set_checklist_item(&mut tablet, Some(&org), &zhao, id, "c1", false, 62).unwrap();
        set_checklist_item(&mut tablet, Some(&org), &zhao, id, "c1", true, 63).unwrap();
        sync(&mut phone, &mut tablet);
        let a = read_task(&phone, id).unwrap();
        assert_eq!(a, read_task(&tablet, id).unwrap());
        let item = &a.checklist[0];
        // The documented rule: the write with the greater operation id wins; the
        // tablet wrote later in its own history (higher Lamport counter), so its
        // tick wins whatever the actor ids are.
        assert!(item.done, "devices {first}/{second}");
        assert_eq!(
            (item.done_by.as_deref(), item.done_at),
            (Some("Zhao"), Some(63))
        );
        let history = task_history(&phone, id).unwrap();
        assert_eq!(
            history
                .iter()
                .filter(|h| matches!(
                    h.said.change().map(|c| &c.what),
                    Some(ChangeKind::Ticked { done: false, .. })
                ))
                .count(),
            2
        );
    }
}
