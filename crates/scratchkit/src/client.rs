//! [`Client`] and [`ClientBuilder`].

use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, Result};
#[cfg(feature = "html")]
use crate::forums::{ForumHandler, OcularHandler};
use crate::hosts::Hosts;
use crate::proxy::Proxy;
use crate::rate_limit::{Limiter, RateLimit};
use crate::raw::Raw;
use crate::retry::RetryPolicy;
use crate::transport::{CookieJar, Transport};
use crate::{
    ClassroomHandler, Explore, MeHandler, ProjectHandler, Search, Statistics, StudioHandler,
    UserHandler,
};
use scratchkit_model::{ClassroomId, ProjectId, StudioId};

/// The User-Agent sent by default: `scratchkit/<version> (+https://github.com/scratchkit/scratchkit)`.
///
/// Scratch does not require one, but a descriptive User-Agent lets site operators see who is
/// calling; bots should set their own with [`ClientBuilder::user_agent`] (name, version, contact).
pub const DEFAULT_USER_AGENT: &str = concat!(
    "scratchkit/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/scratchkit/scratchkit)"
);

/// The default per-request timeout: 30 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The default connection timeout: 10 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A client for the Scratch website (or a sandbox).
///
/// Cheap to clone: clones share one connection pool, cookie store, login and
/// [rate limit](RateLimit). `Send + Sync`, so it can be shared between tasks.
///
/// Politeness is built in and visible: a descriptive [User-Agent](DEFAULT_USER_AGENT), a
/// client-wide [rate limit](RateLimit::polite) of 5 requests/s (burst 10) for the live site, and
/// [retries](RetryPolicy) with backoff for GET requests that hit 429 or a 502/503/504.
///
/// ```no_run
/// # async fn demo() -> scratchkit::Result<()> {
/// use scratchkit::{Client, Host};
///
/// let client = Client::new();
/// let user: serde_json::Value = client.raw().get_json(Host::Api, "/users/griffpatch", &[]).await?;
/// println!("{}", user["username"]);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    hosts: Hosts,
    user_agent: String,
    rate_limit: RateLimit,
    limiter: Limiter,
    retry: RetryPolicy,
    timeout: Duration,
    connect_timeout: Duration,
    cookies: Arc<CookieJar>,
    auth: RwLock<Option<Arc<AuthState>>>,
}

/// Who the client is logged in as. Filled by the login; secrets are `secrecy` types and never
/// shown by `Debug`.
pub(crate) struct AuthState {
    username: String,
    user_id: Option<u64>,
    x_token: SecretString,
    session_id: SecretString,
    csrf: SecretString,
    /// Set when Scratch rejected the session: authenticated calls then fail fast with
    /// [`Error::SessionExpired`] instead of being sent again.
    expired: AtomicBool,
}

impl AuthState {
    /// A login state.
    pub(crate) fn new(
        username: impl Into<String>,
        user_id: Option<u64>,
        x_token: impl Into<String>,
        session_id: impl Into<String>,
        csrf: impl Into<String>,
    ) -> Self {
        Self {
            username: username.into(),
            user_id,
            x_token: SecretString::from(x_token.into()),
            session_id: SecretString::from(session_id.into()),
            csrf: SecretString::from(csrf.into()),
            expired: AtomicBool::new(false),
        }
    }

    /// Marks the session as rejected by Scratch (see [`Error::SessionExpired`]).
    pub(crate) fn mark_expired(&self) {
        self.expired.store(true, Ordering::Relaxed);
    }

    /// Whether Scratch rejected this session.
    pub(crate) fn is_expired(&self) -> bool {
        self.expired.load(Ordering::Relaxed)
    }

    pub(crate) fn username(&self) -> &str {
        &self.username
    }

    pub(crate) fn user_id(&self) -> Option<u64> {
        self.user_id
    }

    pub(crate) fn x_token(&self) -> &str {
        self.x_token.expose_secret()
    }

    pub(crate) fn session_id(&self) -> &str {
        self.session_id.expose_secret()
    }

