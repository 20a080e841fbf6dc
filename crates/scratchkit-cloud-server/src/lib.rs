//! A cloud-variable WebSocket server with Scratch's and TurboWarp's rules.
//!
//! `scratch cloud-server` runs it on its own ([`serve_standalone`]); the sandbox
//! (`scratchkit-sandbox`) mounts the same routes next to its Scratch APIs, with its sessions
//! and database. [`router`] serves two endpoints, to be merged into an app:
//!
//! * `/cloud`: Scratch rules (like `wss://clouddata.scratch.mit.edu`): a session cookie and
//!   `Origin: https://scratch.mit.edu` are required, the handshake username must match the
//!   session, at most 10 variables and 256 characters, 10 messages/s, every change logged
//!   (see [`CloudState::logs`]).
//! * `/turbowarp`: TurboWarp rules (like `wss://clouddata.turbowarp.org`): a Scratch cookie
//!   is refused (4005), a User-Agent is required (4006), usernames are checked (4002), at
//!   most 128 variables (4000 beyond), 128 clients per room, 100 000 characters.
//!
//! Both send the join snapshot after the handshake, never echo a set to its sender, deliver
//! in order, accept several `\n`-separated messages per frame, re-serialise numbers the
//! JavaScript way and drop clients that miss a ping.
//!
//! ```
//! use scratchkit_cloud_server::{router, CloudOptions, CloudState};
//!
//! let state = CloudState::new(CloudOptions::default());
//! let app: axum::Router = router(state.clone());
//! # let _ = app;
//! ```

#![warn(missing_docs)]

mod admin;
mod backplane;
mod blocks_file;
mod bounded_read;
mod config;
mod connection;
mod error;
pub mod filters;
mod gatekeeper;
pub mod http_serve;
mod message;
mod metrics;
mod options;
mod project_check;
mod proxy;
mod sqlite_store;
mod sqlite_writer;
mod standalone;
mod state;
mod store;
mod validate;

use axum::Router;
use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

#[cfg(feature = "redis")]
#[doc(hidden)]
pub use backplane::testing as redis_testing;
pub use backplane::{BackplaneStats, PUBLISH_LAG_BUCKETS};
pub use blocks_file::{BLOCKS_FILE, BlocksFileError};
pub use config::{
    AdminConfig, AllWord, CONFIG_FILE_LIMIT, ConfigError, ConfigSources, ENV_PREFIX, KEYS, Key,
    KeyKind, Network, OverLimitSetting, Preset, ProjectList, ProjectsConfig, RootRules,
    RulesConfig, Secret, ServerConfig,
};
#[doc(hidden)]
pub use connection::DetachedConnection;
pub use error::StoreError;
pub use filters::{FilterError, WordFilter};
pub use gatekeeper::{Blocks, OperatorOptions};
pub use metrics::{DropReason, MetricsSnapshot, Rejection};
pub use options::{
    CloudMode, CloudOptions, DEFAULT_MAX_GATHER, InboundRate, OverLimit, ProjectValidator,
    ScratchRules, SessionValidator, TURBOWARP_ROOM_EXPIRY, TurboWarpRules,
};
pub use project_check::ProjectCheck;
/// Formats a number as JavaScript does (re-exported from [`scratchkit_model::js_number`]).
pub use scratchkit_model::js_number_to_string;
pub use sqlite_store::{CLOUD_DB_FILE, SqliteDatabase, SqliteStore};
pub use standalone::{
    CLOSE_SERVICE_RESTART, CloudServer, ShutdownReport, serve_standalone, serve_standalone_with,
};
pub use state::{CloudState, MAX_LOG_LIMIT};
pub use store::{CloudStore, LogEntry, MEMORY_LOG_ROWS, MemoryStore, StoredValue};
pub use validate::CLOUD_PREFIX;

use proxy::Peer;

/// How much a socket reads at a time, which is also what its read buffer holds between
/// messages: the WebSocket library fills the whole chunk on every read, so this is resident
/// memory per client. 1 KiB holds any Scratch-rules message (a value is at most 256
/// characters) and most TurboWarp ones in one read; a larger message takes one read per KiB.
/// Measured in `cloud-bench` (1 000 rooms × 5 clients): 8.8 KiB of RSS per connection with
/// 4 KiB reads, 5.9 KiB with 1 KiB.
const READ_CHUNK: usize = 1024;

/// Write buffer of a socket: how much is gathered before the library writes (it grows for a
/// larger frame). The library's 128 KiB default would cost that much per client.
const SOCKET_BUFFER: usize = 4 * 1024;

/// The cloud routes: `/cloud` (Scratch rules) and `/turbowarp` (TurboWarp rules), with and
/// without a trailing slash. Merge it into an app with [`Router::merge`].
pub fn router(state: CloudState) -> Router {
    routes(state)
}

