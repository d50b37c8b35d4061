//! What only the phone web app shows: that another tab holds this device's data (with
//! "Use here"), that another tab took it over, and that a new version is ready.

use yew::prelude::*;

use crate::i18n::{Key, t};
use crate::services::{offline, worker};
use crate::shell::context::{use_dispatch, use_lang};
use crate::shell::state::{Action, DeviceHere};

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
