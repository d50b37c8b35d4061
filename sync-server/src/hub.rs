//! The engine thread: owns the sync [`Engine`] and the document storage, and
//! performs the engine's outputs in order — storage writes are committed before
//! any frame that follows them is handed to a connection.

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use crate::Settings;
use crate::backend::Backend;
use crate::metrics::Metrics;
use crate::outbox;
use crate::registry::{Registry, Roots};
use storeops_storage::DocumentStore;
use storeops_sync::{
    Access, Config, ConnId, DocMeta, DocumentId, Engine, Output, PeerId, Role, StorageOp, StoredDoc,
};

/// Inputs to the engine thread.
#[derive(Debug)]
pub enum HubInput {
    Connect {
        conn: ConnId,
        device_id: String,
        /// The store the device belongs to.
        store_id: String,
        access: Access,
        outbox: outbox::Sender,
    },
    Frame {
        conn: ConnId,
        bytes: Vec<u8>,
    },
    Disconnect {
        conn: ConnId,
    },
    /// A change the relay itself makes to a document (see [`LocalChange`]).
    Local(LocalChange),
    /// Another relay node sharing the database stored chunks of `doc`.
    StoredElsewhere {
        doc: DocumentId,
    },
    /// Announcements from the other nodes may have been missed: read every
    /// document in memory again for what they stored.
    CatchUp,
    /// Close every connection with a reason and stop.
    Shutdown {
        done: std::sync::mpsc::Sender<()>,
    },
}

/// A change the relay makes itself (e.g. a batch of survey answers, under an
/// actor of its own): the document is loaded if need be and changed through
/// the engine's local-change API, so the change is stored and synced to the
/// store's devices like any other.
pub struct LocalChange {
    doc: DocumentId,
    /// A new document to create (unless it exists) before `apply`.
    create: Option<Box<(storeops_sync::DocMeta, automerge::Automerge)>>,
    apply: Box<dyn FnOnce(&mut automerge::Automerge) + Send>,
    stored: Sender<bool>,
}

impl LocalChange {
    /// `apply` runs on the engine thread (not at all if the document cannot be
    /// loaded) and must leave the document as it was if it changes nothing;
    /// the receiver is told, once what it changed is committed, whether it was.
    pub fn new(
        doc: DocumentId,
        apply: impl FnOnce(&mut automerge::Automerge) + Send + 'static,
    ) -> (Self, Receiver<bool>) {
        let (stored, wait) = std::sync::mpsc::channel();
        let change = Self {
            doc,
            create: None,
            apply: Box::new(apply),
            stored,
        };
        (change, wait)
    }

    /// Creates document `doc` (of `meta`'s store and kind) as `am`, unless it
    /// exists; the receiver is told once it is stored.
    pub fn create(
        doc: DocumentId,
        meta: storeops_sync::DocMeta,
        am: automerge::Automerge,
    ) -> (Self, Receiver<bool>) {
        let (mut change, wait) = Self::new(doc, |_| {});
        change.create = Some(Box::new((meta, am)));
        (change, wait)
    }
}

impl std::fmt::Debug for LocalChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalChange")
            .field("doc", &self.doc)
            .finish_non_exhaustive()
    }
}

struct Link {
    device_id: String,
    store_id: String,
    /// The person the device is linked to, and the role it signed in with
    /// (their positions' then): followed as the org chart changes.
    person: Option<String>,
    role: Option<storeops_domain::Role>,
    outbox: outbox::Sender,
}

pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// The engine thread's state.
pub struct Hub {
    engine: Engine,
    store: Box<dyn DocumentStore + Send>,
    registry: Registry,
    links: HashMap<ConnId, Link>,
    metrics: std::sync::Arc<Metrics>,
    peer_id: PeerId,
    storage_id: String,
    config: Config,
    /// When revocations were last looked up (Unix ms).
    revocations_checked_at: i64,
    roots: Roots,
    /// Each store's org document and the heads its devices' roles were last
    /// derived at (see [`Hub::follow_org_charts`]).
    orgs: HashMap<String, (DocumentId, Vec<automerge::ChangeHash>)>,
    /// This thread's documents in memory, as last added to the metrics.
    documents_reported: usize,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("links", &self.links.len())
            .finish()
    }
}

