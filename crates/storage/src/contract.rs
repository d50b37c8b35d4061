//! The [`DocumentStore`] contract as checks every backend's tests run: call
//! [`check`] with a function that opens the backend's one test database anew
//! each time (so that reopening is checked too). A failed check panics with
//! what broke.

#![allow(clippy::unwrap_used)] // checks: a failure panics with what broke

use storeops_sync::{DocMeta, DocumentId, StorageOp};

use crate::DocumentStore;

fn meta(scope: &str) -> DocMeta {
    DocMeta::new(scope, "tasks")
}

fn append(doc: DocumentId, scope: &str, bytes: &[u8]) -> StorageOp {
    StorageOp::Append {
        doc,
        meta: meta(scope),
        bytes: bytes.to_vec(),
    }
}

/// Runs every check on stores that `open` opens over one empty database.
pub fn check(open: &dyn Fn() -> Box<dyn DocumentStore>) {
    never_stored_loads_as_none(open);
    appends_come_back_in_order_and_compaction_replaces_them(open);
    sync_states_are_kept_per_peer_and_only_for_stored_documents(open);
    documents_are_listed_by_scope_with_their_subject(open);
    a_reopened_store_has_everything(open);
}

fn never_stored_loads_as_none(open: &dyn Fn() -> Box<dyn DocumentStore>) {
    let store = open();
    assert!(
        store
            .load(&DocumentId::from_bytes([0; 16]))
            .unwrap()
            .is_none()
    );
    assert!(store.documents_of("nowhere").unwrap().is_empty());
}

fn appends_come_back_in_order_and_compaction_replaces_them(
    open: &dyn Fn() -> Box<dyn DocumentStore>,
) {
    let mut store = open();
    let doc = DocumentId::from_bytes([1; 16]);
    for b in 1..=3u8 {
        store.apply(&[append(doc, "s1", &[b])]).unwrap();
    }
    let loaded = store.load(&doc).unwrap().unwrap();
    assert_eq!(loaded.chunks, vec![vec![1], vec![2], vec![3]]);
    assert_eq!(loaded.meta, meta("s1"));
    store
        .apply(&[
            StorageOp::Compact {
                doc,
                meta: meta("s1"),
                bytes: vec![9],
            },
            append(doc, "s1", &[10]),
        ])
        .unwrap();
    assert_eq!(
        store.load(&doc).unwrap().unwrap().chunks,
        vec![vec![9], vec![10]]
    );
    assert!(
        store.stored_since(&doc).unwrap().is_empty(),
        "nobody else wrote"
    );
}

fn sync_states_are_kept_per_peer_and_only_for_stored_documents(
    open: &dyn Fn() -> Box<dyn DocumentStore>,
) {
    let mut store = open();
    let doc = DocumentId::from_bytes([2; 16]);
    let save = |doc, peer: &str, state: u8| StorageOp::SaveSyncState {
        doc,
        peer_storage_id: peer.into(),
        state: vec![state],
    };
    let unknown = DocumentId::from_bytes([3; 16]);
    store
        .apply(&[
            append(doc, "s2", &[1]),
            save(doc, "p", 1),
            save(doc, "p", 2),
            save(doc, "q", 7),
            save(unknown, "p", 1),
        ])
        .unwrap();
    let mut states = store.load(&doc).unwrap().unwrap().sync_states;
    states.sort();
    assert_eq!(
        states,
        vec![("p".to_string(), vec![2]), ("q".to_string(), vec![7])]
    );
    assert!(store.load(&unknown).unwrap().is_none());
}

fn scores_of(person: &str) -> DocMeta {
    DocMeta {
        subject: Some(person.into()),
        ..DocMeta::new("s4", "scores")
    }
}

fn documents_are_listed_by_scope_with_their_subject(open: &dyn Fn() -> Box<dyn DocumentStore>) {
    let mut store = open();
    let scores = DocumentId::from_bytes([4; 16]);
    let org = DocumentId::from_bytes([5; 16]);
    store
        .apply(&[
            StorageOp::Compact {
                doc: scores,
                meta: scores_of("person-1"),
                bytes: vec![1],
            },
            StorageOp::Compact {
                doc: org,
                meta: DocMeta::new("s4", "org"),
                bytes: vec![2],
            },
            append(DocumentId::from_bytes([6; 16]), "s5", &[3]),
        ])
        .unwrap();
    let listed = store.documents_of("s4").unwrap();
    assert_eq!(
        listed,
        vec![
            (org, DocMeta::new("s4", "org")),
            (scores, scores_of("person-1")),
        ]
    );
}

fn a_reopened_store_has_everything(open: &dyn Fn() -> Box<dyn DocumentStore>) {
    let doc = DocumentId::from_bytes([7; 16]);
    {
        let mut store = open();
        store.apply(&[append(doc, "s7", &[7])]).unwrap();
    }
    let store = open();
    assert_eq!(store.load(&doc).unwrap().unwrap().chunks, vec![vec![7]]);
    assert_eq!(store.documents_of("s7").unwrap().len(), 1);
}
