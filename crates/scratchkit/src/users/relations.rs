//! Questions about one user that the API answers only through lists: one of their projects by
//! its author path, and whether they follow (or are followed by) someone.

use futures_util::StreamExt;
use scratchkit_model::{Project, ProjectId};

use super::UserHandler;
use crate::error::Result;
use crate::hosts::Host;
use crate::list::ListRequest;
use crate::request::{AuthMode, RequestSpec};
use crate::validate;

/// Whether `name` is in the users of `list` (case-insensitive, like Scratch's names), reading
/// the list 40 at a time and stopping at the first match.
async fn list_has(list: ListRequest<scratchkit_model::User>, name: &str) -> Result<bool> {
    let name = validate::username(name)?.to_owned();
    let mut stream = std::pin::pin!(list.stream());
    while let Some(user) = stream.next().await {
        if user?.username.eq_ignore_ascii_case(&name) {
            return Ok(true);
        }
    }
    Ok(false)
}

impl UserHandler {
    /// One of this user's projects, through the author's path. Like
    /// [`ProjectHandler::info`](crate::ProjectHandler::info), it carries the login when there
    /// is one, so the owner reads their unshared projects.
    ///
    /// `GET https://api.scratch.mit.edu/users/<username>/projects/<id>`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let p = client.user("mres").project(142u64).await?;
    /// println!("{} by {:?}", p.title, p.author.username);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::NotFound`](crate::Error::NotFound) when the project does not exist, is not
    /// this user's, or is unshared and not yours; [`Error::InvalidInput`](crate::Error::InvalidInput)
    /// for a malformed name; any request error.
    pub async fn project(&self, id: impl Into<ProjectId>) -> Result<Project> {
        let id = id.into();
        let spec = RequestSpec::get(
            Host::Api,
            format!("/users/{}/projects/{id}", self.segment()?),
        )
        .auth(AuthMode::TokenIfLoggedIn);
        self.client().send_json(spec).await
    }

    /// Whether this user follows `other`: reads whom this user follows until `other` is found
    /// (one request per 40 users; the API has no direct question).
    ///
    /// `GET https://api.scratch.mit.edu/users/<username>/following?offset=&limit=40`…
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// if client.user("griffpatch").is_following("mres").await? {
    ///     println!("griffpatch follows mres");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for a malformed name (nothing sent),
    /// [`Error::NotFound`](crate::Error::NotFound) for an unknown user, any request error.
    pub async fn is_following(&self, other: &str) -> Result<bool> {
        list_has(self.following(), other).await
    }

    /// Whether `other` follows this user: reads this user's followers until `other` is found.
    ///
    /// `GET https://api.scratch.mit.edu/users/<username>/followers?offset=&limit=40`…
    ///
    /// # Errors
    /// As [`is_following`](UserHandler::is_following).
    pub async fn is_followed_by(&self, other: &str) -> Result<bool> {
        list_has(self.followers(), other).await
    }
}
