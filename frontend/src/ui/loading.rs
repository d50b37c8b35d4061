use crate::shell::context::{use_app, use_dispatch, use_lang};
use crate::shell::controller::{load_screen, query};
use yew::prelude::*;

use crate::i18n::{Key, t};

/// A spinner while a screen's first answer is on its way.
#[function_component(Loading)]
pub fn loading() -> Html {
    let lang = use_lang();
    html! {
        <div class="centre loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            { t(lang, Key::Loading) }
        </div>
    }
}

/// In place of a screen whose data never arrived: the banner above says why.
#[function_component(LoadFailed)]
pub fn load_failed() -> Html {
    let lang = use_lang();
    let query = query(&use_app());
    let d = use_dispatch();
    let onclick = Callback::from(move |_: MouseEvent| load_screen(d.clone(), query.clone()));
    html! {
        <div class="load-failed">
            <p>{ t(lang, Key::ScreenLoadFailed) }</p>
            <button type="button" class="button button-secondary reload-button" {onclick}>
                { t(lang, Key::Retry) }
            </button>
        </div>
    }
}
