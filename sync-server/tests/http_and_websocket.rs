//! The relay's entry points with bad and good input, over real sockets.

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

fn real_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

struct Fixture {
    _dir: tempfile::TempDir,
    url: String,
    staff_token: String,
    staff_device: String,
    data_dir: std::path::PathBuf,
    stop: tokio::sync::oneshot::Sender<()>,
}

async fn relay() -> Fixture {
    relay_of(|reg| {
        reg.create_store(
            "Demo",
            "plan1",
            "en",
            "UTC",
            Date::new(2026, 11, 28).unwrap(),
            0,
        )
        .unwrap()
    })
    .await
}

/// A relay serving the demo store of plan 2 (sample staff in every position).
async fn demo_relay() -> Fixture {
    relay_of(|reg| {
        reg.create_demo_store(
            "Demo",
            "plan2",
            "en",
            "UTC",
            Date::new(2026, 11, 28).unwrap(),
            0,
        )
        .unwrap()
    })
    .await
}

/// A relay serving the store `make` creates, with a staff device enrolled.
async fn relay_of(
    make: impl FnOnce(&mut Registry) -> storeops_relay::registry::StoreInfo,
) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_owned();
    let mut reg = Registry::open(&data_dir).unwrap();
    let s = make(&mut reg);
    let now = real_now();
    let code = reg
        .create_invite(&s.id, Role::Staff, None, now, i64::MAX / 2)
        .unwrap();
    let e = reg.enrol(&code, "Phone", now + 1).unwrap();
    drop(reg);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let settings = Settings {
        listen: addr,
        data_dir: data_dir.clone(),
        max_frame_bytes: 64 * 1024,
        ..Settings::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve(settings, listener, async move {
        let _ = stopped.await;
    }));
    Fixture {
        _dir: dir,
        url: format!("127.0.0.1:{}", addr.port()),
        staff_token: e.token,
        staff_device: e.device_id,
        data_dir,
        stop,
    }
}

fn post(url: String, body: impl AsRef<str>) -> (u16, serde_json::Value) {
    match ureq::post(&url)
        .set("content-type", "application/json")
        .send_string(body.as_ref())
    {
        Ok(r) => (r.status(), r.into_json().unwrap_or_default()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_json().unwrap_or_default()),
        Err(e) => panic!("{e}"),
    }
}

#[tokio::test]
async fn enrolment_with_bad_json_or_an_unknown_code_is_refused_with_a_readable_error() {
    let f = relay().await;
    let url = format!("http://{}/v1/enrol", f.url);
    let u = url.clone();
    let (status, body) = tokio::task::spawn_blocking(move || post(u, "{not json"))
        .await
        .unwrap();
    assert_eq!((status, body["code"].as_str()), (400, Some("bad_request")));
    let (status, body) = tokio::task::spawn_blocking(move || {
        post(url, r#"{"code":"0000-0000-0000-0000","device_name":"x"}"#)
    })
    .await
    .unwrap();
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("invalid_invite"))
    );
    assert!(body["message"].as_str().unwrap().contains("invite code"));
    let _ = f.stop.send(());
}

#[tokio::test]
async fn a_new_store_code_opens_one_store_from_a_template_and_makes_the_caller_its_director() {
    let f = relay().await;
    let code = Registry::open(&f.data_dir)
        .unwrap()
        .create_store_grant(real_now(), 3_600_000)
        .unwrap();
    let url = format!("http://{}/v1/stores", f.url);
    let body = |code: &str, template: &str, tz: &str| {
        serde_json::json!({
            "code": code, "name": "东门店", "template": template,
            "locale": "zh-CN", "time_zone": tz, "device_name": "店长电脑",
        })
        .to_string()
    };
    let stores_before = Registry::open(&f.data_dir).unwrap().stores().unwrap().len();
    let cases = [
        ("{not json".to_owned(), 400, "bad_request"),
        (
            body("0000-0000-0000-0000", "plan2", "UTC"),
            403,
            "invalid_grant",
        ),
        (body(&code, "plan9", "UTC"), 400, "invalid"),
        (body(&code, "plan2", "Mars/Olympus"), 400, "invalid"),
    ];
    for (request, status, code_word) in cases {
        let u = url.clone();
        let (s, b) = tokio::task::spawn_blocking(move || post(u, request))
            .await
            .unwrap();
        assert_eq!((s, b["code"].as_str()), (status, Some(code_word)), "{b}");
    }
    assert_eq!(
        Registry::open(&f.data_dir).unwrap().stores().unwrap().len(),
        stores_before,
        "a refused request creates no store (and keeps the code usable)"
    );
    // Any IANA zone, daylight saving included (this one was refused before).
    let (u, ok) = (url.clone(), body(&code, "plan2", "America/New_York"));
    let (s, b) = tokio::task::spawn_blocking(move || post(u, ok))
        .await
        .unwrap();
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["role"].as_str(), Some("director"));
    assert_eq!(b["store_name"].as_str(), Some("东门店"));
    assert!(b["token"].as_str().is_some_and(|t| t.len() == 64));
    let again = body(&code, "plan2", "UTC");
    let (s, b) = tokio::task::spawn_blocking(move || post(url, again))
        .await
        .unwrap();
    assert_eq!((s, b["code"].as_str()), (403, Some("invalid_grant")));
    assert_eq!(
        Registry::open(&f.data_dir).unwrap().stores().unwrap().len(),
        stores_before + 1
    );
    let _ = f.stop.send(());
}

