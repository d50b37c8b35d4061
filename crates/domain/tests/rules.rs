//! The relay's write rules (`rules::check_write`): honest commands always pass,
//! and writes no command of the writer's role could make are refused (issue 18).

#![allow(clippy::unwrap_used)]
mod support;

use automerge::transaction::Transactable;
use automerge::{Automerge, ChangeHash, ObjType, ROOT, ReadDoc};
use proptest::prelude::*;
use storeops_domain::feedback::{
    check_answer, new_feedback_doc, open_survey, record_survey_answers, report_problem,
};
use storeops_domain::rules::{Refusal, Writer, check_write};
use storeops_domain::*;
use support::*;

/// Tasks for Zhao (himself), the warehouse specialists (his position), the
/// warehouse, and Sun (marketing: not his).
fn store_with_tasks() -> NewStore {
    let mut s = shop();
    let org = org(&s);
    let boss = Actor::manager("Zhang");
    for (id, owner) in [
        ("t-zhao", Owner::Person("p-zhao".into())),
        ("t-spec", Owner::Position("pos:warehouse-specialist".into())),
        ("t-dept", Owner::Department("dept:warehouse".into())),
        ("t-sun", Owner::Person("p-sun".into())),
    ] {
        let mut new = NewTask::titled(format!("Task {id}"));
        new.assignee = Some(owner);
        new.checklist = vec!["One".into(), "Two".into()];
        create_task(&mut s.tasks, &org, &boss, id, new, 10).unwrap();
    }
    s
}

fn writer(s: &NewStore, person: &str, role: Role) -> Writer {
    Writer::new(Some(&org(s)), role, Some(person), "phone 7")
}

fn check(
    kind: &str,
    am: &Automerge,
    before: &[ChangeHash],
    w: &Writer,
    s: &NewStore,
) -> Result<(), Refusal> {
    check_write(kind, am, before, w, Some(&org(s)))
}

/// One honest command, as the app issues it.
#[derive(Debug, Clone)]
enum Command {
    Status(usize, TaskStatus),
    AddItem(usize),
    Tick(usize, usize, bool),
    Comment(usize),
    /// Managers only.
    Edit(usize),
    Reassign(usize, usize),
    Create,
}

const TASKS: [&str; 4] = ["t-zhao", "t-spec", "t-dept", "t-sun"];
const PEOPLE: [(&str, Role); 4] = [
    ("p-zhao", Role::Staff),
    ("p-qian", Role::Staff),
    ("p-wang", Role::DepartmentManager),
    ("p-zhang", Role::Manager),
];

fn command() -> impl Strategy<Value = Command> {
    let status = prop_oneof![
        Just(TaskStatus::Todo),
        Just(TaskStatus::InProgress),
        Just(TaskStatus::Blocked),
        Just(TaskStatus::Done),
        Just(TaskStatus::Cancelled),
    ];
    prop_oneof![
        (0..4usize, status).prop_map(|(t, s)| Command::Status(t, s)),
        (0..4usize).prop_map(Command::AddItem),
        (0..4usize, 0..3usize, any::<bool>()).prop_map(|(t, i, d)| Command::Tick(t, i, d)),
        (0..4usize).prop_map(Command::Comment),
        (0..4usize).prop_map(Command::Edit),
        (0..4usize, 0..4usize).prop_map(|(t, p)| Command::Reassign(t, p)),
        Just(Command::Create),
    ]
}

