//! Builders for the domain tests: a plan-3 store with a few people, and actors.
#![allow(dead_code, clippy::unwrap_used)]

use automerge::{ActorId, Automerge};
use storeops_domain::calendar::Date;
use storeops_domain::org::add_person;
use storeops_domain::{Actor, NewStore, OrgDoc, Role, StoreSetup, new_store, read_org, template};

pub fn today() -> Date {
    Date::new(2026, 11, 28).unwrap()
}

pub fn setup() -> StoreSetup {
    StoreSetup {
        id: "s1".into(),
        name: "Demo".into(),
        time_zone: "Asia/Shanghai".into(),
        locale: "en".into(),
        org_doc: "org".into(),
        tasks_doc: "tasks".into(),
    }
}

/// The plan-3 store with: Zhang (store manager), Wang (warehouse manager),
/// Zhao and Qian (warehouse specialists), Li (marketing manager), Sun
/// (marketing specialist).
pub fn shop() -> NewStore {
    let mut s = new_store(&setup(), template::template("plan3").unwrap(), today(), 0).unwrap();
    let boss = Actor::manager("Setup");
    for (id, name, pos) in [
        ("p-zhang", "Zhang", "pos:store-manager"),
        ("p-wang", "Wang", "pos:warehouse-manager"),
        ("p-zhao", "Zhao", "pos:warehouse-specialist"),
        ("p-qian", "Qian", "pos:warehouse-specialist"),
        ("p-li", "Li", "pos:marketing-manager"),
        ("p-sun", "Sun", "pos:marketing-specialist"),
    ] {
        add_person(&mut s.org, &boss, id, name, "", &[pos], 1).unwrap();
    }
    s
}

/// A plan-1 store (director → operations manager → departments) with `people`
/// (id, name, position) in it.
pub fn plan1_with(people: &[(&str, &str, &str)]) -> NewStore {
    let mut s = new_store(&setup(), template::template("plan1").unwrap(), today(), 0).unwrap();
    let boss = Actor::manager("Setup");
    for (id, name, pos) in people {
        add_person(&mut s.org, &boss, id, name, "", &[*pos], 1).unwrap();
    }
    s
}

pub fn org(s: &NewStore) -> OrgDoc {
    read_org(&s.org).unwrap()
}

pub fn actor(s: &NewStore, person: &str, role: Role) -> Actor {
    Actor::for_person(&org(s), person, role).unwrap()
}

/// A replica of `doc` on another device (its own automerge actor).
pub fn device(doc: &Automerge, n: u8) -> Automerge {
    let mut d = doc.fork();
    d.set_actor(ActorId::from(vec![n; 16]));
    d
}

/// Both ways.
pub fn sync(a: &mut Automerge, b: &mut Automerge) {
    a.merge(b).unwrap();
    b.merge(a).unwrap();
}
