//! Three relay nodes — real processes — on one private PostgreSQL server,
//! behind a small round-robin TCP balancer: devices of one store on different
//! nodes see each other's edits live; a node killed with SIGKILL loses nothing
//! and its devices carry on through the others; a device enrolled through one
//! node and revoked by a manager through another is cut off within a second.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use storeops_api::Handles;
use storeops_api::command::{AddTask, Enrol, ListTasks, RevokeDevice};
use storeops_client::{Device, sync_loop};
use storeops_domain::Role;
use storeops_domain::calendar::Date;
use storeops_relay::backend::Backend;
use storeops_relay::registry::Registry;
use storeops_storage_postgres::testing::PrivateServer;

/// A relay node: a `storeops-relay serve` process on the shared database.
struct Node {
    child: Child,
    _dir: tempfile::TempDir,
}

fn free_addr() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

impl Node {
    fn start(database: &str, addr: SocketAddr) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_storeops-relay"))
            .args([
                "serve",
                "--listen",
                &addr.to_string(),
                "--database",
                database,
            ])
            .arg("--data-dir")
            .arg(dir.path())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(addr).is_err() {
            assert!(Instant::now() < deadline, "node on {addr} did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { child, _dir: dir }
    }

    fn kill(&mut self) {
        self.child.kill().unwrap(); // SIGKILL
        self.child.wait().unwrap();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP balancer: each connection goes to the next node that answers.
async fn balancer(nodes: Arc<Mutex<Vec<SocketAddr>>>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut next = 0usize;
        loop {
            let Ok((mut inbound, _)) = listener.accept().await else {
                return;
            };
            let targets = nodes.lock().unwrap().clone();
            next += 1;
            let first = next;
            tokio::spawn(async move {
                for i in 0..targets.len() {
                    let target = targets[(first + i) % targets.len()];
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                        return;
                    }
                }
            });
        }
    });
    addr
}

async fn enrolled(url: &str, code: String, name: &str) -> (Device, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path()).unwrap();
    let (d, command) = (
        device.clone(),
        Enrol {
            relay_url: url.into(),
            code,
            device_name: name.into(),
        },
    );
    tokio::task::spawn_blocking(move || d.handle(command).unwrap())
        .await
        .unwrap();
    tokio::spawn(sync_loop(device.clone()));
    (device, dir)
}

