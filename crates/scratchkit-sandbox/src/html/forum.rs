//! Forum pages (djangobb, `html.md` §7.1–§7.6): the index, category pages, topic pages,
//! `/discuss/post/<id>/`, the BBCode source and the Atom feeds. Dates are rendered in UTC.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;

use super::bbcode;
use super::markup::{
    avatar, escape, forum_date, html, iso_z, page, page_count, page_number, pagination,
};
use crate::routes::reply::{Params, SiteError, id};
use crate::state::Shared;
use crate::store::forums::{
    self, Category, LastPost, POSTS_PER_PAGE, Post, TOPICS_PER_PAGE, Topic,
};

/// The `og:url`/feed links point at the live site's URLs (what peers parse).
const SITE: &str = "https://scratch.mit.edu";

fn ensure(s: &Shared) -> Result<(), SiteError> {
    s.store.write(|c| forums::ensure(c))?;
    Ok(())
}

fn numeric(segment: &str) -> Result<i64, SiteError> {
    id(segment).map_err(|_| SiteError::NotFound)
}

fn last_post_cell(last: Option<&LastPost>) -> String {
    match last {
        Some(l) => format!(
            "<td class=\"tcr\"><a href=\"/discuss/post/{}/\">{}</a> <span class=\"byuser\">by {}</span></td>",
            l.id,
            forum_date(l.created),
            escape(&l.author)
        ),
        None => "<td class=\"tcr\">Never</td>".to_owned(),
    }
}

/// `GET /discuss/`: sections (`div.box`) with one row per category.
pub(crate) async fn index(State(s): State<Shared>) -> Result<Response, SiteError> {
    ensure(&s)?;
    let cats = s.store.read(forums::categories)?;
    let mut body =
        String::from("<div class=\"djangobb\">\n<div id=\"idx1\" class=\"blocktable\">\n");
    let mut sections: Vec<(&str, Vec<&Category>)> = Vec::new();
    for c in &cats {
        match sections.iter_mut().find(|(name, _)| *name == c.section) {
            Some((_, list)) => list.push(c),
            None => sections.push((&c.section, vec![c])),
        }
    }
    for (section, list) in sections {
        body.push_str(&format!(
            "<div class=\"box\">\n<div class=\"box-head\"><h4><span class=\"toggle\"></span>{}</h4></div>\n\
<div class=\"box-content\"><table cellspacing=\"0\">\n<thead><tr><th class=\"tcl\" scope=\"col\">Forum</th><th class=\"tc2\" scope=\"col\">Topics</th>\
<th class=\"tc3\" scope=\"col\">Posts</th><th class=\"tcr\" scope=\"col\">Last post</th></tr></thead>\n<tbody>\n",
            escape(section)
        ));
        for c in list {
            body.push_str(&format!(
                "<tr>\n<td class=\"tcl\"><div class=\"intd\"><div class=\"icon\"><div class=\"nosize\"><!-- --></div></div>\
<div class=\"tclcon\"><h3><a href=\"/discuss/{id}/\">{name}</a></h3>\n{description}\n</div></div></td>\n\
<td class=\"tc2\">{topics}</td>\n<td class=\"tc3\">{posts}</td>\n{last}\n</tr>\n",
                id = c.id,
                name = escape(&c.name),
                description = escape(&c.description),
                topics = c.topic_count,
                posts = c.post_count,
                last = last_post_cell(c.last_post.as_ref()),
            ));
        }
        body.push_str("</tbody>\n</table></div>\n</div>\n");
    }
    body.push_str("</div>\n</div>");
    Ok(html(page("Discuss Scratch", "", &body)))
}

