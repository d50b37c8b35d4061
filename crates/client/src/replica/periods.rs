//! The store's period documents on this device (`docs/design/documents.md`): which
//! exist, reading a kind's documents together, and opening a new period's document.
//!
//! The device keeps the documents of the periods people work in (see
//! [`Replica::keeps`]), so everything recent works offline and a cold start stays
//! fast however old the store is; views read only the periods they show.

use automerge::Automerge;
use storeops_domain::calendar::Date;
use storeops_domain::{self as domain, DomainError, kind};
use storeops_sync::{DocMeta, DocumentId};

use super::Replica;
use crate::ClientError;
use crate::device::now_ms;

/// How many weeks back the task views read (older work is history).
pub const TASK_WEEKS_BACK: i64 = 8;
/// How many weeks ahead the task views read (plans schedule the coming week).
pub const TASK_WEEKS_AHEAD: i64 = 2;

impl Replica {
    pub(super) fn store_doc(&self) -> Option<domain::StoreDoc> {
        let am = self.engine.document(&self.root_doc()?)?;
        let heads = am.get_heads();
        if let Some((at, store)) = &self.reads.borrow().store
            && *at == heads
        {
            return Some(store.clone());
        }
        let store = domain::read_store(am).ok()?;
        self.reads.borrow_mut().store = Some((heads, store.clone()));
        Some(store)
    }

    /// The documents this device keeps in sync: org, the first tasks document and
    /// the period documents [`Replica::keeps`].
    pub(super) fn linked_all(&self) -> Vec<DocumentId> {
        self.linked_kinds().into_iter().map(|(_, d)| d).collect()
    }

    /// [`Replica::linked_all`] with each document's kind.
    pub(super) fn linked_kinds(&self) -> Vec<(String, DocumentId)> {
        let Some(store) = self.store_doc() else {
            return vec![];
        };
        let today = self.today_date();
        // Only managers receive what only managers may read.
        let manager = self
            .enrolment
            .as_ref()
            .and_then(|e| e.role.parse::<domain::Role>().ok())
            .is_some_and(|r| r.is_manager());
        // Of the documents about one subject, only those the relay serves this
        // device (the same rule).
        let reader = std::cell::OnceCell::new();
        let may_read_about = |kind: &str, period: &str| match kind::subject_of(kind, period) {
            None => true,
            Some(subject) => reader
                .get_or_init(|| self.actor().ok().zip(self.org().ok()))
                .as_ref()
                .is_some_and(|(actor, org)| {
                    domain::assessment::may_read_scores(org, actor, &subject)
                }),
        };
        let mut ids = vec![
            (kind::ORG.to_owned(), store.documents.org.clone()),
            (kind::TASKS.to_owned(), store.documents.tasks.clone()),
        ];
        for (key, docs) in &store.documents.periods {
            if let Some((kind, period)) = key.split_once('/')
                && keeps(kind, period, today)
                && (manager || !kind::MANAGERS_ONLY.contains(&kind))
                && may_read_about(kind, period)
            {
                ids.extend(docs.keys().map(|d| (kind.to_owned(), d.clone())));
            }
        }
        ids.into_iter()
            .filter_map(|(kind, id)| Some((kind, id.parse().ok()?)))
            .collect()
    }

    /// Every document this device keeps ([`Replica::linked_all`]) has arrived.
    pub fn all_arrived(&self) -> bool {
        let linked = self.linked_all();
        !linked.is_empty() && linked.iter().all(|d| self.arrived(d).is_some())
    }

    /// A document that has arrived (has content) on this device.
    pub fn arrived(&self, doc: &DocumentId) -> Option<&Automerge> {
        self.engine
            .document(doc)
            .filter(|am| !am.get_heads().is_empty())
    }

    /// The arrived documents of `kind` whose period `keep` accepts, as
    /// `(period, id)`, oldest period first.
    pub(crate) fn kind_docs(
        &self,
        kind: &str,
        keep: impl Fn(&str) -> bool,
    ) -> Vec<(String, DocumentId)> {
        let Some(store) = self.store_doc() else {
            return vec![];
        };
        let prefix = format!("{kind}/");
        let mut docs = Vec::new();
        for (key, ids) in &store.documents.periods {
            let Some(period) = key.strip_prefix(&prefix) else {
                continue;
            };
            if !keep(period) {
                continue;
            }
            // Oldest listing first: the one every device writes to.
            let mut listed: Vec<(&i64, &String)> = ids.iter().map(|(id, at)| (at, id)).collect();
            listed.sort();
            for (_, id) in listed {
                if let Ok(doc) = id.parse::<DocumentId>()
                    && self.arrived(&doc).is_some()
                {
                    docs.push((period.to_owned(), doc));
                }
            }
        }
        docs
    }

