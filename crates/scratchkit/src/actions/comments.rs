//! Comments: post, reply, delete and report on projects and studios (the JSON `/proxy/`
//! routes of api.scratch.mit.edu), and on profiles (the old site's site-api).

use scratchkit_model::{Comment, CommentId, CommentRejection, NewComment, UserId};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::projects::ProjectHandler;
use crate::request::{AuthMode, RequestSpec, Response};
use crate::studios::StudioHandler;
use crate::users::UserHandler;
use crate::validate;

/// The longest comment Scratch accepts, in characters.
pub const MAX_COMMENT_LENGTH: usize = scratchkit_wire::limits::COMMENT_MAX_CHARS;

/// Where a comment lives, for the `/proxy/` routes.
#[derive(Clone, Copy)]
enum Place {
    Project(u64),
    Studio(u64),
}

impl Place {
    fn kind(self) -> &'static str {
        match self {
            Place::Project(_) => "project",
            Place::Studio(_) => "studio",
        }
    }

    fn id(self) -> u64 {
        match self {
            Place::Project(id) | Place::Studio(id) => id,
        }
    }

    /// The page a browser posts from (the `Referer`).
    fn page(self) -> String {
        match self {
            Place::Project(id) => format!("/projects/{id}/"),
            Place::Studio(id) => format!("/studios/{id}/comments/"),
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
    async fn post_comment_at(&self, place: Place, comment: NewComment) -> Result<Comment> {
        self.require_auth()?;
        check_content(&comment.content)?;
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

    async fn delete_comment_at(&self, place: Place, comment: CommentId) -> Result<()> {
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

    async fn report_comment_at(&self, place: Place, comment: CommentId) -> Result<()> {
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

macro_rules! comment_actions {
    ($handler:ty, $place:expr, $kind:literal, $page:literal) => {
        impl $handler {
            #[doc = concat!("Posts a top-level comment on this ", $kind, ".")]
            ///
            #[doc = concat!("`POST https://api.scratch.mit.edu/proxy/comments/", $kind, "/<id>/` with `{\"content\", \"parent_id\":\"\", \"commentee_id\":\"\"}`, the session cookie and `Referer: https://scratch.mit.edu/", $page, "`.")]
            ///
            /// ```no_run
            /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
            /// use scratchkit::Error;
            ///
            #[doc = concat!("match client.", $kind, "(104u64).post_comment(\"Nice work!\").await {")]
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
            /// comment or one over 500 characters (nothing sent);
            /// [`Error::CommentRejected`] when Scratch refuses it (flood control, mute,
            /// comments closed…); any request error.
            pub async fn post_comment(&self, content: &str) -> Result<Comment> {
                self.client()
                    .post_comment_at($place(self), new_comment(content, None, None))
                    .await
            }

            /// Replies to a comment. Threads are flat on Scratch: a reply to a reply goes under
            /// the same top-level comment, so `parent` must be a top-level comment's id;
            /// `commentee` is the user answered (they get a message), if any.
            ///
            #[doc = concat!("`POST https://api.scratch.mit.edu/proxy/comments/", $kind, "/<id>/` with `{\"content\", \"parent_id\", \"commentee_id\"}`.")]
            ///
            /// # Errors
            #[doc = concat!("As [`post_comment`](", stringify!($handler), "::post_comment).")]
            pub async fn reply(
                &self,
                parent: CommentId,
                commentee: Option<UserId>,
                content: &str,
            ) -> Result<Comment> {
                self.client()
                    .post_comment_at($place(self), new_comment(content, Some(parent), commentee))
                    .await
            }

            /// Replies to `comment` (top-level or itself a reply): the reply goes under its
            /// top-level comment and notifies its author.
            ///
            #[doc = concat!("`POST https://api.scratch.mit.edu/proxy/comments/", $kind, "/<id>/`.")]
            ///
            /// # Errors
            #[doc = concat!("As [`post_comment`](", stringify!($handler), "::post_comment).")]
            pub async fn reply_to(&self, comment: &Comment, content: &str) -> Result<Comment> {
                let (parent, commentee) = reply_fields(comment);
                self.reply(parent, Some(commentee), content).await
            }

            #[doc = concat!("Deletes a comment on this ", $kind, " (yours, or any on your own ", $kind, ").")]
            ///
            #[doc = concat!("`DELETE https://api.scratch.mit.edu/proxy/comments/", $kind, "/<id>/comment/<comment id>` with the session cookie.")]
            ///
            /// # Errors
            /// [`Error::LoginRequired`] when logged out (nothing sent); any request error.
            pub async fn delete_comment(&self, comment: impl Into<CommentId>) -> Result<()> {
                self.client()
                    .delete_comment_at($place(self), comment.into())
                    .await
            }

            /// Reports a comment to the Scratch Team (a POST, as the web site does; never a
            /// DELETE).
            ///
            #[doc = concat!("`POST https://api.scratch.mit.edu/proxy/", $kind, "/<id>/comment/<comment id>/report` with `{\"reportId\":null}` and the session cookie.")]
            ///
            /// # Errors
            /// [`Error::LoginRequired`] when logged out (nothing sent); any request error.
            pub async fn report_comment(&self, comment: impl Into<CommentId>) -> Result<()> {
                self.client()
                    .report_comment_at($place(self), comment.into())
                    .await
            }
        }
    };
}

comment_actions!(
    ProjectHandler,
    |h: &ProjectHandler| Place::Project(h.id().get()),
    "project",
    "projects/<id>/"
);
comment_actions!(
    StudioHandler,
    |h: &StudioHandler| Place::Studio(h.id().get()),
    "studio",
    "studios/<id>/comments/"
);

/// The error in the answer of a profile-comment post: `{"error": "isFlood"}`, or a leading
/// `<script id="error-data" type="application/json">{"mute_status":…,"error":"isMuted"}</script>`.
fn profile_rejection(body: &[u8]) -> Option<Error> {
    let text = String::from_utf8_lossy(body);
    let text = text.trim_start();
    let json = if let Some(rest) = text.strip_prefix("<script") {
        let start = rest.find('>')? + 1;
        let end = rest.find("</script>")?;
        rest.get(start..end)?
    } else if text.starts_with('{') {
        text
    } else {
        return None;
    };
    #[derive(serde::Deserialize)]
    struct ErrorData {
        error: String,
        #[serde(default)]
        mute_status: Option<scratchkit_model::MuteStatus>,
    }
    let data: ErrorData = serde_json::from_str(json.trim()).ok()?;
    Some(Error::CommentRejected {
        reason: data.error,
        mute_status: data.mute_status.filter(|m| *m != Default::default()),
    })
}

/// The id of the comment in the HTML fragment Scratch answers a profile-comment post with.
fn posted_comment_id(body: &[u8]) -> Option<CommentId> {
    let text = String::from_utf8_lossy(body);
    let digits_after = |marker: &str| -> Option<CommentId> {
        let start = text.find(marker)? + marker.len();
        let digits: String = text[start..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    };
    digits_after("data-comment-id=\"").or_else(|| digits_after("id=\"comments-"))
}

impl UserHandler {
    /// `POST site /site-api/comments/user/<name>/<action>/` with a JSON text body.
    async fn profile_comment_call(
        &self,
        action: &str,
        body: &serde_json::Value,
    ) -> Result<Response> {
        let client = self.client();
        client.require_auth()?;
        let name = validate::segment(validate::username(self.name())?);
        let spec = RequestSpec::post(
            Host::Site,
            format!("/site-api/comments/user/{name}/{action}/"),
        )
        .auth(AuthMode::Cookie)
        .json(body)?
        .header("Referer", client.site_page(&format!("/users/{name}/")));
        client.send_authed(spec).await
    }

    /// Posts a comment on this user's profile, or a reply when `parent` (a top-level comment
    /// id) is given; `commentee` is the user answered. Profile comments exist only on the old
    /// site, which answers with HTML: the new comment's id is returned.
    ///
    /// `POST https://scratch.mit.edu/site-api/comments/user/<username>/add/` with
    /// `{"content", "parent_id", "commentee_id"}` and the session cookie.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let id = client.user("griffpatch").post_profile_comment("Hi!", None, None).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for a blank
    /// comment or one over 500 characters (nothing sent); [`Error::CommentRejected`] for
    /// Scratch's `isFlood` / `isMuted` answers; [`Error::Decode`] when the answer holds no
    /// comment id; any request error.
    pub async fn post_profile_comment(
        &self,
        content: &str,
        parent: Option<CommentId>,
        commentee: Option<UserId>,
    ) -> Result<CommentId> {
        self.client().require_auth()?;
        check_content(content)?;
        let body = serde_json::to_value(new_comment(content, parent, commentee))
            .map_err(|e| Error::invalid("comment", e.to_string()))?;
        let response = self.profile_comment_call("add", &body).await?;
        if let Some(rejection) = profile_rejection(&response.body) {
            return Err(rejection);
        }
        posted_comment_id(&response.body).ok_or_else(|| Error::Decode {
            url: response.requested.clone(),
            path: ".".into(),
            message: "no comment id in the answer".into(),
            snippet: crate::error::snippet(&response.body),
        })
    }

    /// Deletes a comment on this user's profile (yours, or any on your own profile).
    ///
    /// `POST https://scratch.mit.edu/site-api/comments/user/<username>/del/` with
    /// `{"id":"<comment id>"}`.
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out (nothing sent); any request error.
    pub async fn delete_profile_comment(&self, comment: impl Into<CommentId>) -> Result<()> {
        let body = serde_json::json!({ "id": comment.into().to_string() });
        self.profile_comment_call("del", &body).await.map(|_| ())
    }

    /// Reports a comment on this user's profile.
    ///
    /// `POST https://scratch.mit.edu/site-api/comments/user/<username>/rep/` with
    /// `{"id":"<comment id>"}`.
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out (nothing sent); any request error.
    pub async fn report_profile_comment(&self, comment: impl Into<CommentId>) -> Result<()> {
        let body = serde_json::json!({ "id": comment.into().to_string() });
        self.profile_comment_call("rep", &body).await.map(|_| ())
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
    fn profile_answers() {
        assert!(matches!(
            profile_rejection(br#"{"error": "isFlood"}"#),
            Some(Error::CommentRejected { reason, mute_status: None }) if reason == "isFlood"
        ));
        let muted = br#"  <script id="error-data" type="application/json">{"mute_status": {"muteExpiresAt": 1767225600, "offenses": []}, "error": "isMuted"}</script>"#;
        match profile_rejection(muted) {
            Some(Error::CommentRejected {
                reason,
                mute_status: Some(m),
            }) => {
                assert_eq!(reason, "isMuted");
                assert_eq!(m.mute_expires_at.unwrap().unix_seconds(), 1767225600);
            }
            other => panic!("{other:?}"),
        }
        let ok = br#"<div id="comments-123456" class="comment " data-comment-id="123456"><div class="content">hi</div></div>"#;
        assert!(profile_rejection(ok).is_none());
        assert_eq!(posted_comment_id(ok), Some(CommentId(123456)));
        assert_eq!(
            posted_comment_id(br#"<div id="comments-77" class="comment">"#),
            Some(CommentId(77))
        );
        assert_eq!(posted_comment_id(b"<div></div>"), None);
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
