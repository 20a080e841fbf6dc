//! Where cloud variables and their logs live: the [`CloudStore`] seam and an in-memory store.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

use crate::options::CloudMode;
use scratchkit_model::js_number_to_string;

/// A stored cloud value: the JSON type the writer used is kept.
#[derive(Debug, Clone, PartialEq)]
pub enum CloudValue {
    /// A JSON number (re-serialised the JavaScript way).
    Number(f64),
    /// A numeric string, relayed unchanged.
    Text(String),
}

impl CloudValue {
    /// The value as JSON text, as it goes on the wire (`12`, `"12"`).
    pub fn to_json(&self) -> String {
        match self {
            CloudValue::Number(n) => js_number_to_string(*n),
            CloudValue::Text(s) => serde_json::Value::String(s.clone()).to_string(),
        }
    }

    /// The value as a plain string (numbers in JavaScript formatting), as logs record it.
    pub fn to_plain_string(&self) -> String {
        match self {
            CloudValue::Number(n) => js_number_to_string(*n),
            CloudValue::Text(s) => s.clone(),
        }
    }

    /// Length as JavaScript counts it (UTF-16 code units of the string form).
    pub fn js_len(&self) -> usize {
        self.to_plain_string().encode_utf16().count()
    }
}

/// One row of a project's cloud log, in the shape of
/// `https://clouddata.scratch.mit.edu/logs` (newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Who made the change.
    pub user: String,
    /// `set_var`, `create_var`, `del_var` or `rename_var`.
    pub verb: String,
    /// Variable name with the `☁ ` prefix (the new name for `rename_var`).
    pub name: String,
    /// The value as a string (the old name for `rename_var`).
    pub value: String,
    /// Server time, epoch milliseconds.
    pub timestamp: i64,
}

/// Storage for cloud rooms. The server calls it with its room lock held, so calls for one
/// room never overlap. [`MemoryStore`] is the default; a persistent store implements the same
/// trait.
pub trait CloudStore: Send + Sync + 'static {
    /// The variables of a room, in creation order.
    fn variables(&self, mode: CloudMode, project: &str) -> Vec<(String, CloudValue)>;
    /// Whether a room has this variable.
    fn contains(&self, mode: CloudMode, project: &str, name: &str) -> bool;
    /// How many variables a room has.
    fn count(&self, mode: CloudMode, project: &str) -> usize;
    /// Stores a value, creating the variable at the end if it is new.
    fn set(&self, mode: CloudMode, project: &str, name: &str, value: CloudValue);
    /// Deletes a variable; returns its last value if it existed.
    fn delete(&self, mode: CloudMode, project: &str, name: &str) -> Option<CloudValue>;
    /// Renames a variable in place; false if it does not exist or `new_name` is taken.
    fn rename(&self, mode: CloudMode, project: &str, name: &str, new_name: &str) -> bool;
    /// Appends a row to a project's log.
    fn append_log(&self, project: &str, entry: LogEntry);
    /// A page of a project's log, newest first.
    fn logs(&self, project: &str, limit: usize, offset: usize) -> Vec<LogEntry>;
    /// Forgets every variable of a room (an expired TurboWarp room). The default deletes
    /// them one by one.
    fn clear_room(&self, mode: CloudMode, project: &str) {
        for (name, _) in self.variables(mode, project) {
            self.delete(mode, project, &name);
        }
    }
    /// Forgets every variable and log row of every room (a sandbox reset). The default does
    /// nothing: a store that cannot list its rooms keeps them.
    fn clear(&self) {}
    /// How many changes are not yet on durable storage, and the age of the oldest (shown by
    /// `GET /metrics`). The default, for a store that writes through or keeps nothing, has
    /// none.
    fn persistence_backlog(&self) -> (u64, std::time::Duration) {
        (0, std::time::Duration::ZERO)
    }
    /// Writes every pending change to durable storage (a graceful shutdown calls it). The
    /// default does nothing.
    fn flush(&self) {}
}

type RoomVars = Vec<(String, CloudValue)>;

/// A [`CloudStore`] in memory (lost when the process ends).
#[derive(Debug, Default)]
pub struct MemoryStore {
    rooms: Mutex<HashMap<(CloudMode, String), RoomVars>>,
    logs: Mutex<HashMap<String, Vec<LogEntry>>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn rooms(&self) -> MutexGuard<'_, HashMap<(CloudMode, String), RoomVars>> {
        self.rooms
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn log_rows(&self) -> MutexGuard<'_, HashMap<String, Vec<LogEntry>>> {
        self.logs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl CloudStore for MemoryStore {
    fn variables(&self, mode: CloudMode, project: &str) -> Vec<(String, CloudValue)> {
        self.rooms()
            .get(&(mode, project.to_owned()))
            .cloned()
            .unwrap_or_default()
    }

    fn contains(&self, mode: CloudMode, project: &str, name: &str) -> bool {
        self.rooms()
            .get(&(mode, project.to_owned()))
            .is_some_and(|vars| vars.iter().any(|(n, _)| n == name))
    }

    fn count(&self, mode: CloudMode, project: &str) -> usize {
        self.rooms()
            .get(&(mode, project.to_owned()))
            .map_or(0, Vec::len)
    }

    fn set(&self, mode: CloudMode, project: &str, name: &str, value: CloudValue) {
        let mut rooms = self.rooms();
        let vars = rooms.entry((mode, project.to_owned())).or_default();
        match vars.iter_mut().find(|(n, _)| n == name) {
            Some((_, stored)) => *stored = value,
            None => vars.push((name.to_owned(), value)),
        }
    }

    fn delete(&self, mode: CloudMode, project: &str, name: &str) -> Option<CloudValue> {
        let mut rooms = self.rooms();
        let vars = rooms.get_mut(&(mode, project.to_owned()))?;
        let index = vars.iter().position(|(n, _)| n == name)?;
        Some(vars.remove(index).1)
    }

    fn rename(&self, mode: CloudMode, project: &str, name: &str, new_name: &str) -> bool {
        let mut rooms = self.rooms();
        let Some(vars) = rooms.get_mut(&(mode, project.to_owned())) else {
            return false;
        };
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
    }

    fn append_log(&self, project: &str, entry: LogEntry) {
        self.log_rows()
            .entry(project.to_owned())
            .or_default()
            .push(entry);
    }

    fn logs(&self, project: &str, limit: usize, offset: usize) -> Vec<LogEntry> {
        self.log_rows()
            .get(project)
            .map(|rows| {
                rows.iter()
                    .rev()
                    .skip(offset)
                    .take(limit)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    fn clear_room(&self, mode: CloudMode, project: &str) {
        self.rooms().remove(&(mode, project.to_owned()));
    }

    fn clear(&self) {
        self.rooms().clear();
        self.log_rows().clear();
    }
}
