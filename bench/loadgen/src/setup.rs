//! Stores and devices for a run: on our relay through its registry (stores from
//! a seed template, one enrolled device — and token — per simulated device); on
//! a relay without auth, the same template documents made here, which the
//! first device of each store pushes before the run.

use anyhow::Context;
use automerge::Automerge;
use storeops_domain::calendar::Date;
use storeops_domain::{Role, StoreSetup, kind, new_store, template};
use storeops_relay::backend::Backend;
use storeops_relay::registry::Registry;
use storeops_storage::DocumentStore;
use storeops_sync::DocumentId;

/// The template every benchmark store starts from.
pub const TEMPLATE: &str = "plan1";

/// One store of a run.
#[derive(Debug, Clone)]
pub struct StoreFixture {
    /// The store's documents, in the order devices open them.
    pub docs: Vec<DocumentId>,
    /// Index in `docs` of the shared document edits go to (the tasks document).
    pub edit_doc: usize,
    /// One token per device slot (empty without auth).
    pub tokens: Vec<String>,
    /// The documents' content, for a relay that must be seeded by a device.
    pub seed: Option<Vec<Automerge>>,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Creates `stores` stores in our relay's database (a data directory: SQLite in
/// it; or a PostgreSQL database), each with `devices_per_store` enrolled staff
/// devices. Run it before the relay starts (or while it runs: SQLite is in WAL
/// mode). Off any async runtime on PostgreSQL (its client blocks on its own).
pub fn ours(
    database: impl Into<Backend>,
    stores: usize,
    devices_per_store: usize,
) -> anyhow::Result<Vec<StoreFixture>> {
    let backend = database.into();
    let mut reg = Registry::open(&backend)?;
    let now = now_ms();
    let today = Date::from_unix_ms(now, 0);
    let mut out = Vec::with_capacity(stores);
    for s in 0..stores {
        let info = reg.create_store(
            &format!("Bench store {s}"),
            TEMPLATE,
            "en",
            "UTC",
            today,
            now,
        )?;
        let mut docs_store = backend.documents("loadgen-setup")?;
        let mut docs = docs_store.documents_of(&info.id)?;
        // Root document first, as a device opens them.
        docs.sort_by_key(|(_, m)| match m.kind.as_str() {
            k if k == kind::STORE => 0,
            k if k == kind::ORG => 1,
            _ => 2,
        });
        let edit_doc = docs
            .iter()
            .position(|(_, m)| m.kind == kind::TASKS)
            .context("a new store has a tasks document")?;
        unassign_tasks(&mut *docs_store, &docs, edit_doc, now)?;
        let mut tokens = Vec::with_capacity(devices_per_store);
        for d in 0..devices_per_store {
            let code = reg.create_invite(&info.id, Role::Staff, None, now, 24 * 3_600_000)?;
            // Named as the device signs its edits (the relay checks it).
            let e = reg.enrol(&code, &format!("bench-{s}-{d}"), now)?;
            tokens.push(e.token);
        }
        out.push(StoreFixture {
            docs: docs.into_iter().map(|(id, _)| id).collect(),
            edit_doc,
            tokens,
            seed: None,
        });
    }
    Ok(out)
}

/// Leaves the store's tasks unassigned (the floor's shared list), so each staff
/// device may progress every one of them: the relay checks each write against
/// the rules of the device's role.
fn unassign_tasks(
    store: &mut dyn DocumentStore,
    docs: &[(DocumentId, storeops_sync::DocMeta)],
    edit_doc: usize,
    now: i64,
) -> anyhow::Result<()> {
    let load = |store: &dyn DocumentStore, id: &DocumentId| -> anyhow::Result<Automerge> {
        let stored = store.load(id)?.context("a store document is stored")?;
        let mut am = Automerge::new();
        for chunk in &stored.chunks {
            am.load_incremental(chunk)?;
        }
        Ok(am)
    };
    let org_id = docs
        .iter()
        .find(|(_, m)| m.kind == kind::ORG)
        .context("a new store has an org document")?
        .0;
    let org = storeops_domain::read_org(&load(&*store, &org_id)?)?;
    let (tasks_id, meta) = &docs[edit_doc];
    let mut am = load(&*store, tasks_id)?;
    let before = am.get_heads();
    let setup = storeops_domain::Actor::manager("Bench setup");
    for (id, _) in storeops_domain::read_tasks(&am)? {
        storeops_domain::reassign_task(&mut am, &org, &setup, &id, None, now)?;
    }
    store.apply(&[storeops_sync::StorageOp::Append {
        doc: *tasks_id,
        meta: meta.clone(),
        bytes: am.save_after(&before),
    }])?;
    Ok(())
}

/// Makes `stores` stores' documents (the same template as [`ours`]) with fresh
/// ids, to be pushed to a relay that creates documents when a client sends them.
pub fn seeded(stores: usize) -> anyhow::Result<Vec<StoreFixture>> {
    let tpl = template::template(TEMPLATE).context("the template exists")?;
    let now = now_ms();
    let today = Date::from_unix_ms(now, 0);
    let mut out = Vec::with_capacity(stores);
    for s in 0..stores {
        let (root, org, tasks) = (random_id()?, random_id()?, random_id()?);
        let setup = StoreSetup {
            id: format!("bench-{s}"),
            name: format!("Bench store {s}"),
            time_zone: "UTC".into(),
            locale: "en".into(),
            org_doc: org.to_string(),
            tasks_doc: tasks.to_string(),
        };
        let made = new_store(&setup, tpl, today, now)?;
        out.push(StoreFixture {
            docs: vec![root, org, tasks],
            edit_doc: 2,
            tokens: Vec::new(),
            seed: Some(vec![made.store, made.org, made.tasks]),
        });
    }
    Ok(out)
}

fn random_id() -> anyhow::Result<DocumentId> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no random numbers: {e}"))?;
    Ok(DocumentId::from_bytes(bytes))
}
