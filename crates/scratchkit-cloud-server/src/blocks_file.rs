//! The file that keeps an operator's blocks across restarts: the [`Blocks`] as JSON, replaced
//! as a whole (written to a temporary file, synced, renamed) after every change.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::gatekeeper::Blocks;

/// The blocks file's name in a data directory (`scratch cloud-server --data DIR`).
pub const BLOCKS_FILE: &str = "blocks.json";

/// Why the blocks file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum BlocksFileError {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file is not a blocks file (JSON with `projects`, `usernames`, `addresses`).
    #[error("{path}: not a blocks file: {source}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        source: serde_json::Error,
    },
    /// The file could not be read when the server started, so it is not saved over.
    #[error("{path} was not loaded at start ({reason}), so it is not replaced")]
    NotLoaded {
        /// The file.
        path: PathBuf,
        /// Why it was not loaded.
        reason: String,
    },
}

/// A blocks file that the server owns.
#[derive(Debug)]
pub(crate) struct BlocksFile {
    path: PathBuf,
    /// Why the file was not loaded at start (then it is never written).
    not_loaded: Option<String>,
}

impl BlocksFile {
    pub(crate) fn new(path: PathBuf) -> Self {
        BlocksFile {
            path,
            not_loaded: None,
        }
    }

    /// A file that could not be loaded: saving it fails with the reason.
    pub(crate) fn not_loaded(path: PathBuf, reason: String) -> Self {
        BlocksFile {
            path,
            not_loaded: Some(reason),
        }
    }

    /// The blocks kept in `path`; none when the file does not exist.
    pub(crate) fn load(path: &Path) -> Result<Blocks, BlocksFileError> {
        let text =
            match crate::bounded_read::read_text(path, crate::bounded_read::BLOCKS_FILE_LIMIT) {
                Ok(text) => text,
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                    return Ok(Blocks::default());
                }
                Err(source) => {
                    return Err(BlocksFileError::Io {
                        path: path.to_path_buf(),
                        source,
                    });
                }
            };
        serde_json::from_str(&text).map_err(|source| BlocksFileError::Format {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Replaces the file with `blocks`: a crash leaves either the old file or the new one.
    pub(crate) fn save(&self, blocks: &Blocks) -> Result<(), BlocksFileError> {
        if let Some(reason) = &self.not_loaded {
            return Err(BlocksFileError::NotLoaded {
                path: self.path.clone(),
                reason: reason.clone(),
            });
        }
        let io = |source| BlocksFileError::Io {
            path: self.path.clone(),
            source,
        };
        let mut text =
            serde_json::to_vec_pretty(blocks).map_err(|source| BlocksFileError::Format {
                path: self.path.clone(),
                source,
            })?;
        text.push(b'\n');
        let mut temporary = self.path.clone().into_os_string();
        temporary.push(".tmp");
        let temporary = PathBuf::from(temporary);
        let mut file = std::fs::File::create(&temporary).map_err(io)?;
        file.write_all(&text).map_err(io)?;
        file.sync_all().map_err(io)?;
        drop(file);
        std::fs::rename(&temporary, &self.path).map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_round_trip_and_a_missing_file_is_empty() {
        let dir = std::env::temp_dir().join(format!("scratchkit-blocks-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(BLOCKS_FILE);
        let _ = std::fs::remove_file(&path);
        assert_eq!(BlocksFile::load(&path).unwrap(), Blocks::default());
        let mut blocks = Blocks::default();
        blocks.projects.insert("8".to_owned());
        blocks.usernames.insert("griefer1".to_owned());
        blocks.addresses.insert("10.0.0.0/8".parse().unwrap());
        BlocksFile::new(path.clone()).save(&blocks).unwrap();
        assert_eq!(BlocksFile::load(&path).unwrap(), blocks);
        std::fs::write(&path, "{\"projects\": 8}").unwrap();
        assert!(matches!(
            BlocksFile::load(&path),
            Err(BlocksFileError::Format { .. })
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
