//! automerge's two sync steps — receive a sync message, generate the next —
//! without the work on the whole document that automerge does on every message.
//!
//! A relay passes each change on to every other peer of a document. automerge's
//! [`SyncDoc::receive_sync_message`] walks the whole change graph on every
//! message, and [`SyncDoc::generate_sync_message`] rebuilds every change it sends
//! from the document's operations, scanning them, once per peer. Both steps here
//! take a shortcut in the common case and leave everything else to automerge;
//! randomized tests check them against automerge message for message.

use std::collections::{HashMap, HashSet};

use automerge::sync::{self, BloomFilter, Have, MessageFlags, MessageVersion, SyncDoc};
use automerge::{Automerge, Change, ChangeHash, ChangeMetadata};

/// [`SyncDoc::receive_sync_message`] without its walk of the whole history.
///
/// automerge's own receive trims the hashes we sent the peer to those it has
/// not seen by walking the change graph back from the peer's heads to the
/// first change — on every message, in time proportional to the document's
/// history; at saturation that walk was most of the relay's CPU. Here, when we
/// know every head the peer names (the common case), the trimming is done
/// without it: when the peer's heads are our heads (after applying its
/// changes) or the heads of our last message to it, every change we ever sent
/// it is under them (a document only grows, and each message we send carries
/// only changes under our heads of that moment, which `last_sent_heads`
/// records), so nothing is left; otherwise what is left is found from
/// automerge's per-actor clocks (`get_changes_meta`), which are cached. Every
/// other field is set as automerge sets it; `receive_matches_automerge` checks
/// the two agree on thousands of random messages.
///
/// When the peer names a head we do not know, automerge receives the message
/// after we applied its changes (applying them again is a no-op), and the one
/// field that depends on the heads before them, `shared_heads`, is completed
/// with the heads they added.
pub fn receive_sync_message(
    am: &mut Automerge,
    state: &mut sync::State,
    msg: sync::Message,
) -> Result<(), automerge::AutomergeError> {
    if msg.heads.is_empty() || state.read_only {
        return am.receive_sync_message(state, msg);
    }
    let before = am.get_heads();
    if !msg.changes.is_empty() {
        let bytes: Vec<u8> = msg.changes.iter().flatten().copied().collect();
        am.load_incremental(&bytes)?;
    }
    let after = am.get_heads();
    // Every change we sent the peer is under these heads (see above).
    let covers_sent = msg.heads == after || msg.heads == state.last_sent_heads;
    let all_known = covers_sent
        || msg
            .heads
            .iter()
            .all(|h| am.get_change_meta_by_hash(h).is_some());
    if !all_known {
        let added: Vec<ChangeHash> = after
            .iter()
            .filter(|h| !before.contains(h))
            .copied()
            .collect();
        let heads = msg.heads.clone();
        am.receive_sync_message(state, msg)?;
        // automerge's `shared_heads` when some of the peer's heads are unknown:
        // the shared heads still among ours, the peer's heads we know, and the
        // heads its changes added — which it cannot see any more.
        if !added.is_empty() && state.shared_heads != heads {
            state.shared_heads.extend(added);
            state.shared_heads.sort();
            state.shared_heads.dedup();
        }
        return Ok(());
    }
    let sync::Message {
        heads,
        changes,
        need,
        have,
        flags,
        ..
    } = msg;
    state.in_flight = false;
    if let Some(flags) = flags {
        let mut caps = vec![sync::Capability::MessageV2];
        if flags.contains(sync::MessageFlags::SUPPORTS_SYNC_RESET) {
            caps.push(sync::Capability::SyncReset);
        }
        state.their_capabilities = Some(caps);
        state.peer_read_only = flags.contains(sync::MessageFlags::READ_ONLY);
        if flags.contains(sync::MessageFlags::SYNC_RESET) {
            state.sent_hashes.clear();
        }
    }
    if covers_sent {
        state.sent_hashes.clear();
    } else if !state.sent_hashes.is_empty() {
        // Keep what the peer has not seen: the changes not under its heads,
        // found from per-actor clocks rather than a walk of the whole graph.
        let unseen: HashSet<ChangeHash> = am
            .get_changes_meta(&heads)
            .into_iter()
            .map(|m| m.hash)
            .collect();
        state.sent_hashes.retain(|h| unseen.contains(h));
    }
    if changes.is_empty() && heads == before {
        state.last_sent_heads.clone_from(&heads);
    }
    state.shared_heads.clone_from(&heads);
    state.their_have = Some(have);
    state.their_heads = Some(heads);
    state.their_need = Some(need);
    Ok(())
}