#[tokio::test]
async fn health_and_metrics_answer() {
    let f = relay().await;
    let base = format!("http://{}", f.url);
    let (health, metrics) = tokio::task::spawn_blocking(move || {
        (
            ureq::get(&format!("{base}/healthz"))
                .call()
                .unwrap()
                .into_string()
                .unwrap(),
            ureq::get(&format!("{base}/metrics"))
                .call()
                .unwrap()
                .into_string()
                .unwrap(),
        )
    })
    .await
    .unwrap();
    assert_eq!(health, "ok");
    assert!(metrics.contains("storeops_relay_connections"));
    let _ = f.stop.send(());
}

async fn connect(
    url: &str,
    token: Option<&str>,
) -> Result<
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
    u16,
> {
    let mut req = format!("ws://{url}/sync").into_client_request().unwrap();
    if let Some(t) = token {
        req.headers_mut()
            .insert("authorization", format!("Bearer {t}").parse().unwrap());
    }
    match tokio_tungstenite::connect_async(req).await {
        Ok((ws, _)) => Ok(ws),
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => Err(r.status().as_u16()),
        Err(e) => panic!("{e}"),
    }
}

#[tokio::test]
async fn a_websocket_without_a_valid_token_is_refused_before_the_handshake() {
    let f = relay().await;
    assert_eq!(connect(&f.url, None).await.err(), Some(401));
    assert_eq!(connect(&f.url, Some("forged")).await.err(), Some(401));
    let truncated = &f.staff_token[..10];
    assert_eq!(connect(&f.url, Some(truncated)).await.err(), Some(401));
    // A token past its lifetime no longer opens the door.
    let expired = {
        let mut reg = Registry::open(&f.data_dir).unwrap();
        let store = reg.stores().unwrap()[0].id.clone();
        let code = reg
            .create_invite(&store, Role::Staff, None, 0, i64::MAX / 2)
            .unwrap();
        reg.enrol(&code, "Old phone", 0).unwrap().token
    };
    assert_eq!(connect(&f.url, Some(&expired)).await.err(), Some(401));
    let _ = f.stop.send(());
}

/// Sends a raw HTTP request; returns the status line and the body.
async fn raw_request(url: &str, request: String) -> (String, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut tcp = tokio::net::TcpStream::connect(url).await.unwrap();
    tcp.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), tcp.read_to_end(&mut response)).await;
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.lines().next().unwrap_or_default().to_owned();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[tokio::test]
async fn a_websocket_request_in_a_version_we_do_not_speak_or_without_a_key_is_refused() {
    let f = relay().await;
    let request = |version: &str, key: &str| {
        format!(
            "GET /sync HTTP/1.1\r\nHost: relay\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n\
             Authorization: Bearer {}\r\n{version}{key}Connection: close\r\n\r\n",
            f.staff_token
        )
    };
    let key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    let (status, body) = raw_request(&f.url, request("Sec-WebSocket-Version: 8\r\n", key)).await;
    assert!(status.contains(" 400 "), "{status}");
    assert!(body.contains("version 13"), "{body}");
    let (status, body) = raw_request(&f.url, request("Sec-WebSocket-Version: 13\r\n", "")).await;
    assert!(status.contains(" 400 "), "{status}");
    assert!(body.contains("Sec-WebSocket-Key"), "{body}");
    // A good request is switched, with the accept key RFC 6455 gives for this key.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut tcp = tokio::net::TcpStream::connect(&f.url).await.unwrap();
    let good = request("Sec-WebSocket-Version: 13\r\n", key).replace("Connection: close\r\n", "");
    tcp.write_all(good.as_bytes()).await.unwrap();
    let mut head = vec![0; 1024];
    let n = tcp.read(&mut head).await.unwrap();
    let head = String::from_utf8_lossy(&head[..n]).to_lowercase();
    assert!(head.starts_with("http/1.1 101"), "{head}");
    assert!(
        head.contains("sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo="),
        "{head}"
    );
    let _ = f.stop.send(());
}

