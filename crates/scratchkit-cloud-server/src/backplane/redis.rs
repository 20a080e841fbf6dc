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
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use futures_util::{FutureExt, StreamExt};
use redis::aio::{MultiplexedConnection, PubSubStream};
use redis::{AsyncConnectionConfig, Client, RedisResult};
use tokio::sync::mpsc;

use super::events::{self, Body, Event};
use super::link::{Counters, Link, bump, lock};
use super::ops::{Op, SCRIPT};
use super::presence::Presence;
use super::seats::{self, SeatLink};
use super::shared_store::SharedStore;
use crate::state::{CloudState, RoomKey, set_line};
use crate::store::{CloudStore, LogEntry};

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

/// A live connection to Redis: commands, and the subscribed channel.
pub(super) struct Session {
    cmd: MultiplexedConnection,
    messages: PubSubStream,
    sha: String,
    reserve_sha: String,
    renew_sha: String,
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
        let mut load = redis::pipe();
        for script in [SCRIPT, seats::RESERVE, seats::RENEW] {
            load.cmd("SCRIPT").arg("LOAD").arg(script);
        }
        let (sha, reserve_sha, renew_sha): (String, String, String) =
            load.query_async(&mut cmd).await?;
        Ok(Session {
            cmd,
            messages: pubsub.into_on_message(),
            sha,
            reserve_sha,
            renew_sha,
        })
    }

    /// What joins reserve their seats with through this session.
    fn seat_link(&self) -> SeatLink {
        SeatLink {
            cmd: self.cmd.clone(),
            reserve_sha: self.reserve_sha.clone(),
        }
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
        seats: Mutex::new(Some(session.seat_link())),
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

/// Publishes a batch in one pipeline, on a command connection of its own (a clone of the
/// session's), so that the relay goes on applying the channel while Redis answers; on
/// success, each change is acknowledged.
async fn publish(
    link: &Link,
    cmd: &mut MultiplexedConnection,
    sha: &str,
    batch: &[Op],
) -> RedisResult<()> {
    let mut pipe = redis::pipe();
    for op in batch {
        pipe.add_command(op.command(sha, link.instance));
    }
    let replies: Vec<i64> = pipe.query_async(cmd).await?;
    let now = Instant::now();
    for (op, applied) in batch.iter().zip(replies) {
        link.acknowledged(op, applied, now);
    }
    Ok(())
}

/// A batch being published while the relay applies the channel. It yields the batch back
/// with the pipeline's result, so that a batch Redis did not take goes to the retry queue.
type InFlight = Pin<Box<dyn Future<Output = (Vec<Op>, RedisResult<()>)> + Send>>;

/// Starts publishing `batch` on a clone of the session's command connection.
fn start_publish(link: &Arc<Link>, session: &Session, batch: Vec<Op>) -> InFlight {
    let (link, mut cmd, sha) = (Arc::clone(link), session.cmd.clone(), session.sha.clone());
    Box::pin(async move {
        let result = publish(&link, &mut cmd, &sha, &batch).await;
        (batch, result)
    })
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

/// This instance's clients per room, for their seats: (mode code, room, client ids).
fn local_seats(state: &CloudState) -> Vec<(u8, String, Vec<u64>)> {
    state
        .rooms()
        .iter()
        .filter(|(_, room)| !room.clients.is_empty())
        .map(|((mode, room), r)| {
            let clients = r.clients.iter().map(|client| client.id).collect();
            (events::mode_code(*mode), room.clone(), clients)
        })
        .collect()
}

/// Renews this instance's seats (re-creates them after a reconnect: a restarted Redis has
/// lost them).
async fn renew_seats(link: &Link, session: &mut Session, recreate: bool) -> RedisResult<()> {
    let Some(state) = link.state() else {
        return Ok(());
    };
    let rooms = local_seats(&state);
    drop(state);
    if rooms.is_empty() {
        return Ok(());
    }
    let mut pipe = redis::pipe();
    seats::renew(
        &mut pipe,
        &session.renew_sha,
        link.instance,
        &rooms,
        recreate,
    );
    pipe.query_async::<()>(&mut session.cmd).await
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
    let mut in_flight: Option<InFlight> = None;
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
        if state.is_shut_down() && receiver.is_empty() && retry.is_empty() && in_flight.is_none() {
            return;
        }
        let Some(live) = session.as_mut() else {
            drop(state);
            if let Some(pending) = in_flight.take() {
                // Its reply settles it (the connection is gone: an error within the response
                // timeout); a batch Redis did not take is published again first.
                if let (mut batch, Err(_)) = pending.await {
                    batch.append(&mut retry);
                    retry = batch;
                }
            }
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
            if let Err(error) = renew_seats(&link, &mut fresh, true).await {
                tracing::warn!(address = %link.address, %error, "re-creating the seats in Redis failed");
                continue;
            }
            *lock(&link.seats) = Some(fresh.seat_link());
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
        if !retry.is_empty() && in_flight.is_none() {
            // What Redis did not take goes before anything queued since.
            in_flight = Some(start_publish(&link, live, std::mem::take(&mut retry)));
        }
        tokio::select! {
            (batch, result) = async { in_flight.as_mut().expect("guarded").await }, if in_flight.is_some() => {
                in_flight = None;
                if let Err(error) = result {
                    tracing::warn!(address = %link.address, %error, "Redis connection lost");
                    retry = batch;
                    session = None;
                    *lock(&link.seats) = None;
                }
            }
            // One batch in flight at a time: changes reach Redis in the order accepted.
            op = receiver.recv(), if in_flight.is_none() => {
                let Some(op) = op else { return };
                let mut batch = vec![op];
                while batch.len() < BATCH {
                    match receiver.try_recv() {
                        Ok(op) => batch.push(op),
                        Err(_) => break,
                    }
                }
                in_flight = Some(start_publish(&link, live, batch));
            }
            message = live.messages.next() => match message {
                Some(message) => {
                    // With it, whatever else has arrived (up to a batch): one pass of the
                    // loop per burst of events rather than per event.
                    let mut next = Some(message);
                    let mut applied = 0;
                    while let Some(message) = next.take() {
                        if link.crashed.load(Ordering::SeqCst) {
                            return;
                        }
                        match serde_json::from_slice::<Event>(message.get_payload_bytes()) {
                            Ok(event) => link.apply(event),
                            Err(error) => tracing::debug!(%error, "unreadable event on the Redis channel"),
                        }
                        applied += 1;
                        if applied < BATCH {
                            // A stream that ended shows on the next pass of the loop.
                            next = live.messages.next().now_or_never().flatten();
                        }
                    }
                }
                None => {
                    tracing::warn!(address = %link.address, "Redis subscription lost");
                    session = None;
                    *lock(&link.seats) = None;
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
                    let renewed = match sent {
                        Ok(_) => renew_seats(&link, live, false).await,
                        Err(error) => Err(error),
                    };
                    match renewed {
                        Ok(()) => last_presence = Some((rooms, Instant::now())),
                        Err(error) => {
                            tracing::warn!(address = %link.address, %error, "Redis connection lost");
                            session = None;
                            *lock(&link.seats) = None;
                        }
                    }
                }
            }
        }
    }
}
