//! The device side of Storeops: a [`Replica`] of the store's documents in a local
//! SQLite file, enrolment with a relay ([`enrol`]), and the [`sync_loop`] that
//! keeps the replica in sync over a WebSocket, reconnecting with backoff.
//!
//! The Tauri shell holds a [`Device`] and calls one method per command.

pub mod assessment_board;
pub mod boards;
pub mod org_editing;
pub mod replica;
mod vault;
pub mod views;

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use storeops_domain::{DomainError, NewTask, TaskStatus};
use storeops_sync::ConnId;
use tokio::sync::{Notify, mpsc};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

pub use replica::{ClientEvent, Enrolment, Replica};
pub use views::{DutyRegister, OrgChart, Staffing, SyncStatus, TaskDetail, TaskView, TeamBoard};

/// What went wrong, for the UI: a stable `code` and a message that says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    #[error("this device is not enrolled yet; enter the relay address and an invite code")]
    NotEnrolled,
    #[error("the store's data has not arrived yet; connect to the relay once")]
    NotSyncedYet,
    #[error("{0}")]
    Domain(#[from] DomainError),
    #[error("the relay refused: {0}")]
    Refused(String),
    #[error("cannot reach the relay at {0}: {1}; check the address and the network")]
    Unreachable(String, String),
    #[error("{0:?} is not a relay address; write it like http://192.168.1.10:8787")]
    BadRelayUrl(String),
    #[error("local storage failed: {0}")]
    Storage(String),
    #[error(
        "the relay's certificate file is not usable ({0}); ask whoever runs the relay for its CA certificate"
    )]
    BadCertificate(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ClientError {
    /// A stable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            ClientError::NotEnrolled => "not_enrolled",
            ClientError::NotSyncedYet => "not_synced_yet",
            ClientError::Domain(d) if d.is_permission() => "forbidden",
            ClientError::Domain(DomainError::NotFound { .. }) => "not_found",
            ClientError::Domain(_) => "invalid",
            ClientError::Refused(_) => "refused",
            ClientError::Unreachable(..) => "unreachable",
            ClientError::BadRelayUrl(_) => "bad_relay_url",
            ClientError::Storage(_) => "storage",
            ClientError::BadCertificate(_) => "bad_certificate",
            ClientError::Internal(_) => "internal",
        }
    }
}

impl From<storeops_storage::StorageError> for ClientError {
    fn from(e: storeops_storage::StorageError) -> Self {
        ClientError::Storage(e.to_string())
    }
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Normalises a relay address typed by a person: `http(s)://host:port`.
pub fn normalise_relay_url(raw: &str) -> Result<String, ClientError> {
    let raw = raw.trim();
    let (scheme, rest) = if let Some(r) = raw.strip_prefix("https://") {
        ("https", r)
    } else if let Some(r) = raw.strip_prefix("http://") {
        ("http", r)
    } else {
        ("http", raw)
    };
    let host = rest.trim_end_matches('/');
    let bad = host.is_empty()
        || host.contains(char::is_whitespace)
        || host.contains('/')
        || host.starts_with(':')
        || host.ends_with(':');
    if bad {
        return Err(ClientError::BadRelayUrl(raw.to_owned()));
    }
    Ok(format!("{scheme}://{host}"))
}

fn websocket_url(relay_url: &str) -> String {
    if let Some(rest) = relay_url.strip_prefix("https://") {
        format!("wss://{rest}/sync")
    } else {
        format!(
            "ws://{}/sync",
            relay_url.strip_prefix("http://").unwrap_or(relay_url)
        )
    }
}

/// A one-time invite code for another device.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Invite {
    pub code: String,
    pub role: String,
    pub expires_at: i64,
}

#[derive(serde::Deserialize)]
struct EnrolResponse {
    device_id: String,
    token: String,
    store_id: String,
    store_name: String,
    root_document_id: String,
    role: String,
    person: Option<String>,
}

