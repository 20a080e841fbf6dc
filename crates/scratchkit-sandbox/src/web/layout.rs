//! The page shell (header, navigation, footer), the logged-in viewer and page errors.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::text::{esc, url_part};
use crate::auth::{Auth, Cred};

/// The person looking at a page (the session cookie's user).
#[derive(Debug, Clone)]
pub(crate) struct Viewer {
    pub id: i64,
    pub username: String,
    pub unread: i64,
    /// A Scratch Team member (may post in closed topics and staff-only forums).
    pub staff: bool,
}

impl Viewer {
    /// The viewer of a request, when its session cookie is live.
    pub(crate) fn of(auth: &Auth) -> Option<Viewer> {
        auth.via(Cred::Cookie).map(|login| Viewer {
            id: login.user.id,
            username: login.user.username.clone(),
            unread: login.user.message_count,
            staff: login.user.scratchteam(),
        })
    }
}

/// Why a page could not be shown.
#[derive(Debug)]
pub(crate) enum WebError {
    /// No such user, project, studio… (what is missing).
    NotFound(&'static str),
    /// The page needs a logged-in viewer; back to this path after logging in.
    LoginNeeded(String),
    /// The database failed.
    Database(rusqlite::Error),
}

impl From<rusqlite::Error> for WebError {
    fn from(e: rusqlite::Error) -> Self {
        WebError::Database(e)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::NotFound(what) => {
                let body = format!(
                    "<h1>Not found</h1><p class=\"empty\">There is no such {} in this sandbox.</p>",
                    esc(what)
                );
                let mut r = page("Not found", None, &body);
                *r.status_mut() = StatusCode::NOT_FOUND;
                r
            }
            WebError::LoginNeeded(next) => {
                Redirect::to(&format!("/web/login?next={}", url_part(&next))).into_response()
            }
            WebError::Database(e) => {
                tracing::error!(error = %e, "web page: database error");
                let mut r = page(
                    "Error",
                    None,
                    "<h1>Something went wrong</h1><p class=\"empty\">The sandbox's database failed; see its log.</p>",
                );
                *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
                r
            }
        }
    }
}

/// A page result.
pub(crate) type WebResult = Result<Response, WebError>;

fn nav(viewer: Option<&Viewer>) -> String {
    let mut out = String::from(
        "<header class=\"top\"><nav>\
<a class=\"brand\" href=\"/\">Scratch<span>sandbox</span></a>\
<a href=\"/web/explore\">Explore</a><a href=\"/web/discuss\">Forums</a>\
<form class=\"search\" action=\"/web/search\" method=\"get\"><input name=\"q\" type=\"search\" placeholder=\"Search\" aria-label=\"Search\"></form>\
<span class=\"spacer\"></span>",
    );
    match viewer {
        Some(v) => {
            let badge = if v.unread > 0 {
                format!(" <span class=\"badge\" id=\"unread\">{}</span>", v.unread)
            } else {
                String::new()
            };
            out.push_str(&format!(
                "<a href=\"/web/messages\">Messages{badge}</a><a href=\"/web/mystuff\">My Stuff</a>\
<a id=\"me\" href=\"/web/users/{u}\">{name}</a><button type=\"button\" id=\"logout\" class=\"link\">Log out</button>",
                u = url_part(&v.username),
                name = esc(&v.username),
            ));
        }
        None => out.push_str("<a id=\"login-link\" href=\"/web/login\">Log in</a>"),
    }
    out.push_str("<a class=\"panel-link\" href=\"/_sandbox\">Panel</a></nav></header>");
    out
}

/// A whole HTML page: the shell around `body` (already escaped markup).
pub(crate) fn page(title: &str, viewer: Option<&Viewer>, body: &str) -> Response {
    page_with(title, viewer, body, "/web/static")
}

/// [`page`] with its stylesheet and script from `assets` (the panel uses `/_sandbox/static`,
/// which faults never touch).
pub(crate) fn page_with(
    title: &str,
    viewer: Option<&Viewer>,
    body: &str,
    assets: &str,
) -> Response {
    let user_attr = viewer.map_or(String::new(), |v| {
        format!(" data-user=\"{}\"", esc(&v.username))
    });
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title} · Scratch sandbox</title><link rel=\"stylesheet\" href=\"{assets}/style.css\">\
<script src=\"{assets}/app.js\" defer></script></head><body{user_attr}>{nav}<main>{body}</main>\
<footer>An offline Scratch for bot authors: everything here goes through the same API routes your bot calls.</footer></body></html>\n",
        title = esc(title),
        nav = nav(viewer),
    );
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

/// The login wall for pages that need a viewer.
pub(crate) fn require(viewer: Option<Viewer>, here: &str) -> Result<Viewer, WebError> {
    viewer.ok_or_else(|| WebError::LoginNeeded(here.to_owned()))
}