/// What a document keeps so that the messages it sends need not be rebuilt from
/// it: the changes that arrived lately, and its last whole save. After a flush
/// that changed the document, [`SendCache::flushed`] ages the one and drops the
/// other.
#[derive(Debug, Default)]
pub struct SendCache {
    recent: RecentChanges,
    whole: WholeDocument,
}

impl SendCache {
    /// Keeps the changes a peer sent, to pass them on to the others.
    pub fn add(&mut self, chunks: &sync::ChunkList) {
        self.recent.add(chunks);
    }

    /// The document changed in the flush just done.
    pub fn flushed(&mut self) {
        self.recent.rotate();
        self.whole.changed();
    }

    /// Drops everything kept (the document sits idle): the next message
    /// rebuilds what it needs from the document.
    pub fn settle(&mut self) {
        *self = Self::default();
    }
}

/// Changes that arrived lately, as bytes, so that messages passing them on need
/// not rebuild them from the document. Two generations: the changes since the
/// last [`RecentChanges::rotate`] and those of the rotation before.
#[derive(Debug, Default)]
pub struct RecentChanges {
    current: HashMap<ChangeHash, Vec<u8>>,
    previous: HashMap<ChangeHash, Vec<u8>>,
}

impl RecentChanges {
    /// Keeps the changes in a sync message's chunks (each a change, or several
    /// changes one after another). Anything that is not a change is skipped.
    pub fn add(&mut self, chunks: &sync::ChunkList) {
        for chunk in chunks.iter() {
            for one in crate::chunks::split(chunk).map_while(Result::ok) {
                if let Ok(change) = Change::from_bytes(one.to_vec()) {
                    self.current
                        .insert(change.hash(), change.raw_bytes().to_vec());
                }
            }
        }
    }

    /// Starts a new generation; the oldest is forgotten.
    pub fn rotate(&mut self) {
        if !self.current.is_empty() || !self.previous.is_empty() {
            self.previous = std::mem::take(&mut self.current);
        }
    }

    fn get(&self, hash: &ChangeHash) -> Option<&[u8]> {
        self.current
            .get(hash)
            .or_else(|| self.previous.get(hash))
            .map(Vec::as_slice)
    }
}

/// [`SyncDoc::generate_sync_message`], taking what it sends from `cache`
/// instead of rebuilding it from the document.
///
/// The shortcut is taken when we know every head the peer named (so we need
/// nothing from it), its last sync is known to us (no reset), neither side is
/// read-only, and what automerge would send is in the cache: every change it
/// would send one by one, or the whole document (saved into the cache once per
/// heads). The message and the state then come out as automerge makes them,
/// but for the order of changes inside a message and a small whole document
/// sent uncompressed ([`save_whole`]); `generate_matches_automerge` checks
/// that. Otherwise automerge generates the message. Two deliberate
/// differences: an empty document is never sent whole (automerge sends it,
/// and two empty peers then answer each other for ever); and a peer that
/// lacks fewer than [`WHOLE_DOCUMENT_FROM`] changes gets those changes, where
/// automerge sends the whole document once they are more than a third of it.
pub fn generate_sync_message(
    am: &Automerge,
    state: &mut sync::State,
    cache: &mut SendCache,
) -> Option<sync::Message> {
    let Some(Plan {
        heads,
        have,
        hashes,
        changes,
        version,
    }) = plan(am, state, cache)
    else {
        return generate_by_automerge(am, state);
    };
    let heads_unchanged = state.last_sent_heads == heads;
    let heads_equal = state.their_heads.as_ref() == Some(&heads);
    if heads_unchanged
        && state.have_responded
        && ((heads_equal && hashes.is_empty()) || state.in_flight)
    {
        return None;
    }
    state.have_responded = true;
    state.last_sent_heads.clone_from(&heads);
    state.sent_hashes.extend(hashes);
    state.in_flight = true;
    let mut flags = MessageFlags::new();
    flags.set(MessageFlags::SUPPORTS_SYNC_RESET);
    Some(sync::Message {
        heads,
        need: Vec::new(),
        have,
        changes: changes.into(),
        flags: Some(flags),
        version,
    })
}

/// A peer that lacks fewer changes than this gets them as changes, even when
/// they are more than a third of the document (automerge then sends it
/// whole). A small document's changes and its whole save are about the same
/// size, but a device applies a few changes far more cheaply than it loads a
/// document and sorts out what it already has: in the first edits on new
/// stores, when ten devices edit at once, whole documents went out to every
/// device (100 stores × 10 devices, the first 1,000 edits: 0.95 → 0.60 s of
/// relay CPU and 1.47 → 0.95 s of the devices').
pub const WHOLE_DOCUMENT_FROM: usize = 32;

