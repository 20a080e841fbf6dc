//! Cloud Requests from Python: [`NativeRequests`] (the host, whose handlers are Python
//! callables) and [`NativeTemplate`] (a client that plays the template sprite's part, to test
//! a host offline).
//!
//! Both take over a [`NativeCloud`]'s events. A request runs its Python handler on a blocking
//! thread of the client's runtime (the GIL is taken there, never on a runtime worker), so
//! slow handlers do not stall the host and up to `max_concurrency` of them run at once.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use pyo3::exceptions::{PyOSError, PyRuntimeError, PyTimeoutError, PyValueError};
use pyo3::prelude::*;
use scratchkit_cloud_requests::{
    CloudLogsLookup, CloudRequests, CloudStorage, HandlerError, RequestContext, RequestEvent,
    RequestEvents, RequestsHandle, Response, TemplateClient, TemplateError, TemplateReply,
};
use tokio::runtime::Handle;

use crate::cloud::NativeCloud;
use crate::runtime::SharedRuntime;

/// A host event as Python receives it: `(kind, request or push id, name, detail)`.
type RequestEventTuple = (&'static str, Option<String>, Option<String>, Option<String>);

/// A reply as Python hands it over: `("text", str)`, `("number", int)` (0 to 2⁶⁴ − 1),
/// `("float", float)` or `("list", [str])`.
fn response_of(reply: &Bound<'_, PyAny>) -> PyResult<Response> {
    let (tag, value): (String, Bound<'_, PyAny>) = reply.extract()?;
    Ok(match tag.as_str() {
        "text" => Response::Text(value.extract()?),
        "number" => Response::Number(value.extract()?),
        "float" => Response::from(value.extract::<f64>()?),
        "list" => Response::List(value.extract()?),
        other => {
            return Err(PyValueError::new_err(format!(
                "a reply is tagged text, number, float or list, not {other:?}"
            )));
        }
    })
}

fn millis(timestamp: std::time::SystemTime) -> f64 {
    timestamp
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// Calls `dispatch(name, args, requester, request_id, timestamp_ms)` with the GIL and reads
/// its tagged reply; a Python exception becomes the handler's error (its text).
fn call_python(dispatch: &Py<PyAny>, ctx: RequestContext) -> Result<Response, HandlerError> {
    Python::attach(|py| {
        let answer = dispatch
            .call1(
                py,
                (
                    ctx.name,
                    ctx.args,
                    ctx.requester,
                    ctx.request_id,
                    millis(ctx.timestamp),
                ),
            )
            .map_err(|e| HandlerError::from(e.to_string()))?;
        response_of(answer.bind(py))
            .map_err(|e| HandlerError::from(format!("bad reply from the dispatcher: {e}")))
    })
}

fn event_tuple(event: RequestEvent) -> RequestEventTuple {
    use RequestEvent as E;
    match event {
        E::Ready => ("ready", None, None, None),
        E::Received { id, name, args } => ("received", Some(id), Some(name), Some(args.join("&"))),
        E::Replied {
            id, name, packets, ..
        } => ("replied", Some(id), Some(name), Some(packets.to_string())),
        E::UnknownRequest { id, name } => ("unknown_request", Some(id), Some(name), None),
        E::HandlerError { id, name, error } => ("handler_error", Some(id), Some(name), Some(error)),
        E::Duplicate { id } => ("duplicate", Some(id), None, None),
        E::Stale { id } => ("stale", Some(id), None, None),
        E::Resent { id, part } => ("resent", Some(id), None, Some(part.to_string())),
        E::ResendUnavailable { id, part } => {
            ("resend_unavailable", Some(id), None, Some(part.to_string()))
        }
        E::Malformed { value, error } => ("malformed", None, Some(value), Some(error)),
        E::Pushed { id, packets } => ("pushed", Some(id), None, Some(packets.to_string())),
        E::SendFailed { id, error } => ("send_failed", Some(id), None, Some(error)),
        E::Disconnected => ("disconnected", None, None, None),
        E::Reconnected => ("reconnected", None, None, None),
        E::Closed { reason } => ("closed", None, None, reason.map(|r| r.to_string())),
        _ => ("other", None, None, None),
    }
}

/// `timeout` seconds as a `Duration` (`None`: wait without limit).
fn wait_for(timeout: Option<f64>) -> PyResult<Option<Duration>> {
    match timeout {
        Some(t) if !(t.is_finite() && t >= 0.0) => Err(PyValueError::new_err(
            "timeout must be a non-negative number",
        )),
        Some(t) => Ok(Some(Duration::from_secs_f64(t))),
        None => Ok(None),
    }
}

fn poisoned<T>(_: T) -> PyErr {
    PyRuntimeError::new_err("cloud requests: a thread panicked while holding a lock")
}

/// A running Cloud Requests host; the Python class `scratchkit.CloudRequests` wraps it.
#[pyclass(module = "scratchkit._native")]
pub(crate) struct NativeRequests {
    host: Arc<RequestsHandle>,
    events: Mutex<RequestEvents>,
    storage: Option<CloudStorage>,
    handle: Handle,
    /// Keeps the client's runtime alive as long as the host.
    _runtime: SharedRuntime,
}

#[pymethods]
impl NativeRequests {
    /// Starts a host over `cloud` (whose events it takes). `dispatch` is called for every
    /// request named in `names` (see [`call_python`]); `storage` = `(file or None,
    /// databases)` adds the template's Cloud Storage requests; `requester_lookup` finds who
    /// sent each request in Scratch's cloud log (not on TurboWarp, which keeps none).
    ///
    /// Errors: `RuntimeError` when the connection's events are already taken, `OSError` or
    /// `ValueError` when the storage file cannot be read.
    #[new]
    #[pyo3(signature = (cloud, dispatch, names, *, storage = None, from_host_vars = None,
        max_concurrency = 16, snapshot_window = None, memory_file = None,
        reply_to_unknown = true, requester_lookup = true))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        cloud: &NativeCloud,
        dispatch: Py<PyAny>,
        names: Vec<String>,
        storage: Option<(Option<PathBuf>, Vec<String>)>,
        from_host_vars: Option<Vec<u8>>,
        max_concurrency: usize,
        snapshot_window: Option<f64>,
        memory_file: Option<PathBuf>,
        reply_to_unknown: bool,
        requester_lookup: bool,
    ) -> PyResult<Self> {
        let window = wait_for(snapshot_window)?;
        let storage = match storage {
            None => None,
            Some((None, databases)) => Some(CloudStorage::in_memory(databases)),
            Some((Some(path), databases)) => Some(
                CloudStorage::open(path, databases)
                    .map_err(|e| PyOSError::new_err(format!("cloud storage: {e}")))?,
            ),
        };
        let (sender, events, runtime) = cloud.take()?;
        let handle = runtime.handle();
        let mut requests = CloudRequests::new(sender, events)
            .max_concurrency(max_concurrency)
            .reply_to_unknown(reply_to_unknown);
        if let Some(numbers) = from_host_vars {
            requests = requests.from_host_vars(numbers);
        }
        if let Some(window) = window {
            requests = requests.snapshot_window(window);
        }
        if let Some(path) = memory_file {
            requests = requests.memory_file(path);
        }
        if let Some(storage) = &storage {
            requests = storage.install(requests);
        }
        if requester_lookup && let Some((client, project)) = cloud.logs() {
            requests = requests.requester_lookup(CloudLogsLookup::new(client, project));
        }
        let dispatch = Arc::new(dispatch);
        for name in names {
            let dispatch = Arc::clone(&dispatch);
            requests = requests.handler(&name, move |ctx: RequestContext| {
                let dispatch = Arc::clone(&dispatch);
                async move {
                    tokio::task::spawn_blocking(move || call_python(&dispatch, ctx))
                        .await
                        .map_err(|e| HandlerError::from(format!("the handler panicked: {e}")))?
                }
            });
        }
        let _runtime = handle.enter();
        let (host, events) = requests.start();
        Ok(Self {
            host: Arc::new(host),
            events: Mutex::new(events),
            storage,
            handle,
            _runtime: runtime,
        })
    }

    /// The next host event, waiting at most `timeout` seconds (None: until one comes); None
    /// on timeout, `("end", None, None, None)` once the host has stopped.
    #[pyo3(signature = (timeout = None))]
    fn next_event(
        &self,
        py: Python<'_>,
        timeout: Option<f64>,
    ) -> PyResult<Option<RequestEventTuple>> {
        let wait = wait_for(timeout)?;
        let next = py.detach(|| {
            let mut events = self.events.lock().map_err(poisoned)?;
            Ok::<_, PyErr>(self.handle.block_on(async {
                match wait {
                    Some(wait) => tokio::time::timeout(wait, events.recv()).await.ok(),
                    None => Some(events.recv().await),
                }
            }))
        })?;
        Ok(next.map(|event| event.map_or(("end", None, None, None), event_tuple)))
    }

    /// Sends `reply` (tagged like a handler's) to every running copy of the project; returns
    /// the push id. Errors: `ValueError` for a reply that does not fit, `RuntimeError` when
    /// the host or the connection has stopped.
    fn push(&self, reply: &Bound<'_, PyAny>) -> PyResult<String> {
        let response = response_of(reply)?;
        let _runtime = self.handle.enter();
        self.host
            .push(response)
            .map_err(|e| PyRuntimeError::new_err(format!("cloud requests: {e}")))
    }

    /// Stops serving: running handlers finish, their replies are sent, then the cloud
    /// connection is closed. Idempotent.
    fn stop(&self, py: Python<'_>) {
        let host = Arc::clone(&self.host);
        py.detach(|| {
            self.handle.block_on(async move {
                host.shutdown().await;
                host.sender().close();
            });
        });
    }

    /// The Cloud Storage value of `key` in `database`, or None.
    fn storage_get(&self, database: &str, key: &str) -> PyResult<Option<String>> {
        Ok(self.storage()?.get(database, key))
    }

    /// The keys of `database`, or None when it does not exist.
    fn storage_keys(&self, database: &str) -> PyResult<Option<Vec<String>>> {
        Ok(self.storage()?.keys(database))
    }

    /// Every database name.
    fn storage_databases(&self) -> PyResult<Vec<String>> {
        Ok(self.storage()?.database_names())
    }

    /// Sets `key` in `database` (saving the file, if any); False when the database does not
    /// exist. Errors: `OSError` when the file cannot be written (the value is kept).
    fn storage_set(
        &self,
        py: Python<'_>,
        database: &str,
        key: &str,
        value: &str,
    ) -> PyResult<bool> {
        let storage = self.storage()?.clone();
        py.detach(|| {
            self.handle
                .block_on(async move { storage.set(database, key, value).await })
        })
        .map_err(|e| PyOSError::new_err(format!("cloud storage: {e}")))
    }
}

