//! scratch.mit.edu (the old "scratchr2" site) under `/site`.

mod statistics;
mod users;

use axum::Json;
use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use super::reply::site_not_found;
use crate::state::Shared;

pub(crate) fn router() -> Router<Shared> {
    Router::new()
        .route("/site-api/users/all/{user}", get(users::site_user))
        .route(
            "/accounts/check_username/{user}",
            get(users::check_username),
        )
        .route("/statistics/data/daily", get(statistics::daily))
        .route("/statistics/data/monthly", get(statistics::monthly))
        .route("/statistics/data/monthly-ga", get(statistics::monthly_ga))
        .route("/health", get(health))
        .route("/session", get(session).post(session))
        .fallback(|| async { site_not_found() })
}

/// `{"healthy":true}`, served as `text/plain` like the live site.
async fn health() -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain")],
        r#"{"healthy":true}"#,
    )
        .into_response()
}

/// The logged-out session (`{flags}` only); logging in is a later issue.
async fn session() -> Response {
    Json(json!({
        "flags": {
            "project_comments_enabled": true,
            "gallery_comments_enabled": true,
            "userprofile_comments_enabled": true,
            "everything_is_totally_normal": false,
        }
    }))
    .into_response()
}
