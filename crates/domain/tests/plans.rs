//! The planning cascade with approval (plan 1: director → operations manager →
//! departments).

#![allow(clippy::unwrap_used)]
mod support;

use automerge::Automerge;
use storeops_domain::history::{ChangeKind, task_history};
use storeops_domain::plans::*;
use storeops_domain::*;
use support::{device, sync, today};

struct Company {
    store: NewStore,
    plans: Automerge,
    org: OrgDoc,
}

fn company() -> Company {
    let store = support::plan1_with(&[
        ("p-dir", "Chen", "pos:director"),
        ("p-ops", "Li", "pos:ops-manager"),
        ("p-merch", "Wu", "pos:merch-manager"),
    ]);
    let org = read_org(&store.org).unwrap();
    let plans = new_plans_doc("2026", 1).unwrap();
    Company { store, plans, org }
}

fn as_(c: &Company, person: &str, role: Role) -> Actor {
    Actor::for_person(&c.org, person, role).unwrap()
}

fn item(text: &str, parent: Option<&str>) -> PlanItem {
    PlanItem {
        text: text.into(),
        parent_item: parent.map(String::from),
        assignee: None,
        due: None,
    }
}

/// Annual (approved) → monthly (approved) → a draft weekly plan of merchandise.
fn cascade(c: &mut Company) {
    let org = c.org.clone();
    let dir = as_(c, "p-dir", Role::Director);
    let ops = as_(c, "p-ops", Role::OperationsManager);
    let merch = as_(c, "p-merch", Role::DepartmentManager);
    let new = |level, period: &str, title: &str, owner: &str, parent: Option<&str>| NewPlan {
        level,
        period: period.into(),
        title: title.into(),
        owner: owner.into(),
        parent: parent.map(String::from),
    };
    create_plan(
        &mut c.plans,
        &org,
        &dir,
        "annual",
        new(PlanLevel::Annual, "2026", "2026 plan", "pos:director", None),
        2,
    )
    .unwrap();
    set_plan_item(
        &mut c.plans,
        &org,
        &dir,
        "annual",
        "sales",
        item("Sales +20%", None),
        3,
    )
    .unwrap();
    review_plan(
        &mut c.plans,
        &org,
        &dir,
        "annual",
        "r1",
        PlanAction::Submit,
        "",
        4,
    )
    .unwrap();
    review_plan(
        &mut c.plans,
        &org,
        &dir,
        "annual",
        "r2",
        PlanAction::Approve,
        "Approved by the board",
        5,
    )
    .unwrap();
    create_plan(
        &mut c.plans,
        &org,
        &ops,
        "nov",
        new(
            PlanLevel::Monthly,
            "2026-11",
            "November",
            "pos:ops-manager",
            Some("annual"),
        ),
        6,
    )
    .unwrap();
    set_plan_item(
        &mut c.plans,
        &org,
        &ops,
        "nov",
        "sale",
        item("Run the Double 11 sale", Some("sales")),
        7,
    )
    .unwrap();
    review_plan(
        &mut c.plans,
        &org,
        &ops,
        "nov",
        "r3",
        PlanAction::Submit,
        "",
        8,
    )
    .unwrap();
    review_plan(
        &mut c.plans,
        &org,
        &dir,
        "nov",
        "r4",
        PlanAction::Approve,
        "",
        9,
    )
    .unwrap();
    create_plan(
        &mut c.plans,
        &org,
        &merch,
        "w48",
        new(
            PlanLevel::Weekly,
            "2026-W48",
            "Merchandise W48",
            "pos:merch-manager",
            Some("nov"),
        ),
        10,
    )
    .unwrap();
    set_plan_item(
        &mut c.plans,
        &org,
        &merch,
        "w48",
        "restock",
        item("Restock the sale items", Some("sale")),
        11,
    )
    .unwrap();
    set_plan_item(
        &mut c.plans,
        &org,
        &merch,
        "w48",
        "prices",
        item("Reset prices after the sale", Some("sale")),
        12,
    )
    .unwrap();
}

