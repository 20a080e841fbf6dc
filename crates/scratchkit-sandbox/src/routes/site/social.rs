//! Following people and studios, and editing one's profile:
//! `PUT /site-api/users/followers/<target>/add|remove/?usernames=<me>`,
//! `PUT /site-api/users/bookmarkers/<studio>/add|remove/?usernames=<me>` and
//! `PUT /site-api/users/all/<me>/` (`bio`, `status`, `featured_project` + label).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use scratchkit_model::{Activity, ActivityType, StudioId};
use serde_json::{Value, json};

use crate::auth::{Auth, Cred};
use crate::render;
use crate::routes::reply::{Params, SiteError, body_object, id, int_field, text_field, tx};
use crate::state::Shared;
use crate::store::users::{self, ProfileEdit, UserRow};
use crate::store::{messages, projects, studios};
use crate::timefmt::now;

/// Longest bio or status ("About me", "What I'm working on").
const MAX_PROFILE_TEXT: usize = scratchkit_wire::limits::PROFILE_TEXT_MAX_CHARS;

/// The caller, who must be the one named in `?usernames=`.
fn me_in_usernames<'a>(auth: &'a Auth, params: &Params) -> Result<&'a UserRow, SiteError> {
    let user = auth.user(Cred::Cookie)?;
    let named = params.get("usernames").unwrap_or_default();
    if named
        .split(',')
        .any(|n| n.trim().eq_ignore_ascii_case(&user.username))
    {
        Ok(user)
    } else {
        Err(SiteError::Forbidden)
    }
}

/// `add` or `remove`.
fn on_of(action: &str) -> Result<bool, SiteError> {
    match action {
        "add" => Ok(true),
        "remove" => Ok(false),
        _ => Err(SiteError::NotFound),
    }
}

pub(crate) async fn follow_user(
    State(s): State<Shared>,
    auth: Auth,
    Path((target, action)): Path<(String, String)>,
    params: Params,
) -> Result<Response, SiteError> {
    let on = on_of(&action)?;
    let me = me_in_usernames(&auth, &params)?.clone();
    let target = tx(&s, |c| {
        let target = users::by_name(c, &target)?.ok_or(SiteError::NotFound)?;
        if target.id == me.id {
            return Err(SiteError::BadRequest);
        }
        let t = now();
        if users::set_following(c, me.id, target.id, on, t)? && on {
            messages::send(
                c,
                target.id,
                me.id,
                t,
                &messages::follow_message(target.id, &target.username),
            )?;
            messages::record_activity(
                c,
                me.id,
                t,
                &messages::follow_item(target.id, &target.username),
            )?;
        }
        Ok(target)
    })?;
    Ok(Json(json!({"username": target.username, "following": on})).into_response())
}

pub(crate) async fn follow_studio(
    State(s): State<Shared>,
    auth: Auth,
    Path((studio_id, action)): Path<(String, String)>,
    params: Params,
) -> Result<Response, SiteError> {
    let on = on_of(&action)?;
    let me = me_in_usernames(&auth, &params)?.clone();
    let studio_id = id(&studio_id)?;
    tx(&s, |c| {
        let st = studios::by_id(c, studio_id)?.ok_or(SiteError::NotFound)?;
        let t = now();
        if studios::set_follower(c, st.id, me.id, on, t)? && on {
            let item = Activity {
                gallery_id: Some(StudioId(render::unsigned(st.id))),
                title: Some(st.title.clone()),
                ..messages::new_activity(ActivityType::FollowStudio)
            };
            messages::record_activity(c, me.id, t, &item)?;
        }
        Ok::<_, SiteError>(())
    })?;
    Ok(Json(json!({"gallery_id": studio_id, "following": on})).into_response())
}

/// Featured-project label codes: `""` (featured project) or 0 to 4.
fn label(body: &serde_json::Map<String, Value>) -> Result<Option<Option<i64>>, SiteError> {
    match body.get("featured_project_label") {
        None => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(Some(None)),
        Some(Value::Null) => Ok(Some(None)),
        Some(_) => match int_field(body, "featured_project_label") {
            Some(n) if (0..=4).contains(&n) => Ok(Some(Some(n))),
            _ => Err(SiteError::BadRequest),
        },
    }
}

pub(crate) async fn update_profile(
    State(s): State<Shared>,
    auth: Auth,
    Path(name): Path<String>,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    let me = auth.user_named(Cred::Cookie, &name)?.clone();
    let body = body_object(&bytes);
    let edit = ProfileEdit {
        bio: text_field(&body, "bio"),
        status: text_field(&body, "status"),
        country: None,
        featured_project_id: body
            .contains_key("featured_project")
            .then(|| int_field(&body, "featured_project")),
        featured_label: label(&body)?,
    };
    let too_long = [&edit.bio, &edit.status].iter().any(|t| {
        t.as_ref()
            .is_some_and(|t| t.chars().count() > MAX_PROFILE_TEXT)
    });
    if too_long {
        return Err(SiteError::BadRequest);
    }
    let (user, featured) = tx(&s, |c| {
        if let Some(Some(pid)) = edit.featured_project_id {
            let p = projects::by_id(c, pid)?.ok_or(SiteError::BadRequest)?;
            if p.owner_id != me.id {
                return Err(SiteError::Forbidden);
            }
        }
        users::update_profile(c, me.id, &edit)?;
        let user = users::by_id(c, me.id)?.ok_or(SiteError::NotFound)?;
        let featured = match user.featured_project_id {
            Some(pid) => projects::by_id(c, pid)?,
            None => None,
        };
        Ok((user, featured))
    })?;
    Ok(Json(render::site_user(&user, featured.as_ref())).into_response())
}
