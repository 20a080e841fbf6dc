//! Sandbox administration under `/_sandbox` (never faulted, never a Scratch path).
//!
//! | method | path | body | answer |
//! |---|---|---|---|
//! | POST | `/users` | `{username, password, role?, muted_until?, banned?, country?, bio?, status?}` | 201, the api user + `role`, `banned`, `muted_until` |
//! | POST | `/projects` | `{owner, title, shared? (true), instructions?, description?, parent_id?}` | 201, the api project |
//! | POST | `/studios` | `{owner, title, description?}` | 201, the api studio |
//! | POST | `/reset` | – | the seeded world again (cloud values, logs and connections too); `/info` |
//! | PUT | `/assets/<md5>.<ext>` | raw bytes | stored under that name without any check (a corrupted asset for tests) |
//! | GET | `/info` | – | seed, scale, counts, demo accounts, faults |
//! | POST | `/sessions` | `{username}` | 201 `{username, id, session_id, token, cookie}`: a logged-in session **without a password** (sandbox-only, for tests; banned users too) |
//! | GET, POST | `/settings` | any subset of `{comment_flood_seconds, comment_max_chars, csrf: "strict"\|"lenient", login_max_failures, studios_per_window, projects_per_window, creation_window_seconds}` | the settings |
//! | POST | `/alerts` | `{username, message}` | 201 `{id}`: an admin alert for `/users/<u>/messages/admin` |
//! | GET, POST, DELETE | `/faults` | a fault spec as JSON (`{"kind":"503","count":2}`, `{"spec":"rate=0.3"}`, `{}` clears) | `{"faults": spec or null}` |
//! | GET | `/` (also `/_sandbox/`) | – | the panel: an HTML page for people (accounts, faults, settings, reset, live request log) |
//! | GET | `/requests?after=&host=&path=&limit=` | – | `{last, requests: [{seq, at_ms, method, host, path, query, status, millis}]}`: the last requests served (the panel's log) |

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::reply::json_error;
use crate::accounts::{DEMO_PASSWORD, Role, demo_accounts, hash_password, is_valid_username};
use crate::auth::{PeerIp, open_session};
use crate::faults::FaultSpec;
use crate::render::{self, ProjectStyle};
use crate::settings::Settings;
use crate::state::Shared;
use crate::store::messages;
use crate::store::misc;
use crate::store::projects::{self, NewProject};
use crate::store::studios::{self, NewStudio};
use crate::store::users::{self, NewUser};
use crate::timefmt::now;

pub(crate) fn router() -> Router<Shared> {
    Router::new()
        .route("/", get(crate::web::panel::page))
        .route("/requests", get(crate::web::panel::requests))
        .route("/static/{file}", get(crate::web::assets::file))
        .route("/users", post(create_user))
        .route("/projects", post(create_project))
        .route("/studios", post(create_studio))
        .route("/sessions", post(create_session))
        .route("/settings", get(get_settings).post(set_settings))
        .route("/alerts", post(create_alert))
        .route("/reset", post(reset))
        .route("/info", get(info))
        .route(
            "/assets/{name}",
            axum::routing::put(super::assets_host::admin_put),
        )
        .route(
            "/faults",
            get(get_faults).post(set_faults).delete(clear_faults),
        )
        .fallback(|| async {
            json_error(
                StatusCode::NOT_FOUND,
                "NotFound",
                "no such administration path",
            )
        })
}

/// An administration error with a readable message.
struct AdminError(StatusCode, &'static str, String);

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        json_error(self.0, self.1, &self.2)
    }
}

fn bad(message: impl Into<String>) -> AdminError {
    AdminError(StatusCode::BAD_REQUEST, "BadRequest", message.into())
}

fn not_found(message: impl Into<String>) -> AdminError {
    AdminError(StatusCode::NOT_FOUND, "NotFound", message.into())
}

impl From<rusqlite::Error> for AdminError {
    fn from(e: rusqlite::Error) -> Self {
        AdminError(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            e.to_string(),
        )
    }
}

