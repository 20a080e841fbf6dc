//! An async, typed client for the Scratch website (<https://scratch.mit.edu>) and for the
//! scratchkit sandbox that stands in for it offline.
//!
//! Start with a [`Client`]: [`Client::new`] for the live site (polite by default: a descriptive
//! User-Agent, a client-wide [rate limit](RateLimit) and [retries](RetryPolicy) with backoff),
//! [`Client::sandbox`] for a local sandbox, or [`Client::builder`] to choose. Each resource has
//! a handler ([`Client::user`], [`Client::project`], [`Client::studio`], [`Client::explore`],
//! [`Client::search`], …); lists come as one [`Page`] (await the [`ListRequest`]) or as a
//! stream over every page ([`ListRequest::stream`]).
//!
//! ```no_run
//! # async fn demo() -> scratchkit::Result<()> {
//! use futures_util::TryStreamExt;
//! use scratchkit::Client;
//!
//! let client = Client::new();
//! // GET https://api.scratch.mit.edu/users/mres
//! let mres = client.user("mres").info().await?;
//! println!("{} (user id {})", mres.username, mres.id);
//! // GET https://api.scratch.mit.edu/users/griffpatch/projects?limit=40&offset=…
//! let projects: Vec<_> = client.user("griffpatch").projects().stream().try_collect().await?;
//! println!("{} shared projects", projects.len());
//!
//! // Writes need a login (POST https://scratch.mit.edu/login/).
//! client.login("my_username", String::from("my password")).await?;
//! client.project(142).love().await?;
//! # Ok(())
//! # }
//! ```
//!
//! Every base URL lives in [`Hosts`]; every failure is an [`Error`]. Anything without a handler
//! yet can be reached with the [raw escape hatch](Client::raw), which keeps the login, rate
//! limit and retries. Cloud variables are in [`cloud`] (feature `cloud`), the old site's HTML
//! pages (profile comments, forums) in [`html`] (feature `html`).
//!
//! ## Which Tokio runtime
//!
//! Requests run on the runtime of whoever awaits them, and each connection is driven by a task
//! of its own. With the default multi-thread runtime, code awaited directly in
//! `#[tokio::main] async fn main` runs on the main thread, which is not one of the runtime's
//! workers, so every request crosses threads twice to reach its connection's task: in the
//! bulk-read benchmark (`crates/scratchkit-bench`) that costs nearly twice the CPU per small
//! request. A script that makes one request after another runs fastest on a current-thread
//! runtime (`#[tokio::main(flavor = "current_thread")]`) or with its work inside
//! `tokio::spawn(…)`; concurrent work (`buffer_unordered`, many tasks) is unaffected.
#![warn(missing_docs)]

mod client;
#[cfg(feature = "cloud")]
pub mod cloud;
mod error;
mod explore;
mod hosts;
#[cfg(feature = "html")]
pub mod html;
mod list;
pub mod message_events;
mod page;
mod project_files;
mod projects;
mod proxy;
mod rate_limit;
mod raw;
mod request;
mod retry;
mod site;
mod studios;
mod transport;
mod users;
mod validate;

/// HTTP methods, status codes and header maps used by [`RawRequest`] and [`RawResponse`]
/// (from the `http` crate).
pub use ::http::{HeaderMap, Method, StatusCode};
pub use bytes::Bytes;
pub use client::{
    Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT,
};
pub use error::{BoxError, Error, Result};
pub use explore::{Explore, ExploreRequest, Search};
pub use hosts::{Host, Hosts};
pub use list::ListRequest;
pub use page::{DEFAULT_LIMIT, MAX_LIMIT, Page, PageRequest};
pub use project_files::{
    CreateProjectRequest, CreatedProject, DEFAULT_CONCURRENCY, DownloadRequest, DownloadToRequest,
    Downloaded, MAX_ASSET_BYTES, MAX_PROJECT_JSON_BYTES, Progress, ProjectSource,
};
pub use projects::ProjectHandler;
pub use proxy::Proxy;
pub use rate_limit::{RateLimit, TokenBucket};
pub use raw::{Raw, RawRequest, RawResponse};
pub use request::AuthMode;
pub use retry::RetryPolicy;
/// The serde types of every Scratch response (the `scratchkit-model` crate).
pub use scratchkit_model as model;
/// The .sb3 and project.json types (the `scratchkit-sb3` crate).
pub use scratchkit_sb3 as sb3;
pub use site::Statistics;
pub use studios::{ActivityRequest, StudioHandler};
pub use url::Url;
pub use users::UserHandler;
mod actions;
mod auth;
pub use actions::{
    ClassroomHandler, FeaturedLabel, MAX_COMMENT_LENGTH, MAX_PROFILE_TEXT, MessageFilter,
    MyStuffFilter, MyStuffSort, NewBackpackItem, PasswordCheck, StudentRegistration,
};
pub use auth::{Me, SessionIdInfo, decode_session_id};
