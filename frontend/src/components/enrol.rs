use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::controller::EnrolRequest;
use crate::i18n::{Key, Lang, t};

/// The relay a fresh install points at until told otherwise.
pub const DEFAULT_RELAY_URL: &str = "http://127.0.0.1:8787";

#[derive(Properties, PartialEq, Debug)]
pub struct EnrolFormProps {
    pub lang: Lang,
    pub busy: bool,
    pub on_enrol: Callback<EnrolRequest>,
}

/// Joins this device to a store with an invite code.
///
/// The inputs are uncontrolled (read through `NodeRef`s on submit): writing the value back
/// on every keystroke would break Chinese input methods mid-composition.
#[function_component(EnrolForm)]
pub fn enrol_form(props: &EnrolFormProps) -> Html {
    let lang = props.lang;
    let relay = use_node_ref();
    let code = use_node_ref();
    let device = use_node_ref();

    // Prefill the relay once; prefill the device name in the language shown, and follow the
    // language toggle for as long as the name is still one of the defaults.
    {
        let relay = relay.clone();
        use_effect_with((), move |()| {
            if let Some(input) = relay.cast::<HtmlInputElement>() {
                input.set_value(DEFAULT_RELAY_URL);
            }
        });
    }
    {
        let device = device.clone();
        let first = use_mut_ref(|| true);
        use_effect_with(lang, move |lang| {
            if let Some(input) = device.cast::<HtmlInputElement>() {
                let value = input.value();
                let is_default = [Lang::En, Lang::Zh]
                    .iter()
                    .any(|l| value == t(*l, Key::DefaultDeviceName));
                if is_default || (*first.borrow() && value.is_empty()) {
                    input.set_value(t(*lang, Key::DefaultDeviceName));
                }
            }
            *first.borrow_mut() = false;
        });
    }

    let onsubmit = {
        let (relay, code, device) = (relay.clone(), code.clone(), device.clone());
        let on_enrol = props.on_enrol.clone();
        let busy = props.busy;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if busy {
                return;
            }
            let value = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            on_enrol.emit(EnrolRequest {
                relay_url: value(&relay),
                code: value(&code),
                device_name: value(&device),
            });
        })
    };

    html! {
        <section class="card enrol" aria-labelledby="enrol-title">
            <h2 id="enrol-title" class="card-title">{ t(lang, Key::EnrolTitle) }</h2>
            <p class="card-intro">{ t(lang, Key::EnrolIntro) }</p>
            <form class="form" novalidate=true {onsubmit}>
                <div class="field">
                    <label for="invite-code">{ t(lang, Key::InviteCode) }</label>
                    <input
                        id="invite-code"
                        ref={code}
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
                <button
                    type="submit"
                    id="enrol-button"
                    class="button button-primary button-block"
                    disabled={props.busy}
                    aria-busy={props.busy.to_string()}
                >
                    { t(lang, if props.busy { Key::Enrolling } else { Key::EnrolButton }) }
                </button>
            </form>
        </section>
    }
}
