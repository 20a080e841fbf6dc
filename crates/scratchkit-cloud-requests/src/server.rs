//! The host: receives requests through `TO_HOST`, runs handlers, replies through
//! `FROM_HOST_n`.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use futures_util::{FutureExt, StreamExt};
use tokio::sync::{Semaphore, mpsc, oneshot};
use tokio::task::JoinSet;
use tokio::time::{Duration, Instant, sleep_until};

use super::protocol::{
    Assembler, FrameError, Incoming, Payload, Response, TEMPLATE_TIMEOUT, ToHost, frame,
    parse_to_host,
};
use super::requester::RequesterLookup;
use scratchkit::cloud::{CloseReason, CloudError, CloudEvent, CloudEvents, CloudSender};

/// The variable the project writes requests to (bare name).
pub const TO_HOST: &str = "TO_HOST";
/// Default number of completed requests remembered against duplicate execution.
pub const DEFAULT_MEMORY: usize = 512;
/// Default number of replies whose packets are kept for lost-packet re-requests.
pub const DEFAULT_KEPT_REPLIES: usize = 32;
/// Default number of handlers running at once.
pub const DEFAULT_CONCURRENCY: usize = 16;
/// How long after joining a room (at start and after every reconnect) the host waits for the
/// join snapshot when none has come: see [`CloudRequests::snapshot_window`].
pub const DEFAULT_SNAPSHOT_WINDOW: Duration = Duration::from_secs(2);

/// The error type handlers return: any error converts with `?`, and so does a string
/// (`Err("no such user".into())`).
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

/// What a handler learns about its request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestContext {
    /// The request name (before the first `&`).
    pub name: String,
    /// The arguments, positional (the rest, split on `&`: there is no escaping).
    pub args: Vec<String>,
    /// Who sent the request, when it could be established: filled only by a
    /// [`RequesterLookup`] (see [`CloudRequests::requester_lookup`]), which on Scratch
    /// matches the exact `TO_HOST` value in the cloud logs. Always `None` without a lookup,
    /// on TurboWarp (which keeps no logs), and when no log row matches: never guessed.
    /// Identity is best-effort and spoofable (any Scratcher can set `TO_HOST`).
    pub requester: Option<String>,
    /// When the host received the final piece.
    pub timestamp: SystemTime,
    /// The request id (6 digits from the template, ending in 0).
    pub request_id: String,
}

impl RequestContext {
    /// Argument `index` (0-based), or an error naming it, for `?` in handlers.
    ///
    /// # Errors
    ///
    /// A [`HandlerError`] when the request has fewer arguments.
    pub fn arg(&self, index: usize) -> Result<&str, HandlerError> {
        self.args
            .get(index)
            .map(String::as_str)
            .ok_or_else(|| format!("request {} needs argument {}", self.name, index + 1).into())
    }
}

type BoxFuture = Pin<Box<dyn Future<Output = Result<Response, HandlerError>> + Send>>;
type Handler = Arc<dyn Fn(RequestContext) -> BoxFuture + Send + Sync>;

