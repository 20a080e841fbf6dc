//! `/web/users/<name>` (a profile) and `/web/login` (the login form).

use axum::extract::{Path, Query, State};
use serde::Deserialize;

use super::layout::{Viewer, WebError, WebResult, page};
use super::parts::{CommentEndpoint, comment_section, project_grid, user_list};
use super::text::{esc, esc_lines, url_part};
use crate::accounts::demo_accounts;
use crate::auth::Auth;
use crate::state::Shared;
use crate::store::comments::Place;
use crate::store::{Page, profile_comments, projects, studios, users};
use crate::timefmt::now;

const TWENTY: Page = Page {
    limit: 20,
    offset: 0,
};

/// `GET /web/users/<name>`.
pub(crate) async fn profile(
    State(s): State<Shared>,
    auth: Auth,
    Path(name): Path<String>,
) -> WebResult {
    let viewer = Viewer::of(&auth);
    let t = now();
    let found = s.store.write(|c| {
        // The profile-comment tables are created on first use (as the old site's page does).
        profile_comments::ensure(c)?;
        let Some(u) = users::by_name(c, &name)? else {
            return Ok(None);
        };
        let shared = projects::shared_by(c, u.id, TWENTY)?;
        let favourites = projects::favorites_of(c, u.id, TWENTY)?;
        let followers = users::followers(c, u.id, TWENTY)?;
        let following = users::following(c, u.id, TWENTY)?;
        let curated = studios::curated_by(c, u.id, TWENTY)?;
        let comments = comment_section(
            c,
            &CommentEndpoint {
                place: Place::User,
                object_id: u.id,
                post_url: format!("/site/site-api/comments/user/{}/add", url_part(&u.username)),
                answers: "html",
                allowed: profile_comments::comments_enabled(c, u.id)?,
            },
            viewer.as_ref(),
            t,
        )?;
        let mut studio_list = String::new();
        if curated.is_empty() {
            studio_list.push_str("<p class=\"empty\">No studios yet.</p>");
        } else {
            studio_list.push_str("<ul class=\"users\">");
            for st in &curated {
                studio_list.push_str(&format!(
                    "<li><a href=\"/web/studios/{}\">{}</a></li>",
                    st.id,
                    esc(&st.title)
                ));
            }
            studio_list.push_str("</ul>");
        }
        let role = match u.role.as_str() {
            "new_scratcher" => "New Scratcher",
            "scratch_team" => "Scratch Team",
            "teacher" => "Teacher",
            "student" => "Student",
            _ => "Scratcher",
        };
        let country = u.country.clone().unwrap_or_default();
        let follow = match &viewer {
            Some(v) if v.id != u.id => {
                let on = users::is_following(c, v.id, u.id)?;
                format!(
                    "<button type=\"button\" class=\"act\" id=\"follow\" data-method=\"PUT\" \
data-url=\"/site/site-api/users/followers/{target}/{verb}?usernames={me}\">{label}</button>",
                    target = url_part(&u.username),
                    verb = if on { "remove" } else { "add" },
                    me = url_part(&v.username),
                    label = if on { "Unfollow" } else { "Follow" },
                )
            }
            _ => String::new(),
        };
        let body = format!(
            "<div class=\"profile\" data-username=\"{uname}\"><h1 id=\"profile-name\">{uname}</h1>\
<p class=\"muted\">{role} · {country}{banned} {follow}</p>\
<div class=\"two\"><section><h2>About me</h2><div id=\"bio\">{bio}</div></section>\
<section><h2>What I'm working on</h2><div id=\"status\">{status}</div></section></div>\
<section><h2>Shared projects</h2>{shared}</section>\
<section><h2>Favourites</h2>{favs}</section>\
<section><h2>Studios I curate</h2>{studio_list}</section>\
<div class=\"two\"><section><h2>Followers</h2>{followers}</section><section><h2>Following</h2>{following}</section></div>\
{comments}</div>",
            uname = esc(&u.username),
            country = esc(&country),
            banned = if u.banned { " · banned" } else { "" },
            bio = esc_lines(&u.bio),
            status = esc_lines(&u.status),
            shared = project_grid(&shared, "No shared projects yet."),
            favs = project_grid(&favourites, "No favourites yet."),
            followers = user_list(&followers, "No followers yet."),
            following = user_list(&following, "Not following anyone yet."),
        );
        Ok(Some((u.username, body)))
    })?;
    let (title, body) = found.ok_or(WebError::NotFound("user"))?;
    Ok(page(&title, viewer.as_ref(), &body))
}

/// `?next=` of the login page.
#[derive(Debug, Deserialize)]
pub(crate) struct LoginQuery {
    next: Option<String>,
}

/// Only paths of this site are followed after logging in (never another origin).
fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n,
        _ => "/",
    }
}

/// `GET /web/login`: the form posts to `/site/login` (the route every client logs in with).
pub(crate) async fn login_page(auth: Auth, Query(q): Query<LoginQuery>) -> WebResult {
    let viewer = Viewer::of(&auth);
    let next = safe_next(q.next.as_deref());
    let mut demo = String::from("<ul class=\"users\">");
    for a in demo_accounts() {
        demo.push_str(&format!(
            "<li><button type=\"button\" class=\"link demo-login\" data-username=\"{u}\">{u}</button> <span class=\"muted\">{role}</span></li>",
            u = esc(a.username),
            role = esc(a.role.as_str()),
        ));
    }
    demo.push_str("</ul>");
    let already = viewer.as_ref().map_or(String::new(), |v| {
        format!(
            "<p class=\"notice\">You are logged in as {}.</p>",
            esc(&v.username)
        )
    });
    let body = format!(
        "<div class=\"narrow\"><h1>Log in</h1>{already}\
<form id=\"login-form\" data-next=\"{next}\"><label>Username <input name=\"username\" id=\"username\" autocomplete=\"username\" required></label>\
<label>Password <input name=\"password\" id=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>\
<div class=\"row\"><button type=\"submit\" id=\"login-submit\">Log in</button><span class=\"form-error\" role=\"alert\" id=\"login-error\"></span></div></form>\
<h2>Demo accounts</h2><p class=\"muted\">Every demo account's password is <code>{pw}</code>. Click a name to fill the form.</p>{demo}</div>",
        next = esc(next),
        pw = esc(crate::accounts::DEMO_PASSWORD),
    );
    Ok(page("Log in", viewer.as_ref(), &body))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/web/mystuff")), "/web/mystuff");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
