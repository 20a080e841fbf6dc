//! [`CommentsHandler`]: the comments of a project, a studio or a profile, one handler for
//! the three places.
//!
//! | place | reads | writes |
//! |---|---|---|
//! | project | `GET api /users/<author>/projects/<id>/comments[/<c>[/replies]]` | `POST api /proxy/comments/project/<id>/`, `DELETE …/comment/<c>`, `POST api /proxy/project/<id>/comment/<c>/report` |
//! | studio | `GET api /studios/<id>/comments[/<c>[/replies]]` | `POST api /proxy/comments/studio/<id>/`, `DELETE …/comment/<c>`, `POST api /proxy/studio/<id>/comment/<c>/report` |
//! | profile (feature `html`) | `GET /site-api/comments/user/<name>/?page=<n>` (HTML) | `POST /site-api/comments/user/<name>/{add,del,rep}/` |

#[cfg(feature = "html")]
pub(crate) mod profile;
#[cfg(feature = "html")]
mod site_pages;

use scratchkit_model::{Comment, CommentId, CommentRejection, NewComment, UserId};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::list::ListRequest;
use crate::projects::ProjectHandler;
use crate::request::{AuthMode, RequestSpec, Response};
use crate::studios::StudioHandler;
#[cfg(feature = "html")]
use crate::users::UserHandler;
use crate::validate;

/// The longest comment Scratch accepts, in characters.
pub const MAX_COMMENT_LENGTH: usize = scratchkit_wire::limits::COMMENT_MAX_CHARS;

/// Where a comment lives, for the `/proxy/` routes.
#[derive(Debug, Clone, Copy)]
enum ApiPlace {
    Project(u64),
    Studio(u64),
}

impl ApiPlace {
    fn kind(self) -> &'static str {
        match self {
            ApiPlace::Project(_) => "project",
            ApiPlace::Studio(_) => "studio",
        }
    }

    fn id(self) -> u64 {
        match self {
            ApiPlace::Project(id) | ApiPlace::Studio(id) => id,
        }
    }

    /// The page a browser posts from (the `Referer`).
    fn page(self) -> String {
        match self {
            ApiPlace::Project(id) => format!("/projects/{id}/"),
            ApiPlace::Studio(id) => format!("/studios/{id}/comments/"),
        }
    }
}

/// Checks a comment's text: not blank, at most [`MAX_COMMENT_LENGTH`] characters.
fn check_content(content: &str) -> Result<()> {
    validate::not_blank("comment", content)?;
    let length = content.chars().count();
    if length > MAX_COMMENT_LENGTH {
        return Err(Error::invalid(
            "comment",
            format!("it has {length} characters; Scratch accepts at most {MAX_COMMENT_LENGTH}"),
        ));
    }
    Ok(())
}

/// The comment in a post's answer, or the typed rejection (HTTP 200 `{"rejected": …}`).
fn comment_or_rejection(response: &Response) -> Result<Comment> {
    let value: serde_json::Value = response.json()?;
    if value.get("rejected").is_some() {
        let rejection: CommentRejection =
            serde_json::from_value(value).map_err(|e| Error::Decode {
                url: response.requested.clone(),
                path: ".".into(),
                message: format!("not a comment rejection: {e}"),
                snippet: crate::error::snippet(&response.body),
                source: Some(Box::new(e)),
            })?;
        let mute_status = rejection
            .status
            .map(|s| s.mute_status)
            .filter(|m| *m != Default::default());
        tracing::debug!(reason = rejection.rejected, "comment rejected");
        return Err(Error::CommentRejected {
            reason: rejection.rejected,
            mute_status,
        });
    }
    crate::request::decode_json(&response.body, &response.requested)
}

impl Client {
    async fn post_comment_at(&self, place: ApiPlace, comment: NewComment) -> Result<Comment> {
        let spec = RequestSpec::post(
            Host::Api,
            format!("/proxy/comments/{}/{}/", place.kind(), place.id()),
        )
        .auth(AuthMode::Cookie)
        .json(&comment)?
        .header("Referer", self.site_page(&place.page()));
        let response = self.send_authed(spec).await?;
        comment_or_rejection(&response)
    }

    async fn delete_comment_at(&self, place: ApiPlace, comment: CommentId) -> Result<()> {
        self.require_auth()?;
        let spec = RequestSpec::delete(
            Host::Api,
            format!(
                "/proxy/comments/{}/{}/comment/{comment}",
                place.kind(),
                place.id()
            ),
        )
        .auth(AuthMode::Cookie)
        .header("Referer", self.site_page(&place.page()));
        self.send_authed(spec).await.map(|_| ())
    }

