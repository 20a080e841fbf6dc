//! Services outside Scratch's main hosts under `/ext/<service>`: Scratch's translate and
//! speech services (in `services.rs`), and the third-party my-ocular
//! (`https://my-ocular.jeffalo.net`) and nfe (`https://jeffalo.net/api/nfe/`).
//!
//! * `GET /ext/ocular/api/user/<u>`: the shape of `fixtures/real/ocular_api_user_Jeffalo.json`
//!   for every existing user (their Scratch status as ocular status); `{"error":"no user found"}`
//!   with 404 otherwise.
//! * `GET /ext/ocular/api/reactions/<post id>`: 8 objects, one per emoji, each with
//!   `"reactions":[{"user":…}]` (deterministic per post).
//! * `GET /ext/nfe/api/nfe/?project=<id>`: `{"status":"safe"|"notsafe"|"notreviewed"}`
//!   (deterministic per project; unknown or unshared projects are `notreviewed`).

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use scratchkit_model::{OcularMeta, OcularUser, Timestamp};
use serde_json::{Value, json};

use crate::routes::reply::{ApiError, Params};
use crate::state::Shared;
use crate::store::{projects, users};

const EMOJI: [&str; 8] = ["👍", "👎", "😄", "🎉", "😕", "❤️", "🚀", "👀"];
const COLORS: [&str; 6] = [
    "#0fbd8c", "#855cd6", "#ff8c1a", "#4c97ff", "#ff6680", "#59c059",
];
const REACTORS: [&str; 5] = ["griffpatch", "kakurenbo", "Maximouse", "PMJ_Studio", "mres"];

pub(crate) fn router() -> Router<Shared> {
    Router::new()
        .route("/ocular/api/user/{user}", get(ocular_user))
        .route("/ocular/api/reactions/{post}", get(ocular_reactions))
        .route("/nfe/api/nfe", get(nfe))
        .nest("/translate", super::services::translate_router())
        .nest("/synthesis", super::services::synthesis_router())
}

async fn ocular_user(
    State(s): State<Shared>,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let Some(u) = s.store.read(|c| users::by_name(c, &name))? else {
        return Ok((
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no user found"})),
        )
            .into_response());
    };
    let idx = usize::try_from(u.id.rem_euclid(COLORS.len() as i64)).unwrap_or(0);
    Ok(Json(OcularUser {
        record_id: Some(format!("{:024x}", u.id)),
        name: u.username.clone(),
        status: u.status.clone(),
        color: Some(COLORS[idx].to_owned()),
        admin: u.scratchteam(),
        meta: Some(OcularMeta {
            updated: Timestamp::from_unix_seconds(u.joined),
            updated_by: Some(u.username.clone()),
        }),
    })
    .into_response())
}

async fn ocular_reactions(Path(post): Path<String>) -> Result<Response, ApiError> {
    let post: i64 = post.trim().parse().map_err(|_| ApiError::NotFound)?;
    let list: Vec<Value> = EMOJI
        .iter()
        .enumerate()
        .map(|(i, emoji)| {
            let users: Vec<Value> = REACTORS
                .iter()
                .enumerate()
                .filter(|(j, _)| (post + i as i64 + *j as i64) % 4 == 0)
                .map(|(_, u)| json!({"user": u}))
                .collect();
            json!({"emoji": emoji, "reactions": users})
        })
        .collect();
    Ok(Json(list).into_response())
}

async fn nfe(State(s): State<Shared>, params: Params) -> Result<Response, ApiError> {
    let id: i64 = params
        .get("project")
        .and_then(|p| p.trim().parse().ok())
        .ok_or(ApiError::BadRequest)?;
    let project = s.store.read(|c| projects::by_id(c, id))?;
    let status = match project {
        Some(p) if p.shared => match p.id % 10 {
            0 => "notsafe",
            1 => "notreviewed",
            _ => "safe",
        },
        _ => "notreviewed",
    };
    Ok(Json(json!({"status": status})).into_response())
}