/// Most inputs the engine takes before it flushes: fan-out and the storage
/// commit happen once per batch, so a batch bounds how long the first input of
/// it waits for its answer.
const MAX_BATCH_INPUTS: usize = 256;
/// A batch also ends once it has taken this long to apply.
const MAX_BATCH_TIME: Duration = Duration::from_millis(10);

/// How often revocations are checked.
const REVOCATION_CHECK: Duration = Duration::from_millis(250);
/// Revocations written up to this long before the last check are still looked at.
const REVOCATION_MARGIN_MS: i64 = 5_000;

impl Hub {
    /// `node` names this relay process among the nodes sharing a database.
    pub fn open(
        settings: &Settings,
        backend: &Backend,
        node: &str,
        storage_id: String,
        metrics: std::sync::Arc<Metrics>,
    ) -> anyhow::Result<Self> {
        let registry = Registry::open(backend)?;
        let store = backend.documents(node)?;
        let peer_id = PeerId::new(format!("storeops-relay-{storage_id}"));
        let config = Config {
            max_docs_per_conn: settings.max_documents_per_connection,
            idle_unload_ms: settings.idle_unload_seconds.saturating_mul(1000),
            ..Config::default()
        };
        let rules: Option<Box<dyn storeops_sync::Validator>> = if settings.validate_writes {
            Some(Box::new(crate::validate::StoreRules::open(backend)?))
        } else {
            None
        };
        Ok(Self {
            engine: Engine::new(
                peer_id.clone(),
                Some(storage_id.clone()),
                Role::Relay,
                config.clone(),
            )
            .with_validator(rules),
            config,
            revocations_checked_at: now_ms() as i64,
            store,
            registry,
            links: HashMap::new(),
            roots: Roots::default(),
            orgs: HashMap::new(),
            documents_reported: 0,
            metrics,
            peer_id,
            storage_id,
        })
    }

    /// Runs until a `Shutdown` arrives or every sender is gone.
    ///
    /// Inputs are taken in batches: the first one waited for, then whatever is
    /// already queued (up to [`MAX_BATCH_INPUTS`] or [`MAX_BATCH_TIME`]); then the
    /// engine flushes once — every storage write of the batch committed in one
    /// transaction, then one sync message per (document, peer) the batch
    /// touched.
    pub fn run(mut self, inputs: Receiver<HubInput>) {
        let mut last_check = Instant::now();
        loop {
            let first = match inputs.recv_timeout(REVOCATION_CHECK) {
                Ok(input) => Some(input),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => {
                    self.pump();
                    return;
                }
            };
            if let Some(first) = first {
                let started = Instant::now();
                let mut next = Some(first);
                let mut taken = 0;
                while let Some(input) = next.take() {
                    if let HubInput::Shutdown { done } = input {
                        self.pump();
                        self.close_all("the relay is shutting down; reconnect shortly");
                        let _ = done.send(());
                        return;
                    }
                    self.handle(input);
                    // Loads, handshake answers and refusals at once; sync
                    // messages and storage writes wait for the flush.
                    self.perform(false);
                    taken += 1;
                    if taken < MAX_BATCH_INPUTS && started.elapsed() < MAX_BATCH_TIME {
                        next = inputs.try_recv().ok();
                    }
                }
                self.pump();
                self.metrics.observe_batch(started.elapsed());
            }
            if last_check.elapsed() >= REVOCATION_CHECK {
                last_check = Instant::now();
                self.cut_revoked();
                self.follow_org_charts();
                self.engine.tick(now_ms());
                let loaded = self.engine.loaded_documents();
                self.metrics.move_documents(self.documents_reported, loaded);
                self.documents_reported = loaded;
            }
        }
    }

