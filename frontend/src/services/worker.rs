//! The device in a dedicated Web Worker (`storeops-web`, the phone web app) as a
//! [`Backend`]: each command goes to the worker as a `storeops_api::worker::ToWorker`
//! JSON string and its answer comes back as a `FromWorker` with the same id; the
//! worker's other messages are the events.
//!
//! The worker owns the device's database for this tab. If another tab owns it, the
//! worker says so ([`Event::Elsewhere`]) and holds the commands until [`take_over`].

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Function, Promise};
use storeops_api::worker::{FromWorker, ToWorker};
use storeops_api::{ApiError, ErrorCode, Reply, Request};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

use super::backend::{Backend, Event, EventHandler, Pending};
use super::timing;

/// The worker's script, beside the page.
const SCRIPT: &str = "worker.js";

struct Shared {
    /// Each command waiting for its answer: the resolve function of its promise, and
    /// the command's name (for the timing marks).
    waiting: RefCell<HashMap<u64, (Function, &'static str)>>,
    handler: RefCell<Option<EventHandler>>,
    /// Why the device cannot run here, once the worker said so: every call fails with it.
    failed: RefCell<Option<ApiError>>,
}

/// The page's side of the worker.
pub struct WorkerBackend {
    worker: Worker,
    next_id: Cell<u64>,
    shared: Rc<Shared>,
}

impl std::fmt::Debug for WorkerBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerBackend")
            .field("next_id", &self.next_id.get())
            .finish_non_exhaustive()
    }
}

thread_local! {
    static WORKER: RefCell<Option<Worker>> = const { RefCell::new(None) };
}

impl WorkerBackend {
    /// Starts the worker.
    pub fn start() -> Result<Self, ApiError> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(SCRIPT, &options).map_err(js_error)?;
        let shared = Rc::new(Shared {
            waiting: RefCell::new(HashMap::new()),
            handler: RefCell::new(None),
            failed: RefCell::new(None),
        });
        let on_message = {
            let shared = shared.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                if let Some(text) = e.data().as_string() {
                    received(&shared, &text);
                }
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The worker lives as long as the page.
        on_message.forget();
        // A worker script that does not load or throws: every call fails with why.
        let on_error = {
            let shared = shared.clone();
            Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
                let failed = FromWorker::Failed {
                    error: ApiError::new(
                        ErrorCode::Unavailable,
                        format!("the app's device part stopped: {}", e.message()),
                    ),
                };
                if let Ok(text) = serde_json::to_string(&failed) {
                    received(&shared, &text);
                }
            })
        };
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        WORKER.with(|w| *w.borrow_mut() = Some(worker.clone()));
        Ok(Self {
            worker,
            next_id: Cell::new(1),
            shared,
        })
    }
}

/// Ends the device part (it lets go of the database), e.g. before deleting its files.
pub fn stop() {
    WORKER.with(|w| {
        if let Some(worker) = w.borrow_mut().take() {
            worker.terminate();
        }
    });
}

/// Takes the device's database over from the tab that holds it.
pub fn take_over() {
    WORKER.with(|w| {
        if let Some(worker) = w.borrow().as_ref() {
            let _ = send(worker, &ToWorker::TakeOver);
        }
    });
}

fn send(worker: &Worker, message: &ToWorker) -> Result<(), ApiError> {
    let json = serde_json::to_string(message)
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    worker
        .post_message(&JsValue::from_str(&json))
        .map_err(js_error)
}

fn received(shared: &Shared, text: &str) {
    let message = match serde_json::from_str::<FromWorker>(text) {
        Ok(m) => m,
        Err(e) => {
            web_sys::console::warn_1(
                &format!("unreadable message from the worker: {e}: {text:.200}").into(),
            );
            return;
        }
    };
    let event = match message {
        FromWorker::Answer {
            id,
            result,
            took_ms,
        } => {
            let waiting = shared.waiting.borrow_mut().remove(&id);
            if let Some((resolve, name)) = waiting {
                timing::measure(&format!("device {name}"), timing::now() - took_ms);
                let json = serde_json::to_string(&result).unwrap_or_default();
                let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(&json));
            }
            return;
        }
        FromWorker::Ready => return,
        FromWorker::Changed => Ok(Event::Changed),
        FromWorker::Sync { status } => Ok(Event::Sync(status)),
        FromWorker::Elsewhere => Ok(Event::Elsewhere),
        FromWorker::TakenOver => Ok(Event::TakenOver),
        FromWorker::Failed { error } => {
            *shared.failed.borrow_mut() = Some(error.clone());
            let waiting: Vec<Function> = shared
                .waiting
                .borrow_mut()
                .drain()
                .map(|(_, (f, _))| f)
                .collect();
            let json = serde_json::to_string(&Err::<Reply, _>(error.clone())).unwrap_or_default();
            for resolve in waiting {
                let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(&json));
            }
            Err(error)
        }
    };
    let handler = shared.handler.borrow().clone();
    if let Some(handler) = handler {
        handler(event);
    }
}

impl Backend for WorkerBackend {
    fn call(&self, request: Request) -> Pending<Reply> {
        if let Some(error) = self.shared.failed.borrow().clone() {
            return Box::pin(std::future::ready(Err(error)));
        }
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        let name = request.name();
        let shared = self.shared.clone();
        let promise = Promise::new(&mut |resolve, _| {
            shared.waiting.borrow_mut().insert(id, (resolve, name));
        });
        let sent = send(&self.worker, &ToWorker::Call { id, request });
        Box::pin(async move {
            if let Err(e) = sent {
                shared.waiting.borrow_mut().remove(&id);
                return Err(e);
            }
            let answer = JsFuture::from(promise).await.map_err(js_error)?;
            let text = answer.as_string().unwrap_or_default();
            serde_json::from_str::<Result<Reply, ApiError>>(&text)
                .map_err(|e| ApiError::new(ErrorCode::BadReply, format!("{name}: {e}")))?
        })
    }

    fn listen(&self, handler: EventHandler) -> Pending<()> {
        *self.shared.handler.borrow_mut() = Some(handler);
        Box::pin(std::future::ready(Ok(())))
    }
}

fn js_error(value: JsValue) -> ApiError {
    let message = value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "the app's worker could not be reached".to_owned());
    ApiError::new(ErrorCode::Unavailable, message)
}
