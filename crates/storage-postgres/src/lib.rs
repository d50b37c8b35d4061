//! The relay's PostgreSQL backend: [`PgDatabase`] (the portable SQL of
//! `storeops_storage::sql` over a PostgreSQL connection) and [`PgStore`] (the
//! [`DocumentStore`] contract, for several relay nodes writing one database).
//!
//! Several writers: each document's chunks are numbered by the document's own
//! row (`documents.next_seq`), taken under its row lock, so chunks of one
//! document commit in the order of their numbers. Each store remembers the last
//! number it has read or written of every document (its *watermark*); another
//! writer's chunks are what lies above it ([`DocumentStore::stored_since`]).
//! Compaction deletes only chunks at or below the watermark, which the
//! compacted save contains, never a chunk another node wrote unseen. Every
//! commit announces its chunks on the channel [`CHANNEL`] (`LISTEN/NOTIFY`),
//! which [`Listener`] follows.

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

use postgres::GenericClient;
use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use storeops_storage::sql::{Database, Dialect, Row, Sql, Transaction, Value};
use storeops_storage::{DOCUMENT_MIGRATIONS, DocumentStore, StorageError, migrate, params};
use storeops_sync::{DocMeta, DocumentId, StorageOp, StoredDoc};

pub mod testing;

/// The notification channel chunk writes are announced on.
pub const CHANNEL: &str = "storeops_chunks";

/// Whether `url` names a PostgreSQL database (`postgres://` or `postgresql://`).
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// `url` with any password replaced, for messages and logs.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.into();
    };
    let Some((auth, host)) = rest.rsplit_once('@') else {
        return url.into();
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.into(),
    }
}

fn db_error(e: postgres::Error) -> StorageError {
    // The server's own words where it sent some (its `DETAIL` included).
    match e.as_db_error() {
        Some(db) => StorageError::Database(match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_owned(),
        }),
        None => StorageError::Database(e.to_string()),
    }
}

/// How long a connection attempt may take before the database counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

fn connect(url: &str) -> Result<postgres::Client, StorageError> {
    let open_error = |cause: String| StorageError::Open {
        place: redacted(url),
        cause,
    };
    let mut config: postgres::Config = url
        .parse()
        .map_err(|e: postgres::Error| open_error(format!("not a PostgreSQL address: {e}")))?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    config
        .connect(postgres::NoTls)
        .map_err(|e| open_error(db_error(e).to_string().replace("database error: ", "")))
}

/// A PostgreSQL connection speaking `storeops_storage::sql`.
pub struct PgDatabase {
    client: RefCell<postgres::Client>,
}

impl std::fmt::Debug for PgDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgDatabase").finish_non_exhaustive()
    }
}

impl PgDatabase {
    /// Connects to `url` (`postgres://user@host:port/db`); a clear error if
    /// the address is malformed or the server cannot be reached or refuses.
    pub fn connect(url: &str) -> Result<Self, StorageError> {
        Ok(Self {
            client: RefCell::new(connect(url)?),
        })
    }
}

/// A parameter as PostgreSQL takes it: integers fit the column's width.
#[derive(Debug)]
struct Param<'a>(&'a Value);

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                _ => i.to_sql(ty, out),
            },
            Value::Text(s) => s.as_str().to_sql(ty, out),
            Value::Bytes(b) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// A column as PostgreSQL gives it.
struct Column(Value);

impl<'a> FromSql<'a> for Column {
    fn from_sql(
        ty: &Type,
        raw: &'a [u8],
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Column(match *ty {
            Type::BOOL => Value::Int(bool::from_sql(ty, raw)?.into()),
            Type::INT2 => Value::Int(i16::from_sql(ty, raw)?.into()),
            Type::INT4 => Value::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT8 => Value::Int(i64::from_sql(ty, raw)?),
            Type::BYTEA => Value::Bytes(<Vec<u8>>::from_sql(ty, raw)?),
            _ => Value::Text(String::from_sql(ty, raw)?),
        }))
    }

    fn from_sql_null(_: &Type) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Column(Value::Null))
    }

    fn accepts(ty: &Type) -> bool {
        matches!(
            *ty,
            Type::BOOL | Type::INT2 | Type::INT4 | Type::INT8 | Type::BYTEA
        ) || <String as FromSql>::accepts(ty)
    }
}

