//! The shared state of the cloud server: options, store, and the rooms with their clients.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use tokio::sync::Notify;

use crate::gatekeeper::Gatekeeper;
use crate::metrics::MetricsSnapshot;
use crate::options::{CloudMode, CloudOptions};
use crate::store::{CloudStore, LogEntry, MemoryStore, StoredValue, write_json_string};

/// Most rows [`CloudState::logs`] returns at once.
pub const MAX_LOG_LIMIT: usize = 100;

/// What waits to be written to one client: set lines (written together, `\n`-separated, in
/// one frame), a whole frame (the join snapshot, written before them), a close. A
/// broadcast appends its line to each recipient's buffer and wakes the connection only when
/// the buffer was empty, so a busy connection writes many lines with one wake-up, one frame
/// and one system call.
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    pending: Mutex<Pending>,
    ready: Notify,
}

/// The contents of an [`Outbox`].
#[derive(Debug, Default)]
pub(crate) struct Pending {
    /// Set lines, `\n`-separated.
    pub(crate) lines: String,
    /// How many lines `lines` holds.
    pub(crate) count: usize,
    /// A frame to write before the lines (the join snapshot).
    pub(crate) frame: Option<String>,
    /// Close with this code after everything else; nothing more is written.
    pub(crate) close: Option<u16>,
}

impl Pending {
    fn is_empty(&self) -> bool {
        self.lines.is_empty() && self.frame.is_none() && self.close.is_none()
    }
}

impl Outbox {
    fn pending(&self) -> MutexGuard<'_, Pending> {
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Changes the pending contents; wakes the connection if there was nothing before.
    fn push(&self, change: impl FnOnce(&mut Pending)) {
        let mut pending = self.pending();
        let was_empty = pending.is_empty();
        change(&mut pending);
        drop(pending);
        if was_empty {
            self.ready.notify_one();
        }
    }

    /// Queues a set line.
    pub(crate) fn line(&self, line: &str) {
        self.push(|pending| {
            if !pending.lines.is_empty() {
                pending.lines.push('\n');
            }
            pending.lines.push_str(line);
            pending.count += 1;
        });
    }

    /// Queues a frame sent on its own, before any queued line.
    pub(crate) fn frame(&self, frame: String) {
        self.push(|pending| pending.frame = Some(frame));
    }

    /// Queues a close frame (after everything already queued).
    pub(crate) fn close(&self, code: u16) {
        self.push(|pending| pending.close = Some(code));
    }

    /// Takes what is pending; `buffer` (an emptied line buffer) is kept for the next lines.
    pub(crate) fn take(&self, buffer: String) -> Pending {
        let mut pending = self.pending();
        let lines = std::mem::replace(&mut pending.lines, buffer);
        Pending {
            lines,
            count: std::mem::take(&mut pending.count),
            frame: pending.frame.take(),
            close: pending.close.take(),
        }
    }

    /// Waits until something is pending (returns at once if something already is).
    pub(crate) async fn ready(&self) {
        self.ready.notified().await;
    }
}

#[derive(Debug)]
pub(crate) struct Client {
    pub(crate) id: u64,
    pub(crate) user: String,
    /// The client's address (behind trusted proxies: the forwarded one), when known.
    pub(crate) addr: Option<std::net::IpAddr>,
    pub(crate) outbox: Arc<Outbox>,
    pub(crate) kill: Arc<Notify>,
}

#[derive(Debug, Default)]
pub(crate) struct Room {
    pub(crate) clients: Vec<Client>,
}

pub(crate) type RoomKey = (CloudMode, String);

