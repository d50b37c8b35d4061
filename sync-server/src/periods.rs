//! The relay opens each store's period documents ahead (`docs/design/documents.md`,
//! "Who opens a period").
//!
//! Staff devices may not list documents in the store's root, yet they must write
//! this week's recurring tasks even when no manager's device has been on since
//! last week. So, once a day per store (when one of its devices connects), the
//! relay opens what [`split::periods_to_open`] names and nobody opened: this and
//! next week's tasks, this month's feedback, this year's plans, meetings and
//! assessment. A device that was online at any time last week therefore has
//! this week's tasks document, even offline. A manager's device that opens a
//! period offline at the same time makes a second document for it; readers take
//! both.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use automerge::ActorId;
use storeops_domain::calendar::{Date, Zone};
use storeops_domain::{Actor, kind, recurring, split};
use storeops_storage::params;
use storeops_storage::sql::Database;
use storeops_sync::{DocMeta, DocumentId};

use crate::backend::Backend;
use crate::hub::{Hubs, LocalChange};

/// The relay's name in the changes it makes.
const RELAY_ACTOR: &str = "Storeops";

pub struct Periods {
    hubs: Hubs,
    db: Mutex<Box<dyn Database>>,
    /// Per store: its time zone and the day its periods were last opened for.
    opened: Mutex<HashMap<String, (Zone, Date)>>,
    /// Held while opening, so a period is opened once however many devices
    /// connect at once (never while `opened` is held: connections read that).
    opening: Mutex<()>,
}

impl std::fmt::Debug for Periods {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Periods").finish_non_exhaustive()
    }
}

impl Periods {
    pub fn start(backend: &Backend, hubs: Hubs) -> anyhow::Result<Arc<Self>> {
        Ok(Arc::new(Self {
            hubs,
            db: Mutex::new(backend.sql()?),
            opened: Mutex::new(HashMap::new()),
            opening: Mutex::new(()),
        }))
    }

    /// A device of `store` connected: opens its periods in the background
    /// unless they were opened today (a map look-up).
    pub fn on_connect(self: &Arc<Self>, store: &str, now_ms: i64) {
        if self.opened_today(store, now_ms) {
            return;
        }
        let this = self.clone();
        let store = store.to_owned();
        tokio::task::spawn_blocking(move || match this.open_missing(&store, now_ms) {
            Ok(0) => {}
            Ok(n) => tracing::info!(store, opened = n, "opened the store's new periods"),
            Err(e) => tracing::warn!(store, error = %e, "opening the store's periods failed"),
        });
    }

    fn opened_today(&self, store: &str, now_ms: i64) -> bool {
        let opened = self.opened.lock().unwrap_or_else(|p| p.into_inner());
        opened
            .get(store)
            .is_some_and(|(zone, day)| zone.date_of(now_ms) == *day)
    }

    /// Opens the periods of `store` that [`split::periods_to_open`] names for
    /// its today and no document holds; returns how many.
    pub fn open_missing(&self, store: &str, now_ms: i64) -> Result<usize, String> {
        let _one_at_a_time = self.opening.lock().unwrap_or_else(|p| p.into_inner());
        let root = self.root_of(store)?;
        let store_doc = self.hubs.on_engine(store, root, |am| {
            storeops_domain::read_store(am).map_err(|e| e.to_string())
        })?;
        let zone = Zone::named(&store_doc.profile.time_zone).unwrap_or_else(|_| Zone::utc());
        let today = zone.date_of(now_ms);
        if self.opened_today(store, now_ms) {
            return Ok(0);
        }
        let mut count = 0;
        let mut weeks = Vec::new();
        for (kind, period) in split::periods_to_open(today).map_err(|e| e.to_string())? {
            let doc = match first_listed(&store_doc, kind, &period) {
                Some(doc) => doc,
                None => {
                    count += 1;
                    self.open(store, root, kind, &period, now_ms)?
                }
            };
            if kind == kind::TASKS {
                weeks.push(doc);
            }
        }
        self.write_weeks_work(store, &store_doc, &weeks, today, now_ms)?;
        self.opened
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(store.to_owned(), (zone, today));
        Ok(count)
    }

