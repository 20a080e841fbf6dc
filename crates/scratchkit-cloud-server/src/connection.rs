//! One client connection: handshake, messages, broadcast, keepalive.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures_util::SinkExt;
use tokio::sync::Notify;
use tokio::time::{Instant, interval_at};

use crate::backplane::Seat;
use crate::gatekeeper;
use crate::message::{Field, Incoming};
use crate::metrics::{DropReason, Rejection};
use crate::options::{CloudMode, OverLimit};
use crate::state::{Client, CloudState, Outbox, RoomKey, set_line};
use crate::store::{LogEntry, StoredValue};
use crate::validate::{is_numeric_value, is_valid_name, is_valid_room_id, is_valid_username};
use scratchkit_model::js_number_to_string;

/// Protocol violation, full room, too many variables (TurboWarp mode), rate (if configured).
pub(crate) const CLOSE_ERROR: u16 = 4000;
/// Bad username.
pub(crate) const CLOSE_USERNAME: u16 = 4002;
/// Too many rooms.
pub(crate) const CLOSE_OVERLOADED: u16 = 4003;
/// Project unavailable.
pub(crate) const CLOSE_PROJECT: u16 = 4004;
/// Scratch session cookie sent to TurboWarp mode.
pub(crate) const CLOSE_SECURITY: u16 = 4005;
/// No User-Agent in TurboWarp mode.
pub(crate) const CLOSE_IDENTIFY: u16 = 4006;

/// Sends an explanation line, then closes with `code`.
pub(crate) async fn reject(mut socket: WebSocket, code: u16, explanation: &'static str) {
    let _ = socket.send(Message::text(explanation)).await;
    let _ = socket
        .send(Message::Close(Some(CloseFrame {
            code,
            reason: Utf8Bytes::from_static(""),
        })))
        .await;
}

/// How long a connection that just wrote gathers lines before it writes again, at least: the
/// first line after a quiet spell goes out at once, a busy connection writes at most once per
/// period (one frame, one system call, however many lines).
const MIN_GATHER: Duration = Duration::from_millis(5);

/// How much longer a connection gathers for each line its last write carried, up to
/// [`CloudOptions::max_gather`](crate::CloudOptions::max_gather): the more it receives, the
/// fewer system calls per line (most of the CPU a delivery costs is the write).
const GATHER_PER_LINE: Duration = Duration::from_millis(2);

/// How long to gather after a write that carried `lines` lines.
fn gather_window(lines: usize, max: Duration) -> Duration {
    let lines = u32::try_from(lines).unwrap_or(u32::MAX);
    let window = GATHER_PER_LINE.saturating_mul(lines);
    // Not `clamp`: `max` may be below the minimum (zero turns gathering off).
    if window < MIN_GATHER {
        MIN_GATHER.min(max)
    } else {
        window.min(max)
    }
}

/// Why a connection's loop ended.
enum End {
    /// Protocol error: close with this code.
    Close(u16),
    /// The client went away (or sent a close frame).
    Gone,
    /// Dropped without a close frame (fault injection, a dead client).
    Dropped,
}

