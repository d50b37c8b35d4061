//! Every screen at phone, tablet and laptop size, in Chinese and English:
//! screenshots for a person to look at, and checks that the chrome is translated.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::time::Duration;

use serde_json::json;
use storeops_e2e::{AppSession, RelayProcess, artifacts, free_port, store_with_manager_invite};

const SIZES: &[(&str, u32, u32)] = &[
    ("phone", 390, 844),
    ("tablet", 820, 1180),
    ("laptop", 1440, 900),
];
const SCREENS: &[&str] = &[
    "today",
    "duties",
    "feedback",
    "plans",
    "meetings",
    "team",
    "dashboard",
    "chain",
    "assessment",
    "org",
    "settings",
];

/// Words of the UI's own chrome that must not show in the Chinese UI.
const ENGLISH_CHROME: &[&str] = &[
    "Today",
    "Duties",
    "Org chart",
    "Settings",
    "Plans",
    "Meetings",
    "Feedback",
    "Dashboard",
    "Assessment",
    "Sync now",
    "Online",
    "Offline",
];
/// And Chinese chrome that must not show in the English UI.
const CHINESE_CHROME: &[&str] = &[
    "今日",
    "职责",
    "组织架构",
    "设置",
    "计划",
    "会议",
    "问题反馈",
    "看板",
    "立即同步",
    "在线",
    "离线",
];

#[test]
fn every_screen_renders_in_both_languages_at_three_sizes() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = artifacts("screens");
    let relay_dir = dir.path().join("relay");
    const FIRST: &str = "示范门店 Demo Store";
    let (store, code) = store_with_manager_invite(&relay_dir, FIRST, "zh-CN", true)?;
    let relay = RelayProcess::start(&relay_dir, free_port()?, &out.join("relay.log"))?;
    let app = AppSession::start("manager", &dir.path().join("app"), &out)?;
    app.enrol(&relay.url(), &code, "店长的电脑")?;
    seed_new_screens(&app)?;
    add_stores(&app, &relay_dir, &relay.url(), &store, FIRST)?;

    // Screens of the Chinese UI that show English words (all of them, at the end).
    let mut latin = Vec::new();
    for (lang, foreign) in [("zh", ENGLISH_CHROME), ("en", CHINESE_CHROME)] {
        app.choose_language(lang)?;
        for (size, w, h) in SIZES {
            app.resize(*w, *h)?;
            for screen in SCREENS {
                open(&app, screen)?;
                app.screenshot(&format!("{lang}-{size}-{screen}"))?;
                let chrome = app.script(
                    "return [...document.querySelectorAll('nav, header, button, label, h1, h2')].map(e => e.innerText).join('\\n')",
                    json!([]),
                )?;
                let chrome = chrome.as_str().unwrap_or_default();
                for word in foreign {
                    assert!(
                        !chrome.lines().any(|l| l.trim() == *word),
                        "{lang}/{size}/{screen}: untranslated {word:?} in:\n{chrome}"
                    );
                }
                if lang == "zh" {
                    let english = english_words(&app)?;
                    if !english.is_empty() {
                        latin.push(format!("{size}/{screen}: {english:?}"));
                    }
                }
                let overflow = app.script(
                    "return document.documentElement.scrollWidth > window.innerWidth + 1",
                    json!([]),
                )?;
                assert_eq!(
                    overflow,
                    json!(false),
                    "{lang}/{size}/{screen} scrolls sideways"
                );
                if *size == "phone" {
                    // A phone's tab bar: every tab it shows is whole, its label not cut.
                    let cut = app.script(
                        "return [...document.querySelectorAll('.app-nav-item')]
                           .filter(i => i.getClientRects().length > 0)
                           .filter(i => i.getBoundingClientRect().right > window.innerWidth + 1
                              || i.querySelector('.app-nav-label').scrollWidth > i.querySelector('.app-nav-label').clientWidth + 1
                              || i.getBoundingClientRect().height < 44)
                           .map(i => i.innerText.trim())",
                        json!([]),
                    )?;
                    assert_eq!(
                        cut,
                        json!([]),
                        "{lang}/phone/{screen}: tabs cut off or too small"
                    );
                }
                if *size == "laptop" {
                    // On a laptop every tab shows whole: none is cut off at the edge.
                    let clipped = app.script(
                        "const list = document.querySelector('.app-nav-list').getBoundingClientRect();
                         return [...document.querySelectorAll('.app-nav-item')]
                           .filter(i => i.getBoundingClientRect().right > list.right + 1)
                           .map(i => i.innerText.trim())",
                        json!([]),
                    )?;
                    assert_eq!(clipped, json!([]), "{lang}/laptop/{screen}: tabs cut off");
                }
            }
            // A task's detail: checklist, comments, history, reassignment.
            app.open_screen("today")?;
            app.click(".task .task-open")?;
            app.wait_for(
                "the task detail",
                "return !!document.querySelector('#screen-task .history-entry')",
                json!([]),
                Duration::from_secs(10),
            )?;
            app.screenshot(&format!("{lang}-{size}-task"))?;
            if lang == "zh" {
                let english = english_words(&app)?;
                if !english.is_empty() {
                    latin.push(format!("{size}/task: {english:?}"));
                }
            }
            app.click("#task-back")?;
        }
    }
    assert!(
        latin.is_empty(),
        "English on Chinese screens:\n{}",
        latin.join("\n")
    );
    // Every screen in both languages at three sizes, and the page logged no error (a
    // panic in the UI would be one); `null` would mean the recorder did not load.
    let errors = app.script("return window.storeopsErrors ?? null", json!([]))?;
    assert_eq!(errors, json!([]), "the UI logged errors");
    drop(relay);
    Ok(())
}