impl NativeRequests {
    fn storage(&self) -> PyResult<&CloudStorage> {
        self.storage
            .as_ref()
            .ok_or_else(|| PyRuntimeError::new_err("this host has no Cloud Storage"))
    }
}

/// A reply as Python receives it: `(items, raw, packets, rerequests)`.
type ReplyTuple = (Vec<String>, bool, usize, usize);

fn reply_tuple(reply: TemplateReply) -> ReplyTuple {
    (reply.items, reply.raw, reply.packets, reply.rerequests)
}

fn template_error(error: TemplateError) -> PyErr {
    match error {
        TemplateError::Timeout(after) => PyTimeoutError::new_err(format!(
            "no complete reply within {:.1} s",
            after.as_secs_f64()
        )),
        other => PyRuntimeError::new_err(format!("template client: {other}")),
    }
}

/// The project's side of Cloud Requests (what the template sprite does), over a cloud
/// connection; the Python class `scratchkit.cloud_requests.TemplateClient` wraps it.
#[pyclass(module = "scratchkit._native")]
pub(crate) struct NativeTemplate {
    client: Mutex<TemplateClient>,
    handle: Handle,
    /// Keeps the client's runtime alive as long as the template client.
    _runtime: SharedRuntime,
}

#[pymethods]
impl NativeTemplate {
    /// A template client over `cloud` (whose events it takes), giving up on a reply after
    /// `timeout` seconds (the template's 10 s by default).
    ///
    /// Errors: `RuntimeError` when the connection's events are already taken.
    #[new]
    #[pyo3(signature = (cloud, *, timeout = None))]
    fn new(cloud: &NativeCloud, timeout: Option<f64>) -> PyResult<Self> {
        let wait = wait_for(timeout)?;
        let (sender, events, runtime) = cloud.take()?;
        let mut client = TemplateClient::new(sender, events);
        if let Some(wait) = wait {
            client = client.with_timeout(wait);
        }
        Ok(Self {
            client: Mutex::new(client),
            handle: runtime.handle(),
            _runtime: runtime,
        })
    }

    /// Sends request `name` with `args` through `TO_HOST` and waits for the complete reply.
    /// Errors: `TimeoutError` without a complete reply in time, `RuntimeError` when the
    /// connection closed or a packet could not be decoded.
    fn request(&self, py: Python<'_>, name: &str, args: Vec<String>) -> PyResult<ReplyTuple> {
        py.detach(|| {
            let mut client = self.client.lock().map_err(poisoned)?;
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            self.handle
                .block_on(client.request(name, &args))
                .map(reply_tuple)
                .map_err(template_error)
        })
    }

    /// Waits for the next complete server push. Errors: as [`NativeTemplate::request`].
    fn next_push(&self, py: Python<'_>) -> PyResult<ReplyTuple> {
        py.detach(|| {
            let mut client = self.client.lock().map_err(poisoned)?;
            self.handle
                .block_on(client.next_push())
                .map(reply_tuple)
                .map_err(template_error)
        })
    }

    /// Every `TO_HOST` value sent so far (requests, chunks and re-requests).
    fn sent(&self) -> PyResult<Vec<String>> {
        Ok(self.client.lock().map_err(poisoned)?.sent().to_vec())
    }
}
