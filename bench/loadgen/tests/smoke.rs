//! The load generator against our relay, in-process: 2 stores × 3 devices
//! through every phase in a few seconds, with an attacker in the first store.
//! Checks that the workload does what it says (everything syncs, edits become
//! visible, reconnects and joins finish, the attacker's forged writes are
//! refused while the honest devices see no error), not how fast: timings belong
//! in `docs/benchmarks.md`, not in tests.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::time::Duration;

use storeops_loadgen::setup;
use storeops_loadgen::workload::{self, Saturation, Target, Workload};
use storeops_relay::{Settings, serve};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_stores_of_three_devices_sync_edit_reconnect_and_join_through_our_relay() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("relay");
    let d = data.clone();
    let stores = tokio::task::spawn_blocking(move || setup::ours(&d, 2, 5))
        .await
        .unwrap()
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let settings = Settings {
        listen: addr,
        data_dir: data,
        max_messages_per_second: 1_000_000,
        max_device_messages_per_second: 1_000_000,
        ..Settings::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let relay = tokio::spawn(serve(settings, listener, async move {
        let _ = stopped.await;
    }));

    // Each device opens every document of its store: the root, org and tasks,
    // and the periods the relay opens with the store.
    let documents: u64 = stores.iter().map(|s| s.docs.len() as u64).sum();
    assert!(documents > 2 * 3, "{documents} documents");
    let target = Target::one(
        format!("ws://{addr}/sync"),
        stores,
        Some(std::process::id()),
    );
    let w = Workload {
        devices_per_store: 3,
        joins_per_store: 1,
        steady: Duration::from_secs(2),
        edit_rate: 5.0,
        reconnect_every: Some(Duration::from_millis(700)),
        saturate: Saturation::Edits(30),
        connect_concurrency: 4,
        connect_timeout: Duration::from_secs(60),
        attack: Some(workload::Attack::Forged),
    };
    let r = workload::run(target, w).await.unwrap();

    assert_eq!(r.errors, 0, "first error: {:?}", r.first_error);
    assert!(r.attack_refused > 0, "the attacker's writes were refused");
    assert_eq!(r.devices, 8);
    assert_eq!(
        r.docs_synced,
        3 * documents,
        "every device got every document"
    );
    assert!(r.steady_edits > 0);
    assert!(r.steady_latency.count > 0, "edits became visible elsewhere");
    assert!(r.steady_latency.p50 <= r.steady_latency.p99);
    assert!(r.reconnects > 0 && r.reconnect_time.count > 0);
    assert_eq!(r.join_time.count, 2, "one device joined each store");
    assert!(
        r.saturate_edits >= 30,
        "the relay acknowledged the edits asked for"
    );
    assert!(r.rss_peak_kib.unwrap_or(0) > 0);

    let _ = stop.send(());
    relay.await.unwrap().unwrap();
}

/// Each of the other attacks, against a relay with the product's own limits:
/// the honest devices of both stores see no error and their edits become
/// visible, and the relay turns the attacker away (429s, refused connections)
/// or holds it to its device's rate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_each_flood_the_honest_devices_go_on() {
    for attack in [
        workload::Attack::Enrol,
        workload::Attack::Connections,
        workload::Attack::Messages,
    ] {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("relay");
        let d = data.clone();
        let stores = tokio::task::spawn_blocking(move || setup::ours(&d, 2, 4))
            .await
            .unwrap()
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let settings = Settings {
            listen: addr,
            data_dir: data,
            ..Settings::default()
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let relay = tokio::spawn(serve(settings, listener, async move {
            let _ = stopped.await;
        }));
        let target = Target::one(
            format!("ws://{addr}/sync"),
            stores,
            Some(std::process::id()),
        );
        let w = Workload {
            devices_per_store: 3,
            joins_per_store: 0,
            steady: Duration::from_secs(2),
            edit_rate: 2.0,
            reconnect_every: None,
            saturate: Saturation::Edits(20),
            connect_concurrency: 4,
            connect_timeout: Duration::from_secs(60),
            attack: Some(attack),
        };
        let r = workload::run(target, w).await.unwrap();
        let what = attack.as_str();
        assert_eq!(r.errors, 0, "{what}: first error: {:?}", r.first_error);
        assert!(r.steady_latency.count > 0, "{what}: edits became visible");
        assert!(r.attack_attempts > 0, "{what}: the attacker attacked");
        if attack != workload::Attack::Messages {
            assert!(r.attack_refused > 0, "{what}: the relay turned it away");
        }
        let _ = stop.send(());
        relay.await.unwrap().unwrap();
    }
}

/// The floor run: every device ends with every edit, alone or in rounds.
#[test]
fn the_floor_run_brings_every_edit_to_every_device() {
    for batch in [1, 3] {
        let f = storeops_loadgen::floor::floor(3, 30, batch).unwrap();
        assert_eq!((f.peers, f.edits, f.batch), (3, 30, batch));
        assert!(f.per_edit() > Duration::ZERO);
    }
}
