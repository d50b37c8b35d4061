//! Both relays, the same workload, one machine, one run: starts our relay and the
//! reference JS relay one after the other (never at the same time), runs the
//! workload against each, and prints a Markdown table side by side.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;

use storeops_relay::backend::Backend;

use crate::relay::{RelayKind, RelayProcess};
use crate::setup::{self, StoreFixture};
use crate::stats::{Percentiles, proc_status_kib};
use crate::workload::{self, IdleReport, Report, Target, Workload};

/// Where the relays come from and where they keep their data.
#[derive(Debug, Clone)]
pub struct Relays {
    pub relay_bin: PathBuf,
    pub reference_dir: PathBuf,
    /// Each relay gets a fresh data directory under this one.
    pub work_dir: PathBuf,
    /// Whether our relay checks writes against the rules of each device's role.
    pub validate_writes: bool,
}

/// A started relay (one process per node) with its stores set up, ready for devices.
#[derive(Debug)]
pub struct Prepared {
    pub processes: Vec<RelayProcess>,
    pub target: Target,
    pub baseline_kib: Option<u64>,
}

/// A fresh directory `label` under the work directory.
fn fresh_dir(relays: &Relays, label: &str) -> anyhow::Result<PathBuf> {
    let dir = relays.work_dir.join(label);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("cannot clear {}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Our relay with `stores` stores of `slots` enrolled devices each: one node on
/// SQLite in its data directory (`database` none), or `nodes` nodes on the
/// PostgreSQL database `database`.
pub async fn prepare_ours(
    relays: &Relays,
    label: &str,
    database: Option<&str>,
    nodes: usize,
    stores: usize,
    slots: usize,
) -> anyhow::Result<Prepared> {
    anyhow::ensure!(
        nodes == 1 || database.is_some(),
        "several nodes share a PostgreSQL database: SQLite is one node's"
    );
    let dir = fresh_dir(relays, label)?;
    let data = |node: usize| dir.join(format!("data-{node}"));
    let backend = match database {
        Some(url) => Backend::Postgres(url.to_owned()),
        None => Backend::in_dir(&data(0)),
    };
    let fixtures: Vec<StoreFixture> =
        tokio::task::spawn_blocking(move || setup::ours(&backend, stores, slots)).await??;
    let processes = (0..nodes)
        .map(|node| {
            RelayProcess::start_ours(
                &relays.relay_bin,
                &data(node),
                database,
                &dir.join(format!("relay-{node}.log")),
                relays.validate_writes,
                true,
            )
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(ready(processes, fixtures).await)
}

/// The target of started relay processes, with their footprint before any
/// document or connection.
async fn ready(processes: Vec<RelayProcess>, stores: Vec<StoreFixture>) -> Prepared {
    tokio::time::sleep(Duration::from_millis(500)).await;
    let target = Target {
        urls: processes.iter().map(|p| p.url.clone()).collect(),
        stores,
        relay_pids: processes.iter().map(RelayProcess::pid).collect(),
        database_pid: None,
        kill: None,
        by_store: false,
    };
    let each: Vec<u64> = processes
        .iter()
        .filter_map(|p| proc_status_kib(p.pid(), "VmRSS"))
        .collect();
    Prepared {
        baseline_kib: (each.len() == processes.len()).then(|| each.iter().sum()),
        processes,
        target,
    }
}

/// Starts a relay of `kind` with `stores` stores of `slots` device slots each
/// (tokens for ours; seeded documents for the reference).
pub async fn prepare(
    relays: &Relays,
    kind: RelayKind,
    label: &str,
    stores: usize,
    slots: usize,
) -> anyhow::Result<Prepared> {
    if kind == RelayKind::Ours {
        return prepare_ours(relays, label, None, 1, stores, slots).await;
    }
    let dir = fresh_dir(relays, label)?;
    let process = RelayProcess::start_reference(
        &relays.reference_dir,
        &dir.join("data"),
        &dir.join("relay.log"),
    )?;
    let fixtures = setup::seeded(stores)?;
    let prepared = ready(vec![process], fixtures).await;
    workload::seed(&prepared.target.urls[0], &prepared.target.stores).await?;
    Ok(prepared)
}

/// What [`compare`] measured.
#[derive(Debug)]
pub struct Compared {
    pub ours: Report,
    /// Ours again, with write validation off (what the check costs).
    pub unchecked: Report,
    pub reference: Report,
}

/// Runs the workload on our relay, on ours without write validation, and on the
/// reference, one after the other.
pub async fn compare(
    relays: &Relays,
    stores: usize,
    workload: &Workload,
) -> anyhow::Result<Compared> {
    let slots = workload.devices_per_store + workload.joins_per_store;
    let run = async |kind: RelayKind, label: &str, validate: bool| -> anyhow::Result<Report> {
        eprintln!(
            "== {} ({label}) — {stores} stores × {} devices",
            kind.name(),
            workload.devices_per_store
        );
        let relays = Relays {
            validate_writes: validate,
            ..relays.clone()
        };
        let p = prepare(&relays, kind, label, stores, slots).await?;
        let mut report = workload::run(p.target, workload.clone()).await?;
        report.rss_before_kib = p.baseline_kib;
        eprintln!("{}", one_line(&report));
        drop(p.processes);
        Ok(report)
    };
    let ours = run(RelayKind::Ours, "ours", true).await?;
    let unchecked = run(RelayKind::Ours, "ours-unchecked", false).await?;
    let reference = run(RelayKind::Reference, "reference", true).await?;
    Ok(Compared {
        ours,
        unchecked,
        reference,
    })
}

/// What checking every write costs: our relay with validation on and off.
pub fn validation_table(on: &Report, off: &Report) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "| write validation | on | off | on / off |");
    let _ = writeln!(t, "|---|---:|---:|---:|");
    let mut row = |name: &str, a: String, b: String, r: String| {
        let _ = writeln!(t, "| {name} | {a} | {b} | {r} |");
    };
    row(
        "throughput: edits/s applied (saturate)",
        format!("{:.0}", on.edits_per_sec),
        format!("{:.0}", off.edits_per_sec),
        ratio(on.edits_per_sec, off.edits_per_sec),
    );
    let (a, b) = (
        cpu_per_k(on.relay_cpu_saturate, on.saturate_edits),
        cpu_per_k(off.relay_cpu_saturate, off.saturate_edits),
    );
    row(
        "relay CPU per edit, µs (saturate)",
        a.map_or("–".into(), |v| format!("{v:.0}")),
        b.map_or("–".into(), |v| format!("{v:.0}")),
        match (a, b) {
            (Some(a), Some(b)) => ratio(a, b),
            _ => "–".into(),
        },
    );
    row(
        "edit→visible p50 / p99 / max, ms (steady)",
        pct(&on.steady_latency),
        pct(&off.steady_latency),
        ratio(
            on.steady_latency.p99.as_secs_f64(),
            off.steady_latency.p99.as_secs_f64(),
        ) + " (p99)",
    );
    row(
        "errors",
        on.errors.to_string(),
        off.errors.to_string(),
        String::new(),
    );
    t
}

/// Holds `connections` idle connections on both relays; ours first.
pub async fn compare_idle(
    relays: &Relays,
    stores: usize,
    connections: usize,
    tokens_per_store: usize,
    hold: Duration,
) -> anyhow::Result<(IdleReport, IdleReport)> {
    let mut out = Vec::new();
    for (kind, label) in [
        (RelayKind::Ours, "ours-idle"),
        (RelayKind::Reference, "reference-idle"),
    ] {
        eprintln!("== {} — {connections} idle connections", kind.name());
        let p = prepare(relays, kind, label, stores, tokens_per_store).await?;
        let mut r = workload::idle(p.target, connections, true, hold, 64).await?;
        r.rss_before_kib = p.baseline_kib;
        eprintln!(
            "   {} connected ({} failed) in {:.1} s; {} still open after {:?}; RSS {} → {} KiB",
            r.connections,
            r.failed,
            r.connect_time.as_secs_f64(),
            r.still_connected,
            r.held_for,
            r.rss_before_kib.unwrap_or(0),
            r.rss_held_kib.unwrap_or(0)
        );
        if let Some(e) = &r.first_error {
            eprintln!("   first error: {e}");
        }
        drop(p.processes);
        out.push(r);
    }
    let reference = out.pop().context("two reports")?;
    let ours = out.pop().context("two reports")?;
    Ok((ours, reference))
}

pub(crate) fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2}")
    } else {
        format!("{ms:.0}")
    }
}

