//! Posting, deleting and reporting project and studio comments through `/proxy/comments/…`.
//!
//! A refused comment still answers HTTP 200, with `{"rejected":"<reason>","status":
//! {"mute_status":{…}}}`. Reasons, checked in this order: `isMuted` (with the mute object),
//! `isDisallowed` (comments closed), `isEmpty`, `isTooLong` (over the comment limit, 500
//! characters by default), `isFlood` (a second comment within the flood window, 10 s by
//! default; both are settings).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;
use scratchkit_model::{CommentRejection, MuteStatus, RejectionStatus};
use serde_json::json;

use crate::auth::{Auth, Cred};
use crate::render;
use crate::routes::reply::{ApiError, body_object, id, int_field, text_field, tx};
use crate::state::Shared;
use crate::store::comments::{self, NewCommentRow, Place};
use crate::store::users::{self, UserRow};
use crate::store::{account, messages, projects, studios};
use crate::timefmt::now;

/// What a comment hangs off.
struct Target {
    owner_ids: Vec<i64>,
    title: String,
    comments_allowed: bool,
}

fn target(c: &Connection, place: Place, object_id: i64) -> Result<Target, ApiError> {
    match place {
        Place::Project => {
            let p = projects::by_id(c, object_id)?.ok_or(ApiError::NotFound)?;
            if !p.shared {
                return Err(ApiError::NotFound);
            }
            Ok(Target {
                owner_ids: vec![p.owner_id],
                title: p.title,
                comments_allowed: p.comments_allowed,
            })
        }
        _ => {
            let st = studios::by_id(c, object_id)?.ok_or(ApiError::NotFound)?;
            let mut managers = vec![st.host_id];
            let mut stmt = c.prepare_cached(
                "SELECT user_id FROM studio_members WHERE studio_id = ?1 AND role = 'manager'",
            )?;
            for id in stmt.query_map([st.id], |r| r.get::<_, i64>(0))? {
                managers.push(id?);
            }
            Ok(Target {
                owner_ids: managers,
                title: st.title,
                comments_allowed: st.comments_allowed,
            })
        }
    }
}

fn rejected(reason: &str, mute_status: MuteStatus) -> Response {
    Json(CommentRejection {
        rejected: reason.to_owned(),
        status: Some(RejectionStatus { mute_status }),
    })
    .into_response()
}

async fn create(
    s: Shared,
    auth: Auth,
    place: Place,
    object_id: String,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let user = auth.user(Cred::Cookie)?.clone();
    let object_id = id(&object_id)?;
    let body = body_object(&bytes);
    let content = text_field(&body, "content").unwrap_or_default();
    let parent_id = int_field(&body, "parent_id");
    let commentee_id = int_field(&body, "commentee_id");
    let rules = s.settings();
    let t = now();
    tx(&s, |c| {
        let target = target(c, place, object_id)?;
        let mute = render::mute_status(&user, t);
        if mute.is_muted() {
            return Ok(rejected("isMuted", mute));
        }
        if !target.comments_allowed {
            return Ok(rejected("isDisallowed", MuteStatus::default()));
        }
        if content.trim().is_empty() {
            return Ok(rejected("isEmpty", MuteStatus::default()));
        }
        if content.chars().count() > rules.comment_max_chars {
            return Ok(rejected("isTooLong", MuteStatus::default()));
        }
        if rules.comment_flood_seconds > 0
            && comments::last_by(c, user.id)?
                .is_some_and(|last| t - last < rules.comment_flood_seconds)
        {
            return Ok(rejected("isFlood", MuteStatus::default()));
        }
        // Threads are flat: a reply to a reply hangs off the top-level comment.
        let parent = match parent_id {
            Some(pid) => {
                let parent =
                    comments::by_id(c, place, object_id, pid)?.ok_or(ApiError::BadRequest)?;
                Some(parent.parent_id.unwrap_or(parent.id))
            }
            None => None,
        };
        let commentee: Option<UserRow> = match commentee_id {
            Some(uid) => Some(users::by_id(c, uid)?.ok_or(ApiError::BadRequest)?),
            None => None,
        };
        let new_id = comments::insert(
            c,
            &NewCommentRow {
                id: None,
                place,
                object_id,
                author_id: user.id,
                parent_id: parent,
                commentee_id: commentee.as_ref().map(|u| u.id),
                content: &content,
                created: t,
            },
        )?;
        messages::comment_added(
            c,
            &messages::CommentNotice {
                place,
                comment_id: new_id,
                object_id,
                object_title: &target.title,
                author_id: user.id,
                commentee: commentee.as_ref().map(|u| (u.id, u.username.as_str())),
                owners: &target.owner_ids,
                content: &content,
                now: t,
            },
        )?;
        let created = comments::by_id(c, place, object_id, new_id)?.ok_or(ApiError::Internal)?;
        Ok(Json(render::comment(&created)).into_response())
    })
}

