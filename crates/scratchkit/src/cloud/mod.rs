//! Cloud variables: a reconnecting WebSocket connection to Scratch's (or TurboWarp's, or a
//! sandbox's) cloud server.
//!
//! [`CloudConnection::connect`] opens one WebSocket per project, shared by reading and
//! writing, and returns a cloneable [`CloudSender`] and a [`CloudEvents`] stream. The
//! connection reconnects by itself with jittered exponential backoff, re-handshakes, keeps
//! sets made while disconnected (the latest value per variable) and sends them after
//! reconnecting, and ends only on a fatal close (bad username 4002, unavailable project 4004,
//! 4005, 4006, or a refused session).
//!
//! Values are validated before sending: numeric (`^-?[0-9]*\.?[0-9]*$`), at most 256
//! characters and 10 variables on Scratch, at most 100 000 characters and 128 variables on
//! TurboWarp. Outgoing messages are paced by a token bucket: 10/s by default on Scratch's rules,
//! unpaced by default on TurboWarp's (its server has no inbound limit).
//!
//! Variable names may be given with or without the `☁ ` prefix; events report them without.
//!
//! From a [`Client`](crate::Client): [`Client::cloud`](crate::Client::cloud) (Scratch's
//! server with the client's login), [`Client::turbowarp_cloud`](crate::Client::turbowarp_cloud)
//! and [`Client::cloud_logs`](crate::Client::cloud_logs) (who set what, paged or polled) use
//! the client's hosts, so the same code runs against a sandbox.
//!
//! ```no_run
//! use futures_util::StreamExt;
//! use scratchkit::cloud::{CloudConfig, CloudConnection, CloudEvent};
//!
//! # async fn run() -> Result<(), scratchkit::cloud::CloudError> {
//! let config = CloudConfig::turbowarp(1234, "player42", "my-bot/1.0 (me@example.com)");
//! let (sender, mut events) = CloudConnection::connect(config).await?;
//! sender.set("score", 100)?;
//! while let Some(event) = events.next().await {
//!     match event {
//!         CloudEvent::Set { name, value } => println!("{name} = {value}"),
//!         CloudEvent::Closed { reason } => eprintln!("closed: {reason}"),
//!         _ => {}
//!     }
//! }
//! # Ok(()) }
//! ```

mod backoff;
mod client_ext;
mod config;
mod connection;
mod error;
mod events;
mod logs;
mod sender;

/// The crate's one rate limit type and token bucket, here for cloud connections.
pub use crate::{RateLimit, TokenBucket};
pub use backoff::ReconnectPolicy;
pub use client_ext::CloudBuilder;
pub use config::{
    CLOUD_USER_AGENT, CloudConfig, Keepalive, SCRATCH_CLOUD_URL, SCRATCH_ORIGIN,
    TURBOWARP_CLOUD_URL,
};
pub use connection::CloudConnection;
pub use error::CloudError;
pub use events::{CloseReason, CloudEvent, CloudEvents};
pub use logs::{
    CloudLogEvents, CloudLogsRequest, DEFAULT_LOG_LIMIT, DEFAULT_LOG_POLL, DEFAULT_VALUES_DEPTH,
    LogEventsControl, MAX_LOG_LIMIT, MIN_LOG_POLL,
};
/// Formats a number as JavaScript does (re-exported from [`scratchkit_model::js_number`]).
pub use scratchkit_model::js_number_to_string;
/// The wire contract of cloud variables, from [`scratchkit_wire::cloud`].
pub use scratchkit_wire::cloud::{
    CLOUD_PREFIX, ClientMessage, CloudRules, FrameError, MAX_NAME_LEN, SCRATCH_MAX_VALUE_LEN,
    SCRATCH_MAX_VARIABLES, ServerMessage, TURBOWARP_MAX_VALUE_LEN, TURBOWARP_MAX_VARIABLES,
    ValidationError, decode_server_frame, encode_client_frame, encode_server_frame,
    is_numeric_value, strip_cloud_prefix, validate_name,
};
pub use sender::CloudSender;