fn topic_row(t: &Topic) -> String {
    let icon = match (t.sticky, t.closed) {
        (true, true) => "isticky iclosed",
        (true, false) => "isticky",
        (false, true) => "iclosed",
        (false, false) => "forumicon",
    };
    format!(
        "<tr>\n<td class=\"tcl\">\n<div class=\"intd\">\n<div class=\"{icon}\"><div class=\"nosize\"><!-- --></div></div>\n\
<div class=\"tclcon\">\n<h3><a href=\"/discuss/topic/{id}/\">{title}</a></h3>\n<span class=\"byuser\">by {author}</span>\n</div>\n</div>\n</td>\n\
<td class=\"tc2\">{replies}</td>\n<td class=\"tc3\">{views}</td>\n{last}\n</tr>\n",
        id = t.id,
        title = escape(&t.title),
        author = escape(&t.author),
        replies = (t.post_count - 1).max(0),
        views = t.views,
        last = last_post_cell(t.last_post.as_ref()),
    )
}

/// `GET /discuss/<id>/?page=<n>`: 25 topics per page, sticky first; 404 past the end.
pub(crate) async fn category(
    State(s): State<Shared>,
    Path(cat): Path<String>,
    params: Params,
) -> Result<Response, SiteError> {
    ensure(&s)?;
    let cat = numeric(&cat)?;
    let page_no = page_number(params.get("page")).ok_or(SiteError::NotFound)?;
    let (c, topics) = s
        .store
        .read(|conn| {
            let Some(c) = forums::category(conn, cat)? else {
                return Ok(None);
            };
            let topics =
                forums::topics(conn, cat, TOPICS_PER_PAGE, (page_no - 1) * TOPICS_PER_PAGE)?;
            Ok(Some((c, topics)))
        })?
        .ok_or(SiteError::NotFound)?;
    let pages = page_count(c.topic_count, TOPICS_PER_PAGE);
    if page_no > pages {
        return Err(SiteError::NotFound);
    }
    let mut rows = String::new();
    for t in &topics {
        rows.push_str(&topic_row(t));
    }
    if topics.is_empty() {
        rows.push_str("<tr><td class=\"djangobbcon1\" colspan=\"4\">Forum is empty.</td></tr>\n");
    }
    let crumbs = format!(
        "<ul><li><a href=\"/discuss/\">Discussion Forums</a> </li><li>&raquo; {}</li></ul>",
        escape(&c.name)
    );
    let body = format!(
        "<div class=\"djangobb\">\n<div class=\"linkst\"><div class=\"inbox\">{crumbs}</div></div>\n\
{pagination}\n<div id=\"vf\" class=\"blocktable\">\n<div class=\"box\">\n<div class=\"box-head\"><h4><span>{name}</span></h4></div>\n\
<div class=\"box-content\">\n<table cellspacing=\"0\">\n<thead><tr><th class=\"tcl\" scope=\"col\">Topic</th><th class=\"tc2\" scope=\"col\">Replies</th>\
<th class=\"tc3\" scope=\"col\">Views</th><th class=\"tcr\" scope=\"col\">Last Post</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n</div>\n</div>\n</div>\n\
{pagination}\n<div class=\"linksb\"><div class=\"inbox\">{crumbs}</div></div>\n</div>",
        pagination = pagination(page_no, pages),
        name = escape(&c.name),
    );
    Ok(html(page(&c.name, "", &body)))
}

