//! api.scratch.mit.edu under `/api`.

mod accounts;
mod classrooms;
pub(crate) use accounts::username_check;
mod comment_writes;
mod explore;
pub(crate) mod invites;
mod loves;
mod messages;
mod project_edit;
mod projects;
mod recently_viewed;
mod site_wide;
mod studio_writes;
mod studios;
mod users;

use axum::Router;
use axum::routing::{get, post, put};

use super::reply::ApiError;
use crate::state::Shared;

pub(crate) fn router() -> Router<Shared> {
    Router::new()
        .route("/", get(site_wide::root))
        .route("/health", get(site_wide::health))
        .route("/news", get(site_wide::news))
        .route("/projects/count/all", get(site_wide::project_count))
        .route("/proxy/featured", get(site_wide::featured))
        .route("/users/{user}", get(users::user))
        .route("/users/{user}/projects", get(users::projects))
        .route("/users/{user}/favorites", get(users::favorites))
        .route("/users/{user}/followers", get(users::followers))
        .route("/users/{user}/following", get(users::following))
        .route("/users/{user}/studios/curate", get(users::curated_studios))
        .route("/users/{user}/messages/count", get(users::message_count))
        .route("/users/{user}/messages", get(messages::list))
        .route("/users/{user}/messages/admin", get(messages::admin))
        .route(
            "/users/{user}/following/users/activity",
            get(messages::activity),
        )
        .route("/users/{user}/following/users/loves", get(messages::loves))
        .route(
            "/users/{user}/following/users/projects",
            get(messages::projects_feed),
        )
        .route(
            "/users/{user}/following/studios/projects",
            get(messages::studio_projects),
        )
        .route("/users/{user}/projects/{id}", get(projects::authored))
        .route(
            "/users/{user}/projects/{id}/views",
            post(project_edit::view),
        )
        .route(
            "/users/{user}/projects/{id}/visibility",
            get(project_edit::visibility),
        )
        .route(
            "/projects/{id}/loves/user/{user}",
            get(loves::love).post(loves::love).delete(loves::love),
        )
        .route(
            "/projects/{id}/favorites/user/{user}",
            get(loves::favorite)
                .post(loves::favorite)
                .delete(loves::favorite),
        )
        .route(
            "/proxy/projects/{id}/loves/user/{user}",
            get(loves::proxy_love)
                .post(loves::proxy_love)
                .delete(loves::proxy_love),
        )
        .route(
            "/proxy/projects/{id}/favorites/user/{user}",
            get(loves::proxy_favorite)
                .post(loves::proxy_favorite)
                .delete(loves::proxy_favorite),
        )
        .route("/proxy/projects/{id}/share", put(project_edit::share))
        .route("/proxy/projects/{id}/unshare", put(project_edit::unshare))
        .route("/proxy/projects/{id}/report", post(project_edit::report))
        .route(
            "/proxy/comments/project/{id}",
            post(comment_writes::create_project_comment),
        )
        .route(
            "/proxy/comments/project/{id}/comment/{cid}",
            axum::routing::delete(comment_writes::delete_project_comment),
        )
        .route(
            "/proxy/project/{id}/comment/{cid}/report",
            post(comment_writes::report_project_comment),
        )
        .route(
            "/proxy/comments/studio/{id}",
            post(comment_writes::create_studio_comment),
        )
        .route(
            "/proxy/comments/studio/{id}/comment/{cid}",
            axum::routing::delete(comment_writes::delete_studio_comment),
        )
        .route(
            "/proxy/studio/{id}/comment/{cid}/report",
            post(comment_writes::report_studio_comment),
        )
        .route(
            "/studios/{id}/project/{pid}",
            post(studio_writes::project).delete(studio_writes::project),
        )
        .route("/studios/{id}/users/{user}", get(studio_writes::my_role))
        .route(
            "/studios/{id}/transfer/{user}",
            put(studio_writes::transfer),
        )
        .route("/accounts/checkpassword", post(accounts::check_password))
        .route(
            "/users/{user}/projects/{id}/studios",
            get(projects::studios),
        )
        .route(
            "/users/{user}/projects/{id}/comments",
            get(projects::comments),
        )
        .route(
            "/users/{user}/projects/{id}/comments/{cid}",
            get(projects::comment),
        )
        .route(
            "/users/{user}/projects/{id}/comments/{cid}/replies",
            get(projects::replies),
        )
        .route(
            "/projects/{id}",
            get(projects::project).put(project_edit::update),
        )
        .route("/projects/{id}/remixes", get(projects::remixes))
        .route("/studios/{id}", get(studios::studio))
        .route("/studios/{id}/projects", get(studios::projects))
        .route("/studios/{id}/curators", get(studios::curators))
        .route("/studios/{id}/managers", get(studios::managers))
        .route("/studios/{id}/activity", get(studios::activity))
        .route("/studios/{id}/comments", get(studios::comments))
        .route("/studios/{id}/comments/{cid}", get(studios::comment))
        .route(
            "/studios/{id}/comments/{cid}/replies",
            get(studios::replies),
        )
        .route("/explore/projects", get(explore::explore_projects))
        .route("/explore/studios", get(explore::explore_studios))
        .route("/search/projects", get(explore::search_projects))
        .route("/search/studios", get(explore::search_studios))
        .route(
            "/accounts/checkusername/{user}",
            get(accounts::check_username),
        )
        .route("/classrooms/{id}", get(accounts::classroom))
        .route("/classtoken/{token}", get(classrooms::by_token))
        .route(
            "/users/{user}/projects/recentlyviewed",
            get(recently_viewed::list),
        )
        .route("/users/{user}/invites", get(invites::status))
        .route(
            "/users/{user}/promote-to-scratcher",
            get(invites::accept)
                .post(invites::accept)
                .put(invites::accept),
        )
        .fallback(|| async { ApiError::NotFound })
}
