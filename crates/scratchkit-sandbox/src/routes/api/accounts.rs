//! `/accounts/checkusername/<u>/` and `/classrooms/<id>`.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;
use scratchkit_model::{UsernameCheck, UsernameStatus};
use serde_json::json;

use crate::accounts::{is_bad_username, is_valid_username};
use crate::render;
use crate::routes::reply::{ApiError, id};
use crate::state::Shared;
use crate::store::{classrooms, users};

/// `{"username","msg"}` with msg `username exists`, `invalid username`, `bad username` or
/// `valid username` (shared with the old site's one-element array variant).
pub(crate) fn username_check(c: &Connection, name: &str) -> rusqlite::Result<UsernameCheck> {
    let msg = if users::by_name(c, name)?.is_some() {
        UsernameStatus::Exists
    } else if !is_valid_username(name) {
        UsernameStatus::Invalid
    } else if is_bad_username(name) {
        UsernameStatus::Bad
    } else {
        UsernameStatus::Valid
    };
    Ok(UsernameCheck {
        username: name.to_owned(),
        msg,
    })
}

pub(crate) async fn check_username(
    State(s): State<Shared>,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let body = s.store.read(|c| username_check(c, &name))?;
    Ok(Json(body).into_response())
}

/// Open classes only; closed ones answer 404 as live.
pub(crate) async fn classroom(
    State(s): State<Shared>,
    Path(class_id): Path<String>,
) -> Result<Response, ApiError> {
    let class_id = id(&class_id)?;
    let (class, educator) = s.store.read(|c| {
        Ok(match classrooms::by_id(c, class_id)? {
            Some(class) if !class.closed => match users::by_id(c, class.educator_id)? {
                Some(educator) => Ok((class, educator)),
                None => Err(ApiError::NotFound),
            },
            _ => Err(ApiError::NotFound),
        })
    })??;
    Ok(Json(render::classroom(&class, &educator)).into_response())
}

/// `POST /accounts/checkpassword/` `{"password"}` → `{"msg":"valid password"}` or
/// `{"msg":"invalid password"}` (at least 6 characters, not a well-known password).
pub(crate) async fn check_password(bytes: axum::body::Bytes) -> Response {
    let body = crate::routes::reply::body_object(&bytes);
    let password = crate::routes::reply::text_field(&body, "password").unwrap_or_default();
    let weak = ["password", "123456", "12345678", "qwerty", "scratch"]
        .iter()
        .any(|w| password.eq_ignore_ascii_case(w));
    let msg = if password.chars().count() >= 6 && !weak {
        "valid password"
    } else {
        "invalid password"
    };
    // The model's `PasswordCheck` is `#[non_exhaustive]`: it cannot be built outside its crate.
    Json(json!({"msg": msg})).into_response()
}