/// Runs one connection until it ends: reads and handles the client's messages, and writes
/// what its outbox gathers (set lines of the room, the join snapshot), all on one task.
///
/// Not an `async fn`: an `async fn` keeps a second copy of each argument in its future (the
/// socket alone is 368 bytes), and this future lives as long as the connection, so every
/// byte counts once per client. The block below uses the captured arguments in place.
#[expect(
    clippy::manual_async_fn,
    reason = "an async fn would copy its arguments into the long-lived future"
)]
pub(crate) fn run(
    mut socket: WebSocket,
    state: CloudState,
    mode: CloudMode,
    session_user: Option<String>,
    addr: Option<IpAddr>,
) -> impl Future<Output = ()> + Send {
    async move {
        // A zero period would make the ticker spin; an absurd one would overflow.
        let ping_interval = state.options().ping_interval.clamp(
            Duration::from_millis(10),
            Duration::from_secs(365 * 24 * 60 * 60),
        );
        let kill = Arc::new(Notify::new());
        let outbox = Arc::new(Outbox::default());
        let mut conn = Connection {
            id: state.next_client_id(),
            bucket: Bucket::new(&state, mode),
            state,
            mode,
            session_user,
            addr,
            outbox: Arc::clone(&outbox),
            kill: Arc::clone(&kill),
            joined: None,
            seat: None,
        };
        let mut ticker = interval_at(Instant::now() + ping_interval, ping_interval);
        let mut awaiting_pong = false;
        let mut buffer = String::new();
        let max_gather = conn.state.options().max_gather;
        let mut window = MIN_GATHER.min(max_gather);
        let mut last_write = Instant::now()
            .checked_sub(window)
            .unwrap_or_else(Instant::now);
        let mut gathering = false;
        let gather = tokio::time::sleep(Duration::ZERO);
        tokio::pin!(gather);
        let end = loop {
            tokio::select! {
                message = socket.recv() => match message {
                    Some(Ok(Message::Text(text))) => {
                        if conn.joined.is_none() {
                            gatekeeper::prepare_handshake(&conn.state, text.as_str()).await;
                            conn.reserve_seat(text.as_str()).await;
                        }
                        if let Err(code) = conn.frame(text.as_str()) {
                            break End::Close(code);
                        }
                    }
                    Some(Ok(Message::Pong(_))) => awaiting_pong = false,
                    Some(Ok(Message::Binary(_) | Message::Ping(_))) => {}
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break End::Gone,
                },
                () = outbox.ready(), if !gathering => {
                    let due = last_write + window;
                    if Instant::now() < due {
                        gathering = true;
                        gather.as_mut().reset(due);
                        continue;
                    }
                    // A close frame queued from outside (a kick, a block, a shutdown) ends it.
                    let Ok(Written::Lines(lines)) = write_pending(&mut socket, &outbox, &mut buffer).await else {
                        break End::Gone;
                    };
                    window = gather_window(lines, max_gather);
                    last_write = Instant::now();
                }
                () = &mut gather, if gathering => {
                    gathering = false;
                    // A close frame queued from outside (a kick, a block, a shutdown) ends it.
                    let Ok(Written::Lines(lines)) = write_pending(&mut socket, &outbox, &mut buffer).await else {
                        break End::Gone;
                    };
                    window = gather_window(lines, max_gather);
                    last_write = Instant::now();
                }
                _ = ticker.tick() => {
                    if awaiting_pong || conn.joined.is_none() {
                        tracing::debug!("dropping a dead or silent cloud client");
                        break End::Dropped;
                    }
                    awaiting_pong = true;
                    if socket.send(Message::Ping(Default::default())).await.is_err() {
                        break End::Gone;
                    }
                }
                _ = kill.notified() => break End::Dropped,
            }
        };
        conn.leave();
        if let End::Close(code) = end {
            conn.state.gatekeeper().metrics.close(code);
        }
        drop(conn);
        if let End::Close(code) = end {
            outbox.close(code);
            let _ = tokio::time::timeout(
                Duration::from_secs(5),
                write_pending(&mut socket, &outbox, &mut buffer),
            )
            .await;
        }
    }
}

/// What [`write_pending`] wrote last.
enum Written {
    /// This many set lines (and the snapshot, if one was pending).
    Lines(usize),
    /// A close frame: nothing more may be written.
    Close,
}

/// Writes what the outbox holds: the snapshot frame, then the gathered lines as one frame,
/// then a close frame if one was asked for, with one flush.
async fn write_pending(
    socket: &mut WebSocket,
    outbox: &Outbox,
    buffer: &mut String,
) -> Result<Written, axum::Error> {
    let pending = outbox.take(std::mem::take(buffer));
    let count = pending.count;
    if let Some(frame) = pending.frame {
        socket.feed(Message::text(frame)).await?;
    }
    let mut lines = pending.lines;
    if !lines.is_empty() {
        // The frame takes a copy (the socket buffers it anyway); the allocation is kept for
        // the next lines.
        socket.feed(Message::text(lines.as_str())).await?;
        lines.clear();
    }
    *buffer = lines;
    let closed = pending.close.is_some();
    if let Some(code) = pending.close {
        socket
            .feed(Message::Close(Some(CloseFrame {
                code,
                reason: Utf8Bytes::from_static(""),
            })))
            .await?;
    }
    socket.flush().await?;
    Ok(if closed {
        Written::Close
    } else {
        Written::Lines(count)
    })
}

