//! `/web/messages`: the viewer's messages (the bell), newest first.

use axum::extract::State;
use serde_json::Value;

use super::layout::{Viewer, WebResult, page, require};
use super::text::{ago, esc, url_part};
use crate::auth::Auth;
use crate::state::Shared;
use crate::store::{Page, messages};
use crate::timefmt::now;

/// What a message says, as markup (the actor link is added by the caller).
fn words(kind: &str, extra: &Value) -> String {
    let project = |id_key: &str, title_key: &str| {
        format!(
            "<a href=\"/web/projects/{}\">{}</a>",
            extra[id_key].as_i64().unwrap_or(0),
            esc(extra[title_key].as_str().unwrap_or("a project"))
        )
    };
    match kind {
        "loveproject" => format!("loved {}", project("project_id", "title")),
        "favoriteproject" => format!("favourited {}", project("project_id", "project_title")),
        "addcomment" => {
            let fragment = esc(extra["comment_fragment"].as_str().unwrap_or(""));
            let place = match extra["comment_type"].as_i64() {
                Some(0) => format!(
                    "<a href=\"/web/projects/{0}#comments\">{1}</a>",
                    extra["comment_obj_id"].as_i64().unwrap_or(0),
                    esc(extra["comment_obj_title"].as_str().unwrap_or("a project"))
                ),
                Some(2) => format!(
                    "<a href=\"/web/studios/{0}#comments\">{1}</a>",
                    extra["comment_obj_id"].as_i64().unwrap_or(0),
                    esc(extra["comment_obj_title"].as_str().unwrap_or("a studio"))
                ),
                _ => format!(
                    "<a href=\"/web/users/{0}#comments\">{1}</a>",
                    url_part(extra["comment_obj_title"].as_str().unwrap_or("")),
                    esc(extra["comment_obj_title"].as_str().unwrap_or("a profile"))
                ),
            };
            format!("commented on {place}: “{fragment}”")
        }
        "followuser" => "followed you".to_owned(),
        "remixproject" => format!("remixed {}", project("parent_id", "parent_title")),
        "curatorinvite" => "invited you to curate a studio".to_owned(),
        "studioactivity" => "was active in a studio you curate".to_owned(),
        "forumpost" => "posted in a forum topic you follow".to_owned(),
        other => esc(other),
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
        let extra: Value = serde_json::from_str(&m.extra).unwrap_or(Value::Null);
        list.push_str(&format!(
            "<li class=\"message {kind}\"><a href=\"/web/users/{u}\">{actor}</a> {what} <span class=\"muted\">{age}</span></li>",
            kind = esc(&m.kind),
            u = url_part(&m.actor_username),
            actor = esc(&m.actor_username),
            what = words(&m.kind, &extra),
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