    /// Feeds one input to the engine; its outputs wait for [`Hub::pump`].
    fn handle(&mut self, input: HubInput) {
        let now = now_ms();
        match input {
            HubInput::Connect {
                conn,
                device_id,
                store_id,
                access,
                outbox,
            } => {
                let principal = access.principal();
                self.links.insert(
                    conn,
                    Link {
                        device_id,
                        store_id,
                        person: principal.and_then(|p| p.person.clone()),
                        role: principal.and_then(|p| p.role.parse().ok()),
                        outbox,
                    },
                );
                self.engine.connected(conn, access);
            }
            HubInput::Frame { conn, bytes } => {
                let started = Instant::now();
                self.engine.received(conn, &bytes, now);
                self.metrics.observe_sync(started.elapsed());
            }
            HubInput::Disconnect { conn } => {
                self.links.remove(&conn);
                self.engine.disconnected(conn);
            }
            HubInput::Local(change) => self.local_change(change, now),
            HubInput::StoredElsewhere { doc } => self.catch_up(doc, now),
            HubInput::CatchUp => {
                for doc in self.engine.live_documents() {
                    self.catch_up(doc, now);
                }
            }
            HubInput::Shutdown { .. } => {}
        }
    }

    /// Applies what other nodes stored of `doc` since this thread last read
    /// or wrote it, if it is in memory here (else it is read whole when needed).
    fn catch_up(&mut self, doc: DocumentId, now: u64) {
        if self.engine.document(&doc).is_none() {
            return;
        }
        match self.store.stored_since(&doc) {
            Ok(chunks) if chunks.is_empty() => {}
            Ok(chunks) => self.engine.stored_elsewhere(doc, &chunks, now),
            Err(e) => tracing::warn!(%doc, error = %e, "reading what other nodes stored failed"),
        }
    }

    /// Applies a [`LocalChange`], commits it and says whether it is stored.
    fn local_change(&mut self, change: LocalChange, now: u64) {
        let LocalChange {
            doc,
            create,
            apply,
            stored,
        } = change;
        if let Some(new) = create
            && self.engine.document(&doc).is_none()
        {
            let (meta, am) = *new;
            self.engine.create(doc, meta, am, now);
        }
        if self.engine.document(&doc).is_none() {
            self.engine.open(doc, now);
            self.perform(false);
        }
        // On a shared database, on what every node stored.
        self.catch_up(doc, now);
        let applied = self
            .engine
            .change(doc, now, |am| {
                apply(am);
                Ok::<(), ()>(())
            })
            .is_ok();
        self.pump();
        // A failed commit resets the engine: the document is no longer loaded.
        let _ = stored.send(applied && self.engine.document(&doc).is_some());
    }

    /// Flushes the engine's batch and performs every output.
    fn pump(&mut self) {
        self.perform(true);
    }

    /// Performs the engine's outputs in order — with `flush`, flushing its batch
    /// when they run out; without, only what it queued already — committing each
    /// run of storage writes in one transaction before any frame, close or load
    /// that follows it.
    fn perform(&mut self, flush: bool) {
        let mut batch: Vec<StorageOp> = Vec::new();
        loop {
            let next = if flush {
                self.engine.poll_output()
            } else {
                self.engine.poll_queued()
            };
            let Some(out) = next else {
                break;
            };
            if let Output::Store(op) = out {
                batch.push(op);
                continue;
            }
            if matches!(
                out,
                Output::Send { .. } | Output::Close { .. } | Output::Load { .. }
            ) && !self.commit(&mut batch)
            {
                return;
            }
            match out {
                Output::Send { conn, frame } => {
                    self.metrics.add_out(frame.len());
                    self.deliver(conn, frame);
                }
                Output::Close { conn, reason } => {
                    if let Some(link) = self.links.remove(&conn) {
                        link.outbox.close(reason);
                    }
                }
                Output::Load { doc, requester } => {
                    let started = Instant::now();
                    let stored = match self.store.load(&doc) {
                        Ok(Some(s)) => Some(s),
                        Ok(None) => self.new_period_document(doc, requester),
                        Err(e) => {
                            tracing::error!(%doc, error = %e, "loading a document failed");
                            None
                        }
                    };
                    self.metrics.observe_storage(started.elapsed());
                    self.engine.loaded(doc, stored, now_ms());
                }
                Output::Rejected { conn, reason } => {
                    self.metrics.reject(reason.as_str());
                    tracing::warn!(%conn, reason = reason.as_str(), "refused a peer's input");
                }
                Output::Corrupt { doc, error } => {
                    tracing::error!(%doc, %error, "stored document is corrupt; left untouched");
                }
                Output::PeerReady { conn, .. } => tracing::debug!(%conn, "peer ready"),
                Output::DocChanged { .. } | Output::DocUnavailable { .. } | Output::Store(_) => {}
            }
        }
        self.commit(&mut batch);
    }

