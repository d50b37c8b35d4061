//! A sync state as kept between messages: packed into one small allocation.
//!
//! A relay keeps an automerge [`sync::State`] for every document of every
//! connected device, and most devices sit idle. Unpacked, a state is ~180 bytes
//! inline plus six small allocations (its lists of heads, the peer's haves and
//! capabilities), ~600 bytes in all, and the lists usually repeat one set of
//! heads. Packed, a settled state is one allocation of ~50 bytes: each list is
//! written once and a repeated list is a back-reference to the first.
//!
//! Packing is exact: [`PackedState::unpack`] gives back a state equal to the one
//! packed, field for field. A state whose bloom filters would not come back
//! bit for bit through their wire form (possible only for odd filters a peer
//! made by hand) is kept unpacked.

use automerge::ChangeHash;
use automerge::sync::{self, BloomFilter, Capability, Have};

/// A [`sync::State`] at rest. See the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackedState(Repr);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Repr {
    Packed(Box<[u8]>),
    Unpacked(Box<sync::State>),
}

impl Default for PackedState {
    fn default() -> Self {
        Self::pack(&sync::State::new())
    }
}

const IN_FLIGHT: u8 = 1;
const HAVE_RESPONDED: u8 = 1 << 1;
const READ_ONLY: u8 = 1 << 2;
const PEER_READ_ONLY: u8 = 1 << 3;
const NEEDS_RESET: u8 = 1 << 4;

/// How a list of hashes is written: absent, the same as the n-th list written
/// before it (`SAME_AS + n`), or its length and hashes.
const ABSENT: u8 = 0;
const LITERAL: u8 = 1;
const SAME_AS: u8 = 2;

impl PackedState {
    /// Packs `state`.
    pub fn pack(state: &sync::State) -> Self {
        match Writer::write(state) {
            Some(bytes) => Self(Repr::Packed(bytes.into_boxed_slice())),
            None => Self(Repr::Unpacked(Box::new(state.clone()))),
        }
    }

    /// The state packed.
    pub fn unpack(&self) -> sync::State {
        match &self.0 {
            Repr::Packed(bytes) => Reader::read(bytes),
            Repr::Unpacked(state) => (**state).clone(),
        }
    }

    /// Bytes this state takes on the heap (of one kept unpacked, its inline
    /// size only).
    pub fn heap_bytes(&self) -> usize {
        match &self.0 {
            Repr::Packed(bytes) => bytes.len(),
            Repr::Unpacked(_) => std::mem::size_of::<sync::State>(),
        }
    }

    /// Runs `f` on the state, unpacked, and packs what it leaves.
    pub fn update<R>(&mut self, f: impl FnOnce(&mut sync::State) -> R) -> R {
        let mut state = self.unpack();
        let r = f(&mut state);
        *self = Self::pack(&state);
        r
    }
}

struct Writer<'a> {
    out: Vec<u8>,
    lists: Vec<&'a [ChangeHash]>,
}

impl<'a> Writer<'a> {
    fn write(state: &'a sync::State) -> Option<Vec<u8>> {
        let mut w = Writer {
            out: Vec::with_capacity(64),
            lists: Vec::new(),
        };
        let flags = [
            (state.in_flight, IN_FLIGHT),
            (state.have_responded, HAVE_RESPONDED),
            (state.read_only, READ_ONLY),
            (state.peer_read_only, PEER_READ_ONLY),
            (state.needs_reset, NEEDS_RESET),
        ]
        .iter()
        .filter(|(set, _)| *set)
        .fold(0, |acc, (_, bit)| acc | bit);
        w.out.push(flags);
        w.list(Some(&state.shared_heads));
        w.list(Some(&state.last_sent_heads));
        w.list(state.their_heads.as_deref());
        w.list(state.their_need.as_deref());
        // Not kept for back-references: it lives only here.
        let sent: Vec<ChangeHash> = state.sent_hashes.iter().copied().collect();
        w.literal(&sent);
        match &state.their_have {
            None => w.out.push(ABSENT),
            Some(haves) => {
                w.out.push(LITERAL);
                w.len(haves.len());
                for have in haves {
                    w.list(Some(&have.last_sync));
                    let bloom = have.bloom.to_bytes();
                    // Only a filter that comes back equal through its bytes.
                    if BloomFilter::try_from(bloom.as_slice()).ok().as_ref() != Some(&have.bloom) {
                        return None;
                    }
                    w.len(bloom.len());
                    w.out.extend_from_slice(&bloom);
                }
            }
        }
        match &state.their_capabilities {
            None => w.out.push(ABSENT),
            Some(caps) => {
                w.out.push(LITERAL);
                w.len(caps.len());
                w.out.extend(caps.iter().map(|c| match c {
                    Capability::MessageV1 => 0,
                    Capability::MessageV2 => 1,
                    Capability::SyncReset => 2,
                }));
            }
        }
        Some(w.out)
    }

