//! The operator's HTTP endpoints: `/health`, `/metrics`, the admin API under `/admin/` (off
//! unless a token is configured) and the optional public view of a room's values.

use std::net::IpAddr;

use axum::Json;
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use ipnet::IpNet;
use serde::Serialize;
use subtle::ConstantTimeEq;

use crate::config::Network;
use crate::connection::{CLOSE_ERROR, CLOSE_PROJECT, CLOSE_USERNAME};
use crate::filters::fold;
use crate::metrics::{Gauges, render};
use crate::options::CloudMode;
use crate::state::CloudState;
use crate::validate::{is_numeric_value, is_valid_name};

/// `/health`, `/metrics`, `/admin/…` and `/values/…`.
pub(crate) fn routes(state: CloudState) -> Router {
    let admin = Router::new()
        .route("/admin/rooms", get(list_rooms))
        .route("/admin/rooms/{rules}/{project}", get(room))
        .route(
            "/admin/rooms/{rules}/{project}/variables/{name}",
            put(set_variable).delete(delete_variable),
        )
        .route("/admin/clients/{id}/kick", post(kick))
        .route("/admin/blocks", get(list_blocks))
        .route("/admin/blocks/{kind}/{value}", put(block).delete(unblock))
        .route_layer(middleware::from_fn_with_state(state.clone(), authorize));
    Router::new()
        .route("/health", get(health))
        .route("/metrics", get(metrics))
        .route("/values/{rules}/{project}", get(public_values))
        .merge(admin)
        .with_state(state)
}

/// A JSON error body with a status.
fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(serde_json::json!({ "error": message.into() }))).into_response()
}

/// 404 without a configured token, 401 without the right one; never logs the header.
async fn authorize(State(state): State<CloudState>, request: Request, next: Next) -> Response {
    let Some(token) = &state.options().operator.admin_token else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or("");
    let expected = token.expose().as_bytes();
    // Constant time over the expected token's length; lengths alone are compared openly.
    let matches = given.len() == expected.len() && bool::from(given.as_bytes().ct_eq(expected));
    if !matches {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            Json(serde_json::json!({ "error": "a valid bearer token is required" })),
        )
            .into_response();
    }
    next.run(request).await
}

async fn health(State(state): State<CloudState>) -> Response {
    if state.gatekeeper().is_draining() || state.is_shut_down() {
        (StatusCode::SERVICE_UNAVAILABLE, "shutting down\n").into_response()
    } else {
        (StatusCode::OK, "ok\n").into_response()
    }
}

async fn metrics(State(state): State<CloudState>) -> Response {
    let (rooms_scratch, rooms_turbowarp) = {
        let rooms = state.rooms();
        let scratch = rooms
            .keys()
            .filter(|(mode, _)| *mode == CloudMode::Scratch)
            .count();
        (scratch, rooms.len() - scratch)
    };
    let (persistence_pending, lag) = state.store().persistence_backlog();
    let gauges = Gauges {
        rooms_scratch,
        rooms_turbowarp,
        persistence_pending,
        persistence_lag_seconds: lag.as_secs_f64(),
        runtime_tasks: tokio::runtime::Handle::try_current()
            .ok()
            .map(|runtime| runtime.metrics().num_alive_tasks()),
    };
    let mut text = render(&state.gatekeeper().metrics.snapshot(), gauges);
    crate::backplane::render_metrics(state.backplane_stats().as_ref(), &mut text);
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

/// An error answer, small enough to travel in a `Result`.
struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        error(self.0, self.1)
    }
}

fn mode(rules: &str) -> Result<CloudMode, ApiError> {
    CloudMode::from_name(rules).ok_or_else(|| {
        ApiError(
            StatusCode::NOT_FOUND,
            "rules are `scratch` or `turbowarp`".to_owned(),
        )
    })
}

fn rules_name(mode: CloudMode) -> &'static str {
    mode.name()
}

/// A room in the list.
#[derive(Serialize)]
struct RoomSummary {
    rules: &'static str,
    project: String,
    clients: usize,
    variables: usize,
}

