//! What this device could not read in the store's documents (see
//! `storeops_domain::unreadable`): the views show everything else, and the status
//! names what they left out, so managers can have it fixed.
//!
//! Nothing is read for this alone (a week of tasks takes ~250 ms to read in full,
//! see `docs/benchmarks.md`): the views' reads note what each document could not be
//! read of ([`Replica::read_noted`], [`Replica::note_unreadable`]), and the status
//! reports the notes of the documents this device keeps.

use automerge::Automerge;
use storeops_api::status::Unreadable;
use storeops_domain::{self as domain, DomainError, Readable};
use storeops_sync::DocumentId;

use super::Replica;
use crate::ClientError;

/// What the store's documents on this device could not be read of.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreUnread {
    /// The entities the views left out when they last read their documents, each once.
    pub entities: Vec<Unreadable>,
    /// Some document was written by a newer app: it reads, and refuses changes.
    pub newer: bool,
}

fn view(u: &domain::Unreadable) -> Unreadable {
    Unreadable {
        kind: u.kind.to_owned(),
        id: u.id.clone(),
        reason: u.reason.clone(),
    }
}

impl Replica {
    /// Reads `doc` with `read`, noting what it could not read; `None` when the
    /// document has not arrived.
    pub(crate) fn read_noted<T: Readable>(
        &self,
        doc: DocumentId,
        read: impl FnOnce(&Automerge) -> Result<T, DomainError>,
    ) -> Result<Option<T>, ClientError> {
        let Some(am) = self.arrived(&doc) else {
            return Ok(None);
        };
        let read = read(am)?;
        self.note_unreadable(doc, &read.unreadable());
        Ok(Some(read))
    }

    /// Notes that a read of `doc` (at its current heads) could not read `found`. Reads
    /// of part of a document (the task lists hydrate only the tasks they show) add to
    /// the notes of the same heads; a read at newer heads replaces them.
    pub(crate) fn note_unreadable(&self, doc: DocumentId, found: &[domain::Unreadable]) {
        let Some(heads) = self.engine.document(&doc).map(|d| d.get_heads()) else {
            return;
        };
        let mut reads = self.reads.borrow_mut();
        let entry = reads.unread.entry(doc).or_default();
        if entry.0 != heads {
            *entry = (heads, Vec::new());
        }
        for u in found {
            if !entry.1.contains(u) {
                entry.1.push(u.clone());
            }
        }
    }

    /// What the documents this device keeps could not be read of: the notes of the
    /// views' last reads (with `entities`; managers' devices) and whether any is of a
    /// newer schema (looked up, which costs nothing).
    pub fn unreadable(&self, entities: bool) -> StoreUnread {
        let mut all = StoreUnread::default();
        let docs: Vec<DocumentId> = self
            .root_doc()
            .into_iter()
            .chain(self.linked_all())
            .collect();
        let reads = self.reads.borrow();
        for doc in docs {
            let Some(am) = self.arrived(&doc) else {
                continue;
            };
            all.newer |= domain::schema::schema_of(am)
                .ok()
                .flatten()
                .is_some_and(|s| s > domain::SCHEMA_VERSION);
            let noted = reads.unread.get(&doc).filter(|_| entities);
            for u in noted.into_iter().flat_map(|(_, found)| found) {
                if !all
                    .entities
                    .iter()
                    .any(|e| e.kind == u.kind && e.id == u.id)
                {
                    all.entities.push(view(u));
                }
            }
        }
        all
    }
}