    /// A document the relay has never stored is accepted when the requesting
    /// device's store lists it in its root (as loaded here) as a period document
    /// (`period:<kind>/<period> <id>`): it starts empty, with that kind, and the
    /// device's sync fills it (if its role may write that kind).
    fn new_period_document(
        &mut self,
        doc: DocumentId,
        requester: Option<ConnId>,
    ) -> Option<StoredDoc> {
        let store_id = self.links.get(&requester?)?.store_id.clone();
        let root = self.roots.of(&self.registry, &store_id)?;
        // Only a root in memory is consulted: a device that lists a new period has
        // just synced its root here (and offers the document again once the root is
        // through), while loading the root for every unknown id would let anyone make
        // the relay parse it over and over.
        let (kind, period) = period_kind(self.engine.document(&root)?, &doc)?;
        tracing::info!(%doc, store = %store_id, %kind, "registering a new period document");
        Some(StoredDoc {
            meta: DocMeta {
                subject: storeops_domain::kind::subject_of(&kind, &period),
                scope: store_id,
                kind,
            },
            chunks: vec![],
            sync_states: vec![],
        })
    }

    /// Commits a batch. On failure nothing that depends on it may be sent: the
    /// engine is reset and every connection closed, so peers resync from what
    /// is durable.
    fn commit(&mut self, batch: &mut Vec<StorageOp>) -> bool {
        if batch.is_empty() {
            return true;
        }
        let started = Instant::now();
        let result = self.store.apply(batch);
        self.metrics.observe_storage(started.elapsed());
        batch.clear();
        match result {
            Ok(()) => true,
            Err(e) => {
                tracing::error!(error = %e, "storage write failed; dropping in-memory state");
                while self.engine.poll_output().is_some() {}
                self.close_all("the relay could not store changes; reconnect to retry");
                let rules = self.engine.take_validator();
                self.engine = Engine::new(
                    self.peer_id.clone(),
                    Some(self.storage_id.clone()),
                    Role::Relay,
                    self.config.clone(),
                )
                .with_validator(rules);
                false
            }
        }
    }

    fn deliver(&mut self, conn: ConnId, frame: Vec<u8>) {
        let Some(link) = self.links.get(&conn) else {
            return;
        };
        if link.outbox.send(frame).is_err() {
            // The peer does not read fast enough: cut it rather than buffer without bound.
            self.metrics.reject("slow_reader");
            link.outbox.cut("the connection was too slow to keep up");
            self.links.remove(&conn);
            self.engine.disconnected(conn);
        }
    }

    fn close_all(&mut self, reason: &str) {
        for (conn, link) in self.links.drain() {
            // Frames already queued go out first: they carry stored changes.
            link.outbox.close(reason);
            self.engine.disconnected(conn);
        }
        while let Some(out) = self.engine.poll_output() {
            if let Output::Store(op) = out
                && let Err(e) = self.store.apply(&[op])
            {
                tracing::error!(error = %e, "saving sync state at shutdown failed");
            }
        }
    }

