//! The store's devices, as a manager who could have invited them sees them, with
//! "Revoke" (asked twice): a revoked device is cut off within a second.

use storeops_api::command::{ListDevices, RevokeDevice};
use storeops_api::relay::StoreDevice;
use yew::prelude::*;

use crate::i18n::{self, Key, t};
use crate::services::call;
use crate::shell::context::{use_dispatch, use_lang};
use crate::shell::run::failed;

#[function_component(DevicesCard)]
pub fn devices_card() -> Html {
    let lang = use_lang();
    let d = use_dispatch();
    // `None` until the relay answered.
    let devices = use_state(|| None::<Vec<StoreDevice>>);
    // The device whose revocation is being asked about.
    let asking = use_state(|| None::<String>);
    {
        let (devices, d) = (devices.clone(), d.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match call(ListDevices {}).await {
                    Ok(list) => devices.set(Some(list)),
                    Err(err) => failed(&d, err),
                }
            });
        });
    }
    let revoke = {
        let (devices, asking, d) = (devices.clone(), asking.clone(), d.clone());
        Callback::from(move |device_id: String| {
            let (devices, asking, d) = (devices.clone(), asking.clone(), d.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match call(RevokeDevice { device_id }).await {
                    Ok(list) => devices.set(Some(list)),
                    Err(err) => failed(&d, err),
                }
                asking.set(None);
            });
        })
    };
    let rows = devices.as_ref().map(|list| {
        html! {
            <ul class="device-list" id="device-list">
                { for list.iter().map(|dev| {
                    let id = dev.id.clone();
                    let ask = {
                        let (asking, id) = (asking.clone(), id.clone());
                        Callback::from(move |_: MouseEvent| asking.set(Some(id.clone())))
                    };
                    let cancel = {
                        let asking = asking.clone();
                        Callback::from(move |_: MouseEvent| asking.set(None))
                    };
                    let confirm = {
                        let (revoke, id) = (revoke.clone(), id.clone());
                        Callback::from(move |_: MouseEvent| revoke.emit(id.clone()))
                    };
                    let who = dev.person_name.clone().unwrap_or_else(|| t(lang, Key::NoPerson).to_owned());
                    html! {
                        <li class="device-row" data-device={id.clone()} data-revoked={dev.revoked.to_string()}>
                            <div class="device-facts">
                                <span class="device-name">{ dev.name.clone() }</span>
                                <span class="task-meta">
                                    <span class="badge">{ who }</span>
                                    <span class="badge">{ i18n::role_label(lang, dev.role) }</span>
                                    if dev.this_device {
                                        <span class="badge">{ t(lang, Key::ThisDevice) }</span>
                                    }
                                    if dev.revoked {
                                        <span class="badge">{ t(lang, Key::Revoked) }</span>
                                    }
                                </span>
                            </div>
                            if !dev.revoked && !dev.this_device {
                                if asking.as_deref() == Some(id.as_str()) {
                                    <div class="card-actions">
                                        <button type="button" class="button button-quiet" onclick={cancel}>{ t(lang, Key::Cancel) }</button>
                                        <button type="button" class="button button-danger" id={format!("revoke-confirm-{id}")} onclick={confirm}>
                                            { i18n::revoke_device(lang, &dev.name) }
                                        </button>
                                    </div>
                                } else {
                                    <button type="button" class="button button-secondary" id={format!("revoke-{id}")} onclick={ask}>
                                        { t(lang, Key::Revoke) }
                                    </button>
                                }
                            }
                        </li>
                    }
                }) }
            </ul>
        }
    });
    html! {
        <section class="settings-card" id="devices-section" aria-labelledby="settings-devices-title">
            <h3 class="settings-card-title" id="settings-devices-title">{ t(lang, Key::DevicesSection) }</h3>
            <p class="card-intro">{ t(lang, Key::DevicesIntro) }</p>
            if let Some(rows) = rows {
                { rows }
            } else {
                <p class="detail-empty">{ t(lang, Key::Loading) }</p>
            }
        </section>
    }
}
