//! The internal request pipeline: request description, building, sending with rate limit and
//! retries, status classification and decoding.
//!
//! A resource handler describes its call with a [`RequestSpec`] and hands it to
//! [`Client::send`] / [`Client::send_json`] (or uses the `get_*` shortcuts):
//!
//! ```text
//! pub async fn get(&self) -> Result<User> {
//!     let name = validate_username(&self.name)?;
//!     self.client.get_json(Host::Api, &format!("/users/{name}"), &[]).await
//! }
//! ```

use std::future::Future;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use crate::client::Client;
use crate::error::{Error, Result, redact_url, snippet};
use crate::hosts::Host;
use crate::rate_limit::Limiter;
use crate::retry::{RetryPolicy, parse_retry_after};
use crate::transport::{self, Outgoing, Received};

/// Which credentials a request carries.
///
/// Calls that need a login fail with [`Error::LoginRequired`] before anything is sent when the
/// client is logged out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum AuthMode {
    /// No credentials (cookies the client holds are still sent by the cookie store).
    #[default]
    None,
    /// The `X-Token` header (api, backpack, project writes). Requires a login.
    Token,
    /// The session cookie, plus `X-CSRFToken`, `X-Requested-With: XMLHttpRequest` and a
    /// `Referer` on the site (scratch.mit.edu and `/proxy/*`). Requires a login.
    Cookie,
    /// Both [`AuthMode::Token`] and [`AuthMode::Cookie`]. Requires a login.
    Both,
    /// The `X-Token` header when logged in, nothing otherwise (calls whose answer depends on who
    /// asks, such as unshared projects).
    TokenIfLoggedIn,
}

/// A request body.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    /// JSON text, sent with `Content-Type: application/json`.
    Json(Bytes),
    /// `application/x-www-form-urlencoded` pairs.
    Form(Vec<(String, String)>),
    /// Any bytes, with the given `Content-Type` (none when `None`: some site-api endpoints take
    /// JSON text without one).
    Bytes {
        content_type: Option<String>,
        data: Bytes,
    },
}

/// Everything needed to make one request, built and inspected without sending it.
#[derive(Debug, Clone)]
pub(crate) struct RequestSpec {
    pub(crate) method: Method,
    pub(crate) host: Host,
    /// The path on `host`, starting with `/`, without query string.
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    /// Extra headers (a handler's `Referer`, `Content-Type`…); they win over the defaults.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<Body>,
    pub(crate) auth: AuthMode,
    /// Overrides the client's timeout for this request (large downloads and uploads).
    pub(crate) timeout: Option<Duration>,
}

impl RequestSpec {
    /// A request with `method` for `path` on `host`.
    pub(crate) fn new(method: Method, host: Host, path: impl Into<String>) -> Self {
        Self {
            method,
            host,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            auth: AuthMode::None,
            timeout: None,
        }
    }

    /// A GET request.
    pub(crate) fn get(host: Host, path: impl Into<String>) -> Self {
        Self::new(Method::GET, host, path)
    }

    /// A POST request.
    pub(crate) fn post(host: Host, path: impl Into<String>) -> Self {
        Self::new(Method::POST, host, path)
    }

    /// A PUT request.
    pub(crate) fn put(host: Host, path: impl Into<String>) -> Self {
        Self::new(Method::PUT, host, path)
    }

    /// A DELETE request.
    pub(crate) fn delete(host: Host, path: impl Into<String>) -> Self {
        Self::new(Method::DELETE, host, path)
    }

    /// Adds a query parameter (encoded when the request is built).
    pub(crate) fn query(mut self, key: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((key.into(), value.to_string()));
        self
    }

    /// Adds query parameters.
    pub(crate) fn queries<K: AsRef<str>, V: AsRef<str>>(mut self, pairs: &[(K, V)]) -> Self {
        self.query.extend(
            pairs
                .iter()
                .map(|(k, v)| (k.as_ref().to_owned(), v.as_ref().to_owned())),
        );
        self
    }

    /// Adds a header (checked when the request is built).
    pub(crate) fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets which credentials to send.
    pub(crate) fn auth(mut self, auth: AuthMode) -> Self {
        self.auth = auth;
        self
    }

