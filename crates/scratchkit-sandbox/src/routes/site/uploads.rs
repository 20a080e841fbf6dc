//! Image uploads on the old site, all with the session cookie:
//!
//! | method | path | body | who | answer |
//! |---|---|---|---|---|
//! | POST | `/site-api/users/all/<u or user id>/` | multipart, field `file` | that user | `{"thumbnail_url":"//uploads.scratch.mit.edu/users/avatars/<id>.png"}` |
//! | POST | `/site-api/galleries/all/<id>/` | multipart, field `file` | a manager | `{"thumbnail_url":"//uploads.scratch.mit.edu/galleries/thumbnails/<id>.png"}` |
//! | POST | `/site-api/classrooms/all/<id>/` | multipart, field `file` | the teacher | `{"thumbnail_url":"//cdn2.scratch.mit.edu/get_image/classroom/<id>_250x150.png"}` |
//! | POST | `/internalapi/project/thumbnail/<id>/set/` | the raw image (any Content-Type) | the owner | `{"status":"ok","content-name":"<id>"}` |
//!
//! The image must be a PNG, JPEG or GIF (checked by its signature, not by the declared
//! type) of at most [`MAX_IMAGE_BYTES`]: otherwise 400 (413 when too large) with
//! `{"errors":[str]}`. Permission refusals are the old site's 401/403 pages. Stored images
//! are served back by the image hosts (`routes/images.rs`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::classrooms::taught;
use crate::auth::{Auth, Cred};
use crate::routes::reply::{SiteError, id, tx};
use crate::state::Shared;
use crate::store::images::{self, ImageKind};
use crate::store::users::UserRow;
use crate::store::{projects, studios, users};
use crate::timefmt::now;

/// Largest accepted image (1 MiB).
pub(crate) const MAX_IMAGE_BYTES: usize = 1024 * 1024;

/// Why an image was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImageProblem {
    /// No `file` field (multipart) or an empty body.
    Missing,
    /// Not a PNG, JPEG or GIF.
    NotAnImage,
    /// Larger than [`MAX_IMAGE_BYTES`].
    TooLarge,
}

impl IntoResponse for ImageProblem {
    fn into_response(self) -> Response {
        let (status, msg) = match self {
            ImageProblem::Missing => (StatusCode::BAD_REQUEST, "No image was uploaded."),
            ImageProblem::NotAnImage => (
                StatusCode::BAD_REQUEST,
                "Upload a valid image: PNG, JPEG or GIF.",
            ),
            ImageProblem::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "The image is too large (at most 1 MB).",
            ),
        };
        (status, Json(json!({"errors": [msg]}))).into_response()
    }
}

/// The MIME type of an image by its signature (PNG, JPEG or GIF), after the size check.
pub(crate) fn check_image(data: &[u8]) -> Result<&'static str, ImageProblem> {
    if data.is_empty() {
        return Err(ImageProblem::Missing);
    }
    if data.len() > MAX_IMAGE_BYTES {
        return Err(ImageProblem::TooLarge);
    }
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok("image/png")
    } else if data.starts_with(b"\xff\xd8\xff") {
        Ok("image/jpeg")
    } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
        Ok("image/gif")
    } else {
        Err(ImageProblem::NotAnImage)
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The boundary of a `multipart/form-data` Content-Type (quoted or not).
pub(crate) fn boundary(headers: &HeaderMap) -> Option<String> {
    let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let (kind, params) = ct.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_owned())
            .filter(|b| !b.is_empty())
    })
}

