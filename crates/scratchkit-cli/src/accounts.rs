//! Saved sessions: one file per account under the config directory, and a default account.
//!
//! ```text
//! <config>/accounts/<name>.json                       the live site
//! <config>/accounts/default                           the default account's name
//! <config>/sandboxes/<ip>-<port>/accounts/<name>.json a sandbox (never sent to the live site)
//! ```
//!
//! `<config>` is `$SCRATCH_CONFIG_DIR` when set, else `scratchkit` in the user's config
//! directory (`$XDG_CONFIG_HOME` or `~/.config` on Linux). A session file is the library's
//! ([`scratchkit::Client::save_session`]): the session id and whom it belongs to, never a
//! password, readable by its owner only (0600).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crate::exit::{CliError, CliResult};

/// The variable that relocates the config directory (tests and CI use it).
pub const CONFIG_DIR_ENV: &str = "SCRATCH_CONFIG_DIR";

/// The name of the file holding the default account's name.
const DEFAULT_FILE: &str = "default";

/// The longest account name accepted (Scratch's are at most 20 characters).
const MAX_NAME: usize = 40;

/// The config directory: `$SCRATCH_CONFIG_DIR`, else `<user config dir>/scratchkit`.
///
/// # Errors
/// Neither is known (no home directory).
pub fn config_dir() -> CliResult<PathBuf> {
    if let Some(dir) = std::env::var_os(CONFIG_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::config_dir()
        .map(|d| d.join("scratchkit"))
        .ok_or_else(|| {
            CliError::Usage(format!(
                "cannot find a config directory for saved sessions; set {CONFIG_DIR_ENV}"
            ))
        })
}

/// The saved accounts of one site (the live site, or one sandbox address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accounts {
    dir: PathBuf,
}

impl Accounts {
    /// The accounts of the live site (`sandbox` is `None`) or of the sandbox at that address,
    /// under `config`.
    pub fn under(config: &Path, sandbox: Option<SocketAddr>) -> Self {
        let dir = match sandbox {
            None => config.join("accounts"),
            Some(addr) => config
                .join("sandboxes")
                .join(format!("{}-{}", addr.ip(), addr.port()))
                .join("accounts"),
        };
        Self { dir }
    }

    /// The directory holding the session files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The session file of `name`.
    ///
    /// # Errors
    /// A name that cannot be a file name (a usage error).
    pub fn path_of(&self, name: &str) -> CliResult<PathBuf> {
        check_name(name)?;
        Ok(self.dir.join(format!("{name}.json")))
    }

    /// Creates the directory (0700 on Unix) if needed.
    ///
    /// # Errors
    /// The directory cannot be created.
    pub fn create_dir(&self) -> CliResult {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder
            .create(&self.dir)
            .map_err(|e| CliError::file(&self.dir, e))
    }

    /// The default account's name, if one is set and its file exists.
    pub fn default_name(&self) -> Option<String> {
        let text = std::fs::read_to_string(self.dir.join(DEFAULT_FILE)).ok()?;
        let name = text.trim();
        let path = self.path_of(name).ok()?;
        path.is_file().then(|| name.to_owned())
    }

    /// Makes `name` the default account.
    ///
    /// # Errors
    /// A bad name, or the file cannot be written.
    pub fn set_default(&self, name: &str) -> CliResult {
        check_name(name)?;
        let path = self.dir.join(DEFAULT_FILE);
        std::fs::write(&path, format!("{name}\n")).map_err(|e| CliError::file(&path, e))
    }

