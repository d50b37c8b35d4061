//! A simulated device without IO: the protocol (`join`, `request`/`sync`) and the
//! automerge sync API over its copies of the store's documents.
//!
//! A real device is the `storeops-sync` engine plus storage; this one keeps only
//! what a benchmark needs — documents in memory and one sync state per document —
//! so a thousand of them fit in one process. Like a real device it keeps its
//! documents and its sync states (encoded, as a device persists them) across
//! reconnects.

use automerge::transaction::Transactable;
use automerge::{Automerge, ChangeHash, ROOT, ReadDoc, ScalarValue, sync, sync::SyncDoc};
use storeops_sync::protocol::{Message, PROTOCOL_VERSION, PeerMetadata};
use storeops_sync::{DocumentId, PeerId};

/// One of the device's documents.
struct Doc {
    id: DocumentId,
    am: Automerge,
    /// The sync state with the relay of the current connection.
    state: sync::State,
    /// Whether this connection has said anything about the document yet.
    announced: bool,
    /// The relay has every change we have, and we have every change it has.
    synced: bool,
}

/// What a received frame led to.
#[derive(Debug, Default)]
pub struct Received {
    /// Frames to send back, in order.
    pub replies: Vec<Vec<u8>>,
    /// Changes from other devices that this frame made visible here.
    pub new_changes: Vec<ChangeHash>,
    /// Documents that became synced with the relay by this frame.
    pub newly_synced: usize,
    /// The relay now has the last edit this device made.
    pub edit_acknowledged: bool,
    /// The relay said it does not have a document.
    pub unavailable: bool,
}

/// Why a session with the relay failed.
#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    #[error("the relay sent a frame that is not a protocol message: {0}")]
    Decode(#[from] storeops_sync::protocol::DecodeError),
    #[error("the relay sent a sync message automerge refused: {0}")]
    Sync(#[from] automerge::AutomergeError),
    #[error("the relay sent a sync message that does not decode: {0}")]
    SyncDecode(#[from] automerge::sync::ReadMessageError),
    #[error("the relay reported an error: {0}")]
    Relay(String),
    #[error("the relay chose protocol version {0:?}; we speak \"1\"")]
    Version(String),
}

/// A simulated device. See the module docs.
pub struct Device {
    me: PeerId,
    storage_id: String,
    relay: Option<PeerId>,
    docs: Vec<Doc>,
    /// Index of the document edits go to.
    edit_doc: usize,
    /// Keys of the tasks an edit may change (from the tasks document's `tasks` map).
    tasks: Vec<String>,
    edits: u64,
    pending_edit: Option<ChangeHash>,
}

impl std::fmt::Debug for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Device")
            .field("me", &self.me)
            .field("docs", &self.docs.len())
            .finish_non_exhaustive()
    }
}

const STATUSES: [&str; 3] = ["in_progress", "done", "todo"];

/// The status after a task's current one, so that every edit changes something
/// (automerge records no change for a put of the value already there).
pub(crate) fn next_status(am: &Automerge, task: &automerge::ObjId) -> &'static str {
    let current = match am.get(task, "status") {
        Ok(Some((automerge::Value::Scalar(v), _))) => v.as_str().map(str::to_owned),
        _ => None,
    };
    let at = STATUSES
        .iter()
        .position(|s| Some(*s) == current.as_deref())
        .map_or(0, |i| i + 1);
    STATUSES[at % STATUSES.len()]
}

impl Device {
    /// A device that opens `docs` (it may already hold some of them, e.g. the
    /// device that creates a store's documents on a relay without our CLI);
    /// edits go to `docs[edit_doc]`.
    pub fn new(me: PeerId, docs: Vec<(DocumentId, Automerge)>, edit_doc: usize) -> Self {
        let storage_id = format!("{me}-storage");
        let docs = docs
            .into_iter()
            .map(|(id, am)| Doc {
                id,
                am,
                state: sync::State::new(),
                announced: false,
                synced: false,
            })
            .collect();
        let mut d = Self {
            me,
            storage_id,
            relay: None,
            docs,
            edit_doc,
            tasks: Vec::new(),
            edits: 0,
            pending_edit: None,
        };
        d.refresh_tasks();
        d
    }