fn post_block(p: &Post, index: i64, topic_title: &str) -> String {
    let name = escape(&p.author);
    let rank = match p.author_role.as_str() {
        "scratch_team" => "Scratch Team",
        "new_scratcher" => "New Scratcher",
        _ => "Scratcher",
    };
    let edited = match (&p.edited, &p.edited_by) {
        (Some(when), Some(by)) => format!(
            "\n<p class=\"postedit\"><em class=\"posteditmessage\">Last edited by {} ({})</em></p>",
            escape(by),
            forum_date(*when)
        ),
        _ => String::new(),
    };
    let signature = p
        .signature
        .as_deref()
        .map(|s| {
            format!(
                "\n<div class=\"postsignature\"><hr>{}</div>",
                bbcode::render(s)
            )
        })
        .unwrap_or_default();
    format!(
        "<div id=\"p{id}\" class=\"blockpost roweven firstpost\">\n<a name=\"post-{id}\"></a>\n<div class=\"box\">\n<div class=\"box-head\">\n\
<span class=\"conr\">#{index}</span>\n<a href=\"/discuss/post/{id}/\">{date}</a>\n</div>\n<div class=\"box-content\">\n<div class=\"postleft\">\n<dl>\n\
<dt><a class=\"black username\" href=\"/users/{name}/\">{name}</a></dt>\n\
<dd class=\"postavatar\"><a href=\"/users/{name}/\"><img src=\"{avatar}\" width=\"60\" height=\"60\"></a></dd>\n\
<dd class=\"postrank\">{rank}</dd>\n<dd>{count} posts</dd>\n</dl>\n</div>\n<div class=\"postright\">\n<h3>{title}</h3>\n<div class=\"postmsg\">\n\
<div class=\"post_body_html\">{body}</div>{edited}\n</div>{signature}\n</div>\n<div class=\"clearer\"><div class=\"nosize\"><!-- --></div></div>\n</div>\n</div>\n</div>\n",
        id = p.id,
        date = forum_date(p.created),
        avatar = avatar(p.author_id, 60),
        count = p.author_posts,
        title = escape(topic_title),
        body = bbcode::render(&p.body),
    )
}

/// A topic page (`page_no` 1-based); `None` when the topic does not exist.
fn topic_page(conn: &Connection, topic_id: i64, page_no: i64) -> Result<String, SiteError> {
    let t = forums::topic(conn, topic_id)?.ok_or(SiteError::NotFound)?;
    let pages = page_count(t.post_count, POSTS_PER_PAGE);
    if page_no > pages {
        return Err(SiteError::NotFound);
    }
    let offset = (page_no - 1) * POSTS_PER_PAGE;
    let posts = forums::posts(conn, topic_id, POSTS_PER_PAGE, offset)?;
    forums::add_view(conn, topic_id)?;
    let crumbs = format!(
        "<ul><li><a href=\"/discuss/\">Discussion Forums</a> </li><li>&raquo; <a href=\"/discuss/{cid}/\">{cname}</a> </li><li>&raquo; {title}</li></ul>",
        cid = t.category_id,
        cname = escape(&t.category_name),
        title = escape(&t.title),
    );
    let mut blocks = String::new();
    for (i, p) in posts.iter().enumerate() {
        let index = offset + i64::try_from(i).unwrap_or(0) + 1;
        blocks.push_str(&post_block(p, index, &t.title));
    }
    let body = format!(
        "<div class=\"djangobb\">\n<div class=\"linkst\"><div class=\"inbox\">{crumbs}</div></div>\n{pagination}\n\
<div id=\"topic\">\n{blocks}</div>\n{pagination}\n<div class=\"linksb\"><div class=\"inbox\">{crumbs}</div></div>\n</div>",
        pagination = pagination(page_no, pages),
    );
    let head = format!("<meta property=\"og:url\" content=\"{SITE}/discuss/topic/{topic_id}/\">\n");
    Ok(page(&t.title, &head, &body))
}

/// `GET /discuss/topic/<id>/?page=<n>`: 20 posts per page; 404 past the end.
pub(crate) async fn topic(
    State(s): State<Shared>,
    Path(topic_id): Path<String>,
    params: Params,
) -> Result<Response, SiteError> {
    ensure(&s)?;
    let topic_id = numeric(&topic_id)?;
    let page_no = page_number(params.get("page")).ok_or(SiteError::NotFound)?;
    let body = s.store.write(|c| Ok(topic_page(c, topic_id, page_no)))??;
    Ok(html(body))
}

/// `GET /discuss/post/<id>/`: the topic page that holds the post.
pub(crate) async fn post(
    State(s): State<Shared>,
    Path(post_id): Path<String>,
) -> Result<Response, SiteError> {
    ensure(&s)?;
    let post_id = numeric(&post_id)?;
    let body = s.store.write(|c| {
        Ok((|| {
            let p = forums::post(c, post_id)?.ok_or(SiteError::NotFound)?;
            let position = forums::position(c, p.topic_id, p.id)?;
            let page_no = (position - 1) / POSTS_PER_PAGE + 1;
            topic_page(c, p.topic_id, page_no)
        })())
    })??;
    Ok(html(body))
}

