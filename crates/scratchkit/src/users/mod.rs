//! [`UserHandler`]: a user's profile and lists.

#[cfg(feature = "html")]
mod activity;
mod follow;
#[cfg(feature = "html")]
mod profile_page;
#[cfg(feature = "html")]
mod project_grid;
mod relations;

#[cfg(feature = "html")]
pub use activity::{
    ActivityEvent, ActivityKind, ActivityTarget, TargetKind, parse_relative_time,
    parse_user_activity,
};
#[cfg(feature = "html")]
pub use profile_page::{
    ProfileCount, ProfileCounts, ProfilePage, Rank, StudentClass, parse_profile_count,
    parse_profile_page,
};
#[cfg(feature = "html")]
pub use project_grid::{GridProject, parse_project_grid};

use scratchkit_model::{MessageCount, Project, SiteUserFeatured, Studio, User};

use crate::client::Client;
use crate::error::Result;
use crate::hosts::Host;
use crate::list::ListRequest;
use crate::request::{AuthMode, RequestSpec};
use crate::validate;

/// One user's profile and lists, from [`Client::user`].
///
/// Cheap to clone, `Send + Sync + 'static`: it holds a [`Client`] clone and the name.
#[derive(Debug, Clone)]
pub struct UserHandler {
    pub(crate) client: Client,
    pub(crate) name: String,
}

impl UserHandler {
    /// A handler sending with `client` (see the constructor on [`Client`]).
    pub(crate) fn new(client: Client, name: String) -> Self {
        Self { client, name }
    }

    /// The username as given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The client this handler sends with (for the calls in the files next to this one and in
    /// `comments`).
    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    /// The username, checked and encoded for a path segment.
    pub(crate) fn segment(&self) -> Result<String> {
        Ok(validate::segment(validate::username(&self.name)?))
    }

    /// `/users/<name><suffix>` on the api, the name checked.
    fn path(&self, suffix: &str) -> Result<String> {
        Ok(format!("/users/{}{suffix}", self.segment()?))
    }

    fn list<T>(&self, suffix: &str) -> ListRequest<T> {
        let spec = self.path(suffix).map(|p| RequestSpec::get(Host::Api, p));
        ListRequest::ready(self.client.clone(), spec)
    }

    pub(crate) fn info_spec(&self) -> Result<RequestSpec> {
        Ok(RequestSpec::get(Host::Api, self.path("")?))
    }

    pub(crate) fn message_count_spec(&self) -> Result<RequestSpec> {
        Ok(RequestSpec::get(Host::Api, self.path("/messages/count")?))
    }

    pub(crate) fn featured_project_spec(&self) -> Result<RequestSpec> {
        let name = validate::username(&self.name)?;
        let path = format!("/site-api/users/all/{}/", validate::segment(name));
        Ok(RequestSpec::get(Host::Site, path))
    }

