//! The background Tokio runtimes.

use pyo3::PyResult;
use pyo3::exceptions::PyRuntimeError;

/// A multi-thread runtime with `workers` threads named after `name`.
pub(crate) fn background(name: &str, workers: usize) -> PyResult<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .thread_name(name)
        .enable_all()
        .build()
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start a Tokio runtime: {e}")))
}
