//! Counters and histograms, rendered in the Prometheus text format at `/metrics`.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Latency bucket bounds in seconds.
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
];

#[derive(Debug, Default)]
struct Histogram {
    counts: [AtomicU64; 11],
    sum_micros: AtomicU64,
}

impl Histogram {
    fn observe(&self, d: Duration) {
        let secs = d.as_secs_f64();
        let i = BUCKETS
            .iter()
            .position(|b| secs <= *b)
            .unwrap_or(BUCKETS.len());
        self.counts[i].fetch_add(1, Ordering::Relaxed);
        self.sum_micros
            .fetch_add(d.as_micros() as u64, Ordering::Relaxed);
    }

    fn render(&self, name: &str, out: &mut String) {
        use std::fmt::Write;
        let _ = writeln!(out, "# TYPE {name} histogram");
        let mut cumulative = 0;
        for (i, bound) in BUCKETS.iter().enumerate() {
            cumulative += self.counts[i].load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {cumulative}");
        }
        cumulative += self.counts[BUCKETS.len()].load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {cumulative}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "{name}_sum {sum}");
        let _ = writeln!(out, "{name}_count {cumulative}");
    }
}

/// The relay's metrics.
#[derive(Debug, Default)]
pub struct Metrics {
    connections: AtomicU64,
    documents: AtomicU64,
    messages_in: AtomicU64,
    bytes_in: AtomicU64,
    messages_out: AtomicU64,
    bytes_out: AtomicU64,
    sync: Histogram,
    storage: Histogram,
    batch: Histogram,
    batches: AtomicU64,
    rejected: Mutex<BTreeMap<&'static str, u64>>,
}

impl Metrics {
    /// Connections open now.
    pub fn connections(&self) -> u64 {
        self.connections.load(Ordering::Relaxed)
    }

    /// Documents in memory now, over every engine thread.
    pub fn documents(&self) -> u64 {
        self.documents.load(Ordering::Relaxed)
    }

    pub fn connection_opened(&self) {
        self.connections.fetch_add(1, Ordering::Relaxed);
    }

    pub fn connection_closed(&self) {
        self.connections.fetch_sub(1, Ordering::Relaxed);
    }

    /// One engine thread's documents in memory went from `before` to `now`.
    pub fn move_documents(&self, before: usize, now: usize) {
        if now >= before {
            self.documents
                .fetch_add((now - before) as u64, Ordering::Relaxed);
        } else {
            self.documents
                .fetch_sub((before - now) as u64, Ordering::Relaxed);
        }
    }

    pub fn add_in(&self, bytes: usize) {
        self.messages_in.fetch_add(1, Ordering::Relaxed);
        self.bytes_in.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    pub fn add_out(&self, bytes: usize) {
        self.messages_out.fetch_add(1, Ordering::Relaxed);
        self.bytes_out.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    pub fn observe_sync(&self, d: Duration) {
        self.sync.observe(d);
    }

    /// One batch of inputs: applied, flushed, committed, handed to connections.
    pub fn observe_batch(&self, d: Duration) {
        self.batches.fetch_add(1, Ordering::Relaxed);
        self.batch.observe(d);
    }

    pub fn observe_storage(&self, d: Duration) {
        self.storage.observe(d);
    }

    /// Counts a refused input by a low-cardinality reason.
    pub fn reject(&self, reason: &'static str) {
        if let Ok(mut m) = self.rejected.lock() {
            *m.entry(reason).or_default() += 1;
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let gauge = |out: &mut String, name: &str, v: &AtomicU64| {
            let _ = writeln!(
                out,
                "# TYPE {name} gauge\n{name} {}",
                v.load(Ordering::Relaxed)
            );
        };
        let counter = |out: &mut String, name: &str, v: &AtomicU64| {
            let _ = writeln!(
                out,
                "# TYPE {name} counter\n{name} {}",
                v.load(Ordering::Relaxed)
            );
        };
        gauge(&mut out, "storeops_relay_connections", &self.connections);
        gauge(&mut out, "storeops_relay_documents_loaded", &self.documents);
        counter(
            &mut out,
            "storeops_relay_messages_in_total",
            &self.messages_in,
        );
        counter(&mut out, "storeops_relay_bytes_in_total", &self.bytes_in);
        counter(
            &mut out,
            "storeops_relay_messages_out_total",
            &self.messages_out,
        );
        counter(&mut out, "storeops_relay_bytes_out_total", &self.bytes_out);
        self.sync.render("storeops_relay_sync_seconds", &mut out);
        self.storage
            .render("storeops_relay_storage_seconds", &mut out);
        self.batch.render("storeops_relay_batch_seconds", &mut out);
        let _ = writeln!(out, "# TYPE storeops_relay_rejected_total counter");
        if let Ok(m) = self.rejected.lock() {
            for (reason, n) in m.iter() {
                let _ = writeln!(
                    out,
                    "storeops_relay_rejected_total{{reason=\"{reason}\"}} {n}"
                );
            }
        }
        out
    }
}
