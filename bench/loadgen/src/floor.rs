//! The floor automerge itself sets under the relay's CPU per edit: the same task
//! edits the load generator's devices make (a status change, with who and when),
//! into one bench store's tasks document, with `peers` devices of the store
//! syncing through one in-process "relay" copy. Only automerge's own work on the
//! relay's side is timed, per edit: receiving the editor's sync message (applying
//! the change), saving what came after the last save (what storage appends), and for every
//! device generating a sync message and receiving its answer until both are
//! quiet. No network, no WebSocket framing, no protocol envelope, no write
//! validation, no database: what any relay built on automerge must spend at least.

use std::time::{Duration, Instant};

use anyhow::Context;
use automerge::sync::{self, SyncDoc};
use automerge::transaction::{CommitOptions, Transactable};
use automerge::{Automerge, ROOT, ReadDoc, ScalarValue};

use crate::device::next_status;
use crate::setup;

/// One device and the sync states between it and the relay's copy.
struct Link {
    at_relay: sync::State,
    device: Automerge,
    at_device: sync::State,
}

/// What [`floor`] measured, per edit.
#[derive(Debug, Clone, Copy)]
pub struct Floor {
    pub peers: usize,
    pub edits: usize,
    pub batch: usize,
    /// The editor's exchange: its change received and applied, and acknowledged.
    pub apply: Duration,
    /// Saving the change incrementally.
    pub save: Duration,
    /// Sync messages for every device, and their answers received.
    pub fan_out: Duration,
}

impl Floor {
    pub fn per_edit(&self) -> Duration {
        self.apply + self.save + self.fan_out
    }
}

/// The next status of a task on `doc`, as a device changes it.
fn edit(doc: &mut Automerge, task: &str, who: &str, now_ms: i64) -> anyhow::Result<()> {
    let (_, tasks) = doc.get(ROOT, "tasks")?.context("a tasks map")?;
    let (_, obj) = doc.get(&tasks, task)?.context("the task")?;
    let status = next_status(doc, &obj);
    let done = status == "done";
    let mut tx = doc.transaction();
    tx.put(&obj, "status", status)?;
    tx.put(
        &obj,
        "completed_at",
        if done {
            ScalarValue::Int(now_ms)
        } else {
            ScalarValue::Null
        },
    )?;
    tx.put(
        &obj,
        "completed_by",
        if done {
            ScalarValue::Str(who.into())
        } else {
            ScalarValue::Null
        },
    )?;
    tx.commit_with(
        CommitOptions::default()
            .with_message(format!("{who} set \"{task}\" to {status}"))
            .with_time(now_ms),
    );
    Ok(())
}

/// Syncs the relay's copy with a device until both are quiet; returns the time
/// the relay's side took.
fn settle(relay: &mut Automerge, link: &mut Link) -> anyhow::Result<Duration> {
    let Link {
        at_relay,
        device,
        at_device,
    } = link;
    let mut spent = Duration::ZERO;
    for _ in 0..8 {
        // The relay's side (timed): a message for the device, encoded for the wire.
        let t = Instant::now();
        let out = relay
            .generate_sync_message(at_relay)
            .map(sync::Message::encode);
        spent += t.elapsed();
        // The device's side (not timed).
        if let Some(bytes) = &out {
            device.receive_sync_message(at_device, sync::Message::decode(bytes)?)?;
        }
        let back = device
            .generate_sync_message(at_device)
            .map(sync::Message::encode);
        match back {
            // The relay's side again: the answer decoded and received.
            Some(bytes) => {
                let t = Instant::now();
                relay.receive_sync_message(at_relay, sync::Message::decode(&bytes)?)?;
                spent += t.elapsed();
            }
            None if out.is_none() => break,
            None => {}
        }
    }
    Ok(spent)
}

/// The editing device speaks first (its change), then as [`settle`].
fn settle_from_device(relay: &mut Automerge, link: &mut Link) -> anyhow::Result<Duration> {
    let mut spent = Duration::ZERO;
    if let Some(bytes) = link
        .device
        .generate_sync_message(&mut link.at_device)
        .map(sync::Message::encode)
    {
        let t = Instant::now();
        relay.receive_sync_message(&mut link.at_relay, sync::Message::decode(&bytes)?)?;
        spent += t.elapsed();
    }
    Ok(spent + settle(relay, link)?)
}

/// `edits` edits, made in turn by `peers` devices of one bench store, `batch`
/// at a time between the relay's saves and sync rounds.
pub fn floor(peers: usize, edits: usize, batch: usize) -> anyhow::Result<Floor> {
    anyhow::ensure!(
        peers >= 1 && edits >= 1 && batch >= 1,
        "at least one device, one edit and one edit per round"
    );
    let store = setup::seeded(1)?.remove(0);
    let seed = store.seed.context("the bench store's documents")?;
    let mut relay = seed[store.edit_doc].clone();
    let task_keys: Vec<String> = {
        let (_, tasks) = relay.get(ROOT, "tasks")?.context("a tasks map")?;
        relay.keys(&tasks).collect()
    };
    anyhow::ensure!(!task_keys.is_empty(), "the bench store has tasks");
    let mut links: Vec<Link> = (0..peers)
        .map(|_| Link {
            at_relay: sync::State::new(),
            device: relay.fork(),
            at_device: sync::State::new(),
        })
        .collect();
    for link in &mut links {
        settle(&mut relay, link)?;
    }
    // What the relay stored last: it appends the changes after it, as the engine does.
    let mut saved = relay.get_heads();
    let (mut apply, mut save, mut fan_out) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let start_ms = 1_800_000_000_000;
    for round in 0..edits.div_ceil(batch) {
        // `batch` devices edit, one after the other, before the relay stores and
        // passes on what they sent (as it does when edits arrive together).
        for k in round * batch..((round + 1) * batch).min(edits) {
            let e = k % peers;
            let task = &task_keys[(k * 7919) % task_keys.len()];
            let who = format!("bench-0-{e}");
            edit(&mut links[e].device, task, &who, start_ms + k as i64)?;
            // The editor's exchange with the relay until both are quiet: the
            // change applied, and acknowledged.
            apply += settle_from_device(&mut relay, &mut links[e])?;
        }
        let t = Instant::now();
        let chunk = relay.save_after(&saved);
        saved = relay.get_heads();
        save += t.elapsed();
        anyhow::ensure!(!chunk.is_empty(), "round {round} reached the relay");
        for link in &mut links {
            fan_out += settle(&mut relay, link)?;
        }
    }
    let heads = relay.get_heads();
    anyhow::ensure!(
        links.iter().all(|l| l.device.get_heads() == heads),
        "every device has every edit"
    );
    let n = edits as u32;
    Ok(Floor {
        peers,
        edits,
        batch,
        apply: apply / n,
        save: save / n,
        fan_out: fan_out / n,
    })
}
