//! A private PostgreSQL server for tests and benchmarks: a fresh cluster in a
//! temporary directory, on a free loopback port, that trusts local
//! connections and is stopped and deleted when dropped. Run as root, the
//! server runs as the unprivileged `postgres` user (it refuses to run as
//! root), which Debian's `postgresql` package creates.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

/// A running private server.
#[derive(Debug)]
pub struct PrivateServer {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
}

/// Where the server's programs are: `STOREOPS_PG_BIN`, else the newest of
/// Debian's `/usr/lib/postgresql/*/bin`.
fn bin_dir() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("STOREOPS_PG_BIN") {
        return Ok(dir.into());
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| {
            "PostgreSQL is not installed (no /usr/lib/postgresql): `cargo xtask setup` installs Debian's `postgresql`".to_string()
        })?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| "no PostgreSQL server programs under /usr/lib/postgresql".into())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

impl PrivateServer {
    /// Creates and starts a server; an error says what is missing or failed.
    pub fn start() -> Result<Self, String> {
        static N: AtomicU32 = AtomicU32::new(0);
        let bin = bin_dir()?;
        let dir = std::env::temp_dir().join(format!(
            "storeops-pg-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let server = Self {
            dir,
            bin,
            port: free_port()?,
            as_postgres: is_root(),
        };
        if server.as_postgres {
            server.check(Command::new("chown").arg("postgres:").arg(&server.dir))?;
        }
        let data = server.data().display().to_string();
        server.check(server.program("initdb").args([
            "-D",
            &data,
            "-U",
            "storeops",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ]))?;
        server.start_again()?;
        Ok(server)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn program(&self, name: &str) -> Command {
        let path = self.bin.join(name);
        let mut c = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        };
        c.stdin(Stdio::null());
        c
    }

    fn check(&self, command: &mut Command) -> Result<(), String> {
        let out = command
            .output()
            .map_err(|e| format!("{command:?} did not run: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{command:?} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// Starts the server again after [`PrivateServer::stop`] (same data, same port).
    pub fn start_again(&self) -> Result<(), String> {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=300",
            self.port,
            self.dir.display()
        );
        self.check(self.program("pg_ctl").args([
            "-D",
            &self.data().display().to_string(),
            "-l",
            &self.dir.join("server.log").display().to_string(),
            "-o",
            &options,
            "-w",
            "start",
        ]))
    }

    /// Stops the server at once (as a crash would, its data kept).
    pub fn stop(&self) -> Result<(), String> {
        self.check(self.program("pg_ctl").args([
            "-D",
            &self.data().display().to_string(),
            "-m",
            "immediate",
            "-w",
            "stop",
        ]))
    }

    /// The address of database `db` on this server.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://storeops@127.0.0.1:{}/{db}", self.port)
    }

    /// Creates an empty database and gives its address.
    pub fn create_database(&self, name: &str) -> Result<String, String> {
        let mut admin = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .map_err(|e| e.to_string())?;
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .map_err(|e| e.to_string())?;
        Ok(self.url(name))
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's main process (the postmaster; its backends are its children),
    /// while it runs.
    pub fn pid(&self) -> Option<u32> {
        let text = std::fs::read_to_string(self.data().join("postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        let _ = self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