/// Reads until the relay closes; returns the error messages it sent.
async fn errors_until_closed(
    ws: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
) -> Vec<String> {
    let mut errors = vec![];
    while let Ok(Some(msg)) = tokio::time::timeout(Duration::from_secs(5), ws.next()).await {
        match msg {
            Ok(WsMessage::Binary(b)) => {
                if let Ok(Message::Error { message, .. }) = Message::decode(&b) {
                    errors.push(message);
                }
            }
            Ok(WsMessage::Close(_)) | Err(_) => break,
            _ => {}
        }
    }
    errors
}

#[tokio::test]
async fn garbage_after_authentication_gets_an_error_and_a_closed_connection() {
    let f = relay().await;
    let mut ws = connect(&f.url, Some(&f.staff_token)).await.unwrap();
    ws.send(WsMessage::Binary(vec![0xff, 0x00, 0x13].into()))
        .await
        .unwrap();
    let errors = errors_until_closed(&mut ws).await;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("CBOR") || errors[0].contains("map"),
        "{errors:?}"
    );
    // The relay keeps serving others.
    let mut again = connect(&f.url, Some(&f.staff_token)).await.unwrap();
    let join = Message::Join {
        sender_id: PeerId::new("phone"),
        supported_protocol_versions: vec!["1".into()],
        metadata: PeerMetadata::default(),
    };
    again
        .send(WsMessage::Binary(join.encode().into()))
        .await
        .unwrap();
    let reply = tokio::time::timeout(Duration::from_secs(5), again.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let WsMessage::Binary(b) = reply else {
        panic!("{reply:?}")
    };
    assert!(matches!(Message::decode(&b), Ok(Message::Peer { .. })));
    let _ = f.stop.send(());
}

#[tokio::test]
async fn a_frame_over_the_size_limit_closes_the_connection() {
    let f = relay().await;
    let mut ws = connect(&f.url, Some(&f.staff_token)).await.unwrap();
    let _ = ws
        .send(WsMessage::Binary(vec![0u8; 128 * 1024].into()))
        .await;
    let closed = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match ws.next().await {
                None | Some(Err(_)) | Some(Ok(WsMessage::Close(_))) => return true,
                _ => {}
            }
        }
    })
    .await;
    assert_eq!(closed, Ok(true));
    let _ = f.stop.send(());
}

#[tokio::test]
async fn revoking_a_device_cuts_its_live_connection_within_a_second() {
    let f = relay().await;
    let mut ws = connect(&f.url, Some(&f.staff_token)).await.unwrap();
    let join = Message::Join {
        sender_id: PeerId::new("phone"),
        supported_protocol_versions: vec!["1".into()],
        metadata: PeerMetadata::default(),
    };
    ws.send(WsMessage::Binary(join.encode().into()))
        .await
        .unwrap();
    let _peer = ws.next().await;
    Registry::open(&f.data_dir)
        .unwrap()
        .revoke(&f.staff_device, real_now())
        .unwrap();
    let started = Instant::now();
    let cut = tokio::time::timeout(Duration::from_secs(1), async {
        loop {
            match ws.next().await {
                None | Some(Err(_)) | Some(Ok(WsMessage::Close(_))) => return,
                _ => {}
            }
        }
    })
    .await;
    assert!(cut.is_ok(), "still connected after {:?}", started.elapsed());
    assert_eq!(connect(&f.url, Some(&f.staff_token)).await.err(), Some(401));
    let _ = f.stop.send(());
}

/// A native client: the sync engine in client role over a real WebSocket.
struct NativeClient {
    engine: storeops_sync::Engine,
    ws: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    unavailable: Vec<storeops_sync::DocumentId>,
    closed: bool,
}

impl NativeClient {
    async fn connect(url: &str, token: &str, name: &str) -> Self {
        let ws = connect(url, Some(token)).await.unwrap();
        let mut engine = storeops_sync::Engine::new(
            PeerId::new(name),
            Some(format!("{name}-storage")),
            storeops_sync::Role::Client,
            storeops_sync::Config::default(),
        );
        engine.connected(storeops_sync::ConnId(1), storeops_sync::Access::full());
        let mut c = Self {
            engine,
            ws,
            unavailable: vec![],
            closed: false,
        };
        c.settle().await;
        c
    }