fn rows_of(rows: Vec<postgres::Row>) -> Result<Vec<Row>, StorageError> {
    rows.into_iter()
        .map(|r| {
            (0..r.len())
                .map(|i| r.try_get::<_, Column>(i).map(|c| c.0).map_err(db_error))
                .collect::<Result<Vec<_>, _>>()
                .map(Row)
        })
        .collect()
}

fn run(q: &mut impl GenericClient, sql: &str, params: &[Value]) -> Result<u64, StorageError> {
    let params: Vec<Param<'_>> = params.iter().map(Param).collect();
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
    q.execute(sql, &refs).map_err(db_error)
}

fn rows(q: &mut impl GenericClient, sql: &str, params: &[Value]) -> Result<Vec<Row>, StorageError> {
    let params: Vec<Param<'_>> = params.iter().map(Param).collect();
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
    rows_of(q.query(sql, &refs).map_err(db_error)?)
}

impl Sql for PgDatabase {
    fn run(&self, sql: &str, params: &[Value]) -> Result<u64, StorageError> {
        run(&mut *self.client.borrow_mut(), sql, params)
    }
    fn rows(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StorageError> {
        rows(&mut *self.client.borrow_mut(), sql, params)
    }
    fn run_batch(&self, sql: &str) -> Result<(), StorageError> {
        self.client
            .borrow_mut()
            .batch_execute(sql)
            .map_err(db_error)
    }
}

struct PgTransaction<'a>(RefCell<postgres::Transaction<'a>>);

impl Sql for PgTransaction<'_> {
    fn run(&self, sql: &str, params: &[Value]) -> Result<u64, StorageError> {
        run(&mut *self.0.borrow_mut(), sql, params)
    }
    fn rows(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StorageError> {
        rows(&mut *self.0.borrow_mut(), sql, params)
    }
    fn run_batch(&self, sql: &str) -> Result<(), StorageError> {
        self.0.borrow_mut().batch_execute(sql).map_err(db_error)
    }
}

impl Transaction for PgTransaction<'_> {
    fn commit(self: Box<Self>) -> Result<(), StorageError> {
        self.0.into_inner().commit().map_err(db_error)
    }
}

impl Database for PgDatabase {
    fn transaction(&mut self) -> Result<Box<dyn Transaction + '_>, StorageError> {
        let tx = self.client.get_mut().transaction().map_err(db_error)?;
        Ok(Box::new(PgTransaction(RefCell::new(tx))))
    }
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }
}

/// The document store on PostgreSQL. `writer` names this store in its
/// announcements, so that a node can skip its own.
pub struct PgStore {
    db: PgDatabase,
    writer: String,
    /// The highest chunk number read or written of each document.
    seen: RefCell<HashMap<DocumentId, i64>>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("writer", &self.writer)
            .finish_non_exhaustive()
    }
}

/// A chunk write as announced: which store and document, its number, and who wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    pub writer: String,
    pub scope: String,
    pub doc: DocumentId,
    pub seq: i64,
}

impl Announcement {
    fn payload(&self) -> String {
        format!("{} {} {} {}", self.writer, self.doc, self.seq, self.scope)
    }

    /// Reads a payload; `None` for anything else sent on the channel.
    pub fn parse(payload: &str) -> Option<Self> {
        let mut parts = payload.splitn(4, ' ');
        let writer = parts.next()?.to_owned();
        let doc = parts.next()?.parse().ok()?;
        let seq = parts.next()?.parse().ok()?;
        let scope = parts.next()?.to_owned();
        Some(Self {
            writer,
            scope,
            doc,
            seq,
        })
    }
}

impl PgStore {
    /// Connects and migrates the document tables.
    pub fn connect(url: &str, writer: impl Into<String>) -> Result<Self, StorageError> {
        let mut db = PgDatabase::connect(url)?;
        migrate(&mut db, "documents", &DOCUMENT_MIGRATIONS)?;
        Ok(Self {
            db,
            writer: writer.into(),
            seen: RefCell::new(HashMap::new()),
        })
    }