    /// Roles follow positions: when the org chart (in memory here) of a store
    /// with devices linked to people has changed, each such device's role is
    /// derived again. A device whose person has left is revoked and cut off; one
    /// whose role changed is closed, and signs in again with its new role.
    fn follow_org_charts(&mut self) {
        let stores: std::collections::BTreeSet<String> = self
            .links
            .values()
            .filter(|l| l.person.is_some())
            .map(|l| l.store_id.clone())
            .collect();
        self.orgs.retain(|store, _| stores.contains(store));
        let mut cut_any = false;
        for store in stores {
            let org_doc = match self.orgs.get(&store) {
                Some((doc, _)) => *doc,
                None => {
                    let Some(root) = self.roots.of(&self.registry, &store) else {
                        continue;
                    };
                    let Some(doc) = self
                        .engine
                        .document(&root)
                        .and_then(|am| storeops_domain::read_store(am).ok())
                        .and_then(|s| s.documents.org.parse::<DocumentId>().ok())
                    else {
                        continue;
                    };
                    self.orgs.insert(store.clone(), (doc, vec![]));
                    doc
                }
            };
            let Some(am) = self.engine.document(&org_doc) else {
                continue;
            };
            let heads = am.get_heads();
            if self.orgs.get(&store).is_some_and(|(_, h)| *h == heads) {
                continue;
            }
            let Ok(org) = storeops_domain::read_org(am) else {
                continue;
            };
            self.orgs.insert(store.clone(), (org_doc, heads));
            let stale: Vec<(ConnId, Option<storeops_domain::Role>)> = self
                .links
                .iter()
                .filter(|(_, l)| l.store_id == store)
                .filter_map(|(conn, l)| {
                    let person = l.person.as_deref()?;
                    // Someone the chart does not hold yet keeps the role enrolled with.
                    if !org.people.contains_key(person) {
                        return None;
                    }
                    let role = storeops_domain::access::role_of(&org, person);
                    (role != l.role).then_some((*conn, role))
                })
                .collect();
            let now = now_ms() as i64;
            for (conn, role) in stale {
                let Some(link) = self.links.remove(&conn) else {
                    continue;
                };
                if role.is_none() {
                    if let Err(e) = self.registry.revoke(&link.device_id, now) {
                        tracing::error!(device = %link.device_id, error = %e, "revoking the device of someone who left failed");
                    }
                    tracing::info!(%conn, device = %link.device_id, "its person left the store; device revoked, connection cut");
                    link.outbox.cut("this device's person has left the store");
                } else {
                    tracing::info!(%conn, device = %link.device_id, "its role changed with its person's positions; closed to sign in again");
                    link.outbox
                        .close("this device's role changed with its person's positions; reconnect");
                }
                self.engine.disconnected(conn);
                cut_any = true;
            }
        }
        if cut_any {
            self.pump();
        }
    }

    /// Cuts the connections of devices revoked since the last check. Devices
    /// revoked earlier cannot connect at all (the upgrade checks), so only new
    /// revocations matter; a margin covers clocks of other processes writing them.
    fn cut_revoked(&mut self) {
        let now = now_ms() as i64;
        let since = self.revocations_checked_at - REVOCATION_MARGIN_MS;
        if self.links.is_empty() {
            self.revocations_checked_at = now;
            return;
        }
        let revoked = match self.registry.revoked_since(since) {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "checking revocations failed");
                return;
            }
        };
        self.revocations_checked_at = now;
        if revoked.is_empty() {
            return;
        }
        let cut: Vec<ConnId> = self
            .links
            .iter()
            .filter(|(_, l)| revoked.contains(&l.device_id))
            .map(|(c, _)| *c)
            .collect();
        if cut.is_empty() {
            return;
        }
        for conn in cut {
            if let Some(link) = self.links.remove(&conn) {
                tracing::info!(%conn, device = %link.device_id, "device revoked; connection cut");
                link.outbox.cut("this device was revoked");
            }
            self.engine.disconnected(conn);
        }
        self.pump();
    }
}

