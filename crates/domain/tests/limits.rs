//! Text people type has limits the domain enforces: a clear message, nothing changed.

#![allow(clippy::unwrap_used)]
mod support;

use storeops_domain::org::{NewDuty, add_duty};
use storeops_domain::text::limits;
use storeops_domain::*;
use support::*;

fn long(n: usize) -> String {
    "长".repeat(n)
}

#[test]
fn a_title_of_more_than_200_characters_is_refused_and_nothing_changes() {
    let mut s = shop();
    let boss = actor(&s, "p-zhang", Role::Manager);
    let before = s.tasks.get_heads();
    let err = add_task(&mut s.tasks, &boss, "t1", NewTask::titled(long(2_000)), 1).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a title is at most 200 characters; this one has 2000"
    );
    assert_eq!(s.tasks.get_heads(), before);
    add_task(&mut s.tasks, &boss, "t1", NewTask::titled(long(200)), 1).unwrap();
}

#[test]
fn descriptions_comments_and_checklists_are_bounded() {
    let mut s = shop();
    let boss = actor(&s, "p-zhang", Role::Manager);
    let too_much = NewTask {
        description: long(limits::DESCRIPTION + 1),
        ..NewTask::titled("Count the shelves")
    };
    assert!(add_task(&mut s.tasks, &boss, "t1", too_much, 1).is_err());
    let many = NewTask {
        checklist: (0..=limits::CHECKLIST_ITEMS)
            .map(|i| format!("shelf {i}"))
            .collect(),
        ..NewTask::titled("Count the shelves")
    };
    assert!(add_task(&mut s.tasks, &boss, "t1", many, 1).is_err());
    let long_item = NewTask {
        checklist: vec![long(limits::CHECKLIST_ITEM + 1)],
        ..NewTask::titled("Count the shelves")
    };
    assert!(add_task(&mut s.tasks, &boss, "t1", long_item, 1).is_err());

    add_task(
        &mut s.tasks,
        &boss,
        "t1",
        NewTask::titled("Count the shelves"),
        1,
    )
    .unwrap();
    let org = org(&s);
    let before = s.tasks.get_heads();
    let comment = long(limits::COMMENT + 1);
    assert!(add_comment(&mut s.tasks, Some(&org), &boss, "t1", "c1", &comment, 2).is_err());
    let item = long(limits::CHECKLIST_ITEM + 1);
    assert!(add_checklist_item(&mut s.tasks, Some(&org), &boss, "t1", "i1", &item, 2).is_err());
    assert_eq!(s.tasks.get_heads(), before, "nothing changed");
    add_comment(
        &mut s.tasks,
        Some(&org),
        &boss,
        "t1",
        "c1",
        &long(limits::COMMENT),
        2,
    )
    .unwrap();
    for i in 0..limits::CHECKLIST_ITEMS {
        add_checklist_item(
            &mut s.tasks,
            Some(&org),
            &boss,
            "t1",
            &format!("i{i}"),
            "ok",
            3,
        )
        .unwrap();
    }
    assert!(
        add_checklist_item(&mut s.tasks, Some(&org), &boss, "t1", "one-more", "ok", 4).is_err()
    );
}

#[test]
fn a_duty_whose_text_could_not_be_a_task_title_is_refused() {
    let mut s = shop();
    let boss = actor(&s, "p-zhang", Role::Manager);
    let duty = |text: String| NewDuty {
        text,
        owner: None,
        cadence: Cadence::Daily,
        raci: None,
    };
    let err = add_duty(&mut s.org, &boss, "d1", duty(long(limits::TITLE + 1)), 1).unwrap_err();
    assert!(err.to_string().contains("at most 200 characters"), "{err}");
    add_duty(&mut s.org, &boss, "d1", duty(long(limits::TITLE)), 1).unwrap();
}
