//! The sync engine: one per process (the relay, an app instance).
//!
//! The shell feeds it what happened — a connection opened, a frame arrived, a
//! document was read from storage, time passed — and drains [`Output`]s, executing
//! them **in order**: a [`StorageOp`] always comes before the frames that tell a
//! peer about the data it stores, so a peer never sees acknowledged what is not
//! durable.
//!
//! **Batches.** Inputs only apply changes and remember what must follow: which
//! documents changed and which (document, peer) pairs owe a sync message. Nothing
//! of that is produced until [`Engine::flush`], which emits, in this order, every
//! [`Output::Store`] of the batch (one per changed document, covering all its
//! changes, plus the sync states saved on disconnects), one
//! [`Output::DocChanged`] per changed document, and then one sync message per
//! pending (document, peer) pair. A shell that commits the run of `Store`s in one
//! transaction before performing the `Send`s after it therefore never lets a peer
//! see a change acknowledged (or forwarded) before it is durable, and pays one
//! commit and one sync message per peer per batch instead of one per input.
//! [`Engine::poll_output`] and [`Engine::drain_outputs`] flush by themselves when
//! nothing else is queued, so a shell that drains after every input gets a batch
//! of one. Handshake answers, errors, `doc-unavailable` and closes do not depend
//! on document data and are queued at once.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::Arc;

use automerge::{Automerge, ChangeHash, sync};

use crate::ids::{ConnId, DocumentId, PeerId};
use crate::packed_state::PackedState;
use crate::protocol::{Message, PROTOCOL_VERSION, PeerMetadata};
use crate::sync_steps::{SendCache, generate_sync_message, receive_sync_message};

/// Milliseconds since the Unix epoch, supplied by the shell.
pub type Millis = u64;

/// Which side of the protocol this engine plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Waits for `join`, answers `peer`; serves documents it stores, never asks for any.
    Relay,
    /// Sends `join`; syncs every open document with every connected relay.
    Client,
}

/// What a document is, for access control: which store (scope) it belongs to,
/// its kind (e.g. `org`, `tasks`) and, for a document about one person or
/// department (assessment scores), that subject. Stored with the document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocMeta {
    pub scope: String,
    pub kind: String,
    /// Whom the document is about, when only some may read it: a device
    /// connection reads it only if the [`Validator`] says so
    /// ([`Validator::may_read`]).
    pub subject: Option<String>,
}

impl DocMeta {
    /// A document of `kind` in `scope`, about no one in particular.
    pub fn new(scope: impl Into<String>, kind: impl Into<String>) -> Self {
        Self {
            scope: scope.into(),
            kind: kind.into(),
            subject: None,
        }
    }
}

/// What one connection may see and change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// `None`: every scope.
    scope: Option<String>,
    /// `None`: every kind. Shared: a relay gives thousands of connections the
    /// same few lists.
    writable_kinds: Option<Arc<[String]>>,
    /// Who writes through the connection, for the [`Validator`].
    principal: Option<Arc<Principal>>,
    /// Kinds of `scope` this connection may not read (e.g. what only managers
    /// see): asked for, they are `doc-unavailable`.
    hidden_kinds: Option<Arc<[String]>>,
}

/// Who holds a connection, as the shell authenticated it: what a [`Validator`]
/// checks a write against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The device (its registry id).
    pub device: String,
    /// The device's display name.
    pub name: String,
    /// The role it was enrolled with (the domain's spelling).
    pub role: String,
    /// The person it is linked to, if any.
    pub person: Option<String>,
}

impl Access {
    /// Reads and writes everything (an app talking to its own relay).
    pub fn full() -> Self {
        Self {
            scope: None,
            writable_kinds: None,
            principal: None,
            hidden_kinds: None,
        }
    }

    /// Reads every document of `scope`; writes only those of the given kinds.
    pub fn scoped(scope: impl Into<String>, writable_kinds: impl Into<Arc<[String]>>) -> Self {
        Self {
            scope: Some(scope.into()),
            writable_kinds: Some(writable_kinds.into()),
            principal: None,
            hidden_kinds: None,
        }
    }

    /// The same access, without reading documents of these kinds.
    pub fn hiding(mut self, kinds: impl Into<Arc<[String]>>) -> Self {
        self.hidden_kinds = Some(kinds.into());
        self
    }

    /// The same access, writing as `principal`.
    pub fn as_principal(mut self, principal: Principal) -> Self {
        self.principal = Some(Arc::new(principal));
        self
    }

    pub fn principal(&self) -> Option<&Principal> {
        self.principal.as_deref()
    }

    pub fn can_read(&self, meta: &DocMeta) -> bool {
        self.scope.as_ref().is_none_or(|s| *s == meta.scope)
            && self
                .hidden_kinds
                .as_ref()
                .is_none_or(|kinds| !kinds.contains(&meta.kind))
    }

    pub fn can_write(&self, meta: &DocMeta) -> bool {
        self.can_read(meta)
            && self
                .writable_kinds
                .as_ref()
                .is_none_or(|kinds| kinds.contains(&meta.kind))
    }
}

/// A document as storage holds it.
#[derive(Debug, Clone, Default)]
pub struct StoredDoc {
    pub meta: DocMeta,
    /// Saved chunks in the order written: a full save and/or incremental ones.
    pub chunks: Vec<Vec<u8>>,
    /// Persisted sync states, by the peer's storage id.
    pub sync_states: Vec<(String, Vec<u8>)>,
}

/// A write the shell must make durable before sending anything that follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageOp {
    /// Append an incremental chunk (creating the document's record if new).
    Append {
        doc: DocumentId,
        meta: DocMeta,
        bytes: Vec<u8>,
    },
    /// Replace every chunk of the document with this full save, atomically.
    Compact {
        doc: DocumentId,
        meta: DocMeta,
        bytes: Vec<u8>,
    },
    /// Remember how far we are in sync with the peer that has this storage id.
    SaveSyncState {
        doc: DocumentId,
        peer_storage_id: String,
        state: Vec<u8>,
    },
}