async fn list_rooms(State(state): State<CloudState>) -> Response {
    let stored = state.store().stored_rooms().unwrap_or_default();
    let mut rooms: Vec<RoomSummary> = {
        let rooms = state.rooms();
        let with_clients = rooms.iter().map(|((mode, project), room)| RoomSummary {
            rules: rules_name(*mode),
            project: project.clone(),
            clients: room.clients.len(),
            variables: 0,
        });
        // Rooms whose values are kept while nobody is in them.
        let empty = stored
            .into_iter()
            .filter(|key| !rooms.contains_key(key))
            .map(|(mode, project)| RoomSummary {
                rules: rules_name(mode),
                project,
                clients: 0,
                variables: 0,
            });
        with_clients.chain(empty).collect()
    };
    for room in &mut rooms {
        if let Some(mode) = CloudMode::from_name(room.rules) {
            room.variables = state.store().count(mode, &room.project);
        }
    }
    rooms.sort_by(|a, b| (a.rules, &a.project).cmp(&(b.rules, &b.project)));
    Json(serde_json::json!({ "rooms": rooms })).into_response()
}

/// A client in a room's detail.
#[derive(Serialize)]
struct ClientView {
    id: u64,
    user: String,
    address: Option<IpAddr>,
}

async fn room(
    State(state): State<CloudState>,
    Path((rules, project)): Path<(String, String)>,
) -> Response {
    let mode = match mode(&rules) {
        Ok(mode) => mode,
        Err(refusal) => return refusal.into_response(),
    };
    let clients: Vec<ClientView> = state
        .rooms()
        .get(&(mode, project.clone()))
        .map(|room| {
            room.clients
                .iter()
                .map(|client| ClientView {
                    id: client.id,
                    user: client.user.clone(),
                    address: client.addr,
                })
                .collect()
        })
        .unwrap_or_default();
    let variables: serde_json::Map<String, serde_json::Value> = state
        .variables(mode, &project)
        .into_iter()
        .map(|(name, value)| (name, serde_json::Value::String(value)))
        .collect();
    Json(serde_json::json!({
        "rules": rules_name(mode),
        "project": project,
        "variables": variables,
        "clients": clients,
    }))
    .into_response()
}

async fn set_variable(
    State(state): State<CloudState>,
    Path((rules, project, name)): Path<(String, String, String)>,
    body: String,
) -> Response {
    let mode = match mode(&rules) {
        Ok(mode) => mode,
        Err(refusal) => return refusal.into_response(),
    };
    let value = body.trim();
    let max_len = match mode {
        CloudMode::Scratch => state.options().scratch.max_value_len,
        CloudMode::TurboWarp => state.options().turbowarp.max_value_len,
    };
    if !is_numeric_value(value) {
        return error(
            StatusCode::BAD_REQUEST,
            "cloud values are numbers (`-?[0-9]*.?[0-9]*`)",
        );
    }
    if value.encode_utf16().count() > max_len {
        return error(
            StatusCode::BAD_REQUEST,
            format!("the value is longer than {max_len} characters"),
        );
    }
    if !is_valid_name(&name) {
        return error(StatusCode::BAD_REQUEST, "the name must start with `☁ `");
    }
    let recipients = state.client_count(mode, &project);
    state.set_variable(mode, &project, &name, value);
    state.gatekeeper().metrics.set_out(recipients);
    tracing::info!(rules = rules_name(mode), %project, %name, "variable set by an operator");
    Json(serde_json::json!({ "name": name, "value": value, "delivered_to": recipients }))
        .into_response()
}

async fn delete_variable(
    State(state): State<CloudState>,
    Path((rules, project, name)): Path<(String, String, String)>,
) -> Response {
    let mode = match mode(&rules) {
        Ok(mode) => mode,
        Err(refusal) => return refusal.into_response(),
    };
    match state.delete_variable(mode, &project, &name) {
        Some(_) => {
            tracing::info!(rules = rules_name(mode), %project, %name, "variable deleted by an operator");
            StatusCode::NO_CONTENT.into_response()
        }
        None => error(StatusCode::NOT_FOUND, "no such variable"),
    }
}

async fn kick(State(state): State<CloudState>, Path(id): Path<u64>) -> Response {
    let kicked = state.close_clients(CLOSE_ERROR, |_, client| client.id == id);
    if kicked == 0 {
        return error(StatusCode::NOT_FOUND, "no such client");
    }
    state.gatekeeper().metrics.kick();
    tracing::info!(client = id, "client kicked by an operator");
    Json(serde_json::json!({ "kicked": kicked })).into_response()
}

