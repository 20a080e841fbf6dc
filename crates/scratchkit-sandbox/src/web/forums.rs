//! `/web/discuss` (categories), `/web/discuss/<category>` (topics) and
//! `/web/discuss/topic/<id>` (posts, and a reply form that posts to the old site's
//! `/site/discuss/topic/<id>` route, as a forum bot does).

use axum::extract::{Path, State};

use super::layout::{Viewer, WebError, WebResult, page};
use super::text::{ago, esc, esc_lines, url_part};
use crate::auth::Auth;
use crate::state::Shared;
use crate::store::forums;
use crate::timefmt::now;

/// `GET /web/discuss`.
pub(crate) async fn index(State(s): State<Shared>, auth: Auth) -> WebResult {
    let viewer = Viewer::of(&auth);
    let t = now();
    let cats = s.store.write(|c| {
        forums::ensure(c)?;
        forums::categories(c)
    })?;
    let mut body = String::from("<h1>Discussion forums</h1>");
    let mut section = String::new();
    for cat in &cats {
        if cat.section != section {
            if !section.is_empty() {
                body.push_str("</tbody></table>");
            }
            section.clone_from(&cat.section);
            body.push_str(&format!(
                "<h2>{}</h2><table class=\"grid\"><thead><tr><th>Forum</th><th>Topics</th><th>Posts</th><th>Last post</th></tr></thead><tbody>",
                esc(&cat.section)
            ));
        }
        let last = cat.last_post.as_ref().map_or(String::new(), |l| {
            format!("{} by {}", ago(l.created, t), esc(&l.author))
        });
        body.push_str(&format!(
            "<tr><td><a href=\"/web/discuss/{id}\">{name}</a><div class=\"muted small\">{desc}</div></td><td>{topics}</td><td>{posts}</td><td>{last}</td></tr>",
            id = cat.id,
            name = esc(&cat.name),
            desc = esc(&cat.description),
            topics = cat.topic_count,
            posts = cat.post_count,
        ));
    }
    if !section.is_empty() {
        body.push_str("</tbody></table>");
    }
    Ok(page("Forums", viewer.as_ref(), &body))
}

/// `GET /web/discuss/<category>`.
pub(crate) async fn category(
    State(s): State<Shared>,
    auth: Auth,
    Path(id): Path<String>,
) -> WebResult {
    let viewer = Viewer::of(&auth);
    let id: i64 = id.parse().map_err(|_| WebError::NotFound("forum"))?;
    let t = now();
    let (cat, topics) = s.store.write(|c| {
        forums::ensure(c)?;
        let cat = forums::category(c, id)?;
        let topics = forums::topics(c, id, 50, 0)?;
        Ok((cat, topics))
    })?;
    let cat = cat.ok_or(WebError::NotFound("forum"))?;
    let mut rows = String::new();
    for topic in &topics {
        let last = topic.last_post.as_ref().map_or(String::new(), |l| {
            format!("{} by {}", ago(l.created, t), esc(&l.author))
        });
        rows.push_str(&format!(
            "<tr><td>{sticky}<a href=\"/web/discuss/topic/{id}\">{title}</a> <span class=\"muted small\">by {author}</span></td>\
<td>{posts}</td><td>{views}</td><td>{last}</td></tr>",
            sticky = if topic.sticky { "<strong>Sticky:</strong> " } else { "" },
            id = topic.id,
            title = esc(&topic.title),
            author = esc(&topic.author),
            posts = topic.post_count,
            views = topic.views,
        ));
    }
    if topics.is_empty() {
        rows.push_str("<tr><td colspan=\"4\" class=\"empty\">No topics yet.</td></tr>");
    }
    let body = format!(
        "<p class=\"muted\"><a href=\"/web/discuss\">Forums</a> »</p><h1>{name}</h1>\
<table class=\"grid\"><thead><tr><th>Topic</th><th>Posts</th><th>Views</th><th>Last post</th></tr></thead><tbody>{rows}</tbody></table>\
<p class=\"muted small\">Scrapers read <a href=\"/site/discuss/{id}\">/site/discuss/{id}</a>.</p>",
        name = esc(&cat.name),
    );
    Ok(page(&cat.name, viewer.as_ref(), &body))
}

/// `GET /web/discuss/topic/<id>`.
pub(crate) async fn topic(
    State(s): State<Shared>,
    auth: Auth,
    Path(id): Path<String>,
) -> WebResult {
    let viewer = Viewer::of(&auth);
    let id: i64 = id.parse().map_err(|_| WebError::NotFound("topic"))?;
    let t = now();
    let (topic, staff_only, posts) = s.store.write(|c| {
        forums::ensure(c)?;
        let Some(topic) = forums::topic(c, id)? else {
            return Ok((None, false, Vec::new()));
        };
        let staff_only = forums::category(c, topic.category_id)?.is_some_and(|cat| cat.staff_only);
        let posts = forums::posts(c, id, 100, 0)?;
        Ok((Some(topic), staff_only, posts))
    })?;
    let topic = topic.ok_or(WebError::NotFound("topic"))?;
    let mut list = String::new();
    for p in &posts {
        list.push_str(&format!(
            "<article class=\"post\" id=\"post-{id}\"><header><a href=\"/web/users/{u}\">{author}</a> \
<span class=\"muted small\">{posts} posts · {age}</span></header><div class=\"content bbcode\">{body}</div></article>",
            id = p.id,
            u = url_part(&p.author),
            author = esc(&p.author),
            posts = p.author_posts,
            age = ago(p.created, t),
            body = esc_lines(&p.body),
        ));
    }
    // The same rule as the reply route: closed topics and staff-only forums take posts
    // from the Scratch Team only.
    let locked = topic.closed || staff_only;
    let reply = match &viewer {
        None => "<p class=\"empty\"><a href=\"/web/login\">Log in</a> to reply.</p>".to_owned(),
        Some(v) if locked && !v.staff => {
            "<p class=\"empty\">Only the Scratch Team posts here.</p>".to_owned()
        }
        Some(_) => format!(
            "<form id=\"forum-reply\" data-url=\"/site/discuss/topic/{id}\"><textarea name=\"body\" rows=\"5\" aria-label=\"Reply\" required></textarea>\
<div class=\"row\"><button type=\"submit\">Post reply</button><span class=\"form-error\" role=\"alert\"></span></div></form>"
        ),
    };
    let body = format!(
        "<p class=\"muted\"><a href=\"/web/discuss\">Forums</a> » <a href=\"/web/discuss/{cat}\">{cat_name}</a> »</p>\
<h1>{title}</h1>{list}<h2>Reply</h2>{reply}<p class=\"muted small\">Scrapers read <a href=\"/site/discuss/topic/{id}\">/site/discuss/topic/{id}</a>; \
posts are BBCode, shown here as text.</p>",
        cat = topic.category_id,
        cat_name = esc(&topic.category_name),
        title = esc(&topic.title),
    );
    Ok(page(&topic.title, viewer.as_ref(), &body))
}
