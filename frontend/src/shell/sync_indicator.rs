use std::cell::Cell;
use std::rc::Rc;

use crate::shell::context::{use_busy, use_dispatch, use_lang};
use crate::shell::controller::sync_now;
use crate::shell::state::Op;
use yew::prelude::*;

use crate::i18n::{self, Key, t};
use crate::services::browser;
use crate::ui::busy_button;
use crate::ui::format;
use storeops_api::status::SyncStatus;

#[derive(Properties, PartialEq, Debug)]
pub struct SyncIndicatorProps {
    pub sync: SyncStatus,
    /// The store's time zone, for the time of the last sync.
    pub time_zone: AttrValue,
}

/// How long a sync problem lasts before the bar spells it out. A connection that
/// drops and comes back at once would otherwise add a line and move the screen
/// under a finger about to tap; the pill says "Offline" at once either way, and
/// Settings shows the problem at once.
const PROBLEM_AFTER_MS: i32 = 4000;

/// "Online · synced 10:42" / "Offline · 2 changes waiting", with a "Sync now" button.
#[function_component(SyncIndicator)]
pub fn sync_indicator(props: &SyncIndicatorProps) -> Html {
    let lang = use_lang();
    let syncing = use_busy(Op::Sync);
    let d = use_dispatch();
    let sync = &props.sync;
    let problem_lasted = use_state(|| false);
    {
        let problem_lasted = problem_lasted.clone();
        use_effect_with(sync.last_error.is_some(), move |has_problem| {
            problem_lasted.set(false);
            // Cleared when the problem goes (or the bar goes) before the timer fires.
            let current = Rc::new(Cell::new(true));
            if *has_problem {
                let current = current.clone();
                browser::after(PROBLEM_AFTER_MS, move || {
                    if current.get() {
                        problem_lasted.set(true);
                    }
                });
            }
            move || current.set(false)
        });
    }
    let state = t(
        lang,
        if sync.online {
            Key::Online
        } else {
            Key::Offline
        },
    );
    let detail = if sync.pending_changes > 0 {
        i18n::changes_waiting(lang, sync.pending_changes)
    } else if !sync.store_arrived {
        t(lang, Key::StoreArriving).to_owned()
    } else if let Some(ms) = sync.last_synced_at {
        i18n::synced_at(lang, &format::sync_time(ms, lang, &props.time_zone))
    } else {
        t(lang, Key::NeverSynced).to_owned()
    };
    let class = classes!(
        "sync-state",
        if sync.online {
            "is-online"
        } else {
            "is-offline"
        },
        (sync.pending_changes > 0).then_some("has-pending"),
        sync.last_error.is_some().then_some("has-error"),
    );
    let onclick = Callback::from(move |_: MouseEvent| sync_now(&d));
    html! {
        <div class="sync-bar">
            <div
                id="sync-state"
                {class}
                data-online={sync.online.to_string()}
                data-pending={sync.pending_changes.to_string()}
                data-arrived={sync.store_arrived.to_string()}
            >
                <span class="sync-dot" aria-hidden="true"></span>
                <span class="sync-text">
                    <strong class="sync-label">{ state }</strong>
                    <span class="sync-sep" aria-hidden="true">{ " · " }</span>
                    <span class="sync-detail">{ detail }</span>
                </span>
            </div>
            { busy_button(lang, Some("sync-now"), "button-secondary", syncing, [Key::SyncNow, Key::Syncing], Some(onclick)) }
            if let (Some(err), true) = (&sync.last_error, *problem_lasted) {
                <p class="sync-error">
                    <strong>{ t(lang, Key::SyncProblem) }{ ": " }</strong>{ err.clone() }
                </p>
            }
        </div>
    }
}
