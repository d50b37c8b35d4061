//! Who changed what, when: read from the automerge change history.
//!
//! Every command writes one change whose message says what it did; a task's
//! history is every change with an operation on the task or on anything inside
//! it (checklist, comments), including writes later overwritten (e.g. a
//! concurrent reassignment that lost), in causal order.

use std::collections::HashSet;

use automerge::{Automerge, ObjId, ObjType, ReadDoc, Value};

use crate::DomainError;
use crate::tasks::tasks_obj;

/// One change in a history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// The change hash (hex).
    pub hash: String,
    /// The automerge actor (device) that made it (hex).
    pub actor: String,
    /// When, in Unix milliseconds (changes carry seconds).
    pub at_ms: i64,
    /// What, in words ("Li reassigned …").
    pub message: String,
}

/// The history of one task, oldest first.
pub fn task_history(am: &Automerge, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
    let tasks = tasks_obj(am)?;
    let Some((Value::Object(ObjType::Map), task)) = am.get(&tasks, id)? else {
        return Err(DomainError::NotFound {
            what: crate::problem::Noun::Task,
            id: id.into(),
        });
    };
    object_history(am, &tasks, id, &task)
}

/// The history of the entity `parent[key]` (whose object is `obj`) and
/// everything inside it.
pub(crate) fn object_history(
    am: &Automerge,
    parent: &ObjId,
    key: &str,
    obj: &ObjId,
) -> Result<Vec<HistoryEntry>, DomainError> {
    let mut inside = HashSet::new();
    collect(am, obj, &mut inside)?;
    let parent = parent.to_string();
    let mut out = Vec::new();
    for change in am.get_changes(&[]) {
        let expanded = change.decode();
        let touches = expanded.operations.iter().any(|op| {
            let target = op.obj.to_string();
            inside.contains(&target)
                || (target == parent
                    && matches!(&op.key, automerge::legacy::Key::Map(k) if k.as_str() == key))
        });
        if touches {
            out.push(HistoryEntry {
                hash: change.hash().to_string(),
                actor: change.actor_id().to_hex_string(),
                at_ms: change.timestamp() * 1000,
                message: change.message().unwrap_or_default().to_owned(),
            });
        }
    }
    Ok(out)
}

fn collect(am: &Automerge, obj: &ObjId, into: &mut HashSet<String>) -> Result<(), DomainError> {
    into.insert(obj.to_string());
    let children: Vec<ObjId> = match am.object_type(obj)? {
        ObjType::Map | ObjType::Table => am
            .map_range(obj, ..)
            .filter_map(|item| match item.value {
                automerge::ValueRef::Object(_) => Some(item.id()),
                _ => None,
            })
            .collect(),
        ObjType::List => (0..am.length(obj))
            .filter_map(|i| match am.get(obj, i) {
                Ok(Some((Value::Object(_), id))) => Some(id),
                _ => None,
            })
            .collect(),
        ObjType::Text => vec![],
    };
    for child in children {
        collect(am, &child, into)?;
    }
    Ok(())
}
