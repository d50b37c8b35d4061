//! Several relay nodes on one PostgreSQL database (`docs/design/sync.md`,
//! "Several relay nodes").
//!
//! Every node serves every store: a device may connect to any of them. The
//! database is the one place of truth; a node tells the others what it wrote
//! by announcing each chunk it commits (`LISTEN/NOTIFY`), and a node holding
//! that document in memory reads what it has not seen and passes it on to its
//! devices, as if a device of its own had sent it. So a node that dies hands
//! nothing over: its devices reconnect (to another node, through the load
//! balancer) and sync from the database. Each node reports itself in
//! `relay_nodes` every second, for `storeops-relay nodes`.

use std::time::{Duration, Instant};

use storeops_storage::params;
use storeops_storage::sql::Database;
use storeops_storage_postgres::{Heard, Listener};

use crate::backend::Backend;
use crate::hub::{HubInput, Hubs};
use crate::metrics::Metrics;

/// How often a node reports itself.
pub const REPORT_EVERY: Duration = Duration::from_secs(1);
/// A node not heard of for this long counts as gone.
pub const GONE_AFTER_MS: i64 = 5_000;

/// A new node id for this process.
pub fn new_id() -> anyhow::Result<String> {
    Ok(format!("node-{}", &crate::registry::random_secret()?[..10]))
}

/// Starts the thread that follows the other nodes' writes and reports this
/// node; it ends once the engine threads have stopped.
pub fn start(
    backend: &Backend,
    node: &str,
    address: &str,
    hubs: &Hubs,
    metrics: &std::sync::Arc<Metrics>,
) -> anyhow::Result<()> {
    let Backend::Postgres(url) = backend else {
        return Ok(());
    };
    let mut listener = Listener::connect(url)?;
    let db = backend.sql()?;
    let started = crate::now_ms();
    let (node, address, hubs, metrics) = (
        node.to_owned(),
        address.to_owned(),
        hubs.clone(),
        metrics.clone(),
    );
    report(db.as_ref(), &node, &address, started, &metrics)?;
    std::thread::Builder::new()
        .name("storeops-nodes".into())
        .spawn(move || {
            let mut reported = Instant::now();
            loop {
                let forwarded = match listener.next(Duration::from_millis(200)) {
                    Ok(Heard::Chunk(note)) if note.writer != node => hubs
                        .for_store(&note.scope)
                        .send(HubInput::StoredElsewhere { doc: note.doc })
                        .is_ok(),
                    Ok(Heard::Reconnected) => {
                        tracing::info!("listening to the other nodes again; catching up");
                        hubs.all().iter().all(|h| h.send(HubInput::CatchUp).is_ok())
                    }
                    Ok(_) => true,
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot listen to the other nodes; retrying");
                        std::thread::sleep(Duration::from_secs(1));
                        true
                    }
                };
                if !forwarded {
                    return; // the engine threads are gone: the relay stopped
                }
                if reported.elapsed() >= REPORT_EVERY {
                    reported = Instant::now();
                    if let Err(e) = report(db.as_ref(), &node, &address, started, &metrics) {
                        tracing::warn!(error = %e, "cannot report this node");
                    }
                }
            }
        })?;
    Ok(())
}

fn report(
    db: &dyn Database,
    node: &str,
    address: &str,
    started: i64,
    metrics: &Metrics,
) -> Result<(), storeops_storage::StorageError> {
    db.run(
        "INSERT INTO relay_nodes (id, address, started_at, seen_at, connections, stores, documents)
         VALUES ($1, $2, $3, $4, $5, 0, $6)
         ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at,
           connections = excluded.connections, documents = excluded.documents",
        params![
            node,
            address,
            started,
            crate::now_ms(),
            metrics.connections() as i64,
            metrics.documents() as i64
        ],
    )?;
    Ok(())
}

/// A node as it last reported itself.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NodeInfo {
    pub id: String,
    pub address: String,
    pub started_at: i64,
    pub seen_at: i64,
    pub connections: i64,
    pub documents: i64,
    /// Heard of within [`GONE_AFTER_MS`] of `now`.
    pub alive: bool,
}

/// Every node that reported itself on `db`, the live ones first.
pub fn list(
    db: &dyn Database,
    now_ms: i64,
) -> Result<Vec<NodeInfo>, storeops_storage::StorageError> {
    let mut nodes = db
        .rows(
            "SELECT id, address, started_at, seen_at, connections, documents FROM relay_nodes",
            &[],
        )?
        .into_iter()
        .map(|r| {
            let seen_at: i64 = r.get(3)?;
            Ok(NodeInfo {
                id: r.get(0)?,
                address: r.get(1)?,
                started_at: r.get(2)?,
                seen_at,
                connections: r.get(4)?,
                documents: r.get(5)?,
                alive: now_ms - seen_at < GONE_AFTER_MS,
            })
        })
        .collect::<Result<Vec<_>, storeops_storage::StorageError>>()?;
    nodes.sort_by_key(|n| (!n.alive, std::cmp::Reverse(n.seen_at)));
    Ok(nodes)
}