pub(crate) fn pct(p: &Percentiles) -> String {
    if p.count == 0 {
        return "–".into();
    }
    format!("{} / {} / {}", ms(p.p50), ms(p.p99), ms(p.max))
}

pub(crate) fn mib(kib: Option<u64>) -> String {
    kib.map_or("–".into(), |k| format!("{:.1}", k as f64 / 1024.0))
}

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 && a.is_finite() {
        format!("{:.2}×", a / b)
    } else {
        "–".into()
    }
}

pub(crate) fn cpu_per_k(cpu: Option<Duration>, edits: u64) -> Option<f64> {
    cpu.map(|c| c.as_secs_f64() * 1000.0 / edits.max(1) as f64 * 1000.0)
}

/// A one-line summary for the log.
pub fn one_line(r: &Report) -> String {
    format!(
        "   {} docs synced in {:.1} s ({:.0}/s); steady {} edits, edit→visible p50/p99/max {} ms, \
         acknowledged {} ms; saturate {:.0} edits/s applied, {:.0} deliveries/s; peak RSS {} MiB; errors {}{}{}",
        r.docs_synced,
        r.connect_time.as_secs_f64(),
        r.docs_per_sec,
        r.steady_edits,
        pct(&r.steady_latency),
        pct(&r.ack_latency),
        r.edits_per_sec,
        r.deliveries_per_sec,
        mib(r.rss_peak_kib),
        r.errors,
        r.first_error
            .as_ref()
            .map(|e| format!(" (first: {e})"))
            .unwrap_or_default(),
        if r.attack_attempts > 0 {
            format!(
                "; attacker: {} attempts, {} refused",
                r.attack_attempts, r.attack_refused
            )
        } else {
            String::new()
        }
    )
}

