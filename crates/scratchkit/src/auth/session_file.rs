//! Saving a login to a file and restoring it: [`Client::save_session`] and
//! [`Client::restore_session`].
//!
//! The file is JSON `{"version":1,"username":…,"user_id":…,"session_id":…}`: the session id
//! and who it belongs to, never a password nor the X-Token (it is derived from the session id
//! again). It is written with owner-only permissions (0600 on Unix), through a temporary file
//! renamed into place.

use std::fs;
use std::io::Write;
use std::path::Path;

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use super::Me;
use crate::client::Client;
use crate::error::{Error, Result};

/// The version of the file format written.
const VERSION: u32 = 1;

/// The largest session file read (real ones are well under 1 KiB).
const MAX_FILE: u64 = 64 * 1024;

#[derive(Serialize, Deserialize)]
struct SavedSession {
    version: u32,
    username: String,
    #[serde(default)]
    user_id: Option<u64>,
    session_id: String,
}

fn file_error(path: &Path, message: impl Into<String>) -> Error {
    Error::SessionFile {
        path: path.display().to_string(),
        message: message.into(),
    }
}

impl Client {
    /// Saves the current login (its session id, user name and user id) to `path`, readable and
    /// writable by the owner only. An existing file is replaced.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// client.save_session("my-bot.session.json")?;
    /// // later, in another process:
    /// let client = scratchkit::Client::new();
    /// let me = client.restore_session("my-bot.session.json").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::LoginRequired`] when logged out; [`Error::SessionFile`] when the file cannot be
    /// written.
    pub fn save_session(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let state = self.auth_state().ok_or(Error::LoginRequired)?;
        let saved = SavedSession {
            version: VERSION,
            username: state.username().to_owned(),
            user_id: state.user_id(),
            session_id: state.session_id().trim_matches('"').to_owned(),
        };
        let json = serde_json::to_vec_pretty(&saved)
            .map_err(|e| file_error(path, format!("could not encode: {e}")))?;
        drop(saved);

        let name = path
            .file_name()
            .ok_or_else(|| file_error(path, "the path has no file name"))?;
        let mut temp_name = name.to_owned();
        temp_name.push(format!(".tmp{}", std::process::id()));
        let temp = path.with_file_name(temp_name);
        let write = || -> std::io::Result<()> {
            let mut options = fs::OpenOptions::new();
            options.write(true).create(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options.open(&temp)?;
            // The mode above only applies to a new file: make sure of it.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                file.set_permissions(fs::Permissions::from_mode(0o600))?;
            }
            file.write_all(&json)?;
            file.write_all(b"\n")?;
            file.sync_all()?;
            fs::rename(&temp, path)
        };
        write().map_err(|e| {
            let _ = fs::remove_file(&temp);
            file_error(path, e.to_string())
        })
    }

    /// Logs in with a session saved by [`Client::save_session`]: the session id is decoded
    /// offline as in [`Client::login_with_session_id`] (with `GET /session/` as the fallback).
    ///
    /// Check that Scratch still accepts it with [`Client::session`].
    ///
    /// # Errors
    ///
    /// [`Error::SessionFile`] when the file cannot be read or is not a session file; then as
    /// [`Client::login_with_session_id`].
    pub async fn restore_session(&self, path: impl AsRef<Path>) -> Result<Me> {
        let path = path.as_ref();
        let saved = read_saved(path)?;
        #[cfg(unix)]
        if let Ok(meta) = fs::metadata(path) {
            use std::os::unix::fs::PermissionsExt;
            if meta.permissions().mode() & 0o077 != 0 {
                tracing::warn!(
                    path = %path.display(),
                    "the session file is readable by other users; it should be 0600"
                );
            }
        }
        let me = self
            .login_with_session_id(SecretString::from(saved.session_id))
            .await?;
        if me.username != saved.username {
            tracing::debug!(
                saved = saved.username,
                actual = me.username,
                "the session belongs to another name than saved (renamed?)"
            );
        }
        Ok(me)
    }
}

fn read_saved(path: &Path) -> Result<SavedSession> {
    let meta = fs::metadata(path).map_err(|e| file_error(path, e.to_string()))?;
    if meta.len() > MAX_FILE {
        return Err(file_error(path, "too large to be a session file"));
    }
    let bytes = fs::read(path).map_err(|e| file_error(path, e.to_string()))?;
    // serde_json's messages may quote input values: report only where it failed.
    let saved: SavedSession = serde_json::from_slice(&bytes).map_err(|e| {
        file_error(
            path,
            format!(
                "not a session file ({:?} error at line {}, column {})",
                e.classify(),
                e.line(),
                e.column()
            ),
        )
    })?;
    if saved.version != VERSION {
        return Err(file_error(
            path,
            format!("unsupported version {}", saved.version),
        ));
    }
    if saved.session_id.trim().is_empty() {
        return Err(file_error(path, "the session id is empty"));
    }
    Ok(saved)
}
