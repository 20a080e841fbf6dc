//! Reaching servers through an HTTP proxy: the [`Proxy`] setting and the connector that uses it.
//!
//! - `http://` URLs go to the proxy as absolute-form requests (`GET http://host/path`), with a
//!   `Proxy-Authorization` header when the proxy URL carries a user name and password;
//! - `https://` URLs (and the cloud WebSocket) go through a `CONNECT host:port` tunnel, the
//!   credentials only in the `CONNECT` request: the server at the other end never sees them;
//! - `NO_PROXY` (curl's rules: host names, domain suffixes, IP addresses and networks, `*`)
//!   names the hosts reached directly.
//!
//! Only `http://` proxies are supported; a `socks5://` or `https://` proxy fails each connection
//! with a message that says so.

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::{HeaderValue, Uri};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::{Intercept, Matcher};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;

use crate::error::BoxError;

/// Whether and how a [`Client`](crate::Client) (and its cloud connections) use an HTTP proxy.
///
/// The default, [`Proxy::from_env`], reads the variables curl reads when the client is built.
/// A user name and password in the proxy URL are sent to the proxy only, and never appear in
/// logs, errors or `Debug` output.
///
/// ```
/// use scratchkit::{Client, Proxy};
///
/// let client = Client::builder()
///     .proxy(Proxy::to("http://user:secret@127.0.0.1:3128").no_proxy("localhost, .internal"))
///     .build()?;
/// assert!(!format!("{:?}", Proxy::to("http://user:secret@proxy:3128")).contains("secret"));
/// # drop(client);
/// # Ok::<(), scratchkit::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Proxy {
    setting: Setting,
}

#[derive(Clone, Default)]
enum Setting {
    /// `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` (either case).
    #[default]
    Environment,
    /// Every connection goes straight to its server.
    Off,
    /// One proxy for every scheme, with its own bypass list.
    Given { url: String, no_proxy: String },
    /// A client's rules, already read (for its cloud connections).
    #[cfg(feature = "cloud")]
    Resolved(Option<Arc<Matcher>>),
}

impl Proxy {
    /// The proxy named by the environment when the client is built: `HTTPS_PROXY` for
    /// `https://` URLs, `HTTP_PROXY` for `http://` ones, `ALL_PROXY` for both when the other is
    /// unset, and `NO_PROXY` for the hosts to reach directly (upper or lower case names; as
    /// curl, `HTTP_PROXY` is ignored when `REQUEST_METHOD` says the program runs as CGI).
    /// Nothing set: no proxy. This is the default.
    pub fn from_env() -> Self {
        Self {
            setting: Setting::Environment,
        }
    }

    /// No proxy, whatever the environment says.
    pub fn none() -> Self {
        Self {
            setting: Setting::Off,
        }
    }

    /// Every request through the HTTP proxy at `url` (`http://[user:password@]host:port`).
    /// A URL that is not usable makes [`ClientBuilder::build`](crate::ClientBuilder::build)
    /// fail.
    pub fn to(url: impl Into<String>) -> Self {
        Self {
            setting: Setting::Given {
                url: url.into(),
                no_proxy: String::new(),
            },
        }
    }

    /// The hosts to reach directly, in `NO_PROXY`'s format (comma-separated host names,
    /// `.domain` suffixes, IP addresses or networks, `*` for all). Only for [`Proxy::to`]: the
    /// environment's setting comes with its own `NO_PROXY`.
    pub fn no_proxy(mut self, hosts: impl Into<String>) -> Self {
        if let Setting::Given { no_proxy, .. } = &mut self.setting {
            *no_proxy = hosts.into();
        }
        self
    }

    /// The rules a client resolved when it was built (its cloud connections use them too).
    #[cfg(feature = "cloud")]
    pub(crate) fn resolved(rules: Option<Arc<Matcher>>) -> Self {
        Self {
            setting: Setting::Resolved(rules),
        }
    }

    /// The rules in force, or `None` when nothing goes through a proxy.
    ///
    /// # Errors
    ///
    /// A message when a URL given to [`Proxy::to`] is not an `http://` URL with a host.
    pub(crate) fn rules(&self) -> Result<Option<Arc<Matcher>>, String> {
        match &self.setting {
            Setting::Off => Ok(None),
            #[cfg(feature = "cloud")]
            Setting::Resolved(rules) => Ok(rules.clone()),
            Setting::Environment => {
                let named = [
                    "HTTP_PROXY",
                    "http_proxy",
                    "HTTPS_PROXY",
                    "https_proxy",
                    "ALL_PROXY",
                    "all_proxy",
                ]
                .iter()
                .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()));
                // Without a proxy variable, no matcher at all: requests then pay nothing.
                Ok(named.then(|| Arc::new(Matcher::from_env())))
            }
            Setting::Given { url, no_proxy } => {
                let parsed = url::Url::parse(url)
                    .map_err(|_| "the proxy URL is not a valid URL".to_owned())?;
                if parsed.scheme() != "http" || parsed.host_str().is_none() {
                    return Err(format!(
                        "only http:// proxies with a host are supported, not a {}:// URL",
                        parsed.scheme()
                    ));
                }
                Ok(Some(Arc::new(
                    Matcher::builder()
                        .all(url.clone())
                        .no(no_proxy.clone())
                        .build(),
                )))
            }
        }
    }
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.setting {
            Setting::Environment => f.write_str("Proxy::from_env()"),
            Setting::Off => f.write_str("Proxy::none()"),
            // The matcher's own `Debug` leaves credentials out.
            #[cfg(feature = "cloud")]
            Setting::Resolved(rules) => f.debug_tuple("Proxy").field(rules).finish(),
            Setting::Given { url, no_proxy } => {
                // The URL without its user name and password.
                let shown = match url::Url::parse(url) {
                    Ok(mut u) => {
                        let _ = u.set_username("");
                        let _ = u.set_password(None);
                        u.to_string()
                    }
                    Err(_) => "<not a URL>".to_owned(),
                };
                f.debug_struct("Proxy")
                    .field("url", &shown)
                    .field("no_proxy", no_proxy)
                    .finish()
            }
        }
    }
}