/// Something the host reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestEvent {
    /// Requests are being served: the join snapshot has been read (or none came within the
    /// [snapshot window](CloudRequests::snapshot_window)). Sent after start and again after
    /// every reconnect; a request that arrives earlier is taken for a snapshot value.
    Ready,
    /// A complete request arrived and its handler was started.
    Received {
        /// Request id.
        id: String,
        /// Request name.
        name: String,
        /// Arguments.
        args: Vec<String>,
    },
    /// A reply was queued for sending.
    Replied {
        /// Request id.
        id: String,
        /// Request name.
        name: String,
        /// How many packets it took.
        packets: usize,
        /// Characters the Encoding could not represent (sent as spaces).
        lossy: Vec<char>,
    },
    /// A request with no handler (answered with an error list unless
    /// [`CloudRequests::reply_to_unknown`] is off).
    UnknownRequest {
        /// Request id.
        id: String,
        /// Request name.
        name: String,
    },
    /// A handler failed or panicked (answered with an error list).
    HandlerError {
        /// Request id.
        id: String,
        /// Request name.
        name: String,
        /// The error's message.
        error: String,
    },
    /// A request already handled came again (join snapshot after a reconnect, restart with
    /// a persisted memory) and was not run again.
    Duplicate {
        /// Request id.
        id: String,
    },
    /// The `TO_HOST` value of the join snapshot: set before the host joined the room (while
    /// it was stopped or disconnected), so never run, whether or not it was answered.
    Stale {
        /// Request id.
        id: String,
    },
    /// A lost packet was sent again.
    Resent {
        /// Reply id.
        id: String,
        /// 1-based packet number.
        part: usize,
    },
    /// A re-request for a packet the host no longer has.
    ResendUnavailable {
        /// Reply id.
        id: String,
        /// 1-based packet number.
        part: usize,
    },
    /// A `TO_HOST` value that is not valid Cloud Requests traffic.
    Malformed {
        /// The value.
        value: String,
        /// Why.
        error: String,
    },
    /// A server push was queued.
    Pushed {
        /// Its 13-digit id.
        id: String,
        /// How many packets it took.
        packets: usize,
    },
    /// A reply or push could not be sent (too long, connection closed).
    SendFailed {
        /// Request or push id.
        id: String,
        /// Why.
        error: String,
    },
    /// The connection was lost; the cloud client is reconnecting.
    Disconnected,
    /// The connection is back.
    Reconnected,
    /// The connection ended for good (or [`RequestsHandle::shutdown`] was called); last
    /// event.
    Closed {
        /// Why, if the cloud connection closed.
        reason: Option<CloseReason>,
    },
}

