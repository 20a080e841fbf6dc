//! The old site's HTML (scratchr2) under `/site`: profile, project and studio comment pages, the profile page and its
//! count pages, the activity fragment and the forums (pages, Atom feeds, BBCode source and
//! forms). Structures follow `reference/html.md`, built so that scratchattach, scapi and
//! scratchclient parse them (no real recording of these pages exists).

pub(crate) mod bbcode;
mod comments;
mod forum;
pub(crate) mod forum_forms;
pub(crate) mod loves;
mod markup;
mod profile;

use axum::Router;
use axum::routing::{get, post};

use crate::state::Shared;

/// The HTML routes, with their full `/site/…` paths (merged into the top-level router).
pub(crate) fn router() -> Router<Shared> {
    Router::new()
        .route("/site/site-api/comments/user/{user}", get(comments::list))
        .route(
            "/site/site-api/comments/project/{id}",
            get(comments::project_list),
        )
        .route(
            "/site/site-api/comments/gallery/{id}",
            get(comments::gallery_list),
        )
        .route(
            "/site/site-api/comments/user/{user}/add",
            post(comments::add),
        )
        .route(
            "/site/site-api/comments/user/{user}/del",
            post(comments::delete),
        )
        .route(
            "/site/site-api/comments/user/{user}/rep",
            post(comments::report),
        )
        .route(
            "/site/site-api/comments/user/{user}/toggle-comments",
            post(comments::toggle),
        )
        .route("/site/users/{user}", get(profile::profile_page))
        .route("/site/projects/all/{user}/loves", get(loves::loves_page))
        .route("/site/users/{user}/{list}", get(profile::count_page))
        .route(
            "/site/messages/ajax/user-activity",
            get(profile::user_activity),
        )
        .route("/site/discuss", get(forum::index))
        .route("/site/discuss/{category}", get(forum::category))
        .route(
            "/site/discuss/{category}/topic/add",
            post(forum_forms::new_topic),
        )
        .route(
            "/site/discuss/topic/{topic}",
            get(forum::topic).post(forum_forms::reply),
        )
        .route("/site/discuss/post/{post}", get(forum::post))
        .route("/site/discuss/post/{post}/source", get(forum::source))
        .route("/site/discuss/post/{post}/edit", post(forum_forms::edit))
        .route("/site/discuss/feeds/topic/{topic}", get(forum::topic_feed))
        .route(
            "/site/discuss/feeds/forum/{category}",
            get(forum::category_feed),
        )
        .route("/site/discuss/misc", post(forum_forms::misc))
        .route(
            "/site/discuss/subscription/topic/{topic}/{action}",
            post(forum_forms::subscription),
        )
        .route("/site/discuss/settings/{user}", post(forum_forms::settings))
}
