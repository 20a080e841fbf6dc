//! The reconnecting cloud connection: one WebSocket owned by a background task.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use http::HeaderValue;
use http::header::{COOKIE, ORIGIN, USER_AGENT};
use secrecy::ExposeSecret;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::config::CloudConfig;
use super::error::CloudError;
use super::events::{CloseReason, CloudEvent, CloudEvents};
use super::sender::{CloudSender, Pending, Shared, touches};
use crate::TokenBucket;
use scratchkit_wire::cloud::{
    ClientMessage, ServerMessage, decode_server_frame, encode_client_frame, strip_cloud_prefix,
};

/// How much the socket reads at a time. The WebSocket library zero-fills this much of its
/// read buffer before every read, so its 128 KiB default cost a 128 KiB `memset` per frame
/// received, the largest single item in a Cloud Requests host's profile. A larger message
/// takes one read per chunk.
const READ_CHUNK: usize = 8 * 1024;

/// The WebSocket settings of a cloud connection.
fn socket_config() -> tungstenite::protocol::WebSocketConfig {
    tungstenite::protocol::WebSocketConfig::default().read_buffer_size(READ_CHUNK)
}

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Sets written this long before a connection was found lost may not have reached the server
/// (they sat in a socket that was dying): they are sent again after reconnecting, unless the
/// server has sent a newer value of that variable or a newer set is queued.
const RESEND_WINDOW: Duration = Duration::from_secs(2);

/// Opens cloud connections.
///
/// ```no_run
/// use futures_util::StreamExt;
/// use scratchkit::cloud::{CloudConfig, CloudConnection, CloudEvent};
///
/// # async fn run() -> Result<(), scratchkit::cloud::CloudError> {
/// let config = CloudConfig::scratch(1234, "griffpatch", "session id from the login");
/// let (sender, mut events) = CloudConnection::connect(config).await?;
/// sender.set("score", 10)?;
/// while let Some(event) = events.next().await {
///     if let CloudEvent::Set { name, value } = event {
///         println!("{name} = {value}");
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct CloudConnection {
    _private: (),
}

impl CloudConnection {
    /// Connects to the cloud server of `config`, sends the handshake and returns the sending
    /// half and the event stream. A background task owns the WebSocket from then on: it
    /// reads, writes (rate-limited), pings, and reconnects with backoff when the connection
    /// is lost. The first event is [`CloudEvent::Connected`].
    ///
    /// Scratch path: the WebSocket `wss://clouddata.scratch.mit.edu` (or the configured URL).
    ///
    /// # Errors
    ///
    /// [`CloudError::Config`] for a bad URL or header value, [`CloudError::Refused`] if the
    /// server answers the upgrade with an HTTP error, [`CloudError::Connect`] if it cannot be
    /// reached. Later failures are reported on the event stream.
    pub async fn connect(config: CloudConfig) -> Result<(CloudSender, CloudEvents), CloudError> {
        Self::connect_seeded(config, HashMap::new()).await
    }

    /// [`connect`](Self::connect) with known values (bare name → value) that
    /// [`CloudSender::get`] reports until the server sends newer ones.
    pub(crate) async fn connect_seeded(
        config: CloudConfig,
        seed: HashMap<String, String>,
    ) -> Result<(CloudSender, CloudEvents), CloudError> {
        let socket = open(&config).await?;
        let shared = Arc::new(Shared::new(config.rules));
        {
            let mut state = shared.lock();
            state.values.extend(seed);
            state.connected = true;
        }
        let (events_tx, events_rx) = mpsc::unbounded_channel();
        let _ = events_tx.send(CloudEvent::Connected);
        let task = Task {
            bucket: TokenBucket::new(config.rate_limit),
            config,
            shared: Arc::clone(&shared),
            events: events_tx,
            events_gone: false,
            recent: HashMap::new(),
        };
        tokio::spawn(task.run(socket));
        Ok((CloudSender::new(shared), CloudEvents { rx: events_rx }))
    }
}

