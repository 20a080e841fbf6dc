//! The cloud error type.

use super::events::CloseReason;
use scratchkit_wire::cloud::ValidationError;

/// What can go wrong with a cloud connection.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum CloudError {
    /// The operation was refused before anything was sent.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// The configuration cannot be used (bad URL, a header value that is not valid HTTP).
    #[error("invalid cloud configuration: {0}")]
    Config(String),
    /// The server could not be reached, or the WebSocket handshake failed.
    ///
    /// [`source`](std::error::Error::source) gives the WebSocket stack's own error, when there
    /// was one (none for a timeout).
    #[error("could not connect to the cloud server: {message}")]
    Connect {
        /// What failed, in one line.
        message: String,
        /// The WebSocket stack's error.
        #[source]
        source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync + 'static>>,
    },
    /// The server answered the WebSocket upgrade with an HTTP error status.
    #[error("the cloud server refused the connection with HTTP status {}", status.as_u16())]
    Refused {
        /// The HTTP status.
        status: http::StatusCode,
    },
    /// Scratch's cloud needs a logged-in client (its session cookie); nothing was sent.
    #[error("Scratch's cloud variables need a logged-in client")]
    LoginRequired,
    /// The connection has ended for good.
    #[error("the cloud connection is closed: {0}")]
    Closed(CloseReason),
}
