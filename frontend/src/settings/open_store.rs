use crate::shell::context::{use_busy, use_dispatch, use_lang};
use storeops_api::relay::NewStore;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::{self, Key, Lang, t};
use crate::settings::calls::{self, OpenStoreRequest};
use crate::settings::enrol::DEFAULT_RELAY_URL;
use crate::settings::templates::{DEFAULT_TEMPLATE, TemplatePreview, previews};
use crate::shell::state::Op;
use crate::ui::busy_button;
use crate::ui::form::{self, picked};

/// The zones most stores pick, offered first; the first is the default. Every other
/// zone the relay accepts follows (`calendar::time_zones`, the one list shared with
/// the relay and the CLI).
pub const COMMON_TIME_ZONES: &[&str] = &[
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Singapore",
    "Asia/Kuala_Lumpur",
    "Asia/Bangkok",
    "Asia/Dubai",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Australia/Sydney",
    "UTC",
];

/// A new store from one of the seed plans: where, its code, name, language, time zone,
/// this device's name, and the plan, previewed.
#[function_component(OpenStoreForm)]
pub fn open_store_form() -> Html {
    let lang = use_lang();
    // "Open a new store" is under way.
    let busy = use_busy(Op::OpenStore);
    let d = use_dispatch();
    let relay = use_node_ref();
    let code = use_node_ref();
    let name = use_node_ref();
    let person = use_node_ref();
    let device = use_node_ref();
    let locale = use_state(|| lang.tag().to_owned());
    let time_zone = use_state(|| COMMON_TIME_ZONES[0].to_owned());
    let all_zones = use_memo((), |()| storeops_domain::calendar::time_zones());
    let template = use_state(|| DEFAULT_TEMPLATE.to_owned());
    // Defaults go in once, when the form appears: a `value` attribute would put them
    // back over what the person typed on every render (e.g. after a refusal).
    {
        let (relay, device) = (relay.clone(), device.clone());
        use_effect_with((), move |_| {
            let fill = |r: &NodeRef, text: &str| {
                if let Some(input) = r.cast::<HtmlInputElement>()
                    && input.value().is_empty()
                {
                    input.set_value(text);
                }
            };
            fill(&relay, DEFAULT_RELAY_URL);
            fill(&device, t(lang, Key::DefaultDeviceName));
        });
    }
    let onsubmit = {
        let (relay, code, name, person, device) = (
            relay.clone(),
            code.clone(),
            name.clone(),
            person.clone(),
            device.clone(),
        );
        let (locale, time_zone, template) = (locale.clone(), time_zone.clone(), template.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if busy {
                return;
            }
            calls::open_store(
                &d,
                OpenStoreRequest {
                    relay_url: form::read(&relay),
                    store: NewStore {
                        code: form::read(&code),
                        name: form::read(&name),
                        template: (*template).clone(),
                        locale: (*locale).clone(),
                        time_zone: (*time_zone).clone(),
                        device_name: form::read(&device),
                        person_name: form::chosen(&person),
                    },
                },
            );
        })
    };
    let all = previews(&locale);
    let chosen = all.iter().find(|p| p.id == template.as_str());
    html! {
        <form class="form" id="open-store-form" novalidate=true {onsubmit}>
            <div class="field">
                <label for="store-code">{ t(lang, Key::StoreCode) }</label>
                <input id="store-code" ref={code} type="text" autocomplete="off" autocapitalize="off"
                    spellcheck="false" aria-required="true" aria-describedby="store-code-hint" />
                <p class="field-hint" id="store-code-hint">{ t(lang, Key::StoreCodeHint) }</p>
            </div>
            <div class="field">
                <label for="store-name">{ t(lang, Key::NewStoreName) }</label>
                <input id="store-name" ref={name} type="text" autocomplete="off" aria-required="true" />
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="store-locale">{ t(lang, Key::StoreLanguage) }</label>
                    <select id="store-locale" class="select" onchange={picked(&locale)}>
                        <option value="zh-CN" lang="zh-CN" selected={*locale == "zh-CN"}>{ "简体中文" }</option>
                        <option value="en" lang="en" selected={*locale == "en"}>{ "English" }</option>
                    </select>
                </div>
                <div class="field">
                    <label for="store-time-zone">{ t(lang, Key::StoreTimeZone) }</label>
                    <select id="store-time-zone" class="select" onchange={picked(&time_zone)}>
                        <optgroup label={t(lang, Key::CommonTimeZones)}>
                            {
                                for COMMON_TIME_ZONES.iter().map(|z| html! {
                                    <option value={*z} selected={*time_zone == *z}>{ i18n::zone_name(lang, z) }</option>
                                })
                            }
                        </optgroup>
                        <optgroup label={t(lang, Key::AllTimeZones)}>
                            {
                                for all_zones.iter().filter(|z| !COMMON_TIME_ZONES.contains(&z.as_str())).map(|z| html! {
                                    <option value={z.clone()} selected={*time_zone == *z}>{ i18n::zone_name(lang, z) }</option>
                                })
                            }
                        </optgroup>
                    </select>
                </div>
            </div>
            <fieldset class="field template-picker" id="store-template">
                <legend>{ t(lang, Key::StoreTemplate) }</legend>
                <div class="template-cards">
                    { for all.iter().map(|p| template_card(lang, p, *template == p.id, &template)) }
                </div>
            </fieldset>
            if let Some(preview) = chosen {
                { template_preview(lang, preview) }
            }
            <div class="field">
                <label for="store-person-name">{ t(lang, Key::YourName) }</label>
                <input id="store-person-name" ref={person} type="text" autocomplete="name" aria-required="true"
                    aria-describedby="store-person-name-hint" />
                <p class="field-hint" id="store-person-name-hint">{ t(lang, Key::YourNameHint) }</p>
            </div>
            <div class="field">
                <label for="store-device-name">{ t(lang, Key::DeviceName) }</label>
                <input id="store-device-name" ref={device} type="text" autocomplete="off" aria-required="true" />
            </div>
            <div class="field">
                <label for="store-relay-url">{ t(lang, Key::RelayUrl) }</label>
                <input id="store-relay-url" ref={relay} type="url" inputmode="url" autocomplete="off"
                    autocapitalize="off" spellcheck="false" aria-required="true" />
            </div>
            { busy_button(lang, Some("open-store-button"), "button-primary button-block", busy, [Key::OpenStoreButton, Key::OpeningStore], None) }
        </form>
    }
}