    /// The tasks documents the task views read: the first one, and the weeks from
    /// [`TASK_WEEKS_BACK`] before today to [`TASK_WEEKS_AHEAD`] after.
    pub(crate) fn task_docs(&self) -> Vec<DocumentId> {
        let mut docs = Vec::new();
        if let Some((_, first)) = self.linked()
            && self.arrived(&first).is_some()
        {
            docs.push(first);
        }
        let today = self.today_date();
        let from = week_key(today.add_days(-7 * TASK_WEEKS_BACK));
        let to = week_key(today.add_days(7 * TASK_WEEKS_AHEAD));
        docs.extend(
            self.kind_docs(kind::TASKS, |w| w >= from.as_str() && w <= to.as_str())
                .into_iter()
                .map(|(_, d)| d),
        );
        docs
    }

    /// Which of the arrived documents of `kind` (or the task views' documents for
    /// tasks) holds `key` in its top-level map `map` (`tasks`, `plans`, ...).
    pub(crate) fn locate(&self, kind: &str, map: &str, key: &str) -> Option<DocumentId> {
        use automerge::{ObjType, ROOT, ReadDoc, Value};
        let mut candidates: Vec<DocumentId> = if kind == kind::TASKS {
            self.task_docs()
        } else {
            vec![]
        };
        candidates.extend(self.kind_docs(kind, |_| true).into_iter().map(|(_, d)| d));
        candidates.into_iter().find(|doc| {
            self.arrived(doc).is_some_and(|am| {
                matches!(am.get(ROOT, map), Ok(Some((Value::Object(ObjType::Map), obj)))
                    if am.get(&obj, key).ok().flatten().is_some())
            })
        })
    }

    /// The document to write `kind` for `period` into. A manager's device opens
    /// (creates and lists in the root) a period no device has opened yet: the root's
    /// listing is written first, so the relay accepts the new document when it
    /// arrives. Staff devices, which may not write the root, write to the latest
    /// opened period of the kind instead.
    pub(crate) fn period_doc_for_write(
        &mut self,
        kind: &str,
        period: &str,
    ) -> Result<DocumentId, ClientError> {
        let store = self.store_doc().ok_or(ClientError::NotSyncedYet)?;
        let listed = domain::split::period_docs(&store, kind, period);
        let actor = self.actor()?;
        if !listed.is_empty() {
            let here = self
                .kind_docs(kind, |p| p == period)
                .into_iter()
                .map(|(_, d)| d)
                .next();
            // Listed but not here yet: online it is on its way; offline, a manager
            // opens a second document for the period rather than wait (readers take
            // both, see docs/design/documents.md).
            // Staff, who cannot list documents, write to the latest one they have.
            match here {
                Some(doc) => return Ok(doc),
                None if !actor.is_manager() => {
                    return self
                        .kind_docs(kind, |p| p <= period)
                        .into_iter()
                        .map(|(_, d)| d)
                        .next_back()
                        .ok_or(ClientError::NotSyncedYet);
                }
                None if self.status.online => return Err(ClientError::NotSyncedYet),
                None => {}
            }
        }
        if !actor.is_manager() {
            return self
                .kind_docs(kind, |p| p <= period)
                .into_iter()
                .map(|(_, d)| d)
                .next_back()
                .ok_or_else(|| ClientError::PeriodNotOpened {
                    kind: kind.into(),
                    period: period.into(),
                });
        }
        let now = now_ms();
        let am = domain::split::new_period_doc(kind, period, now)?;
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| ClientError::Internal(e.to_string()))?;
        let doc = DocumentId::from_bytes(bytes);
        let root = self.root_doc().ok_or(ClientError::NotEnrolled)?;
        let doc_text = doc.to_string();
        self.change_document(root, |root_am, actor, now| {
            domain::split::register_period_doc(root_am, actor, kind, period, &doc_text, now)
        })?;
        let scope = self
            .enrolment
            .as_ref()
            .map(|e| e.store_id.clone())
            .unwrap_or_default();
        self.engine.create(
            doc,
            DocMeta {
                scope,
                kind: kind.to_owned(),
                subject: kind::subject_of(kind, period),
            },
            am,
            now as u64,
        );
        self.pump()?;
        Ok(doc)
    }

    /// Runs `f` on the document of `kind` for `period` (opening it if need be);
    /// durable when this returns.
    pub(crate) fn change_period<R>(
        &mut self,
        kind: &str,
        period: &str,
        f: impl FnOnce(&mut Automerge, &domain::Actor, i64) -> Result<R, DomainError>,
    ) -> Result<R, ClientError> {
        let doc = self.period_doc_for_write(kind, period)?;
        self.change_document(doc, f)
    }

    /// Runs `f` on the document of `kind` holding `key` in its top-level map `map`
    /// (`plans`, `meetings`, `reports`, `kpis`, …); durable when this returns.
    pub fn change_holding<R>(
        &mut self,
        kind: &str,
        map: &str,
        key: &str,
        f: impl FnOnce(&mut Automerge, &domain::Actor, i64) -> Result<R, DomainError>,
    ) -> Result<R, ClientError> {
        let doc = self
            .locate(kind, map, key)
            .ok_or_else(|| ClientError::Domain(not_found(map, key)))?;
        self.change_document(doc, f)
    }

    /// Opens the periods work is written to now, so staff devices find them: this
    /// and next week's tasks, this month's feedback, this year's plans, meetings
    /// and assessment. Managers' devices only; a no-op when all are open.
    pub(crate) fn open_current_periods(&mut self) -> Result<(), ClientError> {
        if !self.actor().is_ok_and(|a| a.is_manager()) || self.store_doc().is_none() {
            return Ok(());
        }
        let today = self.today_date();
        for (k, period) in domain::split::periods_to_open(today)? {
            let store = self.store_doc().ok_or(ClientError::NotSyncedYet)?;
            if domain::split::period_docs(&store, k, &period).is_empty() {
                self.period_doc_for_write(k, &period)?;
            }
        }
        Ok(())
    }
}

