//! What this device could not read in the store's documents (see
//! `storeops_domain::unreadable`): the views show everything else, and the status
//! names what was left out, so managers can have it fixed.

use storeops_api::status::Unreadable;
use storeops_domain::{self as domain, kind};

use super::Replica;

/// What one document could not be read of.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Unread {
    pub entities: Vec<Unreadable>,
    /// Written by a newer app: shown read-only.
    pub newer: bool,
}

/// What the store's documents on this device could not be read of.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreUnread {
    /// The entities left out of every view, each once.
    pub entities: Vec<Unreadable>,
    /// Some document was written by a newer app: it reads, and refuses changes.
    pub newer: bool,
}

fn view(u: domain::Unreadable) -> Unreadable {
    Unreadable {
        kind: u.kind.to_owned(),
        id: u.id,
        reason: u.reason,
    }
}

impl Replica {
    /// What the documents this device keeps could not be read of. With `entities`
    /// every entity is looked at (each document read in full once per change, then
    /// remembered); without, only whether a document is of a newer schema, which
    /// costs nothing.
    pub fn unreadable(&self, entities: bool) -> StoreUnread {
        let mut all = StoreUnread::default();
        let root = self.root_doc().map(|d| (kind::STORE.to_owned(), d));
        for (kind, doc) in root.into_iter().chain(self.linked_kinds()) {
            let Some(am) = self.arrived(&doc) else {
                continue;
            };
            if !entities {
                all.newer |= domain::schema::schema_of(am)
                    .ok()
                    .flatten()
                    .is_some_and(|s| s > domain::SCHEMA_VERSION);
                continue;
            }
            let heads = am.get_heads();
            let known = self
                .reads
                .borrow()
                .unread
                .get(&doc)
                .filter(|(at, _)| *at == heads)
                .map(|(_, u)| u.clone());
            let unread = known.unwrap_or_else(|| {
                let unread = match domain::unreadable::unread_in(&kind, am) {
                    Ok((entities, newer)) => Unread {
                        entities: entities.into_iter().map(view).collect(),
                        newer,
                    },
                    Err(e) => Unread {
                        entities: vec![Unreadable {
                            kind: format!("{kind} document"),
                            id: doc.to_string(),
                            reason: e.to_string(),
                        }],
                        newer: false,
                    },
                };
                self.reads
                    .borrow_mut()
                    .unread
                    .insert(doc, (heads, unread.clone()));
                unread
            });
            all.newer |= unread.newer;
            for u in unread.entities {
                if !all
                    .entities
                    .iter()
                    .any(|e| e.kind == u.kind && e.id == u.id)
                {
                    all.entities.push(u);
                }
            }
        }
        all
    }
}