/// Runs `c` as `actor`; `Ok(true)` when it wrote something.
fn run(am: &mut Automerge, org: &OrgDoc, actor: &Actor, c: &Command, n: usize) -> bool {
    let now = 1_000 + n as i64;
    let before = am.get_heads();
    let _ = match c {
        Command::Status(t, s) => {
            change_task_status(am, Some(org), actor, TASKS[*t], *s, now).map(|_| ())
        }
        Command::AddItem(t) => add_checklist_item(
            am,
            Some(org),
            actor,
            TASKS[*t],
            &format!("i{n}"),
            "More",
            now,
        )
        .map(|_| ()),
        Command::Tick(t, i, done) => {
            let task = read_task(am, TASKS[*t]).unwrap();
            match task.checklist.get(*i) {
                Some(item) => {
                    set_checklist_item(am, Some(org), actor, TASKS[*t], &item.id, *done, now)
                        .map(|_| ())
                }
                None => Ok(()),
            }
        }
        Command::Comment(t) => add_comment(
            am,
            Some(org),
            actor,
            TASKS[*t],
            &format!("c{n}"),
            "Done it",
            now,
        )
        .map(|_| ()),
        Command::Edit(t) => {
            let edit = TaskEdit {
                title: Some(format!("Renamed {n}")),
                ..TaskEdit::default()
            };
            edit_task(am, org, actor, TASKS[*t], edit, now).map(|_| ())
        }
        Command::Reassign(t, p) => reassign_task(
            am,
            org,
            actor,
            TASKS[*t],
            Some(Owner::Person(PEOPLE[*p].0.into())),
            now,
        )
        .map(|_| ()),
        Command::Create => create_task(
            am,
            org,
            actor,
            &format!("new{n}"),
            NewTask::titled("New"),
            now,
        )
        .map(|_| ()),
    };
    am.get_heads() != before
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn honest_commands_of_every_role_are_always_accepted(
        steps in proptest::collection::vec((0..4usize, command()), 1..24)
    ) {
        let mut s = store_with_tasks();
        let org = org(&s);
        for (n, (who, c)) in steps.iter().enumerate() {
            let (person, role) = PEOPLE[*who];
            let actor = Actor::for_person(&org, person, role).unwrap();
            let before = s.tasks.get_heads();
            if run(&mut s.tasks, &org, &actor, c, n) {
                let w = writer(&s, person, role);
                prop_assert_eq!(check(kind::TASKS, &s.tasks, &before, &w, &s), Ok(()), "{:?} by {}", c, person);
            }
        }
    }

    #[test]
    fn a_rule_breaking_write_by_staff_is_always_refused(
        prefix in proptest::collection::vec(command(), 0..8),
        mutation in 0..MUTATIONS,
        task in 0..3usize,
    ) {
        let mut s = store_with_tasks();
        let org = org(&s);
        let zhao = Actor::for_person(&org, "p-zhao", Role::Staff).unwrap();
        for (n, c) in prefix.iter().enumerate() {
            run(&mut s.tasks, &org, &zhao, c, n);
        }
        let before = s.tasks.get_heads();
        mutate(&mut s.tasks, mutation, TASKS[task]);
        prop_assert!(s.tasks.get_heads() != before);
        let w = writer(&s, "p-zhao", Role::Staff);
        let verdict = check(kind::TASKS, &s.tasks, &before, &w, &s);
        prop_assert!(verdict.is_err(), "mutation {} on {} was accepted", mutation, TASKS[task]);
    }
}

const MUTATIONS: usize = 16;

fn signed(message: &str) -> automerge::transaction::CommitOptions {
    automerge::transaction::CommitOptions::default().with_message(message.to_owned())
}

/// Rule-breaking writes a modified client could send as Zhao (signed "Zhao …"
/// so only the rule under test is broken).
fn mutate(am: &mut Automerge, which: usize, task: &str) {
    let mut tx = am.transaction();
    let tasks = match tx.get(ROOT, "tasks").unwrap() {
        Some((_, id)) => id,
        None => unreachable!(),
    };
    let t = tx.get(&tasks, task).unwrap().unwrap().1;
    match which {
        0 => tx.put(&t, "title", 42).unwrap(),
        1 => tx.put(&t, "checklist", "x").unwrap(),
        2 => tx.put(&t, "status", "exploded").unwrap(),
        3 => {
            let a = tx.put_object(&t, "assignee", ObjType::Map).unwrap();
            let l = tx.put_object(&a, "nested", ObjType::List).unwrap();
            tx.insert(&l, 0, 1).unwrap();
        }
        4 => tx.put(&t, "title", "x".repeat(300)).unwrap(),
        5 => {
            for i in 0..100 {
                tx.put(&t, format!("k{i}"), i).unwrap();
            }
        }
        6 => tx.put(ROOT, "schema", 99u64).unwrap(),
        7 => tx.delete(&tasks, task).unwrap(),
        8 => tx.put(&t, "assignee", "person:p-qian").unwrap(),
        9 => {
            tx.put(&t, "status", "done").unwrap();
            tx.put(&t, "completed_at", 5).unwrap();
            tx.put(&t, "completed_by", "Qian").unwrap();
            tx.put(&t, "completed_by_person", "p-qian").unwrap();
        }
        10 => tx.put(&t, "completed_by_person", "p-qian").unwrap(),
        11 => {
            let n = tx.put_object(&tasks, "forged", ObjType::Map).unwrap();
            tx.put(&n, "title", "Mine").unwrap();
        }
        12 => tx.put(ROOT, "extra", "junk").unwrap(),
        13 => {
            let list = tx.get(&t, "checklist").unwrap().unwrap().1;
            tx.delete(&list, 0).unwrap();
        }
        14 => {
            let list = tx.get(&t, "checklist").unwrap().unwrap().1;
            let item = tx.get(&list, 0).unwrap().unwrap().1;
            tx.put(&item, "done", true).unwrap();
            tx.put(&item, "done_by", "Qian").unwrap();
            tx.put(&item, "done_at", 5).unwrap();
        }
        _ => tx.put(&t, "due", "2030-01-01").unwrap(),
    }
    tx.commit_with(signed("Zhao did something"));
}

