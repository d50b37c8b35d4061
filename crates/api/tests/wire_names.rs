//! Each domain enum has one wire spelling (serde's snake_case); where the domain
//! also spells a name by hand (`as_str`, for documents and messages), it is the same.

use storeops_api::{Cadence, PlanLevel, PlanStatus, Priority, Role, TaskStatus};

fn wire<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .expect("serialise")
        .as_str()
        .expect("a string")
        .to_owned()
}

#[test]
fn hand_spelled_names_are_the_wire_names() {
    use TaskStatus::*;
    for s in [Todo, InProgress, Blocked, Done, Cancelled] {
        assert_eq!(wire(s), s.as_str());
        assert_eq!(s.as_str().parse::<TaskStatus>().ok(), Some(s));
    }
    for p in [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ] {
        assert_eq!(wire(p), p.as_str());
    }
    for r in [
        Role::Staff,
        Role::Manager,
        Role::DepartmentManager,
        Role::OperationsManager,
        Role::Director,
    ] {
        assert_eq!(wire(r), r.as_str());
        assert_eq!(r.as_str().parse::<Role>().ok(), Some(r));
    }
    for l in PlanLevel::ALL {
        assert_eq!(wire(l), l.as_str());
    }
    for s in [
        PlanStatus::Draft,
        PlanStatus::Submitted,
        PlanStatus::Approved,
        PlanStatus::Returned,
    ] {
        assert_eq!(wire(s), s.as_str());
    }
    let cadences: Vec<String> = Cadence::ALL.into_iter().map(wire).collect();
    assert_eq!(
        cadences,
        [
            "daily",
            "weekly",
            "monthly",
            "quarterly",
            "yearly",
            "as_needed"
        ]
    );
}