    pub(crate) fn csrf(&self) -> &str {
        self.csrf.expose_secret()
    }
}

impl fmt::Debug for AuthState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthState")
            .field("username", &self.username)
            .field("user_id", &self.user_id)
            .field("x_token", &"[redacted]")
            .field("session_id", &"[redacted]")
            .field("csrf", &"[redacted]")
            .field("expired", &self.is_expired())
            .finish()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let logged_in_as = self.auth_state().map(|s| s.username.clone());
        f.debug_struct("Client")
            .field("hosts", &self.inner.hosts)
            .field("user_agent", &self.inner.user_agent)
            .field("rate_limit", &self.inner.rate_limit)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .field("connect_timeout", &self.inner.connect_timeout)
            .field("logged_in_as", &logged_in_as)
            .finish_non_exhaustive()
    }
}

impl Default for Client {
    /// [`Client::new`].
    fn default() -> Self {
        Self::new()
    }
}

impl Client {
    /// A client for the live site with the default settings (see [`ClientBuilder`]).
    ///
    /// # Panics
    ///
    /// Only if the HTTP stack cannot be set up at all. The defaults depend on nothing from the
    /// system (TLS roots are built in), so this does not happen in practice; use
    /// `Client::builder().build()` to get such a failure as an error instead.
    pub fn new() -> Self {
        Self::builder()
            .build()
            .unwrap_or_else(|e| panic!("scratchkit: {e}"))
    }

    /// A client for a scratchkit sandbox listening on `addr`: [`Hosts::sandbox`], no rate limit,
    /// other settings default.
    ///
    /// # Panics
    ///
    /// As [`Client::new`].
    ///
    /// ```
    /// let client = scratchkit::Client::sandbox("127.0.0.1:8080".parse().unwrap());
    /// assert!(client.rate_limit().is_unlimited());
    /// assert!(client.hosts().is_sandbox());
    /// ```
    pub fn sandbox(addr: SocketAddr) -> Self {
        Self::builder()
            .hosts(Hosts::sandbox(addr))
            .build()
            .unwrap_or_else(|e| panic!("scratchkit: {e}"))
    }

