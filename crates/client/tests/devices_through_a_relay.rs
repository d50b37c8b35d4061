//! Two devices and a real relay (in-process, on loopback): the walking skeleton
//! without the UI.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

mod support;

use storeops_api::command::{
    AddChecklistItem, AddComment, AddPerson, AddTask, CreateInvite, GetDutyRegister, GetOrgChart,
    GetTaskDetail, GetTeamBoard, ListDevices, ListTasks, ReassignOpenTasks, ReassignTask,
    RevokeDevice, SetChecklistItem, SetTaskStatus, SignOut,
};
use storeops_api::{Cadence, ErrorCode, Handles, TaskStatus};
use storeops_client::{Device, sync_loop};
use storeops_domain::Role;
use storeops_domain::calendar::Date;
use storeops_relay::registry::Registry;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_added_on_one_device_appears_on_the_other_and_offline_completion_syncs_back() {
    let relay_dir = tempfile::tempdir().unwrap();
    let (store_id, manager_code, staff_code) = {
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
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64;
        let m = reg
            .create_invite(&s.id, Role::Manager, None, now, 3_600_000)
            .unwrap();
        let st = reg
            .create_invite(&s.id, Role::Staff, None, now, 3_600_000)
            .unwrap();
        (s.id, m, st)
    };
    let (relay, addr) = start_relay(relay_dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    let url = format!("http://{addr}");

    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = Device::open(dir_a.path()).unwrap();
    let b = Device::open(dir_b.path()).unwrap();
    {
        let (a, b, url) = (a.clone(), b.clone(), url.clone());
        tokio::task::spawn_blocking(move || {
            a.handle(enrol(&url, &manager_code, "Manager laptop"))
                .unwrap();
            b.handle(enrol(&url, &staff_code, "Floor phone")).unwrap();
        })
        .await
        .unwrap();
    }
    assert_eq!(a.replica().enrolment().unwrap().store_id, store_id);
    tokio::spawn(sync_loop(a.clone()));
    tokio::spawn(sync_loop(b.clone()));

    eventually("the template's tasks reach A and B", || {
        [&a, &b].iter().all(|d| {
            d.handle(ListTasks {})
                .map(|t| !t.is_empty())
                .unwrap_or(false)
        })
    })
    .await;
    let task = a.handle(AddTask::titled("Count stock in aisle 3")).unwrap();
    eventually("the new task reaches B", || {
        b.handle(ListTasks {})
            .unwrap()
            .iter()
            .any(|t| t.id == task.id)
    })
    .await;

    relay.stop().await;
    eventually("B notices the relay is gone", || {
        !b.app_status().sync.online
    })
    .await;
    let done = b
        .handle(SetTaskStatus {
            task_id: task.id.clone(),
            status: TaskStatus::Done,
        })
        .unwrap();
    assert_eq!(done.status, TaskStatus::Done);
    let unsynced = b.app_status().sync.pending_changes;
    assert!(unsynced > 0);
    // Signing out now would lose it: refused, with how many, unless agreed to.
    let refused = b
        .handle(SignOut {
            discard_unsynced: unsynced - 1,
        })
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Refused);
    assert!(
        refused.message.contains(&format!("{unsynced} changes")),
        "{refused}"
    );
    assert!(b.replica().enrolment().is_some());

    let (relay, _) = start_relay(relay_dir.path(), addr).await;
    a.sync_now();
    b.sync_now();
    eventually("A sees the task done", || {
        a.handle(ListTasks {})
            .unwrap()
            .iter()
            .any(|t| t.id == task.id && t.status == TaskStatus::Done)
    })
    .await;
    eventually("B's change is confirmed", || {
        b.app_status().sync.pending_changes == 0
    })
    .await;
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_used_invite_code_is_refused_with_a_clear_message() {
    let relay_dir = tempfile::tempdir().unwrap();
    let code = {
        let mut reg = Registry::open(relay_dir.path()).unwrap();
        let s = reg
            .create_store(
                "Demo",
                "plan1",
                "zh-CN",
                "Asia/Shanghai",
                Date::new(2026, 11, 28).unwrap(),
                0,
            )
            .unwrap();
        reg.create_invite(&s.id, Role::Staff, None, 0, 1).unwrap()
    };
    let (relay, addr) = start_relay(relay_dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    let url = format!("http://{addr}");
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path()).unwrap();
    let err = tokio::task::spawn_blocking(move || device.handle(enrol(&url, &code, "Phone")))
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Refused);
    assert!(err.to_string().contains("invite code"), "{err}");
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_sees_the_org_chart_and_duties_invites_a_device_and_signs_out() {
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
        reg.create_invite(&s.id, Role::Manager, None, 0, i64::MAX / 2)
            .unwrap()
    };
    let (relay, addr) = start_relay(relay_dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    let url = format!("http://{addr}");
    let dir = tempfile::tempdir().unwrap();
    let manager = Device::open(dir.path()).unwrap();
    {
        let (m, url) = (manager.clone(), url.clone());
        tokio::task::spawn_blocking(move || m.handle(enrol(&url, &code, "Laptop")).unwrap())
            .await
            .unwrap();
    }
    tokio::spawn(sync_loop(manager.clone()));
    eventually("the org arrives", || {
        manager
            .handle(GetOrgChart {})
            .map(|o| !o.departments.is_empty())
            .unwrap_or(false)
    })
    .await;
    // The tasks documents sync on their own, a few milliseconds apart (and the
    // device makes what its duties owe once they are here).
    eventually("the duties' tasks arrive", || {
        manager.replica().all_arrived()
            && manager.handle(GetDutyRegister {}).is_ok_and(|r| {
                r.groups
                    .iter()
                    .flat_map(|g| &g.sections)
                    .flat_map(|s| &s.duties)
                    .filter(|d| d.text == "Stock count so records match the shelves")
                    .any(|d| d.next_due.is_some())
            })
    })
    .await;

    let chart = manager.handle(GetOrgChart {}).unwrap();
    assert_eq!(chart.totals.departments, 6);
    // A new store has nobody yet: every position is vacant, every duty uncovered.
    assert_eq!(chart.totals.vacancies, chart.totals.positions);
    let register = manager.handle(GetDutyRegister {}).unwrap();
    let duties: usize = register
        .groups
        .iter()
        .flat_map(|g| &g.sections)
        .map(|s| s.duties.len())
        .sum();
    assert_eq!(register.uncovered as usize, duties);
    let count = register
        .groups
        .iter()
        .flat_map(|g| &g.sections)
        .flat_map(|s| &s.duties)
        .find(|d| d.text == "Stock count so records match the shelves")
        .unwrap();
    assert_eq!(count.cadence, Cadence::Monthly);
    assert!(count.next_due.is_some());

    let m = manager.clone();
    let invite = tokio::task::spawn_blocking(move || {
        m.handle(CreateInvite {
            role: Some(Role::Staff),
            person: None,
        })
    })
    .await
    .unwrap()
    .unwrap();
    let phone_dir = tempfile::tempdir().unwrap();
    let phone = Device::open(phone_dir.path()).unwrap();
    let (p, url2) = (phone.clone(), url.clone());
    let code = invite.code.clone();
    tokio::task::spawn_blocking(move || p.handle(enrol(&url2, &code, "Phone")).unwrap())
        .await
        .unwrap();
    assert_eq!(phone.replica().enrolment().unwrap().role, "staff");
    let p = phone.clone();
    let refused = tokio::task::spawn_blocking(move || {
        p.handle(CreateInvite {
            role: Some(Role::Manager),
            person: None,
        })
    })
    .await
    .unwrap()
    .unwrap_err();
    assert!(refused.to_string().contains("only a manager"), "{refused}");

    // The manager sees the store's devices and revokes the phone; the phone sees
    // none, and may not revoke anyone.
    let (m, p) = (manager.clone(), phone.clone());
    let (listed, staff_listing, revoked, own, staff_revoking) =
        tokio::task::spawn_blocking(move || {
            let listed = m.handle(ListDevices {}).unwrap();
            let phone_id = p.replica().enrolment().unwrap().device_id.clone();
            let manager_id = m.replica().enrolment().unwrap().device_id.clone();
            let own = m
                .handle(RevokeDevice {
                    device_id: manager_id,
                })
                .unwrap_err();
            let staff_listing = p.handle(ListDevices {}).unwrap_err();
            let staff_revoking = p
                .handle(RevokeDevice {
                    device_id: listed.iter().find(|d| d.this_device).unwrap().id.clone(),
                })
                .unwrap_err();
            let revoked = m
                .handle(RevokeDevice {
                    device_id: phone_id.clone(),
                })
                .unwrap();
            (
                listed,
                staff_listing,
                (phone_id, revoked),
                own,
                staff_revoking,
            )
        })
        .await
        .unwrap();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert_eq!(listed.iter().filter(|d| d.this_device).count(), 1);
    assert!(
        listed
            .iter()
            .any(|d| d.name == "Phone" && d.role == Role::Staff && !d.revoked)
    );
    assert!(own.to_string().contains("sign out"), "{own}");
    assert!(
        staff_listing.to_string().contains("manager"),
        "{staff_listing}"
    );
    assert!(!staff_revoking.message.is_empty());
    let (phone_id, after) = revoked;
    assert!(after.iter().any(|d| d.id == phone_id && d.revoked));
    assert!(after.iter().any(|d| d.this_device && !d.revoked));

    manager
        .handle(SignOut {
            discard_unsynced: 0,
        })
        .unwrap();
    assert!(manager.replica().enrolment().is_none());
    assert_eq!(manager.handle(ListTasks {}).unwrap(), vec![]);
    assert_eq!(
        manager.handle(AddTask::titled("x")).unwrap_err().code,
        ErrorCode::NotEnrolled
    );
    // Its data stays gone after a restart.
    drop(manager);
    let reopened = Device::open(dir.path()).unwrap();
    assert!(reopened.replica().enrolment().is_none());
    assert_eq!(reopened.handle(ListTasks {}).unwrap(), vec![]);
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_added_right_after_the_relay_stops_is_kept_and_listed() {
    let relay_dir = tempfile::tempdir().unwrap();
    let code = {
        let mut reg = Registry::open(relay_dir.path()).unwrap();
        let s = reg
            .create_store(
                "Durable",
                "plan1",
                "zh-CN",
                "Asia/Shanghai",
                Date::new(2026, 11, 28).unwrap(),
                0,
            )
            .unwrap();
        reg.create_invite(&s.id, Role::Manager, None, 0, i64::MAX / 2)
            .unwrap()
    };
    let (relay, addr) = start_relay(relay_dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    let url = format!("http://{addr}");
    let dir = tempfile::tempdir().unwrap();
    let device = Device::open(dir.path()).unwrap();
    let d = device.clone();
    tokio::task::spawn_blocking(move || d.handle(enrol(&url, &code, "Tablet")).unwrap())
        .await
        .unwrap();
    tokio::spawn(sync_loop(device.clone()));
    eventually("tasks arrive", || {
        device
            .handle(ListTasks {})
            .map(|t| !t.is_empty())
            .unwrap_or(false)
    })
    .await;
    relay.stop().await;
    eventually("offline", || !device.app_status().sync.online).await;
    assert!(
        !device.handle(ListTasks {}).unwrap().is_empty(),
        "the tasks vanished offline"
    );
    let t = device.handle(AddTask::titled("盘点三号货架")).unwrap();
    drop(device);
    let reopened = Device::open(dir.path()).unwrap();
    assert!(
        reopened
            .handle(ListTasks {})
            .unwrap()
            .iter()
            .any(|x| x.id == t.id)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_progress_made_offline_survives_and_a_managers_reassignment_reaches_the_staff_device()
{
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
        reg.create_invite(&s.id, Role::Manager, None, 0, i64::MAX / 2)
            .unwrap()
    };
    let (relay, addr) = start_relay(relay_dir.path(), "127.0.0.1:0".parse().unwrap()).await;
    let url = format!("http://{addr}");
    let (dm, ds) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let manager = Device::open(dm.path()).unwrap();
    let m = manager.clone();
    let u = url.clone();
    tokio::task::spawn_blocking(move || m.handle(enrol(&u, &code, "Laptop")).unwrap())
        .await
        .unwrap();
    tokio::spawn(sync_loop(manager.clone()));
    // (A store made on 28 November: the relay opens today's weeks as it connects.)
    eventually("the store reaches the manager", || {
        manager.replica().all_arrived()
            && manager
                .handle(ListTasks {})
                .map(|t| !t.is_empty())
                .unwrap_or(false)
    })
    .await;

    // The manager staffs the warehouse and invites Wang's phone.
    let wang = manager
        .handle(AddPerson {
            name: "Wang".into(),
            contact: "138 0000 0000".into(),
            position: Some("pos:warehouse-specialist".into()),
        })
        .unwrap();
    let count = "duty:warehouse-specialist/stock-count@2026-11";
    for text in ["Aisle 1", "Aisle 2"] {
        manager
            .handle(AddChecklistItem {
                task_id: count.into(),
                text: text.into(),
            })
            .unwrap();
    }
    let m = manager.clone();
    let w = wang.clone();
    let invite = tokio::task::spawn_blocking(move || {
        m.handle(CreateInvite {
            role: None,
            person: Some(w),
        })
    })
    .await
    .unwrap()
    .unwrap();
    eventually("the manager's changes are confirmed", || {
        manager.app_status().sync.pending_changes == 0
    })
    .await;

    let phone = Device::open(ds.path()).unwrap();
    let p = phone.clone();
    tokio::task::spawn_blocking(move || {
        p.handle(enrol(&url, &invite.code, "Wang's phone")).unwrap()
    })
    .await
    .unwrap();
    tokio::spawn(sync_loop(phone.clone()));
    eventually("Wang's tasks reach the phone", || {
        phone
            .handle(ListTasks {})
            .map(|t| t.iter().any(|t| t.id == count))
            .unwrap_or(false)
    })
    .await;
    // Wang sees the warehouse specialist's work, not the whole store's.
    let mine = phone.handle(ListTasks {}).unwrap();
    assert!(
        mine.iter()
            .all(|t| t.assignee.as_deref() == Some("Warehouse specialist")),
        "{mine:?}"
    );
    assert!(manager.handle(ListTasks {}).unwrap().len() > mine.len());

    // Offline, Wang ticks an item and finishes the count.
    relay.stop().await;
    eventually("the phone is offline", || !phone.app_status().sync.online).await;
    let detail = phone
        .handle(GetTaskDetail {
            task_id: count.into(),
        })
        .unwrap();
    assert!(detail.can_edit && !detail.can_reassign);
    let item = detail.checklist[0].id.clone();
    phone
        .handle(SetChecklistItem {
            task_id: count.into(),
            item_id: item.clone(),
            done: true,
        })
        .unwrap();
    phone
        .handle(AddComment {
            task_id: count.into(),
            text: "Aisle 1 matches".into(),
        })
        .unwrap();
    phone
        .handle(SetTaskStatus {
            task_id: count.into(),
            status: TaskStatus::Done,
        })
        .unwrap();
    // Staff may not reassign.
    assert_eq!(
        phone
            .handle(ReassignTask {
                task_id: count.into(),
                assignee: Some("position:pos:warehouse-manager".into()),
            })
            .unwrap_err()
            .code,
        ErrorCode::Forbidden
    );

    let (relay, _) = start_relay(relay_dir.path(), addr).await;
    phone.sync_now();
    manager.sync_now();
    eventually(
        "the manager sees the count done with the tick and the comment",
        || {
            manager
                .handle(GetTaskDetail {
                    task_id: count.into(),
                })
                .map(|d| {
                    d.task.status == TaskStatus::Done
                        && d.checklist.iter().any(|c| c.id == item && c.done)
                        && d.comments.iter().any(|c| c.text == "Aisle 1 matches")
                })
                .unwrap_or(false)
        },
    )
    .await;
    assert!(
        !manager
            .handle(GetTaskDetail {
                task_id: count.into(),
            })
            .unwrap()
            .history
            .is_empty()
    );

    // The manager moves the warehouse specialist's open work to the warehouse manager.
    let moved = manager
        .handle(ReassignOpenTasks {
            from: "position:pos:warehouse-specialist".into(),
            to: Some("position:pos:warehouse-manager".into()),
        })
        .unwrap();
    assert!(moved > 0);
    eventually("the phone no longer lists the moved work", || {
        phone
            .handle(ListTasks {})
            .map(|t| t.iter().all(|t| t.status == TaskStatus::Done))
            .unwrap_or(false)
    })
    .await;
    let board = manager.handle(GetTeamBoard {}).unwrap();
    assert!(
        board
            .groups
            .iter()
            .all(|g| g.owner_id.as_deref() != Some("position:pos:warehouse-specialist"))
    );
    relay.stop().await;
}