    /// Sets a JSON body.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if `value` cannot be serialized (a map with non-string keys).
    pub(crate) fn json<T: Serialize + ?Sized>(mut self, value: &T) -> Result<Self> {
        let data =
            serde_json::to_vec(value).map_err(|e| Error::invalid("JSON body", e.to_string()))?;
        self.body = Some(Body::Json(Bytes::from(data)));
        Ok(self)
    }

    /// Sets a form body.
    pub(crate) fn form(mut self, pairs: Vec<(String, String)>) -> Self {
        self.body = Some(Body::Form(pairs));
        self
    }

    /// Sets a body of raw bytes.
    pub(crate) fn bytes(mut self, content_type: Option<&str>, data: impl Into<Bytes>) -> Self {
        self.body = Some(Body::Bytes {
            content_type: content_type.map(str::to_owned),
            data: data.into(),
        });
        self
    }

    /// Overrides the timeout of this request.
    pub(crate) fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Whether retrying this request is safe (GET and HEAD).
    pub(crate) fn is_idempotent(&self) -> bool {
        self.method == Method::GET || self.method == Method::HEAD
    }
}

/// A response read to the end.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    /// The final URL (after redirects).
    pub(crate) url: Url,
    /// The URL requested, secrets redacted (for error messages).
    pub(crate) requested: String,
    pub(crate) body: Bytes,
}

impl Response {
    /// Decodes the body as JSON into `T`, whatever the `Content-Type` says.
    pub(crate) fn json<T: DeserializeOwned>(&self) -> Result<T> {
        decode_json(&self.body, &self.requested)
    }

    /// The body as text (invalid UTF-8 replaced).
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Decodes `body` as JSON into `T`, with the failing field's path in the error.
///
/// The common case (a body that decodes) takes a plain `serde_json` pass; path tracking, which
/// allocates a key per object field, is only paid to explain a failure. A body that is valid
/// UTF-8 as a whole (nearly always) is checked once instead of string by string.
pub(crate) fn decode_json<T: DeserializeOwned>(body: &[u8], url: &str) -> Result<T> {
    let fast = match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        // Invalid UTF-8 may sit in a field `T` skips, which the byte reader accepts.
        Err(_) => serde_json::from_slice(body),
    };
    match fast {
        Ok(value) => Ok(value),
        Err(_) => decode_json_tracked(body, url),
    }
}

/// [`decode_json`]'s slow path: decodes with the failing field's path tracked, for the error.
#[cold]
#[inline(never)]
fn decode_json_tracked<T: DeserializeOwned>(body: &[u8], url: &str) -> Result<T> {
    let decode_error =
        |path: String, message: String, source: Option<serde_json::Error>| Error::Decode {
            url: url.to_owned(),
            path,
            message,
            snippet: snippet(body),
            source: source.map(|e| Box::new(e) as crate::error::BoxError),
        };
    let trimmed = body.trim_ascii_start();
    if trimmed.is_empty() {
        return Err(decode_error(
            ".".into(),
            "empty body where JSON was expected".into(),
            None,
        ));
    }
    let looks_like_html = trimmed.starts_with(b"<");
    let mut de = serde_json::Deserializer::from_slice(body);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = if looks_like_html {
            format!("expected JSON but the body looks like HTML ({inner})")
        } else {
            inner.to_string()
        };
        decode_error(path, message, Some(inner))
    })?;
    de.end().map_err(|e| {
        let message = format!("trailing data after the JSON: {e}");
        decode_error(".".into(), message, Some(e))
    })?;
    Ok(value)
}

/// A failed attempt: the error, how long the server asked to wait, and the response when there
/// was one.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) error: Error,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) response: Option<Response>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Self {
            error,
            retry_after: None,
            response: None,
        }
    }
}