    pub fn peer_id(&self) -> &PeerId {
        &self.me
    }

    /// True once the relay answered `join` on this connection.
    pub fn is_joined(&self) -> bool {
        self.relay.is_some()
    }

    /// Number of documents this device opens.
    pub fn documents(&self) -> usize {
        self.docs.len()
    }

    /// True when every document is in sync with the relay.
    pub fn all_synced(&self) -> bool {
        self.docs.iter().all(|d| d.synced)
    }

    /// Drops the documents' contents (an idle connection keeps only its socket).
    pub fn forget_documents(&mut self) {
        self.docs.clear();
    }

    /// A new connection: the `join` frame to send first. Sync states restart from
    /// what a device persists (the shared heads).
    pub fn connect(&mut self) -> Vec<u8> {
        self.relay = None;
        self.pending_edit = None;
        for d in &mut self.docs {
            d.state = sync::State::decode(&d.state.encode()).unwrap_or_default();
            d.announced = false;
            d.synced = false;
        }
        Message::Join {
            sender_id: self.me.clone(),
            supported_protocol_versions: vec![PROTOCOL_VERSION.into()],
            metadata: PeerMetadata {
                storage_id: Some(self.storage_id.clone()),
                is_ephemeral: false,
            },
        }
        .encode()
    }

    /// Handles one frame from the relay.
    pub fn receive(&mut self, frame: &[u8]) -> Result<Received, DeviceError> {
        self.receive_all(&[frame])
    }

    /// Handles frames that arrived together, as a device under load does: the
    /// sync messages for one document are received as one — every change
    /// applied in one go, with the heads, needs and haves of the last message
    /// (each message supersedes the ones before it) — and answered once.
    pub fn receive_all<F: AsRef<[u8]>>(&mut self, frames: &[F]) -> Result<Received, DeviceError> {
        let mut out = Received::default();
        let mut arrived: Vec<(usize, Vec<sync::Message>)> = Vec::new();
        for frame in frames {
            match Message::decode(frame.as_ref())? {
                Message::Peer {
                    sender_id,
                    selected_protocol_version,
                    ..
                } => {
                    if selected_protocol_version != PROTOCOL_VERSION {
                        return Err(DeviceError::Version(selected_protocol_version));
                    }
                    self.relay = Some(sender_id);
                    for i in 0..self.docs.len() {
                        // Back with nothing new since the last exchange: in sync
                        // unless the relay says otherwise (it answers only when it
                        // has news).
                        let d = &mut self.docs[i];
                        let heads = d.am.get_heads();
                        d.synced = !heads.is_empty() && d.state.shared_heads == heads;
                        self.announce(i, &mut out);
                    }
                }
                Message::Sync {
                    document_id, data, ..
                }
                | Message::Request {
                    document_id, data, ..
                } => {
                    if let Some(i) = self.docs.iter().position(|d| d.id == document_id) {
                        let msg = sync::Message::decode(&data)?;
                        match arrived.iter_mut().find(|(d, _)| *d == i) {
                            Some((_, msgs)) => msgs.push(msg),
                            None => arrived.push((i, vec![msg])),
                        }
                    }
                }
                Message::DocUnavailable { .. } => out.unavailable = true,
                Message::Error { message, .. } => return Err(DeviceError::Relay(message)),
                Message::Join { .. }
                | Message::Leave { .. }
                | Message::Ephemeral { .. }
                | Message::Ignored { .. } => {}
            }
        }
        for (i, msgs) in arrived {
            if let Some(msg) = merge(msgs) {
                self.on_sync(i, msg, &mut out)?;
            }
        }
        Ok(out)
    }

