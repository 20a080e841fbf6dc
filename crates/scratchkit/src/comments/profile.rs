//! Profile comments: the `site-api` HTML fragment, its parser, and the comment writes.
//!
//! Profile comments exist only on the old site, as HTML (`html.md` §1–§3):
//! `GET /site-api/comments/user/<u>/?page=<n>` (404 past the last page) and the
//! `add/`, `del/`, `rep/` and `toggle-comments/` posts.

use futures_util::future::Either;
use futures_util::{Stream, StreamExt, stream};
use scraper::{ElementRef, Html};
use scratchkit_model::{
    Comment, CommentAuthor, CommentId, MuteStatus, NewComment, Timestamp, UserId,
};
use serde::Deserialize;
use url::Url;

use crate::error::{Error, Result, redact_url};
use crate::hosts::Host;
use crate::html::dom::{self, missing, sel};
use crate::list::ListRequest;
use crate::me::MeHandler;
use crate::page::paginate_pages;
use crate::request::{AuthMode, RequestSpec};
use crate::users::UserHandler;

/// A profile comment (or a reply) as the old site shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProfileComment {
    /// The comment's id (`data-comment-id`).
    pub id: CommentId,
    /// The author's username, without the `*` the site appends for the Scratch Team.
    pub author: String,
    /// The author's user id (`data-commentee-id` of the reply link), when present.
    pub author_id: Option<UserId>,
    /// Whether the author is on the Scratch Team (the name was marked with a trailing `*`).
    pub author_scratch_team: bool,
    /// The author's avatar URL as written in the page (often protocol-relative).
    pub author_avatar: Option<String>,
    /// The text, with HTML entities decoded and whitespace collapsed.
    pub content: String,
    /// The inner HTML of `div.content`, trimmed (mentions are links there).
    pub content_html: String,
    /// When it was posted (`span.time[title]`), when the page says so in a readable form.
    pub created: Option<Timestamp>,
    /// The top-level comment this is a reply to (`None` for top-level comments).
    pub parent_id: Option<CommentId>,
    /// The replies (one level: the site keeps threads flat). Empty for replies.
    pub replies: Vec<ProfileComment>,
}

/// Parses one page of the profile-comment fragment (`GET /site-api/comments/user/<u>/?page=`):
/// the top-level comments, each with its replies.
///
/// An empty page (no `<li>` at all) is an empty list.
///
/// ```
/// use scratchkit::html::parse_profile_comments;
/// use scratchkit::Url;
///
/// let html = r#"<li class="top-level-reply">
///   <div id="comments-7" class="comment " data-comment-id="7">
///     <a href="/users/alice" id="comment-user" data-comment-user="alice"><img class="avatar" src="//x/1_60x60.png"></a>
///     <div class="info"><div class="name"><a href="/users/alice">alice</a></div>
///       <div class="content"> Hello &amp; welcome! </div>
///       <div><span class="time" title="2025-01-21T20:37:44Z">1 day ago</span>
///       <a class="reply" data-comment-id="7" data-parent-thread="7" data-commentee-id="1"><span>Reply</span></a></div></div>
///   </div>
///   <ul class="replies"></ul>
/// </li>"#;
/// let url = Url::parse("https://scratch.mit.edu/site-api/comments/user/bob/?page=1").unwrap();
/// let comments = parse_profile_comments(html, &url).unwrap();
/// assert_eq!(comments[0].author, "alice");
/// assert_eq!(comments[0].content, "Hello & welcome!");
/// ```
///
/// # Errors
/// [`Error::Scrape`] when the page has list items but not the expected structure (a comment
/// without `data-comment-id`, an author or a `div.content`).
pub fn parse_profile_comments(html: &str, url: &Url) -> Result<Vec<ProfileComment>> {
    let doc = Html::parse_fragment(html);
    let top_items = sel("li.top-level-reply");
    let mut out = Vec::new();
    for li in doc.select(&top_items) {
        let div = li
            .child_elements()
            .find(|e| e.value().name() == "div")
            .ok_or_else(|| missing("div.comment in li.top-level-reply", url))?;
        let mut top = parse_comment_div(div, None, url)?;
        for ul in li
            .child_elements()
            .filter(|e| e.value().name() == "ul" && has_class(*e, "replies"))
        {
            for reply_li in ul
                .child_elements()
                .filter(|e| e.value().name() == "li" && has_class(*e, "reply"))
            {
                let reply_div = reply_li
                    .child_elements()
                    .find(|e| e.value().name() == "div")
                    .ok_or_else(|| missing("div.comment in li.reply", url))?;
                top.replies
                    .push(parse_comment_div(reply_div, Some(top.id), url)?);
            }
        }
        out.push(top);
    }
    if out.is_empty() && doc.select(&sel("li")).next().is_some() {
        return Err(missing("li.top-level-reply", url));
    }
    Ok(out)
}

