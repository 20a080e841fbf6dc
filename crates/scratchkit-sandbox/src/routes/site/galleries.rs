//! Studios on the old site: `POST /studios/create/` (Scratchers only, rate limited),
//! `PUT /site-api/galleries/all/<id>/` (title, description), `PUT /site-api/galleries/<id>/
//! mark/open|closed/`, curator management under `/site-api/users/curators-in/<id>/…`
//! (`invite_curator`, `add` = accept, `promote`, `remove` = remove or leave), comment
//! toggles, and the caller's studios (`GET /site-api/galleries/all/?page=`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;
use scratchkit_model::{Activity, ActivityType, Message, MessageType, StudioId, UserId};
use serde_json::json;

use crate::auth::{Auth, Cred};
use crate::render;
use crate::routes::reply::{Params, SiteError, body_object, id, read, text_field, tx};
use crate::state::Shared;
use crate::store::studios::{self, NewStudio, StudioEdit, StudioRow};
use crate::store::users::{self, UserRow};
use crate::store::{Page, account, messages};
use crate::timefmt::now;

/// Items per old-site page.
pub(crate) const SITE_PAGE: i64 = 40;

/// The studio when `user` manages it: 404 when missing, 403 otherwise.
fn managed(c: &Connection, studio_id: i64, user: &UserRow) -> Result<StudioRow, SiteError> {
    let st = studios::by_id(c, studio_id)?.ok_or(SiteError::NotFound)?;
    if studios::role_of(c, st.id, user.id)?.as_deref() == Some("manager") || user.scratchteam() {
        Ok(st)
    } else {
        Err(SiteError::Forbidden)
    }
}

pub(crate) async fn create(State(s): State<Shared>, auth: Auth) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    if me.role == "new_scratcher" {
        return Ok((
            StatusCode::FORBIDDEN,
            Json(json!({"success": false, "msg": "Only Scratchers can create studios."})),
        )
            .into_response());
    }
    let rules = s.settings();
    let t = now();
    let created = tx(&s, |c| {
        let recent =
            account::creations_since(c, me.id, "studio", t - rules.creation_window_seconds)?;
        if recent >= rules.studios_per_window {
            return Ok(None);
        }
        let id = studios::insert(
            c,
            &NewStudio {
                id: None,
                host_id: me.id,
                title: "Untitled Studio",
                description: "",
                open_to_all: false,
                created: t,
                followers: 0,
                language: "en",
                tag: "",
            },
        )?;
        account::record_creation(c, me.id, "studio", t)?;
        Ok::<_, SiteError>(Some(id))
    })?;
    Ok(match created {
        Some(id) => Json(json!({"success": true, "redirect": format!("/studios/{id}/")})).into_response(),
        None => (
            StatusCode::TOO_MANY_REQUESTS,
            Json(json!({
                "success": false,
                "msg": "Woah, seems like you've been creating studios really fast. Please wait a bit before creating another one.",
            })),
        )
            .into_response(),
    })
}

/// `PUT /site-api/galleries/all/<id>/` `{"title"?, "description"?}` (or
/// `{"visibility":"delbyusr"}`: deletion, see `studio_deletion.rs`).
pub(crate) async fn update(
    State(s): State<Shared>,
    auth: Auth,
    Path(studio_id): Path<String>,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let studio_id = id(&studio_id)?;
    let body = body_object(&bytes);
    if super::studio_deletion::is_deletion(&body) {
        return super::studio_deletion::delete(&s, &me, studio_id);
    }
    let edit = StudioEdit {
        title: text_field(&body, "title"),
        description: text_field(&body, "description"),
        ..StudioEdit::default()
    };
    if edit
        .title
        .as_ref()
        .is_some_and(|t| t.trim().is_empty() || t.chars().count() > 52)
        || edit
            .description
            .as_ref()
            .is_some_and(|d| d.chars().count() > 5000)
    {
        return Err(SiteError::BadRequest);
    }
    let st = tx(&s, |c| {
        let st = managed(c, studio_id, &me)?;
        studios::update(c, st.id, &edit, now())?;
        if edit.title.is_some() || edit.description.is_some() {
            let item = messages::new_activity(ActivityType::UpdateStudio);
            studios::add_activity(c, st.id, me.id, now(), &item)?;
        }
        studios::by_id(c, st.id)?.ok_or(SiteError::NotFound)
    })?;
    Ok(Json(render::studio(&st)).into_response())
}

