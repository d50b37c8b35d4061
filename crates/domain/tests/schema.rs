//! Schema 1 documents still read, and upgrade to schema 2.

#![allow(clippy::unwrap_used)]
mod support;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc, Value};
use storeops_domain::schema::{schema_of, upgrade};
use storeops_domain::*;
use support::*;

/// Turns a schema-2 document back into what the walking skeleton wrote: schema 1,
/// owners as `{"Position": "<id>"}` maps.
fn downgrade(am: &mut Automerge, collection: &str, field: &str) {
    let mut tx = am.transaction();
    tx.put(ROOT, "schema", 1u64).unwrap();
    let (_, coll) = tx.get(ROOT, collection).unwrap().unwrap();
    let keys: Vec<String> = tx.keys(&coll).collect();
    for k in keys {
        let (_, entity) = tx.get(&coll, k.as_str()).unwrap().unwrap();
        if let Some((Value::Scalar(v), _)) = tx.get(&entity, field).unwrap()
            && let Some(s) = v.as_str()
        {
            let owner: Owner = s.parse().unwrap();
            let variant = match owner {
                Owner::Position(_) => "Position",
                Owner::Department(_) => "Department",
                Owner::Person(_) => "Person",
            };
            let m = tx.put_object(&entity, field, ObjType::Map).unwrap();
            tx.put(&m, variant, owner.id()).unwrap();
        }
    }
    tx.commit();
}

fn owner_is_map(am: &Automerge, collection: &str, key: &str, field: &str) -> bool {
    let (_, coll) = am.get(ROOT, collection).unwrap().unwrap();
    let (_, e) = am.get(&coll, key).unwrap().unwrap();
    matches!(
        am.get(&e, field).unwrap(),
        Some((Value::Object(ObjType::Map), _))
    )
}

const COUNT: &str = "duty:warehouse-specialist/stock-count@2026-11";

#[test]
fn a_schema_1_tasks_document_reads_and_upgrades_to_schema_2_once() {
    let mut s = shop();
    let expected = read_tasks(&s.tasks).unwrap();
    assert!(expected.iter().any(|(id, _)| id == COUNT));
    downgrade(&mut s.tasks, "tasks", "assignee");
    assert!(owner_is_map(&s.tasks, "tasks", COUNT, "assignee"));
    assert_eq!(read_tasks(&s.tasks).unwrap(), expected);
    assert_eq!(upgrade(&mut s.tasks, 5).unwrap(), Some(1));
    assert!(!owner_is_map(&s.tasks, "tasks", COUNT, "assignee"));
    assert_eq!(schema_of(&s.tasks).unwrap(), Some(SCHEMA_VERSION));
    assert_eq!(read_tasks(&s.tasks).unwrap(), expected);
    let heads = s.tasks.get_heads();
    assert_eq!(upgrade(&mut s.tasks, 6).unwrap(), None);
    assert_eq!(s.tasks.get_heads(), heads);
}

#[test]
fn a_schema_1_org_document_reads_and_upgrades() {
    let mut s = shop();
    let expected = read_org(&s.org).unwrap();
    downgrade(&mut s.org, "duties", "owner");
    let old = read_org(&s.org).unwrap();
    assert_eq!(old.schema, 1);
    assert_eq!(old.duties, expected.duties);
    upgrade(&mut s.org, 5).unwrap();
    assert!(!owner_is_map(
        &s.org,
        "duties",
        "duty:warehouse-specialist/stock-count",
        "owner"
    ));
    assert_eq!(read_org(&s.org).unwrap(), expected);
}

#[test]
fn the_first_command_on_a_schema_1_document_upgrades_it_in_the_same_change() {
    let mut s = shop();
    downgrade(&mut s.tasks, "tasks", "assignee");
    let changes = s.tasks.get_changes(&[]).len();
    let org = org(&s);
    reassign_task(
        &mut s.tasks,
        &org,
        &Actor::manager("Zhang"),
        COUNT,
        Some(Owner::Person("p-zhao".into())),
        7,
    )
    .unwrap();
    assert_eq!(s.tasks.get_changes(&[]).len(), changes + 1);
    assert_eq!(schema_of(&s.tasks).unwrap(), Some(SCHEMA_VERSION));
    assert!(!owner_is_map(
        &s.tasks,
        "tasks",
        "duty:warehouse-manager/planning@2026-W48",
        "assignee"
    ));
    assert_eq!(
        read_task(&s.tasks, COUNT).unwrap().assignee,
        Some(Owner::Person("p-zhao".into()))
    );
}

#[test]
fn a_newer_schema_is_refused_by_upgrade_and_commands() {
    let mut s = shop();
    let mut tx = s.tasks.transaction();
    tx.put(ROOT, "schema", 99u64).unwrap();
    tx.commit();
    assert_eq!(
        upgrade(&mut s.tasks, 1).unwrap_err(),
        DomainError::SchemaTooNew(99)
    );
    let err = add_task(
        &mut s.tasks,
        &Actor::manager("Zhang"),
        "t",
        NewTask::titled("x"),
        2,
    )
    .unwrap_err();
    assert_eq!(err, DomainError::SchemaTooNew(99));
}

#[test]
fn owners_round_trip_through_their_text_form() {
    for o in [
        Owner::Position("pos:a".into()),
        Owner::Department("dept:b".into()),
        Owner::Person("p:c".into()),
    ] {
        assert_eq!(o.to_string().parse::<Owner>(), Ok(o));
    }
    assert!("pos:a".parse::<Owner>().is_err());
    assert!("person:".parse::<Owner>().is_err());
}