    fn chunks_above(
        &self,
        doc: &DocumentId,
        above: i64,
    ) -> Result<Vec<(i64, Vec<u8>)>, StorageError> {
        self.db
            .rows(
                "SELECT seq, bytes FROM chunks WHERE doc = $1 AND seq > $2 ORDER BY seq",
                params![doc.as_bytes().as_slice(), above],
            )?
            .into_iter()
            .map(|r| Ok((r.get(0)?, r.get(1)?)))
            .collect()
    }
}

/// Takes the document's next chunk number, creating its row if new; the row
/// stays locked until the transaction ends.
fn next_seq(tx: &dyn Transaction, doc: &DocumentId, meta: &DocMeta) -> Result<i64, StorageError> {
    let id = doc.as_bytes().as_slice();
    tx.run(
        "INSERT INTO documents (id, scope, kind, subject) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO NOTHING",
        params![
            id,
            meta.scope.as_str(),
            meta.kind.as_str(),
            meta.subject.clone()
        ],
    )?;
    tx.row(
        "UPDATE documents SET next_seq = next_seq + 1 WHERE id = $1 RETURNING next_seq - 1",
        params![id],
    )?
    .ok_or_else(|| StorageError::Database("the document's row vanished".into()))?
    .get(0)
}

impl DocumentStore for PgStore {
    fn load(&self, doc: &DocumentId) -> Result<Option<StoredDoc>, StorageError> {
        let id = doc.as_bytes().as_slice();
        let Some(row) = self.db.row(
            "SELECT scope, kind, subject FROM documents WHERE id = $1",
            params![id],
        )?
        else {
            return Ok(None);
        };
        let meta = DocMeta {
            scope: row.get(0)?,
            kind: row.get(1)?,
            subject: row.get(2)?,
        };
        let chunks = self.chunks_above(doc, 0)?;
        let sync_states = self
            .db
            .rows(
                "SELECT peer, state FROM sync_states WHERE doc = $1",
                params![id],
            )?
            .into_iter()
            .map(|r| Ok((r.get(0)?, r.get(1)?)))
            .collect::<Result<Vec<_>, StorageError>>()?;
        let top = chunks.last().map_or(0, |(seq, _)| *seq);
        self.seen.borrow_mut().insert(*doc, top);
        Ok(Some(StoredDoc {
            meta,
            chunks: chunks.into_iter().map(|(_, b)| b).collect(),
            sync_states,
        }))
    }

