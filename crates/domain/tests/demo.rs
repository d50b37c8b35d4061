//! The demo store's history (`demo::write_history`): deterministic, lived in,
//! and every write one the relay's rules accept.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::time::Instant;

use automerge::Automerge;
use storeops_domain::assessment::read_assessment;
use storeops_domain::calendar::{Date, Zone};
use storeops_domain::demo::{self, PeriodDoc};
use storeops_domain::feedback::{ReportStatus, read_feedback};
use storeops_domain::meetings::{action_task_id, read_meetings};
use storeops_domain::plans::{PlanStatus, ReviewKind, read_plans};
use storeops_domain::split::{self, period_docs};
use storeops_domain::*;

fn today() -> Date {
    Date::new(2026, 11, 25).unwrap()
}

struct Built {
    store: NewStore,
    docs: Vec<PeriodDoc>,
    refusals: Vec<String>,
}

fn build(template: &str, seed: u64) -> Built {
    let setup = StoreSetup {
        id: "demo".into(),
        name: "Demo".into(),
        time_zone: "Asia/Shanghai".into(),
        locale: "zh-CN".into(),
        org_doc: "org".into(),
        tasks_doc: "tasks".into(),
    };
    let now = 1_795_000_000_000; // 2026-11-18, a week before "today"; any time does
    let mut store = new_store(&setup, template::template(template).unwrap(), today(), now).unwrap();
    demo::add_people(&mut store.org, "zh-CN", now).unwrap();
    let mut n = 0;
    let mut ids = move || {
        n += 1;
        Ok::<_, DomainError>(format!("doc-{n}"))
    };
    let relay = Actor::manager("Storeops");
    let mut docs = split::open_periods(&mut store.store, &relay, today(), now, &mut ids).unwrap();
    let started = Instant::now();
    let (opened, refusals) =
        demo::write_history_checked(&mut store, &mut docs, today(), seed, &mut ids).unwrap();
    eprintln!(
        "{template}: history in {:.0} ms, {} documents opened",
        started.elapsed().as_secs_f64() * 1000.0,
        opened.len()
    );
    docs.extend(opened);
    Built {
        store,
        docs,
        refusals,
    }
}

/// Every document's content, by its kind and period, as read back.
fn content(b: &Built) -> BTreeMap<String, String> {
    let store = read_store(&b.store.store).unwrap();
    let mut out = BTreeMap::new();
    for (key, ids) in &store.documents.periods {
        for id in ids.keys() {
            let (kind, _, am) = b.docs.iter().find(|(_, i, _)| i == id).unwrap();
            let text = match *kind {
                kind::TASKS => format!("{:?}", read_tasks_doc(am).unwrap()),
                kind::PLANS => format!("{:?}", read_plans(am).unwrap()),
                kind::MEETINGS => format!("{:?}", read_meetings(am).unwrap()),
                kind::FEEDBACK => format!("{:?}", read_feedback(am).unwrap()),
                kind::ASSESSMENT | kind::SCORES => format!("{:?}", read_assessment(am).unwrap()),
                other => panic!("unexpected kind {other}"),
            };
            out.insert(format!("{key} {id}"), text);
        }
    }
    out.insert(
        "org".into(),
        format!("{:?}", read_org(&b.store.org).unwrap()),
    );
    out
}

fn all_tasks(b: &Built) -> Vec<(String, Task)> {
    let docs: Vec<&Automerge> = b
        .docs
        .iter()
        .filter(|(k, _, _)| *k == kind::TASKS)
        .map(|(_, _, am)| am)
        .collect();
    let all = split::read_tasks_of(&docs).unwrap();
    assert!(all.unreadable().is_empty(), "{:?}", all.unreadable());
    all.into_iter().collect()
}

#[test]
fn the_same_seed_makes_the_same_history_and_another_seed_another() {
    let a = content(&build("plan3", demo::SEED));
    let b = content(&build("plan3", demo::SEED));
    assert_eq!(a, b);
    let c = content(&build("plan3", demo::SEED + 1));
    assert_ne!(a, c);
}

#[test]
fn every_write_of_the_history_passes_the_relays_rules_in_every_template() {
    for tpl in template::TEMPLATES {
        let b = build(tpl.id, demo::SEED);
        assert!(b.refusals.is_empty(), "{}: {:#?}", tpl.id, b.refusals);
        // Every document reads back, and is listed in the store document.
        let c = content(&b);
        assert_eq!(c.len(), b.docs.len() + 1, "{}", tpl.id);
        all_tasks(&b);
    }
}