    /// Makes one task edit (a status change, as the app makes it) and returns its
    /// hash and the frame that sends it; `None` before the session is ready.
    pub fn edit(&mut self, now_ms: i64) -> Option<(ChangeHash, Vec<u8>)> {
        self.relay.as_ref()?;
        if self.tasks.is_empty() {
            self.refresh_tasks();
        }
        let n = self.edits;
        self.edits += 1;
        let task = self
            .tasks
            .get((n as usize * 7919) % self.tasks.len().max(1))?
            .clone();
        let doc = self.docs.get_mut(self.edit_doc)?;
        let tasks = match doc.am.get(ROOT, "tasks") {
            Ok(Some((_, id))) => id,
            _ => return None,
        };
        let task_obj = match doc.am.get(&tasks, task.as_str()) {
            Ok(Some((_, id))) => id,
            _ => return None,
        };
        let status = next_status(&doc.am, &task_obj);
        let mut tx = doc.am.transaction();
        let done = status == "done";
        let ok = tx.put(&task_obj, "status", status).is_ok()
            && tx
                .put(
                    &task_obj,
                    "completed_at",
                    if done {
                        ScalarValue::Int(now_ms)
                    } else {
                        ScalarValue::Null
                    },
                )
                .is_ok()
            && tx
                .put(
                    &task_obj,
                    "completed_by",
                    if done {
                        ScalarValue::Str(self.me.as_str().into())
                    } else {
                        ScalarValue::Null
                    },
                )
                .is_ok();
        if !ok {
            tx.rollback();
            return None;
        }
        let (hash, _) = tx.commit_with(
            automerge::transaction::CommitOptions::default()
                .with_message(format!("{} set \"{task}\" to {status}", self.me))
                .with_time(now_ms),
        );
        let hash = hash?;
        self.pending_edit = Some(hash);
        let frame = self.sync_frame(self.edit_doc, false)?;
        Some((hash, frame))
    }

    /// A write no Storeops command makes (a task's title set to a number), as
    /// a device whose token was lifted sends it; `None` before the session is
    /// ready. The relay refuses it and closes the connection.
    pub fn forge(&mut self) -> Option<Vec<u8>> {
        self.relay.as_ref()?;
        if self.tasks.is_empty() {
            self.refresh_tasks();
        }
        let task = self.tasks.first()?.clone();
        let doc = self.docs.get_mut(self.edit_doc)?;
        let (_, tasks) = doc.am.get(ROOT, "tasks").ok()??;
        let (_, task_obj) = doc.am.get(&tasks, task.as_str()).ok()??;
        let mut tx = doc.am.transaction();
        tx.put(&task_obj, "title", 42).ok()?;
        tx.commit_with(
            automerge::transaction::CommitOptions::default()
                .with_message(format!("{} renamed \"{task}\"", self.me)),
        );
        self.sync_frame(self.edit_doc, false)
    }

    /// A valid sync message for the edit document, as from a sync state that
    /// starts afresh (heads, needs and a bloom filter of everything): what a
    /// client flooding the relay with messages it must read and answer sends
    /// over and over. `None` before the session is ready.
    pub fn fresh_sync(&self) -> Option<Vec<u8>> {
        let relay = self.relay.clone()?;
        let doc = self.docs.get(self.edit_doc)?;
        let data = doc
            .am
            .generate_sync_message(&mut sync::State::new())?
            .encode();
        Some(
            Message::Sync {
                sender_id: self.me.clone(),
                target_id: relay,
                document_id: doc.id,
                data,
            }
            .encode(),
        )
    }

    /// Each document's id and heads, in the order the device opens them.
    pub fn heads(&self) -> Vec<(DocumentId, Vec<ChangeHash>)> {
        self.docs.iter().map(|d| (d.id, d.am.get_heads())).collect()
    }

    /// True while the last edit is not yet acknowledged by the relay.
    pub fn edit_in_flight(&self) -> bool {
        self.pending_edit.is_some()
    }

    fn refresh_tasks(&mut self) {
        let Some(doc) = self.docs.get(self.edit_doc) else {
            return;
        };
        if let Ok(Some((_, tasks))) = doc.am.get(ROOT, "tasks") {
            self.tasks = doc.am.keys(&tasks).collect();
        }
    }

    /// Opens document `i` on this connection: `request` when we have nothing of
    /// it, `sync` otherwise.
    fn announce(&mut self, i: usize, out: &mut Received) {
        let request = self.docs[i].am.get_heads().is_empty();
        self.docs[i].announced = true;
        if let Some(frame) = self.sync_frame(i, request) {
            out.replies.push(frame);
        }
    }