    /// The saved account names, sorted.
    pub fn names(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let stem = name.strip_suffix(".json")?;
                check_name(stem).ok().map(|()| stem.to_owned())
            })
            .collect();
        names.sort_unstable_by_key(|n| n.to_lowercase());
        names
    }

    /// Forgets `name`: deletes its session file and, if it was the default, the default.
    /// Returns whether a file was deleted.
    ///
    /// # Errors
    /// A bad name, or a file that exists but cannot be deleted.
    pub fn remove(&self, name: &str) -> CliResult<bool> {
        let path = self.path_of(name)?;
        let removed = match std::fs::remove_file(&path) {
            Ok(()) => true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(CliError::file(&path, e)),
        };
        let default = self.dir.join(DEFAULT_FILE);
        let was_default = std::fs::read_to_string(&default)
            .map(|t| t.trim().eq_ignore_ascii_case(name))
            .unwrap_or(false);
        if was_default {
            std::fs::remove_file(&default).map_err(|e| CliError::file(&default, e))?;
        }
        Ok(removed)
    }

    /// The account to use: `asked` (`--account` / `SCRATCH_ACCOUNT`), else the default, else
    /// the only saved one.
    pub fn pick(&self, asked: Option<&str>) -> Option<String> {
        if let Some(name) = asked {
            return Some(name.to_owned());
        }
        if let Some(name) = self.default_name() {
            return Some(name);
        }
        let names = self.names();
        match names.as_slice() {
            [only] => Some(only.clone()),
            _ => None,
        }
    }
}

impl Accounts {
    /// The error when [`Accounts::pick`] found nothing: no saved session, or several and no
    /// default.
    pub fn none_picked(&self) -> CliError {
        let names = self.names();
        if names.is_empty() {
            CliError::NotLoggedIn(format!("no saved session in {}", self.dir().display()))
        } else {
            CliError::NotLoggedIn(format!(
                "several saved accounts ({}) and no default: pick one with --account NAME",
                names.join(", ")
            ))
        }
    }
}

/// Checks that an account name is a plain file name: letters, digits, `_` and `-`.
///
/// # Errors
/// Anything else (a usage error).
pub fn check_name(name: &str) -> CliResult {
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(CliError::Usage(format!(
            "{name:?} is not an account name (letters, digits, _ and - only)"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_and_sandbox_sessions_live_apart() {
        let config = Path::new("/cfg");
        let live = Accounts::under(config, None);
        assert_eq!(live.dir(), Path::new("/cfg/accounts"));
        let addr: SocketAddr = "127.0.0.1:8007".parse().unwrap();
        let sandbox = Accounts::under(config, Some(addr));
        assert_eq!(
            sandbox.dir(),
            Path::new("/cfg/sandboxes/127.0.0.1-8007/accounts")
        );
        assert_eq!(
            live.path_of("griffpatch").unwrap(),
            Path::new("/cfg/accounts/griffpatch.json")
        );
    }

    #[test]
    fn names_that_could_escape_the_directory_are_refused() {
        for bad in [
            "",
            "../x",
            "a/b",
            "a b",
            ".hidden",
            "x.json",
            &"a".repeat(41),
        ] {
            let err = check_name(bad).unwrap_err();
            assert_eq!(err.exit_code(), crate::exit::USAGE, "{bad}");
        }
        assert!(check_name("demo_new-2").is_ok());
    }

    #[test]
    fn default_pick_and_remove() {
        let tmp = tempfile::tempdir().unwrap();
        let accounts = Accounts::under(tmp.path(), None);
        assert_eq!(accounts.pick(None), None);
        accounts.create_dir().unwrap();
        std::fs::write(accounts.path_of("a").unwrap(), "{}").unwrap();
        // The only saved account is picked without a default.
        assert_eq!(accounts.pick(None).as_deref(), Some("a"));
        std::fs::write(accounts.path_of("b").unwrap(), "{}").unwrap();
        assert_eq!(accounts.pick(None), None);
        let err = accounts.none_picked().to_string();
        assert!(err.contains("a, b") && err.contains("--account"), "{err}");
        accounts.set_default("b").unwrap();
        assert_eq!(accounts.pick(None).as_deref(), Some("b"));
        assert_eq!(accounts.pick(Some("a")).as_deref(), Some("a"));
        assert_eq!(accounts.names(), vec!["a", "b"]);
        assert!(accounts.remove("b").unwrap());
        assert_eq!(accounts.default_name(), None);
        assert!(!accounts.remove("b").unwrap());
        assert_eq!(accounts.names(), vec!["a"]);
    }

    #[cfg(unix)]
    #[test]
    fn the_directory_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let accounts = Accounts::under(tmp.path(), None);
        accounts.create_dir().unwrap();
        let mode = std::fs::metadata(accounts.dir())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
}