/// The bytes of the form field `name` of a `multipart/form-data` body.
pub(crate) fn multipart_field<'a>(body: &'a [u8], boundary: &str, name: &str) -> Option<&'a [u8]> {
    let delimiter = format!("--{boundary}");
    let closing = format!("\r\n--{boundary}");
    let mut rest = &body[find(body, delimiter.as_bytes())? + delimiter.len()..];
    loop {
        // After a delimiter: "--" ends the body, otherwise CRLF and the part's headers.
        if rest.starts_with(b"--") {
            return None;
        }
        rest = rest.strip_prefix(b"\r\n").unwrap_or(rest);
        let header_end = find(rest, b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&rest[..header_end]);
        let content = &rest[header_end + 4..];
        let end = find(content, closing.as_bytes())?;
        let wanted = head.lines().any(|line| {
            let lower = line.to_ascii_lowercase();
            lower.starts_with("content-disposition:")
                && line.split(';').any(|p| {
                    p.trim()
                        .strip_prefix("name=")
                        .is_some_and(|v| v.trim_matches('"') == name)
                })
        });
        if wanted {
            return Some(&content[..end]);
        }
        rest = &content[end + closing.len()..];
    }
}

/// The checked image of a multipart upload's `file` field.
fn uploaded_file(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(&'static str, Vec<u8>), ImageProblem> {
    let boundary = boundary(headers).ok_or(ImageProblem::Missing)?;
    let data = multipart_field(body, &boundary, "file").ok_or(ImageProblem::Missing)?;
    Ok((check_image(data)?, data.to_vec()))
}

/// What an upload handler answers: a permission refusal, an image problem, or success.
pub(crate) enum UploadError {
    Site(SiteError),
    Image(ImageProblem),
}

impl From<SiteError> for UploadError {
    fn from(e: SiteError) -> Self {
        UploadError::Site(e)
    }
}

impl From<rusqlite::Error> for UploadError {
    fn from(e: rusqlite::Error) -> Self {
        UploadError::Site(e.into())
    }
}

impl From<crate::routes::reply::ApiError> for UploadError {
    fn from(e: crate::routes::reply::ApiError) -> Self {
        UploadError::Site(e.into())
    }
}

impl IntoResponse for UploadError {
    fn into_response(self) -> Response {
        match self {
            UploadError::Site(e) => e.into_response(),
            UploadError::Image(e) => e.into_response(),
        }
    }
}

/// Checks who may upload (inside the transaction, so a refusal stores nothing), then the
/// image, then stores it.
fn store_image(
    s: &Shared,
    kind: ImageKind,
    image: Result<(&'static str, Vec<u8>), ImageProblem>,
    allowed: impl FnOnce(&rusqlite::Connection) -> Result<i64, UploadError>,
) -> Result<i64, UploadError> {
    let t = now();
    tx(s, |c| {
        let object_id = allowed(c)?;
        let (mime, data) = image.map_err(UploadError::Image)?;
        images::put(c, kind, object_id, mime, &data, t)?;
        Ok(object_id)
    })
}

/// A user named by username or by numeric id (scapi posts to the id form).
fn user_by_segment(c: &rusqlite::Connection, segment: &str) -> rusqlite::Result<Option<UserRow>> {
    match users::by_name(c, segment)? {
        Some(u) => Ok(Some(u)),
        None => match segment.parse::<i64>() {
            Ok(id) => users::by_id(c, id),
            Err(_) => Ok(None),
        },
    }
}

/// `POST /site-api/users/all/<u>/`: the caller's avatar.
pub(crate) async fn avatar(
    State(s): State<Shared>,
    auth: Auth,
    Path(user): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, UploadError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let image = uploaded_file(&headers, &body);
    let id = store_image(&s, ImageKind::User, image, |c| {
        let target = user_by_segment(c, &user)?.ok_or(SiteError::NotFound)?;
        if target.id == me.id {
            Ok(target.id)
        } else {
            Err(SiteError::Forbidden.into())
        }
    })?;
    Ok(
        Json(json!({"thumbnail_url": format!("//uploads.scratch.mit.edu/users/avatars/{id}.png")}))
            .into_response(),
    )
}

/// `POST /site-api/galleries/all/<id>/`: a studio thumbnail (managers).
pub(crate) async fn studio_thumbnail(
    State(s): State<Shared>,
    auth: Auth,
    Path(studio): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, UploadError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let studio = id(&studio)?;
    let image = uploaded_file(&headers, &body);
    let id = store_image(&s, ImageKind::Gallery, image, |c| {
        let st = studios::by_id(c, studio)?.ok_or(SiteError::NotFound)?;
        let manager = studios::role_of(c, st.id, me.id)?.as_deref() == Some("manager");
        if manager || me.scratchteam() {
            Ok(st.id)
        } else {
            Err(SiteError::Forbidden.into())
        }
    })?;
    Ok(Json(json!({"thumbnail_url": format!("//uploads.scratch.mit.edu/galleries/thumbnails/{id}.png")})).into_response())
}

/// `POST /site-api/classrooms/all/<id>/`: a class thumbnail (the teacher).
pub(crate) async fn class_thumbnail(
    State(s): State<Shared>,
    auth: Auth,
    Path(class): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, UploadError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let class = id(&class)?;
    let image = uploaded_file(&headers, &body);
    let id = store_image(&s, ImageKind::Classroom, image, |c| {
        Ok(taught(c, class, &me)?.id)
    })?;
    Ok(Json(json!({"thumbnail_url": format!("//cdn2.scratch.mit.edu/get_image/classroom/{id}_250x150.png")})).into_response())
}

/// `POST /internalapi/project/thumbnail/<id>/set/`: raw image bytes (the owner).
pub(crate) async fn project_thumbnail(
    State(s): State<Shared>,
    auth: Auth,
    Path(project): Path<String>,
    body: Bytes,
) -> Result<Response, UploadError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let project = id(&project)?;
    let image = check_image(&body).map(|mime| (mime, body.to_vec()));
    let id = store_image(&s, ImageKind::Project, image, |c| {
        let p = projects::by_id(c, project)?.ok_or(SiteError::NotFound)?;
        if p.owner_id == me.id {
            Ok(p.id)
        } else {
            Err(SiteError::Forbidden.into())
        }
    })?;
    Ok(Json(json!({"status": "ok", "content-name": id.to_string()})).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\nrest";

    #[test]
    fn signatures_and_size() {
        assert_eq!(check_image(PNG), Ok("image/png"));
        assert_eq!(check_image(b"\xff\xd8\xff\xe0xx"), Ok("image/jpeg"));
        assert_eq!(check_image(b"GIF89a..."), Ok("image/gif"));
        assert_eq!(check_image(b"<svg/>"), Err(ImageProblem::NotAnImage));
        assert_eq!(check_image(b""), Err(ImageProblem::Missing));
        let mut big = PNG.to_vec();
        big.resize(MAX_IMAGE_BYTES + 1, 0);
        assert_eq!(check_image(&big), Err(ImageProblem::TooLarge));
    }

    #[test]
    fn multipart_fields() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\na\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\
\x89PNG\r\n\x1a\n\r\nbytes\r\n--XyZ--\r\n";
        assert_eq!(
            multipart_field(body, "XyZ", "csrfmiddlewaretoken"),
            Some(&b"a"[..])
        );
        assert_eq!(
            multipart_field(body, "XyZ", "file"),
            Some(&b"\x89PNG\r\n\x1a\n\r\nbytes"[..])
        );
        assert_eq!(multipart_field(body, "XyZ", "other"), None);
        assert_eq!(multipart_field(b"garbage", "XyZ", "file"), None);
        assert_eq!(multipart_field(b"--XyZ\r\nno end", "XyZ", "file"), None);
    }

    #[test]
    fn boundaries() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            "multipart/form-data; boundary=\"abc\"".parse().unwrap(),
        );
        assert_eq!(boundary(&h).as_deref(), Some("abc"));
        h.insert(header::CONTENT_TYPE, "image/png".parse().unwrap());
        assert_eq!(boundary(&h), None);
    }
}
