//! The image hosts (`cdn2.scratch.mit.edu` under `/cdn2`, `uploads.scratch.mit.edu` under
//! `/uploads`): uploaded avatars and thumbnails are served back as stored (any size asked
//! for gets the one stored image), everything else gets a 1×1 placeholder PNG.
//!
//! | path | image |
//! |---|---|
//! | `/get_image/<user\|project\|gallery\|classroom>/<id>_<w>x<h>.png` (both hosts) | that object's image |
//! | `/users/avatars/<id>.png` (uploads) | avatar |
//! | `/projects/thumbnails/<id>.png` (uploads) | project thumbnail |
//! | `/galleries/thumbnails/<id>.png` (uploads) | studio thumbnail |
//!
//! A file name that is not `<id>…png` answers 404.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::Shared;
use crate::store::images::{self, ImageKind};

/// A transparent 1×1 PNG for objects without an uploaded image.
const PLACEHOLDER_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00,
    0x00, 0x05, 0x00, 0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82,
];

/// The routes of both image hosts.
pub(crate) fn router() -> Router<Shared> {
    Router::new()
        .route("/get_image/{kind}/{file}", get(get_image))
        .route("/users/avatars/{file}", get(avatar))
        .route("/projects/thumbnails/{file}", get(project_thumbnail))
        .route("/galleries/thumbnails/{file}", get(gallery_thumbnail))
        .fallback(|| async { StatusCode::NOT_FOUND })
}

/// The object id of `<id>.png` or `<id>_<w>x<h>.png`.
fn object_id(file: &str) -> Option<i64> {
    let stem = file.strip_suffix(".png")?;
    let digits = stem.split_once('_').map_or(stem, |(id, _)| id);
    digits.parse::<i64>().ok().filter(|id| *id > 0)
}

fn serve(s: &Shared, kind: ImageKind, file: &str) -> Response {
    let Some(id) = object_id(file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match s.store.read(|c| images::get(c, kind, id)) {
        Ok(Some(image)) => ([(header::CONTENT_TYPE, image.mime)], image.data).into_response(),
        Ok(None) => ([(header::CONTENT_TYPE, "image/png")], PLACEHOLDER_PNG).into_response(),
        Err(e) => {
            tracing::error!("database error: {e}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn get_image(
    State(s): State<Shared>,
    Path((kind, file)): Path<(String, String)>,
) -> Response {
    match ImageKind::parse(&kind) {
        Some(kind) => serve(&s, kind, &file),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn avatar(State(s): State<Shared>, Path(file): Path<String>) -> Response {
    serve(&s, ImageKind::User, &file)
}

async fn project_thumbnail(State(s): State<Shared>, Path(file): Path<String>) -> Response {
    serve(&s, ImageKind::Project, &file)
}

async fn gallery_thumbnail(State(s): State<Shared>, Path(file): Path<String>) -> Response {
    serve(&s, ImageKind::Gallery, &file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert_eq!(object_id("12_90x90.png"), Some(12));
        assert_eq!(object_id("12.png"), Some(12));
        assert_eq!(object_id("12_90x90.jpg"), None);
        assert_eq!(object_id("x_90x90.png"), None);
        assert_eq!(object_id("0.png"), None);
        assert!(PLACEHOLDER_PNG.starts_with(b"\x89PNG\r\n\x1a\n"));
    }
}
