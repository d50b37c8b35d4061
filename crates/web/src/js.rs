//! The few worker-global facilities the shell uses: posting to the page, timers, and
//! waiting on whichever of two futures is ready first.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;

use js_sys::Promise;
use storeops_api::worker::FromWorker;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::DedicatedWorkerGlobalScope;

pub(crate) fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Sends `message` to the page.
pub(crate) fn post(message: &FromWorker) {
    match serde_json::to_string(message) {
        Ok(json) => {
            if let Err(e) = scope().post_message(&JsValue::from_str(&json)) {
                web_sys::console::error_2(&"storeops worker: cannot post".into(), &e);
            }
        }
        Err(e) => web_sys::console::error_1(&format!("storeops worker: {e}").into()),
    }
}

/// Resolves after `ms` milliseconds.
pub(crate) async fn sleep(ms: u32) {
    let promise = Promise::new(&mut |resolve, _| {
        let ms = i32::try_from(ms).unwrap_or(i32::MAX);
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

/// What [`first`] saw first.
pub(crate) enum Either<A, B> {
    Left(A),
    Right(B),
}

/// Waits for whichever of `a` and `b` is ready first; the other is dropped.
pub(crate) async fn first<A: Future, B: Future>(a: A, b: B) -> Either<A::Output, B::Output> {
    let mut a = pin!(a);
    let mut b = pin!(b);
    poll_fn(|cx| {
        if let Poll::Ready(x) = a.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(x));
        }
        if let Poll::Ready(y) = b.as_mut().poll(cx) {
            return Poll::Ready(Either::Right(y));
        }
        Poll::Pending
    })
    .await
}

/// A thrown JS value as text.
pub(crate) fn error_text(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}
