//! Following users: [`UserHandler::follow`] and [`UserHandler::unfollow`].

use super::UserHandler;
use crate::error::Result;
use crate::hosts::Host;
use crate::request::{AuthMode, RequestSpec};
use crate::validate;

impl UserHandler {
    /// `PUT site /site-api/users/followers/<name>/<action>/?usernames=<me>`.
    async fn follow_call(&self, action: &str) -> Result<()> {
        let client = self.client();
        let (state, _) = client.me_for_path()?;
        let name = validate::segment(validate::username(self.name())?);
        let spec = RequestSpec::put(
            Host::Site,
            format!("/site-api/users/followers/{name}/{action}/"),
        )
        .query("usernames", state.username())
        .auth(AuthMode::Cookie)
        .header("Referer", client.site_page(&format!("/users/{name}/")));
        client.send_authed(spec).await.map(|_| ())
    }

    /// Follows this user.
    ///
    /// `PUT https://scratch.mit.edu/site-api/users/followers/<username>/add/?usernames=<me>`
    /// with the session cookie.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// client.user("griffpatch").follow().await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`](crate::Error::LoginRequired) when logged out and [`Error::InvalidInput`](crate::Error::InvalidInput) for a malformed
    /// name (nothing sent); any request error.
    pub async fn follow(&self) -> Result<()> {
        self.follow_call("add").await
    }

    /// Stops following this user.
    ///
    /// `PUT https://scratch.mit.edu/site-api/users/followers/<username>/remove/?usernames=<me>`.
    ///
    /// # Errors
    /// As [`UserHandler::follow`].
    pub async fn unfollow(&self) -> Result<()> {
        self.follow_call("remove").await
    }
}