/// `GET /discuss/post/<id>/source/`: the BBCode as plain text.
pub(crate) async fn source(
    State(s): State<Shared>,
    Path(post_id): Path<String>,
) -> Result<Response, SiteError> {
    ensure(&s)?;
    let post_id = numeric(&post_id)?;
    let p = s
        .store
        .read(|c| forums::post(c, post_id))?
        .ok_or(SiteError::NotFound)?;
    Ok((
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        p.body,
    )
        .into_response())
}

fn feed(title: &str, self_link: &str, entries: &[(Post, String, String)]) -> String {
    let updated = entries
        .first()
        .map(|(p, _, _)| p.edited.unwrap_or(p.created))
        .unwrap_or(0);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en-us\">\
<title>Latest posts on {title}</title><link href=\"{SITE}{self_link}\" rel=\"alternate\"></link>\
<id>{SITE}{self_link}</id><updated>{updated}</updated>",
        title = escape(title),
        updated = iso_z(updated),
    );
    for (p, category, topic) in entries {
        out.push_str(&format!(
            "<entry><title>Discussion Forums :: {category} :: {topic}</title>\
<link href=\"{SITE}/discuss/post/{id}/\" rel=\"alternate\"></link><published>{published}</published>\
<updated>{updated}</updated><author><name>{author}</name></author><id>{id}</id>\
<summary type=\"html\">{summary}</summary></entry>",
            category = escape(category),
            topic = escape(topic),
            id = p.id,
            published = iso_z(p.created),
            updated = iso_z(p.edited.unwrap_or(p.created)),
            author = escape(&p.author),
            summary = escape(&bbcode::render(&p.body)),
        ));
    }
    out.push_str("</feed>\n");
    out
}

fn atom(body: String) -> Response {
    (
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        body,
    )
        .into_response()
}

/// Posts in a feed: newest first, at most this many.
const FEED_ENTRIES: i64 = 25;

/// `GET /discuss/feeds/topic/<id>/`.
pub(crate) async fn topic_feed(
    State(s): State<Shared>,
    Path(topic_id): Path<String>,
) -> Result<Response, SiteError> {
    ensure(&s)?;
    let topic_id = numeric(&topic_id)?;
    let body = s
        .store
        .read(|c| {
            let Some(t) = forums::topic(c, topic_id)? else {
                return Ok(None);
            };
            let posts = forums::latest_posts(c, Some(topic_id), None, FEED_ENTRIES)?;
            let entries: Vec<_> = posts
                .into_iter()
                .map(|p| (p, t.category_name.clone(), t.title.clone()))
                .collect();
            Ok(Some(feed(
                &t.title,
                &format!("/discuss/topic/{topic_id}/"),
                &entries,
            )))
        })?
        .ok_or(SiteError::NotFound)?;
    Ok(atom(body))
}

/// `GET /discuss/feeds/forum/<id>/`.
pub(crate) async fn category_feed(
    State(s): State<Shared>,
    Path(cat): Path<String>,
) -> Result<Response, SiteError> {
    ensure(&s)?;
    let cat = numeric(&cat)?;
    let body = s
        .store
        .read(|c| {
            let Some(category) = forums::category(c, cat)? else {
                return Ok(None);
            };
            let posts = forums::latest_posts(c, None, Some(cat), FEED_ENTRIES)?;
            let mut entries = Vec::new();
            for p in posts {
                let title = forums::topic(c, p.topic_id)?
                    .map(|t| t.title)
                    .unwrap_or_default();
                entries.push((p, category.name.clone(), title));
            }
            Ok(Some(feed(
                &category.name,
                &format!("/discuss/{cat}/"),
                &entries,
            )))
        })?
        .ok_or(SiteError::NotFound)?;
    Ok(atom(body))
}
