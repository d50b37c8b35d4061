//! What the changes of a sync message hold, read without applying them.
//!
//! A peer may send what it has of a document it may not write: automerge sends a
//! peer that has nothing the whole document — a saved document even when it is
//! empty — and a peer that lost track of what we have sends changes we already
//! hold. Neither changes the document, so neither is a write. [`new_changes`]
//! tells those apart from a real write by reading the chunks the message carries:
//! whole documents (their heads), single changes (their hashes), several changes
//! in a row.

use automerge::{Automerge, Change, sync::ChunkList};

/// automerge's storage chunks start with these bytes.
const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
/// Magic bytes, checksum, chunk type.
const FIXED_HEADER: usize = 9;
const DOCUMENT: u8 = 0;
const CHANGE: u8 = 1;
const COMPRESSED_CHANGE: u8 = 2;

/// Whether `chunks` hold a change `am` does not have. Anything that cannot be
/// read (a damaged chunk, a kind of chunk not listed above) counts as new, so a
/// caller that refuses new changes refuses it.
pub fn new_changes(am: &Automerge, chunks: &ChunkList) -> bool {
    let known = |h: &automerge::ChangeHash| am.get_change_meta_by_hash(h).is_some();
    for bytes in chunks.iter() {
        for chunk in split(bytes) {
            let Ok(chunk) = chunk else {
                return true;
            };
            let all_known = match chunk[FIXED_HEADER - 1] {
                // A saved document holds exactly its heads and what they depend on.
                DOCUMENT => {
                    Automerge::load(chunk).is_ok_and(|doc| doc.get_heads().iter().all(known))
                }
                CHANGE | COMPRESSED_CHANGE => {
                    Change::try_from(chunk).is_ok_and(|c| known(&c.hash()))
                }
                _ => false,
            };
            if !all_known {
                return true;
            }
        }
    }
    false
}

/// Whether the new changes in `chunks` fit `limits` on a document that takes
/// `stored_bytes` now; `Err` says which limit they break. Read without applying
/// anything; a chunk that cannot be read is left to the apply that follows.
pub fn within(
    am: &Automerge,
    chunks: &ChunkList,
    limits: &crate::engine::Limits,
    stored_bytes: usize,
) -> Result<(), String> {
    let mut new_bytes = 0usize;
    for bytes in chunks.iter() {
        for chunk in split(bytes).map_while(Result::ok) {
            if chunk.len() > limits.max_change_bytes {
                return Err(format!(
                    "a change of {} KB is over the limit of {} KB",
                    chunk.len() / 1024,
                    limits.max_change_bytes / 1024
                ));
            }
            if matches!(chunk[FIXED_HEADER - 1], CHANGE | COMPRESSED_CHANGE)
                && let Ok(change) = Change::try_from(chunk)
            {
                if am.get_change_meta_by_hash(&change.hash()).is_some() {
                    continue;
                }
                if change.len() > limits.max_change_ops {
                    return Err(format!(
                        "a change of {} operations is over the limit of {}",
                        change.len(),
                        limits.max_change_ops
                    ));
                }
            }
            new_bytes = new_bytes.saturating_add(chunk.len());
        }
    }
    if stored_bytes.saturating_add(new_bytes) > limits.max_document_bytes {
        return Err(format!(
            "the document would grow past its limit of {} MB",
            limits.max_document_bytes >> 20
        ));
    }
    Ok(())
}

/// Whether a whole chunk is a saved document.
pub(crate) fn is_document(chunk: &[u8]) -> bool {
    chunk.get(FIXED_HEADER - 1) == Some(&DOCUMENT)
}

/// The chunks in `bytes`, one after another: each whole one, then an `Err` for
/// what is left if that is not a whole chunk.
pub(crate) fn split(mut bytes: &[u8]) -> impl Iterator<Item = Result<&[u8], ()>> {
    std::iter::from_fn(move || {
        if bytes.is_empty() {
            return None;
        }
        let Some((chunk, rest)) = split_chunk(bytes) else {
            bytes = &[];
            return Some(Err(()));
        };
        bytes = rest;
        Some(Ok(chunk))
    })
}

/// The first chunk of `bytes` and what follows it; `None` when `bytes` does not
/// start with a whole chunk.
fn split_chunk(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    if bytes.get(..MAGIC.len())? != MAGIC {
        return None;
    }
    let (len, len_size) = uleb128(bytes.get(FIXED_HEADER..)?)?;
    let end = FIXED_HEADER
        .checked_add(len_size)?
        .checked_add(usize::try_from(len).ok()?)?;
    (end <= bytes.len()).then(|| bytes.split_at(end))
}

