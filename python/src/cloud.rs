//! [`NativeCloud`]: a cloud-variable connection of the scratchkit client.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use scratchkit::Client;
use scratchkit::cloud::{CloudError, CloudEvent, CloudEvents, CloudSender};
use scratchkit::model::ProjectId;
use tokio::runtime::Handle;

use crate::runtime::SharedRuntime;

/// One event as Python receives it: `(kind, name or detail, value or new name)`.
pub(crate) type EventTuple = (&'static str, Option<String>, Option<String>);

/// `CloudError` as a Python exception: bad values are `ValueError`s, the rest
/// `RuntimeError`s whose message names the cause (`scratchkit.CloudError` wraps both).
pub(crate) fn cloud_error(error: CloudError) -> PyErr {
    match error {
        CloudError::Invalid(e) => PyValueError::new_err(format!("invalid cloud value: {e}")),
        other => PyRuntimeError::new_err(format!("cloud: {other}")),
    }
}

fn event_tuple(event: CloudEvent) -> EventTuple {
    match event {
        CloudEvent::Connected => ("connected", None, None),
        CloudEvent::Set { name, value } => ("set", Some(name), Some(value)),
        CloudEvent::Create { name, value } => ("create", Some(name), Some(value)),
        CloudEvent::Delete { name } => ("delete", Some(name), None),
        CloudEvent::Rename { name, new_name } => ("rename", Some(name), Some(new_name)),
        CloudEvent::Reconnecting { attempt, delay } => (
            "reconnecting",
            Some(attempt.to_string()),
            Some(format!("{:.3}", delay.as_secs_f64())),
        ),
        CloudEvent::Reconnected => ("reconnected", None, None),
        CloudEvent::Closed { reason } => ("closed", Some(reason.to_string()), None),
        _ => ("other", None, None),
    }
}

/// A connection to a project's cloud variables (reconnecting by itself); the Python class
/// `scratchkit.CloudConnection` wraps it.
#[pyclass(module = "scratchkit._native")]
pub(crate) struct NativeCloud {
    sender: CloudSender,
    /// `None` once handed to a Cloud Requests host or a template client.
    events: Mutex<Option<CloudEvents>>,
    handle: Handle,
    /// Keeps the client's runtime alive as long as the connection.
    runtime: SharedRuntime,
    /// For a Scratch connection: the client and project whose cloud log names who set what.
    logs: Option<(Client, ProjectId)>,
}

impl NativeCloud {
    pub(crate) fn new(
        sender: CloudSender,
        events: CloudEvents,
        runtime: SharedRuntime,
        logs: Option<(Client, ProjectId)>,
    ) -> Self {
        Self {
            sender,
            events: Mutex::new(Some(events)),
            handle: runtime.handle(),
            runtime,
            logs,
        }
    }

    /// The client and project of a Scratch connection (None on TurboWarp, which keeps no
    /// cloud log).
    pub(crate) fn logs(&self) -> Option<(Client, ProjectId)> {
        self.logs.clone()
    }

    /// The sender, the events (taken: this connection reports no more events itself) and
    /// the runtime, for a Cloud Requests host or a template client.
    ///
    /// Errors: `RuntimeError` when the events were already taken.
    pub(crate) fn take(&self) -> PyResult<(CloudSender, CloudEvents, SharedRuntime)> {
        let events = self
            .events
            .lock()
            .map_err(|_| PyRuntimeError::new_err("cloud events: a reader panicked"))?
            .take()
            .ok_or_else(taken)?;
        Ok((self.sender.clone(), events, Arc::clone(&self.runtime)))
    }
}

fn taken() -> PyErr {
    PyRuntimeError::new_err(
        "cloud: this connection's events belong to a Cloud Requests host or template client",
    )
}

#[pymethods]
impl NativeCloud {
    /// Sets a variable (name with or without `☁ `); sent at once or after a reconnection.
    /// `ValueError` for a value the server's rules refuse.
    fn set(&self, name: &str, value: &str) -> PyResult<()> {
        self.sender.set(name, value).map_err(cloud_error)
    }

    /// The last value seen for `name`, or None.
    fn get(&self, name: &str) -> Option<String> {
        self.sender.get(name)
    }

    /// Every value seen, by name without `☁ `.
    fn values(&self) -> HashMap<String, String> {
        self.sender.values()
    }

    /// Whether the WebSocket is open now.
    #[getter]
    fn connected(&self) -> bool {
        self.sender.is_connected()
    }

    /// Waits (without the GIL) until every queued set is sent.
    fn flush(&self, py: Python<'_>) -> PyResult<()> {
        let sender = self.sender.clone();
        py.detach(|| self.handle.block_on(async move { sender.flush().await }))
            .map_err(cloud_error)
    }

    /// The next event, waiting at most `timeout` seconds (None: until one comes); None on
    /// timeout, `("end", None, None)` once the connection has ended.
    #[pyo3(signature = (timeout = None))]
    fn next_event(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Option<EventTuple>> {
        let wait = match timeout {
            Some(t) if !(t.is_finite() && t >= 0.0) => {
                return Err(PyValueError::new_err(
                    "timeout must be a non-negative number",
                ));
            }
            Some(t) => Some(Duration::from_secs_f64(t)),
            None => None,
        };
        let next = py.detach(|| {
            // Locked without the GIL: a second reader waits here, not in Python.
            let mut guard = self
                .events
                .lock()
                .map_err(|_| PyRuntimeError::new_err("cloud events: a reader panicked"))?;
            let events = guard.as_mut().ok_or_else(taken)?;
            Ok::<_, PyErr>(self.handle.block_on(async {
                match wait {
                    Some(wait) => tokio::time::timeout(wait, events.recv()).await.ok(),
                    None => Some(events.recv().await),
                }
            }))
        })?;
        Ok(next.map(|event| event.map_or(("end", None, None), event_tuple)))
    }

    /// Closes the connection (no reconnection).
    fn close(&self) {
        self.sender.close();
    }
}