/// automerge's message, but for a peer that has something and lacks fewer
/// than [`WHOLE_DOCUMENT_FROM`] changes: those changes rather than the whole
/// document (what automerge sends a peer that takes only changes, as v2).
fn generate_by_automerge(am: &Automerge, state: &mut sync::State) -> Option<sync::Message> {
    let has_something = state.their_heads.as_ref().is_some_and(|h| !h.is_empty());
    let before = has_something.then(|| state.clone());
    let message = am.generate_sync_message(state)?;
    if let Some(mut changes_only) = before
        && message.version == MessageVersion::V2
        && carries_document(&message)
    {
        let capabilities = changes_only.their_capabilities.take();
        changes_only.their_capabilities = capabilities.as_ref().map(|c| {
            c.iter()
                .filter(|c| **c != sync::Capability::MessageV2)
                .cloned()
                .collect()
        });
        if let Some(few) = am
            .generate_sync_message(&mut changes_only)
            .filter(|m| m.changes.len() < WHOLE_DOCUMENT_FROM)
        {
            changes_only.their_capabilities = capabilities;
            *state = changes_only;
            let changes: Vec<Vec<u8>> = if few.changes.is_empty() {
                Vec::new()
            } else {
                vec![few.changes.iter().flatten().copied().collect()]
            };
            return Some(sync::Message {
                changes: changes.into(),
                version: MessageVersion::V2,
                ..few
            });
        }
    }
    Some(message)
}

/// Whether a message automerge made carries a whole document.
fn carries_document(m: &sync::Message) -> bool {
    m.changes
        .iter()
        .any(|b| crate::chunks::split(b).any(|c| c.is_ok_and(crate::chunks::is_document)))
}

/// What a shortcut message carries.
struct Plan {
    heads: Vec<ChangeHash>,
    have: Vec<Have>,
    hashes: Vec<ChangeHash>,
    changes: Vec<Vec<u8>>,
    version: MessageVersion,
}

fn plan(am: &Automerge, state: &sync::State, cache: &mut SendCache) -> Option<Plan> {
    let SendCache { recent, whole } = cache;
    if state.read_only || state.needs_reset || state.is_peer_read_only() {
        return None;
    }
    let heads = am.get_heads();
    let known = |h: &ChangeHash| heads.contains(h) || am.get_change_meta_by_hash(h).is_some();
    if let Some(theirs) = &state.their_heads
        && !theirs.iter().all(known)
    {
        return None;
    }
    if let Some(first) = state.their_have.as_ref().and_then(|h| h.first())
        && !first.last_sync.iter().all(known)
    {
        return None;
    }
    let v2 = state
        .their_capabilities
        .as_ref()
        .is_some_and(|c| c.contains(&sync::Capability::MessageV2));
    let answered = state.their_have.is_some() && state.their_need.is_some();
    if answered && v2 && state.their_heads.as_deref() == Some(&[]) && !heads.is_empty() {
        // The peer has nothing: it gets the whole document. (automerge sends an
        // empty one too; two empty peers then send each other empty documents
        // for ever. Here an empty one sends nothing.) A new device has no
        // last sync either, and the bloom filter of every change comes from
        // the hashes kept, not from every change's metadata again.
        let bloom = (!state.shared_heads.is_empty()).then(|| {
            BloomFilter::from_hashes(
                am.get_changes_meta(&state.shared_heads)
                    .iter()
                    .map(|c| c.hash),
            )
        });
        return whole.plan(am, heads, state.shared_heads.clone(), bloom);
    }
    // The changes since our last sync, for our bloom filter — and, as the peer
    // usually says its last sync is that one too, for what it lacks.
    let since_shared = am.get_changes_meta(&state.shared_heads);
    let bloom = || BloomFilter::from_hashes(since_shared.iter().map(|c| c.hash));
    let hashes = match (&state.their_have, &state.their_need) {
        (Some(have), Some(need)) => {
            let hashes: Vec<ChangeHash> =
                hashes_to_send(am, have, need, &state.shared_heads, &since_shared)
                    .into_iter()
                    .filter(|h| !state.sent_hashes.contains(h))
                    .collect();
            // automerge sends the whole document instead when that is more than
            // a third of it (counting all changes only when it may be); we do
            // when that is also many changes.
            if hashes.len() >= WHOLE_DOCUMENT_FROM
                && v2
                && hashes.len() > changes_at_least(am) / 3
                && hashes.len() > whole.hashes(am, &heads).len() / 3
            {
                return whole.plan(am, heads, state.shared_heads.clone(), Some(bloom()));
            }
            hashes
        }
        _ => Vec::new(),
    };
    let mut changes = Vec::with_capacity(hashes.len());
    for h in &hashes {
        changes.push(recent.get(h)?);
    }
    let changes = if v2 {
        if changes.is_empty() {
            Vec::new()
        } else {
            vec![changes.concat()]
        }
    } else {
        changes.into_iter().map(<[u8]>::to_vec).collect()
    };
    Some(Plan {
        heads,
        have: vec![Have {
            last_sync: state.shared_heads.clone(),
            bloom: bloom(),
        }],
        hashes,
        changes,
        version: if v2 {
            MessageVersion::V2
        } else {
            MessageVersion::V1
        },
    })
}

