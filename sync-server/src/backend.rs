//! Where the relay keeps everything — documents, sync states and the registry:
//! embedded SQLite in the data directory (the default), or a PostgreSQL
//! database that several relay nodes share (`--database postgres://…`).

use std::path::{Path, PathBuf};

use storeops_storage::sql::Database;
use storeops_storage::{DocumentStore, SqliteStore, StorageError, open_database};
use storeops_storage_postgres::{PgDatabase, PgStore, is_postgres_url, redacted};

use crate::Settings;

/// The relay's database.
#[derive(Clone, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file (`relay.sqlite` in the data directory).
    Sqlite(PathBuf),
    /// A PostgreSQL server's database, by its address.
    Postgres(String),
}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// A data directory: SQLite in it.
impl From<&Path> for Backend {
    fn from(data_dir: &Path) -> Self {
        Self::in_dir(data_dir)
    }
}

impl From<&PathBuf> for Backend {
    fn from(data_dir: &PathBuf) -> Self {
        Self::in_dir(data_dir)
    }
}

impl From<&Backend> for Backend {
    fn from(backend: &Backend) -> Self {
        backend.clone()
    }
}

impl Backend {
    /// The backend `settings` name: `database` if set (a `postgres://`
    /// address), else SQLite in `data_dir`.
    pub fn of(settings: &Settings) -> anyhow::Result<Self> {
        match settings.database.as_deref().map(str::trim) {
            None | Some("") => Ok(Self::in_dir(&settings.data_dir)),
            Some(url) if is_postgres_url(url) => Ok(Self::Postgres(url.to_owned())),
            Some(other) => anyhow::bail!(
                "database {:?} is not a PostgreSQL address (postgres://user@host:port/name); leave it out to use SQLite in the data directory",
                redacted(other)
            ),
        }
    }

    /// SQLite in `data_dir`.
    pub fn in_dir(data_dir: &Path) -> Self {
        Self::Sqlite(crate::registry::database_path(data_dir))
    }

    /// Whether several relay nodes may share it.
    pub fn is_shared(&self) -> bool {
        matches!(self, Self::Postgres(_))
    }

    /// Where it is, without any password.
    pub fn describe(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("SQLite at {}", path.display()),
            Self::Postgres(url) => format!("PostgreSQL at {}", redacted(url)),
        }
    }

    fn create_dir(path: &Path) -> Result<(), StorageError> {
        match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => {
                std::fs::create_dir_all(dir).map_err(|e| StorageError::Open {
                    place: dir.display().to_string(),
                    cause: format!("cannot create the data directory: {e}"),
                })
            }
            _ => Ok(()),
        }
    }

    /// A connection for the relay's own tables.
    pub fn sql(&self) -> Result<Box<dyn Database>, StorageError> {
        match self {
            Self::Sqlite(path) => {
                Self::create_dir(path)?;
                Ok(Box::new(open_database(path)?))
            }
            Self::Postgres(url) => Ok(Box::new(PgDatabase::connect(url)?)),
        }
    }

    /// A document store; `writer` names this node in what it announces.
    pub fn documents(&self, writer: &str) -> Result<Box<dyn DocumentStore + Send>, StorageError> {
        match self {
            Self::Sqlite(path) => {
                Self::create_dir(path)?;
                Ok(Box::new(SqliteStore::open(path)?))
            }
            Self::Postgres(url) => Ok(Box::new(PgStore::connect(url, writer)?)),
        }
    }
}
