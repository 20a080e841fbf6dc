//! Reading the session's secrets on purpose: [`Client::session_secrets`].

use secrecy::SecretString;

use crate::client::Client;

/// The secrets of a logged-in session, for handing to another tool (a browser extension, a
/// script in another language). They stay in [`SecretString`]s: `Debug` shows `[REDACTED]`,
/// and reading one takes an explicit
/// [`ExposeSecret::expose_secret`](secrecy::ExposeSecret::expose_secret).
///
/// Anyone holding the session id is logged in as you until you log out.
#[non_exhaustive]
pub struct SessionSecrets {
    /// The account name (not secret).
    pub username: String,
    /// The `scratchsessionsid` cookie value.
    pub session_id: SecretString,
    /// The X-Token the api and the backpack take.
    pub x_token: SecretString,
}

impl std::fmt::Debug for SessionSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionSecrets")
            .field("username", &self.username)
            .field("session_id", &"[REDACTED]")
            .field("x_token", &"[REDACTED]")
            .finish()
    }
}

impl Client {
    /// The session id and X-Token of the current login, or `None` when logged out. Nothing is
    /// sent. This is the one documented way to get them out of a client; nothing in this crate
    /// logs or prints them.
    ///
    /// ```
    /// use scratchkit::secrecy::ExposeSecret;
    ///
    /// let client = scratchkit::Client::new();
    /// assert!(client.session_secrets().is_none());
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// if let Some(secrets) = client.session_secrets() {
    ///     // Hand it over on purpose, e.g. in a child process's environment.
    ///     let mut tool = std::process::Command::new("other-tool");
    ///     tool.env("OTHER_TOOL_SESSION", secrets.session_id.expose_secret());
    ///     println!("{secrets:?}"); // the secrets show as [REDACTED]
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn session_secrets(&self) -> Option<SessionSecrets> {
        self.auth_state().map(|state| SessionSecrets {
            username: state.username().to_owned(),
            session_id: SecretString::from(state.session_id().to_owned()),
            x_token: SecretString::from(state.x_token().to_owned()),
        })
    }
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use crate::client::AuthState;

    #[test]
    fn secrets_are_read_explicitly_and_never_debug_printed() {
        let client = crate::Client::new();
        assert!(client.session_secrets().is_none());
        client.set_auth(Some(AuthState::new(
            "alice",
            Some(1),
            "tok-S3CRET",
            "sid-S3CRET",
            "csrf",
        )));
        let secrets = client.session_secrets().expect("logged in");
        assert_eq!(secrets.username, "alice");
        assert_eq!(secrets.session_id.expose_secret(), "sid-S3CRET");
        assert_eq!(secrets.x_token.expose_secret(), "tok-S3CRET");
        let shown = format!("{secrets:?}");
        assert!(!shown.contains("S3CRET"), "{shown}");
    }
}