    /// Sends what the engine wants sent, feeds what arrives, until quiet for 300 ms.
    async fn settle(&mut self) {
        loop {
            while let Some(out) = self.engine.poll_output() {
                match out {
                    storeops_sync::Output::Send { frame, .. } => {
                        let sent = self.ws.send(WsMessage::Binary(frame.into())).await;
                        self.closed |= sent.is_err();
                    }
                    storeops_sync::Output::Load { doc, .. } => self.engine.loaded(doc, None, 0),
                    storeops_sync::Output::DocUnavailable { doc } => self.unavailable.push(doc),
                    _ => {}
                }
            }
            match tokio::time::timeout(Duration::from_millis(300), self.ws.next()).await {
                Ok(Some(Ok(WsMessage::Binary(b)))) => {
                    self.engine.received(storeops_sync::ConnId(1), &b, 0)
                }
                Ok(Some(Ok(WsMessage::Close(_)))) | Ok(None) | Ok(Some(Err(_))) => {
                    self.closed = true;
                    return;
                }
                Ok(Some(Ok(_))) => {}
                Err(_) => return,
            }
        }
    }
}

fn store_documents(
    data_dir: &std::path::Path,
    store: &str,
) -> Vec<(storeops_sync::DocumentId, String)> {
    use storeops_storage::DocumentStore;
    storeops_storage::SqliteStore::open(&storeops_relay::registry::database_path(data_dir))
        .unwrap()
        .documents_of(store)
        .unwrap()
        .into_iter()
        .map(|(id, meta)| (id, meta.kind))
        .collect()
}

#[tokio::test]
async fn a_device_of_one_store_cannot_see_another_stores_documents_and_staff_cannot_write_the_org()
{
    let f = relay().await;
    let (store_a, store_b, manager_token) = {
        let mut reg = Registry::open(&f.data_dir).unwrap();
        let stores = reg.stores().unwrap();
        let b = reg
            .create_store(
                "Other",
                "plan2",
                "en",
                "UTC",
                Date::new(2026, 11, 28).unwrap(),
                0,
            )
            .unwrap();
        let code = reg
            .create_invite(&stores[0].id, Role::Manager, None, 0, i64::MAX / 2)
            .unwrap();
        let m = reg.enrol(&code, "Laptop", real_now()).unwrap();
        (stores[0].id.clone(), b.id, m.token)
    };
    let docs_a = store_documents(&f.data_dir, &store_a);
    let docs_b = store_documents(&f.data_dir, &store_b);
    let org_a = docs_a.iter().find(|(_, k)| k == "org").unwrap().0;
    let org_b = docs_b.iter().find(|(_, k)| k == "org").unwrap().0;

    // Store B's org is unavailable to a device of store A: existence does not leak.
    let mut staff = NativeClient::connect(&f.url, &f.staff_token, "staff").await;
    staff.engine.open(org_b, 0);
    staff.engine.open(org_a, 0);
    staff.settle().await;
    assert_eq!(staff.unavailable, vec![org_b]);
    assert!(staff.engine.document(&org_a).unwrap().get_heads().len() == 1);

    // Staff change the org locally; the relay refuses and stores nothing.
    let before = store_documents_bytes(&f.data_dir, org_a);
    staff
        .engine
        .change(org_a, 0, |am| {
            use automerge::transaction::Transactable;
            am.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(automerge::ROOT, "hacked", true)
            })
            .map(|_| ())
            .map_err(|e| e.error)
        })
        .unwrap();
    staff.settle().await;
    assert!(
        staff.closed,
        "the relay should close a staff device writing the org"
    );
    assert_eq!(store_documents_bytes(&f.data_dir, org_a), before);

    // A manager's org change is accepted and stored.
    let mut manager = NativeClient::connect(&f.url, &manager_token, "manager").await;
    manager.engine.open(org_a, 0);
    manager.settle().await;
    manager
        .engine
        .change(org_a, 0, |am| {
            use automerge::transaction::Transactable;
            am.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(automerge::ROOT, "note", "ok")
            })
            .map(|_| ())
            .map_err(|e| e.error)
        })
        .unwrap();
    manager.settle().await;
    assert!(!manager.closed);
    assert_ne!(store_documents_bytes(&f.data_dir, org_a), before);
    let _ = f.stop.send(());
}

fn store_documents_bytes(
    data_dir: &std::path::Path,
    doc: storeops_sync::DocumentId,
) -> Vec<Vec<u8>> {
    use storeops_storage::DocumentStore;
    storeops_storage::SqliteStore::open(&storeops_relay::registry::database_path(data_dir))
        .unwrap()
        .load(&doc)
        .unwrap()
        .unwrap()
        .chunks
}

