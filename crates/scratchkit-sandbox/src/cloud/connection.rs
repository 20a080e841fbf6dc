//! One client connection: handshake, messages, broadcast, keepalive.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Map, Value};
use tokio::sync::{Notify, mpsc};
use tokio::time::{Instant, interval_at};

use super::options::{CloudMode, OverLimit};
use super::state::{Client, CloudState, Outbound, RoomKey, set_line};
use super::store::{CloudValue, LogEntry};
use super::validate::{is_numeric_value, is_valid_name, is_valid_username};
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

/// Runs one connection until it ends.
pub(crate) async fn run(
    socket: WebSocket,
    state: CloudState,
    mode: CloudMode,
    session_user: Option<String>,
) {
    let (sink, mut stream) = socket.split();
    let (tx, rx) = mpsc::unbounded_channel();
    let writer = tokio::spawn(write_loop(sink, rx));
    // A zero period would make the ticker spin; an absurd one would overflow.
    let ping_interval = state.options().ping_interval.clamp(
        Duration::from_millis(10),
        Duration::from_secs(365 * 24 * 60 * 60),
    );
    let kill = Arc::new(Notify::new());
    let mut conn = Connection {
        id: state.next_client_id(),
        bucket: Bucket::new(&state, mode),
        state,
        mode,
        session_user,
        tx,
        kill: Arc::clone(&kill),
        joined: None,
    };
    let mut ticker = interval_at(Instant::now() + ping_interval, ping_interval);
    let mut awaiting_pong = false;
    let outcome = loop {
        tokio::select! {
            message = stream.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    if let Err(code) = conn.frame(text.as_str()) {
                        break Some(code);
                    }
                }
                Some(Ok(Message::Pong(_))) => awaiting_pong = false,
                Some(Ok(Message::Binary(_) | Message::Ping(_))) => {}
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break None,
            },
            _ = ticker.tick() => {
                if awaiting_pong || conn.joined.is_none() {
                    tracing::debug!("dropping a dead or silent cloud client");
                    writer.abort();
                    break None;
                }
                awaiting_pong = true;
                let _ = conn.tx.send(Outbound::Ping);
            }
            _ = kill.notified() => {
                writer.abort();
                break None;
            }
        }
    };
    conn.leave();
    if let Some(code) = outcome {
        let _ = conn.tx.send(Outbound::Close(code));
    }
    drop(conn);
    if !writer.is_finished() {
        let _ = tokio::time::timeout(Duration::from_secs(5), writer).await;
    }
}

