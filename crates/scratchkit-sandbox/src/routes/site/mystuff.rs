//! "My Stuff": `GET /site-api/projects/<all|shared|notshared|unshared|trashed>/?page=&ascsort=
//! &descsort=` (40 per page, 404 past the end), another user's shared projects
//! (`/site-api/projects/shared/<u>/`), `PUT /site-api/projects/all/<id>/` (title, sharing,
//! trash and restore), `PUT /site-api/projects/trashed/empty/` (password), and the project
//! comment toggle.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use scratchkit_model::SiteProject;
use serde_json::json;

use super::galleries::site_page;
use crate::accounts::verify_password;
use crate::auth::{Auth, Cred};
use crate::render;
use crate::routes::reply::{Params, SiteError, body_object, bool_field, id, read, text_field, tx};
use crate::state::Shared;
use crate::store::projects::{self, MineFilter, ProjectEdit, ProjectRow};
use crate::store::users::{self, UserRow};
use crate::timefmt::now;

fn filter_of(name: &str) -> Option<MineFilter> {
    match name {
        "all" => Some(MineFilter::All),
        "shared" => Some(MineFilter::Shared),
        "notshared" | "unshared" => Some(MineFilter::NotShared),
        "trashed" => Some(MineFilter::Trashed),
        _ => None,
    }
}

/// The `ORDER BY` for `ascsort`/`descsort` (date modified, newest first, by default).
fn order_of(params: &Params) -> &'static str {
    let (field, asc) = match (params.get("ascsort"), params.get("descsort")) {
        (Some(f), _) if !f.is_empty() => (f, true),
        (_, Some(f)) if !f.is_empty() => (f, false),
        _ => ("", false),
    };
    match (field, asc) {
        ("view_count", true) => "p.views ASC",
        ("view_count", false) => "p.views DESC",
        ("love_count", true) => "p.loves ASC",
        ("love_count", false) => "p.loves DESC",
        ("remixers_count", true) => {
            "(SELECT COUNT(*) FROM projects c WHERE c.parent_id = p.id) ASC"
        }
        ("remixers_count", false) => {
            "(SELECT COUNT(*) FROM projects c WHERE c.parent_id = p.id) DESC"
        }
        ("title", true) => "p.title COLLATE NOCASE ASC",
        ("title", false) => "p.title COLLATE NOCASE DESC",
        (_, true) => "p.modified ASC",
        _ => "p.modified DESC",
    }
}

/// Projects in the Django serializer shape of `siteapi_projects_shared_item.json`.
fn items(
    c: &rusqlite::Connection,
    list: &[ProjectRow],
    owner: &UserRow,
) -> rusqlite::Result<Vec<SiteProject>> {
    let mut out = Vec::with_capacity(list.len());
    for p in list {
        let commenters: i64 = c.query_row(
            "SELECT COUNT(DISTINCT author_id) FROM comments WHERE place = 'project' AND object_id = ?1",
            [p.id],
            |r| r.get(0),
        )?;
        out.push(render::site_project(
            p,
            owner,
            projects::is_trashed(c, p.id)?,
            commenters,
        ));
    }
    Ok(out)
}

/// `GET /site-api/projects/<filter>/` (the caller's projects).
pub(crate) async fn list(
    State(s): State<Shared>,
    auth: Auth,
    Path(filter): Path<String>,
    params: Params,
) -> Result<Response, SiteError> {
    let filter = filter_of(&filter).ok_or(SiteError::NotFound)?;
    let me = auth.user(Cred::Cookie)?.clone();
    let (number, page) = site_page(&params)?;
    let order = order_of(&params);
    let rows = read(&s, |c| {
        let list = projects::mine(c, me.id, filter, order, page)?;
        Ok::<_, SiteError>(items(c, &list, &me)?)
    })?;
    if rows.is_empty() && number > 1 {
        return Err(SiteError::NotFound);
    }
    Ok(Json(rows).into_response())
}