pub(crate) struct Inner {
    pub(crate) options: CloudOptions,
    pub(crate) store: Arc<dyn CloudStore>,
    pub(crate) rooms: Mutex<HashMap<RoomKey, Room>>,
    /// Rooms with an expiry task → when that task clears the room (`None`: called off, a
    /// client joined). One task per room however often it empties (locked after `rooms`,
    /// never before).
    expiring: Mutex<HashMap<RoomKey, Option<tokio::time::Instant>>>,
    next_client: AtomicU64,
    shut_down: AtomicBool,
    gatekeeper: Gatekeeper,
    /// The other instances sharing the rooms (none when alone).
    backplane: std::sync::OnceLock<Arc<dyn crate::backplane::Backplane>>,
}

/// The cloud server's state: cheap to clone, shared by every connection.
///
/// ```
/// use scratchkit_cloud_server::{CloudOptions, CloudState};
///
/// let state = CloudState::new(CloudOptions::default());
/// assert!(state.logs("1", 40, 0).is_empty());
/// ```
#[derive(Clone)]
pub struct CloudState {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for CloudState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CloudState")
            .field("options", &self.inner.options)
            .finish_non_exhaustive()
    }
}

impl CloudState {
    /// A server state with an in-memory store.
    pub fn new(options: CloudOptions) -> Self {
        Self::with_store(options, Arc::new(MemoryStore::new()))
    }

    /// A server state over another store (for example a persistent one).
    pub fn with_store(options: CloudOptions, store: Arc<dyn CloudStore>) -> Self {
        CloudState {
            inner: Arc::new(Inner {
                gatekeeper: Gatekeeper::new(&options.operator),
                options,
                store,
                rooms: Mutex::new(HashMap::new()),
                expiring: Mutex::new(HashMap::new()),
                next_client: AtomicU64::new(1),
                shut_down: AtomicBool::new(false),
                backplane: std::sync::OnceLock::new(),
            }),
        }
    }

