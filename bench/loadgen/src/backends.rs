//! Our relay on its storage backends, the same workload, one run: one node on
//! embedded SQLite, one node on PostgreSQL, N nodes on one PostgreSQL database
//! with each store's devices spread over them (a balancer that knows nothing of
//! stores), N nodes with each store on one node (a balancer that hashes on the
//! `store` of `/sync?store=`), and those again with one node killed (SIGKILL) in
//! the steady phase. PostgreSQL is a private server
//! started for the run (`storeops_storage_postgres::testing`); its CPU time, the
//! postmaster's and its backends', is counted beside the relay's.

use std::fmt::Write as _;

use storeops_storage_postgres::testing::PrivateServer;

use crate::compare::{Relays, cpu_per_k, mib, one_line, pct, prepare_ours, workload_line};
use crate::workload::{self, Kill, Report, Workload};

/// One run of [`backends`].
#[derive(Debug)]
pub struct Run {
    pub label: String,
    pub report: Report,
}

/// Runs `workload` on each backend in turn (never two at once), with `nodes`
/// nodes for the shared runs.
pub async fn backends(
    relays: &Relays,
    stores: usize,
    nodes: usize,
    workload: &Workload,
) -> anyhow::Result<Vec<Run>> {
    anyhow::ensure!(nodes >= 2, "--nodes: at least two nodes share a database");
    let slots = workload.devices_per_store + workload.joins_per_store;
    let server = tokio::task::spawn_blocking(PrivateServer::start)
        .await?
        .map_err(anyhow::Error::msg)?;
    let mut runs = Vec::new();
    // (label, on PostgreSQL, nodes, each store on one node, one node killed)
    let plan: [(&str, bool, usize, bool, bool); 5] = [
        ("sqlite", false, 1, false, false),
        ("postgres-1", true, 1, false, false),
        ("postgres-n-spread", true, nodes, false, false),
        ("postgres-n-by-store", true, nodes, true, false),
        ("postgres-n-by-store-kill", true, nodes, true, true),
    ];
    for (name, shared, n, by_store, kill) in plan {
        let database = if shared {
            let name = name.replace('-', "_");
            let server = &server;
            Some(std::thread::scope(|s| {
                s.spawn(|| server.create_database(&name))
                    .join()
                    .map_err(|_| anyhow::anyhow!("creating the database panicked"))?
                    .map_err(anyhow::Error::msg)
            })?)
        } else {
            None
        };
        let label = match (shared, n, by_store, kill) {
            (false, ..) => "SQLite, 1 node".to_owned(),
            (true, 1, ..) => "PostgreSQL, 1 node".to_owned(),
            (true, _, false, _) => format!("PostgreSQL, {n} nodes, each store's devices spread"),
            (true, _, true, false) => format!("PostgreSQL, {n} nodes, each store on one"),
            (true, _, true, true) => {
                format!("PostgreSQL, {n} nodes, each store on one, one killed")
            }
        };
        eprintln!(
            "== {label} — {stores} stores × {} devices",
            workload.devices_per_store
        );
        let p = prepare_ours(relays, name, database.as_deref(), n, stores, slots).await?;
        let mut target = p.target.clone();
        target.by_store = by_store;
        if shared {
            target.database_pid = server.pid();
        }
        if kill {
            // A third into the steady phase, the first node: its stores move
            // to the next node.
            target.kill = Some(Kill {
                pid: target.relay_pids[0],
                after: workload.steady / 3,
            });
        }
        let mut report = workload::run(target, workload.clone()).await?;
        report.rss_before_kib = p.baseline_kib;
        eprintln!("{}", one_line(&report));
        drop(p.processes);
        runs.push(Run { label, report });
    }
    Ok(runs)
}

fn us(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{v:.0}"))
}

fn sum(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a + b),
        (a, None) => a,
        (None, b) => b,
    }
}

/// The runs side by side, in Markdown.
pub fn table(runs: &[Run], w: &Workload) -> String {
    let Some(first) = runs.first() else {
        return String::new();
    };
    let mut t = workload_line(&first.report, w);
    let _ = write!(t, "|");
    for r in runs {
        let _ = write!(t, " | {}", r.label);
    }
    let _ = writeln!(t, " |");
    let _ = writeln!(t, "|---{}|", "|---:".repeat(runs.len()));
    let mut row = |name: &str, cell: &dyn Fn(&Report) -> String| {
        let _ = write!(t, "| {name}");
        for r in runs {
            let _ = write!(t, " | {}", cell(&r.report));
        }
        let _ = writeln!(t, " |");
    };
    row("throughput: edits/s applied (saturate)", &|r| {
        format!("{:.0}", r.edits_per_sec)
    });
    row("relay CPU per edit, µs, all nodes (saturate)", &|r| {
        us(cpu_per_k(r.relay_cpu_saturate, r.saturate_edits))
    });
    row("database CPU per edit, µs (saturate)", &|r| {
        us(cpu_per_k(r.database_cpu_saturate, r.saturate_edits))
    });
    row("relay + database CPU per edit, µs (saturate)", &|r| {
        us(sum(
            cpu_per_k(r.relay_cpu_saturate, r.saturate_edits),
            cpu_per_k(r.database_cpu_saturate, r.saturate_edits),
        ))
    });
    row("edit→visible p50 / p99 / max, ms (steady)", &|r| {
        pct(&r.steady_latency)
    });
    row("edit→acknowledged p50 / p99 / max, ms (steady)", &|r| {
        pct(&r.ack_latency)
    });
    row("relay + database CPU per edit, µs (steady)", &|r| {
        us(sum(
            cpu_per_k(r.relay_cpu_steady, r.steady_edits),
            cpu_per_k(r.database_cpu_steady, r.steady_edits),
        ))
    });
    row(
        "session lost → synced again p50 / p99 / max, ms (count)",
        &|r| {
            if r.recovery.count == 0 {
                "–".into()
            } else {
                format!("{} ({})", pct(&r.recovery), r.recovery.count)
            }
        },
    );
    row("docs/s synced from nothing (connect)", &|r| {
        format!("{:.0}", r.docs_per_sec)
    });
    row("relay RSS, all nodes: peak, MiB", &|r| mib(r.rss_peak_kib));
    row("session errors", &|r| r.errors.to_string());
    t
}