    async fn report_comment_at(&self, place: ApiPlace, comment: CommentId) -> Result<()> {
        self.require_auth()?;
        let spec = RequestSpec::post(
            Host::Api,
            format!(
                "/proxy/{}/{}/comment/{comment}/report",
                place.kind(),
                place.id()
            ),
        )
        .auth(AuthMode::Cookie)
        .json(&serde_json::json!({ "reportId": null }))?
        .header("Referer", self.site_page(&place.page()));
        self.send_authed(spec).await.map(|_| ())
    }
}

/// The `parent_id` and `commentee_id` of a reply to `comment`: threads are flat, so the parent
/// is the top-level comment; the commentee is the author answered.
fn reply_fields(comment: &Comment) -> (CommentId, UserId) {
    (comment.parent_id.unwrap_or(comment.id), comment.author.id)
}

fn new_comment(content: &str, parent: Option<CommentId>, commentee: Option<UserId>) -> NewComment {
    NewComment {
        content: content.to_owned(),
        parent_id: parent,
        commentee_id: commentee,
    }
}

/// Where a [`CommentsHandler`]'s comments are.
#[derive(Debug, Clone)]
enum Target {
    Project(ProjectHandler),
    Studio(StudioHandler),
    #[cfg(feature = "html")]
    Profile(UserHandler),
}

/// Where the writes of a [`CommentsHandler`] go.
enum WritePlace {
    Api(ApiPlace),
    #[cfg(feature = "html")]
    Profile(UserHandler),
}

/// The comments of one project, studio or profile: list, replies, post, reply, delete and
/// report, the same calls for the three places. From [`ProjectHandler::comments`],
/// [`StudioHandler::comments`] or [`UserHandler::comments`](crate::UserHandler::comments)
/// (profile comments are old-site HTML: feature `html`).
///
/// Cheap to clone, `Send + Sync + 'static`. The writes need a login: without one they fail
/// with [`Error::LoginRequired`] before sending anything.
///
/// ```no_run
/// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
/// // The same code answers on a project, a studio or a profile.
/// for comments in [client.project(104u64).comments(), client.studio(5342u64).comments()] {
///     let newest = comments.list().limit(1).await?;
///     if let Some(comment) = newest.items.first() {
///         comments.reply_to(comment, "Thanks!").await?;
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct CommentsHandler {
    target: Target,
}

impl ProjectHandler {
    /// The project's comments (list, replies, post, reply, delete, report). Reads need the
    /// author: without [`by`](ProjectHandler::by), one extra `GET /projects/<id>` is made
    /// first (once per handler and its clones).
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let client = scratchkit::Client::new();
    /// // GET https://api.scratch.mit.edu/users/mres/projects/142/comments?offset=0&limit=5
    /// for comment in client.project(142u64).by("mres").comments().list().limit(5).await? {
    ///     println!("{}: {} ({} replies)", comment.author.username, comment.content, comment.reply_count);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn comments(&self) -> CommentsHandler {
        CommentsHandler {
            target: Target::Project(self.clone()),
        }
    }
}

impl StudioHandler {
    /// The studio's comments (list, replies, post, reply, delete, report).
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let client = scratchkit::Client::new();
    /// // GET https://api.scratch.mit.edu/studios/5342/comments?offset=0&limit=20
    /// let page = client.studio(5342u64).comments().list().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn comments(&self) -> CommentsHandler {
        CommentsHandler {
            target: Target::Studio(self.clone()),
        }
    }
}

#[cfg(feature = "html")]
impl UserHandler {
    /// The comments on the user's profile (list, replies, post, reply, delete, report). They
    /// exist only on the old site, as HTML pages of their own size: lists read
    /// `?page=1, 2, …` and apply `offset`, `limit` and `max` to the comments read.
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let client = scratchkit::Client::new();
    /// // GET https://scratch.mit.edu/site-api/comments/user/mres/?page=1
    /// for comment in client.user("mres").comments().list().limit(10).await? {
    ///     println!("{}: {}", comment.author.username, comment.content);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn comments(&self) -> CommentsHandler {
        CommentsHandler {
            target: Target::Profile(self.clone()),
        }
    }
}

impl CommentsHandler {
    /// Where the writes go: the `/proxy/` routes of a project or studio, or a profile.
    fn write_place(&self) -> WritePlace {
        match &self.target {
            Target::Project(h) => WritePlace::Api(ApiPlace::Project(h.id().get())),
            Target::Studio(h) => WritePlace::Api(ApiPlace::Studio(h.id().get())),
            #[cfg(feature = "html")]
            Target::Profile(h) => WritePlace::Profile(h.clone()),
        }
    }

