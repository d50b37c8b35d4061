//! The one way a command runs: its control busy meanwhile, its answer dispatched, its
//! failure in the banner, and "Saved" once a change is durable.

use std::future::Future;

use storeops_api::{ApiError, Command};
use yew::UseReducerDispatcher;

use crate::i18n::Key;
use crate::services::browser;
use crate::shell::state::{Action, Op, Problem, State, ticket};

pub type Dispatch = UseReducerDispatcher<State>;

/// How long "Saved" stays up after a command returns.
const SAVED_MS: i32 = 2_000;

/// The device refused, or could not be reached: the banner says why.
pub fn failed(d: &Dispatch, err: ApiError) {
    d.dispatch(Action::Failed(Problem::Api(err)));
}

/// The UI refuses before sending anything: the banner says why.
pub fn refused(d: &Dispatch, key: Key) {
    d.dispatch(Action::Failed(Problem::Ui(key)));
}

/// A fetch whose failure is only logged: the console keeps the command and the reason.
pub fn warn_quietly<C: Command>(err: &ApiError) {
    web_sys::console::warn_1(&format!("{}: {err}", C::NAME).into());
}

/// What arrived at ticket `at` is durable: say "Saved" briefly.
pub fn say_saved(d: &Dispatch, at: u64) {
    d.dispatch(Action::Saved(at));
    let d = d.clone();
    browser::after(SAVED_MS, move || d.dispatch(Action::HideSaved(at)));
}

/// Runs `command` with `op` busy meanwhile; on success hands its output and the ticket it
/// arrived at to `ok`; on failure shows why.
pub fn run<T, F, K>(d: &Dispatch, op: Op, command: F, ok: K)
where
    T: 'static,
    F: Future<Output = Result<T, ApiError>> + 'static,
    K: FnOnce(&Dispatch, T, u64) + 'static,
{
    d.dispatch(Action::Begin(op.clone()));
    let d = d.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let result = command.await;
        d.dispatch(Action::End(op));
        match result {
            Ok(out) => ok(&d, out, ticket()),
            Err(err) => failed(&d, err),
        }
    });
}

/// [`run`] for a command that changes something: says "Saved" after `ok`.
pub fn save<T, F, K>(d: &Dispatch, op: Op, command: F, ok: K)
where
    T: 'static,
    F: Future<Output = Result<T, ApiError>> + 'static,
    K: FnOnce(&Dispatch, T, u64) + 'static,
{
    run(d, op, command, move |d, out, at| {
        ok(d, out, at);
        say_saved(d, at);
    });
}

/// Fetches `command`'s output for `ok`, with the ticket taken when it was asked; a
/// failure goes to the banner if `loud`, else only to the console.
pub fn fetch<C, K>(d: &Dispatch, command: C, loud: bool, ok: K)
where
    C: Command + 'static,
    K: FnOnce(&Dispatch, C::Output, u64) + 'static,
{
    let d = d.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let asked_at = ticket();
        match crate::services::call(command).await {
            Ok(out) => ok(&d, out, asked_at),
            Err(err) if loud => failed(&d, err),
            Err(err) => warn_quietly::<C>(&err),
        }
    });
}
