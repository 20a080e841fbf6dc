//! [`ProjectHandler`]: a project's details, remixes, studios and comments.

pub(crate) mod files;
#[cfg(feature = "html")]
mod nfe;
mod writes;

#[cfg(feature = "html")]
pub use nfe::NfeStatus;

use std::sync::Arc;

use futures_util::FutureExt;
use scratchkit_model::{Comment, CommentId, Project, ProjectId, Studio};
use tokio::sync::OnceCell;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::list::{ListRequest, Offset, Source};
use crate::request::{AuthMode, RequestSpec};
use crate::validate;

/// One project, from [`Client::project`].
///
/// Cheap to clone, `Send + Sync + 'static`. Comment and studio lists live under the author's
/// path (`/users/<author>/projects/<id>/…`): give the author with [`by`](ProjectHandler::by)
/// when known, otherwise the handler fetches `GET /projects/<id>` once to learn it and keeps it
/// (clones share what was learnt; [`info`](ProjectHandler::info) fills it too).
#[derive(Debug, Clone)]
pub struct ProjectHandler {
    client: Client,
    id: ProjectId,
    author: Arc<OnceCell<String>>,
}

/// `/users/<author>/projects/<id><suffix>`, the author checked.
fn author_path(author: &str, id: ProjectId, suffix: &str) -> Result<String> {
    let author = validate::username(author)?;
    Ok(format!(
        "/users/{}/projects/{id}{suffix}",
        validate::segment(author)
    ))
}

impl ProjectHandler {
    /// A handler sending with `client` (see the constructor on [`Client`]).
    pub(crate) fn new(client: Client, id: ProjectId) -> Self {
        Self {
            client,
            id,
            author: Arc::new(OnceCell::new()),
        }
    }

    /// The project's ID.
    pub fn id(&self) -> ProjectId {
        self.id
    }

