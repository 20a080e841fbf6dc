//! Running the cloud server on its own (for `scratch cloud-server`).

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::options::CloudOptions;
use crate::state::CloudState;
use crate::store::{CloudStore, MemoryStore};

/// A cloud server running on its own port; see [`serve_standalone`].
#[derive(Debug)]
pub struct CloudServer {
    addr: SocketAddr,
    state: CloudState,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl CloudServer {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its state (logs, variables, fault injection).
    pub fn state(&self) -> &CloudState {
        &self.state
    }

    /// `ws://ADDR/cloud` (Scratch rules).
    pub fn scratch_url(&self) -> String {
        format!("ws://{}/cloud", self.addr)
    }

    /// `ws://ADDR/turbowarp` (TurboWarp rules).
    pub fn turbowarp_url(&self) -> String {
        format!("ws://{}/turbowarp", self.addr)
    }

    /// `http://ADDR/logs`: the Scratch-mode cloud log (`?projectid=&limit=&offset=`).
    pub fn logs_url(&self) -> String {
        format!("http://{}/logs", self.addr)
    }

    /// Stops accepting connections, drops every open WebSocket without a close frame and
    /// forgets the store's changes not written out yet (as a crash would: see
    /// [`CloudState::shut_down`]), and waits for the server task to end. Call
    /// [`CloudStore::flush`](crate::CloudStore::flush) on [`CloudServer::state`]'s store first
    /// to keep them.
    pub async fn shutdown(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        self.task.abort();
        let _ = (&mut self.task).await;
        self.state.shut_down();
    }
}

/// What a graceful shutdown did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShutdownReport {
    /// Clients sent a close frame with 1012 (service restart: they reconnect).
    pub closed: usize,
    /// Connections still open when the grace period ended, dropped without a close frame.
    pub dropped: usize,
}

/// Close code of a graceful shutdown: 1012, "service restart". Clients reconnect on it
/// (scratchkit's client, TurboWarp's and Scratch's editors treat only 4002, 4004, 4005 and
/// 4006 as final).
pub const CLOSE_SERVICE_RESTART: u16 = 1012;

