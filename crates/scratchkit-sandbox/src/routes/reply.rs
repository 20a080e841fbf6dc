//! Error replies and query parameters shared by the routers.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::store::Page;

/// An api.scratch.mit.edu error: `{"code":"NotFound","message":""}` and friends.
#[derive(Debug)]
pub(crate) enum ApiError {
    NotFound,
    BadRequest,
    /// No (live) credentials.
    Unauthorized,
    /// Logged in, but not allowed.
    Forbidden,
    Internal,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = match self {
            ApiError::NotFound => (StatusCode::NOT_FOUND, "NotFound"),
            ApiError::BadRequest => (StatusCode::BAD_REQUEST, "BadRequest"),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "Unauthorized"),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "Forbidden"),
            ApiError::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "InternalError"),
        };
        json_error(status, code, "")
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        tracing::error!("database error: {e}");
        ApiError::Internal
    }
}

/// Runs `f` in a transaction that is committed only when `f` succeeds: a refused write
/// changes nothing.
pub(crate) fn tx<T, E: From<rusqlite::Error>>(
    state: &crate::state::AppState,
    f: impl FnOnce(&rusqlite::Connection) -> Result<T, E>,
) -> Result<T, E> {
    state
        .store
        .write(|c| {
            let tx = c.transaction()?;
            let result = f(&tx);
            if result.is_ok() {
                tx.commit()?;
            }
            Ok(result)
        })
        .map_err(E::from)?
}

/// Runs a read that may refuse.
pub(crate) fn read<T, E: From<rusqlite::Error>>(
    state: &crate::state::AppState,
    f: impl FnOnce(&rusqlite::Connection) -> Result<T, E>,
) -> Result<T, E> {
    state.store.read(|c| Ok(f(c))).map_err(E::from)?
}

/// `{"code":…,"message":…}` with a status.
pub(crate) fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({"code": code, "message": message}).to_string();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The old site's 404 page.
pub(crate) fn site_not_found() -> Response {
    const PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"UTF-8\"><title>Scratch - Imagine, Program, Share</title></head>\
<body><div id=\"content\"><div class=\"box\" id=\"page-404\"><div class=\"box-head\"><h1>Whoops! Our server is Scratch'ing its head</h1></div>\
<div class=\"box-content\"><p>We couldn't find the page you're looking for. Check to make sure you've typed the URL correctly.</p></div></div></div></body></html>\n";
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        PAGE,
    )
        .into_response()
}

/// An old-site error.
#[derive(Debug)]
pub(crate) enum SiteError {
    NotFound,
    /// Not logged in.
    Unauthorized,
    /// Logged in, but not allowed.
    Forbidden,
    /// A body or parameter that cannot be used.
    BadRequest,
    Internal,
}

fn site_status(status: StatusCode) -> Response {
    let code = status.as_u16();
    let reason = status.canonical_reason().unwrap_or("Error");
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        format!("<!DOCTYPE html><html><body><h1>{reason} ({code})</h1></body></html>"),
    )
        .into_response()
}

impl IntoResponse for SiteError {
    fn into_response(self) -> Response {
        match self {
            SiteError::NotFound => site_not_found(),
            SiteError::Unauthorized => site_status(StatusCode::UNAUTHORIZED),
            SiteError::Forbidden => site_status(StatusCode::FORBIDDEN),
            SiteError::BadRequest => site_status(StatusCode::BAD_REQUEST),
            SiteError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                "<!DOCTYPE html><html><body><h1>Server Error (500)</h1></body></html>",
            )
                .into_response(),
        }
    }
}

impl From<ApiError> for SiteError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::NotFound => SiteError::NotFound,
            ApiError::BadRequest => SiteError::BadRequest,
            ApiError::Unauthorized => SiteError::Unauthorized,
            ApiError::Forbidden => SiteError::Forbidden,
            ApiError::Internal => SiteError::Internal,
        }
    }
}

impl From<rusqlite::Error> for SiteError {
    fn from(e: rusqlite::Error) -> Self {
        tracing::error!("database error: {e}");
        SiteError::Internal
    }
}