async fn list_blocks(State(state): State<CloudState>) -> Response {
    Json(state.gatekeeper().blocks().clone()).into_response()
}

/// What a block names.
enum Blocked {
    Project(String),
    Username(String),
    Address(IpNet),
}

fn blocked(kind: &str, value: &str) -> Result<Blocked, ApiError> {
    match kind {
        "projects" if !value.is_empty() => Ok(Blocked::Project(value.to_owned())),
        "usernames" if !fold(value).is_empty() => Ok(Blocked::Username(fold(value))),
        "addresses" => value
            .parse::<Network>()
            .map(|net| Blocked::Address(net.0))
            .map_err(|message| ApiError(StatusCode::BAD_REQUEST, message)),
        "projects" | "usernames" => {
            Err(ApiError(StatusCode::BAD_REQUEST, "empty value".to_owned()))
        }
        _ => Err(ApiError(
            StatusCode::NOT_FOUND,
            "blocks are `projects`, `usernames` or `addresses`".to_owned(),
        )),
    }
}

async fn block(
    State(state): State<CloudState>,
    Path((kind, value)): Path<(String, String)>,
) -> Response {
    let target = match blocked(&kind, &value) {
        Ok(target) => target,
        Err(refusal) => return refusal.into_response(),
    };
    let closed = match target {
        Blocked::Project(project) => {
            state
                .gatekeeper()
                .blocks_mut()
                .projects
                .insert(project.clone());
            state.close_clients(CLOSE_PROJECT, |key, _| key.1 == project)
        }
        Blocked::Username(folded) => {
            state
                .gatekeeper()
                .blocks_mut()
                .usernames
                .insert(folded.clone());
            state.close_clients(CLOSE_USERNAME, |_, client| fold(&client.user) == folded)
        }
        Blocked::Address(net) => {
            state.gatekeeper().blocks_mut().addresses.insert(net);
            state.close_clients(CLOSE_ERROR, |_, client| {
                client.addr.is_some_and(|addr| net.contains(&addr))
            })
        }
    };
    tracing::info!(%kind, closed, "block added by an operator");
    if let Some(refusal) = unsaved_blocks(&state) {
        return refusal;
    }
    Json(serde_json::json!({ "blocked": value, "closed": closed })).into_response()
}

/// Writes the blocks out (when the server keeps them in a file); when that fails, a 500
/// that says the change holds only until a restart.
fn unsaved_blocks(state: &CloudState) -> Option<Response> {
    let failure = state.gatekeeper().save_blocks().err()?;
    tracing::error!(error = %failure, "operator blocks not saved");
    Some(error(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("the change applies until a restart, but was not saved: {failure}"),
    ))
}

async fn unblock(
    State(state): State<CloudState>,
    Path((kind, value)): Path<(String, String)>,
) -> Response {
    let target = match blocked(&kind, &value) {
        Ok(target) => target,
        Err(refusal) => return refusal.into_response(),
    };
    let removed = {
        let mut blocks = state.gatekeeper().blocks_mut();
        match target {
            Blocked::Project(project) => blocks.projects.remove(&project),
            Blocked::Username(folded) => blocks.usernames.remove(&folded),
            Blocked::Address(net) => blocks.addresses.remove(&net),
        }
    };
    if removed {
        if let Some(refusal) = unsaved_blocks(&state) {
            return refusal;
        }
        StatusCode::NO_CONTENT.into_response()
    } else {
        error(StatusCode::NOT_FOUND, "not blocked")
    }
}

async fn public_values(
    State(state): State<CloudState>,
    Path((rules, project)): Path<(String, String)>,
) -> Response {
    if !state.options().operator.public_values {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mode = match mode(&rules) {
        Ok(mode) => mode,
        Err(refusal) => return refusal.into_response(),
    };
    let values: serde_json::Map<String, serde_json::Value> = state
        .variables(mode, &project)
        .into_iter()
        .map(|(name, value)| (name, serde_json::Value::String(value)))
        .collect();
    Json(values).into_response()
}
