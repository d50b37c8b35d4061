//! What forms share: reading and clearing their uncontrolled fields, and pickers that
//! keep what was picked.

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The value of an input, select or textarea.
pub fn read(node: &NodeRef) -> String {
    if let Some(el) = node.cast::<HtmlInputElement>() {
        el.value()
    } else if let Some(el) = node.cast::<HtmlSelectElement>() {
        el.value()
    } else if let Some(el) = node.cast::<HtmlTextAreaElement>() {
        el.value()
    } else {
        String::new()
    }
}

/// What a field holds, unless it is empty (or not there).
pub fn chosen(node: &NodeRef) -> Option<String> {
    Some(read(node)).filter(|v| !v.is_empty())
}

/// Empties inputs and textareas once what they held is saved.
pub fn clear(nodes: &[NodeRef]) {
    for node in nodes {
        if let Some(el) = node.cast::<HtmlInputElement>() {
            el.set_value("");
        } else if let Some(el) = node.cast::<HtmlTextAreaElement>() {
            el.set_value("");
        }
    }
}

/// A `<select>`'s `onchange` that keeps what was picked in `state`.
pub fn picked(state: &UseStateHandle<String>) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        state.set(select.value());
    })
}

/// A callback that sets `state` to `value`, whatever it is called with.
pub fn set_to<T: Clone + 'static, E>(state: &UseStateHandle<T>, value: T) -> Callback<E> {
    let state = state.clone();
    Callback::from(move |_| state.set(value.clone()))
}
