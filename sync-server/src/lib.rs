//! The Storeops relay: authenticates devices, stores every store's documents in
//! SQLite and relays their changes to the store's other devices over the
//! automerge-repo WebSocket protocol.
//!
//! The server is a library: [`app`] builds the router, [`serve`] runs it on a
//! listener until a shutdown signal; the `storeops-relay` binary is a thin CLI.
//!
//! - `GET /healthz` — liveness.
//! - `GET /metrics` — Prometheus text.
//! - `POST /v1/enrol` — `{code, device_name}` → a device token (shown once) and
//!   the store's root document id.
//! - `POST /v1/surveys/answer` — an anonymous survey answer, with the device's
//!   token (see [`surveys`]).
//! - `GET /sync` (also `/`) — the WebSocket, authenticated by
//!   `Authorization: Bearer TOKEN` or `?token=TOKEN` before the upgrade.

pub mod backend;
mod connection;
pub mod hub;
pub mod limits;
pub mod metrics;
pub mod nodes;
pub mod outbox;
pub mod periods;
pub mod registry;
pub mod settings;
mod signin;
pub mod surveys;
pub mod tls;
mod validate;
pub mod web;

pub use settings::Settings;

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::{HeaderMap, StatusCode, request::Parts};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use storeops_api::relay::{
    EnrolRequest, Invite, InviteRequest, NewStore, RelayError, RevokeRequest, StoreDevice,
};
use storeops_domain::{Role, kind};
use storeops_sync::{Access, ConnId};
use tokio::sync::watch;

use backend::Backend;
use hub::HubInput;
use limits::{DeviceCaps, PerAddress, Rate, retry_after_seconds};
use metrics::Metrics;
use registry::{Registry, RegistryError};
use signin::SignIn;

#[derive(Clone)]
struct AppState {
    hubs: hub::Hubs,
    /// Enrolment, new stores and invites: one writer at a time.
    registry: Arc<Mutex<Registry>>,
    /// WebSocket sign-in's own reader, which never waits on `registry`.
    sign_in: SignIn,
    limits: Arc<HttpLimits>,
    metrics: Arc<Metrics>,
    settings: Arc<Settings>,
    next_conn: Arc<AtomicU64>,
    surveys: Arc<surveys::Surveys>,
    periods: Arc<periods::Periods>,
    web: Arc<web::WebApp>,
}

/// The rate limits per client address, and the caps per device.
#[derive(Debug)]
struct HttpLimits {
    enrol: PerAddress,
    stores: PerAddress,
    invites: PerAddress,
    failed_sign_ins: PerAddress,
    devices: Arc<DeviceCaps>,
}

impl HttpLimits {
    fn new(s: &Settings) -> Self {
        let registry = || {
            PerAddress::new(Rate::per_minute(
                s.registry_requests_per_minute,
                s.registry_requests_burst,
            ))
        };
        Self {
            enrol: registry(),
            stores: registry(),
            invites: registry(),
            failed_sign_ins: PerAddress::new(Rate::per_minute(
                s.failed_sign_ins_per_minute,
                s.failed_sign_ins_per_minute.saturating_mul(2),
            )),
            devices: DeviceCaps::new(
                s.max_connections_per_device,
                Rate::per_second(
                    s.max_device_messages_per_second,
                    s.max_device_messages_per_second.saturating_mul(2),
                ),
            ),
        }
    }
}

/// How long a client refused for too many connections is asked to wait.
const TOO_MANY_CONNECTIONS_RETRY_SECONDS: u64 = 5;

/// The address of the client that sent a request (`0.0.0.0` when unknown: a
/// router used without [`serve`]).
#[derive(Debug, Clone, Copy)]
struct ClientIp(IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(&parts.extensions)))
    }
}

fn client_ip(extensions: &axum::http::Extensions) -> IpAddr {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

/// Takes a request from `ip`'s allowance at `limit`, or refuses it with 429.
fn rate_limit(
    state: &AppState,
    limit: &PerAddress,
    ip: IpAddr,
    what: &'static str,
) -> Result<(), ApiError> {
    limit.take(ip, Instant::now()).map_err(|wait| {
        state.metrics.reject("rate_limited_address");
        tracing::warn!(%ip, what, "rate limit per address reached");
        too_many_requests(wait)
    })
}

fn too_many_requests(wait: Duration) -> ApiError {
    let seconds = retry_after_seconds(wait);
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        format!("too many requests from this address; try again in {seconds} s"),
    )
    .retry_after(seconds)
}