/// Why the engine refused a peer's input (for logs and metrics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rejection {
    Malformed,
    Handshake,
    UnsupportedVersion,
    CorruptSyncMessage,
    WriteForbidden,
    TooManyDocuments,
    /// A change, or the document it would make, is over a size limit.
    TooLarge,
    /// The [`Validator`] refused a change.
    InvalidChange,
}

impl Rejection {
    pub fn as_str(self) -> &'static str {
        match self {
            Rejection::Malformed => "malformed",
            Rejection::Handshake => "handshake",
            Rejection::UnsupportedVersion => "unsupported_version",
            Rejection::CorruptSyncMessage => "corrupt_sync_message",
            Rejection::WriteForbidden => "write_forbidden",
            Rejection::TooManyDocuments => "too_many_documents",
            Rejection::TooLarge => "too_large",
            Rejection::InvalidChange => "invalid_change",
        }
    }
}

/// What the shell must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Send {
        conn: ConnId,
        frame: Vec<u8>,
    },
    /// Close the connection (after sending what came before).
    Close {
        conn: ConnId,
        reason: String,
    },
    /// Read the document from storage, then call [`Engine::loaded`]. `requester`
    /// is the connection whose message needs it (none when a client opens it),
    /// so a relay can decide about documents its storage does not know yet.
    Load {
        doc: DocumentId,
        requester: Option<ConnId>,
    },
    Store(StorageOp),
    /// The handshake finished.
    PeerReady {
        conn: ConnId,
        peer: PeerId,
    },
    /// The document changed because of a peer's changes.
    DocChanged {
        doc: DocumentId,
    },
    /// A relay said it does not have the document (or will not show it).
    DocUnavailable {
        doc: DocumentId,
    },
    /// Stored bytes of the document would not load; nothing was overwritten.
    Corrupt {
        doc: DocumentId,
        error: String,
    },
    Rejected {
        conn: ConnId,
        reason: Rejection,
    },
}

/// How long a document nobody uses keeps what it saved to send (its whole save,
/// the changes lately passed on): the burst of devices connecting or editing
/// is over by then.
const SEND_CACHE_KEPT_MS: Millis = 10_000;

/// Tuning.
#[derive(Debug, Clone)]
pub struct Config {
    /// Compact a document's chunks into one after this many incremental saves.
    pub compact_every: usize,
    /// Unload a document nobody has used for this long.
    pub idle_unload_ms: Millis,
    /// Most documents one connection may sync.
    pub max_docs_per_conn: usize,
    /// Most messages queued per document while it loads.
    pub max_waiting_per_doc: usize,
    /// Limits on what a peer may write (see [`Limits`]).
    pub limits: Limits,
}

/// How large a peer's writes may be. Checked before anything is applied, so an
/// oversized change costs its reading only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Most bytes of one change (or one whole document a peer sends).
    pub max_change_bytes: usize,
    /// Most operations in one change.
    pub max_change_ops: usize,
    /// Most bytes a document may grow to in storage.
    pub max_document_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_change_bytes: 4 << 20,
            max_change_ops: 200_000,
            max_document_bytes: 64 << 20,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            compact_every: 64,
            idle_unload_ms: 5 * 60 * 1000,
            max_docs_per_conn: 10_000,
            max_waiting_per_doc: 256,
            limits: Limits::default(),
        }
    }
}

/// Checks a peer's write before the engine keeps it: a relay's rules for what
/// each device may change. The changes are applied in place when it is asked;
/// refused, they are rolled back, not stored, not passed on, and the peer gets an
/// `error` naming the rule (and is disconnected).
pub trait Validator: Send {
    /// `Err` says which rule the write breaks.
    fn check(&mut self, write: &Write<'_>) -> Result<(), String>;

    /// Whether `principal` may read a document about a subject
    /// ([`DocMeta::subject`]). Unless a validator says otherwise, no device may:
    /// an engine without one serves such documents only to full access.
    fn may_read(&mut self, read: &Read<'_>) -> bool {
        let _ = read;
        false
    }
}

/// A device asking for a document about a subject, for [`Validator::may_read`].
pub struct Read<'a> {
    pub principal: &'a Principal,
    pub meta: &'a DocMeta,
    /// The documents in memory (e.g. the org chart the rule needs).
    pub loaded: &'a dyn Fn(&DocumentId) -> Option<&'a Automerge>,
}

/// A write for a [`Validator`]: `doc` holds the peer's changes on top of `before`.
pub struct Write<'a> {
    pub principal: Option<&'a Principal>,
    pub doc_id: DocumentId,
    pub meta: &'a DocMeta,
    pub doc: &'a Automerge,
    pub before: &'a [ChangeHash],
    /// The other documents in memory (e.g. the org chart the rules need).
    pub loaded: &'a dyn Fn(&DocumentId) -> Option<&'a Automerge>,
}

impl std::fmt::Debug for Read<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Read")
            .field("principal", &self.principal)
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Write<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Write")
            .field("principal", &self.principal)
            .field("doc_id", &self.doc_id)
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

/// The changes of a document a validator refused, as the `error` message to
/// their writer names them (one definition of the wording, for both sides).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub doc: DocumentId,
    pub changes: Vec<ChangeHash>,
}

impl Refused {
    const MARK: &'static str = " (refused changes of document ";

    /// `rule` and the refused changes, e.g. `task-scope: … (refused changes of
    /// document 4Xy…: 3f1c…, 9a0b…)`.
    pub fn describe(&self, rule: &str) -> String {
        let hashes: Vec<String> = self.changes.iter().map(ToString::to_string).collect();
        format!("{rule}{}{}: {})", Self::MARK, self.doc, hashes.join(", "))
    }

    /// The refused changes an `error` message names, and the rule before them.
    pub fn parse(message: &str) -> Option<(String, Self)> {
        let (rule, rest) = message.rsplit_once(Self::MARK)?;
        let (doc, hashes) = rest.strip_suffix(')')?.split_once(": ")?;
        let changes = hashes
            .split(", ")
            .map(str::parse)
            .collect::<Result<Vec<ChangeHash>, _>>()
            .ok()?;
        Some((
            rule.to_owned(),
            Self {
                doc: doc.parse().ok()?,
                changes,
            },
        ))
    }
}