#[test]
fn eight_weeks_of_a_store_at_work() {
    let b = build("plan3", demo::SEED);
    let store = read_store(&b.store.store).unwrap();
    let zone = Zone::named("Asia/Shanghai").unwrap();
    let start = today().week_start().add_days(-7 * demo::HISTORY_WEEKS);
    // Each past week has its document, listed in the store document.
    let mut monday = start;
    while monday <= today() {
        let week = split::task_period(Some(monday), monday);
        assert_eq!(period_docs(&store, kind::TASKS, &week).len(), 1, "{week}");
        monday = monday.add_days(7);
    }
    let tasks = all_tasks(&b);
    let past: Vec<&Task> = tasks
        .iter()
        .map(|(_, t)| t)
        .filter(|t| t.due_date().is_some_and(|d| d < today()))
        .collect();
    let done_on = |t: &Task| t.completed_at.map(|ms| zone.date_of(ms));
    let on_time = past
        .iter()
        .filter(|t| t.status == TaskStatus::Done && done_on(t) <= t.due_date())
        .count();
    let late = past
        .iter()
        .filter(|t| t.status == TaskStatus::Done && done_on(t) > t.due_date())
        .count();
    let missed = past.iter().filter(|t| t.is_missed(today())).count();
    let ad_hoc = tasks
        .iter()
        .filter(|(id, _)| id.starts_with("task-"))
        .count();
    let with_comments = tasks.iter().filter(|(_, t)| !t.comments.is_empty()).count();
    eprintln!(
        "tasks {}, past {}: on time {on_time}, late {late}, missed {missed}; ad hoc {ad_hoc}, with comments {with_comments}",
        tasks.len(),
        past.len()
    );
    assert!(past.len() > 200, "{}", past.len());
    assert!(on_time > past.len() * 6 / 10, "{on_time}");
    assert!(late > 10 && missed > 10, "{late} {missed}");
    assert!(ad_hoc >= 10 && with_comments >= 5);
    // History is in the past and signed by who did it.
    for t in &past {
        if let Some(at) = t.completed_at {
            assert!(zone.date_of(at) < today());
            assert!(t.completed_by_person.is_some());
        }
    }

    let docs_of = |k: &'static str| b.docs.iter().filter(move |(kind, _, _)| *kind == k);
    let plans: Vec<_> = docs_of(kind::PLANS)
        .flat_map(|(_, _, am)| read_plans(am).unwrap().plans.into_iter())
        .collect();
    let approved = plans
        .iter()
        .filter(|(_, p)| p.status() == PlanStatus::Approved)
        .count();
    let returned = plans
        .iter()
        .filter(|(_, p)| p.reviews.iter().any(|r| r.kind == ReviewKind::Returned))
        .count();
    let waiting = plans
        .iter()
        .filter(|(_, p)| p.status() == PlanStatus::Submitted)
        .count();
    let monthly = plans
        .iter()
        .filter(|(_, p)| p.level == plans::PlanLevel::Monthly)
        .count();
    eprintln!(
        "plans {}: approved {approved}, returned once {returned}, waiting {waiting}, monthly {monthly}",
        plans.len()
    );
    assert!(approved >= 8 && returned >= 1 && monthly >= 2 && waiting >= 1);
    let from_plans = tasks
        .iter()
        .filter(|(id, _)| id.starts_with("plan:"))
        .count();
    assert!(from_plans >= 16, "{from_plans}");

    let meetings: Vec<_> = docs_of(kind::MEETINGS)
        .flat_map(|(_, _, am)| read_meetings(am).unwrap().meetings.into_iter())
        .collect();
    assert_eq!(meetings.len(), 3);
    for (id, m) in &meetings {
        assert!(!m.actions.is_empty() && !m.minutes.is_empty());
        for a in m.actions.keys() {
            let task = action_task_id(id, a);
            assert!(tasks.iter().any(|(t, _)| *t == task), "{task}");
        }
    }

    let reports: Vec<_> = docs_of(kind::FEEDBACK)
        .flat_map(|(_, _, am)| read_feedback(am).unwrap().reports.into_iter())
        .collect();
    let resolved = reports
        .iter()
        .filter(|(_, r)| r.status == ReportStatus::Resolved)
        .count();
    let open = reports
        .iter()
        .filter(|(_, r)| r.status == ReportStatus::Open)
        .count();
    eprintln!(
        "reports {}: resolved {resolved}, open {open}",
        reports.len()
    );
    assert!(resolved >= 4 && open >= 2);

    let assessments: Vec<_> = docs_of(kind::ASSESSMENT)
        .chain(docs_of(kind::SCORES))
        .map(|(_, _, am)| read_assessment(am).unwrap())
        .collect();
    let kpis: usize = assessments.iter().map(|a| a.kpis.len()).sum();
    let values: usize = assessments
        .iter()
        .flat_map(|a| a.kpis.values())
        .map(|k| k.values.len())
        .sum();
    let scored: usize = assessments.iter().map(|a| a.assessments.len()).sum();
    let awards: usize = assessments.iter().map(|a| a.awards.len()).sum();
    eprintln!("kpis {kpis} ({values} values by hand), assessments {scored}, awards {awards}");
    assert!(kpis >= 3 && values >= 1 && scored >= 1 && awards == 1);
    // The KPIs computed from the tasks show a store that mostly keeps up.
    let org = read_org(&b.store.org).unwrap();
    let report = assessment::task_kpis(&tasks, &org, start, today().add_days(-1), &zone);
    let rate = report.store.completion_rate().unwrap();
    assert!((0.7..0.97).contains(&rate), "{rate}");
}