/// Why the host could not do something.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RequestsError {
    /// The reply does not fit the wire format.
    #[error(transparent)]
    Frame(#[from] FrameError),
    /// The cloud connection refused the set or is closed.
    #[error(transparent)]
    Cloud(#[from] CloudError),
    /// The memory file could not be read or written.
    #[error("request memory file {path}: {source}")]
    Memory {
        /// The file.
        path: PathBuf,
        /// The I/O or JSON error.
        source: std::io::Error,
    },
    /// The host has stopped.
    #[error("the Cloud Requests host has stopped")]
    Stopped,
}

/// The sending side shared by the request loop and [`RequestsHandle::push`]: round-robin
/// over the `FROM_HOST_n` variables and the packets of recent replies.
pub(crate) struct Responder {
    sender: CloudSender,
    vars: Vec<String>,
    next_var: usize,
    max_len: usize,
    kept: VecDeque<(String, Vec<String>)>,
    keep: usize,
}

impl Responder {
    /// Frames and queues one reply (or push); keeps its packets for re-requests.
    pub(crate) fn send(&mut self, payload: &Payload, id: &str) -> Result<usize, RequestsError> {
        let packets = frame(payload, id, self.max_len)?;
        for packet in &packets {
            self.set_next(packet)?;
        }
        let count = packets.len();
        self.kept.retain(|(kept, _)| kept != id);
        while self.kept.len() >= self.keep.max(1) {
            self.kept.pop_front();
        }
        self.kept.push_back((id.to_owned(), packets));
        Ok(count)
    }

    /// Sends packet `part` (1-based) of reply `id` again; false if unknown.
    fn resend(&mut self, id: &str, part: usize) -> Result<bool, RequestsError> {
        let packet = self
            .kept
            .iter()
            .rev()
            .find(|(kept, _)| kept == id)
            .and_then(|(_, packets)| packets.get(part.checked_sub(1)?))
            .cloned();
        match packet {
            Some(packet) => self.set_next(&packet).map(|()| true),
            None => Ok(false),
        }
    }

    /// One set of the next variable, never coalesced with another queued set (a batch of
    /// one), so that every packet reaches the server.
    fn set_next(&mut self, value: &str) -> Result<(), RequestsError> {
        let index = self.next_var % self.vars.len().max(1);
        self.next_var = self.next_var.wrapping_add(1);
        let name = self.vars.get(index).map_or("FROM_HOST_1", String::as_str);
        self.sender.set_many(&[(name, value)])?;
        Ok(())
    }
}

pub(crate) type SharedResponder = Arc<Mutex<Responder>>;

pub(crate) fn lock(responder: &SharedResponder) -> MutexGuard<'_, Responder> {
    responder
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A Cloud Requests host (scratchattach-compatible), over a cloud connection.
///
/// Register handlers by name, then [`start`](Self::start) it: a background task reads
/// `TO_HOST`, assembles chunked requests, runs handlers concurrently (bounded), and replies
/// through `FROM_HOST_1..9` in round robin. It answers every request (unknown names and
/// failures with a list whose first item starts with `Error`), resends lost packets on the
/// template's re-requests, never runs the `TO_HOST` value that was already in the room when
/// it joined (the join snapshot: a request made while the host was away), and never runs a
/// request twice after a reconnect (and, with [`memory_file`](Self::memory_file), after a
/// restart).
///
/// ```no_run
/// use scratchkit::cloud::{CloudConfig, CloudConnection};
/// use scratchkit_cloud_requests::{CloudRequests, RequestContext, Response};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let config = CloudConfig::turbowarp(1234, "host-bot", "my-bot/1.0 (me@example.com)");
/// let (sender, events) = CloudConnection::connect(config).await?;
/// let (host, mut events) = CloudRequests::new(sender, events)
///     .handler("ping", |_ctx: RequestContext| async { Ok("pong") })
///     .handler("add", |ctx: RequestContext| async move {
///         let a: u64 = ctx.arg(0)?.parse()?;
///         let b: u64 = ctx.arg(1)?.parse()?;
///         Ok(Response::Number(a + b))
///     })
///     .start();
/// while let Some(event) = events.recv().await {
///     println!("{event:?}");
/// }
/// host.shutdown().await;
/// # Ok(()) }
/// ```
pub struct CloudRequests {
    sender: CloudSender,
    events: CloudEvents,
    handlers: HashMap<String, Handler>,
    vars: Vec<String>,
    concurrency: usize,
    reply_to_unknown: bool,
    memory: usize,
    keep: usize,
    memory_file: Option<PathBuf>,
    max_len: Option<usize>,
    lookup: Option<Arc<dyn RequesterLookup>>,
    snapshot_window: Duration,
}

impl fmt::Debug for CloudRequests {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&String> = self.handlers.keys().collect();
        names.sort();
        f.debug_struct("CloudRequests")
            .field("handlers", &names)
            .field("vars", &self.vars)
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

impl CloudRequests {
    /// A host over this connection (its sender and its events, which the host consumes),
    /// replying through `FROM_HOST_1..9`.
    pub fn new(sender: CloudSender, events: CloudEvents) -> Self {
        CloudRequests {
            sender,
            events,
            handlers: HashMap::new(),
            vars: (1..=9).map(|n| format!("FROM_HOST_{n}")).collect(),
            concurrency: DEFAULT_CONCURRENCY,
            reply_to_unknown: true,
            memory: DEFAULT_MEMORY,
            keep: DEFAULT_KEPT_REPLIES,
            memory_file: None,
            max_len: None,
            lookup: None,
            snapshot_window: DEFAULT_SNAPSHOT_WINDOW,
        }
    }

    /// Registers the handler of request `name` (replacing any earlier one). It receives a
    /// [`RequestContext`] and returns anything that converts into a [`Response`].
    pub fn handler<F, Fut, R>(mut self, name: &str, handler: F) -> Self
    where
        F: Fn(RequestContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, HandlerError>> + Send + 'static,
        R: Into<Response>,
    {
        let handler: Handler = Arc::new(move |ctx| {
            let future = handler(ctx);
            Box::pin(async move { future.await.map(Into::into) })
        });
        self.handlers.insert(name.to_owned(), handler);
        self
    }

    /// Replies through these `FROM_HOST_n` variables only (1 to 9; the template reads all
    /// nine). Out-of-range numbers are ignored; an empty set keeps the default.
    pub fn from_host_vars(mut self, numbers: impl IntoIterator<Item = u8>) -> Self {
        let vars: Vec<String> = numbers
            .into_iter()
            .filter(|n| (1..=9).contains(n))
            .map(|n| format!("FROM_HOST_{n}"))
            .collect();
        if !vars.is_empty() {
            self.vars = vars;
        }
        self
    }

    /// How many handlers may run at once (default 16, at least 1).
    pub fn max_concurrency(mut self, handlers: usize) -> Self {
        self.concurrency = handlers.max(1);
        self
    }

    /// Whether unknown request names get an error reply (default true; scratchattach sends
    /// nothing and the project times out after 10 s).
    pub fn reply_to_unknown(mut self, reply: bool) -> Self {
        self.reply_to_unknown = reply;
        self
    }

    /// How many completed requests are remembered against duplicate execution (default
    /// 512) and how many replies are kept for re-requests (default 32).
    pub fn memory(mut self, requests: usize, replies: usize) -> Self {
        self.memory = requests.max(1);
        self.keep = replies.max(1);
        self
    }

    /// Persists the memory of completed requests in this JSON file (written atomically after
    /// every request, loaded by [`start`](Self::start)), so that a restarted host does not
    /// run the last request again when the join snapshot repeats it.
    pub fn memory_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.memory_file = Some(path.into());
        self
    }

    /// Packet size limit (default: the connection's value limit, 256 on Scratch).
    pub fn value_limit(mut self, max_len: usize) -> Self {
        self.max_len = Some(max_len);
        self
    }

    /// How long the host waits for the join snapshot after joining the room, at start and
    /// after every reconnect (default [`DEFAULT_SNAPSHOT_WINDOW`], 2 s).
    ///
    /// The cloud server sends every variable of the room right after the handshake, in one
    /// frame, before any later update. The first batch of updates of a connection is that
    /// snapshot, and its `TO_HOST` value was set before the host joined: it is never run
    /// (reported as [`RequestEvent::Stale`], or [`RequestEvent::Duplicate`] when it was
    /// already answered). An empty room sends nothing, so the host waits this long before it
    /// takes updates as live; [`RequestEvent::Ready`] says when the wait is over. A request
    /// arriving in an empty room before then is taken for a snapshot value and not answered
    /// (the project times out after 10 s): keep the window above the server's round trip,
    /// short enough not to matter to players.
    ///
    /// ```
    /// # fn demo(host: scratchkit_cloud_requests::CloudRequests) {
    /// let host = host.snapshot_window(std::time::Duration::from_secs(1));
    /// # let _ = host; }
    /// ```
    pub fn snapshot_window(mut self, window: Duration) -> Self {
        self.snapshot_window = window;
        self
    }

    /// Resolves who sent each request (for example [`CloudLogsLookup`](super::CloudLogsLookup)
    /// on Scratch). Runs in the handler's task, before the handler.
    pub fn requester_lookup(mut self, lookup: impl RequesterLookup + 'static) -> Self {
        self.lookup = Some(Arc::new(lookup));
        self
    }

    /// Starts serving in a background task. Returns a handle (pushes, shutdown) and the
    /// host's events (poll them, or drop them if not needed: once they are dropped, the host
    /// no longer builds them). A memory file that cannot be
    /// read is logged as a warning and the host starts with an empty memory.
    pub fn start(self) -> (RequestsHandle, RequestEvents) {
        let max_len = self
            .max_len
            .unwrap_or_else(|| self.sender.rules().max_value_len());
        let responder = Arc::new(Mutex::new(Responder {
            sender: self.sender.clone(),
            vars: self.vars,
            next_var: 0,
            max_len,
            kept: VecDeque::new(),
            keep: self.keep,
        }));
        let mut assembler = Assembler::new(self.memory, TEMPLATE_TIMEOUT);
        if let Some(path) = &self.memory_file {
            match super::memory::load(path) {
                Ok(values) => {
                    for value in values {
                        assembler.completed.insert(value);
                    }
                }
                Err(error) => tracing::warn!(%error, "ignoring the request memory file"),
            }
        }
        let (events_tx, events_rx) = mpsc::unbounded_channel();
        let (stop_tx, stop_rx) = oneshot::channel();
        let host = Host {
            cloud: self.events,
            handlers: self.handlers,
            limit: Arc::new(Semaphore::new(self.concurrency)),
            reply_to_unknown: self.reply_to_unknown,
            memory_file: self.memory_file,
            lookup: self.lookup,
            responder: Arc::clone(&responder),
            assembler,
            events: events_tx.clone(),
            fresh_epoch: true,
            snapshot_window: self.snapshot_window,
            awaiting_snapshot: None,
            tasks: JoinSet::new(),
        };
        let task = tokio::spawn(host.run(stop_rx));
        (
            RequestsHandle {
                responder,
                events: events_tx,
                sender: self.sender,
                stop: Mutex::new(Some(stop_tx)),
                task: Mutex::new(Some(task)),
            },
            RequestEvents { rx: events_rx },
        )
    }
}

/// Controls a running host: server pushes and shutdown. Cheap to share behind an `Arc`.
pub struct RequestsHandle {
    pub(crate) responder: SharedResponder,
    pub(crate) events: mpsc::UnboundedSender<RequestEvent>,
    sender: CloudSender,
    stop: Mutex<Option<oneshot::Sender<()>>>,
    task: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl fmt::Debug for RequestsHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestsHandle").finish_non_exhaustive()
    }
}

impl RequestsHandle {
    /// The cloud sender the host replies through.
    pub fn sender(&self) -> &CloudSender {
        &self.sender
    }

    /// Stops serving: no new request is started, running handlers finish and their replies
    /// are queued, then everything queued is flushed to the server. The cloud connection
    /// stays open (close it with [`CloudSender::close`]).
    pub async fn shutdown(&self) {
        let stop = self
            .stop
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(stop) = stop {
            let _ = stop.send(());
        }
        let task = self
            .task
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(task) = task {
            let _ = task.await;
        }
        let _ = self.sender.flush().await;
    }
}

/// The events of a running host, as a stream; ends after [`RequestEvent::Closed`].
pub struct RequestEvents {
    rx: mpsc::UnboundedReceiver<RequestEvent>,
}

impl fmt::Debug for RequestEvents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestEvents").finish_non_exhaustive()
    }
}