/// The kind under which a store's root lists `doc` as a period document.
fn period_kind(root: &automerge::Automerge, doc: &DocumentId) -> Option<(String, String)> {
    use automerge::ReadDoc;
    let (_, docs) = root.get(automerge::ROOT, "documents").ok()??;
    let suffix = format!(" {doc}");
    root.keys(&docs).find_map(|key| {
        let listed = key.strip_prefix(storeops_domain::PERIOD_KEY_PREFIX)?;
        let (kind_period, _) = listed.split_once(' ')?;
        let (kind, period) = kind_period.split_once('/')?;
        key.ends_with(&suffix)
            .then(|| (kind.to_owned(), period.to_owned()))
    })
}

/// Spawns the engine thread.
pub fn spawn(hub: Hub) -> (Sender<HubInput>, std::thread::JoinHandle<()>) {
    spawn_named(hub, "storeops-engine".into())
}

fn spawn_named(hub: Hub, name: String) -> (Sender<HubInput>, std::thread::JoinHandle<()>) {
    let (tx, rx) = std::sync::mpsc::channel();
    let handle = std::thread::Builder::new()
        .name(name)
        .spawn(move || hub.run(rx))
        .unwrap_or_else(|e| panic!("cannot start the engine thread: {e}"));
    (tx, handle)
}

/// The engine threads, each serving the stores that hash to it: a store whose
/// document is slow to load or apply holds up only the stores on its thread.
#[derive(Debug, Clone)]
pub struct Hubs {
    shards: std::sync::Arc<[Sender<HubInput>]>,
}

impl Hubs {
    /// Opens `settings.engine_threads` hubs and starts their threads.
    pub fn start(
        settings: &Settings,
        backend: &Backend,
        node: &str,
        storage_id: &str,
        metrics: &std::sync::Arc<Metrics>,
    ) -> anyhow::Result<(Self, Vec<std::thread::JoinHandle<()>>)> {
        let n = settings.engine_threads.max(1);
        let mut shards = Vec::with_capacity(n);
        let mut threads = Vec::with_capacity(n);
        for i in 0..n {
            let hub = Hub::open(
                settings,
                backend,
                node,
                storage_id.to_owned(),
                metrics.clone(),
            )?;
            let (tx, thread) = spawn_named(hub, format!("storeops-engine-{i}"));
            shards.push(tx);
            threads.push(thread);
        }
        Ok((
            Self {
                shards: shards.into(),
            },
            threads,
        ))
    }

    /// The engine thread serving `store_id`.
    pub fn for_store(&self, store_id: &str) -> &Sender<HubInput> {
        &self.shards[shard_of(store_id, self.shards.len())]
    }

    /// Every engine thread.
    pub fn all(&self) -> &[Sender<HubInput>] {
        &self.shards
    }

    /// Runs `change` on the engine thread of `store` and waits (at most 30 s)
    /// until what it changed is stored; `false` if it could not be (the
    /// document could not be loaded, or the relay is shutting down).
    pub fn run_local(&self, store: &str, change: LocalChange, stored: Receiver<bool>) -> bool {
        self.for_store(store).send(HubInput::Local(change)).is_ok()
            && matches!(stored.recv_timeout(Duration::from_secs(30)), Ok(true))
    }

    /// Runs `f` on `doc` on the engine thread of `store` (loading it if need
    /// be); what `f` changes is stored and synced like any change.
    pub fn on_engine<R: Send + 'static>(
        &self,
        store: &str,
        doc: DocumentId,
        f: impl FnOnce(&mut automerge::Automerge) -> Result<R, String> + Send + 'static,
    ) -> Result<R, String> {
        let (done, result) = std::sync::mpsc::channel();
        let (change, stored) = LocalChange::new(doc, move |am| {
            let _ = done.send(f(am));
        });
        if !self.run_local(store, change, stored) {
            return Err("the document could not be loaded".into());
        }
        result
            .try_recv()
            .map_err(|_| "the document could not be loaded".to_owned())?
    }
}

/// Which of `n` engine threads serves `store_id` (FNV-1a of the id: stable
/// across restarts and builds).
pub fn shard_of(store_id: &str, n: usize) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in store_id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % n.max(1) as u64) as usize
}
