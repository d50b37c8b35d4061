//! Problem reports, surveys, KPIs, assessments, awards, training.

#![allow(clippy::unwrap_used)]
mod support;

use storeops_domain::assessment::*;
use storeops_domain::feedback::*;
use storeops_domain::org::set_feedback_route;
use storeops_domain::*;
use support::*;

#[test]
fn a_problem_is_routed_by_category_and_tracked_to_resolution_by_that_department() {
    let mut s = shop();
    let org0 = org(&s);
    let mut fb = new_feedback_doc("2026-11", 1).unwrap();
    let sun = actor(&s, "p-sun", Role::Staff);
    let r = report_problem(
        &mut fb,
        &org0,
        &sun,
        "r1",
        "stock",
        "Shelf 4 shows 10, holds 6",
        2,
    )
    .unwrap();
    assert_eq!(r.department.as_deref(), Some("dept:warehouse"));
    assert_eq!(route(&org0, "whatever").as_deref(), Some("dept:store-ops"));
    // The org chart's rule wins over the default.
    set_feedback_route(
        &mut s.org,
        &Actor::manager("Zhang"),
        "stock",
        "dept:purchasing",
        3,
    )
    .unwrap();
    assert_eq!(route(&org(&s), "stock").as_deref(), Some("dept:purchasing"));
    let li = actor(&s, "p-li", Role::DepartmentManager);
    let wang = actor(&s, "p-wang", Role::DepartmentManager);
    assert!(
        set_report_status(&mut fb, &org0, &li, "r1", ReportStatus::InProgress, None, 4)
            .unwrap_err()
            .is_permission()
    );
    set_report_status(
        &mut fb,
        &org0,
        &wang,
        "r1",
        ReportStatus::InProgress,
        None,
        5,
    )
    .unwrap();
    let err = set_report_status(&mut fb, &org0, &wang, "r1", ReportStatus::Resolved, None, 6)
        .unwrap_err();
    assert_eq!(err.to_string(), "say how the problem was resolved");
    let done = set_report_status(
        &mut fb,
        &org0,
        &wang,
        "r1",
        ReportStatus::Resolved,
        Some("Recounted; records fixed"),
        7,
    )
    .unwrap();
    assert_eq!(
        (done.resolved_by.as_deref(), done.resolved_at),
        (Some("Wang"), Some(7))
    );
    let doc = read_feedback(&fb).unwrap();
    assert_eq!(doc.reports["r1"].status, ReportStatus::Resolved);
    assert_eq!(doc.reports["r1"].reporter, "Sun");
}

#[test]
fn survey_results_show_only_from_five_answers_and_name_nobody() {
    let mut fb = new_feedback_doc("2026-11", 1).unwrap();
    open_survey(&mut fb, &Actor::manager("Zhang"), "s1", "How is work?", 2).unwrap();
    assert!(
        open_survey(&mut fb, &Actor::staff("Sun"), "s2", "x", 2)
            .unwrap_err()
            .is_permission()
    );
    let batch: Vec<(String, SurveyAnswer)> = [5u64, 4, 4, 2]
        .iter()
        .enumerate()
        .map(|(i, score)| {
            let comment = if i == 3 { " Too many shifts " } else { "" };
            (format!("a{i}"), check_answer(*score, comment).unwrap())
        })
        .collect();
    assert_eq!(record_survey_answers(&mut fb, "s1", &batch, 3).unwrap(), 4);
    assert_eq!(
        record_survey_answers(&mut fb, "s1", &batch, 3).unwrap(),
        0,
        "a batch written twice is written once"
    );
    let err = survey_results(&read_feedback(&fb).unwrap(), "s1").unwrap_err();
    assert!(err.to_string().contains("4 so far"));
    let one = [("a4".to_owned(), check_answer(5, "").unwrap())];
    record_survey_answers(&mut fb, "s1", &one, 4).unwrap();
    assert!(check_answer(6, "").is_err());
    assert!(check_answer(0, "").is_err());
    assert!(check_answer(3, &"x".repeat(2_001)).is_err());
    let nowhere = [("a9".to_owned(), check_answer(5, "").unwrap())];
    assert!(record_survey_answers(&mut fb, "s-none", &nowhere, 4).is_err());
    let r = survey_results(&read_feedback(&fb).unwrap(), "s1").unwrap();
    assert_eq!(
        (r.answers, r.distribution, r.mean),
        (5, [0, 1, 0, 2, 2], 4.0)
    );
    assert_eq!(r.comments, ["Too many shifts"]);
    let messages: Vec<String> = fb
        .get_changes(&[])
        .iter()
        .filter_map(|c| c.message().map(String::from))
        .collect();
    assert!(
        messages
            .iter()
            .filter(|m| m.contains("survey \"How is work?\"") && !m.contains("opened"))
            .eq([
                "4 answers to survey \"How is work?\"",
                "1 answer to survey \"How is work?\""
            ])
    );
}

