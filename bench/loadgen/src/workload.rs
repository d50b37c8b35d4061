//! The workload: M stores × N devices against one relay URL, in three phases.
//!
//! 1. **connect** — every device connects, says `join`, and syncs every document
//!    of its store from nothing (`request`); measured: time and documents/s.
//! 2. **saturate** — closed loop: each device makes its next edit as soon as the
//!    relay acknowledged the previous one (its sync answer carries heads that
//!    include the edit), for a time or until a number of edits (the same work
//!    for every relay: each edit makes the stores' histories longer, and every
//!    later edit dearer to apply, so a faster relay that runs for the same time
//!    also works on longer histories); measured: edits/s the relay applied,
//!    deliveries/s.
//! 3. **steady** — each device makes task edits to its store's tasks document at
//!    a fixed mean rate (Poisson arrivals), reconnects now and then (keeping its
//!    documents and sync states, as a device does), and new devices join their
//!    store and sync from nothing; measured: edit-to-visible latency (the edit's
//!    commit on device A to the moment device B of the same store has applied
//!    it, for every B that was connected and synced when A edited), reconnect
//!    and join times.
//!
//! Every device runs as one tokio task with one WebSocket; clients are
//! [`Device`]s (automerge documents and sync states, no storage).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use automerge::{Automerge, ChangeHash};
use futures_util::{FutureExt, SinkExt, StreamExt};
use storeops_sync::PeerId;
use tokio::net::TcpStream;
use tokio::sync::{Semaphore, watch};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::device::Device;
use crate::setup::StoreFixture;
use crate::stats::{Percentiles, cpu_time, proc_status_kib, tree_cpu_time};

/// What the devices do.
#[derive(Debug, Clone)]
pub struct Workload {
    pub devices_per_store: usize,
    /// Devices per store that join during the steady phase.
    pub joins_per_store: usize,
    pub steady: Duration,
    /// Mean task edits per second per device in the steady phase.
    pub edit_rate: f64,
    /// Mean time between a device's reconnects in the steady phase; `None`: never.
    pub reconnect_every: Option<Duration>,
    pub saturate: Saturation,
    /// Devices syncing their first time at once in the connect phase.
    pub connect_concurrency: usize,
    /// Gives up on the connect phase after this long.
    pub connect_timeout: Duration,
    /// One more device of the first store, its token in an attacker's hands,
    /// attacks the relay from the saturate phase to the end.
    pub attack: Option<Attack>,
}

/// What the attacker of [`Workload::attack`] does, as fast as the relay lets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attack {
    /// Forged writes (a task's title set to a number): each refused, the
    /// connection closed, and again.
    Forged,
    /// Enrolment with guessed invite codes, from 8 connections at once on one
    /// address (`POST /v1/enrol`).
    Enrol,
    /// Connections on the lifted token, 64 at a time, held open, again and again.
    Connections,
    /// Valid sync messages the relay must read and answer, on 8 connections of
    /// the lifted token at once, without waiting for answers.
    Messages,
}

impl Attack {
    pub const ALL: [Attack; 4] = [
        Attack::Forged,
        Attack::Enrol,
        Attack::Connections,
        Attack::Messages,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Attack::Forged => "forged",
            Attack::Enrol => "enrol",
            Attack::Connections => "connections",
            Attack::Messages => "messages",
        }
    }
}

impl std::str::FromStr for Attack {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Attack::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| format!("no attack {s:?}: forged, enrol, connections or messages"))
    }
}

impl Default for Workload {
    fn default() -> Self {
        Self {
            devices_per_store: 10,
            joins_per_store: 1,
            steady: Duration::from_secs(20),
            edit_rate: 1.0,
            reconnect_every: Some(Duration::from_secs(30)),
            saturate: Saturation::For(Duration::from_secs(10)),
            connect_concurrency: 64,
            connect_timeout: Duration::from_secs(300),
            attack: None,
        }
    }
}

/// How long the closed-loop phase runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saturation {
    /// For this long.
    For(Duration),
    /// Until the relay acknowledged this many edits, in all stores together
    /// (or [`Saturation::LONGEST`] passed).
    Edits(u64),
}

impl Saturation {
    /// A run by edit count ends after this long in any case.
    pub const LONGEST: Duration = Duration::from_secs(600);
}

impl std::fmt::Display for Saturation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::For(d) => write!(f, "for {} s", d.as_secs_f64()),
            Self::Edits(n) => write!(f, "until {n} edits"),
        }
    }
}

/// Where the devices connect.
#[derive(Debug, Clone)]
pub struct Target {
    /// The relay's WebSocket address, one per node when several nodes share a
    /// database: device k connects to node k mod N first and, after a session
    /// that failed, to the next node (what a load balancer does).
    pub urls: Vec<String>,
    pub stores: Vec<StoreFixture>,
    /// The relay processes (one per node), for their memory and CPU time.
    pub relay_pids: Vec<u32>,
    /// The database server's main process, for the CPU time of it and its
    /// backends (PostgreSQL; none for embedded SQLite).
    pub database_pid: Option<u32>,
    /// A node killed in the steady phase.
    pub kill: Option<Kill>,
    /// Each store's devices on one node (store k on node k mod N, as a balancer
    /// that hashes on the store puts them); else spread device by device.
    pub by_store: bool,
}

impl Target {
    /// One relay at `url`.
    pub fn one(url: String, stores: Vec<StoreFixture>, relay_pid: Option<u32>) -> Self {
        Self {
            urls: vec![url],
            stores,
            relay_pids: relay_pid.into_iter().collect(),
            database_pid: None,
            kill: None,
            by_store: false,
        }
    }

    /// The sum of a `/proc/PID/status` field over the relay processes still running.
    fn relay_kib(&self, field: &str) -> Option<u64> {
        let each: Vec<u64> = self
            .relay_pids
            .iter()
            .filter_map(|&p| proc_status_kib(p, field))
            .collect();
        (!each.is_empty()).then(|| each.iter().sum())
    }