fn zhao_tasks() -> (NewStore, Writer) {
    let s = store_with_tasks();
    let w = writer(&s, "p-zhao", Role::Staff);
    (s, w)
}

#[test]
fn staff_progress_their_own_their_positions_and_their_departments_tasks_but_not_others() {
    let (mut s, w) = zhao_tasks();
    let org = org(&s);
    let zhao = Actor::for_person(&org, "p-zhao", Role::Staff).unwrap();
    for id in ["t-zhao", "t-spec", "t-dept"] {
        let before = s.tasks.get_heads();
        change_task_status(&mut s.tasks, Some(&org), &zhao, id, TaskStatus::Done, 50).unwrap();
        assert_eq!(
            check(kind::TASKS, &s.tasks, &before, &w, &s),
            Ok(()),
            "{id}"
        );
    }
    // Sun's task, written by a modified client with the same commands' ops.
    let mut forged = s.tasks.fork();
    let before = forged.get_heads();
    let mut as_zhao = Actor::manager("Zhao");
    as_zhao.person = Some("p-zhao".into());
    change_task_status(
        &mut forged,
        Some(&org),
        &as_zhao,
        "t-sun",
        TaskStatus::Done,
        60,
    )
    .unwrap();
    let refusal = check(kind::TASKS, &forged, &before, &w, &s).unwrap_err();
    assert_eq!(refusal.rule, "task-scope", "{refusal}");
}

#[test]
fn a_change_message_in_someone_elses_name_is_refused() {
    let (mut s, w) = zhao_tasks();
    let org = org(&s);
    let mut zhang_name = Actor::for_person(&org, "p-zhao", Role::Staff).unwrap();
    zhang_name.name = "Zhang".into();
    let before = s.tasks.get_heads();
    add_comment(
        &mut s.tasks,
        Some(&org),
        &zhang_name,
        "t-zhao",
        "c1",
        "approved",
        70,
    )
    .unwrap();
    let refusal = check(kind::TASKS, &s.tasks, &before, &w, &s).unwrap_err();
    assert_eq!(refusal.rule, "change-message", "{refusal}");
}

#[test]
fn a_structured_change_message_names_its_writer_exactly() {
    let (mut s, w) = zhao_tasks();
    let org = org(&s);
    let mut longer_name = Actor::for_person(&org, "p-zhao", Role::Staff).unwrap();
    // Starts with "Zhao ", as the old rule asked, but names someone else.
    longer_name.name = "Zhao Zhang".into();
    let before = s.tasks.get_heads();
    add_comment(
        &mut s.tasks,
        Some(&org),
        &longer_name,
        "t-zhao",
        "c1",
        "approved",
        70,
    )
    .unwrap();
    let refusal = check(kind::TASKS, &s.tasks, &before, &w, &s).unwrap_err();
    assert_eq!(refusal.rule, "change-message", "{refusal}");
    // In their own name it is accepted.
    let zhao = Actor::for_person(&org, "p-zhao", Role::Staff).unwrap();
    let mut s = zhao_tasks().0;
    let before = s.tasks.get_heads();
    add_comment(&mut s.tasks, Some(&org), &zhao, "t-zhao", "c1", "ok", 71).unwrap();
    assert_eq!(check(kind::TASKS, &s.tasks, &before, &w, &s), Ok(()));
}

