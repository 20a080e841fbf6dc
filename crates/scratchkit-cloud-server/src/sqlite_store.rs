//! A [`CloudStore`] in SQLite: cloud variables and Scratch-mode logs survive a restart. The
//! database is a file of its own ([`SqliteStore::open`]) or one an application shares
//! ([`SqliteDatabase`]; the sandbox keeps its cloud tables next to its other tables).

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, params};

use crate::error::StoreError;
use crate::options::CloudMode;
use crate::sqlite_writer::{Change, Db, WRITE_INTERVAL, WriteBehind};
use crate::store::{CloudStore, LogEntry, StoredValue, set_in};

/// The cloud tables. `cloud_log` has the sandbox schema's definition, so a standalone file and
/// the sandbox's database hold logs in the same shape.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS cloud_vars (
    id INTEGER PRIMARY KEY,
    mode TEXT NOT NULL,
    project TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    is_number INTEGER NOT NULL,
    UNIQUE (mode, project, name)
);
CREATE TABLE IF NOT EXISTS cloud_log (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL,
    username TEXT NOT NULL,
    verb TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    timestamp_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS cloud_log_by_project ON cloud_log(project_id, timestamp_ms);
";

/// A SQLite database shared with an application (the sandbox's), for
/// [`SqliteStore::shared`]: the store runs its statements through it.
///
/// ```
/// use std::sync::Mutex;
/// use scratchkit_cloud_server::SqliteDatabase;
///
/// struct Db(Mutex<rusqlite::Connection>);
///
/// impl SqliteDatabase for Db {
///     fn with_connection(
///         &self,
///         f: &mut dyn FnMut(&rusqlite::Connection) -> rusqlite::Result<()>,
///     ) -> rusqlite::Result<()> {
///         f(&self.0.lock().unwrap())
///     }
/// }
/// ```
pub trait SqliteDatabase: Send + Sync + 'static {
    /// Runs `f` on the database's connection (holding whatever lock guards it).
    ///
    /// # Errors
    ///
    /// The error `f` returns.
    fn with_connection(
        &self,
        f: &mut dyn FnMut(&Connection) -> rusqlite::Result<()>,
    ) -> rusqlite::Result<()>;
}

type RoomVars = Vec<(String, StoredValue)>;

/// A [`CloudStore`] backed by SQLite. Rooms are cached in memory (loaded on first use), so
/// joins, limit checks and sets cost no query; changes are written behind, by a background
/// thread, every 50 ms in one transaction (a variable set many times in between is written
/// once). [`CloudStore::flush`] writes out what is queued (graceful shutdown); dropping the
/// store does too. A killed process loses what was queued, at most the last 50 ms or so:
/// scratchkit's cloud client sends again what it set in the two seconds before a connection
/// was lost, so its values come back when it reconnects.
///
/// Logs are kept for numeric project ids (Scratch's rooms), in the table that
/// `/clouddata/logs` serves.
///
/// ```
/// use scratchkit_cloud_server::{CloudMode, CloudStore, StoredValue, SqliteStore};
///
/// let dir = std::env::temp_dir().join(format!("sqlite-store-doc-{}", std::process::id()));
/// {
///     let store = SqliteStore::open(&dir).unwrap();
///     store.set(CloudMode::TurboWarp, "7", "☁ score", StoredValue::Number(12.5));
/// }
/// let store = SqliteStore::open(&dir).unwrap();
/// let vars = store.variables(CloudMode::TurboWarp, "7");
/// assert_eq!(vars, vec![("☁ score".to_owned(), StoredValue::Number(12.5))]);
/// # drop(store); let _ = std::fs::remove_dir_all(&dir);
/// ```
pub struct SqliteStore {
    writer: WriteBehind,
    cache: Mutex<HashMap<(CloudMode, String), RoomVars>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.writer.db() {
            Db::Own(_) => "own",
            Db::Shared(_) => "shared",
        };
        f.debug_struct("SqliteStore")
            .field("database", &kind)
            .finish_non_exhaustive()
    }
}

/// The file name [`SqliteStore::open`] uses inside its directory.
pub const CLOUD_DB_FILE: &str = "cloud.sqlite3";

