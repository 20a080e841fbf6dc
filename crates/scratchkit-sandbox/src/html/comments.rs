//! Profile comments (`html.md` §1–§3): the `site-api` fragment and the `add/`, `del/`,
//! `rep/` and `toggle-comments/` posts.
//!
//! The markup is reproduced byte for byte where peers split strings (scratchattach) or compare
//! attributes exactly (scratchclient: `class="comment "` with its trailing space).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;

use super::markup::{avatar, escape, html, iso_z, page_number, relative};
use crate::auth::{Auth, Cred};
use crate::render;
use crate::routes::reply::{Params, SiteError, body_object, int_field, text_field, tx};
use crate::state::Shared;
use crate::store::comments::{self, CommentRow, NewCommentRow, Place};
use crate::store::users::{self, UserRow};
use crate::store::{Page, profile_comments, projects, studios};
use crate::timefmt::now;

/// Top-level comments per page.
pub(crate) const COMMENTS_PER_PAGE: i64 = 20;

/// One comment's `div.comment` block (as the add response and inside the list items).
fn comment_div(c: &CommentRow, thread: i64, indent: &str, now: i64) -> String {
    let name = escape(&c.author_username);
    let star = if c.author_role == "scratch_team" {
        "*"
    } else {
        ""
    };
    format!(
        "{indent}<div id=\"comments-{id}\" class=\"comment \" data-comment-id=\"{id}\">\n\
{indent}  <a href=\"/users/{name}\" id=\"comment-user\" data-comment-user=\"{name}\"><img class=\"avatar\" src=\"{avatar}\" width=\"45\" height=\"45\"></a>\n\
{indent}  <div class=\"info\">\n\
{indent}    <div class=\"name\"><a href=\"/users/{name}\">{name}{star}</a></div>\n\
{indent}    <div class=\"content\">\n\
{indent}                    {content}\n\
{indent}    </div>\n\
{indent}    <div>\n\
{indent}      <span class=\"time\" title=\"{time}\">{ago}</span>\n\
{indent}      <a class=\"reply\" data-comment-id=\"{id}\" data-parent-thread=\"{thread}\" data-commentee-id=\"{author_id}\"><span>Reply</span></a>\n\
{indent}    </div>\n\
{indent}  </div>\n\
{indent}</div>\n",
        id = c.id,
        avatar = avatar(c.author_id, 60),
        content = escape(&c.content),
        time = iso_z(c.created),
        ago = relative(c.created, now),
        author_id = c.author_id,
    )
}

fn profile_owner(c: &Connection, name: &str) -> Result<UserRow, SiteError> {
    users::by_name(c, name)?.ok_or(SiteError::NotFound)
}

/// The comment fragment of page `page` of the comments at (`place`, `object_id`): each
/// top-level comment in an `li.top-level-reply` with its replies in `ul.replies`. `None` past
/// the last page (the site's 404).
fn fragment(
    c: &Connection,
    place: Place,
    object_id: i64,
    page: i64,
    t: i64,
) -> rusqlite::Result<Option<String>> {
    let top = comments::top_level(
        c,
        place,
        object_id,
        Page {
            limit: COMMENTS_PER_PAGE,
            offset: (page - 1) * COMMENTS_PER_PAGE,
        },
    )?;
    if top.is_empty() && page > 1 {
        return Ok(None);
    }
    let mut out = String::new();
    for comment in &top {
        out.push_str("<li class=\"top-level-reply\">\n");
        out.push_str(&comment_div(comment, comment.id, "  ", t));
        out.push_str("  <ul class=\"replies\">\n");
        let replies = comments::replies(
            c,
            place,
            object_id,
            comment.id,
            Page {
                limit: 1000,
                offset: 0,
            },
        )?;
        for reply in &replies {
            out.push_str("    <li class=\"reply\">\n");
            out.push_str(&comment_div(reply, comment.id, "      ", t));
            out.push_str("    </li>\n");
        }
        out.push_str("  </ul>\n</li>\n");
    }
    Ok(Some(out))
}