/// The TLS configuration for talking to a relay: the public web roots, plus the
/// self-hosted relay's own CA when one is given (PEM).
pub fn tls_config(
    ca_pem: Option<&str>,
) -> Result<std::sync::Arc<rustls::ClientConfig>, ClientError> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(pem) = ca_pem {
        let bad = ClientError::BadCertificate;
        let mut added = 0;
        for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
            roots
                .add(cert.map_err(|e| bad(e.to_string()))?)
                .map_err(|e| bad(e.to_string()))?;
            added += 1;
        }
        if added == 0 {
            return Err(bad("no certificate in it".into()));
        }
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ClientError::Internal(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(std::sync::Arc::new(config))
}

fn agent(ca_pem: Option<&str>) -> Result<ureq::Agent, ClientError> {
    Ok(ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(15))
        .tls_config(tls_config(ca_pem)?)
        .build())
}

/// Redeems an invite code at the relay (blocking HTTP). Returns the enrolment and token.
pub fn enrol(
    relay_url: &str,
    code: &str,
    device_name: &str,
) -> Result<(Enrolment, String), ClientError> {
    enrol_with_ca(relay_url, code, device_name, None)
}

/// [`enrol`] with a CA certificate (PEM) for a self-hosted relay's TLS.
pub fn enrol_with_ca(
    relay_url: &str,
    code: &str,
    device_name: &str,
    ca_pem: Option<&str>,
) -> Result<(Enrolment, String), ClientError> {
    let relay_url = normalise_relay_url(relay_url)?;
    let code = code.trim();
    if code.is_empty() {
        return Err(ClientError::Refused(
            "enter the invite code a manager gave you".into(),
        ));
    }
    redeem(
        &relay_url,
        "/v1/enrol",
        serde_json::json!({ "code": code, "device_name": device_name.trim() }),
        device_name,
        ca_pem,
    )
}

/// What opening a new store needs: a one-time code from whoever runs the relay
/// (`storeops-relay store grant`), the store's name, seed template, language and
/// time zone, and this device's name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct NewStore {
    pub code: String,
    pub name: String,
    pub template: String,
    pub locale: String,
    pub time_zone: String,
    pub device_name: String,
}

/// Opens a new store on the relay (blocking HTTP); this device becomes its director.
pub fn open_store_with_ca(
    relay_url: &str,
    new: &NewStore,
    ca_pem: Option<&str>,
) -> Result<(Enrolment, String), ClientError> {
    let relay_url = normalise_relay_url(relay_url)?;
    if new.code.trim().is_empty() {
        return Err(ClientError::Refused(
            "enter the new-store code from whoever runs the relay".into(),
        ));
    }
    if new.name.trim().is_empty() {
        return Err(ClientError::Refused("give the store a name".into()));
    }
    if storeops_domain::template::template(&new.template).is_none() {
        return Err(ClientError::Refused(format!(
            "{:?} is not a template; choose plan1, plan2 or plan3",
            new.template
        )));
    }
    redeem(
        &relay_url,
        "/v1/stores",
        serde_json::json!({
            "code": new.code.trim(), "name": new.name.trim(), "template": new.template,
            "locale": new.locale, "time_zone": new.time_zone,
            "device_name": new.device_name.trim(),
        }),
        &new.device_name,
        ca_pem,
    )
}

/// Posts a one-time code to the relay and turns its answer into an enrolment.
fn redeem(
    relay_url: &str,
    path: &str,
    body: serde_json::Value,
    device_name: &str,
    ca_pem: Option<&str>,
) -> Result<(Enrolment, String), ClientError> {
    let resp = agent(ca_pem)?
        .post(&format!("{relay_url}{path}"))
        .send_json(body);
    let resp = match resp {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => {
            let body: serde_json::Value = r.into_json().unwrap_or_default();
            let message = body["message"]
                .as_str()
                .unwrap_or("the relay refused the code")
                .to_owned();
            return Err(ClientError::Refused(message));
        }
        Err(e) => {
            return Err(ClientError::Unreachable(
                relay_url.to_owned(),
                e.to_string(),
            ));
        }
    };
    let r: EnrolResponse = resp
        .into_json()
        .map_err(|e| ClientError::Refused(format!("unexpected answer from the relay: {e}")))?;
    Ok((
        Enrolment {
            relay_url: relay_url.to_owned(),
            device_id: r.device_id,
            device_name: device_name.trim().to_owned(),
            store_id: r.store_id,
            store_name: r.store_name,
            root_document_id: r.root_document_id,
            role: r.role,
            person: r.person,
            relay_ca_pem: ca_pem.map(str::to_owned),
        },
        r.token,
    ))
}

