//! The screens' `can_*` flags come from the same rules the commands enforce: for
//! every (person, role, entity, state) here, a flag is true exactly when the command
//! behind it succeeds.

#![allow(clippy::unwrap_used)]
mod support;

use automerge::Automerge;
use storeops_domain::calendar::Date;
use storeops_domain::plans::*;
use storeops_domain::*;
use support::today;

struct Chain {
    org: OrgDoc,
    store: NewStore,
    people: Vec<(&'static str, Role)>,
}

/// Plan 1: the director, the operations manager, the merchandise manager, two
/// merchandise specialists and a marketing specialist.
fn chain() -> Chain {
    let people = [
        ("p-dir", "Chen", "pos:director", Role::Director),
        ("p-ops", "Li", "pos:ops-manager", Role::OperationsManager),
        (
            "p-merch",
            "Wu",
            "pos:merch-manager",
            Role::DepartmentManager,
        ),
        ("p-ming", "Ming", "pos:merch-specialist", Role::Staff),
        ("p-hua", "Hua", "pos:marketing-specialist", Role::Staff),
    ];
    let store = support::plan1_with(&people.map(|(id, name, pos, _)| (id, name, pos)));
    let org = read_org(&store.org).unwrap();
    Chain {
        org,
        store,
        people: people.iter().map(|(id, _, _, role)| (*id, *role)).collect(),
    }
}

fn actor(c: &Chain, person: &str, role: Role) -> Actor {
    Actor::for_person(&c.org, person, role).unwrap()
}

/// A weekly plan owned by `owner`, with one item, brought to `status` by the people
/// allowed to.
fn plan_in(c: &Chain, owner: &str, status: PlanStatus) -> Automerge {
    let org = &c.org;
    let (owner_person, approver_person) = match owner {
        "pos:merch-specialist" => ("p-ming", "p-merch"),
        _ => ("p-merch", "p-ops"),
    };
    let role = |p| c.people.iter().find(|(id, _)| *id == p).unwrap().1;
    let owner_side = actor(c, owner_person, role(owner_person));
    let approver = actor(c, approver_person, role(approver_person));
    let manager = actor(c, "p-merch", Role::DepartmentManager);
    let mut am = new_plans_doc("2026", 1).unwrap();
    let new = NewPlan {
        level: PlanLevel::Weekly,
        period: "2026-W48".into(),
        title: "Week 48".into(),
        owner: owner.into(),
        parent: None,
    };
    create_plan(&mut am, org, &manager, "plan", new, 2).unwrap();
    let item = PlanItem {
        text: "Reset the end caps".into(),
        parent_item: None,
        assignee: None,
        due: None,
    };
    set_plan_item(&mut am, org, &manager, "plan", "i1", item, 3).unwrap();
    let mut review = |who: &Actor, action, text: &str, at| {
        review_plan(
            &mut am,
            org,
            who,
            "plan",
            &format!("r{at}"),
            action,
            text,
            at,
        )
        .unwrap();
    };
    match status {
        PlanStatus::Draft => {}
        PlanStatus::Submitted => review(&owner_side, PlanAction::Submit, "", 4),
        PlanStatus::Approved => {
            review(&owner_side, PlanAction::Submit, "", 4);
            review(&approver, PlanAction::Approve, "", 5);
        }
        PlanStatus::Returned => {
            review(&owner_side, PlanAction::Submit, "", 4);
            review(&approver, PlanAction::Return, "more detail", 5);
        }
    }
    am
}

#[test]
fn plan_flags_match_the_plan_commands() {
    let c = chain();
    let mut cases = 0;
    for owner in ["pos:merch-manager", "pos:merch-specialist"] {
        for status in [
            PlanStatus::Draft,
            PlanStatus::Submitted,
            PlanStatus::Approved,
            PlanStatus::Returned,
        ] {
            let am = plan_in(&c, owner, status);
            let plan = read_plans(&am).unwrap().plans.remove("plan").unwrap();
            assert_eq!(plan.status(), status);
            for &(person, role) in &c.people {
                let a = actor(&c, person, role);
                let may = permissions(&c.org, &a, &plan);
                let case = format!("{person} as {role:?} on {owner}'s {status:?} plan");
                let ok = |f: &dyn Fn(&mut Automerge) -> Result<(), DomainError>| {
                    f(&mut am.fork()).is_ok()
                };
                let review =
                    |action, text: &'static str| {
                        ok(&|am| {
                            review_plan(am, &c.org, &a, "plan", "rx", action, text, 9).map(|_| ())
                        })
                    };
                let edit = ok(&|am| {
                    let item = PlanItem {
                        text: "Count the facings".into(),
                        parent_item: None,
                        assignee: None,
                        due: None,
                    };
                    set_plan_item(am, &c.org, &a, "plan", "i2", item, 9)
                });
                assert_eq!(may.edit, edit, "edit: {case}");
                assert_eq!(may.edit, review(PlanAction::Submit, ""), "submit: {case}");
                assert_eq!(
                    may.review,
                    review(PlanAction::Approve, ""),
                    "approve: {case}"
                );
                assert_eq!(
                    may.review,
                    review(PlanAction::Return, "why"),
                    "return: {case}"
                );
                assert_eq!(may.reopen, review(PlanAction::Reopen, ""), "reopen: {case}");
                assert_eq!(
                    may.comment,
                    review(PlanAction::Comment, "ok"),
                    "comment: {case}"
                );
                let schedule = plan_to_tasks(
                    &am,
                    &mut c.store.tasks.fork(),
                    &c.org,
                    &a,
                    "plan",
                    Date::new(2026, 11, 27).unwrap(),
                    9,
                )
                .is_ok();
                assert_eq!(may.schedule, schedule, "schedule: {case}");
                cases += 1;
            }
        }
    }
    assert_eq!(cases, 2 * 4 * 5);
}

