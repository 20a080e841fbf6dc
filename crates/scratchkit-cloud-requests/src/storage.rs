//! Cloud Storage: named key-value databases served over Cloud Requests
//! (scratchattach-compatible request names).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use super::protocol::Response;
use super::server::{CloudRequests, HandlerError, RequestContext};

/// The reply to `ping`.
pub const PING_REPLY: &str = "Database backend is running";
/// The reply to a successful `set` (scratchattach sends none, and the project waits 10 s).
pub const SET_REPLY: &str = "Value set";

type Databases = BTreeMap<String, BTreeMap<String, String>>;

/// Why the storage could not be opened or saved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StorageError {
    /// Reading or writing the file failed.
    #[error("cloud storage file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The file is not a JSON object of objects of strings.
    #[error("cloud storage file {path} is not valid: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The error.
        source: serde_json::Error,
    },
}

struct Inner {
    databases: Mutex<Databases>,
    file: Option<PathBuf>,
    /// Serialises saves so that an older snapshot never replaces a newer one.
    saving: tokio::sync::Mutex<()>,
}

/// Named key-value databases answering the template's Cloud Storage blocks:
///
/// | request | arguments | reply |
/// |---|---|---|
/// | `ping` | – | `Database backend is running` |
/// | `get` | database, key | the value, or `Error: …` |
/// | `set` | database, key, value | `Value set`, or `Error: …` |
/// | `keys` | database | the keys (a list), or `Error: …` |
/// | `database_names` | – | the database names (a list) |
///
/// A value may contain `&` (the extra arguments the split produces are joined back). With
/// [`open`](Self::open) the databases live in a JSON file (`{"db": {"key": "value"}}`)
/// rewritten atomically after every `set`, so they survive restarts.
///
/// ```no_run
/// use scratchkit::cloud::{CloudConfig, CloudConnection};
/// use scratchkit_cloud_requests::{CloudRequests, CloudStorage};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let storage = CloudStorage::open("storage.json", ["scores", "names"])?;
/// let config = CloudConfig::turbowarp(1234, "host-bot", "my-bot/1.0 (me@example.com)");
/// let (sender, events) = CloudConnection::connect(config).await?;
/// let (_host, _events) = storage.install(CloudRequests::new(sender, events)).start();
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct CloudStorage {
    inner: Arc<Inner>,
}

impl fmt::Debug for CloudStorage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CloudStorage")
            .field("databases", &self.database_names())
            .field("file", &self.inner.file)
            .finish()
    }
}

impl CloudStorage {
    /// Databases kept in memory only.
    pub fn in_memory<I, S>(databases: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut map = Databases::new();
        for name in databases {
            map.entry(name.into()).or_default();
        }
        Self::from_parts(map, None)
    }

