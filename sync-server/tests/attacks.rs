//! Floods, idle handshakes and connection churn against the real relay: each
//! attacker gets a closed connection, and an honest client keeps its latency.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use storeops_domain::Role;
use storeops_domain::calendar::Date;
use storeops_relay::registry::Registry;
use storeops_relay::{Settings, serve};
use storeops_sync::PeerId;
use storeops_sync::protocol::{Message, PeerMetadata};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn relay(settings: impl FnOnce(&mut Settings)) -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Registry::open(dir.path()).unwrap();
    let s = reg
        .create_store(
            "Demo",
            "plan1",
            "en",
            "UTC",
            Date::new(2026, 11, 28).unwrap(),
            0,
        )
        .unwrap();
    let code = reg
        .create_invite(&s.id, Role::Staff, None, 0, i64::MAX / 2)
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let token = reg.enrol(&code, "Phone", now).unwrap().token;
    drop(reg);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut s = Settings {
        listen: addr,
        data_dir: dir.path().to_owned(),
        ..Settings::default()
    };
    settings(&mut s);
    tokio::spawn(serve(s, listener, std::future::pending()));
    (dir, format!("127.0.0.1:{}", addr.port()), token)
}

async fn connect(url: &str, token: &str) -> Ws {
    let mut req = format!("ws://{url}/sync").into_client_request().unwrap();
    req.headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    tokio_tungstenite::connect_async(req).await.unwrap().0
}

fn join(name: &str) -> WsMessage {
    let m = Message::Join {
        sender_id: PeerId::new(name),
        supported_protocol_versions: vec!["1".into()],
        metadata: PeerMetadata::default(),
    };
    WsMessage::Binary(m.encode().into())
}

/// One join → peer round trip of an honest client.
async fn round_trip(url: &str, token: &str) -> Duration {
    let mut ws = connect(url, token).await;
    let started = Instant::now();
    ws.send(join("honest")).await.unwrap();
    loop {
        match ws.next().await {
            Some(Ok(WsMessage::Binary(b)))
                if matches!(Message::decode(&b), Ok(Message::Peer { .. })) =>
            {
                return started.elapsed();
            }
            Some(Ok(_)) => {}
            other => panic!("honest client lost its connection: {other:?}"),
        }
    }
}

