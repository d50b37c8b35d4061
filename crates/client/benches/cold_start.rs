//! The device's cold start and its commands on a year of a 50-staff store: the
//! replica opened from its SQLite file up to the Today list, and a command's time
//! until it is durable. See `docs/benchmarks.md`.
//!
//! `cargo bench -p storeops-client --bench cold_start` (builds the year once, shared
//! with the domain's benchmark, in the temp directory).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_debug_implementations
)]

#[path = "../../domain/benches/year_data.rs"]
mod year_data;
#[path = "support/year_device.rs"]
mod year_device;

use std::sync::LazyLock;

use storeops_api::command::{ListTasks, SearchTasks, SetTaskStatus};
use storeops_api::{Handles, TaskStatus};
use storeops_client::{Device, Replica};

fn main() {
    let p = &*PREPARED;
    println!(
        "== device replica with a year of a 50-staff store: {} documents, {:.0} KB in {} ==",
        p.documents,
        p.bytes as f64 / 1024.0,
        p.dir.display()
    );
    divan::main();
    percentiles();
}

/// Divan reports the median and the extremes; the target is on the 99th percentile,
/// so 1,000 more commands are timed one by one.
fn percentiles() {
    let (device, task) = &*DEVICE;
    let times: Vec<std::time::Duration> = (0..1000)
        .map(|i| {
            let started = std::time::Instant::now();
            device.handle(set_status(task, i % 2 == 0)).unwrap();
            started.elapsed()
        })
        .collect();
    report("command_to_durable over 1,000 commands", times);
    // Searches by a word, by a status and by lateness, over every tasks document
    // the device keeps.
    let words = ["count", "aisle", "shelf", "report", "zzz-nothing"];
    let times: Vec<std::time::Duration> = (0..500)
        .map(|i| {
            let query = SearchTasks {
                status: (i % 3 == 1).then_some(TaskStatus::Todo),
                overdue: i % 3 == 2,
                ..SearchTasks::words(words[i % words.len()])
            };
            let started = std::time::Instant::now();
            let found = device.handle(query).unwrap();
            let took = started.elapsed();
            std::hint::black_box(found);
            took
        })
        .collect();
    println!(
        "search: over the tasks of the {} tasks documents the device keeps",
        device.replica().task_documents().len()
    );
    report("search_tasks over 500 searches", times);
}

fn report(what: &str, mut times: Vec<std::time::Duration>) {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "{what}: p50 {:?}, p90 {:?}, p99 {:?}, max {:?}",
        at(0.5),
        at(0.9),
        at(0.99),
        times[times.len() - 1]
    );
}

/// A search by one word over what the device keeps.
#[divan::bench(sample_count = 50)]
fn search_by_a_word() -> usize {
    let (device, _) = &*DEVICE;
    device.handle(SearchTasks::words("count")).unwrap().len()
}

static PREPARED: LazyLock<year_device::Prepared> =
    LazyLock::new(|| year_device::prepare(&std::env::temp_dir().join("storeops-bench-device")));

/// Cold start: open the replica from its file (loading the documents a device
/// keeps) and compute the Today list of the staff member it belongs to.
#[divan::bench(sample_count = 10)]
fn cold_start_to_today_list() -> usize {
    let r = Replica::open(&PREPARED.dir).unwrap();
    r.tasks().unwrap().len()
}

static DEVICE: LazyLock<(Device, String)> = LazyLock::new(|| {
    let d = Device::open(&PREPARED.dir).unwrap();
    let task = d
        .handle(ListTasks {})
        .unwrap()
        .into_iter()
        .find(|t| t.status != TaskStatus::Cancelled)
        .unwrap()
        .id;
    (d, task)
});

/// A status change on one of the staff member's tasks, until it is durable
/// (committed to SQLite with `synchronous=FULL`) and read back for the screen.
#[divan::bench(sample_count = 200)]
fn command_to_durable(bencher: divan::Bencher) {
    let (device, task) = &*DEVICE;
    let mut done = false;
    bencher.bench_local(|| {
        done = !done;
        device.handle(set_status(task, done)).unwrap()
    });
}

/// The command that marks `task` done, or back in progress.
fn set_status(task: &str, done: bool) -> SetTaskStatus {
    SetTaskStatus {
        task_id: task.to_owned(),
        status: if done {
            TaskStatus::Done
        } else {
            TaskStatus::InProgress
        },
    }
}
