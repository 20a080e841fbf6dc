//! The background Tokio runtimes.

use std::sync::Arc;

use pyo3::PyResult;
use pyo3::exceptions::PyRuntimeError;
use tokio::runtime::{Handle, Runtime};

/// A multi-thread runtime with `workers` threads named after `name`.
pub(crate) fn background(name: &str, workers: usize) -> PyResult<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .thread_name(name)
        .enable_all()
        .build()
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start a Tokio runtime: {e}")))
}

/// A client's runtime, shared by the client and everything opened from it (cloud
/// connections, Cloud Requests hosts, template clients): a connection keeps working after
/// its `Session` is garbage collected, and the runtime ends with the last of them.
pub(crate) struct Owned(Option<Runtime>);

/// A shared owner of a client's runtime.
pub(crate) type SharedRuntime = Arc<Owned>;

impl Owned {
    /// Shares `runtime`.
    pub(crate) fn share(runtime: Runtime) -> SharedRuntime {
        Arc::new(Owned(Some(runtime)))
    }

    /// The handle that runs work on it.
    pub(crate) fn handle(&self) -> Handle {
        match &self.0 {
            Some(runtime) => runtime.handle().clone(),
            None => unreachable!("the runtime is only taken when dropped"),
        }
    }
}

impl Drop for Owned {
    /// The last owner is often dropped by Python's garbage collector with the GIL held:
    /// waiting for the runtime's threads here could deadlock with a callback that waits for
    /// the GIL, so they are left to end on their own.
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}