/// `PUT /site-api/galleries/<id>/mark/open|closed/`.
pub(crate) async fn mark(
    State(s): State<Shared>,
    auth: Auth,
    Path((studio_id, state)): Path<(String, String)>,
) -> Result<Response, SiteError> {
    let open = match state.as_str() {
        "open" => true,
        "closed" => false,
        _ => return Err(SiteError::NotFound),
    };
    let me = auth.user(Cred::Cookie)?.clone();
    let studio_id = id(&studio_id)?;
    let st = tx(&s, |c| {
        let st = managed(c, studio_id, &me)?;
        let edit = StudioEdit {
            open_to_all: Some(open),
            ..StudioEdit::default()
        };
        studios::update(c, st.id, &edit, now())?;
        studios::by_id(c, st.id)?.ok_or(SiteError::NotFound)
    })?;
    Ok(Json(render::studio(&st)).into_response())
}

/// `PUT /site-api/users/curators-in/<id>/<action>/?usernames=<u>`.
pub(crate) async fn curators(
    State(s): State<Shared>,
    auth: Auth,
    Path((studio_id, action)): Path<(String, String)>,
    params: Params,
) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let studio_id = id(&studio_id)?;
    let name = params
        .get("usernames")
        .unwrap_or_default()
        .trim()
        .to_owned();
    let t = now();
    tx(&s, |c| {
        let st = studios::by_id(c, studio_id)?.ok_or(SiteError::NotFound)?;
        let target = users::by_name(c, &name)?.ok_or(SiteError::NotFound)?;
        let my_role = studios::role_of(c, st.id, me.id)?;
        let manager = my_role.as_deref() == Some("manager");
        let their_role = studios::role_of(c, st.id, target.id)?;
        let gallery_id = Some(StudioId(render::unsigned(st.id)));
        let gallery_title = Some(st.title.clone());
        match action.as_str() {
            "invite_curator" => {
                if !manager {
                    return Err(SiteError::Forbidden);
                }
                if their_role.is_some() {
                    return Err(SiteError::BadRequest);
                }
                studios::add_member(c, st.id, target.id, "invited", t)?;
                let invite = Message {
                    gallery_id,
                    title: gallery_title,
                    ..messages::new_message(MessageType::CuratorInvite)
                };
                messages::send(c, target.id, me.id, t, &invite)?;
            }
            "add" => {
                if target.id != me.id {
                    return Err(SiteError::Forbidden);
                }
                if their_role.as_deref() != Some("invited") {
                    return Err(SiteError::Forbidden);
                }
                studios::add_member(c, st.id, me.id, "curator", t)?;
                let in_studio = Activity {
                    username: Some(me.username.clone()),
                    ..messages::new_activity(ActivityType::BecomeCurator)
                };
                studios::add_activity(c, st.id, me.id, t, &in_studio)?;
                let in_feed = Activity {
                    gallery_id,
                    gallery_title,
                    ..in_studio
                };
                messages::record_activity(c, me.id, t, &in_feed)?;
            }
            "promote" => {
                if !manager {
                    return Err(SiteError::Forbidden);
                }
                if their_role.as_deref() != Some("curator") {
                    return Err(SiteError::BadRequest);
                }
                studios::add_member(c, st.id, target.id, "manager", t)?;
                let recipient_username = Some(target.username.clone());
                let in_studio = Activity {
                    recipient_username: recipient_username.clone(),
                    ..messages::new_activity(ActivityType::BecomeOwnerStudio)
                };
                studios::add_activity(c, st.id, me.id, t, &in_studio)?;
                let recipient_id = Some(UserId(render::unsigned(target.id)));
                // The message has no typed key for the recipient's id: it goes in `extra`.
                let mut message = Message {
                    gallery_id,
                    gallery_title: gallery_title.clone(),
                    recipient_username,
                    ..messages::new_message(MessageType::BecomeOwnerStudio)
                };
                message
                    .extra
                    .insert("recipient_id".into(), target.id.into());
                messages::send(c, target.id, me.id, t, &message)?;
                let in_feed = Activity {
                    gallery_id,
                    gallery_title,
                    recipient_id,
                    ..in_studio
                };
                messages::record_activity(c, me.id, t, &in_feed)?;
            }
            "remove" => {
                let leaving = target.id == me.id;
                if !(manager || leaving) {
                    return Err(SiteError::Forbidden);
                }
                if target.id == st.host_id || their_role.is_none() {
                    return Err(SiteError::BadRequest);
                }
                studios::remove_member(c, st.id, target.id)?;
                let item = Activity {
                    username: Some(target.username.clone()),
                    ..messages::new_activity(ActivityType::RemoveCuratorStudio)
                };
                studios::add_activity(c, st.id, me.id, t, &item)?;
            }
            _ => return Err(SiteError::NotFound),
        }
        Ok(())
    })?;
    Ok(Json(json!({"status": "success", "username": name})).into_response())
}

