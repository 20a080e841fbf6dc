//! Who is calling: session cookies, X-Tokens and the CSRF double-submit check.
//!
//! Credentials per host, as on the live site (auth.md §1):
//!
//! * scratch.mit.edu (`/site`) and `api…/proxy/*`: the `scratchsessionsid` cookie (quoted or
//!   not), plus the CSRF check on unsafe methods ([`csrf_guard`]);
//! * api.scratch.mit.edu (other routes): the `X-Token` header (the cookie is accepted too,
//!   since libraries send both); `?x-token=` and an `X-token` cookie are accepted leniently;
//! * backpack: the X-Token only.

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use crate::routes::reply::ApiError;
use crate::settings::CsrfMode;
use crate::signing;
use crate::state::{AppState, Shared};
use crate::store::sessions::{self, SessionRow};
use crate::store::users::{self, UserRow};

/// Name of the session cookie.
pub(crate) const SESSION_COOKIE: &str = "scratchsessionsid";
/// Name of the CSRF cookie.
pub(crate) const CSRF_COOKIE: &str = "scratchcsrftoken";

/// Largest body read to find a `csrfmiddlewaretoken` field.
const CSRF_BODY_LIMIT: usize = 16 * 1024 * 1024;

/// A logged-in caller.
#[derive(Debug, Clone)]
pub(crate) struct Login {
    pub session: SessionRow,
    pub user: UserRow,
}

/// What a request proved, by credential.
#[derive(Debug, Clone, Default)]
pub(crate) struct Auth {
    /// The session named by the `scratchsessionsid` cookie, when live.
    pub cookie: Option<Login>,
    /// The session whose X-Token was sent, when live.
    pub token: Option<Login>,
}

/// Which credential a route takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cred {
    /// The session cookie (scratch.mit.edu, `/proxy/*`).
    Cookie,
    /// The X-Token (backpack).
    Token,
    /// Either (api.scratch.mit.edu).
    Either,
}

impl Auth {
    /// The caller for a write: 401 when not logged in (with that credential), 403 when the
    /// account is banned.
    pub(crate) fn user(&self, cred: Cred) -> Result<&UserRow, ApiError> {
        let login = self.via(cred).ok_or(ApiError::Unauthorized)?;
        if login.user.banned {
            return Err(ApiError::Forbidden);
        }
        Ok(&login.user)
    }

    /// [`Auth::user`], and 403 unless the caller is `username` (paths like `/users/<me>/…`).
    pub(crate) fn user_named(&self, cred: Cred, username: &str) -> Result<&UserRow, ApiError> {
        let user = self.user(cred)?;
        if user.username.eq_ignore_ascii_case(username) {
            Ok(user)
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// The caller as seen by a route that takes `cred`.
    pub(crate) fn via(&self, cred: Cred) -> Option<&Login> {
        match cred {
            Cred::Cookie => self.cookie.as_ref(),
            Cred::Token => self.token.as_ref(),
            Cred::Either => self.token.as_ref().or(self.cookie.as_ref()),
        }
    }
}

/// Every cookie of a request (all `Cookie` headers), in order.
pub(crate) fn cookies(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            Some((name.trim().to_owned(), value.trim().to_owned()))
        })
        .collect()
}

/// One cookie's value (the last one wins, like Django's parser).
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    cookies(headers)
        .into_iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

fn login_of(state: &AppState, session: Option<SessionRow>) -> Option<Login> {
    let session = session?;
    let user = state
        .store
        .read(|c| users::by_id(c, session.user_id))
        .ok()
        .flatten()?;
    Some(Login { session, user })
}

/// The live session named by a cookie value (quoted or not), if this sandbox signed it.
pub(crate) fn session_of_cookie(state: &AppState, value: &str) -> Option<SessionRow> {
    let value = signing::unquote(value);
    signing::decode(&state.secret, value).filter(|d| d.signed_here)?;
    state
        .store
        .read(|c| sessions::by_key(c, value))
        .ok()
        .flatten()
}

fn session_of_token(state: &AppState, token: &str) -> Option<SessionRow> {
    if token.is_empty() {
        return None;
    }
    state
        .store
        .read(|c| sessions::by_token(c, token))
        .ok()
        .flatten()
}