    fn client(&self) -> &Client {
        match &self.target {
            Target::Project(h) => h.client(),
            Target::Studio(h) => h.client(),
            #[cfg(feature = "html")]
            Target::Profile(h) => h.client(),
        }
    }

    /// The top-level comments, newest first (each with its `reply_count`).
    ///
    /// * project: `GET https://api.scratch.mit.edu/users/<author>/projects/<id>/comments?offset=&limit=`
    /// * studio: `GET https://api.scratch.mit.edu/studios/<id>/comments?offset=&limit=`
    /// * profile: `GET https://scratch.mit.edu/site-api/comments/user/<name>/?page=1, 2, …`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// use futures_util::TryStreamExt;
    ///
    /// let all: Vec<_> = client.studio(5342u64).comments().list().max(100).stream().try_collect().await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// When awaited or streamed: a bad limit, id or name ([`Error::InvalidInput`], nothing
    /// sent), [`Error::NotFound`] for an unknown project, studio or user, [`Error::Scrape`]
    /// for a profile page of an unexpected shape, or any request error.
    pub fn list(&self) -> ListRequest<Comment> {
        match &self.target {
            Target::Project(h) => h.comment_list(),
            Target::Studio(h) => h.comment_list(),
            #[cfg(feature = "html")]
            Target::Profile(h) => h.profile_comment_list(),
        }
    }

    /// One comment (top-level or reply).
    ///
    /// * project: `GET https://api.scratch.mit.edu/users/<author>/projects/<id>/comments/<comment>`
    /// * studio: `GET https://api.scratch.mit.edu/studios/<id>/comments/<comment>`
    /// * profile: the pages `GET https://scratch.mit.edu/site-api/comments/user/<name>/?page=…`
    ///   in order, until one holds it
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let comment = client.studio(5342u64).comments().get(123456u64).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// As [`list`](CommentsHandler::list); [`Error::NotFound`] for an unknown comment.
    pub async fn get(&self, id: impl Into<CommentId>) -> Result<Comment> {
        match &self.target {
            Target::Project(h) => h.comment_get(id).await,
            Target::Studio(h) => h.comment_get(id).await,
            #[cfg(feature = "html")]
            Target::Profile(h) => h.profile_comment(id.into()).await,
        }
    }

    /// The replies to a top-level comment, oldest first.
    ///
    /// * project: `GET https://api.scratch.mit.edu/users/<author>/projects/<id>/comments/<comment>/replies?offset=&limit=`
    /// * studio: `GET https://api.scratch.mit.edu/studios/<id>/comments/<comment>/replies?offset=&limit=`
    /// * profile: the replies shown under the comment on its page (found as by
    ///   [`get`](CommentsHandler::get))
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let replies = client.project(104u64).comments().replies(123456u64).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// When awaited or streamed: as [`get`](CommentsHandler::get).
    pub fn replies(&self, comment: impl Into<CommentId>) -> ListRequest<Comment> {
        match &self.target {
            Target::Project(h) => h.comment_replies(comment),
            Target::Studio(h) => h.comment_replies(comment),
            #[cfg(feature = "html")]
            Target::Profile(h) => h.profile_comment_replies(comment.into()),
        }
    }

    /// Posts a top-level comment and returns it.
    ///
    /// * project, studio: `POST https://api.scratch.mit.edu/proxy/comments/<project|studio>/<id>/`
    ///   with `{"content", "parent_id":"", "commentee_id":""}`, the session cookie and the
    ///   page as `Referer`
    /// * profile: `POST https://scratch.mit.edu/site-api/comments/user/<name>/add/` with the
    ///   same body; the answer is the comment's HTML
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// use scratchkit::Error;
    ///
    /// match client.project(104u64).comments().post("Nice work!").await {
    ///     Ok(comment) => println!("posted #{}", comment.id),
    ///     Err(Error::CommentRejected { reason, mute_status }) => {
    ///         println!("refused: {reason} (muted: {:?})", mute_status.map(|m| m.mute_expires_at));
    ///     }
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for a blank
    /// comment or one over 500 characters (nothing sent); [`Error::CommentRejected`] when
    /// Scratch refuses it (flood control, mute, comments closed…); any request error.
    pub async fn post(&self, content: &str) -> Result<Comment> {
        self.send_new(new_comment(content, None, None)).await
    }