/// `GET /site-api/comments/user/<u>/?page=<n>`: the fragment; 404 past the last page.
pub(crate) async fn list(
    State(s): State<Shared>,
    Path(name): Path<String>,
    params: Params,
) -> Result<Response, SiteError> {
    let page = page_number(params.get("page")).ok_or(SiteError::NotFound)?;
    let t = now();
    let body = s
        .store
        .write(|c| -> rusqlite::Result<Result<String, SiteError>> {
            profile_comments::ensure(c)?;
            let owner = match profile_owner(c, &name) {
                Ok(u) => u,
                Err(e) => return Ok(Err(e)),
            };
            Ok(fragment(c, Place::User, owner.id, page, t)?.ok_or(SiteError::NotFound))
        })??;
    Ok(html(body))
}

/// `GET /site-api/comments/project/<id>/?page=<n>`: the same fragment for a shared project's
/// comments (an unshared or unknown project is the 404 page, as are pages past the end).
pub(crate) async fn project_list(
    State(s): State<Shared>,
    Path(project_id): Path<String>,
    params: Params,
) -> Result<Response, SiteError> {
    let page = page_number(params.get("page")).ok_or(SiteError::NotFound)?;
    let project_id = project_id.parse::<i64>().map_err(|_| SiteError::NotFound)?;
    let t = now();
    let body = s.store.read(|c| {
        Ok(match projects::by_id(c, project_id)? {
            Some(p) if p.shared => fragment(c, Place::Project, p.id, page, t)?,
            _ => None,
        })
    })?;
    body.map(html).ok_or(SiteError::NotFound)
}

/// `GET /site-api/comments/gallery/<id>/?page=<n>`: the same fragment for a studio's comments.
pub(crate) async fn gallery_list(
    State(s): State<Shared>,
    Path(studio_id): Path<String>,
    params: Params,
) -> Result<Response, SiteError> {
    let page = page_number(params.get("page")).ok_or(SiteError::NotFound)?;
    let studio_id = studio_id.parse::<i64>().map_err(|_| SiteError::NotFound)?;
    let t = now();
    let body = s.store.read(|c| {
        Ok(match studios::by_id(c, studio_id)? {
            Some(st) => fragment(c, Place::Studio, st.id, page, t)?,
            None => None,
        })
    })?;
    body.map(html).ok_or(SiteError::NotFound)
}

/// A refusal with HTTP 200, in the two shapes peers look for.
fn refusal(body: String) -> Response {
    html(body)
}