/// Errors of [`Engine::change`].
#[derive(Debug, thiserror::Error)]
pub enum ChangeError<E> {
    #[error("document {0} is not loaded")]
    NotLoaded(DocumentId),
    #[error(transparent)]
    Rejected(E),
}

enum Handshake {
    AwaitingJoin,
    AwaitingPeer,
    Ready {
        peer: PeerId,
        storage_id: Option<String>,
    },
}

struct Conn {
    handshake: Handshake,
    access: Access,
    docs: HashSet<DocumentId>,
}

struct LiveDoc {
    am: Automerge,
    meta: DocMeta,
    /// The sync state with each peer, packed between messages (most peers sit
    /// idle, and a relay keeps one per document per connected device).
    peers: HashMap<ConnId, PackedState>,
    persisted_states: HashMap<String, Vec<u8>>,
    saved_heads: Vec<ChangeHash>,
    saves_since_compact: usize,
    /// What the document takes in storage (its chunks), for the size limit.
    stored_bytes: usize,
    last_used: Millis,
    /// A client wants this document kept and synced.
    open: bool,
    /// Changes lately received, to pass on to the other peers, and the
    /// document saved whole, for peers that have none of it.
    send_cache: SendCache,
}

enum Slot {
    Loading {
        waiting: Vec<(ConnId, Message)>,
        open: bool,
    },
    Live(Box<LiveDoc>),
}

/// The sync engine. See the module docs.
pub struct Engine {
    me: PeerId,
    metadata: PeerMetadata,
    role: Role,
    config: Config,
    conns: HashMap<ConnId, Conn>,
    docs: HashMap<DocumentId, Slot>,
    out: VecDeque<Output>,
    /// The batch since the last [`Engine::flush`].
    batch: Batch,
    validator: Option<Box<dyn Validator>>,
}

/// What the next [`Engine::flush`] must produce.
#[derive(Default)]
struct Batch {
    /// Documents whose changes are not stored yet (local or a peer's).
    changed: BTreeSet<DocumentId>,
    /// Documents changed by a peer (announced as [`Output::DocChanged`]).
    changed_by_peer: BTreeSet<DocumentId>,
    /// (document, peer) pairs owed a sync message; `true`: a `request` (we have
    /// nothing of the document yet).
    sync: BTreeMap<(DocumentId, ConnId), bool>,
    /// Pairs whose peer sent changes in this batch: it is owed a message naming
    /// our heads even if it has since said it has them (see `sync_one`).
    acks: BTreeSet<(DocumentId, ConnId)>,
    /// Storage writes that are not document chunks (sync states on disconnect).
    stores: Vec<StorageOp>,
}

impl Batch {
    fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.sync.is_empty() && self.stores.is_empty()
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("me", &self.me)
            .field("role", &self.role)
            .field("conns", &self.conns.len())
            .field("docs", &self.docs.len())
            .finish()
    }
}

impl Engine {
    pub fn new(me: PeerId, storage_id: Option<String>, role: Role, config: Config) -> Self {
        Self {
            me,
            metadata: PeerMetadata {
                storage_id,
                is_ephemeral: false,
            },
            role,
            config,
            conns: HashMap::new(),
            docs: HashMap::new(),
            out: VecDeque::new(),
            batch: Batch::default(),
            validator: None,
        }
    }

    /// Checks every peer's write with `validator` before keeping it.
    pub fn with_validator(mut self, validator: Option<Box<dyn Validator>>) -> Self {
        self.validator = validator;
        self
    }

    /// The validator, taken out (e.g. to give it to an engine that replaces this one).
    pub fn take_validator(&mut self) -> Option<Box<dyn Validator>> {
        self.validator.take()
    }

    pub fn peer_id(&self) -> &PeerId {
        &self.me
    }

    /// The next thing the shell must do, in order. When nothing else is queued
    /// it [flushes](Engine::flush) the batch first.
    pub fn poll_output(&mut self) -> Option<Output> {
        if self.out.is_empty() {
            self.flush();
        }
        self.out.pop_front()
    }

    /// The next output already queued, without flushing the batch. Between
    /// flushes that is only what does not depend on document data (loads,
    /// handshake answers, refusals, `doc-unavailable`, closes): never a sync
    /// message or a storage write. A shell may perform those at once, e.g. to
    /// load a document while it takes more inputs for the batch.
    pub fn poll_queued(&mut self) -> Option<Output> {
        self.out.pop_front()
    }

    /// Every pending output, in order, the batch flushed at the end.
    pub fn drain_outputs(&mut self) -> Vec<Output> {
        self.flush();
        self.out.drain(..).collect()
    }

    /// True when inputs since the last flush left work for [`Engine::flush`].
    pub fn has_unflushed(&self) -> bool {
        !self.batch.is_empty()
    }

    /// Ends the batch: queues every storage write the inputs since the last
    /// flush call for (one per changed document, then the saved sync states),
    /// then a [`Output::DocChanged`] per document a peer changed, then one sync
    /// message per (document, peer) that is owed one. The shell must make the
    /// `Store`s durable before it sends any frame that follows them.
    pub fn flush(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        let batch = std::mem::take(&mut self.batch);
        for doc_id in &batch.changed {
            self.persist(*doc_id);
        }
        self.out.extend(batch.stores.into_iter().map(Output::Store));
        for doc_id in batch.changed_by_peer {
            self.out.push_back(Output::DocChanged { doc: doc_id });
        }
        let mut sync = batch.sync;
        if self.role == Role::Client {
            // A client syncs a changed document with every relay it is not yet
            // syncing it with.
            for doc_id in &batch.changed {
                for conn in self.relays_not_syncing(*doc_id) {
                    if let Some(request) = self.start_sync(conn, *doc_id) {
                        sync.entry((*doc_id, conn)).or_insert(request);
                    }
                }
            }
        }
        for ((doc_id, conn), request) in sync {
            let ack = batch.acks.contains(&(doc_id, conn));
            self.sync_one(conn, doc_id, request, ack);
        }
        for doc_id in &batch.changed {
            if let Some(Slot::Live(d)) = self.docs.get_mut(doc_id) {
                d.send_cache.flushed();
            }
        }
    }

    /// Number of documents in memory.
    pub fn loaded_documents(&self) -> usize {
        self.docs.len()
    }

