//! The HTTP surface: one router per host prefix (see the hosts table), each split by resource.

mod admin;
pub(crate) mod api;
mod backpack;
mod clouddata;
pub(crate) mod front;
pub(crate) mod reply;
mod site;

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
        .nest("/_sandbox", admin::router())
        .fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                "not a sandbox path: see the hosts table\n",
            )
        })
        .with_state(state)
}