async fn closed_within(ws: &mut Ws, within: Duration) -> bool {
    tokio::time::timeout(within, async {
        loop {
            match ws.next().await {
                None | Some(Err(_)) | Some(Ok(WsMessage::Close(_))) => return,
                _ => {}
            }
        }
    })
    .await
    .is_ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_messages_is_cut_off_and_an_honest_client_is_still_served() {
    let (_dir, url, token) = relay(|s| s.max_messages_per_second = 200).await;
    let baseline = round_trip(&url, &token).await;
    let mut flooder = connect(&url, &token).await;
    flooder.send(join("flooder")).await.unwrap();
    let ignored = Message::Ignored {
        kind: "remote-heads-changed".into(),
    }
    .encode();
    let mut sent = 0;
    for _ in 0..5_000 {
        if flooder
            .send(WsMessage::Binary(ignored.clone().into()))
            .await
            .is_err()
        {
            break;
        }
        sent += 1;
    }
    let during = round_trip(&url, &token).await;
    assert!(
        closed_within(&mut flooder, Duration::from_secs(5)).await,
        "flooder still connected after {sent} messages"
    );
    assert!(
        during < Duration::from_millis(500),
        "honest round trip {during:?} during the flood (baseline {baseline:?})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_says_join_is_disconnected() {
    let (_dir, url, token) = relay(|s| s.handshake_timeout_seconds = 1).await;
    let mut idle = connect(&url, &token).await;
    assert!(closed_within(&mut idle, Duration::from_secs(5)).await);
    round_trip(&url, &token).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_finishes_the_http_handshake_does_not_block_others() {
    use tokio::io::AsyncWriteExt;
    let (_dir, url, token) = relay(|_| {}).await;
    let mut slow = Vec::new();
    for _ in 0..50 {
        let mut s = tokio::net::TcpStream::connect(&url).await.unwrap();
        s.write_all(b"GET /sync HTTP/1.1\r\nHost: x\r\nUpgrade: websock")
            .await
            .unwrap();
        slow.push(s);
    }
    let t = round_trip(&url, &token).await;
    assert!(t < Duration::from_millis(500), "{t:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slowloris_sending_headers_a_byte_at_a_time_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (_dir, url, token) = relay(|s| s.handshake_timeout_seconds = 1).await;
    let mut slow = tokio::net::TcpStream::connect(&url).await.unwrap();
    let started = Instant::now();
    let request =
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let mut cut = false;
    for byte in request {
        if slow.write_all(&[*byte]).await.is_err() {
            cut = true;
            break;
        }
        // The relay answers a timed-out request with 408 or just closes.
        let mut buf = [0u8; 64];
        match tokio::time::timeout(Duration::from_millis(200), slow.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                cut = true;
                break;
            }
            Ok(Ok(_)) => {
                cut = String::from_utf8_lossy(&buf).starts_with("HTTP/1.1 408");
                break;
            }
            Err(_) => {}
        }
    }
    assert!(cut, "the slow sender was never cut off");
    // Cut off long before its header could be done (a byte per 200 ms: 16 s);
    // hyper's header timer has cut it after 4-5 s here, so the bound leaves room.
    let whole = Duration::from_millis(200) * request.len() as u32;
    assert!(
        started.elapsed() < whole / 2,
        "{:?} (the whole header: {whole:?})",
        started.elapsed()
    );
    let t = round_trip(&url, &token).await;
    assert!(t < Duration::from_millis(500), "{t:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_that_stops_reading_is_cut_when_its_outbox_fills() {
    let (_dir, url, token) = relay(|s| {
        s.outbox_frames = 16;
        s.max_messages_per_second = 1_000_000;
    })
    .await;
    // A client with a tiny receive window that, after the handshake, never reads.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(2048).unwrap();
    let tcp = socket.connect(url.parse().unwrap()).await.unwrap();
    let mut req = format!("ws://{url}/sync").into_client_request().unwrap();
    req.headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::client_async(req, tcp).await.unwrap();
    ws.send(join("slow")).await.unwrap();
    let relay_peer = loop {
        if let Some(Ok(WsMessage::Binary(b))) = ws.next().await
            && let Ok(Message::Peer { sender_id, .. }) = Message::decode(&b)
        {
            break sender_id;
        }
    };
    // Ask for thousands of documents it may not see; each answer is a frame.
    let mut empty = automerge::sync::State::new();
    let data = {
        use automerge::sync::SyncDoc;
        automerge::Automerge::new()
            .generate_sync_message(&mut empty)
            .unwrap()
            .encode()
    };
    let mut sent = 0u32;
    for i in 0..20_000u32 {
        let mut id = [0u8; 16];
        id[..4].copy_from_slice(&i.to_be_bytes());
        let m = Message::Request {
            sender_id: PeerId::new("slow"),
            target_id: relay_peer.clone(),
            document_id: storeops_sync::DocumentId::from_bytes(id),
            data: data.clone(),
        };
        if ws.send(WsMessage::Binary(m.encode().into())).await.is_err() {
            break;
        }
        sent += 1;
    }
    let base = format!("http://{url}");
    let cut = tokio::task::spawn_blocking(move || {
        for _ in 0..50 {
            let metrics = ureq::get(&format!("{base}/metrics"))
                .call()
                .unwrap()
                .into_string()
                .unwrap();
            if metrics.contains("reason=\"slow_reader\"") {
                return true;
            }

            std::thread::sleep(Duration::from_millis(100));
        }
        false
    })
    .await
    .unwrap();
    assert!(
        cut,
        "the relay never cut the slow reader ({sent} requests sent)"
    );
    let t = round_trip(&url, &token).await;
    assert!(t < Duration::from_millis(500), "{t:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_connections_opened_and_dropped_leave_the_relay_serving() {
    // Churn, not the cap per device (tests/limits.rs): 100 at once on one token.
    let (_dir, url, token) = relay(|s| s.max_connections_per_device = 1_000).await;
    for round in 0..10 {
        let mut batch = Vec::new();
        for _ in 0..100 {
            batch.push(connect(&url, &token).await);
        }
        if round % 2 == 0 {
            for ws in &mut batch {
                ws.send(join("churn")).await.unwrap();
            }
        }
        drop(batch);
    }
    let t = round_trip(&url, &token).await;
    assert!(t < Duration::from_millis(500), "{t:?}");
    let metrics = tokio::task::spawn_blocking({
        let url = url.clone();
        move || {
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                let m = ureq::get(&format!("http://{url}/metrics"))
                    .call()
                    .unwrap()
                    .into_string()
                    .unwrap();
                let open = m
                    .lines()
                    .find_map(|l| l.strip_prefix("storeops_relay_connections "))
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .unwrap_or(u64::MAX);
                if open == 0 || Instant::now() > deadline {
                    return open;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    })
    .await
    .unwrap();
    assert_eq!(metrics, 0, "connections left open after the churn");
}