fn plan(c: &Company, id: &str) -> Plan {
    read_plans(&c.plans).unwrap().plans[id].clone()
}

#[test]
fn a_weekly_plan_returned_and_then_approved_keeps_every_comment() {
    let mut c = company();
    cascade(&mut c);
    let org = c.org.clone();
    let ops = as_(&c, "p-ops", Role::OperationsManager);
    let merch = as_(&c, "p-merch", Role::DepartmentManager);
    assert_eq!(
        approver(&org, &plan(&c, "w48")),
        Approver::Position("pos:ops-manager".into())
    );
    assert_eq!(
        review_plan(
            &mut c.plans,
            &org,
            &merch,
            "w48",
            "a",
            PlanAction::Submit,
            "Ready",
            20
        )
        .unwrap(),
        PlanStatus::Submitted
    );
    assert_eq!(
        review_plan(
            &mut c.plans,
            &org,
            &ops,
            "w48",
            "b",
            PlanAction::Return,
            "Add a stock count",
            21
        )
        .unwrap(),
        PlanStatus::Returned
    );
    set_plan_item(
        &mut c.plans,
        &org,
        &merch,
        "w48",
        "count",
        item("Count the sale stock", Some("sale")),
        22,
    )
    .unwrap();
    review_plan(
        &mut c.plans,
        &org,
        &merch,
        "w48",
        "c",
        PlanAction::Submit,
        "Count added",
        23,
    )
    .unwrap();
    review_plan(
        &mut c.plans,
        &org,
        &ops,
        "w48",
        "d",
        PlanAction::Comment,
        "Looks good",
        24,
    )
    .unwrap();
    assert_eq!(
        review_plan(
            &mut c.plans,
            &org,
            &ops,
            "w48",
            "e",
            PlanAction::Approve,
            "Go ahead",
            25
        )
        .unwrap(),
        PlanStatus::Approved
    );
    let p = plan(&c, "w48");
    assert_eq!(p.status(), PlanStatus::Approved);
    let texts: Vec<&str> = p.reviews.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Ready",
            "Add a stock count",
            "Count added",
            "Looks good",
            "Go ahead"
        ]
    );
    assert_eq!(p.items["count"].parent_item.as_deref(), Some("sale"));
}