/// The app's handle: the replica plus the sync loop's wake-up.
#[derive(Debug, Clone)]
pub struct Device {
    replica: Arc<Mutex<Replica>>,
    wake: Arc<Notify>,
}

impl Device {
    pub fn open(data_dir: &Path) -> Result<Self, ClientError> {
        Ok(Self {
            replica: Arc::new(Mutex::new(Replica::open(data_dir)?)),
            wake: Arc::new(Notify::new()),
        })
    }

    /// Locks the replica (recovering from a poisoned lock: the replica's state
    /// is always consistent between calls because every call commits first).
    pub fn replica(&self) -> MutexGuard<'_, Replica> {
        self.replica.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn set_listener(&self, listener: impl Fn(ClientEvent) + Send + 'static) {
        self.replica().set_listener(listener);
    }

    /// Opens a new store on the relay from a seed template, enrolled as its
    /// director, and starts syncing it.
    pub fn open_store(
        &self,
        relay_url: &str,
        new: &NewStore,
        ca_pem: Option<&str>,
    ) -> Result<(), ClientError> {
        if new.device_name.trim().is_empty() {
            return Err(ClientError::Refused("give this device a name".into()));
        }
        if self.replica().enrolment().is_some() {
            return Err(ClientError::Refused(
                "this device belongs to a store already; sign out first".into(),
            ));
        }
        let (enrolment, token) = open_store_with_ca(relay_url, new, ca_pem)?;
        self.replica().save_enrolment(enrolment, &token)?;
        self.sync_now();
        Ok(())
    }

    /// Enrols with the relay, saves the result, and starts syncing.
    pub fn enrol(&self, relay_url: &str, code: &str, device_name: &str) -> Result<(), ClientError> {
        self.enrol_with_ca(relay_url, code, device_name, None)
    }

    /// [`Device::enrol`] trusting a self-hosted relay's CA certificate (PEM).
    pub fn enrol_with_ca(
        &self,
        relay_url: &str,
        code: &str,
        device_name: &str,
        ca_pem: Option<&str>,
    ) -> Result<(), ClientError> {
        let name = device_name.trim();
        if name.is_empty() {
            return Err(ClientError::Refused("give this device a name".into()));
        }
        let (enrolment, token) = enrol_with_ca(relay_url, code, name, ca_pem)?;
        self.replica().save_enrolment(enrolment, &token)?;
        self.sync_now();
        Ok(())
    }

    pub fn tasks(&self) -> Result<Vec<TaskView>, ClientError> {
        self.replica().tasks()
    }

    /// Adds an ad-hoc task; durable when this returns.
    pub fn add_task(&self, title: &str) -> Result<TaskView, ClientError> {
        let id = format!("task-{}", random_id()?);
        let mut r = self.replica();
        r.change_tasks(|am, actor, now| {
            storeops_domain::add_task(am, actor, &id, NewTask::titled(title), now)
        })?;
        r.task_view(&id)
    }

    /// Moves a task to a status; durable when this returns.
    pub fn set_task_status(&self, id: &str, status: &str) -> Result<TaskView, ClientError> {
        let status: TaskStatus = status.parse()?;
        let mut r = self.replica();
        let org = r.org()?;
        r.change_task(id, |am, actor, now| {
            storeops_domain::change_task_status(am, Some(&org), actor, id, status, now)
        })?;
        r.task_view(id)
    }

    pub fn task_detail(&self, id: &str) -> Result<TaskDetail, ClientError> {
        self.replica().task_detail(id)
    }

