//! Rate limits per client address and caps per device token, against the real
//! relay on loopback. Clients come from different loopback addresses
//! (127.0.0.1, 127.0.0.2, …: all of 127/8 is loopback on Linux), so one
//! address's flood and another's sign-in are told apart as the relay sees them.
//! The tests assert behaviour (who is refused, with what); timings are printed,
//! and measured in the benchmarks.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use storeops_domain::Role;
use storeops_domain::calendar::Date;
use storeops_relay::registry::Registry;
use storeops_relay::{Settings, serve};
use storeops_sync::PeerId;
use storeops_sync::protocol::{Message, PeerMetadata};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

type Ws = tokio_tungstenite::WebSocketStream<TcpStream>;

fn local(last: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 0, 0, last))
}

/// A relay with one store and three devices: two staff and a manager.
struct Fixture {
    _dir: tempfile::TempDir,
    addr: SocketAddr,
    staff: String,
    other_staff: String,
    manager: String,
}

async fn relay(settings: impl FnOnce(&mut Settings)) -> Fixture {
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
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let mut enrol = |role, name| {
        let code = reg
            .create_invite(&s.id, role, None, 0, i64::MAX / 2)
            .unwrap();
        reg.enrol(&code, name, now).unwrap().token
    };
    let staff = enrol(Role::Staff, "Phone");
    let other_staff = enrol(Role::Staff, "Other phone");
    let manager = enrol(Role::Manager, "Laptop");
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
    Fixture {
        _dir: dir,
        addr,
        staff,
        other_staff,
        manager,
    }
}

async fn tcp_from(from: IpAddr, to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(from, 0)).unwrap();
    socket.connect(to).await.unwrap()
}

/// An HTTP answer: status, `Retry-After` (if any) and the JSON body.
#[derive(Debug)]
struct Reply {
    status: u16,
    retry_after: Option<u64>,
    body: serde_json::Value,
    text: String,
}

/// One HTTP/1.1 request from `from`.
async fn http(
    from: IpAddr,
    to: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> Reply {
    let mut tcp = tcp_from(from, to).await;
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {to}\r\n{auth}Content-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    tcp.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tcp.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8(answer).unwrap();
    let (head, text) = answer.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap();
    let retry_after = lines.find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("retry-after")
            .then(|| value.trim().parse().unwrap())
    });
    Reply {
        status: status.parse().unwrap(),
        retry_after,
        body: serde_json::from_str(text).unwrap_or_default(),
        text: text.to_owned(),
    }
}

async fn enrol_with_a_guess(from: IpAddr, to: SocketAddr) -> Reply {
    http(
        from,
        to,
        "POST",
        "/v1/enrol",
        None,
        r#"{"code":"0000-0000-0000-0000","device_name":"guess"}"#,
    )
    .await
}

/// A WebSocket from `from`, signed in with `token`.
async fn connect(
    from: IpAddr,
    to: SocketAddr,
    token: &str,
) -> Result<Ws, tokio_tungstenite::tungstenite::Error> {
    let mut req = format!("ws://{to}/sync").into_client_request().unwrap();
    req.headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    let tcp = tcp_from(from, to).await;
    tokio_tungstenite::client_async(req, tcp)
        .await
        .map(|(ws, _)| ws)
}

/// The HTTP answer that refused a WebSocket: status, `Retry-After`, body.
fn refusal(e: tokio_tungstenite::tungstenite::Error) -> (u16, Option<u64>, String) {
    match e {
        tokio_tungstenite::tungstenite::Error::Http(r) => (
            r.status().as_u16(),
            r.headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().parse().unwrap()),
            String::from_utf8(r.body().clone().unwrap_or_default()).unwrap(),
        ),
        other => panic!("not an HTTP refusal: {other}"),
    }
}

fn join(name: &str) -> WsMessage {
    let m = Message::Join {
        sender_id: PeerId::new(name),
        supported_protocol_versions: vec!["1".into()],
        metadata: PeerMetadata::default(),
    };
    WsMessage::Binary(m.encode().into())
}

/// Says join and waits for the relay's peer message.
async fn joined(ws: &mut Ws, name: &str) {
    ws.send(join(name)).await.unwrap();
    let wait = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match ws.next().await {
                Some(Ok(WsMessage::Binary(b)))
                    if matches!(Message::decode(&b), Ok(Message::Peer { .. })) =>
                {
                    return;
                }
                Some(Ok(_)) => {}
                other => panic!("{name} lost its connection: {other:?}"),
            }
        }
    });
    wait.await.unwrap();
}

/// An honest device signs in from `from` and joins: how long it took.
async fn sign_in_and_join(from: IpAddr, to: SocketAddr, token: &str) -> Duration {
    let started = Instant::now();
    let mut ws = connect(from, to, token).await.unwrap();
    joined(&mut ws, "honest").await;
    started.elapsed()
}