/// An error answered as `{code, message}`; the message is safe to show.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// Seconds for a `Retry-After` header.
    retry_after: Option<u64>,
    /// A refusal by the domain's rules: its key and parameters, for the app to word.
    problem: Option<storeops_domain::problem::Problem>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
            problem: None,
        }
    }

    /// The domain's refusal, worded by the app from its key.
    fn refused_by_domain(e: &storeops_domain::DomainError) -> Self {
        Self {
            problem: Some(e.problem()),
            ..Self::new(StatusCode::FORBIDDEN, "forbidden", e.to_string())
        }
    }

    fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }
}

impl From<RegistryError> for ApiError {
    fn from(e: RegistryError) -> Self {
        match e {
            RegistryError::InvalidInvite => {
                ApiError::new(StatusCode::FORBIDDEN, "invalid_invite", e.to_string())
            }
            RegistryError::InvalidGrant => {
                ApiError::new(StatusCode::FORBIDDEN, "invalid_grant", e.to_string())
            }
            RegistryError::Invalid(m) => ApiError::new(StatusCode::BAD_REQUEST, "invalid", m),
            RegistryError::UnknownTemplate(_) => {
                ApiError::new(StatusCode::BAD_REQUEST, "invalid", e.to_string())
            }
            other => {
                tracing::error!(error = %other, "registry failure");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the relay could not complete the request; try again",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (key, params) = self.problem.map_or_else(Default::default, |p| {
            let params = p
                .params
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect();
            (p.key.to_owned(), params)
        });
        let body = RelayError {
            code: self.code.to_owned(),
            message: self.message,
            key,
            params,
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert("retry-after", axum::http::HeaderValue::from(seconds));
        }
        response
    }
}

pub(crate) fn now_ms() -> i64 {
    hub::now_ms() as i64
}

/// The relay's stable storage id (devices keep their sync states under it):
/// one for every node of a shared database, kept there. A data directory from
/// before it was kept in the database gives the id it had (`relay-id`).
fn storage_id(data_dir: &std::path::Path, registry: &mut Registry) -> anyhow::Result<String> {
    Ok(registry.fact("storage-id", || {
        match std::fs::read_to_string(data_dir.join("relay-id")) {
            Ok(id) if !id.trim().is_empty() => Ok(id.trim().to_owned()),
            _ => Ok(registry::random_secret()?[..16].to_owned()),
        }
    })?)
}

/// A running relay's handles, for [`app`].
#[derive(Debug)]
pub struct Relay {
    hubs: hub::Hubs,
    engines: Vec<std::thread::JoinHandle<()>>,
    router: Router,
}

impl Relay {
    /// Opens the data directory and starts the engine thread.
    pub fn start(settings: Settings) -> anyhow::Result<Self> {
        let backend = Backend::of(&settings)?;
        let mut registry = Registry::open(&backend)?;
        let node = nodes::new_id()?;
        let sid = storage_id(&settings.data_dir, &mut registry)?;
        let sign_in = SignIn::start(&backend)?;
        let metrics = Arc::new(Metrics::default());
        let (hubs, engines) = hub::Hubs::start(&settings, &backend, &node, &sid, &metrics)?;
        let surveys =
            surveys::Surveys::start(&backend, &settings.data_dir, &mut registry, hubs.clone())?;
        let periods = periods::Periods::start(&backend, hubs.clone())?;
        if backend.is_shared() {
            nodes::start(
                &backend,
                &node,
                &settings.listen.to_string(),
                &hubs,
                &metrics,
            )?;
            tracing::info!(node, database = %backend.describe(), "a node of a relay on a shared database");
        }
        let web = web::WebApp::load(settings.web_dir.as_deref())?;
        if web.is_built() {
            tracing::info!(version = web.version(), "serving the phone web app at /");
        } else {
            tracing::info!(
                "no phone web app in this relay (run `cargo xtask web`, or pass --web-dir)"
            );
        }
        let state = AppState {
            web: Arc::new(web),
            surveys,
            periods,
            hubs: hubs.clone(),
            registry: Arc::new(Mutex::new(registry)),
            sign_in,
            limits: Arc::new(HttpLimits::new(&settings)),
            metrics,
            settings: Arc::new(settings),
            next_conn: Arc::new(AtomicU64::new(1)),
        };
        Ok(Self {
            hubs,
            engines,
            router: app(state),
        })
    }

