//! [`NativeSandbox`]: a sandbox on a runtime of its own.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Mutex;

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use scratchkit_sandbox::{FaultSpec, SandboxConfig, SandboxHandle};
use tokio::runtime::Runtime;

use crate::runtime::background;

/// A scratchkit sandbox served in-process until [`NativeSandbox::stop`] (or garbage
/// collection). The Python class `scratchkit.Sandbox` wraps it.
#[pyclass(module = "scratchkit._native")]
pub(crate) struct NativeSandbox {
    addr: SocketAddr,
    running: Mutex<Option<(Runtime, SandboxHandle)>>,
}

#[pymethods]
impl NativeSandbox {
    /// Starts a sandbox on `127.0.0.1:port` (0: a free port).
    ///
    /// Errors: `ValueError` for a bad fault spec, `OSError` when the port cannot be bound or
    /// the database, data directory or request log cannot be used.
    #[new]
    #[pyo3(signature = (*, port = 0, scale = 0, seed = 2007, faults = None, log_requests = None, data_dir = None))]
    fn new(
        py: Python<'_>,
        port: u16,
        scale: u32,
        seed: u64,
        faults: Option<&str>,
        log_requests: Option<PathBuf>,
        data_dir: Option<PathBuf>,
    ) -> PyResult<Self> {
        let faults = faults
            .map(str::parse::<FaultSpec>)
            .transpose()
            .map_err(|e| PyValueError::new_err(format!("bad fault spec: {e}")))?;
        let config = SandboxConfig {
            data_dir,
            scale,
            faults,
            log_requests,
            seed,
            ..SandboxConfig::default()
        };
        let runtime = background("scratchkit-sandbox", 2)?;
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let handle = py
            .detach(|| runtime.block_on(scratchkit_sandbox::spawn_with(addr, config)))
            .map_err(|e| PyOSError::new_err(format!("the sandbox did not start: {e}")))?;
        Ok(Self {
            addr: handle.addr(),
            running: Mutex::new(Some((runtime, handle))),
        })
    }

    /// `127.0.0.1:PORT`.
    #[getter]
    fn address(&self) -> String {
        self.addr.to_string()
    }

    /// The port.
    #[getter]
    fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Whether the sandbox still serves.
    #[getter]
    fn running(&self) -> bool {
        self.running.lock().map(|r| r.is_some()).unwrap_or(false)
    }

    /// Stops serving: lets requests in flight finish, then ends the runtime. Idempotent.
    fn stop(&self, py: Python<'_>) {
        let taken = match self.running.lock() {
            Ok(mut guard) => guard.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        if let Some((runtime, handle)) = taken {
            py.detach(move || {
                runtime.block_on(handle.shutdown());
                runtime.shutdown_background();
            });
        }
    }

    fn __repr__(&self) -> String {
        format!("NativeSandbox(address='{}')", self.addr)
    }
}

impl Drop for NativeSandbox {
    /// Garbage collected without `stop()`: the server is told to stop and the runtime's
    /// threads end on their own (waiting for them with the GIL held could deadlock).
    fn drop(&mut self) {
        let taken = match self.running.get_mut() {
            Ok(running) => running.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        if let Some((runtime, handle)) = taken {
            drop(handle);
            runtime.shutdown_background();
        }
    }
}