struct Joined {
    key: RoomKey,
    user: String,
}

struct Connection {
    id: u64,
    state: CloudState,
    mode: CloudMode,
    session_user: Option<String>,
    addr: Option<IpAddr>,
    outbox: Arc<Outbox>,
    kill: Arc<Notify>,
    joined: Option<Joined>,
    bucket: Option<Bucket>,
    /// The place reserved across instances for the room a handshake asks for.
    seat: Option<(RoomKey, Seat)>,
}

impl Connection {
    fn frame(&mut self, text: &str) -> Result<(), u16> {
        if self.state.options().split_frames {
            for line in text.split('\n').filter(|line| !line.trim().is_empty()) {
                self.message(line)?;
            }
            Ok(())
        } else {
            self.message(text)
        }
    }

    fn message(&mut self, line: &str) -> Result<(), u16> {
        let Some(object) = crate::message::parse(line) else {
            return Err(CLOSE_ERROR);
        };
        let Some(method) = object.method.as_ref().and_then(Field::as_str) else {
            return Err(CLOSE_ERROR);
        };
        match (method, self.joined.is_some()) {
            ("handshake", false) => self.handshake(&object),
            (_, false) | ("handshake", true) => Err(CLOSE_ERROR),
            ("set", true) => self.set(&object, "set_var"),
            ("create", true) => self.set(&object, "create_var"),
            ("rename", true) => self.rename(&object),
            ("delete", true) => self.delete(&object),
            _ => Err(CLOSE_ERROR),
        }
    }

    fn handshake(&mut self, object: &Incoming<'_>) -> Result<(), u16> {
        let options = self.state.options();
        let user = object
            .user
            .as_ref()
            .and_then(Field::as_str)
            .ok_or(CLOSE_USERNAME)?;
        let metrics = &self.state.gatekeeper().metrics;
        if !is_valid_username(user) {
            metrics.reject(Rejection::Username);
            return Err(CLOSE_USERNAME);
        }
        if self.mode == CloudMode::Scratch
            && let Some(session_user) = &self.session_user
            && !session_user.eq_ignore_ascii_case(user)
        {
            metrics.reject(Rejection::Username);
            return Err(CLOSE_USERNAME);
        }
        if !gatekeeper::username_allowed(&self.state, self.mode, user) {
            return Err(CLOSE_USERNAME);
        }
        let project = match &object.project_id {
            Some(Field::Text(project)) => project.to_string(),
            Some(Field::Number(number)) => js_number_to_string(*number),
            _ => return Err(CLOSE_ERROR),
        };
        if !is_valid_room_id(&project) {
            return Err(CLOSE_ERROR);
        }
        if let Some(validator) = &options.project_validator
            && !validator(&project)
        {
            return Err(CLOSE_PROJECT);
        }
        if self.mode == CloudMode::Scratch
            && let Some(validator) = &options.scratch.project_validator
            && !validator(&project)
        {
            return Err(CLOSE_PROJECT);
        }
        gatekeeper::project_allowed(&self.state, &project)?;
        let key: RoomKey = (self.mode, project);
        let mut rooms = self.state.rooms();
        if self.state.is_shut_down() {
            metrics.reject(Rejection::ShuttingDown);
            return Err(CLOSE_ERROR);
        }
        if !rooms.contains_key(&key) && rooms.len() >= options.max_rooms {
            metrics.reject(Rejection::RoomsFull);
            return Err(CLOSE_OVERLOADED);
        }
        let seat = self
            .seat
            .as_ref()
            .filter(|(reserved, _)| *reserved == key)
            .map(|(_, seat)| *seat);
        if crate::backplane::room_full_across_instances(&self.state, &rooms, &key, seat) {
            metrics.reject(Rejection::RoomFull);
            return Err(CLOSE_ERROR);
        }
        let room = rooms.entry(key.clone()).or_default();
        if room.clients.len() >= options.max_clients_per_room {
            metrics.reject(Rejection::RoomFull);
            return Err(CLOSE_ERROR);
        }
        metrics.handshake();
        self.state.cancel_expiry(&key);
        room.clients.push(Client {
            id: self.id,
            user: user.to_owned(),
            addr: self.addr,
            outbox: Arc::clone(&self.outbox),
            kill: Arc::clone(&self.kill),
        });
        if options.send_snapshot {
            let snapshot: Vec<String> = self
                .state
                .store()
                .variables(key.0, &key.1)
                .iter()
                .map(|(name, value)| set_line(name, value))
                .collect();
            if !snapshot.is_empty() {
                self.outbox.frame(snapshot.join("\n"));
            }
        }
        drop(rooms);
        self.joined = Some(Joined {
            key,
            user: user.to_owned(),
        });
        Ok(())
    }

