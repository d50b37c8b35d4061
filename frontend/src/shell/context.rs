//! What every component may read without it being handed down: the app's [`State`]
//! (through a Yew context the root provides), its language, and the dispatcher every
//! command reports to.

use yew::prelude::*;

use crate::i18n::Lang;
use crate::shell::controller::Dispatch;
use crate::shell::state::{Op, State};

/// The context the root component provides.
pub type AppContext = UseReducerHandle<State>;

/// The app's state, from the root's context.
#[hook]
pub fn use_app() -> AppContext {
    use_context::<AppContext>().expect("components are rendered inside the App")
}

/// The language everything is shown in.
#[hook]
pub fn use_lang() -> Lang {
    use_app().lang()
}

/// Where commands report what happened.
#[hook]
pub fn use_dispatch() -> Dispatch {
    use_app().dispatcher()
}

/// Whether `op` is under way.
#[hook]
pub fn use_busy(op: Op) -> bool {
    use_app().is_busy(&op)
}

/// The store's time zone (empty until the status names the store).
#[hook]
pub fn use_time_zone() -> AttrValue {
    let app = use_app();
    let store = app.status.as_ref().and_then(|s| s.store.as_ref());
    store
        .map(|s| AttrValue::from(s.time_zone.clone()))
        .unwrap_or_default()
}

/// Today in the store's zone, `YYYY-MM-DD`.
#[hook]
pub fn use_today() -> AttrValue {
    crate::ui::format::today(&use_time_zone()).into()
}
