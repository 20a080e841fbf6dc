//! What a cloud connection reports: variable updates and connection state.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::Stream;
use tokio::sync::mpsc;

/// One thing that happened on a cloud connection. Variable names are bare (without the
/// `☁ ` prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CloudEvent {
    /// The first connection is open and the handshake was sent.
    Connected,
    /// Another client set a variable (or the server sent its join snapshot).
    Set {
        /// Bare variable name.
        name: String,
        /// New value (numbers formatted the JavaScript way).
        value: String,
    },
    /// The server announced a new variable (Scratch and TurboWarp never do).
    Create {
        /// Bare variable name.
        name: String,
        /// Its value.
        value: String,
    },
    /// The server announced a deleted variable (Scratch and TurboWarp never do).
    Delete {
        /// Bare variable name.
        name: String,
    },
    /// The server announced a renamed variable (Scratch and TurboWarp never do).
    Rename {
        /// Old bare name.
        name: String,
        /// New bare name.
        new_name: String,
    },
    /// The connection was lost; the next attempt starts after `delay`.
    Reconnecting {
        /// Attempt number since the connection was lost (1-based).
        attempt: u32,
        /// Wait before this attempt.
        delay: Duration,
    },
    /// A new connection is open, the handshake was sent again and pending sets follow.
    Reconnected,
    /// The connection has ended for good; this is the last event.
    Closed {
        /// Why.
        reason: CloseReason,
    },
}

/// Why a cloud connection ended for good.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CloseReason {
    /// The server closed with a code that means "do not come back": 4002 (username),
    /// 4004 (project unavailable), 4005 (Scratch cookie sent to TurboWarp), 4006 (no
    /// User-Agent).
    Server {
        /// The WebSocket close code.
        code: u16,
    },
    /// The server refused the WebSocket upgrade with 401 or 403 (bad session or Origin).
    Refused {
        /// The HTTP status.
        status: http::StatusCode,
    },
    /// [`CloudSender::close`](super::CloudSender::close) was called.
    ClientClosed,
}

impl CloseReason {
    /// Whether a close code means the client must not reconnect.
    ///
    /// ```
    /// use scratchkit::cloud::CloseReason;
    ///
    /// assert!(CloseReason::is_fatal_code(4002));
    /// assert!(!CloseReason::is_fatal_code(4000));
    /// assert!(!CloseReason::is_fatal_code(1006));
    /// ```
    pub fn is_fatal_code(code: u16) -> bool {
        matches!(code, 4002 | 4004 | 4005 | 4006)
    }
}

impl fmt::Display for CloseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CloseReason::Server { code } => {
                let meaning = match code {
                    4002 => "the username was refused",
                    4004 => "the project is unavailable",
                    4005 => "a Scratch session cookie was sent to a non-Scratch server",
                    4006 => "the server requires a User-Agent",
                    _ => "closed by the server",
                };
                write!(f, "{meaning} (close code {code})")
            }
            CloseReason::Refused { status } => {
                write!(
                    f,
                    "the server refused the connection (HTTP {})",
                    status.as_u16()
                )
            }
            CloseReason::ClientClosed => f.write_str("closed by this client"),
        }
    }
}

/// The events of a cloud connection, as a [`Stream`]. It ends after
/// [`CloudEvent::Closed`].
///
/// Poll it regularly: events are buffered until read.
pub struct CloudEvents {
    pub(crate) rx: mpsc::UnboundedReceiver<CloudEvent>,
}

impl fmt::Debug for CloudEvents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CloudEvents").finish_non_exhaustive()
    }
}

impl CloudEvents {
    /// Waits for the next event; `None` once the connection has ended.
    pub async fn recv(&mut self) -> Option<CloudEvent> {
        self.rx.recv().await
    }
}

impl Stream for CloudEvents {
    type Item = CloudEvent;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<CloudEvent>> {
        self.rx.poll_recv(cx)
    }
}
