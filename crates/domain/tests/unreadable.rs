//! Readers survive bad data: a document with one malformed entity of each kind
//! (written raw, as a buggy or hostile device could) still reads everything else,
//! and names what it skipped; a document of a newer schema reads, read-only.

#![allow(clippy::unwrap_used)]
mod support;

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjId, ObjType, ROOT, ReadDoc, ScalarValue};
use storeops_domain::assessment::*;
use storeops_domain::feedback::*;
use storeops_domain::meetings::*;
use storeops_domain::plans::*;
use storeops_domain::split::{list_tasks_in, my_day_in, read_tasks_of};
use storeops_domain::unreadable::unread_in;
use storeops_domain::*;
use support::*;

/// A wrong value a device could write.
enum Bad {
    Scalar(ScalarValue),
    /// `{nested: [1, 2]}`.
    Nested,
}

/// Writes `bad` at `path` (from the root: collection, id, …) `.field`, as one change.
fn spoil(am: &mut Automerge, path: &[&str], field: &str, bad: Bad) {
    let mut tx = am.transaction();
    let mut obj: ObjId = ROOT;
    for key in path {
        obj = tx.get(&obj, *key).unwrap().unwrap().1;
    }
    match bad {
        Bad::Scalar(v) => {
            tx.put(&obj, field, v).unwrap();
        }
        Bad::Nested => {
            let m = tx.put_object(&obj, field, ObjType::Map).unwrap();
            let l = tx.put_object(&m, "nested", ObjType::List).unwrap();
            tx.insert(&l, 0, 1).unwrap();
            tx.insert(&l, 1, 2).unwrap();
        }
    }
    tx.commit();
}

fn int(i: i64) -> Bad {
    Bad::Scalar(ScalarValue::Int(i))
}

fn text(s: &str) -> Bad {
    Bad::Scalar(ScalarValue::Str(s.into()))
}

fn keys<T>(e: &Entities<T>) -> Vec<&str> {
    e.keys().map(String::as_str).collect()
}

/// `(kind, id)` of what did not read.
fn skipped(u: &[Unreadable]) -> Vec<(&str, &str)> {
    u.iter().map(|u| (u.kind, u.id.as_str())).collect()
}

fn gone<'a, T>(all: &'a Entities<T>, id: &str) -> Vec<&'a str> {
    without(&keys(all), &[id])
}

fn without<'a>(all: &[&'a str], gone: &[&str]) -> Vec<&'a str> {
    all.iter().copied().filter(|k| !gone.contains(k)).collect()
}

const BAD_TASKS: [&str; 4] = ["t-assignee", "t-checklist", "t-status", "t-title"];

/// Zhao's tasks due today: one good, and four each spoilt in one field.
fn tasks_with_bad_ones(s: &mut NewStore) -> Vec<String> {
    let org = org(s);
    let boss = Actor::manager("Zhang");
    for id in ["t-good"].iter().chain(BAD_TASKS.iter()) {
        let mut n = NewTask::titled(*id);
        n.assignee = Some(Owner::Person("p-zhao".into()));
        n.due = Some(today());
        n.checklist = vec!["Check".into()];
        create_task(&mut s.tasks, &org, &boss, id, n, 1).unwrap();
    }
    let all: Vec<String> = read_tasks(&s.tasks)
        .unwrap()
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    spoil(&mut s.tasks, &["tasks", "t-title"], "title", int(42));
    spoil(
        &mut s.tasks,
        &["tasks", "t-checklist"],
        "checklist",
        text("x"),
    );
    spoil(
        &mut s.tasks,
        &["tasks", "t-status"],
        "status",
        text("exploded"),
    );
    spoil(
        &mut s.tasks,
        &["tasks", "t-assignee"],
        "assignee",
        Bad::Nested,
    );
    all
}

