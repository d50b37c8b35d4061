//! A store's day as the staff tests play it: the Riverside store from the seed's plan
//! 3, its manager hiring Wang Fang as warehouse specialist, giving the stock count a
//! checklist and inviting Wang's phone; and the steps a person takes on Today and a
//! task's screen.

use std::path::Path;
use std::time::Duration;

use anyhow::Result;
use serde_json::json;

use crate::{AppSession, store_with_manager_invite};

pub const STOCK_COUNT: &str = "Stock count so records match the shelves";
pub const RECEIVING: &str = "Receive and ship goods";

/// JavaScript: the `.task` element whose title is `arguments[0]`, as `t`.
pub const FIND_TASK: &str = "const t = [...document.querySelectorAll('.task')]
    .find(e => e.querySelector('.task-title')?.textContent.trim() === arguments[0]);";

/// JavaScript: the task screen shows the stock count done and its item ticked.
pub const COUNT_DONE: &str = "return document.querySelector('#status-done')?.getAttribute('aria-pressed') === 'true' && document.querySelector('.checklist-item')?.dataset.done === 'true'";

/// Creates the store in `relay_dir`; its id and a manager's invite code.
pub fn create_store(relay_dir: &Path) -> Result<(String, String)> {
    store_with_manager_invite(relay_dir, "Riverside", "en", false)
}

/// The enrolled manager hires Wang, gives the stock count a checklist item, and
/// creates an invite for Wang's phone in Settings (shown there once this returns).
pub fn hire_wang_and_invite(manager: &AppSession) -> Result<()> {
    manager.open_screen("org")?;
    manager.fill("#person-name", "Wang Fang")?;
    manager.fill("#person-contact", "138 0000 0000")?;
    manager.select("#person-position", "pos:warehouse-specialist")?;
    manager.click("#add-person-button")?;
    manager.wait_for(
        "Wang on the org chart",
        "return [...document.querySelectorAll('.org-position')].some(e => e.innerText.includes('Wang Fang'))",
        json!([]),
        Duration::from_secs(10),
    )?;
    open_task(manager, STOCK_COUNT)?;
    manager.fill("#new-checklist-item", "Aisle 1")?;
    manager.click("#add-checklist-item")?;
    manager.wait_for(
        "the checklist item",
        "return document.querySelectorAll('.checklist-item').length === 1",
        json!([]),
        Duration::from_secs(10),
    )?;
    manager.open_screen("settings")?;
    let wang = manager.script(
        "return [...document.querySelectorAll('#invite-person option')].find(o => o.textContent.trim() === 'Wang Fang')?.value",
        json!([]),
    )?;
    manager.select("#invite-person", wang.as_str().unwrap_or_default())?;
    manager.click("#invite-create")?;
    Ok(())
}

/// What the element `css` shows once it shows something.
pub fn shown(app: &AppSession, what: &str, css: &str) -> Result<String> {
    Ok(app
        .wait_for(
            what,
            "return document.querySelector(arguments[0])?.innerText.trim()",
            json!([css]),
            Duration::from_secs(10),
        )?
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

/// Opens the task titled `title` from Today.
pub fn open_task(app: &AppSession, title: &str) -> Result<()> {
    app.open_screen("today")?;
    let id = app.wait_for(
        &format!("the task {title}"),
        &format!("{FIND_TASK} return t ? t.dataset.taskId : null;"),
        json!([title]),
        Duration::from_secs(60),
    )?;
    let id = id.as_str().unwrap_or_default().to_owned();
    app.click(&format!(".task[data-task-id=\"{id}\"] .task-open"))?;
    app.wait_for(
        "the task detail",
        "return !!document.querySelector('#screen-task .history-entry')",
        json!([]),
        Duration::from_secs(20),
    )?;
    Ok(())
}

/// Waits for "Saved".
pub fn saved(app: &AppSession) -> Result<()> {
    app.wait_for(
        "the saved confirmation",
        "return !!document.querySelector('#saved-indicator')",
        json!([]),
        Duration::from_secs(10),
    )?;
    Ok(())
}

/// With the relay stopped: waits until `phone` shows it is offline (within `within`),
/// then ticks the stock count's checklist item and marks the count done, each saved.
pub fn finish_count_offline(phone: &AppSession, within: Duration) -> Result<()> {
    phone.wait_for(
        "the phone to show it is offline",
        "return document.querySelector('#sync-state')?.dataset.online === 'false'",
        json!([]),
        within,
    )?;
    open_task(phone, STOCK_COUNT)?;
    phone.click(".checklist-item .checklist-toggle")?;
    saved(phone)?;
    phone.click("#status-done")?;
    phone.wait_for(
        "the count done on the phone",
        COUNT_DONE,
        json!([]),
        Duration::from_secs(10),
    )?;
    Ok(())
}
