use storeops_api::status::AppStatus;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::chain::calls;
use crate::i18n::{Key, t};
use crate::settings::calls::EnrolRequest;
use crate::settings::invite_link::relay_and_code;
use crate::shell::context::{use_busy, use_dispatch, use_lang};
use crate::shell::state::Op;
use crate::ui::{busy_button, form};

#[derive(Properties, PartialEq, Debug)]
pub struct AddStoreCardProps {
    pub status: AppStatus,
}

/// Settings' "Add another store": an invite to another store, redeemed with the relay
/// and the device name this device uses already (both can be changed).
///
/// Uncontrolled inputs, as in the enrol form (Chinese input methods).
#[function_component(AddStoreCard)]
pub fn add_store_card(props: &AddStoreCardProps) -> Html {
    let lang = use_lang();
    let d = use_dispatch();
    let busy = use_busy(Op::AddStore);
    let (code, relay, device) = (use_node_ref(), use_node_ref(), use_node_ref());
    {
        let (relay, device) = (relay.clone(), device.clone());
        let known = (
            props.status.relay_url.clone().unwrap_or_default(),
            props.status.device_name.clone().unwrap_or_default(),
        );
        use_effect_with(known, move |(url, name)| {
            for (input, value) in [(&relay, url), (&device, name)] {
                if let Some(el) = input.cast::<HtmlInputElement>()
                    && el.value().is_empty()
                {
                    el.set_value(value);
                }
            }
        });
    }
    let onsubmit = {
        let (code, relay, device) = (code.clone(), relay.clone(), device.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if busy {
                return;
            }
            let (relay_url, code) = relay_and_code(&form::read(&code), &form::read(&relay));
            calls::add_store(
                &d,
                EnrolRequest {
                    relay_url,
                    code,
                    device_name: form::read(&device),
                },
            );
        })
    };
    html! {
        <section class="settings-card" id="add-store-section" aria-labelledby="settings-add-store-title">
            <h3 id="settings-add-store-title" class="settings-card-title">{ t(lang, Key::AddStoreTitle) }</h3>
            <p class="card-intro">{ t(lang, Key::AddStoreIntro) }</p>
            <form class="form" novalidate=true {onsubmit}>
                <div class="field">
                    <label for="add-store-code">{ t(lang, Key::InviteCode) }</label>
                    <input id="add-store-code" ref={code} type="text" autocomplete="off"
                        autocapitalize="off" spellcheck="false" aria-required="true" />
                </div>
                <div class="field">
                    <label for="add-store-device">{ t(lang, Key::DeviceName) }</label>
                    <input id="add-store-device" ref={device} type="text" autocomplete="off" aria-required="true" />
                </div>
                <div class="field">
                    <label for="add-store-relay">{ t(lang, Key::RelayUrl) }</label>
                    <input id="add-store-relay" ref={relay} type="url" inputmode="url" autocomplete="off"
                        autocapitalize="off" spellcheck="false" aria-required="true" />
                </div>
                { busy_button(lang, Some("add-store-button"), "button-primary", busy, [Key::AddStoreButton, Key::AddingStore], None) }
            </form>
        </section>
    }
}
