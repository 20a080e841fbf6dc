//! Settings of the cloud server: the rules of each mode, limits and switches.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::filters::WordFilter;
use crate::gatekeeper::OperatorOptions;

/// Which server a socket imitates (its rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CloudMode {
    /// clouddata.scratch.mit.edu (`/cloud`): session cookie, Origin, 10 variables, 256
    /// characters, rate limit, logs.
    Scratch,
    /// clouddata.turbowarp.org (`/turbowarp`): no auth, Scratch cookie refused, 128
    /// variables, 100 000 characters, no logs.
    TurboWarp,
}

impl CloudMode {
    /// The rules' name in the database, the admin API's paths and its answers.
    pub(crate) fn name(self) -> &'static str {
        match self {
            CloudMode::Scratch => "scratch",
            CloudMode::TurboWarp => "turbowarp",
        }
    }

    /// The inverse of [`name`](Self::name).
    pub(crate) fn from_name(name: &str) -> Option<CloudMode> {
        match name {
            "scratch" => Some(CloudMode::Scratch),
            "turbowarp" => Some(CloudMode::TurboWarp),
            _ => None,
        }
    }
}

/// Decides whether an upgrade request carries a valid session: returns the session's
/// username, or `None` to refuse the connection (HTTP 401).
pub type SessionValidator = Arc<dyn Fn(&http::HeaderMap) -> Option<String> + Send + Sync>;

/// Decides whether a project id may have a cloud room (false closes with 4004).
pub type ProjectValidator = Arc<dyn Fn(&str) -> bool + Send + Sync>;

/// What happens to a client that sends faster than its rules' rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverLimit {
    /// The message is dropped (and logged); the connection stays open.
    Drop,
    /// The connection is closed with 4000.
    Close,
}

/// A per-connection token bucket for incoming messages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InboundRate {
    /// Sustained messages per second.
    pub per_second: f64,
    /// Messages accepted at once.
    pub burst: u32,
}

/// Scratch-mode rules.
#[derive(Clone)]
pub struct ScratchRules {
    /// Accepted `Origin` headers; empty accepts any (a refused Origin gets HTTP 403).
    pub allowed_origins: Vec<String>,
    /// Checks the session and tells its username; `None` (the default) accepts any
    /// `scratchsessionsid` cookie and trusts the handshake username.
    pub session_validator: Option<SessionValidator>,
    /// With no validator: whether a `scratchsessionsid` cookie is required (HTTP 401 without).
    pub require_session_cookie: bool,
    /// Variables per project (sets of new variables beyond it are dropped).
    pub max_variables: usize,
    /// Longest value (longer ones are dropped).
    pub max_value_len: usize,
    /// Incoming rate limit; `None` for none.
    pub rate: Option<InboundRate>,
    /// What to do with messages over the rate limit.
    pub over_limit: OverLimit,
    /// Which project ids may have a Scratch-mode room (false closes with 4004), on top of
    /// [`CloudOptions::project_validator`]; the sandbox checks that the project exists.
    pub project_validator: Option<ProjectValidator>,
    /// Usernames refused with 4002 (letters and digits compared, case ignored).
    pub username_blocklist: Vec<String>,
    /// Usernames matching this filter are refused with 4002.
    pub username_filter: WordFilter,
    /// How long a room keeps its variables after its last client left; `None` (Scratch's
    /// behaviour) keeps them forever.
    pub room_expiry: Option<Duration>,
}

impl Default for ScratchRules {
    fn default() -> Self {
        ScratchRules {
            allowed_origins: vec!["https://scratch.mit.edu".to_owned()],
            session_validator: None,
            require_session_cookie: true,
            max_variables: 10,
            max_value_len: 256,
            rate: Some(InboundRate {
                per_second: 10.0,
                burst: 15,
            }),
            over_limit: OverLimit::Drop,
            project_validator: None,
            username_blocklist: Vec::new(),
            username_filter: WordFilter::default(),
            room_expiry: None,
        }
    }
}

impl fmt::Debug for ScratchRules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScratchRules")
            .field("allowed_origins", &self.allowed_origins)
            .field("session_validator", &self.session_validator.is_some())
            .field("require_session_cookie", &self.require_session_cookie)
            .field("max_variables", &self.max_variables)
            .field("max_value_len", &self.max_value_len)
            .field("rate", &self.rate)
            .field("over_limit", &self.over_limit)
            .field("project_validator", &self.project_validator.is_some())
            .field("username_blocklist", &self.username_blocklist)
            .field("username_filter", &self.username_filter.len())
            .field("room_expiry", &self.room_expiry)
            .finish()
    }
}

/// How long TurboWarp keeps an empty room: one hour after its last client left.
pub const TURBOWARP_ROOM_EXPIRY: Duration = Duration::from_secs(60 * 60);

/// TurboWarp-mode rules.
#[derive(Debug, Clone)]
pub struct TurboWarpRules {
    /// Refuse connections without a non-empty User-Agent (close 4006), as clouddata.turbowarp.org does.
    pub require_user_agent: bool,
    /// Variables per room (creating one more closes with 4000).
    pub max_variables: usize,
    /// Longest value (longer ones are dropped).
    pub max_value_len: usize,
    /// Usernames refused with 4002 (letters and digits compared, case ignored), against
    /// impersonation.
    pub username_blocklist: Vec<String>,
    /// Usernames matching this filter are refused with 4002.
    pub username_filter: WordFilter,
    /// Sets of variables whose name matches this filter are dropped.
    pub name_filter: WordFilter,
    /// Accepted `Origin` headers; empty (the default) accepts any (others get HTTP 403).
    pub allowed_origins: Vec<String>,
    /// Incoming rate limit; `None` (TurboWarp's behaviour) for none.
    pub rate: Option<InboundRate>,
    /// What to do with messages over the rate limit.
    pub over_limit: OverLimit,
    /// How long a room keeps its variables after its last client left (TurboWarp's server
    /// deletes empty rooms after about an hour); a client joining in time keeps them. `None`
    /// keeps rooms forever.
    pub room_expiry: Option<Duration>,
}