/// Bodies are JSON whatever the Content-Type says.
fn body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, AdminError> {
    serde_json::from_slice(bytes).map_err(|e| bad(format!("invalid JSON body: {e}")))
}

#[derive(Deserialize)]
struct CreateUser {
    username: String,
    password: String,
    role: Option<String>,
    muted_until: Option<i64>,
    banned: Option<bool>,
    country: Option<String>,
    bio: Option<String>,
    status: Option<String>,
}

async fn create_user(State(s): State<Shared>, bytes: Bytes) -> Result<Response, AdminError> {
    let req: CreateUser = body(&bytes)?;
    if !is_valid_username(&req.username) {
        return Err(bad("username must be 3 to 20 letters, digits, _ or -"));
    }
    if req.password.len() < 6 {
        return Err(bad("password must have at least 6 characters"));
    }
    let role: Role = req
        .role
        .as_deref()
        .unwrap_or("scratcher")
        .parse()
        .map_err(|e: crate::accounts::UnknownRole| bad(e.to_string()))?;
    let password = req.password.clone();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| bad(e.to_string()))?
        .map_err(|e| bad(e.to_string()))?;
    let created = s.store.write(|c| {
        if users::by_name(c, &req.username)?.is_some() {
            return Ok(None);
        }
        let id = users::insert(
            c,
            &NewUser {
                id: None,
                username: &req.username,
                password_hash: &hash,
                role: role.as_str(),
                joined: now(),
                profile_id: None,
                status: req.status.as_deref().unwrap_or(""),
                bio: req.bio.as_deref().unwrap_or(""),
                country: Some(req.country.as_deref().unwrap_or("United States")),
                muted_until: req.muted_until,
                banned: req.banned.unwrap_or(false),
                message_count: 0,
            },
        )?;
        users::by_id(c, id)
    })?;
    let Some(user) = created else {
        return Err(AdminError(
            StatusCode::CONFLICT,
            "Conflict",
            "username exists".into(),
        ));
    };
    let mut out = serde_json::to_value(render::user(&user)).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut out {
        map.insert("role".into(), Value::String(user.role.clone()));
        map.insert("banned".into(), Value::Bool(user.banned));
        map.insert("muted_until".into(), json!(user.muted_until));
    }
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

#[derive(Deserialize)]
struct CreateProject {
    owner: String,
    title: String,
    shared: Option<bool>,
    instructions: Option<String>,
    description: Option<String>,
    parent_id: Option<i64>,
}

async fn create_project(State(s): State<Shared>, bytes: Bytes) -> Result<Response, AdminError> {
    let req: CreateProject = body(&bytes)?;
    let project = s.store.write(|c| {
        let Some(owner) = users::by_name(c, &req.owner)? else {
            return Ok(Err(not_found(format!("no user {:?}", req.owner))));
        };
        let parent = match req.parent_id {
            Some(pid) => match projects::by_id(c, pid)? {
                Some(p) => Some(p),
                None => return Ok(Err(not_found(format!("no project {pid} to remix")))),
            },
            None => None,
        };
        let t = now();
        let shared = req.shared.unwrap_or(true);
        let id = projects::insert(
            c,
            &NewProject {
                id: None,
                owner_id: owner.id,
                title: &req.title,
                description: req.description.as_deref().unwrap_or(""),
                instructions: req.instructions.as_deref().unwrap_or(""),
                shared,
                created: t,
                modified: t,
                shared_at: shared.then_some(t),
                views: 0,
                loves: 0,
                favorites: 0,
                parent_id: parent.as_ref().map(|p| p.id),
                root_id: parent.as_ref().map(|p| p.root_id.unwrap_or(p.id)),
                language: "en",
                tag: "",
            },
        )?;
        Ok(projects::by_id(c, id)?.ok_or_else(|| not_found("project vanished")))
    })??;
    Ok((
        StatusCode::CREATED,
        Json(render::project(&project, ProjectStyle::Full, None)),
    )
        .into_response())
}

