//! Operator rules checked when a client connects and joins: address blocks and per-address
//! limits at the upgrade, username and project rules at the handshake, and the blocks an
//! operator adds while the server runs.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode, header::ORIGIN};
use axum::response::{IntoResponse, Response};
use ipnet::IpNet;

use crate::blocks_file::{BlocksFile, BlocksFileError};
use crate::config::Secret;
use crate::filters::{WordFilter, fold};
use crate::metrics::{Metrics, Rejection};
use crate::options::CloudMode;
use crate::project_check::{Checker, ProjectCheck, Verdict};
use crate::proxy::client_addr;
use crate::state::CloudState;

/// Operator settings that apply to both rule sets.
///
/// ```
/// use scratchkit_cloud_server::{CloudOptions, OperatorOptions};
///
/// let mut options = CloudOptions::default();
/// options.operator.connections_per_ip = 20;
/// options.operator.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
/// assert!(options.operator.admin_token.is_none());
/// ```
#[derive(Clone)]
pub struct OperatorOptions {
    /// Open connections from one client address; 0 for no limit (more get HTTP 429).
    pub connections_per_ip: usize,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpNet>,
    /// The admin API's bearer token; `None` turns the API off (404).
    pub admin_token: Option<Secret>,
    /// Serve `GET /values/{rules}/{project}` without a token.
    pub public_values: bool,
    /// Only these projects may have a room (others close with 4004); `None` allows all.
    pub allowed_projects: Option<HashSet<String>>,
    /// Ask a URL before a room opens.
    pub project_check: Option<ProjectCheck>,
    /// Which rules `/` serves on the standalone server (`None`: none).
    pub root: Option<CloudMode>,
    /// How long a graceful shutdown waits for clients to close (zero: not at all).
    pub shutdown_grace: Duration,
    /// A JSON file that keeps the operator's [`Blocks`] across restarts (read when the
    /// server starts, rewritten after every change); `None` keeps them in memory only.
    /// `scratch cloud-server --data DIR` uses `DIR/`[`BLOCKS_FILE`](crate::BLOCKS_FILE).
    pub blocks_file: Option<PathBuf>,
}

impl Default for OperatorOptions {
    fn default() -> Self {
        OperatorOptions {
            connections_per_ip: 0,
            trusted_proxies: Vec::new(),
            admin_token: None,
            public_values: false,
            allowed_projects: None,
            project_check: None,
            root: Some(CloudMode::TurboWarp),
            shutdown_grace: Duration::from_secs(5),
            blocks_file: None,
        }
    }
}

impl fmt::Debug for OperatorOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperatorOptions")
            .field("connections_per_ip", &self.connections_per_ip)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("admin_token", &self.admin_token)
            .field("public_values", &self.public_values)
            .field("allowed_projects", &self.allowed_projects)
            .field("project_check", &self.project_check)
            .field("root", &self.root)
            .field("shutdown_grace", &self.shutdown_grace)
            .field("blocks_file", &self.blocks_file)
            .finish()
    }
}

/// What an operator blocked while the server runs (kept in
/// [`OperatorOptions::blocks_file`] when one is set).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Blocks {
    /// Project ids.
    pub projects: BTreeSet<String>,
    /// Usernames, folded (lowercase letters and digits).
    pub usernames: BTreeSet<String>,
    /// Addresses and networks.
    pub addresses: BTreeSet<IpNet>,
}

/// The operator side of the server's state.
#[derive(Debug, Default)]
pub(crate) struct Gatekeeper {
    pub(crate) metrics: Metrics,
    blocks: RwLock<Blocks>,
    per_address: Mutex<HashMap<IpAddr, usize>>,
    checker: Option<Checker>,
    draining: AtomicBool,
    /// Where blocks are saved, with a lock that keeps the writes in order.
    saved_to: Mutex<Option<BlocksFile>>,
}

