//! Errors of the persistent store.

use std::path::PathBuf;

/// Why a [`SqliteStore`](crate::SqliteStore) could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data directory could not be created.
    #[error("{path}: {source}")]
    Io {
        /// The directory.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The database could not be opened or set up.
    #[error("cloud database: {0}")]
    Sqlite(#[from] rusqlite::Error),
}
