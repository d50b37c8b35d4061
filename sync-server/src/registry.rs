//! Stores, invites and devices: who may connect, and to which store.
//!
//! Secrets (invite codes, device tokens) are random, shown once, and stored only
//! as SHA-256 hashes.

use std::path::Path;

use automerge::Automerge;
use sha2::{Digest, Sha256};
use storeops_domain::calendar::Date;
use storeops_domain::{Role, StoreSetup, access, kind, new_store, recurring, split, template};
use storeops_storage::sql::{Database, Row};
use storeops_storage::{DocumentStore, Migrations, StorageError, migrate, params};
use storeops_sync::{DocMeta, DocumentId, StorageOp};

use crate::backend::Backend;

/// The relay's own tables on SQLite.
const SQLITE_REGISTRY: &[&str] = &[
    "
    CREATE TABLE stores (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        root_doc TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE invites (
        code_hash BLOB PRIMARY KEY,
        store_id TEXT NOT NULL REFERENCES stores(id),
        role TEXT NOT NULL,
        person TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        redeemed_at INTEGER
    );
    CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        store_id TEXT NOT NULL REFERENCES stores(id),
        role TEXT NOT NULL,
        person TEXT,
        name TEXT NOT NULL,
        token_hash BLOB NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
    );
",
    "
    ALTER TABLE devices ADD COLUMN expires_at INTEGER;
",
    "
    CREATE TABLE store_grants (
        code_hash BLOB PRIMARY KEY,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        redeemed_at INTEGER,
        store_id TEXT
    );
",
    "
    CREATE INDEX devices_by_revocation ON devices(revoked_at);
    -- Facts of the relay as a whole (its storage id), whichever node asks.
    CREATE TABLE relay_facts (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    -- The relay nodes on this database, each as it last reported itself.
    CREATE TABLE relay_nodes (
        id TEXT PRIMARY KEY,
        address TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        seen_at INTEGER NOT NULL,
        connections INTEGER NOT NULL,
        stores INTEGER NOT NULL,
        documents INTEGER NOT NULL
    );
",
];

/// The relay's own tables, on both backends. Only ever append, to both.
const REGISTRY_MIGRATIONS: Migrations = Migrations {
    sqlite: SQLITE_REGISTRY,
    postgres: &[
        "
    CREATE TABLE stores (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        root_doc TEXT NOT NULL,
        created_at BIGINT NOT NULL
    );
    CREATE TABLE invites (
        code_hash BYTEA PRIMARY KEY,
        store_id TEXT NOT NULL REFERENCES stores(id),
        role TEXT NOT NULL,
        person TEXT,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        redeemed_at BIGINT
    );
    CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        store_id TEXT NOT NULL REFERENCES stores(id),
        role TEXT NOT NULL,
        person TEXT,
        name TEXT NOT NULL,
        token_hash BYTEA NOT NULL UNIQUE,
        created_at BIGINT NOT NULL,
        revoked_at BIGINT
    );
",
        "
    ALTER TABLE devices ADD COLUMN expires_at BIGINT;
",
        "
    CREATE TABLE store_grants (
        code_hash BYTEA PRIMARY KEY,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        redeemed_at BIGINT,
        store_id TEXT
    );
",
        "
    CREATE INDEX devices_by_revocation ON devices(revoked_at);
    CREATE TABLE relay_facts (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE relay_nodes (
        id TEXT PRIMARY KEY,
        address TEXT NOT NULL,
        started_at BIGINT NOT NULL,
        seen_at BIGINT NOT NULL,
        connections BIGINT NOT NULL,
        stores BIGINT NOT NULL,
        documents BIGINT NOT NULL
    );
",
    ],
};

/// How long a device token stays valid; then the device enrols again.
pub const TOKEN_LIFETIME_MS: i64 = 400 * 24 * 3_600_000;

/// The database file in a data directory.
pub fn database_path(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join("relay.sqlite")
}

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("there is no store {0:?}; `storeops-relay store list` shows them")]
    UnknownStore(String),
    #[error("there is no template {0:?}; choose plan1, plan2 or plan3")]
    UnknownTemplate(String),
    #[error(
        "the invite code is not valid, has expired or was already used; ask a manager for a new one"
    )]
    InvalidInvite,
    #[error(
        "the new-store code is not valid, has expired or was already used; ask whoever runs the relay for a new one"
    )]
    InvalidGrant,
    #[error("there is no device {0:?}; `storeops-relay device list` shows them")]
    UnknownDevice(String),
    #[error("{0}")]
    Invalid(String),
    #[error("could not build the store's documents: {0}")]
    Domain(#[from] storeops_domain::DomainError),
    #[error("no secure random numbers available: {0}")]
    Random(String),
}

