//! The cloud-variable WebSocket server, as the sandbox mounts it.
//!
//! The server is its own crate, [`scratchkit_cloud_server`]; everything it exports is
//! re-exported here. The sandbox adds its sessions (`/cloud` checks the session cookie against
//! the sandbox's accounts), its projects (a room needs an existing project) and its database
//! (values persist with `--data`; logs land in the table `/clouddata/logs` serves).
//!
//! ```
//! use scratchkit_sandbox::cloud::{router, CloudOptions, CloudState};
//!
//! let state = CloudState::new(CloudOptions::default());
//! let app: axum::Router = router(state.clone());
//! # let _ = app;
//! ```

mod sandbox_mount;
mod sqlite_store;

pub(crate) use sandbox_mount::sandbox_router;
pub use scratchkit_cloud_server::*;
