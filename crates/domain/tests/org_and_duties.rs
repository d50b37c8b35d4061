//! Org chart and duty register commands, my duties, coverage.

#![allow(clippy::unwrap_used)]
mod support;

use storeops_domain::org::*;
use storeops_domain::*;
use support::*;

#[test]
fn departments_are_added_renamed_and_moved_without_cycles() {
    let mut s = shop();
    let boss = Actor::manager("Zhang");
    add_department(
        &mut s.org,
        &boss,
        "dept:returns",
        "Returns",
        Some("dept:warehouse"),
        1,
    )
    .unwrap();
    rename_department(&mut s.org, &boss, "dept:returns", "Returns desk", 2).unwrap();
    move_department(&mut s.org, &boss, "dept:returns", Some("dept:store-ops"), 3).unwrap();
    let o = org(&s);
    assert_eq!(o.departments["dept:returns"].name, "Returns desk");
    assert_eq!(
        o.departments["dept:returns"].parent.as_deref(),
        Some("dept:store-ops")
    );
    let err =
        move_department(&mut s.org, &boss, "dept:store-ops", Some("dept:returns"), 4).unwrap_err();
    assert!(
        err.to_string().contains("cannot move below itself"),
        "{err}"
    );
    // A department manager adds below their own department only.
    let wang = actor(&s, "p-wang", Role::DepartmentManager);
    add_department(
        &mut s.org,
        &wang,
        "dept:cold",
        "Cold store",
        Some("dept:warehouse"),
        5,
    )
    .unwrap();
    assert!(
        add_department(&mut s.org, &wang, "dept:x", "X", Some("dept:marketing"), 6)
            .unwrap_err()
            .is_permission()
    );
    assert!(
        add_department(&mut s.org, &wang, "dept:y", "Y", None, 7)
            .unwrap_err()
            .is_permission()
    );
    assert!(
        move_department(&mut s.org, &wang, "dept:cold", None, 8)
            .unwrap_err()
            .is_permission()
    );
}

#[test]
fn positions_are_added_moved_and_resized_and_reporting_lines_cannot_loop() {
    let mut s = shop();
    let boss = Actor::manager("Zhang");
    let p = Position {
        title: "Forklift driver".into(),
        department: "dept:warehouse".into(),
        reports_to: Some("pos:warehouse-manager".into()),
        headcount: 2,
        role: None,
    };
    add_position(&mut s.org, &boss, "pos:forklift", p, 1).unwrap();
    let edit = PositionEdit {
        headcount: Some(3),
        title: Some("Forklift operator".into()),
        ..Default::default()
    };
    let p = edit_position(&mut s.org, &boss, "pos:forklift", edit, 2).unwrap();
    assert_eq!((p.headcount, p.title.as_str()), (3, "Forklift operator"));
    let loop_edit = PositionEdit {
        reports_to: Some(Some("pos:forklift".into())),
        ..Default::default()
    };
    let err = edit_position(&mut s.org, &boss, "pos:warehouse-manager", loop_edit, 3).unwrap_err();
    assert!(err.to_string().contains("cannot report to itself"));
    let zero = PositionEdit {
        headcount: Some(0),
        ..Default::default()
    };
    assert!(edit_position(&mut s.org, &boss, "pos:forklift", zero, 4).is_err());
    // Wang cannot move the position out of his department.
    let wang = actor(&s, "p-wang", Role::DepartmentManager);
    let away = PositionEdit {
        department: Some("dept:marketing".into()),
        ..Default::default()
    };
    assert!(
        edit_position(&mut s.org, &wang, "pos:forklift", away, 5)
            .unwrap_err()
            .is_permission()
    );
    let c = coverage(&org(&s), &[]);
    assert!(c.vacancies.contains(&Vacancy {
        position: "pos:forklift".into(),
        headcount: 3,
        holders: 0
    }));
}

#[test]
fn people_change_positions_and_leave_and_stay_on_record() {
    let mut s = shop();
    let boss = Actor::manager("Zhang");
    set_person_positions(
        &mut s.org,
        &boss,
        "p-sun",
        &["pos:marketing-specialist", "pos:promotion-manager"],
        1,
    )
    .unwrap();
    edit_person(&mut s.org, &boss, "p-sun", "Sun Mei", "138", 2).unwrap();
    set_person_active(&mut s.org, &boss, "p-sun", false, 3).unwrap();
    let o = org(&s);
    let sun = &o.people["p-sun"];
    assert_eq!(
        (sun.name.as_str(), sun.active, sun.positions.len()),
        ("Sun Mei", false, 2)
    );
    assert!(holders(&o, "pos:promotion-manager").is_empty());
    // People who left cannot be given new work.
    let mut new = NewTask::titled("x");
    new.assignee = Some(Owner::Person("p-sun".into()));
    let err = create_task(&mut s.tasks, &o, &boss, "t", new, 4).unwrap_err();
    assert!(err.to_string().contains("has left the store"));
}

