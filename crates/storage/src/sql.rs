//! SQL that runs on either backend: a value type, rows, and the two traits a
//! backend implements ([`Sql`] for statements, [`Database`] for transactions and
//! its dialect). Statements are written once with `$1`, `$2`… placeholders and
//! the subset of SQL that SQLite and PostgreSQL share (`ON CONFLICT … DO UPDATE`,
//! `RETURNING`, `COALESCE`, `EXISTS`); tables are made by per-backend
//! migrations ([`Migrations`]), since their column types differ.
//!
//! ```
//! use storeops_storage::sql::{Migrations, Sql, migrate};
//! use storeops_storage::params;
//!
//! let mut db = rusqlite::Connection::open_in_memory().unwrap();
//! let migrations = Migrations {
//!     sqlite: &["CREATE TABLE notes (id TEXT PRIMARY KEY, n INTEGER NOT NULL)"],
//!     postgres: &["CREATE TABLE notes (id TEXT PRIMARY KEY, n BIGINT NOT NULL)"],
//! };
//! migrate(&mut db, "notes", &migrations).unwrap();
//! db.run("INSERT INTO notes (id, n) VALUES ($1, $2)", params!["a", 7]).unwrap();
//! let row = db.row("SELECT n FROM notes WHERE id = $1", params!["a"]).unwrap();
//! assert_eq!(row.unwrap().get::<i64>(0).unwrap(), 7);
//! ```

use sha2::{Digest, Sha256};

use crate::StorageError;

/// A parameter or a column's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    /// Integers and booleans (PostgreSQL's `BOOLEAN` reads as 0 or 1).
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(v.into())
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.into())
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Bytes(v)
    }
}
impl From<&[u8]> for Value {
    fn from(v: &[u8]) -> Self {
        Value::Bytes(v.to_vec())
    }
}
impl From<&Vec<u8>> for Value {
    fn from(v: &Vec<u8>) -> Self {
        Value::Bytes(v.clone())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// Statement parameters: `params![a, b]` is `&[Value::from(a), Value::from(b)]`.
#[macro_export]
macro_rules! params {
    ($($p:expr),* $(,)?) => {
        &[$($crate::sql::Value::from($p)),*][..]
    };
}

/// A column's value read as a Rust type.
pub trait FromValue: Sized {
    fn from_value(v: Value) -> Option<Self>;
}
impl FromValue for i64 {
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }
}
impl FromValue for bool {
    fn from_value(v: Value) -> Option<Self> {
        i64::from_value(v).map(|i| i != 0)
    }
}
impl FromValue for String {
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
}
impl FromValue for Vec<u8> {
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Null => Some(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// One result row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row(pub Vec<Value>);

impl Row {
    /// Column `i` as `T`; an error (not a panic) if it is missing or of another type.
    pub fn get<T: FromValue>(&self, i: usize) -> Result<T, StorageError> {
        let v = self
            .0
            .get(i)
            .cloned()
            .ok_or_else(|| StorageError::Database(format!("no column {i} in the result")))?;
        let shown = format!("{v:?}");
        T::from_value(v).ok_or_else(|| {
            StorageError::Database(format!(
                "column {i} holds {shown}, not a {}",
                std::any::type_name::<T>()
            ))
        })
    }
}

/// Statements on a connection or in a transaction.
pub trait Sql {
    /// Runs one statement; the number of rows it changed.
    fn run(&self, sql: &str, params: &[Value]) -> Result<u64, StorageError>;
    /// Runs one statement; every row it returned.
    fn rows(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StorageError>;
    /// Runs several statements with no parameters (a migration).
    fn run_batch(&self, sql: &str) -> Result<(), StorageError>;
    /// The first row, if any.
    fn row(&self, sql: &str, params: &[Value]) -> Result<Option<Row>, StorageError> {
        Ok(self.rows(sql, params)?.into_iter().next())
    }
}

/// A transaction: nothing it did is seen by others until [`Transaction::commit`];
/// dropped uncommitted, it is rolled back.
pub trait Transaction: Sql {
    fn commit(self: Box<Self>) -> Result<(), StorageError>;
}

/// Which SQL a backend speaks, to pick its migrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A connection to a backend.
pub trait Database: Sql + Send {
    /// Begins a transaction that writes: on SQLite it takes the write lock at
    /// once, so a writer on another connection makes it wait, not fail.
    fn transaction(&mut self) -> Result<Box<dyn Transaction + '_>, StorageError>;
    fn dialect(&self) -> Dialect;
}

/// A component's schema, once per backend; `sqlite[i]` and `postgres[i]` take
/// it from version `i` to `i + 1`. Only ever append to both, the same number.
#[derive(Debug, Clone, Copy)]
pub struct Migrations {
    pub sqlite: &'static [&'static str],
    pub postgres: &'static [&'static str],
}

impl Migrations {
    /// A component only devices have (their SQLite).
    pub const fn sqlite_only(sqlite: &'static [&'static str]) -> Self {
        Self {
            sqlite,
            postgres: &[],
        }
    }