impl RequestEvents {
    /// The next event; `None` once the host has stopped.
    pub async fn recv(&mut self) -> Option<RequestEvent> {
        self.rx.recv().await
    }
}

impl futures_util::Stream for RequestEvents {
    type Item = RequestEvent;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<RequestEvent>> {
        self.rx.poll_recv(cx)
    }
}

/// What a finished handler task hands back.
struct Finished {
    id: String,
    name: String,
    outcome: Result<Response, String>,
}

struct Host {
    cloud: CloudEvents,
    handlers: HashMap<String, Handler>,
    limit: Arc<Semaphore>,
    reply_to_unknown: bool,
    memory_file: Option<PathBuf>,
    lookup: Option<Arc<dyn RequesterLookup>>,
    responder: SharedResponder,
    assembler: Assembler,
    events: mpsc::UnboundedSender<RequestEvent>,
    /// No `TO_HOST` value has been seen on this connection yet (a replay of a completed
    /// request is possible).
    fresh_epoch: bool,
    snapshot_window: Duration,
    /// Until when the join snapshot of the current connection may still come (`None`: it
    /// came, or the window is over).
    awaiting_snapshot: Option<Instant>,
    tasks: JoinSet<Finished>,
}

/// Whether the request loop goes on.
enum Flow {
    Continue,
    Stop(Option<CloseReason>),
}

