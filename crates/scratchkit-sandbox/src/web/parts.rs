//! Pieces shared by several pages: project cards, user lists and comment threads.

use rusqlite::Connection;

use super::layout::Viewer;
use super::text::{ago, esc, esc_lines, url_part};
use crate::store::Page;
use crate::store::comments::{self, CommentRow, Place};
use crate::store::projects::ProjectRow;
use crate::store::users::UserRow;

/// A grid of project cards (`empty` when there are none).
pub(crate) fn project_grid(projects: &[ProjectRow], empty: &str) -> String {
    if projects.is_empty() {
        return format!("<p class=\"empty\">{}</p>", esc(empty));
    }
    let mut out = String::from("<ul class=\"cards\">");
    for p in projects {
        out.push_str(&format!(
            "<li class=\"card\"><a class=\"thumb\" href=\"/web/projects/{id}\" aria-hidden=\"true\">{initial}</a>\
<a class=\"title\" href=\"/web/projects/{id}\" title=\"{title}\">{title}</a>\
<a class=\"by\" href=\"/web/users/{ou}\">{owner}</a>\
<span class=\"stats\">♥ {loves} · ★ {favs} · {views} views</span></li>",
            id = p.id,
            initial = esc(&p.title.chars().next().unwrap_or('?').to_string()),
            title = esc(&p.title),
            ou = url_part(&p.owner_username),
            owner = esc(&p.owner_username),
            loves = p.loves,
            favs = p.favorites,
            views = p.views,
        ));
    }
    out.push_str("</ul>");
    out
}

/// A list of user links (`empty` when there are none).
pub(crate) fn user_list(users: &[UserRow], empty: &str) -> String {
    if users.is_empty() {
        return format!("<p class=\"empty\">{}</p>", esc(empty));
    }
    let mut out = String::from("<ul class=\"users\">");
    for u in users {
        out.push_str(&format!(
            "<li><a href=\"/web/users/{}\">{}</a></li>",
            url_part(&u.username),
            esc(&u.username)
        ));
    }
    out.push_str("</ul>");
    out
}

/// Where a thread's comments are posted (the API route a bot uses) and how it answers.
pub(crate) struct CommentEndpoint {
    pub place: Place,
    pub object_id: i64,
    /// The write route, e.g. `/api/proxy/comments/project/1`.
    pub post_url: String,
    /// `json` (api.scratch.mit.edu answers) or `html` (the old site's profile comments).
    pub answers: &'static str,
    pub allowed: bool,
}

fn comment_form(t: &CommentEndpoint, reply_to: Option<&CommentRow>) -> String {
    let (hidden, label, button) = match reply_to {
        Some(c) => (
            format!(
                "<input type=\"hidden\" name=\"parent_id\" value=\"{}\"><input type=\"hidden\" name=\"commentee_id\" value=\"{}\">",
                c.parent_id.unwrap_or(c.id),
                c.author_id
            ),
            format!("Reply to {}", esc(&c.author_username)),
            "Reply",
        ),
        None => (String::new(), "Add a comment".to_owned(), "Post"),
    };
    format!(
        "<form class=\"comment-form\" data-url=\"{url}\" data-answers=\"{answers}\">{hidden}\
<textarea name=\"content\" rows=\"3\" maxlength=\"10000\" aria-label=\"{label}\" placeholder=\"{label}\" required></textarea>\
<div class=\"row\"><button type=\"submit\">{button}</button><span class=\"form-error\" role=\"alert\"></span></div></form>",
        url = esc(&t.post_url),
        answers = t.answers,
    )
}

fn comment_item(c: &CommentRow, now: i64, extra: &str) -> String {
    format!(
        "<article class=\"comment\" id=\"comment-{id}\" data-comment-id=\"{id}\">\
<header><a class=\"author\" href=\"/web/users/{au}\">{author}</a> <time datetime=\"{iso}\">{age}</time></header>\
<div class=\"content\">{content}</div>{extra}</article>",
        id = c.id,
        au = url_part(&c.author_username),
        author = esc(&c.author_username),
        iso = crate::timefmt::iso(c.created),
        age = ago(c.created, now),
        content = esc_lines(&c.content),
    )
}

/// The comments of a project, studio or profile (newest threads first, replies oldest first),
/// with a form to post and to reply when the viewer may.
pub(crate) fn comment_section(
    conn: &Connection,
    t: &CommentEndpoint,
    viewer: Option<&Viewer>,
    now: i64,
) -> rusqlite::Result<String> {
    let top = comments::top_level(
        conn,
        t.place,
        t.object_id,
        Page {
            limit: 40,
            offset: 0,
        },
    )?;
    let mut out = String::from("<section class=\"comments\" id=\"comments\"><h2>Comments</h2>");
    match (viewer, t.allowed) {
        (_, false) => out.push_str("<p class=\"empty\">Comments are turned off.</p>"),
        (None, true) => out.push_str(
            "<p class=\"empty\"><a href=\"/web/login\">Log in</a> to leave a comment.</p>",
        ),
        (Some(_), true) => out.push_str(&comment_form(t, None)),
    }
    if top.is_empty() {
        out.push_str("<p class=\"empty\">No comments yet.</p>");
    }
    for c in &top {
        let replies = comments::replies(
            conn,
            t.place,
            t.object_id,
            c.id,
            Page {
                limit: 50,
                offset: 0,
            },
        )?;
        let mut inner = String::new();
        if !replies.is_empty() {
            inner.push_str("<div class=\"replies\">");
            for r in &replies {
                inner.push_str(&comment_item(r, now, ""));
            }
            inner.push_str("</div>");
        }
        if viewer.is_some() && t.allowed {
            inner.push_str(&format!(
                "<details class=\"reply\"><summary>Reply</summary>{}</details>",
                comment_form(t, Some(c))
            ));
        }
        out.push_str(&comment_item(c, now, &inner));
    }
    out.push_str("</section>");
    Ok(out)
}