#[test]
fn illegal_plan_transitions_are_refused_with_what_to_do() {
    let mut c = company();
    cascade(&mut c);
    let org = c.org.clone();
    let ops = as_(&c, "p-ops", Role::OperationsManager);
    let merch = as_(&c, "p-merch", Role::DepartmentManager);
    let dir = as_(&c, "p-dir", Role::Director);
    // A draft cannot be approved.
    let err = review_plan(
        &mut c.plans,
        &org,
        &ops,
        "w48",
        "x",
        PlanAction::Approve,
        "",
        20,
    )
    .unwrap_err();
    assert!(
        matches!(err, DomainError::IllegalTransition { .. }),
        "{err}"
    );
    review_plan(
        &mut c.plans,
        &org,
        &merch,
        "w48",
        "a",
        PlanAction::Submit,
        "",
        21,
    )
    .unwrap();
    // The owner cannot approve their own plan, nor can the director skip a level.
    let err = review_plan(
        &mut c.plans,
        &org,
        &merch,
        "w48",
        "x",
        PlanAction::Approve,
        "",
        22,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "only Operations manager may approve or return this plan; it goes to the position its owner reports to"
    );
    assert!(
        review_plan(
            &mut c.plans,
            &org,
            &dir,
            "w48",
            "x",
            PlanAction::Approve,
            "",
            22
        )
        .is_err()
    );
    // Submitted plans are frozen; a return needs a reason; submitting twice is refused.
    assert!(matches!(
        set_plan_item(
            &mut c.plans,
            &org,
            &merch,
            "w48",
            "late",
            item("Late idea", None),
            23
        ),
        Err(DomainError::IllegalTransition { .. })
    ));
    assert!(
        review_plan(
            &mut c.plans,
            &org,
            &ops,
            "w48",
            "x",
            PlanAction::Return,
            " ",
            24
        )
        .unwrap_err()
        .to_string()
        .contains("say why")
    );
    assert!(
        review_plan(
            &mut c.plans,
            &org,
            &merch,
            "w48",
            "x",
            PlanAction::Submit,
            "",
            25
        )
        .is_err()
    );
    review_plan(
        &mut c.plans,
        &org,
        &ops,
        "w48",
        "b",
        PlanAction::Approve,
        "",
        26,
    )
    .unwrap();
    // Reopening an approved plan makes it a draft again; the next submission is round 2.
    assert_eq!(
        review_plan(
            &mut c.plans,
            &org,
            &ops,
            "w48",
            "c",
            PlanAction::Reopen,
            "Add the holiday",
            27
        )
        .unwrap(),
        PlanStatus::Draft
    );
    review_plan(
        &mut c.plans,
        &org,
        &merch,
        "w48",
        "d",
        PlanAction::Submit,
        "",
        28,
    )
    .unwrap();
    assert_eq!(plan(&c, "w48").round(), 2);
    // Item links must point at the parent plan's items; weekly plans hang under monthly ones.
    let err = create_plan(
        &mut c.plans,
        &org,
        &merch,
        "bad",
        NewPlan {
            level: PlanLevel::Weekly,
            period: "2026-W49".into(),
            title: "x".into(),
            owner: "pos:merch-manager".into(),
            parent: Some("annual".into()),
        },
        29,
    )
    .unwrap_err();
    assert!(err.to_string().contains("weekly plan a monthly one"));
}

#[test]
fn the_annual_plan_is_approved_by_the_director_for_the_company() {
    let mut c = company();
    let org = c.org.clone();
    let dir = as_(&c, "p-dir", Role::Director);
    let ops = as_(&c, "p-ops", Role::OperationsManager);
    let new = NewPlan {
        level: PlanLevel::Annual,
        period: "2026".into(),
        title: "2026".into(),
        owner: "pos:director".into(),
        parent: None,
    };
    create_plan(&mut c.plans, &org, &dir, "a", new, 1).unwrap();
    set_plan_item(&mut c.plans, &org, &dir, "a", "i", item("Grow", None), 2).unwrap();
    review_plan(
        &mut c.plans,
        &org,
        &dir,
        "a",
        "s",
        PlanAction::Submit,
        "",
        3,
    )
    .unwrap();
    assert_eq!(approver(&org, &plan(&c, "a")), Approver::Company);
    let err = review_plan(
        &mut c.plans,
        &org,
        &ops,
        "a",
        "x",
        PlanAction::Approve,
        "",
        4,
    )
    .unwrap_err();
    assert!(err.to_string().contains("the director, for the company"));
    review_plan(
        &mut c.plans,
        &org,
        &dir,
        "a",
        "y",
        PlanAction::Approve,
        "Board approved",
        5,
    )
    .unwrap();
    assert_eq!(plan(&c, "a").status(), PlanStatus::Approved);
}

#[test]
fn an_approval_and_a_return_made_offline_at_the_same_time_end_returned_on_both_with_both_comments()
{
    let mut c = company();
    cascade(&mut c);
    let org = c.org.clone();
    let merch = as_(&c, "p-merch", Role::DepartmentManager);
    review_plan(
        &mut c.plans,
        &org,
        &merch,
        "w48",
        "s",
        PlanAction::Submit,
        "",
        20,
    )
    .unwrap();
    // The operations manager uses two devices offline; both hold the approver position.
    let ops = as_(&c, "p-ops", Role::OperationsManager);
    let mut laptop = device(&c.plans, 1);
    let mut phone = device(&c.plans, 2);
    review_plan(
        &mut laptop,
        &org,
        &ops,
        "w48",
        "yes",
        PlanAction::Approve,
        "Fine by me",
        21,
    )
    .unwrap();
    review_plan(
        &mut phone,
        &org,
        &ops,
        "w48",
        "no",
        PlanAction::Return,
        "Prices first",
        22,
    )
    .unwrap();
    sync(&mut laptop, &mut phone);
    let a = read_plans(&laptop).unwrap();
    assert_eq!(a, read_plans(&phone).unwrap());
    let p = &a.plans["w48"];
    assert_eq!(p.status(), PlanStatus::Returned);
    let texts: Vec<&str> = p.reviews.iter().map(|r| r.text.as_str()).collect();
    assert!(texts.contains(&"Fine by me") && texts.contains(&"Prices first"));
}

