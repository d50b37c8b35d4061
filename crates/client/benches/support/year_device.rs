//! A staff member's device holding a year of a 50-staff store (the domain benchmark's
//! year, `year_data.rs`), written into its SQLite file under real document ids with
//! the enrolment of person `p20`'s phone. Shared by the device's benchmark and the
//! shells' (`tests/benches/shells.rs`), which include this file by path.

use std::path::{Path, PathBuf};

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc, Value};
use storeops_client::{Enrolment, Replica};
use storeops_domain::PERIOD_KEY_PREFIX;
use storeops_storage::{DocumentStore, SqliteStore};
use storeops_sync::{DocMeta, DocumentId, StorageOp};

/// A device's data directory with the year in it.
pub struct Prepared {
    pub dir: PathBuf,
    pub documents: usize,
    pub bytes: usize,
}

/// Writes the year's documents into a device's SQLite file, as a staff member's
/// phone enrolled in that store would have them, with real document ids.
pub fn prepare(dir: &Path) -> Prepared {
    let year = crate::year_data::cached();
    let dir = dir.to_owned();
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
    let meta = |kind: &str| DocMeta::new("bench", kind);
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
