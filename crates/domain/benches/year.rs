//! A year of a 50-staff store, built with the domain's own commands, then the
//! loads, queries and commands the app runs on it. See `docs/benchmarks.md`.
//!
//! `cargo bench -p storeops-domain --bench year` (prints the document sizes first).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_debug_implementations
)]

use std::sync::LazyLock;

use automerge::Automerge;
use divan::Bencher;
use storeops_domain::history::task_history;
use storeops_domain::org::coverage;
use storeops_domain::split::*;
use storeops_domain::*;

mod year_data;
use year_data::{Year, cached};

fn main() {
    let y = &*YEAR;
    y.report();
    divan::main();
}

static YEAR: LazyLock<Year> = LazyLock::new(cached);
/// The documents the Today screen opens: store, org, first tasks, last and this week.
#[divan::bench(sample_count = 20)]
fn load_today_documents() -> usize {
    let y = &*YEAR;
    let store = Automerge::load(&y.store).unwrap();
    let org = Automerge::load(&y.org).unwrap();
    divan::black_box(&org);
    let docs = y.today_docs();
    divan::black_box(store.get_heads().len() + docs.len())
}

/// Loading one week's task document (the largest kind of document).
#[divan::bench(sample_count = 20)]
fn load_one_week() -> Automerge {
    Automerge::load(YEAR.current_week()).unwrap()
}

/// Cold start of the Today screen: load store, org and the two weeks' task
/// documents, and read one person's day from them.
#[divan::bench(sample_count = 20)]
fn open_today_screen(bencher: Bencher) {
    let y = &*YEAR;
    bencher.bench(|| {
        let org = read_org(&Automerge::load(&y.org).unwrap()).unwrap();
        let docs = y.today_docs();
        let refs: Vec<&Automerge> = docs.iter().collect();
        my_day_in(&refs, Some(&org), &y.staff, y.today).unwrap()
    });
}

/// One person's day read straight from the loaded documents.
#[divan::bench(sample_count = 20)]
fn query_my_day_in_documents(bencher: Bencher) {
    let y = &*YEAR;
    let docs = y.today_docs();
    bencher.bench(|| {
        let refs: Vec<&Automerge> = docs.iter().collect();
        my_day_in(&refs, Some(&y.org_doc), &y.staff, y.today).unwrap()
    });
}

fn today_tasks() -> Vec<(String, Task)> {
    let docs = YEAR.today_docs();
    let refs: Vec<&Automerge> = docs.iter().collect();
    read_tasks_of(&refs).unwrap().into_iter().collect()
}

/// automerge's own one-pass materialisation of a week, for comparison.
#[divan::bench(sample_count = 10)]
fn query_automerge_hydrate_one_week(bencher: Bencher) {
    let am = Automerge::load(YEAR.current_week()).unwrap();
    bencher.bench(|| am.hydrate(None));
}

#[divan::bench(sample_count = 10)]
fn query_read_tasks_one_week(bencher: Bencher) {
    let am = Automerge::load(YEAR.current_week()).unwrap();
    bencher.bench(|| read_tasks(&am).unwrap());
}

#[divan::bench(sample_count = 20)]
fn query_hydrate_two_weeks(bencher: Bencher) {
    let docs = YEAR.today_docs();
    bencher.bench(|| {
        let refs: Vec<&Automerge> = docs.iter().collect();
        read_tasks_of(&refs).unwrap()
    });
}

#[divan::bench]
fn query_my_day(bencher: Bencher) {
    let y = &*YEAR;
    let tasks = today_tasks();
    bencher.bench(|| my_day(&tasks, Some(&y.org_doc), &y.staff, y.today));
}

#[divan::bench]
fn query_position_open_work(bencher: Bencher) {
    let tasks = today_tasks();
    bencher.bench(|| position_open_work(&tasks, "pos:warehouse-specialist"));
}

#[divan::bench]
fn query_coverage(bencher: Bencher) {
    let y = &*YEAR;
    let tasks = today_tasks();
    bencher.bench(|| coverage(&y.org_doc, &tasks));
}

#[divan::bench(sample_count = 10)]
fn query_task_history(bencher: Bencher) {
    let y = &*YEAR;
    let am = Automerge::load(y.current_week()).unwrap();
    bencher.bench(|| task_history(&am, &y.sample_task).unwrap());
}

/// One user action end to end on a loaded week: command + the incremental save
/// (`save_after` the heads before it, what `AutoCommit::save_incremental` does).
#[divan::bench(sample_count = 20)]
fn command_reassign_and_save(bencher: Bencher) {
    let y = &*YEAR;
    let am = Automerge::load(y.current_week()).unwrap();
    bencher
        .with_inputs(|| am.clone())
        .bench_local_values(|mut am| {
            let heads = am.get_heads();
            reassign_task(
                &mut am,
                &y.org_doc,
                &y.manager,
                &y.sample_task,
                Some(Owner::Person("p07".into())),
                1,
            )
            .unwrap();
            am.save_after(&heads)
        });
}

#[divan::bench(sample_count = 20)]
fn command_tick_and_save(bencher: Bencher) {
    let y = &*YEAR;
    let am = Automerge::load(y.current_week()).unwrap();
    bencher
        .with_inputs(|| am.clone())
        .bench_local_values(|mut am| {
            let heads = am.get_heads();
            set_checklist_item(
                &mut am,
                Some(&y.org_doc),
                &y.manager,
                &y.sample_task,
                "c1",
                false,
                1,
            )
            .unwrap();
            am.save_after(&heads)
        });
}
