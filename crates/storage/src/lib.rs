//! Where documents live between runs: a small trait, [`DocumentStore`], and its
//! embedded SQLite backend, [`SqliteStore`], used by both the app and the relay.
//!
//! The contract, for every backend:
//! - [`DocumentStore::load`] returns `Ok(None)` for a document never stored, and
//!   the chunks in the order they were written otherwise.
//! - [`DocumentStore::apply`] applies a batch of [`StorageOp`]s atomically: after a
//!   crash either every op of the batch is there or none is. When it returns `Ok`,
//!   the batch is durable.
//! - `Compact` replaces every chunk of its document; `Append` creates the
//!   document's record on first use; `SaveSyncState` overwrites the previous state
//!   for that (document, peer).
//! - Errors say what failed; a failed batch leaves the store as it was.
//!
//! ```
//! use storeops_storage::{DocumentStore, SqliteStore};
//! use storeops_sync::{DocMeta, DocumentId, StorageOp};
//!
//! let mut store = SqliteStore::open_in_memory().unwrap();
//! let doc = DocumentId::from_bytes([1; 16]);
//! assert!(store.load(&doc).unwrap().is_none());
//! let meta = DocMeta::new("store-1", "tasks");
//! store.apply(&[StorageOp::Append { doc, meta, bytes: vec![1, 2] }]).unwrap();
//! assert_eq!(store.load(&doc).unwrap().unwrap().chunks, vec![vec![1, 2]]);
//! ```

use std::path::Path;

use rusqlite::{Connection, OptionalExtension};
use storeops_sync::{DocMeta, DocumentId, StorageOp, StoredDoc};

pub mod contract;
pub mod sql;
pub use sql::{Migrations, migrate};

/// A storage failure, whichever backend it came from.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The database could not be reached or opened (`place`: its file or address,
    /// without any password).
    #[error("the database could not be opened at {place}: {cause}")]
    Open { place: String, cause: String },
    #[error("database error: {0}")]
    Database(String),
    #[error(
        "the database was written by a newer version of Storeops ({component} schema {found}, this build knows {known}); upgrade the program"
    )]
    TooNew {
        component: String,
        found: i64,
        known: i64,
    },
    #[error(
        "the database's {component} schema step {version} was made by another build of Storeops than this one; run the build that migrated it, or restore a backup"
    )]
    Diverged { component: String, version: i64 },
}

impl From<rusqlite::Error> for StorageError {
    fn from(e: rusqlite::Error) -> Self {
        StorageError::Database(e.to_string())
    }
}

/// Document storage. See the crate docs for the contract.
pub trait DocumentStore {
    /// The document's chunks, metadata and sync states; `None` if never stored.
    fn load(&self, doc: &DocumentId) -> Result<Option<StoredDoc>, StorageError>;
    /// Applies the batch atomically and durably.
    fn apply(&mut self, ops: &[StorageOp]) -> Result<(), StorageError>;
    /// Every stored document of a scope (a store).
    fn documents_of(&self, scope: &str) -> Result<Vec<(DocumentId, DocMeta)>, StorageError>;
    /// Chunks of `doc` that another writer of a shared database stored since
    /// this store last loaded, read or wrote the document (see the PostgreSQL
    /// backend); a database with one writer has none.
    fn stored_since(&self, doc: &DocumentId) -> Result<Vec<Vec<u8>>, StorageError> {
        let _ = doc;
        Ok(Vec::new())
    }
}

