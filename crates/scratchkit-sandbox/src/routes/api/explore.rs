//! `/explore/projects|studios` (`q` = tag or `*`) and `/search/projects|studios` (`q` = text),
//! with `mode=trending|popular|recent` and `language`.

use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::render::{self, ProjectStyle};
use crate::routes::json_reply::{JsonReply, RawJson};
use crate::routes::reply::{ApiError, Params};
use crate::state::Shared;
use crate::store::projects::{self, Discover, Mode};
use crate::store::studios;

fn discover(params: &Params, text: bool) -> Result<Discover, ApiError> {
    let mode = Mode::parse(params.get("mode").unwrap_or("")).ok_or(ApiError::BadRequest)?;
    Ok(Discover {
        mode,
        q: params.get("q").map(str::to_owned),
        language: params.get("language").map(str::to_owned),
        text,
    })
}

async fn find_projects(s: Shared, params: Params, text: bool) -> Result<Response, ApiError> {
    let page = params.page()?;
    let d = discover(&params, text)?;
    let list = s.store.read(|c| projects::discover(c, &d, page))?;
    Ok(RawJson(render::project_list(&list, ProjectStyle::List)).into_response())
}

async fn find_studios(s: Shared, params: Params, text: bool) -> Result<Response, ApiError> {
    let page = params.page()?;
    let d = discover(&params, text)?;
    let list = s.store.read(|c| studios::discover(c, &d, page))?;
    Ok(JsonReply::list(list.iter().map(render::studio).collect::<Vec<_>>()).into_response())
}

pub(crate) async fn explore_projects(
    State(s): State<Shared>,
    params: Params,
) -> Result<Response, ApiError> {
    find_projects(s, params, false).await
}

pub(crate) async fn search_projects(
    State(s): State<Shared>,
    params: Params,
) -> Result<Response, ApiError> {
    find_projects(s, params, true).await
}

pub(crate) async fn explore_studios(
    State(s): State<Shared>,
    params: Params,
) -> Result<Response, ApiError> {
    find_studios(s, params, false).await
}

pub(crate) async fn search_studios(
    State(s): State<Shared>,
    params: Params,
) -> Result<Response, ApiError> {
    find_studios(s, params, true).await
}
