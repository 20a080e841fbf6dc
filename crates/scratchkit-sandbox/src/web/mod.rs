//! The sandbox as a website a person can click through (`scratch sandbox`, then open its
//! address in a browser): server-rendered pages under `/web/…` (the home page at `/`) and the
//! sandbox panel at `/_sandbox`.
//!
//! The pages only *read* the world (the profile and forum pages may create their lazily made
//! tables, as the old-site pages do). Everything a person does on them (log in, comment, love,
//! favourite, mark messages read, share, change faults or settings) is a `fetch` from
//! `static/app.js` to the very API route a bot calls, with the same session cookie, CSRF
//! double-submit token, permissions and flood control. So what a person does, a bot sees, and
//! the reverse. The old-site pages that scrapers read (`/site/…`) are untouched.
//!
//! See `docs/sandbox-web.md` for the page map.

pub(crate) mod assets;
mod cloud;
mod forums;
mod home;
mod layout;
mod messages;
mod mystuff;
pub(crate) mod panel;
mod parts;
mod project;
pub(crate) mod recent;
pub(crate) mod signup;
mod studio;
mod text;
mod user;

use axum::Router;
use axum::routing::get;

use crate::state::Shared;

/// The website's routes, with their full paths (merged into the top-level router).
pub(crate) fn router() -> Router<Shared> {
    Router::new()
        .route("/", get(home::home))
        .route("/web", get(home::home))
        .route("/web/explore", get(home::explore))
        .route("/web/search", get(home::search))
        .route("/web/login", get(user::login_page))
        .route("/web/signup/{token}", get(signup::page_of))
        .route("/web/users/{user}", get(user::profile))
        .route("/web/projects/{id}", get(project::show))
        .route("/web/projects/{id}/cloud", get(cloud::monitor))
        .route("/web/projects/{id}/cloud/live", get(cloud::live))
        .route("/web/studios/{id}", get(studio::page_of))
        .route("/web/messages", get(messages::page_of))
        .route("/web/mystuff", get(mystuff::page_of))
        .route("/web/discuss", get(forums::index))
        .route("/web/discuss/{category}", get(forums::category))
        .route("/web/discuss/topic/{topic}", get(forums::topic))
        .route("/web/static/{file}", get(assets::file))
}
