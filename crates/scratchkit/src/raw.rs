//! The raw escape hatch: any endpoint, with the client's login, rate limit and retries.

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::Result;
use crate::hosts::Host;
use crate::request::{AuthMode, RequestSpec};

/// Calls any endpoint, for what this crate has no handler for yet. Made by
/// [`Client::raw`]; requests keep the client's User-Agent, login, rate limit and retries.
///
/// The `get_*` methods check the status first and map it to an [`Error`](crate::Error);
/// [`Raw::send`] returns any response as it is.
///
/// ```no_run
/// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
/// use scratchkit::Host;
///
/// // GET https://api.scratch.mit.edu/users/griffpatch/projects?limit=5
/// let projects = client
///     .raw()
///     .get_value(Host::Api, "/users/griffpatch/projects", &[("limit", "5")])
///     .await?;
/// println!("{}", projects[0]["title"]);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Raw<'a> {
    client: &'a Client,
}

impl<'a> Raw<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// GET `path` on `host` with `query`, decoded from JSON into `T` (whatever the
    /// `Content-Type` says).
    ///
    /// # Errors
    /// A status error ([`Error::NotFound`](crate::Error::NotFound)…) for a non-2xx answer,
    /// [`Error::Decode`](crate::Error::Decode) if the body is not a `T`, or a transport error.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        host: Host,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T> {
        self.client.get_json(host, path, query).await
    }

    /// GET `path` on `host` with `query`, as untyped JSON (the raw shape of any answer).
    ///
    /// # Errors
    /// As [`Raw::get_json`].
    pub async fn get_value(
        &self,
        host: Host,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<serde_json::Value> {
        self.client.get_json(host, path, query).await
    }

    /// GET `path` on `host` with `query`, as text (invalid UTF-8 replaced).
    ///
    /// # Errors
    /// A status error for a non-2xx answer, or a transport error.
    pub async fn get_text(&self, host: Host, path: &str, query: &[(&str, &str)]) -> Result<String> {
        self.client.get_text(host, path, query).await
    }

    /// GET `path` on `host` with `query`, as bytes.
    ///
    /// # Errors
    /// A status error for a non-2xx answer, or a transport error.
    pub async fn get_bytes(&self, host: Host, path: &str, query: &[(&str, &str)]) -> Result<Bytes> {
        self.client.get_bytes(host, path, query).await
    }

    /// Sends any request and returns the response whatever its status (after the retries a
    /// GET or HEAD is allowed).
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// use scratchkit::{AuthMode, Host, Method, RawRequest};
    ///
    /// let request = RawRequest::new(Method::PUT, Host::Site, "/site-api/users/followers/griffpatch/add/")
    ///     .query("usernames", "me")
    ///     .auth(AuthMode::Cookie);
    /// let response = client.raw().send(request).await?;
    /// println!("{} {}", response.status, String::from_utf8_lossy(&response.body));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`](crate::Error::LoginRequired) for a request that needs a login
    /// on a logged-out client, [`Error::InvalidInput`](crate::Error::InvalidInput) for an
    /// invalid header, or a transport error (timeout, connection).
    pub async fn send(&self, request: RawRequest) -> Result<RawResponse> {
        let response = self.client.execute(request.spec).await?;
        Ok(RawResponse {
            status: response.status,
            headers: response.headers,
            body: response.body,
        })
    }
}

/// A request for [`Raw::send`].
#[derive(Debug, Clone)]
pub struct RawRequest {
    spec: RequestSpec,
}

impl RawRequest {
    /// A request with `method` for `path` (starting with `/`, no query string) on `host`.
    pub fn new(method: Method, host: Host, path: impl Into<String>) -> Self {
        Self {
            spec: RequestSpec::new(method, host, path),
        }
    }

    /// A GET request.
    pub fn get(host: Host, path: impl Into<String>) -> Self {
        Self::new(Method::GET, host, path)
    }

    /// A POST request (never retried).
    pub fn post(host: Host, path: impl Into<String>) -> Self {
        Self::new(Method::POST, host, path)
    }

    /// Adds a query parameter (URL-encoded for you).
    pub fn query(mut self, key: impl Into<String>, value: impl ToString) -> Self {
        self.spec = self.spec.query(key, value);
        self
    }

    /// Adds a header; it replaces a default one of the same name.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.spec = self.spec.header(name, value);
        self
    }

    /// Which credentials to send (default: none).
    pub fn auth(mut self, auth: AuthMode) -> Self {
        self.spec = self.spec.auth(auth);
        self
    }

    /// A JSON body (`Content-Type: application/json`).
    ///
    /// # Errors
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) if `value` cannot be serialized.
    pub fn json<T: Serialize + ?Sized>(mut self, value: &T) -> Result<Self> {
        self.spec = self.spec.json(value)?;
        Ok(self)
    }

    /// A form body (`application/x-www-form-urlencoded`).
    pub fn form<K: Into<String>, V: Into<String>>(
        mut self,
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let pairs = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        self.spec = self.spec.form(pairs);
        self
    }

    /// A body of bytes with an optional `Content-Type`.
    pub fn body(mut self, content_type: Option<&str>, data: impl Into<Bytes>) -> Self {
        self.spec = self.spec.bytes(content_type, data);
        self
    }

    /// The timeout of this request, instead of the client's.
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.spec = self.spec.timeout(timeout);
        self
    }
}

/// A response from [`Raw::send`], read to the end.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RawResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl RawResponse {
    /// The body decoded from JSON into `T`.
    ///
    /// # Errors
    /// [`Error::Decode`](crate::Error::Decode) when the body is not a `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        crate::request::decode_json(&self.body, "(raw response)")
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}