/// Whole documents up to this size are saved uncompressed, to send and to store.
/// automerge compresses every column of a save, and each compression allocates
/// ~380 KiB of state (each decompression on load ~46 KiB): for a small document
/// that saves a few hundred bytes and leaves the relay's memory fragmented.
/// Larger documents are compressed.
pub const COMPRESS_ABOVE: usize = 64 * 1024;

/// A document saved whole: compressed above [`COMPRESS_ABOVE`]. A large one is
/// saved twice (automerge tells no size beforehand); that happens once per heads
/// for sending and once per compaction for storing, and the uncompressed save
/// costs less than the compressed one.
pub fn save_whole(am: &Automerge) -> Vec<u8> {
    let plain = am.save_nocompress();
    if plain.len() > COMPRESS_ABOVE {
        am.save()
    } else {
        plain
    }
}

/// The whole document as automerge sends it to a peer that has nothing (or
/// lacks more than a third of it): saved once, and kept while the heads stay,
/// rather than saved (and compressed) again for every such peer. With it, the
/// hash of every change, which automerge's message names: kept across changes
/// and brought up to date with the changes since (a document only grows), as
/// reading every change's metadata again took the relay's only thread ~20 ms
/// per new device on a document of a few thousand changes.
#[derive(Debug, Default)]
struct WholeDocument {
    /// The document saved at `saved_at`.
    saved: Vec<u8>,
    saved_at: Vec<ChangeHash>,
    /// Every change's hash, in automerge's order, at `hashes_at`.
    hashes: Vec<ChangeHash>,
    hashes_at: Vec<ChangeHash>,
}

impl WholeDocument {
    /// Every change's hash at `heads` (the document's heads).
    fn hashes(&mut self, am: &Automerge, heads: &[ChangeHash]) -> &[ChangeHash] {
        if self.hashes_at != heads {
            // The changes not under the heads of the last update are exactly
            // those added since, in the order automerge added them.
            let added = am.get_changes_meta(&self.hashes_at);
            self.hashes.extend(added.iter().map(|c| c.hash));
            self.hashes_at = heads.to_vec();
        }
        &self.hashes
    }

    /// A message carrying the whole document, as automerge builds it; `bloom`
    /// is our changes since the last sync, `None` for every change.
    fn plan(
        &mut self,
        am: &Automerge,
        heads: Vec<ChangeHash>,
        last_sync: Vec<ChangeHash>,
        bloom: Option<BloomFilter>,
    ) -> Option<Plan> {
        let hashes = self.hashes(am, &heads).to_vec();
        if hashes.is_empty() {
            return None;
        }
        if self.saved.is_empty() || self.saved_at != heads {
            self.saved = save_whole(am);
            self.saved_at.clone_from(&heads);
        }
        let bloom = bloom.unwrap_or_else(|| BloomFilter::from_hashes(hashes.iter()));
        Some(Plan {
            heads,
            have: vec![Have { last_sync, bloom }],
            hashes,
            changes: vec![self.saved.clone()],
            version: MessageVersion::V2,
        })
    }

    /// Forgets the saved copy (the document changed); the hashes are brought
    /// up to date when next asked for.
    fn changed(&mut self) {
        self.saved = Vec::new();
        self.saved_at = Vec::new();
    }
}

