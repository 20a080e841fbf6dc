//! `/web/projects/<id>`: title, notes, stats, love and favourite buttons, comments.

use axum::extract::{Path, State};

use super::layout::{Viewer, WebError, WebResult, page};
use super::parts::{CommentEndpoint, comment_section};
use super::text::{esc, esc_lines, url_part};
use crate::auth::Auth;
use crate::state::Shared;
use crate::store::comments::Place;
use crate::store::projects::{self, Mark};
use crate::timefmt::now;

fn mark_button(kind: &str, label: &str, on: bool, count: i64, url: &str, enabled: bool) -> String {
    format!(
        "<button type=\"button\" class=\"mark {kind}{on_class}\" id=\"{kind}-button\" data-url=\"{url}\" data-on=\"{on}\"{disabled}>\
{label} <span class=\"count\" id=\"{kind}-count\">{count}</span></button>",
        on_class = if on { " on" } else { "" },
        url = esc(url),
        disabled = if enabled {
            ""
        } else {
            " disabled title=\"Log in first\""
        },
    )
}

/// `GET /web/projects/<id>`.
pub(crate) async fn show(State(s): State<Shared>, auth: Auth, Path(id): Path<String>) -> WebResult {
    let viewer = Viewer::of(&auth);
    let id: i64 = id.parse().map_err(|_| WebError::NotFound("project"))?;
    let t = now();
    let body = s.store.read(|c| {
        let Some(p) = projects::by_id(c, id)? else {
            return Ok(None);
        };
        // Unshared projects are visible to their owner only, as on the API.
        if !p.shared && viewer.as_ref().map(|v| v.id) != Some(p.owner_id) {
            return Ok(None);
        }
        let (loved, faved) = match &viewer {
            Some(v) => (
                projects::has_mark(c, Mark::Love, v.id, p.id)?,
                projects::has_mark(c, Mark::Favorite, v.id, p.id)?,
            ),
            None => (false, false),
        };
        let me = viewer.as_ref().map_or(String::new(), |v| url_part(&v.username));
        let buttons = format!(
            "{}{}",
            mark_button(
                "love",
                "♥ Love",
                loved,
                p.loves,
                &format!("/api/proxy/projects/{}/loves/user/{me}", p.id),
                viewer.is_some()
            ),
            mark_button(
                "favorite",
                "★ Favourite",
                faved,
                p.favorites,
                &format!("/api/proxy/projects/{}/favorites/user/{me}", p.id),
                viewer.is_some()
            ),
        );
        let comments = comment_section(
            c,
            &CommentEndpoint {
                place: Place::Project,
                object_id: p.id,
                post_url: format!("/api/proxy/comments/project/{}", p.id),
                answers: "json",
                allowed: p.comments_allowed,
            },
            viewer.as_ref(),
            t,
        )?;
        let unshared = if p.shared {
            ""
        } else {
            "<p class=\"notice\">Not shared: only you can see this project.</p>"
        };
        let remix = p.parent_id.map_or(String::new(), |parent| {
            format!("<p class=\"muted\">A remix of <a href=\"/web/projects/{parent}\">project {parent}</a>.</p>")
        });
        Ok(Some((
            p.title.clone(),
            format!(
                "<div class=\"project\" data-project-id=\"{id}\"><h1 id=\"project-title\">{title}</h1>\
<p class=\"muted\">by <a href=\"/web/users/{ou}\">{owner}</a> · project {id}</p>{unshared}{remix}\
<div class=\"stage\" aria-hidden=\"true\">{initial}</div>\
<div class=\"actions\">{buttons}<span class=\"stat\"><span id=\"views\">{views}</span> views</span>\
<span class=\"stat\">↻ {remixes} remixes</span><a class=\"button\" href=\"/web/projects/{id}/cloud\">Cloud monitor</a>\
<a class=\"muted small\" href=\"/api/projects/{id}\">JSON</a></div>\
<section class=\"notes\"><h2>Instructions</h2><div id=\"instructions\">{instructions}</div>\
<h2>Notes and Credits</h2><div id=\"notes\">{notes}</div></section>{comments}</div>",
                title = esc(&p.title),
                ou = url_part(&p.owner_username),
                owner = esc(&p.owner_username),
                initial = esc(&p.title.chars().next().unwrap_or('?').to_string()),
                views = p.views,
                remixes = p.remixes,
                instructions = or_none(&p.instructions),
                notes = or_none(&p.description),
            ),
        )))
    })?;
    let (title, body) = body.ok_or(WebError::NotFound("project"))?;
    Ok(page(&title, viewer.as_ref(), &body))
}

fn or_none(text: &str) -> String {
    if text.trim().is_empty() {
        "<span class=\"empty\">(none)</span>".to_owned()
    } else {
        esc_lines(text)
    }
}