impl Replica {
    /// Creates the recurring tasks this device's person owes (every duty for the
    /// store's managers, their departments' for a department manager, their own for
    /// staff): the current period's and those missed since the store last made them
    /// ([`domain::recurring::owed`]), each in its week's document. Online or not,
    /// once a day and whenever the number of duties changes. Ids are deterministic,
    /// so devices doing it at once, offline, write the same tasks.
    pub(crate) fn generate_recurring_tasks(&mut self) -> Result<usize, ClientError> {
        let today = self.today_date();
        let Ok(org) = self.org() else {
            return Ok(0);
        };
        let mark = (today, org.duties.len());
        if org.duties.is_empty() || self.recurring_generated_for == Some(mark) {
            return Ok(0);
        }
        let Ok(actor) = self.actor() else {
            return Ok(0);
        };
        if !self.all_arrived() {
            return Ok(0);
        }
        self.recurring_incomplete = false;
        let existing = self.task_ids();
        let owed = domain::recurring::owed(
            &org,
            today,
            |id| existing.contains(id),
            |duty| domain::recurring::holds_duty(&actor, &org, duty),
        );
        let mut by_week: std::collections::BTreeMap<String, Vec<domain::recurring::Owed>> =
            Default::default();
        for o in owed {
            by_week.entry(week_key(o.home)).or_default().push(o);
        }
        let mut made = 0;
        for (week, owed) in by_week {
            match self.change_period(kind::TASKS, &week, |am, actor, now| {
                domain::recurring::write_owed(am, &org, &owed, actor, now)
            }) {
                Ok(n) => made += n,
                // No document to write that week into yet (a staff device before
                // any device opened it): the next upkeep tries again.
                Err(e) => {
                    tracing::info!(error = %e, week, "recurring tasks wait for their week");
                    self.recurring_incomplete = true;
                }
            }
        }
        self.recurring_generated_for = Some(mark);
        Ok(made)
    }
}

/// Whether a device keeps a period's document: tasks of the weeks the task views
/// read, feedback of the last twelve months, plans, meetings and assessment of last,
/// this and next year. Older documents stay on the relay (and on devices that had
/// them); a year of a 50-staff store would otherwise load ~95,000 changes at start.
pub fn keeps(kind: &str, period: &str, today: Date) -> bool {
    match kind {
        kind::CONTACTS => true,
        kind::TASKS => {
            let from = week_key(today.add_days(-7 * TASK_WEEKS_BACK));
            let to = week_key(today.add_days(7 * TASK_WEEKS_AHEAD));
            period >= from.as_str() && period <= to.as_str()
        }
        kind::FEEDBACK => {
            let from = format!("{}-{:02}", today.year - 1, today.month);
            period > from.as_str()
        }
        _ => period
            .get(..4)
            .and_then(|y| y.parse::<i32>().ok())
            .is_some_and(|y| (today.year - 1..=today.year + 1).contains(&y)),
    }
}

/// `2026-W48`.
pub fn week_key(day: Date) -> String {
    let (y, w) = day.iso_week();
    format!("{y}-W{w:02}")
}

fn not_found(map: &str, key: &str) -> DomainError {
    use storeops_domain::problem::Noun;
    DomainError::NotFound {
        what: match map {
            "plans" => Noun::Plan,
            "meetings" => Noun::Meeting,
            "reports" => Noun::Report,
            _ => Noun::Task,
        },
        id: key.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_keeps_recent_periods_only() {
        let today = Date::new(2026, 11, 28).unwrap();
        assert!(keeps(kind::TASKS, "2026-W48", today));
        assert!(keeps(kind::TASKS, "2026-W40", today));
        assert!(!keeps(kind::TASKS, "2026-W39", today));
        assert!(keeps(kind::TASKS, "2026-W50", today));
        assert!(!keeps(kind::TASKS, "2026-W51", today));
        assert!(keeps(kind::FEEDBACK, "2025-12", today));
        assert!(!keeps(kind::FEEDBACK, "2025-11", today));
        assert!(keeps(kind::PLANS, "2025", today) && keeps(kind::PLANS, "2027", today));
        assert!(!keeps(kind::MEETINGS, "2024", today));
        assert!(!keeps(kind::ASSESSMENT, "garbage", today));
    }
}
