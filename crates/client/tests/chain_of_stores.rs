//! The director's chain (issue 17): one device holds three stores of one relay, each
//! with its own enrolment, token and documents. Each store's data shows only under
//! that store, the chain dashboard's row for each store is that store's own
//! dashboard's summary, a store not held cannot be switched to, and the relay still
//! keeps each store's documents from the others' devices.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

mod support;

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use storeops_api::chain::Chain;
use storeops_api::command::{
    AddTask, GetChain, GetDashboard, GetStatus, ReportProblem, SearchTasks, SetTaskStatus,
    SwitchStore,
};
use storeops_api::dashboard::StoreSummary;
use storeops_api::{ErrorCode, Handles, TaskStatus};
use storeops_client::{Device, sync_loop};
use storeops_domain::Role;
use storeops_domain::calendar::Date;
use storeops_relay::registry::Registry;
use storeops_sync::{Access, Config, ConnId, DocumentId, Engine, Output, PeerId};
use support::*;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// Runs a command off the async threads, as the shells do (enrolment is blocking HTTP).
async fn call<C>(device: &Device, command: C) -> Result<C::Output, storeops_api::ApiError>
where
    C: storeops_api::Command + Send + 'static,
    C::Output: Send + 'static,
    Device: Handles<C>,
{
    let device = device.clone();
    tokio::task::spawn_blocking(move || device.handle(command))
        .await
        .unwrap()
}

fn switch(store_id: &str) -> SwitchStore {
    SwitchStore {
        store_id: store_id.into(),
    }
}

fn titles(device: &Device, words: &str) -> Vec<String> {
    device
        .handle(SearchTasks::words(words))
        .unwrap()
        .into_iter()
        .map(|t| t.title)
        .collect()
}