/// 32 random bytes as lowercase hex.
pub fn random_secret() -> Result<String, RegistryError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| RegistryError::Random(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn random_document_id() -> Result<DocumentId, RegistryError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| RegistryError::Random(e.to_string()))?;
    Ok(DocumentId::from_bytes(bytes))
}

/// A one-time code short enough to type on a phone: 16 hex characters in groups of four.
fn typeable_code() -> Result<String, RegistryError> {
    let raw = &random_secret()?[..16];
    Ok(format!(
        "{}-{}-{}-{}",
        &raw[..4],
        &raw[4..8],
        &raw[8..12],
        &raw[12..]
    ))
}

fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.trim().as_bytes()).to_vec()
}

/// A device allowed to connect.
#[derive(Clone, PartialEq, Eq)]
pub struct Device {
    pub id: String,
    pub store_id: String,
    pub role: Role,
    pub person: Option<String>,
    pub name: String,
    pub revoked: bool,
    /// Unix ms after which the token no longer works (`None`: never).
    pub expires_at: Option<i64>,
}

impl Device {
    /// Whether the device may connect at `now_ms`: not revoked, not expired.
    pub fn usable_at(&self, now_ms: i64) -> bool {
        !self.revoked && self.expires_at.is_none_or(|e| now_ms < e)
    }

    /// The role this device acts with under its store's chart `org`: its
    /// person's, from the positions they hold ([`access::role_of`]); the role it
    /// was enrolled with when it is linked to no one (an operator's device) or
    /// to someone the chart does not hold yet. `None`: its person has left.
    pub fn role_in(&self, org: &storeops_domain::OrgDoc) -> Option<Role> {
        match self.person.as_deref() {
            Some(p) if org.people.contains_key(p) => access::role_of(org, p),
            _ => Some(self.role),
        }
    }
}

impl std::fmt::Debug for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Device")
            .field("id", &self.id)
            .field("store_id", &self.store_id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// Stores' root documents (a store's never changes), each looked up once.
#[derive(Debug, Default)]
pub struct Roots(std::collections::HashMap<String, DocumentId>);

impl Roots {
    /// The root document of `store_id`, if the store exists.
    pub fn of(&mut self, registry: &Registry, store_id: &str) -> Option<DocumentId> {
        if let Some(root) = self.0.get(store_id) {
            return Some(*root);
        }
        let root: DocumentId = registry
            .store(store_id)
            .ok()?
            .root_document_id
            .parse()
            .ok()?;
        self.0.insert(store_id.to_owned(), root);
        Some(root)
    }
}

/// What redeeming an invite gives the device (the token is shown only here): the
/// relay's HTTP answer, defined once in `storeops_api`.
pub use storeops_api::relay::Enrolled as Enrolment;

/// A store as listed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoreInfo {
    pub id: String,
    pub name: String,
    pub root_document_id: String,
}

/// The registry over the relay's database.
pub struct Registry {
    db: Box<dyn Database>,
    docs: Box<dyn DocumentStore + Send>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry").finish_non_exhaustive()
    }
}

fn store_info(r: &Row) -> Result<StoreInfo, StorageError> {
    Ok(StoreInfo {
        id: r.get(0)?,
        name: r.get(1)?,
        root_document_id: r.get(2)?,
    })
}

impl Registry {
    /// Opens the registry on `backend`, creating and migrating its tables
    /// (and the documents' tables) as needed.
    pub fn open(backend: impl Into<Backend>) -> Result<Self, RegistryError> {
        let backend = backend.into();
        let docs = backend.documents("registry")?;
        let mut db = backend.sql()?;
        migrate(db.as_mut(), "registry", &REGISTRY_MIGRATIONS)?;
        Ok(Self { db, docs })
    }

    fn conn(&self) -> &dyn Database {
        self.db.as_ref()
    }

    /// A fact of the relay as a whole, made by `make` the first time anyone
    /// asks (on a shared database, whichever node asks first).
    pub fn fact(
        &mut self,
        name: &str,
        make: impl FnOnce() -> Result<String, RegistryError>,
    ) -> Result<String, RegistryError> {
        let get = |db: &dyn Database| -> Result<Option<String>, RegistryError> {
            Ok(db
                .row(
                    "SELECT value FROM relay_facts WHERE name = $1",
                    params![name],
                )?
                .map(|r| r.get(0))
                .transpose()?)
        };
        if let Some(value) = get(self.conn())? {
            return Ok(value);
        }
        self.conn().run(
            "INSERT INTO relay_facts (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            params![name, make()?],
        )?;
        get(self.conn())?
            .ok_or_else(|| RegistryError::Invalid(format!("the relay's {name} vanished")))
    }

