//! Showing another store this device holds, and adding one with an invite.

use storeops_api::command::{Enrol, SwitchStore};

use crate::i18n::Key;
use crate::services::{browser, call};
use crate::settings::calls::EnrolRequest;
use crate::shell::run::{Dispatch, refused, run};
use crate::shell::state::{Action, Op, Screen};

/// Shows store `store_id` from now on (remembered by the device), at `screen`.
pub fn switch_store(d: &Dispatch, store_id: String, screen: Screen) {
    run(
        d,
        Op::SwitchStore,
        call(SwitchStore { store_id }),
        move |d, status, _| {
            d.dispatch(Action::StoreShown { status, screen });
            browser::scroll_to_top();
        },
    );
}

/// Redeems an invite to another store: the device holds it beside the others and
/// shows it.
pub fn add_store(d: &Dispatch, req: EnrolRequest) {
    let relay_url = req.relay_url.trim().to_owned();
    let code = req.code.trim().to_owned();
    let device_name = req.device_name.trim().to_owned();
    if relay_url.is_empty() || code.is_empty() || device_name.is_empty() {
        return refused(d, Key::FillAllFields);
    }
    let command = call(Enrol {
        relay_url,
        code,
        device_name,
    });
    run(d, Op::AddStore, command, |d, status, _| {
        d.dispatch(Action::StoreShown {
            status,
            screen: Screen::Today,
        });
        browser::scroll_to_top();
    });
}
