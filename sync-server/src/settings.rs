//! Typed relay settings from layered sources: defaults, then a TOML file, then
//! `STOREOPS_RELAY__<NAME>` environment variables, then command-line flags.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Relay settings. `storeops-relay config` prints them with their defaults.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Directory holding `relay.sqlite` (unless `database` is set) and the
    /// survey secret.
    pub data_dir: PathBuf,
    /// A PostgreSQL database to keep everything in instead of SQLite
    /// (`postgres://user:password@host:port/name`), shareable by several
    /// relay nodes.
    pub database: Option<String>,
    /// Largest WebSocket message accepted, in bytes.
    pub max_frame_bytes: usize,
    /// Sustained messages per second per connection (bursts of twice that).
    pub max_messages_per_second: u32,
    /// Frames queued for one connection before it counts as a slow reader.
    pub outbox_frames: usize,
    /// Most documents one connection may sync.
    pub max_documents_per_connection: usize,
    /// Unload a document nobody used for this many seconds.
    pub idle_unload_seconds: u64,
    /// Close a WebSocket whose first message does not arrive within this many seconds.
    pub handshake_timeout_seconds: u64,
    /// Requests per minute one client address may make to each of `POST /v1/enrol`,
    /// `/v1/stores` and `/v1/invites` (after a burst of `registry_requests_burst`).
    pub registry_requests_per_minute: u32,
    /// Requests one client address may make at once to each of those.
    pub registry_requests_burst: u32,
    /// Failed WebSocket sign-ins (no, unknown, revoked or expired token) per
    /// minute from one client address, after a burst of twice that; past it
    /// the address's sign-ins get 429 without a look-up.
    pub failed_sign_ins_per_minute: u32,
    /// Connections one device token may have open at once.
    pub max_connections_per_device: usize,
    /// Sustained messages per second across all of one device's connections
    /// (bursts of twice that); past it the device's connections are read more
    /// slowly, not closed.
    pub max_device_messages_per_second: u32,
    /// PEM certificate chain: with `tls_key_file`, the relay serves `https`/`wss`.
    pub tls_cert_file: Option<PathBuf>,
    /// PEM private key for `tls_cert_file`.
    pub tls_key_file: Option<PathBuf>,
    /// Check every device's write against the domain's rules for its role
    /// (off only to measure what the check costs).
    pub validate_writes: bool,
    /// Engine threads; each store is served by one of them.
    pub engine_threads: usize,
    /// Serve the phone web app from this directory instead of the copy built into the
    /// relay (for development: the files are read once, at start).
    pub web_dir: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8787)),
            data_dir: PathBuf::from("relay-data"),
            database: None,
            max_frame_bytes: 16 * 1024 * 1024,
            max_messages_per_second: 500,
            outbox_frames: 1024,
            max_documents_per_connection: 10_000,
            idle_unload_seconds: 300,
            handshake_timeout_seconds: 10,
            registry_requests_per_minute: 10,
            registry_requests_burst: 20,
            failed_sign_ins_per_minute: 30,
            max_connections_per_device: 8,
            max_device_messages_per_second: 1000,
            tls_cert_file: None,
            tls_key_file: None,
            validate_writes: true,
            engine_threads: 8,
            web_dir: None,
        }
    }
}

/// Why settings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read the config file {path}: {cause}")]
    Read { path: String, cause: std::io::Error },
    #[error("the config file {path} is not valid: {message}")]
    File { path: String, message: String },
    #[error("STOREOPS_RELAY__{name}={value:?} is not valid: {expected}")]
    Env {
        name: &'static str,
        value: String,
        expected: &'static str,
    },
}

