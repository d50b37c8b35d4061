//! The worker's life: take the database (or wait for the user to take it over from
//! another tab), open the device, then answer the page's commands in order and tell it
//! what changed, while the sync loop runs beside.

use std::cell::Cell;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use storeops_api::worker::{FromWorker, ToWorker};
use storeops_api::{ApiError, ErrorCode};
use storeops_client::{ClientEvent, Device};
use tokio::sync::mpsc;
use wasm_bindgen::prelude::*;
use web_sys::MessageEvent;

use crate::js::{error_text, post, scope};
use crate::{http, link, owner, storage};

pub(crate) async fn run(early: js_sys::Array) {
    let (tx, mut rx) = mpsc::unbounded_channel::<ToWorker>();
    let take = move |data: JsValue| {
        let Some(text) = data.as_string() else {
            return;
        };
        match serde_json::from_str::<ToWorker>(&text) {
            Ok(message) => {
                let _ = tx.send(message);
            }
            Err(e) => web_sys::console::warn_1(&format!("storeops worker: {e}").into()),
        }
    };
    for data in early.iter() {
        take(data);
    }
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| take(e.data()));
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();

    // Set when another tab takes the database: this one stops answering.
    let lost = Rc::new(Cell::new(false));
    let on_lost = {
        let lost = lost.clone();
        move || {
            lost.set(true);
            post(&FromWorker::TakenOver);
            // Ends the worker, which lets go of the database's file handles.
            scope().close();
        }
    };
    let mut steal = false;
    let mut queued = Vec::new();
    loop {
        match owner::acquire(steal, on_lost.clone()).await {
            Ok(true) => break,
            Ok(false) => post(&FromWorker::Elsewhere),
            Err(e) => {
                return fail(format!(
                    "the browser refused the app's lock: {}",
                    error_text(&e)
                ));
            }
        }
        // Wait for the user to take it over; commands sent meanwhile wait too.
        loop {
            match rx.recv().await {
                Some(ToWorker::TakeOver) => break,
                Some(call) => queued.push(call),
                None => return,
            }
        }
        steal = true;
    }

    if let Err(e) = storage::open().await {
        return fail(e);
    }
    let device = match Device::open_with(Path::new("/"), Arc::new(http::Xhr)) {
        Ok(d) => d,
        Err(e) => {
            return fail(format!(
                "the app's data in this browser cannot be read ({e}); what was synced is safe on the relay"
            ));
        }
    };
    device.set_listener(|event| {
        post(&match event {
            ClientEvent::Changed => FromWorker::Changed,
            ClientEvent::Sync(status) => FromWorker::Sync { status },
        })
    });
    wasm_bindgen_futures::spawn_local(link::sync_loop(device.clone()));
    post(&FromWorker::Ready);

    for message in queued {
        answer(&device, message);
    }
    while let Some(message) = rx.recv().await {
        if lost.get() {
            break;
        }
        answer(&device, message);
    }
}

fn answer(device: &Device, message: ToWorker) {
    match message {
        ToWorker::Call { id, request } => {
            let started = web_time::Instant::now();
            let result = request.dispatch(device);
            let took_ms = started.elapsed().as_secs_f64() * 1000.0;
            post(&FromWorker::Answer {
                id,
                result,
                took_ms,
            });
        }
        ToWorker::TakeOver => {}
    }
}

fn fail(message: String) {
    post(&FromWorker::Failed {
        error: ApiError::new(ErrorCode::Storage, message),
    });
}
