//! Starting and stopping a sandbox.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::SandboxConfig;
use crate::error::SandboxError;
use crate::faults::FaultController;
use crate::listener::KillableStream;
use crate::reqlog::RequestLog;
use crate::routes;
use crate::state::AppState;
use crate::store::Store;
use crate::tokens::ProjectTokens;
use scratchkit_cloud_server::http_serve::{body_limit, serve};

/// A running sandbox. It serves until [`SandboxHandle::shutdown`] is awaited or the handle
/// is dropped.
#[derive(Debug)]
pub struct SandboxHandle {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl SandboxHandle {
    /// The address the sandbox listens on (the real port when `:0` was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`: prepend it to the hosts table's prefixes (`/api`, `/site`, …).
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), scratchkit_sandbox::SandboxError> {
    /// let sandbox = scratchkit_sandbox::spawn(([127, 0, 0, 1], 0).into()).await?;
    /// let user_url = format!("{}/api/users/griffpatch", sandbox.base_url());
    /// # Ok(())
    /// # }
    /// ```
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections, lets requests in flight finish, and waits for the server.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Starts a sandbox with the default configuration (in-memory demo world) on `addr`.
///
/// Use port 0 for an ephemeral port and read it back with [`SandboxHandle::addr`]. Must be
/// called inside a Tokio runtime.
///
/// ```no_run
/// # async fn demo() -> Result<(), scratchkit_sandbox::SandboxError> {
/// let sandbox = scratchkit_sandbox::spawn(([127, 0, 0, 1], 0).into()).await?;
/// assert_ne!(sandbox.addr().port(), 0);
/// sandbox.shutdown().await;
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// [`SandboxError::Bind`] when the address cannot be bound; database or hashing errors while
/// the world is built.
pub async fn spawn(addr: SocketAddr) -> Result<SandboxHandle, SandboxError> {
    spawn_with(addr, SandboxConfig::default()).await
}

/// Starts a sandbox with a configuration (data directory, scale, faults, request log, seed).
///
/// ```no_run
/// use scratchkit_sandbox::{SandboxConfig, spawn_with};
///
/// # async fn demo() -> Result<(), scratchkit_sandbox::SandboxError> {
/// let config = SandboxConfig {
///     faults: Some("latency=50ms".parse().expect("valid spec")),
///     ..SandboxConfig::default()
/// };
/// let sandbox = spawn_with(([127, 0, 0, 1], 0).into(), config).await?;
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// [`SandboxError::Bind`] when the address cannot be bound, [`SandboxError::Io`] when the data
/// directory or the request log cannot be used, [`SandboxError::Database`] when the database
/// cannot be opened or seeded.
pub async fn spawn_with(
    addr: SocketAddr,
    config: SandboxConfig,
) -> Result<SandboxHandle, SandboxError> {
    let log = match &config.log_requests {
        Some(path) => Some(RequestLog::open(path).map_err(|source| SandboxError::Io {
            path: path.clone(),
            source,
        })?),
        None => None,
    };
    let data_dir = config.data_dir.clone();
    let (seed, scale) = (config.seed, config.scale);
    let store = tokio::task::spawn_blocking(move || Store::open(data_dir.as_deref(), seed, scale))
        .await
        .map_err(|e| SandboxError::Hash(format!("seeding task failed: {e}")))??;
    let secret: [u8; 32] = rand::random();
    let state = Arc::new(AppState {
        store,
        faults: FaultController::new(config.seed, config.faults.clone()),
        log,
        secret,
        tokens: ProjectTokens::new(&secret),
        started: Instant::now(),
        settings: Default::default(),
        login_failures: Default::default(),
        cloud: Default::default(),
        recent: Default::default(),
    });
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| SandboxError::Bind { addr, source })?;
    let local = listener
        .local_addr()
        .map_err(|source| SandboxError::Bind { addr, source })?;
    // Routes with their own body limit (uploads) set it closer to the handler, which wins.
    let router = routes::router(state.clone()).layer(body_limit(&config.limits));
    let app = tower::Layer::layer(
        &axum::middleware::from_fn_with_state(state.clone(), routes::front::front),
        router,
    );
    // Outermost: the panel's request log sees every request as sent, faulted ones too.
    let app = tower::Layer::layer(
        &axum::middleware::from_fn_with_state(state, crate::web::recent::record),
        app,
    );
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let stopped = async move {
        let _ = stop_rx.await;
    };
    let task = tokio::spawn(serve(
        listener,
        app,
        config.limits.clone(),
        stopped,
        KillableStream::new,
    ));
    Ok(SandboxHandle {
        addr: local,
        stop: Some(stop_tx),
        task: Some(task),
    })
}
