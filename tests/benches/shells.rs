//! The two shells side by side on the same device data: the phone web app in Chromium
//! (page load to Today, unthrottled and with the CPU slowed 4×; a command until its
//! answer, durable in the browser's storage) and the desktop app (process launch and
//! page load to Today; the same commands), plus the bytes a phone downloads.
//!
//! `cargo xtask bench-shells` (builds the web app, the relay and the app first). The
//! device holds the year of a 50-staff store the device benchmark uses
//! (`crates/client/benches/support/year_device.rs`); the numbers go in
//! `docs/benchmarks.md`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_debug_implementations
)]

#[path = "../../crates/domain/benches/year_data.rs"]
mod year_data;
#[path = "../../crates/client/benches/support/year_device.rs"]
mod year_device;

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use base64::Engine;
use serde_json::{Value, json};
use storeops_e2e::{AppSession, RelayProcess, Screen, artifacts, free_port};

/// Page loads per setting (after one not counted, which warms the browser's caches).
const LOADS: usize = 5;
/// Commands timed per shell.
const COMMANDS: usize = 1_000;
/// Commands on one task before the next (a task's history grows with each).
const PER_TASK: usize = 50;

/// JavaScript (asynchronous, run on a page of the relay that is not the app): puts
/// `arguments[0]` (base64) as the device's database into the browser's pool of files
/// (the sahpool VFS: a 4096-byte header naming the file, then its bytes), and empties
/// the other named slots (a journal); answers the bytes written.
const INSTALL_DATABASE: &str = "const [b64, done] = [arguments[0], arguments[arguments.length - 1]];
    (async () => {
      const db = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
      for (let attempt = 0; ; attempt++) {
        try {
          const root = await navigator.storage.getDirectory();
          const pool = await (await root.getDirectoryHandle('storeops')).getDirectoryHandle('.opaque');
          let installed = false;
          for await (const [, file] of pool.entries()) {
            const head = new Uint8Array(await (await file.getFile()).slice(0, 4096).arrayBuffer());
            const end = head.indexOf(0);
            if (end <= 0) continue;
            const name = new TextDecoder().decode(head.slice(0, end));
            const w = await file.createWritable({ keepExistingData: false });
            if (name.endsWith('storeops.sqlite')) {
              const header = new Uint8Array(4096);
              header.set(head.slice(0, 516));
              await w.write(header);
              await w.write(db);
              installed = true;
            } else {
              await w.write(new Uint8Array(4096));
            }
            await w.close();
          }
          return installed ? db.length : 'no database in the pool';
        } catch (e) {
          if (attempt > 25) return 'error: ' + e;
          await new Promise(r => setTimeout(r, 200));
        }
      }
    })().then(done);";

/// JavaScript: when Today first showed its tasks, in ms since the Unix epoch, and how
/// many tasks it shows; `null` until then.
const TODAY_SHOWN: &str = "const m = performance.getEntriesByName('storeops today')[0];
    return m ? [performance.timeOrigin + m.startTime, m.startTime, document.querySelectorAll('.task').length] : null;";

/// JavaScript (asynchronous): on a task's screen, marks it done and back in progress
/// `arguments[0]` times, one after another as a person would (each once the last has
/// answered); answers each command's [time from call to answer, time in the device]
/// in ms (the device's is the web app's worker only).
const TOGGLE_STATUS: &str = "const [n, done] = [arguments[0], arguments[arguments.length - 1]];
    const [call, device] = ['storeops set_task_status', 'storeops device set_task_status'];
    const pressed = s => document.querySelector(s)?.getAttribute('aria-pressed') === 'true';
    const last = name => performance.getEntriesByName(name).at(-1)?.duration ?? null;
    (async () => {
      const out = [];
      for (let i = 0; i < n; i++) {
        const target = pressed('#status-done') ? '#status-in_progress' : '#status-done';
        const before = performance.getEntriesByName(call).length;
        document.querySelector(target).click();
        while (performance.getEntriesByName(call).length === before || !pressed(target)) {
          // Done with checklist items open is asked about first.
          document.querySelector('#confirm-done-yes')?.click();
          await new Promise(r => setTimeout(r, 0));
        }
        out.push([last(call), last(device)]);
      }
      return out;
    })().then(done, e => done('error: ' + e));";