/// The schema of the document tables on SQLite (see [`DOCUMENT_MIGRATIONS`]).
const SQLITE_DOCUMENTS: &[&str] = &[
    "
    CREATE TABLE documents (
        id BLOB PRIMARY KEY,
        scope TEXT NOT NULL,
        kind TEXT NOT NULL
    );
    CREATE INDEX documents_by_scope ON documents(scope);
    CREATE TABLE chunks (
        seq INTEGER PRIMARY KEY,
        doc BLOB NOT NULL REFERENCES documents(id),
        bytes BLOB NOT NULL
    );
    CREATE INDEX chunks_by_doc ON chunks(doc, seq);
    CREATE TABLE sync_states (
        doc BLOB NOT NULL REFERENCES documents(id),
        peer TEXT NOT NULL,
        state BLOB NOT NULL,
        PRIMARY KEY (doc, peer)
    );
",
    "
    -- Whom a document is about, when only some may read it (assessment scores).
    ALTER TABLE documents ADD COLUMN subject TEXT;
",
];

/// The schema of the document tables, for both backends. Only ever append.
/// PostgreSQL's (in `storeops-storage-postgres`) numbers each document's
/// chunks itself, for several relay nodes writing at once.
pub const DOCUMENT_MIGRATIONS: Migrations = Migrations {
    sqlite: SQLITE_DOCUMENTS,
    postgres: &[
        "
    CREATE TABLE documents (
        id BYTEA PRIMARY KEY,
        scope TEXT NOT NULL,
        kind TEXT NOT NULL,
        next_seq BIGINT NOT NULL DEFAULT 1
    );
    CREATE INDEX documents_by_scope ON documents(scope);
    CREATE TABLE chunks (
        doc BYTEA NOT NULL REFERENCES documents(id),
        seq BIGINT NOT NULL,
        bytes BYTEA NOT NULL,
        PRIMARY KEY (doc, seq)
    );
    CREATE TABLE sync_states (
        doc BYTEA NOT NULL REFERENCES documents(id),
        peer TEXT NOT NULL,
        state BYTEA NOT NULL,
        PRIMARY KEY (doc, peer)
    );
",
        "
    ALTER TABLE documents ADD COLUMN subject TEXT;
",
    ],
};

/// SQLite's own page cache per connection, in KiB. Reads are few (a document
/// is loaded once and then lives in memory) and the OS caches the file; the
/// default (2 MiB per connection, three connections in a relay) was a tenth of
/// the memory a relay holding thousands of idle devices used.
pub const PAGE_CACHE_KIB: i64 = 256;

/// Opens (creating if needed) a SQLite database with the settings Storeops needs:
/// WAL (a truncated rollback journal in the browser), full sync on commit, foreign keys, a busy timeout for concurrent
/// readers, a small page cache ([`PAGE_CACHE_KIB`]).
pub fn open_database(path: &Path) -> Result<Connection, StorageError> {
    let conn = Connection::open(path).map_err(|cause| StorageError::Open {
        place: path.display().to_string(),
        cause: cause.to_string(),
    })?;
    configure(&conn)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> Result<(), StorageError> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // The browser's OPFS pool VFS has no shared memory, so no WAL there: a rollback
    // journal, as durable with full sync. PERSIST zeroes its header after a commit
    // rather than truncating the file (one resize and flush fewer per commit).
    #[cfg(not(target_family = "wasm"))]
    conn.pragma_update(None, "journal_mode", "WAL")?;
    #[cfg(target_family = "wasm")]
    conn.pragma_update(None, "journal_mode", "PERSIST")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "cache_size", -PAGE_CACHE_KIB)?;
    Ok(())
}

/// The SQLite document store.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
}

impl SqliteStore {
    /// Opens the database file, creating and migrating it as needed.
    pub fn open(path: &Path) -> Result<Self, StorageError> {
        Self::from_connection(open_database(path)?)
    }

    pub fn open_in_memory() -> Result<Self, StorageError> {
        let conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        Self::from_connection(conn)
    }

    /// Wraps a connection configured by [`open_database`], migrating it.
    pub fn from_connection(mut conn: Connection) -> Result<Self, StorageError> {
        migrate(&mut conn, "documents", &DOCUMENT_MIGRATIONS)?;
        Ok(Self { conn })
    }