    /// Number of connections.
    pub fn connections(&self) -> usize {
        self.conns.len()
    }

    /// A live document, for reading.
    pub fn document(&self, doc: &DocumentId) -> Option<&Automerge> {
        match self.docs.get(doc) {
            Some(Slot::Live(d)) => Some(&d.am),
            _ => None,
        }
    }

    /// True once the handshake on `conn` finished.
    pub fn is_ready(&self, conn: ConnId) -> bool {
        matches!(
            self.conns.get(&conn),
            Some(Conn {
                handshake: Handshake::Ready { .. },
                ..
            })
        )
    }

    /// How many of our changes of `doc` the peer on `conn` has not confirmed
    /// having, judged from the heads it last reported. Conservative: a change the
    /// peer holds only below heads we have not received yet still counts.
    /// `None` when there is no sync state with that peer for the document.
    pub fn unconfirmed_changes(&self, conn: ConnId, doc: &DocumentId) -> Option<usize> {
        let Some(Slot::Live(d)) = self.docs.get(doc) else {
            return None;
        };
        let theirs = d.peers.get(&conn)?.unpack().their_heads?;
        let missing = automerge::ReadDoc::get_missing_deps(&d.am, &theirs);
        let known: Vec<ChangeHash> = theirs
            .iter()
            .copied()
            .filter(|h| !missing.contains(h))
            .collect();
        Some(d.am.get_changes_meta(&known).len())
    }

    /// True when the peer on `conn` has told us it has every change of `doc` we have.
    pub fn in_sync_with(&self, conn: ConnId, doc: &DocumentId) -> bool {
        self.unconfirmed_changes(conn, doc) == Some(0)
    }

    /// Ids of the documents kept open.
    pub fn open_documents(&self) -> Vec<DocumentId> {
        self.docs
            .iter()
            .filter_map(|(id, s)| match s {
                Slot::Live(d) if d.open => Some(*id),
                Slot::Loading { open: true, .. } => Some(*id),
                _ => None,
            })
            .collect()
    }

    /// Every document in memory (live, not loading).
    pub fn live_documents(&self) -> Vec<DocumentId> {
        self.docs
            .iter()
            .filter_map(|(id, s)| matches!(s, Slot::Live(_)).then_some(*id))
            .collect()
    }

    /// A transport connection opened. A client sends `join` at once.
    pub fn connected(&mut self, conn: ConnId, access: Access) {
        let handshake = match self.role {
            Role::Relay => Handshake::AwaitingJoin,
            Role::Client => {
                let join = Message::Join {
                    sender_id: self.me.clone(),
                    supported_protocol_versions: vec![PROTOCOL_VERSION.into()],
                    metadata: self.metadata.clone(),
                };
                self.send(conn, &join);
                Handshake::AwaitingPeer
            }
        };
        self.conns.insert(
            conn,
            Conn {
                handshake,
                access,
                docs: HashSet::new(),
            },
        );
    }

    /// A transport connection closed. Sync states with the peer are kept for its return.
    pub fn disconnected(&mut self, conn: ConnId) {
        let Some(c) = self.conns.remove(&conn) else {
            return;
        };
        let storage_id = match c.handshake {
            Handshake::Ready { storage_id, .. } => storage_id,
            _ => None,
        };
        for doc_id in c.docs {
            if let Some(Slot::Live(d)) = self.docs.get_mut(&doc_id)
                && let Some(state) = d.peers.remove(&conn)
                && let Some(sid) = &storage_id
            {
                let bytes = state.unpack().encode();
                d.persisted_states.insert(sid.clone(), bytes.clone());
                self.batch.stores.push(StorageOp::SaveSyncState {
                    doc: doc_id,
                    peer_storage_id: sid.clone(),
                    state: bytes,
                });
            }
        }
        self.batch.sync.retain(|(_, c), _| *c != conn);
        self.batch.acks.retain(|(_, c)| *c != conn);
        for slot in self.docs.values_mut() {
            if let Slot::Loading { waiting, .. } = slot {
                waiting.retain(|(c, _)| *c != conn);
            }
        }
    }

    /// A frame arrived on `conn`.
    pub fn received(&mut self, conn: ConnId, frame: &[u8], now: Millis) {
        if !self.conns.contains_key(&conn) {
            return;
        }
        let msg = match Message::decode(frame) {
            Ok(m) => m,
            Err(e) => return self.refuse(conn, Rejection::Malformed, &e.to_string()),
        };
        self.handle(conn, msg, now);
    }

    /// Storage answered a [`Output::Load`]. `None`: it has no such document.
    pub fn loaded(&mut self, doc_id: DocumentId, stored: Option<StoredDoc>, now: Millis) {
        let Some(Slot::Loading { waiting, open }) = self.docs.remove(&doc_id) else {
            return;
        };
        let live = match stored {
            Some(stored) => match load_chunks(&stored.chunks) {
                Ok(am) => {
                    let saved_heads = am.get_heads();
                    Some(LiveDoc {
                        am,
                        meta: stored.meta,
                        peers: HashMap::new(),
                        persisted_states: stored.sync_states.into_iter().collect(),
                        saved_heads,
                        saves_since_compact: stored.chunks.len().saturating_sub(1),
                        stored_bytes: stored.chunks.iter().map(Vec::len).sum(),
                        last_used: now,
                        open,
                        send_cache: SendCache::default(),
                    })
                }
                Err(error) => {
                    self.out.push_back(Output::Corrupt { doc: doc_id, error });
                    None
                }
            },
            // A client starts documents it opens but storage lacks empty, and asks peers.
            None if self.role == Role::Client && open => Some(LiveDoc {
                am: Automerge::new(),
                meta: DocMeta::default(),
                peers: HashMap::new(),
                persisted_states: HashMap::new(),
                saved_heads: Vec::new(),
                saves_since_compact: 0,
                stored_bytes: 0,
                last_used: now,
                open,
                send_cache: SendCache::default(),
            }),
            None => None,
        };
        match live {
            Some(live) => {
                self.docs.insert(doc_id, Slot::Live(Box::new(live)));
                if open {
                    self.sync_with_all_relays(doc_id);
                }
                for (conn, msg) in waiting {
                    self.handle(conn, msg, now);
                }
            }
            None => {
                for (conn, _) in waiting {
                    self.unavailable(conn, doc_id);
                }
            }
        }
    }

