//! The accept loop: admits connections under the [`ServerLimits`], serves each with hyper
//! (HTTP/1 with upgrades for WebSockets, and HTTP/2), and shuts down gracefully.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use axum::Extension;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, Response};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tower::util::MapRequest;
use tower::{Layer, Service};

use super::counted::Counted;
use super::limits::{ConnectionCounter, Refusal, ServerLimits};

/// How long a refused connection is given to take its 503 before it is closed anyway.
const REFUSAL_WRITE_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves `app` on `listener` under `limits` until `stop` completes, then stops accepting
/// and waits for the requests in flight (WebSockets already upgraded are not waited for).
///
/// `wrap` turns each admitted stream into the I/O the connection is served on and the value
/// its requests carry as [`ConnectInfo`] (for example the peer address). The connection keeps
/// its place in the limits for as long as that I/O lives, WebSocket upgrades included.
///
/// ```no_run
/// use std::net::SocketAddr;
/// use axum::routing::get;
/// use scratchkit_cloud_server::http_serve::{ServerLimits, serve};
///
/// # async fn demo() -> std::io::Result<()> {
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// let app = axum::Router::new().route("/", get(|| async { "hello" }));
/// let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
/// tokio::spawn(serve(listener, app, ServerLimits::default(), async move { let _ = stopped.await; },
///     |stream, peer: SocketAddr| (stream, peer)));
/// # drop(stop); Ok(()) }
/// ```
pub async fn serve<S, W, Io, Info>(
    listener: TcpListener,
    app: S,
    limits: ServerLimits,
    stop: impl Future<Output = ()>,
    wrap: W,
) where
    S: Service<Request<Body>, Response = Response<Body>, Error = Infallible>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send + 'static,
    W: Fn(TcpStream, SocketAddr) -> (Io, Info),
    Io: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    Info: Clone + Send + Sync + 'static,
{
    tokio::pin!(stop);
    let counter = ConnectionCounter::new(&limits);
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(limits.header_buffer());
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_header_list_size(u32::try_from(limits.header_buffer()).unwrap_or(u32::MAX));
    let graceful = GracefulShutdown::new();
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::debug!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let _ = tcp.set_nodelay(true);
        let slot = match counter.admit(peer.ip()) {
            Ok(slot) => slot,
            Err(refusal) => {
                tracing::debug!("refused a connection from {peer}: {refusal:?}");
                tokio::spawn(refuse(tcp, refusal, peer.ip()));
                continue;
            }
        };
        let (io, info) = wrap(tcp, peer);
        let stream = Counted::new(io, slot);
        let service = MapRequest::new(
            Extension(ConnectInfo(info)).layer(app.clone()),
            |request: Request<Incoming>| request.map(Body::new),
        );
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!("connection from {peer} ended: {e}");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// Answers a connection over a limit with a 503 that says which limit, then closes it.
///
/// What the client sent meanwhile is read and dropped until it closes its side (or the time
/// runs out): closing a socket with unread input would reset the connection, and the client
/// would see a reset instead of the 503.
async fn refuse(mut tcp: TcpStream, refusal: Refusal, ip: IpAddr) {
    let response = refusal.response(ip);
    let _ = tokio::time::timeout(REFUSAL_WRITE_TIMEOUT, async {
        tcp.write_all(response.as_bytes()).await?;
        tcp.shutdown().await?;
        let mut sink = [0u8; 4096];
        while tcp.read(&mut sink).await? > 0 {}
        Ok::<(), std::io::Error>(())
    })
    .await;
}
