//! `GET /users/<me>/projects/recentlyviewed?limit&offset` (token): the projects the caller
//! viewed (`POST /users/<author>/projects/<id>/views/` while logged in), most recent first,
//! as Project-in-list items.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use crate::auth::{Auth, Cred};
use crate::render::{self, ProjectStyle};
use crate::routes::json_reply::RawJson;
use crate::routes::reply::{ApiError, Params, read};
use crate::state::Shared;
use crate::store::{projects, recently_viewed};

pub(crate) async fn list(
    State(s): State<Shared>,
    auth: Auth,
    Path(me): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let user = auth.user_named(Cred::Either, &me)?.clone();
    let page = params.page()?;
    let found = read(&s, |c| {
        let mut out = Vec::new();
        for id in recently_viewed::list(c, user.id, page)? {
            if let Some(p) = projects::by_id(c, id)? {
                out.push(p);
            }
        }
        Ok::<_, ApiError>(out)
    })?;
    Ok(RawJson(render::project_list(&found, ProjectStyle::List)).into_response())
}