/// Runs `attempt` until it succeeds, fails in a way that is not worth retrying, or the policy's
/// retries are used up. Every attempt first takes a token from `limiter`; retries are made only
/// when `idempotent`.
pub(crate) async fn with_retries<T, F, Fut>(
    policy: &RetryPolicy,
    limiter: &Limiter,
    idempotent: bool,
    mut attempt: F,
) -> std::result::Result<T, Failure>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = std::result::Result<T, Failure>>,
{
    let mut retry = 0;
    loop {
        limiter.acquire().await;
        let failure = match attempt().await {
            Ok(value) => return Ok(value),
            Err(failure) => failure,
        };
        if !(idempotent && failure.error.is_retryable() && retry < policy.max_retries()) {
            return Err(failure);
        }
        let delay = policy.delay(retry, failure.retry_after, &mut rand::rng());
        tracing::debug!(
            error = %failure.error,
            retry = retry + 1,
            delay_ms = delay.as_millis() as u64,
            "retrying request"
        );
        tokio::time::sleep(delay).await;
        retry += 1;
    }
}

/// Whether `body` is Scratch's `{"response":"Too many requests"}` rate-limit answer.
fn is_too_many_requests_body(body: &[u8]) -> bool {
    body.len() < 128
        && serde_json::from_slice::<serde_json::Value>(body)
            .is_ok_and(|v| v.get("response").and_then(|r| r.as_str()) == Some("Too many requests"))
}

