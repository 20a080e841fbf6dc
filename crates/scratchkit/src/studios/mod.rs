//! [`StudioHandler`]: a studio's details, projects, members, comments and activity.

mod writes;

use scratchkit_model::{
    Activity, Comment, CommentId, Studio, StudioId, StudioProject, Timestamp, User,
};

use crate::client::Client;
use crate::error::Result;
use crate::hosts::Host;
use crate::list::{ListRequest, Offset, Source};
use crate::request::RequestSpec;

/// One studio, from [`Client::studio`]. Cheap to clone, `Send + Sync + 'static`.
#[derive(Debug, Clone)]
pub struct StudioHandler {
    client: Client,
    id: StudioId,
}

impl StudioHandler {
    /// A handler sending with `client` (see the constructor on [`Client`]).
    pub(crate) fn new(client: Client, id: StudioId) -> Self {
        Self { client, id }
    }

    /// The studio's ID.
    pub fn id(&self) -> StudioId {
        self.id
    }

    /// The client this handler sends with (for the calls in the files next to this one and in
    /// `comments`).
    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    fn spec(&self, suffix: &str) -> RequestSpec {
        RequestSpec::get(Host::Api, format!("/studios/{}{suffix}", self.id))
    }

    fn list<T>(&self, suffix: &str) -> ListRequest<T> {
        ListRequest::ready(self.client.clone(), Ok(self.spec(suffix)))
    }

    pub(crate) fn info_spec(&self) -> RequestSpec {
        self.spec("")
    }

    pub(crate) fn comment_spec(&self, comment: CommentId) -> RequestSpec {
        self.spec(&format!("/comments/{comment}"))
    }

    /// The studio.
    ///
    /// `GET https://api.scratch.mit.edu/studios/<id>`
    ///
    /// # Errors
    /// [`Error::NotFound`](crate::Error::NotFound) for an unknown studio, else any request
    /// [`Error`](crate::Error).
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let studio = scratchkit::Client::new().studio(5342u64).info().await?;
    /// println!("{}: {}", studio.title, studio.description);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn info(&self) -> Result<Studio> {
        self.client.send_json(self.info_spec()).await
    }

    /// The projects in the studio, most recently added first.
    ///
    /// `GET https://api.scratch.mit.edu/studios/<id>/projects?offset=&limit=`
    ///
    /// # Errors
    /// When awaited or streamed: a bad limit, or as [`info`](StudioHandler::info).
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let page = scratchkit::Client::new().studio(5342u64).projects().limit(40).await?;
    /// for item in page {
    ///     println!("{} by {}", item.title, item.username);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn projects(&self) -> ListRequest<StudioProject> {
        self.list("/projects")
    }

    /// The studio's curators.
    ///
    /// `GET https://api.scratch.mit.edu/studios/<id>/curators?offset=&limit=`
    ///
    /// # Errors
    /// When awaited or streamed: a bad limit, or as [`info`](StudioHandler::info).
    pub fn curators(&self) -> ListRequest<User> {
        self.list("/curators")
    }

    /// The studio's managers (the host first).
    ///
    /// `GET https://api.scratch.mit.edu/studios/<id>/managers?offset=&limit=`
    ///
    /// # Errors
    /// When awaited or streamed: a bad limit, or as [`info`](StudioHandler::info).
    pub fn managers(&self) -> ListRequest<User> {
        self.list("/managers")
    }

    /// [`CommentsHandler::list`](crate::CommentsHandler::list) for this studio.
    pub(crate) fn comment_list(&self) -> ListRequest<Comment> {
        self.list("/comments")
    }

    /// [`CommentsHandler::get`](crate::CommentsHandler::get) for this studio.
    pub(crate) async fn comment_get(&self, id: impl Into<CommentId>) -> Result<Comment> {
        self.client.send_json(self.comment_spec(id.into())).await
    }

    /// [`CommentsHandler::replies`](crate::CommentsHandler::replies) for this studio.
    pub(crate) fn comment_replies(&self, comment: impl Into<CommentId>) -> ListRequest<Comment> {
        self.list(&format!("/comments/{}/replies", comment.into()))
    }

    /// The studio's activity (projects added, curators joined…), newest first; with
    /// [`date_limit`](ActivityRequest::date_limit), only what happened before a date.
    ///
    /// `GET https://api.scratch.mit.edu/studios/<id>/activity?dateLimit=&offset=&limit=`
    ///
    /// # Errors
    /// When awaited or streamed: a bad limit, or as [`info`](StudioHandler::info).
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// use scratchkit::model::Timestamp;
    ///
    /// let before: Timestamp = "2024-01-01T00:00:00.000Z".parse().expect("a valid date");
    /// let page = scratchkit::Client::new().studio(5342u64).activity().date_limit(before).await?;
    /// for item in page {
    ///     println!("{:?} by {}", item.kind, item.actor_username);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn activity(&self) -> ActivityRequest {
        ListRequest::with_options(
            self.client.clone(),
            Source::Offset(Offset::Ready(Ok(self.spec("/activity")))),
            ActivityQuery::default(),
            ActivityQuery::apply,
        )
    }
}

