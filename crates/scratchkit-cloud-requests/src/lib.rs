//! Cloud Requests for [scratchkit]: answer a Scratch project's questions through
//! cloud variables, wire compatible with scratchattach's template sprite (`TO_HOST`,
//! `FROM_HOST_1..9`).
//!
//! It runs over any [`scratchkit::cloud`] connection: Scratch's server, TurboWarp's, or a
//! sandbox's. Until scratchkit 0.1 it was the module `scratchkit::cloud_requests`; the names
//! are unchanged, only the path is (`scratchkit_cloud_requests::CloudRequests`).
//!
//! * [`Encoding`]: the two-digit text codec, identical to scratchattach's table.
//! * [`CloudRequests`]: the host. Register handlers, [`start`](CloudRequests::start) it, get a
//!   [`RequestsHandle`] (pushes, shutdown) and a stream of [`RequestEvent`]s.
//! * [`CloudStorage`]: the template's Cloud Storage blocks (`ping`, `get`, `set`, `keys`,
//!   `database_names`) over JSON-file databases.
//! * [`TemplateClient`]: a client that behaves like the template sprite, to test a host
//!   offline against the sandbox's cloud server.
//! * The pure wire functions ([`parse_to_host`], [`frame`], [`read_packet`],
//!   [`request_values`]) for anyone implementing either end.
//!
//! Differences from scratchattach, all compatible with the template: every request gets an
//! answer (unknown names and failing handlers get a list whose first item starts with
//! `Error`; `set` in Cloud Storage is acknowledged); floats are never truncated to integers;
//! decoding is strict; replies over 999 packets are refused with an error reply; the
//! `TO_HOST` value already in the room when the host joins (the join snapshot: a request
//! made while no host ran, answered or not) is never run, at start or after a reconnect (see
//! [`CloudRequests::snapshot_window`]); a request is never run twice after a reconnect
//! (completed requests are remembered by their exact final value, optionally in a file
//! across restarts); lost packets are resent in the template's re-request format; replies
//! are paced by the connection's rate limit only (Scratch: 10 messages/s; TurboWarp, which
//! has no limit, unpaced), where scratchattach adds its own waits.
//!
//! ```no_run
//! use scratchkit::cloud::{CloudConfig, CloudConnection};
//! use scratchkit_cloud_requests::{CloudRequests, RequestContext};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let config = CloudConfig::turbowarp(1234, "host-bot", "my-bot/1.0 (me@example.com)");
//! let (sender, events) = CloudConnection::connect(config).await?;
//! let (host, _events) = CloudRequests::new(sender, events)
//!     .handler("ping", |_ctx: RequestContext| async { Ok("pong") })
//!     .start();
//! host.push("hello, every running copy of the project")?;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod encoding;
mod memory;
mod protocol;
mod push;
mod requester;
mod server;
mod storage;
mod test_client;

pub use encoding::{
    Encoded, Encoding, EncodingError, SEPARATOR_CODE, Unknown, alphabet, char_of, code_of,
};
pub use protocol::{
    ENCODED_SUFFIX, FrameError, MAX_PARTS, PUSH_ID_PREFIX, Packet, PacketKind, Payload,
    ProtocolError, RAW_SUFFIX, REQUEST_CHUNK_DIGITS, Response, TEMPLATE_TIMEOUT, ToHost, frame,
    parse_to_host, read_packet, request_values, split_request,
};
pub use push::{is_push, push_id};
pub use requester::{CloudLogsLookup, LookupFuture, RequesterLookup};
pub use server::{
    CloudRequests, DEFAULT_CONCURRENCY, DEFAULT_KEPT_REPLIES, DEFAULT_MEMORY,
    DEFAULT_SNAPSHOT_WINDOW, HandlerError, RequestContext, RequestEvent, RequestEvents,
    RequestsError, RequestsHandle, TO_HOST, error_reply,
};
pub use storage::{CloudStorage, PING_REPLY, SET_REPLY, StorageError};
pub use test_client::{
    TEMPLATE_MEMORY, TEMPLATE_PACING, TemplateClient, TemplateError, TemplateReply,
};