/// Whether `ws` still answers a ping.
async fn answers_a_ping(ws: &mut Ws) -> bool {
    if ws
        .send(WsMessage::Ping(b"there?".to_vec().into()))
        .await
        .is_err()
    {
        return false;
    }
    let wait = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match ws.next().await {
                Some(Ok(WsMessage::Pong(_))) => return true,
                Some(Ok(WsMessage::Close(_))) | Some(Err(_)) | None => return false,
                Some(Ok(_)) => {}
            }
        }
    });
    wait.await.unwrap_or(false)
}

async fn metrics(to: SocketAddr) -> String {
    http(local(9), to, "GET", "/metrics", None, "").await.text
}

fn metric(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .map_or(0, |v| v.trim().parse().unwrap())
}

fn rejected(text: &str, reason: &str) -> u64 {
    metric(
        text,
        &format!("storeops_relay_rejected_total{{reason=\"{reason}\"}}"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enrolment_flood_from_one_address_gets_429_with_retry_after_while_others_sign_in() {
    let f = relay(|_| {}).await; // the defaults: 10 a minute, bursts of 20
    let (flooder, honest) = (local(1), local(2));
    let before = sign_in_and_join(honest, f.addr, &f.other_staff).await;

    // 8 guessers at once from one address, 400 guesses.
    let guessers: Vec<_> = (0..8)
        .map(|_| {
            let to = f.addr;
            tokio::spawn(async move {
                let mut replies = Vec::new();
                for _ in 0..50 {
                    replies.push(enrol_with_a_guess(flooder, to).await);
                }
                replies
            })
        })
        .collect();
    // Meanwhile honest devices sign in, from another address and from the
    // flooder's own (sign-in is not an enrolment).
    let mut during = Vec::new();
    for _ in 0..5 {
        during.push(sign_in_and_join(honest, f.addr, &f.other_staff).await);
        during.push(sign_in_and_join(flooder, f.addr, &f.staff).await);
    }
    let mut replies = Vec::new();
    for g in guessers {
        replies.extend(g.await.unwrap());
    }
    eprintln!("honest sign-in and join: {before:?} before, {during:?} during the flood");

    let guessed = replies.iter().filter(|r| r.status == 403).count();
    let limited: Vec<_> = replies.iter().filter(|r| r.status == 429).collect();
    eprintln!(
        "{guessed} guesses looked up, {} refused with 429",
        limited.len()
    );
    assert_eq!(guessed + limited.len(), replies.len(), "{replies:?}");
    // The burst, and at most what 10 a minute added while the flood ran.
    assert!(
        (20..=22).contains(&guessed),
        "{guessed} guesses were looked up"
    );
    for r in &limited {
        assert_eq!(r.body["code"], "rate_limited", "{r:?}");
        assert!(r.body["message"].as_str().unwrap().contains("try again in"));
        let wait = r.retry_after.expect("a Retry-After header");
        assert!((1..=6).contains(&wait), "Retry-After: {wait}");
    }
    // Another address still gets its answer.
    let other = enrol_with_a_guess(local(3), f.addr).await;
    assert_eq!(
        (other.status, other.body["code"].as_str()),
        (403, Some("invalid_invite"))
    );
    let m = metrics(f.addr).await;
    assert_eq!(
        rejected(&m, "rate_limited_address"),
        limited.len() as u64,
        "{m}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_stores_and_invites_are_limited_per_address_too() {
    let f = relay(|s| {
        s.registry_requests_per_minute = 1;
        s.registry_requests_burst = 3;
    })
    .await;
    let store = r#"{"code":"0000-0000-0000-0000","name":"X","template":"plan1","locale":"en","time_zone":"UTC","device_name":"x"}"#;
    let invite = r#"{"role":"staff"}"#;
    for (path, token, body, first) in [
        ("/v1/stores", None, store, 403),
        ("/v1/invites", Some(f.manager.as_str()), invite, 200),
        ("/v1/invites", Some("forged"), invite, 429),
    ] {
        let mut statuses = Vec::new();
        for _ in 0..5 {
            statuses.push(
                http(local(1), f.addr, "POST", path, token, body)
                    .await
                    .status,
            );
        }
        if first == 429 {
            // The invites bucket of 127.0.0.1 is empty: a forged token is not looked up.
            assert_eq!(statuses, [429; 5], "{path}");
        } else {
            assert_eq!(statuses, [first, first, first, 429, 429], "{path}");
        }
    }
    // Each route has its own allowance: enrolment from the same address is
    // still looked up, and another address invites.
    assert_eq!(enrol_with_a_guess(local(1), f.addr).await.status, 403);
    let other = http(
        local(2),
        f.addr,
        "POST",
        "/v1/invites",
        Some(&f.manager),
        invite,
    )
    .await;
    assert_eq!(other.status, 200, "{other:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_guessing_tokens_waits_and_other_addresses_sign_in() {
    let f = relay(|s| s.failed_sign_ins_per_minute = 5).await; // bursts of 10
    let guesser = local(1);
    let mut refusals = Vec::new();
    for i in 0..30 {
        let e = connect(guesser, f.addr, &format!("guess-{i}"))
            .await
            .unwrap_err();
        refusals.push(refusal(e));
    }
    let unauthorized = refusals.iter().filter(|r| r.0 == 401).count();
    eprintln!("{unauthorized} forged tokens looked up, then 429");
    assert!((10..=11).contains(&unauthorized), "{refusals:?}");
    let (status, retry_after, body) = refusals.last().unwrap().clone();
    assert_eq!(status, 429);
    assert!(retry_after.unwrap() >= 1);
    assert!(body.contains("failed sign-ins"), "{body}");
    // The guessing address waits even with a good token (it is not looked up);
    // another address signs in.
    let (status, _, _) = refusal(connect(guesser, f.addr, &f.staff).await.unwrap_err());
    assert_eq!(status, 429);
    sign_in_and_join(local(2), f.addr, &f.staff).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ninth_connection_on_one_token_is_refused_while_the_first_eight_and_another_device_work()
 {
    let f = relay(|_| {}).await; // the default: 8 connections a device
    let mut eight = Vec::new();
    for i in 0..8 {
        let mut ws = connect(local(1), f.addr, &f.staff).await.unwrap();
        joined(&mut ws, &format!("tab {i}")).await;
        eight.push(ws);
    }
    // From any address: the cap is the token's.
    let (status, retry_after, body) =
        refusal(connect(local(2), f.addr, &f.staff).await.unwrap_err());
    assert_eq!(status, 429);
    assert_eq!(retry_after, Some(5));
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["code"], "too_many_connections");
    assert!(body["message"].as_str().unwrap().contains("8 connections"));

    sign_in_and_join(local(1), f.addr, &f.other_staff).await;
    for ws in &mut eight {
        assert!(answers_a_ping(ws).await, "one of the first eight was cut");
    }
    // A closed connection gives its place back.
    let mut first = eight.remove(0);
    first.close(None).await.unwrap();
    drop(first);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut again = loop {
        match connect(local(1), f.addr, &f.staff).await {
            Ok(ws) => break ws,
            Err(e) if Instant::now() < deadline => {
                assert_eq!(refusal(e).0, 429);
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => panic!("the place was not given back: {e}"),
        }
    };
    joined(&mut again, "new tab").await;
    let m = metrics(f.addr).await;
    assert!(rejected(&m, "too_many_connections") >= 1, "{m}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_flood_across_one_tokens_connections_is_held_to_the_devices_rate() {
    let f = relay(|s| {
        s.max_device_messages_per_second = 100; // bursts of 200
        s.max_messages_per_second = 100_000; // not the per-connection limit
    })
    .await;
    let started = Instant::now();
    let mut flooders = Vec::new();
    for i in 0..4 {
        let mut ws = connect(local(1), f.addr, &f.staff).await.unwrap();
        joined(&mut ws, &format!("flooder {i}")).await;
        flooders.push(ws);
    }
    let ignored = Message::Ignored {
        kind: "remote-heads-changed".into(),
    }
    .encode();
    // 4 × 1,000 messages, as fast as the sockets take them.
    let sending: Vec<_> = flooders
        .into_iter()
        .map(|mut ws| {
            let ignored = ignored.clone();
            tokio::spawn(async move {
                for _ in 0..1_000 {
                    if ws
                        .feed(WsMessage::Binary(ignored.clone().into()))
                        .await
                        .is_err()
                    {
                        break;
                    }
                }
                let _ = ws.flush().await;
                ws
            })
        })
        .collect();
    // Another device of the store is served meanwhile.
    let honest = sign_in_and_join(local(2), f.addr, &f.other_staff).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let m = metrics(f.addr).await;
    let elapsed = started.elapsed().as_secs_f64();
    let taken = metric(&m, "storeops_relay_messages_in_total");
    eprintln!("{taken} messages taken in {elapsed:.2} s; honest sign-in and join {honest:?}");
    // The burst, the rate for the time elapsed, the honest device's join, and
    // a message per connection let in by a race (each checks, then counts).
    let most = 200.0 + 100.0 * elapsed + 8.0;
    assert!((taken as f64) <= most, "{taken} messages in {elapsed:.2} s");
    assert!(taken < 4_000);
    assert!(rejected(&m, "device_throttled") >= 1, "{m}");
    assert_eq!(rejected(&m, "rate_limited"), 0, "paused, not closed");
    // The flooder's connections are slowed, not cut: they still answer (their
    // pong comes once the device's earlier messages are through).
    let mut flooders = Vec::new();
    for s in sending {
        flooders.push(s.await.unwrap());
    }
    let mut last = flooders.pop().unwrap();
    drop(flooders);
    assert!(
        !matches!(
            tokio::time::timeout(Duration::from_millis(100), last.next()).await,
            Ok(None | Some(Ok(WsMessage::Close(_))) | Some(Err(_)))
        ),
        "the flooder was cut"
    );
}
