use crate::shell::context::use_lang;
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

#[derive(Properties, PartialEq, Debug)]
pub struct LoadFailedProps {
    pub on_retry: Callback<()>,
}

/// In place of a screen whose data never arrived: the banner above says why.
#[function_component(LoadFailed)]
pub fn load_failed(props: &LoadFailedProps) -> Html {
    let lang = use_lang();
    let onclick = props.on_retry.reform(|_: MouseEvent| ());
    html! {
        <div class="load-failed">
            <p>{ t(lang, Key::ScreenLoadFailed) }</p>
            <button type="button" class="button button-secondary reload-button" {onclick}>
                { t(lang, Key::Retry) }
            </button>
        </div>
    }
}
