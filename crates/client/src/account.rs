//! The device itself: its status, enrolling or opening a new store (beside those it
//! holds), switching between the stores it holds, invites for other devices, "sync
//! now" and signing out.

use storeops_api::command::{
    CreateInvite, Enrol, GetStatus, ListDevices, OpenStore, RevokeDevice, SignOut, SwitchStore,
    SyncNow,
};
use storeops_api::relay::{Invite, InviteRequest, RevokeRequest, StoreDevice};
use storeops_api::status::{AppStatus, SyncStatus};

use crate::device::Run;
use crate::{ClientError, Device, Enrolment, relay};

impl Device {
    /// What the UI needs at start and after enrolment, for this handle's store.
    pub fn app_status(&self) -> AppStatus {
        let mut status = self.own_status();
        status.stores = self.stores.infos();
        status
    }

    fn own_status(&self) -> AppStatus {
        let r = self.replica();
        let e = r.enrolment();
        let store = r.store_info();
        // The role follows the person's positions once the org chart is here.
        let role: Option<storeops_domain::Role> = r
            .actor()
            .ok()
            .map(|a| a.role)
            .or_else(|| e.and_then(|e| e.role.parse().ok()));
        let unread = r.unreadable(role.is_some_and(|r| r.is_manager()));
        AppStatus {
            enrolled: e.is_some(),
            store,
            device_name: e.map(|e| e.device_name.clone()),
            role,
            relay_url: e.map(|e| e.relay_url.clone()),
            sync: r.status(),
            unreadable: unread.entities,
            needs_update: unread.newer,
            stores: vec![],
        }
    }

    /// Keeps what enrolment gave: in the slot of its store if held already (a
    /// renewed enrolment), else beside the stores held; shows it and syncs it.
    fn hold(&self, enrolment: Enrolment, token: &str) -> Result<AppStatus, ClientError> {
        let slot = match self.stores.holding(&enrolment.store_id) {
            Some(slot) => slot,
            None => self.stores.free_slot()?,
        };
        slot.lock().save_enrolment(enrolment, token)?;
        self.stores.choose(&slot)?;
        let device = self.on(slot);
        device.sync_now();
        Ok(device.app_status())
    }
}

fn device_name(name: &str) -> Result<&str, ClientError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ClientError::NeedsDeviceName);
    }
    Ok(name)
}

impl Run<GetStatus> for Device {
    fn run(&self, _: GetStatus) -> Result<AppStatus, ClientError> {
        Ok(self.app_status())
    }
}

/// Enrols with the relay (blocking HTTP), saves the result, and starts syncing.
impl Run<Enrol> for Device {
    fn run(&self, c: Enrol) -> Result<AppStatus, ClientError> {
        let name = device_name(&c.device_name)?;
        let (enrolment, token) =
            relay::enrol(self.http(), &c.relay_url, &c.code, name, self.relay_ca())?;
        self.hold(enrolment, &token)
    }
}

/// Opens a new store on the relay from a seed template (blocking HTTP), enrolled as
/// its director, and starts syncing it.
impl Run<OpenStore> for Device {
    fn run(&self, c: OpenStore) -> Result<AppStatus, ClientError> {
        device_name(&c.store.device_name)?;
        let (enrolment, token) =
            relay::open_store(self.http(), &c.relay_url, &c.store, self.relay_ca())?;
        self.hold(enrolment, &token)
    }
}

/// Shows another store this device holds; a store not held changes nothing.
impl Run<SwitchStore> for Device {
    fn run(&self, c: SwitchStore) -> Result<AppStatus, ClientError> {
        let slot = self
            .stores
            .holding(&c.store_id)
            .ok_or(ClientError::StoreNotHeld(c.store_id))?;
        self.stores.choose(&slot)?;
        let device = self.on(slot);
        let status = device.app_status();
        device.replica().notify_changed();
        Ok(status)
    }
}

impl Run<SyncNow> for Device {
    fn run(&self, _: SyncNow) -> Result<SyncStatus, ClientError> {
        self.sync_now();
        Ok(self.replica().status())
    }
}

/// Asks the relay for a one-time invite code (blocking HTTP); the relay decides who
/// may invite whom.
impl Run<CreateInvite> for Device {
    fn run(&self, c: CreateInvite) -> Result<Invite, ClientError> {
        let (relay_url, token, ca) = self.as_this_device()?;
        // The role follows the person's positions; the relay derives it from its
        // copy of the chart, and takes this one only for someone it does not hold yet.
        let org = self.replica().org()?;
        let derived = c
            .person
            .as_deref()
            .and_then(|p| storeops_domain::access::role_of(&org, p));
        let request = InviteRequest {
            person: c.person,
            role: derived.or(c.role),
            valid_hours: None,
        };
        relay::create_invite(self.http(), &relay_url, &token, &request, ca.as_deref())
    }
}

impl Device {
    /// The relay's address, this device's token and the relay's CA, for a
    /// request made as this device.
    fn as_this_device(&self) -> Result<(String, String, Option<String>), ClientError> {
        let r = self.replica();
        let e = r.enrolment().ok_or(ClientError::NotEnrolled)?;
        Ok((e.relay_url.clone(), r.token()?, e.relay_ca_pem.clone()))
    }

    /// The relay's list, with people's names from this device's org chart and
    /// this device marked.
    fn named(&self, mut devices: Vec<StoreDevice>) -> Result<Vec<StoreDevice>, ClientError> {
        let r = self.replica();
        let org = r.org()?;
        let me = r.enrolment().map(|e| e.device_id.clone());
        for d in &mut devices {
            d.person_name = d
                .person
                .as_ref()
                .and_then(|p| org.people.get(p))
                .map(|p| p.name.clone());
            d.this_device = me.as_deref() == Some(d.id.as_str());
        }
        Ok(devices)
    }
}

impl Run<ListDevices> for Device {
    fn run(&self, _: ListDevices) -> Result<Vec<StoreDevice>, ClientError> {
        let (url, token, ca) = self.as_this_device()?;
        self.named(relay::list_devices(
            self.http(),
            &url,
            &token,
            ca.as_deref(),
        )?)
    }
}

impl Run<RevokeDevice> for Device {
    fn run(&self, c: RevokeDevice) -> Result<Vec<StoreDevice>, ClientError> {
        let (url, token, ca) = self.as_this_device()?;
        let request = RevokeRequest {
            device_id: c.device_id,
        };
        self.named(relay::revoke_device(
            self.http(),
            &url,
            &token,
            &request,
            ca.as_deref(),
        )?)
    }
}

/// Signs this device out: enrolment, token and local documents are removed.
impl Run<SignOut> for Device {
    fn run(&self, c: SignOut) -> Result<(), ClientError> {
        let mut replica = self.replica();
        let unsynced = replica.status().pending_changes;
        if unsynced > c.discard_unsynced {
            return Err(ClientError::UnsyncedChanges(unsynced as u64));
        }
        replica.sign_out()?;
        drop(replica);
        self.sync_now();
        // The screens show another store the device still holds, if any.
        if let Some(other) = self
            .stores
            .slots()
            .into_iter()
            .find(|s| s.lock().enrolment().is_some())
        {
            self.stores.choose(&other)?;
        }
        Ok(())
    }
}
