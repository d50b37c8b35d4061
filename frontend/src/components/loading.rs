use yew::prelude::*;

use crate::i18n::{Key, Lang, t};

#[derive(Properties, PartialEq, Debug)]
pub struct LoadingProps {
    pub lang: Lang,
}

/// A spinner while a screen's first answer is on its way.
#[function_component(Loading)]
pub fn loading(props: &LoadingProps) -> Html {
    html! {
        <div class="centre loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            { t(props.lang, Key::Loading) }
        </div>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct LoadFailedProps {
    pub lang: Lang,
    pub on_retry: Callback<()>,
}

/// In place of a screen whose data never arrived: the banner above says why.
#[function_component(LoadFailed)]
pub fn load_failed(props: &LoadFailedProps) -> Html {
    let lang = props.lang;
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
