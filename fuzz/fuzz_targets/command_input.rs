//! What the UI sends to commands: task titles, statuses, dates, relay addresses.
//! Commands refuse bad input with an error and leave the document unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storeops_domain::calendar::Date;
use storeops_domain::{Actor, NewTask, StoreSetup, TaskStatus, add_task, new_store, set_task_status};

/// A store built once; each run works on a copy.
fn base() -> &'static storeops_domain::NewStore {
    static BASE: std::sync::OnceLock<storeops_domain::NewStore> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        let setup = StoreSetup {
            id: "s".into(),
            name: "Fuzz".into(),
            time_zone: "UTC".into(),
            locale: "en".into(),
            org_doc: "o".into(),
            tasks_doc: "t".into(),
        };
        let template = storeops_domain::template::template("plan1").expect("template");
        let today = Date::new(2026, 11, 28).expect("date");
        new_store(&setup, template, today, 0).expect("store")
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = text.parse::<Date>();
    let _ = text.parse::<storeops_sync::DocumentId>();
    let mut tasks = base().tasks.clone();
    let manager = Actor::manager("m");
    let before = tasks.get_heads();
    match add_task(&mut tasks, &manager, "t1", NewTask::titled(text.as_ref()), 1) {
        Ok(task) => assert_eq!(task.title, text.trim()),
        Err(_) => assert_eq!(tasks.get_heads(), before),
    }
    let before = tasks.get_heads();
    match text.parse::<TaskStatus>() {
        Ok(status) => {
            let _ = set_task_status(&mut tasks, &Actor::staff("s"), "t1", status, 2);
        }
        Err(_) => assert_eq!(tasks.get_heads(), before),
    }
    let before = tasks.get_heads();
    if set_task_status(&mut tasks, &manager, text.as_ref(), TaskStatus::Done, 3).is_err() {
        assert_eq!(tasks.get_heads(), before);
    }
});
