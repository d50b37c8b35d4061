//! The browser's WebSocket to the relay's `/sync`: connects, feeds the replica's sync
//! engine, and after a drop reconnects with backoff (or at once on "sync now"). The
//! browser cannot set headers on a WebSocket, so the token goes as `?token=` (the
//! relay accepts it there and never logs it); pings are the browser's business.

use std::time::Duration;

use js_sys::{ArrayBuffer, Uint8Array};
use storeops_client::Device;
use storeops_client::relay::websocket_url;
use storeops_sync::ConnId;
use tokio::sync::mpsc;
use wasm_bindgen::prelude::*;
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

use crate::js::{Either, first, scope, sleep};

/// How often a live connection runs the replica's upkeep (offered documents,
/// recurring tasks, survey answers).
const UPKEEP_EVERY_MS: i32 = 5_000;
/// How long a connection may take to open.
const OPEN_WITHIN_MS: u32 = 10_000;

/// What the socket and the timer say.
enum Input {
    Open,
    Frame(Vec<u8>),
    Closed { opened: bool, reason: String },
    Upkeep,
}

/// Keeps every store the device holds in sync with its relay for the worker's life,
/// each over its own connection with its own token; a store added later starts
/// syncing when it is added.
pub(crate) async fn sync_loop(device: Device) {
    let mut syncing: Vec<Device> = Vec::new();
    loop {
        for store in device.held() {
            if !syncing.iter().any(|s| s.same_store(&store)) {
                syncing.push(store.clone());
                wasm_bindgen_futures::spawn_local(store_sync_loop(store));
            }
        }
        device.store_added().await;
    }
}

/// Keeps one store in sync with its relay.
async fn store_sync_loop(device: Device) {
    let mut backoff = Duration::from_millis(250);
    let mut next_conn = 1u64;
    loop {
        let target = {
            let r = device.replica();
            r.enrolment()
                .map(|e| websocket_url(&e.relay_url, &e.store_id))
                .zip(r.token().ok())
        };
        let Some((sync_url, token)) = target else {
            device.woken().await;
            continue;
        };
        let conn = ConnId(next_conn);
        next_conn += 1;
        match connection(&device, conn, &sync_url, &token).await {
            Ok(()) => backoff = Duration::from_millis(250),
            Err(e) => device.replica().connect_failed(e),
        }
        let jitter = backoff.as_millis() as f64 * js_sys::Math::random() / 2.0;
        let wait = backoff.as_millis() as u32 + jitter as u32;
        let _ = first(sleep(wait), device.woken()).await;
        backoff = (backoff * 2).min(Duration::from_secs(30));
    }
}

/// The socket's handlers, removed when the connection ends.
struct Socket {
    ws: WebSocket,
    _handlers: Vec<Closure<dyn FnMut(JsValue)>>,
    upkeep: i32,
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
        scope().clear_interval_with_handle(self.upkeep);
    }
}

fn open_socket(url: &str, tx: mpsc::UnboundedSender<Input>) -> Result<Socket, String> {
    let ws = WebSocket::new(url).map_err(|e| crate::js::error_text(&e))?;
    ws.set_binary_type(BinaryType::Arraybuffer);
    let on = |f: Box<dyn FnMut(JsValue)>| Closure::wrap(f);
    let opened = std::rc::Rc::new(std::cell::Cell::new(false));
    let open = {
        let (tx, opened) = (tx.clone(), opened.clone());
        on(Box::new(move |_| {
            opened.set(true);
            let _ = tx.send(Input::Open);
        }))
    };
    let message = {
        let tx = tx.clone();
        on(Box::new(move |e: JsValue| {
            let data = e.unchecked_into::<MessageEvent>().data();
            if let Some(buffer) = data.dyn_ref::<ArrayBuffer>() {
                let _ = tx.send(Input::Frame(Uint8Array::new(buffer).to_vec()));
            }
        }))
    };
    let close = {
        let tx = tx.clone();
        on(Box::new(move |e: JsValue| {
            let e = e.unchecked_into::<CloseEvent>();
            let _ = tx.send(Input::Closed {
                opened: opened.get(),
                reason: e.reason(),
            });
        }))
    };
    let tick = Closure::<dyn FnMut(JsValue)>::new(move |_| {
        let _ = tx.send(Input::Upkeep);
    });
    ws.set_onopen(Some(open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(close.as_ref().unchecked_ref()));
    let upkeep = scope()
        .set_interval_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            UPKEEP_EVERY_MS,
        )
        .unwrap_or(0);
    Ok(Socket {
        ws,
        _handlers: vec![open, message, close, tick],
        upkeep,
    })
}

/// Why a connection that never opened failed, as the sync status says it.
const UNREACHABLE: &str =
    "the relay is not reachable; changes are kept on this device and sync when it is back";

async fn connection(
    device: &Device,
    conn: ConnId,
    sync_url: &str,
    token: &str,
) -> Result<(), String> {
    let url = format!(
        "{sync_url}&token={}",
        String::from(js_sys::encode_uri_component(token))
    );
    let (tx, mut rx) = mpsc::unbounded_channel();
    let socket = open_socket(&url, tx)?;
    loop {
        match first(rx.recv(), sleep(OPEN_WITHIN_MS)).await {
            Either::Left(Some(Input::Open)) => break,
            Either::Left(Some(Input::Closed { .. }) | None) => return Err(UNREACHABLE.into()),
            Either::Left(Some(_)) => {}
            Either::Right(()) => return Err("the relay did not answer within 10 s".into()),
        }
    }
    let (out_tx, mut out_rx) = mpsc::unbounded_channel::<Vec<u8>>();
    device
        .replica()
        .attach(conn, out_tx)
        .map_err(|e| e.to_string())?;
    let ws = socket.ws.clone();
    wasm_bindgen_futures::spawn_local(async move {
        // Ends when the replica lets go of the link (detach, sign-out).
        while let Some(frame) = out_rx.recv().await {
            if ws.send_with_u8_array(&frame).is_err() {
                break;
            }
        }
    });
    let mut error = None;
    loop {
        match first(rx.recv(), device.woken()).await {
            Either::Left(Some(Input::Frame(frame))) => {
                let mut r = device.replica();
                if !r.is_attached(conn) {
                    break;
                }
                if let Err(e) = r.received(conn, &frame) {
                    error = Some(e.to_string());
                    break;
                }
            }
            Either::Left(Some(Input::Closed { opened, reason })) => {
                error = Some(if reason.is_empty() {
                    if opened {
                        "the connection to the relay was lost; reconnecting".to_owned()
                    } else {
                        UNREACHABLE.to_owned()
                    }
                } else {
                    reason
                });
                break;
            }
            Either::Left(Some(Input::Upkeep)) => {
                if let Err(e) = device.replica().tick() {
                    web_sys::console::warn_1(&format!("periodic upkeep failed: {e}").into());
                }
                // Online: survey answers that waited go now.
                if device.has_survey_answers_to_send() {
                    device.send_survey_answers();
                }
            }
            Either::Left(Some(Input::Open)) => {}
            Either::Left(None) => break,
            // "Sync now" while connected: the link is live; a sign-out ends it.
            Either::Right(()) => {
                if !device.replica().is_attached(conn) {
                    break;
                }
            }
        }
    }
    let _ = device.replica().detach(conn, error.clone());
    drop(socket);
    match error {
        Some(e) => Err(device.replica().status().last_error.unwrap_or(e)),
        None => Ok(()),
    }
}