    /// Replies to a comment. Threads are flat on Scratch: a reply to a reply goes under the
    /// same top-level comment, so `parent` must be a top-level comment's id; `commentee` is
    /// the user answered (they get a message), if any. [`reply_to`](CommentsHandler::reply_to)
    /// works both out from the comment answered.
    ///
    /// Sent as [`post`](CommentsHandler::post), with `parent_id` and `commentee_id` set.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// use scratchkit::model::{CommentId, UserId};
    ///
    /// let studio = client.studio(5342u64).comments();
    /// studio.reply(CommentId(987), Some(UserId(42)), "Welcome!").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// As [`post`](CommentsHandler::post).
    pub async fn reply(
        &self,
        parent: CommentId,
        commentee: Option<UserId>,
        content: &str,
    ) -> Result<Comment> {
        self.send_new(new_comment(content, Some(parent), commentee))
            .await
    }

    /// Replies to `comment` (top-level or itself a reply): the reply goes under its top-level
    /// comment and notifies its author.
    ///
    /// Sent as [`reply`](CommentsHandler::reply).
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let comments = client.user("griffpatch").comments();
    /// let comment = comments.get(123456u64).await?;
    /// comments.reply_to(&comment, "Thanks!").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// As [`post`](CommentsHandler::post).
    pub async fn reply_to(&self, comment: &Comment, content: &str) -> Result<Comment> {
        let (parent, commentee) = reply_fields(comment);
        self.reply(parent, Some(commentee), content).await
    }

    async fn send_new(&self, comment: NewComment) -> Result<Comment> {
        let client = self.client();
        client.require_auth()?;
        check_content(&comment.content)?;
        match self.write_place() {
            WritePlace::Api(place) => client.post_comment_at(place, comment).await,
            #[cfg(feature = "html")]
            WritePlace::Profile(h) => h.post_profile_comment(comment).await,
        }
    }

    /// Deletes a comment (yours, or any on something you own).
    ///
    /// * project, studio: `DELETE https://api.scratch.mit.edu/proxy/comments/<project|studio>/<id>/comment/<comment>`
    ///   with the session cookie
    /// * profile: `POST https://scratch.mit.edu/site-api/comments/user/<name>/del/` with
    ///   `{"id":"<comment>"}`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// client.project(104u64).comments().delete(123456u64).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out (nothing sent); any request error.
    pub async fn delete(&self, comment: impl Into<CommentId>) -> Result<()> {
        let comment = comment.into();
        match self.write_place() {
            WritePlace::Api(place) => self.client().delete_comment_at(place, comment).await,
            #[cfg(feature = "html")]
            WritePlace::Profile(h) => h.profile_comment_action("del/", comment).await,
        }
    }

    /// Reports a comment to the Scratch Team (a POST, as the web site does; never a DELETE).
    ///
    /// * project, studio: `POST https://api.scratch.mit.edu/proxy/<project|studio>/<id>/comment/<comment>/report`
    ///   with `{"reportId":null}` and the session cookie
    /// * profile: `POST https://scratch.mit.edu/site-api/comments/user/<name>/rep/` with
    ///   `{"id":"<comment>"}`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// client.user("griffpatch").comments().report(123456u64).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out (nothing sent); any request error.
    pub async fn report(&self, comment: impl Into<CommentId>) -> Result<()> {
        let comment = comment.into();
        match self.write_place() {
            WritePlace::Api(place) => self.client().report_comment_at(place, comment).await,
            #[cfg(feature = "html")]
            WritePlace::Profile(h) => h.profile_comment_action("rep/", comment).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_checks() {
        assert!(check_content("hi").is_ok());
        assert!(
            check_content(&"é".repeat(500)).is_ok(),
            "characters, not bytes"
        );
        assert!(check_content(&"a".repeat(501)).is_err());
        assert!(check_content("  \n").is_err());
        assert!(check_content("").is_err());
    }

    #[test]
    fn replies_go_under_the_top_level_comment() {
        let reply: Comment = serde_json::from_str(
            r#"{"id":9,"parent_id":5,"commentee_id":3,"content":"x","author":{"id":42,"username":"a"}}"#,
        )
        .unwrap();
        assert_eq!(reply_fields(&reply), (CommentId(5), UserId(42)));
        let top: Comment =
            serde_json::from_str(r#"{"id":5,"content":"x","author":{"id":3,"username":"b"}}"#)
                .unwrap();
        assert_eq!(reply_fields(&top), (CommentId(5), UserId(3)));
    }
}