/// Parses the answer to a successful comment post (`POST …/add/`): the new comment's
/// `div.comment` block.
///
/// # Errors
/// [`Error::Scrape`] when there is no `div[data-comment-id]` or it lacks an author or content.
pub fn parse_posted_comment(html: &str, url: &Url) -> Result<ProfileComment> {
    let doc = Html::parse_fragment(html);
    let div = doc
        .select(&sel("div[data-comment-id]"))
        .next()
        .ok_or_else(|| missing("div[data-comment-id]", url))?;
    let parent = div
        .select(&sel("a.reply[data-parent-thread]"))
        .next()
        .and_then(|a| a.attr("data-parent-thread"))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(CommentId);
    let mut comment = parse_comment_div(div, None, url)?;
    if parent.is_some_and(|p| p != comment.id) {
        comment.parent_id = parent;
    }
    Ok(comment)
}

fn has_class(el: ElementRef<'_>, class: &str) -> bool {
    el.value().classes().any(|c| c == class)
}

fn parse_comment_div(
    div: ElementRef<'_>,
    parent: Option<CommentId>,
    url: &Url,
) -> Result<ProfileComment> {
    let id = div
        .attr("data-comment-id")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(CommentId)
        .ok_or_else(|| missing("div.comment[data-comment-id]", url))?;
    let name_div = dom::first(div, &sel("div.name"));
    let name_text = name_div.map(dom::text).unwrap_or_default();
    let author_scratch_team = name_text.ends_with('*');
    let author = dom::first(div, &sel("a[data-comment-user]"))
        .and_then(|a| a.attr("data-comment-user"))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .or_else(|| Some(name_text.clone()).filter(|s| !s.is_empty()))
        .map(|s| s.trim_end_matches('*').to_owned())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| missing("comment author (a[data-comment-user] or div.name)", url))?;
    let author_avatar = dom::first(div, &sel("img.avatar"))
        .and_then(|img| img.attr("src"))
        .map(str::to_owned);
    let content_div =
        dom::first(div, &sel("div.content")).ok_or_else(|| missing("div.content", url))?;
    let created = dom::first(div, &sel("span.time"))
        .and_then(|s| s.attr("title"))
        .and_then(|t| Timestamp::parse(t.trim()).ok());
    let author_id = dom::first(div, &sel("a.reply[data-commentee-id]"))
        .and_then(|a| a.attr("data-commentee-id"))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(UserId);
    Ok(ProfileComment {
        id,
        author,
        author_id,
        author_scratch_team,
        author_avatar,
        content: dom::text(content_div),
        content_html: content_div.inner_html().trim().to_owned(),
        created,
        parent_id: parent,
        replies: Vec::new(),
    })
}

#[derive(Deserialize)]
struct ErrorBody {
    error: String,
    #[serde(default)]
    mute_status: Option<MuteStatus>,
}