    /// Ticks or unticks a checklist item; durable when this returns.
    pub fn set_checklist_item(
        &self,
        task: &str,
        item: &str,
        done: bool,
    ) -> Result<TaskDetail, ClientError> {
        let mut r = self.replica();
        let org = r.org()?;
        r.change_task(task, |am, actor, now| {
            storeops_domain::set_checklist_item(am, Some(&org), actor, task, item, done, now)
        })?;
        r.task_detail(task)
    }

    pub fn add_checklist_item(&self, task: &str, text: &str) -> Result<TaskDetail, ClientError> {
        let item = format!("item-{}", random_id()?);
        let mut r = self.replica();
        let org = r.org()?;
        r.change_task(task, |am, actor, now| {
            storeops_domain::add_checklist_item(am, Some(&org), actor, task, &item, text, now)
        })?;
        r.task_detail(task)
    }

    pub fn add_comment(&self, task: &str, text: &str) -> Result<TaskDetail, ClientError> {
        let comment = format!("comment-{}", random_id()?);
        let mut r = self.replica();
        let org = r.org()?;
        r.change_task(task, |am, actor, now| {
            storeops_domain::add_comment(am, Some(&org), actor, task, &comment, text, now)
        })?;
        r.task_detail(task)
    }

    /// Gives a task to an owner (`position:<id>`, `person:<id>`) or to no one.
    pub fn reassign_task(&self, task: &str, to: Option<&str>) -> Result<TaskDetail, ClientError> {
        let to = to.map(parse_owner).transpose()?;
        let mut r = self.replica();
        let org = r.org()?;
        r.change_task(task, |am, actor, now| {
            storeops_domain::reassign_task(am, &org, actor, task, to, now)
        })?;
        r.task_detail(task)
    }

    /// Moves every open task of `from` to `to`; returns how many moved.
    pub fn reassign_open_tasks(&self, from: &str, to: Option<&str>) -> Result<u32, ClientError> {
        let from = parse_owner(from)?;
        let to = to.map(parse_owner).transpose()?;
        let mut r = self.replica();
        let org = r.org()?;
        let moved = r.change_each_tasks_doc(|am, actor, now| {
            storeops_domain::reassign_open_tasks(am, &org, actor, &from, to.clone(), now)
        })?;
        Ok(u32::try_from(moved.len()).unwrap_or(u32::MAX))
    }

    pub fn staffing(&self) -> Result<Staffing, ClientError> {
        self.replica().staffing()
    }

    pub fn team_board(&self) -> Result<TeamBoard, ClientError> {
        self.replica().team_board()
    }

    /// Adds a person, optionally holding a position; durable when this returns.
    pub fn add_person(
        &self,
        name: &str,
        contact: &str,
        position: Option<&str>,
    ) -> Result<String, ClientError> {
        let id = format!("person-{}", random_id()?);
        let positions: Vec<&str> = position.into_iter().collect();
        self.replica().change_org(|am, actor, now| {
            storeops_domain::org::add_person(am, actor, &id, name, contact, &positions, now)
        })?;
        Ok(id)
    }

    pub fn status(&self) -> SyncStatus {
        self.replica().status()
    }

    pub fn org_chart(&self) -> Result<OrgChart, ClientError> {
        self.replica().org_chart()
    }

    pub fn duty_register(&self) -> Result<DutyRegister, ClientError> {
        self.replica().duty_register()
    }

    /// Signs this device out: enrolment, token and local documents are removed.
    pub fn sign_out(&self) -> Result<(), ClientError> {
        self.replica().sign_out()?;
        self.sync_now();
        Ok(())
    }

