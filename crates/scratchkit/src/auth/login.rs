//! Password login: `POST scratch.mit.edu/login/` (and `/login_retry/` with a captcha token).

use http::header::SET_COOKIE;
use scratchkit_model::{LoginResult, UserId};
use secrecy::{ExposeSecret, SecretString};

use super::Me;
use super::session::is_cookie_safe;
use super::session_cookie::decode_session_id;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::request::{RequestSpec, Response};

/// What a successful login response carried.
struct Issued {
    session_id: String,
    csrf: Option<String>,
}

impl Client {
    /// Logs in with a user name and password.
    ///
    /// `POST https://scratch.mit.edu/login/` with the JSON body `{"username", "password"}` and
    /// the CSRF double-submit (a fresh token as `scratchcsrftoken` cookie and `X-CSRFToken`
    /// header, `X-Requested-With: XMLHttpRequest`, `Referer` the site root). The session id comes
    /// from the response's `Set-Cookie: scratchsessionsid="…"`, the X-Token and user id from
    /// its body (or, failing that, from the session id itself). A login replaces any earlier
    /// one. The password is not kept.
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// use secrecy::SecretString;
    ///
    /// let client = scratchkit::Client::new();
    /// let password = SecretString::from(std::env::var("SCRATCH_PASSWORD").unwrap_or_default());
    /// let me = client.login("my_bot", password).await?;
    /// println!("logged in as {} ({:?})", me.username, me.user_id);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// * [`Error::InvalidInput`]: empty user name or password (nothing is sent).
    /// * [`Error::LoginFailed`]: wrong user name or password (Scratch's message kept).
    /// * [`Error::CaptchaRequired`]: Scratch asks for a captcha; see [`Client::login_retry`].
    /// * [`Error::LoginBlocked`]: HTTP 403, the IP address is blocked or there were too many
    ///   attempts.
    /// * [`Error::AccountBanned`]: the site redirected to its account-blocked page.
    /// * [`Error::RateLimited`], a transport error, or [`Error::Decode`] for an answer that is
    ///   not Scratch's login JSON.
    pub async fn login(&self, username: &str, password: impl Into<SecretString>) -> Result<Me> {
        let password = password.into();
        self.password_login("/login/", username, &password, None)
            .await
    }

    /// Logs in with a user name, a password and a solved reCAPTCHA token, after
    /// [`Client::login`] failed with [`Error::CaptchaRequired`].
    ///
    /// `POST https://scratch.mit.edu/login_retry/` with `{"username", "password",
    /// "g-recaptcha-response"}`, otherwise as [`Client::login`].
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client, captcha: String) -> scratchkit::Result<()> {
    /// use secrecy::SecretString;
    ///
    /// let password = SecretString::from(std::env::var("SCRATCH_PASSWORD").unwrap_or_default());
    /// client.login_retry("my_bot", password, &captcha).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Client::login`]; also [`Error::InvalidInput`] for an empty captcha token.
    pub async fn login_retry(
        &self,
        username: &str,
        password: impl Into<SecretString>,
        captcha_token: &str,
    ) -> Result<Me> {
        if captcha_token.trim().is_empty() {
            return Err(Error::invalid("captcha token", "it is empty"));
        }
        let password = password.into();
        self.password_login("/login_retry/", username, &password, Some(captcha_token))
            .await
    }

    async fn password_login(
        &self,
        path: &str,
        username: &str,
        password: &SecretString,
        captcha: Option<&str>,
    ) -> Result<Me> {
        let username = username.trim();
        if username.is_empty() {
            return Err(Error::invalid("username", "it is empty"));
        }
        if password.expose_secret().is_empty() {
            return Err(Error::invalid("password", "it is empty"));
        }
        let csrf = super::new_csrf_token();
        let mut body = serde_json::json!({
            "username": username,
            "password": password.expose_secret(),
        });
        if let (Some(captcha), Some(map)) = (captcha, body.as_object_mut()) {
            map.insert("g-recaptcha-response".into(), captcha.into());
        }
        let referer = self.hosts().url(Host::Site, "/").to_string();
        let spec = RequestSpec::post(Host::Site, path)
            .json(&body)?
            .header(
                "Cookie",
                format!("scratchcsrftoken={csrf}; scratchlanguage=en"),
            )
            .header("X-CSRFToken", csrf.as_str())
            .header("X-Requested-With", "XMLHttpRequest")
            .header("Referer", referer);
        drop(body);
        let response = match self.send(spec).await {
            Ok(response) => response,
            Err(Error::Forbidden {
                code: Some(code), ..
            }) if code == "AccountBlocked" => {
                return Err(Error::AccountBanned {
                    username: username.to_owned(),
                });
            }
            Err(Error::Forbidden { snippet, .. }) => return Err(Error::LoginBlocked { snippet }),
            Err(e) => return Err(e),
        };
        let result = parse_login_body(&response)?;
        if !result.is_success() {
            return Err(login_refusal(&result, username));
        }
        let Some(issued) = issued_cookies(&response) else {
            return Err(Error::LoginFailed {
                message: "Scratch accepted the login but sent no session cookie".into(),
            });
        };
        let csrf = issued.csrf.unwrap_or(csrf);
        let decoded = decode_session_id(&issued.session_id).ok();
        let name = Some(result.username.as_str())
            .filter(|n| !n.is_empty())
            .or(decoded.as_ref().map(|d| d.username.as_str()))
            .unwrap_or(username)
            .to_owned();
        let mut user_id: Option<UserId> = result.id.or(decoded.as_ref().map(|d| d.user_id));
        let token = match (&result.token, &decoded) {
            (Some(token), _) if !token.expose_secret().is_empty() => {
                token.expose_secret().to_owned()
            }
            (_, Some(decoded)) => decoded.x_token.expose_secret().to_owned(),
            _ => {
                let session = self.session_for(&issued.session_id).await?;
                let Some(user) = session.user else {
                    return Err(Error::SessionExpired);
                };
                user_id = user_id.or(Some(user.id));
                user.token.expose_secret().to_owned()
            }
        };
        Ok(self.install_login(&name, user_id, &token, &issued.session_id, &csrf))
    }
}

