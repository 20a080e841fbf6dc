//! projects.scratch.mit.edu under `/projects`: project bodies (`project.json`).
//!
//! | method | path | auth | answer |
//! |---|---|---|---|
//! | GET | `/<id>?token=<project_token>` | the token of `GET /api/projects/<id>` (shared projects: optional) | the project.json bytes; 403 `missing` without a valid token for an unshared project |
//! | POST | `/?is_remix=0\|1&original_id=<id>&title=<title>` | session (cookie or X-Token) | `{"status":"ok","content-name":"<id>","content-title":"<base64 title>","autosave-interval":"120"}` |
//! | PUT | `/<id>` | session of the owner | `{"status":"ok","autosave-interval":"120"}` |
//!
//! Bodies are project.json text (at most 5 MB, as on the live site) or an .sb3 zip, whose
//! project.json is stored and whose assets are added to the assets host.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use scratchkit_model::ProjectSaved;

use super::reply::{Params, json_error};
use crate::auth::{Cred, Login, authenticate};
use crate::state::{AppState, Shared};
use crate::store::project_files::{self, MAX_PROJECT_JSON_BYTES};
use crate::store::projects::{self, NewProject, ProjectRow};
use crate::store::sessions::SessionRow;
use crate::store::{account, assets};
use crate::timefmt::now;

/// Largest request body read: an .sb3 zip may hold many assets.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// What the live server answers in `autosave-interval`.
const AUTOSAVE_INTERVAL: &str = "120";

pub(crate) fn router() -> Router<Shared> {
    Router::new()
        .route("/", post(create))
        .route("/{id}", get(download).put(save))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .fallback(|| async { HostError::NotFound })
}

/// An error of the projects or assets host.
#[derive(Debug)]
pub(crate) enum HostError {
    NotFound,
    /// No valid project token (the live body is the word `missing`).
    Missing,
    /// Not logged in.
    Unauthorized,
    /// Logged in, but not allowed (not the owner, creation limit).
    Forbidden(&'static str),
    BadRequest(String),
    TooLarge(String),
    Internal,
}

impl IntoResponse for HostError {
    fn into_response(self) -> Response {
        match self {
            HostError::NotFound => json_error(StatusCode::NOT_FOUND, "NotFound", ""),
            HostError::Missing => (
                StatusCode::FORBIDDEN,
                [(header::CONTENT_TYPE, "text/plain")],
                "missing",
            )
                .into_response(),
            HostError::Unauthorized => json_error(
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                "log in to do this",
            ),
            HostError::Forbidden(why) => json_error(StatusCode::FORBIDDEN, "Forbidden", why),
            HostError::BadRequest(why) => json_error(StatusCode::BAD_REQUEST, "BadRequest", &why),
            HostError::TooLarge(why) => {
                json_error(StatusCode::PAYLOAD_TOO_LARGE, "PayloadTooLarge", &why)
            }
            HostError::Internal => {
                json_error(StatusCode::INTERNAL_SERVER_ERROR, "InternalError", "")
            }
        }
    }
}

impl From<rusqlite::Error> for HostError {
    fn from(e: rusqlite::Error) -> Self {
        tracing::error!("database error: {e}");
        HostError::Internal
    }
}

/// The caller, by X-Token or session cookie (the projects and assets hosts take either, as
/// the live site's editor sends both).
pub(crate) fn caller(s: &AppState, headers: &HeaderMap, query: &str) -> Option<Login> {
    authenticate(s, headers, query).via(Cred::Either).cloned()
}

fn require_caller(s: &AppState, headers: &HeaderMap, query: &str) -> Result<Login, HostError> {
    caller(s, headers, query).ok_or(HostError::Unauthorized)
}

fn project_id(segment: &str) -> Result<i64, HostError> {
    segment
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(HostError::NotFound)
}

/// `GET /<id>?token=`: the project body.
async fn download(
    State(s): State<Shared>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, HostError> {
    let query = query.unwrap_or_default();
    let params = Params::parse(&query);
    let id = project_id(&id)?;
    let project = s
        .store
        .read(|c| projects::by_id(c, id))?
        .ok_or(HostError::NotFound)?;
    let allowed = match params.get("token").filter(|t| !t.is_empty()) {
        Some(token) => s.tokens.verify(id, token, now()),
        // Shared projects are readable without a token (older clients send none); the owner
        // may read an unshared one with their session.
        None => {
            project.shared
                || caller(&s, &headers, &query)
                    .is_some_and(|login| login.session.user_id == project.owner_id)
        }
    };
    if !allowed {
        return Err(HostError::Missing);
    }
    let body = s.store.read(|c| project_files::current(c, id))?;
    let content_type = if body.starts_with(b"PK") {
        "application/zip"
    } else {
        "application/json"
    };
    Ok(([(header::CONTENT_TYPE, content_type)], body).into_response())
}

/// A body checked and reduced to its project.json bytes (an .sb3 zip's assets are stored).
fn accept_body(s: &AppState, body: &[u8]) -> Result<Vec<u8>, HostError> {
    if body.starts_with(b"PK\x03\x04") {
        let options = scratchkit_sb3::ReadOptions {
            allow_missing_assets: true,
            ..scratchkit_sb3::ReadOptions::default()
        };
        let sb3 = scratchkit_sb3::Sb3::read_with(std::io::Cursor::new(body), &options)
            .map_err(|e| HostError::BadRequest(format!("invalid .sb3: {e}")))?;
        for (name, data) in &sb3.assets {
            if data.len() > assets::MAX_ASSET_BYTES {
                return Err(HostError::TooLarge(format!(
                    "asset {name} is larger than {} bytes",
                    assets::MAX_ASSET_BYTES
                )));
            }
        }
        let json = sb3
            .project
            .to_json()
            .map_err(|e| HostError::BadRequest(e.to_string()))?;
        check_json(&json)?;
        let t = now();
        s.store.write(|c| {
            for (name, data) in &sb3.assets {
                assets::put(c, name, data, t)?;
            }
            Ok(())
        })?;
        return Ok(json);
    }
    check_json(body)?;
    Ok(body.to_vec())
}

/// project.json must be at most 5 MB and a JSON object.
fn check_json(body: &[u8]) -> Result<(), HostError> {
    if body.len() > MAX_PROJECT_JSON_BYTES {
        return Err(HostError::TooLarge(format!(
            "project.json is larger than {MAX_PROJECT_JSON_BYTES} bytes"
        )));
    }
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(_)) => Ok(()),
        Ok(_) => Err(HostError::BadRequest(
            "project.json must be a JSON object".into(),
        )),
        Err(e) => Err(HostError::BadRequest(format!("invalid project.json: {e}"))),
    }
}