pub(crate) async fn create_project_comment(
    State(s): State<Shared>,
    auth: Auth,
    Path(project_id): Path<String>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    create(s, auth, Place::Project, project_id, bytes).await
}

pub(crate) async fn create_studio_comment(
    State(s): State<Shared>,
    auth: Auth,
    Path(studio_id): Path<String>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    create(s, auth, Place::Studio, studio_id, bytes).await
}

/// The author, the project owner or a studio manager, and the Scratch Team may delete.
async fn delete(
    s: Shared,
    auth: Auth,
    place: Place,
    object_id: String,
    comment_id: String,
) -> Result<Response, ApiError> {
    let user = auth.user(Cred::Cookie)?.clone();
    let object_id = id(&object_id)?;
    let comment_id = id(&comment_id)?;
    tx(&s, |c| {
        let target = target(c, place, object_id)?;
        let author =
            comments::owner_of(c, place, object_id, comment_id)?.ok_or(ApiError::NotFound)?;
        let allowed =
            author == user.id || target.owner_ids.contains(&user.id) || user.scratchteam();
        if !allowed {
            return Err(ApiError::Forbidden);
        }
        comments::delete(c, place, object_id, comment_id)?;
        Ok(())
    })?;
    Ok(Json(json!({})).into_response())
}

pub(crate) async fn delete_project_comment(
    State(s): State<Shared>,
    auth: Auth,
    Path((project_id, comment_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    delete(s, auth, Place::Project, project_id, comment_id).await
}

pub(crate) async fn delete_studio_comment(
    State(s): State<Shared>,
    auth: Auth,
    Path((studio_id, comment_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    delete(s, auth, Place::Studio, studio_id, comment_id).await
}

async fn report(
    s: Shared,
    auth: Auth,
    place: Place,
    object_id: String,
    comment_id: String,
) -> Result<Response, ApiError> {
    let user = auth.user(Cred::Cookie)?.clone();
    let object_id = id(&object_id)?;
    let comment_id = id(&comment_id)?;
    let report_id = tx(&s, |c| {
        target(c, place, object_id)?;
        comments::owner_of(c, place, object_id, comment_id)?.ok_or(ApiError::NotFound)?;
        Ok::<_, ApiError>(account::report(
            c,
            &format!("{}_comment", place.as_str()),
            comment_id,
            user.id,
            now(),
            "",
        )?)
    })?;
    Ok(Json(json!({"reportId": report_id})).into_response())
}

pub(crate) async fn report_project_comment(
    State(s): State<Shared>,
    auth: Auth,
    Path((project_id, comment_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    report(s, auth, Place::Project, project_id, comment_id).await
}

pub(crate) async fn report_studio_comment(
    State(s): State<Shared>,
    auth: Auth,
    Path((studio_id, comment_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    report(s, auth, Place::Studio, studio_id, comment_id).await
}
