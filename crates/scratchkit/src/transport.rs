//! Moving one request over the wire: connection pool, TLS, cookies, redirects, gzip and the
//! time limit.
//!
//! Requests go straight to hyper's pooled client ([`Transport`]). Measured on the bulk-read
//! benchmark, reqwest's layers on top of that same client (a cookie layer, a redirect layer,
//! a decompression layer and a retry layer, which between them parse every URL three more
//! times) cost about 18 µs of CPU per request on a small JSON answer, a third of the client's
//! whole cost, so this module does their work itself, once. Proxies (from the environment or
//! [`Proxy`](crate::Proxy)) are reached by the connector of [`crate::proxy`].
//!
//! What [`Transport`] does, in the same way as reqwest:
//! - cookies: the client's cookie jar gives the `Cookie` header of every hop (unless the request
//!   sets its own) and takes the `Set-Cookie` headers of every answer, redirects included;
//! - redirects: up to 10 are followed; 303, and 301/302 after a POST, continue as a GET
//!   without a body; credentials (`Authorization`, `X-Token`, `X-CSRFToken`) are dropped when a
//!   redirect leaves the host;
//! - `Accept-Encoding: gzip`, with gzip bodies decoded (and their `Content-Encoding` and
//!   `Content-Length` headers removed);
//! - one time limit for the whole exchange, body included, and one for connecting;
//! - HTTP/2 when the server offers it over TLS (ALPN), HTTP/1.1 otherwise.

use std::io::Read as _;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use http_body_util::{BodyExt as _, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client as PooledClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use url::Url;

use crate::proxy::{ProxyConnector, proxy_authorization, proxy_for};

/// The client's cookie jar, shared by its clones.
pub(crate) type CookieJar = std::sync::Mutex<cookie_store::CookieStore>;

/// How many redirects one request follows (reqwest's default too).
const MAX_REDIRECTS: usize = 10;

/// How long an idle pooled connection is kept.
const POOL_IDLE: Duration = Duration::from_secs(90);

/// A request ready to go: final URL, every header, the body and the time limit.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<Bytes>,
    timeout: Duration,
}

#[allow(dead_code)] // The accessors are for tests that check what a call would send.
impl Outgoing {
    pub(crate) fn new(
        method: Method,
        url: Url,
        headers: HeaderMap,
        body: Option<Bytes>,
        timeout: Duration,
    ) -> Self {
        Self {
            method,
            url,
            headers,
            body,
            timeout,
        }
    }

    pub(crate) fn method(&self) -> &Method {
        &self.method
    }

    pub(crate) fn url(&self) -> &Url {
        &self.url
    }

    pub(crate) fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    pub(crate) fn body(&self) -> Option<&Bytes> {
        self.body.as_ref()
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }
}

/// An answer read to the end.
#[derive(Debug)]
pub(crate) struct Received {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    /// The URL that answered (after redirects).
    pub(crate) url: Url,
    pub(crate) body: Bytes,
}

/// Why no answer came.
#[derive(Debug)]
pub(crate) enum Unanswered {
    /// The time limit passed.
    Timeout,
    /// Connecting, sending or receiving failed (refused, reset, DNS, TLS, proxy, too many
    /// redirects): the network stack's error, kept for [`Error::Connection`]'s source.
    ///
    /// [`Error::Connection`]: crate::Error::Connection
    Connection(crate::error::BoxError),
    /// The body could not be read as what its headers say (bad gzip): what failed, and the
    /// decoder's error.
    Body(String, crate::error::BoxError),
    /// The request itself could not be made (an URL the HTTP stack refuses).
    Build(String),
}

/// The HTTP stack of a [`Client`](crate::Client): hyper's pooled client with rustls, the
/// cookie jar, the redirect loop and the proxy rules.
pub(crate) struct Transport {
    client: PooledClient<HttpsConnector<ProxyConnector>, Full<Bytes>>,
    cookies: Arc<CookieJar>,
    /// `None` when no proxy is configured (then requests pay nothing for proxy support).
    proxies: Option<Arc<Matcher>>,
}

