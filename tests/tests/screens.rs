//! Every screen at phone, tablet and laptop size, in Chinese and English:
//! screenshots for a person to look at, and checks that the chrome is translated.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::time::Duration;

use serde_json::json;
use storeops_e2e::{AppSession, RelayProcess, artifacts, free_port, relay_cli};

const SIZES: &[(&str, u32, u32)] = &[
    ("phone", 390, 844),
    ("tablet", 820, 1180),
    ("laptop", 1440, 900),
];
const SCREENS: &[&str] = &["today", "duties", "team", "org", "settings"];

/// Words of the UI's own chrome that must not show in the Chinese UI.
const ENGLISH_CHROME: &[&str] = &[
    "Today",
    "Duties",
    "Org chart",
    "Settings",
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
    "立即同步",
    "在线",
    "离线",
];

#[test]
fn every_screen_renders_in_both_languages_at_three_sizes() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = artifacts("screens");
    let relay_dir = dir.path().join("relay");
    let store = relay_cli(
        &relay_dir,
        &[
            "store",
            "create",
            "--name",
            "示范门店 Demo Store",
            "--template",
            "plan3",
            "--locale",
            "zh-CN",
            "--demo-people",
            "yes",
        ],
    )?;
    let code = relay_cli(
        &relay_dir,
        &["invite", "create", "--store", &store, "--role", "manager"],
    )?;
    let relay = RelayProcess::start(&relay_dir, free_port()?, &out.join("relay.log"))?;
    let app = AppSession::start("manager", &dir.path().join("app"), &out)?;
    app.enrol(&relay.url(), &code, "店长的电脑")?;

    for (lang, foreign) in [("zh", ENGLISH_CHROME), ("en", CHINESE_CHROME)] {
        app.click("#nav-settings")?;
        app.click(&format!("#lang-{lang}"))?;
        for (size, w, h) in SIZES {
            app.resize(*w, *h)?;
            for screen in SCREENS {
                app.click(&format!("#nav-{screen}"))?;
                app.wait_for(
                    &format!("the {screen} screen"),
                    "return !!document.querySelector('#screen-' + arguments[0]) && !document.querySelector('.loading')",
                    json!([screen]),
                    Duration::from_secs(10),
                )?;
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
                let overflow = app.script(
                    "return document.documentElement.scrollWidth > window.innerWidth + 1",
                    json!([]),
                )?;
                assert_eq!(
                    overflow,
                    json!(false),
                    "{lang}/{size}/{screen} scrolls sideways"
                );
            }
            // A task's detail: checklist, comments, history, reassignment.
            app.click("#nav-today")?;
            app.click(".task .task-open")?;
            app.wait_for(
                "the task detail",
                "return !!document.querySelector('#screen-task .history-entry')",
                json!([]),
                Duration::from_secs(10),
            )?;
            app.screenshot(&format!("{lang}-{size}-task"))?;
            app.click("#task-back")?;
        }
    }
    drop(relay);
    Ok(())
}