#[test]
fn completion_and_on_time_rates_are_computed_by_department_and_person() {
    let mut s = shop();
    let org = org(&s);
    let boss = Actor::manager("Zhang");
    let zhao = actor(&s, "p-zhao", Role::Staff);
    let day_ms = |d: Date| d.days_since_epoch() * 86_400_000;
    use storeops_domain::calendar::Date;
    let d = today();
    for (id, owner, due) in [
        ("a", "person:p-zhao", 0),
        ("b", "person:p-zhao", 0),
        ("c", "position:pos:warehouse-specialist", -1),
        ("d", "person:p-li", 0),
    ] {
        let mut n = NewTask::titled(id);
        n.assignee = Some(owner.parse().unwrap());
        n.due = Some(d.add_days(due));
        create_task(&mut s.tasks, &org, &boss, id, n, 1).unwrap();
    }
    // a: done on the due day (Shanghai evening); c: done a day late by Zhao; b, d open.
    change_task_status(
        &mut s.tasks,
        Some(&org),
        &zhao,
        "a",
        TaskStatus::Done,
        day_ms(d) + 10 * 3_600_000,
    )
    .unwrap();
    change_task_status(
        &mut s.tasks,
        Some(&org),
        &zhao,
        "c",
        TaskStatus::Done,
        day_ms(d) + 3_600_000,
    )
    .unwrap();
    let tasks: Vec<(String, Task)> = read_tasks(&s.tasks)
        .unwrap()
        .into_iter()
        .filter(|(id, _)| id.len() == 1)
        .collect();
    let r = task_kpis(
        &tasks,
        &org,
        d.add_days(-1),
        d,
        &calendar::Zone::named("Asia/Shanghai").unwrap(),
    );
    assert_eq!(
        r.store,
        Rates {
            due: 4,
            done: 2,
            on_time: 1
        }
    );
    assert_eq!(
        r.by_department["dept:warehouse"],
        Rates {
            due: 3,
            done: 2,
            on_time: 1
        }
    );
    assert_eq!(
        r.by_person["p-zhao"],
        Rates {
            due: 3,
            done: 2,
            on_time: 1
        }
    );
    assert_eq!(r.by_person["p-li"].completion_rate(), Some(0.0));
    assert_eq!(r.by_department["dept:warehouse"].on_time_rate(), Some(0.5));
    // KPI definitions use them; manual KPIs use recorded values.
    let mut a = new_assessment_doc("2026", 1).unwrap();
    let wang = actor(&s, "p-wang", Role::DepartmentManager);
    let completion = Kpi {
        name: "Completion".into(),
        subject: Owner::Department("dept:warehouse".into()),
        metric: KpiMetric::CompletionRate,
        target: 0.9,
        values: Default::default(),
    };
    define_kpi(&mut a, &org, &wang, "k1", completion, 2).unwrap();
    let accuracy = Kpi {
        name: "Stock accuracy".into(),
        subject: Owner::Department("dept:warehouse".into()),
        metric: KpiMetric::Manual,
        target: 0.98,
        values: Default::default(),
    };
    define_kpi(&mut a, &org, &wang, "k2", accuracy, 3).unwrap();
    record_kpi_value(&mut a, &org, &wang, "k2", "2026-11", 0.97, 4).unwrap();
    let li = actor(&s, "p-li", Role::DepartmentManager);
    assert!(
        record_kpi_value(&mut a, &org, &li, "k2", "2026-11", 1.0, 5)
            .unwrap_err()
            .is_permission()
    );
    let doc = read_assessment(&a).unwrap();
    assert_eq!(kpi_value(&doc.kpis["k1"], &r, "2026-11"), Some(2.0 / 3.0));
    assert_eq!(kpi_value(&doc.kpis["k2"], &r, "2026-11"), Some(0.97));
}

