use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What a one-line form submits; `added` is called once it is saved.
#[derive(Clone, Debug, PartialEq)]
pub struct TextRequest {
    pub text: String,
    pub added: Callback<()>,
}

#[derive(Properties, PartialEq, Debug)]
pub struct LineFormProps {
    /// `id` of the input; the button's is `button_id`.
    pub input_id: AttrValue,
    pub button_id: AttrValue,
    pub label: AttrValue,
    pub placeholder: AttrValue,
    pub button: AttrValue,
    pub busy_button: AttrValue,
    pub busy: bool,
    #[prop_or_default]
    pub disabled: bool,
    pub on_submit: Callback<TextRequest>,
}

/// One line of text and a button, like the add-task form: Enter or the button sends it.
///
/// The input is uncontrolled, so Chinese input methods work; it is cleared only once what
/// was sent is saved, and only if it still holds it.
#[function_component(LineForm)]
pub fn line_form(props: &LineFormProps) -> Html {
    let input = use_node_ref();
    let onsubmit = {
        let input = input.clone();
        let on_submit = props.on_submit.clone();
        let blocked = props.busy || props.disabled;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(el) = input.cast::<HtmlInputElement>() else {
                return;
            };
            let text = el.value().trim().to_owned();
            if blocked || text.is_empty() {
                let _ = el.focus();
                return;
            }
            let sent = text.clone();
            let added = Callback::from(move |()| {
                if el.value().trim() == sent {
                    el.set_value("");
                }
            });
            on_submit.emit(TextRequest { text, added });
        })
    };
    html! {
        <form class="add-task line-form" {onsubmit}>
            <label for={props.input_id.clone()} class="visually-hidden">{ props.label.clone() }</label>
            <input
                id={props.input_id.clone()}
                ref={input}
                type="text"
                autocomplete="off"
                placeholder={props.placeholder.clone()}
                disabled={props.disabled}
            />
            <button
                type="submit"
                id={props.button_id.clone()}
                class="button button-secondary"
                disabled={props.busy || props.disabled}
                aria-busy={props.busy.to_string()}
            >
                { if props.busy { props.busy_button.clone() } else { props.button.clone() } }
            </button>
        </form>
    }
}
