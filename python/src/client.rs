//! [`NativeClient`]: the scratchkit client on a runtime of its own.

use std::future::IntoFuture;
use std::net::SocketAddr;
use std::sync::Arc;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use scratchkit::Client;
use scratchkit::cloud::CloudBuilder;
use scratchkit::model::ProjectId;
use serde_json::Value;
use tokio::runtime::Handle;

use crate::cloud::{NativeCloud, cloud_error};
use crate::errors::classify;
use crate::ops::{BadArguments, Op, run};
use crate::runtime::{Owned, SharedRuntime, background};

/// What an operation ends with, as Python receives it: `(None, json)` on success,
/// `(class_name, message, status)` on failure.
enum Outcome {
    Ok(String),
    Err(&'static str, String, Option<u16>),
}

impl Outcome {
    fn of(result: scratchkit::Result<String>) -> Self {
        match result {
            Ok(json) => Outcome::Ok(json),
            Err(error) => {
                let (class, status) = classify(&error);
                Outcome::Err(class, error.to_string(), status)
            }
        }
    }

    fn into_py(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(match self {
            Outcome::Ok(json) => (py.None(), json).into_pyobject(py)?.into_any().unbind(),
            Outcome::Err(class, message, status) => (class, message, status)
                .into_pyobject(py)?
                .into_any()
                .unbind(),
        })
    }
}

fn parse(op: &str, args: &str) -> PyResult<Op> {
    let args: Value = serde_json::from_str(args)
        .map_err(|e| PyValueError::new_err(format!("arguments are not JSON: {e}")))?;
    Op::parse(op, &args).map_err(|BadArguments(message)| PyValueError::new_err(message))
}

/// The scratchkit client for the live site or a sandbox. The Python classes
/// `scratchkit.Session` (blocking) and `scratchkit.AsyncSession` wrap it.
#[pyclass(module = "scratchkit._native")]
pub(crate) struct NativeClient {
    client: Client,
    /// Runs the operations.
    handle: Handle,
    /// Keeps the runtime's threads (shared with the cloud connections opened here).
    runtime: SharedRuntime,
}

impl NativeClient {
    /// Connects `builder` on the client's runtime, without the GIL.
    /// `logs`: the project whose cloud log is Scratch's (None on TurboWarp).
    fn open_cloud(
        &self,
        py: Python<'_>,
        builder: CloudBuilder,
        logs: Option<ProjectId>,
    ) -> PyResult<NativeCloud> {
        let (sender, events) = py
            .detach(|| self.handle.block_on(builder.into_future()))
            .map_err(cloud_error)?;
        let logs = logs.map(|project| (self.client.clone(), project));
        Ok(NativeCloud::new(
            sender,
            events,
            Arc::clone(&self.runtime),
            logs,
        ))
    }
}

#[pymethods]
impl NativeClient {
    /// A client for the live site (`sandbox=None`) or for the sandbox at `HOST:PORT`.
    ///
    /// Errors: `ValueError` for an address that is not `HOST:PORT`; `RuntimeError` when the
    /// HTTP stack or the runtime cannot start.
    #[new]
    #[pyo3(signature = (*, sandbox = None, user_agent = None))]
    fn new(sandbox: Option<&str>, user_agent: Option<String>) -> PyResult<Self> {
        let mut builder = Client::builder();
        if let Some(addr) = sandbox {
            let addr: SocketAddr = addr
                .parse()
                .map_err(|e| PyValueError::new_err(format!("bad sandbox address {addr:?}: {e}")))?;
            builder = builder
                .hosts(scratchkit::Hosts::sandbox(addr))
                .rate_limit(scratchkit::RateLimit::unlimited());
        }
        if let Some(agent) = user_agent {
            builder = builder.user_agent(agent);
        }
        let client = builder
            .build()
            .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
        let runtime = Owned::share(background("scratchkit-client", 1)?);
        Ok(Self {
            client,
            handle: runtime.handle(),
            runtime,
        })
    }

    /// Runs operation `op` with the JSON object `args`, blocking this thread (not the GIL):
    /// `(None, json)` or `(error_class, message, status)`.
    fn call(&self, py: Python<'_>, op: &str, args: &str) -> PyResult<Py<PyAny>> {
        let op = parse(op, args)?;
        let client = self.client.clone();
        // The work runs in a task, next to its connection's task (see the client crate's
        // "Which Tokio runtime").
        let outcome = py.detach(|| {
            self.handle.block_on(async move {
                match tokio::spawn(async move { Outcome::of(run(&client, op).await) }).await {
                    Ok(outcome) => outcome,
                    Err(e) => Outcome::Err(
                        "ScratchkitError",
                        format!("the operation panicked: {e}"),
                        None,
                    ),
                }
            })
        });
        outcome.into_py(py)
    }

    /// Starts operation `op` and returns at once; `callback(outcome)` is called from a
    /// runtime thread with the same tuple [`NativeClient::call`] returns.
    fn submit(&self, op: &str, args: &str, callback: Py<PyAny>) -> PyResult<()> {
        let op = parse(op, args)?;
        let client = self.client.clone();
        self.handle.spawn(async move {
            let outcome = Outcome::of(run(&client, op).await);
            Python::attach(|py| {
                let result = outcome
                    .into_py(py)
                    .and_then(|value| callback.call1(py, (value,)).map(drop));
                if let Err(error) = result {
                    error.print(py);
                }
            });
        });
        Ok(())
    }

    /// Opens the cloud-variable connection of `project_id` on Scratch's rules (needs a
    /// login). Errors: `RuntimeError` when the server refuses or cannot be reached.
    fn cloud(&self, py: Python<'_>, project_id: u64) -> PyResult<NativeCloud> {
        let project = ProjectId(project_id);
        self.open_cloud(py, self.client.cloud(project), Some(project))
    }

    /// Opens TurboWarp's cloud-variable connection of `project_id` as `username` (no login;
    /// the client's User-Agent is sent). Errors: `RuntimeError` when the server refuses or
    /// cannot be reached.
    fn turbowarp_cloud(
        &self,
        py: Python<'_>,
        project_id: u64,
        username: String,
    ) -> PyResult<NativeCloud> {
        self.open_cloud(
            py,
            self.client.turbowarp_cloud(ProjectId(project_id), username),
            None,
        )
    }

    /// Whether the client holds a login.
    #[getter]
    fn logged_in(&self) -> bool {
        self.client.is_logged_in()
    }
}