    /// The options this server runs with.
    pub fn options(&self) -> &CloudOptions {
        &self.inner.options
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn CloudStore> {
        &self.inner.store
    }

    /// A page of a project's Scratch-mode cloud log, newest first, in the shape of
    /// `clouddata.scratch.mit.edu/logs`. `limit` is capped at [`MAX_LOG_LIMIT`].
    pub fn logs(&self, project: &str, limit: usize, offset: usize) -> Vec<LogEntry> {
        self.inner
            .store
            .logs(project, limit.min(MAX_LOG_LIMIT), offset)
    }

    /// The variables of a room (full names, values as plain strings), in creation order.
    pub fn variables(&self, mode: CloudMode, project: &str) -> Vec<(String, String)> {
        self.inner
            .store
            .variables(mode, project)
            .into_iter()
            .map(|(name, value)| (name, value.to_plain_string()))
            .collect()
    }

    /// Sets a variable from outside (for example the sandbox's admin API). Connected
    /// clients of the room receive it.
    pub fn set_variable(&self, mode: CloudMode, project: &str, name: &str, value: &str) {
        let rooms = self.rooms();
        let value = StoredValue::Text(value.to_owned());
        let line = set_line(name, &value);
        self.inner.store.set(mode, project, name, value);
        if let Some(room) = rooms.get(&(mode, project.to_owned())) {
            for client in &room.clients {
                client.outbox.line(&line);
            }
        }
    }

    /// Deletes a variable from outside (the admin API); returns its last value if it
    /// existed. Connected clients of the room receive `{"method":"delete","name":…}`: the
    /// Scratch and TurboWarp protocols have no server-to-client delete, and their editors act
    /// only on `set` messages (they skip this line and keep showing the last value until the
    /// project reloads), while scratchkit's client forgets the variable. A client that joins
    /// later no longer sees it in the join snapshot.
    ///
    /// ```
    /// use scratchkit_cloud_server::{CloudMode, CloudOptions, CloudState};
    ///
    /// let state = CloudState::new(CloudOptions::default());
    /// state.set_variable(CloudMode::TurboWarp, "7", "☁ score", "12");
    /// assert!(state.delete_variable(CloudMode::TurboWarp, "7", "☁ score").is_some());
    /// assert!(state.variables(CloudMode::TurboWarp, "7").is_empty());
    /// ```
    pub fn delete_variable(
        &self,
        mode: CloudMode,
        project: &str,
        name: &str,
    ) -> Option<StoredValue> {
        let rooms = self.rooms();
        let old = self.inner.store.delete(mode, project, name)?;
        if let Some(room) = rooms.get(&(mode, project.to_owned())) {
            let line = delete_line(name);
            for client in &room.clients {
                client.outbox.line(&line);
            }
        }
        Some(old)
    }

    /// How many clients are in a room.
    pub fn client_count(&self, mode: CloudMode, project: &str) -> usize {
        self.rooms()
            .get(&(mode, project.to_owned()))
            .map_or(0, |room| room.clients.len())
    }

    /// Drops every connection of a room (or only those of `user`) without a close frame,
    /// as a crashed server would (fault injection). Returns how many were dropped.
    pub fn disconnect(&self, mode: CloudMode, project: &str, user: Option<&str>) -> usize {
        let rooms = self.rooms();
        let Some(room) = rooms.get(&(mode, project.to_owned())) else {
            return 0;
        };
        let mut dropped = 0;
        for client in &room.clients {
            if user.is_none_or(|user| user == client.user) {
                client.kill.notify_one();
                dropped += 1;
            }
        }
        dropped
    }

    /// Drops every connection without a close frame, as a crashed server would, and refuses
    /// handshakes from then on (sockets still being upgraded are closed with 4000). The store
    /// forgets what it had not written out yet ([`CloudStore::crash`]), as a killed process
    /// would. Returns how many connections were dropped.
    pub fn shut_down(&self) -> usize {
        let rooms = self.rooms();
        self.inner.shut_down.store(true, Ordering::SeqCst);
        self.inner.store.crash();
        let mut dropped = 0;
        for room in rooms.values() {
            for client in &room.clients {
                client.kill.notify_one();
                dropped += 1;
            }
        }
        dropped
    }

    /// Forgets every variable and log row of every room and drops every connection without
    /// a close frame (clients reconnect into empty rooms). The sandbox's `/_sandbox/reset`
    /// calls it. Returns how many connections were dropped.
    ///
    /// ```
    /// use scratchkit_cloud_server::{CloudMode, CloudOptions, CloudState};
    ///
    /// let state = CloudState::new(CloudOptions::default());
    /// state.set_variable(CloudMode::TurboWarp, "7", "☁ score", "12");
    /// assert_eq!(state.reset(), 0);
    /// assert!(state.variables(CloudMode::TurboWarp, "7").is_empty());
    /// ```
    pub fn reset(&self) -> usize {
        let rooms = self.rooms();
        self.expiring().clear();
        let mut dropped = 0;
        for room in rooms.values() {
            for client in &room.clients {
                client.kill.notify_one();
                dropped += 1;
            }
        }
        self.inner.store.clear();
        dropped
    }

    /// Whether [`CloudState::shut_down`] was called.
    pub fn is_shut_down(&self) -> bool {
        self.inner.shut_down.load(Ordering::SeqCst)
    }

    pub(crate) fn rooms(&self) -> MutexGuard<'_, HashMap<RoomKey, Room>> {
        self.inner
            .rooms
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The other instances sharing the rooms ([`crate::backplane::Alone`] when none).
    pub(crate) fn backplane(&self) -> &dyn crate::backplane::Backplane {
        match self.inner.backplane.get() {
            Some(backplane) => &**backplane,
            None => &crate::backplane::Alone,
        }
    }

    /// Attaches the backplane (once; later calls are ignored).
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn set_backplane(&self, backplane: Arc<dyn crate::backplane::Backplane>) {
        let _ = self.inner.backplane.set(backplane);
    }

    /// The counters of sharing rooms through Redis (`--redis`); `None` when this instance
    /// runs alone.
    ///
    /// ```
    /// use scratchkit_cloud_server::{CloudOptions, CloudState};
    ///
    /// let state = CloudState::new(CloudOptions::default());
    /// assert_eq!(state.backplane_stats(), None);
    /// ```
    pub fn backplane_stats(&self) -> Option<crate::backplane::BackplaneStats> {
        self.backplane().stats()
    }

    /// The operator side: metrics, blocks, per-address counts.
    pub(crate) fn gatekeeper(&self) -> &Gatekeeper {
        &self.inner.gatekeeper
    }

    /// A copy of the server's counters (what `GET /metrics` shows).
    ///
    /// ```
    /// use scratchkit_cloud_server::{CloudOptions, CloudState};
    ///
    /// let state = CloudState::new(CloudOptions::default());
    /// assert_eq!(state.metrics().sets_in, 0);
    /// ```
    pub fn metrics(&self) -> MetricsSnapshot {
        self.inner.gatekeeper.metrics.snapshot()
    }

    /// Closes, with `code` (after what is already queued for them), every joined client that
    /// `select` picks given its room and itself; returns how many.
    pub(crate) fn close_clients(
        &self,
        code: u16,
        select: impl Fn(&RoomKey, &Client) -> bool,
    ) -> usize {
        let rooms = self.rooms();
        let mut closed = 0;
        for (key, room) in rooms.iter() {
            for client in room.clients.iter().filter(|client| select(key, client)) {
                client.outbox.close(code);
                closed += 1;
            }
        }
        for _ in 0..closed {
            self.inner.gatekeeper.metrics.close(code);
        }
        closed
    }

    /// Starts a graceful shutdown: new upgrades and handshakes are refused and every joined
    /// client is closed with `code`. Returns how many were closed.
    pub(crate) fn close_all(&self, code: u16) -> usize {
        self.inner.gatekeeper.start_draining();
        let rooms = self.rooms();
        self.inner.shut_down.store(true, Ordering::SeqCst);
        drop(rooms);
        self.close_clients(code, |_, _| true)
    }

    /// Drops every remaining connection without a close frame, keeping what the store has
    /// (unlike [`CloudState::shut_down`], which loses what was not written out yet).
    pub(crate) fn drop_all(&self) -> usize {
        let rooms = self.rooms();
        self.inner.shut_down.store(true, Ordering::SeqCst);
        let mut dropped = 0;
        for room in rooms.values() {
            for client in &room.clients {
                client.kill.notify_one();
                dropped += 1;
            }
        }
        dropped
    }

    pub(crate) fn next_client_id(&self) -> u64 {
        self.inner.next_client.fetch_add(1, Ordering::Relaxed)
    }

    fn expiring(&self) -> MutexGuard<'_, HashMap<RoomKey, Option<tokio::time::Instant>>> {
        self.inner
            .expiring
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A client joins `key`: a pending expiry of that room is called off. Call with the
    /// `rooms` lock held.
    pub(crate) fn cancel_expiry(&self, key: &RoomKey) {
        if let Some(deadline) = self.expiring().get_mut(key) {
            *deadline = None;
        }
    }

    /// The last client left `key` (already removed from `rooms`): its variables are forgotten
    /// after `after` unless a client joins first. Call with the `rooms` lock held.
    pub(crate) fn schedule_expiry(&self, key: RoomKey, after: Duration) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let deadline = tokio::time::Instant::now() + after;
        {
            let mut expiring = self.expiring();
            if let Some(pending) = expiring.get_mut(&key) {
                // The room's task is still alive (it sleeps until its older deadline): it
                // takes the new one when it wakes.
                *pending = Some(deadline);
                return;
            }
            expiring.insert(key.clone(), Some(deadline));
        }
        let inner: Weak<Inner> = Arc::downgrade(&self.inner);
        runtime.spawn(async move {
            let mut wake = deadline;
            loop {
                tokio::time::sleep_until(wake).await;
                let Some(inner) = inner.upgrade() else {
                    return;
                };
                let state = CloudState { inner };
                let rooms = state.rooms();
                let mut expiring = state.expiring();
                match expiring.get(&key).copied() {
                    // Emptied again since this task started: wait for the newer deadline.
                    Some(Some(later)) if later > tokio::time::Instant::now() => wake = later,
                    Some(Some(_)) if !rooms.contains_key(&key) => {
                        expiring.remove(&key);
                        drop(expiring);
                        state.inner.store.clear_room(key.0, &key.1);
                        tracing::debug!(room = %key.1, "empty cloud room expired");
                        return;
                    }
                    // Called off (a client joined), or the state was reset.
                    Some(_) => {
                        expiring.remove(&key);
                        return;
                    }
                    None => return,
                }
            }
        });
    }
}

