//! The sandbox's cloud-variable WebSocket server.
//!
//! [`router`] serves two endpoints, to be merged into the sandbox's app:
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
//! use scratchkit_sandbox::cloud::{router, CloudOptions, CloudState};
//!
//! let state = CloudState::new(CloudOptions::default());
//! let app: axum::Router = router(state.clone());
//! # let _ = app;
//! ```

mod connection;
mod options;
mod sandbox_mount;
mod sqlite_store;
mod standalone;
mod state;
mod store;
mod validate;

use axum::Router;
use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::http::{HeaderMap, StatusCode, header::ORIGIN};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

#[doc(hidden)]
pub use connection::DetachedConnection;
pub use options::{
    CloudMode, CloudOptions, InboundRate, OverLimit, ProjectValidator, ScratchRules,
    SessionValidator, TURBOWARP_ROOM_EXPIRY, TurboWarpRules,
};
pub(crate) use sandbox_mount::sandbox_router;
/// Formats a number as JavaScript does (re-exported from [`scratchkit_model::js_number`]).
pub use scratchkit_model::js_number_to_string;
pub use sqlite_store::{CLOUD_DB_FILE, SqliteStore};
pub use standalone::{CloudServer, serve_standalone, serve_standalone_with};
pub use state::{CloudState, MAX_LOG_LIMIT};
pub use store::{CloudStore, CloudValue, LogEntry, MemoryStore};
pub use validate::CLOUD_PREFIX;

/// Initial read and write buffer of a socket (they grow for larger messages): cloud messages
/// are small, and the WebSocket library's 128 KiB default would cost that much per client.
const SOCKET_BUFFER: usize = 4 * 1024;

/// The cloud routes: `/cloud` (Scratch rules) and `/turbowarp` (TurboWarp rules), with and
/// without a trailing slash. Merge it into an app with [`Router::merge`].
pub fn router(state: CloudState) -> Router {
    routes(state)
}

/// [`router`] for an app with any state type.
pub(crate) fn routes<S: Clone + Send + Sync + 'static>(state: CloudState) -> Router<S> {
    Router::new()
        .route("/cloud", get(scratch_upgrade))
        .route("/cloud/", get(scratch_upgrade))
        .route("/turbowarp", get(turbowarp_upgrade))
        .route("/turbowarp/", get(turbowarp_upgrade))
        .with_state(state)
}

async fn scratch_upgrade(
    State(state): State<CloudState>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let rules = &state.options().scratch;
    if !rules.allowed_origins.is_empty() {
        let origin = headers.get(ORIGIN).and_then(|value| value.to_str().ok());
        if !origin.is_some_and(|origin| rules.allowed_origins.iter().any(|o| o == origin)) {
            return (StatusCode::FORBIDDEN, "Origin not allowed\n").into_response();
        }
    }
    let session_user = match &rules.session_validator {
        Some(validator) => match validator(&headers) {
            Some(user) => Some(user),
            None => return (StatusCode::UNAUTHORIZED, "invalid session\n").into_response(),
        },
        None => {
            if rules.require_session_cookie && !validate::has_scratch_cookie(&headers) {
                return (StatusCode::UNAUTHORIZED, "a session cookie is required\n")
                    .into_response();
            }
            None
        }
    };
    let max = state.options().max_message_size;
    upgrade
        .read_buffer_size(SOCKET_BUFFER)
        .write_buffer_size(SOCKET_BUFFER)
        .max_message_size(max)
        .max_frame_size(max)
        .on_upgrade(move |socket| connection::run(socket, state, CloudMode::Scratch, session_user))
}

async fn turbowarp_upgrade(
    State(state): State<CloudState>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let max = state.options().max_message_size;
    let refusal = if validate::has_scratch_cookie(&headers) {
        Some((
            connection::CLOSE_SECURITY,
            "This connection was closed to protect your security: it carried a Scratch \
             session cookie, which must never be sent to this server.",
        ))
    } else if state.options().turbowarp.require_user_agent && !validate::has_user_agent(&headers) {
        Some((
            connection::CLOSE_IDENTIFY,
            "Please identify yourself: set a User-Agent that says who you are and how to \
             contact you.",
        ))
    } else {
        None
    };
    upgrade
        .read_buffer_size(SOCKET_BUFFER)
        .write_buffer_size(SOCKET_BUFFER)
        .max_message_size(max)
        .max_frame_size(max)
        .on_upgrade(move |socket| async move {
            match refusal {
                Some((code, explanation)) => connection::reject(socket, code, explanation).await,
                None => connection::run(socket, state, CloudMode::TurboWarp, None).await,
            }
        })
}