    pub fn router(&self) -> Router {
        self.router.clone()
    }

    /// Closes every connection with a reason, saves sync states, stops the engine.
    pub fn stop(self) {
        let waits: Vec<_> = self
            .hubs
            .all()
            .iter()
            .filter_map(|hub| {
                let (done, wait) = std::sync::mpsc::channel();
                hub.send(HubInput::Shutdown { done })
                    .is_ok()
                    .then_some(wait)
            })
            .collect();
        for wait in waits {
            let _ = wait.recv_timeout(Duration::from_secs(10));
        }
        for engine in self.engines {
            let _ = engine.join();
        }
    }
}

fn app(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(metrics_text))
        .route("/v1/enrol", post(enrol))
        .route("/v1/invites", post(create_invite))
        .route("/v1/devices", post(list_devices))
        .route("/v1/devices/revoke", post(revoke_device))
        .route("/v1/stores", post(open_store))
        .route("/v1/surveys/answer", post(surveys::answer))
        .route("/sync", get(websocket))
        .route("/", get(root))
        .fallback(get(web_file))
        .with_state(state)
}

/// Serves until `shutdown` resolves, then closes connections and flushes.
/// With `tls_cert_file` and `tls_key_file` set, serves `https`/`wss`.
pub async fn serve(
    settings: Settings,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let tls = match (&settings.tls_cert_file, &settings.tls_key_file) {
        (Some(cert), Some(key)) => Some(tls::server_config(cert, key)?),
        (None, None) => None,
        _ => return Err(tls::TlsError::Incomplete.into()),
    };
    // A client gets as long for its HTTP request headers as for its first message.
    let header_timeout = Duration::from_secs(settings.handshake_timeout_seconds.max(1));
    // Opening the database blocks (PostgreSQL's client runs its own runtime).
    let relay = tokio::task::spawn_blocking(move || Relay::start(settings)).await??;
    let router = relay.router();
    let (stop_tx, stop_rx) = watch::channel(false);
    let stopped = async move {
        let mut rx = stop_rx;
        let _ = rx.wait_for(|s| *s).await;
    };
    let server = match tls {
        Some(config) => {
            let listener = tls::TlsListener::new(listener, config)?;
            tokio::spawn(serve_http(listener, router, header_timeout, stopped))
        }
        None => {
            // Frames are small and latency matters: no Nagle delay.
            let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
                if let Err(e) = tcp.set_nodelay(true) {
                    tracing::debug!(error = %e, "could not set TCP_NODELAY");
                }
            });
            tokio::spawn(serve_http(listener, router, header_timeout, stopped))
        }
    };
    shutdown.await;
    tracing::info!("shutting down: closing connections");
    let _ = stop_tx.send(true);
    tokio::task::spawn_blocking(move || relay.stop()).await?;
    match tokio::time::timeout(Duration::from_secs(10), server).await {
        Ok(joined) => joined??,
        Err(_) => tracing::warn!("connections did not close within 10 s"),
    }
    Ok(())
}

