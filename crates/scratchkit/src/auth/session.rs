//! [`Client::session`]: `GET scratch.mit.edu/session/`, and session-id login.

use scratchkit_model::Session;
use secrecy::{ExposeSecret, SecretString};

use super::Me;
use super::session_cookie::{decode_session_id, normalize_session_id};
use crate::client::{AuthState, Client};
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::request::RequestSpec;

impl Client {
    /// The session as Scratch sees it: the account (with its X-Token), permissions (Scratcher,
    /// educator, mute status) and site flags.
    ///
    /// `GET https://scratch.mit.edu/session/` with the session cookie. Logged out, the answer
    /// has only `flags` ([`Session::is_logged_in`] is `false`).
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let session = client.session().await?;
    /// if let Some(perms) = &session.permissions {
    ///     println!("Scratcher: {}", perms.scratcher);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::SessionExpired`] when the client holds a login that Scratch no longer accepts
    /// (the answer is the logged-out shape; the login is then marked expired), or a request
    /// error.
    pub async fn session(&self) -> Result<Session> {
        let state = self.auth_state();
        if state.as_ref().is_some_and(|s| s.is_expired()) {
            return Err(Error::SessionExpired);
        }
        let spec =
            RequestSpec::get(Host::Site, "/session/").header("X-Requested-With", "XMLHttpRequest");
        let session: Session = self.send_json(spec).await?;
        if let Some(state) = state {
            match &session.user {
                None => {
                    state.mark_expired();
                    return Err(Error::SessionExpired);
                }
                Some(user) if user.token.expose_secret() != state.x_token() => {
                    // Scratch rotated the X-Token: keep the new one.
                    self.set_auth(Some(AuthState::new(
                        user.username.clone(),
                        Some(user.id.get()),
                        user.token.expose_secret(),
                        state.session_id(),
                        state.csrf(),
                    )));
                }
                Some(_) => {}
            }
        }
        Ok(session)
    }

    /// Logs in with a session id (the `scratchsessionsid` cookie value, for example copied from
    /// a browser), with or without its surrounding quotes.
    ///
    /// The id is decoded offline ([`decode_session_id`](crate::decode_session_id)) to learn the
    /// user name, user id and X-Token: no request is made. When it cannot be decoded, the client
    /// asks `GET https://scratch.mit.edu/session/` instead. Call [`Client::session`] afterwards
    /// to check that Scratch still accepts the session.
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// use secrecy::SecretString;
    ///
    /// let client = scratchkit::Client::new();
    /// let id = SecretString::from(std::env::var("SCRATCH_SESSION").unwrap_or_default());
    /// let me = client.login_with_session_id(id).await?;
    /// println!("logged in as {}", me.username);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty id; when the id cannot be decoded offline and
    /// `/session/` does not know it, [`Error::SessionExpired`]; [`Error::AccountBanned`] when
    /// `/session/` says the account is banned; or a request error.
    pub async fn login_with_session_id(&self, session_id: SecretString) -> Result<Me> {
        let value = normalize_session_id(session_id.expose_secret());
        if value.is_empty() {
            return Err(Error::invalid("session id", "it is empty"));
        }
        if !is_cookie_safe(value) {
            return Err(Error::invalid(
                "session id",
                "it contains characters a cookie cannot carry",
            ));
        }
        // Keep a CSRF token the client already uses (a restored or refreshed session).
        let csrf = self
            .auth_state()
            .map(|s| s.csrf().to_owned())
            .unwrap_or_else(super::new_csrf_token);
        match decode_session_id(value) {
            Ok(info) => Ok(self.install_login(
                &info.username,
                Some(info.user_id),
                info.x_token.expose_secret(),
                value,
                &csrf,
            )),
            Err(_) => {
                tracing::debug!("session id not decodable offline; asking /session/");
                let session = self.session_for(value).await?;
                let Some(user) = session.user else {
                    return Err(Error::SessionExpired);
                };
                if user.banned {
                    return Err(Error::AccountBanned {
                        username: user.username,
                    });
                }
                Ok(self.install_login(
                    &user.username,
                    Some(user.id),
                    user.token.expose_secret(),
                    value,
                    &csrf,
                ))
            }
        }
    }

    /// `GET /session/` with the given session id, whatever login the client holds.
    pub(crate) async fn session_for(&self, session_id: &str) -> Result<Session> {
        if !is_cookie_safe(session_id) {
            return Err(Error::invalid(
                "session id",
                "it contains characters a cookie cannot carry",
            ));
        }
        let cookie = format!("scratchsessionsid=\"{session_id}\"; scratchlanguage=en");
        let spec = RequestSpec::get(Host::Site, "/session/")
            .header("X-Requested-With", "XMLHttpRequest")
            .header("Cookie", cookie);
        self.send_json(spec).await
    }
}

/// Whether `value` can be sent inside a quoted cookie value (RFC 6265 `cookie-octet`s).
pub(crate) fn is_cookie_safe(value: &str) -> bool {
    value
        .bytes()
        .all(|b| matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E))
}
