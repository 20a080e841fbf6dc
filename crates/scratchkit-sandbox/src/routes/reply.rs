//! Error replies and query parameters shared by the routers.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::store::Page;

/// An api.scratch.mit.edu error: `{"code":"NotFound","message":""}` and friends.
#[derive(Debug)]
pub(crate) enum ApiError {
    NotFound,
    BadRequest,
    Internal,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = match self {
            ApiError::NotFound => (StatusCode::NOT_FOUND, "NotFound"),
            ApiError::BadRequest => (StatusCode::BAD_REQUEST, "BadRequest"),
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
    Internal,
}

impl IntoResponse for SiteError {
    fn into_response(self) -> Response {
        match self {
            SiteError::NotFound => site_not_found(),
            SiteError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                "<!DOCTYPE html><html><body><h1>Server Error (500)</h1></body></html>",
            )
                .into_response(),
        }
    }
}

impl From<rusqlite::Error> for SiteError {
    fn from(e: rusqlite::Error) -> Self {
        tracing::error!("database error: {e}");
        SiteError::Internal
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

    /// api paging: default 20, at most 40.
    pub(crate) fn page(&self) -> Result<Page, ApiError> {
        self.page_with(20, 40)
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
