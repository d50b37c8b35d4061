use crate::shell::context::use_lang;
use yew::prelude::*;

use crate::i18n::{Key, t};

#[derive(Properties, PartialEq, Debug)]
pub struct SheetProps {
    /// The `id` of the sheet; its title's is `<id>-title`.
    pub id: AttrValue,
    pub title: AttrValue,
    pub on_close: Callback<()>,
    #[prop_or_default]
    pub children: Html,
}

/// A form over the screen: rising from the bottom on phones, centred on larger screens.
/// Tapping outside it or "Cancel" closes it.
#[function_component(Sheet)]
pub fn sheet(props: &SheetProps) -> Html {
    let lang = use_lang();
    let title_id = format!("{}-title", props.id);
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <div class="sheet-layer">
            <div class="sheet-backdrop" onclick={close.clone()}></div>
            <section
                id={props.id.clone()}
                class="sheet"
                role="dialog"
                aria-modal="true"
                aria-labelledby={title_id.clone()}
            >
                <header class="sheet-head">
                    <h3 class="sheet-title" id={title_id}>{ props.title.clone() }</h3>
                    <button type="button" class="button button-quiet sheet-close" onclick={close}>
                        { t(lang, Key::Cancel) }
                    </button>
                </header>
                { props.children.clone() }
            </section>
        </div>
    }
}