    fn on_sync(
        &mut self,
        i: usize,
        msg: sync::Message,
        out: &mut Received,
    ) -> Result<(), DeviceError> {
        let doc = &mut self.docs[i];
        let before = doc.am.get_heads();
        // The engine's receive, as our app's devices run it (automerge's own
        // walks the whole history on every message).
        storeops_sync::receive_sync_message(&mut doc.am, &mut doc.state, msg)?;
        let heads = doc.am.get_heads();
        if heads != before {
            out.new_changes
                .extend(doc.am.get_changes_meta(&before).iter().map(|c| c.hash));
        }
        let theirs = doc.state.their_heads.clone().unwrap_or_default();
        let in_sync = !heads.is_empty() && theirs == heads;
        if in_sync && !doc.synced {
            doc.synced = true;
            out.newly_synced += 1;
        }
        if crate::tracing_enabled() {
            eprintln!(
                "{:?} {} doc{} heads={:?} theirs={:?} pending={:?} new={} synced={}",
                std::time::SystemTime::now(),
                self.me,
                i,
                heads
                    .iter()
                    .map(|h| h.to_string()[..6].to_owned())
                    .collect::<Vec<_>>(),
                theirs
                    .iter()
                    .map(|h| h.to_string()[..6].to_owned())
                    .collect::<Vec<_>>(),
                self.pending_edit.map(|h| h.to_string()[..6].to_owned()),
                out.new_changes.len(),
                doc.synced
            );
        }
        if i == self.edit_doc
            && let Some(pending) = self.pending_edit
            && (in_sync || relay_has(&doc.am, &theirs, &pending))
        {
            self.pending_edit = None;
            out.edit_acknowledged = true;
        }
        if i == self.edit_doc && self.tasks.is_empty() {
            self.refresh_tasks();
        }
        if let Some(frame) = self.sync_frame(i, false) {
            out.replies.push(frame);
        }
        Ok(())
    }

    fn sync_frame(&mut self, i: usize, request: bool) -> Option<Vec<u8>> {
        let relay = self.relay.clone()?;
        let doc = &mut self.docs[i];
        if !doc.announced {
            return None;
        }
        let data = doc.am.generate_sync_message(&mut doc.state)?.encode();
        let (sender_id, target_id, document_id) = (self.me.clone(), relay, doc.id);
        let m = if request {
            Message::Request {
                sender_id,
                target_id,
                document_id,
                data,
            }
        } else {
            Message::Sync {
                sender_id,
                target_id,
                document_id,
                data,
            }
        };
        Some(m.encode())
    }
}

/// One sync message with the changes of `msgs`, in order, and the rest of the
/// last one.
fn merge(mut msgs: Vec<sync::Message>) -> Option<sync::Message> {
    let last = msgs.pop()?;
    if msgs.is_empty() {
        return Some(last);
    }
    let changes: Vec<Vec<u8>> = msgs
        .iter()
        .chain(std::iter::once(&last))
        .flat_map(|m| m.changes.iter().map(<[u8]>::to_vec))
        .collect();
    Some(sync::Message {
        changes: changes.into(),
        ..last
    })
}