    /// Applies the Scratch-mode rate limit; `Ok(false)` drops the message.
    fn admit(&mut self) -> Result<bool, u16> {
        let Some(bucket) = &mut self.bucket else {
            return Ok(true);
        };
        if bucket.try_take() {
            return Ok(true);
        }
        self.state.gatekeeper().metrics.drop(DropReason::RateLimit);
        match self.state.options().rate(self.mode).1 {
            OverLimit::Drop => {
                tracing::info!("cloud message over the rate limit dropped");
                Ok(false)
            }
            OverLimit::Close => Err(CLOSE_ERROR),
        }
    }

    fn set(&mut self, object: &Incoming<'_>, verb: &'static str) -> Result<(), u16> {
        if !self.admit()? {
            return Ok(());
        }
        let options = self.state.options();
        let metrics = &self.state.gatekeeper().metrics;
        let Some(name) = object.name.as_ref().and_then(Field::as_str) else {
            tracing::info!("cloud set without a string name dropped");
            metrics.drop(DropReason::BadName);
            return Ok(());
        };
        let bad_name = match self.mode {
            CloudMode::Scratch => !is_valid_name(name),
            CloudMode::TurboWarp => options.turbowarp.name_filter.matches(name),
        };
        if bad_name {
            tracing::info!("cloud set with a bad or filtered name dropped");
            metrics.drop(DropReason::BadName);
            return Ok(());
        }
        let value = match &object.value {
            Some(Field::Number(number)) => StoredValue::Number(*number),
            Some(Field::Text(text)) if is_numeric_value(text) => {
                StoredValue::Text(text.to_string())
            }
            _ => {
                tracing::info!("cloud set with a non-numeric value dropped");
                metrics.drop(DropReason::BadValue);
                return Ok(());
            }
        };
        let (max_len, max_vars) = match self.mode {
            CloudMode::Scratch => (options.scratch.max_value_len, options.scratch.max_variables),
            CloudMode::TurboWarp => (
                options.turbowarp.max_value_len,
                options.turbowarp.max_variables,
            ),
        };
        if value.js_len() > max_len {
            tracing::info!("cloud value over {max_len} characters dropped");
            metrics.drop(DropReason::ValueTooLong);
            return Ok(());
        }
        let Some(joined) = &self.joined else {
            return Err(CLOSE_ERROR);
        };
        let (mode, project) = (joined.key.0, joined.key.1.as_str());
        let store = self.state.store();
        let line = set_line(name, &value);
        let log = (self.mode == CloudMode::Scratch).then(|| LogEntry {
            user: joined.user.clone(),
            verb: verb.to_owned(),
            name: name.to_owned(),
            value: value.to_plain_string(),
            timestamp: now_ms(),
        });
        let rooms = self.state.rooms();
        if !store.set_within(mode, project, name, value, max_vars) {
            metrics.drop(DropReason::TooManyVariables);
            return match self.mode {
                CloudMode::Scratch => {
                    tracing::info!("cloud set beyond {max_vars} variables dropped");
                    Ok(())
                }
                CloudMode::TurboWarp => Err(CLOSE_ERROR),
            };
        }
        if let Some(entry) = log {
            store.append_log(project, entry);
        }
        metrics.set_in();
        if let Some(room) = rooms.get(&joined.key) {
            for client in room.clients.iter().filter(|client| client.id != self.id) {
                client.outbox.line(&line);
            }
            metrics.set_out(room.clients.len().saturating_sub(1));
        }
        Ok(())
    }

