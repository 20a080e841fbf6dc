//! Account forms and the message bell on the old site: `/accounts/settings/` (country),
//! `/accounts/password_change/`, `/accounts/email_change/`,
//! `/accounts/settings/update_subscription/`, `/accounts/check_password/`,
//! `/site-api/messages/messages-clear/` and `/messages/ajax/get-message-count/`.
//!
//! Form posts answer like Django: a `302` on success, the form again (HTTP 200, HTML with an
//! `errorlist`) on failure.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use scratchkit_model::LegacyMessageCount;
use serde_json::json;

use crate::accounts::{hash_password, verify_password};
use crate::auth::{Auth, Cred};
use crate::render;
use crate::routes::reply::{
    SiteError, body_object, bool_field, read, site_redirect, text_field, tx,
};
use crate::state::Shared;
use crate::store::users::{self, ProfileEdit};
use crate::store::{account, messages, sessions};

/// The page a form post's redirect lands on (`GET`): a plain page, as the client only
/// needs it to exist.
pub(crate) async fn form_done_page() -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!DOCTYPE html><html><body><h1>Account settings</h1><p>Saved.</p></body></html>",
    )
        .into_response()
}

fn form_error(message: &str) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        format!("<!DOCTYPE html><html><body><form method=\"post\"><ul class=\"errorlist\"><li>{message}</li></ul></form></body></html>"),
    )
        .into_response()
}

async fn password_ok(s: &Shared, user_id: i64, password: String) -> Result<bool, SiteError> {
    let hash = read(s, |c| {
        users::password_hash(c, user_id)?.ok_or(SiteError::Internal)
    })?;
    Ok(
        tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .unwrap_or(false),
    )
}

/// `POST /accounts/settings/` with `country` (the only setting the sandbox keeps).
pub(crate) async fn settings(
    State(s): State<Shared>,
    auth: Auth,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let body = body_object(&bytes);
    if let Some(country) = text_field(&body, "country").filter(|c| !c.trim().is_empty()) {
        let edit = ProfileEdit {
            country: Some(country),
            ..ProfileEdit::default()
        };
        tx(&s, |c| {
            Ok::<_, SiteError>(users::update_profile(c, me.id, &edit)?)
        })?;
    }
    Ok(site_redirect(&headers, "/accounts/settings/"))
}

/// `POST /accounts/password_change/` `old_password`, `new_password1`, `new_password2`; logs
/// out every other session of the account.
pub(crate) async fn password_change(
    State(s): State<Shared>,
    auth: Auth,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    let login = auth
        .via(Cred::Cookie)
        .ok_or(SiteError::Unauthorized)?
        .clone();
    auth.user(Cred::Cookie)?;
    let body = body_object(&bytes);
    let old = text_field(&body, "old_password").unwrap_or_default();
    let new1 = text_field(&body, "new_password1").unwrap_or_default();
    let new2 = text_field(&body, "new_password2").unwrap_or_default();
    if !password_ok(&s, login.user.id, old).await? {
        return Ok(form_error(
            "Your old password was entered incorrectly. Please enter it again.",
        ));
    }
    if new1 != new2 {
        return Ok(form_error("The two password fields didn't match."));
    }
    if new1.chars().count() < 6 || new1.eq_ignore_ascii_case(&login.user.username) {
        return Ok(form_error(
            "This password is too short or too easy to guess.",
        ));
    }
    let phc = tokio::task::spawn_blocking(move || hash_password(&new1))
        .await
        .map_err(|_| SiteError::Internal)?
        .map_err(|_| SiteError::Internal)?;
    tx(&s, |c| {
        users::set_password_hash(c, login.user.id, &phc)?;
        sessions::delete_others(c, login.user.id, &login.session.key)?;
        Ok::<_, SiteError>(())
    })?;
    Ok(site_redirect(&headers, "/accounts/password_change/done/"))
}

/// `POST /accounts/email_change/` `email_address`, `password`.
pub(crate) async fn email_change(
    State(s): State<Shared>,
    auth: Auth,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let body = body_object(&bytes);
    let email = text_field(&body, "email_address").unwrap_or_default();
    let password = text_field(&body, "password").unwrap_or_default();
    let plausible = email
        .split_once('@')
        .is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !email.contains(' '));
    if !plausible {
        return Ok(form_error("Enter a valid email address."));
    }
    if !password_ok(&s, me.id, password).await? {
        return Ok(form_error("Incorrect password."));
    }
    tx(&s, |c| {
        account::edit_settings(c, me.id, &me.username, |settings| settings.email = email)?;
        Ok::<_, SiteError>(())
    })?;
    Ok(site_redirect(&headers, "/accounts/email_change/"))
}

/// `POST /accounts/settings/update_subscription/` `activities=on`?, `teacher_tips=on`?
pub(crate) async fn update_subscription(
    State(s): State<Shared>,
    auth: Auth,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let body = body_object(&bytes);
    tx(&s, |c| {
        account::edit_settings(c, me.id, &me.username, |settings| {
            settings.activities = bool_field(&body, "activities").unwrap_or(false);
            settings.teacher_tips = bool_field(&body, "teacher_tips").unwrap_or(false);
        })?;
        Ok::<_, SiteError>(())
    })?;
    Ok(site_redirect(&headers, "/accounts/settings/"))
}

/// `POST /accounts/check_password/` `password` → `{"success":bool}`.
pub(crate) async fn check_password(
    State(s): State<Shared>,
    auth: Auth,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let password = text_field(&body_object(&bytes), "password").unwrap_or_default();
    let ok = password_ok(&s, me.id, password).await?;
    Ok(Json(json!({"success": ok})).into_response())
}

/// `POST /site-api/messages/messages-clear/`: every message read, count 0.
pub(crate) async fn messages_clear(
    State(s): State<Shared>,
    auth: Auth,
) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    tx(&s, |c| Ok::<_, SiteError>(messages::clear(c, me.id)?))?;
    Ok(Json(json!({"success": true})).into_response())
}

/// `GET /messages/ajax/get-message-count/` → `{"msg_count":int}`.
pub(crate) async fn message_count(
    State(s): State<Shared>,
    auth: Auth,
) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let count = read(&s, |c| {
        Ok::<_, SiteError>(users::by_id(c, me.id)?.map_or(0, |u| u.message_count))
    })?;
    Ok(Json(LegacyMessageCount {
        msg_count: render::unsigned(count),
    })
    .into_response())
}
