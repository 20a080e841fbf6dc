//! Logging in and out, the session, and saved sessions.
//!
//! * [`Client::login`]: password login (`POST scratch.mit.edu/login/`).
//! * [`Client::login_with_session_id`]: a `scratchsessionsid` pasted from a browser, decoded
//!   offline ([`decode_session_id`]), with `GET /session/` as the fallback.
//! * [`Client::session`], [`Client::logged_in_as`], [`Client::logout`].
//! * [`Client::session_secrets`]: the session id and X-Token, read on purpose (redacted in
//!   `Debug`), for another tool.
//! * [`Client::save_session`] / [`Client::restore_session`]: a session file readable only by
//!   its owner.
//!
//! The session id, X-Token and CSRF token are kept in redacting secret types and never logged.

mod login;
mod logout;
mod secrets;
mod session;
mod session_cookie;
mod session_file;

use scratchkit_model::UserId;

use crate::client::{AuthState, Client};
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::request::{AuthMode, RequestSpec, Response};

pub use secrets::SessionSecrets;
pub use session_cookie::{SessionIdInfo, decode_session_id};

/// The account a client is logged in as ([`Client::logged_in_as`]), as returned by the login calls.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Me {
    /// The account name, as Scratch spells it.
    pub username: String,
    /// The account's user id, when known (every login of this crate learns it).
    pub user_id: Option<UserId>,
}

/// The hosts that receive the session cookie: the site, the api (its `/proxy/*` routes need
/// it) and the project and asset stores. Never the backpack (token only) nor third parties.
const COOKIE_HOSTS: [Host; 4] = [Host::Site, Host::Api, Host::Projects, Host::Assets];

/// A fresh CSRF token: 32 random alphanumerics (Django's format; the double-submit check only
/// compares cookie and header).
pub(crate) fn new_csrf_token() -> String {
    use rand::Rng;
    use rand::distr::Alphanumeric;
    rand::rng()
        .sample_iter(Alphanumeric)
        .take(32)
        .map(char::from)
        .collect()
}

impl Client {
    /// Installs a login: the auth state and the cookies (`scratchsessionsid`, quoted as Scratch
    /// sets it, `scratchcsrftoken`, `scratchlanguage=en`) for the Scratch hosts that take them.
    /// Cookies of an earlier login are dropped.
    pub(crate) fn install_login(
        &self,
        username: &str,
        user_id: Option<UserId>,
        x_token: &str,
        session_id: &str,
        csrf: &str,
    ) -> Me {
        let value = session_cookie::normalize_session_id(session_id);
        let quoted = format!("\"{value}\"");
        {
            let mut store = self.cookies().lock().unwrap_or_else(|e| e.into_inner());
            store.clear();
            for host in COOKIE_HOSTS {
                let url = self.hosts().url(host, "/");
                for cookie in [
                    format!("scratchsessionsid={quoted}; Path=/"),
                    format!("scratchcsrftoken={csrf}; Path=/"),
                    "scratchlanguage=en; Path=/".to_owned(),
                ] {
                    // A refusal only means this host cannot take cookies (never the case for
                    // http(s) URLs); the value itself is never logged.
                    if store.parse(&cookie, &url).is_err() {
                        tracing::warn!(host = ?host, "could not store a login cookie");
                    }
                }
            }
        }
        self.set_auth(Some(AuthState::new(
            username,
            user_id.map(UserId::get),
            x_token,
            quoted,
            csrf,
        )));
        tracing::debug!(username, "logged in");
        Me {
            username: username.to_owned(),
            user_id,
        }
    }

    /// Forgets the login and every cookie.
    pub(crate) fn clear_login(&self) {
        self.set_auth(None);
        self.cookies()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// The account the client is logged in as, or `None` when logged out. Makes no request.
    ///
    /// The login may since have been rejected by Scratch; calls then fail with
    /// [`Error::SessionExpired`].
    ///
    /// ```
    /// let client = scratchkit::Client::new();
    /// assert!(client.logged_in_as().is_none());
    /// ```
    pub fn logged_in_as(&self) -> Option<Me> {
        self.auth_state().map(|state| Me {
            username: state.username().to_owned(),
            user_id: state.user_id().map(UserId),
        })
    }

    /// Sends an authenticated request. A 401, or a redirect to the login page, means Scratch
    /// rejected the session: it is marked expired and [`Error::SessionExpired`] is returned
    /// (later calls then fail without sending). A redirect to the account-blocked page becomes
    /// [`Error::AccountBanned`].
    ///
    /// # Errors
    /// See [`Error`].
    pub(crate) async fn send_authed(&self, spec: RequestSpec) -> Result<Response> {
        let authed = matches!(
            spec.auth,
            AuthMode::Token | AuthMode::Cookie | AuthMode::Both
        );
        let state = if authed {
            Some(self.require_auth()?)
        } else {
            None
        };
        match self.send(spec).await {
            Err(Error::Unauthorized { .. }) if authed => {
                if let Some(state) = &state {
                    state.mark_expired();
                    tracing::warn!(
                        username = state.username(),
                        "Scratch rejected the session; log in again"
                    );
                }
                Err(Error::SessionExpired)
            }
            Err(Error::Forbidden {
                code: Some(code), ..
            }) if code == "AccountBlocked" => Err(Error::AccountBanned {
                username: state
                    .as_ref()
                    .map(|s| s.username().to_owned())
                    .unwrap_or_default(),
            }),
            other => other,
        }
    }

    /// [`Client::send_authed`], then the JSON body decoded into `T`.
    pub(crate) async fn send_authed_json<T: serde::de::DeserializeOwned>(
        &self,
        spec: RequestSpec,
    ) -> Result<T> {
        self.send_authed(spec).await?.json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_tokens_are_django_shaped_and_random() {
        let a = new_csrf_token();
        let b = new_csrf_token();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }

    #[test]
    fn install_sets_cookies_for_scratch_hosts_but_not_the_backpack() {
        let client = Client::new();
        let me = client.install_login("griffpatch", Some(UserId(7)), "tok", "\"sess\"", "c1");
        assert_eq!(me.username, "griffpatch");
        assert_eq!(client.logged_in_as(), Some(me));
        let store = client.cookies().lock().unwrap();
        let values = |host: Host| -> Vec<(String, String)> {
            store
                .get_request_values(&client.hosts().url(host, "/x"))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect()
        };
        for host in COOKIE_HOSTS {
            let v = values(host);
            assert!(
                v.contains(&("scratchsessionsid".into(), "\"sess\"".into())),
                "{host:?}: {v:?}"
            );
            assert!(v.contains(&("scratchcsrftoken".into(), "c1".into())));
        }
        assert!(values(Host::Backpack).is_empty());
        assert!(values(Host::Ocular).is_empty());
        drop(store);
        client.clear_login();
        assert!(client.logged_in_as().is_none());
        assert!(values_empty(&client));
    }

    fn values_empty(client: &Client) -> bool {
        let store = client.cookies().lock().unwrap();
        store
            .get_request_values(&client.hosts().url(Host::Site, "/"))
            .next()
            .is_none()
    }
}