fn post_with_token(
    url: String,
    token: Option<String>,
    body: impl AsRef<str>,
) -> (u16, serde_json::Value) {
    let mut req = ureq::post(&url).set("content-type", "application/json");
    if let Some(t) = token {
        req = req.set("authorization", &format!("Bearer {t}"));
    }
    match req.send_string(body.as_ref()) {
        Ok(r) => (r.status(), r.into_json().unwrap_or_default()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_json().unwrap_or_default()),
        Err(e) => panic!("{e}"),
    }
}

#[tokio::test]
async fn only_a_managers_device_creates_invites_and_they_enrol_into_its_store() {
    let f = relay().await;
    let manager_token = {
        let mut reg = Registry::open(&f.data_dir).unwrap();
        let store = reg.stores().unwrap()[0].id.clone();
        let code = reg
            .create_invite(&store, Role::Manager, None, 0, i64::MAX / 2)
            .unwrap();
        reg.enrol(&code, "Laptop", real_now()).unwrap().token
    };
    let url = format!("http://{}/v1/invites", f.url);
    let enrol_url = format!("http://{}/v1/enrol", f.url);
    let staff = f.staff_token.clone();
    tokio::task::spawn_blocking(move || {
        let (s, b) = post_with_token(url.clone(), Some(staff), r#"{"role":"staff"}"#);
        assert_eq!((s, b["code"].as_str()), (403, Some("forbidden")));
        let (s, _) = post_with_token(url.clone(), None, r#"{"role":"staff"}"#);
        assert_eq!(s, 401);
        let (s, _) = post_with_token(url.clone(), Some("forged".into()), r#"{"role":"staff"}"#);
        assert_eq!(s, 401);
        let (s, b) = post_with_token(
            url.clone(),
            Some(manager_token.clone()),
            r#"{"role":"boss"}"#,
        );
        assert_eq!((s, b["code"].as_str()), (400, Some("bad_request")));
        let (s, b) = post_with_token(url.clone(), Some(manager_token.clone()), "[1,2");
        assert_eq!((s, b["code"].as_str()), (400, Some("bad_request")));
        let (s, b) = post_with_token(url, Some(manager_token), r#"{"role":"staff"}"#);
        assert_eq!(s, 200, "{b}");
        let code = b["code"].as_str().unwrap().to_owned();
        let body = serde_json::json!({"code": code, "device_name": "New phone"}).to_string();
        let r = ureq::post(&enrol_url).send_string(&body).unwrap();
        let e: serde_json::Value = r.into_json().unwrap();
        assert_eq!(e["role"], "staff");
    })
    .await
    .unwrap();
    let _ = f.stop.send(());
}

/// Who may invite whom (`access::may_invite`, judged on the stored org chart): a
/// director any role for anyone; a department manager a staff device for someone
/// of their department, nothing else.
#[tokio::test]
async fn a_director_invites_any_role_and_a_department_manager_only_staff_of_their_department() {
    let f = demo_relay().await;
    let mut reg = Registry::open(&f.data_dir).unwrap();
    let store = reg.stores().unwrap()[0].id.clone();
    let org = reg.org_chart(&store).unwrap();
    // A department whose head's holder manages it, and one of its staff.
    let holder = |position: &str| {
        org.people
            .iter()
            .find(|(_, p)| p.held_positions().contains(&position))
            .map(|(id, _)| id.clone())
    };
    let (head, member, outsider) = org
        .departments
        .iter()
        .filter(|(_, d)| d.parent.is_some())
        .find_map(|(dept, d)| {
            let head = holder(d.head.as_deref()?)?;
            let actor =
                storeops_domain::Actor::for_person(&org, &head, Role::DepartmentManager).ok()?;
            let scope = actor.scope_departments(&org);
            let in_scope = |pid: &str| scope.contains(&org.positions[pid].department);
            let member = org
                .positions
                .keys()
                .filter(|pid| in_scope(pid) && d.head.as_deref() != Some(pid.as_str()))
                .find_map(|pid| holder(pid))?;
            let outsider = org
                .positions
                .keys()
                .filter(|pid| !in_scope(pid))
                .find_map(|pid| holder(pid))?;
            let _ = dept;
            Some((head, member, outsider))
        })
        .unwrap();
    let mut token = |role: Role, person: Option<&str>| {
        let code = reg
            .create_invite(&store, role, person, 0, i64::MAX / 2)
            .unwrap();
        reg.enrol(&code, "Device", real_now()).unwrap().token
    };
    let director = token(Role::Director, None);
    let department_manager = token(Role::DepartmentManager, Some(&head));
    let url = format!("http://{}/v1/invites", f.url);
    tokio::task::spawn_blocking(move || {
        let invite = |who: &str, role: &str, person: Option<&str>| {
            let body = serde_json::json!({"role": role, "person": person}).to_string();
            post_with_token(url.clone(), Some(who.to_owned()), body).0
        };
        // The role follows the person's positions, whatever is asked.
        for role in ["staff", "department_manager", "manager", "director"] {
            let body = serde_json::json!({"role": role, "person": member}).to_string();
            let (status, answer) = post_with_token(url.clone(), Some(director.clone()), body);
            assert_eq!(
                (status, answer["role"].as_str()),
                (200, Some("staff")),
                "director asking {role}"
            );
        }
        let body = serde_json::json!({"person": head}).to_string();
        let (status, answer) = post_with_token(url.clone(), Some(director.clone()), body);
        assert_eq!(
            (status, answer["role"].as_str()),
            (200, Some("department_manager")),
            "the head of a department"
        );
        assert_eq!(
            invite(&director, "staff", None),
            200,
            "director: for no one"
        );
        assert_eq!(
            invite(&director, "staff", Some("person-new")),
            200,
            "someone just added, not yet synced"
        );
        assert_eq!(
            invite(&department_manager, "staff", Some("person-nobody")),
            403
        );
        assert_eq!(invite(&department_manager, "staff", Some(&member)), 200);
        assert_eq!(invite(&department_manager, "staff", Some(&outsider)), 403);
        // Not even for himself: his positions make a department manager.
        assert_eq!(invite(&department_manager, "staff", Some(&head)), 403);
        assert_eq!(invite(&department_manager, "staff", None), 403);
    })
    .await
    .unwrap();
    let _ = f.stop.send(());
}

#[tokio::test]
async fn a_period_document_listed_in_the_root_is_accepted_and_an_unlisted_one_is_not() {
    let f = relay().await;
    let (store, manager_token) = {
        let mut reg = Registry::open(&f.data_dir).unwrap();
        let store = reg.stores().unwrap()[0].clone();
        let code = reg
            .create_invite(&store.id, Role::Manager, None, 0, i64::MAX / 2)
            .unwrap();
        (store, reg.enrol(&code, "Laptop", real_now()).unwrap().token)
    };
    let root: storeops_sync::DocumentId = store.root_document_id.parse().unwrap();
    let week = storeops_sync::DocumentId::from_bytes([42; 16]);
    let unlisted = storeops_sync::DocumentId::from_bytes([43; 16]);
    let manager_actor = storeops_domain::Actor::manager("Li");

    let mut manager = NativeClient::connect(&f.url, &manager_token, "manager").await;
    manager.engine.open(root, 0);
    manager.settle().await;
    // Register the week in the root first, then create it.
    manager
        .engine
        .change(root, 0, |am| {
            storeops_domain::split::register_period_doc(
                am,
                &manager_actor,
                "tasks",
                "2026-W48",
                &week.to_string(),
                1,
            )
        })
        .unwrap();
    manager.settle().await;
    for doc in [week, unlisted] {
        let am = storeops_domain::split::new_tasks_doc("2026-W48", 2).unwrap();
        manager
            .engine
            .create(doc, storeops_sync::DocMeta::default(), am, 0);
    }
    manager.settle().await;
    assert_eq!(manager.unavailable, vec![unlisted]);
    assert!(
        store_documents(&f.data_dir, &store.id)
            .iter()
            .any(|(d, k)| *d == week && k == "tasks")
    );
    assert!(
        !store_documents(&f.data_dir, &store.id)
            .iter()
            .any(|(d, _)| *d == unlisted)
    );

    // Another device of the store reads the new week.
    let mut staff = NativeClient::connect(&f.url, &f.staff_token, "staff").await;
    staff.engine.open(week, 0);
    staff.settle().await;
    let am = staff.engine.document(&week).unwrap();
    assert!(
        !am.get_heads().is_empty(),
        "the week did not reach the staff device"
    );
    let _ = f.stop.send(());
}

#[tokio::test]
async fn contact_details_and_managers_minutes_reach_managers_only_and_a_staff_device_asking_by_id_gets_doc_unavailable()
 {
    use storeops_storage::DocumentStore;
    let f = relay().await;
    let (store, manager_token) = {
        let mut reg = Registry::open(&f.data_dir).unwrap();
        let store = reg.stores().unwrap()[0].id.clone();
        let code = reg
            .create_invite(&store, Role::Manager, None, 0, i64::MAX / 2)
            .unwrap();
        (store, reg.enrol(&code, "Laptop", real_now()).unwrap().token)
    };
    // The store's contacts, as a manager's device recorded them.
    let contacts = storeops_sync::DocumentId::from_bytes([9; 16]);
    let mut am = storeops_domain::contacts::new_contacts_doc(0).unwrap();
    storeops_domain::contacts::set_contact(
        &mut am,
        &storeops_domain::Actor::manager("Zhang"),
        "p-li",
        "+86 138 0000 1234",
        1,
    )
    .unwrap();
    // And the managers' minutes of a meeting marked so.
    let minutes = storeops_sync::DocumentId::from_bytes([10; 16]);
    let minutes_am = storeops_domain::meetings::new_minutes_doc("2026", 0).unwrap();
    storeops_storage::SqliteStore::open(&storeops_relay::registry::database_path(&f.data_dir))
        .unwrap()
        .apply(&[
            storeops_sync::StorageOp::Compact {
                doc: contacts,
                meta: storeops_sync::DocMeta::new(store.clone(), storeops_domain::kind::CONTACTS),
                bytes: am.save(),
            },
            storeops_sync::StorageOp::Compact {
                doc: minutes,
                meta: storeops_sync::DocMeta::new(store.clone(), storeops_domain::kind::MINUTES),
                bytes: minutes_am.save(),
            },
        ])
        .unwrap();

    // A staff device asking for them by id: doc-unavailable, and not one byte.
    let mut staff = NativeClient::connect(&f.url, &f.staff_token, "staff").await;
    staff.engine.open(contacts, 0);
    staff.engine.open(minutes, 0);
    staff.settle().await;
    staff.unavailable.sort();
    let mut both = vec![contacts, minutes];
    both.sort();
    assert_eq!(staff.unavailable, both);
    for doc in [contacts, minutes] {
        assert!(
            staff
                .engine
                .document(&doc)
                .is_none_or(|d| d.get_heads().is_empty())
        );
    }
    assert!(!staff.closed);

    // A manager's device receives it.
    let mut manager = NativeClient::connect(&f.url, &manager_token, "manager").await;
    manager.engine.open(contacts, 0);
    manager.engine.open(minutes, 0);
    manager.settle().await;
    assert!(
        manager
            .engine
            .document(&minutes)
            .is_some_and(|d| !d.get_heads().is_empty())
    );
    let got = storeops_domain::contacts::read_contacts(manager.engine.document(&contacts).unwrap())
        .unwrap();
    assert_eq!(
        got.contacts.get("p-li").map(String::as_str),
        Some("+86 138 0000 1234")
    );
    let _ = f.stop.send(());
}

/// Assessment scores and comments are kept per subject (`scores/<year>/<owner>`)
/// and served only to the person assessed and the managers above them: another
/// staff member, and the manager of another department, asking by id get
/// `doc-unavailable` and not a byte of it.
#[tokio::test]
async fn assessment_scores_reach_the_person_assessed_and_the_managers_above_them_only() {
    use storeops_domain::{Actor, Owner, assessment};
    use storeops_storage::DocumentStore;
    let f = demo_relay().await;
    let db = storeops_relay::registry::database_path(&f.data_dir);
    let store_db = storeops_storage::SqliteStore::open(&db).unwrap();
    let mut reg = Registry::open(&f.data_dir).unwrap();
    let info = reg.stores().unwrap()[0].clone();
    let load = |db: &storeops_storage::SqliteStore, id: &str| {
        let id: storeops_sync::DocumentId = id.parse().unwrap();
        storeops_sync::load_chunks(&db.load(&id).unwrap().unwrap().chunks).unwrap()
    };
    let root = storeops_domain::read_store(&load(&store_db, &info.root_document_id)).unwrap();
    let org = storeops_domain::read_org(&load(&store_db, &root.documents.org)).unwrap();

    // A department with a head, someone in it who is not its head (the person
    // assessed), and a department out of the first one's reach with a head too.
    let holder = |position: &str| {
        org.people
            .iter()
            .find(|(_, p)| p.held_positions().contains(&position))
            .map(|(id, _)| id.clone())
    };
    let heads: Vec<(String, String)> = org
        .departments
        .iter()
        .filter_map(|(id, d)| Some((id.clone(), holder(d.head.as_deref()?)?)))
        .collect();
    let manager_of =
        |person: &str| Actor::for_person(&org, person, Role::DepartmentManager).unwrap();
    let (assessed, head) = heads
        .iter()
        .find_map(|(dept, head)| {
            let member = org.positions.iter().find_map(|(pid, p)| {
                (p.department == *dept && org.departments[dept].head.as_deref() != Some(pid))
                    .then(|| holder(pid))
                    .flatten()
            })?;
            Some((member, head.clone()))
        })
        .unwrap();
    let subject = Owner::Person(assessed.clone()).to_string();
    let other_head = heads
        .iter()
        .map(|(_, h)| h.clone())
        .find(|h| *h != head && !assessment::may_read_scores(&org, &manager_of(h), &subject))
        .unwrap();
    // Roles follow positions: the store manager is whoever holds a store-level
    // position, a bystander someone whose positions make them staff.
    let role = |p: &str| storeops_domain::access::role_of(&org, p);
    let top = org
        .people
        .keys()
        .find(|p| role(p).is_some_and(|r| r.is_store_level()))
        .unwrap()
        .clone();
    let bystander = org
        .people
        .keys()
        .find(|p| {
            **p != assessed && **p != head && **p != other_head && role(p) == Some(Role::Staff)
        })
        .unwrap()
        .clone();
    assert!(assessment::may_read_scores(
        &org,
        &manager_of(&head),
        &subject
    ));

    // The scores document about them, as a store manager's device wrote it.
    let year = "2026";
    let store_scores = |doc: u8, about: &str, score: u64| {
        let doc = storeops_sync::DocumentId::from_bytes([doc; 16]);
        let about = Owner::Person(about.to_owned());
        let period = assessment::scores_period(year, &about);
        let mut am = assessment::new_assessment_doc(&period, 0).unwrap();
        let zhang = Actor::manager("Zhang");
        assessment::assess(&mut am, &org, &zhang, "a-1", about, "2026-11", score, "", 1).unwrap();
        storeops_storage::SqliteStore::open(&db)
            .unwrap()
            .apply(&[storeops_sync::StorageOp::Compact {
                doc,
                meta: storeops_sync::DocMeta {
                    subject: storeops_domain::kind::subject_of(
                        storeops_domain::kind::SCORES,
                        &period,
                    ),
                    ..storeops_sync::DocMeta::new(info.id.clone(), storeops_domain::kind::SCORES)
                },
                bytes: am.save(),
            }])
            .unwrap();
        doc
    };
    let scores = store_scores(7, &assessed, 62);
    let mut token = |role: Role, person: &str| {
        let code = reg
            .create_invite(&info.id, role, Some(person), 0, i64::MAX / 2)
            .unwrap();
        reg.enrol(&code, person, real_now()).unwrap().token
    };
    let readers = [
        ("the person assessed", token(Role::Staff, &assessed), true),
        (
            "their department's manager",
            token(Role::DepartmentManager, &head),
            true,
        ),
        ("the store manager", token(Role::Manager, &top), true),
        (
            "another staff member",
            token(Role::Staff, &bystander),
            false,
        ),
        (
            "another department's manager",
            token(Role::DepartmentManager, &other_head),
            false,
        ),
    ];
    for (who, token, reads) in readers {
        let mut c = NativeClient::connect(&f.url, &token, who).await;
        c.engine.open(scores, 0);
        c.settle().await;
        let got = c
            .engine
            .document(&scores)
            .filter(|d| !d.get_heads().is_empty())
            .map(|d| assessment::read_assessment(d).unwrap().assessments.len());
        if reads {
            assert_eq!(got, Some(1), "{who} reads the score");
            assert!(c.unavailable.is_empty(), "{who}");
        } else {
            assert_eq!(got, None, "{who} receives nothing");
            assert_eq!(c.unavailable, vec![scores], "{who}: doc-unavailable");
        }
        assert!(!c.closed, "{who}");
    }

    // The department's manager reads the scores about themselves (the store
    // manager assessed them), but a change of their own score is refused and
    // never stored.
    let own = store_scores(8, &head, 55);
    let mut c = NativeClient::connect(&f.url, &token(Role::DepartmentManager, &head), "head").await;
    c.engine.open(own, 0);
    c.settle().await;
    assert!(
        c.engine
            .document(&own)
            .is_some_and(|d| !d.get_heads().is_empty())
    );
    c.engine
        .change(own, 0, |am| {
            use automerge::transaction::Transactable;
            let mut tx = am.transaction();
            let (_, all) = automerge::ReadDoc::get(&tx, automerge::ROOT, "assessments")
                .unwrap()
                .unwrap();
            let (_, mine) = automerge::ReadDoc::get(&tx, &all, "a-1").unwrap().unwrap();
            tx.put(&mine, "score", 100u64).unwrap();
            tx.commit();
            Ok::<_, ()>(())
        })
        .unwrap();
    c.settle().await;
    assert!(c.closed, "the writer is told and cut off");
    let kept = storeops_sync::load_chunks(&store_db.load(&own).unwrap().unwrap().chunks).unwrap();
    let scores_kept: Vec<u64> = assessment::read_assessment(&kept)
        .unwrap()
        .assessments
        .values()
        .map(|a| a.score)
        .collect();
    assert_eq!(
        scores_kept,
        vec![55],
        "nothing of the forged score is stored"
    );
    let _ = f.stop.send(());
}