/// Whether a peer whose heads are `theirs` has change `hash` (one we have):
/// every one of their heads is known here and `hash` is not among the changes
/// they lack.
fn relay_has(am: &Automerge, theirs: &[ChangeHash], hash: &ChangeHash) -> bool {
    if theirs.contains(hash) {
        return true;
    }
    if theirs.is_empty()
        || theirs
            .iter()
            .any(|h| am.get_change_meta_by_hash(h).is_none())
    {
        return false;
    }
    !am.get_changes_meta(theirs).iter().any(|c| c.hash == *hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tasks_doc() -> Automerge {
        let mut am = Automerge::new();
        let mut tx = am.transaction();
        let tasks = tx
            .put_object(ROOT, "tasks", automerge::ObjType::Map)
            .expect("tasks map");
        for i in 0..3 {
            let t = tx
                .put_object(&tasks, format!("task-{i}"), automerge::ObjType::Map)
                .expect("task");
            tx.put(&t, "status", "todo").expect("status");
        }
        tx.commit();
        am
    }

    /// Answers a device as a relay would, with a plain automerge peer.
    fn relay_answer(relay: &mut Automerge, state: &mut sync::State, frame: &[u8]) -> Vec<u8> {
        let (document_id, data) = match Message::decode(frame).expect("frame") {
            Message::Sync {
                document_id, data, ..
            }
            | Message::Request {
                document_id, data, ..
            } => (document_id, data),
            other => panic!("unexpected {other:?}"),
        };
        relay
            .receive_sync_message(state, sync::Message::decode(&data).expect("sync"))
            .expect("apply");
        let data = relay.generate_sync_message(state).expect("answer").encode();
        Message::Sync {
            sender_id: PeerId::new("relay"),
            target_id: PeerId::new("d"),
            document_id,
            data,
        }
        .encode()
    }

    /// A device with a copy of a tasks document, connected to a relay holding
    /// it and synced; also how many documents the device counted as synced.
    fn synced_with_relay() -> (Device, Automerge, sync::State, DocumentId, usize) {
        let id = DocumentId::from_bytes([7; 16]);
        let mut relay = tasks_doc();
        let mut relay_state = sync::State::new();
        let mut device = Device::new(PeerId::new("d"), vec![(id, relay.fork())], 0);
        device.connect();
        let peer = Message::Peer {
            sender_id: PeerId::new("relay"),
            target_id: PeerId::new("d"),
            selected_protocol_version: "1".into(),
            metadata: PeerMetadata::default(),
        };
        let mut frames = device.receive(&peer.encode()).expect("peer").replies;
        let mut synced = 0;
        while let Some(f) = frames.pop() {
            let answer = relay_answer(&mut relay, &mut relay_state, &f);
            let r = device.receive(&answer).expect("sync");
            synced += r.newly_synced;
            frames.extend(r.replies);
        }
        (device, relay, relay_state, id, synced)
    }

    #[test]
    fn a_device_edits_and_learns_the_relay_has_its_edit() {
        let (mut device, mut relay, mut relay_state, _, synced) = synced_with_relay();
        assert_eq!(synced, 1);
        assert!(device.all_synced());
        let (hash, frame) = device.edit(1).expect("an edit");
        assert!(device.edit_in_flight());
        let answer = relay_answer(&mut relay, &mut relay_state, &frame);
        let r = device.receive(&answer).expect("ack");
        assert!(r.edit_acknowledged);
        assert!(relay.get_change_by_hash(&hash).is_some());
        assert!(!device.edit_in_flight());
    }

    /// Two messages that arrived together are received as one: both changes
    /// are applied and seen, one answer goes back, and the relay and the
    /// device end in sync.
    #[test]
    fn frames_that_arrived_together_are_answered_once() {
        let (mut device, mut relay, mut relay_state, id, _) = synced_with_relay();
        assert!(device.all_synced());
        let mut together = Vec::new();
        let mut made = Vec::new();
        for value in ["in_progress", "done"] {
            let mut tx = relay.transaction();
            let tasks = tx.get(ROOT, "tasks").expect("get").expect("tasks").1;
            let task = tx.get(&tasks, "task-0").expect("get").expect("task").1;
            tx.put(&task, "status", value).expect("status");
            made.push(tx.commit().0.expect("a change"));
            // Sent before the device answered the first: automerge sends
            // again once its heads move.
            let data = relay
                .generate_sync_message(&mut relay_state)
                .expect("message")
                .encode();
            together.push(
                Message::Sync {
                    sender_id: PeerId::new("relay"),
                    target_id: PeerId::new("d"),
                    document_id: id,
                    data,
                }
                .encode(),
            );
        }
        let r = device.receive_all(&together).expect("both");
        let mut seen = r.new_changes.clone();
        seen.sort();
        made.sort();
        assert_eq!(seen, made);
        assert_eq!(r.replies.len(), 1);
        let Message::Sync { data, .. } = Message::decode(&r.replies[0]).expect("frame") else {
            panic!("a sync answer");
        };
        relay
            .receive_sync_message(
                &mut relay_state,
                sync::Message::decode(&data).expect("sync"),
            )
            .expect("apply");
        assert_eq!(device.docs[0].am.get_heads(), relay.get_heads());
        assert_eq!(relay_state.their_heads, Some(relay.get_heads()));
    }
}