#[test]
fn staff_report_problems_of_their_own_but_write_no_survey_answer_and_handle_nothing() {
    let s = shop();
    let org = org(&s);
    let mut fb = new_feedback_doc("2026-11", 0).unwrap();
    open_survey(
        &mut fb,
        &Actor::manager("Zhang"),
        "sv1",
        "How was the week?",
        1,
    )
    .unwrap();
    // The relay's batch passes the reader's checks (it is not checked as a write).
    let batch = [("a0".to_owned(), check_answer(4, "ok").unwrap())];
    record_survey_answers(&mut fb, "sv1", &batch, 1).unwrap();
    let zhao = Actor::for_person(&org, "p-zhao", Role::Staff).unwrap();
    let w = writer(&s, "p-zhao", Role::Staff);

    let before = fb.get_heads();
    report_problem(&mut fb, &org, &zhao, "r1", "stock", "Shelf 3 is empty", 2).unwrap();
    assert_eq!(check(kind::FEEDBACK, &fb, &before, &w, &s), Ok(()));

    // Answers come from the relay (under its own actor); a device writing one
    // itself, staff or manager, is refused.
    for role in [Role::Staff, Role::Manager] {
        let mut copy = fb.fork();
        let before = copy.get_heads();
        let mut tx = copy.transaction();
        let surveys = tx.get(ROOT, "surveys").unwrap().unwrap().1;
        let sv = tx.get(&surveys, "sv1").unwrap().unwrap().1;
        let answers = tx.get(&sv, "answers").unwrap().unwrap().1;
        let a = tx.put_object(&answers, "a1", ObjType::Map).unwrap();
        tx.put(&a, "score", 4u64).unwrap();
        tx.put(&a, "comment", "ok").unwrap();
        tx.commit_with(signed("Zhao answered"));
        let refusal = check(
            kind::FEEDBACK,
            &copy,
            &before,
            &writer(&s, "p-zhao", role),
            &s,
        )
        .unwrap_err();
        assert_eq!(refusal.rule, "survey-answer", "{refusal}");
    }

    // Resolving (a manager's command) as Zhao.
    let before = fb.get_heads();
    let mut tx = fb.transaction();
    let reports = tx.get(ROOT, "reports").unwrap().unwrap().1;
    let r = tx.get(&reports, "r1").unwrap().unwrap().1;
    tx.put(&r, "status", "resolved").unwrap();
    tx.commit_with(signed("Zhao resolved it"));
    let refusal = check(kind::FEEDBACK, &fb, &before, &w, &s).unwrap_err();
    assert_eq!(refusal.rule, "report-handling", "{refusal}");

    // A report in Qian's name.
    let mut fb2 = new_feedback_doc("2026-11", 0).unwrap();
    let before = fb2.get_heads();
    let mut qian = Actor::for_person(&org, "p-qian", Role::Staff).unwrap();
    qian.name = "Zhao".into();
    report_problem(&mut fb2, &org, &qian, "r2", "stock", "Not mine", 4).unwrap();
    let refusal = check(kind::FEEDBACK, &fb2, &before, &w, &s).unwrap_err();
    assert_eq!(refusal.rule, "report-own", "{refusal}");
}

#[test]
fn managers_may_change_anything_but_must_leave_a_readable_document() {
    let (mut s, _) = zhao_tasks();
    let w = writer(&s, "p-zhang", Role::Manager);
    let before = s.tasks.get_heads();
    let mut tx = s.tasks.transaction();
    let tasks = tx.get(ROOT, "tasks").unwrap().unwrap().1;
    tx.delete(&tasks, "t-sun").unwrap();
    tx.commit();
    assert_eq!(check(kind::TASKS, &s.tasks, &before, &w, &s), Ok(()));
    for which in [0, 1, 2, 4, 6] {
        let mut am = s.tasks.fork();
        let before = am.get_heads();
        mutate(&mut am, which, "t-zhao");
        assert!(
            check(kind::TASKS, &am, &before, &w, &s).is_err(),
            "mutation {which}"
        );
    }
}

#[test]
fn an_honest_tick_made_offline_while_a_manager_reassigned_the_task_is_accepted() {
    let (s, w) = zhao_tasks();
    let org = org(&s);
    let mut relay = s.tasks.fork();
    let mut phone = device(&s.tasks, 9);
    let zhao = Actor::for_person(&org, "p-zhao", Role::Staff).unwrap();
    let item = read_task(&phone, "t-zhao").unwrap().checklist[0].id.clone();
    set_checklist_item(&mut phone, Some(&org), &zhao, "t-zhao", &item, true, 80).unwrap();
    change_task_status(
        &mut phone,
        Some(&org),
        &zhao,
        "t-zhao",
        TaskStatus::Done,
        81,
    )
    .unwrap();
    // Meanwhile the manager gives the task to Qian; the relay has that first.
    let zhang = Actor::for_person(&org, "p-zhang", Role::Manager).unwrap();
    reassign_task(
        &mut relay,
        &org,
        &zhang,
        "t-zhao",
        Some(Owner::Person("p-qian".into())),
        82,
    )
    .unwrap();
    let before = relay.get_heads();
    relay.merge(&mut phone).unwrap();
    assert_eq!(check(kind::TASKS, &relay, &before, &w, &s), Ok(()));
}

