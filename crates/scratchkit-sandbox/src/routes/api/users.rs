//! `/users/<u>` and the user's lists.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;
use scratchkit_model::MessageCount;

use crate::render::{self, ProjectStyle};
use crate::routes::json_reply::{JsonReply, RawJson};
use crate::routes::reply::{ApiError, Params};
use crate::state::Shared;
use crate::store::users::{self, UserRow};
use crate::store::{Page, projects, studios};

/// The user, or the api's 404.
pub(crate) fn find(c: &Connection, username: &str) -> Result<UserRow, ApiError> {
    users::by_name(c, username)?.ok_or(ApiError::NotFound)
}

pub(crate) async fn user(
    State(s): State<Shared>,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let u = s.store.read(|c| Ok(find(c, &name)))??;
    Ok(JsonReply::new(render::user(&u)).into_response())
}

/// One page of a list that belongs to the user named `name` (the api's 404 when there is no
/// such user).
fn user_page<T>(
    s: &Shared,
    name: &str,
    params: &Params,
    query: impl FnOnce(&Connection, i64, Page) -> rusqlite::Result<Vec<T>>,
) -> Result<Vec<T>, ApiError> {
    let page = params.page()?;
    s.store.read(|c| {
        Ok(match find(c, name) {
            Ok(u) => Ok(query(c, u.id, page)?),
            Err(e) => Err(e),
        })
    })?
}

pub(crate) async fn projects(
    State(s): State<Shared>,
    Path(name): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let list = user_page(&s, &name, &params, projects::shared_by)?;
    Ok(RawJson(render::project_list(&list, ProjectStyle::OwnList)).into_response())
}

pub(crate) async fn favorites(
    State(s): State<Shared>,
    Path(name): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let list = user_page(&s, &name, &params, projects::favorites_of)?;
    Ok(RawJson(render::project_list(&list, ProjectStyle::List)).into_response())
}

pub(crate) async fn followers(
    State(s): State<Shared>,
    Path(name): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let list = user_page(&s, &name, &params, users::followers)?;
    Ok(JsonReply::list(list.iter().map(render::user).collect::<Vec<_>>()).into_response())
}

pub(crate) async fn following(
    State(s): State<Shared>,
    Path(name): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let list = user_page(&s, &name, &params, users::following)?;
    Ok(JsonReply::list(list.iter().map(render::user).collect::<Vec<_>>()).into_response())
}

pub(crate) async fn curated_studios(
    State(s): State<Shared>,
    Path(name): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let list = user_page(&s, &name, &params, studios::curated_by)?;
    Ok(JsonReply::list(list.iter().map(render::studio).collect::<Vec<_>>()).into_response())
}

pub(crate) async fn message_count(
    State(s): State<Shared>,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let u = s.store.read(|c| Ok(find(c, &name)))??;
    Ok(Json(MessageCount {
        count: render::unsigned(u.message_count),
    })
    .into_response())
}