/// An unsigned LEB128 number and how many bytes it took.
fn uleb128(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value: u64 = 0;
    for (i, b) in bytes.iter().enumerate().take(10) {
        let part = u64::from(b & 0x7f);
        let shift = 7 * i as u32;
        if shift == 63 && part > 1 {
            return None;
        }
        value |= part << shift;
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::{ActorId, AutomergeError, ROOT, transaction::Transactable};

    fn edited(am: &mut Automerge, key: &str) -> Change {
        am.transact::<_, _, AutomergeError>(|tx| tx.put(ROOT, key, 1))
            .expect("put");
        am.get_last_local_change().expect("a change").clone()
    }

    fn list(chunks: Vec<Vec<u8>>) -> ChunkList {
        chunks.into()
    }

    #[test]
    fn an_empty_document_holds_nothing_new() {
        let ours = Automerge::new();
        assert!(!new_changes(&ours, &list(vec![Automerge::new().save()])));
        assert!(!new_changes(&ours, &list(vec![])));
    }

    #[test]
    fn a_whole_document_is_new_only_when_it_has_more_than_we_do() {
        let mut theirs = Automerge::new().with_actor(ActorId::from(&b"a"[..]));
        edited(&mut theirs, "x");
        let mut ours = theirs.clone().with_actor(ActorId::from(&b"b"[..]));
        assert!(!new_changes(&ours, &list(vec![theirs.save()])));
        edited(&mut theirs, "y");
        assert!(new_changes(&ours, &list(vec![theirs.save()])));
        edited(&mut ours, "z");
        assert!(new_changes(&ours, &list(vec![theirs.save()])));
        ours.merge(&mut theirs).expect("merge");
        assert!(!new_changes(&ours, &list(vec![theirs.save()])));
    }

    #[test]
    fn changes_one_by_one_or_in_a_row_are_new_when_any_is() {
        let mut theirs = Automerge::new().with_actor(ActorId::from(&b"a"[..]));
        let first = edited(&mut theirs, "x");
        let ours = theirs.clone();
        let second = edited(&mut theirs, "y");
        let first_bytes = first.raw_bytes().to_vec();
        let second_bytes = second.raw_bytes().to_vec();
        assert!(!new_changes(&ours, &list(vec![first_bytes.clone()])));
        assert!(new_changes(&ours, &list(vec![second_bytes.clone()])));
        assert!(new_changes(
            &ours,
            &list(vec![first_bytes.clone(), second_bytes.clone()])
        ));
        // Version 2 messages put several changes in one chunk list entry.
        assert!(!new_changes(&ours, &list(vec![first_bytes.repeat(2)])));
        assert!(new_changes(
            &ours,
            &list(vec![[first_bytes.as_slice(), &second_bytes].concat()])
        ));
        // Compressed changes (automerge compresses large ones) are read too.
        let long = "shelf ".repeat(500);
        theirs
            .transact::<_, _, AutomergeError>(|tx| tx.put(ROOT, "note", long.as_str()))
            .expect("put");
        let mut large = theirs.get_last_local_change().expect("a change").clone();
        let compressed = large.bytes().into_owned();
        assert_eq!(compressed[FIXED_HEADER - 1], COMPRESSED_CHANGE);
        assert!(new_changes(&ours, &list(vec![compressed.clone()])));
        assert!(!new_changes(&theirs, &list(vec![compressed])));
    }

    #[test]
    fn what_cannot_be_read_counts_as_new() {
        let mut theirs = Automerge::new();
        let change = edited(&mut theirs, "x").raw_bytes().to_vec();
        let ours = theirs.clone();
        let saved = theirs.save();
        let mut unknown_type = change.clone();
        unknown_type[FIXED_HEADER - 1] = 9;
        for bytes in [
            vec![0xde, 0xad],
            change[..change.len() - 1].to_vec(),
            saved[..saved.len() / 2].to_vec(),
            [change.as_slice(), &[0x85]].concat(),
            unknown_type,
            [MAGIC.as_slice(), &[0; 5], &[0xff; 11]].concat(),
        ] {
            assert!(new_changes(&ours, &list(vec![bytes])));
        }
    }

    #[test]
    fn lengths_are_read_as_leb128() {
        assert_eq!(uleb128(&[0x05]), Some((5, 1)));
        assert_eq!(uleb128(&[0x80, 0x01]), Some((128, 2)));
        assert_eq!(uleb128(&[0x80]), None);
        assert_eq!(
            uleb128(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
            Some((u64::MAX, 10))
        );
        assert_eq!(
            uleb128(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]),
            None
        );
    }
}