    /// Writes the daily and weekly duties' tasks of this and next week
    /// ([`recurring::owed_in_week`]) into `weeks` (their tasks documents, in
    /// that order), skipping those any of the store's tasks documents holds.
    fn write_weeks_work(
        &self,
        store: &str,
        store_doc: &storeops_domain::StoreDoc,
        weeks: &[DocumentId],
        today: Date,
        now_ms: i64,
    ) -> Result<(), String> {
        let doc_id = |id: &str| {
            id.parse::<DocumentId>()
                .map_err(|_| format!("store {store} lists a damaged document id"))
        };
        let org_doc = doc_id(&store_doc.documents.org)?;
        let org = self.hubs.on_engine(store, org_doc, |am| {
            storeops_domain::read_org(am).map_err(|e| e.to_string())
        })?;
        if org.duties.is_empty() {
            return Ok(());
        }
        let ids_in = |doc: DocumentId| {
            self.hubs.on_engine(store, doc, |am| {
                Ok(storeops_domain::read_tasks(am)
                    .map_err(|e| e.to_string())?
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect::<BTreeSet<String>>())
            })
        };
        let mut known = ids_in(doc_id(&store_doc.documents.tasks)?)?;
        for week in weeks {
            known.extend(ids_in(*week)?);
        }
        let org = Arc::new(org);
        for (i, week) in weeks.iter().enumerate() {
            let monday = today.week_start().add_days(7 * i as i64);
            let owed = recurring::owed_in_week(&org, monday, today, |id| known.contains(id));
            if owed.is_empty() {
                continue;
            }
            let org = org.clone();
            self.hubs.on_engine(store, *week, move |am| {
                am.set_actor(ActorId::random());
                let relay = Actor::manager(RELAY_ACTOR);
                recurring::write_owed(am, &org, &owed, &relay, now_ms).map_err(|e| e.to_string())
            })?;
        }
        Ok(())
    }

    /// Creates the document of `kind` for `period`, then lists it in the root
    /// (a document stored but not listed is unreachable and harmless).
    fn open(
        &self,
        store: &str,
        root: DocumentId,
        kind: &'static str,
        period: &str,
        now_ms: i64,
    ) -> Result<DocumentId, String> {
        let mut am = split::new_period_doc(kind, period, now_ms).map_err(|e| e.to_string())?;
        am.set_actor(ActorId::random());
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| e.to_string())?;
        let doc = DocumentId::from_bytes(bytes);
        let mut meta = DocMeta::new(store, kind);
        meta.subject = kind::subject_of(kind, period);
        let (create, stored) = LocalChange::create(doc, meta, am);
        if !self.hubs.run_local(store, create, stored) {
            return Err(format!(
                "the new {kind} document of {period} was not stored"
            ));
        }
        let period = period.to_owned();
        self.hubs.on_engine(store, root, move |am| {
            am.set_actor(ActorId::random());
            let relay = Actor::manager(RELAY_ACTOR);
            split::register_period_doc(am, &relay, kind, &period, &doc.to_string(), now_ms)
                .map_err(|e| e.to_string())
        })?;
        Ok(doc)
    }
}

/// The first-listed document of `kind` for `period` (the one every device
/// writes to), if any.
fn first_listed(
    store_doc: &storeops_domain::StoreDoc,
    kind: &str,
    period: &str,
) -> Option<DocumentId> {
    let listed = store_doc
        .documents
        .periods
        .get(&split::period_doc_key(kind, period))?;
    let (id, _) = listed.iter().min_by_key(|(id, at)| (**at, (*id).clone()))?;
    id.parse().ok()
}

impl Periods {
    fn root_of(&self, store: &str) -> Result<DocumentId, String> {
        let db = self.db.lock().unwrap_or_else(|p| p.into_inner());
        let root: Option<String> = db
            .row("SELECT root_doc FROM stores WHERE id = $1", params![store])
            .and_then(|r| r.map(|r| r.get(0)).transpose())
            .map_err(|e| e.to_string())?;
        root.ok_or_else(|| format!("there is no store {store}"))?
            .parse()
            .map_err(|_| format!("store {store} has a damaged root document id"))
    }
}
