//! Studio actions on the api host: add and remove projects (`/studios/<id>/project/<pid>`),
//! the caller's role (`/studios/<id>/users/<me>`) and the host transfer
//! (`PUT /studios/<id>/transfer/<new host>` with `{"password"}`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use scratchkit_model::{
    Activity, ActivityType, Message, MessageType, ProjectId, StudioId, StudioMembership,
};

use crate::accounts::verify_password;
use crate::auth::{Auth, Cred};
use crate::render;
use crate::routes::reply::{ApiError, body_object, id, read, text_field, tx};
use crate::state::Shared;
use crate::store::projects::ProjectRow;
use crate::store::studios::{self, StudioProjectRow};
use crate::store::{messages, projects, users};
use crate::timefmt::now;

/// `POST` adds (curators, managers, or anyone when the studio is open to all; shared
/// projects only), `DELETE` removes (managers, whoever added it, or the project's owner).
pub(crate) async fn project(
    State(s): State<Shared>,
    auth: Auth,
    method: Method,
    Path((studio_id, project_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let user = auth.user(Cred::Either)?.clone();
    let studio_id = id(&studio_id)?;
    let project_id = id(&project_id)?;
    let adding = method == Method::POST;
    let item = tx(&s, |c| {
        let st = studios::by_id(c, studio_id)?.ok_or(ApiError::NotFound)?;
        let p = projects::by_id(c, project_id)?.ok_or(ApiError::NotFound)?;
        let role = studios::role_of(c, st.id, user.id)?;
        let member = matches!(role.as_deref(), Some("curator" | "manager"));
        let manager = role.as_deref() == Some("manager");
        let t = now();
        if adding {
            if !(member || st.open_to_all) {
                return Err(ApiError::Forbidden);
            }
            if !p.shared {
                return Err(ApiError::NotFound);
            }
            if studios::add_project(c, st.id, p.id, user.id, t)? {
                let item = project_item(&p, ActivityType::AddProjectToStudio);
                studios::add_activity(c, st.id, user.id, t, &item)?;
            }
        } else {
            if !studios::has_project(c, st.id, p.id)? {
                return Err(ApiError::NotFound);
            }
            let added_by: i64 = c.query_row(
                "SELECT actor_id FROM studio_projects WHERE studio_id = ?1 AND project_id = ?2",
                [st.id, p.id],
                |r| r.get(0),
            )?;
            if !(manager || added_by == user.id || p.owner_id == user.id) {
                return Err(ApiError::Forbidden);
            }
            studios::remove_project(c, st.id, p.id)?;
            let item = project_item(&p, ActivityType::RemoveProjectStudio);
            studios::add_activity(c, st.id, user.id, t, &item)?;
        }
        Ok(StudioProjectRow {
            project_id: p.id,
            title: p.title,
            creator_id: p.owner_id,
            username: p.owner_username,
            actor_id: user.id,
        })
    })?;
    Ok(Json(render::studio_project(&item)).into_response())
}

/// A studio activity item about project `p` (added or removed).
fn project_item(p: &ProjectRow, kind: ActivityType) -> Activity {
    Activity {
        project_id: Some(ProjectId(render::unsigned(p.id))),
        project_title: Some(p.title.clone()),
        ..messages::new_activity(kind)
    }
}

/// `{"manager","curator","invited","following"}` for the caller.
pub(crate) async fn my_role(
    State(s): State<Shared>,
    auth: Auth,
    Path((studio_id, me)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let user = auth.user_named(Cred::Either, &me)?.clone();
    let studio_id = id(&studio_id)?;
    let (role, following) = read(&s, |c| {
        studios::by_id(c, studio_id)?.ok_or(ApiError::NotFound)?;
        Ok::<_, ApiError>((
            studios::role_of(c, studio_id, user.id)?,
            studios::is_follower(c, studio_id, user.id)?,
        ))
    })?;
    let role = role.as_deref();
    Ok(Json(StudioMembership {
        manager: role == Some("manager"),
        curator: role == Some("curator"),
        invited: role == Some("invited"),
        following,
    })
    .into_response())
}

/// Only the host, with their password, to one of the studio's managers.
pub(crate) async fn transfer(
    State(s): State<Shared>,
    auth: Auth,
    Path((studio_id, new_host)): Path<(String, String)>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let user = auth.user(Cred::Either)?.clone();
    let studio_id = id(&studio_id)?;
    let password = text_field(&body_object(&bytes), "password").unwrap_or_default();
    let hash = read(&s, |c| {
        let st = studios::by_id(c, studio_id)?.ok_or(ApiError::NotFound)?;
        if st.host_id != user.id {
            return Err(ApiError::Forbidden);
        }
        users::password_hash(c, user.id)?.ok_or(ApiError::Internal)
    })?;
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    if !ok {
        return Err(ApiError::Forbidden);
    }
    let st = tx(&s, |c| {
        let target = users::by_name(c, &new_host)?.ok_or(ApiError::NotFound)?;
        if studios::role_of(c, studio_id, target.id)?.as_deref() != Some("manager") {
            return Err(ApiError::BadRequest);
        }
        studios::set_host(c, studio_id, target.id)?;
        let t = now();
        let item = Activity {
            admin_actor: Some(false),
            former_host_username: Some(user.username.clone()),
            recipient_username: Some(target.username.clone()),
            ..messages::new_activity(ActivityType::BecomeHostStudio)
        };
        studios::add_activity(c, studio_id, user.id, t, &item)?;
        let st = studios::by_id(c, studio_id)?.ok_or(ApiError::NotFound)?;
        // The message has no typed key for the former host: it goes in `extra`.
        let mut message = Message {
            gallery_id: Some(StudioId(render::unsigned(st.id))),
            gallery_title: Some(st.title.clone()),
            ..messages::new_message(MessageType::BecomeHostStudio)
        };
        message
            .extra
            .insert("former_host_username".into(), user.username.clone().into());
        messages::send(c, target.id, user.id, t, &message)?;
        Ok(st)
    })?;
    Ok(Json(render::studio(&st)).into_response())
}