    /// Creates a store from a seed template: its documents and its record.
    pub fn create_store(
        &mut self,
        name: &str,
        template_id: &str,
        locale: &str,
        time_zone: &str,
        today: Date,
        now_ms: i64,
    ) -> Result<StoreInfo, RegistryError> {
        let people = People::Nobody;
        self.create_store_with(name, template_id, locale, time_zone, today, now_ms, people)
            .map(|(store, _)| store)
    }

    /// Like [`Registry::create_store`], with sample staff holding every position.
    pub fn create_demo_store(
        &mut self,
        name: &str,
        template_id: &str,
        locale: &str,
        time_zone: &str,
        today: Date,
        now_ms: i64,
    ) -> Result<StoreInfo, RegistryError> {
        let people = People::Demo { history: false };
        self.create_store_with(name, template_id, locale, time_zone, today, now_ms, people)
            .map(|(store, _)| store)
    }

    /// Like [`Registry::create_demo_store`], with eight weeks of history before
    /// `today` ([`storeops_domain::demo::write_history`]): a store that looks
    /// like one in use (`cargo xtask run`'s).
    pub fn create_lived_in_store(
        &mut self,
        name: &str,
        template_id: &str,
        locale: &str,
        time_zone: &str,
        today: Date,
        now_ms: i64,
    ) -> Result<StoreInfo, RegistryError> {
        let people = People::Demo { history: true };
        self.create_store_with(name, template_id, locale, time_zone, today, now_ms, people)
            .map(|(store, _)| store)
    }

