//! `/users/<me>/messages` (with `filter` and `dateLimit`), `/users/<me>/messages/admin`, and
//! the "what's happening" feeds under `/users/<me>/following/…`. All need the caller's token.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use scratchkit_model::{AdminAlert, AlertId, Timestamp};

use crate::auth::{Auth, Cred};
use crate::render::{self, ProjectStyle};
use crate::routes::json_reply::{JsonReply, RawJson};
use crate::routes::reply::{ApiError, Params, read};
use crate::state::Shared;
use crate::store::messages;
use crate::store::projects::{self, Feed};
use crate::timefmt::parse_iso;

fn date_limit(params: &Params) -> Result<Option<i64>, ApiError> {
    match params.get("dateLimit").filter(|d| !d.is_empty()) {
        Some(d) => Ok(Some(parse_iso(d).ok_or(ApiError::BadRequest)?)),
        None => Ok(None),
    }
}

pub(crate) async fn list(
    State(s): State<Shared>,
    auth: Auth,
    Path(me): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let user = auth.user_named(Cred::Either, &me)?.clone();
    let page = params.page()?;
    let limit = date_limit(&params)?;
    let types = params
        .get("filter")
        .filter(|f| !f.is_empty())
        .and_then(messages::filter_types);
    let items = read(&s, |c| {
        Ok::<_, ApiError>(messages::list(c, user.id, types, limit, page)?)
    })?;
    Ok(JsonReply::list(items.iter().map(render::message).collect::<Vec<_>>()).into_response())
}

pub(crate) async fn admin(
    State(s): State<Shared>,
    auth: Auth,
    Path(me): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let user = auth.user_named(Cred::Either, &me)?.clone();
    let page = params.page()?;
    let alerts = read(&s, |c| {
        Ok::<_, ApiError>(messages::alerts(c, user.id, page)?)
    })?;
    let items: Vec<_> = alerts
        .iter()
        .map(|a| AdminAlert {
            id: Some(AlertId(render::unsigned(a.id))),
            message: Some(a.message.clone()),
            datetime_created: Timestamp::from_unix_seconds(a.created),
            extra: serde_json::Map::new(),
        })
        .collect();
    Ok(JsonReply::list(items).into_response())
}

pub(crate) async fn activity(
    State(s): State<Shared>,
    auth: Auth,
    Path(me): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let user = auth.user_named(Cred::Either, &me)?.clone();
    let page = params.page()?;
    let limit = date_limit(&params)?;
    let items = read(&s, |c| {
        Ok::<_, ApiError>(messages::feed(c, user.id, limit, page)?)
    })?;
    Ok(JsonReply::list(items.iter().map(render::feed_item).collect::<Vec<_>>()).into_response())
}

async fn project_feed(
    s: Shared,
    auth: Auth,
    me: String,
    params: Params,
    feed: Feed,
) -> Result<Response, ApiError> {
    let user = auth.user_named(Cred::Either, &me)?.clone();
    let page = params.page()?;
    let list = read(&s, |c| {
        Ok::<_, ApiError>(projects::feed(c, user.id, feed, page)?)
    })?;
    Ok(RawJson(render::project_list(&list, ProjectStyle::List)).into_response())
}

pub(crate) async fn loves(
    State(s): State<Shared>,
    auth: Auth,
    Path(me): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    project_feed(s, auth, me, params, Feed::LovedByFollowed).await
}

pub(crate) async fn projects_feed(
    State(s): State<Shared>,
    auth: Auth,
    Path(me): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    project_feed(s, auth, me, params, Feed::SharedByFollowed).await
}

pub(crate) async fn studio_projects(
    State(s): State<Shared>,
    auth: Auth,
    Path(me): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    project_feed(s, auth, me, params, Feed::InFollowedStudios).await
}