    /// A builder to choose hosts, User-Agent, rate limit, timeouts and retries.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The escape hatch for any endpoint this crate has no handler for; it keeps the login,
    /// rate limit and retries.
    pub fn raw(&self) -> Raw<'_> {
        Raw::new(self)
    }

    /// The base URLs in use.
    pub fn hosts(&self) -> &Hosts {
        &self.inner.hosts
    }

    /// The User-Agent sent with every request.
    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
    }

    /// The client-wide rate limit.
    pub fn rate_limit(&self) -> RateLimit {
        self.inner.rate_limit
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }

    /// The per-request timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The connection timeout.
    pub fn connect_timeout(&self) -> Duration {
        self.inner.connect_timeout
    }

    /// Whether the client holds a login.
    pub fn is_logged_in(&self) -> bool {
        self.auth_state().is_some()
    }

    pub(crate) fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    /// The time limit of a request that sets none of its own.
    pub(crate) fn default_timeout(&self) -> Duration {
        self.inner.timeout
    }

    pub(crate) fn limiter(&self) -> &Limiter {
        &self.inner.limiter
    }

    pub(crate) fn retry_policy_ref(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The cookie store shared by all requests (the login stores the session cookie here).
    pub(crate) fn cookies(&self) -> &Arc<CookieJar> {
        &self.inner.cookies
    }

    /// The current login, if any.
    pub(crate) fn auth_state(&self) -> Option<Arc<AuthState>> {
        // A poisoned lock still holds a consistent `Option<Arc<_>>` (assignment is atomic).
        self.inner
            .auth
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The current login.
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out; [`Error::SessionExpired`] when Scratch already
    /// rejected the session.
    pub(crate) fn require_auth(&self) -> Result<Arc<AuthState>> {
        let state = self.auth_state().ok_or(Error::LoginRequired)?;
        if state.is_expired() {
            return Err(Error::SessionExpired);
        }
        Ok(state)
    }

    /// Replaces the login (`None` to log out).
    pub(crate) fn set_auth(&self, state: Option<AuthState>) {
        *self.inner.auth.write().unwrap_or_else(|e| e.into_inner()) = state.map(Arc::new);
    }
}

/// The handlers: one per resource, made here and nowhere else. Nothing is sent until a call on
/// the handler is awaited.
impl Client {
    /// A handler for the user `username` (nothing is sent yet).
    ///
    /// The name is checked when a call is awaited: 1 to 20 letters, digits, `_` or `-`, else
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) and nothing is sent.
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let client = scratchkit::Client::new();
    /// let mres = client.user("mres");
    /// let user = mres.info().await?;
    /// println!("{} joined {:?}", user.username, user.history.joined);
    /// # Ok(())
    /// # }
    /// ```
    pub fn user(&self, username: impl Into<String>) -> UserHandler {
        UserHandler::new(self.clone(), username.into())
    }

    /// A handler for the project `id` (nothing is sent yet).
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let client = scratchkit::Client::new();
    /// let project = client.project(104u64).info().await?;
    /// println!("{} by {:?}", project.title, project.author.username);
    /// # Ok(())
    /// # }
    /// ```
    pub fn project(&self, id: impl Into<ProjectId>) -> ProjectHandler {
        ProjectHandler::new(self.clone(), id.into())
    }

    /// A handler for the studio `id` (nothing is sent yet).
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let client = scratchkit::Client::new();
    /// let studio = client.studio(5342u64).info().await?;
    /// println!("{} ({} projects)", studio.title, studio.stats.projects);
    /// # Ok(())
    /// # }
    /// ```
    pub fn studio(&self, id: impl Into<StudioId>) -> StudioHandler {
        StudioHandler::new(self.clone(), id.into())
    }

    /// A handler for the class `id` (no request is made).
    ///
    /// ```
    /// let client = scratchkit::Client::new();
    /// assert_eq!(client.classroom(367806u64).id().get(), 367806);
    /// ```
    pub fn classroom(&self, id: impl Into<ClassroomId>) -> ClassroomHandler {
        ClassroomHandler::new(self.clone(), id.into())
    }

    /// The forums (`https://scratch.mit.edu/discuss/…`). Nothing is sent yet.
    #[cfg(feature = "html")]
    pub fn forum(&self) -> ForumHandler {
        ForumHandler::new(self.clone())
    }

    /// The my-ocular service (third party). Nothing is sent yet.
    #[cfg(feature = "html")]
    pub fn ocular(&self) -> OcularHandler {
        OcularHandler::new(self.clone())
    }

    /// The explore pages: trending, popular or recent projects and studios, optionally by tag.
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// use scratchkit::model::ExploreMode;
    ///
    /// let client = scratchkit::Client::new();
    /// // GET https://api.scratch.mit.edu/explore/projects?q=games&mode=popular&offset=0&limit=20
    /// let page = client.explore().projects().mode(ExploreMode::Popular).query("games").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn explore(&self) -> Explore {
        Explore::new(self.clone())
    }

    /// A search for `query` among projects or studios. An empty query is an
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) when awaited.
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let client = scratchkit::Client::new();
    /// // GET https://api.scratch.mit.edu/search/projects?q=cat+%26+mouse&mode=trending&offset=0&limit=20
    /// for project in client.search("cat & mouse").projects().await? {
    ///     println!("{} {}", project.id, project.title);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn search(&self, query: impl Into<String>) -> Search {
        Search::new(self.clone(), query.into())
    }

    /// The site statistics (old site, `scratch.mit.edu/statistics/`).
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let daily = scratchkit::Client::new().statistics().daily().await?;
    /// println!("{} users, {} projects", daily.user_count, daily.project_count);
    /// # Ok(())
    /// # }
    /// ```
    pub fn statistics(&self) -> Statistics {
        Statistics::new(self.clone())
    }

    /// The logged-in account: profile edits, account settings, messages, My Stuff, the
    /// backpack and the trash. Nothing is sent yet; the calls need a login.
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let client = scratchkit::Client::new();
    /// client.login("my_username", String::from("my password")).await?;
    /// client.me().set_status("Working on a platformer").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn me(&self) -> MeHandler {
        MeHandler {
            client: self.clone(),
        }
    }
}

