//! A year of a 50-staff store (plan 3), built with the domain's own commands and
//! cached in the temp directory: shared by the domain's and the client's benchmarks.
#![allow(
    dead_code,
    missing_debug_implementations,
    clippy::unwrap_used,
    clippy::expect_used
)]

use std::collections::BTreeMap;
use std::time::Instant;

use automerge::{ActorId, Automerge};
use storeops_domain::calendar::Date;
use storeops_domain::org::{PositionEdit, add_person, edit_position};
use storeops_domain::split::*;
use storeops_domain::*;

pub struct Year {
    pub store: Vec<u8>,
    pub org: Vec<u8>,
    pub legacy: Vec<u8>,
    pub weeks: BTreeMap<String, Vec<u8>>,
    pub org_doc: OrgDoc,
    pub staff: Actor,
    pub manager: Actor,
    pub today: Date,
    /// A task of the current week, for history and commands.
    pub sample_task: String,
    pub tasks_total: usize,
    pub changes_total: usize,
    pub build_secs: f64,
}

/// Building takes a minute or more, so the documents are kept in the temp
/// directory between runs (delete `storeops-bench-year-*` there to rebuild).
pub fn cached() -> Year {
    let dir = std::env::temp_dir().join(format!("storeops-bench-year-weekly-{}", SCHEMA_VERSION));
    let read = |name: &str| std::fs::read(dir.join(name)).ok();
    if let (Some(store), Some(org), Some(legacy)) = (read("store"), read("org"), read("legacy")) {
        let started = Instant::now();
        let mut weeks = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if let Some(m) = name.strip_prefix("week-") {
                weeks.insert(m.to_owned(), read(&name).unwrap());
            }
        }
        return finish(store, org, legacy, weeks, started);
    }
    let y = build();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("store"), &y.store).unwrap();
    std::fs::write(dir.join("org"), &y.org).unwrap();
    std::fs::write(dir.join("legacy"), &y.legacy).unwrap();
    for (m, b) in &y.weeks {
        std::fs::write(dir.join(format!("week-{m}")), b).unwrap();
    }
    y
}

fn finish(
    store: Vec<u8>,
    org: Vec<u8>,
    legacy: Vec<u8>,
    weeks: BTreeMap<String, Vec<u8>>,
    started: Instant,
) -> Year {
    let org_doc = read_org(&Automerge::load(&org).unwrap()).unwrap();
    let today = Date::new(2026, 12, 15).unwrap();
    let docs: BTreeMap<&String, Automerge> = weeks
        .iter()
        .map(|(m, b)| (m, Automerge::load(b).unwrap()))
        .collect();
    let current = &docs[&task_period(Some(today), today)];
    let sample_task = read_tasks(current)
        .unwrap()
        .into_iter()
        .find(|(id, t)| {
            id.starts_with('t') && !t.comments.is_empty() && t.status == TaskStatus::Done
        })
        .map(|(id, _)| id)
        .unwrap();
    let tasks_total = docs
        .values()
        .map(|am| read_tasks(am).unwrap().len())
        .sum::<usize>()
        + read_tasks(&Automerge::load(&legacy).unwrap())
            .unwrap()
            .len();
    let changes_total = docs.values().map(|am| am.get_changes(&[]).len()).sum();
    let staff = Actor::for_person(&org_doc, "p20", Role::Staff).unwrap();
    Year {
        store,
        org,
        legacy,
        weeks,
        org_doc,
        staff,
        manager: Actor::manager("店长"),
        today,
        sample_task,
        tasks_total,
        changes_total,
        build_secs: started.elapsed().as_secs_f64(),
    }
}

const START_MS: i64 = 1_767_225_600_000; // 2026-01-01T00:00Z

fn device(am: &mut Automerge, n: usize) {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&(n as u64 + 1).to_be_bytes());
    am.set_actor(ActorId::from(bytes.to_vec()));
}

