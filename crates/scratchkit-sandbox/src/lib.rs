//! An offline Scratch: a local server that speaks the Scratch website's APIs.
//!
//! The sandbox is a real server, not a mock: real HTTP (axum), a real SQLite database
//! (rusqlite; in memory by default, a file under [`SandboxConfig::data_dir`] to persist),
//! real password hashes (argon2), and Scratch's own response shapes in compact JSON. It is
//! seeded with a deterministic demo world (see [`demo_accounts`]) and can inject faults
//! ([`FaultSpec`]) so that clients' retry logic can be tested for real.
//!
//! Every Scratch host is served on one port under a fixed prefix (a contract, see the
//! project's DESIGN.md "Hosts"):
//!
//! | live site | sandbox |
//! |---|---|
//! | `https://api.scratch.mit.edu/…` | `http://ADDR/api/…` |
//! | `https://scratch.mit.edu/…` | `http://ADDR/site/…` |
//! | `https://projects.scratch.mit.edu/…` | `http://ADDR/projects/…` |
//! | `https://assets.scratch.mit.edu/…` | `http://ADDR/assets/…` |
//! | `https://backpack.scratch.mit.edu/…` | `http://ADDR/backpack/…` |
//! | `https://cdn2.scratch.mit.edu/…`, `https://uploads.scratch.mit.edu/…` | `http://ADDR/cdn2/…`, `http://ADDR/uploads/…` |
//! | `https://clouddata.scratch.mit.edu/logs…` | `http://ADDR/clouddata/logs…` |
//! | `wss://clouddata.scratch.mit.edu` | `ws://ADDR/cloud` |
//! | `wss://clouddata.turbowarp.org` | `ws://ADDR/turbowarp` |
//! | third-party services (e.g. my-ocular) | `http://ADDR/ext/<service>/…` |
//!
//! A request whose `Host` header names a real Scratch host (for example
//! `Host: api.scratch.mit.edu` with path `/users/mres`) is routed as if it had the prefix.
//! Paths are accepted with and without a trailing slash. Administration (create users,
//! projects and studios, reset, faults) lives under `http://ADDR/_sandbox/…`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), scratchkit_sandbox::SandboxError> {
//! let sandbox = scratchkit_sandbox::spawn(([127, 0, 0, 1], 0).into()).await?;
//! println!("try {}/api/users/mres", sandbox.base_url());
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

mod accounts;
mod asciibuf;
mod auth;
mod config;
mod error;
mod faults;
#[doc(hidden)]
pub mod fuzz_hooks;
mod hosts;
mod html;
mod listener;
mod render;
mod reqlog;
mod routes;
mod server;
mod settings;
mod signing;
mod state;
mod store;
mod timefmt;
mod tokens;
mod web;

pub use accounts::{DEMO_PASSWORD, DemoAccount, Role, UnknownRole, demo_accounts};
pub use config::SandboxConfig;
pub use error::SandboxError;
pub use faults::{FaultKind, FaultSpec, FaultSpecError, MAX_FAULT_LATENCY};
pub use scratchkit_cloud_server::http_serve::ServerLimits;
pub use server::{SandboxHandle, spawn, spawn_with};
pub mod cloud;