/// The proxy to use for `url`, if any (`ws`/`wss` count as `http`/`https`).
pub(crate) fn proxy_for(rules: &Matcher, uri: &Uri) -> Option<Intercept> {
    rules.intercept(uri)
}

/// The `Proxy-Authorization` value for a proxy that has credentials (marked sensitive, so that
/// hyper's logs leave it out).
pub(crate) fn proxy_authorization(proxy: &Intercept) -> Option<HeaderValue> {
    proxy.basic_auth().map(|value| {
        let mut value = value.clone();
        value.set_sensitive(true);
        value
    })
}

fn check_scheme(proxy: &Intercept) -> Result<(), BoxError> {
    match proxy.uri().scheme_str() {
        Some("http") => Ok(()),
        other => Err(format!(
            "the proxy {} uses {}://, but only http:// proxies are supported",
            proxy.uri().authority().map_or("", |a| a.as_str()),
            other.unwrap_or("no scheme")
        )
        .into()),
    }
}

/// Opens a TCP connection to `dst` through a `CONNECT` tunnel of `proxy` (for the cloud
/// WebSocket, which hyper's pool does not carry). `dst` must name its port.
///
/// # Errors
///
/// The proxy could not be reached, refused the tunnel (a `407` comes back as "proxy
/// authentication required"), or is not an `http://` proxy.
#[cfg(feature = "cloud")]
pub(crate) async fn tunnel(
    proxy: &Intercept,
    dst: Uri,
    connect_timeout: std::time::Duration,
) -> Result<TcpStream, BoxError> {
    check_scheme(proxy)?;
    let mut http = HttpConnector::new();
    http.set_nodelay(true);
    http.set_connect_timeout(Some(connect_timeout));
    let mut tunnel = Tunnel::new(proxy.uri().clone(), http);
    if let Some(auth) = proxy_authorization(proxy) {
        tunnel = tunnel.with_auth(auth);
    }
    let io = tunnel.call(dst).await?;
    Ok(io.into_inner())
}

/// The TCP connector under TLS: straight to the server, to the proxy (for `http://` URLs), or
/// through a proxy's `CONNECT` tunnel (for `https://` URLs).
#[derive(Clone)]
pub(crate) struct ProxyConnector {
    direct: HttpConnector,
    rules: Option<Arc<Matcher>>,
}

impl ProxyConnector {
    pub(crate) fn new(direct: HttpConnector, rules: Option<Arc<Matcher>>) -> Self {
        Self { direct, rules }
    }
}

type Connecting = Pin<Box<dyn Future<Output = Result<ProxiedStream, BoxError>> + Send>>;

impl Service<Uri> for ProxyConnector {
    type Response = ProxiedStream;
    type Error = BoxError;
    type Future = Connecting;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let mut direct = self.direct.clone();
        let proxy = self
            .rules
            .as_deref()
            .and_then(|rules| proxy_for(rules, &dst));
        Box::pin(async move {
            let Some(proxy) = proxy else {
                let io = direct.call(dst).await?;
                return Ok(ProxiedStream { io, proxied: false });
            };
            check_scheme(&proxy)?;
            if dst.scheme_str() == Some("https") {
                let mut tunnel = Tunnel::new(proxy.uri().clone(), direct);
                if let Some(auth) = proxy_authorization(&proxy) {
                    tunnel = tunnel.with_auth(auth);
                }
                let io = tunnel.call(dst).await?;
                Ok(ProxiedStream { io, proxied: false })
            } else {
                // Plain HTTP: the proxy gets absolute-form requests on this connection.
                let io = direct.call(proxy.uri().clone()).await?;
                Ok(ProxiedStream { io, proxied: true })
            }
        })
    }
}

/// A TCP stream that knows whether it leads to a forwarding proxy (hyper then writes
/// absolute-form request targets).
pub(crate) struct ProxiedStream {
    io: TokioIo<TcpStream>,
    proxied: bool,
}

impl Connection for ProxiedStream {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.proxied)
    }
}

impl hyper::rt::Read for ProxiedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for ProxiedStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_proxies_are_checked_and_never_shown_with_their_password() {
        assert!(Proxy::to("socks5://127.0.0.1:1080").rules().is_err());
        assert!(Proxy::to("not a url").rules().is_err());
        assert!(Proxy::none().rules().unwrap().is_none());
        let proxy = Proxy::to("http://me:hunter2@127.0.0.1:3128").no_proxy("localhost");
        let shown = format!("{proxy:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("me:"),
            "{shown}"
        );
        assert!(shown.contains("127.0.0.1:3128"), "{shown}");
        let rules = proxy.rules().unwrap().unwrap();
        let hit = proxy_for(&rules, &Uri::from_static("https://api.scratch.mit.edu/")).unwrap();
        assert_eq!(hit.uri().authority().unwrap().as_str(), "127.0.0.1:3128");
        assert!(proxy_authorization(&hit).unwrap().is_sensitive());
        assert!(format!("{rules:?}").find("hunter2").is_none());
        assert!(proxy_for(&rules, &Uri::from_static("http://localhost:8080/")).is_none());
    }
}
