//! Serving an HTTP app under limits that protect the process: connections in total and per
//! address, a time limit and a size limit on the request head, and a default body size.
//!
//! Both servers of the workspace use it: the sandbox (`scratchkit-sandbox`) and the
//! standalone cloud server. A connection over a connection limit is answered
//! `503 Service Unavailable` with the limit named, and closed; a head that takes longer than
//! [`ServerLimits::header_read_timeout`] is dropped; a head larger than
//! [`ServerLimits::max_header_bytes`] gets `431`; a body larger than the router's limit gets
//! `413`.

mod accept;
mod counted;
mod limits;

pub use accept::serve;
pub use limits::ServerLimits;

/// The default body limit of `limits` as a layer for an axum router (routes that set a
/// limit of their own, closer to the handler, keep theirs).
///
/// ```
/// use scratchkit_cloud_server::http_serve::{ServerLimits, body_limit};
///
/// let app: axum::Router = axum::Router::new().layer(body_limit(&ServerLimits::default()));
/// # let _ = app;
/// ```
pub fn body_limit(limits: &ServerLimits) -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(limits.max_body_bytes)
}
