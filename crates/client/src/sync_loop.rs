//! The WebSocket connection to the relay: connects, syncs, and after a drop
//! reconnects with backoff.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use storeops_sync::ConnId;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::Device;
use crate::relay::{tls_config, websocket_url};

/// Keeps every store the device holds in sync with its relay for as long as the
/// process runs, each over its own connection with its own token: a store added
/// later starts syncing when it is added.
pub async fn sync_loop(device: Device) {
    let mut syncing: Vec<Device> = Vec::new();
    loop {
        for store in device.held() {
            if !syncing.iter().any(|s| s.same_store(&store)) {
                syncing.push(store.clone());
                tokio::spawn(store_sync_loop(store));
            }
        }
        device.store_added().await;
    }
}

/// Keeps one store in sync: connects, syncs, and after a drop reconnects with
/// exponential backoff and jitter (or at once on [`Device::sync_now`]).
async fn store_sync_loop(device: Device) {
    let mut backoff = Duration::from_millis(250);
    let mut next_conn = 1u64;
    loop {
        let target = {
            let r = device.replica();
            r.enrolment()
                .map(|e| {
                    (
                        websocket_url(&e.relay_url, &e.store_id),
                        e.relay_ca_pem.clone(),
                    )
                })
                .zip(r.token().ok())
        };
        let Some(((sync_url, ca), token)) = target else {
            device.wake.notified().await;
            continue;
        };
        let conn = ConnId(next_conn);
        next_conn += 1;
        match run_connection(&device, conn, &sync_url, ca.as_deref(), &token).await {
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
    sync_url: &str,
    ca_pem: Option<&str>,
    token: &str,
) -> Result<(), String> {
    let mut request = sync_url
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
        tokio_tungstenite::tungstenite::Error::Http(r) if r.status() == 429 => {
            let wait = r
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map_or(String::new(), |s| format!(" for {s} s"));
            format!(
                "the relay asks this device to wait{wait}: it has too many connections open (another window or tab?) or sent too much; changes are kept on this device and sync when it lets it in"
            )
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
                // Online: survey answers that waited go now.
                if device.has_survey_answers_to_send() {
                    let device = device.clone();
                    tokio::task::spawn_blocking(move || device.send_survey_answers());
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
        // What the replica made of it (e.g. changes the relay refused, taken back).
        Some(e) => Err(device.replica().status().last_error.unwrap_or(e)),
        None => Ok(()),
    }
}