/// Opens a screen as a person would: the chain screen from the store switcher
/// (it is no tab), the others by the navigation.
fn open(app: &AppSession, screen: &str) -> anyhow::Result<()> {
    if screen != "chain" {
        return app.open_screen(screen);
    }
    app.click("#open-chain")?;
    app.wait_for(
        "the chain screen",
        "return !!document.querySelector('#screen-chain') && !document.querySelector('.loading')",
        json!([]),
        Duration::from_secs(10),
    )?;
    Ok(())
}

/// The director's chain: two more stores on this device, each added with its
/// invite in Settings' "Add another store"; then the first store shown again
/// through the header's switcher, and the chain screen lists all three.
fn add_stores(
    app: &AppSession,
    relay_dir: &std::path::Path,
    relay_url: &str,
    first: &str,
    first_name: &str,
) -> anyhow::Result<()> {
    for (n, name) in [(2, "示范二店 Demo Store 2"), (3, "示范三店 Demo Store 3")] {
        let (store, code) = store_with_manager_invite(relay_dir, name, "zh-CN", true)?;
        app.open_screen("settings")?;
        app.fill("#add-store-code", &code)?;
        app.fill("#add-store-relay", relay_url)?;
        app.click("#add-store-button")?;
        app.wait_for(
            &format!("store {n} on the device, shown"),
            "return document.querySelectorAll('#store-switcher option').length == arguments[0]
                 && document.querySelector('#store-switcher').value == arguments[1]",
            json!([n, store]),
            Duration::from_secs(30),
        )?;
    }
    app.select("#store-switcher", first)?;
    // Shown once the header names it (the switcher's own value changes at once).
    app.wait_for(
        "the first store shown again",
        "return document.querySelector('#store-name')?.textContent.trim() == arguments[0]
             && !!document.querySelector('#screen-today') && !document.querySelector('.loading')",
        json!([first_name]),
        Duration::from_secs(30),
    )?;
    open(app, "chain")?;
    app.wait_for(
        "three stores side by side",
        "return document.querySelectorAll('#chain-stores .chain-store').length == 3",
        json!([]),
        Duration::from_secs(30),
    )?;
    Ok(())
}

/// Words the Chinese UI may show in Latin letters: names people typed (the
/// store's), the product's name, and abbreviations Chinese uses as they are.
/// (The language picker names each language in itself: "English".)
const LATIN_ALLOWED: &[&str] = &[
    "Storeops", "Demo", "Store", "English", "KPI", "RACI", "QR", "Wi", "Fi",
];

/// Latin-letter words of two letters or more on the page, beyond the allowed
/// ones and the addresses and codes shown (the relay's URL, an invite code).
fn english_words(app: &AppSession) -> anyhow::Result<Vec<String>> {
    let words = app.script(
        "const text = [...document.querySelectorAll('body *')]
           .filter(e => e.children.length === 0 && e.getClientRects().length > 0)
           .filter(e => !e.closest('svg, script, style, code, output, .invite-code, .invite-relay-url, .relay-url, [data-latin-ok]'))
           .map(e => (e.innerText ?? e.textContent ?? '').trim())
           .filter(t => !/^(https?|wss?):/.test(t))
           .join(' ');
         return [...new Set(text.match(/[A-Za-z]{2,}/g) ?? [])]",
        json!([]),
    )?;
    Ok(words
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|w| w.as_str())
        .filter(|w| !LATIN_ALLOWED.contains(w))
        .map(str::to_owned)
        .collect())
}

