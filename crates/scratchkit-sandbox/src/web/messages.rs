//! `/web/messages`: the viewer's messages (the bell), newest first.

use axum::extract::State;
use scratchkit_model::{CommentTarget, Message, MessageType, ProjectId};

use super::layout::{Viewer, WebResult, page, require};
use super::text::{ago, esc, url_part};
use crate::auth::Auth;
use crate::render;
use crate::state::Shared;
use crate::store::{Page, messages};
use crate::timefmt::now;

/// What a message says, as markup (the actor link is added by the caller).
fn words(m: &Message) -> String {
    let project = |id: Option<ProjectId>, title: Option<&String>| {
        format!(
            "<a href=\"/web/projects/{}\">{}</a>",
            id.map_or(0, |id| id.0),
            esc(title.map_or("a project", String::as_str))
        )
    };
    let title = m.comment_obj_title.as_deref();
    match m.kind {
        MessageType::LoveProject => format!("loved {}", project(m.project_id, m.title.as_ref())),
        MessageType::FavoriteProject => format!(
            "favourited {}",
            project(m.project_id, m.project_title.as_ref())
        ),
        MessageType::AddComment => {
            let fragment = esc(m.comment_fragment.as_deref().unwrap_or(""));
            let object = m.comment_obj_id.unwrap_or(0);
            let place = match m.comment_type {
                Some(CommentTarget::Project) => format!(
                    "<a href=\"/web/projects/{object}#comments\">{}</a>",
                    esc(title.unwrap_or("a project"))
                ),
                Some(CommentTarget::Studio) => format!(
                    "<a href=\"/web/studios/{object}#comments\">{}</a>",
                    esc(title.unwrap_or("a studio"))
                ),
                _ => format!(
                    "<a href=\"/web/users/{0}#comments\">{1}</a>",
                    url_part(title.unwrap_or("")),
                    esc(title.unwrap_or("a profile"))
                ),
            };
            format!("commented on {place}: “{fragment}”")
        }
        MessageType::FollowUser => "followed you".to_owned(),
        MessageType::RemixProject => {
            format!("remixed {}", project(m.parent_id, m.parent_title.as_ref()))
        }
        MessageType::CuratorInvite => "invited you to curate a studio".to_owned(),
        MessageType::StudioActivity => "was active in a studio you curate".to_owned(),
        MessageType::ForumPost => "posted in a forum topic you follow".to_owned(),
        ref other => esc(other.as_str()),
    }
}

/// `GET /web/messages` (log in first).
pub(crate) async fn page_of(State(s): State<Shared>, auth: Auth) -> WebResult {
    let viewer = require(Viewer::of(&auth), "/web/messages")?;
    let t = now();
    let items = s.store.read(|c| {
        messages::list(
            c,
            viewer.id,
            None,
            None,
            Page {
                limit: 60,
                offset: 0,
            },
        )
    })?;
    let mut list = String::from("<ul class=\"messages\" id=\"message-list\">");
    for m in &items {
        list.push_str(&format!(
            "<li class=\"message {kind}\"><a href=\"/web/users/{u}\">{actor}</a> {what} <span class=\"muted\">{age}</span></li>",
            kind = esc(&m.kind),
            u = url_part(&m.actor_username),
            actor = esc(&m.actor_username),
            what = words(&render::message(m)),
            age = ago(m.created, t),
        ));
    }
    if items.is_empty() {
        list.push_str("<li class=\"empty\">No messages.</li>");
    }
    list.push_str("</ul>");
    let body = format!(
        "<h1>Messages</h1><p><button type=\"button\" class=\"act\" id=\"messages-clear\" data-method=\"POST\" data-url=\"/site/site-api/messages/messages-clear\">Mark all as read</button> \
<span class=\"muted\">{unread} unread</span></p>{list}",
        unread = viewer.unread,
    );
    Ok(page("Messages", Some(&viewer), &body))
}