    /// The client this handler sends with (for the calls in `writes.rs`, `files/` and `nfe.rs`).
    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    /// The same handler with the author's username known, which saves the lookup the comment
    /// and studio lists need. The name is checked when a call is awaited.
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let client = scratchkit::Client::new();
    /// // GET https://api.scratch.mit.edu/users/mres/projects/142/comments?offset=0&limit=20
    /// let comments = client.project(142u64).by("mres").comments().list().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn by(self, author: impl Into<String>) -> Self {
        Self {
            author: Arc::new(OnceCell::new_with(Some(author.into()))),
            ..self
        }
    }

    /// The author's username, when already known (given with [`by`](ProjectHandler::by) or
    /// learnt by an earlier call).
    pub fn author(&self) -> Option<&str> {
        self.author.get().map(String::as_str)
    }

    pub(crate) fn info_spec(&self) -> RequestSpec {
        RequestSpec::get(Host::Api, format!("/projects/{}", self.id))
            .auth(AuthMode::TokenIfLoggedIn)
    }

    /// The project, with its `project_token` (needed to download an unshared project's
    /// contents; it expires within minutes). When logged in, the login is sent, so that owners
    /// can read their unshared projects.
    ///
    /// `GET https://api.scratch.mit.edu/projects/<id>`
    ///
    /// # Errors
    /// [`Error::NotFound`] for a project that does not exist or is not shared (and not
    /// yours), else any request [`Error`].
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let project = scratchkit::Client::new().project(104u64).info().await?;
    /// println!("{} loves, token {:?}", project.stats.loves, project.project_token.is_some());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn info(&self) -> Result<Project> {
        let project: Project = self.client.send_json(self.info_spec()).await?;
        if let Some(name) = &project.author.username {
            // Only fails when already set, and then the value is the same project's author.
            let _ = self.author.set(name.clone());
        }
        Ok(project)
    }

    /// The author's username: known, or learnt with one `GET /projects/<id>`.
    async fn resolve_author(&self) -> Result<String> {
        let name = self
            .author
            .get_or_try_init(|| async {
                let spec = self.info_spec();
                let url = self.client.hosts().url(spec.host, &spec.path).to_string();
                let project: Project = self.client.send_json(spec).await?;
                project.author.username.ok_or(Error::Decode {
                    url,
                    path: "author.username".into(),
                    message: "the project's author has no username; give it with `.by(author)`"
                        .into(),
                    snippet: String::new(),
                    source: None,
                })
            })
            .await?;
        Ok(name.clone())
    }

    /// A list under the author's path: ready when the author is known, else after the lookup.
    /// The login goes along when there is one (the owner reads an unshared project's lists).
    fn author_list<T>(&self, suffix: String) -> ListRequest<T> {
        let source = match self.author.get() {
            Some(author) => Source::Offset(Offset::Ready(
                author_path(author, self.id, &suffix)
                    .map(|p| RequestSpec::get(Host::Api, p).auth(AuthMode::TokenIfLoggedIn)),
            )),
            None => {
                let this = self.clone();
                Source::Offset(Offset::Lazy(Box::new(move || {
                    async move {
                        let author = this.resolve_author().await?;
                        let path = author_path(&author, this.id, &suffix)?;
                        Ok(RequestSpec::get(Host::Api, path).auth(AuthMode::TokenIfLoggedIn))
                    }
                    .boxed()
                })))
            }
        };
        ListRequest::new(self.client.clone(), source)
    }

    /// The remixes of this project.
    ///
    /// `GET https://api.scratch.mit.edu/projects/<id>/remixes?offset=&limit=`
    ///
    /// # Errors
    /// When awaited or streamed: a bad limit, [`Error::NotFound`], or any request [`Error`].
    pub fn remixes(&self) -> ListRequest<Project> {
        let spec = RequestSpec::get(Host::Api, format!("/projects/{}/remixes", self.id));
        ListRequest::ready(self.client.clone(), Ok(spec))
    }

    /// The studios this project is in. Needs the author (see [`by`](ProjectHandler::by)).
    ///
    /// `GET https://api.scratch.mit.edu/users/<author>/projects/<id>/studios?offset=&limit=`
    ///
    /// # Errors
    /// When awaited or streamed: as [`comments`](ProjectHandler::comments).
    pub fn studios(&self) -> ListRequest<Studio> {
        self.author_list("/studios".into())
    }

    /// [`CommentsHandler::list`](crate::CommentsHandler::list) for this project.
    pub(crate) fn comment_list(&self) -> ListRequest<Comment> {
        self.author_list("/comments".into())
    }

    pub(crate) fn comment_spec(
        author: &str,
        id: ProjectId,
        comment: CommentId,
    ) -> Result<RequestSpec> {
        let path = author_path(author, id, &format!("/comments/{comment}"))?;
        Ok(RequestSpec::get(Host::Api, path))
    }

    /// [`CommentsHandler::get`](crate::CommentsHandler::get) for this project.
    pub(crate) async fn comment_get(&self, id: impl Into<CommentId>) -> Result<Comment> {
        let comment = id.into();
        let author = self.resolve_author().await?;
        let spec = Self::comment_spec(&author, self.id, comment)?;
        self.client.send_json(spec).await
    }

    /// [`CommentsHandler::replies`](crate::CommentsHandler::replies) for this project.
    pub(crate) fn comment_replies(&self, comment: impl Into<CommentId>) -> ListRequest<Comment> {
        let comment = comment.into();
        self.author_list(format!("/comments/{comment}/replies"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hosts::Hosts;
    use crate::test_support::{clients, get_url};

    #[test]
    fn requests_with_a_known_author() {
        for (client, api, _) in clients() {
            let h = client.project(142u64).by("mres");
            assert_eq!(h.id(), ProjectId(142));
            assert_eq!(h.author(), Some("mres"));
            let req = client.build_request(&h.info_spec()).unwrap();
            assert_eq!(get_url(&req), format!("{api}/projects/142"));
            let req = h.remixes().limit(40).build().unwrap();
            assert_eq!(
                get_url(&req),
                format!("{api}/projects/142/remixes?offset=0&limit=40")
            );
            let base = format!("{api}/users/mres/projects/142");
            let req = h.studios().build().unwrap();
            assert_eq!(get_url(&req), format!("{base}/studios?offset=0&limit=20"));
            let req = h.comments().list().offset(20).build().unwrap();
            assert_eq!(get_url(&req), format!("{base}/comments?offset=20&limit=20"));
            let req = h.comments().replies(7u64).limit(5).build().unwrap();
            assert_eq!(
                get_url(&req),
                format!("{base}/comments/7/replies?offset=0&limit=5")
            );
            let spec = ProjectHandler::comment_spec("mres", h.id(), CommentId(99)).unwrap();
            let req = client.build_request(&spec).unwrap();
            assert_eq!(get_url(&req), format!("{base}/comments/99"));
        }
    }

    #[test]
    fn bad_author_or_limit_is_invalid_input() {
        let h = Client::new().project(1u64).by("no/slash");
        assert!(matches!(
            h.comments().list().build(),
            Err(Error::InvalidInput {
                what: "username",
                ..
            })
        ));
        let h = Client::new().project(1u64).by("mres");
        assert!(matches!(
            h.remixes().limit(0).build(),
            Err(Error::InvalidInput { what: "limit", .. })
        ));
        assert!(ProjectHandler::comment_spec("", ProjectId(1), CommentId(1)).is_err());
    }

    #[test]
    fn clones_share_the_author_and_by_replaces_it() {
        // A plain integer literal works too.
        assert_eq!(Client::new().project(7).id(), ProjectId(7));
        let h = Client::new().project(ProjectId(5));
        assert_eq!(h.author(), None);
        h.author.set("alice".into()).unwrap();
        let clone = h.clone();
        assert_eq!(clone.author(), Some("alice"));
        let other = clone.by("bob");
        assert_eq!(other.author(), Some("bob"));
        assert_eq!(h.author(), Some("alice"));
    }

    fn project_json(id: u64, author: Option<&str>) -> serde_json::Value {
        let mut author_json = serde_json::json!({"id": 1, "scratchteam": false});
        if let Some(name) = author {
            author_json["username"] = name.into();
        }
        serde_json::json!({"id": id, "title": "T", "author": author_json})
    }

    #[tokio::test]
    async fn the_author_is_looked_up_once() {
        use wiremock::matchers::{method, path};
        use wiremock::{Mock, MockServer, ResponseTemplate};

        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/api/projects/142"))
            .respond_with(ResponseTemplate::new(200).set_body_json(project_json(142, Some("mres"))))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/api/users/mres/projects/142/comments"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
            .expect(2)
            .mount(&server)
            .await;
        let hosts = Hosts::sandbox_url(url::Url::parse(&server.uri()).unwrap());
        let client = Client::builder().hosts(hosts).build().unwrap();
        let h = client.project(142u64);
        let page = h.comments().list().await.unwrap();
        assert!(page.is_empty());
        assert_eq!(h.author(), Some("mres"));
        // A clone shares the cache: no second lookup.
        let page = h.clone().comments().list().limit(3).await.unwrap();
        assert_eq!(page.limit, 3);
        server.verify().await;
    }

    #[tokio::test]
    async fn info_fills_the_author_and_a_missing_author_is_an_error() {
        use wiremock::matchers::path;
        use wiremock::{Mock, MockServer, ResponseTemplate};

        let server = MockServer::start().await;
        Mock::given(path("/api/projects/1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(project_json(1, Some("ann"))))
            .mount(&server)
            .await;
        Mock::given(path("/api/projects/2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(project_json(2, None)))
            .mount(&server)
            .await;
        let hosts = Hosts::sandbox_url(url::Url::parse(&server.uri()).unwrap());
        let client = Client::builder().hosts(hosts).build().unwrap();

        let h = client.project(1u64);
        assert_eq!(h.info().await.unwrap().id, ProjectId(1));
        assert_eq!(h.author(), Some("ann"));

        let err = client.project(2u64).comments().get(5u64).await.unwrap_err();
        assert!(
            matches!(&err, Error::Decode { path, .. } if path == "author.username"),
            "{err:?}"
        );
        let received = server.received_requests().await.unwrap();
        assert_eq!(
            received.len(),
            2,
            "no comment request after a failed lookup"
        );
    }
}
