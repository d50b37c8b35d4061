use crate::shell::context::use_lang;
use yew::prelude::*;

use crate::i18n::{Key, t};

#[derive(Properties, PartialEq, Debug)]
pub struct SavedToastProps {
    pub visible: bool,
}

/// "Saved", briefly, once a command has returned (the backend answers only when durable).
/// The live region stays in the page so screen readers announce what appears in it.
#[function_component(SavedToast)]
pub fn saved_toast(props: &SavedToastProps) -> Html {
    let lang = use_lang();
    html! {
        <div class="toast-region" aria-live="polite">
            if props.visible {
                <div id="saved-indicator" class="toast">
                    <span class="toast-check" aria-hidden="true"></span>
                    { t(lang, Key::Saved) }
                </div>
            }
        </div>
    }
}
