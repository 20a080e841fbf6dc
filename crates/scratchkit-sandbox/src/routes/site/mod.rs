//! scratch.mit.edu (the old "scratchr2" site) under `/site`.

mod account;
mod class_pages;
mod classrooms;
mod galleries;
mod login;
mod mystuff;
mod social;
mod statistics;
mod studio_deletion;
pub(crate) mod uploads;
mod users;

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};

use super::api::invites;
use super::reply::site_not_found;
use crate::state::Shared;

pub(crate) fn router() -> Router<Shared> {
    Router::new()
        .route(
            "/site-api/users/all/{user}",
            get(users::site_user)
                .put(social::update_profile)
                .post(uploads::avatar),
        )
        .route(
            "/site-api/users/followers/{user}/{action}",
            put(social::follow_user),
        )
        .route(
            "/site-api/users/bookmarkers/{id}/{action}",
            put(social::follow_studio),
        )
        .route(
            "/site-api/users/curators-in/{id}/{action}",
            put(galleries::curators),
        )
        .route("/studios/create", post(galleries::create))
        .route("/site-api/galleries/all", get(galleries::mine))
        .route(
            "/site-api/galleries/all/{id}",
            put(galleries::update).post(uploads::studio_thumbnail),
        )
        .route(
            "/site-api/galleries/{id}/mark/{state}",
            put(galleries::mark),
        )
        .route(
            "/site-api/comments/gallery/{id}/toggle-comments",
            post(galleries::toggle_studio_comments),
        )
        .route(
            "/site-api/comments/project/{id}/toggle-comments",
            post(mystuff::toggle_comments),
        )
        .route("/site-api/projects/{filter}", get(mystuff::list))
        .route(
            "/site-api/projects/{filter}/{target}",
            get(mystuff::shared_of).put(mystuff::update),
        )
        .route(
            "/site-api/messages/messages-clear",
            post(account::messages_clear),
        )
        .route(
            "/messages/ajax/get-message-count",
            get(account::message_count),
        )
        .route(
            "/accounts/settings",
            get(account::form_done_page).post(account::settings),
        )
        .route("/accounts/password_change", post(account::password_change))
        .route(
            "/accounts/password_change/done",
            get(account::form_done_page),
        )
        .route(
            "/accounts/email_change",
            get(account::form_done_page).post(account::email_change),
        )
        .route(
            "/accounts/settings/update_subscription",
            post(account::update_subscription),
        )
        .route("/accounts/check_password", post(account::check_password))
        .route(
            "/accounts/check_username/{user}",
            get(users::check_username),
        )
        .route("/classes/create_classroom", post(classrooms::create))
        .route(
            "/classes/create_classroom_gallery",
            post(classrooms::create_studio),
        )
        .route(
            "/classes/register_new_student",
            post(classrooms::register_student),
        )
        .route("/classes/{id}", get(class_pages::class_page))
        .route("/signup/{token}", get(crate::web::signup::page_of))
        .route("/classes/{id}/students", get(class_pages::students_page))
        .route("/classes/{id}/studios", get(class_pages::studios_page))
        .route("/site-api/classrooms/all", get(classrooms::open_list))
        .route("/site-api/classrooms/closed", get(classrooms::closed_list))
        .route(
            "/site-api/classrooms/all/{id}",
            get(classrooms::detail)
                .put(classrooms::edit)
                .post(uploads::class_thumbnail),
        )
        .route(
            "/site-api/classrooms/close_classroom/{id}",
            post(classrooms::close),
        )
        .route(
            "/site-api/classrooms/generate_registration_link/{id}",
            get(classrooms::registration_link),
        )
        .route("/site-api/classrooms/alerts", get(classrooms::alerts))
        .route(
            "/site-api/classrooms/alerts/{id}",
            get(classrooms::class_alerts),
        )
        .route(
            "/site-api/classrooms/activity/{id}/{student}",
            get(classrooms::activity),
        )
        .route(
            "/internalapi/project/thumbnail/{id}/set",
            post(uploads::project_thumbnail),
        )
        .route(
            "/users/{user}/promote-to-scratcher",
            get(invites::accept)
                .post(invites::accept)
                .put(invites::accept),
        )
        .route("/statistics/data/daily", get(statistics::daily))
        .route("/statistics/data/monthly", get(statistics::monthly))
        .route("/statistics/data/monthly-ga", get(statistics::monthly_ga))
        .route("/health", get(health))
        .route("/session", get(login::session).post(login::session))
        .route("/login", post(login::login))
        .route("/login_retry", post(login::login_retry))
        .route("/csrf_token", get(login::csrf_token))
        .route("/accounts/logout", post(login::logout))
        .fallback(|| async { site_not_found() })
}

/// `{"healthy":true}`, served as `text/plain` like the live site.
async fn health() -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain")],
        serde_json::to_string(&scratchkit_model::ScratchHealth { healthy: true })
            .unwrap_or_default(),
    )
        .into_response()
}