/// Reads both credentials of a request.
pub(crate) fn authenticate(state: &AppState, headers: &HeaderMap, query: &str) -> Auth {
    let cookie = cookie(headers, SESSION_COOKIE)
        .and_then(|v| session_of_cookie(state, &v))
        .and_then(|s| login_of(state, Some(s)));
    let token_text = headers
        .get("x-token")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .map(str::to_owned)
        .or_else(|| {
            url::form_urlencoded::parse(query.as_bytes())
                .find(|(k, _)| k.eq_ignore_ascii_case("x-token"))
                .map(|(_, v)| v.into_owned())
        })
        .or_else(|| {
            cookies(headers)
                .into_iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("x-token"))
                .map(|(_, v)| v)
        });
    let token = token_text
        .and_then(|t| session_of_token(state, &t))
        .and_then(|s| login_of(state, Some(s)));
    Auth { cookie, token }
}

/// The username a cloud WebSocket upgrade's session cookie belongs to (for the cloud
/// server's session validator).
#[allow(dead_code)] // wired by the cloud mount in routes/mod.rs
pub(crate) fn cloud_username(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let value = cookie(headers, SESSION_COOKIE)?;
    let login = login_of(state, session_of_cookie(state, &value))?;
    (!login.user.banned).then_some(login.user.username)
}

impl FromRequestParts<Shared> for Auth {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Shared,
    ) -> Result<Self, Self::Rejection> {
        Ok(authenticate(
            state,
            &parts.headers,
            parts.uri.query().unwrap_or(""),
        ))
    }
}

/// The caller's IP address (`127.0.0.1` when unknown), for the `login-ip` payload key.
#[derive(Debug, Clone)]
pub(crate) struct PeerIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PeerIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<axum::extract::ConnectInfo<crate::listener::ConnInfo>>()
            .map_or_else(|| "127.0.0.1".to_owned(), |c| c.0.peer.ip().to_string());
        Ok(PeerIp(ip))
    }
}

/// A new random X-Token (32 lowercase hex digits).
fn new_token() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Creates a session for `user`: the cookie value (unquoted) and its X-Token.
pub(crate) fn open_session(
    state: &AppState,
    user: &UserRow,
    login_ip: &str,
    now: i64,
) -> rusqlite::Result<SessionRow> {
    let token = new_token();
    let hash_bytes: [u8; 20] = rand::random();
    let user_hash: String = hash_bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut payload = Map::new();
    for (k, v) in [
        ("username", user.username.as_str()),
        ("_auth_user_id", &user.id.to_string()),
        ("testcookie", "worked"),
        (
            "_auth_user_backend",
            "django.contrib.auth.backends.ModelBackend",
        ),
        ("token", &token),
        ("login-ip", login_ip),
        ("_language", "en"),
        ("django_timezone", "Etc/UTC"),
        ("_auth_user_hash", &user_hash),
    ] {
        payload.insert(k.to_owned(), Value::String(v.to_owned()));
    }
    let key = signing::mint(&state.secret, &payload, u64::try_from(now).unwrap_or(0));
    let session = SessionRow {
        key,
        user_id: user.id,
        token,
        created: now,
    };
    state
        .store
        .write(|c| sessions::insert(c, &session, login_ip))?;
    Ok(session)
}

/// `Set-Cookie` value for a session: quoted, `Path=/; HttpOnly` (no `"` anywhere else).
pub(crate) fn session_set_cookie(key: &str) -> String {
    format!("{SESSION_COOKIE}=\"{key}\"; Max-Age=1209600; Path=/; HttpOnly; SameSite=Lax")
}

/// `Set-Cookie` value that clears the session cookie.
pub(crate) fn session_clear_cookie() -> String {
    format!(
        "{SESSION_COOKIE}=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; HttpOnly"
    )
}

/// Django's CSRF failure page (HTTP 403).
fn csrf_failure(reason: &str) -> Response {
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>403 Forbidden</title></head>\
<body><div id=\"summary\"><h1>Forbidden <span>(403)</span></h1><p>CSRF verification failed. Request aborted.</p>\
<p>Reason given for failure:</p><pre>    {reason}\n</pre></div></body></html>\n"
    );
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}

/// True when a Referer points at scratch.mit.edu, at the sandbox itself, or at loopback.
pub(crate) fn same_site_referer(headers: &HeaderMap) -> bool {
    let Some(referer) = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())
    else {
        return false;
    };
    let Some(host) = referer.host_str() else {
        return false;
    };
    let host = host.to_ascii_lowercase();
    let own = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(|h| h.to_ascii_lowercase());
    let with_port = match referer.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.clone(),
    };
    host == "scratch.mit.edu"
        || host.ends_with(".scratch.mit.edu")
        || matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]")
        || own.as_deref() == Some(with_port.as_str())
        || own.as_deref() == Some(host.as_str())
}

