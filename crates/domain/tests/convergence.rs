//! Random command sequences on 3–5 replicas, merged in random orders, converge
//! (identical heads, identical hydrated state) and keep the invariants: one
//! assignee per task, no reference to anything missing from the org chart,
//! plan review logs that only a legal sequence of decisions can produce.

#![allow(clippy::unwrap_used)]
mod support;

use automerge::{ActorId, Automerge, ObjType, ROOT, ReadDoc, Value};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use storeops_domain::org::{add_person, set_person_active, set_person_positions};
use storeops_domain::plans::*;
use storeops_domain::*;

struct Replica {
    org: Automerge,
    tasks: Automerge,
    plans: Automerge,
}

const POSITIONS: &[&str] = &[
    "pos:warehouse-specialist",
    "pos:warehouse-manager",
    "pos:marketing-specialist",
    "pos:store-manager",
];

fn start(n: usize) -> Vec<Replica> {
    let s = support::shop();
    let org = read_org(&s.org).unwrap();
    let mut plans = new_plans_doc("2026", 1).unwrap();
    let boss = Actor::for_person(&org, "p-zhang", Role::Manager).unwrap();
    let weekly = NewPlan {
        level: PlanLevel::Weekly,
        period: "2026-W48".into(),
        title: "Warehouse W48".into(),
        owner: "pos:warehouse-manager".into(),
        parent: None,
    };
    create_plan(&mut plans, &org, &boss, "w48", weekly, 2).unwrap();
    let item = PlanItem {
        text: "Count".into(),
        parent_item: None,
        assignee: None,
        due: None,
    };
    set_plan_item(&mut plans, &org, &boss, "w48", "i1", item, 3).unwrap();
    (0..n)
        .map(|i| {
            let actor = ActorId::from(vec![i as u8 + 1; 16]);
            let mut r = Replica {
                org: s.org.fork(),
                tasks: s.tasks.fork(),
                plans: plans.fork(),
            };
            r.org.set_actor(actor.clone());
            r.tasks.set_actor(actor.clone());
            r.plans.set_actor(actor);
            r
        })
        .collect()
}

/// One step: (replica, what, a, b).
type Step = (u8, u8, u8, u8);

fn apply(replicas: &mut [Replica], (r, what, a, b): Step, now: i64) {
    let n = replicas.len();
    let i = r as usize % n;
    if what % 12 == 11 {
        // Merge replica j into i (one way).
        let j = a as usize % n;
        if i != j {
            let (x, y) = if i < j {
                let (l, r) = replicas.split_at_mut(j);
                (&mut l[i], &mut r[0])
            } else {
                let (l, r) = replicas.split_at_mut(i);
                (&mut r[0], &mut l[j])
            };
            x.org.merge(&mut y.org).unwrap();
            x.tasks.merge(&mut y.tasks).unwrap();
            x.plans.merge(&mut y.plans).unwrap();
        }
        return;
    }
    let rep = &mut replicas[i];
    let org = read_org(&rep.org).unwrap();
    let boss = Actor::for_person(&org, "p-zhang", Role::Manager).unwrap();
    let wang = Actor::for_person(&org, "p-wang", Role::DepartmentManager).unwrap();
    let ops_side = if b % 2 == 0 { &boss } else { &wang };
    let people: Vec<&String> = org.people.keys().collect();
    let tasks: Vec<String> = read_tasks(&rep.tasks)
        .unwrap()
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let task = tasks[a as usize % tasks.len()].clone();
    let owner = |k: u8| -> Option<Owner> {
        match k % 4 {
            0 => None,
            1 => Some(Owner::Person(people[k as usize % people.len()].clone())),
            2 => Some(Owner::Position(
                POSITIONS[k as usize % POSITIONS.len()].into(),
            )),
            _ => Some(Owner::Department("dept:warehouse".into())),
        }
    };
    let before = (
        rep.org.get_heads(),
        rep.tasks.get_heads(),
        rep.plans.get_heads(),
    );
    let result: Result<(), DomainError> = match what % 12 {
        0 => {
            let mut t = NewTask::titled(format!("task {i}-{now}"));
            t.assignee = owner(b);
            t.checklist = vec!["one".into(), "two".into()];
            create_task(
                &mut rep.tasks,
                &org,
                ops_side,
                &format!("t{i}-{now}"),
                t,
                now,
            )
            .map(drop)
        }
        1 | 2 => reassign_task(&mut rep.tasks, &org, ops_side, &task, owner(b), now).map(drop),
        3 => {
            let item = if b % 2 == 0 { "c1" } else { "c2" };
            set_checklist_item(
                &mut rep.tasks,
                Some(&org),
                &boss,
                &task,
                item,
                b % 3 != 0,
                now,
            )
            .map(drop)
        }
        4 => add_comment(
            &mut rep.tasks,
            Some(&org),
            &boss,
            &task,
            &format!("k{i}-{now}"),
            "note",
            now,
        )
        .map(drop),
        5 => {
            let status = [
                TaskStatus::Todo,
                TaskStatus::InProgress,
                TaskStatus::Blocked,
                TaskStatus::Done,
                TaskStatus::Cancelled,
            ][b as usize % 5];
            change_task_status(&mut rep.tasks, Some(&org), ops_side, &task, status, now).map(drop)
        }
        6 => {
            let edit = TaskEdit {
                title: (b % 2 == 0).then(|| format!("renamed {now}")),
                priority: (b % 3 == 0).then_some(Priority::Urgent),
                ..Default::default()
            };
            edit_task(&mut rep.tasks, &org, ops_side, &task, edit, now).map(drop)
        }
        7 => {
            let pos = POSITIONS[b as usize % POSITIONS.len()];
            add_person(
                &mut rep.org,
                &boss,
                &format!("p{i}-{now}"),
                "New",
                "",
                &[pos],
                now,
            )
            .map(drop)
        }
        8 => {
            let p = people[b as usize % people.len()].clone();
            if b % 2 == 0 {
                set_person_active(&mut rep.org, &boss, &p, b % 4 == 0, now)
            } else {
                set_person_positions(
                    &mut rep.org,
                    &boss,
                    &p,
                    &[POSITIONS[a as usize % POSITIONS.len()]],
                    now,
                )
            }
        }
        9 => {
            let p = people[b as usize % people.len()].clone();
            release_tasks_of(&mut rep.tasks, &org, &boss, &p, now).map(drop)
        }
        _ => {
            let action = [
                PlanAction::Submit,
                PlanAction::Approve,
                PlanAction::Return,
                PlanAction::Reopen,
                PlanAction::Comment,
            ][b as usize % 5];
            let who = if action == PlanAction::Submit {
                &wang
            } else {
                &boss
            };
            review_plan(
                &mut rep.plans,
                &org,
                who,
                "w48",
                &format!("r{i}-{now}"),
                action,
                "why",
                now,
            )
            .map(drop)
        }
    };
    if result.is_err() {
        let after = (
            rep.org.get_heads(),
            rep.tasks.get_heads(),
            rep.plans.get_heads(),
        );
        assert_eq!(
            before, after,
            "a refused command changed a document: {result:?}"
        );
    }
}