/// `GET /site-api/projects/shared/<u>/`: anyone's shared projects (no login needed).
pub(crate) async fn shared_of(
    State(s): State<Shared>,
    Path((filter, name)): Path<(String, String)>,
    params: Params,
) -> Result<Response, SiteError> {
    if filter != "shared" {
        return Err(SiteError::NotFound);
    }
    let (number, page) = site_page(&params)?;
    let order = order_of(&params);
    let rows = read(&s, |c| {
        let owner = users::by_name(c, &name)?.ok_or(SiteError::NotFound)?;
        let list = projects::mine(c, owner.id, MineFilter::Shared, order, page)?;
        Ok::<_, SiteError>(items(c, &list, &owner)?)
    })?;
    if rows.is_empty() && number > 1 {
        return Err(SiteError::NotFound);
    }
    Ok(Json(rows).into_response())
}

/// `PUT /site-api/projects/all/<id>/` `{"title"?, "isPublished"?, "visibility"?:
/// "trshbyusr"|"visible"}` and `PUT /site-api/projects/trashed/empty/` `{"password"}`.
pub(crate) async fn update(
    State(s): State<Shared>,
    auth: Auth,
    Path((filter, target)): Path<(String, String)>,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let body = body_object(&bytes);
    if filter == "trashed" && target == "empty" {
        let password = text_field(&body, "password").unwrap_or_default();
        let hash = read(&s, |c| {
            users::password_hash(c, me.id)?.ok_or(SiteError::Internal)
        })?;
        let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .unwrap_or(false);
        if !ok {
            return Err(SiteError::Forbidden);
        }
        let n = tx(&s, |c| Ok::<_, SiteError>(projects::empty_trash(c, me.id)?))?;
        return Ok(Json(json!({"trashed": n})).into_response());
    }
    if filter != "all" {
        return Err(SiteError::NotFound);
    }
    let project_id = id(&target)?;
    let visibility = text_field(&body, "visibility");
    let published = bool_field(&body, "isPublished");
    let edit = ProjectEdit {
        title: text_field(&body, "title"),
        ..ProjectEdit::default()
    };
    let value = tx(&s, |c| {
        let p = projects::by_id(c, project_id)?.ok_or(SiteError::NotFound)?;
        if p.owner_id != me.id {
            return Err(SiteError::Forbidden);
        }
        let t = now();
        match visibility.as_deref() {
            Some("trshbyusr") => projects::set_trashed(c, p.id, true, t)?,
            Some("visible") => projects::set_trashed(c, p.id, false, t)?,
            Some(_) => return Err(SiteError::BadRequest),
            None => {}
        }
        if let Some(publish) = published {
            if publish && projects::is_trashed(c, p.id)? {
                return Err(SiteError::BadRequest);
            }
            if publish != p.shared {
                projects::set_shared(c, p.id, publish, t)?;
            }
        }
        if edit.title.is_some() {
            projects::update(c, p.id, &edit, t)?;
        }
        let p = projects::by_id(c, p.id)?.ok_or(SiteError::NotFound)?;
        items(c, std::slice::from_ref(&p), &me)?
            .into_iter()
            .next()
            .ok_or(SiteError::Internal)
    })?;
    Ok(Json(value).into_response())
}

/// `POST /site-api/comments/project/<id>/toggle-comments/` (owner).
pub(crate) async fn toggle_comments(
    State(s): State<Shared>,
    auth: Auth,
    Path(project_id): Path<String>,
) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let project_id = id(&project_id)?;
    let allowed = tx(&s, |c| {
        let p = projects::by_id(c, project_id)?.ok_or(SiteError::NotFound)?;
        if p.owner_id != me.id {
            return Err(SiteError::Forbidden);
        }
        let edit = ProjectEdit {
            comments_allowed: Some(!p.comments_allowed),
            ..ProjectEdit::default()
        };
        projects::update(c, p.id, &edit, now())?;
        Ok(!p.comments_allowed)
    })?;
    Ok(Json(json!({"comments_allowed": allowed})).into_response())
}