    /// The underlying connection, for a shell's own tables.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn connection_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

fn upsert_doc(
    tx: &rusqlite::Transaction<'_>,
    doc: &DocumentId,
    meta: &DocMeta,
) -> Result<(), rusqlite::Error> {
    tx.execute(
        "INSERT INTO documents (id, scope, kind, subject) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO NOTHING",
        rusqlite::params![
            doc.as_bytes().as_slice(),
            meta.scope,
            meta.kind,
            meta.subject
        ],
    )?;
    Ok(())
}

impl DocumentStore for SqliteStore {
    fn load(&self, doc: &DocumentId) -> Result<Option<StoredDoc>, StorageError> {
        let id = doc.as_bytes().as_slice();
        let meta = self
            .conn
            .query_row(
                "SELECT scope, kind, subject FROM documents WHERE id = ?1",
                [id],
                |r| {
                    Ok(DocMeta {
                        scope: r.get(0)?,
                        kind: r.get(1)?,
                        subject: r.get(2)?,
                    })
                },
            )
            .optional()?;
        let Some(meta) = meta else {
            return Ok(None);
        };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT bytes FROM chunks WHERE doc = ?1 ORDER BY seq")?;
        let chunks = stmt
            .query_map([id], |r| r.get::<_, Vec<u8>>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT peer, state FROM sync_states WHERE doc = ?1")?;
        let sync_states = stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(StoredDoc {
            meta,
            chunks,
            sync_states,
        }))
    }

