//! User Timing entries the app leaves for whoever measures it (the browser's
//! performance panel, `docs/benchmarks.md`): `storeops today` when Today first shows
//! its tasks, and a `storeops <command>` measure from each command's call to its answer.

use std::cell::Cell;

use wasm_bindgen::{JsCast, JsValue};

/// Measures kept before the oldest are cleared, so a page open all day stays small.
const KEPT: u32 = 5_000;

thread_local! {
    static MEASURED: Cell<u32> = const { Cell::new(0) };
    static TODAY_MARKED: Cell<bool> = const { Cell::new(false) };
}

fn performance() -> Option<web_sys::Performance> {
    // The UI's unit tests run natively, where there is no page to time.
    if !cfg!(target_family = "wasm") {
        return None;
    }
    web_sys::window()?.performance()
}

/// Milliseconds since the page started loading.
pub fn now() -> f64 {
    performance().map_or(0.0, |p| p.now())
}

/// Records that `name` ran from `start` ([`now`]) until now.
pub fn measure(name: &str, start: f64) {
    let Some(performance) = performance() else {
        return;
    };
    if MEASURED.get() >= KEPT {
        performance.clear_measures();
        MEASURED.set(0);
    }
    MEASURED.set(MEASURED.get() + 1);
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"start".into(), &JsValue::from_f64(start));
    let _ = js_sys::Reflect::set(&options, &"end".into(), &JsValue::from_f64(now()));
    if let Ok(measure) = js_sys::Reflect::get(&performance, &"measure".into())
        .and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = measure.call2(&performance, &format!("storeops {name}").into(), &options);
    }
}

/// Marks the first time Today shows its tasks in this page.
pub fn mark_today_shown() {
    if TODAY_MARKED.replace(true) {
        return;
    }
    if let Some(performance) = performance() {
        let _ = performance.mark("storeops today");
    }
}