fn due(title: &str, date: Date) -> AddTask {
    AddTask {
        due: Some(date.to_string()),
        ..AddTask::titled(title)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_directors_device_holds_three_stores_apart_and_compares_them() {
    let relay_dir = tempfile::tempdir().unwrap();
    let today = Date::from_unix_ms(now_ms(), 0);
    let names = ["North", "South", "East"];
    let (stores, codes): (Vec<String>, Vec<String>) = {
        let mut reg = Registry::open(relay_dir.path()).unwrap();
        names
            .iter()
            .map(|name| {
                let s = reg
                    .create_store(name, "plan1", "en", "UTC", today, 0)
                    .unwrap();
                let code = reg
                    .create_invite(&s.id, Role::Director, None, now_ms(), 3_600_000)
                    .unwrap();
                (s.id, code)
            })
            .unzip()
    };
    let (relay, addr) = start_relay(relay_dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    let url = format!("http://{addr}");

    // One device, three invites: each enrolment adds a store beside the others and
    // shows it.
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path()).unwrap();
    for (i, code) in codes.iter().enumerate() {
        let status = call(&device, enrol(&url, code, "Director's laptop"))
            .await
            .unwrap();
        assert_eq!(status.store.unwrap().id, stores[i]);
        assert_eq!(status.stores.len(), i + 1, "{:?}", status.stores);
    }
    // The choice is remembered: the device opened again shows the store chosen.
    call(&device, switch(&stores[1])).await.unwrap();
    drop(device);
    let device = Device::open(dir.path()).unwrap();
    let status = device.handle(GetStatus {}).unwrap();
    assert_eq!(status.store.unwrap().id, stores[1]);
    let held: Vec<String> = status.stores.iter().map(|s| s.id.clone()).collect();
    assert_eq!(held, stores);
    // Each store in its own directory with its own token.
    let tokens: Vec<String> = device
        .held()
        .iter()
        .map(|d| d.replica().token().unwrap())
        .collect();
    assert_eq!(tokens.len(), 3);
    assert!(tokens[0] != tokens[1] && tokens[1] != tokens[2] && tokens[0] != tokens[2]);
    tokio::spawn(sync_loop(device.clone()));

    // Every store syncs, not only the one shown.
    for (i, store) in device.held().iter().enumerate() {
        eventually(&format!("store {} arrived", names[i]), || {
            store.replica().all_arrived()
                && store.replica().status().pending_changes == 0
                && relay_documents(relay_dir.path(), &stores[i])
                    .iter()
                    .all(|(doc, _)| store.replica().arrived(doc).is_some())
        })
        .await;
    }

    // Work in each store: North finishes a task of today, South has one overdue, East a
    // problem report.
    call(&device, switch(&stores[0])).await.unwrap();
    let done = device.handle(due("Only in North", today)).unwrap();
    device
        .handle(SetTaskStatus {
            task_id: done.id,
            status: TaskStatus::Done,
        })
        .unwrap();
    call(&device, switch(&stores[1])).await.unwrap();
    device
        .handle(due("Only in South", today.add_days(-1)))
        .unwrap();
    call(&device, switch(&stores[2])).await.unwrap();
    device
        .handle(ReportProblem {
            category: "stock".into(),
            text: "Only in East: shelf 4 is short".into(),
            photo: None,
        })
        .unwrap();

    // Each store's data only under that store.
    for (i, name) in names.iter().enumerate() {
        call(&device, switch(&stores[i])).await.unwrap();
        for (j, other) in names.iter().enumerate() {
            let found = titles(&device, &format!("Only in {other}"));
            assert_eq!(
                found.len(),
                usize::from(i == j && j < 2),
                "{name}: {found:?}"
            );
        }
        let feedback = device
            .handle(storeops_api::command::GetFeedback {})
            .unwrap();
        assert_eq!(feedback.reports.len(), usize::from(i == 2), "{name}");
    }

    // The chain's row for each store is that store's own dashboard's summary.
    let own: Vec<StoreSummary> = {
        let mut own = Vec::new();
        for store in &stores {
            call(&device, switch(store)).await.unwrap();
            own.push(device.handle(GetDashboard { weeks: None }).unwrap().summary);
        }
        own
    };
    let chain: Chain = device.handle(GetChain { weeks: None }).unwrap();
    assert_eq!(chain.stores.len(), 3);
    for (i, store) in stores.iter().enumerate() {
        let row = chain.stores.iter().find(|r| &r.store.id == store).unwrap();
        assert_eq!(row.store.name, names[i]);
        assert_eq!(row.summary.as_ref(), Some(&own[i]), "{}", names[i]);
        assert_eq!(row.chosen, i == 2, "{}: East is shown", names[i]);
    }
    // The numbers are each store's own, not the shown store's.
    assert!(own[0].completion > own[1].completion, "{own:?}");
    assert_eq!(own[1].overdue, own[0].overdue + 1, "{own:?}");
    assert_eq!(
        [
            own[0].open_feedback,
            own[1].open_feedback,
            own[2].open_feedback
        ],
        [0, 0, 1]
    );
    // Worst first: South, with the lowest completion and the most overdue.
    assert_eq!(chain.stores[0].store.id, stores[1], "{chain:?}");
    let completions: Vec<f64> = chain
        .stores
        .iter()
        .filter_map(|r| r.summary.as_ref().and_then(|s| s.completion))
        .collect();
    assert!(completions.windows(2).all(|w| w[0] <= w[1]), "{chain:?}");

    // A store not held: a clear error, and the store shown stays.
    let err = device.handle(switch("store-nowhere")).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert_eq!(err.key, "store-not-held");
    assert!(err.message.contains("store-nowhere"), "{}", err.message);
    let status = device.handle(GetStatus {}).unwrap();
    assert_eq!(status.store.unwrap().id, stores[2]);

    // The relay's access control is as for a device of one store: with North's token,
    // South's root document is not shared, while North's own arrives.
    let north = &device.held()[0];
    let north_token = north.replica().token().unwrap();
    let north_root: DocumentId = north
        .replica()
        .enrolment()
        .unwrap()
        .root_document_id
        .parse()
        .unwrap();
    let south_root: DocumentId = device.held()[1]
        .replica()
        .enrolment()
        .unwrap()
        .root_document_id
        .parse()
        .unwrap();
    assert_eq!(
        fetch_with_token(addr, &north_token, north_root).await,
        Fetched::Arrived
    );
    assert_eq!(
        fetch_with_token(addr, &north_token, south_root).await,
        Fetched::Unavailable
    );
    relay.stop().await;
}

#[derive(Debug, PartialEq)]
enum Fetched {
    Arrived,
    Unavailable,
}

/// Asks the relay for `doc` over a fresh connection made with `token`.
async fn fetch_with_token(addr: std::net::SocketAddr, token: &str, doc: DocumentId) -> Fetched {
    let mut req = format!("ws://{addr}/sync").into_client_request().unwrap();
    req.headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    let mut engine = Engine::new(
        PeerId::new("probe"),
        Some("probe-storage".into()),
        storeops_sync::Role::Client,
        Config::default(),
    );
    let now = || now_ms() as u64;
    engine.connected(ConnId(1), Access::full());
    engine.open(doc, now());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        while let Some(out) = engine.poll_output() {
            match out {
                Output::Send { frame, .. } => {
                    ws.send(WsMessage::Binary(frame.into())).await.unwrap();
                }
                Output::Load { doc, .. } => engine.loaded(doc, None, now()),
                Output::DocUnavailable { doc: d } if d == doc => return Fetched::Unavailable,
                Output::DocChanged { doc: d } if d == doc => return Fetched::Arrived,
                _ => {}
            }
        }
        let frame = tokio::time::timeout_at(deadline, ws.next())
            .await
            .expect("the relay answered within 20 s");
        match frame {
            Some(Ok(WsMessage::Binary(b))) => engine.received(ConnId(1), &b, now()),
            Some(Ok(_)) => {}
            other => panic!("the relay closed the connection: {other:?}"),
        }
    }
}
