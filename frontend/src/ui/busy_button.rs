//! A button that says what it does, or, while its command runs, what it is doing (and is
//! disabled meanwhile).

use yew::prelude::*;

use crate::i18n::{Key, Lang, t};

/// A `submit` button without `onclick`, else a `button`; `class` follows `button`;
/// `[label, busy_label]` are its text when idle and while `busy`.
pub fn busy_button(
    lang: Lang,
    id: Option<&'static str>,
    class: &'static str,
    busy: bool,
    [label, busy_label]: [Key; 2],
    onclick: Option<Callback<MouseEvent>>,
) -> Html {
    let kind = if onclick.is_some() {
        "button"
    } else {
        "submit"
    };
    html! {
        <button
            type={kind}
            {id}
            class={format!("button {class}")}
            disabled={busy}
            aria-busy={busy.to_string()}
            {onclick}
        >
            { t(lang, if busy { busy_label } else { label }) }
        </button>
    }
}