async fn write_loop(
    mut sink: SplitSink<WebSocket, Message>,
    mut rx: mpsc::UnboundedReceiver<Outbound>,
) {
    let mut carried: Option<Outbound> = None;
    loop {
        let item = match carried.take() {
            Some(item) => item,
            None => match rx.recv().await {
                Some(item) => item,
                None => break,
            },
        };
        let message = match item {
            Outbound::Line(mut frame) => {
                // Join every line already queued into one frame, as TurboWarp batches.
                loop {
                    match rx.try_recv() {
                        Ok(Outbound::Line(line)) => {
                            frame.push('\n');
                            frame.push_str(&line);
                        }
                        Ok(other) => {
                            carried = Some(other);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                Message::text(frame)
            }
            Outbound::Frame(frame) => Message::text(frame),
            Outbound::Ping => Message::Ping(Default::default()),
            Outbound::Close(code) => {
                let _ = sink
                    .send(Message::Close(Some(CloseFrame {
                        code,
                        reason: Utf8Bytes::from_static(""),
                    })))
                    .await;
                break;
            }
        };
        if sink.send(message).await.is_err() {
            break;
        }
    }
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
    tx: mpsc::UnboundedSender<Outbound>,
    kill: Arc<Notify>,
    joined: Option<Joined>,
    bucket: Option<Bucket>,
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
        let Ok(Value::Object(object)) = serde_json::from_str::<Value>(line) else {
            return Err(CLOSE_ERROR);
        };
        let Some(method) = object.get("method").and_then(Value::as_str) else {
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

    fn handshake(&mut self, object: &Map<String, Value>) -> Result<(), u16> {
        let options = self.state.options();
        let user = object
            .get("user")
            .and_then(Value::as_str)
            .ok_or(CLOSE_USERNAME)?;
        if !is_valid_username(user) {
            return Err(CLOSE_USERNAME);
        }
        match self.mode {
            CloudMode::Scratch => {
                if let Some(session_user) = &self.session_user
                    && !session_user.eq_ignore_ascii_case(user)
                {
                    return Err(CLOSE_USERNAME);
                }
            }
            CloudMode::TurboWarp => {
                let blocked = options
                    .turbowarp
                    .username_blocklist
                    .iter()
                    .any(|blocked| blocked.eq_ignore_ascii_case(user));
                if blocked {
                    return Err(CLOSE_USERNAME);
                }
            }
        }
        let project = match object.get("project_id") {
            Some(Value::String(project)) => project.clone(),
            Some(Value::Number(number)) => js_number_to_string(number.as_f64().ok_or(CLOSE_ERROR)?),
            _ => return Err(CLOSE_ERROR),
        };
        if !(1..=999).contains(&project.encode_utf16().count()) {
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
        let key: RoomKey = (self.mode, project);
        let mut rooms = self.state.rooms();
        if self.state.is_shut_down() {
            return Err(CLOSE_ERROR);
        }
        if !rooms.contains_key(&key) && rooms.len() >= options.max_rooms {
            return Err(CLOSE_OVERLOADED);
        }
        let room = rooms.entry(key.clone()).or_default();
        if room.clients.len() >= options.max_clients_per_room {
            return Err(CLOSE_ERROR);
        }
        self.state.cancel_expiry(&key);
        room.clients.push(Client {
            id: self.id,
            user: user.to_owned(),
            tx: self.tx.clone(),
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
                let _ = self.tx.send(Outbound::Frame(snapshot.join("\n")));
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
        match self.state.options().scratch.over_limit {
            OverLimit::Drop => {
                tracing::info!("cloud message over the rate limit dropped");
                Ok(false)
            }
            OverLimit::Close => Err(CLOSE_ERROR),
        }
    }

    fn set(&mut self, object: &Map<String, Value>, verb: &'static str) -> Result<(), u16> {
        if !self.admit()? {
            return Ok(());
        }
        let options = self.state.options();
        let Some(name) = object.get("name").and_then(Value::as_str) else {
            tracing::info!("cloud set without a string name dropped");
            return Ok(());
        };
        if self.mode == CloudMode::Scratch && !is_valid_name(name) {
            tracing::info!("cloud set with a bad name dropped");
            return Ok(());
        }
        let value = match object.get("value") {
            Some(Value::Number(number)) => match number.as_f64() {
                Some(number) if number.is_finite() => CloudValue::Number(number),
                _ => return Ok(()),
            },
            Some(Value::String(text)) if is_numeric_value(text) => CloudValue::Text(text.clone()),
            _ => {
                tracing::info!("cloud set with a non-numeric value dropped");
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
            return Ok(());
        }
        let Some(joined) = &self.joined else {
            return Err(CLOSE_ERROR);
        };
        let (mode, project) = (&joined.key.0, joined.key.1.as_str());
        let store = self.state.store();
        let rooms = self.state.rooms();
        if !store.contains(*mode, project, name) && store.count(*mode, project) >= max_vars {
            return match self.mode {
                CloudMode::Scratch => {
                    tracing::info!("cloud set beyond {max_vars} variables dropped");
                    Ok(())
                }
                CloudMode::TurboWarp => Err(CLOSE_ERROR),
            };
        }
        let line = set_line(name, &value);
        if self.mode == CloudMode::Scratch {
            store.append_log(
                project,
                LogEntry {
                    user: joined.user.clone(),
                    verb: verb.to_owned(),
                    name: name.to_owned(),
                    value: value.to_plain_string(),
                    timestamp: now_ms(),
                },
            );
        }
        store.set(*mode, project, name, value);
        if let Some(room) = rooms.get(&joined.key) {
            for client in room.clients.iter().filter(|client| client.id != self.id) {
                let _ = client.tx.send(Outbound::Line(line.clone()));
            }
        }
        Ok(())
    }

    fn rename(&mut self, object: &Map<String, Value>) -> Result<(), u16> {
        if self.mode == CloudMode::TurboWarp || !self.admit()? {
            return Ok(());
        }
        let (Some(name), Some(new_name)) = (
            object.get("name").and_then(Value::as_str),
            object.get("new_name").and_then(Value::as_str),
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

    fn delete(&mut self, object: &Map<String, Value>) -> Result<(), u16> {
        if self.mode == CloudMode::TurboWarp || !self.admit()? {
            return Ok(());
        }
        let Some(name) = object.get("name").and_then(Value::as_str) else {
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

    fn leave(&mut self) {
        let Some(joined) = self.joined.take() else {
            return;
        };
        let mut rooms = self.state.rooms();
        if let Some(room) = rooms.get_mut(&joined.key) {
            room.clients.retain(|client| client.id != self.id);
            if room.clients.is_empty() {
                rooms.remove(&joined.key);
                if joined.key.0 == CloudMode::TurboWarp
                    && let Some(after) = self.state.options().turbowarp.room_expiry
                {
                    self.state.schedule_expiry(joined.key, after);
                }
            }
        }
    }
}

/// A token bucket for incoming messages (Scratch mode only).
struct Bucket {
    per_second: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl Bucket {
    fn new(state: &CloudState, mode: CloudMode) -> Option<Self> {
        if mode != CloudMode::Scratch {
            return None;
        }
        let rate = state.options().scratch.rate?;
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
    rx: mpsc::UnboundedReceiver<Outbound>,
}

impl DetachedConnection {
    /// A new connection to `state` in `mode`, as if its upgrade request carried a session of
    /// `session_user`.
    pub fn new(state: &CloudState, mode: CloudMode, session_user: Option<String>) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let conn = Connection {
            id: state.next_client_id(),
            bucket: Bucket::new(state, mode),
            state: state.clone(),
            mode,
            session_user,
            tx,
            kill: Arc::new(Notify::new()),
            joined: None,
        };
        Self { conn, rx }
    }

    /// Handles one text frame; `Err` is the close code the server would close with.
    ///
    /// # Errors
    /// The close code, when the frame breaks the protocol.
    pub fn frame(&mut self, text: &str) -> Result<(), u16> {
        self.conn.frame(text)
    }

    /// The text frames queued for this client so far (consecutive lines not yet joined).
    pub fn take_sent(&mut self) -> Vec<String> {
        let mut sent = Vec::new();
        while let Ok(message) = self.rx.try_recv() {
            match message {
                Outbound::Line(text) | Outbound::Frame(text) => sent.push(text),
                Outbound::Ping | Outbound::Close(_) => {}
            }
        }
        sent
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
    use crate::cloud::CloudOptions;

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