/// What a table's runs did, as its first line and a blank one.
pub(crate) fn workload_line(r: &Report, w: &Workload) -> String {
    format!(
        "{} stores × {} devices (+{} joining per store), {} documents per store; steady: {} edit/s per device for {:?}, reconnect every ~{}; saturate: closed loop {}\n\n",
        r.stores,
        w.devices_per_store,
        w.joins_per_store,
        r.docs_per_store,
        w.edit_rate,
        w.steady,
        w.reconnect_every
            .map_or("never".into(), |d| format!("{} s", d.as_secs())),
        w.saturate
    )
}

/// The side-by-side table, in Markdown.
pub fn table(ours: &Report, reference: &Report, w: &Workload) -> String {
    let mut t = workload_line(ours, w);
    let _ = writeln!(
        t,
        "| | storeops-relay | automerge-repo (JS) | ours / reference |"
    );
    let _ = writeln!(t, "|---|---:|---:|---:|");
    let mut row = |name: &str, a: String, b: String, r: String| {
        let _ = writeln!(t, "| {name} | {a} | {b} | {r} |");
    };
    row(
        "throughput: edits/s applied (saturate)",
        format!("{:.0}", ours.edits_per_sec),
        format!("{:.0}", reference.edits_per_sec),
        ratio(ours.edits_per_sec, reference.edits_per_sec),
    );
    row(
        "deliveries/s to other devices (saturate)",
        format!("{:.0}", ours.deliveries_per_sec),
        format!("{:.0}", reference.deliveries_per_sec),
        ratio(ours.deliveries_per_sec, reference.deliveries_per_sec),
    );
    row(
        "docs/s synced from nothing (connect)",
        format!("{:.0}", ours.docs_per_sec),
        format!("{:.0}", reference.docs_per_sec),
        ratio(ours.docs_per_sec, reference.docs_per_sec),
    );
    row(
        "edit→visible p50 / p99 / max, ms (steady)",
        pct(&ours.steady_latency),
        pct(&reference.steady_latency),
        ratio(
            ours.steady_latency.p99.as_secs_f64(),
            reference.steady_latency.p99.as_secs_f64(),
        ) + " (p99)",
    );
    row(
        "edit→acknowledged by the relay p50 / p99 / max, ms (steady)",
        pct(&ours.ack_latency),
        pct(&reference.ack_latency),
        String::new(),
    );
    row(
        "edit→visible p50 / p99 / max, ms (saturate)",
        pct(&ours.saturate_latency),
        pct(&reference.saturate_latency),
        String::new(),
    );
    row(
        "latency samples (steady)",
        ours.steady_latency.count.to_string(),
        reference.steady_latency.count.to_string(),
        String::new(),
    );
    let (sa, sb) = (
        cpu_per_k(ours.relay_cpu_steady, ours.steady_edits),
        cpu_per_k(reference.relay_cpu_steady, reference.steady_edits),
    );
    row(
        "relay CPU ms per 1,000 edits (steady)",
        sa.map_or("–".into(), |c| format!("{c:.0}")),
        sb.map_or("–".into(), |c| format!("{c:.0}")),
        ratio(sa.unwrap_or(f64::NAN), sb.unwrap_or(0.0)),
    );
    let (ca, cb) = (
        cpu_per_k(ours.relay_cpu_saturate, ours.saturate_edits),
        cpu_per_k(reference.relay_cpu_saturate, reference.saturate_edits),
    );
    row(
        "relay CPU ms per 1,000 edits (saturate)",
        ca.map_or("–".into(), |c| format!("{c:.0}")),
        cb.map_or("–".into(), |c| format!("{c:.0}")),
        ratio(ca.unwrap_or(f64::NAN), cb.unwrap_or(0.0)),
    );
    let per_cpu = |r: &Report| {
        r.relay_cpu_saturate
            .map(|c| r.saturate_edits as f64 / c.as_secs_f64().max(1e-9))
    };
    let (ea, eb) = (per_cpu(ours), per_cpu(reference));
    row(
        "edits applied per relay CPU-second (saturate)",
        ea.map_or("–".into(), |v| format!("{v:.0}")),
        eb.map_or("–".into(), |v| format!("{v:.0}")),
        ratio(ea.unwrap_or(f64::NAN), eb.unwrap_or(0.0)),
    );
    let cores = |c: Option<Duration>, t: Duration| {
        c.map_or("–".into(), |c| {
            format!("{:.2}", c.as_secs_f64() / t.as_secs_f64().max(1e-9))
        })
    };
    row(
        "CPU cores used, relay / load generator (steady, until settled)",
        format!(
            "{} / {}",
            cores(ours.relay_cpu_steady, ours.steady_settled),
            cores(ours.loadgen_cpu_steady, ours.steady_settled)
        ),
        format!(
            "{} / {}",
            cores(reference.relay_cpu_steady, reference.steady_settled),
            cores(reference.loadgen_cpu_steady, reference.steady_settled)
        ),
        String::new(),
    );
    row(
        "CPU cores used, relay / load generator (saturate)",
        format!(
            "{} / {}",
            cores(ours.relay_cpu_saturate, ours.saturate_time),
            cores(ours.loadgen_cpu_saturate, ours.saturate_time)
        ),
        format!(
            "{} / {}",
            cores(reference.relay_cpu_saturate, reference.saturate_time),
            cores(reference.loadgen_cpu_saturate, reference.saturate_time)
        ),
        String::new(),
    );
    row(
        "peak RSS, MiB (VmHWM)",
        mib(ours.rss_peak_kib),
        mib(reference.rss_peak_kib),
        ratio(
            ours.rss_peak_kib.unwrap_or(0) as f64,
            reference.rss_peak_kib.unwrap_or(0) as f64,
        ),
    );
    let (pa, pb) = (ours.rss_per_device_kib(), reference.rss_per_device_kib());
    row(
        "RSS per connected device, KiB",
        pa.map_or("–".into(), |v| format!("{v:.0}")),
        pb.map_or("–".into(), |v| format!("{v:.0}")),
        ratio(pa.unwrap_or(f64::NAN), pb.unwrap_or(0.0)),
    );
    row(
        "reconnect → synced p50 / p99 / max, ms",
        pct(&ours.reconnect_time),
        pct(&reference.reconnect_time),
        String::new(),
    );
    row(
        "new device join → synced p50 / p99 / max, ms",
        pct(&ours.join_time),
        pct(&reference.join_time),
        String::new(),
    );
    row(
        "session errors",
        ours.errors.to_string(),
        reference.errors.to_string(),
        String::new(),
    );
    t
}

