//! backpack.scratch.mit.edu under `/backpack` (X-Token only, no cookie):
//! `GET /` (health), `GET /<me>?limit&offset`, `POST /<me>` `{type, mime, name, body
//! (base64), thumbnail (base64 JPEG)}`, `DELETE /<me>/<id>`, and the stored files
//! `GET /<md5>.<ext>`.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use md5::Digest as _;
use scratchkit_model::{BackpackHealth, BackpackItem, BackpackItemKind};
use serde_json::json;

use super::reply::{ApiError, Params, body_object, read, text_field, tx};
use crate::auth::{Auth, Cred};
use crate::state::Shared;
use crate::store::backpack::{self, Item};
use crate::timefmt::now;

pub(crate) fn router() -> Router<Shared> {
    Router::new()
        .route("/", get(root))
        .route("/{user}", get(list_or_file).post(add))
        .route("/{user}/{id}", axum::routing::delete(remove))
        .fallback(|| async { ApiError::NotFound })
}

/// `{"ok":"👻"}`.
async fn root() -> Response {
    Json(BackpackHealth {
        ok: "👻".to_owned(),
    })
    .into_response()
}

/// A backpack item, as the client's own model type.
fn backpack_item(i: &Item) -> BackpackItem {
    BackpackItem {
        id: i.id.clone(),
        kind: BackpackItemKind::from(i.kind.as_str()),
        mime: i.mime.clone(),
        name: i.name.clone(),
        body: i.body.clone(),
        thumbnail: i.thumbnail.clone(),
    }
}

/// A `<md5>.<ext>` file name is a stored file; anything else is a username.
async fn list_or_file(
    State(s): State<Shared>,
    auth: Auth,
    Path(segment): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    if let Some((_, ext)) = segment.rsplit_once('.') {
        let content = read(&s, |c| Ok::<_, ApiError>(backpack::file(c, &segment)?))?
            .ok_or(ApiError::NotFound)?;
        let mime = match ext {
            "json" => "application/json",
            "svg" => "image/svg+xml",
            "png" => "image/png",
            "jpg" => "image/jpeg",
            "wav" => "audio/x-wav",
            "mp3" => "audio/mpeg",
            _ => "application/octet-stream",
        };
        return Ok(([(header::CONTENT_TYPE, mime)], content).into_response());
    }
    let me = auth.user_named(Cred::Token, &segment)?.clone();
    let page = params.page()?;
    let items = read(&s, |c| Ok::<_, ApiError>(backpack::list(c, me.id, page)?))?;
    Ok(Json(items.iter().map(backpack_item).collect::<Vec<_>>()).into_response())
}

fn extension(kind: &str, mime: &str) -> &'static str {
    match (kind, mime) {
        ("script", _) => "json",
        ("sprite", _) => "zip",
        (_, "image/svg+xml") => "svg",
        (_, "image/png") => "png",
        (_, "audio/x-wav" | "audio/wav") => "wav",
        (_, "audio/mp3" | "audio/mpeg") => "mp3",
        _ => "bin",
    }
}

fn md5_hex(bytes: &[u8]) -> String {
    md5::Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn add(
    State(s): State<Shared>,
    auth: Auth,
    Path(me): Path<String>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let me = auth.user_named(Cred::Token, &me)?.clone();
    let body = body_object(&bytes);
    let kind = text_field(&body, "type").unwrap_or_default();
    if !matches!(kind.as_str(), "script" | "costume" | "sound" | "sprite") {
        return Err(ApiError::BadRequest);
    }
    let mime = text_field(&body, "mime").ok_or(ApiError::BadRequest)?;
    let name = text_field(&body, "name").unwrap_or_default();
    let content = STANDARD
        .decode(text_field(&body, "body").unwrap_or_default())
        .map_err(|_| ApiError::BadRequest)?;
    let thumbnail = STANDARD
        .decode(text_field(&body, "thumbnail").unwrap_or_default())
        .map_err(|_| ApiError::BadRequest)?;
    let uuid: [u8; 16] = rand::random();
    let hex: String = uuid.iter().map(|b| format!("{b:02x}")).collect();
    let item = Item {
        id: format!(
            "{}-{}-4{}-a{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[13..16],
            &hex[17..20],
            &hex[20..32]
        ),
        body: format!("{}.{}", md5_hex(&content), extension(&kind, &mime)),
        thumbnail: format!("{}.jpg", md5_hex(&thumbnail)),
        kind,
        mime,
        name,
    };
    tx(&s, |c| {
        Ok::<_, ApiError>(backpack::insert(
            c,
            me.id,
            &item,
            &content,
            &thumbnail,
            now(),
        )?)
    })?;
    Ok(Json(backpack_item(&item)).into_response())
}

async fn remove(
    State(s): State<Shared>,
    auth: Auth,
    Path((me, item_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let me = auth.user_named(Cred::Token, &me)?.clone();
    let found = tx(&s, |c| {
        Ok::<_, ApiError>(backpack::delete(c, me.id, &item_id)?)
    })?;
    if !found {
        return Err(ApiError::NotFound);
    }
    Ok(Json(json!({"ok": true})).into_response())
}
