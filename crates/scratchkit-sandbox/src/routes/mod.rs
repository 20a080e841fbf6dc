//! The HTTP surface: one router per host prefix (see the hosts table), each split by resource.

mod admin;
pub(crate) mod api;
mod assets_host;
mod backpack;
mod clouddata;
mod ext;
pub(crate) mod front;
mod images;
pub(crate) mod json_reply;
mod projects_host;
pub(crate) mod reply;
mod services;
pub(crate) mod site;

use axum::Router;
use axum::http::StatusCode;

use crate::state::Shared;

/// The whole sandbox behind its prefixes (`/api`, `/site`, `/backpack`, `/clouddata`, `/_sandbox`).
pub(crate) fn router(state: Shared) -> Router {
    Router::new()
        .nest("/api", api::router())
        .nest("/site", site::router())
        .nest("/backpack", backpack::router())
        .nest("/clouddata", clouddata::router())
        .nest("/projects", projects_host::router())
        .nest("/assets", assets_host::router())
        .nest("/_sandbox", admin::router())
        .nest("/ext", ext::router())
        .nest("/cdn2", images::router())
        .nest("/uploads", images::router())
        .merge(crate::cloud::sandbox_router(&state))
        .merge(crate::html::router())
        .merge(crate::web::router())
        .fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                "not a sandbox path: see the hosts table\n",
            )
        })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::auth::csrf_guard,
        ))
        .with_state(state)
}
