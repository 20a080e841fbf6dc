//! Running the cloud server on its own (for `scratch cloud-server`).

use std::io;
use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::options::CloudOptions;
use super::state::CloudState;

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

    /// Stops accepting connections and waits for the server task to end. Open WebSockets
    /// are dropped.
    pub async fn shutdown(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        self.task.abort();
        let _ = (&mut self.task).await;
    }
}

impl Drop for CloudServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Binds `addr` (port 0 picks a free port) and serves the cloud routes (`/cloud`,
/// `/turbowarp`) on it in a background task.
///
/// ```
/// use scratchkit_sandbox::cloud::{serve_standalone, CloudOptions};
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
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let state = CloudState::new(options);
    let app = super::router(state.clone());
    let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let server = axum::serve(listener, app).with_graceful_shutdown(async move {
            let _ = shutdown_rx.await;
        });
        if let Err(error) = server.await {
            tracing::warn!(%error, "cloud server stopped");
        }
    });
    Ok(CloudServer {
        addr,
        state,
        shutdown: Some(shutdown_tx),
        task,
    })
}
