use storeops_api::status::StoreInfo;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::chain::calls;
use crate::i18n::{Key, t};
use crate::shell::context::{use_app, use_busy, use_dispatch, use_lang};
use crate::shell::controller::navigate;
use crate::shell::state::{Op, Screen};

#[derive(Properties, PartialEq, Debug)]
pub struct StoreSwitcherProps {
    pub stores: Vec<StoreInfo>,
    /// The id of the store shown.
    pub current: AttrValue,
}

/// The header's choice of store, on a device that holds more than one: the screens
/// show the chosen store, and the device remembers it; beside it the way to the
/// chain screen, every store side by side.
#[function_component(StoreSwitcher)]
pub fn store_switcher(props: &StoreSwitcherProps) -> Html {
    let lang = use_lang();
    let d = use_dispatch();
    let busy = use_busy(Op::SwitchStore);
    let screen = use_app().screen;
    if props.stores.len() < 2 {
        return html! {};
    }
    let compare = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| navigate(&d, Screen::Chain))
    };
    let comparing = screen == Screen::Chain;
    let onchange = {
        let current = props.current.clone();
        Callback::from(move |e: Event| {
            let Some(select) = e.target_dyn_into::<HtmlSelectElement>() else {
                return;
            };
            let id = select.value();
            if id != current.as_str() {
                calls::switch_store(&d, id, screen);
            }
        })
    };
    html! {
        <div class="store-switcher">
            <label for="store-switcher" class="store-switcher-label">{ t(lang, Key::StoreSwitcher) }</label>
            <select id="store-switcher" class="select store-switcher-select" disabled={busy} {onchange}>
                { for props.stores.iter().map(|s| html! {
                    <option value={s.id.clone()} selected={s.id == props.current.as_str()}>{ s.name.clone() }</option>
                }) }
            </select>
            <button type="button" id="open-chain"
                class={classes!("button", "button-secondary", "store-switcher-compare", comparing.then_some("is-current"))}
                aria-current={comparing.then_some("page")} onclick={compare}>
                { crate::shell::nav::icon(Screen::Chain) }
                <span>{ t(lang, Key::CompareStores) }</span>
            </button>
        </div>
    }
}
