//! People's contact details, in a document of their own that the relay serves
//! only to managers (issue 18: each role reads only what it may). The org chart
//! every device reads names people and their positions, not how to reach them.
//!
//! A store has one contacts document, listed in its root like a period document
//! under the period [`PERIOD`] (`period:contacts/all <id>`), opened by the first
//! manager's device that records a contact.

use std::collections::BTreeMap;

use automerge::Automerge;
use autosurgeon::{Hydrate, Reconcile, hydrate, reconcile_prop};

use crate::access::Actor;
use crate::documents::SCHEMA_VERSION;
use crate::text::limits;
use crate::{DomainError, check_schema, transact};

/// The one "period" of a store's contacts document.
pub const PERIOD: &str = "all";

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct ContactsDoc {
    pub schema: u64,
    /// Person id → how to reach them (phone, e-mail).
    pub contacts: BTreeMap<String, String>,
}

pub fn new_contacts_doc(now_ms: i64) -> Result<Automerge, DomainError> {
    let mut am = Automerge::new();
    let doc = ContactsDoc {
        schema: SCHEMA_VERSION,
        contacts: BTreeMap::new(),
    };
    transact(&mut am, "Create the contacts".into(), now_ms, |tx| {
        Ok(autosurgeon::reconcile(tx, &doc)?)
    })?;
    Ok(am)
}

pub fn read_contacts(am: &Automerge) -> Result<ContactsDoc, DomainError> {
    let doc: ContactsDoc =
        hydrate(am).map_err(|e| DomainError::Malformed("contacts", e.to_string()))?;
    check_schema(doc.schema)?;
    Ok(doc)
}

/// Records (or with an empty `contact`, removes) how to reach `person` (managers).
pub fn set_contact(
    am: &mut Automerge,
    actor: &Actor,
    person: &str,
    contact: &str,
    now_ms: i64,
) -> Result<(), DomainError> {
    actor.require_manager(crate::problem::Action::RecordContacts)?;
    let contact =
        limits::at_most(crate::problem::Noun::Contact, contact.trim(), limits::TITLE)?.to_owned();
    let message = format!("{} recorded the contact of {person}", actor.name);
    transact(am, message, now_ms, |tx| {
        use automerge::transaction::Transactable;
        use automerge::{ObjType, ROOT, ReadDoc, Value};
        let map = match tx.get(ROOT, "contacts")? {
            Some((Value::Object(ObjType::Map), id)) => id,
            _ => tx.put_object(ROOT, "contacts", ObjType::Map)?,
        };
        if contact.is_empty() {
            if tx.get(&map, person)?.is_some() {
                tx.delete(&map, person)?;
            }
        } else {
            reconcile_prop(tx, &map, person, &contact)?;
        }
        Ok(())
    })
}
