use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Puts `value` into an uncontrolled input or textarea when it appears and whenever
/// `value` itself changes. A `value` attribute instead would be written back on every
/// render of the component, over whatever the person had typed (after a refused save,
/// say, or while another field's state changes).
#[hook]
pub fn use_seed(node: &NodeRef, value: String) {
    let node = node.clone();
    use_effect_with(value, move |value| {
        if let Some(input) = node.cast::<HtmlInputElement>() {
            input.set_value(value);
        } else if let Some(area) = node.cast::<HtmlTextAreaElement>() {
            area.set_value(value);
        }
    });
}