/// A studio's activity list, from [`StudioHandler::activity`]: a [`ListRequest`] with the
/// option of [`ActivityQuery`], [`date_limit`](ListRequest::date_limit).
pub type ActivityRequest = ListRequest<Activity, ActivityQuery>;

/// The query parameter of a studio's activity list (`dateLimit`), set with
/// [`date_limit`](ListRequest::date_limit) (see [`StudioHandler::activity`] for an example).
#[derive(Debug, Clone, Default)]
pub struct ActivityQuery {
    date_limit: Option<Timestamp>,
}

impl ActivityQuery {
    /// Adds `dateLimit` to `spec` when set.
    fn apply(&self, spec: RequestSpec) -> Result<RequestSpec> {
        Ok(match self.date_limit {
            Some(before) => spec.query("dateLimit", before.to_api_string()),
            None => spec,
        })
    }
}

impl ListRequest<Activity, ActivityQuery> {
    /// Only items from before this moment (`dateLimit`).
    pub fn date_limit(mut self, before: Timestamp) -> Self {
        self.options_mut().date_limit = Some(before);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::test_support::{clients, get_url};

    #[test]
    fn every_request() {
        for (client, api, _) in clients() {
            let h = client.studio(5342u64);
            assert_eq!(h.id(), StudioId(5342));
            let base = format!("{api}/studios/5342");
            let req = client.build_request(&h.info_spec()).unwrap();
            assert_eq!(get_url(&req), base);
            let req = client
                .build_request(&h.comment_spec(CommentId(12)))
                .unwrap();
            assert_eq!(get_url(&req), format!("{base}/comments/12"));
            let cases = [
                (h.projects().build(), "projects?offset=0&limit=20"),
                (h.curators().limit(40).build(), "curators?offset=0&limit=40"),
                (h.managers().offset(2).build(), "managers?offset=2&limit=20"),
                (h.comments().list().build(), "comments?offset=0&limit=20"),
                (
                    h.comments().replies(12u64).limit(3).build(),
                    "comments/12/replies?offset=0&limit=3",
                ),
                (h.activity().build(), "activity?offset=0&limit=20"),
            ];
            for (req, tail) in cases {
                assert_eq!(get_url(&req.unwrap()), format!("{base}/{tail}"));
            }
            let before: Timestamp = "2024-05-06T07:08:09.000Z".parse().unwrap();
            let req = h.activity().date_limit(before).limit(40).build().unwrap();
            assert_eq!(
                get_url(&req),
                format!("{base}/activity?dateLimit=2024-05-06T07%3A08%3A09.000Z&offset=0&limit=40")
            );
        }
    }

    #[test]
    fn activity_checks_its_limit() {
        let h = Client::new().studio(1u64);
        assert!(matches!(
            h.activity().limit(41).build(),
            Err(Error::InvalidInput { what: "limit", .. })
        ));
        let r = h.activity().max(7).offset(3).page_request();
        assert_eq!((r.max, r.offset), (Some(7), 3));
    }
}