/// Serves HTTP/1.1 with WebSocket upgrades until `stopped`, then waits for open
/// requests to finish. Unlike `axum::serve`, a client has `header_timeout` to send
/// a request's headers, so a slow sender (slowloris) cannot hold a connection.
async fn serve_http<L>(
    mut listener: L,
    router: Router,
    header_timeout: Duration,
    stopped: impl Future<Output = ()>,
) -> std::io::Result<()>
where
    L: axum::serve::Listener<Addr = SocketAddr>,
{
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    let mut stopped = std::pin::pin!(stopped);
    loop {
        let (io, addr) = tokio::select! {
            conn = listener.accept() => conn,
            Some(_) = connections.join_next() => continue,
            () = &mut stopped => break,
        };
        let service = hyper_util::service::TowerToHyperService::new(WithClientAddr {
            router: router.clone(),
            addr,
        });
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(header_timeout)
            .serve_connection(hyper_util::rt::TokioIo::new(io), service)
            .with_upgrades();
        let mut stop = stop_rx.clone();
        connections.spawn(async move {
            let mut conn = std::pin::pin!(conn);
            let result = tokio::select! {
                r = conn.as_mut() => r,
                _ = async { stop.wait_for(|s| *s).await.map(|_| ()) } => {
                    // Finish the request in flight, then close.
                    conn.as_mut().graceful_shutdown();
                    conn.await
                }
            };
            if let Err(e) = result {
                tracing::debug!(error = %e, "HTTP connection ended with an error");
            }
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// The router, handing each request its client's address (for [`ClientIp`]).
#[derive(Clone)]
struct WithClientAddr {
    router: Router,
    addr: SocketAddr,
}

impl<B> tower_service::Service<axum::http::Request<B>> for WithClientAddr
where
    B: axum::body::HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future = <Router as tower_service::Service<axum::http::Request<B>>>::Future;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        tower_service::Service::<axum::http::Request<B>>::poll_ready(&mut self.router, cx)
    }

    fn call(&mut self, mut request: axum::http::Request<B>) -> Self::Future {
        request.extensions_mut().insert(ConnectInfo(self.addr));
        tower_service::Service::call(&mut self.router, request)
    }
}

async fn metrics_text(State(state): State<AppState>) -> impl IntoResponse {
    (
        [("content-type", "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}

async fn enrol(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    body: Bytes,
) -> Result<Response, ApiError> {
    rate_limit(&state, &state.limits.enrol, ip, "enrol")?;
    let req: EnrolRequest = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("expected JSON {{\"code\": ..., \"device_name\": ...}}: {e}"),
        )
    })?;
    let registry = state.registry.clone();
    let enrolment = tokio::task::spawn_blocking(move || {
        let mut reg = registry
            .lock()
            .map_err(|_| RegistryError::Invalid("registry unavailable".into()))?;
        reg.enrol(&req.code, &req.device_name, now_ms())
    })
    .await
    .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "try again"))??;
    tracing::info!(device = %enrolment.device_id, store = %enrolment.store_id, "device enrolled");
    Ok(axum::Json(enrolment).into_response())
}

/// Opens a new store from a seed template with a one-time code from whoever runs
/// the relay (`storeops-relay store grant`); the caller becomes its director.
async fn open_store(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    body: Bytes,
) -> Result<Response, ApiError> {
    rate_limit(&state, &state.limits.stores, ip, "open store")?;
    let req: NewStore = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!(
                "expected JSON {{\"code\", \"name\", \"template\", \"locale\", \"time_zone\", \"device_name\", \"person_name\"?}}: {e}"
            ),
        )
    })?;
    let registry = state.registry.clone();
    let enrolment = tokio::task::spawn_blocking(move || {
        let mut reg = registry
            .lock()
            .map_err(|_| RegistryError::Invalid("registry unavailable".into()))?;
        let now = now_ms();
        // An unknown zone is refused by open_store itself, with its message.
        let today = storeops_domain::calendar::Zone::named(&req.time_zone)
            .unwrap_or_else(|_| storeops_domain::calendar::Zone::utc())
            .date_of(now);
        reg.open_store(&req, today, now)
    })
    .await
    .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "try again"))??;
    tracing::info!(device = %enrolment.device_id, store = %enrolment.store_id, "store opened");
    Ok(axum::Json(enrolment).into_response())
}

/// Managers invite devices to their own store.
async fn create_invite(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    rate_limit(&state, &state.limits.invites, ip, "invite")?;
    let req: InviteRequest = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!(
                "expected JSON {{\"person\", \"role\"?: \"staff\" | \"department_manager\" | \"manager\" | \"operations_manager\" | \"director\", \"valid_hours\"?}}: {e}"
            ),
        )
    })?;
    let hours = req.valid_hours.unwrap_or(72);
    if !(1..=24 * 30).contains(&hours) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "valid_hours must be between 1 and 720",
        ));
    }
    let (person, asked) = (req.person.clone(), req.role);
    let (code, role, expires_at) = as_device(&state, &headers, move |reg, device, org, actor| {
        let role = invite_role(org, person.as_deref(), asked).map_err(Refusal::Domain)?;
        storeops_domain::access::may_invite(org, actor, role, person.as_deref())
            .map_err(Refusal::Domain)?;
        let now = now_ms();
        let valid = hours * 3_600_000;
        let code = reg.create_invite(&device.store_id, role, person.as_deref(), now, valid)?;
        Ok((code, role, now + valid))
    })
    .await?;
    Ok(axum::Json(Invite {
        code,
        role,
        expires_at,
    })
    .into_response())
}

