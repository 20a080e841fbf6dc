//! `/site-api/users/all/<u>/` and `/accounts/check_username/<u>/`.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use crate::render;
use crate::routes::api::username_check;
use crate::routes::reply::SiteError;
use crate::state::Shared;
use crate::store::{projects, users};

pub(crate) async fn site_user(
    State(s): State<Shared>,
    Path(name): Path<String>,
) -> Result<Response, SiteError> {
    let (user, featured) = s
        .store
        .read(|c| {
            let Some(user) = users::by_name(c, &name)? else {
                return Ok(None);
            };
            let featured = match user.featured_project_id {
                Some(id) => projects::by_id(c, id)?.filter(|p| p.shared),
                None => None,
            };
            Ok(Some((user, featured)))
        })?
        .ok_or(SiteError::NotFound)?;
    Ok(Json(render::site_user(&user, featured.as_ref())).into_response())
}

/// The old site's variant: a one-element array.
pub(crate) async fn check_username(
    State(s): State<Shared>,
    Path(name): Path<String>,
) -> Result<Response, SiteError> {
    let body = s.store.read(|c| username_check(c, &name))?;
    Ok(Json(vec![body]).into_response())
}
