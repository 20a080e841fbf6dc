//! One instance's link to Redis: the queue of changes, the pending marks that keep each
//! variable in Redis's order, the counters, and how events from the channel are applied.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};
use std::time::{Duration, Instant};

use redis::Client;
use tokio::sync::mpsc;

use super::events::{self, Body, Event};
use super::ops::{Op, OpKind};
use super::presence::Presence;
use super::redis::Session;
use super::seats::{self, SeatLink};
use super::{BackplaneStats, PUBLISH_LAG_BUCKETS};
use crate::options::CloudMode;
use crate::state::{CloudState, Inner, RoomKey, set_line};
use crate::store::CloudStore;

/// Counters behind [`BackplaneStats`].
#[derive(Debug, Default)]
pub(super) struct Counters {
    pub(super) enqueued: AtomicU64,
    pub(super) done: AtomicU64,
    pub(super) published: AtomicU64,
    pub(super) lag_sum_micros: AtomicU64,
    pub(super) lag_max_micros: AtomicU64,
    pub(super) lag_buckets: [AtomicU64; PUBLISH_LAG_BUCKETS.len()],
    pub(super) reconnects: AtomicU64,
    pub(super) outage_micros: AtomicU64,
    pub(super) queued_during_outage: AtomicU64,
    pub(super) resync_changes: AtomicU64,
    pub(super) cross_instance_deliveries: AtomicU64,
    pub(super) remote_changes: AtomicU64,
    pub(super) superseded: AtomicU64,
    pub(super) refused: AtomicU64,
}

pub(super) fn bump(counter: &AtomicU64, by: u64) {
    counter.fetch_add(by, Ordering::Relaxed);
}

/// Pending own changes: (mode, room, variable) → the newest sequence number queued for it.
pub(super) type PendingChanges = HashMap<(u8, String, String), u64>;

/// One instance's link to Redis, shared by its [`SharedStore`] and its relay task.
pub(crate) struct Link {
    pub(super) instance: u64,
    pub(super) local: Arc<dyn CloudStore>,
    pub(super) queue: mpsc::UnboundedSender<Op>,
    pub(super) receiver: Mutex<Option<mpsc::UnboundedReceiver<Op>>>,
    pub(super) session: Mutex<Option<Session>>,
    pub(super) client: Client,
    pub(super) address: String,
    pub(super) state: OnceLock<Weak<Inner>>,
    pub(super) next_seq: AtomicU64,
    /// Highest sequence number Redis has executed.
    pub(super) acked: AtomicU64,
    pub(super) pending: Mutex<PendingChanges>,
    pub(super) known_rooms: Mutex<HashSet<(u8, String)>>,
    pub(super) presence: Mutex<Presence>,
    /// What joins reserve their seats with, while Redis is up.
    pub(super) seats: Mutex<Option<SeatLink>>,
    pub(super) connected: AtomicBool,
    pub(super) crashed: AtomicBool,
    pub(super) counters: Counters,
}

pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Link {
    pub(crate) fn local(&self) -> &dyn CloudStore {
        &*self.local
    }

    /// Queues a change (called with the room lock held, so in acceptance order).
    pub(crate) fn enqueue(&self, mode: CloudMode, project: &str, kind: OpKind) {
        if self.crashed.load(Ordering::Relaxed) {
            return;
        }
        let mode = events::mode_code(mode);
        let seq = self.next_seq.fetch_add(1, Ordering::Relaxed) + 1;
        let op = Op {
            seq,
            mode,
            room: project.to_owned(),
            kind,
            accepted: Instant::now(),
        };
        if let Some(name) = op.variable() {
            lock(&self.pending).insert((mode, project.to_owned(), name.to_owned()), seq);
        }
        if !matches!(op.kind, OpKind::Log(_)) {
            let mut known = lock(&self.known_rooms);
            if !known.contains(&(mode, op.room.clone())) {
                known.insert((mode, op.room.clone()));
            }
        }
        if !self.connected.load(Ordering::Relaxed) {
            bump(&self.counters.queued_during_outage, 1);
        }
        bump(&self.counters.enqueued, 1);
        if self.queue.send(op).is_err() {
            bump(&self.counters.done, 1);
        }
    }

    /// Clients of a room on other instances.
    pub(crate) fn remote_clients(&self, mode: CloudMode, project: &str) -> usize {
        lock(&self.presence).clients(&(mode, project.to_owned()))
    }

    /// Rooms this instance has seen values of.
    pub(crate) fn known_rooms(&self) -> Vec<(CloudMode, String)> {
        lock(&self.known_rooms)
            .iter()
            .map(|(mode, room)| (events::mode_from_code(*mode), room.clone()))
            .collect()
    }

    /// Waits until every queued change is acknowledged, at most `timeout`. Returns at once on
    /// a single-threaded runtime (the relay task could not run while this waits).
    pub(crate) fn wait_published(&self, timeout: Duration) {
        if let Ok(handle) = tokio::runtime::Handle::try_current()
            && handle.runtime_flavor() != tokio::runtime::RuntimeFlavor::MultiThread
        {
            return;
        }
        let deadline = Instant::now() + timeout;
        while self.counters.done.load(Ordering::SeqCst)
            < self.counters.enqueued.load(Ordering::SeqCst)
            && !self.crashed.load(Ordering::SeqCst)
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Stops publishing and relaying at once, as a killed process would.
    pub(crate) fn crash(&self) {
        self.crashed.store(true, Ordering::SeqCst);
    }

    pub(super) fn state(&self) -> Option<CloudState> {
        let inner = self.state.get()?.upgrade()?;
        Some(CloudState { inner })
    }

    /// The counters now.
    pub(crate) fn stats(&self) -> BackplaneStats {
        let c = &self.counters;
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let enqueued = load(&c.enqueued);
        BackplaneStats {
            instance: self.instance,
            connected: self.connected.load(Ordering::Relaxed),
            published: load(&c.published),
            queued: enqueued.saturating_sub(load(&c.done)),
            publish_lag_sum_seconds: load(&c.lag_sum_micros) as f64 / 1e6,
            publish_lag_max_seconds: load(&c.lag_max_micros) as f64 / 1e6,
            publish_lag_buckets: c.lag_buckets.iter().map(load).collect(),
            reconnects: load(&c.reconnects),
            outage_seconds: load(&c.outage_micros) as f64 / 1e6,
            queued_during_outage: load(&c.queued_during_outage),
            resync_changes: load(&c.resync_changes),
            cross_instance_deliveries: load(&c.cross_instance_deliveries),
            remote_changes: load(&c.remote_changes),
            superseded: load(&c.superseded),
            refused: load(&c.refused),
            peers: lock(&self.presence).peers() as u64,
        }
    }

    /// Redis executed `op` (`applied`: 0 when the script refused it).
    pub(super) fn acknowledged(&self, op: &Op, applied: i64, now: Instant) {
        let c = &self.counters;
        self.acked.fetch_max(op.seq, Ordering::SeqCst);
        let lag = now.duration_since(op.accepted);
        let micros = u64::try_from(lag.as_micros()).unwrap_or(u64::MAX);
        bump(&c.lag_sum_micros, micros);
        c.lag_max_micros.fetch_max(micros, Ordering::Relaxed);
        for (bound, bucket) in PUBLISH_LAG_BUCKETS.iter().zip(&c.lag_buckets) {
            if lag.as_secs_f64() <= *bound {
                bump(bucket, 1);
            }
        }
        if applied == 0
            && let OpKind::Set { name, .. } = &op.kind
        {
            // Another instance filled the room at the same moment: this variable is not in
            // Redis, so it must not stay here either.
            bump(&c.refused, 1);
            let state = self.state();
            let _rooms = state.as_ref().map(CloudState::rooms);
            let mode = events::mode_from_code(op.mode);
            self.local.delete(mode, &op.room, name);
            let mut pending = lock(&self.pending);
            let key = (op.mode, op.room.clone(), name.clone());
            if pending.get(&key) == Some(&op.seq) {
                pending.remove(&key);
            }
        }
        bump(&c.published, 1);
        c.done.fetch_add(1, Ordering::SeqCst);
    }

    /// Applies one event from the channel.
    pub(super) fn apply(&self, event: Event) {
        let own = event.o == self.instance;
        match event.body {
            Body::Presence { rooms } => {
                if !own {
                    let rooms = rooms
                        .into_iter()
                        .map(|(mode, room, n)| ((events::mode_from_code(mode), room), n));
                    lock(&self.presence).update(event.o, rooms, Instant::now());
                }
            }
            Body::Log { r, e } => {
                let state = self.state();
                let _rooms = state.as_ref().map(CloudState::rooms);
                self.local.append_log(&r, e);
            }
            Body::Set { q, m, r, n, v } => {
                let Some(value) = events::decode_value(&v) else {
                    return;
                };
                self.remote_change(own, q, m, r, n, |local, mode, room, name| {
                    local.set(mode, room, name, value.clone());
                    Some(set_line(name, &value))
                });
            }
            Body::Delete { q, m, r, n } => {
                self.remote_change(own, q, m, r, n, |local, mode, room, name| {
                    local.delete(mode, room, name);
                    None
                });
            }
            Body::Rename { q, m, r, n, to } => {
                self.remote_change(own, q, m, r, n, |local, mode, room, name| {
                    local.rename(mode, room, name, &to);
                    None
                });
            }
            Body::Clear { m, r } => {
                if own {
                    return;
                }
                let Some(state) = self.state() else { return };
                let rooms = state.rooms();
                let key: RoomKey = (events::mode_from_code(m), r);
                if !rooms.contains_key(&key) {
                    self.local.clear_room(key.0, &key.1);
                }
            }
        }
    }

    /// An event about one variable: this instance's own (its pending mark is cleared), or
    /// another's (applied by `change` and its line delivered, unless a newer local change
    /// of the same variable is on its way).
    fn remote_change(
        &self,
        own: bool,
        seq: u64,
        mode: u8,
        room: String,
        name: String,
        change: impl FnOnce(&dyn CloudStore, CloudMode, &str, &str) -> Option<String>,
    ) {
        let state = self.state();
        let rooms = state.as_ref().map(CloudState::rooms);
        let mut pending = lock(&self.pending);
        let key = (mode, room, name);
        if own {
            if pending.get(&key) == Some(&seq) {
                pending.remove(&key);
            }
            return;
        }
        bump(&self.counters.remote_changes, 1);
        if pending.contains_key(&key) {
            bump(&self.counters.superseded, 1);
            return;
        }
        drop(pending);
        let (mode, room, name) = key;
        let room_key: RoomKey = (events::mode_from_code(mode), room);
        let line = change(&*self.local, room_key.0, &room_key.1, &name);
        lock(&self.known_rooms).insert((mode, room_key.1.clone()));
        if let (Some(line), Some(rooms), Some(state)) = (line, &rooms, &state)
            && let Some(room) = rooms.get(&room_key)
        {
            for client in &room.clients {
                client.outbox.line(&line);
            }
            bump(
                &self.counters.cross_instance_deliveries,
                room.clients.len() as u64,
            );
            state.gatekeeper().metrics.set_out(room.clients.len());
        }
    }
}

impl super::Backplane for Link {
    fn remote_clients(&self, key: &RoomKey) -> usize {
        lock(&self.presence).clients(key)
    }

    fn stats(&self) -> Option<BackplaneStats> {
        Some(Link::stats(self))
    }

    fn reserve_seat(
        &self,
        key: &RoomKey,
        client: u64,
        max: usize,
    ) -> Option<futures_util::future::BoxFuture<'static, super::Seat>> {
        Some(seats::reserve(self, key, client, max))
    }

    fn release_seat(&self, key: &RoomKey, client: u64) {
        seats::release(self, key, client);
    }
}