/// `csrfmiddlewaretoken` from a form-encoded or JSON body.
pub(crate) fn body_token(body: &[u8]) -> Option<String> {
    if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) {
        return map
            .get("csrfmiddlewaretoken")
            .and_then(Value::as_str)
            .map(str::to_owned);
    }
    url::form_urlencoded::parse(body)
        .find(|(k, _)| k == "csrfmiddlewaretoken")
        .map(|(_, v)| v.into_owned())
}

/// The routes that take the CSRF check: every scratch.mit.edu route and `api…/proxy/*`
/// (`/session` is read-only and exempt; peers POST it without a token).
fn csrf_protected(path: &str) -> bool {
    let site = path == "/site" || path.starts_with("/site/");
    let proxy = path.starts_with("/api/proxy/");
    let exempt = path == "/site/session";
    (site || proxy) && !exempt
}

/// The CSRF double-submit check on unsafe methods (auth.md §5), in front of the router.
pub(crate) async fn csrf_guard(State(s): State<Shared>, req: Request, next: Next) -> Response {
    let safe = matches!(
        *req.method(),
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    );
    if safe || !csrf_protected(req.uri().path()) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let cookie_token = cookie(&parts.headers, CSRF_COOKIE).filter(|t| !t.is_empty());
    let mut sent = parts
        .headers
        .get("x-csrftoken")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = if sent.is_none() {
        let Ok(bytes) = to_bytes(body, CSRF_BODY_LIMIT).await else {
            return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large\n").into_response();
        };
        sent = body_token(&bytes);
        Body::from(bytes)
    } else {
        body
    };
    let problem = match (&cookie_token, &sent) {
        (None, _) => Some("CSRF cookie not set."),
        (Some(_), None) => Some("CSRF token missing."),
        (Some(c), Some(h)) if c != h => Some("CSRF token incorrect."),
        _ if !same_site_referer(&parts.headers) => {
            Some("Referer checking failed - no Referer or a foreign Referer.")
        }
        _ => None,
    };
    if let Some(reason) = problem {
        if s.settings().csrf == CsrfMode::Strict {
            return csrf_failure(reason);
        }
        tracing::warn!("CSRF check failed (lenient mode, accepted): {reason}");
    }
    next.run(Request::from_parts(parts, body)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    #[test]
    fn parses_cookies_across_headers() {
        let h = headers(&[
            ("cookie", "scratchcsrftoken=a; scratchlanguage=en"),
            ("cookie", "scratchsessionsid=\".x:y:z\""),
        ]);
        assert_eq!(cookie(&h, CSRF_COOKIE).as_deref(), Some("a"));
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("\".x:y:z\""));
        assert_eq!(cookie(&h, "missing"), None);
    }

    #[test]
    fn referers() {
        let ok = |r: &str| same_site_referer(&headers(&[("referer", r), ("host", "127.0.0.1:9")]));
        assert!(ok("https://scratch.mit.edu"));
        assert!(ok("https://scratch.mit.edu/projects/1/"));
        assert!(ok("http://127.0.0.1:9/site/"));
        assert!(ok("http://localhost:1234/"));
        assert!(!ok("https://evil.example/"));
        assert!(!ok("https://scratch.mit.edu.evil.example/"));
        assert!(!ok("not a url"));
        assert!(!same_site_referer(&headers(&[])));
    }

    #[test]
    fn csrf_scope() {
        assert!(csrf_protected("/site/login"));
        assert!(csrf_protected("/api/proxy/comments/project/1"));
        assert!(!csrf_protected("/api/projects/1"));
        assert!(!csrf_protected("/site/session"));
        assert!(!csrf_protected("/backpack/x"));
    }

    #[test]
    fn body_tokens() {
        assert_eq!(
            body_token(b"csrfmiddlewaretoken=a&x=1").as_deref(),
            Some("a")
        );
        assert_eq!(
            body_token(br#"{"csrfmiddlewaretoken":"b"}"#).as_deref(),
            Some("b")
        );
        assert_eq!(body_token(b""), None);
    }

    #[test]
    fn set_cookie_is_quoted_and_alone_in_quotes() {
        let v = session_set_cookie(".eJx:1:sig");
        assert!(v.starts_with("scratchsessionsid=\".eJx:1:sig\";"));
        assert_eq!(v.matches('"').count(), 2);
    }
}
