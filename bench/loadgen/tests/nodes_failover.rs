//! Three relay nodes — real `storeops-relay` processes — on one private
//! PostgreSQL server; 50 devices in 5 stores, spread over the nodes, edit all
//! the time. The node holding the most devices is killed with SIGKILL three
//! times, at random moments, and started again. Afterwards every edit any device
//! saw acknowledged is in the database, every device of a store has the same
//! heads as the others and as the database, and the devices that were on a
//! killed node synced again through another within the failover time that
//! `docs/operators.md` gives.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use automerge::{Automerge, ChangeHash, ReadDoc};
use futures_util::{SinkExt, StreamExt};
use storeops_loadgen::device::Device;
use storeops_loadgen::relay::{RelayProcess, default_relay_bin};
use storeops_loadgen::setup::{self, StoreFixture};
use storeops_loadgen::workload::open;
use storeops_relay::backend::Backend;
use storeops_storage_postgres::testing::PrivateServer;
use storeops_sync::PeerId;
use tokio_tungstenite::tungstenite::Message as WsMessage;

const STORES: usize = 5;
const DEVICES: usize = 10;
const NODES: usize = 3;
/// What `docs/operators.md` promises: a device on a killed node is synced again
/// through another node within this long.
const FAILOVER: Duration = Duration::from_secs(10);

/// What the test knows of one device while it runs.
#[derive(Default)]
struct Seen {
    /// The node (its address) the device's current session is on, once synced.
    on: Option<String>,
    /// When the device lost its session, until it synced again.
    lost_at: Option<Instant>,
    /// Edits the relay acknowledged.
    acked: Vec<ChangeHash>,
}

