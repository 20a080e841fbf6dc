//! api.scratch.mit.edu under `/api`.

mod accounts;
pub(crate) use accounts::username_check;
mod explore;
mod projects;
mod site_wide;
mod studios;
mod users;

use axum::Router;
use axum::routing::get;

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
        .route("/projects/{id}", get(projects::project))
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
        .fallback(|| async { ApiError::NotFound })
}