    /// A client wants `doc` kept in memory and in sync with every relay.
    pub fn open(&mut self, doc_id: DocumentId, now: Millis) {
        match self.docs.get_mut(&doc_id) {
            Some(Slot::Live(d)) => {
                d.last_used = now;
                if !d.open {
                    d.open = true;
                    self.sync_with_all_relays(doc_id);
                }
            }
            Some(Slot::Loading { open, .. }) => *open = true,
            None => {
                self.docs.insert(
                    doc_id,
                    Slot::Loading {
                        waiting: Vec::new(),
                        open: true,
                    },
                );
                self.out.push_back(Output::Load {
                    doc: doc_id,
                    requester: None,
                });
            }
        }
    }

    /// Creates a document that exists nowhere yet (fresh ids only).
    /// Offers a live document to the relays again, e.g. after one answered
    /// `doc-unavailable` for it before it knew the document (a client).
    pub fn resync(&mut self, doc_id: DocumentId) {
        self.sync_with_all_relays(doc_id);
    }

    pub fn create(&mut self, doc_id: DocumentId, meta: DocMeta, am: Automerge, now: Millis) {
        let live = LiveDoc {
            am,
            meta,
            peers: HashMap::new(),
            persisted_states: HashMap::new(),
            saved_heads: Vec::new(),
            saves_since_compact: 0,
            stored_bytes: 0,
            last_used: now,
            open: self.role == Role::Client,
            send_cache: SendCache::default(),
        };
        self.docs.insert(doc_id, Slot::Live(Box::new(live)));
        self.batch.changed.insert(doc_id);
        self.sync_with_all_relays(doc_id);
    }

    /// Changes a live document locally, then stores and syncs what changed.
    /// `f` must leave the document unchanged when it returns an error.
    pub fn change<R, E>(
        &mut self,
        doc_id: DocumentId,
        now: Millis,
        f: impl FnOnce(&mut Automerge) -> Result<R, E>,
    ) -> Result<R, ChangeError<E>> {
        let Some(Slot::Live(d)) = self.docs.get_mut(&doc_id) else {
            return Err(ChangeError::NotLoaded(doc_id));
        };
        d.last_used = now;
        let before = d.am.get_heads();
        let r = f(&mut d.am).map_err(ChangeError::Rejected)?;
        if d.am.get_heads() != before {
            self.batch.changed.insert(doc_id);
            self.broadcast(doc_id, None);
        }
        Ok(r)
    }

    /// Chunks another writer stored for `doc` (another relay node sharing the
    /// database): applied to the document if it is live here and synced to its
    /// peers as their changes would be, but not stored again. Bytes that do not
    /// load are reported as [`Output::Corrupt`] and change nothing.
    pub fn stored_elsewhere(&mut self, doc_id: DocumentId, chunks: &[Vec<u8>], now: Millis) {
        let Some(Slot::Live(d)) = self.docs.get_mut(&doc_id) else {
            return;
        };
        let before = d.am.get_heads();
        // Written by another node after its own checks: applied in place (a
        // chunk that does not parse is refused before it changes anything).
        for chunk in chunks {
            if let Err(e) = d.am.load_incremental(chunk) {
                self.out.push_back(Output::Corrupt {
                    doc: doc_id,
                    error: e.to_string(),
                });
                return;
            }
        }
        let after = d.am.get_heads();
        if after == before {
            return;
        }
        if d.saved_heads == before {
            // Nothing of ours waits to be stored: what came is stored already.
            d.saved_heads = after;
        }
        d.saves_since_compact += chunks.len();
        d.stored_bytes += chunks.iter().map(Vec::len).sum::<usize>();
        d.last_used = now;
        self.batch.changed.insert(doc_id);
        self.batch.changed_by_peer.insert(doc_id);
        self.broadcast(doc_id, None);
    }

    /// Takes back changes of `doc` the relay refused (see [`Refused`]): the
    /// document is rebuilt without them and without what was made on top of them,
    /// saved whole, and synced afresh. Returns how many changes were dropped.
    pub fn drop_changes(&mut self, doc_id: DocumentId, refused: &[ChangeHash]) -> usize {
        let Some(Slot::Live(d)) = self.docs.get_mut(&doc_id) else {
            return 0;
        };
        let mut dropped: HashSet<ChangeHash> = HashSet::new();
        let mut keep = Vec::new();
        for change in d.am.get_changes(&[]) {
            if refused.contains(&change.hash()) || change.deps().iter().any(|h| dropped.contains(h))
            {
                dropped.insert(change.hash());
            } else {
                keep.push(change);
            }
        }
        if dropped.is_empty() {
            return 0;
        }
        let mut am = Automerge::new();
        if am.apply_changes(keep).is_err() {
            return 0;
        }
        am.set_actor(d.am.get_actor().clone());
        d.am = am;
        d.saved_heads.clear(); // saved whole at the next flush
        d.peers.clear();
        d.persisted_states.clear();
        d.send_cache.settle();
        self.batch.changed.insert(doc_id);
        for c in self.conns.values_mut() {
            c.docs.remove(&doc_id);
        }
        self.sync_with_all_relays(doc_id);
        dropped.len()
    }

    /// Periodic housekeeping: unloads idle documents, and lets documents that
    /// stay loaded for their peers, but nobody used lately, drop what they keep
    /// to send (see [`SendCache::settle`]).
    pub fn tick(&mut self, now: Millis) {
        let idle = self.config.idle_unload_ms;
        let changed = &self.batch.changed;
        self.docs.retain(|id, slot| match slot {
            Slot::Live(d) => {
                let quiet = now.saturating_sub(d.last_used);
                if quiet >= SEND_CACHE_KEPT_MS {
                    d.send_cache.settle();
                }
                d.open || !d.peers.is_empty() || changed.contains(id) || quiet < idle
            }
            Slot::Loading { .. } => true,
        });
    }

