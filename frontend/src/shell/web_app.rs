//! What only the phone web app shows: that another tab holds this device's data (with
//! "Use here"), that another tab took it over, that a new version is ready, that the
//! browser's copy of the store cannot be read (with "Start again in this browser"), and
//! that the browser removed it.

use yew::prelude::*;

use crate::i18n::{Key, t};
use crate::services::{offline, worker};
use crate::shell::context::{use_dispatch, use_lang};
use crate::shell::state::{Action, DeviceHere};
use crate::ui::busy_button;

#[derive(Properties, PartialEq, Debug)]
pub struct OtherTabProps {
    pub here: DeviceHere,
}

/// In place of every screen while another tab holds the device.
#[function_component(OtherTab)]
pub fn other_tab(props: &OtherTabProps) -> Html {
    let lang = use_lang();
    let d = use_dispatch();
    let (title, body, button, onclick) = match props.here {
        DeviceHere::Elsewhere => (
            Key::OpenElsewhereTitle,
            Key::OpenElsewhereBody,
            Key::UseHere,
            Callback::from(move |_: MouseEvent| {
                worker::take_over();
                d.dispatch(Action::DeviceHere(DeviceHere::Here));
            }),
        ),
        _ => (
            Key::TakenOverTitle,
            Key::TakenOverBody,
            Key::Reload,
            Callback::from(|_: MouseEvent| offline::reload()),
        ),
    };
    html! {
        <main class="content">
            <section id="other-tab" class="card centre-card" role="alert">
                <h2 class="card-title">{ t(lang, title) }</h2>
                <p class="card-intro">{ t(lang, body) }</p>
                <button type="button" id="other-tab-button" class="button button-primary" {onclick}>
                    { t(lang, button) }
                </button>
            </section>
        </main>
    }
}

/// "A new version is ready — Reload": the new version takes over only when asked.
#[function_component(UpdateBanner)]
pub fn update_banner() -> Html {
    let lang = use_lang();
    let onclick = Callback::from(|_: MouseEvent| offline::activate_update());
    html! {
        <div id="update-ready" class="banner banner-notice" role="status">
            <span class="banner-icon" aria-hidden="true"></span>
            <p class="banner-message">{ t(lang, Key::UpdateReady) }</p>
            <button type="button" id="update-reload" class="button button-secondary" {onclick}>
                { t(lang, Key::Reload) }
            </button>
        </div>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct DamagedStorageProps {
    pub on_retry: Callback<MouseEvent>,
}

/// In place of every screen when the device's database in this browser cannot be
/// opened (the error banner above says why): "Try again", and deleting this browser's copy to enrol again (asked twice).
#[function_component(DamagedStorage)]
pub fn damaged_storage(props: &DamagedStorageProps) -> Html {
    let lang = use_lang();
    let confirming = use_state(|| false);
    let busy = use_state(|| false);
    let failed = use_state(|| false);
    let ask = {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(true))
    };
    let delete = {
        let (busy, failed) = (busy.clone(), failed.clone());
        Callback::from(move |_: MouseEvent| {
            busy.set(true);
            let (busy, failed) = (busy.clone(), failed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = offline::start_afresh().await {
                    web_sys::console::warn_1(&format!("start afresh: {e}").into());
                    failed.set(true);
                    busy.set(false);
                }
            });
        })
    };
    html! {
        <section id="storage-damaged" class="card centre-card" role="alert">
            <h2 class="card-title">{ t(lang, Key::DamagedTitle) }</h2>
            <p class="card-intro">{ t(lang, Key::DamagedBody) }</p>
            if *failed {
                <p class="sync-error" role="alert">{ t(lang, Key::StartAfreshFailed) }</p>
            }
            <div class="card-actions">
                <button type="button" id="retry-button" class="button button-primary" onclick={props.on_retry.clone()}>
                    { t(lang, Key::Retry) }
                </button>
                if !*confirming {
                    <button type="button" id="start-afresh" class="button button-secondary" onclick={ask}>
                        { t(lang, Key::StartAfresh) }
                    </button>
                }
            </div>
            if *confirming {
                <div class="sheet-danger">
                    <p>{ t(lang, Key::StartAfreshConfirm) }</p>
                    { busy_button(lang, Some("start-afresh-confirm"), "button button-danger", *busy, [Key::DeleteAndStartAgain, Key::Deleting], Some(delete)) }
                </div>
            }
        </section>
    }
}

/// Over the enrol form when this browser was enrolled and its data is gone.
#[function_component(StorageCleared)]
pub fn storage_cleared() -> Html {
    let lang = use_lang();
    html! {
        <section id="storage-cleared" class="banner banner-notice" role="alert">
            <span class="banner-icon" aria-hidden="true"></span>
            <div class="banner-message">
                <strong>{ t(lang, Key::StorageClearedTitle) }</strong>
                <p>{ t(lang, Key::StorageClearedBody) }</p>
            </div>
        </section>
    }
}