/// Opens a WebSocket and sends the handshake.
async fn open(config: &CloudConfig) -> Result<Socket, CloudError> {
    if config.url.starts_with("wss:") {
        // Use ring (the only provider compiled in); ignore "already installed".
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    let mut request = config
        .url
        .as_str()
        .into_client_request()
        .map_err(|error| CloudError::Config(format!("bad cloud URL: {error}")))?;
    let headers = request.headers_mut();
    if let Some(origin) = &config.origin {
        headers.insert(ORIGIN, header_value(origin, "Origin")?);
    }
    if let Some(user_agent) = &config.user_agent {
        headers.insert(USER_AGENT, header_value(user_agent, "User-Agent")?);
    }
    if let Some(session) = &config.session_id {
        let cookie = format!("scratchsessionsid={}", session.expose_secret());
        let mut value = HeaderValue::from_str(&cookie)
            .map_err(|_| CloudError::Config("the session id is not a valid cookie value".into()))?;
        value.set_sensitive(true);
        headers.insert(COOKIE, value);
    }
    for (name, value) in &config.headers {
        let name = http::HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| CloudError::Config(format!("{name:?} is not a valid header name")))?;
        let mut value = HeaderValue::from_str(value.expose_secret()).map_err(|_| {
            CloudError::Config(format!("the value of the {name} header is not valid"))
        })?;
        value.set_sensitive(true);
        headers.insert(name, value);
    }
    let proxies = config.proxy.rules().map_err(CloudError::Config)?;
    let connecting = async {
        match proxies.and_then(|rules| tunnel_target(&rules, request.uri())) {
            // Nagle off: a cloud set is one small frame that should leave at once (a delayed
            // ACK from the server would otherwise hold the next one back by up to 40 ms).
            None => {
                tokio_tungstenite::connect_async_with_config(request, Some(socket_config()), true)
                    .await
            }
            Some((proxy, target)) => {
                let stream = crate::proxy::tunnel(&proxy, target, config.connect_timeout)
                    .await
                    .map_err(|error| {
                        tungstenite::Error::Io(std::io::Error::other(format!(
                            "through the proxy: {}",
                            crate::transport::error_chain(&*error)
                        )))
                    })?;
                tokio_tungstenite::client_async_tls_with_config(
                    request,
                    stream,
                    Some(socket_config()),
                    None,
                )
                .await
            }
        }
    };
    let (mut socket, _response) =
        match tokio::time::timeout(config.connect_timeout, connecting).await {
            Err(_) => {
                return Err(CloudError::Connect {
                    message: "timed out".into(),
                    source: None,
                });
            }
            Ok(Err(tungstenite::Error::Http(response))) => {
                return Err(CloudError::Refused {
                    status: response.status(),
                });
            }
            Ok(Err(error)) => return Err(connect_error(error)),
            Ok(Ok(connected)) => connected,
        };
    let handshake = ClientMessage::Handshake {
        user: config.username.clone(),
        project_id: config.project_id.clone(),
    };
    let frame = encode_client_frame(&[handshake], &config.username, &config.project_id);
    socket
        .send(Message::text(frame))
        .await
        .map_err(connect_error)?;
    Ok(socket)
}

/// A [`CloudError::Connect`] that keeps the WebSocket stack's error as its source.
fn connect_error(error: tungstenite::Error) -> CloudError {
    CloudError::Connect {
        message: error.to_string(),
        source: Some(std::sync::Arc::new(error)),
    }
}

/// The proxy for a WebSocket URL and the `CONNECT` target (`host:port`, the port always
/// named), or `None` to connect directly. `ws`/`wss` follow the rules of `http`/`https`.
fn tunnel_target(
    rules: &hyper_util::client::proxy::matcher::Matcher,
    uri: &http::Uri,
) -> Option<(hyper_util::client::proxy::matcher::Intercept, http::Uri)> {
    let secure = uri.scheme_str() == Some("wss");
    let host = uri.host()?;
    let port = uri.port_u16().unwrap_or(if secure { 443 } else { 80 });
    let scheme = if secure { "https" } else { "http" };
    let host = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_owned()
    };
    let target: http::Uri = format!("{scheme}://{host}:{port}/").parse().ok()?;
    let proxy = crate::proxy::proxy_for(rules, &target)?;
    Some((proxy, target))
}

/// `base + wait`, saturating at a year for absurd configurations.
fn later(base: Instant, wait: Duration) -> Instant {
    base.checked_add(wait)
        .unwrap_or_else(|| base + Duration::from_secs(365 * 24 * 60 * 60))
}

/// Waits for the send slot of [`Task::next_send_at`]. A frame that needs no wait is ready at
/// once: a timer would round up to the next millisecond (tokio's timer resolution) and delay
/// every set by about 1 ms. A real wait keeps its exact deadline.
async fn send_timer(slot: Option<Option<Instant>>) {
    if let Some(Some(deadline)) = slot {
        sleep_until(deadline).await;
    }
}

fn header_value(value: &str, what: &str) -> Result<HeaderValue, CloudError> {
    HeaderValue::from_str(value)
        .map_err(|_| CloudError::Config(format!("the {what} is not a valid header value")))
}

/// How a session (one open socket) ended.
enum SessionEnd {
    /// Lost: reconnect.
    Lost(String),
    /// Ended for good.
    Closed(CloseReason),
    /// Nobody holds a sender or the events any more.
    Abandoned,
}