#[test]
fn a_staff_member_who_owns_a_plan_is_offered_its_editing() {
    let c = chain();
    let am = plan_in(&c, "pos:merch-specialist", PlanStatus::Draft);
    let plan = read_plans(&am).unwrap().plans.remove("plan").unwrap();
    let ming = actor(&c, "p-ming", Role::Staff);
    let may = permissions(&c.org, &ming, &plan);
    assert!(may.edit && may.comment && !may.review);
    assert!(may_create_plans(&c.org, &ming));
    let hua = actor(&c, "p-hua", Role::Staff);
    assert!(!permissions(&c.org, &hua, &plan).edit);
}

#[test]
fn meeting_and_report_flags_match_their_commands() {
    let c = chain();
    let manager = Actor::manager("Setup");
    let mut meetings = meetings::new_meetings_doc("2026", 1).unwrap();
    let mut feedback_doc = feedback::new_feedback_doc("2026-11", 1).unwrap();
    let departments: Vec<Option<String>> = std::iter::once(None)
        .chain(c.org.departments.keys().cloned().map(Some))
        .collect();
    for (i, department) in departments.iter().enumerate() {
        let new = meetings::NewMeeting {
            title: "Weekly".into(),
            date: today(),
            department: department.clone(),
            attendees: vec![],
            agenda: vec![],
            managers_only: false,
        };
        meetings::create_meeting(&mut meetings, &c.org, &manager, &format!("m{i}"), new, 2)
            .unwrap();
    }
    for category in feedback::CATEGORIES {
        feedback::report_problem(
            &mut feedback_doc,
            &c.org,
            &manager,
            category,
            category,
            "x",
            2,
        )
        .unwrap();
    }
    let reports = feedback::read_feedback(&feedback_doc).unwrap().reports;
    for &(person, role) in &c.people {
        let a = actor(&c, person, role);
        for (i, department) in departments.iter().enumerate() {
            let may = meetings::may_host(&c.org, &a, department.as_deref());
            let did = meetings::add_agenda_item(
                &mut meetings.fork(),
                &c.org,
                &a,
                &format!("m{i}"),
                "ax",
                "Stock",
                9,
            )
            .is_ok();
            assert_eq!(may, did, "host {department:?}: {person} as {role:?}");
        }
        let may_create = meetings::may_create_meetings(&c.org, &a);
        let created = departments.iter().any(|department| {
            let new = meetings::NewMeeting {
                title: "Mine".into(),
                date: today(),
                department: department.clone(),
                attendees: vec![],
                agenda: vec![],
                managers_only: false,
            };
            meetings::create_meeting(&mut meetings.fork(), &c.org, &a, "mx", new, 9).is_ok()
        });
        assert_eq!(
            may_create, created,
            "create a meeting: {person} as {role:?}"
        );
        for (id, report) in &reports {
            let may = feedback::may_handle(&c.org, &a, report.department.as_deref());
            let did = feedback::set_report_status(
                &mut feedback_doc.fork(),
                &c.org,
                &a,
                id,
                feedback::ReportStatus::InProgress,
                None,
                9,
            )
            .is_ok();
            assert_eq!(may, did, "handle {id}: {person} as {role:?}");
        }
    }
}

#[test]
fn task_flags_match_the_task_commands() {
    let c = chain();
    let manager = Actor::manager("Setup");
    let mut tasks = c.store.tasks.fork();
    let owners = [
        None,
        Some(Owner::Position("pos:merch-specialist".into())),
        Some(Owner::Person("p-hua".into())),
        Some(Owner::Department("dept:merch".into())),
    ];
    for (i, assignee) in owners.iter().enumerate() {
        let new = NewTask {
            assignee: assignee.clone(),
            checklist: vec!["Count".into()],
            ..NewTask::titled(format!("t{i}"))
        };
        add_task(&mut tasks, &manager, &format!("t{i}"), new, 2).unwrap();
    }
    for &(person, role) in &c.people {
        let a = actor(&c, person, role);
        for (i, owner) in owners.iter().enumerate() {
            let id = format!("t{i}");
            let task = read_task(&tasks, &id).unwrap();
            let progress = a.may_progress_task(Some(&c.org), &task);
            let ticked =
                set_checklist_item(&mut tasks.fork(), Some(&c.org), &a, &id, "c1", true, 9).is_ok();
            let started = change_task_status(
                &mut tasks.fork(),
                Some(&c.org),
                &a,
                &id,
                TaskStatus::InProgress,
                9,
            )
            .is_ok();
            let case = format!("{id} ({owner:?}): {person} as {role:?}");
            assert_eq!(progress, ticked, "tick: {case}");
            assert_eq!(progress, started, "start: {case}");
            let may_reassign = a
                .require_task(
                    Some(&c.org),
                    &task,
                    storeops_domain::problem::Action::ReassignTask,
                )
                .is_ok();
            let reassigned = reassign_task(&mut tasks.fork(), &c.org, &a, &id, None, 9).is_ok();
            assert_eq!(may_reassign, reassigned, "reassign: {case}");
        }
    }
}