#[derive(Deserialize)]
struct CreateStudio {
    owner: String,
    title: String,
    description: Option<String>,
}

async fn create_studio(State(s): State<Shared>, bytes: Bytes) -> Result<Response, AdminError> {
    let req: CreateStudio = body(&bytes)?;
    let studio = s.store.write(|c| {
        let Some(owner) = users::by_name(c, &req.owner)? else {
            return Ok(Err(not_found(format!("no user {:?}", req.owner))));
        };
        let id = studios::insert(
            c,
            &NewStudio {
                id: None,
                host_id: owner.id,
                title: &req.title,
                description: req.description.as_deref().unwrap_or(""),
                open_to_all: false,
                created: now(),
                followers: 0,
                language: "en",
                tag: "",
            },
        )?;
        Ok(studios::by_id(c, id)?.ok_or_else(|| not_found("studio vanished")))
    })??;
    Ok((StatusCode::CREATED, Json(render::studio(&studio))).into_response())
}

#[derive(Deserialize)]
struct CreateSession {
    username: String,
}

/// Sandbox-only: a session for any user, without a password.
async fn create_session(
    State(s): State<Shared>,
    PeerIp(ip): PeerIp,
    bytes: Bytes,
) -> Result<Response, AdminError> {
    let req: CreateSession = body(&bytes)?;
    let user = s
        .store
        .read(|c| users::by_name(c, &req.username))?
        .ok_or_else(|| not_found(format!("no user {:?}", req.username)))?;
    let session = open_session(&s, &user, &ip, now())?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "username": user.username,
            "id": user.id,
            "session_id": session.key,
            "token": session.token,
            "cookie": format!("scratchsessionsid=\"{}\"", session.key),
        })),
    )
        .into_response())
}

async fn get_settings(State(s): State<Shared>) -> Response {
    Json(s.settings()).into_response()
}

async fn set_settings(State(s): State<Shared>, bytes: Bytes) -> Result<Response, AdminError> {
    let mut current = serde_json::to_value(s.settings()).unwrap_or(Value::Null);
    let patch: Value = body(&bytes)?;
    let (Value::Object(cur), Value::Object(patch)) = (&mut current, patch) else {
        return Err(bad("expected a JSON object"));
    };
    for (k, v) in patch {
        if !cur.contains_key(&k) {
            return Err(bad(format!("unknown setting {k:?}")));
        }
        cur.insert(k, v);
    }
    let next: Settings =
        serde_json::from_value(current).map_err(|e| bad(format!("invalid setting: {e}")))?;
    *s.settings.write().unwrap_or_else(|e| e.into_inner()) = next.clone();
    Ok(Json(next).into_response())
}

#[derive(Deserialize)]
struct CreateAlert {
    username: String,
    message: String,
}

