//! `/projects/<id>`, remixes, and the project's comments and studios (under the author's path).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;

use crate::auth::{Auth, Cred};
use crate::render::{self, ProjectStyle};
use crate::routes::json_reply::{JsonReply, RawJson};
use crate::routes::reply::{ApiError, Params, id};
use crate::state::Shared;
use crate::store::comments::{self, Place};
use crate::store::projects::{self, ProjectRow};
use crate::store::studios;
use crate::timefmt::now;

/// A shared project, or the api's 404 (unshared projects are invisible without auth).
fn shared_project(c: &Connection, project_id: i64) -> Result<ProjectRow, ApiError> {
    visible_project(c, project_id, None)
}

/// A project `viewer` may read: shared ones for everyone, unshared ones for their owner only
/// (the live site answers the api's 404 to anyone else).
fn visible_project(
    c: &Connection,
    project_id: i64,
    viewer: Option<i64>,
) -> Result<ProjectRow, ApiError> {
    match projects::by_id(c, project_id)? {
        Some(p) if p.shared || Some(p.owner_id) == viewer => Ok(p),
        _ => Err(ApiError::NotFound),
    }
}

/// A project reached through its author's path (`/users/<author>/projects/<id>/…`), visible
/// to `viewer`.
fn authored_project(
    c: &Connection,
    author: &str,
    project_id: &str,
    viewer: Option<i64>,
) -> Result<ProjectRow, ApiError> {
    let p = visible_project(c, id(project_id)?, viewer)?;
    if p.owner_username.eq_ignore_ascii_case(author) {
        Ok(p)
    } else {
        Err(ApiError::NotFound)
    }
}

/// Who asks, when the request is signed (token or cookie).
fn viewer(auth: &Auth) -> Option<i64> {
    auth.via(Cred::Either).map(|l| l.user.id)
}

/// The project with a fresh `project_token`.
fn project_reply(s: &Shared, p: &ProjectRow) -> Response {
    let token = s.tokens.issue(p.id, now());
    let mut body = Vec::with_capacity(render::PROJECT_CAPACITY);
    render::write_project(&mut body, p, ProjectStyle::Full, Some(&token));
    RawJson(body).into_response()
}

/// Shared projects for everyone; unshared ones for their owner (token or cookie).
pub(crate) async fn project(
    State(s): State<Shared>,
    auth: Auth,
    Path(project_id): Path<String>,
) -> Result<Response, ApiError> {
    let project_id = id(&project_id)?;
    let viewer = viewer(&auth);
    let p = s
        .store
        .read(|c| Ok(visible_project(c, project_id, viewer)))??;
    Ok(project_reply(&s, &p))
}

/// `GET /users/<author>/projects/<id>`: the same project through its author's path (404 when
/// the author is not the owner).
pub(crate) async fn authored(
    State(s): State<Shared>,
    auth: Auth,
    Path((author, project_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let viewer = viewer(&auth);
    let p = s
        .store
        .read(|c| Ok(authored_project(c, &author, &project_id, viewer)))??;
    Ok(project_reply(&s, &p))
}

pub(crate) async fn remixes(
    State(s): State<Shared>,
    Path(project_id): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let page = params.page()?;
    let project_id = id(&project_id)?;
    let list = s.store.read(|c| {
        Ok(match shared_project(c, project_id) {
            Ok(p) => Ok(projects::remixes_of(c, p.id, page)?),
            Err(e) => Err(e),
        })
    })??;
    Ok(RawJson(render::project_list(&list, ProjectStyle::List)).into_response())
}

pub(crate) async fn studios(
    State(s): State<Shared>,
    auth: Auth,
    Path((author, project_id)): Path<(String, String)>,
    params: Params,
) -> Result<Response, ApiError> {
    let page = params.page()?;
    let viewer = viewer(&auth);
    let list = s.store.read(|c| {
        Ok(match authored_project(c, &author, &project_id, viewer) {
            Ok(p) => Ok(studios::containing(c, p.id, page)?),
            Err(e) => Err(e),
        })
    })??;
    Ok(JsonReply::list(list.iter().map(render::studio).collect::<Vec<_>>()).into_response())
}

pub(crate) async fn comments(
    State(s): State<Shared>,
    auth: Auth,
    Path((author, project_id)): Path<(String, String)>,
    params: Params,
) -> Result<Response, ApiError> {
    let page = params.page()?;
    let viewer = viewer(&auth);
    let list = s.store.read(|c| {
        Ok(match authored_project(c, &author, &project_id, viewer) {
            Ok(p) => Ok(comments::top_level(c, Place::Project, p.id, page)?),
            Err(e) => Err(e),
        })
    })??;
    Ok(JsonReply::list(list.iter().map(render::comment).collect::<Vec<_>>()).into_response())
}

pub(crate) async fn comment(
    State(s): State<Shared>,
    auth: Auth,
    Path((author, project_id, comment_id)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let comment_id = id(&comment_id)?;
    let viewer = viewer(&auth);
    let found = s.store.read(|c| {
        Ok(match authored_project(c, &author, &project_id, viewer) {
            Ok(p) => {
                comments::by_id(c, Place::Project, p.id, comment_id)?.ok_or(ApiError::NotFound)
            }
            Err(e) => Err(e),
        })
    })??;
    Ok(JsonReply::new(render::comment(&found)).into_response())
}

pub(crate) async fn replies(
    State(s): State<Shared>,
    auth: Auth,
    Path((author, project_id, comment_id)): Path<(String, String, String)>,
    params: Params,
) -> Result<Response, ApiError> {
    let page = params.page()?;
    let comment_id = id(&comment_id)?;
    let viewer = viewer(&auth);
    let list = s.store.read(|c| {
        Ok(match authored_project(c, &author, &project_id, viewer) {
            Ok(p) => match comments::by_id(c, Place::Project, p.id, comment_id)? {
                Some(_) => Ok(comments::replies(
                    c,
                    Place::Project,
                    p.id,
                    comment_id,
                    page,
                )?),
                None => Err(ApiError::NotFound),
            },
            Err(e) => Err(e),
        })
    })??;
    Ok(JsonReply::list(list.iter().map(render::comment).collect::<Vec<_>>()).into_response())
}
