//! Everything a cloud connection needs to know: server, project, identity, limits, timers.

use std::time::Duration;

use secrecy::SecretString;

use super::backoff::ReconnectPolicy;
use crate::Proxy;
use crate::RateLimit;
use scratchkit_wire::cloud::CloudRules;

pub use scratchkit_wire::cloud::{SCRATCH_CLOUD_URL, SCRATCH_ORIGIN, TURBOWARP_CLOUD_URL};
/// The User-Agent a [`CloudConfig`] sends unless another one is configured.
pub const CLOUD_USER_AGENT: &str = concat!(
    "scratchkit/",
    env!("CARGO_PKG_VERSION"),
    " (cloud; +https://github.com/scratchkit/scratchkit)"
);

/// WebSocket keepalive: a ping every `ping_interval`, and the connection counts as dead when
/// nothing at all (data, ping or pong) arrived for `read_timeout`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keepalive {
    /// How often to send a WebSocket ping.
    pub ping_interval: Duration,
    /// Silence after which the connection is dropped and re-established.
    pub read_timeout: Duration,
}

impl Default for Keepalive {
    /// A ping every 30 s; dead after 75 s of silence (two missed pongs).
    fn default() -> Self {
        Keepalive {
            ping_interval: Duration::from_secs(30),
            read_timeout: Duration::from_secs(75),
        }
    }
}

/// How to connect to a cloud server. Build one with [`CloudConfig::scratch`],
/// [`CloudConfig::turbowarp`] or [`CloudConfig::custom`], then adjust it with the
/// `with_*` methods.
///
/// The session id is a secret: `Debug` shows `[REDACTED]`.
///
/// ```
/// use std::time::Duration;
/// use scratchkit::cloud::{CloudConfig, CloudRules, RateLimit};
///
/// let config = CloudConfig::turbowarp(1234, "griffpatch", "my-bot/1.0 (contact: me@example.com)")
///     .with_rate_limit(RateLimit::new(30.0, 30));
/// assert_eq!(config.url(), "wss://clouddata.turbowarp.org");
/// assert_eq!(config.rules(), CloudRules::turbowarp());
///
/// let scratch = CloudConfig::scratch(1234, "griffpatch", "secret-session");
/// assert!(!format!("{scratch:?}").contains("secret-session"));
/// ```
#[derive(Debug, Clone)]
pub struct CloudConfig {
    pub(crate) url: String,
    pub(crate) project_id: String,
    pub(crate) username: String,
    pub(crate) session_id: Option<SecretString>,
    pub(crate) origin: Option<String>,
    pub(crate) user_agent: Option<String>,
    pub(crate) rules: CloudRules,
    pub(crate) rate_limit: RateLimit,
    pub(crate) reconnect: ReconnectPolicy,
    pub(crate) keepalive: Keepalive,
    pub(crate) connect_timeout: Duration,
    pub(crate) proxy: Proxy,
    /// Extra handshake headers (values kept secret: they may carry credentials).
    pub(crate) headers: Vec<(String, SecretString)>,
}

impl CloudConfig {
    /// Scratch's cloud server (`wss://clouddata.scratch.mit.edu`) with Scratch's rules,
    /// `Origin: https://scratch.mit.edu` and `Cookie: scratchsessionsid=<session_id>`.
    pub fn scratch(
        project: impl ToString,
        username: impl Into<String>,
        session_id: impl Into<SecretString>,
    ) -> Self {
        CloudConfig::custom(SCRATCH_CLOUD_URL, project, username, CloudRules::Scratch)
            .with_origin(SCRATCH_ORIGIN)
            .with_session_id(session_id)
    }

    /// TurboWarp's cloud server (`wss://clouddata.turbowarp.org`) with TurboWarp's rules.
    /// TurboWarp asks bots for a descriptive User-Agent with contact information. No Scratch
    /// cookie is ever sent there.
    pub fn turbowarp(
        project: impl ToString,
        username: impl Into<String>,
        user_agent: impl Into<String>,
    ) -> Self {
        CloudConfig::custom(
            TURBOWARP_CLOUD_URL,
            project,
            username,
            CloudRules::turbowarp(),
        )
        .with_user_agent(user_agent)
    }