    /// Asks the relay for a one-time invite code (managers only; blocking HTTP).
    pub fn create_invite(&self, role: &str, person: Option<&str>) -> Result<Invite, ClientError> {
        let (relay_url, token, ca) = {
            let r = self.replica();
            let e = r.enrolment().ok_or(ClientError::NotEnrolled)?;
            (e.relay_url.clone(), r.token()?, e.relay_ca_pem.clone())
        };
        if role.parse::<storeops_domain::Role>().is_err() {
            return Err(ClientError::Refused(format!(
                "{role:?} is not a role; choose staff or manager"
            )));
        }
        let resp = agent(ca.as_deref())?
            .post(&format!("{relay_url}/v1/invites"))
            .set("authorization", &format!("Bearer {token}"))
            .send_json(serde_json::json!({ "role": role, "person": person }));
        match resp {
            Ok(r) => r.into_json().map_err(|e| {
                ClientError::Refused(format!("unexpected answer from the relay: {e}"))
            }),
            Err(ureq::Error::Status(_, r)) => {
                let body: serde_json::Value = r.into_json().unwrap_or_default();
                Err(ClientError::Refused(
                    body["message"]
                        .as_str()
                        .unwrap_or("the relay refused to create an invite")
                        .to_owned(),
                ))
            }
            Err(e) => Err(ClientError::Unreachable(relay_url, e.to_string())),
        }
    }

    /// Wakes the sync loop to reconnect at once.
    pub fn sync_now(&self) {
        self.wake.notify_one();
    }
}

fn parse_owner(text: &str) -> Result<storeops_domain::Owner, ClientError> {
    text.parse()
        .map_err(|e: storeops_domain::OwnerParseError| ClientError::Refused(e.to_string()))
}

fn random_id() -> Result<String, ClientError> {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).map_err(|e| ClientError::Internal(e.to_string()))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

/// Keeps the device in sync with its relay for as long as the process runs:
/// connects, syncs, and after a drop reconnects with exponential backoff and
/// jitter (or at once on [`Device::sync_now`]).
pub async fn sync_loop(device: Device) {
    let mut backoff = Duration::from_millis(250);
    let mut next_conn = 1u64;
    loop {
        let target = {
            let r = device.replica();
            r.enrolment()
                .map(|e| (e.relay_url.clone(), e.relay_ca_pem.clone()))
                .zip(r.token().ok())
        };
        let Some(((relay_url, ca), token)) = target else {
            device.wake.notified().await;
            continue;
        };
        let conn = ConnId(next_conn);
        next_conn += 1;
        match run_connection(&device, conn, &relay_url, ca.as_deref(), &token).await {
            Ok(()) => backoff = Duration::from_millis(250),
            Err(e) => {
                tracing::info!(error = %e, "sync connection failed");
                device.replica().connect_failed(e);
            }
        }
        let jitter =
            Duration::from_millis(u64::from(random_u8()) * backoff.as_millis() as u64 / 512);
        tokio::select! {
            _ = tokio::time::sleep(backoff + jitter) => {},
            _ = device.wake.notified() => {},
        }
        backoff = (backoff * 2).min(Duration::from_secs(30));
    }
}

fn random_u8() -> u8 {
    let mut b = [0u8; 1];
    let _ = getrandom::fill(&mut b);
    b[0]
}

/// How often a live connection is pinged.
const PING_EVERY: Duration = Duration::from_secs(5);
/// Silence after which the connection is presumed dead.
const SILENCE_LIMIT: Duration = Duration::from_secs(12);

