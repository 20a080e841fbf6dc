//! The crate's one error type.

use std::time::Duration;

use http::StatusCode;
use url::Url;

/// An error of another library kept as the [`source`](std::error::Error::source) of an
/// [`Error`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The result type of every fallible call in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when talking to Scratch.
///
/// The HTTP status is checked before any body is decoded; error bodies are never assumed to be
/// JSON, and a bounded [snippet](Error::snippet) (at most 512 bytes) of them is kept. URLs in
/// errors never carry secrets: query values whose name contains `token` are redacted.
///
/// ```
/// # async fn demo(client: scratchkit::Client) {
/// use scratchkit::{Error, Host};
///
/// match client.raw().get_value(Host::Api, "/users/nobody-here", &[]).await {
///     Ok(user) => println!("{user}"),
///     Err(e) if e.is_not_found() => println!("no such user"),
///     Err(Error::RateLimited { retry_after, .. }) => println!("slow down ({retry_after:?})"),
///     Err(e) => println!("failed: {e}"),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// HTTP 404 (Scratch's `{"code":"NotFound","message":""}` or a "Whoops" HTML page).
    #[error("not found: {url}")]
    NotFound {
        /// The URL requested (secrets redacted).
        url: String,
    },
    /// HTTP 400: Scratch refused the request as malformed.
    #[error("bad request to {url}{}: {snippet}", code_suffix(code))]
    BadRequest {
        /// The URL requested (secrets redacted).
        url: String,
        /// Scratch's error `code` when the body had one (`"BadRequest"`).
        code: Option<String>,
        /// The start of the response body.
        snippet: String,
    },
    /// HTTP 401, or a redirect to the login page: the call needs a (valid) login.
    #[error("unauthorized at {url}{}: {snippet}", code_suffix(code))]
    Unauthorized {
        /// The URL requested (secrets redacted).
        url: String,
        /// Scratch's error `code` when the body had one; `"LoginRedirect"` when the site
        /// redirected to `/accounts/login/`.
        code: Option<String>,
        /// The start of the response body.
        snippet: String,
    },
    /// HTTP 403, or a redirect to an IP-ban or account-blocked page.
    #[error("forbidden at {url}{}: {snippet}", code_suffix(code))]
    Forbidden {
        /// The URL requested (secrets redacted).
        url: String,
        /// Scratch's error `code` when the body had one; `"IpBan"` or `"AccountBlocked"` for the
        /// site's ban redirects.
        code: Option<String>,
        /// The start of the response body.
        snippet: String,
    },
    /// HTTP 429 (or the body `{"response":"Too many requests"}`), after the retries allowed by
    /// the [`RetryPolicy`](crate::RetryPolicy) were used up.
    #[error("rate limited by {url}{}", retry_suffix(retry_after))]
    RateLimited {
        /// The URL requested (secrets redacted).
        url: String,
        /// How long the server asked to wait (`Retry-After`), when it said.
        retry_after: Option<Duration>,
    },
    /// HTTP 5xx.
    #[error("server error {} at {url}: {snippet}", status.as_u16())]
    Server {
        /// The HTTP status.
        status: StatusCode,
        /// The URL requested (secrets redacted).
        url: String,
        /// The start of the response body.
        snippet: String,
    },
    /// Any other unsuccessful HTTP status.
    #[error("unexpected status {} at {url}: {snippet}", status.as_u16())]
    Status {
        /// The HTTP status.
        status: StatusCode,
        /// The URL requested (secrets redacted).
        url: String,
        /// The start of the response body.
        snippet: String,
    },
    /// A successful response whose body is not what was expected: malformed or empty JSON, HTML
    /// where JSON was expected, a missing field.
    #[error(
        "could not decode the response of {url} at `{path}`: {message} (body starts: {snippet})"
    )]
    Decode {
        /// The URL requested (secrets redacted).
        url: String,
        /// Where in the document decoding failed (`"."` for the root, else like
        /// `"history.joined"`).
        path: String,
        /// What went wrong.
        message: String,
        /// The start of the response body.
        snippet: String,
        /// The decoder's own error (serde_json's, gzip's), when one caused this.
        #[source]
        source: Option<BoxError>,
    },
    /// The request took longer than the client's timeout.
    #[error("request to {url} timed out")]
    Timeout {
        /// The URL requested (secrets redacted).
        url: String,
    },
    /// The connection could not be made or broke (refused, reset, DNS, TLS, proxy…).
    ///
    /// [`source`](std::error::Error::source) gives the network stack's own error (hyper's,
    /// whose sources lead to the `std::io::Error`), when there was one.
    #[error("connection to {url} failed: {message}")]
    Connection {
        /// The URL requested (secrets redacted).
        url: String,
        /// What the network stack reported (the whole chain of its errors, in one line).
        message: String,
        /// The network stack's error.
        #[source]
        source: Option<BoxError>,
    },
    /// An argument was rejected before anything was sent.
    #[error("invalid {what}: {reason}")]
    InvalidInput {
        /// What was invalid (for example `"username"`, `"limit"`).
        what: &'static str,
        /// Why.
        reason: String,
    },
    /// The call needs a logged-in client; nothing was sent.
    #[error("this call needs a logged-in client")]
    LoginRequired,
    /// The client could not be built (bad setting, TLS set-up).
    #[error("could not build the client: {0}")]
    Build(String),
    /// An old-site HTML page did not have the structure the scraper expects (a layout change,
    /// or not the page asked for): `what` names the missing element.
    #[error("could not scrape {what} from {url}")]
    Scrape {
        /// The element or value that was missing (for example `"div.comment[data-comment-id]"`).
        what: &'static str,
        /// The URL of the page (secrets redacted).
        url: String,
    },
    /// The password login was refused: wrong username or password. `message` is Scratch's own
    /// (`"Incorrect username or password."`).
    #[error("login failed: {message}")]
    LoginFailed {
        /// Scratch's message.
        message: String,
    },
    /// Scratch wants a captcha before it accepts this login: solve it and call
    /// [`Client::login_retry`](crate::Client::login_retry) with its token.
    #[error("login needs a captcha: {message}")]
    CaptchaRequired {
        /// Scratch's message.
        message: String,
    },
    /// The login was refused with HTTP 403: the IP address is blocked (common on shared hosts)
    /// or there were too many attempts.
    #[error("login refused (IP blocked or too many attempts): {snippet}")]
    LoginBlocked {
        /// The start of the response body.
        snippet: String,
    },
    /// The account is banned (`/session/` says `banned: true`, or the site redirected to its
    /// account-blocked page).
    #[error("the account {username} is banned")]
    AccountBanned {
        /// The account's name.
        username: String,
    },
    /// Scratch rejected the session (logged out elsewhere, expired, password changed). The
    /// client remembers it: later authenticated calls fail with this error before sending
    /// anything, until a new login.
    #[error("the session has expired or was rejected; log in again")]
    SessionExpired,
    /// Scratch refused a comment (HTTP 200 with `{"rejected": reason, …}`): flood control
    /// (`isFlood`), a mute (`isMuted`, with [`mute_status`](scratchkit_model::MuteStatus)),
    /// inappropriate content (`isBad`), comments closed, …
    #[error("comment rejected: {reason}{}", mute_suffix(mute_status))]
    CommentRejected {
        /// Scratch's reason code, as sent.
        reason: String,
        /// The mute state Scratch sent along, when it sent one that is not empty.
        mute_status: Option<scratchkit_model::MuteStatus>,
    },
    /// Scratch answered with success status but refused the action in the body
    /// (`{"success": false, …}`, `{"errors": […]}`, `{"error": …}`).
    #[error("{action} refused: {message}")]
    Refused {
        /// What was attempted (for example `"create studio"`).
        action: &'static str,
        /// Scratch's message, or the start of the body.
        message: String,
    },
    /// A saved session file could not be read or written.
    #[error("session file {path}: {message}")]
    SessionFile {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A project file could not be used: project.json that is not Scratch 3 (a Scratch 2
    /// project gives [`scratchkit_sb3::Error::Scratch2Unsupported`]), a damaged .sb3, an asset
    /// with an invalid name.
    #[error("project file: {0}")]
    ProjectFile(#[from] scratchkit_sb3::Error),
    /// A downloaded asset does not have the md5 its name says (damaged in storage or in
    /// transit); nothing was written.
    #[error("asset {name} from {url} has md5 {actual}, not the one its name says")]
    AssetHashMismatch {
        /// The asset's name, `<md5>.<ext>`.
        name: String,
        /// The URL it came from.
        url: String,
        /// The md5 of the bytes received.
        actual: String,
    },
    /// A local file could not be read or written.
    #[error("file {path}: {source}")]
    File {
        /// The file.
        path: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

fn mute_suffix(mute_status: &Option<scratchkit_model::MuteStatus>) -> String {
    match mute_status
        .as_ref()
        .and_then(|m| m.mute_expires_at.as_ref())
    {
        Some(until) => format!(" (muted until {until})"),
        None => String::new(),
    }
}

fn code_suffix(code: &Option<String>) -> String {
    code.as_ref().map(|c| format!(" ({c})")).unwrap_or_default()
}

fn retry_suffix(retry_after: &Option<Duration>) -> String {
    retry_after
        .map(|d| format!(" (retry after {} s)", d.as_secs_f64()))
        .unwrap_or_default()
}

impl Error {
    /// The HTTP status this error came from, if it came from an HTTP response.
    ///
    /// ```
    /// use scratchkit::{Error, StatusCode};
    ///
    /// let e = Error::NotFound { url: "https://api.scratch.mit.edu/users/x".into() };
    /// assert_eq!(e.status(), Some(StatusCode::NOT_FOUND));
    /// assert_eq!(Error::LoginRequired.status(), None);
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::NotFound { .. } => Some(StatusCode::NOT_FOUND),
            Error::BadRequest { .. } => Some(StatusCode::BAD_REQUEST),
            Error::Unauthorized { .. } => Some(StatusCode::UNAUTHORIZED),
            Error::Forbidden { .. } | Error::LoginBlocked { .. } => Some(StatusCode::FORBIDDEN),
            Error::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            Error::Server { status, .. } | Error::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the object asked for does not exist (HTTP 404).
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound { .. })
    }

    /// Whether the server rate-limited the client (HTTP 429).
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Error::RateLimited { .. })
    }

    /// Whether trying the same idempotent request again later may succeed: rate limiting,
    /// HTTP 502/503/504 and broken connections. The client already retries these for GET and
    /// HEAD requests, as its [`RetryPolicy`](crate::RetryPolicy) allows.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited { .. } | Error::Connection { .. } => true,
            Error::Server { status, .. } => matches!(status.as_u16(), 502..=504),
            _ => false,
        }
    }

    /// The start of the response body kept with the error, if any.
    pub fn snippet(&self) -> Option<&str> {
        match self {
            Error::BadRequest { snippet, .. }
            | Error::Unauthorized { snippet, .. }
            | Error::Forbidden { snippet, .. }
            | Error::Server { snippet, .. }
            | Error::Status { snippet, .. }
            | Error::Decode { snippet, .. }
            | Error::LoginBlocked { snippet } => Some(snippet),
            _ => None,
        }
    }

    /// The URL of the failed request (secrets redacted), if the error came from a request.
    pub fn url(&self) -> Option<&str> {
        match self {
            Error::NotFound { url }
            | Error::BadRequest { url, .. }
            | Error::Unauthorized { url, .. }
            | Error::Forbidden { url, .. }
            | Error::RateLimited { url, .. }
            | Error::Server { url, .. }
            | Error::Status { url, .. }
            | Error::Decode { url, .. }
            | Error::Timeout { url }
            | Error::Connection { url, .. }
            | Error::Scrape { url, .. } => Some(url),
            _ => None,
        }
    }

    /// An [`Error::InvalidInput`] (for handlers' validation).
    pub(crate) fn invalid(what: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            what,
            reason: reason.into(),
        }
    }
}