    /// The CPU time of the relay processes still running.
    fn relay_cpu(&self) -> Option<Duration> {
        let each: Vec<Duration> = self
            .relay_pids
            .iter()
            .filter_map(|&p| cpu_time(p))
            .collect();
        (!each.is_empty()).then(|| each.iter().sum())
    }
}

/// SIGKILL for relay process `pid`, `after` this long into the steady phase
/// (its devices fail over to the other nodes).
#[derive(Debug, Clone, Copy)]
pub struct Kill {
    pub pid: u32,
    pub after: Duration,
}

/// What a run measured.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub stores: usize,
    /// Every device of the run, joiners included.
    pub devices: usize,
    /// Devices connected when `rss_connected_kib` was read (joiners come later).
    pub devices_connected: usize,
    pub docs_per_store: usize,
    pub connect_time: Duration,
    /// Device × document pairs synced from nothing in the connect phase.
    pub docs_synced: u64,
    pub docs_per_sec: f64,
    pub steady_time: Duration,
    /// From the start of the steady phase until every device heard the last
    /// of it: the span its CPU times cover.
    pub steady_settled: Duration,
    pub steady_edits: u64,
    pub steady_latency: Percentiles,
    pub reconnects: u64,
    pub reconnect_time: Percentiles,
    pub join_time: Percentiles,
    pub saturate_time: Duration,
    pub saturate_edits: u64,
    pub edits_per_sec: f64,
    pub deliveries_per_sec: f64,
    pub saturate_latency: Percentiles,
    /// Edit to the relay's acknowledgement at the editing device (steady phase):
    /// the relay applied (and, ours, stored) it and answered.
    pub ack_latency: Percentiles,
    /// Sessions that ended in an error (refused, closed by the relay, bad frame).
    pub errors: u64,
    pub first_error: Option<String>,
    /// The attacker's attempts (writes, enrolments, connections, messages
    /// sent) and those the relay refused (an error, a 429, a close), with
    /// [`Workload::attack`].
    pub attack_attempts: u64,
    pub attack_refused: u64,
    /// The relay's resident set before any device connected, in KiB.
    pub rss_before_kib: Option<u64>,
    /// … with every device connected and synced, before edits.
    pub rss_connected_kib: Option<u64>,
    /// The relay's peak resident set over its life (VmHWM), in KiB.
    pub rss_peak_kib: Option<u64>,
    /// The relay's CPU time in the steady and saturate phases.
    pub relay_cpu_steady: Option<Duration>,
    pub relay_cpu_saturate: Option<Duration>,
    /// The database server's CPU time (it and its backends) in those phases.
    pub database_cpu_steady: Option<Duration>,
    pub database_cpu_saturate: Option<Duration>,
    /// Relay nodes the devices were spread over.
    pub nodes: usize,
    /// From a session lost to an error (its node killed, say) until the device
    /// had synced again, through whichever node took it.
    pub recovery: Percentiles,
    /// This process's CPU time over the saturate and steady phases.
    pub loadgen_cpu_saturate: Option<Duration>,
    pub loadgen_cpu_steady: Option<Duration>,
}

impl Report {
    /// Resident memory per connected device (connected − before), in KiB.
    pub fn rss_per_device_kib(&self) -> Option<f64> {
        let (a, b) = (self.rss_before_kib?, self.rss_connected_kib?);
        Some(b.saturating_sub(a) as f64 / self.devices_connected.max(1) as f64)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Connect,
    Steady,
    /// No new edits; deliveries in flight finish.
    Settle,
    Saturate,
    Done,
}

#[derive(Default)]
struct Counters {
    devices_ready: AtomicU64,
    docs_synced: AtomicU64,
    steady_edits: AtomicU64,
    saturate_acked: AtomicU64,
    deliveries: AtomicU64,
    frames: AtomicU64,
    reconnects: AtomicU64,
    errors: AtomicU64,
    attack_attempts: AtomicU64,
    attack_refused: AtomicU64,
}

#[derive(Default)]
struct Samples {
    steady: Vec<u32>,
    saturate: Vec<u32>,
    ack: Vec<u32>,
    /// (when seen, latency µs) of steady samples, with `LOADGEN_TIMELINE=1`.
    timeline: Vec<(Instant, u32)>,
    reconnect: Vec<u32>,
    recovery: Vec<u32>,
    join: Vec<u32>,
    first_error: Option<String>,
}

struct Ctx {
    urls: Vec<String>,
    phase: watch::Receiver<Phase>,
    /// Per store: edits not yet seen everywhere, by hash: when and in which phase.
    edits: Vec<Mutex<HashMap<ChangeHash, (Instant, Phase)>>>,
    counters: Counters,
    samples: Mutex<Samples>,
    connect_limit: Semaphore,
    workload: Workload,
}

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

fn micros(d: Duration) -> u32 {
    d.as_micros().min(u128::from(u32::MAX)) as u32
}

fn wall_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A small deterministic generator for arrival times and jitter.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// Uniform in (0, 1].
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        ((self.0 >> 11) as f64 + 1.0) / (1u64 << 53) as f64
    }

    /// An exponential interval with the given mean.
    fn exp(&mut self, mean: Duration) -> Duration {
        mean.mul_f64(-self.unit().ln())
    }
}

/// Opens a WebSocket, with the device's token when there is one.
pub async fn open(url: &str, token: Option<&str>) -> anyhow::Result<Ws> {
    let mut request = url.into_client_request()?;
    if let Some(t) = token {
        request
            .headers_mut()
            .insert("authorization", format!("Bearer {t}").parse()?);
    }
    let (ws, _) = tokio::time::timeout(
        Duration::from_secs(20),
        tokio_tungstenite::connect_async_with_config(request, Some(client_config()), true),
    )
    .await
    .context("the relay did not accept the connection within 20 s")??;
    Ok(ws)
}