    fn apply(&mut self, ops: &[StorageOp]) -> Result<(), StorageError> {
        if ops.is_empty() {
            return Ok(());
        }
        // Immediate: the write lock is taken (waiting up to the busy timeout) before
        // anything is read, so a writer on another connection (another engine
        // thread) cannot make the upgrade from reading fail at once.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for op in ops {
            match op {
                StorageOp::Append { doc, meta, bytes } => {
                    upsert_doc(&tx, doc, meta)?;
                    tx.execute(
                        "INSERT INTO chunks (doc, bytes) VALUES (?1, ?2)",
                        rusqlite::params![doc.as_bytes().as_slice(), bytes],
                    )?;
                }
                StorageOp::Compact { doc, meta, bytes } => {
                    upsert_doc(&tx, doc, meta)?;
                    let id = doc.as_bytes().as_slice();
                    tx.execute("DELETE FROM chunks WHERE doc = ?1", [id])?;
                    tx.execute(
                        "INSERT INTO chunks (doc, bytes) VALUES (?1, ?2)",
                        rusqlite::params![id, bytes],
                    )?;
                }
                StorageOp::SaveSyncState {
                    doc,
                    peer_storage_id,
                    state,
                } => {
                    let exists: bool = tx
                        .query_row(
                            "SELECT 1 FROM documents WHERE id = ?1",
                            [doc.as_bytes().as_slice()],
                            |_| Ok(true),
                        )
                        .optional()?
                        .unwrap_or(false);
                    if exists {
                        tx.execute(
                            "INSERT INTO sync_states (doc, peer, state) VALUES (?1, ?2, ?3)
                             ON CONFLICT(doc, peer) DO UPDATE SET state = excluded.state",
                            rusqlite::params![doc.as_bytes().as_slice(), peer_storage_id, state],
                        )?;
                    }
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn documents_of(&self, scope: &str) -> Result<Vec<(DocumentId, DocMeta)>, StorageError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, subject FROM documents WHERE scope = ?1 ORDER BY kind",
        )?;
        let rows = stmt.query_map([scope], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, kind, subject) = row?;
            // Rows with a malformed id are skipped, not fatal: they can never be synced.
            if let Ok(bytes) = <[u8; 16]>::try_from(id.as_slice()) {
                out.push((
                    DocumentId::from_bytes(bytes),
                    DocMeta {
                        scope: scope.into(),
                        kind,
                        subject,
                    },
                ));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> DocMeta {
        DocMeta::new("s", "tasks")
    }

    #[test]
    fn a_database_file_is_opened_in_wal_mode_with_a_small_page_cache() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open_database(&dir.path().join("s.sqlite")).unwrap();
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let cache: i64 = conn
            .pragma_query_value(None, "cache_size", |r| r.get(0))
            .unwrap();
        assert_eq!(cache, -PAGE_CACHE_KIB);
    }

    #[test]
    fn the_sqlite_store_keeps_the_contract() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("contract.sqlite");
        crate::contract::check(&|| Box::new(SqliteStore::open(&path).unwrap()));
    }

    #[test]
    fn a_document_never_stored_loads_as_none() {
        let store = SqliteStore::open_in_memory().unwrap();
        assert!(
            store
                .load(&DocumentId::from_bytes([0; 16]))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn appends_come_back_in_order_and_compaction_replaces_them() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let doc = DocumentId::from_bytes([1; 16]);
        for b in 1..=3u8 {
            store
                .apply(&[StorageOp::Append {
                    doc,
                    meta: meta(),
                    bytes: vec![b],
                }])
                .unwrap();
        }
        assert_eq!(
            store.load(&doc).unwrap().unwrap().chunks,
            vec![vec![1], vec![2], vec![3]]
        );
        store
            .apply(&[StorageOp::Compact {
                doc,
                meta: meta(),
                bytes: vec![9],
            }])
            .unwrap();
        let loaded = store.load(&doc).unwrap().unwrap();
        assert_eq!(loaded.chunks, vec![vec![9]]);
        assert_eq!(loaded.meta, meta());
    }

    #[test]
    fn sync_state_is_overwritten_per_peer() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let doc = DocumentId::from_bytes([1; 16]);
        let save = |state: u8| StorageOp::SaveSyncState {
            doc,
            peer_storage_id: "p".into(),
            state: vec![state],
        };
        store
            .apply(&[
                StorageOp::Append {
                    doc,
                    meta: meta(),
                    bytes: vec![1],
                },
                save(1),
                save(2),
            ])
            .unwrap();
        assert_eq!(
            store.load(&doc).unwrap().unwrap().sync_states,
            vec![("p".to_string(), vec![2])]
        );
    }

    #[test]
    fn a_failed_batch_leaves_nothing_behind() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let doc = DocumentId::from_bytes([1; 16]);
        store
            .connection()
            .execute_batch("CREATE TRIGGER no_big BEFORE INSERT ON chunks WHEN length(NEW.bytes) > 2 BEGIN SELECT RAISE(ABORT, 'too big'); END;")
            .unwrap();
        let err = store.apply(&[
            StorageOp::Append {
                doc,
                meta: meta(),
                bytes: vec![1],
            },
            StorageOp::Append {
                doc,
                meta: meta(),
                bytes: vec![1, 2, 3],
            },
        ]);
        assert!(err.is_err());
        assert!(store.load(&doc).unwrap().is_none());
    }

    #[test]
    fn a_database_from_a_newer_version_is_refused_with_advice() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, "documents", &DOCUMENT_MIGRATIONS).unwrap();
        conn.execute("UPDATE schema_versions SET version = 99", [])
            .unwrap();
        let err = SqliteStore::from_connection(conn).unwrap_err();
        assert!(err.to_string().contains("upgrade the program"), "{err}");
    }

    #[test]
    fn reopening_a_file_keeps_every_document() {
        let dir = std::env::temp_dir().join(format!("storeops-storage-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("docs.sqlite");
        let doc = DocumentId::from_bytes([4; 16]);
        {
            let mut store = SqliteStore::open(&path).unwrap();
            store
                .apply(&[StorageOp::Append {
                    doc,
                    meta: meta(),
                    bytes: vec![7],
                }])
                .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.load(&doc).unwrap().unwrap().chunks, vec![vec![7]]);
        assert_eq!(store.documents_of("s").unwrap().len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
