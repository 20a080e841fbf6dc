//! Owner actions on a project: `PUT /projects/<id>` (title, instructions, description,
//! comments_allowed), `PUT /proxy/projects/<id>/share|unshare`, the view counter, the
//! visibility report and `POST /proxy/projects/<id>/report`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use scratchkit_model::{Activity, ActivityType, ProjectId, ProjectVisibility, UserId};
use serde_json::{Value, json};

use crate::auth::{Auth, Cred};
use crate::render::{self, ProjectStyle};
use crate::routes::reply::{ApiError, body_object, bool_field, id, read, text_field, tx};
use crate::state::Shared;
use crate::store::projects::{self, ProjectEdit, ProjectRow};
use crate::store::users::UserRow;
use crate::store::{account, messages};
use crate::timefmt::now;

/// Longest title the editor accepts.
const MAX_TITLE: usize = 100;
/// Longest instructions / notes text (the site's limit).
const MAX_TEXT: usize = 5000;

/// The project when `user` owns it: 404 when missing, 403 for anyone else.
pub(crate) fn owned(
    c: &rusqlite::Connection,
    project_id: i64,
    user: &UserRow,
) -> Result<ProjectRow, ApiError> {
    let p = projects::by_id(c, project_id)?.ok_or(ApiError::NotFound)?;
    if p.owner_id == user.id {
        Ok(p)
    } else {
        Err(ApiError::Forbidden)
    }
}

fn full(p: &ProjectRow) -> Response {
    Json(render::project(p, ProjectStyle::Full, None)).into_response()
}

pub(crate) async fn update(
    State(s): State<Shared>,
    auth: Auth,
    Path(project_id): Path<String>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let user = auth.user(Cred::Either)?.clone();
    let project_id = id(&project_id)?;
    let body = body_object(&bytes);
    let edit = ProjectEdit {
        title: text_field(&body, "title"),
        instructions: text_field(&body, "instructions"),
        description: text_field(&body, "description"),
        comments_allowed: bool_field(&body, "comments_allowed"),
    };
    let too_long = edit
        .title
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_TITLE)
        || [&edit.instructions, &edit.description]
            .iter()
            .any(|t| t.as_ref().is_some_and(|t| t.chars().count() > MAX_TEXT));
    let p = tx(&s, |c| {
        let p = owned(c, project_id, &user)?;
        if too_long {
            return Err(ApiError::BadRequest);
        }
        projects::update(c, p.id, &edit, now())?;
        projects::by_id(c, p.id)?.ok_or(ApiError::NotFound)
    })?;
    Ok(full(&p))
}

async fn set_shared(
    s: Shared,
    auth: Auth,
    project_id: String,
    shared: bool,
) -> Result<Response, ApiError> {
    let user = auth.user(Cred::Cookie)?.clone();
    let project_id = id(&project_id)?;
    let p = tx(&s, |c| {
        let p = owned(c, project_id, &user)?;
        if projects::is_trashed(c, p.id)? {
            return Err(ApiError::Forbidden);
        }
        projects::set_shared(c, p.id, shared, now())?;
        if shared && !p.shared {
            let item = Activity {
                project_id: Some(ProjectId(render::unsigned(p.id))),
                title: Some(p.title.clone()),
                ..messages::new_activity(ActivityType::ShareProject)
            };
            messages::record_activity(c, user.id, now(), &item)?;
        }
        projects::by_id(c, p.id)?.ok_or(ApiError::NotFound)
    })?;
    Ok(full(&p))
}

pub(crate) async fn share(
    State(s): State<Shared>,
    auth: Auth,
    Path(project_id): Path<String>,
) -> Result<Response, ApiError> {
    set_shared(s, auth, project_id, true).await
}

pub(crate) async fn unshare(
    State(s): State<Shared>,
    auth: Auth,
    Path(project_id): Path<String>,
) -> Result<Response, ApiError> {
    set_shared(s, auth, project_id, false).await
}

/// `POST /users/<author>/projects/<id>/views/`: counts a view (anonymous callers too).
/// A logged-in caller's view is also remembered for `/users/<me>/projects/recentlyviewed`.
pub(crate) async fn view(
    State(s): State<Shared>,
    auth: Auth,
    Path((author, project_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let project_id = id(&project_id)?;
    let viewer = auth.via(Cred::Either).map(|l| l.user.id);
    tx(&s, |c| {
        let p = projects::by_id(c, project_id)?.ok_or(ApiError::NotFound)?;
        if !p.shared || !p.owner_username.eq_ignore_ascii_case(&author) {
            return Err(ApiError::NotFound);
        }
        projects::add_view(c, p.id)?;
        if let Some(viewer) = viewer {
            crate::store::recently_viewed::record(c, viewer, p.id, now())?;
        }
        Ok(())
    })?;
    Ok(Json(json!({})).into_response())
}

/// `GET /users/<me>/projects/<id>/visibility` (owner, token).
pub(crate) async fn visibility(
    State(s): State<Shared>,
    auth: Auth,
    Path((me, project_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let user = auth.user_named(Cred::Either, &me)?.clone();
    let project_id = id(&project_id)?;
    let (p, trashed) = read(&s, |c| {
        let p = owned(c, project_id, &user)?;
        let trashed = projects::is_trashed(c, p.id)?;
        Ok::<_, ApiError>((p, trashed))
    })?;
    Ok(Json(ProjectVisibility {
        project_id: ProjectId(render::unsigned(p.id)),
        creator_id: Some(UserId(render::unsigned(p.owner_id))),
        deleted: trashed,
        censored: false,
        censored_by_admin: false,
        censored_by_community: false,
        reshareable: true,
        message: String::new(),
    })
    .into_response())
}

/// `POST /proxy/projects/<id>/report` `{notes, report_category, thumbnail}` (thumbnail required).
pub(crate) async fn report(
    State(s): State<Shared>,
    auth: Auth,
    Path(project_id): Path<String>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let user = auth.user(Cred::Cookie)?.clone();
    let project_id = id(&project_id)?;
    let body = body_object(&bytes);
    let has_thumbnail = body
        .get("thumbnail")
        .and_then(Value::as_str)
        .is_some_and(|t| !t.is_empty());
    let notes = text_field(&body, "notes").unwrap_or_default();
    tx(&s, |c| {
        let p = projects::by_id(c, project_id)?.ok_or(ApiError::NotFound)?;
        if !p.shared {
            return Err(ApiError::NotFound);
        }
        if !has_thumbnail {
            return Err(ApiError::BadRequest);
        }
        account::report(c, "project", p.id, user.id, now(), &notes)?;
        Ok(())
    })?;
    Ok(Json(json!({"success": true, "moderation_status": "notreviewed"})).into_response())
}
