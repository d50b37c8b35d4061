//! The PostgreSQL backend against a private PostgreSQL server of its own.

use std::time::Duration;

use storeops_storage::sql::{Database, Migrations, Sql, migrate};
use storeops_storage::{DocumentStore, StorageError, params};
use storeops_storage_postgres::testing::PrivateServer;
use storeops_storage_postgres::{Heard, Listener, PgDatabase, PgStore};
use storeops_sync::{DocMeta, DocumentId, StorageOp};

fn server() -> PrivateServer {
    PrivateServer::start().expect("a private PostgreSQL server (cargo xtask setup installs it)")
}

fn append(doc: DocumentId, bytes: &[u8]) -> StorageOp {
    StorageOp::Append {
        doc,
        meta: DocMeta::new("store-1", "tasks"),
        bytes: bytes.to_vec(),
    }
}

fn compact(doc: DocumentId, bytes: &[u8]) -> StorageOp {
    StorageOp::Compact {
        doc,
        meta: DocMeta::new("store-1", "tasks"),
        bytes: bytes.to_vec(),
    }
}

#[test]
fn the_postgres_store_keeps_the_contract_and_two_writers_lose_nothing() {
    let pg = server();
    let url = pg.create_database("contract").unwrap();
    storeops_storage::contract::check(&|| Box::new(PgStore::connect(&url, "node-a").unwrap()));

    // Two nodes on one database.
    let url = pg.create_database("writers").unwrap();
    let mut a = PgStore::connect(&url, "node-a").unwrap();
    let mut b = PgStore::connect(&url, "node-b").unwrap();
    let doc = DocumentId::from_bytes([9; 16]);
    a.apply(&[append(doc, &[1])]).unwrap();
    assert_eq!(b.load(&doc).unwrap().unwrap().chunks, vec![vec![1]]);
    b.apply(&[append(doc, &[2])]).unwrap();
    b.apply(&[append(doc, &[3])]).unwrap();
    // A learns what B wrote, once.
    assert_eq!(a.stored_since(&doc).unwrap(), vec![vec![2], vec![3]]);
    assert!(a.stored_since(&doc).unwrap().is_empty());
    // B writes again unseen by A; A compacts what it has: B's chunk survives.
    b.apply(&[append(doc, &[4])]).unwrap();
    a.apply(&[compact(doc, &[1, 2, 3])]).unwrap();
    assert_eq!(
        a.load(&doc).unwrap().unwrap().chunks,
        vec![vec![4], vec![1, 2, 3]],
        "the compaction kept the chunk it had not seen"
    );
    // B (who has seen 1..4) compacts: everything it covers goes, A's save too
    // only once B has read it.
    assert_eq!(b.stored_since(&doc).unwrap(), vec![vec![1, 2, 3]]);
    b.apply(&[compact(doc, &[1, 2, 3, 4])]).unwrap();
    assert_eq!(
        a.load(&doc).unwrap().unwrap().chunks,
        vec![vec![1, 2, 3, 4]]
    );
}