impl Transport {
    pub(crate) fn new(
        mut tls: rustls::ClientConfig,
        cookies: Arc<CookieJar>,
        connect_timeout: Duration,
        proxies: Option<Arc<Matcher>>,
    ) -> Self {
        // The connector offers h2 and http/1.1 itself (and refuses a config that already does).
        tls.alpn_protocols.clear();
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(connect_timeout));
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .wrap_connector(ProxyConnector::new(http, proxies.clone()));
        let client = PooledClient::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(POOL_IDLE)
            .timer(TokioTimer::new())
            .build(connector);
        Self {
            client,
            cookies,
            proxies,
        }
    }

    /// The proxy rules in force (`None`: no proxy), for the cloud connections.
    #[cfg(feature = "cloud")]
    pub(crate) fn proxies(&self) -> Option<&Arc<Matcher>> {
        self.proxies.as_ref()
    }

    /// Sends `out` and reads the whole answer, within `out`'s time limit.
    pub(crate) async fn send(&self, out: Outgoing) -> Result<Received, Unanswered> {
        let limit = out.timeout;
        tokio::time::timeout(limit, self.exchange(out))
            .await
            .unwrap_or(Err(Unanswered::Timeout))
    }

    /// The cookies of the jar for `url`, as one `Cookie` header.
    fn cookie_header(&self, url: &Url) -> Option<HeaderValue> {
        let store = self.cookies.lock().unwrap_or_else(|e| e.into_inner());
        let mut line = String::new();
        for (name, value) in store.get_request_values(url) {
            if !line.is_empty() {
                line.push_str("; ");
            }
            line.push_str(name);
            line.push('=');
            line.push_str(value);
        }
        drop(store);
        if line.is_empty() {
            return None;
        }
        // The session cookie is a secret: hyper leaves sensitive values out of its logs.
        let mut value = HeaderValue::from_str(&line).ok()?;
        value.set_sensitive(true);
        Some(value)
    }

    /// Stores the `Set-Cookie` headers of an answer from `url` (unparsable ones are skipped).
    fn store_cookies(&self, headers: &HeaderMap, url: &Url) {
        let mut cookies = headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .filter_map(|text| cookie_store::RawCookie::parse(text.to_owned()).ok())
            .peekable();
        if cookies.peek().is_none() {
            return;
        }
        let mut store = self.cookies.lock().unwrap_or_else(|e| e.into_inner());
        store.store_response_cookies(cookies, url);
    }

    async fn exchange(&self, out: Outgoing) -> Result<Received, Unanswered> {
        let Outgoing {
            mut method,
            mut url,
            mut headers,
            mut body,
            ..
        } = out;
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
        for _ in 0..=MAX_REDIRECTS {
            let uri: http::Uri = url
                .as_str()
                .parse()
                .map_err(|e| Unanswered::Build(format!("{e}")))?;
            let mut request = http::Request::new(Full::new(body.clone().unwrap_or_default()));
            *request.method_mut() = method.clone();
            *request.uri_mut() = uri;
            *request.headers_mut() = headers.clone();
            // A request that sets its own `Cookie` header sends exactly that (as with reqwest).
            if !request.headers().contains_key(header::COOKIE)
                && let Some(cookie) = self.cookie_header(&url)
            {
                request.headers_mut().insert(header::COOKIE, cookie);
            }
            // A forwarding proxy reads plain-HTTP requests itself: its credentials go along.
            // (HTTPS ones send them in the tunnel's CONNECT only, see `crate::proxy`.)
            if url.scheme() == "http"
                && let Some(rules) = &self.proxies
                && let Some(proxy) = proxy_for(rules, request.uri())
                && let Some(auth) = proxy_authorization(&proxy)
            {
                request
                    .headers_mut()
                    .insert(header::PROXY_AUTHORIZATION, auth);
            }
            let response = self
                .client
                .request(request)
                .await
                .map_err(|e| Unanswered::Connection(Box::new(e)))?;
            let (parts, incoming) = response.into_parts();
            self.store_cookies(&parts.headers, &url);

            if let Some(next) = redirect_target(parts.status, &parts.headers, &url) {
                // Read the (small) body so that the connection can be used again.
                let _ = incoming.collect().await;
                let to_get = parts.status == StatusCode::SEE_OTHER
                    || (method == Method::POST
                        && matches!(
                            parts.status,
                            StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND
                        ));
                if to_get {
                    method = Method::GET;
                    body = None;
                    headers.remove(header::CONTENT_TYPE);
                    headers.remove(header::CONTENT_LENGTH);
                }
                if next.host_str() != url.host_str()
                    || next.port_or_known_default() != url.port_or_known_default()
                {
                    for name in CREDENTIALS {
                        headers.remove(name);
                    }
                }
                url = next;
                continue;
            }

            let bytes = incoming
                .collect()
                .await
                .map_err(|e| Unanswered::Connection(Box::new(e)))?
                .to_bytes();
            let mut headers = parts.headers;
            let body = decode_body(&mut headers, bytes)?;
            return Ok(Received {
                status: parts.status,
                headers,
                url,
                body,
            });
        }
        Err(Unanswered::Connection(
            format!("more than {MAX_REDIRECTS} redirects").into(),
        ))
    }
}