/// Clients stay cheap: the WebSocket library zero-fills its whole read buffer
/// (128 KiB by default) on the first read, for every connection.
fn client_config() -> tokio_tungstenite::tungstenite::protocol::WebSocketConfig {
    tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default().read_buffer_size(8 * 1024)
}

async fn send_all(ws: &mut Ws, frames: Vec<Vec<u8>>) -> anyhow::Result<()> {
    if frames.is_empty() {
        return Ok(());
    }
    for f in frames {
        ws.feed(WsMessage::Binary(f.into())).await?;
    }
    ws.flush().await?;
    Ok(())
}

/// Pushes each store's seed documents to a relay that has none (the reference
/// relay creates a document when a client syncs it), and waits until it has them.
pub async fn seed(url: &str, stores: &[StoreFixture]) -> anyhow::Result<()> {
    let mut tasks = Vec::new();
    for (s, store) in stores.iter().enumerate() {
        let Some(seed) = store.seed.clone() else {
            continue;
        };
        let docs = store.docs.iter().copied().zip(seed).collect();
        let mut device = Device::new(PeerId::new(format!("seeder-{s}")), docs, store.edit_doc);
        let url = url.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut ws = open(&url, None).await?;
            send_all(&mut ws, vec![device.connect()]).await?;
            while !device.all_synced() {
                let msg = tokio::time::timeout(Duration::from_secs(30), ws.next())
                    .await
                    .context("the relay stopped answering while being seeded")?;
                match msg {
                    Some(Ok(WsMessage::Binary(b))) => {
                        let r = device.receive(&b)?;
                        send_all(&mut ws, r.replies).await?;
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => return Err(e.into()),
                    None => anyhow::bail!("the relay closed the connection while being seeded"),
                }
            }
            let _ = ws.close(None).await;
            anyhow::Ok(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    Ok(())
}

/// Runs the three phases against `target` and reports.
pub async fn run(target: Target, workload: Workload) -> anyhow::Result<Report> {
    let stores = target.stores.len();
    let n = workload.devices_per_store;
    let joins = workload.joins_per_store;
    anyhow::ensure!(
        stores > 0 && n > 0,
        "a run needs at least one store and one device"
    );
    let attacker_slot = n + joins;
    for s in &target.stores {
        anyhow::ensure!(
            s.tokens.is_empty()
                || s.tokens.len() >= n + joins + usize::from(workload.attack.is_some()),
            "each store needs {} device tokens, one per device and join (and the attacker)",
            n + joins + usize::from(workload.attack.is_some())
        );
    }
    anyhow::ensure!(!target.urls.is_empty(), "a run needs a relay address");
    let docs_per_store = target.stores[0].docs.len();
    let rss = |field| target.relay_kib(field);
    let cpu = || target.relay_cpu();
    let database_cpu = || target.database_pid.and_then(tree_cpu_time);
    let rss_before_kib = rss("VmRSS");

    let (phase_tx, phase) = watch::channel(Phase::Connect);
    let ctx = Arc::new(Ctx {
        urls: target.urls.clone(),
        phase,
        edits: (0..stores).map(|_| Mutex::new(HashMap::new())).collect(),
        counters: Counters::default(),
        samples: Mutex::new(Samples::default()),
        connect_limit: Semaphore::new(workload.connect_concurrency.max(1)),
        workload: workload.clone(),
    });

    // Phase 1: connect.
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (s, store) in target.stores.iter().enumerate() {
        for d in 0..n {
            let device = fresh_device(store, s, d);
            let token = store.tokens.get(d).cloned();
            tasks.push(tokio::spawn(device_task(
                ctx.clone(),
                s,
                device,
                token,
                false,
                if target.by_store { s } else { s * n + d },
                (s * 1000 + d) as u64,
            )));
        }
    }
    let total = (stores * n) as u64;
    while ctx.counters.devices_ready.load(Ordering::Relaxed) < total {
        anyhow::ensure!(
            started.elapsed() < workload.connect_timeout,
            "only {} of {total} devices synced within {:?}; first error: {:?}",
            ctx.counters.devices_ready.load(Ordering::Relaxed),
            workload.connect_timeout,
            first_error(&ctx)
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let connect_time = started.elapsed();
    let docs_synced = ctx.counters.docs_synced.load(Ordering::Relaxed);
    // Let the relay settle (the JS relay saves documents on a debounce) before reading memory.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_connected_kib = rss("VmRSS");

    // Phase 2: saturate (before the open-loop steady phase, so a relay that fell
    // behind there carries no backlog into this measurement).
    let cpu0 = cpu();
    let database_cpu0 = database_cpu();
    let me = std::process::id();
    let my_cpu0 = cpu_time(me);
    let acked0 = ctx.counters.saturate_acked.load(Ordering::Relaxed);
    let delivered0 = ctx.counters.deliveries.load(Ordering::Relaxed);
    let attacker = workload.attack.map(|attack| {
        let store = target.stores[0].clone();
        let token = store.tokens.get(attacker_slot).cloned();
        let ctx = ctx.clone();
        tokio::spawn(async move {
            match attack {
                Attack::Forged => forged_writes(ctx, store, token, attacker_slot).await,
                Attack::Enrol => enrol_flood(ctx).await,
                Attack::Connections => connection_flood(ctx, token).await,
                Attack::Messages => message_flood(ctx, store, token, attacker_slot).await,
            }
        })
    });
    let _ = phase_tx.send(Phase::Saturate);
    let sat_started = Instant::now();
    let acked = || ctx.counters.saturate_acked.load(Ordering::Relaxed) - acked0;
    let timeline = std::env::var_os("LOADGEN_TIMELINE").is_some();
    let (mut second, mut at_second) = (0, 0);
    loop {
        let elapsed = sat_started.elapsed();
        let done = match workload.saturate {
            Saturation::For(d) => elapsed >= d,
            Saturation::Edits(n) => acked() >= n || elapsed >= Saturation::LONGEST,
        };
        if timeline && (elapsed.as_secs() > second || done) {
            let now = acked();
            eprintln!(
                "saturate second {second}: {} edits, relay RSS {} KiB",
                now - at_second,
                rss("VmRSS").unwrap_or(0)
            );
            (second, at_second) = (elapsed.as_secs(), now);
        }
        if done {
            break;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let saturate_time = sat_started.elapsed();
    let saturate_edits = acked();
    let delivered = ctx.counters.deliveries.load(Ordering::Relaxed) - delivered0;
    let relay_cpu_saturate = cpu().zip(cpu0).map(|(b, a)| b.saturating_sub(a));
    let database_cpu_saturate = database_cpu()
        .zip(database_cpu0)
        .map(|(b, a)| b.saturating_sub(a));
    let loadgen_cpu_saturate = cpu_time(me).zip(my_cpu0).map(|(b, a)| b.saturating_sub(a));
    let _ = phase_tx.send(Phase::Settle);
    quiesce(&ctx).await;
    for e in &ctx.edits {
        lock(e).clear();
    }

    // Phase 3: steady, with joins spread over it.
    let cpu0 = cpu();
    let database_cpu0 = database_cpu();
    let my_steady0 = cpu_time(me);
    let _ = phase_tx.send(Phase::Steady);
    let steady_started = Instant::now();
    if let Some(kill) = target.kill {
        tokio::spawn(async move {
            tokio::time::sleep(kill.after).await;
            let killed = std::process::Command::new("kill")
                .args(["-KILL", &kill.pid.to_string()])
                .status();
            eprintln!("killed relay node {} ({killed:?})", kill.pid);
        });
    }
    let join_total = stores * joins;
    for j in 0..join_total {
        let at = workload
            .steady
            .mul_f64((j as f64 + 0.5) / join_total as f64);
        tokio::time::sleep_until(tokio::time::Instant::from_std(steady_started + at)).await;
        let s = j % stores;
        let slot = n + j / stores;
        let store = &target.stores[s];
        let device = joining_device(store, s, slot);
        let token = store.tokens.get(slot).cloned();
        tasks.push(tokio::spawn(device_task(
            ctx.clone(),
            s,
            device,
            token,
            true,
            if target.by_store { s } else { j },
            (s * 1000 + slot) as u64,
        )));
    }
    tokio::time::sleep_until(tokio::time::Instant::from_std(
        steady_started + workload.steady,
    ))
    .await;
    let steady_time = steady_started.elapsed();
    let _ = phase_tx.send(Phase::Settle);
    quiesce(&ctx).await;
    let steady_settled = steady_started.elapsed();
    let relay_cpu_steady = cpu().zip(cpu0).map(|(b, a)| b.saturating_sub(a));
    let database_cpu_steady = database_cpu()
        .zip(database_cpu0)
        .map(|(b, a)| b.saturating_sub(a));
    let loadgen_cpu_steady = cpu_time(me)
        .zip(my_steady0)
        .map(|(b, a)| b.saturating_sub(a));
    let steady_edits = ctx.counters.steady_edits.load(Ordering::Relaxed);
    for e in &ctx.edits {
        lock(e).clear();
    }

    let _ = phase_tx.send(Phase::Done);
    finish(tasks, Duration::from_secs(5)).await;
    if let Some(a) = attacker {
        a.abort();
    }

    let samples = std::mem::take(&mut *lock(&ctx.samples));
    if !samples.timeline.is_empty() {
        let mut worst: std::collections::BTreeMap<u64, (u32, usize)> = Default::default();
        for (at, us) in &samples.timeline {
            let sec = at.saturating_duration_since(steady_started).as_secs();
            let e = worst.entry(sec).or_default();
            e.0 = e.0.max(*us);
            e.1 += 1;
        }
        for (sec, (us, n)) in worst {
            eprintln!(
                "steady second {sec}: {n} samples, worst {:.1} ms",
                f64::from(us) / 1000.0
            );
        }
    }
    Ok(Report {
        stores,
        devices: stores * (n + joins),
        devices_connected: stores * n,
        docs_per_store,
        connect_time,
        docs_synced,
        docs_per_sec: docs_synced as f64 / connect_time.as_secs_f64(),
        steady_time,
        steady_settled,
        steady_edits,
        steady_latency: Percentiles::of_micros(samples.steady),
        reconnects: ctx.counters.reconnects.load(Ordering::Relaxed),
        reconnect_time: Percentiles::of_micros(samples.reconnect),
        recovery: Percentiles::of_micros(samples.recovery),
        nodes: target.urls.len(),
        database_cpu_steady,
        database_cpu_saturate,
        join_time: Percentiles::of_micros(samples.join),
        saturate_time,
        saturate_edits,
        edits_per_sec: saturate_edits as f64 / saturate_time.as_secs_f64(),
        deliveries_per_sec: delivered as f64 / saturate_time.as_secs_f64(),
        saturate_latency: Percentiles::of_micros(samples.saturate),
        ack_latency: Percentiles::of_micros(samples.ack),
        errors: ctx.counters.errors.load(Ordering::Relaxed),
        first_error: samples.first_error,
        attack_attempts: ctx.counters.attack_attempts.load(Ordering::Relaxed),
        attack_refused: ctx.counters.attack_refused.load(Ordering::Relaxed),
        rss_before_kib,
        rss_connected_kib,
        rss_peak_kib: rss("VmHWM"),
        relay_cpu_steady,
        relay_cpu_saturate,
        loadgen_cpu_saturate,
        loadgen_cpu_steady,
    })
}

/// Waits until no device has received a frame for half a second (the relay has
/// delivered everything in flight), at most a minute.
async fn quiesce(ctx: &Ctx) {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut last = ctx.counters.frames.load(Ordering::Relaxed);
    let mut quiet_since = Instant::now();
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = ctx.counters.frames.load(Ordering::Relaxed);
        if now != last {
            last = now;
            quiet_since = Instant::now();
        } else if quiet_since.elapsed() >= Duration::from_millis(500) {
            return;
        }
    }
}

/// Waits up to `grace` for every task to end by itself (closing its socket),
/// then aborts the rest (a device blocked writing to a relay that stopped reading).
async fn finish(tasks: Vec<tokio::task::JoinHandle<()>>, grace: Duration) {
    let aborts: Vec<_> = tasks.iter().map(|t| t.abort_handle()).collect();
    let all = futures_util::future::join_all(tasks);
    if tokio::time::timeout(grace, all).await.is_err() {
        for a in aborts {
            a.abort();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn first_error(ctx: &Ctx) -> Option<String> {
    lock(&ctx.samples).first_error.clone()
}

/// A device of store `s` that opens the store's documents from nothing.
/// A lifted token's device: syncs the store's documents from nothing, sends a
/// forged write, is refused and cut off, and starts again, until the run ends.
async fn forged_writes(ctx: Arc<Ctx>, store: StoreFixture, token: Option<String>, slot: usize) {
    let mut phase = ctx.phase.clone();
    while *phase.borrow() != Phase::Done {
        let mut device = fresh_device(&store, 0, slot);
        let Ok(mut ws) = open(&ctx.urls[0], token.as_deref()).await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        if send_all(&mut ws, vec![device.connect()]).await.is_err() {
            continue;
        }
        let mut sent = false;
        loop {
            let frame = tokio::select! {
                f = ws.next() => f,
                _ = phase.changed() => break,
                _ = tokio::time::sleep(Duration::from_secs(5)) => break,
            };
            let Some(Ok(tokio_tungstenite::tungstenite::Message::Binary(b))) = frame else {
                break;
            };
            match device.receive(&b) {
                Ok(r) => {
                    if send_all(&mut ws, r.replies).await.is_err() {
                        break;
                    }
                    if !sent
                        && device.all_synced()
                        && let Some(f) = device.forge()
                    {
                        sent = send_all(&mut ws, vec![f]).await.is_ok();
                        ctx.counters.attack_attempts.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Err(crate::device::DeviceError::Relay(_)) => {
                    ctx.counters.attack_refused.fetch_add(1, Ordering::Relaxed);
                    break;
                }
                Err(_) => break,
            }
        }
    }
}

/// `host:port` of a `ws://host:port/…` URL.
fn authority(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

/// Guessed invite codes, from 8 connections at once (one address), each
/// answered before the next is sent.
async fn enrol_flood(ctx: Arc<Ctx>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = authority(&ctx.urls[0]).to_owned();
    let guesser = |n: u64| {
        let (ctx, host) = (ctx.clone(), host.clone());
        async move {
            let phase = ctx.phase.clone();
            let mut guess = n * 1_000_000;
            while *phase.borrow() != Phase::Done {
                guess += 1;
                let body = format!(r#"{{"code":"guess-{guess:012}","device_name":"guesser"}}"#);
                let request = format!(
                    "POST /v1/enrol HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let Ok(mut tcp) = TcpStream::connect(&host).await else {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                ctx.counters.attack_attempts.fetch_add(1, Ordering::Relaxed);
                let mut answer = Vec::new();
                if tcp.write_all(request.as_bytes()).await.is_ok() {
                    let _ =
                        tokio::time::timeout(Duration::from_secs(5), tcp.read_to_end(&mut answer))
                            .await;
                }
                let status = String::from_utf8_lossy(&answer);
                if !status.starts_with("HTTP/1.1 2") {
                    ctx.counters.attack_refused.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    };
    let all: Vec<_> = (0..8).map(|n| tokio::spawn(guesser(n))).collect();
    for g in all {
        let _ = g.await;
    }
}

/// Connections on one token, 64 opened at a time and held until the next
/// round, as fast as the relay answers.
async fn connection_flood(ctx: Arc<Ctx>, token: Option<String>) {
    let phase = ctx.phase.clone();
    while *phase.borrow() != Phase::Done {
        let round = (0..64).map(|_| {
            let (ctx, token) = (ctx.clone(), token.clone());
            tokio::spawn(async move {
                ctx.counters.attack_attempts.fetch_add(1, Ordering::Relaxed);
                let ws = open(&ctx.urls[0], token.as_deref()).await;
                if ws.is_err() {
                    ctx.counters.attack_refused.fetch_add(1, Ordering::Relaxed);
                }
                ws.ok()
            })
        });
        let mut held = Vec::new();
        for c in round.collect::<Vec<_>>() {
            held.extend(c.await.ok().flatten());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        drop(held);
    }
}

/// Valid sync messages on 8 connections of one token, sent without waiting
/// for answers (what is read back is read and dropped).
async fn message_flood(ctx: Arc<Ctx>, store: StoreFixture, token: Option<String>, slot: usize) {
    let flooder = |n: usize| {
        let (ctx, store, token) = (ctx.clone(), store.clone(), token.clone());
        async move {
            let mut phase = ctx.phase.clone();
            while *phase.borrow() != Phase::Done {
                let mut device = fresh_device(&store, 0, slot);
                let Ok(ws) = open(&ctx.urls[0], token.as_deref()).await else {
                    ctx.counters.attack_refused.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                };
                let (mut tx, mut rx) = ws.split();
                if tx
                    .send(tokio_tungstenite::tungstenite::Message::Binary(
                        device.connect().into(),
                    ))
                    .await
                    .is_err()
                {
                    continue;
                }
                // Sync first (as an honest device would), then flood.
                let mut frame = None;
                while frame.is_none() {
                    let Some(Ok(tokio_tungstenite::tungstenite::Message::Binary(b))) =
                        rx.next().await
                    else {
                        break;
                    };
                    let Ok(r) = device.receive(&b) else { break };
                    for reply in r.replies {
                        let _ = tx
                            .send(tokio_tungstenite::tungstenite::Message::Binary(
                                reply.into(),
                            ))
                            .await;
                    }
                    if device.all_synced() {
                        frame = device.fresh_sync();
                    }
                }
                let Some(frame) = frame else { continue };
                let reader =
                    tokio::spawn(async move { while let Some(Ok(_)) = rx.next().await {} });
                loop {
                    let send = tx.send(tokio_tungstenite::tungstenite::Message::Binary(
                        frame.clone().into(),
                    ));
                    tokio::select! {
                        sent = send => if sent.is_err() {
                            ctx.counters.attack_refused.fetch_add(1, Ordering::Relaxed);
                            break;
                        },
                        _ = phase.changed() => break,
                    }
                    ctx.counters.attack_attempts.fetch_add(1, Ordering::Relaxed);
                    if n == 0 && *phase.borrow() == Phase::Done {
                        break;
                    }
                }
                reader.abort();
            }
        }
    };
    let all: Vec<_> = (0..8).map(|n| tokio::spawn(flooder(n))).collect();
    for f in all {
        let _ = f.await;
    }
}

fn fresh_device(store: &StoreFixture, s: usize, d: usize) -> Device {
    let docs = store
        .docs
        .iter()
        .map(|id| (*id, Automerge::new()))
        .collect();
    Device::new(PeerId::new(format!("bench-{s}-{d}")), docs, store.edit_doc)
}

fn joining_device(store: &StoreFixture, s: usize, slot: usize) -> Device {
    let docs = store
        .docs
        .iter()
        .map(|id| (*id, Automerge::new()))
        .collect();
    // Named as the token of `slot` was enrolled (see `setup::ours`).
    Device::new(
        PeerId::new(format!("bench-{s}-{slot}")),
        docs,
        store.edit_doc,
    )
}

fn record_error(ctx: &Ctx, e: &anyhow::Error) {
    ctx.counters.errors.fetch_add(1, Ordering::Relaxed);
    let mut s = lock(&ctx.samples);
    if s.first_error.is_none() {
        s.first_error = Some(format!("{e:#}"));
    }
}

/// How a session ended.
enum SessionEnd {
    /// Reconnect (the workload's periodic reconnect, or after an error).
    Again,
    Done,
}

/// One device for the whole run: sessions until the run is done.
async fn device_task(
    ctx: Arc<Ctx>,
    store: usize,
    mut device: Device,
    token: Option<String>,
    joining: bool,
    home: usize,
    seed: u64,
) {
    let mut rng = Rng::new(seed + 1);
    let mut first = true;
    let mut node = home;
    // When the session that failed last was lost, until the device synced again.
    let mut lost: Option<Instant> = None;
    loop {
        if *ctx.phase.borrow() == Phase::Done {
            return;
        }
        let url = &ctx.urls[node % ctx.urls.len()];
        let s = Session {
            store,
            token: token.as_deref(),
            first,
            joining,
        };
        match session(&ctx, url, s, &mut device, &mut lost, &mut rng).await {
            Ok(SessionEnd::Done) => return,
            Ok(SessionEnd::Again) => {}
            Err(e) => {
                record_error(&ctx, &e);
                lost.get_or_insert_with(Instant::now);
                // Another node, as a load balancer would pick.
                node += 1;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
        first = false;
    }
}

/// What a session is for.
#[derive(Clone, Copy)]
struct Session<'a> {
    store: usize,
    token: Option<&'a str>,
    first: bool,
    joining: bool,
}

async fn session(
    ctx: &Ctx,
    url: &str,
    s: Session<'_>,
    device: &mut Device,
    lost: &mut Option<Instant>,
    rng: &mut Rng,
) -> anyhow::Result<SessionEnd> {
    let Session {
        store,
        token,
        first,
        joining,
    } = s;
    let w = &ctx.workload;
    let mut phase_rx = ctx.phase.clone();
    let started = Instant::now();
    // Only the first sync of the connect phase is throttled; reconnects and joins are not.
    let permit = if first && !joining {
        Some(ctx.connect_limit.acquire().await?)
    } else {
        None
    };
    let mut ws = open(url, token).await?;
    send_all(&mut ws, vec![device.connect()]).await?;
    let mut ready_since: Option<Instant> = None;
    let mut permit = permit;
    let far = Duration::from_secs(86_400);
    let mut next_edit = tokio::time::Instant::now() + far;
    let reconnect_at = tokio::time::Instant::now()
        + match w.reconnect_every {
            Some(mean) => mean.mul_f64(0.5 + rng.unit()),
            None => far,
        };
    let mean_gap = if w.edit_rate > 0.0 {
        Duration::from_secs_f64(1.0 / w.edit_rate)
    } else {
        far
    };
    let mut last_edit = Instant::now();
    loop {
        let phase = *phase_rx.borrow_and_update();
        let ready = ready_since.is_some();
        // In the saturate phase the next edit follows the acknowledgement of the last.
        if crate::tracing_enabled() {
            eprintln!(
                "{:?} {} top phase={phase:?} ready={ready} inflight={}",
                std::time::SystemTime::now(),
                device.peer_id(),
                device.edit_in_flight()
            );
        }
        if phase == Phase::Saturate && ready && !device.edit_in_flight() {
            edit(ctx, store, device, &mut ws, Phase::Saturate, &mut last_edit).await?;
        }
        tokio::select! {
            msg = ws.next() => {
                let head = match msg {
                    Some(Ok(WsMessage::Binary(b))) => b,
                    Some(Ok(WsMessage::Close(frame))) => return closed(ctx, frame),
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => return Err(e.into()),
                    None => anyhow::bail!("the relay closed the connection"),
                };
                // Take every frame that has already arrived too, and answer them
                // together (what a device that is behind does).
                let mut frames = vec![head];
                let mut end = None;
                while end.is_none() && frames.len() < 64 {
                    match ws.next().now_or_never() {
                        None => break,
                        Some(Some(Ok(WsMessage::Binary(b)))) => frames.push(b),
                        Some(Some(Ok(WsMessage::Close(frame)))) => end = Some(closed(ctx, frame)),
                        Some(Some(Ok(_))) => {}
                        Some(Some(Err(e))) => end = Some(Err(e.into())),
                        Some(None) => end = Some(Err(anyhow::anyhow!("the relay closed the connection"))),
                    }
                }
                let now = Instant::now();
                ctx.counters.frames.fetch_add(frames.len() as u64, Ordering::Relaxed);
                let r = device.receive_all(&frames)?;
                send_all(&mut ws, r.replies).await?;
                if r.newly_synced > 0 && ready_since.is_none() {
                    ctx.counters.docs_synced.fetch_add(r.newly_synced as u64, Ordering::Relaxed);
                }
                if r.unavailable {
                    anyhow::bail!("the relay does not have a document of store {store}");
                }
                if !r.new_changes.is_empty() {
                    ctx.counters.deliveries.fetch_add(r.new_changes.len() as u64, Ordering::Relaxed);
                    if let Some(since) = ready_since {
                        record_latencies(ctx, store, since, now, &r.new_changes);
                    }
                }
                if r.edit_acknowledged && phase == Phase::Saturate {
                    ctx.counters.saturate_acked.fetch_add(1, Ordering::Relaxed);
                }
                if r.edit_acknowledged && phase == Phase::Steady {
                    lock(&ctx.samples).ack.push(micros(now - last_edit));
                }
                if ready_since.is_none() && device.all_synced() {
                    ready_since = Some(now);
                    drop(permit.take());
                    let took = micros(now - started);
                    if first {
                        ctx.counters.devices_ready.fetch_add(1, Ordering::Relaxed);
                    }
                    {
                        let mut s = lock(&ctx.samples);
                        if joining && first {
                            s.join.push(took);
                        } else if !first {
                            s.reconnect.push(took);
                        }
                        if let Some(at) = lost.take() {
                            s.recovery.push(micros(now - at));
                        }
                    }
                    next_edit = tokio::time::Instant::now() + rng.exp(mean_gap);
                }
                if let Some(end) = end {
                    return end;
                }
            }
            _ = tokio::time::sleep_until(next_edit), if ready && phase == Phase::Steady => {
                edit(ctx, store, device, &mut ws, Phase::Steady, &mut last_edit).await?;
                ctx.counters.steady_edits.fetch_add(1, Ordering::Relaxed);
                next_edit += rng.exp(mean_gap);
            }
            _ = tokio::time::sleep_until(reconnect_at), if ready && phase == Phase::Steady => {
                ctx.counters.reconnects.fetch_add(1, Ordering::Relaxed);
                let _ = tokio::time::timeout(Duration::from_secs(2), ws.close(None)).await;
                return Ok(SessionEnd::Again);
            }
            // A lost acknowledgement must not stop a device for good.
            _ = tokio::time::sleep(Duration::from_secs(1)), if phase == Phase::Saturate && ready => {
                if last_edit.elapsed() > Duration::from_secs(2) {
                    edit(ctx, store, device, &mut ws, Phase::Saturate, &mut last_edit).await?;
                }
            }
            changed = phase_rx.changed() => {
                let now_phase = *phase_rx.borrow();
                if changed.is_err() || now_phase == Phase::Done {
                    let _ = tokio::time::timeout(Duration::from_secs(2), ws.close(None)).await;
                    return Ok(SessionEnd::Done);
                }
                if now_phase == Phase::Steady {
                    // Arrivals start now, not when the device became ready: no burst
                    // of edits "owed" for the phases before.
                    next_edit = tokio::time::Instant::now() + rng.exp(mean_gap);
                }
            }
        }
    }
}

/// How a session ends when the relay closes the connection: as planned once the
/// run is done, an error before.
fn closed(ctx: &Ctx, frame: Option<CloseFrame>) -> anyhow::Result<SessionEnd> {
    if *ctx.phase.borrow() == Phase::Done {
        return Ok(SessionEnd::Done);
    }
    anyhow::bail!(
        "the relay closed the connection: {:?}",
        frame.map(|f| f.reason.to_string())
    )
}

async fn edit(
    ctx: &Ctx,
    store: usize,
    device: &mut Device,
    ws: &mut Ws,
    phase: Phase,
    last_edit: &mut Instant,
) -> anyhow::Result<()> {
    let Some((hash, frame)) = device.edit(wall_ms()) else {
        return Ok(());
    };
    let now = Instant::now();
    if crate::tracing_enabled() {
        eprintln!(
            "{:?} {} EDIT {}",
            std::time::SystemTime::now(),
            device.peer_id(),
            &hash.to_string()[..6]
        );
    }
    *last_edit = now;
    lock(&ctx.edits[store]).insert(hash, (now, phase));
    send_all(ws, vec![frame]).await
}

fn record_latencies(
    ctx: &Ctx,
    store: usize,
    ready_since: Instant,
    now: Instant,
    hashes: &[ChangeHash],
) {
    let mut found = Vec::new();
    {
        let edits = lock(&ctx.edits[store]);
        for h in hashes {
            if let Some((at, phase)) = edits.get(h)
                && *at >= ready_since
            {
                found.push((micros(now - *at), *phase));
            }
        }
    }
    if found.is_empty() {
        return;
    }
    let mut s = lock(&ctx.samples);
    for (us, phase) in found {
        match phase {
            Phase::Steady => {
                s.steady.push(us);
                if crate::tracing_enabled() || std::env::var_os("LOADGEN_TIMELINE").is_some() {
                    s.timeline.push((now, us));
                }
            }
            Phase::Saturate => s.saturate.push(us),
            _ => {}
        }
    }
}

/// Holds `connections` connections, spread over the stores: each syncs its
/// store's documents once (when `open_docs`; else it only says `join`), then
/// drops its copies and only keeps its socket open for `hold`.
pub async fn idle(
    target: Target,
    connections: usize,
    open_docs: bool,
    hold: Duration,
    concurrency: usize,
) -> anyhow::Result<IdleReport> {
    let pid = target.relay_pids.first().copied();
    let rss = |field| target.relay_kib(field);
    let rss_before_kib = rss("VmRSS");
    let (stop_tx, stop) = watch::channel(false);
    let shared = Arc::new(IdleShared {
        ready: AtomicU64::new(0),
        live: AtomicU64::new(0),
        failed: AtomicU64::new(0),
        first_error: Mutex::new(None),
        limit: Semaphore::new(concurrency.max(1)),
    });
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(connections);
    let stores = target.stores.len();
    for c in 0..connections {
        let s = c % stores;
        let store = &target.stores[s];
        let token = if store.tokens.is_empty() {
            None
        } else {
            Some(store.tokens[(c / stores) % store.tokens.len()].clone())
        };
        let mut device = fresh_device(store, s, 100_000 + c);
        if !open_docs {
            device.forget_documents();
        }
        let (url, stop, shared) = (
            target.urls[c % target.urls.len()].clone(),
            stop.clone(),
            shared.clone(),
        );
        tasks.push(tokio::spawn(async move {
            if let Err(e) = idle_connection(&url, token, device, stop, &shared).await {
                shared.failed.fetch_add(1, Ordering::Relaxed);
                let mut f = lock(&shared.first_error);
                if f.is_none() {
                    *f = Some(format!("{e:#}"));
                }
            }
        }));
    }
    let total = connections as u64;
    let deadline = started + Duration::from_secs(600);
    while shared.ready.load(Ordering::Relaxed) + shared.failed.load(Ordering::Relaxed) < total
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let connect_time = started.elapsed();
    let cpu0 = pid.and_then(cpu_time);
    tokio::time::sleep(hold).await;
    let relay_cpu_held = pid
        .and_then(cpu_time)
        .zip(cpu0)
        .map(|(b, a)| b.saturating_sub(a));
    let report = IdleReport {
        relay_cpu_held,
        connections: shared.ready.load(Ordering::Relaxed),
        failed: shared.failed.load(Ordering::Relaxed),
        first_error: lock(&shared.first_error).clone(),
        connect_time,
        rss_before_kib,
        rss_held_kib: rss("VmRSS"),
        rss_peak_kib: rss("VmHWM"),
        held_for: hold,
        still_connected: shared.live.load(Ordering::Relaxed),
    };
    let _ = stop_tx.send(true);
    finish(tasks, Duration::from_secs(10)).await;
    Ok(report)
}

struct IdleShared {
    ready: AtomicU64,
    live: AtomicU64,
    failed: AtomicU64,
    first_error: Mutex<Option<String>>,
    limit: Semaphore,
}

/// Counts a connection as live while it is held.
struct Live<'a>(&'a AtomicU64);

impl Drop for Live<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

async fn idle_connection(
    url: &str,
    token: Option<String>,
    mut device: Device,
    mut stop: watch::Receiver<bool>,
    shared: &IdleShared,
) -> anyhow::Result<()> {
    let permit = shared.limit.acquire().await?;
    let mut ws = open(url, token.as_deref()).await?;
    send_all(&mut ws, vec![device.connect()]).await?;
    let mut permit = Some(permit);
    let mut live = None;
    loop {
        tokio::select! {
            msg = ws.next() => match msg {
                Some(Ok(WsMessage::Binary(b))) => {
                    let r = device.receive(&b)?;
                    send_all(&mut ws, r.replies).await?;
                    if live.is_none() && device.is_joined() && device.all_synced() {
                        device.forget_documents();
                        drop(permit.take());
                        shared.ready.fetch_add(1, Ordering::Relaxed);
                        shared.live.fetch_add(1, Ordering::Relaxed);
                        live = Some(Live(&shared.live));
                    }
                }
                Some(Ok(WsMessage::Close(f))) => anyhow::bail!("closed by the relay: {f:?}"),
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.into()),
                None => anyhow::bail!("closed by the relay"),
            },
            _ = stop.changed() => {
                let _ = tokio::time::timeout(Duration::from_secs(5), ws.close(None)).await;
                return Ok(());
            }
        }
    }
}

/// What holding idle connections measured.
#[derive(Debug, Clone)]
pub struct IdleReport {
    /// Connections that finished their handshake (and first sync).
    pub connections: u64,
    pub failed: u64,
    pub first_error: Option<String>,
    pub connect_time: Duration,
    pub rss_before_kib: Option<u64>,
    pub rss_held_kib: Option<u64>,
    pub rss_peak_kib: Option<u64>,
    pub held_for: Duration,
    /// Connections still open at the end of the hold.
    pub still_connected: u64,
    /// The relay's CPU time while only holding them.
    pub relay_cpu_held: Option<Duration>,
}

impl IdleReport {
    pub fn rss_per_connection_kib(&self) -> Option<f64> {
        let (a, b) = (self.rss_before_kib?, self.rss_held_kib?);
        Some(b.saturating_sub(a) as f64 / self.connections.max(1) as f64)
    }
}