/// The `code` of Scratch's `{"code":"…","message":"…"}` error bodies.
fn error_code(body: &[u8]) -> Option<String> {
    if body.len() > 4096 {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    value.get("code")?.as_str().map(str::to_owned)
}

/// The error for a response that is not a success, `None` when it is one.
fn classify(resp: &Response, requested_path: &str, retry_after: Option<Duration>) -> Option<Error> {
    let url = resp.requested.clone();
    let final_path = resp.url.path();
    // The old site answers some refusals with a redirect (followed by the HTTP stack).
    if final_path != requested_path {
        let redirect =
            |marker: &str| final_path.contains(marker) && !requested_path.contains(marker);
        let code = if redirect("/accounts/login") {
            Some(("LoginRedirect", true))
        } else if redirect("/ip_ban_appeal") {
            Some(("IpBan", false))
        } else if redirect("/accounts/banned-response") {
            Some(("AccountBlocked", false))
        } else {
            None
        };
        if let Some((code, unauthorized)) = code {
            let snippet = format!("redirected to {}", redact_url(&resp.url));
            let code = Some(code.to_owned());
            return Some(if unauthorized {
                Error::Unauthorized { url, code, snippet }
            } else {
                Error::Forbidden { url, code, snippet }
            });
        }
    }
    let status = resp.status;
    if status.is_success() {
        if is_too_many_requests_body(&resp.body) {
            return Some(Error::RateLimited { url, retry_after });
        }
        return None;
    }
    let body = &resp.body;
    Some(match status {
        StatusCode::NOT_FOUND => Error::NotFound { url },
        StatusCode::BAD_REQUEST => Error::BadRequest {
            url,
            code: error_code(body),
            snippet: snippet(body),
        },
        StatusCode::UNAUTHORIZED => Error::Unauthorized {
            url,
            code: error_code(body),
            snippet: snippet(body),
        },
        StatusCode::FORBIDDEN => Error::Forbidden {
            url,
            code: error_code(body),
            snippet: snippet(body),
        },
        StatusCode::TOO_MANY_REQUESTS => Error::RateLimited { url, retry_after },
        s if s.is_server_error() => Error::Server {
            status: s,
            url,
            snippet: snippet(body),
        },
        s => Error::Status {
            status: s,
            url,
            snippet: snippet(body),
        },
    })
}

/// Our error for a request that got no answer.
fn transport_error(failure: transport::Unanswered, url: String) -> Error {
    match failure {
        transport::Unanswered::Timeout => Error::Timeout { url },
        transport::Unanswered::Build(message) => Error::Build(message),
        transport::Unanswered::Body(message, source) => Error::Decode {
            url,
            path: ".".into(),
            message,
            snippet: String::new(),
            source: Some(source),
        },
        transport::Unanswered::Connection(source) => Error::Connection {
            url,
            message: transport::error_chain(&*source),
            source: Some(source),
        },
    }
}

fn header_value(name: &str, value: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(value).map_err(|_| {
        Error::invalid(
            "header",
            format!("the value of `{name}` is not a valid header value"),
        )
    })
}

impl Client {
    /// Builds the HTTP request `spec` describes, without sending it: final URL with the query
    /// encoded, User-Agent, credentials, body and timeout.
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when `spec` needs a login the client does not have;
    /// [`Error::InvalidInput`] for an unusable header; [`Error::Build`] if the HTTP stack refuses.
    pub(crate) fn build_request(&self, spec: &RequestSpec) -> Result<Outgoing> {
        let mut url = self.hosts().url(spec.host, &spec.path);
        if !spec.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&spec.query);
        }
        let mut headers = HeaderMap::new();
        headers.insert(
            header::USER_AGENT,
            header_value("User-Agent", self.user_agent())?,
        );

        let auth = match spec.auth {
            AuthMode::None => None,
            AuthMode::TokenIfLoggedIn => self.auth_state(),
            AuthMode::Token | AuthMode::Cookie | AuthMode::Both => Some(self.require_auth()?),
        };
        if let Some(state) = &auth {
            let token = matches!(
                spec.auth,
                AuthMode::Token | AuthMode::Both | AuthMode::TokenIfLoggedIn
            );
            let cookie = matches!(spec.auth, AuthMode::Cookie | AuthMode::Both);
            if token {
                let mut value = header_value("X-Token", state.x_token())?;
                value.set_sensitive(true);
                headers.insert(HeaderName::from_static("x-token"), value);
            }
            if cookie {
                let mut value = header_value("X-CSRFToken", state.csrf())?;
                value.set_sensitive(true);
                headers.insert(HeaderName::from_static("x-csrftoken"), value);
                headers.insert(
                    HeaderName::from_static("x-requested-with"),
                    HeaderValue::from_static("XMLHttpRequest"),
                );
                let referer = self.hosts().url(Host::Site, "/");
                headers.insert(header::REFERER, header_value("Referer", referer.as_str())?);
            }
        }

        let mut body = None;
        match &spec.body {
            None => {}
            Some(Body::Json(data)) => {
                headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                body = Some(data.clone());
            }
            Some(Body::Form(pairs)) => {
                let encoded = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(pairs)
                    .finish();
                headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                );
                body = Some(Bytes::from(encoded));
            }
            Some(Body::Bytes { content_type, data }) => {
                if let Some(ct) = content_type {
                    headers.insert(header::CONTENT_TYPE, header_value("Content-Type", ct)?);
                }
                body = Some(data.clone());
            }
        }

        for (name, value) in &spec.headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::invalid("header", format!("`{name}` is not a valid header name"))
            })?;
            let value = header_value(name.as_str(), value)?;
            headers.insert(name, value);
        }

        Ok(Outgoing::new(
            spec.method.clone(),
            url,
            headers,
            body,
            spec.timeout.unwrap_or_else(|| self.default_timeout()),
        ))
    }

    /// One attempt: build, send, read the whole body, classify the status.
    async fn attempt(&self, spec: &RequestSpec) -> std::result::Result<Response, Failure> {
        let request = self.build_request(spec)?;
        let requested_path = request.url().path().to_owned();
        let requested = redact_url(request.url());
        let Received {
            status,
            headers,
            url,
            body,
        } = match self.transport().send(request).await {
            Ok(reply) => reply,
            Err(failure) => return Err(transport_error(failure, requested).into()),
        };
        let retry_after = headers
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let response = Response {
            status,
            headers,
            url,
            requested,
            body,
        };
        match classify(&response, &requested_path, retry_after) {
            None => Ok(response),
            Some(error) => Err(Failure {
                error,
                retry_after,
                response: Some(response),
            }),
        }
    }

    /// Sends `spec` (rate limit, retries) and returns the last response whatever its status;
    /// errors only when no response came (timeout, connection, validation).
    pub(crate) async fn execute(&self, spec: RequestSpec) -> Result<Response> {
        let run = with_retries(
            self.retry_policy_ref(),
            self.limiter(),
            spec.is_idempotent(),
            || self.attempt(&spec),
        );
        match run.await {
            Ok(response) => Ok(response),
            Err(Failure {
                response: Some(response),
                ..
            }) => Ok(response),
            Err(failure) => Err(failure.error),
        }
    }

    /// Sends `spec` (rate limit, retries) and returns the response when it is a success.
    ///
    /// # Errors
    /// See [`Error`]: the status is mapped to a variant before anything is decoded.
    pub(crate) async fn send(&self, spec: RequestSpec) -> Result<Response> {
        with_retries(
            self.retry_policy_ref(),
            self.limiter(),
            spec.is_idempotent(),
            || self.attempt(&spec),
        )
        .await
        .map_err(|failure| failure.error)
    }

    /// Sends `spec` and decodes a successful JSON answer into `T`.
    pub(crate) async fn send_json<T: DeserializeOwned>(&self, spec: RequestSpec) -> Result<T> {
        self.send(spec).await?.json()
    }

    /// GET `path` on `host` with `query`, decoded from JSON (whatever the `Content-Type`).
    pub(crate) async fn get_json<T: DeserializeOwned>(
        &self,
        host: Host,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T> {
        self.send_json(RequestSpec::get(host, path).queries(query))
            .await
    }

    /// GET `path` on `host` with `query`, as text (invalid UTF-8 replaced).
    pub(crate) async fn get_text(
        &self,
        host: Host,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<String> {
        Ok(self
            .send(RequestSpec::get(host, path).queries(query))
            .await?
            .text())
    }

    /// GET `path` on `host` with `query`, as bytes.
    pub(crate) async fn get_bytes(
        &self,
        host: Host,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<Bytes> {
        Ok(self
            .send(RequestSpec::get(host, path).queries(query))
            .await?
            .body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rate_limit::RateLimit;
    use std::cell::Cell;
    use tokio::time::Instant;

    fn client() -> Client {
        Client::sandbox("127.0.0.1:9".parse().unwrap())
    }

    #[test]
    fn builds_url_query_and_user_agent_without_sending() {
        let c = client();
        let spec = RequestSpec::get(Host::Api, "/search/projects")
            .query("q", "a&b#c+d")
            .query("limit", 40);
        let req = c.build_request(&spec).unwrap();
        assert_eq!(req.method(), Method::GET);
        assert_eq!(
            req.url().as_str(),
            "http://127.0.0.1:9/api/search/projects?q=a%26b%23c%2Bd&limit=40"
        );
        let ua = req.headers().get(header::USER_AGENT).unwrap();
        assert_eq!(ua, crate::client::DEFAULT_USER_AGENT);
        assert!(ua.to_str().unwrap().starts_with("scratchkit/"));
        assert!(req.headers().get("x-token").is_none());
        assert!(req.body().is_none());
    }

    #[test]
    fn spaces_and_unicode_in_query_are_encoded() {
        let c = client();
        let spec = RequestSpec::get(Host::Site, "/search/").query("q", "hello world é");
        let req = c.build_request(&spec).unwrap();
        assert_eq!(req.url().query(), Some("q=hello+world+%C3%A9"));
        assert_eq!(req.url().path(), "/site/search/");
    }

    #[test]
    fn custom_user_agent_and_headers() {
        let c = Client::builder()
            .hosts(crate::Hosts::sandbox("127.0.0.1:9".parse().unwrap()))
            .user_agent("my-bot/1.0 (by @me)")
            .build()
            .unwrap();
        let spec = RequestSpec::get(Host::Api, "/x")
            .header("Referer", "https://scratch.mit.edu/projects/1/");
        let req = c.build_request(&spec).unwrap();
        assert_eq!(req.headers()[header::USER_AGENT], "my-bot/1.0 (by @me)");
        assert_eq!(
            req.headers()[header::REFERER],
            "https://scratch.mit.edu/projects/1/"
        );

        let bad = RequestSpec::get(Host::Api, "/x").header("X-Bad", "a\nb");
        assert!(matches!(
            c.build_request(&bad),
            Err(Error::InvalidInput { what: "header", .. })
        ));
        let bad = RequestSpec::get(Host::Api, "/x").header("bad name", "v");
        assert!(matches!(
            c.build_request(&bad),
            Err(Error::InvalidInput { .. })
        ));
    }

    #[test]
    fn bodies_get_their_content_type() {
        let c = client();
        let spec = RequestSpec::post(Host::Site, "/login/")
            .json(&serde_json::json!({"username": "a"}))
            .unwrap();
        let req = c.build_request(&spec).unwrap();
        assert_eq!(req.method(), Method::POST);
        assert_eq!(req.headers()[header::CONTENT_TYPE], "application/json");
        assert_eq!(
            req.body().map(|b| &b[..]),
            Some(&br#"{"username":"a"}"#[..])
        );

        let spec = RequestSpec::put(Host::Site, "/f").form(vec![("a b".into(), "c&d".into())]);
        let req = c.build_request(&spec).unwrap();
        assert_eq!(
            req.headers()[header::CONTENT_TYPE],
            "application/x-www-form-urlencoded"
        );
        assert_eq!(req.body().map(|b| &b[..]), Some(&b"a+b=c%26d"[..]));

        let spec = RequestSpec::post(Host::Site, "/raw").bytes(None, &b"{}"[..]);
        let req = c.build_request(&spec).unwrap();
        assert!(req.headers().get(header::CONTENT_TYPE).is_none());
        let spec = RequestSpec::delete(Host::Assets, "/a").bytes(Some("image/png"), vec![1u8, 2]);
        let req = c.build_request(&spec).unwrap();
        assert_eq!(req.headers()[header::CONTENT_TYPE], "image/png");
        assert_eq!(req.method(), Method::DELETE);
    }

    #[test]
    fn auth_required_fails_before_sending_when_logged_out() {
        let c = client();
        for mode in [AuthMode::Token, AuthMode::Cookie, AuthMode::Both] {
            let spec = RequestSpec::get(Host::Api, "/x").auth(mode);
            assert!(
                matches!(c.build_request(&spec), Err(Error::LoginRequired)),
                "{mode:?}"
            );
        }
        let spec = RequestSpec::get(Host::Api, "/x").auth(AuthMode::TokenIfLoggedIn);
        let req = c.build_request(&spec).unwrap();
        assert!(req.headers().get("x-token").is_none());
    }

    #[test]
    fn auth_headers_when_logged_in_and_secrets_stay_hidden() {
        let c = client();
        c.set_auth(Some(crate::client::AuthState::new(
            "griffpatch",
            Some(1882674),
            "tok-SECRET-123",
            "sess-SECRET-456",
            "csrf-abc",
        )));
        let spec = RequestSpec::get(Host::Api, "/x").auth(AuthMode::Both);
        let req = c.build_request(&spec).unwrap();
        assert_eq!(req.headers()["x-token"], "tok-SECRET-123");
        assert_eq!(req.headers()["x-csrftoken"], "csrf-abc");
        assert_eq!(req.headers()["x-requested-with"], "XMLHttpRequest");
        assert_eq!(req.headers()[header::REFERER], "http://127.0.0.1:9/site/");
        let spec = RequestSpec::get(Host::Api, "/x").auth(AuthMode::Token);
        let req = c.build_request(&spec).unwrap();
        assert!(req.headers().get("x-csrftoken").is_none());

        let debug = format!("{c:?} {:?}", c.auth_state());
        assert!(!debug.contains("SECRET"), "{debug}");
        assert!(debug.contains("griffpatch"), "{debug}");
        assert!(c.is_logged_in());
    }

    #[test]
    fn decode_reports_the_failing_path() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            joined: String,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct User {
            id: u64,
            history: Inner,
        }
        let err = decode_json::<User>(br#"{"id":1,"history":{"joined":5}}"#, "u").unwrap_err();
        match err {
            Error::Decode {
                path,
                message,
                snippet,
                url,
                source,
            } => {
                assert!(source.is_some(), "serde_json's error is kept as the source");
                assert_eq!(path, "history.joined");
                assert!(message.contains("invalid type"), "{message}");
                assert!(snippet.contains("\"joined\":5"));
                assert_eq!(url, "u");
            }
            other => panic!("{other:?}"),
        }
        let err = decode_json::<User>(b"<!DOCTYPE html><html></html>", "u").unwrap_err();
        assert!(
            matches!(&err, Error::Decode { message, .. } if message.contains("HTML")),
            "{err:?}"
        );
        let err = decode_json::<serde_json::Value>(b"  \n", "u").unwrap_err();
        assert!(
            matches!(&err, Error::Decode { message, .. } if message.contains("empty")),
            "{err:?}"
        );
        let err = decode_json::<serde_json::Value>(b"{} x", "u").unwrap_err();
        assert!(
            matches!(&err, Error::Decode { message, .. } if message.contains("trailing")),
            "{err:?}"
        );
        let ok: serde_json::Value = decode_json(b" {\"a\":[1]}\n", "u").unwrap();
        assert_eq!(ok["a"][0], 1);
    }

    #[test]
    fn fast_decode_matches_the_tracked_decode() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Item {
            id: u64,
            name: String,
        }
        let body = b"[{\"id\":1,\"name\":\"caf\\u00e9 \xc3\xa9\"},{\"id\":2,\"name\":\"b\",\"extra\":[1,{}]}]";
        let fast: Vec<Item> = decode_json(body, "u").unwrap();
        let mut de = serde_json::Deserializer::from_slice(body);
        let tracked: Vec<Item> = serde_path_to_error::deserialize(&mut de).unwrap();
        assert_eq!(fast, tracked);
        assert_eq!(fast[0].name, "caf\u{e9} \u{e9}");

        // Invalid UTF-8 inside a skipped field: the byte reader accepts it, so must we.
        let skipped = b"{\"id\":3,\"name\":\"c\",\"junk\":\"\xff\"}";
        let expected = serde_json::from_slice::<Item>(skipped).is_ok();
        assert_eq!(decode_json::<Item>(skipped, "u").is_ok(), expected);
        // Invalid UTF-8 in a kept field is still a decode error naming the field.
        let kept = b"{\"id\":3,\"name\":\"\xff\"}";
        match decode_json::<Item>(kept, "u").unwrap_err() {
            Error::Decode { path, .. } => assert_eq!(path, "name"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn too_many_requests_body_and_error_codes() {
        assert!(is_too_many_requests_body(
            br#"{"response":"Too many requests"}"#
        ));
        assert!(!is_too_many_requests_body(br#"{"response":"ok"}"#));
        assert!(!is_too_many_requests_body(b"[]"));
        assert_eq!(
            error_code(br#"{"code":"BadRequest","message":""}"#).as_deref(),
            Some("BadRequest")
        );
        assert_eq!(error_code(b"<html>"), None);
    }

    fn response(status: u16, url: &str, body: &str) -> Response {
        Response {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            url: Url::parse(url).unwrap(),
            requested: "req".into(),
            body: Bytes::from(body.to_owned()),
        }
    }

    #[test]
    fn classification() {
        let c =
            |status, body| classify(&response(status, "http://h/site/x", body), "/site/x", None);
        assert!(c(200, "{}").is_none());
        assert!(c(204, "").is_none());
        assert!(matches!(
            c(200, r#"{"response":"Too many requests"}"#),
            Some(Error::RateLimited { .. })
        ));
        assert!(matches!(
            c(404, "<html>Whoops</html>"),
            Some(Error::NotFound { .. })
        ));
        assert!(matches!(
            c(400, r#"{"code":"BadRequest","message":""}"#),
            Some(Error::BadRequest { code: Some(code), .. }) if code == "BadRequest"
        ));
        assert!(matches!(
            c(401, "no"),
            Some(Error::Unauthorized { code: None, .. })
        ));
        assert!(
            matches!(c(403, "<h1>blocked</h1>"), Some(Error::Forbidden { snippet, .. }) if snippet == "<h1>blocked</h1>")
        );
        assert!(matches!(c(429, ""), Some(Error::RateLimited { .. })));
        assert!(matches!(
            c(500, "x"),
            Some(Error::Server {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                ..
            })
        ));
        assert!(matches!(
            c(418, "x"),
            Some(Error::Status {
                status: StatusCode::IM_A_TEAPOT,
                ..
            })
        ));

        let redirected = response(200, "http://h/site/accounts/login/?next=/x", "<html>");
        assert!(matches!(
            classify(&redirected, "/site/x", None),
            Some(Error::Unauthorized { code: Some(code), .. }) if code == "LoginRedirect"
        ));
        let banned = response(200, "http://h/ip_ban_appeal/abc/", "<html>");
        assert!(matches!(
            classify(&banned, "/x", None),
            Some(Error::Forbidden { code: Some(code), .. }) if code == "IpBan"
        ));
        // Asking for the login page itself is not an error.
        let login = response(200, "http://h/accounts/login/", "<html>");
        assert!(classify(&login, "/accounts/login/", None).is_none());
    }

    fn server_error(status: u16) -> Failure {
        Error::Server {
            status: StatusCode::from_u16(status).unwrap(),
            url: "u".into(),
            snippet: String::new(),
        }
        .into()
    }

    #[tokio::test(start_paused = true)]
    async fn backoff_waits_between_attempts() {
        let policy = RetryPolicy::new(3, Duration::from_secs(1), Duration::from_secs(30));
        let limiter = Limiter::new(RateLimit::unlimited());
        let calls = Cell::new(0);
        let start = Instant::now();
        let result = with_retries(&policy, &limiter, true, || {
            calls.set(calls.get() + 1);
            let n = calls.get();
            async move { if n < 3 { Err(server_error(503)) } else { Ok(n) } }
        })
        .await;
        assert_eq!(result.unwrap(), 3);
        // Retry 0 waits in [0.5, 1] s, retry 1 in [1, 2] s.
        let elapsed = start.elapsed();
        assert!(
            elapsed >= Duration::from_millis(1500) && elapsed <= Duration::from_millis(3000),
            "{elapsed:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_sets_the_wait_and_retries_run_out() {
        let policy = RetryPolicy::new(2, Duration::from_millis(1), Duration::from_secs(30));
        let limiter = Limiter::new(RateLimit::unlimited());
        let calls = Cell::new(0);
        let start = Instant::now();
        let result: std::result::Result<(), _> = with_retries(&policy, &limiter, true, || {
            calls.set(calls.get() + 1);
            async {
                Err(Failure {
                    error: Error::RateLimited {
                        url: "u".into(),
                        retry_after: Some(Duration::from_secs(7)),
                    },
                    retry_after: Some(Duration::from_secs(7)),
                    response: None,
                })
            }
        })
        .await;
        assert!(result.unwrap_err().error.is_rate_limited());
        assert_eq!(calls.get(), 3);
        assert_eq!(start.elapsed(), Duration::from_secs(14));
    }

    #[tokio::test(start_paused = true)]
    async fn no_retry_for_non_idempotent_or_final_errors() {
        let policy = RetryPolicy::default();
        let limiter = Limiter::new(RateLimit::unlimited());
        let calls = Cell::new(0);
        let r: std::result::Result<(), _> = with_retries(&policy, &limiter, false, || {
            calls.set(calls.get() + 1);
            async { Err(server_error(503)) }
        })
        .await;
        assert!(r.is_err());
        assert_eq!(calls.get(), 1);

        calls.set(0);
        let r: std::result::Result<(), _> = with_retries(&policy, &limiter, true, || {
            calls.set(calls.get() + 1);
            async { Err(server_error(500)) }
        })
        .await;
        assert!(r.is_err());
        assert_eq!(calls.get(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn every_attempt_goes_through_the_limiter() {
        let policy = RetryPolicy::new(3, Duration::ZERO, Duration::ZERO);
        let limiter = Limiter::new(RateLimit::per_second(1.0));
        let calls = Cell::new(0);
        let start = Instant::now();
        let r: std::result::Result<(), _> = with_retries(&policy, &limiter, true, || {
            calls.set(calls.get() + 1);
            async { Err(server_error(502)) }
        })
        .await;
        assert!(r.is_err());
        assert_eq!(calls.get(), 4);
        // No backoff at all, so the 3 s come from the limiter alone.
        let elapsed = start.elapsed();
        assert!(
            elapsed >= Duration::from_millis(2999) && elapsed <= Duration::from_millis(3010),
            "{elapsed:?}"
        );
    }
}