#[test]
fn an_approved_weekly_plan_becomes_tasks_once_even_from_two_devices_and_its_progress_counts_them() {
    let mut c = company();
    cascade(&mut c);
    let org = c.org.clone();
    let merch = as_(&c, "p-merch", Role::DepartmentManager);
    let ops = as_(&c, "p-ops", Role::OperationsManager);
    // Not yet approved: refused.
    let err = plan_to_tasks(
        &c.plans,
        &mut c.store.tasks,
        &org,
        &merch,
        "w48",
        today(),
        20,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("only an approved weekly plan becomes tasks")
    );
    review_plan(
        &mut c.plans,
        &org,
        &merch,
        "w48",
        "s",
        PlanAction::Submit,
        "",
        21,
    )
    .unwrap();
    review_plan(
        &mut c.plans,
        &org,
        &ops,
        "w48",
        "a",
        PlanAction::Approve,
        "",
        22,
    )
    .unwrap();
    let mut a = device(&c.store.tasks, 1);
    let mut b = device(&c.store.tasks, 2);
    let changes = a.get_changes(&[]).len();
    let made = plan_to_tasks(&c.plans, &mut a, &org, &merch, "w48", today(), 23).unwrap();
    assert_eq!(
        made,
        [
            plan_task_id("w48", "prices"),
            plan_task_id("w48", "restock")
        ]
    );
    assert_eq!(a.get_changes(&[]).len(), changes + 1);
    plan_to_tasks(&c.plans, &mut b, &org, &ops, "w48", today(), 24).unwrap();
    sync(&mut a, &mut b);
    let tasks = read_tasks(&a).unwrap();
    let from_plan: Vec<_> = tasks.iter().filter(|(_, t)| t.origin.is_some()).collect();
    assert_eq!(from_plan.len(), 2);
    let (_, restock) = from_plan
        .iter()
        .find(|(id, _)| id.ends_with("restock"))
        .unwrap();
    assert_eq!(
        restock.assignee,
        Some(Owner::Position("pos:merch-manager".into()))
    );
    assert_eq!(restock.department.as_deref(), Some("dept:merch"));
    let history = task_history(&a, &plan_task_id("w48", "restock")).unwrap();
    assert!(
        history.iter().any(|h| matches!(
            h.said.change().map(|c| &c.what),
            Some(ChangeKind::FromPlan { count: 2, .. })
        )),
        "{history:?}"
    );
    // Nothing made again.
    assert!(
        plan_to_tasks(&c.plans, &mut a, &org, &merch, "w48", today(), 25)
            .unwrap()
            .is_empty()
    );
    change_task_status(
        &mut a,
        Some(&org),
        &merch,
        &plan_task_id("w48", "restock"),
        TaskStatus::Done,
        26,
    )
    .unwrap();
    let tasks = read_tasks(&a).unwrap();
    let doc = read_plans(&c.plans).unwrap();
    let weekly = plan_progress(&doc, "w48", &tasks);
    assert_eq!((weekly.tasks, weekly.done, weekly.share()), (2, 1, 0.5));
    // The monthly and annual plans count their weekly plans' tasks.
    assert_eq!(plan_progress(&doc, "nov", &tasks), weekly);
    assert_eq!(plan_progress(&doc, "annual", &tasks).share(), 0.5);
}
