//! `storeops-loadgen`: see `storeops-loadgen help`.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use storeops_loadgen::compare::{self, Relays};
use storeops_loadgen::relay::{RelayProcess, default_reference_dir, default_relay_bin};
use storeops_loadgen::setup;
use storeops_loadgen::stats::open_files_limit;
use storeops_loadgen::workload::{self, Saturation, Target, Workload};
use storeops_loadgen::{backends, floor};

const HELP: &str = "storeops-loadgen — simulated stores and devices against automerge-repo relays

USAGE:
  storeops-loadgen compare [--stores 10] [--devices 10] [WORKLOAD] [--idle K [--idle-stores 100]
                           [--hold 10] [--idle-only]]
        runs our relay, then the reference JS relay, on the same workload; prints a table;
        with --idle, then holds K idle connections on each (--idle-only: only that)
  storeops-loadgen backends [--stores 10] [--devices 10] [--nodes 3] [WORKLOAD]
        our relay on one node on SQLite, one node on PostgreSQL, --nodes nodes on one
        PostgreSQL database with each store's devices spread over them, then with each
        store on one node (as a balancer hashing on /sync?store= puts them), and that again
        with the first node killed (SIGKILL) a third into the steady phase; a private
        PostgreSQL server is started for the run (Debian's postgresql package); prints a table
  storeops-loadgen floor [--devices 10] [--edits 2000] [--batch 1]
        the floor automerge sets under the relay's CPU per edit: the same edits in one
        process, only automerge's work on the relay's side timed (apply, save, a sync
        message for each device and its answer); --batch B: B edits between the relay's
        saves and sync rounds, as when edits arrive together; no network, protocol or database
  storeops-loadgen run (--relay-data DIR | --no-auth) [--url WS_URL] [--relay-pid PID]
                       [--stores 10] [--devices 10] [WORKLOAD]
        one relay: with --relay-data, creates the stores and enrols the devices in our
        relay's data directory (and starts the relay there unless --url is given);
        with --no-auth, pushes the stores' documents to the relay at --url (or starts
        the reference relay)
  storeops-loadgen idle (--relay-data DIR | --no-auth) [--url WS_URL] [--relay-pid PID]
                        --connections K [--stores 100] [--hold 10] [--no-docs]
        holds K idle connections (each synced its store's documents once)

WORKLOAD:
  --joins 1             devices per store that join during the steady phase
  --steady 20           seconds of steady load
  --rate 1              task edits per second per device in the steady phase
  --reconnect-every 30  mean seconds between a device's reconnects (0: never)
  --saturate 10         seconds of closed-loop load (throughput)
  --saturate-edits N    closed-loop load until the relay acknowledged N edits in all (the
                        same work for every relay; instead of --saturate)
  --concurrency 64      devices doing their first sync at once
  --attack KIND         one more device of the first store attacks from the saturate phase
                        on (run only): forged (writes the relay refuses, again and again),
                        enrol (guessed invite codes from 8 connections), connections (64 at
                        a time on its token), messages (valid sync messages on 8 connections,
                        not waiting for answers); the relay keeps its own message limits
  --product-limits      the relay keeps its own message limits without an attack (run only;
                        otherwise lifted: a benchmark device sends more than a person)

OPTIONS:
  --relay-bin PATH      storeops-relay binary (default: next to this one, or $STOREOPS_RELAY_BIN)
  --reference-dir DIR   bench/reference-relay with node_modules (npm install)
  --work-dir DIR        where the relays keep their data (default: a new temp dir)
  --idle-tokens N       enrolled devices per store for the idle run on our relay (default: one
                        per connection; fewer are shared, each connection with its own peer id)

Open files: K connections need K descriptors in this process and in the relay; the soft
limit is checked (raise it with `ulimit -n 20000`).";

struct Args {
    words: Vec<String>,
    flags: Vec<(String, Option<String>)>,
}

const SWITCHES: &[&str] = &["no-auth", "no-docs", "idle-only", "product-limits"];

impl Args {
    fn parse() -> anyhow::Result<Self> {
        let mut words = Vec::new();
        let mut flags = Vec::new();
        let mut raw = std::env::args().skip(1);
        while let Some(a) = raw.next() {
            if let Some(name) = a.strip_prefix("--") {
                if SWITCHES.contains(&name) {
                    flags.push((name.to_owned(), None));
                } else {
                    let v = raw
                        .next()
                        .with_context(|| format!("--{name} needs a value"))?;
                    flags.push((name.to_owned(), Some(v)));
                }
            } else {
                words.push(a);
            }
        }
        Ok(Self { words, flags })
    }

    fn has(&self, name: &str) -> bool {
        self.flags.iter().any(|(n, _)| n == name)
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    fn num<T: std::str::FromStr>(&self, name: &str, default: T) -> anyhow::Result<T> {
        match self.get(name) {
            Some(v) => v
                .parse()
                .map_err(|_| anyhow::anyhow!("--{name} {v:?} is not a number")),
            None => Ok(default),
        }
    }

    fn check_known(&self, known: &[&str]) -> anyhow::Result<()> {
        for (n, _) in &self.flags {
            if !known.contains(&n.as_str()) {
                bail!("unknown option --{n}; see `storeops-loadgen help`");
            }
        }
        Ok(())
    }

    fn workload(&self) -> anyhow::Result<Workload> {
        let d = Workload::default();
        let secs = |name, default: Duration| -> anyhow::Result<Duration> {
            Ok(Duration::from_secs_f64(
                self.num(name, default.as_secs_f64())?,
            ))
        };
        let reconnect = secs("reconnect-every", d.reconnect_every.unwrap_or_default())?;
        let saturate = match (self.get("saturate"), self.get("saturate-edits")) {
            (Some(_), Some(_)) => bail!("--saturate and --saturate-edits: give one of them"),
            (_, Some(_)) => match self.num("saturate-edits", 0u64)? {
                0 => bail!("--saturate-edits needs at least one edit"),
                n => Saturation::Edits(n),
            },
            _ => match d.saturate {
                Saturation::For(t) => Saturation::For(secs("saturate", t)?),
                by_count => by_count,
            },
        };
        Ok(Workload {
            devices_per_store: self.num("devices", d.devices_per_store)?,
            joins_per_store: self.num("joins", d.joins_per_store)?,
            steady: secs("steady", d.steady)?,
            edit_rate: self.num("rate", d.edit_rate)?,
            reconnect_every: (!reconnect.is_zero()).then_some(reconnect),
            saturate,
            connect_concurrency: self.num("concurrency", d.connect_concurrency)?,
            connect_timeout: d.connect_timeout,
            attack: self
                .get("attack")
                .map(|a| a.parse().map_err(anyhow::Error::msg))
                .transpose()?,
        })
    }

    fn relays(&self) -> Relays {
        Relays {
            relay_bin: self
                .get("relay-bin")
                .map(PathBuf::from)
                .unwrap_or_else(default_relay_bin),
            reference_dir: self
                .get("reference-dir")
                .map(PathBuf::from)
                .unwrap_or_else(default_reference_dir),
            work_dir: self
                .get("work-dir")
                .map(PathBuf::from)
                .unwrap_or_else(compare::default_work_dir),
            validate_writes: true,
        }
    }
}

const WORKLOAD_FLAGS: &[&str] = &[
    "stores",
    "devices",
    "joins",
    "steady",
    "rate",
    "reconnect-every",
    "saturate",
    "saturate-edits",
    "concurrency",
    "attack",
    "relay-bin",
    "reference-dir",
    "work-dir",
];

fn need_files(n: usize) -> anyhow::Result<()> {
    if let Some(limit) = open_files_limit()
        && (limit as usize) < n + 100
    {
        bail!(
            "this needs about {} open files but the limit is {limit}; raise it with `ulimit -n {}`",
            n + 100,
            n + 1000
        );
    }
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e:#}");
        std::process::exit(2);
    }
}

/// Runs `f` until it ends or the user interrupts (relays started are dropped, so killed).
fn block_on<F: std::future::Future<Output = anyhow::Result<()>>>(
    rt: &tokio::runtime::Runtime,
    f: F,
) -> anyhow::Result<()> {
    rt.block_on(async {
        tokio::select! {
            r = f => r,
            _ = tokio::signal::ctrl_c() => bail!("interrupted"),
        }
    })
}

fn run() -> anyhow::Result<()> {
    let args = Args::parse()?;
    let words: Vec<&str> = args.words.iter().map(String::as_str).collect();
    let rt = tokio::runtime::Runtime::new()?;
    match words.as_slice() {
        ["compare"] => {
            let mut known = WORKLOAD_FLAGS.to_vec();
            known.extend(["idle", "idle-stores", "idle-tokens", "hold", "idle-only"]);
            args.check_known(&known)?;
            let relays = args.relays();
            let stores: usize = args.num("stores", 10)?;
            let w = args.workload()?;
            need_files(stores * (w.devices_per_store + w.joins_per_store))?;
            print_machine();
            block_on(&rt, async {
                if !args.has("idle-only") {
                    let c = compare::compare(&relays, stores, &w).await?;
                    println!("{}", compare::table(&c.ours, &c.reference, &w));
                    println!("{}", compare::validation_table(&c.ours, &c.unchecked));
                }
                if let Some(k) = args.get("idle") {
                    let k: usize = k.parse().context("--idle is a number of connections")?;
                    need_files(k)?;
                    let idle_stores: usize = args.num("idle-stores", 100)?;
                    let (a, b) = compare::compare_idle(
                        &relays,
                        idle_stores,
                        k,
                        args.num("idle-tokens", k.div_ceil(idle_stores.max(1)))?,
                        Duration::from_secs_f64(args.num("hold", 10.0)?),
                    )
                    .await?;
                    println!("{}", compare::idle_table(&a, &b, k));
                }
                anyhow::Ok(())
            })?;
            let _ = std::fs::remove_dir_all(&relays.work_dir);
            Ok(())
        }
        ["backends"] => {
            let mut known = WORKLOAD_FLAGS.to_vec();
            known.push("nodes");
            args.check_known(&known)?;
            let relays = args.relays();
            let stores: usize = args.num("stores", 10)?;
            let nodes: usize = args.num("nodes", 3)?;
            let w = args.workload()?;
            need_files(stores * (w.devices_per_store + w.joins_per_store))?;
            print_machine();
            block_on(&rt, async {
                let runs = backends::backends(&relays, stores, nodes, &w).await?;
                println!("{}", backends::table(&runs, &w));
                anyhow::Ok(())
            })?;
            let _ = std::fs::remove_dir_all(&relays.work_dir);
            Ok(())
        }
        ["floor"] => {
            args.check_known(&["devices", "edits", "batch"])?;
            let devices: usize = args.num("devices", 10)?;
            let edits: usize = args.num("edits", 2000)?;
            let batch: usize = args.num("batch", 1)?;
            print_machine();
            let f = floor::floor(devices, edits, batch)?;
            let us = |d: Duration| d.as_secs_f64() * 1e6;
            println!(
                "{} devices, {} edits, {} per round: automerge on the relay's side per edit {:.0} µs (the editor's exchange {:.0}, save {:.0}, sync messages for every device and their answers {:.0})",
                f.peers,
                f.edits,
                f.batch,
                us(f.per_edit()),
                us(f.apply),
                us(f.save),
                us(f.fan_out)
            );
            Ok(())
        }
        ["run"] | ["idle"] => {
            let idle = words == ["idle"];
            let mut known = WORKLOAD_FLAGS.to_vec();
            known.extend([
                "relay-data",
                "no-auth",
                "url",
                "relay-pid",
                "connections",
                "hold",
                "no-docs",
                "product-limits",
            ]);
            args.check_known(&known)?;
            let relays = args.relays();
            let w = args.workload()?;
            let stores: usize = args.num("stores", if idle { 100 } else { 10 })?;
            let connections: usize = args.num("connections", 1000)?;
            need_files(if idle {
                connections
            } else {
                stores * (w.devices_per_store + w.joins_per_store)
            })?;
            let slots = if idle {
                connections.div_ceil(stores)
            } else {
                w.devices_per_store + w.joins_per_store + usize::from(w.attack.is_some())
            };
            block_on(&rt, async {
                let mut started: Option<RelayProcess> = None;
                let (url, fixtures) = match (args.get("relay-data"), args.has("no-auth")) {
                    (Some(dir), false) => {
                        let dir = PathBuf::from(dir);
                        let d2 = dir.clone();
                        let fixtures =
                            tokio::task::spawn_blocking(move || setup::ours(&d2, stores, slots))
                                .await??;
                        let url = match args.get("url") {
                            Some(u) => u.to_owned(),
                            None => {
                                std::fs::create_dir_all(&relays.work_dir)?;
                                let p = RelayProcess::start_ours(
                                    &relays.relay_bin,
                                    &dir,
                                    None,
                                    &relays.work_dir.join("relay.log"),
                                    relays.validate_writes,
                                    w.attack.is_none() && !args.has("product-limits"),
                                )?;
                                let u = p.url.clone();
                                started = Some(p);
                                u
                            }
                        };
                        (url, fixtures)
                    }
                    (None, true) => {
                        let url = match args.get("url") {
                            Some(u) => u.to_owned(),
                            None => {
                                std::fs::create_dir_all(&relays.work_dir)?;
                                let p = RelayProcess::start_reference(
                                    &relays.reference_dir,
                                    &relays.work_dir.join("data"),
                                    &relays.work_dir.join("relay.log"),
                                )?;
                                let u = p.url.clone();
                                started = Some(p);
                                u
                            }
                        };
                        let fixtures = setup::seeded(stores)?;
                        workload::seed(&url, &fixtures).await?;
                        (url, fixtures)
                    }
                    _ => bail!(
                        "say either --relay-data DIR (our relay) or --no-auth (a relay without auth)"
                    ),
                };
                let relay_pid = match args.get("relay-pid") {
                    Some(p) => Some(p.parse().context("--relay-pid is a process id")?),
                    None => started.as_ref().map(RelayProcess::pid),
                };
                let target = Target::one(url, fixtures, relay_pid);
                if idle {
                    let r = workload::idle(
                        target,
                        connections,
                        !args.has("no-docs"),
                        Duration::from_secs_f64(args.num("hold", 10.0)?),
                        w.connect_concurrency,
                    )
                    .await?;
                    println!("{r:#?}");
                    if let Some(per) = r.rss_per_connection_kib() {
                        println!("RSS per connection: {per:.1} KiB");
                    }
                } else {
                    let r = workload::run(target, w).await?;
                    println!("{}", compare::one_line(&r));
                    println!("{r:#?}");
                }
                drop(started);
                anyhow::Ok(())
            })
        }
        ["help"] | [] => {
            println!("{HELP}");
            Ok(())
        }
        other => bail!(
            "unknown command {:?}; see `storeops-loadgen help`",
            other.join(" ")
        ),
    }
}

/// The machine, for the record.
fn print_machine() {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| m.lines().next().map(str::to_owned))
        .unwrap_or_default();
    let os = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix("PRETTY_NAME=")
                    .map(|v| v.trim_matches('"').to_owned())
            })
        })
        .unwrap_or_default();
    println!(
        "machine: {cpus} CPUs, {}, {os}",
        mem.split_whitespace().skip(1).collect::<Vec<_>>().join(" ")
    );
}