/// Settings for a [`Client`].
///
/// | setting | default |
/// |---|---|
/// | [`hosts`](ClientBuilder::hosts) | [`Hosts::scratch`] (the live site) |
/// | [`user_agent`](ClientBuilder::user_agent) | [`DEFAULT_USER_AGENT`] |
/// | [`rate_limit`](ClientBuilder::rate_limit) | [`RateLimit::polite`] (5/s, burst 10); [`RateLimit::unlimited`] for sandbox hosts |
/// | [`timeout`](ClientBuilder::timeout) | 30 s per request |
/// | [`connect_timeout`](ClientBuilder::connect_timeout) | 10 s |
/// | [`retry`](ClientBuilder::retry) | [`RetryPolicy::default`] (3 retries, 500 ms base, 30 s cap) |
///
/// ```
/// use std::time::Duration;
/// use scratchkit::{Client, RateLimit, RetryPolicy};
///
/// let client = Client::builder()
///     .user_agent("my-bot/1.0 (+https://example.org/contact)")
///     .rate_limit(RateLimit::per_second(2.0).burst(4))
///     .timeout(Duration::from_secs(10))
///     .retry(RetryPolicy::none())
///     .build()?;
/// assert_eq!(client.user_agent(), "my-bot/1.0 (+https://example.org/contact)");
/// # Ok::<(), scratchkit::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    hosts: Hosts,
    user_agent: String,
    rate_limit: Option<RateLimit>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    proxy: Proxy,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            hosts: Hosts::scratch(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            rate_limit: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            proxy: Proxy::from_env(),
        }
    }
}

impl ClientBuilder {
    /// Whether requests and cloud connections go through an HTTP proxy. Without this call:
    /// [`Proxy::from_env`] (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`).
    pub fn proxy(mut self, proxy: Proxy) -> Self {
        self.proxy = proxy;
        self
    }

    /// The base URLs to use.
    pub fn hosts(mut self, hosts: Hosts) -> Self {
        self.hosts = hosts;
        self
    }

    /// The User-Agent to send (must be a valid header value; checked by
    /// [`build`](ClientBuilder::build)).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The client-wide rate limit. Without this call: [`RateLimit::polite`], or
    /// [`RateLimit::unlimited`] when the hosts are a sandbox's.
    pub fn rate_limit(mut self, rate_limit: RateLimit) -> Self {
        self.rate_limit = Some(rate_limit);
        self
    }

    /// The timeout of a whole request, body included (must not be zero).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The timeout for establishing a connection (must not be zero).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How GET and HEAD requests are retried.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Build`] for an invalid setting (a User-Agent that is not a valid header value, a
    /// zero timeout, a rate that is not a positive number) or if the HTTP stack cannot be set up.
    pub fn build(self) -> Result<Client> {
        if http::HeaderValue::from_str(&self.user_agent).is_err() {
            return Err(Error::Build(
                "the User-Agent is not a valid header value".into(),
            ));
        }
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(Error::Build("timeouts must be longer than zero".into()));
        }
        let rate_limit = self.rate_limit.unwrap_or(if self.hosts.is_sandbox() {
            RateLimit::unlimited()
        } else {
            RateLimit::polite()
        });
        rate_limit.validate().map_err(Error::Build)?;

        let proxies = self.proxy.rules().map_err(Error::Build)?;
        let cookies = Arc::new(CookieJar::default());
        let transport = Transport::new(
            tls_config()?,
            Arc::clone(&cookies),
            self.connect_timeout,
            proxies,
        );

        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                hosts: self.hosts,
                user_agent: self.user_agent,
                rate_limit,
                limiter: Limiter::new(rate_limit),
                retry: self.retry,
                timeout: self.timeout,
                connect_timeout: self.connect_timeout,
                cookies,
                auth: RwLock::new(None),
            }),
        })
    }
}