struct Shared {
    /// The nodes that run, by address: devices pick one, as a balancer would.
    live: Mutex<Vec<String>>,
    /// Devices edit while this is set.
    editing: AtomicBool,
    stop: AtomicBool,
    seen: Vec<Mutex<Seen>>,
    /// From a lost session to synced again, with the node killed.
    recoveries: Mutex<Vec<Duration>>,
    devices: Vec<Mutex<Option<Device>>>,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// A small xorshift generator: the kill moments vary from run to run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// One device for the whole test: sessions on whichever node is up.
async fn device(shared: Arc<Shared>, k: usize, token: String) {
    let mut device = shared.devices[k].lock().unwrap().take().unwrap();
    let mut attempt = k;
    while !shared.stop.load(Ordering::Relaxed) {
        let url = {
            let live = shared.live.lock().unwrap();
            live[attempt % live.len()].clone()
        };
        attempt += 1;
        let ended = session(&shared, k, &mut device, &url, &token).await;
        {
            let mut seen = shared.seen[k].lock().unwrap();
            seen.on = None;
            if ended.is_err() {
                seen.lost_at.get_or_insert_with(Instant::now);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    *shared.devices[k].lock().unwrap() = Some(device);
}

async fn session(
    shared: &Shared,
    k: usize,
    device: &mut Device,
    url: &str,
    token: &str,
) -> anyhow::Result<()> {
    let mut ws = open(url, Some(token)).await?;
    ws.send(WsMessage::Binary(device.connect().into())).await?;
    let mut pending: Option<ChangeHash> = None;
    let mut next_edit = tokio::time::Instant::now();
    loop {
        if shared.stop.load(Ordering::Relaxed) {
            let _ = ws.close(None).await;
            return Ok(());
        }
        tokio::select! {
            msg = ws.next() => {
                let frame = match msg {
                    Some(Ok(WsMessage::Binary(b))) => b,
                    Some(Ok(WsMessage::Close(_))) | None => anyhow::bail!("closed"),
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => return Err(e.into()),
                };
                let r = device.receive(&frame)?;
                for reply in r.replies {
                    ws.send(WsMessage::Binary(reply.into())).await?;
                }
                let recovered = {
                    let mut seen = shared.seen[k].lock().unwrap();
                    if r.edit_acknowledged
                        && let Some(hash) = pending.take()
                    {
                        seen.acked.push(hash);
                    }
                    if device.all_synced() && seen.on.is_none() {
                        seen.on = Some(url.to_owned());
                        seen.lost_at.take()
                    } else {
                        None
                    }
                };
                if let Some(at) = recovered {
                    shared.recoveries.lock().unwrap().push(at.elapsed());
                }
            }
            _ = tokio::time::sleep_until(next_edit) => {
                next_edit += Duration::from_millis(500 + (k as u64 * 37) % 500);
                if shared.editing.load(Ordering::Relaxed)
                    && device.all_synced()
                    && !device.edit_in_flight()
                    && let Some((hash, frame)) = device.edit(now_ms())
                {
                    pending = Some(hash);
                    ws.send(WsMessage::Binary(frame.into())).await?;
                }
            }
        }
    }
}

fn start_node(dir: &std::path::Path, node: usize, database: &str) -> RelayProcess {
    let data = dir.join(format!("node-{node}"));
    RelayProcess::start_ours(
        &default_relay_bin(),
        &data,
        Some(database),
        &dir.join(format!("node-{node}-{}.log", now_ms())),
        true,
        true,
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_lose_nothing_acknowledged_when_the_busiest_is_killed_again_and_again() {
    let pg = tokio::task::spawn_blocking(PrivateServer::start)
        .await
        .unwrap()
        .unwrap();
    let database = std::thread::scope(|s| {
        s.spawn(|| pg.create_database("failover").unwrap())
            .join()
            .unwrap()
    });
    let backend = Backend::Postgres(database.clone());
    let b = backend.clone();
    let stores: Vec<StoreFixture> =
        tokio::task::spawn_blocking(move || setup::ours(&b, STORES, DEVICES))
            .await
            .unwrap()
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut nodes: Vec<RelayProcess> = (0..NODES)
        .map(|n| start_node(dir.path(), n, &database))
        .collect();

    let mut devices = Vec::new();
    let mut tokens = Vec::new();
    for (s, store) in stores.iter().enumerate() {
        for d in 0..DEVICES {
            let docs = store
                .docs
                .iter()
                .map(|id| (*id, Automerge::new()))
                .collect();
            // Named as setup enrolled the device (the relay checks who signs).
            devices.push(Mutex::new(Some(Device::new(
                PeerId::new(format!("bench-{s}-{d}")),
                docs,
                store.edit_doc,
            ))));
            tokens.push(store.tokens[d].clone());
        }
    }
    let shared = Arc::new(Shared {
        live: Mutex::new(nodes.iter().map(|n| n.url.clone()).collect()),
        editing: AtomicBool::new(true),
        stop: AtomicBool::new(false),
        seen: (0..STORES * DEVICES).map(|_| Mutex::default()).collect(),
        recoveries: Mutex::new(Vec::new()),
        devices,
    });
    let tasks: Vec<_> = tokens
        .into_iter()
        .enumerate()
        .map(|(k, token)| tokio::spawn(device(shared.clone(), k, token)))
        .collect();
    let synced = |shared: &Shared| shared.seen.iter().all(|s| s.lock().unwrap().on.is_some());
    let deadline = Instant::now() + Duration::from_secs(120);
    while !synced(&shared) {
        assert!(Instant::now() < deadline, "not every device synced");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let mut rng = Rng(now_ms() as u64 | 1);
    let mut failovers = Vec::new();
    for round in 0..3 {
        tokio::time::sleep(Duration::from_millis(1000 + rng.below(2000))).await;
        // The node with the most devices on it now.
        let mut load: HashMap<String, usize> = HashMap::new();
        for s in &shared.seen {
            if let Some(on) = &s.lock().unwrap().on {
                *load.entry(on.clone()).or_default() += 1;
            }
        }
        let (busiest, held) = load.into_iter().max_by_key(|(_, n)| *n).unwrap();
        let victim = nodes.iter().position(|n| n.url == busiest).unwrap();
        shared.live.lock().unwrap().retain(|u| *u != busiest);
        let on_it: Vec<usize> = (0..shared.seen.len())
            .filter(|&k| shared.seen[k].lock().unwrap().on.as_deref() == Some(&busiest))
            .collect();
        let killed_at = Instant::now();
        drop(nodes.remove(victim)); // SIGKILL
        // … and the node again (on a new port), as a supervisor would start it.
        nodes.insert(victim, start_node(dir.path(), victim, &database));
        shared.live.lock().unwrap().push(nodes[victim].url.clone());
        let back = Instant::now() + Duration::from_secs(60);
        while !on_it
            .iter()
            .all(|&k| shared.seen[k].lock().unwrap().on.is_some())
        {
            assert!(
                Instant::now() < back,
                "round {round}: devices of the killed node did not sync again"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let took = killed_at.elapsed();
        eprintln!(
            "round {round}: killed the node holding {held} devices; all of them synced again after {took:?}"
        );
        failovers.push(took);
    }

    // Quiet: the last edits reach everyone, then the devices stop.
    shared.editing.store(false, Ordering::Relaxed);
    tokio::time::sleep(Duration::from_secs(3)).await;
    shared.stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    drop(nodes);

    // Every acknowledged edit is in the database; every device of a store has
    // the heads the database has.
    let acked: HashSet<ChangeHash> = shared
        .seen
        .iter()
        .flat_map(|s| s.lock().unwrap().acked.clone())
        .collect();
    assert!(acked.len() > 100, "only {} edits acknowledged", acked.len());
    let stored: HashMap<_, Vec<ChangeHash>> = std::thread::scope(|s| {
        s.spawn(|| {
            let docs = backend.documents("test").unwrap();
            let mut out = HashMap::new();
            let mut missing = acked.clone();
            for store in &stores {
                for id in &store.docs {
                    let stored = docs.load(id).unwrap().unwrap();
                    let mut am = Automerge::new();
                    for chunk in &stored.chunks {
                        am.load_incremental(chunk).unwrap();
                    }
                    missing.retain(|h| am.get_change_by_hash(h).is_none());
                    let mut heads = am.get_heads();
                    heads.sort();
                    out.insert(*id, heads);
                }
            }
            assert!(
                missing.is_empty(),
                "{} acknowledged edits are not in the database",
                missing.len()
            );
            out
        })
        .join()
        .unwrap()
    });
    for (k, slot) in shared.devices.iter().enumerate() {
        let device = slot.lock().unwrap();
        for (id, mut heads) in device.as_ref().unwrap().heads() {
            heads.sort();
            assert_eq!(
                heads, stored[&id],
                "device {k}: document {id} differs from the database"
            );
        }
    }
    let recoveries = shared.recoveries.lock().unwrap().clone();
    eprintln!(
        "{} edits acknowledged; failovers {failovers:?}; {} sessions lost and synced again, longest {:?}",
        acked.len(),
        recoveries.len(),
        recoveries.iter().max()
    );
    for took in failovers {
        assert!(took < FAILOVER, "failover took {took:?}");
    }
}