/// The role an invite gives: its person's, from the positions they hold in the
/// relay's org chart; the role asked for only when the chart does not hold
/// them yet (a person just added, still on the way) or the invite is for no one.
fn invite_role(
    org: &storeops_domain::OrgDoc,
    person: Option<&str>,
    asked: Option<Role>,
) -> Result<Role, storeops_domain::DomainError> {
    use storeops_domain::problem::Invalid;
    match person.and_then(|p| org.people.get(p).map(|known| (p, known))) {
        Some((p, known)) => storeops_domain::access::role_of(org, p).ok_or_else(|| {
            Invalid::LeftStore {
                name: known.name.clone(),
            }
            .into()
        }),
        None => asked.ok_or_else(|| Invalid::InviteNeedsPerson.into()),
    }
}

/// Why a registry request made as a device was refused.
enum Refusal {
    Forbidden(String),
    /// By the domain's rules (who may invite, see or revoke).
    Domain(storeops_domain::DomainError),
    Registry(RegistryError),
}

impl From<RegistryError> for Refusal {
    fn from(e: RegistryError) -> Self {
        Self::Registry(e)
    }
}

/// Runs `f` on the registry (behind its lock, on a blocking thread) as the
/// device whose bearer token `headers` carry, with its store's org chart as the
/// relay holds it and the device as a domain actor (its person, or its role
/// alone). The token is checked by sign-in's reader, outside the lock.
async fn as_device<T: Send + 'static>(
    state: &AppState,
    headers: &HeaderMap,
    f: impl FnOnce(
        &mut Registry,
        &registry::Device,
        &storeops_domain::OrgDoc,
        &storeops_domain::Actor,
    ) -> Result<T, Refusal>
    + Send
    + 'static,
) -> Result<T, ApiError> {
    let unauthorized = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "this device is not enrolled or was revoked; sign in with its token",
        )
    };
    let token = bearer(headers, &HashMap::new()).ok_or_else(unauthorized)?;
    let device = state.sign_in.device(token).await?;
    let device = match device {
        Some(d) if d.usable_at(now_ms()) => d,
        _ => return Err(unauthorized()),
    };
    let registry = state.registry.clone();
    tokio::task::spawn_blocking(move || {
        let mut reg = registry
            .lock()
            .map_err(|_| RegistryError::Invalid("registry unavailable".into()))?;
        let org = reg.org_chart(&device.store_id)?;
        let actor = match device.person.as_deref() {
            Some(p) => {
                storeops_domain::Actor::for_person(&org, p, device.role).map_err(Refusal::Domain)?
            }
            None => storeops_domain::Actor::with_role(device.name.clone(), device.role),
        };
        f(&mut reg, &device, &org, &actor)
    })
    .await
    .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "try again"))?
    .map_err(|r| match r {
        Refusal::Forbidden(why) => ApiError::new(StatusCode::FORBIDDEN, "forbidden", why),
        Refusal::Domain(e) => ApiError::refused_by_domain(&e),
        Refusal::Registry(e) => ApiError::from(e),
    })
}

/// The devices of a store `device` could have invited (the same rule decides
/// who may see and revoke them), newest last.
fn devices_seen_by(
    reg: &Registry,
    device: &registry::Device,
    org: &storeops_domain::OrgDoc,
    actor: &storeops_domain::Actor,
) -> Result<Vec<StoreDevice>, Refusal> {
    actor
        .require_manager(storeops_domain::problem::Action::SeeDevices)
        .map_err(Refusal::Domain)?;
    Ok(reg
        .devices()?
        .into_iter()
        .filter(|d| d.store_id == device.store_id)
        .map(|d| {
            let role = d.role_in(org).unwrap_or(d.role);
            (d, role)
        })
        .filter(|(d, role)| {
            storeops_domain::access::may_invite(org, actor, *role, d.person.as_deref()).is_ok()
        })
        .map(|(d, role)| StoreDevice {
            id: d.id,
            name: d.name,
            role,
            person: d.person,
            person_name: None,
            revoked: d.revoked,
            this_device: false,
        })
        .collect())
}

