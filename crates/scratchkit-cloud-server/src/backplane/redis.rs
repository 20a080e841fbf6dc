//! The Redis side: the connection, the publishing queue, the task that relays what other
//! instances publish, and the resynchronisation after a reconnect.
//!
//! # How order and convergence are kept
//! Every change goes through one Lua script that updates the room's hash (or log) and
//! publishes the event in the same step, so Redis's channel carries every change in the
//! order Redis applied it, and every instance applies the channel in that order. A change
//! accepted here is applied and delivered here at once; until its own event comes back, an
//! event from another instance for the same variable is older in Redis's order and is
//! skipped (counted as `superseded`), so every client sees a variable's updates in one order
//! and every instance ends with Redis's value.
//!
//! # Faults
//! When Redis goes away, changes keep being accepted and delivered locally and wait in the
//! queue (counted as `queued_during_outage`). The task reconnects with a growing delay,
//! resubscribes, writes back values Redis lost (`HSETNX`: a restarted Redis without
//! persistence gets them again), reads every room back, delivers the values that differ to
//! its clients (counted as `resync_changes`), then publishes the queue.

use std::collections::{HashMap, HashSet};
use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use redis::aio::{MultiplexedConnection, PubSubStream};
use redis::{AsyncConnectionConfig, Client, RedisResult};
use tokio::sync::mpsc;

use super::events::{self, Body, Event};
use super::presence::Presence;
use super::shared_store::SharedStore;
use super::{BackplaneStats, PUBLISH_LAG_BUCKETS};
use crate::options::CloudMode;
use crate::state::{CloudState, Inner, RoomKey, set_line};
use crate::store::{CloudStore, LogEntry, MEMORY_LOG_ROWS};

/// The script every change goes through: `KEYS` = room hash (or log list), rooms set,
/// channel; `ARGV` = op, name (or log row), value (or new name), limit, room member,
/// event. Returns 1 when applied and published, 0 when refused.
const SCRIPT: &str = r"
local op = ARGV[1]
if op == 's' then
  if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then
    return 0
  end
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
  redis.call('SADD', KEYS[2], ARGV[5])
elseif op == 'd' then
  if redis.call('HDEL', KEYS[1], ARGV[2]) == 0 then return 0 end
elseif op == 'n' then
  local value = redis.call('HGET', KEYS[1], ARGV[2])
  if (not value) or redis.call('HEXISTS', KEYS[1], ARGV[3]) == 1 then return 0 end
  redis.call('HDEL', KEYS[1], ARGV[2])
  redis.call('HSET', KEYS[1], ARGV[3], value)
elseif op == 'c' then
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[2], ARGV[5])
elseif op == 'l' then
  redis.call('LPUSH', KEYS[1], ARGV[2])
  redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[4]) - 1)
end
redis.call('PUBLISH', KEYS[3], ARGV[6])
return 1
";

/// Most changes sent to Redis in one pipeline.
const BATCH: usize = 1024;
/// How often presence is checked (and published when it changed).
const PRESENCE_TICK: Duration = Duration::from_millis(100);
/// Presence is published at least this often, as a heartbeat.
const PRESENCE_EVERY: Duration = Duration::from_secs(1);
/// How long connecting (and each command) may take.
const TIMEOUT: Duration = Duration::from_secs(3);
/// Longest wait between reconnection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// What a queued change does.
#[derive(Debug)]
pub(crate) enum OpKind {
    /// Set a variable (value as JSON text) unless the room has `max` others.
    Set {
        name: String,
        value: String,
        max: usize,
    },
    /// Delete a variable.
    Delete { name: String },
    /// Rename a variable.
    Rename { name: String, to: String },
    /// Forget a room's values.
    Clear,
    /// Add a row to the project's log.
    Log(LogEntry),
}

/// A change waiting to be published.
#[derive(Debug)]
pub(crate) struct Op {
    seq: u64,
    mode: u8,
    room: String,
    kind: OpKind,
    accepted: Instant,
}

impl Op {
    /// The variable whose newer local value an older remote event must not overwrite.
    fn variable(&self) -> Option<&str> {
        match &self.kind {
            OpKind::Set { name, .. } | OpKind::Delete { name } | OpKind::Rename { name, .. } => {
                Some(name)
            }
            OpKind::Clear | OpKind::Log(_) => None,
        }
    }

