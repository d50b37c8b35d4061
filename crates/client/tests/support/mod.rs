//! A real relay in-process on loopback, and waiting for eventual consistency.

#![allow(dead_code, clippy::unwrap_used)] // each test file uses part of it

use std::net::SocketAddr;
use std::time::Duration;

use storeops_api::command::Enrol;
use storeops_api::{Command, Request};
use storeops_relay::{Settings, serve};
use tokio::sync::oneshot;

pub struct RunningRelay {
    stop: oneshot::Sender<()>,
    done: tokio::task::JoinHandle<anyhow::Result<()>>,
}

pub async fn start_relay(
    data_dir: &std::path::Path,
    addr: SocketAddr,
) -> (RunningRelay, SocketAddr) {
    start_relay_with(data_dir, addr, |_| {}).await
}

/// [`start_relay`] with settings changed by `f`.
pub async fn start_relay_with(
    data_dir: &std::path::Path,
    addr: SocketAddr,
    f: impl FnOnce(&mut Settings),
) -> (RunningRelay, SocketAddr) {
    let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut settings = Settings {
        listen: addr,
        data_dir: data_dir.to_owned(),
        ..Settings::default()
    };
    f(&mut settings);
    let (stop, stopped) = oneshot::channel::<()>();
    let done = tokio::spawn(serve(settings, listener, async move {
        let _ = stopped.await;
    }));
    (RunningRelay { stop, done }, addr)
}

impl RunningRelay {
    pub async fn stop(self) {
        let _ = self.stop.send(());
        self.done.await.unwrap().unwrap();
    }
}

/// Waits up to 30 s for `check` (two cores shared by every test binary of a
/// run: the relay, several devices and the checks themselves).
pub async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("timed out waiting for: {what}");
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// The command that enrols a device with an invite code.
pub fn enrol(relay_url: &str, code: &str, device_name: &str) -> Enrol {
    Enrol {
        relay_url: relay_url.into(),
        code: code.into(),
        device_name: device_name.into(),
    }
}

/// A new store from `template` in the registry at `relay_dir` (today, UTC), and
/// a one-time manager's invite code for it (valid an hour).
pub fn store_with_manager_code(relay_dir: &std::path::Path, template: &str) -> (String, String) {
    let today = storeops_domain::calendar::Date::from_unix_ms(now_ms(), 0);
    let mut reg = storeops_relay::registry::Registry::open(relay_dir).unwrap();
    let s = reg
        .create_store("Demo", template, "en", "UTC", today, 0)
        .unwrap();
    let code = reg
        .create_invite(
            &s.id,
            storeops_domain::Role::Manager,
            None,
            now_ms(),
            3_600_000,
        )
        .unwrap();
    (s.id, code)
}

/// A device in a fresh directory, enrolled at `relay_url` with `code`.
pub async fn enrolled_device(
    relay_url: &str,
    code: String,
    device_name: &str,
) -> (storeops_client::Device, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let device = storeops_client::Device::open(dir.path()).unwrap();
    let (d, command) = (device.clone(), enrol(relay_url, &code, device_name));
    tokio::task::spawn_blocking(move || {
        use storeops_api::Handles;
        d.handle(command).unwrap()
    })
    .await
    .unwrap();
    (device, dir)
}

/// The documents of `store` in the relay's database, with what the relay
/// knows of each.
pub fn relay_documents(
    relay_dir: &std::path::Path,
    store: &str,
) -> Vec<(storeops_sync::DocumentId, storeops_sync::DocMeta)> {
    use storeops_storage::DocumentStore;
    storeops_storage::SqliteStore::open(&storeops_relay::registry::database_path(relay_dir))
        .unwrap()
        .documents_of(store)
        .unwrap()
}

/// `command` with its argument `field` spelled `bad` on the wire (an unknown status,
/// cadence, metric, …) is refused before it reaches the device: the request does
/// not read.
pub fn refused_on_the_wire<C: Command>(command: C, field: &str, bad: &str) -> bool {
    let request: Request = command.into();
    let mut wire = serde_json::to_value(request).unwrap();
    assert!(
        wire["args"].get(field).is_some(),
        "{} has no {field}",
        C::NAME
    );
    wire["args"][field] = bad.into();
    serde_json::from_value::<Request>(wire).is_err()
}

/// A change no command makes, written straight into a document as a buggy or
/// hostile device would (signed `message`, at `now_ms`), for the relay to judge.
pub fn forged(
    am: &mut automerge::Automerge,
    message: String,
    now_ms: i64,
    f: impl FnOnce(
        &mut automerge::transaction::Transaction<'_>,
    ) -> Result<(), automerge::AutomergeError>,
) -> Result<(), storeops_domain::DomainError> {
    am.transact_with(
        |_| {
            automerge::transaction::CommitOptions::default()
                .with_message(message.clone())
                .with_time(now_ms / 1000)
        },
        f,
    )
    .map(|_| ())
    .map_err(|f| storeops_domain::DomainError::Automerge(f.error.to_string()))
}
