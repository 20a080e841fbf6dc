//! assets.scratch.mit.edu under `/assets`: costumes and sounds, content-addressed by md5.
//!
//! | method | path | auth | answer |
//! |---|---|---|---|
//! | GET, HEAD | `/internalapi/asset/<md5>.<ext>/get`, `/internalapi/asset/<md5>.<ext>`, `/<md5>.<ext>` | – | the bytes; 404 when unknown |
//! | POST | `/<md5>.<ext>` | session (cookie or X-Token) | `{"status":"ok","content-name":"<md5>.<ext>"}`; 400 when the md5 of the body is not the name's, 413 above 10 MB |
//!
//! Administration: `PUT /_sandbox/assets/<md5>.<ext>` stores the body under that name without
//! any check (to serve a corrupted asset in tests).

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use scratchkit_model::ProjectSaved;
use serde_json::json;

use super::projects_host::{HostError, caller, saved};
use crate::state::Shared;
use crate::store::assets::{self, AssetError, MAX_ASSET_BYTES};
use crate::timefmt::now;

pub(crate) fn router() -> Router<Shared> {
    Router::new()
        .route("/internalapi/asset/{name}/get", get(download))
        .route("/internalapi/asset/{name}", get(download))
        .route("/{name}", get(download).post(upload))
        // Room above the limit, so that a too large upload gets a clear 413 from the check.
        .layer(DefaultBodyLimit::max(MAX_ASSET_BYTES + 1024))
        .fallback(|| async { HostError::NotFound })
}

/// The Content-Type of an asset by its extension.
fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("wav") => "audio/x-wav",
        Some("mp3") => "audio/mpeg",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

async fn download(
    State(s): State<Shared>,
    Path(name): Path<String>,
) -> Result<Response, HostError> {
    let bytes = s
        .store
        .read(|c| assets::get(c, &name))?
        .ok_or(HostError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, content_type(&name))], bytes).into_response())
}

async fn upload(
    State(s): State<Shared>,
    Path(name): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, HostError> {
    if caller(&s, &headers, query.as_deref().unwrap_or("")).is_none() {
        return Err(HostError::Unauthorized);
    }
    let name = assets::check(&name, &body).map_err(|e| match e {
        AssetError::BadName => HostError::BadRequest("asset names are <md5>.<ext>".into()),
        AssetError::TooLarge => {
            HostError::TooLarge(format!("assets are at most {MAX_ASSET_BYTES} bytes"))
        }
        AssetError::HashMismatch { actual } => HostError::BadRequest(format!(
            "the md5 of the body is {actual}, not the one in the name"
        )),
    })?;
    s.store.write(|c| assets::put(c, &name, &body, now()))?;
    Ok(saved(&ProjectSaved {
        status: "ok".to_owned(),
        content_name: Some(name),
        content_title: None,
        autosave_interval: None,
    }))
}

/// `PUT /_sandbox/assets/<name>`: stores the body as is (administration; no checks).
pub(crate) async fn admin_put(
    State(s): State<Shared>,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<Response, HostError> {
    let name = assets::normalize(&name)
        .ok_or_else(|| HostError::BadRequest("asset names are <md5>.<ext>".into()))?;
    s.store
        .write(|c| assets::put_unchecked(c, &name, &body, now()))?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        json!({"stored": name, "bytes": body.len()}).to_string(),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("abc.svg"), "image/svg+xml");
        assert_eq!(content_type("abc.wav"), "audio/x-wav");
        assert_eq!(content_type("abc.png"), "image/png");
        assert_eq!(content_type("abc"), "application/octet-stream");
    }
}