/// The most bytes of a body kept in an error.
pub(crate) const SNIPPET_MAX: usize = 512;

/// The start of `body` for an error message: at most [`SNIPPET_MAX`] bytes of lossy UTF-8, cut
/// on a character boundary, with `…` appended when something was cut.
pub(crate) fn snippet(body: &[u8]) -> String {
    // Decode a little more than needed so that a character straddling the limit is decoded
    // whole (and then cut off) rather than turned into a replacement character.
    let end = body.len().min(SNIPPET_MAX + 4);
    let text = String::from_utf8_lossy(&body[..end]);
    let text = text.trim_end_matches(['\r', '\n']);
    if text.len() <= SNIPPET_MAX && end == body.len() {
        return text.to_owned();
    }
    let mut cut = text.len().min(SNIPPET_MAX);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut out = text[..cut].to_owned();
    out.push('…');
    out
}

/// `url` as text, with the values of query parameters whose name contains `token` (any case)
/// redacted, and any user name or password removed.
pub(crate) fn redact_url(url: &Url) -> String {
    let mut url = url.clone();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    let secret = |k: &str| k.to_ascii_lowercase().contains("token");
    if url.query_pairs().any(|(k, _)| secret(&k)) {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if secret(&k) {
                    "REDACTED".to_owned()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_bodies_are_kept_whole() {
        assert_eq!(
            snippet(b"{\"code\":\"NotFound\"}\n"),
            "{\"code\":\"NotFound\"}"
        );
        assert_eq!(snippet(b""), "");
        // Invalid UTF-8 is replaced, not an error.
        assert_eq!(snippet(b"a\xffb"), "a\u{fffd}b");
    }

    #[test]
    fn long_bodies_are_cut_on_a_char_boundary() {
        // 511 ASCII bytes then a 3-byte character that straddles the 512-byte limit.
        let mut body = "a".repeat(511).into_bytes();
        body.extend_from_slice("€€€".as_bytes());
        let s = snippet(&body);
        assert_eq!(s, format!("{}…", "a".repeat(511)));

        let body = "é".repeat(1000);
        let s = snippet(body.as_bytes());
        assert!(s.ends_with('…'));
        let kept = s.trim_end_matches('…');
        assert_eq!(kept.len(), 512);
        assert!(kept.chars().all(|c| c == 'é'));
    }

    #[test]
    fn exactly_the_limit_is_not_marked_as_cut() {
        let body = "x".repeat(SNIPPET_MAX);
        assert_eq!(snippet(body.as_bytes()), body);
        let body = "x".repeat(SNIPPET_MAX + 1);
        assert_eq!(
            snippet(body.as_bytes()),
            format!("{}…", "x".repeat(SNIPPET_MAX))
        );
    }

    #[test]
    fn token_query_values_are_redacted() {
        let url = Url::parse("https://projects.scratch.mit.edu/1?token=s3cret&x=1").unwrap();
        let shown = redact_url(&url);
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("token=REDACTED"));
        assert!(shown.contains("x=1"));
        let url = Url::parse("https://u:pw@h/a?X-Token=abc").unwrap();
        let shown = redact_url(&url);
        assert!(!shown.contains("abc") && !shown.contains("pw"), "{shown}");
        let url = Url::parse("https://h/a?q=b").unwrap();
        assert_eq!(redact_url(&url), "https://h/a?q=b");
    }

    #[test]
    fn error_is_a_thread_safe_std_error() {
        fn assert_bounds<T: std::error::Error + Send + Sync + 'static>() {}
        assert_bounds::<Error>();
    }

    #[test]
    fn helpers() {
        let e = Error::Server {
            status: StatusCode::SERVICE_UNAVAILABLE,
            url: "u".into(),
            snippet: "s".into(),
        };
        assert_eq!(e.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
        assert_eq!(e.to_string(), "server error 503 at u: s");
        assert!(e.is_retryable());
        assert_eq!(e.snippet(), Some("s"));
        let e = Error::Server {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            url: "u".into(),
            snippet: String::new(),
        };
        assert!(!e.is_retryable());
        let e = Error::NotFound { url: "u".into() };
        assert!(e.is_not_found() && !e.is_retryable());
        assert_eq!(e.url(), Some("u"));
        assert_eq!(Error::LoginRequired.status(), None);
        let e = Error::RateLimited {
            url: "u".into(),
            retry_after: Some(Duration::from_secs(2)),
        };
        assert_eq!(e.to_string(), "rate limited by u (retry after 2 s)");
    }
}