async fn run_connection(
    device: &Device,
    conn: ConnId,
    relay_url: &str,
    ca_pem: Option<&str>,
    token: &str,
) -> Result<(), String> {
    let mut request = websocket_url(relay_url)
        .into_client_request()
        .map_err(|e| format!("bad relay address: {e}"))?;
    request.headers_mut().insert(
        "authorization",
        format!("Bearer {token}")
            .parse()
            .map_err(|_| "the device token is damaged; enrol again".to_string())?,
    );
    let tls = tls_config(ca_pem).map_err(|e| e.to_string())?;
    let (ws, _) = tokio::time::timeout(
        Duration::from_secs(10),
        tokio_tungstenite::connect_async_tls_with_config(
            request,
            None,
            false,
            Some(tokio_tungstenite::Connector::Rustls(tls)),
        ),
    )
    .await
    .map_err(|_| "the relay did not answer within 10 s".to_string())?
    .map_err(|e| match e {
        tokio_tungstenite::tungstenite::Error::Http(r) if r.status() == 401 => {
            "the relay no longer accepts this device; enrol it again".to_string()
        }
        tokio_tungstenite::tungstenite::Error::Tls(e) => {
            format!("the relay's certificate is not trusted ({e}); check the relay address or its CA certificate")
        }
        tokio_tungstenite::tungstenite::Error::Io(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::TimedOut
            ) =>
        {
            "the relay is not reachable; changes are kept on this device and sync when it is back"
                .to_string()
        }
        other => format!("cannot reach the relay ({other}); changes are kept on this device"),
    })?;
    let (mut sink, mut stream) = ws.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<Vec<u8>>();
    device
        .replica()
        .attach(conn, tx)
        .map_err(|e| e.to_string())?;
    let (ping_tx, mut ping_rx) = mpsc::unbounded_channel::<()>();
    let writer = tokio::spawn(async move {
        loop {
            let msg = tokio::select! {
                frame = rx.recv() => match frame {
                    Some(frame) => WsMessage::Binary(frame.into()),
                    None => break,
                },
                ping = ping_rx.recv() => match ping {
                    Some(()) => WsMessage::Ping(Vec::new().into()),
                    None => break,
                },
            };
            if sink.send(msg).await.is_err() {
                break;
            }
        }
        let _ = sink.close().await;
    });
    let mut error = None;
    // A connection can die without a word (half-open): ping, and give up on silence.
    let mut heartbeat = tokio::time::interval(PING_EVERY);
    let mut last_heard = tokio::time::Instant::now();
    loop {
        tokio::select! {
            _ = heartbeat.tick() => {
                if last_heard.elapsed() > SILENCE_LIMIT {
                    error = Some("the relay stopped answering; reconnecting".to_string());
                    break;
                }
                let _ = ping_tx.send(());
                if let Err(e) = device.replica().tick() {
                    tracing::warn!(error = %e, "periodic upkeep failed");
                }
                continue;
            }
            msg = stream.next() => {
                last_heard = tokio::time::Instant::now();
                match msg {
                Some(Ok(WsMessage::Binary(b))) => {
                    let mut r = device.replica();
                    if !r.is_attached(conn) {
                        break;
                    }
                    if let Err(e) = r.received(conn, &b) {
                        error = Some(e.to_string());
                        break;
                    }
                }
                Some(Ok(WsMessage::Close(frame))) => {
                    error = frame.map(|f| f.reason.to_string()).filter(|r| !r.is_empty());
                    break;
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => { error = Some(format!("connection lost: {e}")); break; }
                None => break,
            }},
            _ = device.wake.notified() => {
                // "Sync now" while connected: the link is live; a sign-out ends it.
                if !device.replica().is_attached(conn) {
                    break;
                }
            }
        }
    }
    let _ = device.replica().detach(conn, error.clone());
    writer.abort();
    match error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relay_addresses_are_normalised_or_refused() {
        assert_eq!(
            normalise_relay_url("127.0.0.1:8787/").unwrap(),
            "http://127.0.0.1:8787"
        );
        assert_eq!(
            normalise_relay_url(" https://relay.example ").unwrap(),
            "https://relay.example"
        );
        for bad in ["", "http://", "a b", "http://x/y"] {
            assert!(normalise_relay_url(bad).is_err(), "{bad}");
        }
        assert_eq!(websocket_url("https://r.example"), "wss://r.example/sync");
        assert_eq!(websocket_url("http://127.0.0.1:1"), "ws://127.0.0.1:1/sync");
    }

    #[test]
    fn an_unenrolled_device_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let device = Device::open(dir.path()).unwrap();
        assert_eq!(device.tasks().unwrap(), vec![]);
        let err = device.add_task("x").unwrap_err();
        assert_eq!(err.code(), "not_enrolled");
    }

    #[test]
    fn enrolling_against_nothing_reports_unreachable() {
        let dir = tempfile::tempdir().unwrap();
        let device = Device::open(dir.path()).unwrap();
        let err = device.enrol("127.0.0.1:9", "abcd", "Phone").unwrap_err();
        assert_eq!(err.code(), "unreachable");
        assert!(device.replica().enrolment().is_none());
    }
}