/// A request body as a JSON object, whatever the Content-Type says (clients send JSON with
/// no type or a form type); a form-encoded body becomes an object of strings; anything else
/// is an empty object.
pub(crate) fn body_object(bytes: &[u8]) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(serde_json::Value::Object(map)) => map,
        Ok(_) => serde_json::Map::new(),
        Err(_) => url::form_urlencoded::parse(bytes)
            .map(|(k, v)| (k.into_owned(), serde_json::Value::String(v.into_owned())))
            .collect(),
    }
}

/// A string field (numbers are turned into text).
pub(crate) fn text_field(
    map: &serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Option<String> {
    match map.get(key)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An integer field given as a number or a numeric string; `""` and `null` are `None`.
pub(crate) fn int_field(
    map: &serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Option<i64> {
    match map.get(key)? {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A boolean field given as a bool, `"true"`/`"false"`, `"on"` or 0/1.
pub(crate) fn bool_field(
    map: &serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Option<bool> {
    match map.get(key)? {
        serde_json::Value::Bool(b) => Some(*b),
        serde_json::Value::Number(n) => n.as_i64().map(|n| n != 0),
        serde_json::Value::String(s) => match s.as_str() {
            "true" | "True" | "on" | "1" => Some(true),
            "false" | "False" | "off" | "0" | "" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// The decoded query string (order kept; the last value of a repeated key wins in `get`).
#[derive(Debug, Default, Clone)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub(crate) fn parse(query: &str) -> Self {
        Params(
            url::form_urlencoded::parse(query.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `limit` (default `default_limit`, 1..=`max_limit`) and `offset` (≥ 0); anything else
    /// is a bad request, like the live API's `limit=41`.
    pub(crate) fn page_with(&self, default_limit: i64, max_limit: i64) -> Result<Page, ApiError> {
        let number = |key: &str, default: i64| -> Result<i64, ApiError> {
            match self.get(key) {
                None | Some("") => Ok(default),
                Some(v) => v.trim().parse::<i64>().map_err(|_| ApiError::BadRequest),
            }
        };
        let limit = number("limit", default_limit)?;
        let offset = number("offset", 0)?;
        if !(1..=max_limit).contains(&limit) || offset < 0 {
            return Err(ApiError::BadRequest);
        }
        Ok(Page { limit, offset })
    }

    /// api paging: default 20, at most 40 (the wire contract's page sizes).
    pub(crate) fn page(&self) -> Result<Page, ApiError> {
        use scratchkit_wire::limits::{PAGE_DEFAULT_LIMIT, PAGE_MAX_LIMIT};
        self.page_with(i64::from(PAGE_DEFAULT_LIMIT), i64::from(PAGE_MAX_LIMIT))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Params::parse(parts.uri.query().unwrap_or("")))
    }
}

/// A numeric id from a path segment; anything else is "not found", as on the live API.
pub(crate) fn id(segment: &str) -> Result<i64, ApiError> {
    segment
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(ApiError::NotFound)
}

/// `/site` unless the request was routed by a real Scratch `Host` header (then the site is
/// served at the root, as on the live host).
pub(crate) fn site_prefix(headers: &HeaderMap) -> &'static str {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let name = host.split(':').next().unwrap_or("").to_ascii_lowercase();
    if name == "scratch.mit.edu" || name == "www.scratch.mit.edu" {
        ""
    } else {
        "/site"
    }
}

/// Django's answer to a successful form post: `302` to `path` on the old site, under the
/// prefix the request came in with.
pub(crate) fn site_redirect(headers: &HeaderMap, path: &str) -> Response {
    let location = format!("{}{path}", site_prefix(headers));
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_rules() {
        assert_eq!(
            Params::parse("").page().unwrap(),
            Page {
                limit: 20,
                offset: 0
            }
        );
        assert_eq!(
            Params::parse("limit=40&offset=80").page().unwrap(),
            Page {
                limit: 40,
                offset: 80
            }
        );
        assert!(Params::parse("limit=41").page().is_err());
        assert!(Params::parse("limit=0").page().is_err());
        assert!(Params::parse("limit=ten").page().is_err());
        assert!(Params::parse("offset=-1").page().is_err());
        assert!(Params::parse("offset=x").page().is_err());
    }
}