/// The refusal hidden in a successful (HTTP 200) comment-post answer, if any: `{"error":
/// "isFlood"}`, the `<script id="error-data">` block with `isMuted` and the mute status, or
/// another `{"error": …}` (the sandbox sends `isDisallowed` when comments are turned off).
///
/// ```
/// use scratchkit::Error;
/// use scratchkit::html::comment_post_refusal;
///
/// let e = comment_post_refusal(r#"{"error": "isFlood"}"#).unwrap();
/// assert!(matches!(e, Error::CommentRejected { ref reason, .. } if reason == "isFlood"));
/// assert!(comment_post_refusal("<div id=\"comments-1\" class=\"comment \">").is_none());
/// ```
pub fn comment_post_refusal(body: &str) -> Option<Error> {
    let trimmed = body.trim();
    let json = if trimmed.starts_with('{') {
        trimmed
    } else if trimmed.starts_with("<script") && trimmed.contains("error-data") {
        let start = trimmed.find('>')? + 1;
        let end = trimmed.find("</script>")?;
        trimmed.get(start..end)?.trim()
    } else {
        return None;
    };
    let parsed: ErrorBody = serde_json::from_str(json).ok()?;
    let mute_status = parsed.mute_status.filter(|m| *m != MuteStatus::default());
    Some(Error::CommentRejected {
        reason: parsed.error,
        mute_status,
    })
}

impl ProfileComment {
    /// This comment as a [`Comment`], the type of every [`CommentsHandler`] call: the author's
    /// id comes from the reply link (`data-commentee-id`) or, failing that, the avatar URL;
    /// `reply_count` is the number of replies on the page; `commentee_id` is not in the page.
    ///
    /// # Errors
    /// [`Error::Scrape`] when the page gives no author id at all.
    pub(crate) fn to_comment(&self, url: &str) -> Result<Comment> {
        let author_id = self
            .author_id
            .or_else(|| {
                self.author_avatar
                    .as_deref()
                    .and_then(dom::avatar_user_id)
                    .map(UserId)
            })
            .ok_or_else(|| Error::Scrape {
                what: "comment author id (a.reply[data-commentee-id] or img.avatar)",
                url: url.to_owned(),
            })?;
        Ok(Comment {
            id: self.id,
            parent_id: self.parent_id,
            commentee_id: None,
            content: self.content.clone(),
            datetime_created: self.created,
            datetime_modified: self.created,
            visibility: None,
            author: CommentAuthor {
                id: author_id,
                username: self.author.clone(),
                scratchteam: self.author_scratch_team,
                image: self.author_avatar.clone(),
            },
            reply_count: self.replies.len() as u64,
        })
    }
}

impl UserHandler {
    fn comments_path(&self, action: &str) -> Result<String> {
        Ok(format!(
            "/site-api/comments/user/{}/{action}",
            self.segment()?
        ))
    }

    /// `https://scratch.mit.edu/users/<name>/` (the `Referer` of the writes).
    fn page_url(&self) -> Result<String> {
        Ok(self
            .client
            .site_page(&format!("/users/{}/", self.segment()?)))
    }

    /// The URL of the comment pages, for error messages.
    fn comments_url(&self, path: &str) -> String {
        crate::error::redact_url(&self.client.hosts().url(Host::Site, path))
    }

