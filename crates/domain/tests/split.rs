//! Period documents listed in the root.

#![allow(clippy::unwrap_used)]
mod support;

use storeops_domain::calendar::Date;
use storeops_domain::split::*;
use storeops_domain::*;
use support::*;

#[test]
fn tasks_are_filed_by_due_week_and_today_needs_this_week_and_the_last() {
    let d = |s: &str| s.parse::<Date>().unwrap();
    assert_eq!(
        task_period(Some(d("2026-12-03")), d("2026-11-28")),
        "2026-W49"
    );
    assert_eq!(task_period(None, d("2026-11-28")), "2026-W48");
    assert_eq!(
        task_period(Some(d("2027-01-01")), d("2027-01-01")),
        "2026-W53"
    );
    assert_eq!(
        today_task_periods(d("2027-01-05")),
        ["2026-W53".to_string(), "2027-W01".to_string()]
    );
    assert_eq!(period_of("tasks", d("2026-11-28")).unwrap(), "2026-W48");
    assert_eq!(period_of("plans", d("2026-11-28")).unwrap(), "2026");
    assert_eq!(period_of("feedback", d("2026-11-28")).unwrap(), "2026-11");
    assert!(
        period_of("org", d("2026-11-28"))
            .unwrap_err()
            .to_string()
            .contains("not split by period")
    );
}

#[test]
fn two_managers_opening_the_same_week_offline_keep_both_documents_and_no_task_is_lost() {
    let s = shop();
    let org = org(&s);
    let zhang = Actor::manager("Zhang");
    let wang = actor(&s, "p-wang", Role::DepartmentManager);
    let mut laptop = device(&s.store, 1);
    let mut tablet = device(&s.store, 2);
    let mut dec_a = new_tasks_doc("2026-W49", 1).unwrap();
    let mut dec_b = new_tasks_doc("2026-W49", 2).unwrap();
    assert!(register_period_doc(&mut laptop, &zhang, "tasks", "2026-W49", "doc-a", 3).unwrap());
    assert!(!register_period_doc(&mut laptop, &zhang, "tasks", "2026-W49", "doc-a", 3).unwrap());
    register_period_doc(&mut tablet, &wang, "tasks", "2026-W49", "doc-b", 4).unwrap();
    let mut new = NewTask::titled("Year-end count");
    new.assignee = Some(Owner::Position("pos:warehouse-specialist".into()));
    create_task(&mut dec_a, &org, &zhang, "a", new.clone(), 5).unwrap();
    create_task(&mut dec_b, &org, &wang, "b", new, 6).unwrap();
    sync(&mut laptop, &mut tablet);
    let store = read_store(&laptop).unwrap();
    assert_eq!(period_docs(&store, "tasks", "2026-W49"), ["doc-a", "doc-b"]);
    let today = Date::new(2026, 12, 9).unwrap();
    assert_eq!(today_task_docs(&store, today), ["tasks", "doc-a", "doc-b"]);
    let all = read_tasks_of(&[&s.tasks, &dec_a, &dec_b]).unwrap();
    assert!(all.iter().any(|(id, _)| id == "a") && all.iter().any(|(id, _)| id == "b"));
    assert_eq!(
        locate_task(
            &[("tasks", &s.tasks), ("doc-a", &dec_a), ("doc-b", &dec_b)],
            "b"
        ),
        Some("doc-b")
    );
    assert_eq!(locate_task(&[("tasks", &s.tasks)], "b"), None);
    // Staff cannot open new periods.
    let err = register_period_doc(
        &mut laptop,
        &Actor::staff("Zhao"),
        "tasks",
        "2027-01",
        "x",
        7,
    )
    .unwrap_err();
    assert!(err.is_permission());
}

#[test]
fn a_root_written_before_the_split_reads_with_no_period_documents() {
    let s = shop();
    let store = read_store(&s.store).unwrap();
    assert!(store.documents.periods.is_empty());
    assert_eq!(today_task_docs(&store, today()), ["tasks"]);
}

#[test]
fn my_day_read_straight_from_documents_matches_my_day_over_hydrated_tasks() {
    let mut s = shop();
    let org = org(&s);
    let boss = Actor::manager("Zhang");
    let mut week = new_tasks_doc("2026-W48", 1).unwrap();
    for (id, owner, due) in [
        ("a", "person:p-zhao", 0),
        ("b", "position:pos:warehouse-specialist", -3),
        ("c", "person:p-qian", 0),
        ("d", "person:p-zhao", 2),
    ] {
        let mut n = NewTask::titled(id);
        n.assignee = Some(owner.parse().unwrap());
        n.due = Some(today().add_days(due));
        create_task(&mut week, &org, &boss, id, n, 2).unwrap();
    }
    create_task(
        &mut s.tasks,
        &org,
        &boss,
        "e",
        NewTask::titled("undated"),
        3,
    )
    .unwrap();
    let zhao = actor(&s, "p-zhao", Role::Staff);
    let fast = my_day_in(&[&s.tasks, &week], Some(&org), &zhao, today()).unwrap();
    let all: Vec<_> = read_tasks_of(&[&s.tasks, &week])
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(fast, my_day(&all, Some(&org), &zhao, today()));
    assert!(fast.today.iter().any(|(id, _)| id == "a"));
    assert_eq!(
        fast.overdue
            .iter()
            .map(|(id, _)| id.as_str())
            .collect::<Vec<_>>(),
        ["b"]
    );
}
