//! Reading documents that hold bad data.
//!
//! Any device can write anything into a document it may write (a buggy build, a
//! modified client): a task whose title is a number, a checklist that is a string.
//! One such entity must not hide the others, so every collection of entities is
//! read entity by entity ([`Entities`]): an entity that does not read is skipped
//! and recorded as [`Unreadable`] (its kind, id and why), and the rest loads.
//!
//! A document written by a newer build (its `schema` above
//! [`SCHEMA_VERSION`](crate::SCHEMA_VERSION)) is read as far as this build
//! understands it, and is read-only: every command on it refuses with
//! [`DomainError::SchemaTooNew`](crate::DomainError::SchemaTooNew) ("update the
//! app"), since writing it with an older idea of its fields could damage it.
//!
//! ```
//! use automerge::{ReadDoc, ROOT, transaction::Transactable};
//! use storeops_domain::{Actor, NewTask, add_task, read_tasks_doc, template, new_store, StoreSetup};
//! use storeops_domain::calendar::Date;
//!
//! # let setup = StoreSetup { id: "s".into(), name: "Demo".into(), time_zone: "UTC".into(),
//! #     locale: "en".into(), org_doc: "o".into(), tasks_doc: "t".into() };
//! # let today = Date::new(2026, 11, 28).unwrap();
//! let mut store = new_store(&setup, template::template("plan1").unwrap(), today, 0).unwrap();
//! add_task(&mut store.tasks, &Actor::manager("Li"), "t1", NewTask::titled("Sweep"), 1).unwrap();
//! // Another device writes a number where the title goes.
//! let mut tx = store.tasks.transaction();
//! let (_, tasks) = tx.get(ROOT, "tasks").unwrap().unwrap();
//! let (_, t1) = tx.get(&tasks, "t1").unwrap().unwrap();
//! tx.put(&t1, "title", 42).unwrap();
//! tx.commit();
//!
//! let doc = read_tasks_doc(&store.tasks).unwrap();
//! assert!(!doc.tasks.contains_key("t1"));
//! assert_eq!(doc.tasks.unreadable()[0].id, "t1");
//! assert!(!doc.tasks.is_empty(), "the other tasks still read");
//! ```

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, HydrateError, Prop, ReadDoc, Reconcile};

/// An entity a reader skipped because it does not read as its kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Unreadable {
    /// `task`, `person`, `plan`, … ([`Entity::KIND`]).
    pub kind: &'static str,
    /// Its id (its key in the document; cut to [`Unreadable::MAX_ID`] characters).
    pub id: String,
    /// Why, in a few words (e.g. `unexpected int`).
    pub reason: String,
}

impl Unreadable {
    /// Ids and reasons are cut to this many characters: a hostile key or value
    /// must not flood the screens that list them.
    pub const MAX_ID: usize = 80;
    pub const MAX_REASON: usize = 120;

    pub fn new(kind: &'static str, id: &str, reason: &str) -> Self {
        Self {
            kind,
            id: cut(id, Self::MAX_ID),
            reason: cut(reason, Self::MAX_REASON),
        }
    }
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.kind, self.id, self.reason)
    }
}

fn cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_owned(),
    }
}

/// Something a document keeps in a map by id, read one at a time.
pub trait Entity: Hydrate {
    /// The word for it in [`Unreadable::kind`].
    const KIND: &'static str;
}

/// Reads the entity at `obj[id]`, or says why it does not read.
pub fn hydrate_entity<T: Entity, D: ReadDoc>(
    doc: &D,
    obj: &automerge::ObjId,
    id: &str,
) -> Result<T, Unreadable> {
    T::hydrate(doc, obj, id.into()).map_err(|e| Unreadable::new(T::KIND, id, &e.to_string()))
}

