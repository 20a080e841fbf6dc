//! Where cloud variables and their logs live: the [`CloudStore`] seam and an in-memory store.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

use crate::options::CloudMode;
use scratchkit_model::js_number_to_string;

/// A stored cloud value: the JSON type the writer used is kept.
#[derive(Debug, Clone, PartialEq)]
pub enum StoredValue {
    /// A JSON number (re-serialised the JavaScript way).
    Number(f64),
    /// A numeric string, relayed unchanged.
    Text(String),
}

impl StoredValue {
    /// The value as JSON text, as it goes on the wire (`12`, `"12"`).
    pub fn to_json(&self) -> String {
        match self {
            StoredValue::Number(n) => js_number_to_string(*n),
            StoredValue::Text(s) => serde_json::Value::String(s.clone()).to_string(),
        }
    }

    /// The value as a plain string (numbers in JavaScript formatting), as logs record it.
    pub fn to_plain_string(&self) -> String {
        match self {
            StoredValue::Number(n) => js_number_to_string(*n),
            StoredValue::Text(s) => s.clone(),
        }
    }

    /// Length as JavaScript counts it (UTF-16 code units of the string form).
    pub fn js_len(&self) -> usize {
        match self {
            // A number's JavaScript form is ASCII.
            StoredValue::Number(n) => js_number_to_string(*n).len(),
            StoredValue::Text(s) => s.encode_utf16().count(),
        }
    }

    /// Appends the value as JSON text (see [`StoredValue::to_json`]) to `out`.
    pub(crate) fn write_json(&self, out: &mut String) {
        match self {
            StoredValue::Number(n) => out.push_str(&js_number_to_string(*n)),
            StoredValue::Text(s) => write_json_string(s, out),
        }
    }
}

/// Appends `text` as a JSON string literal (quotes and escapes as `serde_json` writes them).
pub(crate) fn write_json_string(text: &str, out: &mut String) {
    let plain = text.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\');
    if plain {
        out.push('"');
        out.push_str(text);
        out.push('"');
    } else {
        out.push_str(&serde_json::Value::String(text.to_owned()).to_string());
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
    fn variables(&self, mode: CloudMode, project: &str) -> Vec<(String, StoredValue)>;
    /// Whether a room has this variable.
    fn contains(&self, mode: CloudMode, project: &str, name: &str) -> bool;
    /// How many variables a room has.
    fn count(&self, mode: CloudMode, project: &str) -> usize;
    /// Stores a value, creating the variable at the end if it is new.
    fn set(&self, mode: CloudMode, project: &str, name: &str, value: StoredValue);
    /// Deletes a variable; returns its last value if it existed.
    fn delete(&self, mode: CloudMode, project: &str, name: &str) -> Option<StoredValue>;
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
    /// Every room that has at least one variable, with or without clients (what the admin
    /// API's room list shows besides the rooms with clients). The default, for a store that
    /// cannot list its rooms, is `None`.
    fn stored_rooms(&self) -> Option<Vec<(CloudMode, String)>> {
        None
    }
    /// Stores a value unless the variable is new and the room already has `max_variables`;
    /// returns whether it was stored. The server calls this for every set; the default asks
    /// [`CloudStore::contains`], [`CloudStore::count`] and [`CloudStore::set`], a store can
    /// answer in one step.
    fn set_within(
        &self,
        mode: CloudMode,
        project: &str,
        name: &str,
        value: StoredValue,
        max_variables: usize,
    ) -> bool {
        if !self.contains(mode, project, name) && self.count(mode, project) >= max_variables {
            return false;
        }
        self.set(mode, project, name, value);
        true
    }
    /// Writes out every change made so far (a store that writes in the background waits for
    /// it); after it returns, they survive the process. The default does nothing (a store
    /// that writes through, or keeps nothing).
    fn flush(&self) {}
    /// Fault injection: forgets the changes not written out yet and writes nothing more, as a
    /// killed process would. [`CloudState::shut_down`](crate::CloudState::shut_down) calls it.
    /// The default does nothing.
    fn crash(&self) {}
    /// How many changes are not yet on durable storage, and the age of the oldest (shown by
    /// `GET /metrics`). The default, for a store that writes through or keeps nothing, has
    /// none.
    fn persistence_backlog(&self) -> (u64, std::time::Duration) {
        (0, std::time::Duration::ZERO)
    }
}

type RoomVars = Vec<(String, StoredValue)>;

/// Most log rows [`MemoryStore`] keeps per project (the oldest go first): a long-running
/// server in memory must not grow without bound. A persistent store keeps every row.
pub const MEMORY_LOG_ROWS: usize = 10_000;

/// A [`CloudStore`] in memory (lost when the process ends). It keeps the newest
/// [`MEMORY_LOG_ROWS`] log rows of each project.
///
/// ```
/// use scratchkit_cloud_server::{CloudMode, CloudStore, StoredValue, MemoryStore};
///
/// let store = MemoryStore::new();
/// assert!(store.set_within(CloudMode::TurboWarp, "7", "☁ a", StoredValue::Number(1.0), 1));
/// assert!(!store.set_within(CloudMode::TurboWarp, "7", "☁ b", StoredValue::Number(2.0), 1));
/// assert_eq!(store.count(CloudMode::TurboWarp, "7"), 1);
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    /// Rooms by mode ([`mode_index`]), then by project.
    rooms: Mutex<[HashMap<String, RoomVars>; 2]>,
    logs: Mutex<HashMap<String, VecDeque<LogEntry>>>,
}