    fn for_dialect(&self, dialect: Dialect) -> &'static [&'static str] {
        match dialect {
            Dialect::Sqlite => self.sqlite,
            Dialect::Postgres => self.postgres,
        }
    }
}

/// The digest a migration is recorded with: whoever migrated a database, every
/// step it took must be this build's own step.
fn digest(sql: &str) -> String {
    let d = Sha256::digest(sql.as_bytes());
    d.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Brings `component`'s tables up to date, each step in its own transaction,
/// recording each step's digest. Refuses, changing nothing, a database whose
/// schema is newer than this build knows ([`StorageError::TooNew`]) or that a
/// build with other steps migrated ([`StorageError::Diverged`]).
pub fn migrate(
    db: &mut dyn Database,
    component: &str,
    migrations: &Migrations,
) -> Result<(), StorageError> {
    let dialect = db.dialect();
    let steps = migrations.for_dialect(dialect);
    let int = match dialect {
        Dialect::Sqlite => "INTEGER",
        Dialect::Postgres => "BIGINT",
    };
    {
        // Two nodes starting at once against a new database: one creates, the
        // other waits for it (the transaction holds the lock on PostgreSQL too).
        let tx = db.transaction()?;
        if dialect == Dialect::Postgres {
            tx.run("SELECT pg_advisory_xact_lock(7210001)", &[])?;
        }
        tx.run_batch(&format!(
            "CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version {int} NOT NULL);
             CREATE TABLE IF NOT EXISTS schema_steps (component TEXT NOT NULL, version {int} NOT NULL, digest TEXT NOT NULL, PRIMARY KEY (component, version));"
        ))?;
        tx.commit()?;
    }
    let tx = db.transaction()?;
    if dialect == Dialect::Postgres {
        tx.run("SELECT pg_advisory_xact_lock(7210001)", &[])?;
    }
    let found: i64 = tx
        .row(
            "SELECT version FROM schema_versions WHERE component = $1",
            crate::params![component],
        )?
        .map(|r| r.get(0))
        .transpose()?
        .unwrap_or(0);
    let known = steps.len() as i64;
    if found > known {
        return Err(StorageError::TooNew {
            component: component.into(),
            found,
            known,
        });
    }
    let recorded = tx.rows(
        "SELECT version, digest FROM schema_steps WHERE component = $1",
        crate::params![component],
    )?;
    for row in recorded {
        let version: i64 = row.get(0)?;
        let recorded: String = row.get(1)?;
        let ours = usize::try_from(version - 1)
            .ok()
            .and_then(|i| steps.get(i))
            .map(|s| digest(s));
        if ours.as_deref() != Some(recorded.as_str()) {
            return Err(StorageError::Diverged {
                component: component.into(),
                version,
            });
        }
    }
    for (i, sql) in steps.iter().enumerate() {
        let version = i as i64 + 1;
        if version <= found {
            // Steps taken before their digests were recorded count as ours.
            tx.run(
                "INSERT INTO schema_steps (component, version, digest) VALUES ($1, $2, $3)
                 ON CONFLICT (component, version) DO NOTHING",
                crate::params![component, version, digest(sql)],
            )?;
            continue;
        }
        tx.run_batch(sql)?;
        tx.run(
            "INSERT INTO schema_versions (component, version) VALUES ($1, $2)
             ON CONFLICT (component) DO UPDATE SET version = excluded.version",
            crate::params![component, version],
        )?;
        tx.run(
            "INSERT INTO schema_steps (component, version, digest) VALUES ($1, $2, $3)",
            crate::params![component, version, digest(sql)],
        )?;
    }
    tx.commit()
}

// ---- SQLite ----

/// `$1` → `?1`: SQLite numbers `$name` parameters by first appearance, so
/// positional ones are spelt its own way.
fn sqlite_placeholders(sql: &str) -> std::borrow::Cow<'_, str> {
    if !sql.contains('$') {
        return sql.into();
    }
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out.into()
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(*i),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Bytes(b) => ValueRef::Blob(b),
        }))
    }
}

fn sqlite_value(v: rusqlite::types::ValueRef<'_>) -> Result<Value, StorageError> {
    use rusqlite::types::ValueRef;
    Ok(match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Text(t) => Value::Text(
            std::str::from_utf8(t)
                .map_err(|e| StorageError::Database(format!("a text column is not UTF-8: {e}")))?
                .to_owned(),
        ),
        ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
        ValueRef::Real(_) => return Err(StorageError::Database("unexpected REAL column".into())),
    })
}

fn sqlite_execute(
    conn: &rusqlite::Connection,
    sql: &str,
    params: &[Value],
) -> Result<u64, StorageError> {
    let mut stmt = conn.prepare_cached(&sqlite_placeholders(sql))?;
    if stmt.column_count() > 0 {
        // A SELECT, or a statement with RETURNING: the rows it returned.
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        let mut n = 0;
        while rows.next()?.is_some() {
            n += 1;
        }
        return Ok(n);
    }
    Ok(stmt.execute(rusqlite::params_from_iter(params))? as u64)
}

