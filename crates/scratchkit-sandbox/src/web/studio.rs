//! `/web/studios/<id>`: projects, curators, comments and activity.

use axum::extract::{Path, State};

use super::layout::{Viewer, WebError, WebResult, page};
use super::parts::{CommentEndpoint, comment_section, user_list};
use super::text::{ago, esc, esc_lines, url_part};
use crate::auth::Auth;
use crate::state::Shared;
use crate::store::comments::Place;
use crate::store::{Page, studios};
use crate::timefmt::now;

const FORTY: Page = Page {
    limit: 40,
    offset: 0,
};

/// `GET /web/studios/<id>`.
pub(crate) async fn page_of(
    State(s): State<Shared>,
    auth: Auth,
    Path(id): Path<String>,
) -> WebResult {
    let viewer = Viewer::of(&auth);
    let id: i64 = id.parse().map_err(|_| WebError::NotFound("studio"))?;
    let t = now();
    let found = s.store.read(|c| {
        let Some(st) = studios::by_id(c, id)? else {
            return Ok(None);
        };
        let projects = studios::projects(c, id, FORTY)?;
        let managers = studios::managers(c, id, FORTY)?;
        let curators = studios::curators(c, id, FORTY)?;
        let activity = studios::activity(c, id, None, FORTY)?;
        let comments = comment_section(
            c,
            &CommentEndpoint {
                place: Place::Studio,
                object_id: id,
                post_url: format!("/api/proxy/comments/studio/{id}"),
                answers: "json",
                allowed: st.comments_allowed,
            },
            viewer.as_ref(),
            t,
        )?;
        let mut project_list = String::new();
        if projects.is_empty() {
            project_list.push_str("<p class=\"empty\">No projects yet.</p>");
        } else {
            project_list.push_str("<ul class=\"cards\">");
            for p in &projects {
                project_list.push_str(&format!(
                    "<li class=\"card\"><a class=\"thumb\" href=\"/web/projects/{id}\" aria-hidden=\"true\">{initial}</a>\
<a class=\"title\" href=\"/web/projects/{id}\">{title}</a><a class=\"by\" href=\"/web/users/{u}\">{user}</a></li>",
                    id = p.project_id,
                    initial = esc(&p.title.chars().next().unwrap_or('?').to_string()),
                    title = esc(&p.title),
                    u = url_part(&p.username),
                    user = esc(&p.username),
                ));
            }
            project_list.push_str("</ul>");
        }
        let follow = match &viewer {
            Some(v) => {
                let on = studios::is_follower(c, id, v.id)?;
                format!(
                    " <button type=\"button\" class=\"act\" id=\"follow-studio\" data-method=\"PUT\" \
data-url=\"/site/site-api/users/bookmarkers/{id}/{verb}?usernames={me}\">{label}</button>",
                    verb = if on { "remove" } else { "add" },
                    me = url_part(&v.username),
                    label = if on { "Unfollow" } else { "Follow" },
                )
            }
            None => String::new(),
        };
        let mut acts = String::from("<ul class=\"activity\">");
        for a in &activity {
            acts.push_str(&format!(
                "<li><a href=\"/web/users/{}\">{}</a> {} <span class=\"muted\">{}</span></li>",
                url_part(&a.actor_username),
                esc(&a.actor_username),
                esc(&activity_words(&a.kind)),
                ago(a.created, t),
            ));
        }
        if activity.is_empty() {
            acts.push_str("<li class=\"empty\">Nothing yet.</li>");
        }
        acts.push_str("</ul>");
        let body = format!(
            "<div class=\"studio\"><h1 id=\"studio-title\">{title}</h1>\
<p class=\"muted\">{followers} followers · {n} projects · {open}{follow}</p><div class=\"notes\">{desc}</div>\
<section><h2>Projects</h2>{project_list}</section>\
<div class=\"two\"><section><h2>Managers</h2>{managers}</section><section><h2>Curators</h2>{curators}</section></div>\
<section><h2>Activity</h2>{acts}</section>{comments}</div>",
            title = esc(&st.title),
            followers = st.followers,
            n = st.projects,
            open = if st.open_to_all {
                "anyone can add projects"
            } else {
                "curators add projects"
            },
            desc = esc_lines(&st.description),
            managers = user_list(&managers, "No managers."),
            curators = user_list(&curators, "No curators yet."),
        );
        Ok(Some((st.title, body)))
    })?;
    let (title, body) = found.ok_or(WebError::NotFound("studio"))?;
    Ok(page(&title, viewer.as_ref(), &body))
}

/// A studio activity type in words.
fn activity_words(kind: &str) -> String {
    match kind {
        "addprojecttostudio" => "added a project".to_owned(),
        "removeprojectstudio" => "removed a project".to_owned(),
        "updatestudio" => "updated the studio".to_owned(),
        "becomecurator" => "became a curator".to_owned(),
        "becomeownerstudio" => "became a manager".to_owned(),
        "becomehoststudio" => "became the host".to_owned(),
        "removecuratorstudio" => "removed a curator".to_owned(),
        other => other.to_owned(),
    }
}