async fn create_alert(State(s): State<Shared>, bytes: Bytes) -> Result<Response, AdminError> {
    let req: CreateAlert = body(&bytes)?;
    let id = s.store.write(|c| {
        Ok(match users::by_name(c, &req.username)? {
            Some(u) => Some(messages::add_alert(c, u.id, now(), &req.message)?),
            None => None,
        })
    })?;
    let id = id.ok_or_else(|| not_found(format!("no user {:?}", req.username)))?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

async fn reset(State(s): State<Shared>) -> Result<Response, AdminError> {
    s.login_failures
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clear();
    let state = s.clone();
    tokio::task::spawn_blocking(move || {
        state.store.reset()?;
        if let Some(cloud) = state.cloud.get() {
            cloud.reset();
        }
        Ok::<_, rusqlite::Error>(())
    })
    .await
    .map_err(|e| {
        AdminError(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            e.to_string(),
        )
    })??;
    info(State(s)).await
}

async fn info(State(s): State<Shared>) -> Result<Response, AdminError> {
    let n = s.store.read(misc::counts)?;
    let accounts: Vec<Value> = demo_accounts()
        .iter()
        .map(|a| json!({"username": a.username, "password": a.password, "role": a.role.as_str()}))
        .collect();
    Ok(Json(json!({
        "seed": s.store.seed(),
        "scale": s.store.scale(),
        "counts": {
            "users": n.users,
            "projects": n.projects,
            "shared_projects": n.shared_projects,
            "studios": n.studios,
            "project_comments": n.project_comments,
            "studio_comments": n.studio_comments,
            "profile_comments": n.profile_comments,
            "news": n.news,
        },
        "demo_password": DEMO_PASSWORD,
        "demo_accounts": accounts,
        "faults": s.faults.current().map(|f| f.to_string()),
        // Tasks alive on the sandbox's Tokio runtime (what the soak watches for leaks).
        "runtime_tasks": tokio::runtime::Handle::try_current()
            .ok()
            .map(|runtime| runtime.metrics().num_alive_tasks()),
    }))
    .into_response())
}

fn faults_reply(s: &Shared) -> Response {
    Json(json!({"faults": s.faults.current().map(|f| f.to_string())})).into_response()
}

async fn get_faults(State(s): State<Shared>) -> Response {
    faults_reply(&s)
}

async fn clear_faults(State(s): State<Shared>) -> Response {
    s.faults.set(None);
    faults_reply(&s)
}

/// A JSON object with the spec's keys becomes the `key=value,…` text the CLI takes.
pub(crate) fn spec_from_json(value: &Value) -> Result<Option<FaultSpec>, String> {
    let Value::Object(map) = value else {
        return Err("expected a JSON object".into());
    };
    if map.get("clear") == Some(&Value::Bool(true)) || map.is_empty() {
        return Ok(None);
    }
    if let Some(spec) = map.get("spec") {
        let text = spec.as_str().ok_or("spec must be a string")?;
        return text
            .parse()
            .map(Some)
            .map_err(|e: crate::faults::FaultSpecError| e.to_string());
    }
    let mut parts = Vec::new();
    for (key, value) in map {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Array(items) => items
                .iter()
                .map(|i| match i {
                    Value::String(s) => Ok(s.clone()),
                    Value::Number(n) => Ok(n.to_string()),
                    _ => Err(format!("bad item in {key}")),
                })
                .collect::<Result<Vec<_>, _>>()?
                .join("|"),
            _ => return Err(format!("bad value for {key}")),
        };
        parts.push(format!("{key}={text}"));
    }
    parts
        .join(",")
        .parse()
        .map(Some)
        .map_err(|e: crate::faults::FaultSpecError| e.to_string())
}

async fn set_faults(State(s): State<Shared>, bytes: Bytes) -> Result<Response, AdminError> {
    let value: Value = if bytes.is_empty() {
        json!({})
    } else {
        body(&bytes)?
    };
    let spec = spec_from_json(&value).map_err(bad)?;
    s.faults.set(spec);
    Ok(faults_reply(&s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faults::FaultKind;

    #[test]
    fn json_specs() {
        let spec = spec_from_json(&json!({"kind": "503", "count": 2}))
            .unwrap()
            .unwrap();
        assert_eq!(
            (spec.kinds.clone(), spec.count, spec.rate),
            (vec![FaultKind::ServiceUnavailable], Some(2), 1.0)
        );
        let spec = spec_from_json(&json!({"kinds": ["429", "dropped"], "every": 3, "latency": 50}))
            .unwrap()
            .unwrap();
        assert_eq!(spec.every, Some(3));
        assert_eq!(spec.latency, std::time::Duration::from_millis(50));
        assert_eq!(spec_from_json(&json!({})).unwrap(), None);
        assert_eq!(spec_from_json(&json!({"clear": true})).unwrap(), None);
        assert!(spec_from_json(&json!({"kind": "teapot", "count": 1})).is_err());
        assert!(spec_from_json(&json!([1])).is_err());
        let spec = spec_from_json(&json!({"spec": "rate=0.5"}))
            .unwrap()
            .unwrap();
        assert_eq!(spec.rate, 0.5);
    }
}