fn sqlite_query(
    conn: &rusqlite::Connection,
    sql: &str,
    params: &[Value],
) -> Result<Vec<Row>, StorageError> {
    let mut stmt = conn.prepare_cached(&sqlite_placeholders(sql))?;
    let n = stmt.column_count();
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut row = Vec::with_capacity(n);
        for i in 0..n {
            row.push(sqlite_value(r.get_ref(i)?)?);
        }
        out.push(Row(row));
    }
    Ok(out)
}

impl Sql for rusqlite::Connection {
    fn run(&self, sql: &str, params: &[Value]) -> Result<u64, StorageError> {
        sqlite_execute(self, sql, params)
    }
    fn rows(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StorageError> {
        sqlite_query(self, sql, params)
    }
    fn run_batch(&self, sql: &str) -> Result<(), StorageError> {
        Ok(self.execute_batch(sql)?)
    }
}

struct SqliteTransaction<'a>(rusqlite::Transaction<'a>);

impl Sql for SqliteTransaction<'_> {
    fn run(&self, sql: &str, params: &[Value]) -> Result<u64, StorageError> {
        sqlite_execute(&self.0, sql, params)
    }
    fn rows(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StorageError> {
        sqlite_query(&self.0, sql, params)
    }
    fn run_batch(&self, sql: &str) -> Result<(), StorageError> {
        Ok(self.0.execute_batch(sql)?)
    }
}

impl Transaction for SqliteTransaction<'_> {
    fn commit(self: Box<Self>) -> Result<(), StorageError> {
        Ok(self.0.commit()?)
    }
}

impl Database for rusqlite::Connection {
    fn transaction(&mut self) -> Result<Box<dyn Transaction + '_>, StorageError> {
        let tx = self.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        Ok(Box::new(SqliteTransaction(tx)))
    }
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTES: Migrations = Migrations {
        sqlite: &["CREATE TABLE notes (id TEXT PRIMARY KEY, n INTEGER, b BLOB)"],
        postgres: &["CREATE TABLE notes (id TEXT PRIMARY KEY, n BIGINT, b BYTEA)"],
    };

    #[test]
    fn placeholders_are_numbered_as_written() {
        assert_eq!(
            sqlite_placeholders("UPDATE t SET a = $2 WHERE b = $1 AND c = '$x'"),
            "UPDATE t SET a = ?2 WHERE b = ?1 AND c = '$x'"
        );
        let mut db = rusqlite::Connection::open_in_memory().unwrap();
        migrate(&mut db, "notes", &NOTES).unwrap();
        db.run(
            "INSERT INTO notes (n, id, b) VALUES ($2, $1, $3)",
            params!["a", 5, vec![1u8, 2]],
        )
        .unwrap();
        let row = db.row("SELECT id, n, b FROM notes", &[]).unwrap().unwrap();
        assert_eq!(row.get::<String>(0).unwrap(), "a");
        assert_eq!(row.get::<i64>(1).unwrap(), 5);
        assert_eq!(row.get::<Vec<u8>>(2).unwrap(), vec![1, 2]);
        assert!(row.get::<String>(1).is_err());
        assert!(row.get::<i64>(9).is_err());
    }

    #[test]
    fn returning_counts_its_rows_and_a_dropped_transaction_is_rolled_back() {
        let mut db = rusqlite::Connection::open_in_memory().unwrap();
        migrate(&mut db, "notes", &NOTES).unwrap();
        {
            let tx = db.transaction().unwrap();
            tx.run("INSERT INTO notes (id) VALUES ($1)", params!["x"])
                .unwrap();
        }
        assert!(db.rows("SELECT id FROM notes", &[]).unwrap().is_empty());
        db.run("INSERT INTO notes (id, n) VALUES ($1, 1)", params!["y"])
            .unwrap();
        let n = db
            .run(
                "UPDATE notes SET n = n + 1 WHERE id = $1 RETURNING n",
                params!["y"],
            )
            .unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn a_newer_or_diverged_schema_is_refused_and_nothing_changes() {
        let mut db = rusqlite::Connection::open_in_memory().unwrap();
        migrate(&mut db, "notes", &NOTES).unwrap();
        // Another build's second step.
        const NOTE: &str = "CREATE TABLE notes (id TEXT PRIMARY KEY, n INTEGER, b BLOB)";
        let other = Migrations {
            sqlite: &[NOTE, "CREATE TABLE other (x INTEGER)"],
            postgres: NOTES.postgres,
        };
        migrate(&mut db, "notes", &other).unwrap();
        let err = migrate(&mut db, "notes", &NOTES).unwrap_err();
        assert!(
            matches!(err, StorageError::TooNew { found: 2, .. }),
            "{err}"
        );
        let changed = Migrations {
            sqlite: &[NOTE, "CREATE TABLE another (y INTEGER)"],
            postgres: NOTES.postgres,
        };
        let err = migrate(&mut db, "notes", &changed).unwrap_err();
        assert!(
            matches!(err, StorageError::Diverged { version: 2, .. }),
            "{err}"
        );
        assert!(db.rows("SELECT y FROM another", &[]).is_err());
    }
}