    fn command(&self, sha: &str, instance: u64) -> redis::Cmd {
        let (op, key, a2, a3, limit, body) = match &self.kind {
            OpKind::Set { name, value, max } => (
                "s",
                events::values_key(self.mode, &self.room),
                name.clone(),
                value.clone(),
                (*max).min(i64::MAX as usize) as i64,
                Body::Set {
                    q: self.seq,
                    m: self.mode,
                    r: self.room.clone(),
                    n: name.clone(),
                    v: value.clone(),
                },
            ),
            OpKind::Delete { name } => (
                "d",
                events::values_key(self.mode, &self.room),
                name.clone(),
                String::new(),
                0,
                Body::Delete {
                    q: self.seq,
                    m: self.mode,
                    r: self.room.clone(),
                    n: name.clone(),
                },
            ),
            OpKind::Rename { name, to } => (
                "n",
                events::values_key(self.mode, &self.room),
                name.clone(),
                to.clone(),
                0,
                Body::Rename {
                    q: self.seq,
                    m: self.mode,
                    r: self.room.clone(),
                    n: name.clone(),
                    to: to.clone(),
                },
            ),
            OpKind::Clear => (
                "c",
                events::values_key(self.mode, &self.room),
                String::new(),
                String::new(),
                0,
                Body::Clear {
                    m: self.mode,
                    r: self.room.clone(),
                },
            ),
            OpKind::Log(entry) => (
                "l",
                events::log_key(&self.room),
                serde_json::to_string(entry).unwrap_or_default(),
                String::new(),
                MEMORY_LOG_ROWS as i64,
                Body::Log {
                    r: self.room.clone(),
                    e: entry.clone(),
                },
            ),
        };
        let event = serde_json::to_string(&Event { o: instance, body }).unwrap_or_default();
        let mut cmd = redis::cmd("EVALSHA");
        cmd.arg(sha)
            .arg(3)
            .arg(key)
            .arg(events::rooms_key())
            .arg(events::channel())
            .arg(op)
            .arg(a2)
            .arg(a3)
            .arg(limit)
            .arg(events::room_member(self.mode, &self.room))
            .arg(event);
        cmd
    }
}

/// Counters behind [`BackplaneStats`].
#[derive(Debug, Default)]
struct Counters {
    enqueued: AtomicU64,
    done: AtomicU64,
    published: AtomicU64,
    lag_sum_micros: AtomicU64,
    lag_max_micros: AtomicU64,
    lag_buckets: [AtomicU64; PUBLISH_LAG_BUCKETS.len()],
    reconnects: AtomicU64,
    outage_micros: AtomicU64,
    queued_during_outage: AtomicU64,
    resync_changes: AtomicU64,
    cross_instance_deliveries: AtomicU64,
    remote_changes: AtomicU64,
    superseded: AtomicU64,
    refused: AtomicU64,
}

fn bump(counter: &AtomicU64, by: u64) {
    counter.fetch_add(by, Ordering::Relaxed);
}

/// Pending own changes: (mode, room, variable) → the newest sequence number queued for it.
type PendingChanges = HashMap<(u8, String, String), u64>;

/// One instance's link to Redis, shared by its [`SharedStore`] and its relay task.
pub(crate) struct Link {
    instance: u64,
    local: Arc<dyn CloudStore>,
    queue: mpsc::UnboundedSender<Op>,
    receiver: Mutex<Option<mpsc::UnboundedReceiver<Op>>>,
    session: Mutex<Option<Session>>,
    client: Client,
    address: String,
    state: OnceLock<Weak<Inner>>,
    next_seq: AtomicU64,
    /// Highest sequence number Redis has executed.
    acked: AtomicU64,
    pending: Mutex<PendingChanges>,
    known_rooms: Mutex<HashSet<(u8, String)>>,
    presence: Mutex<Presence>,
    connected: AtomicBool,
    crashed: AtomicBool,
    counters: Counters,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
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

