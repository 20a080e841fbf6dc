//! clouddata.scratch.mit.edu's HTTP part under `/clouddata`: `/logs` and `/health`.

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::reply::{ApiError, Params};
use crate::render;
use crate::routes::json_reply::JsonReply;
use crate::state::Shared;
use crate::store::misc;

pub(crate) fn router() -> Router<Shared> {
    Router::new()
        .route("/logs", get(logs))
        .route("/health", get(health))
        .fallback(|| async { ApiError::NotFound })
}

/// `?projectid=&limit=&offset=`: the project's variable changes, newest first (limit default
/// 100, at most 1000; a missing or bad `projectid` is a 400).
async fn logs(State(s): State<Shared>, params: Params) -> Result<Response, ApiError> {
    let project_id: i64 = params
        .get("projectid")
        .and_then(|p| p.trim().parse().ok())
        .ok_or(ApiError::BadRequest)?;
    let page = params.page_with(100, 1000)?;
    // The cloud store writes its log rows behind; the queued ones belong to the log.
    if let Some(cloud) = s.cloud.get() {
        cloud.store().flush();
    }
    let entries = s.store.read(|c| misc::cloud_log(c, project_id, page))?;
    Ok(JsonReply::list(
        entries
            .iter()
            .filter_map(render::cloud_log)
            .collect::<Vec<_>>(),
    )
    .into_response())
}

/// `GET /health`: the cloud server's status, in the fields scratchattach's `get_cloud_status`
/// reads: `{"uptime": seconds, "load": [1, 5, 15 minute averages], "redis": {"connected",
/// "ready"}}` (the sandbox has no Redis and no load figures: it reports itself ready, idle).
async fn health(State(s): State<Shared>) -> Response {
    axum::Json(serde_json::json!({
        "uptime": s.started.elapsed().as_secs_f64(),
        "load": [0.0, 0.0, 0.0],
        "redis": {"connected": true, "ready": true},
    }))
    .into_response()
}
