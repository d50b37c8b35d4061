//! What a device does when the relay refuses it (issue 18): a change the relay
//! refuses (a rule this build breaks, e.g. an older app under a newer relay) is
//! taken back on the device that made it, which says so and syncs the rest
//! again; a device over its connection cap says the relay asks it to wait.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

mod support;

use automerge::ReadDoc;
use automerge::transaction::Transactable;
use storeops_api::command::{AddTask, ListTasks, SetTaskStatus};
use storeops_api::{Handles, TaskStatus};
use storeops_client::{Device, sync_loop};
use storeops_domain::calendar::Date;
use storeops_domain::{Role, kind};
use storeops_relay::registry::Registry;
use support::*;

fn title_of(d: &Device, id: &str) -> Option<String> {
    d.handle(ListTasks {})
        .ok()?
        .into_iter()
        .find(|t| t.id == id)
        .map(|t| t.title)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_the_relay_refuses_is_undone_on_its_device_which_then_syncs_the_rest() {
    let relay_dir = tempfile::tempdir().unwrap();
    let (manager_code, staff_code) = {
        let mut reg = Registry::open(relay_dir.path()).unwrap();
        let s = reg
            .create_store(
                "Demo",
                "plan3",
                "en",
                "Asia/Shanghai",
                Date::new(2026, 11, 28).unwrap(),
                0,
            )
            .unwrap();
        let m = reg
            .create_invite(&s.id, Role::Manager, None, now_ms(), 3_600_000)
            .unwrap();
        let st = reg
            .create_invite(&s.id, Role::Staff, None, now_ms(), 3_600_000)
            .unwrap();
        (m, st)
    };
    let (relay, addr) = start_relay(relay_dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    let url = format!("http://{addr}");
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let manager = Device::open(dir_a.path()).unwrap();
    let staff = Device::open(dir_b.path()).unwrap();
    {
        let (a, b, url) = (manager.clone(), staff.clone(), url.clone());
        tokio::task::spawn_blocking(move || {
            a.handle(enrol(&url, &manager_code, "Manager laptop"))
                .unwrap();
            b.handle(enrol(&url, &staff_code, "Floor phone")).unwrap();
        })
        .await
        .unwrap();
    }
    tokio::spawn(sync_loop(manager.clone()));
    tokio::spawn(sync_loop(staff.clone()));
    let task = loop {
        if let Ok(t) = manager.handle(AddTask::titled("Count stock")) {
            break t;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    eventually("the task reaches the staff device", || {
        title_of(&staff, &task.id).is_some()
    })
    .await;

    // The staff device renames the task: no staff command does; the relay's
    // rules refuse it.
    staff
        .replica()
        .change_holding(kind::TASKS, "tasks", &task.id, |am, actor, now| {
            forged(am, format!("{} renamed a task", actor.name), now, |tx| {
                let (_, tasks) = tx.get(automerge::ROOT, "tasks")?.unwrap();
                let (_, t) = tx.get(&tasks, task.id.as_str())?.unwrap();
                tx.put(&t, "title", "Renamed by staff")
            })
        })
        .unwrap();
    assert_eq!(
        title_of(&staff, &task.id).as_deref(),
        Some("Renamed by staff")
    );
    eventually(
        "the refused change to be undone on the staff device",
        || title_of(&staff, &task.id).as_deref() == Some("Count stock"),
    )
    .await;
    let said = staff.app_status().sync.last_error.unwrap_or_default();
    assert!(
        said.contains("refused 1 change") && said.contains("task-definition"),
        "{said}"
    );
    assert_eq!(title_of(&manager, &task.id).as_deref(), Some("Count stock"));

    // The rest syncs again: the staff device's next (honest) change arrives.
    staff
        .handle(SetTaskStatus {
            task_id: task.id.clone(),
            status: TaskStatus::InProgress,
        })
        .unwrap();
    eventually("the manager to see the staff's progress", || {
        manager
            .handle(ListTasks {})
            .unwrap()
            .iter()
            .any(|t| t.id == task.id && t.status == TaskStatus::InProgress)
    })
    .await;
    eventually("the staff device to be confirmed", || {
        staff.app_status().sync.pending_changes == 0
    })
    .await;
    assert_eq!(title_of(&staff, &task.id).as_deref(), Some("Count stock"));
    relay.stop().await;
}

#[test]
fn the_refusal_names_its_document_and_changes_in_one_wording() {
    let doc = storeops_sync::DocumentId::from_bytes([3; 16]);
    let mut am = automerge::Automerge::new();
    am.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(automerge::ROOT, "a", 1))
        .unwrap();
    let refused = storeops_sync::Refused {
        doc,
        changes: am.get_heads(),
    };
    let text = refused.describe("task-scope: not yours (really)");
    let (rule, back) =
        storeops_sync::Refused::parse(&format!("peer reported an error: {text}")).unwrap();
    assert_eq!(back, refused);
    assert_eq!(
        rule,
        "peer reported an error: task-scope: not yours (really)"
    );
    assert!(am.get(automerge::ROOT, "a").unwrap().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_over_its_connection_cap_says_the_relay_asks_it_to_wait() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let relay_dir = tempfile::tempdir().unwrap();
    let code = {
        let mut reg = Registry::open(relay_dir.path()).unwrap();
        let s = reg
            .create_store(
                "Demo",
                "plan3",
                "en",
                "UTC",
                Date::new(2026, 11, 28).unwrap(),
                0,
            )
            .unwrap();
        reg.create_invite(&s.id, Role::Staff, None, now_ms(), 3_600_000)
            .unwrap()
    };
    let (relay, addr) = start_relay_with(relay_dir.path(), "127.0.0.1:0".parse().unwrap(), |s| {
        s.max_connections_per_device = 1
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let phone = Device::open(dir.path()).unwrap();
    {
        let (d, url) = (phone.clone(), format!("http://{addr}"));
        tokio::task::spawn_blocking(move || d.handle(enrol(&url, &code, "Phone")).unwrap())
            .await
            .unwrap();
    }
    // Another window holds the device's one connection.
    let token = phone.replica().token().unwrap();
    let mut req = format!("ws://{addr}/sync").into_client_request().unwrap();
    req.headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    let (_other_window, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    tokio::spawn(sync_loop(phone.clone()));
    eventually("the phone to say the relay asks it to wait", || {
        phone
            .app_status()
            .sync
            .last_error
            .is_some_and(|e| e.contains("asks this device to wait for 5 s"))
    })
    .await;
    relay.stop().await;
}