    fn state(&self) -> Option<CloudState> {
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
    fn acknowledged(&self, op: &Op, applied: i64, now: Instant) {
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
    fn apply(&self, event: Event) {
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
}

/// A live connection to Redis: commands, and the subscribed channel.
struct Session {
    cmd: MultiplexedConnection,
    messages: PubSubStream,
    sha: String,
}

impl Session {
    async fn open(client: &Client) -> RedisResult<Session> {
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(TIMEOUT))
            .set_response_timeout(Some(TIMEOUT));
        let mut cmd = client
            .get_multiplexed_async_connection_with_config(&config)
            .await?;
        let pubsub = tokio::time::timeout(TIMEOUT, async {
            let mut pubsub = client.get_async_pubsub().await?;
            pubsub.subscribe(events::channel()).await?;
            RedisResult::Ok(pubsub)
        })
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "subscribing timed out"))??;
        let sha: String = redis::cmd("SCRIPT")
            .arg("LOAD")
            .arg(SCRIPT)
            .query_async(&mut cmd)
            .await?;
        Ok(Session {
            cmd,
            messages: pubsub.into_on_message(),
            sha,
        })
    }
}

/// A number that tells this instance's events from others'.
fn instance_id() -> u64 {
    use std::hash::BuildHasher;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    std::collections::hash_map::RandomState::new().hash_one((std::process::id(), nanos))
}

/// Connects to Redis, loads every room into `local` and returns the shared store.
///
/// # Errors
/// A clear message naming the address (never the password) when the URL is not a Redis
/// URL or Redis cannot be reached.
pub(crate) async fn connect(
    url: &str,
    local: Arc<dyn CloudStore>,
    _options: &crate::CloudOptions,
) -> io::Result<(Arc<dyn CloudStore>, Arc<Link>)> {
    let client = Client::open(url).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "--redis: not a Redis URL (redis://[[user]:password@]host[:port][/db], \
             rediss://… is not supported, or unix:///path/to/socket)",
        )
    })?;
    let address = client.get_connection_info().addr().to_string();
    let session = Session::open(&client).await.map_err(|error| {
        io::Error::new(
            io::ErrorKind::ConnectionRefused,
            format!("cannot reach Redis at {address}: {error}"),
        )
    })?;
    let (queue, receiver) = mpsc::unbounded_channel();
    let link = Arc::new(Link {
        instance: instance_id(),
        local,
        queue,
        receiver: Mutex::new(Some(receiver)),
        session: Mutex::new(None),
        client,
        address,
        state: OnceLock::new(),
        next_seq: AtomicU64::new(0),
        acked: AtomicU64::new(0),
        pending: Mutex::new(HashMap::new()),
        known_rooms: Mutex::new(HashSet::new()),
        presence: Mutex::new(Presence::default()),
        connected: AtomicBool::new(true),
        crashed: AtomicBool::new(false),
        counters: Counters::default(),
    });
    let mut session = session;
    resync(&link, &mut session, true).await.map_err(|error| {
        io::Error::other(format!(
            "cannot read the rooms from Redis at {}: {error}",
            link.address
        ))
    })?;
    *lock(&link.session) = Some(session);
    let store: Arc<dyn CloudStore> = Arc::new(SharedStore {
        link: Arc::clone(&link),
    });
    Ok((store, link))
}

/// Attaches the link to its state and starts the relay task.
pub(crate) fn start(state: &CloudState, link: Arc<Link>) {
    let _ = link.state.set(Arc::downgrade(&state.inner));
    state.set_backplane(Arc::clone(&link) as Arc<dyn super::Backplane>);
    let receiver = lock(&link.receiver).take();
    let session = lock(&link.session).take();
    if let Some(receiver) = receiver {
        tokio::spawn(relay(link, receiver, session));
    }
}