    /// Databases stored in the JSON file `path` (created on the first `set` if missing); the
    /// databases named here are created if the file lacks them.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the file exists but cannot be read or is not valid.
    pub fn open<I, S>(path: impl AsRef<Path>, databases: I) -> Result<Self, StorageError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let path = path.as_ref().to_path_buf();
        let mut map: Databases = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|source| StorageError::Json {
                path: path.clone(),
                source,
            })?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Databases::new(),
            Err(source) => return Err(StorageError::Io { path, source }),
        };
        for name in databases {
            map.entry(name.into()).or_default();
        }
        Ok(Self::from_parts(map, Some(path)))
    }

    fn from_parts(databases: Databases, file: Option<PathBuf>) -> Self {
        CloudStorage {
            inner: Arc::new(Inner {
                databases: Mutex::new(databases),
                file,
                saving: tokio::sync::Mutex::new(()),
            }),
        }
    }

    fn databases(&self) -> MutexGuard<'_, Databases> {
        self.inner
            .databases
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Registers the five Cloud Storage requests on a host.
    pub fn install(&self, requests: CloudRequests) -> CloudRequests {
        let get = self.clone();
        let set = self.clone();
        let keys = self.clone();
        let names = self.clone();
        requests
            .handler("ping", |_ctx: RequestContext| async { Ok(PING_REPLY) })
            .handler("get", move |ctx: RequestContext| {
                let storage = get.clone();
                async move { Ok::<_, HandlerError>(storage.get_reply(&ctx.args)) }
            })
            .handler("set", move |ctx: RequestContext| {
                let storage = set.clone();
                async move { storage.set_reply(&ctx.args).await }
            })
            .handler("keys", move |ctx: RequestContext| {
                let storage = keys.clone();
                async move { Ok::<_, HandlerError>(storage.keys_reply(&ctx.args)) }
            })
            .handler("database_names", move |_ctx: RequestContext| {
                let storage = names.clone();
                async move { Ok::<_, HandlerError>(Response::List(storage.database_names())) }
            })
    }

    /// The value of `key` in `database`.
    pub fn get(&self, database: &str, key: &str) -> Option<String> {
        self.databases().get(database)?.get(key).cloned()
    }

    /// The keys of `database`, sorted; `None` if it does not exist.
    pub fn keys(&self, database: &str) -> Option<Vec<String>> {
        Some(self.databases().get(database)?.keys().cloned().collect())
    }

    /// Every database name, sorted.
    pub fn database_names(&self) -> Vec<String> {
        self.databases().keys().cloned().collect()
    }

    /// Sets `key` in `database` and saves the file (if any). Returns false, changing
    /// nothing, if the database does not exist.
    ///
    /// # Errors
    ///
    /// [`StorageError::Io`] if the file could not be written (the value is kept in memory).
    pub async fn set(&self, database: &str, key: &str, value: &str) -> Result<bool, StorageError> {
        {
            let mut databases = self.databases();
            let Some(db) = databases.get_mut(database) else {
                return Ok(false);
            };
            db.insert(key.to_owned(), value.to_owned());
        }
        self.save().await?;
        Ok(true)
    }

    /// Writes the file now (atomically), if there is one.
    ///
    /// # Errors
    ///
    /// [`StorageError::Io`] if it could not be written.
    pub async fn save(&self) -> Result<(), StorageError> {
        let Some(path) = self.inner.file.clone() else {
            return Ok(());
        };
        let _saving = self.inner.saving.lock().await;
        let json =
            serde_json::to_vec_pretty(&*self.databases()).map_err(|source| StorageError::Json {
                path: path.clone(),
                source,
            })?;
        let target = path.clone();
        let written =
            tokio::task::spawn_blocking(move || super::memory::write_atomically(&target, &json))
                .await
                .unwrap_or_else(|join| Err(std::io::Error::other(join)));
        written.map_err(|source| StorageError::Io { path, source })
    }

    fn get_reply(&self, args: &[String]) -> Response {
        let (Some(db), Some(_)) = (args.first(), args.get(1)) else {
            return Response::Text("Error: get needs a database and a key".into());
        };
        let key = args[1..].join("&");
        let databases = self.databases();
        match databases.get(db) {
            None => Response::Text(format!("Error: Database {db} doesn't exist")),
            Some(values) => match values.get(&key) {
                Some(value) => Response::Text(value.clone()),
                None => Response::Text(format!("Error: Key {key} doesn't exist in database {db}")),
            },
        }
    }

    async fn set_reply(&self, args: &[String]) -> Result<Response, HandlerError> {
        let (Some(db), Some(key), Some(_)) = (args.first(), args.get(1), args.get(2)) else {
            return Ok(Response::Text(
                "Error: set needs a database, a key and a value".into(),
            ));
        };
        let value = args[2..].join("&");
        if self.set(db, key, &value).await? {
            Ok(Response::Text(SET_REPLY.into()))
        } else {
            Ok(Response::Text(format!(
                "Error: Database {db} doesn't exist"
            )))
        }
    }

    fn keys_reply(&self, args: &[String]) -> Response {
        let Some(db) = args.first() else {
            return Response::Text("Error: keys needs a database".into());
        };
        match self.keys(db) {
            Some(keys) => Response::List(keys),
            None => Response::Text(format!("Error: Database {db} doesn't exist")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[tokio::test]
    async fn replies_and_persistence() {
        let dir = std::env::temp_dir().join(format!("scratchkit-storage-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("storage.json");
        let _ = std::fs::remove_file(&path);
        let storage = CloudStorage::open(&path, ["scores"]).unwrap();
        assert_eq!(
            storage
                .set_reply(&args(&["scores", "alice", "4", "2"]))
                .await
                .unwrap(),
            Response::Text(SET_REPLY.into())
        );
        assert_eq!(
            storage.get_reply(&args(&["scores", "alice"])),
            Response::Text("4&2".into())
        );
        assert_eq!(
            storage.get_reply(&args(&["scores", "bob"])),
            Response::Text("Error: Key bob doesn't exist in database scores".into())
        );
        assert_eq!(
            storage.get_reply(&args(&["nope", "bob"])),
            Response::Text("Error: Database nope doesn't exist".into())
        );
        assert_eq!(
            storage.set_reply(&args(&["nope", "a", "b"])).await.unwrap(),
            Response::Text("Error: Database nope doesn't exist".into())
        );
        assert_eq!(
            storage.keys_reply(&args(&["scores"])),
            Response::List(vec!["alice".into()])
        );
        assert_eq!(
            storage.get_reply(&[]),
            Response::Text("Error: get needs a database and a key".into())
        );
        // Survives a restart.
        let reopened = CloudStorage::open(&path, ["other"]).unwrap();
        assert_eq!(reopened.get("scores", "alice").as_deref(), Some("4&2"));
        assert_eq!(reopened.database_names(), ["other", "scores"]);
        std::fs::write(&path, b"[1]").unwrap();
        assert!(matches!(
            CloudStorage::open(&path, ["x"]),
            Err(StorageError::Json { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