/// [`router`] for an app with any state type (to merge into an app that has its own state).
///
/// ```
/// use scratchkit_cloud_server::{routes, CloudOptions, CloudState};
///
/// #[derive(Clone)]
/// struct AppState;
/// let app: axum::Router<AppState> = routes(CloudState::new(CloudOptions::default()));
/// # let _ = app;
/// ```
pub fn routes<S: Clone + Send + Sync + 'static>(state: CloudState) -> Router<S> {
    Router::new()
        .route("/cloud", get(scratch_upgrade))
        .route("/cloud/", get(scratch_upgrade))
        .route("/turbowarp", get(turbowarp_upgrade))
        .route("/turbowarp/", get(turbowarp_upgrade))
        .with_state(state)
}

async fn scratch_upgrade(
    State(state): State<CloudState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    scratch_socket(state, peer, headers, upgrade)
}

fn scratch_socket(
    state: CloudState,
    peer: Option<std::net::SocketAddr>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let ticket = match gatekeeper::admit_upgrade(&state, CloudMode::Scratch, peer, &headers) {
        Ok(ticket) => ticket,
        Err(refusal) => return refusal.into_response(),
    };
    let rules = &state.options().scratch;
    let session_user = match &rules.session_validator {
        Some(validator) => match validator(&headers) {
            Some(user) => Some(user),
            None => {
                state.gatekeeper().metrics.reject(Rejection::Session);
                return (StatusCode::UNAUTHORIZED, "invalid session\n").into_response();
            }
        },
        None => {
            if rules.require_session_cookie && !validate::has_scratch_cookie(&headers) {
                state.gatekeeper().metrics.reject(Rejection::Session);
                return (StatusCode::UNAUTHORIZED, "a session cookie is required\n")
                    .into_response();
            }
            None
        }
    };
    let max = state.options().max_message_size;
    upgrade
        .read_buffer_size(READ_CHUNK)
        .write_buffer_size(SOCKET_BUFFER)
        .max_message_size(max)
        .max_frame_size(max)
        .on_upgrade(move |socket| async move {
            let _open = state.gatekeeper().metrics.open_connection();
            let addr = ticket.addr();
            connection::run(
                socket,
                state.clone(),
                CloudMode::Scratch,
                session_user,
                addr,
            )
            .await;
            drop(ticket);
        })
}

async fn turbowarp_upgrade(
    State(state): State<CloudState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    turbowarp_socket(state, peer, headers, upgrade)
}

fn turbowarp_socket(
    state: CloudState,
    peer: Option<std::net::SocketAddr>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let ticket = match gatekeeper::admit_upgrade(&state, CloudMode::TurboWarp, peer, &headers) {
        Ok(ticket) => ticket,
        Err(refusal) => return refusal.into_response(),
    };
    let max = state.options().max_message_size;
    let refusal = if validate::has_scratch_cookie(&headers) {
        state.gatekeeper().metrics.reject(Rejection::ScratchCookie);
        Some((
            connection::CLOSE_SECURITY,
            "This connection was closed to protect your security: it carried a Scratch \
             session cookie, which must never be sent to this server.",
        ))
    } else if state.options().turbowarp.require_user_agent && !validate::has_user_agent(&headers) {
        state.gatekeeper().metrics.reject(Rejection::UserAgent);
        Some((
            connection::CLOSE_IDENTIFY,
            "Please identify yourself: set a User-Agent that says who you are and how to \
             contact you.",
        ))
    } else {
        None
    };
    upgrade
        .read_buffer_size(READ_CHUNK)
        .write_buffer_size(SOCKET_BUFFER)
        .max_message_size(max)
        .max_frame_size(max)
        .on_upgrade(move |socket| async move {
            let _open = state.gatekeeper().metrics.open_connection();
            let addr = ticket.addr();
            match refusal {
                Some((code, explanation)) => {
                    state.gatekeeper().metrics.close(code);
                    connection::reject(socket, code, explanation).await;
                }
                None => {
                    connection::run(socket, state.clone(), CloudMode::TurboWarp, None, addr).await;
                }
            }
            drop(ticket);
        })
}

/// `/` on the standalone server: a WebSocket with the rules of
/// [`OperatorOptions::root`], or a line of text for a browser.
pub(crate) async fn root(
    State(state): State<CloudState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    match (state.options().operator.root, upgrade) {
        (Some(CloudMode::TurboWarp), Ok(upgrade)) => {
            turbowarp_socket(state, peer, headers, upgrade)
        }
        (Some(CloudMode::Scratch), Ok(upgrade)) => scratch_socket(state, peer, headers, upgrade),
        _ => (
            StatusCode::OK,
            "scratch cloud server: connect with a WebSocket\n",
        )
            .into_response(),
    }
}