/// The TLS set-up: rustls with the ring provider and Mozilla's roots (built in, so TLS behaves
/// the same on every machine). Certificates are always verified.
fn tls_config() -> Result<rustls::ClientConfig> {
    // Install ring as the process default once, for other rustls users (the cloud WebSocket);
    // an error only means a default is already installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots: rustls::RootCertStore = webpki_roots::TLS_SERVER_ROOTS.iter().cloned().collect();
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Build(format!("TLS set-up failed: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}

    #[test]
    fn client_is_send_sync_clone() {
        assert_send_sync::<Client>();
    }

    #[test]
    fn live_defaults_are_visible() {
        let c = Client::new();
        assert_eq!(c.user_agent(), DEFAULT_USER_AGENT);
        assert!(DEFAULT_USER_AGENT.starts_with(concat!("scratchkit/", env!("CARGO_PKG_VERSION"))));
        assert_eq!(c.rate_limit(), RateLimit::per_second(5.0).burst(10));
        assert_eq!(c.retry_policy(), RetryPolicy::default());
        assert_eq!(c.timeout(), Duration::from_secs(30));
        assert_eq!(c.connect_timeout(), Duration::from_secs(10));
        assert_eq!(c.hosts(), &Hosts::scratch());
        assert!(!c.is_logged_in());
    }

    #[test]
    fn sandbox_defaults_to_no_rate_limit_unless_set() {
        let addr: SocketAddr = "127.0.0.1:1234".parse().unwrap();
        assert!(Client::sandbox(addr).rate_limit().is_unlimited());
        let c = Client::builder()
            .hosts(Hosts::sandbox(addr))
            .rate_limit(RateLimit::per_second(1.0))
            .build()
            .unwrap();
        assert_eq!(c.rate_limit().rate(), Some(1.0));
    }

    #[test]
    fn settings_are_applied() {
        let policy = RetryPolicy::none();
        let c = Client::builder()
            .user_agent("bot/2")
            .timeout(Duration::from_secs(5))
            .connect_timeout(Duration::from_secs(2))
            .retry(policy)
            .rate_limit(RateLimit::unlimited())
            .build()
            .unwrap();
        assert_eq!(c.user_agent(), "bot/2");
        assert_eq!(c.timeout(), Duration::from_secs(5));
        assert_eq!(c.connect_timeout(), Duration::from_secs(2));
        assert_eq!(c.retry_policy(), policy);
        assert!(c.rate_limit().is_unlimited());
    }

    #[test]
    fn invalid_settings_are_build_errors() {
        let bad_ua = Client::builder().user_agent("a\r\nb").build();
        assert!(matches!(bad_ua, Err(Error::Build(_))));
        let zero = Client::builder().timeout(Duration::ZERO).build();
        assert!(matches!(zero, Err(Error::Build(_))));
        let bad_rate = Client::builder()
            .rate_limit(RateLimit::per_second(0.0))
            .build();
        assert!(matches!(bad_rate, Err(Error::Build(_))));
    }

    #[test]
    fn clones_share_one_limiter_and_cookie_store() {
        let a = Client::new();
        let b = a.clone();
        assert!(std::ptr::eq(a.limiter(), b.limiter()));
        assert!(Arc::ptr_eq(a.cookies(), b.cookies()));
        let c = Client::new();
        assert!(!std::ptr::eq(a.limiter(), c.limiter()));
    }

    #[test]
    fn clones_share_the_login() {
        let a = Client::sandbox("127.0.0.1:1".parse().unwrap());
        let b = a.clone();
        assert!(matches!(b.require_auth(), Err(Error::LoginRequired)));
        a.set_auth(Some(AuthState::new("me", Some(1), "t", "s", "c")));
        assert_eq!(b.require_auth().unwrap().username(), "me");
        assert_eq!(b.require_auth().unwrap().session_id(), "s");
        a.set_auth(None);
        assert!(!b.is_logged_in());
    }
}