fn build() -> Year {
    let started = Instant::now();
    let setup = StoreSetup {
        id: "bench".into(),
        name: "Bench store".into(),
        time_zone: "Asia/Shanghai".into(),
        locale: "zh-CN".into(),
        org_doc: "org".into(),
        tasks_doc: "tasks".into(),
    };
    let first = Date::new(2026, 1, 1).unwrap();
    let mut s = new_store(
        &setup,
        template::template("plan3").unwrap(),
        first,
        START_MS,
    )
    .unwrap();
    let boss = Actor::manager("店长");
    // 50 people: one in each of the 15 positions, 35 more specialists.
    let org0 = read_org(&s.org).unwrap();
    let positions: Vec<String> = org0.positions.keys().cloned().collect();
    let specialists: Vec<String> = positions
        .iter()
        .filter(|p| p.ends_with("specialist"))
        .cloned()
        .collect();
    for sp in &specialists {
        let edit = PositionEdit {
            headcount: Some(8),
            ..Default::default()
        };
        edit_position(&mut s.org, &boss, sp, edit, START_MS).unwrap();
    }
    let mut people = Vec::new();
    for i in 0..50 {
        let pos = if i < positions.len() {
            positions[i].clone()
        } else {
            specialists[i % specialists.len()].clone()
        };
        let id = format!("p{i:02}");
        add_person(
            &mut s.org,
            &boss,
            &id,
            &format!("员工{i:02}"),
            "",
            &[&pos],
            START_MS,
        )
        .unwrap();
        people.push(id);
    }
    let org = read_org(&s.org).unwrap();
    let staff_actors: Vec<Actor> = people
        .iter()
        .map(|p| Actor::for_person(&org, p, Role::Staff).unwrap())
        .collect();
    let mut weeks: BTreeMap<String, Automerge> = BTreeMap::new();
    fn doc_for(
        weeks: &mut BTreeMap<String, Automerge>,
        boss: &Actor,
        week: String,
        store: &mut Automerge,
        now: i64,
    ) -> String {
        if !weeks.contains_key(&week) {
            let am = new_tasks_doc(&week, now).unwrap();
            register_period_doc(store, boss, "tasks", &week, &format!("tasks-{week}"), now)
                .unwrap();
            weeks.insert(week.clone(), am);
        }
        week
    }
    let mut n = 0usize;
    let mut day = first;
    // The demo store's generator (`demo::Rng`), with a seed of its own.
    let mut rng = storeops_domain::demo::Rng::new(0x2545_f491_4f6c_dd1d);
    let mut next = move || rng.next_u64();
    let mut open: Vec<(String, String, usize)> = Vec::new(); // (week, task, person)
    while day.year == 2026 {
        let now = START_MS + (day.days_since_epoch() - first.days_since_epoch()) * 86_400_000;
        let week = doc_for(
            &mut weeks,
            &boss,
            task_period(Some(day), day),
            &mut s.store,
            now,
        );
        let am = weeks.get_mut(&week).unwrap();
        device(am, 100);
        generate_recurring(am, &org, day, &boss, now + 1).unwrap();
        // 50 ad hoc tasks a day, due today to 3 days later.
        for k in 0..50 {
            let person = (next() % 50) as usize;
            let due = day.add_days((next() % 4) as i64);
            let week = doc_for(
                &mut weeks,
                &boss,
                task_period(Some(due), day),
                &mut s.store,
                now,
            );
            let am = weeks.get_mut(&week).unwrap();
            device(am, 100);
            let mut t = NewTask::titled(format!("任务 {n}: 整理 {k} 号货架"));
            t.assignee = Some(Owner::Person(people[person].clone()));
            t.due = Some(due);
            t.checklist = vec!["清点".into(), "上架".into(), "拍照".into()];
            let id = format!("t{n:06}");
            create_task(am, &org, &boss, &id, t, now + 2 + k).unwrap();
            open.push((week, id, person));
            n += 1;
        }
        // Progress on yesterday's and today's work.
        let mut keep = Vec::new();
        for (week, id, person) in std::mem::take(&mut open) {
            let am = weeks.get_mut(&week).unwrap();
            let due_passed = next() % 3 != 0;
            if !due_passed {
                keep.push((week, id, person));
                continue;
            }
            let mut who = staff_actors[person].clone();
            let r = next();
            if r % 10 == 0 {
                let to = (person + 1 + (r as usize / 10) % 49) % 50;
                device(am, 100);
                reassign_task(
                    am,
                    &org,
                    &boss,
                    &id,
                    Some(Owner::Person(people[to].clone())),
                    now + 100,
                )
                .unwrap();
                who = staff_actors[to].clone();
            }
            device(am, person);
            for c in ["c1", "c2", "c3"].iter().take(2 + (r % 2) as usize) {
                set_checklist_item(am, Some(&org), &who, &id, c, true, now + 200).unwrap();
            }
            if r % 2 == 0 {
                add_comment(
                    am,
                    Some(&org),
                    &who,
                    &id,
                    "k1",
                    "已完成，货架已整理",
                    now + 300,
                )
                .unwrap();
            }
            if r % 10 != 1 {
                change_task_status(am, Some(&org), &who, &id, TaskStatus::Done, now + 400).unwrap();
            }
        }
        open = keep;
        day = day.add_days(1);
    }
    let _ = staff_actors;
    finish(
        s.store.save(),
        s.org.save(),
        s.tasks.save(),
        weeks.iter().map(|(m, am)| (m.clone(), am.save())).collect(),
        started,
    )
}