async fn eventually(what: &str, limit: Duration, mut check: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    while started.elapsed() < limit {
        if check() {
            return started.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out after {limit:?} waiting for: {what}");
}

fn has_task(device: &Device, id: &str) -> bool {
    device
        .handle(ListTasks {})
        .map(|tasks| tasks.iter().any(|t| t.id == id))
        .unwrap_or(false)
}

/// Runs `f` off the async runtime (PostgreSQL's client blocks on a runtime of its own).
fn blocking<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    std::thread::scope(|s| s.spawn(f).join().unwrap())
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_on_one_database_share_edits_survive_a_kill_and_revoke_everywhere() {
    let pg = PrivateServer::start().unwrap();
    let database = blocking({
        let pg = &pg;
        move || pg.create_database("relay").unwrap()
    });
    let backend = Backend::Postgres(database.clone());
    let (store, codes) = blocking(|| {
        let mut reg = Registry::open(&backend).unwrap();
        let s = reg
            .create_store(
                "Chain 1",
                "plan3",
                "en",
                "UTC",
                Date::from_unix_ms(now_ms(), 0),
                0,
            )
            .unwrap();
        let codes: Vec<String> = (0..3)
            .map(|_| {
                reg.create_invite(&s.id, Role::Manager, None, now_ms(), 3_600_000)
                    .unwrap()
            })
            .collect();
        (s.id, codes)
    });
    let addrs = [free_addr(), free_addr(), free_addr()];
    let mut nodes: Vec<Node> = addrs.iter().map(|a| Node::start(&database, *a)).collect();

    // Two laptops of the store, each on its own node (no balancer yet).
    let (a, _da) = enrolled(
        &format!("http://{}", addrs[0]),
        codes[0].clone(),
        "Laptop A",
    )
    .await;
    let (b, _db) = enrolled(
        &format!("http://{}", addrs[1]),
        codes[1].clone(),
        "Laptop B",
    )
    .await;
    eventually(
        "both laptops have the store",
        Duration::from_secs(30),
        || [&a, &b].iter().all(|d| d.replica().all_arrived()),
    )
    .await;
    let mut cross_node = Vec::new();
    for i in 0..5 {
        let task = a
            .handle(AddTask::titled(format!("Node-crossing task {i}")))
            .unwrap();
        cross_node.push(
            eventually(
                "A's task reaches B on another node",
                Duration::from_secs(10),
                || has_task(&b, &task.id),
            )
            .await,
        );
        let task = b
            .handle(AddTask::titled(format!("Back again {i}")))
            .unwrap();
        eventually("B's task reaches A", Duration::from_secs(10), || {
            has_task(&a, &task.id)
        })
        .await;
    }
    eprintln!("edit on node 1 visible on node 2: {cross_node:?}");

    // A third laptop through the balancer; node 1 (A's) is killed.
    let live = Arc::new(Mutex::new(addrs.to_vec()));
    let lb = balancer(live.clone()).await;
    let (c, _dc) = enrolled(&format!("http://{lb}"), codes[2].clone(), "Laptop C").await;
    eventually("C has the store", Duration::from_secs(30), || {
        c.replica().all_arrived()
    })
    .await;
    let before = c
        .handle(AddTask::titled("Written before the kill"))
        .unwrap();
    eventually("C's task is acknowledged", Duration::from_secs(10), || {
        c.app_status().sync.pending_changes == 0 && has_task(&b, &before.id)
    })
    .await;
    // Kill node 1 (A's), then node 3; B on node 2 watches.
    for (round, victim) in [0usize, 2].into_iter().enumerate() {
        nodes[victim].kill();
        live.lock().unwrap().retain(|a| *a != addrs[victim]);
        let killed_at = Instant::now();
        let task = c
            .handle(AddTask::titled(format!("After kill {round}")))
            .unwrap();
        eventually(
            "C's edit after the kill reaches B on a live node",
            Duration::from_secs(30),
            || has_task(&b, &task.id),
        )
        .await;
        eprintln!(
            "round {round}: node {} killed; C's next edit reached B {:?} after the kill",
            victim + 1,
            killed_at.elapsed()
        );
        nodes[victim] = Node::start(&database, addrs[victim]);
        live.lock().unwrap().push(addrs[victim]);
    }
    // Nothing acknowledged was lost: every device converges on every task.
    eventually("A, B and C converge", Duration::from_secs(30), || {
        let ids = |d: &Device| {
            let mut v: Vec<String> = d
                .handle(ListTasks {})
                .unwrap()
                .into_iter()
                .map(|t| t.id)
                .collect();
            v.sort();
            v
        };
        let a_ids = ids(&a);
        a_ids == ids(&b) && a_ids == ids(&c) && a_ids.contains(&before.id)
    })
    .await;

    // A, a manager enrolled through node 1, revokes B there (Settings' devices
    // card, node 1's HTTP API): B, on node 2, is cut off.
    let b_device = b.replica().enrolment().unwrap().device_id.clone();
    assert!(b.app_status().sync.online);
    let revoked_at = Instant::now();
    let (manager, device_id) = (a.clone(), b_device.clone());
    let devices =
        tokio::task::spawn_blocking(move || manager.handle(RevokeDevice { device_id }).unwrap())
            .await
            .unwrap();
    assert!(
        devices.iter().any(|d| d.id == b_device && d.revoked),
        "{devices:?}"
    );
    let cut = eventually("B is cut off", Duration::from_secs(5), || {
        !b.app_status().sync.online
    })
    .await;
    eprintln!(
        "revocation to cut-off on another node: {:?}",
        revoked_at.elapsed().min(cut)
    );
    assert!(cut < Duration::from_secs(1), "cut after {cut:?}");
    let _ = store;
}
