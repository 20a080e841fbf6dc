//! The sandbox's public error type.

use std::path::PathBuf;

/// Why a sandbox could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address that was asked for.
        addr: std::net::SocketAddr,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The database could not be opened, created or seeded.
    #[error("sandbox database: {0}")]
    Database(#[from] rusqlite::Error),
    /// A file or directory could not be used (data directory, request log).
    #[error("cannot use {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// Password hashing failed (should not happen with valid parameters).
    #[error("password hashing: {0}")]
    Hash(String),
}