#[test]
fn an_honest_status_change_beside_a_concurrent_completion_is_accepted() {
    let (s, _) = zhao_tasks();
    let org = org(&s);
    let mut relay = s.tasks.fork();
    let mut qian_phone = device(&s.tasks, 8);
    let zhao = Actor::for_person(&org, "p-zhao", Role::Staff).unwrap();
    let qian = Actor::for_person(&org, "p-qian", Role::Staff).unwrap();
    change_task_status(
        &mut relay,
        Some(&org),
        &zhao,
        "t-spec",
        TaskStatus::Done,
        90,
    )
    .unwrap();
    // Qian, offline, comments (her counter moves ahead) and starts the task: her
    // status wins, while Zhao's completion fields (which her change did not
    // rewrite: they were already empty) stay.
    for i in 0..5 {
        add_comment(
            &mut qian_phone,
            Some(&org),
            &qian,
            "t-spec",
            &format!("q{i}"),
            "on it",
            91,
        )
        .unwrap();
    }
    change_task_status(
        &mut qian_phone,
        Some(&org),
        &qian,
        "t-spec",
        TaskStatus::InProgress,
        92,
    )
    .unwrap();
    let before = relay.get_heads();
    relay.merge(&mut qian_phone).unwrap();
    assert_eq!(
        read_task(&relay, "t-spec").unwrap().status,
        TaskStatus::InProgress
    );
    let w = writer(&s, "p-qian", Role::Staff);
    assert_eq!(check(kind::TASKS, &relay, &before, &w, &s), Ok(()));
}

#[test]
fn staff_make_the_recurring_tasks_of_their_own_duties_exactly_as_the_app_does() {
    use storeops_domain::recurring::{owed, write_owed};
    let (mut s, w) = zhao_tasks();
    let org = org(&s);
    let zhao = Actor::for_person(&org, "p-zhao", Role::Staff).unwrap();
    let monday = calendar::Date::new(2026, 11, 30).unwrap();
    let holds = |d: &Duty| d.owner.as_ref().is_some_and(|o| zhao.holds(o));
    let mine = owed(&org, monday, |_| false, holds);
    assert!(
        !mine.is_empty(),
        "plan 3 gives the warehouse specialists duties"
    );
    let before = s.tasks.get_heads();
    write_owed(&mut s.tasks, &org, &mine, &zhao, 70).unwrap();
    assert_eq!(check(kind::TASKS, &s.tasks, &before, &w, &s), Ok(()));

    // Someone else's duty, or a generated task changed on the way, is refused.
    let others = owed(&org, monday, |_| false, |d| !holds(d) && d.owner.is_some());
    let mut forged = s.tasks.fork();
    let before = forged.get_heads();
    write_owed(&mut forged, &org, &others[..1], &zhao, 71).unwrap();
    let refusal = check(kind::TASKS, &forged, &before, &w, &s).unwrap_err();
    assert_eq!(refusal.rule, "task-scope", "{refusal}");

    let mut tampered = s.tasks.fork();
    let before = tampered.get_heads();
    let next = owed(&org, monday.add_days(1), |_| false, holds);
    write_owed(&mut tampered, &org, &next[..1], &zhao, 72).unwrap();
    let tasks = tampered.get(ROOT, "tasks").unwrap().unwrap().1;
    let task = tampered
        .get(&tasks, next[0].id.as_str())
        .unwrap()
        .unwrap()
        .1;
    let mut tx = tampered.transaction();
    tx.put(&task, "status", "done").unwrap();
    tx.commit_with(signed("Zhao generated a task"));
    // (The two changes reach the relay together.)
    let refusal = check(kind::TASKS, &tampered, &before, &w, &s).unwrap_err();
    assert_eq!(refusal.rule, "task-scope", "{refusal}");
}