impl Gatekeeper {
    /// The gatekeeper of a new server: the blocks of `options.blocks_file` (none when it
    /// does not exist yet). A file that cannot be read is logged and left alone: the blocks
    /// start empty, and every change is refused a save (the admin API answers 500).
    pub(crate) fn new(options: &OperatorOptions) -> Self {
        let (blocks, saved_to) = match &options.blocks_file {
            None => (Blocks::default(), None),
            Some(path) => match BlocksFile::load(path) {
                Ok(blocks) => (blocks, Some(BlocksFile::new(path.clone()))),
                Err(error) => {
                    tracing::error!(%error, "operator blocks not loaded; they will not be saved");
                    let file = BlocksFile::not_loaded(path.clone(), error.to_string());
                    (Blocks::default(), Some(file))
                }
            },
        };
        Gatekeeper {
            checker: options.project_check.clone().map(Checker::new),
            blocks: RwLock::new(blocks),
            saved_to: Mutex::new(saved_to),
            ..Gatekeeper::default()
        }
    }

    /// Writes the current blocks to the blocks file, if there is one.
    pub(crate) fn save_blocks(&self) -> Result<(), BlocksFileError> {
        let saved_to = self
            .saved_to
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match saved_to.as_ref() {
            Some(file) => file.save(&self.blocks()),
            None => Ok(()),
        }
    }

    pub(crate) fn blocks(&self) -> std::sync::RwLockReadGuard<'_, Blocks> {
        self.blocks
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn blocks_mut(&self) -> std::sync::RwLockWriteGuard<'_, Blocks> {
        self.blocks
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn per_address(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, usize>> {
        self.per_address
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether a graceful shutdown has begun.
    pub(crate) fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }

    pub(crate) fn start_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }
}

/// A connection's place in the per-address count, given back when it ends.
#[derive(Debug)]
pub(crate) struct Ticket {
    state: CloudState,
    addr: Option<IpAddr>,
    counted: bool,
}

impl Ticket {
    /// The client's address, when known.
    pub(crate) fn addr(&self) -> Option<IpAddr> {
        self.addr
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if let (true, Some(addr)) = (self.counted, self.addr) {
            let gate = self.state.gatekeeper();
            let mut counts = gate.per_address();
            if let Some(count) = counts.get_mut(&addr) {
                *count -= 1;
                if *count == 0 {
                    counts.remove(&addr);
                }
            }
        }
    }
}

/// An upgrade refused at the door: an HTTP status and a line of text.
#[derive(Debug)]
pub(crate) struct Refusal(StatusCode, &'static str);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (self.0, self.1).into_response()
    }
}

fn refuse(
    state: &CloudState,
    reason: Rejection,
    status: StatusCode,
    text: &'static str,
) -> Refusal {
    state.gatekeeper().metrics.reject(reason);
    Refusal(status, text)
}

/// The checks of an upgrade request: draining, origin, blocked address, per-address limit.
/// On success the [`Ticket`] holds the connection's place until it is dropped.
pub(crate) fn admit_upgrade(
    state: &CloudState,
    mode: CloudMode,
    peer: Option<std::net::SocketAddr>,
    headers: &HeaderMap,
) -> Result<Ticket, Refusal> {
    let gate = state.gatekeeper();
    let options = state.options();
    if gate.is_draining() || state.is_shut_down() {
        return Err(refuse(
            state,
            Rejection::ShuttingDown,
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting down\n",
        ));
    }
    let origins = match mode {
        CloudMode::Scratch => &options.scratch.allowed_origins,
        CloudMode::TurboWarp => &options.turbowarp.allowed_origins,
    };
    if !origins.is_empty() {
        let origin = headers.get(ORIGIN).and_then(|value| value.to_str().ok());
        if !origin.is_some_and(|origin| origins.iter().any(|o| o == origin)) {
            return Err(refuse(
                state,
                Rejection::Origin,
                StatusCode::FORBIDDEN,
                "Origin not allowed\n",
            ));
        }
    }
    let addr = peer.map(|peer| client_addr(peer.ip(), headers, &options.operator.trusted_proxies));
    let mut ticket = Ticket {
        state: state.clone(),
        addr,
        counted: false,
    };
    let Some(addr) = addr else {
        return Ok(ticket);
    };
    if gate
        .blocks()
        .addresses
        .iter()
        .any(|net| net.contains(&addr))
    {
        return Err(refuse(
            state,
            Rejection::AddressBlocked,
            StatusCode::FORBIDDEN,
            "address blocked\n",
        ));
    }
    let limit = options.operator.connections_per_ip;
    let mut counts = gate.per_address();
    let count = counts.entry(addr).or_insert(0);
    if limit > 0 && *count >= limit {
        drop(counts);
        tracing::info!(%addr, "too many connections from one address");
        return Err(refuse(
            state,
            Rejection::PerAddressLimit,
            StatusCode::TOO_MANY_REQUESTS,
            "too many connections from your address\n",
        ));
    }
    *count += 1;
    ticket.counted = true;
    Ok(ticket)
}

