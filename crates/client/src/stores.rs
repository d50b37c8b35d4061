//! The stores one device holds (a director, or an operations manager over several
//! stores). Each store is its own [`Replica`] in its own directory — its documents,
//! enrolment and device token kept apart, synced over its own connection with its own
//! token, so the relay's per-store access control is unchanged. The first is the data
//! directory itself, where a device of one store always kept it (an existing data
//! directory is simply the first store, nothing to migrate); the others are in
//! `stores/<n>/`. The first replica's settings list the others and remember which
//! store the screens show.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use storeops_api::status::StoreInfo;
use tokio::sync::Notify;

use crate::{ClientError, ClientEvent, Replica};

/// The first replica's setting listing the other stores' directories (JSON).
const HELD: &str = "held_stores";
/// The first replica's setting naming the directory of the store shown.
const CHOSEN: &str = "chosen_store";

type Listener = Arc<Mutex<Option<Box<dyn Fn(ClientEvent) + Send>>>>;

/// One held store: where it lives, its replica and its sync loop's wake-up.
#[derive(Debug, Clone)]
pub(crate) struct Slot {
    /// The directory under the data directory (`""`: the data directory itself).
    pub(crate) dir: String,
    pub(crate) replica: Arc<Mutex<Replica>>,
    pub(crate) wake: Arc<Notify>,
}

impl Slot {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Replica> {
        self.replica.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn store_id(&self) -> Option<String> {
        self.lock().enrolment().map(|e| e.store_id.clone())
    }
}

/// Every store the device holds, and the one the screens show.
pub(crate) struct Stores {
    data_dir: PathBuf,
    slots: Mutex<Vec<Slot>>,
    chosen: Arc<Mutex<String>>,
    listener: Listener,
    /// Wakes the sync loop when a store is added.
    pub(crate) added: Notify,
}

impl std::fmt::Debug for Stores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stores")
            .field("data_dir", &self.data_dir)
            .finish_non_exhaustive()
    }
}

impl Stores {
    /// Opens every store held in `data_dir` (creating the first).
    pub(crate) fn open(data_dir: &Path) -> Result<Self, ClientError> {
        let first = Replica::open(data_dir)?;
        let others: Vec<String> = match first.setting(HELD)? {
            Some(json) => serde_json::from_str(&json).map_err(|e| {
                ClientError::Storage(format!("the list of stores held is unreadable: {e}"))
            })?,
            None => vec![],
        };
        let chosen = first.setting(CHOSEN)?.unwrap_or_default();
        let stores = Self {
            data_dir: data_dir.to_owned(),
            slots: Mutex::new(Vec::new()),
            chosen: Arc::new(Mutex::new(String::new())),
            listener: Arc::new(Mutex::new(None)),
            added: Notify::new(),
        };
        stores.keep(String::new(), first);
        for dir in others {
            let replica = Replica::open(&data_dir.join(&dir))?;
            stores.keep(dir, replica);
        }
        if stores.slots().iter().any(|s| s.dir == chosen) {
            *stores.chosen_dir() = chosen;
        }
        Ok(stores)
    }

    fn keep(&self, dir: String, mut replica: Replica) -> Slot {
        // Every store's changes re-read the screens; only the shown store's sync
        // state is the indicator's.
        let (listener, chosen, own) = (self.listener.clone(), self.chosen.clone(), dir.clone());
        replica.set_listener(move |event| {
            if matches!(event, ClientEvent::Sync(_))
                && *chosen.lock().unwrap_or_else(|p| p.into_inner()) != own
            {
                return;
            }
            if let Some(l) = listener.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
                l(event);
            }
        });
        let slot = Slot {
            dir,
            replica: Arc::new(Mutex::new(replica)),
            wake: Arc::new(Notify::new()),
        };
        self.lock_slots().push(slot.clone());
        slot
    }

    fn lock_slots(&self) -> MutexGuard<'_, Vec<Slot>> {
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn chosen_dir(&self) -> MutexGuard<'_, String> {
        self.chosen.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn set_listener(&self, listener: impl Fn(ClientEvent) + Send + 'static) {
        *self.listener.lock().unwrap_or_else(|p| p.into_inner()) = Some(Box::new(listener));
    }

    /// Every slot, the data directory's first.
    pub(crate) fn slots(&self) -> Vec<Slot> {
        self.lock_slots().clone()
    }

    /// The store the screens show.
    pub(crate) fn chosen(&self) -> Slot {
        let dir = self.chosen_dir().clone();
        let slots = self.lock_slots();
        slots
            .iter()
            .find(|s| s.dir == dir)
            .unwrap_or(&slots[0])
            .clone()
    }

    /// The slot holding store `store_id`.
    pub(crate) fn holding(&self, store_id: &str) -> Option<Slot> {
        self.slots()
            .into_iter()
            .find(|s| s.store_id().as_deref() == Some(store_id))
    }

    /// Where a store not held yet goes: the shown slot if it holds none, else
    /// another that holds none, else a new directory.
    pub(crate) fn free_slot(&self) -> Result<Slot, ClientError> {
        let chosen = self.chosen();
        if chosen.store_id().is_none() {
            return Ok(chosen);
        }
        if let Some(free) = self.slots().into_iter().find(|s| s.store_id().is_none()) {
            return Ok(free);
        }
        let slots = self.slots();
        let dir = format!("stores/{}", slots.len());
        let replica = Replica::open(&self.data_dir.join(&dir))?;
        let others: Vec<String> = slots
            .iter()
            .skip(1)
            .map(|s| s.dir.clone())
            .chain([dir.clone()])
            .collect();
        let json =
            serde_json::to_string(&others).map_err(|e| ClientError::Internal(e.to_string()))?;
        slots[0].lock().set_setting(HELD, &json)?;
        let slot = self.keep(dir, replica);
        self.added.notify_one();
        Ok(slot)
    }

    /// Shows `slot`'s store from now on, also after a restart.
    pub(crate) fn choose(&self, slot: &Slot) -> Result<(), ClientError> {
        let first = self.slots()[0].clone();
        first.lock().set_setting(CHOSEN, &slot.dir)?;
        *self.chosen_dir() = slot.dir.clone();
        Ok(())
    }

    /// The stores held, in the order they were added.
    pub(crate) fn infos(&self) -> Vec<StoreInfo> {
        self.slots()
            .iter()
            .filter_map(|s| s.lock().store_info())
            .collect()
    }
}
