//! The contract with Scratch's servers, written once and shared by the scratchkit client and
//! the scratchkit sandbox. No I/O: only facts and pure functions.
//!
//! - [`hosts`]: Scratch's host names and the path prefix under which a sandbox serves each;
//! - [`limits`]: username rules, comment and profile text lengths, page sizes;
//! - [`cloud`]: cloud variable names and values, each server's limits, and the WebSocket frame
//!   codec (client and server messages).
//!
//! ```
//! use scratchkit_wire::{Host, limits};
//!
//! assert_eq!(Host::Api.name(), "api.scratch.mit.edu");
//! assert_eq!(Host::Api.sandbox_prefix(), "/api");
//! assert!(limits::check_username("griffpatch").is_ok());
//! ```

#![warn(missing_docs)]

pub mod cloud;
pub mod hosts;
pub mod limits;

pub use hosts::Host;