/// `POST /site-api/comments/gallery/<id>/toggle-comments/` (managers).
pub(crate) async fn toggle_studio_comments(
    State(s): State<Shared>,
    auth: Auth,
    Path(studio_id): Path<String>,
) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let studio_id = id(&studio_id)?;
    let allowed = tx(&s, |c| {
        let st = managed(c, studio_id, &me)?;
        let edit = StudioEdit {
            comments_allowed: Some(!st.comments_allowed),
            ..StudioEdit::default()
        };
        studios::update(c, st.id, &edit, now())?;
        Ok::<_, SiteError>(!st.comments_allowed)
    })?;
    Ok(Json(json!({"comments_allowed": allowed})).into_response())
}

/// The 1-based `?page=` of an old-site list (40 per page); past the end is a 404, except an
/// empty first page.
pub(crate) fn site_page(params: &Params) -> Result<(i64, Page), SiteError> {
    let number = match params.get("page").filter(|p| !p.is_empty()) {
        Some(p) => p.trim().parse::<i64>().map_err(|_| SiteError::NotFound)?,
        None => 1,
    };
    if number < 1 {
        return Err(SiteError::NotFound);
    }
    Ok((
        number,
        Page {
            limit: SITE_PAGE,
            offset: (number - 1) * SITE_PAGE,
        },
    ))
}

/// `GET /site-api/galleries/all/?page=`: the caller's studios (Django serializer shape).
pub(crate) async fn mine(
    State(s): State<Shared>,
    auth: Auth,
    params: Params,
) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let (number, page) = site_page(&params)?;
    let order = match (params.get("ascsort"), params.get("descsort")) {
        (Some("title"), _) => studios::MineOrder::TitleAsc,
        (_, Some("title")) => studios::MineOrder::TitleDesc,
        (Some(f), _) if !f.is_empty() => studios::MineOrder::ModifiedAsc,
        _ => studios::MineOrder::ModifiedDesc,
    };
    let rows = read(&s, |c| {
        let list = studios::mine(c, me.id, order, page)?;
        let mut out = Vec::new();
        for st in list {
            let owner = users::by_id(c, st.host_id)?.ok_or(SiteError::Internal)?;
            out.push((st.clone(), owner, studios::member_count(c, st.id)?));
        }
        Ok::<_, SiteError>(out)
    })?;
    if rows.is_empty() && number > 1 {
        return Err(SiteError::NotFound);
    }
    let items: Vec<_> = rows
        .iter()
        .map(|(st, owner, curators)| render::site_gallery(st, owner, *curators))
        .collect();
    Ok(Json(items).into_response())
}