/// A `200` JSON answer: what the projects and assets hosts say after a save, as the client's
/// own model type.
pub(crate) fn saved(saved: &ProjectSaved) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_string(saved).unwrap_or_default(),
    )
        .into_response()
}

/// Whether `viewer` may see `project` (shared, or their own).
fn visible_to(project: &ProjectRow, viewer: &SessionRow) -> bool {
    project.shared || project.owner_id == viewer.user_id
}

/// `POST /?is_remix=&original_id=&title=`: creates a project owned by the caller.
async fn create(
    State(s): State<Shared>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, HostError> {
    let query = query.unwrap_or_default();
    let params = Params::parse(&query);
    let session = require_caller(&s, &headers, &query)?.session;
    let json = accept_body(&s, &body)?;
    let is_remix = params.get("is_remix") == Some("1");
    let original = match params.get("original_id").filter(|v| !v.is_empty()) {
        Some(v) => Some(
            project_id(v)
                .map_err(|_| HostError::BadRequest("original_id must be a project id".into()))?,
        ),
        None => None,
    };
    if is_remix && original.is_none() {
        return Err(HostError::BadRequest("a remix needs original_id".into()));
    }
    let settings = s.settings();
    let t = now();
    let created = s.store.write(|c| {
        let tx = c.transaction()?;
        let parent = match original {
            Some(pid) => match projects::by_id(&tx, pid)? {
                Some(p) if visible_to(&p, &session) => Some(p),
                _ => return Ok(Err(HostError::NotFound)),
            },
            None => None,
        };
        if settings.projects_per_window > 0 {
            let since = t - settings.creation_window_seconds;
            let recent = account::creations_since(&tx, session.user_id, "project", since)?;
            if recent >= settings.projects_per_window {
                return Ok(Err(HostError::Forbidden("creating projects too fast")));
            }
        }
        let title = match (
            params.get("title").filter(|t| !t.trim().is_empty()),
            &parent,
        ) {
            (Some(title), _) => title.to_owned(),
            (None, Some(p)) if is_remix => format!("{} remix", p.title),
            (None, Some(p)) => format!("Copy of {}", p.title),
            (None, None) => "Untitled".to_owned(),
        };
        let remix_parent = parent.as_ref().filter(|_| is_remix);
        let id = projects::insert(
            &tx,
            &NewProject {
                id: None,
                owner_id: session.user_id,
                title: &title,
                description: "",
                instructions: "",
                shared: false,
                created: t,
                modified: t,
                shared_at: None,
                views: 0,
                loves: 0,
                favorites: 0,
                parent_id: remix_parent.map(|p| p.id),
                root_id: remix_parent.map(|p| p.root_id.unwrap_or(p.id)),
                language: "en",
                tag: "",
            },
        )?;
        project_files::save(&tx, id, &json, t)?;
        account::record_creation(&tx, session.user_id, "project", t)?;
        tx.commit()?;
        Ok(Ok((id, title)))
    })??;
    let (id, title) = created;
    Ok(saved(&ProjectSaved {
        status: "ok".to_owned(),
        content_name: Some(id.to_string()),
        content_title: Some(base64::engine::general_purpose::STANDARD.encode(title.as_bytes())),
        autosave_interval: Some(AUTOSAVE_INTERVAL.into()),
    }))
}

/// `PUT /<id>`: a new version of the caller's own project.
async fn save(
    State(s): State<Shared>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, HostError> {
    let id = project_id(&id)?;
    let session = require_caller(&s, &headers, query.as_deref().unwrap_or(""))?.session;
    let project = s
        .store
        .read(|c| projects::by_id(c, id))?
        .ok_or(HostError::NotFound)?;
    if project.owner_id != session.user_id {
        return Err(HostError::Forbidden("only the owner can save a project"));
    }
    let json = accept_body(&s, &body)?;
    s.store
        .write(|c| project_files::save(c, id, &json, now()))?;
    Ok(saved(&ProjectSaved {
        status: "ok".to_owned(),
        content_name: None,
        content_title: None,
        autosave_interval: Some(AUTOSAVE_INTERVAL.into()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_json_checks() {
        assert!(check_json(br#"{"targets":[]}"#).is_ok());
        assert!(matches!(check_json(b"[1]"), Err(HostError::BadRequest(_))));
        assert!(matches!(
            check_json(b"{nope"),
            Err(HostError::BadRequest(_))
        ));
        let mut big = b"{\"x\":\"".to_vec();
        big.resize(MAX_PROJECT_JSON_BYTES, b'a');
        big.extend_from_slice(b"\"}");
        assert!(matches!(check_json(&big), Err(HostError::TooLarge(_))));
    }
}