    fn handle(&mut self, conn: ConnId, msg: Message, now: Millis) {
        let Some(c) = self.conns.get_mut(&conn) else {
            return;
        };
        match (&c.handshake, msg) {
            (
                Handshake::AwaitingJoin,
                Message::Join {
                    sender_id,
                    supported_protocol_versions,
                    metadata,
                },
            ) => {
                if !supported_protocol_versions
                    .iter()
                    .any(|v| v == PROTOCOL_VERSION)
                {
                    return self.refuse(
                        conn,
                        Rejection::UnsupportedVersion,
                        "unsupported protocol version; this relay speaks version 1",
                    );
                }
                c.handshake = Handshake::Ready {
                    peer: sender_id.clone(),
                    storage_id: metadata.storage_id,
                };
                let peer = Message::Peer {
                    sender_id: self.me.clone(),
                    target_id: sender_id.clone(),
                    selected_protocol_version: PROTOCOL_VERSION.into(),
                    metadata: self.metadata.clone(),
                };
                self.send(conn, &peer);
                self.out.push_back(Output::PeerReady {
                    conn,
                    peer: sender_id,
                });
            }
            (
                Handshake::AwaitingPeer,
                Message::Peer {
                    sender_id,
                    selected_protocol_version,
                    metadata,
                    ..
                },
            ) => {
                if selected_protocol_version != PROTOCOL_VERSION {
                    return self.refuse(
                        conn,
                        Rejection::UnsupportedVersion,
                        "the relay chose an unsupported protocol version",
                    );
                }
                c.handshake = Handshake::Ready {
                    peer: sender_id.clone(),
                    storage_id: metadata.storage_id,
                };
                self.out.push_back(Output::PeerReady {
                    conn,
                    peer: sender_id,
                });
                let open: Vec<DocumentId> = self
                    .docs
                    .iter()
                    .filter_map(|(id, s)| match s {
                        Slot::Live(d) if d.open => Some(*id),
                        _ => None,
                    })
                    .collect();
                for doc in open {
                    self.begin_sync(conn, doc);
                }
            }
            (_, Message::Error { message, .. }) => {
                let reason = format!("peer reported an error: {message}");
                self.close(conn, reason);
            }
            (_, Message::Leave { .. }) => self.close(conn, "peer left".into()),
            (Handshake::Ready { .. }, Message::Ignored { .. } | Message::Ephemeral { .. }) => {}
            (
                Handshake::Ready { .. },
                Message::Request {
                    document_id, data, ..
                },
            )
            | (
                Handshake::Ready { .. },
                Message::Sync {
                    document_id, data, ..
                },
            ) => self.on_sync(conn, document_id, data, now),
            (Handshake::Ready { .. }, Message::DocUnavailable { document_id, .. }) => {
                if let Some(c) = self.conns.get_mut(&conn) {
                    c.docs.remove(&document_id);
                }
                if let Some(Slot::Live(d)) = self.docs.get_mut(&document_id) {
                    d.peers.remove(&conn);
                }
                self.out
                    .push_back(Output::DocUnavailable { doc: document_id });
            }
            (_, other) => self.refuse(
                conn,
                Rejection::Handshake,
                &format!(
                    "unexpected `{}` message at this point of the handshake",
                    other.kind()
                ),
            ),
        }
    }

    fn on_sync(&mut self, conn: ConnId, doc_id: DocumentId, data: Vec<u8>, now: Millis) {
        let max_docs = self.config.max_docs_per_conn;
        let max_waiting = self.config.max_waiting_per_doc;
        let Some(c) = self.conns.get(&conn) else {
            return;
        };
        if !c.docs.contains(&doc_id) && c.docs.len() >= max_docs {
            return self.refuse(
                conn,
                Rejection::TooManyDocuments,
                "too many documents on one connection",
            );
        }
        if let std::collections::hash_map::Entry::Vacant(e) = self.docs.entry(doc_id) {
            e.insert(Slot::Loading {
                waiting: Vec::new(),
                open: false,
            });
            self.out.push_back(Output::Load {
                doc: doc_id,
                requester: Some(conn),
            });
        }
        if !self.may_read_subject(conn, doc_id) {
            return self.unavailable(conn, doc_id);
        }
        let (Some(slot), Some(c)) = (self.docs.get_mut(&doc_id), self.conns.get_mut(&conn)) else {
            return;
        };
        let outcome = match slot {
            Slot::Loading { waiting, .. } if waiting.len() >= max_waiting => SyncOutcome::Refused(
                Rejection::TooManyDocuments,
                "too many messages for a document still loading".into(),
            ),
            Slot::Loading { waiting, .. } => {
                waiting.push((
                    conn,
                    Message::Sync {
                        sender_id: PeerId::new(""),
                        target_id: PeerId::new(""),
                        document_id: doc_id,
                        data,
                    },
                ));
                return;
            }
            Slot::Live(d) => apply_sync(d, c, conn, doc_id, &data, now, &self.config.limits),
        };
        let outcome = match outcome {
            SyncOutcome::Applied {
                changed: true,
                brought_changes,
                before,
                state,
            } if self.validator.is_some() => match self.validate(conn, doc_id, &before) {
                Ok(()) => SyncOutcome::Applied {
                    changed: true,
                    brought_changes,
                    before,
                    state,
                },
                Err(rule) => {
                    self.roll_back(conn, doc_id, &before, state);
                    SyncOutcome::Refused(Rejection::InvalidChange, rule)
                }
            },
            other => other,
        };
        match outcome {
            SyncOutcome::Refused(reason, text) => self.refuse(conn, reason, &text),
            SyncOutcome::Unavailable => self.unavailable(conn, doc_id),
            SyncOutcome::Applied {
                changed,
                brought_changes,
                ..
            } => {
                if brought_changes {
                    self.batch.acks.insert((doc_id, conn));
                }
                if changed {
                    self.batch.changed.insert(doc_id);
                    self.batch.changed_by_peer.insert(doc_id);
                    self.broadcast(doc_id, Some(conn));
                }
                self.batch.sync.entry((doc_id, conn)).or_insert(false);
            }
        }
    }

