//! `storeops-relay`: the relay's command line. See `storeops-relay help`.

use std::path::PathBuf;

use anyhow::{Context, bail};
use storeops_domain::Role;
use storeops_domain::calendar::Zone;
use storeops_relay::backend::Backend;
use storeops_relay::registry::Registry;
use storeops_relay::{Settings, serve};

const HELP: &str = "storeops-relay — the Storeops sync relay

USAGE:
  storeops-relay serve [--listen ADDR] [--data-dir DIR] [--database URL] [--config FILE]
                      [--web-dir DIR]
                      also serves the phone web app at / (built in, or from --web-dir);
                      --database postgres://… keeps everything in PostgreSQL, where
                      several relay nodes may share it (docs/operators.md)
  storeops-relay store create --data-dir DIR --name NAME --template plan1|plan2|plan3
                              [--locale zh-CN|en] [--time-zone Asia/Shanghai]
                              [--demo-people yes]   sample staff in every position
                              [--demo-history yes]  and eight weeks of history behind them
  storeops-relay store list --data-dir DIR
  storeops-relay store grant --data-dir DIR [--valid-hours 72]
                             a one-time code with which the app opens a new store
  storeops-relay invite create --data-dir DIR --store ID --role ROLE
                               [--person ID | --holder-of POSITION] [--valid-hours 72]
                               ROLE: staff, department_manager, manager,
                               operations_manager or director; the device is for a
                               person, by id or as whoever holds a position now
  storeops-relay device list --data-dir DIR
  storeops-relay device revoke --data-dir DIR ID
  storeops-relay nodes             the relay nodes on a shared database, as they last reported
  storeops-relay backup --data-dir DIR --to FILE
                        (on PostgreSQL: says how to back up with pg_dump)
  storeops-relay config            print an example config file (every setting, its default)

Every command takes --config FILE and --database URL. Settings come from the defaults, then
the file, then STOREOPS_RELAY__<NAME> environment variables, then --listen / --data-dir /
--database / --web-dir.
Logs: RUST_LOG (e.g. info, storeops_relay=debug).";

/// Parsed `--flag value` pairs and positional words.
struct Args {
    words: Vec<String>,
    flags: Vec<(String, String)>,
}

impl Args {
    fn parse(raw: impl Iterator<Item = String>) -> anyhow::Result<Self> {
        let mut words = Vec::new();
        let mut flags = Vec::new();
        let mut raw = raw.peekable();
        while let Some(a) = raw.next() {
            if let Some(name) = a.strip_prefix("--") {
                let value = raw
                    .next()
                    .with_context(|| format!("--{name} needs a value"))?;
                flags.push((name.to_owned(), value));
            } else {
                words.push(a);
            }
        }
        Ok(Self { words, flags })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn need(&self, name: &str) -> anyhow::Result<&str> {
        self.get(name)
            .with_context(|| format!("missing --{name}; see `storeops-relay help`"))
    }

    fn check_known(&self, known: &[&str]) -> anyhow::Result<()> {
        for (n, _) in &self.flags {
            if !known.contains(&n.as_str()) {
                bail!("unknown option --{n}; see `storeops-relay help`");
            }
        }
        Ok(())
    }
}

/// Defaults < `--config FILE` < `STOREOPS_RELAY__*` < `--listen`/`--data-dir`.
fn settings(args: &Args) -> anyhow::Result<Settings> {
    let file = args.get("config").map(PathBuf::from);
    let mut s = Settings::load(file.as_deref(), |name| std::env::var(name).ok())?;
    if let Some(v) = args.get("listen") {
        s.listen = v
            .parse()
            .context("--listen is not an address like 127.0.0.1:8787")?;
    }
    if let Some(v) = args.get("data-dir") {
        s.data_dir = PathBuf::from(v);
    }
    if let Some(v) = args.get("web-dir") {
        s.web_dir = Some(PathBuf::from(v));
    }
    if let Some(v) = args.get("database") {
        s.database = Some(v.to_owned());
    }
    Ok(s)
}

/// The registry on the database the settings name.
fn registry(args: &Args) -> anyhow::Result<Registry> {
    let backend = Backend::of(&settings(args)?)?;
    Registry::open(&backend)
        .with_context(|| format!("cannot open the registry on {}", backend.describe()))
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e:#}");
        std::process::exit(2);
    }
}