fn check_invariants(r: &Replica) {
    let org = read_org(&r.org).unwrap();
    let tasks = read_tasks(&r.tasks).unwrap();
    let (_, tasks_obj) = r.tasks.get(ROOT, "tasks").unwrap().unwrap();
    for (id, t) in &tasks {
        // One assignee: stored as one scalar string (or null), never a map.
        let (_, obj) = r.tasks.get(&tasks_obj, id.as_str()).unwrap().unwrap();
        assert!(!matches!(
            r.tasks.get(&obj, "assignee").unwrap(),
            Some((Value::Object(ObjType::Map), _))
        ));
        // No dangling references.
        if let Some(o) = &t.assignee {
            let exists = match o {
                Owner::Person(p) => org.people.contains_key(p),
                Owner::Position(p) => org.positions.contains_key(p),
                Owner::Department(d) => org.departments.contains_key(d),
            };
            assert!(exists, "{id} points at missing {o}");
        }
        if let Some(d) = &t.department {
            assert!(org.departments.contains_key(d));
        }
        let mut ids: Vec<&str> = t.checklist.iter().map(|c| c.id.as_str()).collect();
        ids.dedup();
        assert_eq!(ids.len(), t.checklist.len());
    }
    for p in org.people.values() {
        for pos in &p.positions {
            assert!(org.positions.contains_key(pos));
        }
    }
    // Every decision belongs to a round that was submitted.
    let plans = read_plans(&r.plans).unwrap();
    let plan = &plans.plans["w48"];
    let round = plan.round();
    for review in &plan.reviews {
        assert!(review.round <= round);
        if matches!(
            review.kind,
            ReviewKind::Approved | ReviewKind::Returned | ReviewKind::Reopened
        ) {
            assert!(
                plan.reviews
                    .iter()
                    .any(|s| s.kind == ReviewKind::Submitted && s.round == review.round)
            );
        }
    }
    let _ = plan.status();
}

proptest! {
    // 16 cases by default (each replays up to 40 commands on 3–5 replicas, ~1.5 s
    // in a debug build); STOREOPS_PROPTEST_CASES=500 for a longer hunt. Failing
    // cases are recorded in proptest-regressions/convergence.txt (committed) and
    // replayed first on every run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("STOREOPS_PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(16),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/convergence.txt"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_commands_on_replicas_merged_in_random_orders_converge_and_keep_the_invariants(
        n in 3usize..=5,
        steps in prop::collection::vec(any::<Step>(), 5..40),
        order in prop::collection::vec((any::<u8>(), any::<u8>()), 0..12),
    ) {
        let mut replicas = start(n);
        for (k, step) in steps.into_iter().enumerate() {
            apply(&mut replicas, step, 100 + k as i64);
        }
        for r in &replicas {
            check_invariants(r);
        }
        // Random partial merges, then everyone with everyone (in a random start order).
        for (a, b) in order {
            apply(&mut replicas, (a, 11, b, 0), 0);
        }
        for _ in 0..2 {
            for i in 0..n {
                for j in 0..n {
                    apply(&mut replicas, (i as u8, 11, j as u8, 0), 0);
                }
            }
        }
        let first = &replicas[0];
        for r in &replicas[1..] {
            prop_assert_eq!(r.org.get_heads(), first.org.get_heads());
            prop_assert_eq!(r.tasks.get_heads(), first.tasks.get_heads());
            prop_assert_eq!(r.plans.get_heads(), first.plans.get_heads());
            prop_assert_eq!(read_org(&r.org).unwrap(), read_org(&first.org).unwrap());
            prop_assert_eq!(read_tasks(&r.tasks).unwrap(), read_tasks(&first.tasks).unwrap());
            prop_assert_eq!(read_plans(&r.plans).unwrap(), read_plans(&first.plans).unwrap());
        }
        check_invariants(first);
    }
}