    /// Every top-level comment with its replies, page after page. A 404 on the first page is
    /// an error (no such user); later, it is the end of the list, as an empty page is.
    fn profile_comment_pages(&self) -> impl Stream<Item = Result<ProfileComment>> + Send + 'static {
        let client = self.client.clone();
        let path = self.comments_path("");
        stream::once(async move {
            let path = path?;
            let first = fetch_comments(&client, path.clone(), 1).await?;
            Ok((client, path, first))
        })
        .map(|start| match start {
            Ok((client, path, first)) => {
                let more = !first.is_empty();
                let rest = paginate_pages(
                    move |page| fetch_comments_owned(client.clone(), path.clone(), page),
                    2,
                    None,
                    None,
                );
                let rest = if more {
                    Either::Left(rest)
                } else {
                    Either::Right(stream::empty())
                };
                Either::Left(stream::iter(first.into_iter().map(Ok)).chain(rest))
            }
            Err(e) => Either::Right(stream::once(std::future::ready(Err(e)))),
        })
        .flatten()
    }

    /// The profile's comments as [`Comment`]s, for [`CommentsHandler::list`].
    pub(crate) fn profile_comment_list(&self) -> ListRequest<Comment> {
        let this = self.clone();
        ListRequest::items(
            self.client.clone(),
            Box::new(move || {
                let url = this.comments_url(&this.comments_path("").unwrap_or_default());
                this.profile_comment_pages()
                    .map(move |c| c.and_then(|c| c.to_comment(&url)))
                    .boxed()
            }),
        )
    }

    /// The comment (top-level or reply) with `id`, found by reading the pages in order.
    async fn find_profile_comment(&self, id: CommentId) -> Result<ProfileComment> {
        let path = self.comments_path("")?;
        let mut page = 1;
        loop {
            let comments = match fetch_comments(&self.client, path.clone(), page).await {
                Ok(c) if c.is_empty() => break,
                Ok(c) => c,
                Err(e) if e.is_not_found() && page > 1 => break,
                Err(e) => return Err(e),
            };
            for top in comments {
                if top.id == id {
                    return Ok(top);
                }
                if let Some(reply) = top.replies.into_iter().find(|r| r.id == id) {
                    return Ok(reply);
                }
            }
            page += 1;
        }
        Err(Error::NotFound {
            url: format!("{} (comment {id})", self.comments_url(&path)),
        })
    }

    /// One profile comment as a [`Comment`], for [`CommentsHandler::get`].
    pub(crate) async fn profile_comment(&self, id: CommentId) -> Result<Comment> {
        let url = self.comments_url(&self.comments_path("")?);
        self.find_profile_comment(id).await?.to_comment(&url)
    }

    /// The replies under a profile comment, for [`CommentsHandler::replies`].
    pub(crate) fn profile_comment_replies(&self, id: CommentId) -> ListRequest<Comment> {
        let this = self.clone();
        ListRequest::items(
            self.client.clone(),
            Box::new(move || {
                stream::once(async move {
                    let url = this.comments_url(&this.comments_path("")?);
                    let top = this.find_profile_comment(id).await?;
                    top.replies
                        .iter()
                        .map(|r| r.to_comment(&url))
                        .collect::<Result<Vec<_>>>()
                })
                .map(|replies| match replies {
                    Ok(replies) => Either::Left(stream::iter(replies.into_iter().map(Ok))),
                    Err(e) => Either::Right(stream::once(std::future::ready(Err(e)))),
                })
                .flatten()
                .boxed()
            }),
        )
    }

    /// Posts a profile comment (login and text already checked by the caller) and returns it
    /// as the site rendered it. A comment without an author id in the answer is ours: the
    /// login's user id fills it.
    pub(crate) async fn post_profile_comment(&self, body: NewComment) -> Result<Comment> {
        let state = self.client.require_auth()?;
        let spec = RequestSpec::post(Host::Site, self.comments_path("add/")?)
            .auth(AuthMode::Cookie)
            .header("Referer", self.page_url()?)
            .json(&body)?;
        let response = self.client.send_authed(spec).await?;
        let text = response.text();
        if let Some(refusal) = comment_post_refusal(&text) {
            return Err(refusal);
        }
        let mut posted = parse_posted_comment(&text, &response.url)?;
        if posted.author_id.is_none() {
            posted.author_id = state.user_id().map(UserId);
        }
        let mut comment = posted.to_comment(&redact_url(&response.url))?;
        comment.commentee_id = body.commentee_id;
        Ok(comment)
    }

    /// `POST …/<action>` with `{"id":"<id>"}`: delete (`del/`) or report (`rep/`).
    pub(crate) async fn profile_comment_action(&self, action: &str, id: CommentId) -> Result<()> {
        self.client.require_auth()?;
        let body = serde_json::json!({ "id": id.to_string() });
        let spec = RequestSpec::post(Host::Site, self.comments_path(action)?)
            .auth(AuthMode::Cookie)
            .header("Referer", self.page_url()?)
            .json(&body)?;
        self.client.send_authed(spec).await?;
        Ok(())
    }
}

