//! What the screens leave out: data written by a newer app (shown read-only, to
//! everyone: their changes to it are refused) and, for managers, the items that could
//! not be read at all, by id, so they can have them fixed. Staff screens just work.

use storeops_api::status::Unreadable;
use yew::prelude::*;

use crate::i18n::{Key, t, unreadable_items, unreadable_kind};
use crate::shell::context::use_lang;

/// At most this many ids are listed; the count says how many there are.
const LISTED: usize = 10;

#[derive(Properties, PartialEq, Debug)]
pub struct UnreadableNoticeProps {
    pub unreadable: Vec<Unreadable>,
    pub needs_update: bool,
    /// Only managers are told which items could not be read.
    pub manager: bool,
}

#[function_component(UnreadableNotice)]
pub fn unreadable_notice(props: &UnreadableNoticeProps) -> Html {
    let lang = use_lang();
    let update = props.needs_update.then(|| {
        html! {
            <div id="needs-update" class="banner banner-notice" role="status">
                <span class="banner-icon" aria-hidden="true"></span>
                <p class="banner-message">{ t(lang, Key::NeedsUpdate) }</p>
            </div>
        }
    });
    let unreadable = (props.manager && !props.unreadable.is_empty()).then(|| {
        let items = props.unreadable.iter().take(LISTED).map(|u| {
            html! {
                <li data-kind={u.kind.clone()} title={u.reason.clone()}>
                    { unreadable_kind(lang, &u.kind) }{ " " }<code>{ &u.id }</code>
                </li>
            }
        });
        html! {
            <div id="unreadable-notice" class="banner banner-notice" role="status">
                <span class="banner-icon" aria-hidden="true"></span>
                <div class="banner-message">
                    <p><strong>{ unreadable_items(lang, props.unreadable.len()) }</strong></p>
                    <p>{ t(lang, Key::UnreadableHint) }</p>
                    <ul class="unreadable-list">{ for items }</ul>
                </div>
            </div>
        }
    });
    html! { <>{ for update }{ for unreadable }</> }
}