    fn apply(&mut self, ops: &[StorageOp]) -> Result<(), StorageError> {
        if ops.is_empty() {
            return Ok(());
        }
        let seen = self.seen.get_mut();
        // Each written document's watermark as the batch moves it: a chunk of
        // ours counts only if nothing unseen lies below it.
        let mut tops: HashMap<DocumentId, i64> = HashMap::new();
        let mut wrote: Vec<(DocumentId, String, i64)> = Vec::new();
        let tx = self.db.transaction()?;
        for op in ops {
            match op {
                StorageOp::Append { doc, meta, bytes } => {
                    let seq = next_seq(tx.as_ref(), doc, meta)?;
                    tx.run(
                        "INSERT INTO chunks (doc, seq, bytes) VALUES ($1, $2, $3)",
                        params![doc.as_bytes().as_slice(), seq, bytes.as_slice()],
                    )?;
                    let top = tops
                        .entry(*doc)
                        .or_insert_with(|| seen.get(doc).copied().unwrap_or(0));
                    if *top == seq - 1 {
                        *top = seq;
                    }
                    wrote.push((*doc, meta.scope.clone(), seq));
                }
                StorageOp::Compact { doc, meta, bytes } => {
                    let seq = next_seq(tx.as_ref(), doc, meta)?;
                    // What the save holds: ours and what we read. A chunk another
                    // node wrote unseen (above the watermark) stays.
                    let top = tops
                        .entry(*doc)
                        .or_insert_with(|| seen.get(doc).copied().unwrap_or(0));
                    tx.run(
                        "DELETE FROM chunks WHERE doc = $1 AND seq <= $2",
                        params![doc.as_bytes().as_slice(), *top],
                    )?;
                    tx.run(
                        "INSERT INTO chunks (doc, seq, bytes) VALUES ($1, $2, $3)",
                        params![doc.as_bytes().as_slice(), seq, bytes.as_slice()],
                    )?;
                    if *top == seq - 1 {
                        *top = seq;
                    }
                    wrote.push((*doc, meta.scope.clone(), seq));
                }
                StorageOp::SaveSyncState {
                    doc,
                    peer_storage_id,
                    state,
                } => {
                    tx.run(
                        "INSERT INTO sync_states (doc, peer, state)
                         SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM documents WHERE id = $1)
                         ON CONFLICT (doc, peer) DO UPDATE SET state = excluded.state",
                        params![
                            doc.as_bytes().as_slice(),
                            peer_storage_id.as_str(),
                            state.as_slice()
                        ],
                    )?;
                }
            }
        }
        for (doc, scope, seq) in wrote {
            let note = Announcement {
                writer: self.writer.clone(),
                scope,
                doc,
                seq,
            };
            tx.run("SELECT pg_notify($1, $2)", params![CHANNEL, note.payload()])?;
        }
        tx.commit()?;
        // Only now, with the batch durable.
        seen.extend(tops);
        Ok(())
    }

    fn documents_of(&self, scope: &str) -> Result<Vec<(DocumentId, DocMeta)>, StorageError> {
        let rows = self.db.rows(
            "SELECT id, kind, subject FROM documents WHERE scope = $1 ORDER BY kind",
            params![scope],
        )?;
        let mut out = Vec::new();
        for row in rows {
            let id: Vec<u8> = row.get(0)?;
            if let Ok(bytes) = <[u8; 16]>::try_from(id.as_slice()) {
                out.push((
                    DocumentId::from_bytes(bytes),
                    DocMeta {
                        scope: scope.into(),
                        kind: row.get(1)?,
                        subject: row.get(2)?,
                    },
                ));
            }
        }
        Ok(out)
    }

    fn stored_since(&self, doc: &DocumentId) -> Result<Vec<Vec<u8>>, StorageError> {
        let above = self.seen.borrow().get(doc).copied().unwrap_or(0);
        let chunks = self.chunks_above(doc, above)?;
        if let Some((top, _)) = chunks.last() {
            self.seen.borrow_mut().insert(*doc, *top);
        }
        Ok(chunks.into_iter().map(|(_, b)| b).collect())
    }
}

/// Follows the chunk announcements of every writer on the database: a
/// connection of its own that `LISTEN`s on [`CHANNEL`].
pub struct Listener {
    url: String,
    client: Option<postgres::Client>,
}

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listener").finish_non_exhaustive()
    }
}

/// What [`Listener::next`] saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard {
    Chunk(Announcement),
    /// The listening connection was (re)made: announcements may have been
    /// missed before it, so every document kept should be read again.
    Reconnected,
    /// Nothing within the wait.
    Quiet,
}

impl Listener {
    /// Connects and starts listening.
    pub fn connect(url: &str) -> Result<Self, StorageError> {
        let mut listener = Self {
            url: url.into(),
            client: None,
        };
        listener.reconnect()?;
        Ok(listener)
    }

    fn reconnect(&mut self) -> Result<(), StorageError> {
        let mut client = connect(&self.url)?;
        client
            .batch_execute(&format!("LISTEN {CHANNEL}"))
            .map_err(db_error)?;
        self.client = Some(client);
        Ok(())
    }

    /// The next announcement, waiting at most `wait`. A lost connection is made
    /// again (then [`Heard::Reconnected`]); an error only if that fails.
    pub fn next(&mut self, wait: Duration) -> Result<Heard, StorageError> {
        if let Some(client) = self.client.as_mut() {
            use postgres::fallible_iterator::FallibleIterator;
            let heard = client.notifications().timeout_iter(wait).next();
            match heard {
                Ok(Some(n)) => {
                    return Ok(Announcement::parse(n.payload()).map_or(Heard::Quiet, Heard::Chunk));
                }
                Ok(None) if !client.is_closed() => return Ok(Heard::Quiet),
                _ => {}
            }
        }
        self.client = None;
        self.reconnect()?;
        Ok(Heard::Reconnected)
    }
}
