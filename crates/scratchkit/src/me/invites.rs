//! Your pending Scratcher invite: [`MeHandler::scratcher_invite`].

use scratchkit_model::{Timestamp, User, UserId};
use serde::{Deserialize, Serialize};

use super::MeHandler;
use crate::error::Result;
use crate::hosts::Host;
use crate::request::{AuthMode, RequestSpec};

/// A pending invitation to become a Scratcher (`GET /users/<me>/invites`).
///
/// The live answer's shape is unrecorded; these are the fields the sandbox serves and
/// scratchattach reads as a plain dictionary, all optional but `id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScratcherInvite {
    /// The invite's id.
    pub id: u64,
    /// When it was made.
    #[serde(default)]
    pub datetime_created: Option<Timestamp>,
    /// Who made it (the Scratch Team), when given.
    #[serde(default)]
    pub actor: Option<User>,
    /// The invited account, when given.
    #[serde(default)]
    pub invitee_id: Option<UserId>,
}

impl MeHandler {
    /// Your pending Scratcher invite, or `None` (Scratch answers `{}` when there is none).
    /// Accept one with [`accept_scratcher_invite`](MeHandler::accept_scratcher_invite).
    ///
    /// `GET https://api.scratch.mit.edu/users/<me>/invites` with the X-Token.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// match client.me().scratcher_invite().await? {
    ///     Some(invite) => println!("invited (invite {})", invite.id),
    ///     None => println!("no invite"),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`](crate::Error::LoginRequired) when logged out (nothing sent);
    /// [`Error::Decode`](crate::Error::Decode) for an unexpected answer; any request error.
    pub async fn scratcher_invite(&self) -> Result<Option<ScratcherInvite>> {
        let (_, me) = self.client.me_for_path()?;
        let spec =
            RequestSpec::get(Host::Api, format!("/users/{me}/invites")).auth(AuthMode::Token);
        let value: serde_json::Value = self.client.send_json(spec.clone()).await?;
        if value.as_object().is_some_and(|o| o.is_empty()) {
            return Ok(None);
        }
        let url = self.client.hosts().url(spec.host, &spec.path).to_string();
        let bytes = serde_json::to_vec(&value).unwrap_or_default();
        crate::request::decode_json(&bytes, &url).map(Some)
    }

    /// Accepts your pending Scratcher invite: the account becomes a Scratcher.
    ///
    /// `GET https://scratch.mit.edu/users/<me>/promote-to-scratcher/` with the session
    /// cookie and the X-Token (the host is unclear in the peers' sources; the sandbox answers
    /// on both).
    ///
    /// # Errors
    /// [`Error::LoginRequired`](crate::Error::LoginRequired) when logged out (nothing sent);
    /// [`Error::Forbidden`](crate::Error::Forbidden) when there is no pending invite; any
    /// request error.
    pub async fn accept_scratcher_invite(&self) -> Result<()> {
        let (_, me) = self.client.me_for_path()?;
        let spec = RequestSpec::get(Host::Site, format!("/users/{me}/promote-to-scratcher/"))
            .auth(AuthMode::Both);
        self.client.send_authed(spec).await.map(|_| ())
    }
}