struct Task {
    config: CloudConfig,
    shared: Arc<Shared>,
    events: mpsc::UnboundedSender<CloudEvent>,
    events_gone: bool,
    bucket: TokenBucket,
    /// Full name → (value, when written) of the sets written on the current connection.
    recent: HashMap<String, (String, Instant)>,
}

impl Task {
    async fn run(mut self, first: Socket) {
        let mut socket = Some(first);
        let mut attempt: u32 = 0;
        loop {
            if let Some(open) = socket.take() {
                self.shared.lock().connected = true;
                if attempt > 0 {
                    self.emit(CloudEvent::Reconnected);
                }
                attempt = 0;
                let end = self.session(open).await;
                self.shared.lock().connected = false;
                match end {
                    SessionEnd::Lost(cause) => {
                        tracing::debug!(%cause, "cloud connection lost");
                        self.requeue_recent();
                    }
                    SessionEnd::Closed(reason) => return self.finish(reason),
                    SessionEnd::Abandoned => return,
                }
            }
            attempt = attempt.saturating_add(1);
            let delay = self.config.reconnect.next_delay(attempt);
            self.emit(CloudEvent::Reconnecting { attempt, delay });
            let deadline = later(Instant::now(), delay);
            loop {
                tokio::select! {
                    _ = sleep_until(deadline) => break,
                    _ = self.shared.wake.notified() => {
                        if let Some(end) = self.check_lifetime() {
                            match end {
                                SessionEnd::Closed(reason) => return self.finish(reason),
                                _ => return,
                            }
                        }
                    }
                    _ = self.events.closed(), if !self.events_gone => {
                        self.events_gone = true;
                        if self.check_lifetime().is_some() {
                            return;
                        }
                    }
                }
            }
            match open(&self.config).await {
                Ok(open) => socket = Some(open),
                Err(CloudError::Refused { status }) if matches!(status.as_u16(), 401 | 403) => {
                    return self.finish(CloseReason::Refused { status });
                }
                Err(error) => tracing::debug!(%error, attempt, "cloud reconnect failed"),
            }
        }
    }

    /// Queues again the sets written shortly before the connection was lost (see
    /// [`RESEND_WINDOW`]).
    fn requeue_recent(&mut self) {
        let now = Instant::now();
        let mut state = self.shared.lock();
        for (name, (value, at)) in self.recent.drain() {
            if now.saturating_duration_since(at) > RESEND_WINDOW
                || state
                    .pending
                    .iter()
                    .any(|pending| touches(&pending.message, &name))
            {
                continue;
            }
            state.pending.push_front(Pending {
                message: ClientMessage::Set { name, value },
                batch: None,
            });
        }
    }

    fn emit(&mut self, event: CloudEvent) {
        if self.events.send(event).is_err() {
            self.events_gone = true;
        }
    }

    fn finish(mut self, reason: CloseReason) {
        {
            let mut state = self.shared.lock();
            state.connected = false;
            state.closed = Some(reason.clone());
            state.in_flight = false;
        }
        self.shared.progress.notify_waiters();
        self.emit(CloudEvent::Closed { reason });
    }

    /// Whether the connection should end: a close request, or nobody left to use it.
    fn check_lifetime(&self) -> Option<SessionEnd> {
        let state = self.shared.lock();
        if state.close_requested {
            Some(SessionEnd::Closed(CloseReason::ClientClosed))
        } else if state.senders_gone && (self.events_gone || self.events.is_closed()) {
            Some(SessionEnd::Abandoned)
        } else {
            None
        }
    }

    async fn session(&mut self, socket: Socket) -> SessionEnd {
        let (mut sink, mut stream) = socket.split();
        let keepalive = self.config.keepalive;
        let mut last_rx = Instant::now();
        let mut next_ping = later(Instant::now(), keepalive.ping_interval);
        loop {
            let send_at = self.next_send_at();
            tokio::select! {
                message = stream.next() => {
                    last_rx = Instant::now();
                    match message {
                        Some(Ok(Message::Text(text))) => self.receive(text.as_str()),
                        Some(Ok(Message::Close(frame))) => {
                            let code = frame.map(|frame| u16::from(frame.code));
                            return match code {
                                Some(code) if CloseReason::is_fatal_code(code) => {
                                    SessionEnd::Closed(CloseReason::Server { code })
                                }
                                _ => SessionEnd::Lost(format!("closed by the server ({code:?})")),
                            };
                        }
                        Some(Ok(_)) => {}
                        Some(Err(error)) => return SessionEnd::Lost(error.to_string()),
                        None => return SessionEnd::Lost("connection ended".into()),
                    }
                }
                _ = sleep_until(later(last_rx, keepalive.read_timeout)) => {
                    return SessionEnd::Lost("read timeout".into());
                }
                _ = sleep_until(next_ping) => {
                    next_ping = later(Instant::now(), keepalive.ping_interval);
                    if let Err(error) = sink.send(Message::Ping(Default::default())).await {
                        return SessionEnd::Lost(error.to_string());
                    }
                }
                _ = send_timer(send_at), if send_at.is_some() => {
                    if let Err(error) = self.send_next(&mut sink).await {
                        return SessionEnd::Lost(error);
                    }
                }
                _ = self.shared.wake.notified() => {
                    if let Some(end) = self.check_lifetime() {
                        if matches!(end, SessionEnd::Closed(_)) {
                            let _ = sink.send(Message::Close(None)).await;
                        }
                        return end;
                    }
                }
                _ = self.events.closed(), if !self.events_gone => {
                    self.events_gone = true;
                    if let Some(end) = self.check_lifetime() {
                        return end;
                    }
                }
            }
        }
    }