    #[allow(clippy::too_many_arguments)]
    fn create_store_with(
        &mut self,
        name: &str,
        template_id: &str,
        locale: &str,
        time_zone: &str,
        today: Date,
        now_ms: i64,
        people: People<'_>,
    ) -> Result<(StoreInfo, Option<String>), RegistryError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(RegistryError::Invalid(
                "a store name is 1 to 100 characters".into(),
            ));
        }
        if !matches!(locale, "zh-CN" | "en") {
            return Err(RegistryError::Invalid(format!(
                "{locale:?} is not a supported language; use zh-CN or en"
            )));
        }
        let tpl = template::template(template_id)
            .ok_or_else(|| RegistryError::UnknownTemplate(template_id.into()))?;
        let store_id = format!("store-{}", &random_secret()?[..12]);
        let (root, org, tasks) = (
            random_document_id()?,
            random_document_id()?,
            random_document_id()?,
        );
        let setup = StoreSetup {
            id: store_id.clone(),
            name: name.into(),
            time_zone: time_zone.into(),
            locale: locale.into(),
            org_doc: org.to_string(),
            tasks_doc: tasks.to_string(),
        };
        let mut docs = new_store(&setup, tpl, today, now_ms)?;
        let person = match people {
            People::Nobody => None,
            People::Demo { .. } => {
                storeops_domain::demo::add_people(&mut docs.org, locale, now_ms)?;
                None
            }
            People::Opener(name) => Some(add_opener(&mut docs.org, name, now_ms)?),
        };
        // Its periods open from the start, with this and next week's daily work,
        // as the relay keeps them open later (`periods.rs`).
        let relay = storeops_domain::Actor::manager("Storeops");
        let new_id = || {
            random_document_id()
                .map(|d| d.to_string())
                .map_err(|e| storeops_domain::DomainError::Automerge(e.to_string()))
        };
        let mut periods = split::open_periods(&mut docs.store, &relay, today, now_ms, new_id)?;
        let read_org = storeops_domain::read_org(&docs.org)?;
        let first: std::collections::BTreeSet<String> = storeops_domain::read_tasks(&docs.tasks)?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let weeks = periods.iter_mut().filter(|(k, _, _)| *k == kind::TASKS);
        for (i, (_, _, am)) in weeks.enumerate() {
            let monday = today.week_start().add_days(7 * i as i64);
            let owed = recurring::owed_in_week(&read_org, monday, today, |id| first.contains(id));
            recurring::write_owed(am, &read_org, &owed, &relay, now_ms)?;
        }
        // A demo store has eight weeks behind it, in the weeks, months and years
        // before (and the days of this week gone by).
        if matches!(people, People::Demo { history: true }) {
            let seed = storeops_domain::demo::SEED;
            let past =
                storeops_domain::demo::write_history(&mut docs, &mut periods, today, seed, new_id)?;
            periods.extend(past);
        }
        let op = |doc: DocumentId, kind: &str, am: &Automerge| StorageOp::Compact {
            doc,
            meta: DocMeta::new(store_id.clone(), kind),
            bytes: storeops_sync::save_whole(am),
        };
        let mut ops = vec![
            op(root, kind::STORE, &docs.store),
            op(org, kind::ORG, &docs.org),
            op(tasks, kind::TASKS, &docs.tasks),
        ];
        for (kind, id, am) in &periods {
            let doc = id
                .parse()
                .map_err(|_| RegistryError::Invalid(format!("{id:?} is not a document id")))?;
            ops.push(op(doc, kind, am));
        }
        // Documents first, then the record: a store never lacks its documents, and
        // documents orphaned by a failure in between are unreachable and harmless.
        self.docs.apply(&ops)?;
        self.conn().run(
            "INSERT INTO stores (id, name, root_doc, created_at) VALUES ($1, $2, $3, $4)",
            params![store_id.as_str(), name, root.to_string(), now_ms],
        )?;
        Ok((
            StoreInfo {
                id: store_id,
                name: name.into(),
                root_document_id: root.to_string(),
            },
            person,
        ))
    }

    pub fn stores(&self) -> Result<Vec<StoreInfo>, RegistryError> {
        let rows = self.conn().rows(
            "SELECT id, name, root_doc FROM stores ORDER BY created_at, id",
            &[],
        )?;
        Ok(rows.iter().map(store_info).collect::<Result<_, _>>()?)
    }

    /// A store's org chart, as stored (what the relay has acknowledged).
    pub fn org_chart(&self, store_id: &str) -> Result<storeops_domain::OrgDoc, RegistryError> {
        let read = |id: &str| -> Result<Automerge, RegistryError> {
            let doc: DocumentId = id
                .parse()
                .map_err(|_| RegistryError::Invalid(format!("{id:?} is not a document id")))?;
            let stored = self
                .docs
                .load(&doc)?
                .ok_or_else(|| RegistryError::Invalid(format!("the relay has no document {id}")))?;
            storeops_sync::load_chunks(&stored.chunks).map_err(RegistryError::Invalid)
        };
        let root = read(&self.store(store_id)?.root_document_id)?;
        let org = read(&storeops_domain::read_store(&root)?.documents.org)?;
        Ok(storeops_domain::read_org(&org)?)
    }

    fn store(&self, id: &str) -> Result<StoreInfo, RegistryError> {
        self.conn()
            .row(
                "SELECT id, name, root_doc FROM stores WHERE id = $1",
                params![id],
            )?
            .map(|r| store_info(&r))
            .transpose()?
            .ok_or_else(|| RegistryError::UnknownStore(id.into()))
    }

    /// Creates a one-time code that lets an app open a new store on this relay
    /// (`POST /v1/stores`), valid for `valid_ms`.
    pub fn create_store_grant(
        &mut self,
        now_ms: i64,
        valid_ms: i64,
    ) -> Result<String, RegistryError> {
        let code = typeable_code()?;
        self.conn().run(
            "INSERT INTO store_grants (code_hash, created_at, expires_at) VALUES ($1, $2, $3)",
            params![hash(&code), now_ms, now_ms.saturating_add(valid_ms)],
        )?;
        Ok(code)
    }

    /// Redeems a new-store code: creates the store from `template_id` and enrols
    /// the calling device as its director. Nothing is created unless the code is
    /// good; a code opens one store.
    pub fn open_store(
        &mut self,
        req: &storeops_api::relay::NewStore,
        today: Date,
        now_ms: i64,
    ) -> Result<Enrolment, RegistryError> {
        let device_name = req.device_name.trim();
        if device_name.is_empty() || device_name.chars().count() > 100 {
            return Err(RegistryError::Invalid(
                "a device name is 1 to 100 characters".into(),
            ));
        }
        let person_name = req
            .person_name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or(device_name);
        if person_name.chars().count() > storeops_domain::text::limits::TITLE {
            return Err(RegistryError::Invalid(format!(
                "a name is at most {} characters",
                storeops_domain::text::limits::TITLE
            )));
        }
        if let Err(e) = storeops_domain::calendar::Zone::named(&req.time_zone) {
            return Err(RegistryError::Invalid(e.to_string()));
        }
        let usable = self
            .conn()
            .row(
                "SELECT 1 FROM store_grants
                 WHERE code_hash = $1 AND redeemed_at IS NULL AND expires_at > $2",
                params![hash(&req.code), now_ms],
            )?
            .is_some();
        if !usable {
            return Err(RegistryError::InvalidGrant);
        }
        // The registry is used by one caller at a time (the relay holds it behind a
        // mutex), so the check above still holds here.
        let (store, person) = self.create_store_with(
            &req.name,
            &req.template,
            &req.locale,
            &req.time_zone,
            today,
            now_ms,
            People::Opener(person_name),
        )?;
        let redeemed = self.conn().run(
            "UPDATE store_grants SET redeemed_at = $2, store_id = $3
             WHERE code_hash = $1 AND redeemed_at IS NULL",
            params![hash(&req.code), now_ms, store.id.as_str()],
        )?;
        if redeemed != 1 {
            return Err(RegistryError::InvalidGrant);
        }
        let invite =
            self.create_invite(&store.id, Role::Director, person.as_deref(), now_ms, 60_000)?;
        self.enrol(&invite, device_name, now_ms)
    }

    /// Creates a one-time invite code, valid for `valid_ms`.
    pub fn create_invite(
        &mut self,
        store_id: &str,
        role: Role,
        person: Option<&str>,
        now_ms: i64,
        valid_ms: i64,
    ) -> Result<String, RegistryError> {
        self.store(store_id)?;
        let code = typeable_code()?;
        self.conn().run(
            "INSERT INTO invites (code_hash, store_id, role, person, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            params![
                hash(&code),
                store_id,
                role.as_str(),
                person,
                now_ms,
                now_ms + valid_ms
            ],
        )?;
        Ok(code)
    }

    /// Redeems an invite once, creating a device and its token.
    pub fn enrol(
        &mut self,
        code: &str,
        device_name: &str,
        now_ms: i64,
    ) -> Result<Enrolment, RegistryError> {
        let device_name = device_name.trim();
        if device_name.is_empty() || device_name.chars().count() > 100 {
            return Err(RegistryError::Invalid(
                "a device name is 1 to 100 characters".into(),
            ));
        }
        let token = random_secret()?;
        let device_id = format!("dev-{}", &random_secret()?[..12]);
        let tx = self.db.transaction()?;
        let Some(invite) = tx.row(
            "UPDATE invites SET redeemed_at = $2
             WHERE code_hash = $1 AND redeemed_at IS NULL AND expires_at > $2
             RETURNING store_id, role, person",
            params![hash(code), now_ms],
        )?
        else {
            return Err(RegistryError::InvalidInvite);
        };
        let (store_id, role, person): (String, String, Option<String>) =
            (invite.get(0)?, invite.get(1)?, invite.get(2)?);
        let role: Role = role.parse().map_err(|_| {
            RegistryError::Invalid(format!("the invite names an unknown role {role:?}"))
        })?;
        tx.run(
            "INSERT INTO devices (id, store_id, role, person, name, token_hash, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            params![
                device_id.as_str(),
                store_id.as_str(),
                role.as_str(),
                person.clone(),
                device_name,
                hash(&token),
                now_ms,
                now_ms.saturating_add(TOKEN_LIFETIME_MS)
            ],
        )?;
        let store = tx
            .row(
                "SELECT name, root_doc FROM stores WHERE id = $1",
                params![store_id.as_str()],
            )?
            .ok_or_else(|| RegistryError::UnknownStore(store_id.clone()))?;
        let (store_name, root): (String, String) = (store.get(0)?, store.get(1)?);
        tx.commit()?;
        Ok(Enrolment {
            device_id,
            token,
            store_id,
            store_name,
            root_document_id: root,
            role,
            person,
        })
    }

    /// The device holding `token`, if any (revoked devices included, flagged).
    pub fn device_by_token(&self, token: &str) -> Result<Option<Device>, RegistryError> {
        Ok(self
            .conn()
            .row(
                "SELECT id, store_id, role, person, name, revoked_at IS NOT NULL, expires_at
                 FROM devices WHERE token_hash = $1",
                params![hash(token)],
            )?
            .map(|r| row_to_device(&r))
            .transpose()?)
    }

    /// The device holding `token` as it signs in: acting with the role its
    /// person's positions give in the relay's copy of the store's org chart
    /// ([`Device::role_in`]); a device whose person has left is revoked here
    /// (its open connections are cut by the engine thread, which follows the
    /// chart too).
    pub fn sign_in(&mut self, token: &str, now_ms: i64) -> Result<Option<Device>, RegistryError> {
        let Some(mut device) = self.device_by_token(token)? else {
            return Ok(None);
        };
        if device.person.is_none() || !device.usable_at(now_ms) {
            return Ok(Some(device));
        }
        let org = match self.org_chart(&device.store_id) {
            Ok(org) => org,
            Err(e) => {
                // Unreadable here: the role it was enrolled with, as before roles
                // followed positions.
                tracing::warn!(device = %device.id, error = %e, "org chart unreadable at sign-in");
                return Ok(Some(device));
            }
        };
        match device.role_in(&org) {
            Some(role) => device.role = role,
            None => {
                tracing::info!(device = %device.id, "its person has left the store; device revoked");
                self.revoke(&device.id, now_ms)?;
                device.revoked = true;
            }
        }
        Ok(Some(device))
    }

    pub fn devices(&self) -> Result<Vec<Device>, RegistryError> {
        let rows = self.conn().rows(
            "SELECT id, store_id, role, person, name, revoked_at IS NOT NULL, expires_at FROM devices ORDER BY created_at, id",
            &[],
        )?;
        Ok(rows.iter().map(row_to_device).collect::<Result<_, _>>()?)
    }

    /// Revokes a device; its connections are cut by the running relay.
    pub fn revoke(&mut self, device_id: &str, now_ms: i64) -> Result<(), RegistryError> {
        let n = self.conn().run(
            "UPDATE devices SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1",
            params![device_id, now_ms],
        )?;
        if n == 0 {
            return Err(RegistryError::UnknownDevice(device_id.into()));
        }
        Ok(())
    }

    /// Ids of devices revoked at or after `since_ms` (an indexed lookup, cheap
    /// however many devices are connected).
    pub fn revoked_since(&self, since_ms: i64) -> Result<Vec<String>, RegistryError> {
        let rows = self.conn().rows(
            "SELECT id FROM devices WHERE revoked_at >= $1",
            params![since_ms],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect::<Result<_, _>>()?)
    }
}

