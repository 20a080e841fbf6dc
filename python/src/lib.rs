//! The native half of the `scratchkit` Python package (module `scratchkit._native`).
//!
//! Classes driven by a Tokio runtime of their own on background threads, so that
//! Python code (blocking or asyncio) never waits on the GIL while Rust works:
//!
//! - [`NativeSandbox`]: a scratchkit sandbox served in-process on `127.0.0.1`;
//! - [`NativeClient`]: the scratchkit client; every operation takes its arguments as a JSON
//!   object and answers JSON (see [`ops`]), blocking ([`NativeClient::call`]) or through a
//!   callback ([`NativeClient::submit`], what the asyncio API awaits);
//! - [`cloud::NativeCloud`]: a cloud-variable connection (Scratch's or TurboWarp's);
//! - [`requests::NativeRequests`] and [`requests::NativeTemplate`]: a Cloud Requests host
//!   with Python handlers, and the project's side of the protocol for tests.
//!
//! The typed Python API lives in `python/scratchkit/*.py`; this crate is its engine.

mod client;
mod cloud;
mod errors;
mod ops;
mod requests;
mod runtime;
mod sandbox;

use pyo3::prelude::*;

/// The `scratchkit._native` module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<sandbox::NativeSandbox>()?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<cloud::NativeCloud>()?;
    m.add_class::<requests::NativeRequests>()?;
    m.add_class::<requests::NativeTemplate>()?;
    m.add("VERSION", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
