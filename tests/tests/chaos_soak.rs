//! Many devices editing and reassigning through misbehaving networks (latency,
//! jitter, drops, truncation, half-open connections, partitions of whole groups):
//! afterwards every replica of a store is identical and the domain's invariants
//! hold. `STOREOPS_SOAK_SECONDS` sets the length (default 20; by hand, e.g. 600);
//! `STOREOPS_SOAK_SEED` replays a run.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use storeops_api::command::{
    AddChecklistItem, AddComment, AddTask, Enrol, GetStaffing, GetTaskDetail, ListTasks,
    ReassignTask, SetChecklistItem, SetTaskStatus,
};
use storeops_api::{ApiError, ErrorCode, Handles, TaskStatus};
use storeops_client::{Device, sync_loop};
use storeops_e2e::chaos::{ChaosProxy, Faults};
use storeops_e2e::{RelayProcess, artifacts, free_port, relay_cli};

const STORES: usize = 2;
const DEVICES_PER_STORE: usize = 6;
const GROUPS: usize = 3;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn wait(what: &str, within: Duration, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// One random user action; domain refusals (an illegal transition, say) are fine.
fn act(device: &Device, rng: &mut Rng, n: usize) -> Result<(), ApiError> {
    let tasks = device.handle(ListTasks {})?;
    let pick = |rng: &mut Rng| tasks.get(rng.below(tasks.len())).map(|t| t.id.clone());
    let result = match rng.below(6) {
        0 => device
            .handle(AddTask::titled(format!("soak task {n}")))
            .map(|_| ()),
        1 => match pick(rng) {
            Some(task_id) => {
                let status = [
                    TaskStatus::Todo,
                    TaskStatus::InProgress,
                    TaskStatus::Blocked,
                    TaskStatus::Done,
                ][rng.below(4)];
                device.handle(SetTaskStatus { task_id, status }).map(|_| ())
            }
            None => Ok(()),
        },
        2 => {
            let staffing = device.handle(GetStaffing {})?;
            match (
                pick(rng),
                staffing.positions.get(rng.below(staffing.positions.len())),
            ) {
                (Some(task_id), Some(p)) => device
                    .handle(ReassignTask {
                        task_id,
                        assignee: Some(format!("position:{}", p.id)),
                    })
                    .map(|_| ()),
                _ => Ok(()),
            }
        }
        3 => match pick(rng) {
            Some(task_id) => device
                .handle(AddComment {
                    task_id,
                    text: format!("note {n}"),
                })
                .map(|_| ()),
            None => Ok(()),
        },
        4 => match pick(rng) {
            Some(task_id) => device
                .handle(AddChecklistItem {
                    task_id,
                    text: format!("step {n}"),
                })
                .map(|_| ()),
            None => Ok(()),
        },
        _ => match pick(rng) {
            Some(task_id) => {
                let detail = device.handle(GetTaskDetail {
                    task_id: task_id.clone(),
                })?;
                match detail.checklist.get(rng.below(detail.checklist.len())) {
                    Some(item) => device
                        .handle(SetChecklistItem {
                            task_id,
                            item_id: item.id.clone(),
                            done: !item.done,
                        })
                        .map(|_| ()),
                    None => Ok(()),
                }
            }
            None => Ok(()),
        },
    };
    match result {
        Err(e) if is_domain_refusal(e.code) => Ok(()),
        other => other,
    }
}

/// The codes a domain refusal (`ClientError::Domain`) reaches the UI with.
fn is_domain_refusal(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::Forbidden
            | ErrorCode::NotFound
            | ErrorCode::IllegalTransition
            | ErrorCode::Invalid
    )
}

