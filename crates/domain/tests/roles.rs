//! A device's role follows from its person's positions (`access::role_of`), so
//! the org chart is where privilege lives: the relay's write rules keep a
//! department manager's org writes inside their departments.

#![allow(clippy::unwrap_used)]
mod support;

use automerge::transaction::Transactable;
use automerge::{ROOT, ReadDoc};
use storeops_domain::access::role_of;
use storeops_domain::org::{add_person, set_person_active, set_person_positions};
use storeops_domain::rules::{Writer, check_write};
use storeops_domain::*;
use support::*;

#[test]
fn a_role_is_the_highest_any_held_position_gives() {
    let s = shop();
    let org = org(&s);
    // The store manager heads the top department; Wang heads the warehouse.
    assert_eq!(role_of(&org, "p-zhang"), Some(Role::Manager));
    assert_eq!(role_of(&org, "p-wang"), Some(Role::DepartmentManager));
    assert_eq!(role_of(&org, "p-zhao"), Some(Role::Staff));
    assert_eq!(role_of(&org, "p-nobody"), None);
    // Plan 1 names its top two: the director and the operations manager.
    let s = plan1_with(&[
        ("p-d", "D", "pos:director"),
        ("p-o", "O", "pos:ops-manager"),
        ("p-m", "M", "pos:merch-manager"),
    ]);
    let org = read_org(&s.org).unwrap();
    assert_eq!(role_of(&org, "p-d"), Some(Role::Director));
    assert_eq!(role_of(&org, "p-o"), Some(Role::OperationsManager));
    assert_eq!(role_of(&org, "p-m"), Some(Role::DepartmentManager));
}

#[test]
fn promoted_the_role_follows_and_someone_who_left_has_none() {
    let mut s = shop();
    let boss = Actor::manager("Zhang");
    set_person_positions(
        &mut s.org,
        &boss,
        "p-zhao",
        &["pos:warehouse-specialist", "pos:warehouse-manager"],
        2,
    )
    .unwrap();
    assert_eq!(role_of(&org(&s), "p-zhao"), Some(Role::DepartmentManager));
    set_person_active(&mut s.org, &boss, "p-zhao", false, 3).unwrap();
    assert_eq!(role_of(&org(&s), "p-zhao"), None);
    let err = Actor::of_person(&org(&s), "p-zhao", Role::Staff).unwrap_err();
    assert_eq!(err.problem().key, "left-store");
}

#[test]
fn a_hostile_role_value_reads_as_none_and_the_chart_stays_readable() {
    let mut s = shop();
    let mut tx = s.org.transaction();
    let positions = tx.get(ROOT, "positions").unwrap().unwrap().1;
    let p = tx
        .get(&positions, "pos:warehouse-specialist")
        .unwrap()
        .unwrap()
        .1;
    tx.put(&p, "role", "emperor").unwrap();
    tx.commit();
    let org = read_org(&s.org).unwrap();
    assert_eq!(org.positions["pos:warehouse-specialist"].role, None);
    assert_eq!(role_of(&org, "p-zhao"), Some(Role::Staff));
}

fn wang(s: &NewStore) -> Writer {
    Writer::new(
        Some(&org(s)),
        Role::DepartmentManager,
        Some("p-wang"),
        "Wang's phone",
    )
}

#[test]
fn a_department_manager_changes_people_of_their_department_only() {
    let mut s = shop();
    let w = wang(&s);
    let me = actor(&s, "p-wang", Role::DepartmentManager);
    // Honest: a new specialist for the warehouse, and Qian moved to Zhao's place.
    let before = s.org.get_heads();
    add_person(
        &mut s.org,
        &me,
        "p-new",
        "Zhou",
        "",
        &["pos:warehouse-specialist"],
        5,
    )
    .unwrap();
    assert_eq!(check_write(kind::ORG, &s.org, &before, &w, None), Ok(()));
    let before = s.org.get_heads();
    set_person_active(&mut s.org, &me, "p-qian", false, 6).unwrap();
    assert_eq!(check_write(kind::ORG, &s.org, &before, &w, None), Ok(()));

    // Forged (what no command of his allows): himself into the store manager's
    // position, which would make his device the store's manager.
    let forge = |s: &NewStore, f: &dyn Fn(&mut automerge::transaction::Transaction<'_>)| {
        let mut am = s.org.fork();
        let before = am.get_heads();
        let mut tx = am.transaction();
        f(&mut tx);
        tx.commit();
        check_write(kind::ORG, &am, &before, &w, None)
    };
    let into_top = forge(&s, &|tx| {
        let people = tx.get(ROOT, "people").unwrap().unwrap().1;
        let wang = tx.get(&people, "p-wang").unwrap().unwrap().1;
        let held = tx.get(&wang, "positions").unwrap().unwrap().1;
        tx.insert(&held, 1, "pos:store-manager").unwrap();
    });
    assert_eq!(into_top.unwrap_err().rule, "org-scope");
    // A role for his own position.
    let role = forge(&s, &|tx| {
        let positions = tx.get(ROOT, "positions").unwrap().unwrap().1;
        let p = tx
            .get(&positions, "pos:warehouse-manager")
            .unwrap()
            .unwrap()
            .1;
        tx.put(&p, "role", "director").unwrap();
    });
    assert_eq!(role.unwrap_err().rule, "org-role");
    // Marking someone of marketing as left, and moving his department to the top.
    let sun = forge(&s, &|tx| {
        let people = tx.get(ROOT, "people").unwrap().unwrap().1;
        let sun = tx.get(&people, "p-sun").unwrap().unwrap().1;
        tx.put(&sun, "active", false).unwrap();
    });
    assert_eq!(sun.unwrap_err().rule, "org-scope");
    let to_top = forge(&s, &|tx| {
        let departments = tx.get(ROOT, "departments").unwrap().unwrap().1;
        let d = tx.get(&departments, "dept:warehouse").unwrap().unwrap().1;
        tx.put(&d, "parent", automerge::ScalarValue::Null).unwrap();
    });
    assert_eq!(to_top.unwrap_err().rule, "org-scope");
    // Where reports go is the store's managers' to set.
    let routing = forge(&s, &|tx| {
        let routing = match tx.get(ROOT, "routing").unwrap() {
            Some((_, id)) => id,
            None => tx
                .put_object(ROOT, "routing", automerge::ObjType::Map)
                .unwrap(),
        };
        tx.put(&routing, "stock", "dept:warehouse").unwrap();
    });
    assert_eq!(routing.unwrap_err().rule, "org-routing");

    // The store manager may do all of it.
    let zhang = Writer::new(Some(&org(&s)), Role::Manager, Some("p-zhang"), "laptop");
    let mut am = s.org.fork();
    let before = am.get_heads();
    set_person_positions(
        &mut am,
        &actor(&s, "p-zhang", Role::Manager),
        "p-wang",
        &["pos:warehouse-manager", "pos:store-manager"],
        7,
    )
    .unwrap();
    assert_eq!(check_write(kind::ORG, &am, &before, &zhang, None), Ok(()));
}