/// `POST /site-api/comments/user/<u>/add/` with `{"content","parent_id","commentee_id"}`.
pub(crate) async fn add(
    State(s): State<Shared>,
    auth: Auth,
    Path(name): Path<String>,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    let user = auth.user(Cred::Cookie)?.clone();
    let body = body_object(&bytes);
    let content = text_field(&body, "content").unwrap_or_default();
    let parent_id = int_field(&body, "parent_id");
    let commentee_id = int_field(&body, "commentee_id");
    let rules = s.settings();
    let t = now();
    tx(&s, |c| {
        profile_comments::ensure(c)?;
        let owner = profile_owner(c, &name)?;
        let mute = render::mute_status(&user, t);
        if mute.is_muted() {
            let data = serde_json::json!({"mute_status": mute, "error": "isMuted"});
            return Ok(refusal(format!(
                "<script id=\"error-data\" type=\"application/json\">{data}</script>\n"
            )));
        }
        if !profile_comments::comments_enabled(c, owner.id)? {
            return Ok(refusal(r#"{"error": "isDisallowed"}"#.to_owned()));
        }
        if content.trim().is_empty() || content.chars().count() > rules.comment_max_chars {
            return Err(SiteError::BadRequest);
        }
        if rules.comment_flood_seconds > 0
            && comments::last_by(c, user.id)?
                .is_some_and(|last| t - last < rules.comment_flood_seconds)
        {
            return Ok(refusal(r#"{"error": "isFlood"}"#.to_owned()));
        }
        let parent = match parent_id {
            Some(pid) => {
                let p =
                    comments::by_id(c, Place::User, owner.id, pid)?.ok_or(SiteError::BadRequest)?;
                Some(p.parent_id.unwrap_or(p.id))
            }
            None => None,
        };
        let commentee = match commentee_id {
            Some(uid) => Some(users::by_id(c, uid)?.ok_or(SiteError::BadRequest)?.id),
            None => None,
        };
        let id = comments::insert(
            c,
            &NewCommentRow {
                id: None,
                place: Place::User,
                object_id: owner.id,
                author_id: user.id,
                parent_id: parent,
                commentee_id: commentee,
                content: &content,
                created: t,
            },
        )?;
        let commentee_name = match commentee {
            Some(uid) => users::by_id(c, uid)?.map(|u| u.username),
            None => None,
        };
        crate::store::messages::comment_added(
            c,
            &crate::store::messages::CommentNotice {
                place: Place::User,
                comment_id: id,
                object_id: owner.id,
                object_title: &owner.username,
                author_id: user.id,
                commentee: commentee.zip(commentee_name.as_deref()),
                owners: &[owner.id],
                content: &content,
                now: t,
            },
        )?;
        let created = comments::by_id(c, Place::User, owner.id, id)?.ok_or(SiteError::Internal)?;
        Ok(html(comment_div(&created, parent.unwrap_or(id), "", t)))
    })
}

fn comment_id(bytes: &[u8]) -> Result<i64, SiteError> {
    int_field(&body_object(bytes), "id").ok_or(SiteError::BadRequest)
}

/// `POST /site-api/comments/user/<u>/del/` with `{"id":"<cid>"}`: the profile's owner, the
/// author or the Scratch Team.
pub(crate) async fn delete(
    State(s): State<Shared>,
    auth: Auth,
    Path(name): Path<String>,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    let user = auth.user(Cred::Cookie)?.clone();
    let id = comment_id(&bytes)?;
    tx(&s, |c| {
        profile_comments::ensure(c)?;
        let owner = profile_owner(c, &name)?;
        let author =
            comments::owner_of(c, Place::User, owner.id, id)?.ok_or(SiteError::NotFound)?;
        if author != user.id && owner.id != user.id && !user.scratchteam() {
            return Err(SiteError::Forbidden);
        }
        comments::delete(c, Place::User, owner.id, id)?;
        Ok(StatusCode::OK.into_response())
    })
}

/// `POST /site-api/comments/user/<u>/rep/` with `{"id":"<cid>"}`.
pub(crate) async fn report(
    State(s): State<Shared>,
    auth: Auth,
    Path(name): Path<String>,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    let user = auth.user(Cred::Cookie)?.clone();
    let id = comment_id(&bytes)?;
    let t = now();
    tx(&s, |c| {
        profile_comments::ensure(c)?;
        let owner = profile_owner(c, &name)?;
        comments::owner_of(c, Place::User, owner.id, id)?.ok_or(SiteError::NotFound)?;
        profile_comments::report(c, id, user.id, t)?;
        Ok(StatusCode::OK.into_response())
    })
}

/// `POST /site-api/comments/user/<u>/toggle-comments/`: the profile's owner only.
pub(crate) async fn toggle(
    State(s): State<Shared>,
    auth: Auth,
    Path(name): Path<String>,
) -> Result<Response, SiteError> {
    let user = auth.user(Cred::Cookie)?.clone();
    tx(&s, |c| {
        profile_comments::ensure(c)?;
        let owner = profile_owner(c, &name)?;
        if owner.id != user.id {
            return Err(SiteError::Forbidden);
        }
        profile_comments::toggle(c, owner.id)?;
        Ok(StatusCode::OK.into_response())
    })
}