/// The store's devices this device could have invited.
async fn list_devices(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    rate_limit(&state, &state.limits.invites, ip, "devices")?;
    let devices = as_device(&state, &headers, |reg, device, org, actor| {
        devices_seen_by(reg, device, org, actor)
    })
    .await?;
    Ok(axum::Json(devices).into_response())
}

/// Revokes a device of the store this device could have invited (not itself:
/// that is signing out).
async fn revoke_device(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    rate_limit(&state, &state.limits.invites, ip, "revoke")?;
    let req: RevokeRequest = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("expected JSON {{\"device_id\"}}: {e}"),
        )
    })?;
    let devices = as_device(&state, &headers, move |reg, device, org, actor| {
        if req.device_id == device.id {
            return Err(Refusal::Forbidden(
                "this is the device asking; sign out of it instead".into(),
            ));
        }
        let seen = devices_seen_by(reg, device, org, actor)?;
        if !seen.iter().any(|d| d.id == req.device_id) {
            return Err(Refusal::Forbidden(format!(
                "no device {} of this store that you may revoke",
                req.device_id
            )));
        }
        reg.revoke(&req.device_id, now_ms())?;
        devices_seen_by(reg, device, org, actor)
    })
    .await?;
    Ok(axum::Json(devices).into_response())
}

/// The kinds of document a role may change: one list per role, shared by
/// every connection.
fn writable_kinds(role: Role) -> Arc<[String]> {
    static MANAGER: OnceLock<Arc<[String]>> = OnceLock::new();
    static STAFF: OnceLock<Arc<[String]>> = OnceLock::new();
    let (list, kinds): (_, &[&str]) = if role.is_manager() {
        (&MANAGER, kind::MANAGER_WRITABLE)
    } else {
        (&STAFF, kind::STAFF_WRITABLE)
    };
    Arc::clone(list.get_or_init(|| kinds.iter().map(|k| (*k).to_owned()).collect()))
}

/// Kinds a device of `role` may not read (served as `doc-unavailable`).
fn hidden_kinds(role: Role) -> Arc<[String]> {
    static MANAGER: OnceLock<Arc<[String]>> = OnceLock::new();
    static STAFF: OnceLock<Arc<[String]>> = OnceLock::new();
    let (list, kinds): (_, &[&str]) = if role.is_manager() {
        (&MANAGER, &[])
    } else {
        (&STAFF, kind::MANAGERS_ONLY)
    };
    Arc::clone(list.get_or_init(|| kinds.iter().map(|k| (*k).to_owned()).collect()))
}

fn bearer(headers: &HeaderMap, query: &HashMap<String, String>) -> Option<String> {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned)
        .or_else(|| query.get("token").cloned())
}

/// Whether `headers` ask for a WebSocket (RFC 6455 §4.2.1); the key if so.
fn websocket_key(headers: &HeaderMap) -> Result<Option<&str>, ApiError> {
    let has_token = |name: &str, token: &str| {
        headers.get_all(name).iter().any(|v| {
            v.to_str()
                .is_ok_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
        })
    };
    if !(has_token("connection", "upgrade") && has_token("upgrade", "websocket")) {
        return Ok(None);
    }
    let bad =
        |message: &str| ApiError::new(StatusCode::BAD_REQUEST, "bad_websocket_request", message);
    if headers
        .get("sec-websocket-version")
        .and_then(|v| v.to_str().ok())
        != Some("13")
    {
        return Err(bad("only WebSocket version 13 is spoken here"));
    }
    match headers
        .get("sec-websocket-key")
        .and_then(|v| v.to_str().ok())
    {
        Some(key) if !key.trim().is_empty() => Ok(Some(key)),
        _ => Err(bad("the WebSocket request has no Sec-WebSocket-Key")),
    }
}

/// `/`: a WebSocket there is a device syncing (automerge-repo clients connect to the
/// root); anything else is the web app's page.
async fn root(
    state: State<AppState>,
    ip: ClientIp,
    query: Query<HashMap<String, String>>,
    request: axum::extract::Request,
) -> Result<Response, ApiError> {
    if websocket_key(request.headers())?.is_none() {
        return Ok(state.web.response("/", request.headers()));
    }
    websocket(state, ip, query, request).await
}