impl Settings {
    /// Defaults, overridden by `file` (if any), then by `env` (a lookup of
    /// `STOREOPS_RELAY__<NAME>` variables; pass `std::env::var(..).ok()`).
    pub fn load(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, SettingsError> {
        let mut s = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|cause| SettingsError::Read {
                    path: path.display().to_string(),
                    cause,
                })?;
                toml::from_str(&text).map_err(|e| SettingsError::File {
                    path: path.display().to_string(),
                    message: e.message().to_owned(),
                })?
            }
            None => Settings::default(),
        };
        fn parse<T: std::str::FromStr>(
            env: &impl Fn(&str) -> Option<String>,
            name: &'static str,
            expected: &'static str,
            slot: &mut T,
        ) -> Result<(), SettingsError> {
            if let Some(value) = env(&format!("STOREOPS_RELAY__{name}")) {
                *slot = value.parse().map_err(|_| SettingsError::Env {
                    name,
                    value: value.clone(),
                    expected,
                })?;
            }
            Ok(())
        }
        parse(
            &env,
            "LISTEN",
            "an address like 127.0.0.1:8787",
            &mut s.listen,
        )?;
        parse(&env, "DATA_DIR", "a directory", &mut s.data_dir)?;
        parse(
            &env,
            "MAX_FRAME_BYTES",
            "a number of bytes",
            &mut s.max_frame_bytes,
        )?;
        parse(
            &env,
            "MAX_MESSAGES_PER_SECOND",
            "a whole number",
            &mut s.max_messages_per_second,
        )?;
        parse(
            &env,
            "OUTBOX_FRAMES",
            "a whole number",
            &mut s.outbox_frames,
        )?;
        parse(
            &env,
            "MAX_DOCUMENTS_PER_CONNECTION",
            "a whole number",
            &mut s.max_documents_per_connection,
        )?;
        parse(
            &env,
            "HANDSHAKE_TIMEOUT_SECONDS",
            "a number of seconds",
            &mut s.handshake_timeout_seconds,
        )?;
        parse(
            &env,
            "IDLE_UNLOAD_SECONDS",
            "a number of seconds",
            &mut s.idle_unload_seconds,
        )?;
        parse(
            &env,
            "ENGINE_THREADS",
            "a whole number",
            &mut s.engine_threads,
        )?;
        parse(
            &env,
            "VALIDATE_WRITES",
            "true or false",
            &mut s.validate_writes,
        )?;
        parse(
            &env,
            "REGISTRY_REQUESTS_PER_MINUTE",
            "a whole number",
            &mut s.registry_requests_per_minute,
        )?;
        parse(
            &env,
            "REGISTRY_REQUESTS_BURST",
            "a whole number",
            &mut s.registry_requests_burst,
        )?;
        parse(
            &env,
            "FAILED_SIGN_INS_PER_MINUTE",
            "a whole number",
            &mut s.failed_sign_ins_per_minute,
        )?;
        parse(
            &env,
            "MAX_CONNECTIONS_PER_DEVICE",
            "a whole number",
            &mut s.max_connections_per_device,
        )?;
        parse(
            &env,
            "MAX_DEVICE_MESSAGES_PER_SECOND",
            "a whole number",
            &mut s.max_device_messages_per_second,
        )?;
        if let Some(v) = env("STOREOPS_RELAY__TLS_CERT_FILE") {
            s.tls_cert_file = Some(PathBuf::from(v));
        }
        if let Some(v) = env("STOREOPS_RELAY__TLS_KEY_FILE") {
            s.tls_key_file = Some(PathBuf::from(v));
        }
        if let Some(v) = env("STOREOPS_RELAY__DATABASE") {
            s.database = Some(v);
        }
        if let Some(v) = env("STOREOPS_RELAY__WEB_DIR") {
            s.web_dir = Some(PathBuf::from(v));
        }
        Ok(s)
    }

    /// An example config file with every setting at its default.
    pub fn example() -> String {
        let d = Settings::default();
        format!(
            "# storeops-relay configuration (TOML). Every setting is optional.\n\
             # Each can also be set as an environment variable STOREOPS_RELAY__<NAME IN CAPITALS>,\n\
             # which wins over this file; command-line flags win over both.\n\
             \n\
             # Address to listen on.\nlisten = \"{}\"\n\
             # Directory holding relay.sqlite (unless database is set) and the survey secret.\ndata_dir = \"{}\"\n\
             # Keep everything in PostgreSQL instead (several relay nodes may share it; see docs/operators.md).\n\
             # database = \"postgres://storeops:PASSWORD@db.example:5432/storeops\"\n\
             # Largest WebSocket message accepted, in bytes.\nmax_frame_bytes = {}\n\
             # Sustained messages per second per connection (bursts of twice that).\nmax_messages_per_second = {}\n\
             # Frames queued for one connection before it is cut as a slow reader.\noutbox_frames = {}\n\
             # Most documents one connection may sync.\nmax_documents_per_connection = {}\n\
             # Unload a document nobody used for this many seconds.\nidle_unload_seconds = {}\n\
             # Close a connection whose HTTP request headers, or whose first WebSocket message, take longer than this many seconds.\nhandshake_timeout_seconds = {}\n\
             # Check every device's write against the rules of its role (off only to measure the cost).\nvalidate_writes = {}\n\
             # Engine threads; each store is served by one, so a slow store holds up only the stores on its thread.\nengine_threads = {}\n\
             \n\
             # Rate limits per client address (an IPv6 address counts by its /64). Over a limit the relay answers 429 with Retry-After.\n\
             # Requests per minute to each of POST /v1/enrol, /v1/stores and /v1/invites, after a burst of registry_requests_burst.\nregistry_requests_per_minute = {}\nregistry_requests_burst = {}\n\
             # Failed WebSocket sign-ins per minute (bursts of twice that); past it sign-ins from the address get 429 without a look-up.\nfailed_sign_ins_per_minute = {}\n\
             # Caps per device token. Connections open at once (the next one gets 429 before the upgrade).\nmax_connections_per_device = {}\n\
             # Sustained messages per second across all of a device's connections (bursts of twice that); past it they are read more slowly.\nmax_device_messages_per_second = {}\n\
             \n\
             # Serve https/wss with this PEM certificate chain and key (both or neither).\n\
             # tls_cert_file = \"/etc/storeops/relay.crt\"\n\
             # tls_key_file = \"/etc/storeops/relay.key\"\n\
             \n\
             # Serve the phone web app from this directory instead of the copy built into the relay.\n\
             # web_dir = \"crates/web/dist\"\n",
            d.listen,
            d.data_dir.display(),
            d.max_frame_bytes,
            d.max_messages_per_second,
            d.outbox_frames,
            d.max_documents_per_connection,
            d.idle_unload_seconds,
            d.handshake_timeout_seconds,
            d.validate_writes,
            d.engine_threads,
            d.registry_requests_per_minute,
            d.registry_requests_burst,
            d.failed_sign_ins_per_minute,
            d.max_connections_per_device,
            d.max_device_messages_per_second,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn the_example_config_parses_to_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("relay.toml");
        std::fs::write(&path, Settings::example()).unwrap();
        assert_eq!(
            Settings::load(Some(&path), no_env).unwrap(),
            Settings::default()
        );
    }

    #[test]
    fn environment_variables_win_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("relay.toml");
        std::fs::write(&path, "listen = \"0.0.0.0:9000\"\nmax_frame_bytes = 10\n").unwrap();
        let env = |name: &str| (name == "STOREOPS_RELAY__MAX_FRAME_BYTES").then(|| "20".to_owned());
        let s = Settings::load(Some(&path), env).unwrap();
        assert_eq!(s.listen.to_string(), "0.0.0.0:9000");
        assert_eq!(s.max_frame_bytes, 20);
    }

    #[test]
    fn bad_settings_name_the_culprit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("relay.toml");
        std::fs::write(&path, "listne = \"x\"\n").unwrap();
        let err = Settings::load(Some(&path), no_env).unwrap_err().to_string();
        assert!(err.contains("listne"), "{err}");
        let env = |name: &str| (name == "STOREOPS_RELAY__LISTEN").then(|| "nowhere".to_owned());
        let err = Settings::load(None, env).unwrap_err().to_string();
        assert!(err.contains("STOREOPS_RELAY__LISTEN"), "{err}");
        let err = Settings::load(Some(&dir.path().join("missing.toml")), no_env).unwrap_err();
        assert!(err.to_string().contains("cannot read"), "{err}");
    }
}
