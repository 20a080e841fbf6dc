//! `/login/`, `/login_retry/`, `/session/`, `/csrf_token/` and `/accounts/logout/`
//! (auth.md §2, §4, §6). The CSRF check runs before these handlers (see `auth::csrf_guard`).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use scratchkit_model::{LoginResult, UserId, XToken};

use crate::accounts::verify_password;
use crate::auth::{
    self, Auth, Cred, PeerIp, SESSION_COOKIE, session_clear_cookie, session_set_cookie,
};
use crate::render;
use crate::routes::reply::{SiteError, body_object, text_field};
use crate::signing;
use crate::state::Shared;
use crate::store::{account, sessions, users};
use crate::timefmt::now;

fn json_response(status: StatusCode, body: &impl serde::Serialize) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_string(body).unwrap_or_default(),
    )
        .into_response()
}

/// The one-element failure array (`success: 0`, `id: null`, no cookie).
fn failure(username: &str, tries: u32, msg: &str, redirect: Option<&str>) -> Response {
    let item = LoginResult {
        username: username.to_owned(),
        token: None,
        num_tries: Some(tries),
        success: 0,
        msg: msg.to_owned(),
        messages: Vec::new(),
        id: None,
        redirect: redirect.map(str::to_owned),
    };
    json_response(StatusCode::OK, &[item])
}

/// Too many failed attempts: 403 with a non-JSON body, as the live site does.
fn too_many_attempts() -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!DOCTYPE html><html><body><h1>Forbidden (403)</h1><p>Too many login attempts. \
         Log in through /login_retry/ with a captcha response.</p></body></html>",
    )
        .into_response()
}

fn failures_of(s: &Shared, key: &str) -> u32 {
    let map = s.login_failures.lock().unwrap_or_else(|e| e.into_inner());
    map.get(key).copied().unwrap_or(0)
}

fn set_failures(s: &Shared, key: &str, value: Option<u32>) {
    let mut map = s.login_failures.lock().unwrap_or_else(|e| e.into_inner());
    match value {
        Some(v) => {
            map.insert(key.to_owned(), v);
        }
        None => {
            map.remove(key);
        }
    }
}

async fn login_common(
    s: Shared,
    ip: String,
    bytes: Bytes,
    retry: bool,
) -> Result<Response, SiteError> {
    let body = body_object(&bytes);
    let (Some(username), Some(password)) =
        (text_field(&body, "username"), text_field(&body, "password"))
    else {
        return Ok(failure("", 0, "Something went wrong", None));
    };
    let key = username.to_ascii_lowercase();
    let tries = failures_of(&s, &key);
    if retry {
        let captcha = text_field(&body, "g-recaptcha-response").unwrap_or_default();
        if captcha.trim().is_empty() {
            return Ok(failure(
                &username,
                tries,
                "Please complete the captcha.",
                None,
            ));
        }
    } else if tries >= s.settings().login_max_failures {
        return Ok(too_many_attempts());
    }
    let found = s.store.read(|c| {
        Ok(match users::by_name(c, &username)? {
            Some(u) => users::password_hash(c, u.id)?.map(|h| (u, h)),
            None => None,
        })
    })?;
    let verified = match found {
        Some((user, hash)) => {
            let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
                .await
                .unwrap_or(false);
            ok.then_some(user)
        }
        None => None,
    };
    let Some(user) = verified else {
        let tries = tries.saturating_add(1);
        set_failures(&s, &key, Some(tries));
        return Ok(failure(
            &username,
            tries,
            "Incorrect username or password.",
            None,
        ));
    };
    set_failures(&s, &key, None);
    if user.banned {
        return Ok(failure(
            &user.username,
            0,
            "Sorry, this account has been blocked.",
            Some("/accounts/banned-response/"),
        ));
    }
    let session = auth::open_session(&s, &user, &ip, now())?;
    let body = [LoginResult {
        username: user.username.clone(),
        token: Some(XToken::new(session.token.clone())),
        num_tries: Some(0),
        success: 1,
        msg: String::new(),
        messages: Vec::new(),
        id: Some(UserId(render::unsigned(user.id))),
        redirect: None,
    }];
    let mut response = json_response(StatusCode::OK, &body);
    if let Ok(value) = HeaderValue::from_str(&session_set_cookie(&session.key)) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// `POST /login/`: `{"username","password"}` → one-element array + quoted session cookie.
pub(crate) async fn login(
    State(s): State<Shared>,
    PeerIp(ip): PeerIp,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    login_common(s, ip, bytes, false).await
}

/// `POST /login_retry/`: the same plus `g-recaptcha-response` (any non-empty value passes and
/// lifts the too-many-attempts block).
pub(crate) async fn login_retry(
    State(s): State<Shared>,
    PeerIp(ip): PeerIp,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    login_common(s, ip, bytes, true).await
}

/// `GET|POST /session/`: `{user, permissions, flags}` with the cookie, `{flags}` without.
pub(crate) async fn session(State(s): State<Shared>, auth: Auth) -> Result<Response, SiteError> {
    let Some(login) = auth.via(Cred::Cookie) else {
        return Ok(json_response(StatusCode::OK, &render::session_logged_out()));
    };
    let settings = s
        .store
        .read(|c| account::settings(c, login.user.id, &login.user.username))?;
    let body = render::session_logged_in(&login.user, &login.session.token, &settings.email, now());
    Ok(json_response(StatusCode::OK, &body))
}

/// `GET /csrf_token/`: sets a fresh `scratchcsrftoken` cookie (the body is not used).
pub(crate) async fn csrf_token() -> Response {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let bytes: [u8; 32] = rand::random();
    let token: String = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    let cookie = format!(
        "{}={token}; Max-Age=31449600; Path=/; SameSite=Lax",
        auth::CSRF_COOKIE
    );
    let mut response = (StatusCode::OK, "").into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// `POST /accounts/logout/`: deletes the session, clears the cookie, `302 Location: /`.
pub(crate) async fn logout(
    State(s): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, SiteError> {
    if let Some(value) = auth::cookie(&headers, SESSION_COOKIE) {
        let key = signing::unquote(&value).to_owned();
        s.store.write(|c| sessions::delete(c, &key))?;
    }
    let mut response = (StatusCode::FOUND, [(header::LOCATION, "/")]).into_response();
    if let Ok(value) = HeaderValue::from_str(&session_clear_cookie()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}