    /// When the next queued frame may go, if anything is queued: `Some(None)` means at once,
    /// `Some(Some(deadline))` after the token bucket's wait.
    fn next_send_at(&mut self) -> Option<Option<Instant>> {
        let count = {
            let state = self.shared.lock();
            let front = state.pending.front()?;
            match front.batch {
                None => 1,
                Some(batch) => state
                    .pending
                    .iter()
                    .take_while(|pending| pending.batch == Some(batch))
                    .count(),
            }
        };
        let now = Instant::now();
        let count = u32::try_from(count).unwrap_or(u32::MAX);
        let wait = self.bucket.wait_time(count, now);
        Some((!wait.is_zero()).then(|| later(now, wait)))
    }

    /// Writes the next queued frame; on failure puts it back at the front of the queue.
    async fn send_next(&mut self, sink: &mut SplitSink<Socket, Message>) -> Result<(), String> {
        let frame: Vec<Pending> = {
            let mut state = self.shared.lock();
            let Some(first) = state.pending.pop_front() else {
                return Ok(());
            };
            let mut frame = vec![first];
            if let Some(batch) = frame[0].batch {
                while state
                    .pending
                    .front()
                    .is_some_and(|pending| pending.batch == Some(batch))
                {
                    if let Some(next) = state.pending.pop_front() {
                        frame.push(next);
                    }
                }
            }
            state.in_flight = true;
            frame
        };
        let count = u32::try_from(frame.len()).unwrap_or(u32::MAX);
        self.bucket.take(count, Instant::now());
        let messages: Vec<ClientMessage> = frame.iter().map(|p| p.message.clone()).collect();
        let text = encode_client_frame(&messages, &self.config.username, &self.config.project_id);
        let result = sink.send(Message::text(text)).await;
        {
            let mut state = self.shared.lock();
            state.in_flight = false;
            if result.is_err() {
                for pending in frame.into_iter().rev() {
                    state.pending.push_front(pending);
                }
            } else {
                let now = Instant::now();
                for pending in frame {
                    if let ClientMessage::Set { name, value } = pending.message {
                        self.recent.insert(name, (value, now));
                    }
                }
            }
        }
        self.shared.progress.notify_waiters();
        result.map_err(|error| error.to_string())
    }

    fn receive(&mut self, text: &str) {
        for message in decode_server_frame(text) {
            let event = match message {
                Ok(ServerMessage::Set { name, value }) => {
                    self.recent.remove(&name);
                    let name = strip_cloud_prefix(&name).to_owned();
                    self.shared
                        .lock()
                        .values
                        .insert(name.clone(), value.clone());
                    CloudEvent::Set { name, value }
                }
                Ok(ServerMessage::Create { name, value }) => {
                    let name = strip_cloud_prefix(&name).to_owned();
                    self.shared
                        .lock()
                        .values
                        .insert(name.clone(), value.clone());
                    CloudEvent::Create { name, value }
                }
                Ok(ServerMessage::Delete { name }) => {
                    let name = strip_cloud_prefix(&name).to_owned();
                    self.shared.lock().values.remove(&name);
                    CloudEvent::Delete { name }
                }
                Ok(ServerMessage::Rename { name, new_name }) => {
                    let name = strip_cloud_prefix(&name).to_owned();
                    let new_name = strip_cloud_prefix(&new_name).to_owned();
                    let mut state = self.shared.lock();
                    if let Some(value) = state.values.remove(&name) {
                        state.values.insert(new_name.clone(), value);
                    }
                    CloudEvent::Rename { name, new_name }
                }
                Ok(ServerMessage::Other { method }) => {
                    tracing::debug!(%method, "ignoring cloud message");
                    continue;
                }
                // A message kind added to the wire crate later: not one this client acts on.
                Ok(other) => {
                    tracing::debug!(?other, "ignoring cloud message");
                    continue;
                }
                Err(error) => {
                    tracing::debug!(%error, "ignoring undecodable cloud line");
                    continue;
                }
            };
            self.emit(event);
        }
    }
}