/// Headers that carry credentials, dropped when a redirect leaves the host.
const CREDENTIALS: [HeaderName; 4] = [
    header::AUTHORIZATION,
    header::COOKIE,
    HeaderName::from_static("x-token"),
    HeaderName::from_static("x-csrftoken"),
];

/// Where a redirect answer points, resolved against `url`; `None` for other answers or a
/// missing or unusable `Location` (the answer is then returned as it is).
fn redirect_target(status: StatusCode, headers: &HeaderMap, url: &Url) -> Option<Url> {
    if !matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = headers.get(header::LOCATION)?.to_str().ok()?;
    let next = url.join(location).ok()?;
    matches!(next.scheme(), "http" | "https").then_some(next)
}

/// The body as sent once `Content-Encoding: gzip` is undone (headers updated to match).
fn decode_body(headers: &mut HeaderMap, body: Bytes) -> Result<Bytes, Unanswered> {
    let gzip = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("gzip"));
    if !gzip || body.is_empty() {
        return Ok(body);
    }
    let mut decoded = Vec::with_capacity(body.len() * 4);
    flate2::read::MultiGzDecoder::new(&body[..])
        .read_to_end(&mut decoded)
        .map_err(|e| Unanswered::Body(format!("error decoding a gzip body: {e}"), Box::new(e)))?;
    headers.remove(header::CONTENT_ENCODING);
    headers.remove(header::CONTENT_LENGTH);
    Ok(Bytes::from(decoded))
}