impl Host {
    async fn run(mut self, mut stop: oneshot::Receiver<()>) {
        let mut closed = None;
        self.awaiting_snapshot = Some(Instant::now() + self.snapshot_window);
        loop {
            let snapshot_deadline = self.awaiting_snapshot;
            tokio::select! {
                event = self.cloud.next() => {
                    let flow = match event {
                        Some(event @ CloudEvent::Set { .. }) if snapshot_deadline.is_some() => {
                            self.on_snapshot(event).await
                        }
                        Some(event) => self.on_cloud_event(event).await,
                        None => Flow::Stop(None),
                    };
                    if let Flow::Stop(reason) = flow {
                        closed = reason;
                        break;
                    }
                }
                () = sleep_until(snapshot_deadline.unwrap_or_else(Instant::now)),
                    if snapshot_deadline.is_some() =>
                {
                    // An empty room: no snapshot comes.
                    self.awaiting_snapshot = None;
                    self.emit(RequestEvent::Ready);
                }
                Some(finished) = self.tasks.join_next(), if !self.tasks.is_empty() => {
                    if let Ok(finished) = finished {
                        self.reply(finished);
                    }
                }
                _ = &mut stop => break,
            }
        }
        while let Some(finished) = self.tasks.join_next().await {
            if let Ok(finished) = finished {
                self.reply(finished);
            }
        }
        self.emit(RequestEvent::Closed { reason: closed });
    }