    fn rename(&mut self, object: &Incoming<'_>) -> Result<(), u16> {
        if self.mode == CloudMode::TurboWarp || !self.admit()? {
            return Ok(());
        }
        let (Some(name), Some(new_name)) = (
            object.name.as_ref().and_then(Field::as_str),
            object.new_name.as_ref().and_then(Field::as_str),
        ) else {
            return Ok(());
        };
        if !is_valid_name(new_name) {
            return Ok(());
        }
        let Some(joined) = &self.joined else {
            return Err(CLOSE_ERROR);
        };
        let _rooms = self.state.rooms();
        let store = self.state.store();
        if store.rename(joined.key.0, &joined.key.1, name, new_name) {
            store.append_log(
                &joined.key.1,
                LogEntry {
                    user: joined.user.clone(),
                    verb: "rename_var".to_owned(),
                    name: new_name.to_owned(),
                    value: name.to_owned(),
                    timestamp: now_ms(),
                },
            );
        }
        Ok(())
    }

    fn delete(&mut self, object: &Incoming<'_>) -> Result<(), u16> {
        if self.mode == CloudMode::TurboWarp || !self.admit()? {
            return Ok(());
        }
        let Some(name) = object.name.as_ref().and_then(Field::as_str) else {
            return Ok(());
        };
        let Some(joined) = &self.joined else {
            return Err(CLOSE_ERROR);
        };
        let _rooms = self.state.rooms();
        let store = self.state.store();
        if let Some(old) = store.delete(joined.key.0, &joined.key.1, name) {
            store.append_log(
                &joined.key.1,
                LogEntry {
                    user: joined.user.clone(),
                    verb: "del_var".to_owned(),
                    name: name.to_owned(),
                    value: old.to_plain_string(),
                    timestamp: now_ms(),
                },
            );
        }
        Ok(())
    }

    /// Reserves a place across instances for the room a handshake frame asks for (nothing
    /// when rooms are not shared, or the frame is no handshake).
    async fn reserve_seat(&mut self, frame: &str) {
        self.release_seat();
        let Some(project) = gatekeeper::handshake_project(frame) else {
            return;
        };
        if !is_valid_room_id(&project) {
            return;
        }
        let key: RoomKey = (self.mode, project);
        let max = self.state.options().max_clients_per_room;
        let Some(reserving) = self.state.backplane().reserve_seat(&key, self.id, max) else {
            return;
        };
        let seat = reserving.await;
        self.seat = Some((key, seat));
    }

    /// Gives back a reserved place.
    fn release_seat(&mut self) {
        if let Some((key, Seat::Reserved)) = self.seat.take() {
            self.state.backplane().release_seat(&key, self.id);
        }
    }

    fn leave(&mut self) {
        self.release_seat();
        let Some(joined) = self.joined.take() else {
            return;
        };
        let mut rooms = self.state.rooms();
        if let Some(room) = rooms.get_mut(&joined.key) {
            room.clients.retain(|client| client.id != self.id);
            if room.clients.is_empty() {
                rooms.remove(&joined.key);
                if let Some(after) = self.state.options().room_expiry(joined.key.0) {
                    self.state.schedule_expiry(joined.key, after);
                }
            }
        }
    }
}