/// Writes back what Redis lacks (after the first connection), reads every room from Redis
/// and applies what differs, delivering it to this instance's clients.
async fn resync(link: &Link, session: &mut Session, first: bool) -> RedisResult<()> {
    if !first {
        let mut pipe = redis::pipe();
        let mut any = false;
        for (mode, room) in link.known_rooms() {
            let code = events::mode_code(mode);
            let vars = link.local.variables(mode, &room);
            if vars.is_empty() {
                continue;
            }
            any = true;
            for (name, value) in vars {
                pipe.cmd("HSETNX")
                    .arg(events::values_key(code, &room))
                    .arg(name)
                    .arg(events::encode_value(&value))
                    .ignore();
            }
            pipe.cmd("SADD")
                .arg(events::rooms_key())
                .arg(events::room_member(code, &room))
                .ignore();
        }
        if any {
            pipe.query_async::<()>(&mut session.cmd).await?;
        }
    }
    let members: Vec<String> = redis::cmd("SMEMBERS")
        .arg(events::rooms_key())
        .query_async(&mut session.cmd)
        .await?;
    let rooms: Vec<(u8, String)> = members
        .iter()
        .filter_map(|member| events::parse_room_member(member))
        .map(|(mode, room)| (mode, room.to_owned()))
        .collect();
    let mut pipe = redis::pipe();
    for (mode, room) in &rooms {
        pipe.cmd("HGETALL").arg(events::values_key(*mode, room));
    }
    let values: Vec<HashMap<String, String>> = if rooms.is_empty() {
        Vec::new()
    } else {
        pipe.query_async(&mut session.cmd).await?
    };
    // On the first connection, an empty local log is filled from Redis's.
    let log_rooms: Vec<&String> = if first {
        rooms
            .iter()
            .filter(|(mode, room)| *mode == 0 && link.local.logs(room, 1, 0).is_empty())
            .map(|(_, room)| room)
            .collect()
    } else {
        Vec::new()
    };
    let mut pipe = redis::pipe();
    for room in &log_rooms {
        pipe.cmd("LRANGE").arg(events::log_key(room)).arg(0).arg(-1);
    }
    let logs: Vec<Vec<String>> = if log_rooms.is_empty() {
        Vec::new()
    } else {
        pipe.query_async(&mut session.cmd).await?
    };

    let state = link.state();
    let room_lock = state.as_ref().map(CloudState::rooms);
    let acked = link.acked.load(Ordering::SeqCst);
    let mut pending = lock(&link.pending);
    // What Redis executed is in what was just read (or older than it).
    pending.retain(|_, seq| *seq > acked);
    let mut changed = 0u64;
    for ((code, room), values) in rooms.iter().zip(values) {
        let mode = events::mode_from_code(*code);
        let current = link.local.variables(mode, room);
        let key: RoomKey = (mode, room.clone());
        for (name, text) in values {
            if pending.contains_key(&(*code, room.clone(), name.clone())) {
                continue;
            }
            let Some(value) = events::decode_value(&text) else {
                continue;
            };
            if current.iter().any(|(n, v)| *n == name && *v == value) {
                continue;
            }
            link.local.set(mode, room, &name, value.clone());
            changed += 1;
            if let Some(local_room) = room_lock.as_ref().and_then(|rooms| rooms.get(&key)) {
                let line = set_line(&name, &value);
                for client in &local_room.clients {
                    client.outbox.line(&line);
                }
            }
        }
    }
    drop(pending);
    for (room, rows) in log_rooms.iter().zip(logs) {
        for row in rows.iter().rev() {
            if let Ok(entry) = serde_json::from_str::<LogEntry>(row) {
                link.local.append_log(room, entry);
            }
        }
    }
    lock(&link.known_rooms).extend(rooms);
    drop(room_lock);
    if !first {
        bump(&link.counters.resync_changes, changed);
    }
    Ok(())
}

/// Publishes a batch in one pipeline; on success, each change is acknowledged.
async fn publish(link: &Link, session: &mut Session, batch: &[Op]) -> RedisResult<()> {
    let mut pipe = redis::pipe();
    for op in batch {
        pipe.add_command(op.command(&session.sha, link.instance));
    }
    let replies: Vec<i64> = pipe.query_async(&mut session.cmd).await?;
    let now = Instant::now();
    for (op, applied) in batch.iter().zip(replies) {
        link.acknowledged(op, applied, now);
    }
    Ok(())
}

/// Clients per room: (mode code, room, count), sorted.
type RoomCounts = Vec<(u8, String, usize)>;

