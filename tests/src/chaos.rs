//! A loopback TCP proxy that misbehaves on purpose, driven by a seed so a failing
//! run replays: latency and jitter on every chunk, dropped connections, half-open
//! connections (one direction silently stops), byte-level truncation, and
//! partitions (every connection through this proxy cut off for a while).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How badly the network behaves.
#[derive(Debug, Clone)]
pub struct Faults {
    pub latency_ms: u64,
    pub jitter_ms: u64,
    /// Per chunk, chance (in 1/10,000) to drop the connection.
    pub drop_per_10k: u64,
    /// Per chunk, chance to forward only part of it, then drop the connection.
    pub truncate_per_10k: u64,
    /// Per connection, chance to go half-open: one direction silently stops.
    pub half_open_per_10k: u64,
}

impl Faults {
    pub fn calm() -> Self {
        Self {
            latency_ms: 0,
            jitter_ms: 0,
            drop_per_10k: 0,
            truncate_per_10k: 0,
            half_open_per_10k: 0,
        }
    }
}

/// What the proxy did, for the test's report.
#[derive(Debug, Default)]
pub struct FaultCounts {
    pub connections: AtomicU64,
    pub dropped: AtomicU64,
    pub truncated: AtomicU64,
    pub half_open: AtomicU64,
    pub refused_in_partition: AtomicU64,
}

#[derive(Debug)]
struct Shared {
    upstream: SocketAddr,
    faults: Mutex<Faults>,
    partitioned: AtomicBool,
    /// Bumped to cut every live connection (a partition starting).
    epoch: AtomicU64,
    rng: Mutex<u64>,
    counts: FaultCounts,
}

impl Shared {
    fn roll(&self, per_10k: u64) -> bool {
        per_10k > 0 && self.next() % 10_000 < per_10k
    }

    fn next(&self) -> u64 {
        let mut x = self.rng.lock().unwrap_or_else(|p| p.into_inner());
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        *x
    }

    fn faults(&self) -> Faults {
        self.faults
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// A running proxy; stops accepting when dropped.
#[derive(Debug)]
pub struct ChaosProxy {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for ChaosProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl ChaosProxy {
    /// Listens on a free loopback port and forwards to `upstream`.
    pub async fn start(upstream: SocketAddr, seed: u64) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            upstream,
            faults: Mutex::new(Faults::calm()),
            partitioned: AtomicBool::new(false),
            epoch: AtomicU64::new(0),
            rng: Mutex::new(seed | 1),
            counts: FaultCounts::default(),
        });
        let s = shared.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let s = s.clone();
                tokio::spawn(async move { proxy(client, s).await });
            }
        });
        Ok(Self { addr, shared, task })
    }

    pub fn set_faults(&self, faults: Faults) {
        *self.shared.faults.lock().unwrap_or_else(|p| p.into_inner()) = faults;
    }

    /// Cuts every connection through this proxy and refuses new ones until healed.
    pub fn partition(&self) {
        self.shared.partitioned.store(true, Ordering::SeqCst);
        self.shared.epoch.fetch_add(1, Ordering::SeqCst);
    }

    pub fn heal(&self) {
        self.shared.partitioned.store(false, Ordering::SeqCst);
    }

    pub fn counts(&self) -> &FaultCounts {
        &self.shared.counts
    }
}

async fn proxy(client: TcpStream, s: Arc<Shared>) {
    if s.partitioned.load(Ordering::SeqCst) {
        s.counts
            .refused_in_partition
            .fetch_add(1, Ordering::Relaxed);
        return;
    }
    let Ok(upstream) = TcpStream::connect(s.upstream).await else {
        return;
    };
    s.counts.connections.fetch_add(1, Ordering::Relaxed);
    let _ = client.set_nodelay(true);
    let _ = upstream.set_nodelay(true);
    let epoch = s.epoch.load(Ordering::SeqCst);
    let half_open = s.roll(s.faults().half_open_per_10k);
    if half_open {
        s.counts.half_open.fetch_add(1, Ordering::Relaxed);
    }
    let (cr, cw) = client.into_split();
    let (ur, uw) = upstream.into_split();
    // A half-open connection stops delivering the relay's bytes but stays open.
    let up = pump(cr, uw, s.clone(), epoch, false);
    let down = pump(ur, cw, s.clone(), epoch, half_open);
    tokio::select! {
        _ = up => {},
        _ = down => {},
    }
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    s: Arc<Shared>,
    epoch: u64,
    black_hole: bool,
) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = tokio::select! {
            r = from.read(&mut buf) => match r {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            },
            _ = tokio::time::sleep(Duration::from_millis(50)) => {
                if s.epoch.load(Ordering::SeqCst) != epoch {
                    return;
                }
                continue;
            }
        };
        if s.epoch.load(Ordering::SeqCst) != epoch {
            return;
        }
        if black_hole {
            continue;
        }
        let f = s.faults();
        let delay = f.latency_ms
            + if f.jitter_ms > 0 {
                s.next() % f.jitter_ms
            } else {
                0
            };
        if delay > 0 {
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }
        if s.roll(f.drop_per_10k) {
            s.counts.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        if s.roll(f.truncate_per_10k) && n > 1 {
            s.counts.truncated.fetch_add(1, Ordering::Relaxed);
            let cut = 1 + (s.next() as usize) % (n - 1);
            let _ = to.write_all(&buf[..cut]).await;
            return;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}