impl MeHandler {
    /// Turns commenting on your profile off when it is on, and on when it is off.
    ///
    /// `POST https://scratch.mit.edu/site-api/comments/user/<me>/toggle-comments/` with the
    /// session cookie.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// client.me().toggle_profile_comments().await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out (nothing sent); any request error.
    pub async fn toggle_profile_comments(&self) -> Result<()> {
        let (state, _) = self.client.me_for_path()?;
        let me = self.client.user(state.username());
        let spec = RequestSpec::post(Host::Site, me.comments_path("toggle-comments/")?)
            .auth(AuthMode::Cookie)
            .header("Referer", me.page_url()?)
            .bytes(None, Vec::new());
        self.client.send_authed(spec).await?;
        Ok(())
    }
}

async fn fetch_comments_owned(
    client: crate::Client,
    path: String,
    page: u32,
) -> Result<Vec<ProfileComment>> {
    fetch_comments(&client, path, page).await
}

async fn fetch_comments(
    client: &crate::Client,
    path: String,
    page: u32,
) -> Result<Vec<ProfileComment>> {
    let response = client
        .send(RequestSpec::get(Host::Site, path).query("page", page))
        .await?;
    parse_profile_comments(&response.text(), &response.url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> Url {
        Url::parse("https://scratch.mit.edu/site-api/comments/user/mres/?page=1").unwrap()
    }

    /// The synthetic skeleton of html.md §1.2 (labelled synthetic: no real recording exists).
    const SYNTHETIC: &str = r#"<li class="top-level-reply">
  <div id="comments-1001" class="comment " data-comment-id="1001">
    <a href="/users/alice" id="comment-user" data-comment-user="alice"><img class="avatar" src="//cdn2.scratch.mit.edu/get_image/user/123_60x60.png" width="45" height="45"></a>
    <div class="info">
      <div class="name"><a href="/users/alice">alice</a></div>
      <div class="content">
                    Hello there!
      </div>
      <div>
        <span class="time" title="2025-01-21T20:37:44Z">1 day ago</span>
        <a class="reply" data-comment-id="1001" data-parent-thread="1001" data-commentee-id="123"><span>Reply</span></a>
      </div>
    </div>
  </div>
  <ul class="replies">
    <li class="reply">
      <div id="comments-1002" class="comment " data-comment-id="1002">
        <a href="/users/bob" id="comment-user" data-comment-user="bob"><img class="avatar" src="//cdn2.scratch.mit.edu/get_image/user/456_60x60.png" width="45" height="45"></a>
        <div class="info">
          <div class="name"><a href="/users/bob">bob*</a></div>
          <div class="content">
                    @alice hi!
          </div>
          <div>
            <span class="time" title="2025-01-21T21:00:00Z">1 day ago</span>
            <a class="reply" data-comment-id="1002" data-parent-thread="1001" data-commentee-id="456"><span>Reply</span></a>
          </div>
        </div>
      </div>
    </li>
  </ul>
</li>
<li class="top-level-reply">
  <div id="comments-999" class="comment " data-comment-id="999">
    <a href="/users/carol" id="comment-user" data-comment-user="carol"><img class="avatar" src="x"></a>
    <div class="info"><div class="name"><a href="/users/carol">carol</a></div>
      <div class="content">a &lt;b&gt; &amp; c</div></div>
  </div>
  <ul class="replies"></ul>
</li>"#;

    #[test]
    fn parses_the_synthetic_skeleton() {
        let comments = parse_profile_comments(SYNTHETIC, &url()).unwrap();
        assert_eq!(comments.len(), 2);
        let top = &comments[0];
        assert_eq!(top.id, CommentId(1001));
        assert_eq!(top.author, "alice");
        assert_eq!(top.author_id, Some(UserId(123)));
        assert!(!top.author_scratch_team);
        assert_eq!(top.content, "Hello there!");
        assert_eq!(top.created.unwrap().unix_seconds(), 1_737_491_864);
        assert_eq!(top.parent_id, None);
        assert_eq!(
            top.author_avatar.as_deref(),
            Some("//cdn2.scratch.mit.edu/get_image/user/123_60x60.png")
        );
        assert_eq!(top.replies.len(), 1);
        let reply = &top.replies[0];
        assert_eq!(reply.id, CommentId(1002));
        assert_eq!(reply.author, "bob");
        assert!(reply.author_scratch_team);
        assert_eq!(reply.parent_id, Some(CommentId(1001)));
        assert_eq!(reply.content, "@alice hi!");
        let second = &comments[1];
        assert_eq!(second.content, "a <b> & c");
        assert_eq!(second.content_html, "a &lt;b&gt; &amp; c");
        assert!(second.created.is_none() && second.author_id.is_none());
    }

    #[test]
    fn empty_page_is_empty_and_layout_changes_are_errors() {
        assert!(parse_profile_comments("", &url()).unwrap().is_empty());
        assert!(parse_profile_comments("\n  \n", &url()).unwrap().is_empty());
        let err = parse_profile_comments("<ul><li>something else</li></ul>", &url()).unwrap_err();
        assert!(matches!(
            err,
            Error::Scrape {
                what: "li.top-level-reply",
                ..
            }
        ));
        let no_id = r#"<li class="top-level-reply"><div class="comment"><div class="content">x</div></div></li>"#;
        assert!(matches!(
            parse_profile_comments(no_id, &url()),
            Err(Error::Scrape {
                what: "div.comment[data-comment-id]",
                ..
            })
        ));
        let no_content = r#"<li class="top-level-reply"><div class="comment" data-comment-id="3"><a data-comment-user="x"></a></div></li>"#;
        assert!(matches!(
            parse_profile_comments(no_content, &url()),
            Err(Error::Scrape {
                what: "div.content",
                ..
            })
        ));
    }

    #[test]
    fn parses_a_posted_comment() {
        let html = r#"<div id="comments-55" class="comment " data-comment-id="55">
  <a href="/users/me" id="comment-user" data-comment-user="me"><img class="avatar" src="//a/9_60x60.png" width="45" height="45"></a>
  <div class="info"><div class="name"><a href="/users/me">me</a></div>
    <div class="content">hi</div>
    <div><span class="time" title="2025-06-01T00:00:00Z">just now</span>
    <a class="reply" data-comment-id="55" data-parent-thread="50" data-commentee-id="9"><span>Reply</span></a></div></div>
</div>"#;
        let c = parse_posted_comment(html, &url()).unwrap();
        assert_eq!(c.id, CommentId(55));
        assert_eq!(c.parent_id, Some(CommentId(50)));
        assert_eq!(c.author_id, Some(UserId(9)));
        assert!(parse_posted_comment("<p>no</p>", &url()).is_err());
    }

    #[test]
    fn refusals_are_typed() {
        match comment_post_refusal(r#"{"error": "isFlood"}"#) {
            Some(Error::CommentRejected {
                reason,
                mute_status,
            }) => {
                assert_eq!(reason, "isFlood");
                assert!(mute_status.is_none());
            }
            other => panic!("{other:?}"),
        }
        let muted = r#"<script id="error-data" type="application/json">{"mute_status": {"offenses": [], "showWarning": true, "muteExpiresAt": 1700000300, "currentMessageType": "general"}, "error": "isMuted"}</script>
<p>rest of the page</p>"#;
        match comment_post_refusal(muted) {
            Some(Error::CommentRejected {
                reason,
                mute_status: Some(m),
            }) => {
                assert_eq!(reason, "isMuted");
                assert_eq!(m.mute_expires_at.unwrap().unix_seconds(), 1_700_000_300);
            }
            other => panic!("{other:?}"),
        }
        assert!(comment_post_refusal("<div>ok</div>").is_none());
        assert!(comment_post_refusal("{not json").is_none());
        assert!(comment_post_refusal("<script id=\"error-data\">").is_none());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in ".*") {
            let _ = parse_profile_comments(&s, &url());
            let _ = parse_posted_comment(&s, &url());
            let _ = comment_post_refusal(&s);
        }

        #[test]
        fn never_panics_on_comment_like_markup(s in "(<li class=\"top-level-reply\">|<div data-comment-id=\"[0-9]{0,3}\">|<ul class=\"replies\">|<li class=\"reply\">|<div class=\"content\">|</div>|</li>|x|&amp;|\\*){0,30}") {
            let _ = parse_profile_comments(&s, &url());
            let _ = parse_posted_comment(&s, &url());
        }
    }
}