/// This instance's clients per room.
fn local_presence(state: &CloudState) -> RoomCounts {
    let mut rooms: RoomCounts = state
        .rooms()
        .iter()
        .filter(|(_, room)| !room.clients.is_empty())
        .map(|((mode, room), r)| (events::mode_code(*mode), room.clone(), r.clients.len()))
        .collect();
    rooms.sort_unstable();
    rooms
}

/// The relay task: publishes the queue, applies the channel, publishes presence, and
/// reconnects. Ends when the state is gone, the instance crashed, or it was shut down and
/// everything queued was published.
async fn relay(
    link: Arc<Link>,
    mut receiver: mpsc::UnboundedReceiver<Op>,
    mut session: Option<Session>,
) {
    let mut retry: Vec<Op> = Vec::new();
    let mut ticker = tokio::time::interval(PRESENCE_TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_presence: Option<(RoomCounts, Instant)> = None;
    let mut backoff = Duration::from_millis(50);
    let mut down_since: Option<Instant> = None;
    loop {
        if link.crashed.load(Ordering::SeqCst) {
            return;
        }
        let Some(state) = link.state() else { return };
        if state.is_shut_down() && receiver.is_empty() && retry.is_empty() {
            return;
        }
        let Some(live) = session.as_mut() else {
            drop(state);
            let since = *down_since.get_or_insert_with(Instant::now);
            link.connected.store(false, Ordering::SeqCst);
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
            let Ok(mut fresh) = Session::open(&link.client).await else {
                tracing::debug!(address = %link.address, "Redis still unreachable");
                continue;
            };
            if let Err(error) = resync(&link, &mut fresh, false).await {
                tracing::warn!(address = %link.address, %error, "resynchronising with Redis failed");
                continue;
            }
            let outage = u64::try_from(since.elapsed().as_micros()).unwrap_or(u64::MAX);
            bump(&link.counters.outage_micros, outage);
            bump(&link.counters.reconnects, 1);
            tracing::info!(address = %link.address, "reconnected to Redis and resynchronised");
            link.connected.store(true, Ordering::SeqCst);
            down_since = None;
            backoff = Duration::from_millis(50);
            last_presence = None;
            session = Some(fresh);
            continue;
        };
        drop(state);
        if !retry.is_empty() {
            let batch = std::mem::take(&mut retry);
            if publish(&link, live, &batch).await.is_err() {
                retry = batch;
                session = None;
            }
            continue;
        }
        tokio::select! {
            op = receiver.recv() => {
                let Some(op) = op else { return };
                let mut batch = vec![op];
                while batch.len() < BATCH {
                    match receiver.try_recv() {
                        Ok(op) => batch.push(op),
                        Err(_) => break,
                    }
                }
                if let Err(error) = publish(&link, live, &batch).await {
                    tracing::warn!(address = %link.address, %error, "Redis connection lost");
                    retry = batch;
                    session = None;
                }
            }
            message = live.messages.next() => match message {
                Some(message) => {
                    if link.crashed.load(Ordering::SeqCst) {
                        return;
                    }
                    match serde_json::from_slice::<Event>(message.get_payload_bytes()) {
                        Ok(event) => link.apply(event),
                        Err(error) => tracing::debug!(%error, "unreadable event on the Redis channel"),
                    }
                }
                None => {
                    tracing::warn!(address = %link.address, "Redis subscription lost");
                    session = None;
                }
            },
            _ = ticker.tick() => {
                let Some(state) = link.state() else { return };
                lock(&link.presence).expire(Instant::now());
                let rooms = local_presence(&state);
                drop(state);
                let due = last_presence.as_ref().is_none_or(|(last, at)| {
                    *last != rooms || at.elapsed() >= PRESENCE_EVERY
                });
                if due {
                    let event = Event { o: link.instance, body: Body::Presence { rooms: rooms.clone() } };
                    let payload = serde_json::to_string(&event).unwrap_or_default();
                    let sent: RedisResult<i64> = redis::cmd("PUBLISH")
                        .arg(events::channel())
                        .arg(payload)
                        .query_async(&mut live.cmd)
                        .await;
                    match sent {
                        Ok(_) => last_presence = Some((rooms, Instant::now())),
                        Err(error) => {
                            tracing::warn!(address = %link.address, %error, "Redis connection lost");
                            session = None;
                        }
                    }
                }
            }
        }
    }
}
