use crate::shell::context::{use_dispatch, use_lang};
use crate::shell::controller::choose_lang;
use yew::prelude::*;

use crate::i18n::{Key, t};

#[derive(Properties, PartialEq, Debug)]
pub struct AppHeaderProps {
    pub title: AttrValue,
    /// `id` of the title element (`store-name` once the store is known).
    #[prop_or_default]
    pub title_id: Option<AttrValue>,
    #[prop_or_default]
    pub subtitle: Option<AttrValue>,
    /// A second row, e.g. the sync indicator.
    #[prop_or_default]
    pub children: Html,
}

#[function_component(AppHeader)]
pub fn app_header(props: &AppHeaderProps) -> Html {
    let lang = use_lang();
    let d = use_dispatch();
    let onclick = Callback::from(move |_: MouseEvent| choose_lang(&d, lang.other()));
    html! {
        <header class="app-header">
            <div class="header-inner">
                <div class="header-row">
                    <div class="header-titles">
                        <h1 class="header-title" id={props.title_id.clone()}>{ props.title.clone() }</h1>
                        if let Some(subtitle) = &props.subtitle {
                            <p class="header-subtitle">{ subtitle.clone() }</p>
                        }
                    </div>
                    <button
                        type="button"
                        id="lang-toggle"
                        class="button button-quiet lang-toggle"
                        lang={lang.other().tag()}
                        title={t(lang, Key::SwitchLanguage)}
                        aria-label={t(lang, Key::SwitchLanguage)}
                        {onclick}
                    >
                        { t(lang, Key::OtherLanguage) }
                    </button>
                </div>
                { props.children.clone() }
            </div>
        </header>
    }
}
