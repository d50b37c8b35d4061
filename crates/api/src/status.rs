//! The device's state: enrolled or not, its store, its sync.

use serde::{Deserialize, Serialize};
use storeops_domain::Role;

/// The sync indicator's data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncStatus {
    pub online: bool,
    /// Local changes the relay has not confirmed.
    pub pending_changes: u32,
    /// Unix ms of the last moment everything local was confirmed.
    pub last_synced_at: Option<i64>,
    pub last_error: Option<String>,
    /// The store's root, org and tasks documents are on this device: until then the
    /// screens are empty because nothing has arrived, not because the store is empty.
    pub store_arrived: bool,
}

/// The store this device belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreInfo {
    pub id: String,
    pub name: String,
    /// IANA name; empty until the store's documents have arrived.
    pub time_zone: String,
    /// `zh-CN` or `en`; empty until the store's documents have arrived.
    pub locale: String,
}

/// What the UI needs at start and after enrolment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppStatus {
    pub enrolled: bool,
    pub store: Option<StoreInfo>,
    pub device_name: Option<String>,
    pub role: Option<Role>,
    pub relay_url: Option<String>,
    pub sync: SyncStatus,
    /// What the screens left out, when they last read their documents, because it
    /// does not read (written by a faulty device): managers are told, to have it
    /// fixed. Empty on staff devices.
    #[serde(default)]
    pub unreadable: Vec<Unreadable>,
    /// Some of the store's documents were written by a newer Storeops: they are shown
    /// as far as this app understands them, and changes to them are refused
    /// (`update_app`) until the app is updated.
    #[serde(default)]
    pub needs_update: bool,
    /// Every store this device holds (`store` is the one shown); the shell offers a
    /// switcher when there is more than one.
    #[serde(default)]
    pub stores: Vec<StoreInfo>,
}

/// An entity of the store's documents this device could not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unreadable {
    /// `task`, `person`, `position`, `department`, `duty`, `plan`, `meeting`,
    /// `report`, `survey`, `survey answer`, `kpi`, `assessment`, `award`,
    /// `training plan`, or `<kind> document` for a whole document.
    pub kind: String,
    pub id: String,
    /// Why, in a few words (for whoever fixes it).
    pub reason: String,
}

impl AppStatus {
    /// Every role but staff manages something and sees the managers' screens; what
    /// each may actually change the views' `can_*` flags say.
    pub fn is_manager(&self) -> bool {
        self.role.is_some_and(Role::is_manager)
    }
}
