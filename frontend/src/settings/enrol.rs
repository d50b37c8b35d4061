use crate::shell::context::{use_busy, use_dispatch, use_lang};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::{Key, Lang, t};
use crate::services::offline;
use crate::settings::calls::{self, EnrolRequest};
use crate::settings::invite_link::{parse_invite_link, relay_and_code};
use crate::settings::open_store::OpenStoreForm;
use crate::shell::run::refused;
use crate::shell::state::Op;
use crate::ui::busy_button;
use crate::ui::form;

/// The relay a fresh desktop install points at until told otherwise.
pub const DEFAULT_RELAY_URL: &str = "http://127.0.0.1:8787";

/// The relay the enrol form offers: in the web app the one that served the page.
fn default_relay() -> String {
    if offline::in_tauri() {
        DEFAULT_RELAY_URL.to_owned()
    } else {
        offline::origin().unwrap_or_else(|| DEFAULT_RELAY_URL.to_owned())
    }
}

/// The device name the form offers.
fn default_name(lang: Lang) -> &'static str {
    if offline::in_tauri() {
        t(lang, Key::DefaultDeviceName)
    } else {
        t(lang, Key::DefaultPhoneName)
    }
}

/// Joins this device to a store with an invite code.
///
/// The inputs are uncontrolled (read through `NodeRef`s on submit): writing the value back
/// on every keystroke would break Chinese input methods mid-composition.
#[function_component(EnrolForm)]
pub fn enrol_form() -> Html {
    let lang = use_lang();
    let busy = use_busy(Op::Enrol);
    let d = use_dispatch();
    let relay = use_node_ref();
    let code = use_node_ref();
    let device = use_node_ref();
    // Join with an invite code (false), or open a new store (true).
    let new_store = use_state(|| false);

    // Prefill the relay whenever the join form is drawn; prefill the device name in the
    // language shown, and follow the language toggle while the name is still a default.
    {
        // Again when coming back from "Open a new store": the form is drawn anew.
        let relay = relay.clone();
        use_effect_with(*new_store, move |_| {
            if let Some(input) = relay.cast::<HtmlInputElement>() {
                input.set_value(&default_relay());
            }
        });
    }
    {
        let device = device.clone();
        use_effect_with((lang, *new_store), move |(lang, _)| {
            if let Some(input) = device.cast::<HtmlInputElement>() {
                let value = input.value();
                let is_default = [Lang::En, Lang::Zh]
                    .iter()
                    .any(|l| value == default_name(*l));
                if is_default || value.is_empty() {
                    input.set_value(default_name(*lang));
                }
            }
        });
    }

    // The web app opened from an invite link (`/enrol#code=…`): enrol this browser at
    // once, with the relay that served the page, and drop the code from the address.
    {
        let (d, code) = (d.clone(), code.clone());
        use_effect_with((), move |()| {
            let href = (!offline::in_tauri()).then(offline::href).flatten();
            let link = href.as_deref().and_then(parse_invite_link);
            if link.is_none() && href.as_deref().is_some_and(is_enrol_address) {
                offline::replace_address("/");
                refused(&d, Key::InviteLinkIncomplete);
            }
            if let Some(link) = link {
                offline::replace_address("/");
                if let Some(input) = code.cast::<HtmlInputElement>() {
                    input.set_value(&link.code);
                }
                calls::enrol(
                    &d,
                    EnrolRequest {
                        relay_url: link.relay.unwrap_or_else(default_relay),
                        code: link.code,
                        device_name: default_name(lang).to_owned(),
                    },
                );
            }
        });
    }

    let onsubmit = {
        let (relay, code, device) = (relay.clone(), code.clone(), device.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if busy {
                return;
            }
            let (relay_url, code) = relay_and_code(&form::read(&code), &form::read(&relay));
            calls::enrol(
                &d,
                EnrolRequest {
                    relay_url,
                    code,
                    device_name: form::read(&device),
                },
            );
        })
    };
    // A pasted invite link fills in the code and the relay address.
    let on_code_input = {
        let (relay, code) = (relay.clone(), code.clone());
        Callback::from(move |_: InputEvent| {
            let Some(code_el) = code.cast::<HtmlInputElement>() else {
                return;
            };
            if let Some(link) = parse_invite_link(&code_el.value()) {
                code_el.set_value(&link.code);
                if let (Some(url), Some(relay_el)) = (link.relay, relay.cast::<HtmlInputElement>())
                {
                    relay_el.set_value(&url);
                }
            }
        })
    };
    let tab = |id: &'static str, key: Key, is_new: bool| {
        let current = *new_store == is_new;
        let onclick = {
            let new_store = new_store.clone();
            Callback::from(move |_: MouseEvent| new_store.set(is_new))
        };
        html! {
            <button type="button" {id} class="segment" role="tab" aria-selected={current.to_string()}
                aria-pressed={current.to_string()} {onclick}>
                { t(lang, key) }
            </button>
        }
    };
    let tabs = html! {
        <div class="segmented segmented-wide enrol-tabs" role="tablist">
            { tab("join-tab", Key::JoinTab, false) }
            { tab("open-store-tab", Key::OpenStoreTab, true) }
        </div>
    };
    if *new_store {
        return html! {
            <section class="card enrol" aria-labelledby="enrol-title">
                { tabs }
                <h2 id="enrol-title" class="card-title">{ t(lang, Key::OpenStoreTitle) }</h2>
                <p class="card-intro">{ t(lang, Key::OpenStoreIntro) }</p>
                <OpenStoreForm />
            </section>
        };
    }

    html! {
        <section class="card enrol" aria-labelledby="enrol-title">
            { tabs }
            <h2 id="enrol-title" class="card-title">{ t(lang, Key::EnrolTitle) }</h2>
            <p class="card-intro">{ t(lang, Key::EnrolIntro) }</p>
            <form class="form" novalidate=true {onsubmit}>
                <div class="field">
                    <label for="invite-code">{ t(lang, Key::InviteCode) }</label>
                    <input
                        id="invite-code"
                        ref={code}
                        oninput={on_code_input}
                        type="text"
                        autocomplete="off"
                        autocapitalize="off"
                        spellcheck="false"
                        aria-required="true"
                        aria-describedby="invite-code-hint"
                    />
                    <p class="field-hint" id="invite-code-hint">{ t(lang, Key::InviteCodeHint) }</p>
                </div>
                <div class="field">
                    <label for="device-name">{ t(lang, Key::DeviceName) }</label>
                    <input
                        id="device-name"
                        ref={device}
                        type="text"
                        autocomplete="off"
                        aria-required="true"
                        aria-describedby="device-name-hint"
                    />
                    <p class="field-hint" id="device-name-hint">{ t(lang, Key::DeviceNameHint) }</p>
                </div>
                <div class="field">
                    <label for="relay-url">{ t(lang, Key::RelayUrl) }</label>
                    <input
                        id="relay-url"
                        ref={relay}
                        type="url"
                        inputmode="url"
                        autocomplete="off"
                        autocapitalize="off"
                        spellcheck="false"
                        aria-required="true"
                        aria-describedby="relay-url-hint"
                    />
                    <p class="field-hint" id="relay-url-hint">{ t(lang, Key::RelayUrlHint) }</p>
                </div>
                { busy_button(lang, Some("enrol-button"), "button-primary button-block", busy, [Key::EnrolButton, Key::Enrolling], None) }
            </form>
        </section>
    }
}

/// Whether the page was opened at `/enrol` (an invite link, perhaps cut short).
fn is_enrol_address(href: &str) -> bool {
    let path = href.split(['#', '?']).next().unwrap_or_default();
    path.trim_end_matches('/').ends_with("/enrol")
}
