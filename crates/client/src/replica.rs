//! The device's replica: its documents in a local SQLite file, the sync engine,
//! and the enrolment that ties it to a store on a relay.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use automerge::ActorId;
use rusqlite::OptionalExtension;
use storeops_domain::{self as domain, Actor, DomainError, Role};
use storeops_storage::{DocumentStore, SqliteStore, StorageError, migrate};
use storeops_sync::{Access, Config, ConnId, DocumentId, Engine, Output, PeerId, StorageOp};
use tokio::sync::mpsc;

mod periods;
pub use periods::{TASK_WEEKS_AHEAD, TASK_WEEKS_BACK, week_key};
mod unreadable;
pub use unreadable::StoreUnread;

use crate::ClientError;
use crate::device::now_ms;
use storeops_api::status::SyncStatus;

/// The device's own tables. Only ever append.
const DEVICE_MIGRATIONS: storeops_storage::Migrations =
    storeops_storage::Migrations::sqlite_only(&["
    CREATE TABLE device_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"]);

/// The browser's device token's key in `device_settings`.
#[cfg(target_family = "wasm")]
const BROWSER_TOKEN: &str = "device_token";

/// What enrolment gave this device.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Enrolment {
    pub relay_url: String,
    pub device_id: String,
    pub device_name: String,
    pub store_id: String,
    pub store_name: String,
    pub root_document_id: String,
    pub role: String,
    pub person: Option<String>,
    /// A PEM CA certificate to trust for a self-hosted relay's `https`/`wss`.
    #[serde(default)]
    pub relay_ca_pem: Option<String>,
}

impl std::fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Enrolment")
            .field("relay_url", &self.relay_url)
            .field("device_id", &self.device_id)
            .field("store_id", &self.store_id)
            .finish_non_exhaustive()
    }
}

/// Documents read often and changed rarely, kept hydrated per heads.
#[derive(Default)]
struct Reads {
    store: Option<(Vec<automerge::ChangeHash>, domain::StoreDoc)>,
    org: Option<(Vec<automerge::ChangeHash>, storeops_domain::OrgDoc)>,
    /// What the last reads of each document could not read, at the heads they read.
    unread: HashMap<DocumentId, (Vec<automerge::ChangeHash>, Vec<domain::Unreadable>)>,
    /// Each tasks document's tasks as last read whole (for search), at those heads.
    tasks: HashMap<DocumentId, (Vec<automerge::ChangeHash>, TaskList)>,
}

/// A document's tasks, by id, shared between reads.
pub(crate) type TaskList = std::sync::Arc<Vec<(String, domain::Task)>>;

/// Something the UI should hear about.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientEvent {
    /// Documents changed because of sync: re-read what is shown.
    Changed,
    Sync(SyncStatus),
}

type Listener = Box<dyn Fn(ClientEvent) + Send>;

/// The replica. Every public method leaves storage durable before it returns.
pub struct Replica {
    data_dir: PathBuf,
    engine: Engine,
    store: SqliteStore,
    actor: ActorId,
    enrolment: Option<Enrolment>,
    link: Option<(ConnId, mpsc::UnboundedSender<Vec<u8>>)>,
    /// Local changes per document the relay has not confirmed yet.
    unconfirmed: HashMap<DocumentId, u32>,
    status: SyncStatus,
    listener: Option<Listener>,
    /// Documents the relay said it does not know (a period document created here
    /// before the relay saw the root list it), with when: offered again later.
    unavailable: HashMap<DocumentId, i64>,
    /// The root and org documents as last read, with the heads they were read at:
    /// most calls read them, few change them.
    reads: std::cell::RefCell<Reads>,
    /// The day, and the number of duties, recurring tasks were last generated for.
    recurring_generated_for: Option<(storeops_domain::calendar::Date, usize)>,
    /// Some recurring tasks had no document to go into yet: upkeep tries again.
    recurring_incomplete: bool,
    /// How far this device's idea of the day is moved from the system clock
    /// ([`Replica::move_clock`]; zero but in tests of what later days do).
    clock_shift_ms: i64,
}

