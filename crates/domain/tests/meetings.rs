//! Operations meetings and their action items.

#![allow(clippy::unwrap_used)]
mod support;

use storeops_domain::history::{Change, ChangeKind, Said, task_history};
use storeops_domain::meetings::*;
use storeops_domain::*;
use support::*;

#[test]
fn a_meetings_action_items_become_tasks_once_even_from_two_devices() {
    let mut s = shop();
    let org = org(&s);
    let zhang = actor(&s, "p-zhang", Role::Manager);
    let wang = actor(&s, "p-wang", Role::DepartmentManager);
    let mut m = new_meetings_doc("2026", 1).unwrap();
    let new = NewMeeting {
        title: "Weekly operations meeting".into(),
        date: today(),
        department: None,
        attendees: vec!["p-zhang".into(), "p-wang".into(), "p-li".into()],
        agenda: vec!["Sales review".into(), "Stock accuracy".into()],
        managers_only: false,
    };
    // A department manager cannot call a store-wide meeting.
    assert!(
        create_meeting(&mut m, &org, &wang, "m1", new.clone(), 2)
            .unwrap_err()
            .is_permission()
    );
    create_meeting(&mut m, &org, &zhang, "m1", new, 2).unwrap();
    add_agenda_item(&mut m, &org, &zhang, "m1", "a3", "Holiday staffing", 3).unwrap();
    set_minutes(
        &mut m,
        &org,
        &zhang,
        "m1",
        "Stock accuracy 97%; recount aisle 3.",
        4,
    )
    .unwrap();
    let recount = ActionItem {
        text: "Recount aisle 3".into(),
        owner: Some(Owner::Position("pos:warehouse-specialist".into())),
        due: Some(today().add_days(2).to_string()),
    };
    add_action_item(&mut m, &org, &zhang, "m1", "x1", recount, 5).unwrap();
    let posters = ActionItem {
        text: "New posters".into(),
        owner: Some(Owner::Person("p-li".into())),
        due: None,
    };
    add_action_item(&mut m, &org, &zhang, "m1", "x2", posters, 6).unwrap();
    let meeting = read_meetings(&m).unwrap().meetings["m1"].clone();
    assert_eq!(meeting.agenda.len(), 3);
    assert!(meeting.minutes.contains("97%"));
    let mut a = device(&s.tasks, 1);
    let mut b = device(&s.tasks, 2);
    let made = actions_to_tasks(&m, &mut a, &org, &zhang, "m1", today().add_days(7), 7).unwrap();
    assert_eq!(
        made,
        [action_task_id("m1", "x1"), action_task_id("m1", "x2")]
    );
    actions_to_tasks(&m, &mut b, &org, &zhang, "m1", today().add_days(7), 8).unwrap();
    sync(&mut a, &mut b);
    let tasks = read_tasks(&a).unwrap();
    let from_meeting: Vec<_> = tasks
        .iter()
        .filter(|(_, t)| t.origin.as_deref().is_some_and(|o| o.starts_with("m1/")))
        .collect();
    assert_eq!(from_meeting.len(), 2);
    let (_, posters) = from_meeting
        .iter()
        .find(|(id, _)| id.ends_with("x2"))
        .unwrap();
    assert_eq!(
        (posters.due.as_deref(), posters.department.as_deref()),
        (Some("2026-12-05"), Some("dept:marketing"))
    );
    // Where it came from is its origin (the UI words it); the description is
    // what a person typed: nothing.
    assert_eq!(posters.origin.as_deref(), Some("m1/x2"));
    assert_eq!(posters.description, "");
    let made = task_history(&a, &action_task_id("m1", "x2")).unwrap();
    assert_eq!(
        made[made.len() - 1].said,
        Said::Change(Change::new(
            "Zhang",
            ChangeKind::FromMeeting {
                count: 2,
                meeting: meeting.title.clone()
            }
        ))
    );
    s.tasks = a;
    assert!(
        actions_to_tasks(&m, &mut s.tasks, &org, &zhang, "m1", today(), 9)
            .unwrap()
            .is_empty()
    );
}
