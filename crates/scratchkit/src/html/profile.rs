//! [`ProfileHandler`]: one user's old-site profile (comments, page, counts, activity).

use crate::client::Client;
use crate::error::Result;
use crate::hosts::Host;
use crate::users::UserHandler;
use crate::validate;

impl UserHandler {
    /// The user's old-site profile (comments, rank, class, counts, activity): the same as
    /// [`Client::profile`] with this user's name.
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let client = scratchkit::Client::new();
    /// let comments = client.user("mres").profile().comments_page(1).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn profile(&self) -> ProfileHandler {
        self.client().profile(self.name())
    }
}

impl Client {
    /// A handler for the old-site profile of `username`: profile comments, the profile page
    /// (rank, class), the follower/project counts and the activity feed. Nothing is sent yet.
    ///
    /// The name is checked when a call is awaited (1 to 20 letters, digits, `_` or `-`), else
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) and nothing is sent.
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let client = scratchkit::Client::new();
    /// let page = client.profile("mres").page().await?;
    /// println!("{:?} is {:?}", page.username, page.rank);
    /// # Ok(())
    /// # }
    /// ```
    pub fn profile(&self, username: impl Into<String>) -> ProfileHandler {
        ProfileHandler {
            client: self.clone(),
            name: username.into(),
        }
    }
}

/// One user's old-site profile, from [`Client::profile`].
///
/// Cheap to clone, `Send + Sync + 'static`.
#[derive(Debug, Clone)]
pub struct ProfileHandler {
    pub(crate) client: Client,
    pub(crate) name: String,
}

impl ProfileHandler {
    /// The username as given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The username, checked and encoded for a path segment.
    pub(crate) fn segment(&self) -> Result<String> {
        Ok(validate::segment(validate::username(&self.name)?))
    }

    /// `https://scratch.mit.edu/users/<name>/` (used as the `Referer` of writes).
    pub(crate) fn page_url(&self) -> Result<String> {
        let path = format!("/users/{}/", self.segment()?);
        Ok(self.client.hosts().url(Host::Site, &path).to_string())
    }
}