    /// Any server (for example a sandbox at `ws://127.0.0.1:8080/cloud`), with the given
    /// rules, no Origin and no cookie.
    ///
    /// The outgoing rate limit follows the rules: 10 messages/s (burst 10) on Scratch's rules,
    /// whose server bumps off faster clients; none on TurboWarp's, whose server has no inbound
    /// limit (values still waiting for the socket are coalesced per variable). Change it with
    /// [`with_rate_limit`](Self::with_rate_limit).
    ///
    /// ```
    /// use scratchkit::cloud::{CloudConfig, CloudRules, RateLimit};
    ///
    /// let scratch = CloudConfig::custom("ws://127.0.0.1:8080/cloud", 1, "me", CloudRules::Scratch);
    /// assert_eq!(scratch.rate_limit(), RateLimit::cloud());
    /// let turbowarp = CloudConfig::turbowarp(1, "me", "my-bot/1.0 (me@example.com)");
    /// assert!(turbowarp.rate_limit().is_unlimited());
    /// ```
    pub fn custom(
        url: impl Into<String>,
        project: impl ToString,
        username: impl Into<String>,
        rules: CloudRules,
    ) -> Self {
        CloudConfig {
            url: url.into(),
            project_id: project.to_string(),
            username: username.into(),
            session_id: None,
            origin: None,
            user_agent: Some(CLOUD_USER_AGENT.to_owned()),
            rate_limit: match rules {
                CloudRules::TurboWarp { .. } => RateLimit::unlimited(),
                _ => RateLimit::cloud(),
            },
            rules,
            reconnect: ReconnectPolicy::default(),
            keepalive: Keepalive::default(),
            connect_timeout: Duration::from_secs(15),
            proxy: Proxy::from_env(),
            headers: Vec::new(),
        }
    }

    /// Replaces the WebSocket URL.
    pub fn with_url(mut self, url: impl Into<String>) -> Self {
        self.url = url.into();
        self
    }

    /// Sends `Cookie: scratchsessionsid=<session_id>` (only do this for Scratch's server).
    pub fn with_session_id(mut self, session_id: impl Into<SecretString>) -> Self {
        self.session_id = Some(session_id.into());
        self
    }

    /// Sends this `Origin` header.
    pub fn with_origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = Some(origin.into());
        self
    }

    /// Sends this `User-Agent` header.
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sends one more header with the WebSocket handshake (a custom server's token, a
    /// different `Origin`…); it replaces a header of the same name set by this config. The
    /// value is kept secret (`Debug` does not show it). Name and value are checked when
    /// connecting.
    ///
    /// ```
    /// use scratchkit::cloud::CloudConfig;
    /// use scratchkit::cloud::CloudRules;
    /// let config = CloudConfig::custom("ws://127.0.0.1:9000", 5, "bot", CloudRules::Scratch)
    ///     .with_header("Authorization", "Bearer s3cret");
    /// assert!(!format!("{config:?}").contains("s3cret"));
    /// ```
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers
            .push((name.into(), SecretString::from(value.into())));
        self
    }

    /// Applies these validation rules.
    pub fn with_rules(mut self, rules: CloudRules) -> Self {
        self.rules = rules;
        self
    }

    /// Paces outgoing messages with this limit.
    pub fn with_rate_limit(mut self, rate_limit: RateLimit) -> Self {
        self.rate_limit = rate_limit;
        self
    }

    /// Reconnects with this policy.
    pub fn with_reconnect(mut self, reconnect: ReconnectPolicy) -> Self {
        self.reconnect = reconnect;
        self
    }

    /// Uses these keepalive timers.
    pub fn with_keepalive(mut self, keepalive: Keepalive) -> Self {
        self.keepalive = keepalive;
        self
    }

    /// Gives up a connection attempt after this long.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Connects through this HTTP proxy (a `CONNECT` tunnel, also for `ws://` URLs). Without
    /// this call: [`Proxy::from_env`]; a connection made by a [`Client`](crate::Client) uses the
    /// client's setting.
    pub fn with_proxy(mut self, proxy: Proxy) -> Self {
        self.proxy = proxy;
        self
    }

    /// The WebSocket URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The project id (the room).
    pub fn project_id(&self) -> &str {
        &self.project_id
    }

    /// The username sent in the handshake.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The validation rules.
    pub fn rules(&self) -> CloudRules {
        self.rules
    }

    /// The outgoing rate limit.
    pub fn rate_limit(&self) -> RateLimit {
        self.rate_limit
    }

    /// The reconnect policy.
    pub fn reconnect(&self) -> ReconnectPolicy {
        self.reconnect
    }

    /// The keepalive timers.
    pub fn keepalive(&self) -> Keepalive {
        self.keepalive
    }
}
