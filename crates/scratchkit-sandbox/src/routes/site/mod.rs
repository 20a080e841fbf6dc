//! scratch.mit.edu (the old "scratchr2" site) under `/site`.

mod login;
mod statistics;
mod users;

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

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
        .route("/session", get(login::session).post(login::session))
        .route("/login", post(login::login))
        .route("/login_retry", post(login::login_retry))
        .route("/csrf_token", get(login::csrf_token))
        .route("/accounts/logout", post(login::logout))
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