#[test]
fn every_task_reader_skips_the_malformed_tasks_and_names_them() {
    let mut s = shop();
    let before = tasks_with_bad_ones(&mut s);
    let good: Vec<&str> = without(
        &before.iter().map(String::as_str).collect::<Vec<_>>(),
        &BAD_TASKS,
    );
    let named: Vec<(&str, &str)> = BAD_TASKS.iter().map(|id| ("task", *id)).collect();

    let doc = read_tasks_doc(&s.tasks).unwrap();
    assert_eq!(keys(&doc.tasks), good);
    assert_eq!(skipped(doc.tasks.unreadable()), named);
    assert_eq!(skipped(&doc.unreadable()), named);
    assert!(!doc.is_read_only());
    let reasons: Vec<&str> = doc
        .tasks
        .unreadable()
        .iter()
        .map(|u| u.reason.as_str())
        .collect();
    assert!(reasons.iter().all(|r| !r.is_empty()), "{reasons:?}");

    assert_eq!(
        read_tasks(&s.tasks)
            .unwrap()
            .iter()
            .map(|(id, _)| id.as_str())
            .collect::<Vec<_>>(),
        good
    );
    let week = split::new_tasks_doc("2026-W48", 1).unwrap();
    let of = read_tasks_of(&[&s.tasks, &week]).unwrap();
    assert_eq!(keys(&of), good);
    assert_eq!(skipped(of.unreadable()), named);

    // The lists: everyone's (a manager's), and Zhao's own.
    let listed = list_tasks_in(&[&s.tasks], Some(&org(&s)), None, today(), 0).unwrap();
    assert!(listed.contains_key("t-good"));
    assert!(BAD_TASKS.iter().all(|id| !listed.contains_key(*id)));
    assert_eq!(skipped(listed.unreadable()), named);
    let zhao = actor(&s, "p-zhao", Role::Staff);
    let mine = list_tasks_in(&[&s.tasks], Some(&org(&s)), Some(&zhao), today(), 0).unwrap();
    assert!(mine.contains_key("t-good"));
    assert!(BAD_TASKS.iter().all(|id| !mine.contains_key(*id)));
    let day = my_day_in(&[&s.tasks], Some(&org(&s)), &zhao, today()).unwrap();
    let today_ids: Vec<&str> = day.today.iter().map(|(id, _)| id.as_str()).collect();
    assert!(today_ids.contains(&"t-good"));
    assert!(BAD_TASKS.iter().all(|id| !today_ids.contains(id)));
    assert_eq!(read_task(&s.tasks, "t-good").unwrap().title, "t-good");
    assert!(matches!(
        read_task(&s.tasks, "t-title"),
        Err(DomainError::Malformed(..))
    ));

    // The others can still be worked on.
    set_task_status(&mut s.tasks, &zhao, "t-good", TaskStatus::Done, 5).unwrap();
    assert_eq!(
        read_task(&s.tasks, "t-good").unwrap().status,
        TaskStatus::Done
    );
    assert_eq!(
        skipped(&read_tasks_doc(&s.tasks).unwrap().unreadable()),
        named
    );
}

#[test]
fn the_org_chart_skips_a_malformed_department_position_person_and_duty() {
    let mut s = shop();
    let before = org(&s);
    let duty = "duty:marketing-specialist/online";
    spoil(&mut s.org, &["departments", "dept:hr"], "name", Bad::Nested);
    spoil(
        &mut s.org,
        &["positions", "pos:hr-specialist"],
        "headcount",
        text("lots"),
    );
    spoil(&mut s.org, &["people", "p-qian"], "positions", text("x"));
    spoil(&mut s.org, &["duties", duty], "cadence", text("hourly"));

    let after = read_org(&s.org).unwrap();
    assert_eq!(
        keys(&after.departments),
        gone(&before.departments, "dept:hr")
    );
    assert_eq!(
        keys(&after.positions),
        gone(&before.positions, "pos:hr-specialist")
    );
    assert_eq!(keys(&after.people), gone(&before.people, "p-qian"));
    assert_eq!(keys(&after.duties), gone(&before.duties, duty));
    assert_eq!(after.people["p-zhao"], before.people["p-zhao"]);
    assert_eq!(
        skipped(&after.unreadable()),
        [
            ("department", "dept:hr"),
            ("position", "pos:hr-specialist"),
            ("person", "p-qian"),
            ("duty", duty),
        ]
    );
    assert_eq!(
        skipped(&unread_in(kind::ORG, &s.org).unwrap().0),
        skipped(&after.unreadable())
    );
    // What reads can still be edited, and editing keeps what did not read as it is.
    org::add_person(
        &mut s.org,
        &Actor::manager("Zhang"),
        "p-new",
        "New",
        "",
        &["pos:warehouse-specialist"],
        5,
    )
    .unwrap();
    let edited = read_org(&s.org).unwrap();
    assert!(edited.people.contains_key("p-new"));
    assert_eq!(skipped(&edited.unreadable()), skipped(&after.unreadable()));
}