impl SqliteStore {
    /// Opens (creating if needed) `DIR/cloud.sqlite3`.
    ///
    /// # Errors
    ///
    /// The directory cannot be created, or the database cannot be opened or set up.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let conn = Connection::open(dir.join(CLOUD_DB_FILE))?;
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self::with_db(Db::Own(Mutex::new(conn))))
    }

    /// A store in a private in-memory database (tests).
    ///
    /// # Errors
    ///
    /// The database cannot be set up.
    pub fn in_memory() -> Result<Self, StoreError> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self::with_db(Db::Own(Mutex::new(conn))))
    }

    /// A store in an application's database (its cloud tables are created if needed).
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # use scratchkit_cloud_server::{CloudStore, SqliteDatabase, SqliteStore};
    /// # struct Db(Mutex<rusqlite::Connection>);
    /// # impl SqliteDatabase for Db {
    /// #     fn with_connection(&self, f: &mut dyn FnMut(&rusqlite::Connection) -> rusqlite::Result<()>) -> rusqlite::Result<()> {
    /// #         f(&self.0.lock().unwrap())
    /// #     }
    /// # }
    /// let db = Arc::new(Db(Mutex::new(rusqlite::Connection::open_in_memory()?)));
    /// let store = SqliteStore::shared(db)?;
    /// assert!(store.logs("1", 10, 0).is_empty());
    /// # Ok::<(), rusqlite::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The tables cannot be created.
    pub fn shared(db: Arc<dyn SqliteDatabase>) -> rusqlite::Result<Self> {
        db.with_connection(&mut |c| c.execute_batch(SCHEMA))?;
        Ok(Self::with_db(Db::Shared(db)))
    }

    fn with_db(db: Db) -> Self {
        Self::with_db_every(db, WRITE_INTERVAL)
    }

    fn with_db_every(db: Db, interval: std::time::Duration) -> Self {
        SqliteStore {
            writer: WriteBehind::start(db, interval),
            cache: Mutex::new(HashMap::new()),
        }
    }

    fn run<R>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<R>) -> rusqlite::Result<R> {
        self.writer.db().run(f)
    }

    fn cache(&self) -> MutexGuard<'_, HashMap<(CloudMode, String), RoomVars>> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on a room's cached variables, loading them first if needed.
    fn with_room<R>(
        &self,
        mode: CloudMode,
        project: &str,
        f: impl FnOnce(&mut RoomVars) -> R,
    ) -> R {
        let mut cache = self.cache();
        let key = (mode, project.to_owned());
        if !cache.contains_key(&key) {
            // Queued changes of this room (a clear of an expired room) land first.
            self.writer.flush();
            let loaded = self
                .run(|c| load_room(c, mode, project))
                .unwrap_or_else(|error| {
                    tracing::warn!(%error, "cloud variables could not be read");
                    Vec::new()
                });
            cache.insert(key.clone(), loaded);
        }
        let vars = cache.entry(key).or_default();
        f(vars)
    }

    fn report(result: rusqlite::Result<impl Sized>, what: &str) {
        if let Err(error) = result {
            tracing::warn!(%error, "cloud store: {what} failed");
        }
    }
}

pub(crate) fn mode_name(mode: CloudMode) -> &'static str {
    mode.name()
}

fn load_room(conn: &Connection, mode: CloudMode, project: &str) -> rusqlite::Result<RoomVars> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, value, is_number FROM cloud_vars WHERE mode = ?1 AND project = ?2 ORDER BY id",
    )?;
    let rows = stmt.query_map(params![mode_name(mode), project], |r| {
        let name: String = r.get(0)?;
        let text: String = r.get(1)?;
        let is_number: bool = r.get(2)?;
        let value = match text.parse::<f64>() {
            Ok(number) if is_number && number.is_finite() => StoredValue::Number(number),
            _ => StoredValue::Text(text),
        };
        Ok((name, value))
    })?;
    rows.collect()
}

/// A page of a project's log, newest first.
fn read_log(
    conn: &Connection,
    project_id: i64,
    limit: i64,
    offset: i64,
) -> rusqlite::Result<Vec<LogEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT username, verb, name, value, timestamp_ms FROM cloud_log WHERE project_id = ?1
         ORDER BY timestamp_ms DESC, id DESC LIMIT ?2 OFFSET ?3",
    )?;
    let rows = stmt.query_map(params![project_id, limit, offset], |r| {
        Ok(LogEntry {
            user: r.get(0)?,
            verb: r.get(1)?,
            name: r.get(2)?,
            value: r.get(3)?,
            timestamp: r.get(4)?,
        })
    })?;
    rows.collect()
}