/// Index of a mode in per-mode arrays.
pub(crate) fn mode_index(mode: CloudMode) -> usize {
    match mode {
        CloudMode::Scratch => 0,
        CloudMode::TurboWarp => 1,
    }
}

/// Sets `name` in `vars` unless it is new and `vars` is full; whether it was stored.
pub(crate) fn set_in(
    vars: &mut RoomVars,
    name: &str,
    value: StoredValue,
    max_variables: usize,
) -> bool {
    if let Some((_, stored)) = vars.iter_mut().find(|(n, _)| n == name) {
        *stored = value;
    } else if vars.len() >= max_variables {
        return false;
    } else {
        vars.push((name.to_owned(), value));
    }
    true
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn rooms(&self) -> MutexGuard<'_, [HashMap<String, RoomVars>; 2]> {
        self.rooms
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn log_rows(&self) -> MutexGuard<'_, HashMap<String, VecDeque<LogEntry>>> {
        self.logs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl CloudStore for MemoryStore {
    fn stored_rooms(&self) -> Option<Vec<(CloudMode, String)>> {
        let rooms = self.rooms();
        let modes = [CloudMode::Scratch, CloudMode::TurboWarp];
        Some(
            modes
                .into_iter()
                .flat_map(|mode| {
                    rooms[mode_index(mode)]
                        .iter()
                        .filter(|(_, vars)| !vars.is_empty())
                        .map(move |(project, _)| (mode, project.clone()))
                })
                .collect(),
        )
    }

    fn variables(&self, mode: CloudMode, project: &str) -> Vec<(String, StoredValue)> {
        self.rooms()[mode_index(mode)]
            .get(project)
            .cloned()
            .unwrap_or_default()
    }

    fn contains(&self, mode: CloudMode, project: &str, name: &str) -> bool {
        self.rooms()[mode_index(mode)]
            .get(project)
            .is_some_and(|vars| vars.iter().any(|(n, _)| n == name))
    }

    fn count(&self, mode: CloudMode, project: &str) -> usize {
        self.rooms()[mode_index(mode)]
            .get(project)
            .map_or(0, Vec::len)
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
        let mut rooms = self.rooms();
        let rooms = &mut rooms[mode_index(mode)];
        match rooms.get_mut(project) {
            Some(vars) => set_in(vars, name, value, max_variables),
            None if max_variables == 0 => false,
            None => {
                rooms.insert(project.to_owned(), vec![(name.to_owned(), value)]);
                true
            }
        }
    }

    fn delete(&self, mode: CloudMode, project: &str, name: &str) -> Option<StoredValue> {
        let mut rooms = self.rooms();
        let vars = rooms[mode_index(mode)].get_mut(project)?;
        let index = vars.iter().position(|(n, _)| n == name)?;
        Some(vars.remove(index).1)
    }

    fn rename(&self, mode: CloudMode, project: &str, name: &str, new_name: &str) -> bool {
        let mut rooms = self.rooms();
        let Some(vars) = rooms[mode_index(mode)].get_mut(project) else {
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
        let mut logs = self.log_rows();
        let rows = match logs.get_mut(project) {
            Some(rows) => rows,
            None => logs.entry(project.to_owned()).or_default(),
        };
        if rows.len() >= MEMORY_LOG_ROWS {
            rows.pop_front();
        }
        rows.push_back(entry);
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
        self.rooms()[mode_index(mode)].remove(project);
    }

    fn clear(&self) {
        for rooms in self.rooms().iter_mut() {
            rooms.clear();
        }
        self.log_rows().clear();
    }
}