fn run() -> anyhow::Result<()> {
    let args = Args::parse(std::env::args().skip(1))?;
    let words: Vec<&str> = args.words.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["serve"] => {
            args.check_known(&["listen", "data-dir", "config", "web-dir", "database"])?;
            let settings = settings(&args)?;
            tracing_subscriber::fmt()
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_default_env()
                        .unwrap_or_else(|_| "info".into()),
                )
                .with_writer(std::io::stderr)
                .init();
            // Blocking work is registry look-ups behind one mutex: a few threads
            // serve it as well as many, and each thread costs a stack and an
            // allocator arena (tokio's default allows 512).
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .max_blocking_threads(4)
                .build()?;
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind(settings.listen)
                    .await
                    .with_context(|| format!("cannot listen on {}", settings.listen))?;
                let addr = listener.local_addr()?;
                println!("storeops-relay listening on {addr}");
                tracing::info!(%addr, data_dir = %settings.data_dir.display(), "relay started");
                serve(settings, listener, shutdown_signal()).await
            })
        }
        ["store", "create"] => {
            args.check_known(&[
                "data-dir",
                "config",
                "database",
                "name",
                "template",
                "locale",
                "time-zone",
                "demo-people",
                "demo-history",
            ])?;
            let tz = args.get("time-zone").unwrap_or("Asia/Shanghai");
            let zone = Zone::named(tz)?;
            let now = now_ms();
            let today = zone.date_of(now);
            let demo = match args.get("demo-people") {
                None | Some("no") => false,
                Some("yes") => true,
                Some(other) => bail!("--demo-people takes yes or no, not {other:?}"),
            };
            let history = match args.get("demo-history") {
                None | Some("no") => false,
                Some("yes") => true,
                Some(other) => bail!("--demo-history takes yes or no, not {other:?}"),
            };
            let mut reg = registry(&args)?;
            let create = if history {
                Registry::create_lived_in_store
            } else if demo {
                Registry::create_demo_store
            } else {
                Registry::create_store
            };
            let store = create(
                &mut reg,
                args.need("name")?,
                args.need("template")?,
                args.get("locale").unwrap_or("zh-CN"),
                tz,
                today,
                now,
            )?;
            eprintln!(
                "created store {:?}, root document {}",
                store.name, store.root_document_id
            );
            println!("{}", store.id);
            Ok(())
        }
        ["store", "grant"] => {
            args.check_known(&["data-dir", "config", "database", "valid-hours"])?;
            let hours = valid_hours(&args)?;
            let mut reg = registry(&args)?;
            println!("{}", reg.create_store_grant(now_ms(), hours * 3_600_000)?);
            Ok(())
        }
        ["store", "list"] => {
            args.check_known(&["data-dir", "config", "database"])?;
            let reg = registry(&args)?;
            for s in reg.stores()? {
                println!("{}\t{}\t{}", s.id, s.root_document_id, s.name);
            }
            Ok(())
        }
        ["invite", "create"] => {
            args.check_known(&[
                "data-dir",
                "config",
                "database",
                "store",
                "role",
                "person",
                "holder-of",
                "valid-hours",
            ])?;
            let role: Role = args
                .need("role")?
                .parse()
                .map_err(|e: String| anyhow::anyhow!(e))?;
            let hours = valid_hours(&args)?;
            let store = args.need("store")?;
            let mut reg = registry(&args)?;
            // For a person by id, or for whoever holds a position now.
            let person = match (args.get("person"), args.get("holder-of")) {
                (Some(p), _) => Some(p.to_owned()),
                (None, Some(position)) => {
                    let org = reg.org_chart(store)?;
                    let holder = org
                        .people
                        .iter()
                        .find(|(_, p)| p.active && p.held_positions().contains(&position))
                        .map(|(id, _)| id.clone());
                    Some(holder.ok_or_else(|| anyhow::anyhow!("no one holds {position}"))?)
                }
                (None, None) => None,
            };
            let code =
                reg.create_invite(store, role, person.as_deref(), now_ms(), hours * 3_600_000)?;
            println!("{code}");
            Ok(())
        }
        ["device", "list"] => {
            args.check_known(&["data-dir", "config", "database"])?;
            let reg = registry(&args)?;
            for d in reg.devices()? {
                let state = if d.revoked { "revoked" } else { "active" };
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    d.id,
                    d.store_id,
                    d.role.as_str(),
                    state,
                    d.name
                );
            }
            Ok(())
        }
        ["device", "revoke", id] => {
            args.check_known(&["data-dir", "config", "database"])?;
            let mut reg = registry(&args)?;
            reg.revoke(id, now_ms())?;
            eprintln!("revoked {id}; a running relay cuts its connections within a second");
            Ok(())
        }
        ["backup"] => {
            args.check_known(&["data-dir", "config", "database", "to"])?;
            let s = settings(&args)?;
            let to = PathBuf::from(args.need("to")?);
            if to.exists() {
                bail!("{} exists; choose a new file", to.display());
            }
            match Backend::of(&s)? {
                Backend::Sqlite(path) => {
                    let conn = storeops_storage::open_database(&path)?;
                    conn.execute("VACUUM INTO ?1", [to.to_string_lossy()])
                        .context("backup failed")?;
                    eprintln!("backed up to {}", to.display());
                    Ok(())
                }
                Backend::Postgres(_) => bail!(
                    "the relay's data is in PostgreSQL: back it up with PostgreSQL's own tools while the relay runs, e.g. `pg_dump --format=custom --file {} \"$DATABASE_URL\"` (restore with pg_restore), or with your database team's continuous archiving; nothing was written",
                    to.display()
                ),
            }
        }
        ["nodes"] => {
            args.check_known(&["data-dir", "config", "database"])?;
            let backend = Backend::of(&settings(&args)?)?;
            if !backend.is_shared() {
                println!(
                    "one node: the relay on {} (nodes share only a PostgreSQL database)",
                    backend.describe()
                );
                return Ok(());
            }
            let db = backend.sql()?;
            let now = now_ms();
            println!("node\taddress\tstate\tlast report\tconnections\tdocuments in memory");
            for n in storeops_relay::nodes::list(db.as_ref(), now)? {
                println!(
                    "{}\t{}\t{}\t{:.1} s ago\t{}\t{}",
                    n.id,
                    n.address,
                    if n.alive { "up" } else { "gone" },
                    (now - n.seen_at) as f64 / 1000.0,
                    n.connections,
                    n.documents
                );
            }
            Ok(())
        }
        ["config"] => {
            print!("{}", Settings::example());
            Ok(())
        }
        ["help"] | [] => {
            println!("{HELP}");
            Ok(())
        }
        other => bail!(
            "unknown command {:?}; see `storeops-relay help`",
            other.join(" ")
        ),
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

/// `--valid-hours`, 72 by default, at most a year.
fn valid_hours(args: &Args) -> anyhow::Result<i64> {
    let hours: i64 = args
        .get("valid-hours")
        .unwrap_or("72")
        .parse()
        .context("--valid-hours is not a whole number")?;
    if !(1..=24 * 365).contains(&hours) {
        bail!("--valid-hours must be between 1 and 8760");
    }
    Ok(hours)
}