impl Year {
    pub fn report(&self) {
        println!(
            "== A year of a 50-staff store (plan 3), built (or read from the cache) in {:.1} s ==",
            self.build_secs
        );
        println!(
            "tasks: {}, changes in the weekly task documents: {}",
            self.tasks_total, self.changes_total
        );
        let kb = |b: &[u8]| b.len() as f64 / 1024.0;
        println!(
            "documents: {} (store, org, first tasks, {} weeks)",
            3 + self.weeks.len(),
            self.weeks.len()
        );
        println!(
            "store {:.1} KB, org {:.1} KB, first tasks {:.1} KB",
            kb(&self.store),
            kb(&self.org),
            kb(&self.legacy)
        );
        let sizes: Vec<f64> = self.weeks.values().map(|b| kb(b)).collect();
        let total: f64 =
            sizes.iter().sum::<f64>() + kb(&self.store) + kb(&self.org) + kb(&self.legacy);
        println!(
            "weekly task documents: min {:.0} KB, max {:.0} KB; all documents {:.0} KB",
            sizes.iter().cloned().fold(f64::MAX, f64::min),
            sizes.iter().cloned().fold(0.0, f64::max),
            total
        );
        for (m, b) in &self.weeks {
            let t = Instant::now();
            let am = Automerge::load(b).unwrap();
            let load = t.elapsed();
            let tasks = read_tasks(&am).unwrap().len();
            println!(
                "  {m}: {:.0} KB, {} changes, {} tasks, load {:.1} ms",
                kb(b),
                am.get_changes(&[]).len(),
                tasks,
                load.as_secs_f64() * 1000.0
            );
        }
    }

    pub fn today_docs(&self) -> Vec<Automerge> {
        let store = read_store(&Automerge::load(&self.store).unwrap()).unwrap();
        today_task_docs(&store, self.today)
            .iter()
            .map(|id| {
                let bytes = if id == "tasks" {
                    &self.legacy
                } else {
                    &self.weeks[id.trim_start_matches("tasks-")]
                };
                Automerge::load(bytes).unwrap()
            })
            .collect()
    }

    pub fn current_week(&self) -> &[u8] {
        &self.weeks[&task_period(Some(self.today), self.today)]
    }
}