#[test]
fn assessments_awards_and_training_plans_are_kept_per_year() {
    let s = shop();
    let org = org(&s);
    let mut a = new_assessment_doc("2026", 1).unwrap();
    let wang = actor(&s, "p-wang", Role::DepartmentManager);
    assess(
        &mut a,
        &org,
        &wang,
        "as1",
        Owner::Person("p-zhao".into()),
        "2026-Q4",
        92,
        "Reliable counts",
        2,
    )
    .unwrap();
    assert!(
        assess(
            &mut a,
            &org,
            &wang,
            "as2",
            Owner::Person("p-sun".into()),
            "2026-Q4",
            80,
            "",
            3
        )
        .unwrap_err()
        .is_permission()
    );
    assert!(
        assess(
            &mut a,
            &org,
            &wang,
            "as3",
            Owner::Person("p-zhao".into()),
            "2026-Q4",
            101,
            "",
            3
        )
        .is_err()
    );
    let award = Award {
        title: "Employee of the month".into(),
        person: "p-zhao".into(),
        period: "2026-11".into(),
        reason: "Zero count errors".into(),
        by: "Wang".into(),
        at: 4,
    };
    give_award(&mut a, &org, &wang, "aw1", award, 4).unwrap();
    let session = TrainingSession {
        date: "2026-12-02".into(),
        topic: "Scanner use".into(),
        attendees: vec!["p-zhao".into(), "p-qian".into()],
        held: false,
    };
    let plan = TrainingPlan {
        title: "Q4 warehouse training".into(),
        department: Some("dept:warehouse".into()),
        sessions: [("s1".to_string(), session)].into(),
    };
    plan_training(&mut a, &org, &wang, "tr1", plan.clone(), 5).unwrap();
    assert!(
        plan_training(
            &mut a,
            &org,
            &wang,
            "tr2",
            TrainingPlan {
                department: None,
                ..plan
            },
            6
        )
        .unwrap_err()
        .is_permission()
    );
    let doc = read_assessment(&a).unwrap();
    assert_eq!(doc.assessments["as1"].score, 92);
    assert_eq!(doc.awards["aw1"].person, "p-zhao");
    assert_eq!(doc.training["tr1"].sessions["s1"].attendees.len(), 2);
}

#[test]
fn a_report_carries_a_small_jpeg_or_png_photo_and_refuses_anything_else_unchanged() {
    let s = shop();
    let org0 = org(&s);
    let mut fb = new_feedback_doc("2026-11", 1).unwrap();
    let sun = actor(&s, "p-sun", Role::Staff);
    let jpeg = [0xff, 0xd8, 0xff, 0xe0, 1, 2, 3];
    report_problem_with_photo(
        &mut fb,
        &org0,
        &sun,
        "r1",
        "equipment",
        "Freezer 2 leaks",
        Some(&jpeg),
        2,
    )
    .unwrap();
    assert!(has_photo(&fb, "r1"));
    assert_eq!(report_photo(&fb, "r1").as_deref(), Some(&jpeg[..]));
    assert!(!has_photo(&fb, "r2"));

    let heads = fb.get_heads();
    let too_big = [&jpeg[..], &vec![0u8; MAX_PHOTO_BYTES]].concat();
    for bad in [&b"GIF89a..."[..], &too_big[..], &[][..]] {
        let e =
            report_problem_with_photo(&mut fb, &org0, &sun, "r2", "equipment", "x", Some(bad), 3)
                .unwrap_err();
        assert!(matches!(e, DomainError::Invalid(_)), "{e}");
    }
    assert_eq!(fb.get_heads(), heads, "a refused photo writes nothing");
    assert!(!read_feedback(&fb).unwrap().reports.contains_key("r2"));
}

/// Work finished early counts when it is done: a staff member who completed
/// two tasks due next week shows them done this week, not "0%, 0 done".
#[test]
fn tasks_done_early_count_in_the_window_they_were_done_in() {
    let org = OrgDoc::default();
    let zone = storeops_domain::calendar::Zone::utc();
    let today = storeops_domain::calendar::Date::new(2026, 12, 7).unwrap();
    let now = (today.days_since_epoch() * 86_400_000) + 3_600_000;
    let task = |due: &str, done: bool| {
        let mut t = Task::new("Count", "Li", 0);
        t.assignee = Some(Owner::Person("p-lin".into()));
        t.due = Some(due.into());
        if done {
            t.status = TaskStatus::Done;
            t.completed_at = Some(now);
        }
        t
    };
    let tasks = vec![
        ("a".into(), task("2026-12-14", true)),
        ("b".into(), task("2026-12-20", true)),
        ("c".into(), task("2026-12-20", false)),
        ("d".into(), task("2026-11-01", true)),
    ];
    let week = task_kpis(&tasks, &org, today.add_days(-6), today, &zone);
    let lin = week.by_person["p-lin"];
    assert_eq!((lin.due, lin.done, lin.on_time), (2, 2, 2), "{lin:?}");
    assert_eq!(lin.completion_rate(), Some(1.0));
}