/// Waits for the element `css` to appear.
fn wait_for_element(app: &AppSession, what: &str, css: &str) -> anyhow::Result<()> {
    app.wait_for(
        what,
        "return !!document.querySelector(arguments[0])",
        json!([css]),
        Duration::from_secs(10),
    )?;
    Ok(())
}

/// The first option of a `<select>` with a value, if any.
fn first_choice(app: &AppSession, css: &str) -> anyhow::Result<Option<String>> {
    let value = app.script(
        "return [...document.querySelector(arguments[0]).options].map(o => o.value).find(v => v) ?? null",
        json!([css]),
    )?;
    Ok(value.as_str().map(str::to_owned))
}

/// Gives the plans, feedback and meetings screens something to show, through the UI: a
/// cascade of three plans (the weekly one with an item, submitted), a problem report and
/// a meeting with minutes and an action item.
fn seed_new_screens(app: &AppSession) -> anyhow::Result<()> {
    app.open_screen("plans")?;
    wait_for_element(app, "the plans screen", "#screen-plans #new-plan-button")?;
    for (level, title) in [
        ("annual", "2026 年度经营计划"),
        ("monthly", "11 月运营计划"),
        ("weekly", "第 48 周 运营部计划"),
    ] {
        app.click("#new-plan-button")?;
        wait_for_element(app, "the new plan form", "#plan-title")?;
        app.select("#plan-level", level)?;
        app.fill("#plan-title", title)?;
        wait_for_element(
            app,
            "positions to own a plan",
            "#plan-owner option[value^='pos']",
        )?;
        if let Some(owner) = first_choice(app, "#plan-owner")? {
            app.select("#plan-owner", &owner)?;
        }
        if level != "annual"
            && let Some(parent) = first_choice(app, "#plan-parent")?
        {
            app.select("#plan-parent", &parent)?;
        }
        app.click("#create-plan-button")?;
        wait_for_element(
            app,
            &format!("the new {level} plan"),
            &format!(".plan-node.is-current[data-level='{level}']"),
        )?;
    }
    app.fill("#plan-item-text", "收银台每日盘点")?;
    if let Some(assignee) = first_choice(app, "#plan-item-assignee")? {
        app.select("#plan-item-assignee", &assignee)?;
    }
    app.click("#add-plan-item-button")?;
    wait_for_element(app, "the plan's item", "#plan-detail .plan-item")?;
    app.click("#submit-plan-button")?;
    wait_for_element(
        app,
        "the submitted plan",
        "#plan-detail[data-status='submitted']",
    )?;

    app.open_screen("feedback")?;
    wait_for_element(app, "the feedback screen", "#report-text")?;
    app.select("#report-category", "equipment")?;
    app.fill("#report-text", "冷柜温度偏高，已报修")?;
    app.click("#report-button")?;
    wait_for_element(app, "the report", ".report[data-status='open']")?;

    app.open_screen("meetings")?;
    wait_for_element(app, "the meetings screen", "#new-meeting-button")?;
    app.click("#new-meeting-button")?;
    wait_for_element(app, "the new meeting form", "#meeting-title")?;
    app.fill("#meeting-title", "运营周例会")?;
    app.fill("#meeting-agenda", "上周完成情况\n本周重点")?;
    app.click("#create-meeting-button")?;
    wait_for_element(app, "the new meeting", "#meeting-detail")?;
    app.fill("#minutes-text", "各部门汇报了上周完成情况。")?;
    app.click("#save-minutes-button")?;
    app.fill("#action-text", "检查冷柜维修进度")?;
    app.click("#add-action-button")?;
    wait_for_element(app, "the action item", "#meeting-actions .meeting-action")?;
    app.screenshot("meeting")?;
    app.click("#meeting-back")?;
    wait_for_element(app, "the meeting list", ".meeting")?;

    // The dashboard's printable report (the print dialog is skipped under WebDriver).
    app.open_screen("dashboard")?;
    wait_for_element(app, "the dashboard", "#print-report-button")?;
    app.click("#print-report-button")?;
    wait_for_element(app, "the printable report", "#print-report .print-page")?;
    app.screenshot("print-report")?;
    app.click("#close-print-button")?;
    wait_for_element(app, "the dashboard again", "#dashboard .chart")?;
    Ok(())
}
