//! The app's handle on the device side: one held store's replica behind a lock, its
//! sync loop's wake-up, every store the device holds ([`crate::stores`]), the shell's
//! way to the relay's HTTP API, and the one way to call it — a `storeops_api` command
//! through [`Handles`], answered for the store the screens show (each feature module
//! implements [`Run`] for its commands).

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use storeops_api::{ApiError, Command, Handles};
use tokio::sync::Notify;

use crate::stores::{Slot, Stores};
use crate::{ClientError, ClientEvent, RelayHttp, Replica};

/// The app's handle on one held store (its replica plus its sync loop's wake-up) and
/// on every other store the device holds. Commands ([`Handles`]) act on the store the
/// screens show ([`Device::chosen`]); [`Device::replica`] is this handle's own.
#[derive(Debug, Clone)]
pub struct Device {
    replica: Arc<Mutex<Replica>>,
    pub(crate) wake: Arc<Notify>,
    pub(crate) stores: Arc<Stores>,
    /// A self-hosted relay's CA certificate (PEM) to trust when enrolling.
    relay_ca: Option<String>,
    http: Arc<dyn RelayHttp>,
}

impl Device {
    /// The desktop device in `data_dir`, reaching the relay's HTTP API through ureq.
    #[cfg(not(target_family = "wasm"))]
    pub fn open(data_dir: &Path) -> Result<Self, ClientError> {
        Self::open_with(data_dir, Arc::new(crate::relay::Ureq))
    }

    /// The device in `data_dir` (in the browser, a path in the origin's private file
    /// system), reaching the relay's HTTP API through `http`: a handle on the store
    /// shown last.
    pub fn open_with(data_dir: &Path, http: Arc<dyn RelayHttp>) -> Result<Self, ClientError> {
        let stores = Arc::new(Stores::open(data_dir)?);
        let slot = stores.chosen();
        Ok(Self {
            replica: slot.replica,
            wake: slot.wake,
            stores,
            relay_ca: None,
            http,
        })
    }

    /// A handle on `slot`'s store.
    pub(crate) fn on(&self, slot: Slot) -> Self {
        Self {
            replica: slot.replica,
            wake: slot.wake,
            stores: self.stores.clone(),
            relay_ca: self.relay_ca.clone(),
            http: self.http.clone(),
        }
    }

    /// A handle on the store the screens show now.
    pub fn chosen(&self) -> Self {
        self.on(self.stores.chosen())
    }

    /// A handle on each store slot this device has (the data directory's first;
    /// a slot signed out holds no store until the next enrolment).
    pub fn held(&self) -> Vec<Self> {
        self.stores
            .slots()
            .into_iter()
            .map(|s| self.on(s))
            .collect()
    }

    /// Resolves when a store slot is added (the sync loop starts syncing it).
    pub async fn store_added(&self) {
        self.stores.added.notified().await;
    }

    /// Whether `other` is a handle on the same store slot.
    pub fn same_store(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.replica, &other.replica)
    }

    pub(crate) fn http(&self) -> &dyn RelayHttp {
        self.http.as_ref()
    }

    /// Resolves at the next [`Device::sync_now`] (or at once if one is pending): the
    /// sync loop's cue to connect now.
    pub async fn woken(&self) {
        self.wake.notified().await;
    }

    /// Trusts a self-hosted relay's CA certificate (PEM) when enrolling or opening a
    /// store (once enrolled, the enrolment keeps it).
    pub fn trusting(mut self, relay_ca_pem: Option<String>) -> Self {
        self.relay_ca = relay_ca_pem;
        self
    }

    pub(crate) fn relay_ca(&self) -> Option<&str> {
        self.relay_ca.as_deref()
    }

    /// Locks the replica (recovering from a poisoned lock: the replica's state
    /// is always consistent between calls because every call commits first).
    pub fn replica(&self) -> MutexGuard<'_, Replica> {
        self.replica.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Hears every held store's changes and the shown store's sync state.
    pub fn set_listener(&self, listener: impl Fn(ClientEvent) + Send + 'static) {
        self.stores.set_listener(listener);
    }

    /// Wakes the sync loop to reconnect at once.
    pub fn sync_now(&self) {
        self.wake.notify_one();
    }
}

/// One command as the device runs it, failing with a [`ClientError`]; every `Run`
/// is also the [`Handles`] that `storeops_api::Request::dispatch` calls.
pub trait Run<C: Command> {
    fn run(&self, command: C) -> Result<C::Output, ClientError>;
}

impl<C: Command> Handles<C> for Device
where
    Device: Run<C>,
{
    /// Answers for the store the screens show.
    fn handle(&self, command: C) -> Result<C::Output, ApiError> {
        self.chosen().run(command).map_err(ApiError::from)
    }
}

pub(crate) fn parse_owner(text: &str) -> Result<storeops_domain::Owner, ClientError> {
    text.parse()
        .map_err(|e: storeops_domain::OwnerParseError| ClientError::BadOwner(e.0))
}

/// A fresh random id part: 16 hex digits.
pub(crate) fn random_id() -> Result<String, ClientError> {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).map_err(|e| ClientError::Internal(e.to_string()))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

pub(crate) fn now_ms() -> i64 {
    web_time::SystemTime::now()
        .duration_since(web_time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
pub(crate) fn not_found(what: storeops_domain::problem::Noun, id: &str) -> ClientError {
    ClientError::Domain(storeops_domain::DomainError::NotFound {
        what,
        id: id.to_owned(),
    })
}

/// A date as the UI sends it (`YYYY-MM-DD`).
pub(crate) fn parse_date(text: &str) -> Result<storeops_domain::calendar::Date, ClientError> {
    text.parse::<storeops_domain::calendar::Date>()
        .map_err(|_| {
            ClientError::Domain(
                storeops_domain::problem::Invalid::NotADate { text: text.into() }.into(),
            )
        })
}

/// [`parse_date`], written back in its canonical form.
pub(crate) fn check_date(text: &str) -> Result<String, ClientError> {
    parse_date(text).map(|d| d.to_string())
}