/// The entities of one kind, by id, as a document holds them, with those that
/// did not read ([`Entities::unreadable`]).
///
/// Reads as a map (it derefs to a `BTreeMap`); hydrating never fails on a bad
/// entity, and a collection that is not a map at all reads as empty with one
/// unreadable entry named after the collection. Reconciling writes the readable
/// entities and leaves the unreadable ones as they are.
#[derive(Debug, Clone, PartialEq)]
pub struct Entities<T> {
    items: BTreeMap<String, T>,
    unreadable: Vec<Unreadable>,
}

impl<T> Entities<T> {
    /// What did not read, in key order.
    pub fn unreadable(&self) -> &[Unreadable] {
        &self.unreadable
    }

    /// The readable entities.
    pub fn into_map(self) -> BTreeMap<String, T> {
        self.items
    }

    /// The readable entities, and what did not read.
    pub fn into_parts(self) -> (BTreeMap<String, T>, Vec<Unreadable>) {
        (self.items, self.unreadable)
    }

    /// Records an entity that did not read.
    pub fn skip(&mut self, unreadable: Unreadable) {
        self.unreadable.push(unreadable);
    }

    /// Adds the entities of `other` not here yet (the first document holding an id
    /// wins), and what did not read there; an id readable in either is readable.
    pub fn merge(&mut self, other: Entities<T>) {
        for (id, t) in other.items {
            self.items.entry(id).or_insert(t);
        }
        for u in other.unreadable {
            if !self.unreadable.iter().any(|x| x.id == u.id) {
                self.unreadable.push(u);
            }
        }
        let items = &self.items;
        self.unreadable.retain(|u| !items.contains_key(&u.id));
    }
}

impl<T> Default for Entities<T> {
    fn default() -> Self {
        Self {
            items: BTreeMap::new(),
            unreadable: Vec::new(),
        }
    }
}

impl<T> std::ops::Deref for Entities<T> {
    type Target = BTreeMap<String, T>;

    fn deref(&self) -> &Self::Target {
        &self.items
    }
}

impl<T> std::ops::DerefMut for Entities<T> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.items
    }
}

impl<T> From<BTreeMap<String, T>> for Entities<T> {
    fn from(items: BTreeMap<String, T>) -> Self {
        Self {
            items,
            unreadable: Vec::new(),
        }
    }
}

impl<T> FromIterator<(String, T)> for Entities<T> {
    fn from_iter<I: IntoIterator<Item = (String, T)>>(iter: I) -> Self {
        BTreeMap::from_iter(iter).into()
    }
}

impl<T> IntoIterator for Entities<T> {
    type Item = (String, T);
    type IntoIter = std::collections::btree_map::IntoIter<String, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Entities<T> {
    type Item = (&'a String, &'a T);
    type IntoIter = std::collections::btree_map::Iter<'a, String, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<T: Entity> Hydrate for Entities<T> {
    fn hydrate<D: ReadDoc>(
        doc: &D,
        obj: &automerge::ObjId,
        prop: Prop<'_>,
    ) -> Result<Self, HydrateError> {
        use automerge::{ObjType, Value};
        match doc.get(obj, &prop)? {
            None => Ok(Self::default()),
            Some((Value::Object(ObjType::Map), id)) => Self::hydrate_map(doc, &id),
            Some(_) => Ok(Self {
                items: BTreeMap::new(),
                unreadable: vec![Unreadable::new(
                    T::KIND,
                    &prop.to_string(),
                    "the whole collection is not a map",
                )],
            }),
        }
    }

    fn hydrate_map<D: ReadDoc>(doc: &D, obj: &automerge::ObjId) -> Result<Self, HydrateError> {
        let mut entities = Self::default();
        for item in doc.map_range(obj, ..) {
            let id = item.key;
            match hydrate_entity::<T, _>(doc, obj, &id) {
                Ok(t) => {
                    entities.items.insert(id.into_owned(), t);
                }
                Err(u) => entities.skip(u),
            }
        }
        Ok(entities)
    }
}

impl<T: Reconcile> Reconcile for Entities<T> {
    type Key<'a> = autosurgeon::reconcile::NoKey;