    /// Owes every peer of `doc` (but `except`) a sync message at the next flush.
    fn broadcast(&mut self, doc_id: DocumentId, except: Option<ConnId>) {
        let Some(Slot::Live(d)) = self.docs.get(&doc_id) else {
            return;
        };
        for conn in d.peers.keys() {
            if Some(*conn) != except {
                self.batch.sync.entry((doc_id, *conn)).or_insert(false);
            }
        }
    }

    /// Ready connections (a client's relays) not syncing `doc` yet.
    fn relays_not_syncing(&self, doc_id: DocumentId) -> Vec<ConnId> {
        if self.role != Role::Client {
            return Vec::new();
        }
        self.conns
            .iter()
            .filter(|(_, c)| {
                matches!(c.handshake, Handshake::Ready { .. }) && !c.docs.contains(&doc_id)
            })
            .map(|(id, _)| *id)
            .collect()
    }

    fn sync_with_all_relays(&mut self, doc_id: DocumentId) {
        for conn in self.relays_not_syncing(doc_id) {
            self.begin_sync(conn, doc_id);
        }
    }

    /// Starts syncing `doc` with the peer on `conn`; its first message goes out
    /// at the next flush.
    fn begin_sync(&mut self, conn: ConnId, doc_id: DocumentId) {
        if let Some(request) = self.start_sync(conn, doc_id) {
            self.batch.sync.entry((doc_id, conn)).or_insert(request);
        }
    }

    /// Sets up the sync state with the peer on `conn` (from the persisted one if
    /// any). `Some(request)` if it is set up: `true` when we have nothing of the
    /// document yet, so the first message is a `request`.
    fn start_sync(&mut self, conn: ConnId, doc_id: DocumentId) -> Option<bool> {
        let c = self.conns.get_mut(&conn)?;
        let Some(Slot::Live(d)) = self.docs.get_mut(&doc_id) else {
            return None;
        };
        c.docs.insert(doc_id);
        let storage_id = match &c.handshake {
            Handshake::Ready { storage_id, .. } => storage_id.clone(),
            _ => None,
        };
        d.peers.entry(conn).or_insert_with(|| {
            PackedState::pack(&persisted_state(&d.persisted_states, storage_id))
        });
        Some(d.am.get_heads().is_empty())
    }

    /// Generates and queues the next sync message for `doc` to the peer on
    /// `conn`, if automerge has one. With `ack` there always is one: the peer
    /// sent us changes, and a later message of it in the same batch may already
    /// have said it has our heads — after which automerge would stay silent, and
    /// the peer would never hear that its changes arrived (it learns that from
    /// our heads).
    fn sync_one(&mut self, conn: ConnId, doc_id: DocumentId, request: bool, ack: bool) {
        let Some(Slot::Live(d)) = self.docs.get_mut(&doc_id) else {
            return;
        };
        let Some(state) = d.peers.get_mut(&conn) else {
            return;
        };
        let msg = state.update(|state| {
            if ack {
                state.have_responded = false;
            }
            generate_sync_message(&d.am, state, &mut d.send_cache)
        });
        let Some(msg) = msg else {
            return;
        };
        let Some(Conn {
            handshake: Handshake::Ready { peer, .. },
            ..
        }) = self.conns.get(&conn)
        else {
            return;
        };
        let (sender_id, target_id, document_id, data) =
            (self.me.clone(), peer.clone(), doc_id, msg.encode());
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
        self.send(conn, &m);
    }

    fn persist(&mut self, doc_id: DocumentId) {
        let compact_every = self.config.compact_every;
        let Some(Slot::Live(d)) = self.docs.get_mut(&doc_id) else {
            return;
        };
        let heads = d.am.get_heads();
        if heads == d.saved_heads {
            return;
        }
        let op = if d.saves_since_compact + 1 >= compact_every || d.saved_heads.is_empty() {
            d.saves_since_compact = 0;
            let bytes = crate::save_whole(&d.am);
            d.stored_bytes = bytes.len();
            StorageOp::Compact {
                doc: doc_id,
                meta: d.meta.clone(),
                bytes,
            }
        } else {
            d.saves_since_compact += 1;
            let bytes = d.am.save_after(&d.saved_heads);
            d.stored_bytes += bytes.len();
            StorageOp::Append {
                doc: doc_id,
                meta: d.meta.clone(),
                bytes,
            }
        };
        d.saved_heads = heads;
        self.out.push_back(Output::Store(op));
    }

    fn unavailable(&mut self, conn: ConnId, doc_id: DocumentId) {
        let Some(Conn {
            handshake: Handshake::Ready { peer, .. },
            ..
        }) = self.conns.get(&conn)
        else {
            return;
        };
        let m = Message::DocUnavailable {
            sender_id: self.me.clone(),
            target_id: peer.clone(),
            document_id: doc_id,
        };
        self.send(conn, &m);
    }

    fn send(&mut self, conn: ConnId, msg: &Message) {
        self.out.push_back(Output::Send {
            conn,
            frame: msg.encode(),
        });
    }

    /// Whether `conn` may read `doc_id`, as far as its subject goes: a document
    /// about someone ([`DocMeta::subject`]) is read by a device's connection only
    /// if the validator says so, asked once per connection (the org chart it
    /// judged by may change while the device is connected; its next connection
    /// is judged afresh). A document still loading is judged when it is live.
    fn may_read_subject(&mut self, conn: ConnId, doc_id: DocumentId) -> bool {
        let Self {
            validator,
            docs,
            conns,
            ..
        } = self;
        let (Some(Slot::Live(d)), Some(c)) = (docs.get(&doc_id), conns.get(&conn)) else {
            return true;
        };
        let (Some(_), Some(principal)) = (&d.meta.subject, c.access.principal()) else {
            return true;
        };
        if c.docs.contains(&doc_id) {
            return true;
        }
        let loaded = |id: &DocumentId| match docs.get(id) {
            Some(Slot::Live(d)) => Some(&d.am),
            _ => None,
        };
        validator.as_mut().is_some_and(|v| {
            v.may_read(&Read {
                principal,
                meta: &d.meta,
                loaded: &loaded,
            })
        })
    }