impl Default for TurboWarpRules {
    fn default() -> Self {
        TurboWarpRules {
            require_user_agent: true,
            max_variables: 128,
            max_value_len: 100_000,
            username_blocklist: ["ScratchCat", "Scratch", "ScratchTeam", "TurboWarp"]
                .map(String::from)
                .to_vec(),
            username_filter: WordFilter::default(),
            name_filter: WordFilter::default(),
            allowed_origins: Vec::new(),
            rate: None,
            over_limit: OverLimit::Drop,
            room_expiry: Some(TURBOWARP_ROOM_EXPIRY),
        }
    }
}

/// Default of [`CloudOptions::max_gather`]: 5 ms, which keeps the p99 latency of a busy
/// room under half of TurboWarp's server (it writes every 16.7 ms) in `cloud-bench`; 8 ms
/// saved a little CPU but put p99 at 0.56× of TurboWarp's.
pub const DEFAULT_MAX_GATHER: Duration = Duration::from_millis(5);

/// Settings of the cloud server.
#[derive(Clone)]
pub struct CloudOptions {
    /// Rules on `/cloud`.
    pub scratch: ScratchRules,
    /// Rules on `/turbowarp`.
    pub turbowarp: TurboWarpRules,
    /// Clients per room (one more is closed with 4000).
    pub max_clients_per_room: usize,
    /// Rooms with clients at once (a new room beyond it is closed with 4003).
    pub max_rooms: usize,
    /// Ping period; a client that missed the previous ping, or has not handshaken by the
    /// next tick, is dropped.
    pub ping_interval: Duration,
    /// Split incoming frames on `\n` (false: one JSON value per frame, like TurboWarp).
    pub split_frames: bool,
    /// Send the join snapshot after the handshake.
    pub send_snapshot: bool,
    /// Largest incoming message, in bytes.
    pub max_message_size: usize,
    /// Which project ids may have a room (both modes); `None` accepts any.
    pub project_validator: Option<ProjectValidator>,
    /// Operator settings: per-address limit, trusted proxies, admin API, allowed projects.
    pub operator: OperatorOptions,
    /// Longest a busy connection gathers lines between two writes (zero: write on every
    /// wake-up). A line after a quiet spell goes out at once; after a write the connection
    /// waits 2 ms per line that write carried, at least 5 ms and at most this, so a
    /// connection that receives hundreds of lines a second writes them in fewer, larger
    /// frames (TurboWarp's server writes every 16.7 ms).
    pub max_gather: Duration,
    /// Redis URL shared by several instances of the standalone server
    /// ([`serve_standalone_with`](crate::serve_standalone_with)); `None` runs alone. A secret:
    /// it may hold a password.
    pub redis: Option<crate::Secret>,
    /// Limits on TCP connections and HTTP requests of the standalone server
    /// ([`serve_standalone_with`](crate::serve_standalone_with)); the per-address WebSocket
    /// limit is the gatekeeper's (`connections_per_ip`), so the per-address limit here is
    /// off by default. A server mounted in another app (the sandbox) uses that app's limits.
    pub http: crate::http_serve::ServerLimits,
}

impl Default for CloudOptions {
    fn default() -> Self {
        CloudOptions {
            scratch: ScratchRules::default(),
            turbowarp: TurboWarpRules::default(),
            max_clients_per_room: 128,
            max_rooms: 16_384,
            ping_interval: Duration::from_secs(30),
            split_frames: true,
            send_snapshot: true,
            max_message_size: 1 << 20,
            project_validator: None,
            operator: OperatorOptions::default(),
            max_gather: DEFAULT_MAX_GATHER,
            redis: None,
            http: crate::http_serve::ServerLimits {
                max_connections: 65_536,
                max_connections_per_ip: usize::MAX,
                ..crate::http_serve::ServerLimits::default()
            },
        }
    }
}

impl CloudOptions {
    /// The incoming rate limit of `mode`'s rules and what happens over it.
    pub fn rate(&self, mode: CloudMode) -> (Option<InboundRate>, OverLimit) {
        match mode {
            CloudMode::Scratch => (self.scratch.rate, self.scratch.over_limit),
            CloudMode::TurboWarp => (self.turbowarp.rate, self.turbowarp.over_limit),
        }
    }

    /// How long an empty room of `mode` keeps its variables (`None`: forever).
    pub fn room_expiry(&self, mode: CloudMode) -> Option<Duration> {
        match mode {
            CloudMode::Scratch => self.scratch.room_expiry,
            CloudMode::TurboWarp => self.turbowarp.room_expiry,
        }
    }
}

impl fmt::Debug for CloudOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CloudOptions")
            .field("scratch", &self.scratch)
            .field("turbowarp", &self.turbowarp)
            .field("max_clients_per_room", &self.max_clients_per_room)
            .field("max_rooms", &self.max_rooms)
            .field("ping_interval", &self.ping_interval)
            .field("split_frames", &self.split_frames)
            .field("send_snapshot", &self.send_snapshot)
            .field("max_message_size", &self.max_message_size)
            .field("project_validator", &self.project_validator.is_some())
            .field("operator", &self.operator)
            .field("redis", &self.redis)
            .field("http", &self.http)
            .finish()
    }
}