fn plan(level: PlanLevel, period: &str, title: &str, owner: &str) -> NewPlan {
    NewPlan {
        level,
        period: period.into(),
        title: title.into(),
        owner: owner.into(),
        parent: None,
    }
}

#[test]
fn plans_and_meetings_skip_the_malformed_one() {
    let s = shop();
    let org = org(&s);
    let boss = Actor::manager("Zhang");
    let mut plans = new_plans_doc("2026", 1).unwrap();
    for id in ["p-good", "p-bad"] {
        let p = plan(PlanLevel::Annual, "2026", id, "pos:store-manager");
        create_plan(&mut plans, &org, &boss, id, p, 2).unwrap();
    }
    spoil(&mut plans, &["plans", "p-bad"], "level", text("galactic"));
    let doc = read_plans(&plans).unwrap();
    assert_eq!(keys(&doc.plans), ["p-good"]);
    assert_eq!(skipped(&doc.unreadable()), [("plan", "p-bad")]);

    let mut meetings = new_meetings_doc("2026", 1).unwrap();
    for id in ["m-good", "m-bad"] {
        let m = NewMeeting {
            title: id.into(),
            date: today(),
            department: None,
            attendees: vec!["p-zhao".into()],
            agenda: vec!["Sales".into()],
            managers_only: false,
        };
        create_meeting(&mut meetings, &org, &boss, id, m, 2).unwrap();
    }
    spoil(&mut meetings, &["meetings", "m-bad"], "attendees", int(7));
    let doc = read_meetings(&meetings).unwrap();
    assert_eq!(keys(&doc.meetings), ["m-good"]);
    assert_eq!(skipped(&doc.unreadable()), [("meeting", "m-bad")]);
    assert_eq!(
        skipped(&unread_in(kind::MEETINGS, &meetings).unwrap().0),
        [("meeting", "m-bad")]
    );
}

#[test]
fn feedback_skips_a_malformed_report_survey_and_answer() {
    let s = shop();
    let org = org(&s);
    let boss = Actor::manager("Zhang");
    let sun = actor(&s, "p-sun", Role::Staff);
    let mut fb = new_feedback_doc("2026-11", 1).unwrap();
    for id in ["r-good", "r-bad"] {
        report_problem(&mut fb, &org, &sun, id, "stock", "Shelf 4 is short", 2).unwrap();
    }
    for id in ["s-good", "s-bad"] {
        open_survey(&mut fb, &boss, id, "How is work?", 2).unwrap();
    }
    let batch: Vec<(String, SurveyAnswer)> = ["a-good", "a-bad"]
        .iter()
        .map(|id| ((*id).to_owned(), check_answer(4, "").unwrap()))
        .collect();
    record_survey_answers(&mut fb, "s-good", &batch, 3).unwrap();
    spoil(&mut fb, &["reports", "r-bad"], "status", text("exploded"));
    spoil(
        &mut fb,
        &["surveys", "s-bad"],
        "created_at",
        text("yesterday"),
    );
    spoil(
        &mut fb,
        &["surveys", "s-good", "answers", "a-bad"],
        "score",
        text("x"),
    );
    let doc = read_feedback(&fb).unwrap();
    assert_eq!(keys(&doc.reports), ["r-good"]);
    assert_eq!(keys(&doc.surveys), ["s-good"]);
    assert_eq!(keys(&doc.surveys["s-good"].answers), ["a-good"]);
    assert_eq!(
        skipped(&doc.unreadable()),
        [
            ("report", "r-bad"),
            ("survey", "s-bad"),
            ("survey answer", "a-bad"),
        ]
    );
}