    /// The first variable update of a connection: the join snapshot. Its lines were queued
    /// together, so everything already waiting belongs to it (or came right after it); the
    /// first `TO_HOST` value among them is the room's value from before the host joined.
    async fn on_snapshot(&mut self, first: CloudEvent) -> Flow {
        self.awaiting_snapshot = None;
        let mut batch = vec![first];
        while let Some(Some(event)) = self.cloud.next().now_or_never() {
            batch.push(event);
        }
        let mut snapshot_value_seen = false;
        for event in batch {
            match event {
                CloudEvent::Set { name, value } if name == TO_HOST && !snapshot_value_seen => {
                    snapshot_value_seen = true;
                    self.skip_snapshot_value(&value);
                }
                other => {
                    if let Flow::Stop(reason) = self.on_cloud_event(other).await {
                        return Flow::Stop(reason);
                    }
                }
            }
        }
        if self.awaiting_snapshot.is_none() {
            self.emit(RequestEvent::Ready);
        }
        Flow::Continue
    }

    /// Reports the join snapshot's `TO_HOST` value, which never runs.
    fn skip_snapshot_value(&mut self, value: &str) {
        match parse_to_host(value) {
            Ok(ToHost::Final { id, .. }) if self.assembler.completed.contains(value) => {
                self.emit(RequestEvent::Duplicate { id });
            }
            Ok(ToHost::Final { id, .. } | ToHost::Chunk { id, .. } | ToHost::Resend { id, .. }) => {
                self.emit(RequestEvent::Stale { id });
            }
            Err(error) => self.emit(RequestEvent::Malformed {
                value: value.to_owned(),
                error: error.to_string(),
            }),
        }
    }

    async fn on_cloud_event(&mut self, event: CloudEvent) -> Flow {
        match event {
            CloudEvent::Set { name, value } if name == TO_HOST => self.on_to_host(&value).await,
            CloudEvent::Reconnecting { .. } => self.emit(RequestEvent::Disconnected),
            CloudEvent::Reconnected => {
                self.fresh_epoch = true;
                self.assembler.clear_buffers();
                self.awaiting_snapshot = Some(Instant::now() + self.snapshot_window);
                self.emit(RequestEvent::Reconnected);
            }
            CloudEvent::Closed { reason } => return Flow::Stop(Some(reason)),
            _ => {}
        }
        Flow::Continue
    }

    fn emit(&self, event: RequestEvent) {
        let _ = self.events.send(event);
    }

    /// Builds and sends an event only while someone holds the events: the per-request events
    /// copy the request's id, name and arguments, for nothing once the receiver is dropped.
    fn emit_with(&self, event: impl FnOnce() -> RequestEvent) {
        if !self.events.is_closed() {
            self.emit(event());
        }
    }

    async fn on_to_host(&mut self, value: &str) {
        let first_of_epoch = std::mem::take(&mut self.fresh_epoch);
        match self.assembler.feed(value, Instant::now(), first_of_epoch) {
            Incoming::Nothing => {}
            Incoming::Malformed(error) => self.emit(RequestEvent::Malformed {
                value: value.to_owned(),
                error: error.to_string(),
            }),
            Incoming::Duplicate { id } => self.emit(RequestEvent::Duplicate { id }),
            Incoming::Resend { id, part } => {
                let sent = lock(&self.responder).resend(&id, part);
                match sent {
                    Ok(true) => self.emit(RequestEvent::Resent { id, part }),
                    Ok(false) => self.emit(RequestEvent::ResendUnavailable { id, part }),
                    Err(error) => self.emit(RequestEvent::SendFailed {
                        id,
                        error: error.to_string(),
                    }),
                }
            }
            Incoming::Request(request) => {
                self.remember().await;
                self.start_request(request);
            }
        }
    }

