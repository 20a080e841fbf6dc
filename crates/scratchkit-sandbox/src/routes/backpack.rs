//! backpack.scratch.mit.edu under `/backpack` (only the health route for now).

use axum::Json;
use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use super::reply::ApiError;
use crate::state::Shared;

pub(crate) fn router() -> Router<Shared> {
    Router::new()
        .route("/", get(root))
        .fallback(|| async { ApiError::NotFound })
}

/// `{"ok":"👻"}`.
async fn root() -> Response {
    Json(json!({"ok": "👻"})).into_response()
}