impl CloudServer {
    /// `http://ADDR`: the base of `/health`, `/metrics` and `/admin/`.
    pub fn http_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Shuts down without losing a value: stops accepting connections (`/health` answers 503
    /// from now on), closes every client with [`CLOSE_SERVICE_RESTART`], waits up to
    /// [`OperatorOptions::shutdown_grace`](crate::OperatorOptions::shutdown_grace) for the
    /// sockets to close, drops the rest, then flushes the store.
    ///
    /// ```
    /// use scratchkit_cloud_server::{serve_standalone, CloudOptions};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let server = serve_standalone("127.0.0.1:0".parse().unwrap(), CloudOptions::default()).await?;
    /// let report = server.shutdown_gracefully().await;
    /// assert_eq!(report.closed, 0);
    /// # Ok(()) }
    /// ```
    pub async fn shutdown_gracefully(mut self) -> ShutdownReport {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        let closed = self.state.close_all(CLOSE_SERVICE_RESTART);
        let grace = self.state.options().operator.shutdown_grace;
        let metrics = &self.state.gatekeeper().metrics;
        let deadline = tokio::time::Instant::now() + grace;
        while metrics.open_connections() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        let dropped = usize::try_from(metrics.open_connections().max(0)).unwrap_or(0);
        // Not `shut_down`: it would forget what the store has not written out yet.
        self.state.drop_all();
        self.state.store().flush();
        self.task.abort();
        let _ = (&mut self.task).await;
        tracing::info!(closed, dropped, "cloud server stopped");
        ShutdownReport { closed, dropped }
    }
}

impl Drop for CloudServer {
    /// Stops serving; unlike [`CloudServer::shutdown`], the store's queued changes are
    /// written out first.
    fn drop(&mut self) {
        self.task.abort();
        if !self.state.is_shut_down() {
            self.state.store().flush();
        }
        self.state.shut_down();
    }
}

/// Binds `addr` (port 0 picks a free port) and serves the cloud routes (`/cloud`,
/// `/turbowarp`, and `/` with the rules of [`OperatorOptions::root`](crate::OperatorOptions::root))
/// on it in a background task, with the operator's endpoints: `/health`, `/metrics`, the admin
/// API under `/admin/` (with a token) and `/values/{rules}/{project}` (when public).
///
/// ```
/// use scratchkit_cloud_server::{serve_standalone, CloudOptions};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
/// let server = serve_standalone("127.0.0.1:0".parse().unwrap(), CloudOptions::default()).await?;
/// assert!(server.scratch_url().starts_with("ws://127.0.0.1:"));
/// server.shutdown().await;
/// # Ok(()) }
/// ```
///
/// # Errors
///
/// The I/O error of binding the address.
pub async fn serve_standalone(addr: SocketAddr, options: CloudOptions) -> io::Result<CloudServer> {
    serve_standalone_with(addr, options, Arc::new(MemoryStore::new())).await
}

/// [`serve_standalone`] over another store, for example a
/// [`SqliteStore`](crate::SqliteStore) so that values and logs survive a restart. Besides the
/// WebSocket routes it serves `GET /logs?projectid=&limit=&offset=` (the Scratch-mode log, in
/// the shape of `clouddata.scratch.mit.edu/logs`).
///
/// ```
/// use std::sync::Arc;
/// use scratchkit_cloud_server::{serve_standalone_with, CloudOptions, SqliteStore};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let store = Arc::new(SqliteStore::in_memory()?);
/// let server = serve_standalone_with("127.0.0.1:0".parse()?, CloudOptions::default(), store).await?;
/// assert!(server.logs_url().ends_with("/logs"));
/// server.shutdown().await;
/// # Ok(()) }
/// ```
///
/// # Errors
///
/// The I/O error of binding the address.
pub async fn serve_standalone_with(
    addr: SocketAddr,
    options: CloudOptions,
    store: Arc<dyn CloudStore>,
) -> io::Result<CloudServer> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (store, backplane) = crate::backplane::connect(&options, store).await?;
    let state = CloudState::with_store(options, store);
    crate::backplane::start(&state, backplane);
    let app = crate::router(state.clone())
        .merge(
            axum::Router::new()
                .route("/", get(crate::root))
                .route("/logs", get(logs))
                .route("/logs/", get(logs))
                .with_state(state.clone()),
        )
        .merge(crate::admin::routes(state.clone()));
    let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
    let limits = state.options().http.clone();
    let app = app.layer(crate::http_serve::body_limit(&limits));
    let stopped = async move {
        let _ = shutdown_rx.await;
    };
    // The accept loop sets TCP_NODELAY: small frames must leave at once (without it, Nagle's
    // algorithm holds a frame back while an earlier one waits for its delayed acknowledgement).
    let task = tokio::spawn(crate::http_serve::serve(
        listener,
        app,
        limits,
        stopped,
        |stream, peer: SocketAddr| (stream, peer),
    ));
    Ok(CloudServer {
        addr,
        state,
        shutdown: Some(shutdown_tx),
        task,
    })
}

#[derive(serde::Deserialize)]
struct LogsQuery {
    projectid: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

/// `GET /logs?projectid=&limit=&offset=`: 400 without a numeric project id.
async fn logs(State(state): State<CloudState>, Query(query): Query<LogsQuery>) -> Response {
    let number = |text: Option<&String>, default: usize| match text {
        None => Some(default),
        Some(text) => text.trim().parse::<usize>().ok(),
    };
    let project = query
        .projectid
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let (Some(project), Some(limit), Some(offset)) = (
        project,
        number(query.limit.as_ref(), crate::MAX_LOG_LIMIT),
        number(query.offset.as_ref(), 0),
    ) else {
        return (StatusCode::BAD_REQUEST, "bad projectid, limit or offset\n").into_response();
    };
    Json(state.logs(project, limit, offset)).into_response()
}