#[test]
fn every_commit_is_announced_to_listeners_and_a_failed_batch_leaves_nothing() {
    let pg = server();
    let url = pg.create_database("notify").unwrap();
    let mut a = PgStore::connect(&url, "node-a").unwrap();
    let mut listener = Listener::connect(&url).unwrap();
    let doc = DocumentId::from_bytes([5; 16]);
    a.apply(&[append(doc, &[1])]).unwrap();
    let heard = listener.next(Duration::from_secs(5)).unwrap();
    let Heard::Chunk(note) = heard else {
        panic!("expected an announcement, heard {heard:?}");
    };
    assert_eq!(
        (
            note.writer.as_str(),
            note.scope.as_str(),
            note.doc,
            note.seq
        ),
        ("node-a", "store-1", doc, 1)
    );
    assert_eq!(
        listener.next(Duration::from_millis(100)).unwrap(),
        Heard::Quiet
    );

    // A batch that fails half-way: nothing of it stays, nothing is announced.
    let admin = PgDatabase::connect(&url).unwrap();
    admin
        .run_batch(
            "CREATE FUNCTION no_big() RETURNS trigger AS $$ BEGIN
               IF length(NEW.bytes) > 2 THEN RAISE EXCEPTION 'too big'; END IF; RETURN NEW; END $$
             LANGUAGE plpgsql;
             CREATE TRIGGER no_big BEFORE INSERT ON chunks FOR EACH ROW EXECUTE FUNCTION no_big();",
        )
        .unwrap();
    let other = DocumentId::from_bytes([6; 16]);
    let err = a
        .apply(&[append(other, &[1]), append(other, &[1, 2, 3])])
        .unwrap_err();
    assert!(err.to_string().contains("too big"), "{err}");
    assert!(a.load(&other).unwrap().is_none());
    assert_eq!(
        listener.next(Duration::from_millis(200)).unwrap(),
        Heard::Quiet
    );

    // The server goes away and comes back: the listener says it reconnected.
    pg.stop().unwrap();
    pg.start_again().unwrap();
    let mut heard = Heard::Quiet;
    for _ in 0..50 {
        heard = listener
            .next(Duration::from_millis(100))
            .unwrap_or(Heard::Quiet);
        if heard != Heard::Quiet {
            break;
        }
    }
    assert_eq!(heard, Heard::Reconnected);
}

#[test]
fn bad_addresses_and_foreign_schemas_are_refused_with_clear_errors() {
    let pg = server();
    // Nothing listening.
    let closed = format!("postgres://storeops@127.0.0.1:{}/x", pg.port() + 1);
    let err = PgStore::connect(&closed, "n").unwrap_err();
    assert!(matches!(err, StorageError::Open { .. }), "{err}");
    // Not an address; a database that does not exist; a password never shown.
    let err = PgStore::connect("postgres://u:secret@[nonsense", "n").unwrap_err();
    assert!(!err.to_string().contains("secret"), "{err}");
    let err = PgStore::connect(&pg.url("no_such_db"), "n").unwrap_err();
    assert!(err.to_string().contains("no_such_db"), "{err}");

    // A newer schema, or one another build migrated: refused, nothing written.
    let url = pg.create_database("schemas").unwrap();
    drop(PgStore::connect(&url, "n").unwrap());
    let mut db = PgDatabase::connect(&url).unwrap();
    const NEWER: Migrations = Migrations {
        sqlite: &[],
        postgres: &["CREATE TABLE a (x BIGINT)", "CREATE TABLE b (x BIGINT)"],
    };
    migrate(&mut db, "extra", &NEWER).unwrap();
    const OLDER: Migrations = Migrations {
        sqlite: &[],
        postgres: &["CREATE TABLE a (x BIGINT)"],
    };
    let err = migrate(&mut db, "extra", &OLDER).unwrap_err();
    assert!(err.to_string().contains("upgrade the program"), "{err}");
    const OTHER: Migrations = Migrations {
        sqlite: &[],
        postgres: &[
            "CREATE TABLE a (x BIGINT)",
            "CREATE TABLE c (x BIGINT)",
            "CREATE TABLE d (x BIGINT)",
        ],
    };
    let err = migrate(&mut db, "extra", &OTHER).unwrap_err();
    assert!(
        matches!(err, StorageError::Diverged { version: 2, .. }),
        "{err}"
    );
    assert!(
        db.rows("SELECT x FROM d", &[]).is_err(),
        "the third step was not taken"
    );
    let version = db
        .row(
            "SELECT version FROM schema_versions WHERE component = $1",
            params!["extra"],
        )
        .unwrap()
        .unwrap()
        .get::<i64>(0)
        .unwrap();
    assert_eq!(version, 2);
    // Transactions roll back when dropped.
    {
        let tx = db.transaction().unwrap();
        tx.run("INSERT INTO a (x) VALUES ($1)", params![1]).unwrap();
    }
    assert!(db.rows("SELECT x FROM a", &[]).unwrap().is_empty());
}