/// The messages of an error and all its sources, joined by `": "`.
pub(crate) fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        let text = e.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = e.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn redirects_resolve_against_the_current_url() {
        let mut headers = HeaderMap::new();
        headers.insert(header::LOCATION, HeaderValue::from_static("/next?a=1"));
        let here = url("http://127.0.0.1:9/site/login/");
        assert_eq!(
            redirect_target(StatusCode::FOUND, &headers, &here).map(String::from),
            Some("http://127.0.0.1:9/next?a=1".to_owned())
        );
        assert_eq!(redirect_target(StatusCode::OK, &headers, &here), None);
        headers.insert(header::LOCATION, HeaderValue::from_static("ftp://x/y"));
        assert_eq!(redirect_target(StatusCode::FOUND, &headers, &here), None);
        assert_eq!(
            redirect_target(StatusCode::FOUND, &HeaderMap::new(), &here),
            None
        );
    }

    #[test]
    fn gzip_bodies_are_decoded_and_their_headers_dropped() {
        use std::io::Write as _;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(br#"{"ok":true}"#).unwrap();
        let packed = Bytes::from(encoder.finish().unwrap());
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(packed.len()));
        let body = decode_body(&mut headers, packed).unwrap();
        assert_eq!(&body[..], br#"{"ok":true}"#);
        assert!(headers.get(header::CONTENT_ENCODING).is_none());
        assert!(headers.get(header::CONTENT_LENGTH).is_none());

        let mut plain = HeaderMap::new();
        let same = decode_body(&mut plain, Bytes::from_static(b"abc")).unwrap();
        assert_eq!(&same[..], b"abc");

        let mut broken = HeaderMap::new();
        broken.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        assert!(matches!(
            decode_body(&mut broken, Bytes::from_static(b"not gzip")),
            Err(Unanswered::Body(..))
        ));
    }

    mod over_the_wire {
        use std::io::Write as _;

        use wiremock::matchers::{method, path};
        use wiremock::{Mock, MockServer, ResponseTemplate};

        use crate::request::RequestSpec;
        use crate::{Client, Error, Host, Hosts, RateLimit, RetryPolicy};

        use super::*;

        fn client(server: &MockServer) -> Client {
            Client::builder()
                .hosts(Hosts::sandbox_url(Url::parse(&server.uri()).unwrap()))
                .rate_limit(RateLimit::unlimited())
                .retry(RetryPolicy::none())
                .proxy(crate::Proxy::none())
                .build()
                .unwrap()
        }

        async fn hop_then_done(server: &MockServer) {
            Mock::given(method("POST"))
                .and(path("/site/a"))
                .respond_with(
                    ResponseTemplate::new(302)
                        .insert_header("Location", "/site/b")
                        .insert_header("Set-Cookie", "hop=1; Path=/"),
                )
                .mount(server)
                .await;
            Mock::given(method("GET"))
                .and(path("/site/b"))
                .respond_with(ResponseTemplate::new(200).set_body_string("done"))
                .mount(server)
                .await;
        }

        /// A POST answered 302 goes on as a GET without its body, with the cookie the
        /// redirect set, and the answer names the URL that gave it.
        #[tokio::test]
        async fn redirects_carry_cookies_and_a_post_becomes_a_get() {
            {
                let server = MockServer::start().await;
                hop_then_done(&server).await;
                let spec = RequestSpec::post(Host::Site, "/a")
                    .form(vec![("k".to_owned(), "v".to_owned())]);
                let response = client(&server).execute(spec).await.unwrap();
                assert_eq!(response.status, StatusCode::OK);
                assert_eq!(&response.body[..], b"done");
                assert_eq!(response.url.path(), "/site/b");
                let seen = server.received_requests().await.unwrap();
                assert_eq!(seen.len(), 2);
                assert_eq!(seen[1].method.as_str(), "GET");
                assert!(seen[1].body.is_empty());
                assert!(seen[1].headers.get("content-type").is_none());
                assert_eq!(
                    seen[1].headers.get("cookie").map(|v| v.to_str().unwrap()),
                    Some("hop=1")
                );
            }
        }

        #[tokio::test]
        async fn a_redirect_loop_is_an_error_after_ten_hops() {
            let server = MockServer::start().await;
            Mock::given(path("/site/loop"))
                .respond_with(ResponseTemplate::new(302).insert_header("Location", "/site/loop"))
                .mount(&server)
                .await;
            let result = client(&server)
                .execute(RequestSpec::get(Host::Site, "/loop"))
                .await;
            match result {
                Err(Error::Connection { message, .. }) => {
                    assert!(message.contains("redirects"), "{message}")
                }
                other => panic!("expected a connection error, got {other:?}"),
            }
            assert_eq!(server.received_requests().await.unwrap().len(), 11);
        }

        #[tokio::test]
        async fn credentials_stay_behind_when_a_redirect_leaves_the_host() {
            let (first, second) = (MockServer::start().await, MockServer::start().await);
            Mock::given(path("/api/go"))
                .respond_with(
                    ResponseTemplate::new(307)
                        .insert_header("Location", format!("{}/elsewhere", second.uri())),
                )
                .mount(&first)
                .await;
            Mock::given(path("/elsewhere"))
                .respond_with(ResponseTemplate::new(200))
                .mount(&second)
                .await;
            let spec = RequestSpec::get(Host::Api, "/go").header("X-Token", "secret-token");
            let response = client(&first).execute(spec).await.unwrap();
            assert_eq!(response.status, StatusCode::OK);
            let sent = first.received_requests().await.unwrap();
            assert_eq!(sent[0].headers.get("x-token").unwrap(), "secret-token");
            let moved = second.received_requests().await.unwrap();
            assert_eq!(moved.len(), 1);
            assert!(moved[0].headers.get("x-token").is_none());
        }

        #[tokio::test]
        async fn gzip_is_asked_for_and_decoded() {
            let server = MockServer::start().await;
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            encoder.write_all(br#"{"count":7}"#).unwrap();
            Mock::given(path("/api/zipped"))
                .respond_with(
                    ResponseTemplate::new(200)
                        .insert_header("Content-Encoding", "gzip")
                        .set_body_bytes(encoder.finish().unwrap()),
                )
                .mount(&server)
                .await;
            let response = client(&server)
                .execute(RequestSpec::get(Host::Api, "/zipped"))
                .await
                .unwrap();
            assert_eq!(&response.body[..], br#"{"count":7}"#);
            let sent = server.received_requests().await.unwrap();
            assert_eq!(sent[0].headers.get("accept-encoding").unwrap(), "gzip");
        }
    }
}
