//! Relay processes the load generator starts: ours (`storeops-relay serve`) and
//! the reference JS relay (`node bench/reference-relay/server.mjs`).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};

/// Which relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelayKind {
    /// `storeops-relay`: devices authenticate with tokens.
    Ours,
    /// automerge-repo with `NodeWSServerAdapter`, no authentication.
    Reference,
}

impl RelayKind {
    pub fn name(self) -> &'static str {
        match self {
            RelayKind::Ours => "storeops-relay",
            RelayKind::Reference => "automerge-repo (JS)",
        }
    }
}

/// A relay process; killed when dropped.
#[derive(Debug)]
pub struct RelayProcess {
    child: Child,
    pub kind: RelayKind,
    /// The WebSocket URL devices connect to.
    pub url: String,
}

impl RelayProcess {
    /// Starts `storeops-relay serve` on a free loopback port. With
    /// `lift_rates`, the message rate limits, per connection and per device,
    /// are lifted (a benchmark device sends far more than a person does; a run
    /// with an attacker keeps them, as a store's relay has them); with
    /// `validate_writes` false, writes are not checked against the rules of the
    /// device's role (to measure what the check costs); with `database`, the
    /// relay keeps everything in that PostgreSQL database (several nodes may
    /// share it) instead of SQLite in `data_dir`; everything else is the
    /// relay's default.
    pub fn start_ours(
        bin: &Path,
        data_dir: &Path,
        database: Option<&str>,
        log: &Path,
        validate_writes: bool,
        lift_rates: bool,
    ) -> anyhow::Result<Self> {
        let mut cmd = Command::new(bin);
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .env(
                "STOREOPS_RELAY__VALIDATE_WRITES",
                validate_writes.to_string(),
            );
        if let Some(url) = database {
            cmd.env("STOREOPS_RELAY__DATABASE", url);
        }
        if lift_rates {
            cmd.env("STOREOPS_RELAY__MAX_MESSAGES_PER_SECOND", "1000000")
                .env("STOREOPS_RELAY__MAX_DEVICE_MESSAGES_PER_SECOND", "1000000");
        }
        if std::env::var_os("RUST_LOG").is_none() {
            cmd.env("RUST_LOG", "warn");
        }
        let (child, line) = spawn(cmd, log, "storeops-relay listening on ")
            .with_context(|| format!("starting {}", bin.display()))?;
        let addr = line.trim();
        Ok(Self {
            child,
            kind: RelayKind::Ours,
            url: format!("ws://{addr}/sync"),
        })
    }

    /// Starts the reference relay: `node server.mjs` in `script_dir`.
    pub fn start_reference(script_dir: &Path, data_dir: &Path, log: &Path) -> anyhow::Result<Self> {
        if !script_dir
            .join("node_modules/@automerge/automerge-repo")
            .exists()
        {
            bail!(
                "the reference relay's packages are missing: run `npm install` in {}",
                script_dir.display()
            );
        }
        let mut cmd = Command::new("node");
        cmd.current_dir(script_dir)
            .args(["server.mjs", "--port", "0", "--data-dir"])
            .arg(data_dir);
        let (child, line) = spawn(cmd, log, "listening on ").context("starting node server.mjs")?;
        Ok(Self {
            child,
            kind: RelayKind::Reference,
            url: format!("ws://127.0.0.1:{}", line.trim()),
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Spawns `cmd` with stderr to `log`, and waits for a stdout line starting with
/// `ready`; returns the child and the rest of that line.
fn spawn(mut cmd: Command, log: &Path, ready: &str) -> anyhow::Result<(Child, String)> {
    let log_file = std::fs::File::create(log)
        .with_context(|| format!("cannot create the log {}", log.display()))?;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log_file)
        .spawn()?;
    let stdout = child.stdout.take().context("no stdout")?;
    let (tx, rx) = std::sync::mpsc::channel();
    let ready = ready.to_owned();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        for line in lines.by_ref() {
            let Ok(line) = line else { break };
            if let Some(rest) = line.strip_prefix(&ready) {
                let _ = tx.send(rest.to_owned());
                break;
            }
        }
        // Keep draining so the relay never blocks on a full pipe.
        for _ in lines {}
    });
    match rx.recv_timeout(Duration::from_secs(30)) {
        Ok(line) => Ok((child, line)),
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "the relay did not say it was listening within 30 s; see {}",
                log.display()
            )
        }
    }
}

/// The `storeops-relay` binary next to this executable (both are built into the
/// same target directory), or `STOREOPS_RELAY_BIN`.
pub fn default_relay_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("STOREOPS_RELAY_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().unwrap_or_default();
    let dir = exe.parent().map(Path::to_path_buf).unwrap_or_default();
    // Test binaries live in target/<profile>/deps.
    let dir = if dir.ends_with("deps") {
        dir.parent().map(Path::to_path_buf).unwrap_or(dir)
    } else {
        dir
    };
    dir.join("storeops-relay")
}

/// `bench/reference-relay` of this repository.
pub fn default_reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../reference-relay")
}
