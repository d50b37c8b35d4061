//! A relay engine with a stored document receives a handshake, then arbitrary
//! frames (split from the input on 0xFF 0xFE): it never panics, and a connection
//! that may not write never changes what is stored.
#![no_main]

use automerge::transaction::Transactable;
use libfuzzer_sys::fuzz_target;
use storeops_sync::protocol::{Message, PeerMetadata};
use storeops_sync::{
    Access, Config, ConnId, DocMeta, DocumentId, Engine, Output, PeerId, Role, StorageOp,
    StoredDoc,
};

fn stored() -> StoredDoc {
    let mut am = automerge::Automerge::new();
    am.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(automerge::ROOT, "title", "x"))
        .expect("put");
    StoredDoc {
        meta: DocMeta::new("s1", "org"),
        chunks: vec![am.save()],
        sync_states: vec![],
    }
}

fuzz_target!(|data: &[u8]| {
    let mut relay = Engine::new(PeerId::new("relay"), Some("r".into()), Role::Relay, Config::default());
    let conn = ConnId(1);
    // Staff of store s1: may read the org document, never write it.
    relay.connected(conn, Access::scoped("s1", vec!["tasks".into()]));
    let join = Message::Join {
        sender_id: PeerId::new("fuzzer"),
        supported_protocol_versions: vec!["1".into()],
        metadata: PeerMetadata::default(),
    };
    relay.received(conn, &join.encode(), 0);
    let doc = DocumentId::from_bytes([7; 16]);
    for frame in data.split(|b| *b == 0xFF) {
        // Frames starting with 0xFE become sync messages for the stored document.
        let frame = match frame.split_first() {
            Some((0xFE, rest)) => Message::Sync {
                sender_id: PeerId::new("fuzzer"),
                target_id: PeerId::new("relay"),
                document_id: doc,
                data: rest.to_vec(),
            }
            .encode(),
            _ => frame.to_vec(),
        };
        relay.received(conn, &frame, 0);
        while let Some(out) = relay.poll_output() {
            match out {
                Output::Load { doc: d, .. } => relay.loaded(d, (d == doc).then(stored), 0),
                Output::Store(StorageOp::Append { .. } | StorageOp::Compact { .. }) => {
                    panic!("a staff connection changed the org document")
                }
                _ => {}
            }
        }
    }
});