    fn reconcile<R: autosurgeon::Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        use autosurgeon::reconcile::MapReconciler;
        let mut m = reconciler.map()?;
        let gone: Vec<String> = m
            .entries()
            .map(|(k, _)| k.to_string())
            .filter(|k| !self.items.contains_key(k) && !self.unreadable.iter().any(|u| u.id == *k))
            .collect();
        for (id, t) in &self.items {
            m.put(id, t)?;
        }
        for id in gone {
            m.delete(&id)?;
        }
        Ok(())
    }
}

/// What a document of this build's kinds could not be read of.
pub trait Readable {
    /// Its `schema` number.
    fn schema(&self) -> u64;

    /// The entities skipped, every collection's.
    fn unreadable(&self) -> Vec<Unreadable>;

    /// Written by a newer build: shown as read, and every command on it refuses.
    fn is_read_only(&self) -> bool {
        self.schema() > crate::SCHEMA_VERSION
    }
}

macro_rules! readable {
    ($doc:ty: $($field:ident),+) => {
        impl Readable for $doc {
            fn schema(&self) -> u64 {
                self.schema
            }

            fn unreadable(&self) -> Vec<Unreadable> {
                [$(self.$field.unreadable()),+].concat()
            }
        }
    };
}

readable!(crate::OrgDoc: departments, positions, people, duties);
readable!(crate::TasksDoc: tasks);
readable!(crate::plans::PlansDoc: plans);
readable!(crate::meetings::MeetingsDoc: meetings);
readable!(crate::assessment::AssessmentDoc: kpis, assessments, awards, training);

impl Readable for crate::feedback::FeedbackDoc {
    fn schema(&self) -> u64 {
        self.schema
    }

    /// Reports and surveys, and each survey's answers (staff write those).
    fn unreadable(&self) -> Vec<Unreadable> {
        let answers = self.surveys.values().map(|s| s.answers.unreadable());
        [self.reports.unreadable(), self.surveys.unreadable()]
            .into_iter()
            .chain(answers)
            .flatten()
            .cloned()
            .collect()
    }
}

/// What a reader of one document of `kind` could not read: the entities it
/// skipped, and whether the document is read-only (written by a newer build).
/// A document that does not read at all is an error.
pub fn unread_in(
    kind: &str,
    am: &automerge::Automerge,
) -> Result<(Vec<Unreadable>, bool), crate::DomainError> {
    use crate::documents::kind::*;
    fn of(doc: impl Readable) -> (Vec<Unreadable>, bool) {
        (doc.unreadable(), doc.is_read_only())
    }
    Ok(match kind {
        STORE => {
            let store = crate::read_store(am)?;
            (vec![], store.schema > crate::SCHEMA_VERSION)
        }
        ORG => of(crate::read_org(am)?),
        TASKS => of(crate::read_tasks_doc(am)?),
        PLANS => of(crate::plans::read_plans(am)?),
        MEETINGS => of(crate::meetings::read_meetings(am)?),
        FEEDBACK => of(crate::feedback::read_feedback(am)?),
        ASSESSMENT | SCORES => of(crate::assessment::read_assessment(am)?),
        CONTACTS => (
            vec![],
            crate::contacts::read_contacts(am)?.schema > crate::SCHEMA_VERSION,
        ),
        MINUTES => (
            vec![],
            crate::meetings::read_minutes(am)?.schema > crate::SCHEMA_VERSION,
        ),
        other => {
            return Err(crate::problem::Invalid::UnknownDocumentKind { kind: other.into() }.into());
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_id_or_reason_is_cut() {
        let u = Unreadable::new("task", &"x".repeat(500), &"y".repeat(500));
        assert_eq!(u.id.chars().count(), Unreadable::MAX_ID + 1);
        assert_eq!(u.reason.chars().count(), Unreadable::MAX_REASON + 1);
        assert_eq!(Unreadable::new("task", "t1", "bad").id, "t1");
    }
}
