//! Schema versions and the upgrades between them.
//!
//! Every document has a `schema` number at its root. A build reads every version up
//! to [`SCHEMA_VERSION`]; a newer one it reads as far as it understands it, and
//! refuses to change ("update the app", see [`crate::unreadable`]). The first
//! command a newer build runs on an older document upgrades it in the same
//! change; [`upgrade`] does it on its own (e.g. when a document is opened).
//!
//! | version | change |
//! |---|---|
//! | 1 | the walking skeleton: owners stored as a map `{"Position": "<id>"}` |
//! | 2 | owners stored as one string `position:<id>` (concurrent reassignment to a person and to a position can no longer leave both); new optional fields |

use automerge::transaction::{Transactable, Transaction};
use automerge::{Automerge, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use autosurgeon::{Hydrate, reconcile_prop};

use crate::documents::{Owner, SCHEMA_VERSION};
use crate::{DomainError, transact};

/// The `schema` of a document, if it has one.
pub fn schema_of<D: ReadDoc>(doc: &D) -> Result<Option<u64>, DomainError> {
    Ok(match doc.get(ROOT, "schema")? {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Uint(u) => Some(*u),
            ScalarValue::Int(i) => u64::try_from(*i).ok(),
            _ => None,
        },
        _ => None,
    })
}

/// Upgrades a document to [`SCHEMA_VERSION`] as one change. Returns the version
/// it had, or `None` when it was current already (nothing is written).
pub fn upgrade(am: &mut Automerge, now_ms: i64) -> Result<Option<u64>, DomainError> {
    let Some(from) = schema_of(am)? else {
        return Err(DomainError::Malformed(
            "Storeops",
            "it has no schema number".into(),
        ));
    };
    crate::check_schema(from)?;
    if from == SCHEMA_VERSION {
        return Ok(None);
    }
    let message = format!("Storeops upgraded the document from schema {from} to {SCHEMA_VERSION}");
    // `transact` runs the upgrade itself before the (empty) action.
    transact(am, message, now_ms, |_| Ok(()))?;
    Ok(Some(from))
}

/// Upgrades inside a transaction; a document without a schema (being created)
/// or already current is left alone. Returns whether anything was written.
pub(crate) fn upgrade_in(tx: &mut Transaction<'_>) -> Result<bool, DomainError> {
    let Some(from) = schema_of(tx)? else {
        return Ok(false);
    };
    crate::check_schema(from)?;
    if from >= SCHEMA_VERSION {
        return Ok(false);
    }
    // 1 → 2: owners from maps to strings.
    for (collection, field) in [("tasks", "assignee"), ("duties", "owner")] {
        let Some((Value::Object(ObjType::Map), coll)) = tx.get(ROOT, collection)? else {
            continue;
        };
        let keys: Vec<String> = tx.keys(&coll).collect();
        for key in keys {
            if let Some((Value::Object(ObjType::Map), entity)) = tx.get(&coll, key.as_str())? {
                rewrite_owner(tx, &entity, field)?;
            }
        }
    }
    tx.put(ROOT, "schema", SCHEMA_VERSION)?;
    Ok(true)
}

fn rewrite_owner(tx: &mut Transaction<'_>, entity: &ObjId, field: &str) -> Result<(), DomainError> {
    if let Some((Value::Object(ObjType::Map), _)) = tx.get(entity, field)? {
        let owner = Owner::hydrate(&*tx, entity, field.into())
            .map_err(|e| DomainError::Malformed("Storeops", e.to_string()))?;
        reconcile_prop(tx, entity, field, &owner)?;
    }
    Ok(())
}