/// The idle-connection table, in Markdown.
pub fn idle_table(ours: &IdleReport, reference: &IdleReport, asked: usize) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "{asked} idle connections, each synced its store's documents once, held {:?}",
        ours.held_for
    );
    let _ = writeln!(t);
    let _ = writeln!(
        t,
        "| | storeops-relay | automerge-repo (JS) | ours / reference |"
    );
    let _ = writeln!(t, "|---|---:|---:|---:|");
    let mut row = |name: &str, a: String, b: String, r: String| {
        let _ = writeln!(t, "| {name} | {a} | {b} | {r} |");
    };
    row(
        "connected and synced / still open at the end",
        format!("{} / {}", ours.connections, ours.still_connected),
        format!("{} / {}", reference.connections, reference.still_connected),
        String::new(),
    );
    row(
        "time to connect and sync all, s",
        format!("{:.1}", ours.connect_time.as_secs_f64()),
        format!("{:.1}", reference.connect_time.as_secs_f64()),
        ratio(
            ours.connect_time.as_secs_f64(),
            reference.connect_time.as_secs_f64(),
        ),
    );
    row(
        "RSS with all held, MiB",
        mib(ours.rss_held_kib),
        mib(reference.rss_held_kib),
        ratio(
            ours.rss_held_kib.unwrap_or(0) as f64,
            reference.rss_held_kib.unwrap_or(0) as f64,
        ),
    );
    let held = |r: &IdleReport| {
        r.relay_cpu_held.map_or("–".into(), |c| {
            format!(
                "{:.1} %",
                100.0 * c.as_secs_f64() / r.held_for.as_secs_f64().max(1e-9)
            )
        })
    };
    row(
        "relay CPU while holding them (one core = 100 %)",
        held(ours),
        held(reference),
        String::new(),
    );
    let (pa, pb) = (
        ours.rss_per_connection_kib(),
        reference.rss_per_connection_kib(),
    );
    row(
        "RSS per connection, KiB",
        pa.map_or("–".into(), |v| format!("{v:.1}")),
        pb.map_or("–".into(), |v| format!("{v:.1}")),
        ratio(pa.unwrap_or(f64::NAN), pb.unwrap_or(0.0)),
    );
    t
}

/// The default work directory for a comparison.
pub fn default_work_dir() -> PathBuf {
    std::env::temp_dir().join(format!("storeops-bench-{}", std::process::id()))
}

/// Whether `dir` looks like a reference relay checkout with its packages.
pub fn reference_ready(dir: &Path) -> bool {
    dir.join("node_modules/@automerge/automerge-repo").exists()
}