/// One template as a radio card: its name and its size.
fn template_card(
    lang: Lang,
    p: &TemplatePreview,
    checked: bool,
    template: &UseStateHandle<String>,
) -> Html {
    let onchange = {
        let (template, id) = (template.clone(), p.id);
        Callback::from(move |_: Event| template.set(id.to_owned()))
    };
    html! {
        <label class={classes!("template-card", checked.then_some("is-chosen"))} data-template={p.id}>
            <input type="radio" name="store-template" value={p.id} {checked} {onchange} />
            <span class="template-name">{ p.name }</span>
            <span class="template-counts">
                { i18n::template_counts(lang, p.departments.len(), p.positions, p.duties) }
            </span>
        </label>
    }
}

/// The chosen template: its summary, then departments → positions with their duties.
fn template_preview(lang: Lang, p: &TemplatePreview) -> Html {
    html! {
        <section class="template-preview" id="template-preview" data-template={p.id} aria-live="polite">
            <p class="template-summary">{ p.summary }</p>
            <ul class="template-departments">
                {
                    for p.departments.iter().map(|d| html! {
                        <li class="template-department" style={format!("--depth: {}", d.depth)}>
                            <p class="template-department-name">
                                { d.name }
                                if d.duties > 0 {
                                    <span class="template-duties">{ i18n::duty_count(lang, d.duties) }</span>
                                }
                            </p>
                            <ul class="template-positions">
                                {
                                    for d.positions.iter().map(|pos| html! {
                                        <li class={classes!("template-position", pos.head.then_some("is-head"))}>
                                            <span>{ pos.title }</span>
                                            <span class="template-duties">{ i18n::duty_count(lang, pos.duties) }</span>
                                        </li>
                                    })
                                }
                            </ul>
                        </li>
                    })
                }
            </ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::COMMON_TIME_ZONES;

    #[test]
    fn every_offered_zone_is_one_the_relay_accepts() {
        let known = storeops_domain::calendar::time_zones();
        for zone in COMMON_TIME_ZONES {
            assert!(known.iter().any(|k| k == zone), "{zone}");
            assert!(
                storeops_domain::calendar::Zone::named(zone).is_ok(),
                "{zone}"
            );
        }
    }

    #[test]
    fn every_offered_zone_has_a_chinese_name() {
        use crate::i18n::{Lang, zone_name};
        for zone in COMMON_TIME_ZONES {
            let zh = zone_name(Lang::Zh, zone);
            assert!(!zh.chars().any(|c| c.is_ascii_alphabetic()), "{zone}: {zh}");
            assert_eq!(zone_name(Lang::En, zone), zone.replace('_', " "));
        }
    }
}