    fn list(&mut self, list: Option<&'a [ChangeHash]>) {
        let Some(list) = list else {
            self.out.push(ABSENT);
            return;
        };
        if let Some(i) = self.lists.iter().position(|l| *l == list)
            && let Ok(tag) = u8::try_from(usize::from(SAME_AS) + i)
        {
            self.out.push(tag);
            return;
        }
        self.lists.push(list);
        self.literal(list);
    }

    fn literal(&mut self, list: &[ChangeHash]) {
        self.out.push(LITERAL);
        self.len(list.len());
        for h in list {
            self.out.extend_from_slice(&h.0);
        }
    }

    /// A length, as LEB128.
    fn len(&mut self, mut n: usize) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.out.push(byte);
                return;
            }
            self.out.push(byte | 0x80);
        }
    }
}

/// Reads what [`Writer`] wrote (only that: the bytes never leave memory).
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    lists: Vec<Vec<ChangeHash>>,
}

impl Reader<'_> {
    fn read(bytes: &[u8]) -> sync::State {
        let mut r = Reader {
            bytes,
            at: 0,
            lists: Vec::new(),
        };
        let flags = r.byte();
        let shared_heads = r.list().unwrap_or_default();
        let last_sent_heads = r.list().unwrap_or_default();
        let their_heads = r.list();
        let their_need = r.list();
        let sent_hashes = r.literal().into_iter().collect();
        let their_have = match r.byte() {
            ABSENT => None,
            _ => {
                let n = r.len();
                let mut haves = Vec::with_capacity(n);
                for _ in 0..n {
                    let last_sync = r.list().unwrap_or_default();
                    let len = r.len();
                    let bloom = BloomFilter::try_from(r.take(len)).unwrap_or_default();
                    haves.push(Have { last_sync, bloom });
                }
                Some(haves)
            }
        };
        let their_capabilities = match r.byte() {
            ABSENT => None,
            _ => {
                let n = r.len();
                Some(
                    r.take(n)
                        .iter()
                        .map(|c| match c {
                            0 => Capability::MessageV1,
                            1 => Capability::MessageV2,
                            _ => Capability::SyncReset,
                        })
                        .collect(),
                )
            }
        };
        let mut state = sync::State::new();
        state.shared_heads = shared_heads;
        state.last_sent_heads = last_sent_heads;
        state.their_heads = their_heads;
        state.their_need = their_need;
        state.their_have = their_have;
        state.sent_hashes = sent_hashes;
        state.in_flight = flags & IN_FLIGHT != 0;
        state.have_responded = flags & HAVE_RESPONDED != 0;
        state.their_capabilities = their_capabilities;
        state.read_only = flags & READ_ONLY != 0;
        state.peer_read_only = flags & PEER_READ_ONLY != 0;
        state.needs_reset = flags & NEEDS_RESET != 0;
        state
    }

    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.at).copied().unwrap_or(ABSENT);
        self.at += 1;
        b
    }

    fn take(&mut self, n: usize) -> &[u8] {
        let start = self.at.min(self.bytes.len());
        let end = self.at.saturating_add(n).min(self.bytes.len());
        self.at = end;
        &self.bytes[start..end]
    }

    fn len(&mut self) -> usize {
        let mut n = 0usize;
        for shift in (0..usize::BITS).step_by(7) {
            let b = self.byte();
            n |= usize::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                break;
            }
        }
        n
    }

    fn list(&mut self) -> Option<Vec<ChangeHash>> {
        match self.byte() {
            ABSENT => None,
            LITERAL => {
                let list = self.literal_body();
                self.lists.push(list.clone());
                Some(list)
            }
            tag => Some(
                self.lists
                    .get(usize::from(tag - SAME_AS))
                    .cloned()
                    .unwrap_or_default(),
            ),
        }
    }

    fn literal(&mut self) -> Vec<ChangeHash> {
        self.byte();
        self.literal_body()
    }

    fn literal_body(&mut self) -> Vec<ChangeHash> {
        let n = self.len();
        let mut list = Vec::with_capacity(n);
        for _ in 0..n {
            let mut h = [0u8; 32];
            h.copy_from_slice(self.take(32));
            list.push(ChangeHash(h));
        }
        list
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn hash(n: u8) -> ChangeHash {
        ChangeHash([n; 32])
    }

    /// A state that has settled with a peer: every list names the same heads.
    fn settled() -> sync::State {
        let heads = vec![hash(1)];
        let mut s = sync::State::new();
        s.shared_heads.clone_from(&heads);
        s.last_sent_heads.clone_from(&heads);
        s.their_heads = Some(heads.clone());
        s.their_need = Some(Vec::new());
        s.their_have = Some(vec![Have {
            last_sync: heads,
            bloom: BloomFilter::default(),
        }]);
        s.have_responded = true;
        s.their_capabilities = Some(vec![Capability::MessageV2, Capability::SyncReset]);
        s
    }

    #[test]
    fn a_settled_state_packs_small_and_comes_back_equal() {
        let s = settled();
        let packed = PackedState::pack(&s);
        assert_eq!(packed.unpack(), s);
        // One head, written once: 49 bytes, where unpacked takes ~600.
        assert!(packed.heap_bytes() <= 56, "{} bytes", packed.heap_bytes());
    }

    #[test]
    fn every_field_comes_back() {
        let mut s = settled();
        s.shared_heads = vec![hash(2), hash(3)];
        s.their_need = None;
        s.sent_hashes = [hash(4), hash(5)].into_iter().collect();
        s.in_flight = true;
        s.read_only = true;
        s.peer_read_only = true;
        s.needs_reset = true;
        s.their_have = Some(vec![
            Have {
                last_sync: vec![hash(2), hash(3)],
                bloom: BloomFilter::from_hashes([hash(6), hash(7)].iter()),
            },
            Have {
                last_sync: Vec::new(),
                bloom: BloomFilter::default(),
            },
        ]);
        s.their_capabilities = Some(vec![Capability::MessageV1]);
        assert_eq!(PackedState::pack(&s).unpack(), s);
        let fresh = sync::State::new();
        assert_eq!(PackedState::pack(&fresh).unpack(), fresh);
        assert_eq!(PackedState::default().unpack(), fresh);
    }

    #[test]
    fn a_bloom_filter_that_does_not_come_back_keeps_the_state_unpacked() {
        // An empty filter with odd parameters (only a hand-made message has
        // one) is written as no bytes, and read back with the usual ones.
        let odd = BloomFilter::try_from(&[0u8, 3, 2][..]).unwrap();
        assert_ne!(odd, BloomFilter::default());
        let mut s = settled();
        s.their_have = Some(vec![Have {
            last_sync: Vec::new(),
            bloom: odd,
        }]);
        let packed = PackedState::pack(&s);
        assert!(matches!(packed.0, Repr::Unpacked(_)));
        assert_eq!(packed.unpack(), s);
    }

    #[test]
    fn update_packs_what_it_leaves() {
        let mut packed = PackedState::default();
        let seen = packed.update(|s| {
            s.shared_heads = vec![hash(9)];
            s.shared_heads.len()
        });
        assert_eq!(seen, 1);
        assert_eq!(packed.unpack().shared_heads, vec![hash(9)]);
    }
}