#[test]
fn the_assessment_skips_a_malformed_kpi_assessment_award_and_training_plan() {
    let s = shop();
    let org = org(&s);
    let boss = Actor::manager("Zhang");
    let mut am = new_assessment_doc("2026", 1).unwrap();
    let dept = Owner::Department("dept:warehouse".into());
    for id in ["k-good", "k-bad"] {
        let kpi = Kpi {
            name: id.into(),
            subject: dept.clone(),
            metric: KpiMetric::Manual,
            target: 0.9,
            values: BTreeMap::new(),
        };
        define_kpi(&mut am, &org, &boss, id, kpi, 2).unwrap();
    }
    for id in ["as-good", "as-bad"] {
        let zhao = Owner::Person("p-zhao".into());
        assess(&mut am, &org, &boss, id, zhao, "2026-11", 80, "Good", 2).unwrap();
    }
    for id in ["w-good", "w-bad"] {
        let award = Award {
            title: id.into(),
            person: "p-zhao".into(),
            period: "2026-11".into(),
            reason: "Tidy".into(),
            by: "Zhang".into(),
            at: 2,
        };
        give_award(&mut am, &org, &boss, id, award, 2).unwrap();
    }
    for id in ["tp-good", "tp-bad"] {
        let training = TrainingPlan {
            title: id.into(),
            department: None,
            sessions: BTreeMap::new(),
        };
        plan_training(&mut am, &org, &boss, id, training, 2).unwrap();
    }
    spoil(&mut am, &["kpis", "k-bad"], "target", text("high"));
    spoil(&mut am, &["assessments", "as-bad"], "score", Bad::Nested);
    spoil(&mut am, &["awards", "w-bad"], "person", int(5));
    spoil(&mut am, &["training", "tp-bad"], "sessions", text("x"));
    let doc = read_assessment(&am).unwrap();
    assert_eq!(keys(&doc.kpis), ["k-good"]);
    assert_eq!(keys(&doc.assessments), ["as-good"]);
    assert_eq!(keys(&doc.awards), ["w-good"]);
    assert_eq!(keys(&doc.training), ["tp-good"]);
    assert_eq!(
        skipped(&doc.unreadable()),
        [
            ("kpi", "k-bad"),
            ("assessment", "as-bad"),
            ("award", "w-bad"),
            ("training plan", "tp-bad"),
        ]
    );
}

#[test]
fn a_collection_that_is_not_a_map_reads_as_empty_and_is_named() {
    let mut s = shop();
    let mut tx = s.tasks.transaction();
    tx.put(ROOT, "tasks", "nothing").unwrap();
    tx.commit();
    let doc = read_tasks_doc(&s.tasks).unwrap();
    assert!(doc.tasks.is_empty());
    assert_eq!(skipped(&doc.unreadable()), [("task", "tasks")]);
}

#[test]
fn a_document_of_a_newer_schema_reads_what_it_can_and_refuses_every_command() {
    let mut s = shop();
    let before = org(&s);
    let mut tx = s.org.transaction();
    tx.put(ROOT, "schema", 99u64).unwrap();
    tx.commit();
    let newer = read_org(&s.org).unwrap();
    assert!(newer.is_read_only());
    assert_eq!(newer.people, before.people);
    assert_eq!(unread_in(kind::ORG, &s.org).unwrap(), (vec![], true));
    let heads = s.org.get_heads();
    let err = org::add_person(
        &mut s.org,
        &Actor::manager("Zhang"),
        "p-new",
        "New",
        "",
        &[],
        5,
    )
    .unwrap_err();
    assert_eq!(err, DomainError::SchemaTooNew(99));
    assert!(err.to_string().contains("update the app"));
    assert_eq!(s.org.get_heads(), heads);
    assert_eq!(
        schema::upgrade(&mut s.org, 6).unwrap_err(),
        DomainError::SchemaTooNew(99)
    );

    // A newer root still says which documents the store has.
    let mut tx = s.store.transaction();
    tx.put(ROOT, "schema", 99u64).unwrap();
    tx.commit();
    assert_eq!(read_store(&s.store).unwrap().documents.org, "org");
    assert!(unread_in(kind::STORE, &s.store).unwrap().1);
}