fn main() -> Result<()> {
    let work = tempfile::tempdir()?;
    let out = artifacts("bench_shells");
    let device = year_device::prepare(&work.path().join("device"));
    println!(
        "== the shells on a staff phone's year of a 50-staff store: {} documents, {:.0} KB ==",
        device.documents,
        device.bytes as f64 / 1024.0
    );
    let relay = RelayProcess::start(
        &work.path().join("relay"),
        free_port()?,
        &out.join("relay.log"),
    )?;
    let base = relay.url();
    downloads(&base)?;
    phone(&base, &device.dir, work.path(), &out)?;
    desktop(&device.dir, work.path(), &out)?;
    Ok(())
}

/// What a phone downloads on its first visit: every file the service worker keeps,
/// compressed as the relay sends them.
fn downloads(base: &str) -> Result<()> {
    let agent = ureq::AgentBuilder::new().build();
    let sw = agent.get(&format!("{base}/sw.js")).call()?.into_string()?;
    let list = sw
        .split_once("const FILES = ")
        .and_then(|(_, r)| r.split_once(";\n"))
        .map(|(l, _)| l)
        .context("no FILES in sw.js")?;
    let files: Vec<String> = serde_json::from_str(list)?;
    let mut total = sw.len();
    let mut rows = Vec::new();
    for file in files.iter().chain(["sw.js".to_owned()].iter()) {
        let url = format!("{base}/{}", file.trim_start_matches("./"));
        let resp = agent
            .get(&url)
            .set("Accept-Encoding", "gzip")
            .call()
            .with_context(|| url.clone())?;
        let mut bytes = Vec::new();
        resp.into_reader().read_to_end(&mut bytes)?;
        if file != "sw.js" {
            total += bytes.len();
        }
        rows.push((file.clone(), bytes.len()));
    }
    rows.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    println!(
        "first visit: {:.2} MB compressed in {} files",
        total as f64 / 1e6,
        rows.len()
    );
    for (file, n) in rows.iter().take(4) {
        println!("  {file}: {:.0} KB", *n as f64 / 1e3);
    }
    Ok(())
}

/// The device's database as the browser keeps it: one file (no WAL: OPFS has no shared
/// memory), with the token in it (the browser has no keyring).
fn browser_database(dir: &Path, into: &Path) -> Result<Vec<u8>> {
    std::fs::create_dir_all(into)?;
    let db = into.join("storeops.sqlite");
    {
        let source = rusqlite::Connection::open(dir.join("storeops.sqlite"))?;
        source.execute("VACUUM INTO ?1", [db.to_string_lossy()])?;
    }
    let conn = rusqlite::Connection::open(&db)?;
    conn.pragma_update(None, "journal_mode", "PERSIST")?;
    conn.execute(
        "INSERT INTO device_settings (key, value) VALUES ('device_token', 'bench-token')
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [],
    )?;
    drop(conn);
    Ok(std::fs::read(&db)?)
}