/// Who a new store's org chart starts with.
enum People<'a> {
    Nobody,
    /// Sample staff in every position, and with `history` eight weeks behind them.
    Demo {
        history: bool,
    },
    /// Whoever opens it from the app, by name.
    Opener(&'a str),
}

/// The opener of a store, as the person holding the template's top position
/// (the first that reports to no one); their person id.
fn add_opener(org: &mut Automerge, name: &str, now_ms: i64) -> Result<String, RegistryError> {
    let chart = storeops_domain::read_org(org)?;
    let top = chart
        .positions
        .iter()
        .find(|(_, p)| p.reports_to.is_none())
        .map(|(id, _)| id.clone())
        .ok_or_else(|| RegistryError::Invalid("the template has no top position".into()))?;
    let id = format!("person-{}", &random_secret()?[..12]);
    storeops_domain::org::add_person(
        org,
        &storeops_domain::Actor::manager(name),
        &id,
        name,
        "",
        &[top.as_str()],
        now_ms,
    )?;
    Ok(id)
}

fn row_to_device(r: &Row) -> Result<Device, StorageError> {
    let role: String = r.get(2)?;
    Ok(Device {
        id: r.get(0)?,
        store_id: r.get(1)?,
        // An unreadable role gets the least privilege.
        role: role.parse().unwrap_or(Role::Staff),
        person: r.get(3)?,
        name: r.get(4)?,
        revoked: r.get(5)?,
        expires_at: r.get(6)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> (tempfile::TempDir, Registry) {
        let dir = tempfile::tempdir().unwrap();
        let reg = Registry::open(dir.path()).unwrap();
        (dir, reg)
    }

    /// Runs `check` on a new registry on SQLite, then on one on a private
    /// PostgreSQL server: the registry's contract holds on both backends.
    fn on_each_backend(check: impl Fn(&mut Registry)) {
        let (_dir, mut reg) = registry();
        check(&mut reg);
        let pg = storeops_storage_postgres::testing::PrivateServer::start().unwrap();
        let url = pg.create_database("registry").unwrap();
        let mut reg = Registry::open(Backend::Postgres(url)).unwrap();
        check(&mut reg);
    }

    fn today() -> Date {
        Date::new(2026, 11, 28).unwrap()
    }

    /// A store from the smallest template and an invite to it for `role`.
    fn store_with_invite(reg: &mut Registry, role: Role) -> (StoreInfo, String) {
        let s = reg
            .create_store("Demo", "plan1", "en", "UTC", today(), 0)
            .unwrap();
        let code = reg.create_invite(&s.id, role, None, 0, 1000).unwrap();
        (s, code)
    }

    #[test]
    fn a_store_is_created_with_its_documents_and_the_coming_weeks_open() {
        on_each_backend(|reg| {
            let s = reg
                .create_store("Demo", "plan3", "zh-CN", "Asia/Shanghai", today(), 0)
                .unwrap();
            let docs = reg.docs.documents_of(&s.id).unwrap();
            let mut kinds: Vec<_> = docs.iter().map(|(_, m)| m.kind.as_str()).collect();
            kinds.sort();
            // 28 November: this and next week, November's and December's feedback.
            assert_eq!(
                kinds,
                [
                    "assessment",
                    "feedback",
                    "feedback",
                    "meetings",
                    "org",
                    "plans",
                    "store",
                    "tasks",
                    "tasks",
                    "tasks"
                ]
            );
            assert_eq!(reg.stores().unwrap().len(), 1);
            // Each is listed in the root, and next week holds its daily duties' work.
            let load = |id: &DocumentId| {
                let stored = reg.docs.load(id).unwrap().unwrap();
                let mut am = Automerge::new();
                for c in &stored.chunks {
                    am.load_incremental(c).unwrap();
                }
                am
            };
            let root: DocumentId = s.root_document_id.parse().unwrap();
            let store = storeops_domain::read_store(&load(&root)).unwrap();
            for (k, period) in [
                ("tasks", "2026-W48"),
                ("tasks", "2026-W49"),
                ("feedback", "2026-12"),
            ] {
                assert_eq!(
                    split::period_docs(&store, k, period).len(),
                    1,
                    "{k}/{period}"
                );
            }
            let next_week: DocumentId = split::period_docs(&store, "tasks", "2026-W49")[0]
                .parse()
                .unwrap();
            let work = storeops_domain::read_tasks(&load(&next_week)).unwrap();
            assert!(
                work.iter()
                    .any(|(id, t)| id.ends_with("@2026-11-30") && t.source_duty.is_some()),
                "{work:?}"
            );
        });
    }

    #[test]
    fn a_demo_store_has_someone_in_every_position_and_eight_weeks_behind_it() {
        on_each_backend(|reg| {
            let now = 1_795_860_000_000; // 28 November 2026, 10:00 in Shanghai
            let started = std::time::Instant::now();
            let s = reg
                .create_lived_in_store("Demo", "plan3", "zh-CN", "Asia/Shanghai", today(), now)
                .unwrap();
            eprintln!("demo store created in {:?}", started.elapsed());
            let load = |id: &DocumentId| {
                let stored = reg.docs.load(id).unwrap().unwrap();
                let mut am = Automerge::new();
                for c in &stored.chunks {
                    am.load_incremental(c).unwrap();
                }
                am
            };
            let org = storeops_domain::read_org(&load(&root_org(reg, &s.id))).unwrap();
            for id in org.positions.keys() {
                assert!(
                    org.people
                        .values()
                        .any(|p| p.held_positions().contains(&id.as_str())),
                    "{id} has nobody"
                );
            }
            // Every period the root lists is stored: the eight weeks before this
            // one with their work, done or not, and the months and years before.
            let root: DocumentId = s.root_document_id.parse().unwrap();
            let store = storeops_domain::read_store(&load(&root)).unwrap();
            let stored = reg.docs.documents_of(&s.id).unwrap();
            assert_eq!(
                stored.len(),
                3 + store.documents.periods.len(),
                "{stored:?}"
            );
            for week in 40..=49 {
                let ids = split::period_docs(&store, kind::TASKS, &format!("2026-W{week}"));
                assert_eq!(ids.len(), 1, "W{week}");
                let tasks = storeops_domain::read_tasks(&load(&ids[0].parse().unwrap())).unwrap();
                if week < 48 {
                    let done = tasks
                        .iter()
                        .filter(|(_, t)| t.status == storeops_domain::TaskStatus::Done)
                        .count();
                    assert!(
                        done > 20 && done < tasks.len(),
                        "W{week}: {done} of {}",
                        tasks.len()
                    );
                }
            }
            for (k, period) in [
                ("feedback", "2026-10"),
                ("plans", "2026"),
                ("meetings", "2026"),
            ] {
                assert_eq!(
                    split::period_docs(&store, k, period).len(),
                    1,
                    "{k}/{period}"
                );
            }
            let plans = split::period_docs(&store, kind::PLANS, "2026");
            let plans =
                storeops_domain::plans::read_plans(&load(&plans[0].parse().unwrap())).unwrap();
            assert!(plans.plans.len() >= 8);
        });
    }

    #[test]
    fn a_store_or_demo_store_without_history_has_none() {
        on_each_backend(|reg| {
            let plain = reg
                .create_store("Real", "plan3", "zh-CN", "Asia/Shanghai", today(), 0)
                .unwrap();
            let demo = reg
                .create_demo_store("Demo", "plan3", "zh-CN", "Asia/Shanghai", today(), 0)
                .unwrap();
            for s in [plain, demo] {
                let root: DocumentId = s.root_document_id.parse().unwrap();
                let stored = reg.docs.load(&root).unwrap().unwrap();
                let am = storeops_sync::load_chunks(&stored.chunks).unwrap();
                let store = storeops_domain::read_store(&am).unwrap();
                assert!(split::period_docs(&store, kind::TASKS, "2026-W47").is_empty());
                assert_eq!(store.documents.periods.len(), 7, "{}", s.name);
            }
        });
    }

    fn root_org(reg: &Registry, store: &str) -> DocumentId {
        reg.docs
            .documents_of(store)
            .unwrap()
            .into_iter()
            .find(|(_, m)| m.kind == "org")
            .unwrap()
            .0
    }

    #[test]
    fn bad_store_input_is_refused_and_nothing_is_created() {
        on_each_backend(|reg| {
            for (name, tpl, locale) in [
                ("", "plan1", "en"),
                ("X", "plan9", "en"),
                ("X", "plan1", "fr"),
            ] {
                assert!(
                    reg.create_store(name, tpl, locale, "UTC", today(), 0)
                        .is_err()
                );
            }
            assert!(reg.stores().unwrap().is_empty());
        });
    }

    #[test]
    fn an_invite_is_redeemed_once_and_the_token_finds_the_device() {
        on_each_backend(|reg| {
            let (s, code) = store_with_invite(reg, Role::Staff);
            let e = reg.enrol(&code, "Phone", 10).unwrap();
            assert_eq!(e.root_document_id, s.root_document_id);
            let d = reg.device_by_token(&e.token).unwrap().unwrap();
            assert_eq!((d.store_id.as_str(), d.role), (s.id.as_str(), Role::Staff));
            assert!(matches!(
                reg.enrol(&code, "Phone 2", 11),
                Err(RegistryError::InvalidInvite)
            ));
            assert!(reg.device_by_token("forged").unwrap().is_none());
        });
    }

    #[test]
    fn an_expired_or_unknown_invite_is_refused() {
        on_each_backend(|reg| {
            let (_, code) = store_with_invite(reg, Role::Staff);
            assert!(matches!(
                reg.enrol(&code, "Phone", 5000),
                Err(RegistryError::InvalidInvite)
            ));
            assert!(matches!(
                reg.enrol("0000-0000-0000-0000", "P", 1),
                Err(RegistryError::InvalidInvite)
            ));
            assert!(
                reg.create_invite("store-nope", Role::Staff, None, 0, 1)
                    .is_err()
            );
        });
    }

    #[test]
    fn secrets_are_stored_only_as_hashes() {
        let (dir, mut reg) = registry();
        let (_, code) = store_with_invite(&mut reg, Role::Manager);
        let e = reg.enrol(&code, "Laptop", 1).unwrap();
        drop(reg);
        let bytes = std::fs::read(database_path(dir.path())).unwrap();
        let wal = std::fs::read(dir.path().join("relay.sqlite-wal")).unwrap_or_default();
        for secret in [code.as_bytes(), e.token.as_bytes()] {
            assert!(!bytes.windows(secret.len()).any(|w| w == secret));
            assert!(!wal.windows(secret.len()).any(|w| w == secret));
        }
        // On PostgreSQL: no row of any table holds them.
        let pg = storeops_storage_postgres::testing::PrivateServer::start().unwrap();
        let url = pg.create_database("registry").unwrap();
        let mut reg = Registry::open(Backend::Postgres(url)).unwrap();
        let (_, code) = store_with_invite(&mut reg, Role::Manager);
        let e = reg.enrol(&code, "Laptop", 1).unwrap();
        let tables = reg
            .db
            .rows(
                "SELECT table_name::TEXT FROM information_schema.tables WHERE table_schema = 'public'",
                &[],
            )
            .unwrap();
        assert!(tables.len() > 5, "{} tables", tables.len());
        for t in tables {
            let t: String = t.get(0).unwrap();
            for row in reg
                .db
                .rows(&format!("SELECT x::TEXT FROM \"{t}\" x"), &[])
                .unwrap()
            {
                let text: String = row.get(0).unwrap();
                assert!(!text.contains(&code) && !text.contains(&e.token), "{t}");
            }
        }
    }

    #[test]
    fn a_token_expires_after_its_lifetime() {
        on_each_backend(|reg| {
            let (_, code) = store_with_invite(reg, Role::Staff);
            let e = reg.enrol(&code, "Phone", 10).unwrap();
            let d = reg.device_by_token(&e.token).unwrap().unwrap();
            assert!(d.usable_at(10 + TOKEN_LIFETIME_MS - 1));
            assert!(!d.usable_at(10 + TOKEN_LIFETIME_MS));
        });
    }

    #[test]
    fn a_revoked_device_is_reported_revoked() {
        on_each_backend(|reg| {
            let (_, code) = store_with_invite(reg, Role::Staff);
            let e = reg.enrol(&code, "Phone", 1).unwrap();
            reg.revoke(&e.device_id, 2).unwrap();
            assert!(reg.device_by_token(&e.token).unwrap().unwrap().revoked);
            assert_eq!(reg.revoked_since(2).unwrap(), vec![e.device_id]);
            assert!(reg.revoked_since(3).unwrap().is_empty());
            assert!(reg.revoke("dev-nope", 3).is_err());
        });
    }
}