impl std::fmt::Debug for Replica {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replica")
            .field("data_dir", &self.data_dir)
            .field("enrolment", &self.enrolment)
            .finish_non_exhaustive()
    }
}

fn setting(store: &SqliteStore, key: &str) -> Result<Option<String>, StorageError> {
    Ok(store
        .connection()
        .query_row(
            "SELECT value FROM device_settings WHERE key = ?1",
            [key],
            |r| r.get(0),
        )
        .optional()?)
}

fn set_setting(store: &SqliteStore, key: &str, value: &str) -> Result<(), StorageError> {
    store.connection().execute(
        "INSERT INTO device_settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

fn random_hex(n: usize) -> Result<String, ClientError> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| ClientError::Internal(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl Replica {
    /// Opens (creating) the replica in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Self, ClientError> {
        // In the browser the database is a name in the origin's private file system.
        #[cfg(not(target_family = "wasm"))]
        std::fs::create_dir_all(data_dir).map_err(|e| {
            ClientError::Storage(format!(
                "cannot create the data directory {}: {e}",
                data_dir.display()
            ))
        })?;
        let mut store = SqliteStore::open(&data_dir.join("storeops.sqlite"))?;
        migrate(store.connection_mut(), "device", &DEVICE_MIGRATIONS)?;
        let actor_hex = match setting(&store, "actor")? {
            Some(a) => a,
            None => {
                let a = random_hex(16)?;
                set_setting(&store, "actor", &a)?;
                a
            }
        };
        let actor = ActorId::from(
            (0..actor_hex.len() / 2)
                .filter_map(|i| u8::from_str_radix(&actor_hex[2 * i..2 * i + 2], 16).ok())
                .collect::<Vec<u8>>(),
        );
        let storage_id = match setting(&store, "storage_id")? {
            Some(s) => s,
            None => {
                let s = random_hex(16)?;
                set_setting(&store, "storage_id", &s)?;
                s
            }
        };
        let enrolment = match setting(&store, "enrolment")? {
            Some(json) => Some(serde_json::from_str(&json).map_err(|e| {
                ClientError::Storage(format!("the saved enrolment is unreadable: {e}"))
            })?),
            None => None,
        };
        let engine = Engine::new(
            PeerId::new(format!("storeops-app-{storage_id}")),
            Some(storage_id),
            storeops_sync::Role::Client,
            Config::default(),
        );
        let mut replica = Self {
            data_dir: data_dir.to_owned(),
            engine,
            store,
            actor,
            enrolment,
            link: None,
            unconfirmed: HashMap::new(),
            status: SyncStatus::default(),
            listener: None,
            unavailable: HashMap::new(),
            recurring_generated_for: None,
            recurring_incomplete: false,
            clock_shift_ms: 0,
            reads: Default::default(),
        };
        replica.open_store_documents()?;
        Ok(replica)
    }

    pub fn set_listener(&mut self, listener: impl Fn(ClientEvent) + Send + 'static) {
        self.listener = Some(Box::new(listener));
    }

    pub fn enrolment(&self) -> Option<&Enrolment> {
        self.enrolment.as_ref()
    }

    #[cfg(not(target_family = "wasm"))]
    fn vault(&self) -> Result<crate::vault::TokenVault, ClientError> {
        let storage_id = setting(&self.store, "storage_id")?.unwrap_or_default();
        Ok(crate::vault::TokenVault::open(&self.data_dir, &storage_id))
    }

    /// The device token (on the desktop in the OS keyring, or in a file only this user
    /// can read; in the browser in the device's database, in storage private to the
    /// relay's origin: the browser has no keyring).
    pub fn token(&self) -> Result<String, ClientError> {
        #[cfg(not(target_family = "wasm"))]
        return self.vault()?.load();
        #[cfg(target_family = "wasm")]
        return setting(&self.store, BROWSER_TOKEN)?.ok_or(ClientError::NotEnrolled);
    }

    fn save_token(&self, token: &str) -> Result<(), ClientError> {
        #[cfg(not(target_family = "wasm"))]
        return self.vault()?.save(token);
        #[cfg(target_family = "wasm")]
        return Ok(set_setting(&self.store, BROWSER_TOKEN, token)?);
    }

    fn delete_token(&self) -> Result<(), ClientError> {
        #[cfg(not(target_family = "wasm"))]
        return self.vault()?.delete();
        #[cfg(target_family = "wasm")]
        return self.remove_setting(BROWSER_TOKEN);
    }

    /// Saves what enrolment returned and opens the store's documents.
    pub fn save_enrolment(&mut self, enrolment: Enrolment, token: &str) -> Result<(), ClientError> {
        self.save_token(token)?;
        let json =
            serde_json::to_string(&enrolment).map_err(|e| ClientError::Internal(e.to_string()))?;
        set_setting(&self.store, "enrolment", &json)?;
        self.enrolment = Some(enrolment);
        self.open_store_documents()?;
        Ok(())
    }

    fn root_doc(&self) -> Option<DocumentId> {
        self.enrolment
            .as_ref()
            .and_then(|e| e.root_document_id.parse().ok())
    }

    /// Opens the root document and, once it is known, the documents it links.
    fn open_store_documents(&mut self) -> Result<(), ClientError> {
        let Some(root) = self.root_doc() else {
            return Ok(());
        };
        let now = now_ms() as u64;
        self.engine.open(root, now);
        self.pump()?;
        if let Some(am) = self.engine.document(&root)
            && let Ok(store) = domain::read_store(am)
        {
            for id in [&store.documents.org, &store.documents.tasks] {
                if let Ok(doc) = id.parse::<DocumentId>() {
                    self.engine.open(doc, now);
                }
            }
            self.pump()?;
        }
        Ok(())
    }

    /// The store's org and tasks document ids, once the root has arrived.
    pub fn store_documents(&self) -> Option<(DocumentId, DocumentId)> {
        self.linked()
    }

    /// The documents the task views read (the first tasks document and the
    /// weeks around today that have arrived), in a stable order.
    pub fn task_documents(&self) -> Vec<DocumentId> {
        let mut docs = self.task_docs();
        docs.sort();
        docs.dedup();
        docs
    }

    /// The document holding task `id`, if it has arrived here.
    pub fn task_document(&self, id: &str) -> Option<DocumentId> {
        self.locate(domain::kind::TASKS, "tasks", id)
    }

    pub(crate) fn linked(&self) -> Option<(DocumentId, DocumentId)> {
        let store = self.store_doc()?;
        Some((
            store.documents.org.parse().ok()?,
            store.documents.tasks.parse().ok()?,
        ))
    }

    /// The acting person for domain commands.
    pub fn actor(&self) -> Result<Actor, ClientError> {
        let e = self.enrolment.as_ref().ok_or(ClientError::NotEnrolled)?;
        let role: Role = e.role.parse().map_err(ClientError::Internal)?;
        // A device linked to a person acts with that person's positions, scope
        // and the role their positions give (the relay derives it the same way).
        if let Some(person) = &e.person
            && let Ok(actor) = Actor::of_person(&self.org()?, person, role)
        {
            return Ok(actor);
        }
        Ok(Actor {
            name: e.device_name.clone(),
            role,
            person: e.person.clone(),
            positions: vec![],
            departments: vec![],
        })
    }

    /// The store's profile, once its root document has arrived.
    pub fn store_profile(&self) -> Option<domain::StoreProfile> {
        self.store_doc().map(|s| s.profile)
    }

    /// The store this replica holds: from its profile once the root has arrived,
    /// else as enrolment named it; `None` unenrolled.
    pub fn store_info(&self) -> Option<storeops_api::status::StoreInfo> {
        let e = self.enrolment.as_ref()?;
        Some(match self.store_profile() {
            Some(p) => storeops_api::status::StoreInfo {
                id: p.id,
                name: p.name,
                time_zone: p.time_zone,
                locale: p.locale,
            },
            None => storeops_api::status::StoreInfo {
                id: e.store_id.clone(),
                name: e.store_name.clone(),
                time_zone: String::new(),
                locale: String::new(),
            },
        })
    }

    pub fn status(&self) -> SyncStatus {
        let mut s = self.status.clone();
        s.pending_changes = self.unconfirmed.values().sum();
        s.store_arrived = self.linked().is_some_and(|(org, tasks)| {
            [org, tasks].iter().all(|d| {
                self.engine
                    .document(d)
                    .is_some_and(|am| !am.get_heads().is_empty())
            })
        });
        s
    }

    /// The org document, empty until it arrives.
    pub fn org(&self) -> Result<storeops_domain::OrgDoc, ClientError> {
        match self.linked() {
            Some((org_id, _)) => self.org_of(org_id),
            None => Ok(Default::default()),
        }
    }

    pub(crate) fn org_of(
        &self,
        org_id: DocumentId,
    ) -> Result<storeops_domain::OrgDoc, ClientError> {
        let Some(am) = self.arrived(&org_id) else {
            return Ok(Default::default());
        };
        let heads = am.get_heads();
        if let Some((at, org)) = &self.reads.borrow().org
            && *at == heads
        {
            return Ok(org.clone());
        }
        let org = domain::read_org(am)?;
        self.reads.borrow_mut().org = Some((heads, org.clone()));
        self.note_unreadable(org_id, &domain::Readable::unreadable(&org));
        Ok(org)
    }

    /// Current heads of a document, if it is loaded (for convergence checks).
    pub fn heads(&self, doc: &DocumentId) -> Option<Vec<automerge::ChangeHash>> {
        self.engine.document(doc).map(|d| {
            let mut h = d.get_heads();
            h.sort();
            h
        })
    }

    /// True while `conn` is this replica's sync link.
    pub fn is_attached(&self, conn: ConnId) -> bool {
        self.link.as_ref().is_some_and(|(c, _)| *c == conn)
    }

    /// Forgets the enrolment, the token and every local document.
    pub fn sign_out(&mut self) -> Result<(), ClientError> {
        if let Some((conn, _)) = self.link.take() {
            self.engine.disconnected(conn);
        }
        let conn = self.store.connection_mut();
        let tx = conn.transaction().map_err(StorageError::from)?;
        tx.execute_batch(
            "DELETE FROM sync_states; DELETE FROM chunks; DELETE FROM documents;
             DELETE FROM device_settings WHERE key = 'enrolment';",
        )
        .map_err(StorageError::from)?;
        tx.commit().map_err(StorageError::from)?;
        self.delete_token()?;
        let peer = self.engine.peer_id().clone();
        let storage_id = setting(&self.store, "storage_id")?;
        self.engine = Engine::new(
            peer,
            storage_id,
            storeops_sync::Role::Client,
            Config::default(),
        );
        self.enrolment = None;
        self.unconfirmed.clear();
        self.status = SyncStatus::default();
        self.notify(ClientEvent::Changed);
        Ok(())
    }

    /// Runs a domain command on the first tasks document; returns once it is durable.
    pub fn change_tasks<R>(
        &mut self,
        f: impl FnOnce(&mut automerge::Automerge, &Actor, i64) -> Result<R, DomainError>,
    ) -> Result<R, ClientError> {
        self.actor()?;
        let (_, tasks) = self.linked().ok_or(ClientError::NotSyncedYet)?;
        self.change_document(tasks, f)
    }

    /// Runs a domain command on the org document; returns once it is durable.
    pub fn change_org<R>(
        &mut self,
        f: impl FnOnce(&mut automerge::Automerge, &Actor, i64) -> Result<R, DomainError>,
    ) -> Result<R, ClientError> {
        self.actor()?;
        let (org, _) = self.linked().ok_or(ClientError::NotSyncedYet)?;
        self.change_document(org, f)
    }

    /// A device setting (e.g. which surveys were answered here).
    pub(crate) fn setting(&self, key: &str) -> Result<Option<String>, ClientError> {
        Ok(setting(&self.store, key)?)
    }

    pub(crate) fn set_setting(&self, key: &str, value: &str) -> Result<(), ClientError> {
        Ok(set_setting(&self.store, key, value)?)
    }

    /// This device's automerge actor id (hex): every change it makes carries it.
    pub fn automerge_actor(&self) -> String {
        self.actor.to_hex_string()
    }

    /// Removes a device setting.
    pub(crate) fn remove_setting(&self, key: &str) -> Result<(), ClientError> {
        self.store
            .connection()
            .execute("DELETE FROM device_settings WHERE key = ?1", [key])
            .map_err(storeops_storage::StorageError::from)?;
        Ok(())
    }

    /// The device settings whose key starts with `prefix`, as (key, value).
    pub(crate) fn settings_with_prefix(
        &self,
        prefix: &str,
    ) -> Result<Vec<(String, String)>, ClientError> {
        let conn = self.store.connection();
        let mut stmt = conn
            .prepare("SELECT key, value FROM device_settings WHERE substr(key, 1, ?2) = ?1")
            .map_err(storeops_storage::StorageError::from)?;
        let rows = stmt
            .query_map(rusqlite::params![prefix, prefix.len() as i64], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .and_then(Iterator::collect)
            .map_err(storeops_storage::StorageError::from)?;
        Ok(rows)
    }

    /// Runs a domain command on `doc`; durable when this returns.
    pub(crate) fn change_doc<R>(
        &mut self,
        doc: DocumentId,
        f: impl FnOnce(&mut automerge::Automerge, &Actor, i64) -> Result<R, DomainError>,
    ) -> Result<R, ClientError> {
        self.change_document(doc, f)
    }

    fn change_document<R>(
        &mut self,
        doc: DocumentId,
        f: impl FnOnce(&mut automerge::Automerge, &Actor, i64) -> Result<R, DomainError>,
    ) -> Result<R, ClientError> {
        let actor = self.actor()?;
        // A document that has not arrived from the relay yet is empty: changing it
        // would fork the store's history.
        if self
            .engine
            .document(&doc)
            .is_none_or(|d| d.get_heads().is_empty())
        {
            return Err(ClientError::NotSyncedYet);
        }
        let now = now_ms();
        let device_actor = self.actor.clone();
        let before = self.engine.document(&doc).map(|d| d.get_heads());
        let r = self
            .engine
            .change(doc, now as u64, |am| {
                am.set_actor(device_actor);
                f(am, &actor, now)
            })
            .map_err(|e| match e {
                storeops_sync::ChangeError::NotLoaded(_) => ClientError::NotSyncedYet,
                storeops_sync::ChangeError::Rejected(d) => ClientError::Domain(d),
            })?;
        if self.engine.document(&doc).map(|d| d.get_heads()) != before {
            *self.unconfirmed.entry(doc).or_default() += 1;
        }
        self.pump()?;
        Ok(r)
    }

    /// The tasks of the task views' documents (see [`periods`]); those that do not
    /// read are left out ([`Replica::unreadable`] names them).
    pub(crate) fn all_tasks(&self) -> Result<Vec<(String, storeops_domain::Task)>, ClientError> {
        let mut all = domain::Entities::default();
        for doc in self.task_docs() {
            if let Some(read) = self.read_noted(doc, domain::read_tasks_doc)? {
                all.merge(read.tasks);
            }
        }
        Ok(all.into_iter().collect())
    }

    /// The tasks of every tasks document this device keeps (the task views'
    /// weeks and any other week that arrived), one list per document, each read
    /// again only when its document changed.
    pub(crate) fn kept_tasks(&self) -> Result<Vec<TaskList>, ClientError> {
        let mut docs = self.task_docs();
        docs.extend(
            self.kind_docs(domain::kind::TASKS, |_| true)
                .into_iter()
                .map(|(_, d)| d),
        );
        docs.sort();
        docs.dedup();
        let mut lists = Vec::new();
        for doc in docs {
            let Some(heads) = self.arrived(&doc).map(|am| am.get_heads()) else {
                continue;
            };
            let cached = self
                .reads
                .borrow()
                .tasks
                .get(&doc)
                .filter(|(at, _)| *at == heads)
                .map(|(_, tasks)| tasks.clone());
            let tasks = match cached {
                Some(tasks) => tasks,
                None => {
                    let Some(read) = self.read_noted(doc, domain::read_tasks_doc)? else {
                        continue;
                    };
                    let tasks = std::sync::Arc::new(read.tasks.into_iter().collect::<Vec<_>>());
                    self.reads
                        .borrow_mut()
                        .tasks
                        .insert(doc, (heads, tasks.clone()));
                    tasks
                }
            };
            lists.push(tasks);
        }
        Ok(lists)
    }

    /// The tasks the lists show (open ones, and those finished today), of `actor`
    /// only if given; only these are hydrated.
    pub(crate) fn listed_tasks(
        &self,
        org: &storeops_domain::OrgDoc,
        actor: Option<&Actor>,
    ) -> Result<Vec<(String, storeops_domain::Task)>, ClientError> {
        // The store's zone is read once: today, and today's midnight in UTC ms (at the
        // offset of that moment; on the day of a clock change it is an hour off).
        let zone = self.zone();
        let today = zone.date_of(self.clock_ms());
        let midnight_utc = today.days_since_epoch() * 86_400_000;
        let since = midnight_utc - i64::from(zone.offset_minutes_at(midnight_utc)) * 60_000;
        // Document by document, to note what each could not read.
        let mut all = domain::Entities::default();
        for doc in self.task_docs() {
            let Some(am) = self.arrived(&doc) else {
                continue;
            };
            let listed = domain::split::list_tasks_in(&[am], Some(org), actor, today, since)?;
            self.note_unreadable(doc, listed.unreadable());
            all.merge(listed);
        }
        Ok(all.into_iter().collect())
    }

    /// The ids of the tasks in the task views' documents (no hydration).
    pub(crate) fn task_ids(&self) -> std::collections::BTreeSet<String> {
        use automerge::ReadDoc;
        let mut ids = std::collections::BTreeSet::new();
        for doc in self.task_docs() {
            let Some(am) = self.arrived(&doc) else {
                continue;
            };
            if let Ok(Some((automerge::Value::Object(automerge::ObjType::Map), tasks))) =
                am.get(automerge::ROOT, "tasks")
            {
                ids.extend(am.keys(&tasks));
            }
        }
        ids
    }

    /// The document holding task `id`.
    pub(crate) fn task_doc_of(&self, id: &str) -> Result<&automerge::Automerge, ClientError> {
        if self.linked().is_none() {
            return Err(ClientError::NotSyncedYet);
        }
        self.locate(domain::kind::TASKS, "tasks", id)
            .and_then(|d| self.arrived(&d))
            .ok_or_else(|| {
                ClientError::Domain(DomainError::NotFound {
                    what: storeops_domain::problem::Noun::Task,
                    id: id.to_owned(),
                })
            })
    }

    /// Runs a domain command on the document holding task `id`; durable on return.
    pub fn change_task<R>(
        &mut self,
        id: &str,
        f: impl FnOnce(&mut automerge::Automerge, &Actor, i64) -> Result<R, DomainError>,
    ) -> Result<R, ClientError> {
        self.actor()?;
        if self.linked().is_none() {
            return Err(ClientError::NotSyncedYet);
        }
        self.change_holding(domain::kind::TASKS, "tasks", id, f)
    }

    /// Runs a domain command on each of the task views' documents (e.g. moving all
    /// of a person's open work); one change per document that changed.
    pub fn change_each_tasks_doc<R>(
        &mut self,
        mut f: impl FnMut(&mut automerge::Automerge, &Actor, i64) -> Result<Vec<R>, DomainError>,
    ) -> Result<Vec<R>, ClientError> {
        self.actor()?;
        let mut all = Vec::new();
        for doc in self.task_docs() {
            all.extend(self.change_document(doc, &mut f)?);
        }
        Ok(all)
    }

    /// Today's date in the store's time zone (UTC when the zone is unknown).
    pub fn today(&self) -> String {
        self.today_date().to_string()
    }

    pub(crate) fn today_date(&self) -> storeops_domain::calendar::Date {
        self.zone().date_of(self.clock_ms())
    }

    /// Now, as this device's calendar sees it (Unix ms).
    fn clock_ms(&self) -> i64 {
        now_ms() + self.clock_shift_ms
    }

    /// Moves the device's calendar by `ms` from the system clock: what "today" is
    /// for its views and its recurring work (a test of a weekend in seconds).
    pub fn move_clock(&mut self, ms: i64) {
        self.clock_shift_ms = ms;
    }

    /// The store's time zone (UTC until the store's documents arrive, or if a
    /// document names a zone this build does not know).
    pub(crate) fn zone(&self) -> storeops_domain::calendar::Zone {
        self.store_profile()
            .and_then(|p| storeops_domain::calendar::Zone::named(&p.time_zone).ok())
            .unwrap_or_else(storeops_domain::calendar::Zone::utc)
    }

    /// Periodic upkeep while connected: offers again the documents the relay did not
    /// know yet, and (managers) opens the current periods' documents.
    pub fn tick(&mut self) -> Result<(), ClientError> {
        if self.link.is_none() {
            return Ok(());
        }
        self.open_current_periods()?;
        if self.recurring_incomplete {
            self.recurring_generated_for = None;
        }
        self.generate_recurring_tasks()?;
        self.retry_unavailable(true)
    }

    /// Offers the documents the relay answered `doc-unavailable` for again, once the
    /// root (which lists them) is confirmed; at most once a second each unless `now`.
    fn retry_unavailable(&mut self, force: bool) -> Result<(), ClientError> {
        let Some((conn, _)) = &self.link else {
            return Ok(());
        };
        let conn = *conn;
        let Some(root) = self.root_doc() else {
            return Ok(());
        };
        if self.unavailable.is_empty() || self.engine.unconfirmed_changes(conn, &root) != Some(0) {
            return Ok(());
        }
        let through: Vec<DocumentId> = self
            .unavailable
            .keys()
            .filter(|d| self.engine.in_sync_with(conn, d))
            .copied()
            .collect();
        for d in through {
            self.unavailable.remove(&d);
        }
        let now = now_ms();
        let due: Vec<DocumentId> = self
            .unavailable
            .iter()
            .filter(|(_, at)| force || now - **at >= 1_000)
            .map(|(d, _)| *d)
            .collect();
        for doc in due {
            self.unavailable.insert(doc, now);
            self.engine.resync(doc);
        }
        let mut changed = false;
        self.drain(&mut changed)
    }

    /// The sync connection opened; `outbox` carries frames to the relay.
    pub fn attach(
        &mut self,
        conn: ConnId,
        outbox: mpsc::UnboundedSender<Vec<u8>>,
    ) -> Result<(), ClientError> {
        self.link = Some((conn, outbox));
        self.engine.connected(conn, Access::full());
        self.pump()
    }

    /// A frame arrived from the relay.
    pub fn received(&mut self, conn: ConnId, frame: &[u8]) -> Result<(), ClientError> {
        self.engine.received(conn, frame, now_ms() as u64);
        self.pump()
    }

    /// The sync connection closed.
    pub fn detach(&mut self, conn: ConnId, error: Option<String>) -> Result<(), ClientError> {
        let linked = self.link.as_ref().map(|(c, _)| *c) == Some(conn);
        if linked {
            self.link = None;
        }
        self.engine.disconnected(conn);
        self.status.online = false;
        // An engine that closed the link said why already (a close frame's reason
        // is cut at 123 bytes).
        if let Some(e) = error
            && (linked || self.status.last_error.is_none())
        {
            self.status.last_error = Some(self.take_back_refused(e));
        }
        self.pump()?;
        self.notify(ClientEvent::Sync(self.status()));
        Ok(())
    }

    /// Records a failed connection attempt for the UI.
    pub fn connect_failed(&mut self, error: String) {
        self.status.online = false;
        self.status.last_error = Some(error);
        self.notify(ClientEvent::Sync(self.status()));
    }

    /// Tells the UI to re-read what it shows (e.g. a survey answer was sent).
    pub(crate) fn notify_changed(&self) {
        self.notify(ClientEvent::Changed);
    }

    fn notify(&self, event: ClientEvent) {
        if let Some(l) = &self.listener {
            l(event);
        }
    }

    /// Performs the engine's outputs (storage first, then frames), opening the
    /// documents the root links once it has arrived.
    fn pump(&mut self) -> Result<(), ClientError> {
        let mut changed = false;
        loop {
            self.drain(&mut changed)?;
            let mut opened = false;
            let linked = self.linked_all();
            if !linked.is_empty() {
                let open = self.engine.open_documents();
                for doc in linked {
                    if !open.contains(&doc) {
                        self.engine.open(doc, now_ms() as u64);
                        opened = true;
                    }
                }
            }
            if !opened {
                break;
            }
        }
        if let Some((conn, _)) = &self.link {
            let conn = *conn;
            let docs: Vec<DocumentId> = self.unconfirmed.keys().copied().collect();
            for doc in docs {
                match self.engine.unconfirmed_changes(conn, &doc) {
                    Some(0) => {
                        self.unconfirmed.remove(&doc);
                    }
                    Some(n) => {
                        self.unconfirmed
                            .insert(doc, u32::try_from(n).unwrap_or(u32::MAX));
                    }
                    None => {}
                }
            }
            if self.status.online && self.unconfirmed.is_empty() {
                self.status.last_synced_at = Some(now_ms());
            }
        }
        self.retry_unavailable(false)?;
        if changed {
            self.notify(ClientEvent::Changed);
        }
        self.notify(ClientEvent::Sync(self.status()));
        Ok(())
    }

    /// When the relay closed the connection because it refused some of this
    /// device's changes (a rule of a newer relay that this build broke), they
    /// are taken back here, so the rest syncs again; says so in the status.
    fn take_back_refused(&mut self, reason: String) -> String {
        let Some((rule, refused)) = storeops_sync::Refused::parse(&reason) else {
            return reason;
        };
        let rule = rule
            .strip_prefix("peer reported an error: ")
            .unwrap_or(&rule)
            .to_owned();
        let n = self.engine.drop_changes(refused.doc, &refused.changes);
        if n == 0 {
            // Told twice (the error, then the close): taken back already.
            return self.status.last_error.clone().unwrap_or(reason);
        }
        tracing::warn!(doc = %refused.doc, dropped = n, %rule, "the relay refused changes; taken back");
        format!(
            "the relay refused {n} change(s) made on this device, and they were undone here: {rule}"
        )
    }

    fn drain(&mut self, changed: &mut bool) -> Result<(), ClientError> {
        let mut batch: Vec<StorageOp> = Vec::new();
        while let Some(out) = self.engine.poll_output() {
            if let Output::Store(op) = out {
                batch.push(op);
                continue;
            }
            self.store.apply(&batch)?;
            batch.clear();
            match out {
                Output::Send { conn, frame } => {
                    if let Some((c, tx)) = &self.link
                        && *c == conn
                    {
                        let _ = tx.send(frame);
                    }
                }
                Output::Close { conn, reason } => {
                    if self.link.as_ref().map(|(c, _)| *c) == Some(conn) {
                        self.link = None;
                        self.status.online = false;
                        self.status.last_error = Some(self.take_back_refused(reason));
                    }
                }
                Output::Load { doc, .. } => {
                    let stored = self.store.load(&doc)?;
                    self.engine.loaded(doc, stored, now_ms() as u64);
                }
                Output::DocChanged { doc } => {
                    *changed = true;
                    self.unavailable.remove(&doc);
                }
                Output::DocUnavailable { doc } => {
                    // A period document made here before the relay saw it listed:
                    // offered again once the root is through.
                    if self.arrived(&doc).is_some() && self.linked_all().contains(&doc) {
                        self.unavailable.entry(doc).or_insert_with(now_ms);
                    } else {
                        self.status.last_error = Some(format!(
                            "the relay does not share document {doc} with this device"
                        ));
                    }
                }
                Output::PeerReady { .. } => {
                    self.status.online = true;
                    self.status.last_error = None;
                }
                Output::Corrupt { doc, error } => {
                    self.status.last_error =
                        Some(format!("the local copy of {doc} is damaged: {error}"));
                }
                Output::Rejected { .. } | Output::Store(_) => {}
            }
        }
        self.store.apply(&batch)?;
        Ok(())
    }
}
