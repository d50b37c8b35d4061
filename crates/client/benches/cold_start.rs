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

use std::path::PathBuf;
use std::sync::LazyLock;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc, Value};
use storeops_api::command::{ListTasks, SetTaskStatus};
use storeops_api::{Handles, TaskStatus};
use storeops_client::{Device, Enrolment, Replica};
use storeops_domain::PERIOD_KEY_PREFIX;
use storeops_storage::{DocumentStore, SqliteStore};
use storeops_sync::{DocMeta, DocumentId, StorageOp};

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
    let mut times: Vec<std::time::Duration> = (0..1000)
        .map(|i| {
            let started = std::time::Instant::now();
            device.handle(set_status(task, i % 2 == 0)).unwrap();
            started.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "command_to_durable over 1,000 commands: p50 {:?}, p90 {:?}, p99 {:?}, max {:?}",
        at(0.5),
        at(0.9),
        at(0.99),
        times[times.len() - 1]
    );
}

struct Prepared {
    dir: PathBuf,
    documents: usize,
    bytes: usize,
}

static PREPARED: LazyLock<Prepared> = LazyLock::new(prepare);

/// Writes the year's documents into a device's SQLite file, as a staff member's
/// phone enrolled in that store would have them, with real document ids.
fn prepare() -> Prepared {
    let year = year_data::cached();
    let dir = std::env::temp_dir().join("storeops-bench-device");
    let _ = std::fs::remove_dir_all(&dir);
    drop(Replica::open(&dir).unwrap());
    let id = |n: u32| {
        let mut b = [0x5a; 16];
        b[..4].copy_from_slice(&n.to_be_bytes());
        DocumentId::from_bytes(b)
    };
    let (root, org, first) = (id(0), id(1), id(2));
    // The root listed the documents under made-up names; give them real ids.
    let mut store = Automerge::load(&year.store).unwrap();
    let mut weeks = Vec::new();
    {
        let mut tx = store.transaction();
        let docs = match tx.get(ROOT, "documents").unwrap() {
            Some((Value::Object(ObjType::Map), docs)) => docs,
            _ => panic!("no documents map"),
        };
        tx.put(&docs, "org", org.to_string()).unwrap();
        tx.put(&docs, "tasks", first.to_string()).unwrap();
        let keys: Vec<String> = tx.keys(&docs).collect();
        for key in keys {
            let Some(rest) = key.strip_prefix(PERIOD_KEY_PREFIX) else {
                continue;
            };
            let (period, _) = rest.split_once(' ').unwrap();
            let week = period.trim_start_matches("tasks/").to_owned();
            let doc = id(3 + weeks.len() as u32);
            tx.delete(&docs, key.as_str()).unwrap();
            tx.put(&docs, format!("{PERIOD_KEY_PREFIX}{period} {doc}"), 1i64)
                .unwrap();
            weeks.push((doc, week));
        }
        tx.commit();
    }
    let meta = |kind: &str| DocMeta {
        scope: "bench".into(),
        kind: kind.into(),
    };
    let mut ops = vec![
        StorageOp::Compact {
            doc: root,
            meta: meta("store"),
            bytes: store.save(),
        },
        StorageOp::Compact {
            doc: org,
            meta: meta("org"),
            bytes: year.org.clone(),
        },
        StorageOp::Compact {
            doc: first,
            meta: meta("tasks"),
            bytes: year.legacy.clone(),
        },
    ];
    for (doc, week) in &weeks {
        ops.push(StorageOp::Compact {
            doc: *doc,
            meta: meta("tasks"),
            bytes: year.weeks[week].clone(),
        });
    }
    let bytes = ops
        .iter()
        .map(|op| match op {
            StorageOp::Compact { bytes, .. } => bytes.len(),
            _ => 0,
        })
        .sum();
    let documents = ops.len();
    SqliteStore::open(&dir.join("storeops.sqlite"))
        .unwrap()
        .apply(&ops)
        .unwrap();
    let mut r = Replica::open(&dir).unwrap();
    r.save_enrolment(
        Enrolment {
            relay_url: "http://127.0.0.1:9".into(),
            device_id: "dev-bench".into(),
            device_name: "Bench phone".into(),
            store_id: "bench".into(),
            store_name: "Bench store".into(),
            root_document_id: root.to_string(),
            role: "staff".into(),
            person: Some("p20".into()),
            relay_ca_pem: None,
        },
        "bench-token",
    )
    .unwrap();
    Prepared {
        dir,
        documents,
        bytes,
    }
}

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