/// A token bucket for incoming messages (when the rules have a rate limit).
struct Bucket {
    per_second: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl Bucket {
    fn new(state: &CloudState, mode: CloudMode) -> Option<Self> {
        let rate = state.options().rate(mode).0?;
        if !(rate.per_second.is_finite() && rate.per_second > 0.0) {
            return None;
        }
        let burst = f64::from(rate.burst.max(1));
        Some(Bucket {
            per_second: rate.per_second,
            burst,
            tokens: burst,
            last: Instant::now(),
        })
    }

    fn try_take(&mut self) -> bool {
        let now = Instant::now();
        let elapsed = now.duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

fn now_ms() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(now.as_millis()).unwrap_or(i64::MAX)
}

/// A connection driven without a socket, for the fuzz targets (`fuzz/`): frames go in as
/// the socket would deliver them, and what the server would send comes out. Not part of the
/// supported API.
#[doc(hidden)]
pub struct DetachedConnection {
    conn: Connection,
    outbox: Arc<Outbox>,
}

impl DetachedConnection {
    /// A new connection to `state` in `mode`, as if its upgrade request carried a session of
    /// `session_user`.
    pub fn new(state: &CloudState, mode: CloudMode, session_user: Option<String>) -> Self {
        let outbox = Arc::new(Outbox::default());
        let conn = Connection {
            id: state.next_client_id(),
            bucket: Bucket::new(state, mode),
            state: state.clone(),
            mode,
            session_user,
            addr: None,
            outbox: Arc::clone(&outbox),
            kill: Arc::new(Notify::new()),
            joined: None,
            seat: None,
        };
        Self { conn, outbox }
    }

    /// Handles one text frame; `Err` is the close code the server would close with.
    ///
    /// # Errors
    /// The close code, when the frame breaks the protocol.
    pub fn frame(&mut self, text: &str) -> Result<(), u16> {
        self.conn.frame(text)
    }

    /// The text frames queued for this client so far: the join snapshot (when one is
    /// pending) and then the pending set lines as one frame.
    pub fn take_sent(&mut self) -> Vec<String> {
        let pending = self.outbox.take(String::new());
        pending
            .frame
            .into_iter()
            .chain(Some(pending.lines).filter(|lines| !lines.is_empty()))
            .collect()
    }
}

impl Drop for DetachedConnection {
    fn drop(&mut self) {
        self.conn.leave();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CloudOptions;

    #[test]
    fn the_gather_window_grows_with_the_lines_written_within_its_bounds() {
        let max = Duration::from_millis(16);
        assert_eq!(gather_window(0, max), MIN_GATHER);
        assert_eq!(gather_window(1, max), MIN_GATHER);
        assert_eq!(gather_window(5, max), Duration::from_millis(10));
        assert_eq!(gather_window(100, max), max);
        assert_eq!(gather_window(usize::MAX, max), max);
        assert_eq!(gather_window(5, Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn detached_connections_share_a_room_and_close_on_bad_frames() {
        let state = CloudState::new(CloudOptions::default());
        let mut alice = DetachedConnection::new(&state, CloudMode::Scratch, None);
        let mut bob = DetachedConnection::new(&state, CloudMode::Scratch, None);
        alice
            .frame(r#"{"method":"handshake","user":"alice","project_id":"7"}"#)
            .unwrap();
        bob.frame(r#"{"method":"handshake","user":"bob","project_id":7}"#)
            .unwrap();
        alice
            .frame("{\"method\":\"set\",\"name\":\"\u{2601} a\",\"value\":1.50}")
            .unwrap();
        assert_eq!(
            bob.take_sent(),
            vec!["{\"method\":\"set\",\"name\":\"\u{2601} a\",\"value\":1.5}".to_owned()]
        );
        assert!(alice.take_sent().is_empty(), "no echo to the sender");
        assert_eq!(bob.frame("not json"), Err(CLOSE_ERROR));
        drop(alice);
        drop(bob);
        assert!(state.rooms().is_empty(), "leaving empties the room");
    }
}
