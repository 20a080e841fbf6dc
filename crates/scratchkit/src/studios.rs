//! [`StudioHandler`]: a studio's details, projects, members, comments and activity.

use std::future::IntoFuture;

use futures_util::Stream;
use futures_util::future::BoxFuture;
use scratchkit_model::{
    Activity, Comment, CommentId, Studio, StudioId, StudioProject, Timestamp, User,
};

use crate::client::Client;
use crate::error::Result;
use crate::hosts::Host;
use crate::list::ListRequest;
use crate::page::{Page, PageRequest};
use crate::request::RequestSpec;

impl Client {
    /// A handler for the studio `id` (nothing is sent yet).
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let client = scratchkit::Client::new();
    /// let studio = client.studio(5342u64).info().await?;
    /// println!("{} ({} projects)", studio.title, studio.stats.projects);
    /// # Ok(())
    /// # }
    /// ```
    pub fn studio(&self, id: impl Into<StudioId>) -> StudioHandler {
        StudioHandler {
            client: self.clone(),
            id: id.into(),
        }
    }
}

/// One studio, from [`Client::studio`]. Cheap to clone, `Send + Sync + 'static`.
#[derive(Debug, Clone)]
pub struct StudioHandler {
    client: Client,
    id: StudioId,
}

impl StudioHandler {
    /// The studio's ID.
    pub fn id(&self) -> StudioId {
        self.id
    }

    /// The client this handler sends with (for the write actions in `actions/`).
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

    /// The studio's top-level comments, newest first.
    ///
    /// `GET https://api.scratch.mit.edu/studios/<id>/comments?offset=&limit=`
    ///
    /// # Errors
    /// When awaited or streamed: a bad limit, or as [`info`](StudioHandler::info).
    pub fn comments(&self) -> ListRequest<Comment> {
        self.list("/comments")
    }

    /// One comment (top-level or reply).
    ///
    /// `GET https://api.scratch.mit.edu/studios/<id>/comments/<comment>`
    ///
    /// # Errors
    /// [`Error::NotFound`](crate::Error::NotFound) for an unknown studio or comment, else any
    /// request [`Error`](crate::Error).
    pub async fn comment(&self, id: impl Into<CommentId>) -> Result<Comment> {
        self.client.send_json(self.comment_spec(id.into())).await
    }

    /// The replies to a top-level comment, oldest first.
    ///
    /// `GET https://api.scratch.mit.edu/studios/<id>/comments/<comment>/replies?offset=&limit=`
    ///
    /// # Errors
    /// When awaited or streamed: a bad limit, or as [`comment`](StudioHandler::comment).
    pub fn replies(&self, comment: impl Into<CommentId>) -> ListRequest<Comment> {
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
        ActivityRequest {
            client: self.client.clone(),
            spec: self.spec("/activity"),
            date_limit: None,
            page: PageRequest::new(),
        }
    }
}

/// A studio's activity list, from [`StudioHandler::activity`]: the options of a
/// [`ListRequest`] plus [`date_limit`](ActivityRequest::date_limit).
#[derive(Debug)]
#[must_use = "a list request does nothing until it is awaited or streamed"]
pub struct ActivityRequest {
    client: Client,
    spec: RequestSpec,
    date_limit: Option<Timestamp>,
    page: PageRequest,
}

impl ActivityRequest {
    /// Only items from before this moment (`dateLimit`).
    pub fn date_limit(mut self, before: Timestamp) -> Self {
        self.date_limit = Some(before);
        self
    }

    /// Items per page: 1 to 40 (default 20); checked when awaited.
    pub fn limit(mut self, n: u32) -> Self {
        self.page = self.page.limit(n);
        self
    }

    /// Where to start in the list.
    pub fn offset(mut self, n: u32) -> Self {
        self.page = self.page.offset(n);
        self
    }

    /// At most how many items [`stream`](ActivityRequest::stream) yields.
    pub fn max(mut self, n: usize) -> Self {
        self.page = self.page.max(n);
        self
    }

    fn into_list(self) -> ListRequest<Activity> {
        let mut spec = self.spec;
        if let Some(before) = self.date_limit {
            spec = spec.query("dateLimit", before.to_api_string());
        }
        let mut list = ListRequest::ready(self.client, Ok(spec))
            .limit(self.page.get_limit())
            .offset(self.page.get_offset());
        if let Some(max) = self.page.get_max() {
            list = list.max(max);
        }
        list
    }

    /// Every item, 40 per request, at most [`max`](ActivityRequest::max); see
    /// [`ListRequest::stream`].
    pub fn stream(self) -> impl Stream<Item = Result<Activity>> + Send + 'static {
        self.into_list().stream()
    }

    #[cfg(test)]
    pub(crate) fn build(self) -> Result<crate::transport::Outgoing> {
        self.into_list().build()
    }
}

impl IntoFuture for ActivityRequest {
    type Output = Result<Page<Activity>>;
    type IntoFuture = BoxFuture<'static, Result<Page<Activity>>>;

    fn into_future(self) -> Self::IntoFuture {
        self.into_list().into_future()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::hosts::Hosts;
    use http::Method;

    fn clients() -> [(Client, &'static str); 2] {
        [
            (Client::new(), "https://api.scratch.mit.edu"),
            (
                Client::builder()
                    .hosts(Hosts::sandbox("127.0.0.1:4000".parse().unwrap()))
                    .build()
                    .unwrap(),
                "http://127.0.0.1:4000/api",
            ),
        ]
    }

    fn url(req: &crate::transport::Outgoing) -> String {
        assert_eq!(req.method(), Method::GET);
        req.url().to_string()
    }

    #[test]
    fn every_request() {
        for (client, api) in clients() {
            let h = client.studio(5342u64);
            assert_eq!(h.id(), StudioId(5342));
            let base = format!("{api}/studios/5342");
            let req = client.build_request(&h.info_spec()).unwrap();
            assert_eq!(url(&req), base);
            let req = client
                .build_request(&h.comment_spec(CommentId(12)))
                .unwrap();
            assert_eq!(url(&req), format!("{base}/comments/12"));
            let cases = [
                (h.projects().build(), "projects?offset=0&limit=20"),
                (h.curators().limit(40).build(), "curators?offset=0&limit=40"),
                (h.managers().offset(2).build(), "managers?offset=2&limit=20"),
                (h.comments().build(), "comments?offset=0&limit=20"),
                (
                    h.replies(12u64).limit(3).build(),
                    "comments/12/replies?offset=0&limit=3",
                ),
                (h.activity().build(), "activity?offset=0&limit=20"),
            ];
            for (req, tail) in cases {
                assert_eq!(url(&req.unwrap()), format!("{base}/{tail}"));
            }
            let before: Timestamp = "2024-05-06T07:08:09.000Z".parse().unwrap();
            let req = h.activity().date_limit(before).limit(40).build().unwrap();
            assert_eq!(
                url(&req),
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
        let r = h.activity().max(7).offset(3).into_list().page_request();
        assert_eq!((r.get_max(), r.get_offset()), (Some(7), 3));
    }
}
