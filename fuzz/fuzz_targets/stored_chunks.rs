//! Corrupt stored bytes — automerge chunks and SQLite rows — are reported, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storeops_storage::{DocumentStore, SqliteStore};
use storeops_sync::{
    Access, Config, ConnId, DocMeta, DocumentId, Engine, Output, PeerId, Role, StoredDoc,
};

fuzz_target!(|data: &[u8]| {
    let doc = DocumentId::from_bytes([3; 16]);
    let meta = DocMeta::new("s", "tasks");
    // Through SQLite: the bytes as a chunk row, read back by the storage layer.
    let store = SqliteStore::open_in_memory().expect("in-memory database");
    store
        .connection()
        .execute(
            "INSERT INTO documents (id, scope, kind) VALUES (?1, 's', 'tasks')",
            [doc.as_bytes().as_slice()],
        )
        .expect("insert document");
    for chunk in data.split(|b| *b == 0xFF).take(8) {
        store
            .connection()
            .execute(
                "INSERT INTO chunks (doc, bytes) VALUES (?1, ?2)",
                (doc.as_bytes().as_slice(), chunk),
            )
            .expect("insert chunk");
    }
    let loaded = store.load(&doc).expect("rows read").expect("document present");
    let mut engine = Engine::new(PeerId::new("c"), None, Role::Client, Config::default());
    engine.connected(ConnId(1), Access::full());
    engine.open(doc, 0);
    while let Some(out) = engine.poll_output() {
        if let Output::Load { doc, .. } = out {
            engine.loaded(
                doc,
                Some(StoredDoc {
                    meta: meta.clone(),
                    chunks: loaded.chunks.clone(),
                    sync_states: vec![("p".into(), data.to_vec())],
                }),
                0,
            );
        }
    }
    // If it loaded, the domain reads it without panicking.
    if let Some(am) = engine.document(&doc) {
        let _ = storeops_domain::read_tasks(am);
        let _ = storeops_domain::read_org(am);
        let _ = storeops_domain::read_store(am);
    }
});