/// `{"method":"set","name":…,"value":…}` with the value in its stored JSON type.
pub(crate) fn set_line(name: &str, value: &StoredValue) -> String {
    let mut line = String::with_capacity(40 + name.len());
    line.push_str("{\"method\":\"set\",\"name\":");
    write_json_string(name, &mut line);
    line.push_str(",\"value\":");
    value.write_json(&mut line);
    line.push('}');
    line
}

/// `{"method":"delete","name":…}`: what clients receive when an operator deletes a variable.
pub(crate) fn delete_line(name: &str) -> String {
    let mut line = String::with_capacity(32 + name.len());
    line.push_str("{\"method\":\"delete\",\"name\":");
    write_json_string(name, &mut line);
    line.push('}');
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn alive_tasks() -> usize {
        tokio::runtime::Handle::current()
            .metrics()
            .num_alive_tasks()
    }

    async fn let_tasks_run() {
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_room_that_empties_often_keeps_one_expiry_task_and_the_newest_deadline() {
        let state = CloudState::new(CloudOptions::default());
        let key: RoomKey = (CloudMode::TurboWarp, "flip".to_owned());
        state
            .inner
            .store
            .set(key.0, &key.1, "☁ a", StoredValue::Number(1.0));
        let before = alive_tasks();
        // Emptied and joined a hundred times: one task, not a hundred sleeping ones.
        for _ in 0..100 {
            state.schedule_expiry(key.clone(), Duration::from_secs(60));
            state.cancel_expiry(&key);
        }
        assert_eq!(alive_tasks(), before + 1);
        // Emptied for good 30 s later: the room expires 60 s after that, not before.
        tokio::time::advance(Duration::from_secs(30)).await;
        state.schedule_expiry(key.clone(), Duration::from_secs(60));
        assert_eq!(alive_tasks(), before + 1);
        tokio::time::advance(Duration::from_secs(45)).await;
        let_tasks_run().await;
        assert_eq!(state.inner.store.count(key.0, &key.1), 1, "not yet expired");
        tokio::time::advance(Duration::from_secs(16)).await;
        let_tasks_run().await;
        assert_eq!(state.inner.store.count(key.0, &key.1), 0, "expired");
        assert_eq!(alive_tasks(), before, "the task ended");
    }

    #[tokio::test(start_paused = true)]
    async fn an_expiry_called_off_ends_its_task_and_keeps_the_values() {
        let state = CloudState::new(CloudOptions::default());
        let key: RoomKey = (CloudMode::TurboWarp, "kept".to_owned());
        state
            .inner
            .store
            .set(key.0, &key.1, "☁ a", StoredValue::Number(1.0));
        let before = alive_tasks();
        state.schedule_expiry(key.clone(), Duration::from_secs(60));
        state.cancel_expiry(&key);
        tokio::time::advance(Duration::from_secs(61)).await;
        let_tasks_run().await;
        assert_eq!(state.inner.store.count(key.0, &key.1), 1);
        assert_eq!(alive_tasks(), before);
    }
}