#[test]
fn devices_behind_a_chaotic_network_converge_and_keep_every_invariant() {
    let seconds: u64 = std::env::var("STOREOPS_SOAK_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let seed: u64 = std::env::var("STOREOPS_SOAK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0xC4A05);
    let dir = tempfile::tempdir().unwrap();
    let out = artifacts("chaos_soak");
    let relay_dir = dir.path().join("relay");
    let stores: Vec<String> = (0..STORES)
        .map(|s| {
            relay_cli(
                &relay_dir,
                &[
                    "store",
                    "create",
                    "--name",
                    &format!("Soak {s}"),
                    "--template",
                    "plan2",
                    "--locale",
                    "en",
                    "--demo-people",
                    "yes",
                ],
            )
            .unwrap()
        })
        .collect();
    let relay =
        RelayProcess::start(&relay_dir, free_port().unwrap(), &out.join("relay.log")).unwrap();
    let upstream: SocketAddr = format!("127.0.0.1:{}", relay.port).parse().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let proxies: Vec<ChaosProxy> = (0..GROUPS)
        .map(|g| {
            rt.block_on(ChaosProxy::start(upstream, seed + g as u64))
                .unwrap()
        })
        .collect();

    let mut devices = Vec::new();
    for (s, store) in stores.iter().enumerate() {
        for d in 0..DEVICES_PER_STORE {
            let group = (s * DEVICES_PER_STORE + d) % GROUPS;
            let code = relay_cli(
                &relay_dir,
                &["invite", "create", "--store", store, "--role", "manager"],
            )
            .unwrap();
            let device = Device::open(&dir.path().join(format!("device-{s}-{d}"))).unwrap();
            let url = format!("http://{}", proxies[group].addr);
            device
                .handle(Enrol {
                    relay_url: url,
                    code,
                    device_name: format!("device {s}/{d}"),
                })
                .unwrap();
            rt.spawn(sync_loop(device.clone()));
            devices.push((s, device));
        }
    }
    for (_, d) in &devices {
        wait(
            "every device to receive its store",
            Duration::from_secs(60),
            || {
                d.handle(ListTasks {})
                    .map(|t| !t.is_empty())
                    .unwrap_or(false)
            },
        );
    }

    for p in &proxies {
        p.set_faults(Faults {
            latency_ms: 5,
            jitter_ms: 25,
            drop_per_10k: 30,
            truncate_per_10k: 15,
            half_open_per_10k: 500,
        });
    }
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = devices
        .iter()
        .enumerate()
        .map(|(i, (_, device))| {
            let (device, stop) = (device.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut rng = Rng(seed.wrapping_mul(31).wrapping_add(i as u64) | 1);
                let mut n = 0;
                let mut actions = 0;
                while !stop.load(Ordering::Relaxed) {
                    act(&device, &mut rng, n).unwrap();
                    n += 1;
                    actions += 1;
                    std::thread::sleep(Duration::from_millis(50 + rng.next() % 150));
                }
                actions
            })
        })
        .collect();
    let mut rng = Rng(seed | 1);
    let started = Instant::now();
    let mut partitions = 0;
    while started.elapsed() < Duration::from_secs(seconds) {
        std::thread::sleep(Duration::from_millis(1000 + rng.next() % 2000));
        let g = rng.below(GROUPS);
        proxies[g].partition();
        partitions += 1;
        std::thread::sleep(Duration::from_millis(500 + rng.next() % 1500));
        proxies[g].heal();
    }
    stop.store(true, Ordering::Relaxed);
    let actions: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();

    // The network calms down; everyone catches up.
    for p in &proxies {
        p.set_faults(Faults::calm());
        p.heal();
    }
    for (_, d) in &devices {
        d.sync_now();
    }
    for (_, d) in &devices {
        wait(
            "every device's changes to be confirmed",
            Duration::from_secs(120),
            || d.app_status().sync.pending_changes == 0,
        );
    }
    for s in 0..STORES {
        let in_store: Vec<&Device> = devices
            .iter()
            .filter(|(st, _)| *st == s)
            .map(|(_, d)| d)
            .collect();
        wait(
            "the store's replicas to converge",
            Duration::from_secs(120),
            || {
                let heads: BTreeSet<_> = in_store
                    .iter()
                    .map(|d| storeops_e2e::task_heads(d))
                    .collect();
                heads.len() == 1
            },
        );
        // Identical state, and every invariant holds on it.
        let first = in_store[0].handle(ListTasks {}).unwrap();
        for d in &in_store[1..] {
            assert_eq!(
                d.handle(ListTasks {}).unwrap(),
                first,
                "store {s}: replicas differ"
            );
        }
        let staffing = in_store[0].handle(GetStaffing {}).unwrap();
        let owners: BTreeSet<String> = staffing
            .positions
            .iter()
            .map(|p| format!("position:{}", p.id))
            .chain(staffing.people.iter().map(|p| format!("person:{}", p.id)))
            .collect();
        for t in &first {
            if let Some(owner) = &t.assignee_id {
                assert!(
                    owners.contains(owner) || owner.starts_with("department:"),
                    "store {s}: task {} assigned to a missing {owner}",
                    t.id
                );
            }
            let detail = in_store[0]
                .handle(GetTaskDetail {
                    task_id: t.id.clone(),
                })
                .unwrap();
            let ids: BTreeSet<&String> = detail.checklist.iter().map(|c| &c.id).collect();
            assert_eq!(
                ids.len(),
                detail.checklist.len(),
                "duplicate checklist items in {}",
                t.id
            );
        }
    }
    let c = |f: fn(&storeops_e2e::chaos::FaultCounts) -> &std::sync::atomic::AtomicU64| {
        proxies
            .iter()
            .map(|p| f(p.counts()).load(Ordering::Relaxed))
            .sum::<u64>()
    };
    std::fs::write(
        out.join("summary.txt"),
        format!(
            "seed: {seed}\nseconds: {seconds}\ndevices: {}\nactions: {actions}\npartitions: {partitions}\n\
             connections: {}\ndropped: {}\ntruncated: {}\nhalf_open: {}\nrefused_in_partition: {}\ndiverged: 0\n",
            devices.len(),
            c(|f| &f.connections),
            c(|f| &f.dropped),
            c(|f| &f.truncated),
            c(|f| &f.half_open),
            c(|f| &f.refused_in_partition),
        ),
    )
    .unwrap();
    drop(relay);
}