    /// Saves the memory of completed requests, if a file was configured.
    async fn remember(&self) {
        let Some(path) = self.memory_file.clone() else {
            return;
        };
        let values: Vec<String> = self.assembler.completed.iter().cloned().collect();
        let saved = tokio::task::spawn_blocking(move || super::memory::save(&path, &values)).await;
        match saved {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(%error, "could not save the request memory"),
            Err(error) => tracing::warn!(%error, "could not save the request memory"),
        }
    }

    fn start_request(&mut self, request: super::protocol::AssembledRequest) {
        let timestamp = SystemTime::now();
        let Some(handler) = self.handlers.get(&request.name).cloned() else {
            self.emit(RequestEvent::UnknownRequest {
                id: request.id.clone(),
                name: request.name.clone(),
            });
            if self.reply_to_unknown {
                let response =
                    Response::List(vec![format!("Error: unknown request {}", request.name)]);
                self.send(&request.id, &request.name, &response);
            }
            return;
        };
        self.emit_with(|| RequestEvent::Received {
            id: request.id.clone(),
            name: request.name.clone(),
            args: request.args.clone(),
        });
        let limit = Arc::clone(&self.limit);
        let lookup = self.lookup.clone();
        self.tasks.spawn(async move {
            let _permit = limit.acquire_owned().await;
            let requester = match lookup {
                Some(lookup) => lookup.lookup(TO_HOST, &request.value).await,
                None => None,
            };
            let ctx = RequestContext {
                name: request.name.clone(),
                args: request.args,
                requester,
                timestamp,
                request_id: request.id.clone(),
            };
            // A panic becomes an error reply. Caught here rather than in a task of its own:
            // one task per request, not two.
            let outcome = match std::panic::AssertUnwindSafe(handler(ctx))
                .catch_unwind()
                .await
            {
                Ok(Ok(response)) => Ok(response),
                Ok(Err(error)) => Err(error.to_string()),
                Err(_) => Err("the handler panicked".to_owned()),
            };
            Finished {
                id: request.id,
                name: request.name,
                outcome,
            }
        });
    }

    fn reply(&mut self, finished: Finished) {
        let response = match finished.outcome {
            Ok(response) => response,
            Err(error) => {
                self.emit(RequestEvent::HandlerError {
                    id: finished.id.clone(),
                    name: finished.name.clone(),
                    error,
                });
                error_reply(&finished.name)
            }
        };
        self.send(&finished.id, &finished.name, &response);
    }

    fn send(&mut self, id: &str, name: &str, response: &Response) {
        let (payload, lossy) = Payload::of(response, id);
        let sent = lock(&self.responder).send(&payload, id);
        let sent = match sent {
            Err(RequestsError::Frame(error)) => {
                // Too long: tell the project instead of leaving it waiting.
                let (payload, _) = Payload::of(
                    &Response::List(vec![
                        format!("Error in request {name}"),
                        "The reply is too long".to_owned(),
                    ]),
                    id,
                );
                self.emit(RequestEvent::SendFailed {
                    id: id.to_owned(),
                    error: error.to_string(),
                });
                lock(&self.responder).send(&payload, id)
            }
            other => other,
        };
        match sent {
            Ok(packets) => self.emit_with(|| RequestEvent::Replied {
                id: id.to_owned(),
                name: name.to_owned(),
                packets,
                lossy,
            }),
            Err(error) => self.emit(RequestEvent::SendFailed {
                id: id.to_owned(),
                error: error.to_string(),
            }),
        }
    }
}

/// The reply to a failed handler: a list whose first item starts with `Error`, as
/// scratchattach's projects expect. The error's text stays in the host's events (it may
/// hold internals), the project only learns that the request failed.
pub fn error_reply(name: &str) -> Response {
    Response::List(vec![
        format!("Error in request {name}"),
        "Check the host's log".to_owned(),
    ])
}
