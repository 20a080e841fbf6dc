//! `/users/<u>` and the user's lists.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;
use serde_json::json;

use crate::render::{self, ProjectStyle};
use crate::routes::reply::{ApiError, Params};
use crate::state::Shared;
use crate::store::users::{self, User};
use crate::store::{projects, studios};

/// The user, or the api's 404.
pub(crate) fn find(c: &Connection, username: &str) -> Result<User, ApiError> {
    users::by_name(c, username)?.ok_or(ApiError::NotFound)
}

pub(crate) async fn user(
    State(s): State<Shared>,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let u = s.store.read(|c| Ok(find(c, &name)))??;
    Ok(Json(render::user(&u)).into_response())
}

pub(crate) async fn projects(
    State(s): State<Shared>,
    Path(name): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let page = params.page()?;
    let list = s.store.read(|c| {
        Ok(match find(c, &name) {
            Ok(u) => Ok(projects::shared_by(c, u.id, page)?),
            Err(e) => Err(e),
        })
    })??;
    let items: Vec<_> = list
        .iter()
        .map(|p| render::project(p, ProjectStyle::OwnList, None))
        .collect();
    Ok(Json(items).into_response())
}

pub(crate) async fn favorites(
    State(s): State<Shared>,
    Path(name): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let page = params.page()?;
    let list = s.store.read(|c| {
        Ok(match find(c, &name) {
            Ok(u) => Ok(projects::favorites_of(c, u.id, page)?),
            Err(e) => Err(e),
        })
    })??;
    let items: Vec<_> = list
        .iter()
        .map(|p| render::project(p, ProjectStyle::List, None))
        .collect();
    Ok(Json(items).into_response())
}

async fn user_list(
    s: Shared,
    name: String,
    params: Params,
    query: fn(&Connection, i64, crate::store::Page) -> rusqlite::Result<Vec<User>>,
) -> Result<Response, ApiError> {
    let page = params.page()?;
    let list = s.store.read(|c| {
        Ok(match find(c, &name) {
            Ok(u) => Ok(query(c, u.id, page)?),
            Err(e) => Err(e),
        })
    })??;
    Ok(Json(list.iter().map(render::user).collect::<Vec<_>>()).into_response())
}

pub(crate) async fn followers(
    State(s): State<Shared>,
    Path(name): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    user_list(s, name, params, users::followers).await
}

pub(crate) async fn following(
    State(s): State<Shared>,
    Path(name): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    user_list(s, name, params, users::following).await
}

pub(crate) async fn curated_studios(
    State(s): State<Shared>,
    Path(name): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let page = params.page()?;
    let list = s.store.read(|c| {
        Ok(match find(c, &name) {
            Ok(u) => Ok(studios::curated_by(c, u.id, page)?),
            Err(e) => Err(e),
        })
    })??;
    Ok(Json(list.iter().map(render::studio).collect::<Vec<_>>()).into_response())
}

pub(crate) async fn message_count(
    State(s): State<Shared>,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let u = s.store.read(|c| Ok(find(c, &name)))??;
    Ok(Json(json!({ "count": u.message_count })).into_response())
}