    /// Answers an error the peer can read, then closes the connection.
    /// Asks the validator about the changes `doc_id` gained since `before` from
    /// `conn`. `Err` names the rule and the refused changes.
    fn validate(
        &mut self,
        conn: ConnId,
        doc_id: DocumentId,
        before: &[ChangeHash],
    ) -> Result<(), String> {
        let Self {
            validator,
            docs,
            conns,
            ..
        } = self;
        let (Some(validator), Some(Slot::Live(d))) = (validator.as_mut(), docs.get(&doc_id)) else {
            return Ok(());
        };
        let loaded = |id: &DocumentId| match docs.get(id) {
            Some(Slot::Live(d)) => Some(&d.am),
            _ => None,
        };
        let write = Write {
            principal: conns.get(&conn).and_then(|c| c.access.principal()),
            doc_id,
            meta: &d.meta,
            doc: &d.am,
            before,
            loaded: &loaded,
        };
        validator.check(&write).map_err(|rule| {
            Refused {
                doc: doc_id,
                changes: d.am.get_changes(before).iter().map(|c| c.hash()).collect(),
            }
            .describe(&rule)
        })
    }

    /// Undoes what `conn`'s last message applied to `doc_id`: the document goes
    /// back to `before` and the peer's sync state to what it was.
    fn roll_back(
        &mut self,
        conn: ConnId,
        doc_id: DocumentId,
        before: &[ChangeHash],
        state: Option<PackedState>,
    ) {
        let Some(Slot::Live(d)) = self.docs.get_mut(&doc_id) else {
            return;
        };
        match d.am.fork_at(before) {
            Ok(mut am) => {
                am.set_actor(d.am.get_actor().clone());
                d.am = am;
            }
            Err(e) => {
                // Cannot happen (`before` are its own heads); if it did, the
                // document is dropped from memory unsaved and read again from
                // storage, which never saw the refused changes.
                self.docs.remove(&doc_id);
                self.out.push_back(Output::Corrupt {
                    doc: doc_id,
                    error: format!("rolling back a refused write failed: {e}"),
                });
                return;
            }
        }
        match state {
            Some(s) => d.peers.insert(conn, s),
            None => d.peers.remove(&conn),
        };
        d.send_cache.settle();
    }

    fn refuse(&mut self, conn: ConnId, reason: Rejection, text: &str) {
        let target_id = match self.conns.get(&conn) {
            Some(Conn {
                handshake: Handshake::Ready { peer, .. },
                ..
            }) => Some(peer.clone()),
            _ => None,
        };
        self.out.push_back(Output::Rejected { conn, reason });
        let err = Message::Error {
            sender_id: Some(self.me.clone()),
            target_id,
            message: text.to_owned(),
        };
        self.send(conn, &err);
        self.close(conn, text.to_owned());
    }

    fn close(&mut self, conn: ConnId, reason: String) {
        self.disconnected(conn);
        self.out.push_back(Output::Close { conn, reason });
    }
}

enum SyncOutcome {
    Applied {
        changed: bool,
        brought_changes: bool,
        /// The document's heads before, and the peer's sync state before (to roll
        /// back a refused write).
        before: Vec<ChangeHash>,
        state: Option<PackedState>,
    },
    Unavailable,
    Refused(Rejection, String),
}

/// Applies one sync message from `conn` to a live document, checking access.
fn apply_sync(
    d: &mut LiveDoc,
    c: &mut Conn,
    conn: ConnId,
    doc_id: DocumentId,
    data: &[u8],
    now: Millis,
    limits: &Limits,
) -> SyncOutcome {
    if !c.access.can_read(&d.meta) {
        return SyncOutcome::Unavailable;
    }
    let msg = match sync::Message::decode(data) {
        Ok(m) => m,
        Err(e) => {
            return SyncOutcome::Refused(
                Rejection::CorruptSyncMessage,
                format!("sync message for {doc_id} is corrupt: {e}"),
            );
        }
    };
    // A peer may send what it has of a document it may not write (the whole of an
    // empty one, changes we hold); only a change we lack is a write.
    if !msg.changes.is_empty()
        && !c.access.can_write(&d.meta)
        && crate::chunks::new_changes(&d.am, &msg.changes)
    {
        return SyncOutcome::Refused(
            Rejection::WriteForbidden,
            format!(
                "this device may not change {} documents; ask a manager",
                d.meta.kind
            ),
        );
    }
    if !msg.changes.is_empty()
        && let Err(text) = crate::chunks::within(&d.am, &msg.changes, limits, d.stored_bytes)
    {
        return SyncOutcome::Refused(Rejection::TooLarge, format!("{text} ({doc_id})"));
    }
    c.docs.insert(doc_id);
    d.last_used = now;
    let storage_id = match &c.handshake {
        Handshake::Ready { storage_id, .. } => storage_id.clone(),
        _ => None,
    };
    let brought_changes = !msg.changes.is_empty();
    if brought_changes && d.peers.keys().any(|p| *p != conn) {
        // Kept to pass on to the other peers (see `sync_steps`).
        d.send_cache.add(&msg.changes);
    }
    let persisted = &d.persisted_states;
    let previous = d.peers.get(&conn).cloned();
    let state = d
        .peers
        .entry(conn)
        .or_insert_with(|| PackedState::pack(&persisted_state(persisted, storage_id)));
    let before = d.am.get_heads();
    if let Err(e) = state.update(|state| receive_sync_message(&mut d.am, state, msg)) {
        return SyncOutcome::Refused(
            Rejection::CorruptSyncMessage,
            format!("sync message for {doc_id} was refused: {e}"),
        );
    }
    SyncOutcome::Applied {
        changed: d.am.get_heads() != before,
        brought_changes,
        before,
        state: previous,
    }
}

/// The sync state a device with `storage_id` left last time, or a fresh one.
fn persisted_state(
    persisted: &HashMap<String, Vec<u8>>,
    storage_id: Option<String>,
) -> sync::State {
    storage_id
        .and_then(|sid| persisted.get(&sid))
        .and_then(|b| sync::State::decode(b).ok())
        .unwrap_or_default()
}

/// A stored document's chunks, loaded in order.
pub fn load_chunks(chunks: &[Vec<u8>]) -> Result<Automerge, String> {
    let mut am = Automerge::new();
    for chunk in chunks {
        am.load_incremental(chunk).map_err(|e| e.to_string())?;
    }
    Ok(am)
}