/// `(stored text, is_number)` of a value.
fn columns(value: &StoredValue) -> (String, bool) {
    (
        value.to_plain_string(),
        matches!(value, StoredValue::Number(_)),
    )
}

impl CloudStore for SqliteStore {
    fn stored_rooms(&self) -> Option<Vec<(CloudMode, String)>> {
        // What is queued lands first, so the database and the cache agree.
        self.writer.flush();
        let on_disk = self
            .run(|c| {
                let mut stmt = c.prepare_cached("SELECT DISTINCT mode, project FROM cloud_vars")?;
                let rows = stmt.query_map([], |r| {
                    let mode: String = r.get(0)?;
                    let project: String = r.get(1)?;
                    Ok((mode, project))
                })?;
                rows.collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(|error| tracing::warn!(%error, "cloud rooms could not be listed"))
            .ok()?;
        let mut rooms: std::collections::HashSet<(CloudMode, String)> = on_disk
            .into_iter()
            .filter_map(|(mode, project)| Some((CloudMode::from_name(&mode)?, project)))
            .collect();
        for (key, vars) in self.cache().iter() {
            if vars.is_empty() {
                rooms.remove(key);
            } else {
                rooms.insert(key.clone());
            }
        }
        let mut rooms: Vec<(CloudMode, String)> = rooms.into_iter().collect();
        rooms.sort_by(|a, b| (a.0.name(), &a.1).cmp(&(b.0.name(), &b.1)));
        Some(rooms)
    }

    fn persistence_backlog(&self) -> (u64, std::time::Duration) {
        self.writer.backlog()
    }

    fn variables(&self, mode: CloudMode, project: &str) -> Vec<(String, StoredValue)> {
        self.with_room(mode, project, |vars| vars.clone())
    }

    fn contains(&self, mode: CloudMode, project: &str, name: &str) -> bool {
        self.with_room(mode, project, |vars| vars.iter().any(|(n, _)| n == name))
    }

    fn count(&self, mode: CloudMode, project: &str) -> usize {
        self.with_room(mode, project, |vars| vars.len())
    }

    fn set(&self, mode: CloudMode, project: &str, name: &str, value: StoredValue) {
        self.set_within(mode, project, name, value, usize::MAX);
    }

    fn set_within(
        &self,
        mode: CloudMode,
        project: &str,
        name: &str,
        value: StoredValue,
        max_variables: usize,
    ) -> bool {
        let (text, is_number) = columns(&value);
        let stored = self.with_room(mode, project, |vars| {
            set_in(vars, name, value, max_variables)
        });
        if stored {
            self.writer.change(Change::Set {
                mode,
                project: project.to_owned(),
                name: name.to_owned(),
                text,
                is_number,
            });
        }
        stored
    }

    fn delete(&self, mode: CloudMode, project: &str, name: &str) -> Option<StoredValue> {
        let old = self.with_room(mode, project, |vars| {
            let index = vars.iter().position(|(n, _)| n == name)?;
            Some(vars.remove(index).1)
        })?;
        self.writer.change(Change::Delete {
            mode,
            project: project.to_owned(),
            name: name.to_owned(),
        });
        Some(old)
    }

    fn rename(&self, mode: CloudMode, project: &str, name: &str, new_name: &str) -> bool {
        let renamed = self.with_room(mode, project, |vars| {
            if vars.iter().any(|(n, _)| n == new_name) {
                return false;
            }
            match vars.iter_mut().find(|(n, _)| n == name) {
                Some((stored, _)) => {
                    *stored = new_name.to_owned();
                    true
                }
                None => false,
            }
        });
        if renamed {
            self.writer.change(Change::Rename {
                mode,
                project: project.to_owned(),
                name: name.to_owned(),
                new_name: new_name.to_owned(),
            });
        }
        renamed
    }

    fn append_log(&self, project: &str, entry: LogEntry) {
        let Ok(project_id) = project.parse::<i64>() else {
            tracing::debug!("no cloud log for a non-numeric room");
            return;
        };
        self.writer.log(project_id, entry);
    }

    fn logs(&self, project: &str, limit: usize, offset: usize) -> Vec<LogEntry> {
        let Ok(project_id) = project.parse::<i64>() else {
            return Vec::new();
        };
        // Rows still queued are part of the log.
        self.writer.flush();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        match self.run(|c| read_log(c, project_id, limit, offset)) {
            Ok(rows) => rows,
            Err(error) => {
                tracing::warn!(%error, "cloud log could not be read");
                Vec::new()
            }
        }
    }

    fn clear_room(&self, mode: CloudMode, project: &str) {
        let mut cache = self.cache();
        cache.remove(&(mode, project.to_owned()));
        self.writer.change(Change::ClearRoom {
            mode,
            project: project.to_owned(),
        });
    }

    fn clear(&self) {
        let mut cache = self.cache();
        cache.clear();
        Self::report(
            self.writer.replace_queue(|c| {
                c.execute_batch("DELETE FROM cloud_vars; DELETE FROM cloud_log;")
            }),
            "clear",
        );
    }

    fn flush(&self) {
        self.writer.flush();
    }

    fn crash(&self) {
        self.writer.crash();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(user: &str, value: &str, timestamp: i64) -> LogEntry {
        LogEntry {
            user: user.into(),
            verb: "set_var".into(),
            name: "☁ a".into(),
            value: value.into(),
            timestamp,
        }
    }

    #[test]
    fn values_keep_creation_order_and_type_across_reopen() {
        let dir = std::env::temp_dir().join(format!("sk-sqlite-store-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        {
            let store = SqliteStore::open(&dir).unwrap();
            store.set(
                CloudMode::Scratch,
                "5",
                "☁ b",
                StoredValue::Text("007".into()),
            );
            store.set(CloudMode::Scratch, "5", "☁ a", StoredValue::Number(1e21));
            store.set(
                CloudMode::Scratch,
                "5",
                "☁ b",
                StoredValue::Text("8".into()),
            );
            store.set(CloudMode::TurboWarp, "5", "☁ c", StoredValue::Number(3.0));
            assert!(store.rename(CloudMode::Scratch, "5", "☁ a", "☁ z"));
            assert!(!store.rename(CloudMode::Scratch, "5", "☁ z", "☁ b"));
            store.append_log("5", entry("kaj", "1", 10));
            store.append_log("5", entry("mres", "2", 20));
            store.append_log("room", entry("x", "3", 30));
        }
        let store = SqliteStore::open(&dir).unwrap();
        assert_eq!(
            store.variables(CloudMode::Scratch, "5"),
            vec![
                ("☁ b".to_owned(), StoredValue::Text("8".into())),
                ("☁ z".to_owned(), StoredValue::Number(1e21)),
            ]
        );
        assert_eq!(store.count(CloudMode::TurboWarp, "5"), 1);
        assert!(store.contains(CloudMode::TurboWarp, "5", "☁ c"));
        assert_eq!(
            store.delete(CloudMode::Scratch, "5", "☁ b"),
            Some(StoredValue::Text("8".into()))
        );
        assert_eq!(store.delete(CloudMode::Scratch, "5", "☁ b"), None);
        let logs = store.logs("5", 10, 0);
        assert_eq!(logs, vec![entry("mres", "2", 20), entry("kaj", "1", 10)]);
        assert_eq!(store.logs("5", 1, 1), vec![entry("kaj", "1", 10)]);
        assert!(store.logs("room", 10, 0).is_empty());
        drop(store);
        let reopened = SqliteStore::open(&dir).unwrap();
        assert_eq!(reopened.count(CloudMode::Scratch, "5"), 1);
        drop(reopened);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn stored_rooms_lists_rooms_with_values_on_disk_and_in_memory() {
        let dir = fresh_dir("rooms");
        {
            let store = SqliteStore::open(&dir).unwrap();
            store.set(CloudMode::Scratch, "1", "☁ a", StoredValue::Number(1.0));
            store.set(CloudMode::TurboWarp, "2", "☁ b", StoredValue::Number(2.0));
            store.set(CloudMode::TurboWarp, "3", "☁ c", StoredValue::Number(3.0));
            store.delete(CloudMode::TurboWarp, "3", "☁ c");
            store.flush();
        }
        let store = SqliteStore::open(&dir).unwrap();
        // Not loaded into memory yet: read from disk.
        assert_eq!(
            store.stored_rooms(),
            Some(vec![
                (CloudMode::Scratch, "1".to_owned()),
                (CloudMode::TurboWarp, "2".to_owned())
            ])
        );
        // A change still queued counts too, and an emptied room goes.
        store.set(CloudMode::TurboWarp, "9", "☁ d", StoredValue::Number(4.0));
        store.delete(CloudMode::Scratch, "1", "☁ a");
        assert_eq!(
            store.stored_rooms(),
            Some(vec![
                (CloudMode::TurboWarp, "2".to_owned()),
                (CloudMode::TurboWarp, "9".to_owned())
            ])
        );
    }

    #[test]
    fn in_memory_store_works_without_files() {
        let store = SqliteStore::in_memory().unwrap();
        assert!(store.variables(CloudMode::Scratch, "1").is_empty());
        store.set(CloudMode::Scratch, "1", "☁ x", StoredValue::Number(-0.5));
        assert_eq!(
            store.variables(CloudMode::Scratch, "1"),
            vec![("☁ x".to_owned(), StoredValue::Number(-0.5))]
        );
    }

    fn fresh_dir(tag: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("sk-sqlite-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn queued_changes_are_lost_in_a_crash_and_kept_by_a_flush() {
        let dir = fresh_dir("crash");
        {
            // The writer thread must not write between the sets and the crash.
            SqliteStore::open(&dir).unwrap();
            let conn = Connection::open(dir.join(CLOUD_DB_FILE)).unwrap();
            let store = SqliteStore::with_db_every(
                Db::Own(Mutex::new(conn)),
                std::time::Duration::from_secs(3600),
            );
            store.set(
                CloudMode::TurboWarp,
                "1",
                "☁ kept",
                StoredValue::Number(1.0),
            );
            store.flush();
            store.set(
                CloudMode::TurboWarp,
                "1",
                "☁ lost",
                StoredValue::Number(2.0),
            );
            store.set(
                CloudMode::TurboWarp,
                "1",
                "☁ kept",
                StoredValue::Number(3.0),
            );
            store.crash();
            // Nothing is written after a crash, not even on drop.
            store.set(
                CloudMode::TurboWarp,
                "1",
                "☁ after",
                StoredValue::Number(4.0),
            );
        }
        let store = SqliteStore::open(&dir).unwrap();
        assert_eq!(
            store.variables(CloudMode::TurboWarp, "1"),
            vec![("☁ kept".to_owned(), StoredValue::Number(1.0))]
        );
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn queued_changes_keep_their_order_and_a_drop_writes_them() {
        let dir = fresh_dir("order");
        {
            let store = SqliteStore::open(&dir).unwrap();
            let (s, room) = (CloudMode::Scratch, "9");
            for i in 0..100 {
                store.set(s, room, "☁ a", StoredValue::Number(f64::from(i)));
            }
            store.set(s, room, "☁ b", StoredValue::Text("1".into()));
            assert!(store.rename(s, room, "☁ a", "☁ c"));
            store.set(s, room, "☁ a", StoredValue::Text("5".into()));
            assert!(store.delete(s, room, "☁ b").is_some());
            store.set(s, room, "☁ b", StoredValue::Text("6".into()));
            store.set(s, room, "☁ c", StoredValue::Number(7.0));
            store.append_log(room, entry("kaj", "7", 1));
        }
        let store = SqliteStore::open(&dir).unwrap();
        let mut vars = store.variables(CloudMode::Scratch, "9");
        vars.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            vars,
            vec![
                ("☁ a".to_owned(), StoredValue::Text("5".into())),
                ("☁ b".to_owned(), StoredValue::Text("6".into())),
                ("☁ c".to_owned(), StoredValue::Number(7.0)),
            ]
        );
        assert_eq!(store.logs("9", 10, 0), vec![entry("kaj", "7", 1)]);
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_cleared_room_stays_cleared_when_it_is_loaded_again() {
        let store = SqliteStore::in_memory().unwrap();
        store.set(CloudMode::TurboWarp, "r", "☁ x", StoredValue::Number(1.0));
        store.flush();
        store.clear_room(CloudMode::TurboWarp, "r");
        assert!(store.variables(CloudMode::TurboWarp, "r").is_empty());
        store.set(CloudMode::TurboWarp, "r", "☁ y", StoredValue::Number(2.0));
        store.clear();
        assert!(store.variables(CloudMode::TurboWarp, "r").is_empty());
    }

    #[test]
    fn logs_include_rows_still_queued() {
        let store = SqliteStore::in_memory().unwrap();
        store.append_log("3", entry("a", "1", 5));
        assert_eq!(store.logs("3", 10, 0), vec![entry("a", "1", 5)]);
    }
}
