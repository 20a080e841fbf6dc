//! The crate's error type.

use std::fmt;

/// Everything that can go wrong while reading or writing a project file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes are not valid JSON, or the JSON does not have the shape of a Scratch 3
    /// `project.json`. `path` is where in the document decoding stopped (`.` for the root).
    #[error("invalid project.json at {path}: {source}")]
    Json {
        /// Path of the offending value, e.g. `targets[1].blocks.abc.opcode`.
        path: String,
        /// What serde_json reported.
        #[source]
        source: serde_json::Error,
    },
    /// The file is a Scratch 2 project: only [`Sb2Summary`](crate::Sb2Summary) is supported.
    #[error("this is a Scratch 2 project; only a summary of it can be read")]
    Scratch2Unsupported,
    /// The file is a Scratch 1.x binary project (`ScratchV0…`), which is not supported.
    #[error("this is a Scratch 1.x project, which is not supported")]
    Scratch1Unsupported,
    /// The JSON is an object but neither a Scratch 3 (`targets`) nor a Scratch 2 (`objName`)
    /// project.
    #[error("the JSON document is not a Scratch project (no `targets` or `objName` key)")]
    UnknownFormat,
    /// The bytes are a zip archive where project JSON was expected; read it with
    /// [`Sb3::read`](crate::Sb3::read).
    #[error("the bytes are a zip archive, not project JSON; read it with Sb3::read")]
    IsArchive,
    /// The zip archive is damaged or uses a feature that is not supported.
    #[error("invalid zip archive: {0}")]
    Archive(#[source] ArchiveError),
    /// Reading or writing failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The archive holds no `project.json` (neither at the root nor one folder deep).
    #[error("the archive has no project.json")]
    MissingProjectJson,
    /// The archive has more entries than allowed by [`Limits::max_entries`](crate::Limits).
    #[error("the archive has {count} entries, more than the limit of {limit}")]
    TooManyEntries {
        /// Entries in the archive.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// One entry is larger than allowed by [`Limits::max_entry_size`](crate::Limits) once
    /// uncompressed.
    #[error("archive entry {name:?} is larger than the limit of {limit} bytes")]
    EntryTooLarge {
        /// Name of the entry.
        name: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// The entries together are larger than allowed by
    /// [`Limits::max_total_size`](crate::Limits) once uncompressed.
    #[error("the archive's contents are larger than the limit of {limit} bytes")]
    ArchiveTooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// An asset's content does not have the md5 its name says.
    #[error("asset {name:?} has md5 {actual}, not the one its name says")]
    AssetHashMismatch {
        /// The asset's name (`<md5>.<ext>`).
        name: String,
        /// The md5 of its content, lowercase hex.
        actual: String,
    },
    /// Assets named in project.json are absent from the archive.
    #[error("{} asset(s) referenced by project.json are missing: {}", names.len(), names.join(", "))]
    MissingAssets {
        /// The missing `md5ext` names, sorted.
        names: Vec<String>,
    },
    /// An asset name is not of the form `<32 hex digits>.<extension>`.
    #[error("invalid asset name {name:?} (expected <md5>.<ext>)")]
    InvalidAssetName {
        /// The name.
        name: String,
    },
}

impl Error {
    pub(crate) fn json(err: serde_path_to_error::Error<serde_json::Error>) -> Self {
        let path = err.path().to_string();
        Error::Json {
            path,
            source: err.into_inner(),
        }
    }

    pub(crate) fn zip(err: zip::result::ZipError) -> Self {
        match err {
            zip::result::ZipError::Io(io) => Error::Io(io),
            other => Error::Archive(ArchiveError(other.to_string())),
        }
    }
}

/// Details of a damaged or unsupported zip archive (see [`Error::Archive`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveError(String);

impl fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ArchiveError {}

/// Shorthand for `Result<T, scratchkit_sb3::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