/// Any other `GET`: a file of the web app, or 404.
async fn web_file(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    state.web.response(request.uri().path(), request.headers())
}

async fn websocket(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Query(query): Query<HashMap<String, String>>,
    mut request: axum::extract::Request,
) -> Result<Response, ApiError> {
    let headers = request.headers();
    let Some(key) = websocket_key(headers)? else {
        return Ok((StatusCode::OK, "Storeops relay: connect with a WebSocket").into_response());
    };
    let accept = storeops_websocket::accept_key(key);
    // An address that keeps failing to sign in is guessing tokens: it waits
    // without a look-up. Only failures count, so honest devices behind one
    // address (a shop's Wi-Fi) sign in as often as they need.
    let failures = &state.limits.failed_sign_ins;
    if let Err(wait) = failures.wait(ip, Instant::now()) {
        state.metrics.reject("rate_limited_sign_in");
        let seconds = retry_after_seconds(wait);
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("too many failed sign-ins from this address; try again in {seconds} s"),
        )
        .retry_after(seconds));
    }
    let unauthorized = || {
        let _ = failures.take(ip, Instant::now());
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "this device is not enrolled, was revoked or its sign-in expired; enrol it again with an invite code",
        )
    };
    let token = bearer(headers, &query).ok_or_else(unauthorized)?;
    let upgrade = request
        .extensions_mut()
        .remove::<hyper::upgrade::OnUpgrade>()
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UPGRADE_REQUIRED,
                "no_upgrade",
                "this connection cannot be upgraded to a WebSocket",
            )
        })?;
    let device = match state.sign_in.device(token).await? {
        Some(d) if d.usable_at(now_ms()) => d,
        _ => {
            state.metrics.reject("unauthorized");
            return Err(unauthorized());
        }
    };
    let slot = state
        .limits
        .devices
        .open(&device.id, Instant::now())
        .map_err(|too_many| {
            state.metrics.reject("too_many_connections");
            tracing::warn!(device = %device.id, max = too_many.max, "connection cap per device reached");
            ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_connections",
                format!(
                    "this device already has {} connections open to the relay; close one (another window or tab) and try again",
                    too_many.max
                ),
            )
            .retry_after(TOO_MANY_CONNECTIONS_RETRY_SECONDS)
        })?;
    // The relay checks kinds here, and each write against the domain's rules for
    // the device's role and person (see `validate`).
    let access = Access::scoped(device.store_id.clone(), writable_kinds(device.role))
        .hiding(hidden_kinds(device.role))
        .as_principal(storeops_sync::Principal {
            device: device.id.clone(),
            name: device.name.clone(),
            role: device.role.as_str().to_owned(),
            person: device.person.clone(),
        });
    let settings = &state.settings;
    let limits = connection::Limits {
        max_message_bytes: settings.max_frame_bytes,
        messages_per_second: settings.max_messages_per_second,
        handshake_timeout: Duration::from_secs(settings.handshake_timeout_seconds),
        outbox_frames: settings.outbox_frames,
    };
    let conn = ConnId(state.next_conn.fetch_add(1, Ordering::Relaxed));
    let span = tracing::info_span!("connection", conn = conn.0, device = %device.id);
    state.periods.on_connect(&device.store_id, now_ms());
    let (device_id, store_id) = (device.id, device.store_id);
    let hub = state.hubs.for_store(&store_id).clone();
    let connect = move |outbox| HubInput::Connect {
        conn,
        device_id,
        store_id,
        access,
        outbox,
    };
    let setup = connection::Setup {
        conn,
        hub,
        metrics: state.metrics.clone(),
        limits,
        device: Some(slot),
    };
    let upgraded = futures_util::TryFutureExt::map_ok(upgrade, hyper_util::rt::TokioIo::new);
    tokio::spawn(tracing::Instrument::instrument(
        connection::Task::new(upgraded, setup, connect),
        span,
    ));
    let headers = [
        ("connection", "upgrade".to_owned()),
        ("upgrade", "websocket".to_owned()),
        ("sec-websocket-accept", accept),
    ];
    Ok((StatusCode::SWITCHING_PROTOCOLS, headers).into_response())
}