#[test]
fn duties_have_an_owner_a_cadence_and_an_optional_raci_and_show_up_as_my_duties() {
    let mut s = shop();
    let wang = actor(&s, "p-wang", Role::DepartmentManager);
    let raci = Raci {
        responsible: Some(Owner::Person("p-qian".into())),
        accountable: Some(Owner::Position("pos:warehouse-manager".into())),
        consulted: vec![Owner::Department("dept:purchasing".into())],
        informed: vec![Owner::Position("pos:store-manager".into())],
    };
    let duty = NewDuty {
        text: "Check the cold chain log".into(),
        owner: Some(Owner::Position("pos:warehouse-manager".into())),
        cadence: Cadence::Daily,
        raci: Some(raci.clone()),
    };
    add_duty(&mut s.org, &wang, "duty:cold-chain", duty, 1).unwrap();
    let o = org(&s);
    assert_eq!(o.duties["duty:cold-chain"].raci.as_ref(), Some(&raci));
    let qian = actor(&s, "p-qian", Role::Staff);
    let mine: Vec<String> = my_duties(&o, &qian).into_iter().map(|(id, _)| id).collect();
    assert!(mine.contains(&"duty:cold-chain".to_string()));
    assert!(mine.contains(&"duty:warehouse-specialist/stock-count".to_string()));
    assert!(!mine.contains(&"duty:marketing-specialist/online".to_string()));
    // Moving a duty to marketing is out of Wang's scope.
    let away = DutyEdit {
        owner: Some(Some(Owner::Position("pos:marketing-manager".into()))),
        ..Default::default()
    };
    assert!(
        edit_duty(&mut s.org, &wang, "duty:cold-chain", away, 2)
            .unwrap_err()
            .is_permission()
    );
    let weekly = DutyEdit {
        cadence: Some(Cadence::Weekly),
        ..Default::default()
    };
    assert_eq!(
        edit_duty(&mut s.org, &wang, "duty:cold-chain", weekly, 3)
            .unwrap()
            .cadence,
        Cadence::Weekly
    );
    // A duty left without an owner is flagged.
    let boss = Actor::manager("Zhang");
    edit_duty(
        &mut s.org,
        &boss,
        "duty:cold-chain",
        DutyEdit {
            owner: Some(None),
            ..Default::default()
        },
        4,
    )
    .unwrap();
    assert_eq!(
        coverage(&org(&s), &[]).duties_without_owner,
        vec!["duty:cold-chain".to_string()]
    );
}

#[test]
fn the_coverage_check_of_the_fresh_shop_lists_the_positions_nobody_holds() {
    let s = shop();
    let o = org(&s);
    let c = coverage(&o, &read_tasks(&s.tasks).unwrap());
    assert!(c.duties_without_owner.is_empty());
    assert!(
        c.positions_without_holder
            .contains(&"pos:finance-manager".to_string())
    );
    assert!(
        !c.positions_without_holder
            .contains(&"pos:warehouse-specialist".to_string())
    );
    assert!(
        c.duties_without_holder
            .iter()
            .any(|d| d.starts_with("duty:finance-manager/"))
    );
    assert!(
        c.tasks_of_empty_positions
            .iter()
            .any(|t| t.starts_with("duty:finance-manager/"))
    );
    assert!(!c.is_covered());
}

#[test]
fn concurrent_position_changes_to_a_person_merge_without_losing_either() {
    let s = shop();
    let boss = Actor::manager("Zhang");
    let mut a = device(&s.org, 1);
    let mut b = device(&s.org, 2);
    set_person_positions(
        &mut a,
        &boss,
        "p-sun",
        &["pos:marketing-specialist", "pos:promotion-manager"],
        1,
    )
    .unwrap();
    edit_person(&mut b, &boss, "p-sun", "Sun Mei", "", 2).unwrap();
    sync(&mut a, &mut b);
    let o = read_org(&a).unwrap();
    assert_eq!(o, read_org(&b).unwrap());
    assert_eq!(o.people["p-sun"].name, "Sun Mei");
    assert_eq!(
        o.people["p-sun"].held_positions(),
        ["pos:marketing-specialist", "pos:promotion-manager"]
    );
}
