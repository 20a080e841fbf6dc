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
//! limit and retries. Cloud variables are in [`cloud`] (feature `cloud`); the old site's page
//! types and parsers are gathered in [`html`] (feature `html`).
//!
//! ## Where each endpoint lives
//!
//! One module per resource holds its reads, its writes and its old-site pages; every handler is
//! made by a method of [`Client`] (all in `client.rs`). Paths are on `scratch.mit.edu` unless
//! another host is named (`api` = `api.scratch.mit.edu`).
//!
//! | resource | handler | module (`src/…`) | Scratch paths |
//! |---|---|---|---|
//! | users | [`Client::user`] → [`UserHandler`] | `users/` (`mod.rs` reads, `follow.rs`, `profile_page.rs` and `activity.rs` old-site pages) | `api /users/<name>[/projects\|/favorites\|/followers\|/following\|/studios/curate\|/messages/count]`, `/site-api/users/all/<name>/`, `/site-api/users/followers/<name>/…`, `/users/<name>/…`, `/messages/ajax/user-activity/` |
//! | projects | [`Client::project`] → [`ProjectHandler`] | `projects/` (`mod.rs` reads, `writes.rs`, `files/` download and upload, `nfe.rs`) | `api /projects/<id>[/remixes]`, `api /users/<author>/projects/<id>/…`, `api /proxy/projects/<id>/…`, `/site-api/projects/all/<id>/`, `/internalapi/project/thumbnail/<id>/set/`, `projects.scratch.mit.edu/<id>`, `assets.scratch.mit.edu/internalapi/asset/…` |
//! | studios | [`Client::studio`] → [`StudioHandler`] | `studios/` (`mod.rs` reads, `writes.rs`) | `api /studios/<id>[/projects\|/curators\|/managers\|/activity\|/users/<me>\|/project/<p>]`, `/site-api/galleries/…`, `/site-api/users/curators-in/<id>/…`, `/site-api/users/bookmarkers/<id>/…`, `/studios/create/` |
//! | comments (projects, studios, profiles) | `.comments()` on the three handlers → [`CommentsHandler`] | `comments/` (`mod.rs`, `profile.rs` old-site pages) | `api /users/<author>/projects/<id>/comments…`, `api /studios/<id>/comments…`, `api /proxy/comments/<project\|studio>/<id>/…`, `/site-api/comments/user/<name>/…` |
//! | the logged-in account: profile edits, settings, messages, My Stuff, backpack, trash | [`Client::me`] → [`MeHandler`] | `me/` (one file per area) | `api /users/<me>/messages…`, `api /users/<me>/following/…`, `/site-api/users/all/<me>/`, `/accounts/…`, `/site-api/projects/<filter>/`, `/site-api/galleries/all/`, `backpack.scratch.mit.edu/<me>` |
//! | classrooms | [`Client::classroom`] → [`ClassroomHandler`] | `classrooms.rs` | `api /classrooms/<id>`, `api /classtoken/<token>`, `/classes/…`, `/site-api/classrooms/…` |
//! | forums (feature `html`) | [`Client::forum`] → [`forums::ForumHandler`], [`Client::ocular`] | `forums/` | `/discuss/…`, `my-ocular.jeffalo.net/api/…` |
//! | explore and search | [`Client::explore`], [`Client::search`] → [`ExploreRequest`] | `explore.rs` | `api /explore/<projects\|studios>`, `api /search/<projects\|studios>` |
//! | site-wide reads | [`Client::news`], [`Client::featured`], [`Client::statistics`], [`Client::check_username`], … | `site.rs` | `api /news`, `api /proxy/featured`, `api /health`, `api /projects/count/all`, `api /accounts/checkusername/<name>/`, `api /accounts/checkpassword/`, `/statistics/data/…` |
//! | login and session | [`Client::login`], [`Client::session`], [`Client::logout`], … | `auth/` | `/login/`, `/login_retry/`, `/session/`, `/accounts/logout/` |
//! | cloud variables (feature `cloud`) | [`Client::cloud`](cloud) | `cloud/` | `wss://clouddata.scratch.mit.edu`, `clouddata.scratch.mit.edu/logs` |
//!
//! The machinery under every handler: `request.rs` (one request: auth, retries, decoding),
//! `list.rs` and `page.rs` (the one list builder, [`ListRequest`], and its paginators),
//! `writes.rs` (helpers shared by the writes), `validate.rs` (checks made before sending),
//! `raw.rs` (the escape hatch).
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

mod auth;
mod classrooms;
mod client;
#[cfg(feature = "cloud")]
pub mod cloud;
mod comments;
mod error;
mod explore;
#[cfg(feature = "html")]
pub mod forums;
mod hosts;
#[cfg(feature = "html")]
pub mod html;
mod list;
mod me;
mod multipart;
mod page;
mod projects;
mod proxy;
mod rate_limit;
mod raw;
mod request;
mod retry;
mod services;
mod site;
mod studios;
#[cfg(test)]
mod test_support;
mod transport;
mod users;
mod validate;
mod writes;

/// HTTP methods, status codes and header maps used by [`RawRequest`] and [`RawResponse`]
/// (from the `http` crate).
pub use ::http::{HeaderMap, Method, StatusCode};
pub use auth::{Me, SessionIdInfo, SessionSecrets, decode_session_id};
pub use bytes::Bytes;
pub use classrooms::{ClassroomHandler, StudentRegistration};
pub use client::{
    Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT,
};
pub use comments::{CommentsHandler, MAX_COMMENT_LENGTH};
pub use error::{BoxError, Error, Result};
pub use explore::{Explore, ExploreQuery, ExploreRequest, Search};
pub use hosts::{Host, Hosts};
pub use list::{ListRequest, NoQuery};
pub use me::message_events;
pub use me::{
    FeaturedLabel, MAX_PROFILE_TEXT, MeHandler, MessageFilter, MyStuffFilter, MyStuffSort,
    NewBackpackItem, PasswordCheck, ScratcherInvite,
};
pub use page::{DEFAULT_LIMIT, MAX_LIMIT, Page, PageRequest};
pub use projects::ProjectHandler;
pub use projects::files::{
    CreateProjectRequest, CreatedProject, DEFAULT_CONCURRENCY, DownloadRequest, DownloadToRequest,
    Downloaded, MAX_ASSET_BYTES, MAX_PROJECT_JSON_BYTES, Progress, ProjectSource,
};
pub use proxy::Proxy;
pub use rate_limit::{RateLimit, TokenBucket};
pub use raw::{Raw, RawRequest, RawResponse};
pub use request::AuthMode;
pub use retry::RetryPolicy;
/// The serde types of every Scratch response (the `scratchkit-model` crate).
pub use scratchkit_model as model;
/// The .sb3 and project.json types (the `scratchkit-sb3` crate).
pub use scratchkit_sb3 as sb3;
/// The secret types of logins and session secrets (the `secrecy` crate).
pub use secrecy;
pub use services::{
    CloudStatus, Language, MAX_SERVICE_TEXT, RedisStatus, ServicesHandler, Speech, Voice,
};
pub use site::Statistics;
pub use studios::{ActivityQuery, ActivityRequest, StudioHandler};
pub use url::Url;
pub use users::UserHandler;