fn phone(base: &str, device: &Path, work: &Path, out: &Path) -> Result<()> {
    let db = browser_database(device, &work.join("browser-copy"))?;
    // The app once, not enrolled: its service worker installs and its database appears.
    let phone = AppSession::phone(
        "phone",
        &work.join("phone-profile"),
        Screen::IPHONE,
        &format!("{base}/"),
        out,
    )?;
    phone.wait_for(
        "the service worker",
        "return navigator.serviceWorker.controller?.state === 'activated' && !!document.querySelector('#invite-code')",
        json!([]),
        Duration::from_secs(60),
    )?;
    phone.goto(&format!("{base}/sw.js"))?;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&db);
    let written = phone.script_async(INSTALL_DATABASE, json!([b64]))?;
    if written.as_u64() != Some(db.len() as u64) {
        bail!("the database did not go into the browser: {written}");
    }
    println!(
        "phone: the device's database in OPFS, {:.0} KB",
        db.len() as f64 / 1024.0
    );

    for (setting, rate) in [("unthrottled", 1), ("CPU slowed 4x", 4)] {
        phone.devtools("Emulation.setCPUThrottlingRate", json!({ "rate": rate }))?;
        let mut loads = Vec::new();
        for run in 0..=LOADS {
            // Away from the app (its worker ends, letting go of the database), then back.
            phone.goto(&format!("{base}/sw.js"))?;
            std::thread::sleep(Duration::from_millis(500));
            phone.goto(&format!("{base}/"))?;
            let shown = today(&phone)?;
            if run > 0 {
                loads.push(shown.1);
            }
        }
        report(
            &format!("phone, page load to Today ({setting})"),
            &mut loads,
        );
    }
    phone.devtools("Emulation.setCPUThrottlingRate", json!({ "rate": 1 }))?;
    phone.screenshot("today")?;
    let (mut answered, mut device) = commands(&phone)?;
    report("phone, a command from the tap to its answer", &mut answered);
    report(
        "phone, a command in the device until durable in OPFS",
        &mut device,
    );
    Ok(())
}

fn desktop(device: &Path, work: &Path, out: &Path) -> Result<()> {
    let mut launches = Vec::new();
    let mut loads = Vec::new();
    let mut last = None;
    for run in 0..=LOADS {
        drop(last.take());
        let data = work.join(format!("desktop-{run}"));
        copy_dir(device, &data)?;
        let app = AppSession::start("desktop", &data, out)?;
        let started = app.app_started_at_ms()?;
        let shown = today(&app)?;
        if run > 0 {
            launches.push(shown.0 - started);
            loads.push(shown.1);
        }
        last = Some(app);
    }
    report("desktop, process launch to Today", &mut launches);
    report("desktop, page load to Today", &mut loads);
    let app = last.context("no desktop run")?;
    let (mut answered, _) = commands(&app)?;
    report(
        "desktop, a command from the tap to its answer",
        &mut answered,
    );
    Ok(())
}

/// Waits for Today with the person's tasks: (epoch ms, ms since the page's start).
fn today(app: &AppSession) -> Result<(f64, f64)> {
    let shown = app.wait_for(
        "Today with its tasks",
        TODAY_SHOWN,
        json!([]),
        Duration::from_secs(60),
    )?;
    let at = |i: usize| shown[i].as_f64().unwrap_or_default();
    if at(2) < 1.0 {
        bail!("Today shows no tasks: {shown}");
    }
    Ok((at(0), at(1)))
}

/// [`COMMANDS`] status changes, [`PER_TASK`] on each of Today's first tasks in turn
/// (a person going through their list): each command's (call to answer, in the device).
fn commands(app: &AppSession) -> Result<(Vec<f64>, Vec<f64>)> {
    app.set_script_timeout(Duration::from_secs(300))?;
    let (mut answered, mut device) = (Vec::new(), Vec::new());
    for task in 0..COMMANDS / PER_TASK {
        app.open_screen("today")?;
        app.script(
            "document.querySelectorAll('.task .task-open')[arguments[0]].click()",
            json!([task]),
        )?;
        app.element("#status-done")?;
        let batch = app.script_async(TOGGLE_STATUS, json!([PER_TASK]))?;
        let Value::Array(batch) = batch else {
            bail!("the commands failed: {batch}");
        };
        for pair in &batch {
            answered.extend(pair[0].as_f64());
            device.extend(pair[1].as_f64());
        }
    }
    Ok((answered, device))
}

fn report(what: &str, times: &mut [f64]) {
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "{what}: median {:.1} ms, p99 {:.1} ms (min {:.1}, max {:.1}, {} runs)",
        at(0.5),
        at(0.99),
        times[0],
        times[times.len() - 1],
        times.len()
    );
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}
