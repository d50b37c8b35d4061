//! The app's local store killed with SIGKILL mid-write 20 times: every change a
//! command had returned for (the UI's "Saved") is there after restart, and the
//! SQLite file passes `PRAGMA integrity_check`. Compaction runs every 64 saves,
//! so kills land between commands, inside commits and during compactions.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use storeops_api::Handles;
use storeops_api::command::{Enrol, ListTasks};
use storeops_client::{Device, sync_loop};
use storeops_e2e::{RelayProcess, artifacts, bin_dir, free_port, relay_cli};

const KILLS: u64 = 20;

#[test]
fn killing_the_app_store_20_times_mid_write_loses_nothing_it_said_was_saved() {
    let dir = tempfile::tempdir().unwrap();
    let out = artifacts("app_store_crash");
    let relay_dir = dir.path().join("relay");
    let store = relay_cli(
        &relay_dir,
        &[
            "store",
            "create",
            "--name",
            "Crash",
            "--template",
            "plan1",
            "--locale",
            "en",
        ],
    )
    .unwrap();
    let code = relay_cli(
        &relay_dir,
        &["invite", "create", "--store", &store, "--role", "manager"],
    )
    .unwrap();
    let app_dir = dir.path().join("app");
    {
        // Enrol once and receive the store; afterwards the writer works offline.
        let relay =
            RelayProcess::start(&relay_dir, free_port().unwrap(), &out.join("relay.log")).unwrap();
        let rt = tokio::runtime::Runtime::new().unwrap();
        let device = Device::open(&app_dir).unwrap();
        device
            .handle(Enrol {
                relay_url: relay.url(),
                code: code.clone(),
                device_name: "Till".into(),
            })
            .unwrap();
        rt.spawn(sync_loop(device.clone()));
        let deadline = Instant::now() + Duration::from_secs(30);
        while device
            .handle(ListTasks {})
            .map(|t| t.is_empty())
            .unwrap_or(true)
        {
            assert!(Instant::now() < deadline, "the store never arrived");
            std::thread::sleep(Duration::from_millis(50));
        }
        drop(rt);
    }

    let mut saved = Vec::new();
    let mut seed = 0x1234_5678_u64;
    for round in 0..KILLS {
        let mut child = Command::new(bin_dir().join("offline_writer"))
            .arg(&app_dir)
            .arg(format!("r{round}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let lifetime = Duration::from_millis(400 + seed % 1200);
        let killer = {
            let pid = child.id();
            std::thread::spawn(move || {
                std::thread::sleep(lifetime);
                Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status()
                    .unwrap();
            })
        };
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(title) = line.strip_prefix("saved ") {
                saved.push(title.to_owned());
            }
        }
        killer.join().unwrap();
        let status = child.wait().unwrap();
        assert!(
            !status.success(),
            "round {round}: the writer was not killed"
        );
    }

    let db = app_dir.join("storeops.sqlite");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    let device = Device::open(&app_dir).unwrap();
    let titles: std::collections::BTreeSet<String> = device
        .handle(ListTasks {})
        .unwrap()
        .into_iter()
        .map(|t| t.title)
        .collect();
    let lost: Vec<&String> = saved.iter().filter(|t| !titles.contains(*t)).collect();
    std::fs::write(
        out.join("summary.txt"),
        format!(
            "kills: {KILLS}\nsaved: {}\nlost: {}\nintegrity_check: {check}\n",
            saved.len(),
            lost.len()
        ),
    )
    .unwrap();
    assert!(
        lost.is_empty(),
        "{} saved changes lost, e.g. {:?}",
        lost.len(),
        &lost[..lost.len().min(5)]
    );
    assert!(
        saved.len() > 64,
        "too few writes ({}) to cross a compaction",
        saved.len()
    );
}