/// The login result in the body: a one-element array (a bare object is accepted too).
fn parse_login_body(response: &Response) -> Result<LoginResult> {
    let value: serde_json::Value = response.json()?;
    let object = match value {
        serde_json::Value::Array(mut items) if !items.is_empty() => items.swap_remove(0),
        other => other,
    };
    serde_json::from_value(object).map_err(|e| Error::Decode {
        url: response.requested.clone(),
        path: ".".into(),
        message: format!("not a login result: {e}"),
        snippet: crate::error::snippet(&response.body),
        source: Some(Box::new(e)),
    })
}

/// The error for a login Scratch answered with `success: 0`.
fn login_refusal(result: &LoginResult, username: &str) -> Error {
    let message = if result.msg.trim().is_empty() {
        "Incorrect username or password.".to_owned()
    } else {
        result.msg.clone()
    };
    let redirect = result.redirect.as_deref().unwrap_or("");
    let mentions = |needle: &str| {
        message.to_ascii_lowercase().contains(needle)
            || redirect.to_ascii_lowercase().contains(needle)
    };
    if mentions("captcha") {
        Error::CaptchaRequired { message }
    } else if redirect.contains("banned") {
        Error::AccountBanned {
            username: username.to_owned(),
        }
    } else {
        Error::LoginFailed { message }
    }
}

/// The session id (without its quotes) and a rotated CSRF token from the `Set-Cookie` headers.
fn issued_cookies(response: &Response) -> Option<Issued> {
    let mut session_id = None;
    let mut csrf = None;
    for header in response.headers.get_all(SET_COOKIE) {
        let Ok(text) = header.to_str() else { continue };
        let Ok(cookie) = cookie_store::RawCookie::parse(text) else {
            continue;
        };
        let value = cookie.value().trim_matches('"');
        if value.is_empty() || !is_cookie_safe(value) {
            continue;
        }
        match cookie.name() {
            "scratchsessionsid" => session_id = Some(value.to_owned()),
            "scratchcsrftoken" => csrf = Some(value.to_owned()),
            _ => {}
        }
    }
    Some(Issued {
        session_id: session_id?,
        csrf,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(json: &str) -> LoginResult {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn refusals_are_typed() {
        let wrong = result(
            r#"{"username":"x","num_tries":1,"success":0,"msg":"Incorrect username or password.","messages":[],"id":null}"#,
        );
        assert!(matches!(
            login_refusal(&wrong, "x"),
            Error::LoginFailed { message } if message == "Incorrect username or password."
        ));
        let captcha = result(r#"{"success":0,"msg":"Please complete the reCAPTCHA","id":null}"#);
        assert!(matches!(
            login_refusal(&captcha, "x"),
            Error::CaptchaRequired { .. }
        ));
        let banned =
            result(r#"{"success":0,"msg":"","redirect":"/accounts/banned-response/","id":null}"#);
        assert!(matches!(
            login_refusal(&banned, "bob"),
            Error::AccountBanned { username } if username == "bob"
        ));
        let empty = result(r#"{"success":0,"id":null}"#);
        assert!(matches!(
            login_refusal(&empty, "x"),
            Error::LoginFailed { .. }
        ));
    }
}
