//! `storeops-relay serve --database …` on a database it must not use — one it
//! cannot reach, an address that is not PostgreSQL's, a schema newer than the
//! program, a schema another build migrated — stops at start with a clear error
//! (exit 2, never the password) and writes nothing: no SQLite file in the data
//! directory, the PostgreSQL database exactly as it was.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::process::Command;
use std::time::Duration;

use storeops_relay::backend::Backend;
use storeops_relay::registry::Registry;
use storeops_storage::sql::{Database, Sql};
use storeops_storage_postgres::PgDatabase;
use storeops_storage_postgres::testing::PrivateServer;

/// Runs `serve` on `database`; it must exit at once with status 2 and say `says`.
fn refused(database: &str, says: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_storeops-relay"))
        .args(["serve", "--listen", "127.0.0.1:0", "--database", database])
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("the relay kept running on {database:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{database}: {stderr}");
    assert!(
        stderr.contains(says),
        "{database}: {stderr:?} lacks {says:?}"
    );
    assert!(!stderr.contains("hunter2"), "the password shown: {stderr}");
    assert!(
        !dir.path().join("data/relay.sqlite").exists(),
        "a SQLite database was made instead"
    );
}

/// Every table of the database and its rows, in order: what "nothing written" compares.
fn snapshot(url: &str) -> Vec<String> {
    let db = PgDatabase::connect(url).unwrap();
    let tables: Vec<String> = db
        .rows(
            "SELECT table_name::TEXT FROM information_schema.tables
              WHERE table_schema = 'public' ORDER BY table_name",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0).unwrap())
        .collect();
    let mut out = Vec::new();
    for t in tables {
        let rows = db
            .rows(
                &format!(
                    "SELECT md5(string_agg(x::TEXT, ',' ORDER BY x::TEXT)), count(*) FROM \"{t}\" x"
                ),
                &[],
            )
            .unwrap();
        let digest: Option<String> = rows[0].get(0).unwrap();
        let count: i64 = rows[0].get(1).unwrap();
        out.push(format!("{t}: {count} rows {digest:?}"));
    }
    out
}

#[test]
fn a_database_the_relay_must_not_use_is_refused_at_start_and_left_as_it_was() {
    let pg = PrivateServer::start().unwrap();

    // Nothing listens there; not a PostgreSQL address; no such database.
    refused(
        "postgres://storeops:hunter2@127.0.0.1:1/relay",
        "postgres://storeops:***@127.0.0.1:1/relay",
    );
    refused(
        "mysql://storeops:hunter2@127.0.0.1/relay",
        "is not a PostgreSQL address",
    );
    refused(&pg.url("no_such_database"), "no_such_database");

    // A database the relay migrated, then a newer build moved on.
    let url = pg.create_database("relay").unwrap();
    let mut reg = Registry::open(Backend::Postgres(url.clone())).unwrap();
    reg.create_store(
        "Store 1",
        "plan3",
        "en",
        "UTC",
        storeops_domain::calendar::Date::from_unix_ms(0, 0),
        0,
    )
    .unwrap();
    drop(reg);
    let mut db = PgDatabase::connect(&url).unwrap();
    let tx = db.transaction().unwrap();
    tx.run(
        "UPDATE schema_versions SET version = version + 1 WHERE component = 'registry'",
        &[],
    )
    .unwrap();
    tx.commit().unwrap();
    let before = snapshot(&url);
    refused(&url, "written by a newer version of Storeops");
    assert_eq!(snapshot(&url), before, "the newer database was written");

    // The same version, but a step another build took differently.
    let tx = db.transaction().unwrap();
    tx.run(
        "UPDATE schema_versions SET version = version - 1 WHERE component = 'registry'",
        &[],
    )
    .unwrap();
    tx.run(
        "UPDATE schema_steps SET digest = 'another build' WHERE component = 'registry' AND version = 2",
        &[],
    )
    .unwrap();
    tx.commit().unwrap();
    let before = snapshot(&url);
    refused(&url, "made by another build of Storeops");
    assert_eq!(snapshot(&url), before, "the diverged database was written");
}
