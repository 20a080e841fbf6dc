//! `/studios/<id>` and its lists.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;

use crate::render;
use crate::routes::json_reply::JsonReply;
use crate::routes::reply::{ApiError, Params, id};
use crate::state::Shared;
use crate::store::comments::{self, Place};
use crate::store::studios::{self, StudioRow};
use crate::timefmt::parse_iso;

fn find(c: &Connection, studio_id: i64) -> Result<StudioRow, ApiError> {
    studios::by_id(c, studio_id)?.ok_or(ApiError::NotFound)
}

pub(crate) async fn studio(
    State(s): State<Shared>,
    Path(studio_id): Path<String>,
) -> Result<Response, ApiError> {
    let studio_id = id(&studio_id)?;
    let st = s.store.read(|c| Ok(find(c, studio_id)))??;
    Ok(JsonReply::new(render::studio(&st)).into_response())
}

/// Runs `list` for an existing studio (404 otherwise) and renders each row.
async fn studio_list<T, J: serde::Serialize>(
    s: Shared,
    studio_id: String,
    params: Params,
    list: impl FnOnce(&Connection, i64, crate::store::Page) -> rusqlite::Result<Vec<T>>,
    render_one: fn(&T) -> J,
) -> Result<Response, ApiError> {
    let page = params.page()?;
    let studio_id = id(&studio_id)?;
    let rows = s.store.read(|c| {
        Ok(match find(c, studio_id) {
            Ok(st) => Ok(list(c, st.id, page)?),
            Err(e) => Err(e),
        })
    })??;
    Ok(JsonReply::list(rows.iter().map(render_one).collect::<Vec<_>>()).into_response())
}

pub(crate) async fn projects(
    State(s): State<Shared>,
    Path(studio_id): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    studio_list(
        s,
        studio_id,
        params,
        studios::projects,
        render::studio_project,
    )
    .await
}

pub(crate) async fn curators(
    State(s): State<Shared>,
    Path(studio_id): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    studio_list(s, studio_id, params, studios::curators, render::user).await
}

pub(crate) async fn managers(
    State(s): State<Shared>,
    Path(studio_id): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    studio_list(s, studio_id, params, studios::managers, render::user).await
}

pub(crate) async fn comments(
    State(s): State<Shared>,
    Path(studio_id): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    studio_list(
        s,
        studio_id,
        params,
        |c, sid, page| comments::top_level(c, Place::Studio, sid, page),
        render::comment,
    )
    .await
}

/// Activity, newest first; `dateLimit` (ISO date) keeps only older items.
pub(crate) async fn activity(
    State(s): State<Shared>,
    Path(studio_id): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let date_limit = match params.get("dateLimit").filter(|d| !d.is_empty()) {
        Some(d) => Some(parse_iso(d).ok_or(ApiError::BadRequest)?),
        None => None,
    };
    studio_list(
        s,
        studio_id,
        params,
        move |c, sid, page| studios::activity(c, sid, date_limit, page),
        render::studio_activity,
    )
    .await
}

pub(crate) async fn comment(
    State(s): State<Shared>,
    Path((studio_id, comment_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let studio_id = id(&studio_id)?;
    let comment_id = id(&comment_id)?;
    let found = s.store.read(|c| {
        Ok(comments::by_id(c, Place::Studio, studio_id, comment_id)?.ok_or(ApiError::NotFound))
    })??;
    Ok(JsonReply::new(render::comment(&found)).into_response())
}

pub(crate) async fn replies(
    State(s): State<Shared>,
    Path((studio_id, comment_id)): Path<(String, String)>,
    params: Params,
) -> Result<Response, ApiError> {
    let page = params.page()?;
    let studio_id = id(&studio_id)?;
    let comment_id = id(&comment_id)?;
    let list = s.store.read(|c| {
        Ok(
            match comments::by_id(c, Place::Studio, studio_id, comment_id)? {
                Some(_) => Ok(comments::replies(
                    c,
                    Place::Studio,
                    studio_id,
                    comment_id,
                    page,
                )?),
                None => Err(ApiError::NotFound),
            },
        )
    })??;
    Ok(JsonReply::list(list.iter().map(render::comment).collect::<Vec<_>>()).into_response())
}
