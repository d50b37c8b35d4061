//! Enrolling, invites, copying and signing out.

use storeops_api::command::{CreateInvite, Enrol, OpenStore, SignOut};
use storeops_api::relay::NewStore;
use yew::Callback;

use crate::i18n::Key;
use crate::services::call;
use crate::services::{browser, offline};
use crate::shell::controller::reload;
use crate::shell::run::{Dispatch, refused, run};
use crate::shell::state::ticket;
use crate::shell::state::{Action, Op};

/// What the enrol form submits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnrolRequest {
    pub relay_url: String,
    pub code: String,
    pub device_name: String,
}

pub fn enrol(d: &Dispatch, req: EnrolRequest) {
    let relay_url = req.relay_url.trim().to_owned();
    let code = req.code.trim().to_owned();
    let device_name = req.device_name.trim().to_owned();
    if relay_url.is_empty() || code.is_empty() || device_name.is_empty() {
        return refused(d, Key::FillAllFields);
    }
    // The web app can only reach the relay that served it (no cross-origin requests).
    if !offline::in_tauri()
        && offline::origin()
            .is_some_and(|o| !o.eq_ignore_ascii_case(relay_url.trim_end_matches('/')))
    {
        return refused(d, Key::LinkForAnotherRelay);
    }
    let asked_at = ticket();
    let command = call(Enrol {
        relay_url,
        code,
        device_name,
    });
    // Once enrolled, the task list fetches itself.
    run(d, Op::Enrol, command, move |d, status, _| {
        d.dispatch(Action::StatusLoaded { status, asked_at });
    });
}

/// What "Create invite code" asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InviteRequest {
    /// The id of the person the device is for (their positions give its role).
    pub person: Option<String>,
}

/// A manager's "Create invite code".
pub fn create_invite(d: &Dispatch, req: InviteRequest) {
    let command = call(CreateInvite {
        person: req.person,
        role: None,
    });
    run(d, Op::Invite, command, |d, invite, _| {
        d.dispatch(Action::InviteCreated(invite));
    });
}

/// What a "Copy" button asks for; `copied` is called once the text is on the clipboard.
#[derive(Clone, Debug, PartialEq)]
pub struct CopyRequest {
    pub text: String,
    pub copied: Callback<()>,
}

pub fn copy(d: &Dispatch, req: CopyRequest) {
    let d = d.clone();
    wasm_bindgen_futures::spawn_local(async move {
        match browser::copy_text(&req.text).await {
            Ok(()) => req.copied.emit(()),
            Err(()) => refused(&d, Key::CopyFailed),
        }
    });
}

/// "Sign out of this device", once confirmed with `discard_unsynced` changes not yet
/// synced in view: leave the store and show enrolment. The device refuses if more wait
/// by then.
pub fn sign_out(d: &Dispatch, discard_unsynced: u32) {
    run(
        d,
        Op::SignOut,
        call(SignOut { discard_unsynced }),
        |d, (), _| {
            offline::mark_enrolled(false);
            d.dispatch(Action::SignedOut);
            reload(d.clone());
        },
    );
}

/// What the new-store form submits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenStoreRequest {
    pub relay_url: String,
    pub store: NewStore,
}

impl OpenStoreRequest {
    /// Trims every field; refuses one left empty.
    pub fn checked(mut self) -> Result<Self, Key> {
        let s = &mut self.store;
        for field in [
            &mut self.relay_url,
            &mut s.code,
            &mut s.name,
            &mut s.device_name,
            &mut s.time_zone,
        ] {
            *field = field.trim().to_owned();
            if field.is_empty() {
                return Err(Key::FillStoreFields);
            }
        }
        Ok(self)
    }
}

/// "Open store" on the first-run screen: like enrolling, the status it returns shows the
/// new store's screens.
pub fn open_store(d: &Dispatch, req: OpenStoreRequest) {
    let req = match req.checked() {
        Ok(req) => req,
        Err(key) => return refused(d, key),
    };
    let asked_at = ticket();
    let command = call(OpenStore {
        relay_url: req.relay_url,
        store: req.store,
    });
    crate::shell::run::run(d, Op::OpenStore, command, move |d, status, _| {
        d.dispatch(Action::StatusLoaded { status, asked_at });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> OpenStoreRequest {
        OpenStoreRequest {
            relay_url: " http://127.0.0.1:8787 ".into(),
            store: NewStore {
                code: " NEW-1 ".into(),
                name: " 人民路店 ".into(),
                template: "plan2".into(),
                locale: "zh-CN".into(),
                time_zone: "Asia/Shanghai".into(),
                device_name: "店长的电脑".into(),
                person_name: Some(" 李敏 ".into()),
            },
        }
    }

    #[test]
    fn a_new_store_request_is_trimmed() {
        let req = request().checked();
        let req = req.as_ref().map(|r| {
            (
                r.relay_url.as_str(),
                r.store.name.as_str(),
                r.store.code.as_str(),
            )
        });
        assert_eq!(req, Ok(("http://127.0.0.1:8787", "人民路店", "NEW-1")));
    }

    #[test]
    fn a_new_store_needs_every_field() {
        let mut req = request();
        req.store.name = "  ".into();
        assert_eq!(req.checked(), Err(Key::FillStoreFields));
        let mut req = request();
        req.store.code = String::new();
        assert_eq!(req.checked(), Err(Key::FillStoreFields));
    }
}