/// Whether `user` may join with `mode`'s rules (blocklist, filter, operator blocks).
pub(crate) fn username_allowed(state: &CloudState, mode: CloudMode, user: &str) -> bool {
    let options = state.options();
    let (blocklist, filter): (&[String], &WordFilter) = match mode {
        CloudMode::Scratch => (
            &options.scratch.username_blocklist,
            &options.scratch.username_filter,
        ),
        CloudMode::TurboWarp => (
            &options.turbowarp.username_blocklist,
            &options.turbowarp.username_filter,
        ),
    };
    let folded = fold(user);
    let refused = blocklist.iter().any(|blocked| fold(blocked) == folded)
        || filter.matches(user)
        || state.gatekeeper().blocks().usernames.contains(&folded);
    if refused {
        state.gatekeeper().metrics.reject(Rejection::Username);
    }
    !refused
}

/// Whether a project may have a room: `Ok`, or the close code (4004 refused, 4003 the check
/// did not answer).
pub(crate) fn project_allowed(state: &CloudState, project: &str) -> Result<(), u16> {
    let gate = state.gatekeeper();
    let operator = &state.options().operator;
    let listed = operator
        .allowed_projects
        .as_ref()
        .is_none_or(|allowed| allowed.contains(project));
    if !listed || gate.blocks().projects.contains(project) {
        gate.metrics.reject(Rejection::Project);
        return Err(crate::connection::CLOSE_PROJECT);
    }
    let Some(checker) = &gate.checker else {
        return Ok(());
    };
    match checker.cached(project) {
        Verdict::Allowed => Ok(()),
        Verdict::Refused => {
            gate.metrics.reject(Rejection::Project);
            Err(crate::connection::CLOSE_PROJECT)
        }
        Verdict::Unknown => {
            gate.metrics.reject(Rejection::ProjectCheckFailed);
            Err(crate::connection::CLOSE_OVERLOADED)
        }
    }
}

/// Before a handshake is handled: asks the project check (if any) about the handshake's
/// project, so that [`project_allowed`] finds the answer cached. Anything that is not a
/// handshake with a project id is left to the handshake's own checks.
pub(crate) async fn prepare_handshake(state: &CloudState, frame: &str) {
    let Some(checker) = &state.gatekeeper().checker else {
        return;
    };
    let Some(project) = handshake_project(frame) else {
        return;
    };
    let _ = checker.ask(&project).await;
}

/// The project a frame's first line asks to join, when that line is a handshake.
pub(crate) fn handshake_project(frame: &str) -> Option<String> {
    let line = frame
        .split('\n')
        .find(|line| !line.trim().is_empty())
        .unwrap_or("");
    let Ok(serde_json::Value::Object(object)) = serde_json::from_str::<serde_json::Value>(line)
    else {
        return None;
    };
    if object.get("method").and_then(serde_json::Value::as_str) != Some("handshake") {
        return None;
    }
    match object.get("project_id") {
        Some(serde_json::Value::String(project)) => Some(project.clone()),
        Some(serde_json::Value::Number(number)) => {
            number.as_f64().map(scratchkit_model::js_number_to_string)
        }
        _ => None,
    }
}
