//! [`Client::logout`]: `POST scratch.mit.edu/accounts/logout/`.

use crate::client::Client;
use crate::error::Result;
use crate::hosts::Host;
use crate::request::{AuthMode, RequestSpec};

impl Client {
    /// Logs out: ends the session on Scratch, then forgets the login and every cookie.
    ///
    /// `POST https://scratch.mit.edu/accounts/logout/` with the session cookie, the CSRF header
    /// and the form field `csrfmiddlewaretoken`. The local login is forgotten even when the
    /// request fails. Logged out already, this does nothing.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// client.logout().await?;
    /// assert!(client.logged_in_as().is_none());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// A transport error (timeout, connection) when Scratch could not be told; the local
    /// login is gone anyway.
    pub async fn logout(&self) -> Result<()> {
        let Some(state) = self.auth_state() else {
            return Ok(());
        };
        let result = if state.is_expired() {
            Ok(())
        } else {
            let spec = RequestSpec::post(Host::Site, "/accounts/logout/")
                .auth(AuthMode::Cookie)
                .form(vec![(
                    "csrfmiddlewaretoken".to_owned(),
                    state.csrf().to_owned(),
                )]);
            // Any answer means Scratch was told: the success is a redirect to the home page
            // (whatever that answers), and a session it had already ended is no error either.
            self.execute(spec).await.map(|_| ())
        };
        self.clear_login();
        tracing::debug!(username = state.username(), "logged out");
        result
    }
}