    /// The user's profile.
    ///
    /// `GET https://api.scratch.mit.edu/users/<username>`
    ///
    /// # Errors
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for a malformed name (nothing sent),
    /// [`Error::NotFound`](crate::Error::NotFound) when there is no such user, else any
    /// request [`Error`](crate::Error).
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let user = scratchkit::Client::new().user("griffpatch").info().await?;
    /// println!("{}: {}", user.username, user.profile.bio);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn info(&self) -> Result<User> {
        self.client.send_json(self.info_spec()?).await
    }

    /// The user's shared projects, newest first.
    ///
    /// `GET https://api.scratch.mit.edu/users/<username>/projects?offset=&limit=`
    ///
    /// Items have the list shape: `author` carries no `username`.
    ///
    /// # Errors
    /// When awaited or streamed: as [`info`](UserHandler::info), plus a bad limit.
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let page = scratchkit::Client::new().user("griffpatch").projects().limit(10).await?;
    /// for project in page {
    ///     println!("{} {}", project.id, project.title);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn projects(&self) -> ListRequest<Project> {
        let spec = self
            .path("/projects")
            .map(|p| RequestSpec::get(Host::Api, p).auth(AuthMode::TokenIfLoggedIn));
        ListRequest::ready(self.client.clone(), spec)
    }

    /// The projects the user marked as favourites.
    ///
    /// `GET https://api.scratch.mit.edu/users/<username>/favorites?offset=&limit=`
    ///
    /// # Errors
    /// When awaited or streamed: as [`info`](UserHandler::info), plus a bad limit.
    pub fn favorites(&self) -> ListRequest<Project> {
        self.list("/favorites")
    }

    /// The users who follow this user.
    ///
    /// `GET https://api.scratch.mit.edu/users/<username>/followers?offset=&limit=`
    ///
    /// # Errors
    /// When awaited or streamed: as [`info`](UserHandler::info), plus a bad limit.
    pub fn followers(&self) -> ListRequest<User> {
        self.list("/followers")
    }

    /// The users this user follows.
    ///
    /// `GET https://api.scratch.mit.edu/users/<username>/following?offset=&limit=`
    ///
    /// # Errors
    /// When awaited or streamed: as [`info`](UserHandler::info), plus a bad limit.
    pub fn following(&self) -> ListRequest<User> {
        self.list("/following")
    }

    /// The studios the user curates (or manages).
    ///
    /// `GET https://api.scratch.mit.edu/users/<username>/studios/curate?offset=&limit=`
    ///
    /// # Errors
    /// When awaited or streamed: as [`info`](UserHandler::info), plus a bad limit.
    pub fn curated_studios(&self) -> ListRequest<Studio> {
        self.list("/studios/curate")
    }

    /// The number of unread messages of the user (public on Scratch).
    ///
    /// `GET https://api.scratch.mit.edu/users/<username>/messages/count`
    ///
    /// # Errors
    /// As [`info`](UserHandler::info).
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let unread = scratchkit::Client::new().user("mres").message_count().await?;
    /// println!("{unread} unread messages");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn message_count(&self) -> Result<u64> {
        let count: MessageCount = self.client.send_json(self.message_count_spec()?).await?;
        Ok(count.count)
    }

    /// The project featured on the user's profile (with its label), from the old site.
    ///
    /// `GET https://scratch.mit.edu/site-api/users/all/<username>/`
    ///
    /// # Errors
    /// As [`info`](UserHandler::info).
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let featured = scratchkit::Client::new().user("mres").featured_project().await?;
    /// if let Some(project) = featured.featured_project_data {
    ///     println!("{}: {}", featured.featured_project_label_name, project.title);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn featured_project(&self) -> Result<SiteUserFeatured> {
        self.client.send_json(self.featured_project_spec()?).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::test_support::{clients, get_url};

    #[test]
    fn single_calls() {
        for (client, api, site) in clients() {
            let h = client.user("mres");
            assert_eq!(h.name(), "mres");
            let req = client.build_request(&h.info_spec().unwrap()).unwrap();
            assert_eq!(get_url(&req), format!("{api}/users/mres"));
            let req = client
                .build_request(&h.message_count_spec().unwrap())
                .unwrap();
            assert_eq!(get_url(&req), format!("{api}/users/mres/messages/count"));
            let req = client
                .build_request(&h.featured_project_spec().unwrap())
                .unwrap();
            assert_eq!(get_url(&req), format!("{site}/site-api/users/all/mres/"));
        }
    }

    #[test]
    fn lists() {
        for (client, api, _) in clients() {
            let h = client.user("Scratch_Cat-1");
            let base = format!("{api}/users/Scratch_Cat-1");
            let req = h.projects().build().unwrap();
            assert_eq!(get_url(&req), format!("{base}/projects?offset=0&limit=20"));
            let req = h.favorites().limit(40).offset(80).build().unwrap();
            assert_eq!(
                get_url(&req),
                format!("{base}/favorites?offset=80&limit=40")
            );
            let req = h.followers().limit(1).build().unwrap();
            assert_eq!(get_url(&req), format!("{base}/followers?offset=0&limit=1"));
            let req = h.following().offset(3).build().unwrap();
            assert_eq!(get_url(&req), format!("{base}/following?offset=3&limit=20"));
            let req = h.curated_studios().build().unwrap();
            assert_eq!(
                get_url(&req),
                format!("{base}/studios/curate?offset=0&limit=20")
            );
        }
    }

    #[test]
    fn bad_names_and_limits_fail_before_sending() {
        let client = Client::new();
        for bad in ["", "a/b", "../x", "with space", "x".repeat(21).as_str()] {
            let h = client.user(bad);
            assert!(matches!(
                h.info_spec(),
                Err(Error::InvalidInput {
                    what: "username",
                    ..
                })
            ));
            assert!(matches!(
                h.projects().build(),
                Err(Error::InvalidInput {
                    what: "username",
                    ..
                })
            ));
            assert!(h.featured_project_spec().is_err());
        }
        let h = client.user("mres");
        for limit in [0, 41] {
            assert!(matches!(
                h.followers().limit(limit).build(),
                Err(Error::InvalidInput { what: "limit", .. })
            ));
        }
    }

    #[tokio::test]
    async fn invalid_input_is_returned_when_awaited() {
        // Port 9 (discard) is never contacted: validation fails first.
        let client = Client::sandbox("127.0.0.1:9".parse().unwrap());
        let err = client.user("no such user").info().await.unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidInput {
                what: "username",
                ..
            }
        ));
        let err = client.user("mres").projects().limit(41).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput { what: "limit", .. }));
        use futures_util::StreamExt;
        let items: Vec<_> = client.user("a b").followers().stream().collect().await;
        assert_eq!(items.len(), 1);
        assert!(matches!(items[0], Err(Error::InvalidInput { .. })));
    }

    #[test]
    fn handler_is_send_sync_static() {
        fn check<T: Send + Sync + 'static>(_: &T) {}
        let h = Client::new().user("mres");
        check(&h);
        let list = h.projects();
        fn check_send<T: Send + 'static>(_: &T) {}
        check_send(&list);
    }
}
