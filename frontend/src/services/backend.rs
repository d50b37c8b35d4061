//! The seam between the UI and the device side: every command goes through [`call`],
//! every event arrives through [`listen`], whichever [`Backend`] answers them.
//!
//! The backend is chosen once, when the app starts ([`install`]): the Tauri shell today
//! ([`super::tauri::TauriBackend`]); the device running in a Web Worker can plug in the
//! same way without any screen changing. A backend carries [`Request`]s, the api's one
//! definition of every command, and answers with the command's output as a [`Reply`],
//! exactly as [`Request::dispatch`] does on the device side.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use storeops_api::status::SyncStatus;
use storeops_api::{ApiError, Command, ErrorCode, Reply, Request};

/// What a backend hands back: resolved once, on this thread.
pub type Pending<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

/// What the device says without being asked (in the shell, `storeops://changed` and
/// `storeops://sync`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// Documents changed through sync: what is shown should be fetched again.
    Changed,
    /// The sync state changed.
    Sync(SyncStatus),
    /// The web app only: another tab holds the device; this one waits for "use here".
    Elsewhere,
    /// The web app only: another tab took the device over; this one stopped.
    TakenOver,
}

/// Called with every event, or with why one could not be read.
pub type EventHandler = Rc<dyn Fn(Result<Event, ApiError>)>;

/// A device side the UI talks to.
pub trait Backend {
    /// Sends one command; resolves to its output, or to the device's refusal.
    fn call(&self, request: Request) -> Pending<Reply>;

    /// Delivers every event to `handler` from now on, for the life of the page. Called
    /// again (after a failure, on "Try again"), it subscribes only what is missing, and
    /// events go to the latest handler.
    fn listen(&self, handler: EventHandler) -> Pending<()>;
}

thread_local! {
    static BACKEND: RefCell<Option<Rc<dyn Backend>>> = const { RefCell::new(None) };
}

/// Chooses the backend every call and subscription goes to; once, at start.
pub fn install(backend: Rc<dyn Backend>) {
    BACKEND.with(|b| *b.borrow_mut() = Some(backend));
}

fn current() -> Result<Rc<dyn Backend>, ApiError> {
    BACKEND.with(|b| b.borrow().clone()).ok_or_else(|| {
        ApiError::new(
            ErrorCode::Unavailable,
            "no backend: the app was started without one",
        )
    })
}

/// Runs `command` on the device and reads its answer as the command's output.
pub async fn call<C: Command>(command: C) -> Result<C::Output, ApiError> {
    let start = super::timing::now();
    let reply = current()?.call(command.into()).await;
    super::timing::measure(C::NAME, start);
    let reply = reply?;
    serde_json::from_value(reply)
        .map_err(|e| ApiError::new(ErrorCode::BadReply, format!("{}: {e}", C::NAME)))
}

/// Subscribes `handler` to the device's events (see [`Backend::listen`]).
pub async fn listen(handler: impl Fn(Result<Event, ApiError>) + 'static) -> Result<(), ApiError> {
    current()?.listen(Rc::new(handler)).await
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::future::ready;

    use storeops_api::command::{AddTask, GetStaffing, SignOut};
    use storeops_api::tasks::Staffing;

    use super::*;

    /// Answers every request with `answer` and keeps what it was sent.
    struct Canned {
        answer: Result<Reply, ApiError>,
        sent: RefCell<Vec<Request>>,
    }

    impl Backend for Canned {
        fn call(&self, request: Request) -> Pending<Reply> {
            self.sent.borrow_mut().push(request);
            Box::pin(ready(self.answer.clone()))
        }

        fn listen(&self, handler: EventHandler) -> Pending<()> {
            handler(Ok(Event::Changed));
            Box::pin(ready(Ok(())))
        }
    }

    fn canned(answer: Result<Reply, ApiError>) -> Rc<Canned> {
        let backend = Rc::new(Canned {
            answer,
            sent: RefCell::new(Vec::new()),
        });
        install(backend.clone());
        backend
    }

    /// Drives a future that never waits (the canned backend answers at once).
    fn now<T>(future: impl Future<Output = T>) -> T {
        let mut future = std::pin::pin!(future);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match future.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(out) => out,
            std::task::Poll::Pending => panic!("the canned backend answers at once"),
        }
    }

    #[test]
    fn a_command_goes_as_its_request_and_comes_back_as_its_output() {
        let backend = canned(Ok(serde_json::json!({
            "positions": [{"id": "pos:a", "title": "Clerk", "department": "Ops"}],
            "people": []
        })));
        let staffing: Result<Staffing, ApiError> = now(call(GetStaffing {}));
        assert_eq!(
            staffing.map(|s| s.positions[0].title.clone()),
            Ok("Clerk".to_owned())
        );
        assert_eq!(
            *backend.sent.borrow(),
            [Request::GetStaffing(GetStaffing {})]
        );
    }

    #[test]
    fn a_reply_of_the_wrong_shape_is_a_bad_reply_naming_the_command() {
        canned(Ok(serde_json::json!({"title": 42})));
        let err = now(call(AddTask::titled("x"))).err();
        assert_eq!(err.as_ref().map(|e| e.code), Some(ErrorCode::BadReply));
        assert!(err.is_some_and(|e| e.message.starts_with("add_task: ")));
    }

    #[test]
    fn the_devices_refusal_comes_back_as_it_is_and_null_is_an_empty_answer() {
        let refusal = ApiError::new(ErrorCode::Forbidden, "managers only");
        canned(Err(refusal.clone()));
        assert_eq!(
            now(call(SignOut {
                discard_unsynced: 0,
            })),
            Err(refusal)
        );
        canned(Ok(Reply::Null));
        assert_eq!(
            now(call(SignOut {
                discard_unsynced: 0,
            })),
            Ok(())
        );
    }

    #[test]
    fn events_reach_the_handler() {
        canned(Ok(Reply::Null));
        let seen = Rc::new(RefCell::new(Vec::new()));
        let handler = {
            let seen = seen.clone();
            move |event: Result<Event, ApiError>| seen.borrow_mut().push(event)
        };
        assert_eq!(now(listen(handler)), Ok(()));
        assert_eq!(*seen.borrow(), [Ok(Event::Changed)]);
    }

    #[test]
    fn without_a_backend_every_call_is_unavailable() {
        BACKEND.with(|b| *b.borrow_mut() = None);
        let err = now(call(SignOut {
            discard_unsynced: 0,
        }))
        .err()
        .map(|e| e.code);
        assert_eq!(err, Some(ErrorCode::Unavailable));
    }
}