/// automerge's choice of changes for a peer that has `have` and needs `need`:
/// what it needs, then every change since the last sync its bloom filters do
/// not show, with everything that depends on those. `since_shared` are the
/// changes since `shared`, used when the last sync is that.
fn hashes_to_send(
    am: &Automerge,
    have: &[Have],
    need: &[ChangeHash],
    shared: &[ChangeHash],
    since_shared: &[ChangeMetadata<'_>],
) -> Vec<ChangeHash> {
    let need = need
        .iter()
        .filter(|h| am.get_change_meta_by_hash(h).is_some())
        .copied();
    if have.is_empty() {
        return need.collect();
    }
    let mut last_sync: Vec<ChangeHash> = have
        .iter()
        .flat_map(|h| h.last_sync.iter().copied())
        .collect();
    last_sync.sort();
    last_sync.dedup();
    let mut ours = shared.to_vec();
    ours.sort();
    ours.dedup();
    let fetched;
    let since = if last_sync == ours {
        since_shared
    } else {
        fetched = am.get_changes_meta(&last_sync);
        &fetched
    };
    let mut dependents: HashMap<ChangeHash, Vec<ChangeHash>> = HashMap::new();
    let mut send = HashSet::new();
    for c in since {
        for dep in &c.deps {
            dependents.entry(*dep).or_default().push(c.hash);
        }
        if have.iter().all(|h| !h.bloom.contains_hash(&c.hash)) {
            send.insert(c.hash);
        }
    }
    let mut stack: Vec<ChangeHash> = send.iter().copied().collect();
    while let Some(h) = stack.pop() {
        for d in dependents.get(&h).into_iter().flatten() {
            if send.insert(*d) {
                stack.push(*d);
            }
        }
    }
    need.filter(|h| !send.contains(h))
        .chain(since.iter().map(|c| c.hash).filter(|h| send.contains(h)))
        .collect()
}

/// A lower bound of the number of changes in `am`: an actor's change with
/// sequence number n means n changes of that actor.
fn changes_at_least(am: &Automerge) -> usize {
    let mut by_actor: HashMap<automerge::ActorId, u64> = HashMap::new();
    for h in am.get_heads() {
        if let Some(m) = am.get_change_meta_by_hash(&h) {
            let seq = by_actor.entry(m.actor.into_owned()).or_default();
            *seq = (*seq).max(m.seq);
        }
    }
    usize::try_from(by_actor.values().sum::<u64>()).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::packed_state::PackedState;
    use automerge::transaction::Transactable;

    /// A xorshift generator from `seed`: `next(n)` is a number below `n`, the
    /// same ones in every run.
    fn below(seed: u64) -> impl FnMut(u64) -> u64 {
        let mut rng = seed | 1;
        move |n| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng % n
        }
    }

    fn edit(am: &mut Automerge, key: &str, value: u64) {
        let mut tx = am.transaction();
        tx.put(automerge::ROOT, key, value).unwrap();
        tx.commit();
    }

    /// A relay and three peers edit and sync with messages delayed and
    /// reordered per peer; at every message the relay receives, ours (shortcut
    /// or not) and automerge's own receive must leave the same state and
    /// document.
    #[test]
    fn receive_matches_automerge() {
        let mut shortcuts = 0;
        let mut fallbacks = 0;
        let mut clock_trims = 0;
        let mut messages = 0;
        for seed in 1..=30u64 {
            let mut next = below(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let mut relay = Automerge::new();
            let mut relay_states: Vec<sync::State> = (0..3).map(|_| sync::State::new()).collect();
            let mut peers: Vec<Automerge> = (0..3).map(|_| Automerge::new()).collect();
            let mut peer_states: Vec<sync::State> = (0..3).map(|_| sync::State::new()).collect();
            // (to relay?, peer, message)
            let mut wire: Vec<(bool, usize, sync::Message)> = Vec::new();
            for step in 0..400 {
                match next(12) {
                    0 => edit(&mut relay, "r", step),
                    1 => {
                        let p = next(3) as usize;
                        edit(&mut peers[p], &format!("p{p}"), step);
                    }
                    2..=5 => {
                        let p = next(3) as usize;
                        if let Some(m) = relay.generate_sync_message(&mut relay_states[p]) {
                            wire.push((false, p, m));
                        }
                        if let Some(m) = peers[p].generate_sync_message(&mut peer_states[p]) {
                            wire.push((true, p, m));
                        }
                    }
                    _ => {
                        if wire.is_empty() {
                            continue;
                        }
                        // Deliver one message of a random peer's, mostly the oldest.
                        let p = next(3) as usize;
                        let of_p: Vec<usize> =
                            (0..wire.len()).filter(|i| wire[*i].1 == p).collect();
                        if of_p.is_empty() {
                            continue;
                        }
                        // Now and then out of order, as after a lost frame.
                        let i = if next(4) == 0 {
                            of_p[next(of_p.len() as u64) as usize]
                        } else {
                            of_p[0]
                        };
                        let (to_relay, p, m) = wire.remove(i);
                        if to_relay {
                            messages += 1;
                            let mut their_am = relay.clone();
                            let mut their_state = relay_states[p].clone();
                            let mut after = relay.clone();
                            for chunk in m.changes.iter() {
                                after.load_incremental(chunk).unwrap();
                            }
                            let known = m
                                .heads
                                .iter()
                                .all(|h| after.get_change_meta_by_hash(h).is_some());
                            if m.heads.is_empty() {
                            } else if m.heads == relay_states[p].last_sent_heads
                                || m.heads == after.get_heads()
                            {
                                shortcuts += 1;
                            } else if known && !relay_states[p].sent_hashes.is_empty() {
                                clock_trims += 1;
                            } else if !known {
                                fallbacks += 1;
                            }
                            their_am
                                .receive_sync_message(&mut their_state, m.clone())
                                .unwrap();
                            receive_sync_message(&mut relay, &mut relay_states[p], m).unwrap();
                            assert_eq!(relay_states[p], their_state, "seed {seed} step {step}");
                            // Every state the relay reaches packs and comes back equal.
                            let packed = PackedState::pack(&relay_states[p]);
                            assert_eq!(packed.unpack(), relay_states[p], "seed {seed} step {step}");
                            assert_eq!(relay.get_heads(), their_am.get_heads());
                        } else {
                            peers[p]
                                .receive_sync_message(&mut peer_states[p], m)
                                .unwrap();
                        }
                    }
                }
            }
        }
        eprintln!(
            "of {messages} messages: {shortcuts} named heads covering all we sent, \
             {clock_trims} trimmed by clocks, {fallbacks} named unknown heads"
        );
        assert!(shortcuts >= 50 && clock_trims >= 50 && fallbacks >= 10);
    }

    /// The hashes of the changes in a message (changes or a document), sorted.
    fn change_hashes(m: &sync::Message) -> Vec<ChangeHash> {
        let mut hashes: Vec<ChangeHash> = m
            .changes
            .iter()
            .flat_map(|b| crate::chunks::split(b).map_while(Result::ok))
            .flat_map(|c| match Change::from_bytes(c.to_vec()) {
                Ok(change) => vec![change.hash()],
                // The whole document.
                Err(_) => Automerge::load(c)
                    .unwrap()
                    .get_changes_meta(&[])
                    .iter()
                    .map(|m| m.hash)
                    .collect(),
            })
            .collect();
        hashes.sort();
        hashes
    }

    /// A relay passes the edits of four peers on, with messages delayed and
    /// reordered per peer, keeping received changes as the engine does. At
    /// every message the relay generates, ours and automerge's must agree:
    /// the same heads, needs, haves, flags and changes, and the same state
    /// after.
    #[test]
    fn generate_matches_automerge() {
        const PEERS: usize = 4;
        let mut generated = 0;
        let mut shortcuts = 0;
        let mut shortcut_changes = 0;
        let mut whole_documents = 0;
        let mut few_changes = 0;
        for seed in 1..=30u64 {
            let mut next = below(seed.wrapping_mul(0x2545_f491_4f6c_dd1d));
            let mut relay = Automerge::new();
            let mut cache = SendCache::default();
            let mut relay_states: Vec<sync::State> =
                (0..PEERS).map(|_| sync::State::new()).collect();
            let mut peers: Vec<Automerge> = (0..PEERS).map(|_| Automerge::new()).collect();
            let mut peer_states: Vec<sync::State> =
                (0..PEERS).map(|_| sync::State::new()).collect();
            let mut wire: Vec<(bool, usize, sync::Message)> = Vec::new();
            for step in 0..500 {
                match next(14) {
                    0 => {
                        let p = next(PEERS as u64) as usize;
                        edit(&mut peers[p], &format!("p{p}"), step);
                    }
                    1 => edit(&mut peers[0], "shared", step),
                    2 => cache.flushed(),
                    3..=6 => {
                        let p = next(PEERS as u64) as usize;
                        let mut their_state = relay_states[p].clone();
                        let mut theirs = relay.generate_sync_message(&mut their_state);
                        // Where automerge sends a peer that has something the
                        // whole document but the peer lacks only a few
                        // changes, ours sends what automerge sends a peer
                        // that takes only changes (v1), as v2.
                        let mut small_instead_of_whole = false;
                        if theirs.as_ref().is_some_and(carries_document)
                            && relay_states[p]
                                .their_heads
                                .as_ref()
                                .is_some_and(|h| !h.is_empty())
                        {
                            let mut v1_state = relay_states[p].clone();
                            v1_state.their_capabilities = v1_state.their_capabilities.map(|c| {
                                c.into_iter()
                                    .filter(|c| *c != sync::Capability::MessageV2)
                                    .collect()
                            });
                            let v1 = relay.generate_sync_message(&mut v1_state);
                            if let Some(m) = v1.filter(|m| m.changes.len() < WHOLE_DOCUMENT_FROM) {
                                v1_state.their_capabilities =
                                    relay_states[p].their_capabilities.clone();
                                their_state = v1_state;
                                theirs = Some(sync::Message {
                                    version: sync::MessageVersion::V2,
                                    ..m
                                });
                                small_instead_of_whole = true;
                            }
                        }
                        let shortcut = plan(&relay, &relay_states[p], &mut cache);
                        let took_shortcut = shortcut.is_some();
                        let whole_document =
                            shortcut.is_some_and(|p| p.changes.first() == Some(&cache.whole.saved));
                        let ours = generate_sync_message(&relay, &mut relay_states[p], &mut cache);
                        assert_eq!(relay_states[p], their_state, "seed {seed} step {step}");
                        // Every state the relay reaches packs and comes back equal.
                        let packed = PackedState::pack(&relay_states[p]);
                        assert_eq!(packed.unpack(), relay_states[p], "seed {seed} step {step}");
                        match (&ours, &theirs) {
                            (None, None) => {}
                            (Some(o), Some(t)) => {
                                assert_eq!(o.heads, t.heads, "seed {seed} step {step}");
                                assert_eq!(o.need, t.need);
                                assert_eq!(o.have, t.have);
                                assert_eq!(o.flags, t.flags);
                                assert_eq!(o.version, t.version);
                                assert_eq!(change_hashes(o), change_hashes(t));
                                generated += 1;
                                few_changes += usize::from(small_instead_of_whole);
                                if whole_document {
                                    // The same changes (above), saved as `save_whole` does.
                                    let saved = save_whole(&relay);
                                    assert_eq!(o.changes.iter().collect::<Vec<_>>(), [&saved[..]]);
                                    whole_documents += 1;
                                }
                                if took_shortcut {
                                    shortcuts += 1;
                                    if !o.changes.is_empty() {
                                        shortcut_changes += 1;
                                    }
                                }
                            }
                            _ => panic!("seed {seed} step {step}: {ours:?} vs {theirs:?}"),
                        }
                        if let Some(m) = ours {
                            wire.push((false, p, m));
                        }
                        if let Some(m) = peers[p].generate_sync_message(&mut peer_states[p]) {
                            wire.push((true, p, m));
                        }
                    }
                    _ => {
                        let p = next(PEERS as u64) as usize;
                        let of_p: Vec<usize> =
                            (0..wire.len()).filter(|i| wire[*i].1 == p).collect();
                        if of_p.is_empty() {
                            continue;
                        }
                        let i = if next(5) == 0 {
                            of_p[next(of_p.len() as u64) as usize]
                        } else {
                            of_p[0]
                        };
                        let (to_relay, p, m) = wire.remove(i);
                        if to_relay {
                            cache.add(&m.changes);
                            receive_sync_message(&mut relay, &mut relay_states[p], m).unwrap();
                        } else {
                            peers[p]
                                .receive_sync_message(&mut peer_states[p], m)
                                .unwrap();
                        }
                    }
                }
            }
        }
        eprintln!(
            "of {generated} messages: {shortcuts} by the shortcut, \
             {shortcut_changes} of them with changes, {whole_documents} whole documents, \
             {few_changes} changes where automerge sends the whole document"
        );
        assert!(shortcuts >= 200 && shortcut_changes >= 100 && generated > shortcuts);
        assert!(whole_documents >= 20 && few_changes >= 20);
    }

    /// Changes arrive one per chunk (v1) or one after another in one chunk (v2);
    /// whatever else a peer puts there — truncated chunks, a document, random
    /// bytes — is skipped without a panic.
    #[test]
    fn recent_changes_keeps_changes_and_skips_anything_else() {
        let mut am = Automerge::new();
        for i in 0..3 {
            edit(&mut am, "k", i);
        }
        let changes = am.get_changes(&[]);
        let hashes: Vec<ChangeHash> = changes.iter().map(Change::hash).collect();
        let joined: Vec<u8> = changes
            .iter()
            .flat_map(|c| c.raw_bytes().to_vec())
            .collect();

        let mut recent = RecentChanges::default();
        recent.add(&vec![joined.clone()].into());
        assert!(hashes.iter().all(|h| recent.get(h).is_some()));
        recent.rotate();
        assert!(
            hashes.iter().all(|h| recent.get(h).is_some()),
            "kept one rotation"
        );
        recent.rotate();
        assert!(
            hashes.iter().all(|h| recent.get(h).is_none()),
            "gone after two"
        );

        let one: Vec<Vec<u8>> = changes.iter().map(|c| c.raw_bytes().to_vec()).collect();
        recent.add(&one.into());
        assert!(hashes.iter().all(|h| recent.get(h).is_some()));

        let mut junk = RecentChanges::default();
        let first = changes[0].raw_bytes();
        for cut in 0..first.len() {
            junk.add(&vec![first[..cut].to_vec()].into());
        }
        junk.add(&vec![am.save()].into());
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..2_000 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let len = (rng % 64) as usize;
            let mut bytes: Vec<u8> = (0..len).map(|i| (rng >> (i % 8 * 8)) as u8).collect();
            if rng.is_multiple_of(3) {
                // A valid header, then garbage.
                bytes.splice(0..0, first[..9.min(first.len())].iter().copied());
            }
            junk.add(&vec![bytes].into());
        }
        assert!(junk.current.is_empty() && junk.previous.is_empty());
    }

    /// The state kept for an in-sync peer packs into a few dozen bytes. Over
    /// 200 pairs of fixed actors (the order of the two heads' hashes decides
    /// what automerge keeps): two heads named once, and in a few pairs a
    /// leftover `their_have` of one hash and a 5-byte filter, which
    /// automerge's own sync keeps too.
    #[test]
    fn a_settled_peer_state_packs_small() {
        let mut small = 0;
        for pair in 0u32..200 {
            let actor = |n: u32| automerge::ActorId::from(n.to_be_bytes().to_vec());
            let mut ours = Automerge::new().with_actor(actor(pair));
            let mut theirs = Automerge::new().with_actor(actor(pair + 100_000));
            edit(&mut theirs, "a", 1);
            edit(&mut ours, "b", 2);
            let (mut our_state, mut their_state) = (sync::State::new(), sync::State::new());
            let mut cache = SendCache::default();
            for _ in 0..6 {
                if let Some(m) = generate_sync_message(&ours, &mut our_state, &mut cache) {
                    theirs.receive_sync_message(&mut their_state, m).unwrap();
                }
                if let Some(m) = theirs.generate_sync_message(&mut their_state) {
                    receive_sync_message(&mut ours, &mut our_state, m).unwrap();
                }
            }
            assert_eq!(ours.get_heads(), theirs.get_heads());
            assert_eq!(our_state.their_heads, Some(ours.get_heads()));
            let packed = PackedState::pack(&our_state);
            assert_eq!(packed.unpack(), our_state);
            // Two heads (a merge), named once: 1 + 2 × 32 bytes and a little.
            let bytes = packed.heap_bytes();
            if bytes < 90 {
                small += 1;
            } else {
                let have = our_state.their_have.as_ref().expect("a leftover have");
                assert_eq!(have.len(), 1, "pair {pair}: {bytes} bytes");
                assert!(bytes < 90 + 34 + 8, "pair {pair}: {bytes} bytes");
            }
        }
        assert!(small >= 190, "{small} of 200 pairs packed under 90 bytes");
    }

    #[test]
    fn whole_documents_are_compressed_only_when_large() {
        let mut am = Automerge::new();
        edit(&mut am, "k", 1);
        let small = save_whole(&am);
        assert_eq!(small, am.save_nocompress());
        let mut tx = am.transaction();
        for i in 0..3000u64 {
            tx.put(
                automerge::ROOT,
                format!("task-{i}"),
                format!("count aisle {i}"),
            )
            .unwrap();
        }
        tx.commit();
        assert!(am.save_nocompress().len() > COMPRESS_ABOVE);
        let large = save_whole(&am);
        assert_eq!(large, am.save());
        assert!(large.len() < am.save_nocompress().len());
        for saved in [small, large] {
            let loaded = Automerge::load(&saved).unwrap();
            assert!(
                loaded
                    .get_heads()
                    .iter()
                    .all(|h| am.get_change_meta_by_hash(h).is_some())
            );
        }
    }
}
