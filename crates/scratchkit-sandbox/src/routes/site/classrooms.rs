//! Classes on the old site (teacher accounts, endpoints.md §3.9). Every teacher route takes
//! the session cookie and acts only on the caller's own classes: 401 logged out, 403 for
//! anyone but the class's teacher (or for a non-teacher creating a class), and a refused
//! request changes nothing.
//!
//! | method | path | answer |
//! |---|---|---|
//! | POST | `/classes/create_classroom/` `{title, description?, status?}` | `[{"success":true,"msg":"","id":int,"title":str}]` (teachers only) |
//! | GET | `/site-api/classrooms/all/`, `/site-api/classrooms/closed/` `?page` | the caller's open / closed classes (site class objects) |
//! | GET, PUT | `/site-api/classrooms/all/<id>/` `{title?, description?, status?, visibility?: "visible"\|"closed"}` | the site class object |
//! | POST | `/site-api/classrooms/close_classroom/<id>/` | the site class object, `visibility: "closed"` |
//! | GET | `/site-api/classrooms/generate_registration_link/<id>/` | `{"reg_link":"https://scratch.mit.edu/signup/<token>"}` (open classes); the link's page is `/signup/<token>` (HTML sign-up form, `web::signup`) |
//! | POST | `/classes/create_classroom_gallery/` `{classroom_id, classroom_token, title, description?}` | `{"success":true,"redirect":"/studios/<id>/"}` |
//! | POST | `/classes/register_new_student/` (form, no session) | `[{"username","success":true,"msg"}]`; refusals `[{"success":false,"msg"}]` without `username` |
//! | GET | `/site-api/classrooms/activity/<id>/<student\|all>/?page&ascsort&descsort` | classroom activity (§2.11.11) |
//! | GET | `/site-api/classrooms/alerts/[<id>/]?page&ascsort&descsort` | educator alerts; listing marks them read |
//!
//! The class token is stable: the registration link, `/api/classtoken/<token>` and student
//! registration all use it. Lists hold 40 items per page and 404 past the end.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;
use scratchkit_model::{
    AdminAction, AlertCode, AlertId, ClassroomActivity, ClassroomActivityType, ClassroomId,
    ClassroomVisibility, EducatorAlert, EducatorAlertFields, ProjectId, SiteClassroom, SiteUser,
    Timestamp,
};
use serde_json::{Map, Value, json};

use super::galleries::site_page;
use crate::accounts::{hash_password, is_bad_username, is_valid_username};
use crate::auth::{Auth, Cred};
use crate::render;
use crate::routes::reply::{
    Params, SiteError, body_object, bool_field, int_field, read, text_field, tx,
};
use crate::state::Shared;
use crate::store::classrooms::{self, ClassEdit, ClassroomRow, StudentActivity};
use crate::store::projects;
use crate::store::studios::{self, NewStudio};
use crate::store::users::{self, NewUser, UserRow};
use crate::timefmt::now;

/// Longest class title.
const MAX_TITLE: usize = 100;
/// Longest description / status text.
const MAX_TEXT: usize = 5000;

/// The class when `me` teaches it: 404 when missing, 403 for anyone else.
pub(crate) fn taught(
    c: &Connection,
    class_id: i64,
    me: &UserRow,
) -> Result<ClassroomRow, SiteError> {
    let class = classrooms::by_id(c, class_id)?.ok_or(SiteError::NotFound)?;
    if class.educator_id == me.id {
        Ok(class)
    } else {
        Err(SiteError::Forbidden)
    }
}

/// A class id from a path segment (404 otherwise).
fn class_id(segment: &str) -> Result<i64, SiteError> {
    Ok(crate::routes::reply::id(segment)?)
}

/// The site-api class object (the union of the list and detail shapes of §3.9).
fn site_class(c: &Connection, k: &ClassroomRow) -> Result<SiteClassroom, SiteError> {
    let educator = users::by_id(c, k.educator_id)?.ok_or(SiteError::Internal)?;
    let commenters: i64 = c.query_row(
        "SELECT COUNT(DISTINCT cm.author_id) FROM comments cm JOIN users u ON u.id = cm.author_id
         WHERE u.classroom_id = ?1",
        [k.id],
        |r| r.get(0),
    )?;
    let profile = render::site_user_ref(&educator);
    Ok(SiteClassroom {
        id: Some(ClassroomId(render::unsigned(k.id))),
        title: k.title.clone(),
        description: Some(k.description.clone()),
        status: Some(k.status.clone()),
        visibility: Some(if k.closed {
            ClassroomVisibility::Closed
        } else {
            ClassroomVisibility::Visible
        }),
        datetime_created: Timestamp::from_unix_seconds(k.date_start),
        gallery_count: render::unsigned(classrooms::studio_count(c, k.id)?),
        student_count: render::unsigned(classrooms::student_count(c, k.id)?),
        commenters_count: Some(render::unsigned(commenters)),
        unread_alert_count: render::unsigned(classrooms::unread_alerts(c, k.id)?),
        thumbnail_url: format!(
            "//cdn2.scratch.mit.edu/get_image/classroom/{}_250x150.png",
            k.id
        ),
        token: Some(k.token.clone()),
        // The class's `educator` is the short reference: name and id only.
        educator: Some(SiteUser {
            username: profile.username.clone(),
            pk: profile.pk,
            ..SiteUser::default()
        }),
        educator_profile: Some(profile),
        extra: Map::new(),
    })
}

/// A new class token: 20 random letters and digits.
fn new_token() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..20)
        .map(|_| {
            let i = usize::from(rand::random::<u8>()) % ALPHABET.len();
            char::from(ALPHABET[i])
        })
        .collect()
}

fn too_long(text: &Option<String>, max: usize) -> bool {
    text.as_ref().is_some_and(|t| t.chars().count() > max)
}

/// `POST /classes/create_classroom/`.
pub(crate) async fn create(
    State(s): State<Shared>,
    auth: Auth,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    if me.role != "teacher" {
        return Err(SiteError::Forbidden);
    }
    let body = body_object(&bytes);
    let title = text_field(&body, "title").unwrap_or_default();
    let description = text_field(&body, "description");
    let status = text_field(&body, "status");
    if title.trim().is_empty()
        || title.chars().count() > MAX_TITLE
        || too_long(&description, MAX_TEXT)
        || too_long(&status, MAX_TEXT)
    {
        return Ok((
            StatusCode::BAD_REQUEST,
            Json(json!([{"success": false, "msg": "Please give the class a title (at most 100 characters)."}])),
        )
            .into_response());
    }
    let token = new_token();
    let id = tx(&s, |c| {
        Ok::<_, SiteError>(classrooms::insert(
            c,
            me.id,
            &title,
            description.as_deref().unwrap_or(""),
            status.as_deref().unwrap_or(""),
            now(),
            &token,
        )?)
    })?;
    Ok(Json(json!([{"success": true, "msg": "", "id": id, "title": title}])).into_response())
}

async fn list(s: Shared, auth: Auth, params: Params, closed: bool) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let (number, page) = site_page(&params)?;
    let items = read(&s, |c| {
        classrooms::of_educator(c, me.id, closed, page)?
            .iter()
            .map(|k| site_class(c, k))
            .collect::<Result<Vec<_>, SiteError>>()
    })?;
    if items.is_empty() && number > 1 {
        return Err(SiteError::NotFound);
    }
    Ok(Json(items).into_response())
}

/// `GET /site-api/classrooms/all/`: the caller's open classes.
pub(crate) async fn open_list(
    State(s): State<Shared>,
    auth: Auth,
    params: Params,
) -> Result<Response, SiteError> {
    list(s, auth, params, false).await
}

/// `GET /site-api/classrooms/closed/`: the caller's closed classes.
pub(crate) async fn closed_list(
    State(s): State<Shared>,
    auth: Auth,
    params: Params,
) -> Result<Response, SiteError> {
    list(s, auth, params, true).await
}

/// `GET /site-api/classrooms/all/<id>/`.
pub(crate) async fn detail(
    State(s): State<Shared>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let id = class_id(&id)?;
    let body = read(&s, |c| site_class(c, &taught(c, id, &me)?))?;
    Ok(Json(body).into_response())
}

/// `PUT /site-api/classrooms/all/<id>/`: title, description, status, or `visibility`
/// (`visible` reopens, `closed` closes).
pub(crate) async fn edit(
    State(s): State<Shared>,
    auth: Auth,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let id = class_id(&id)?;
    let body = body_object(&bytes);
    let changes = ClassEdit {
        title: text_field(&body, "title"),
        description: text_field(&body, "description"),
        status: text_field(&body, "status"),
    };
    let closed = match text_field(&body, "visibility").as_deref() {
        None => None,
        Some("visible") => Some(false),
        Some("closed") => Some(true),
        Some(_) => return Err(SiteError::BadRequest),
    };
    let bad = changes
        .title
        .as_ref()
        .is_some_and(|t| t.trim().is_empty() || t.chars().count() > MAX_TITLE)
        || too_long(&changes.description, MAX_TEXT)
        || too_long(&changes.status, MAX_TEXT);
    let t = now();
    let body = tx(&s, |c| {
        let class = taught(c, id, &me)?;
        if bad {
            return Err(SiteError::BadRequest);
        }
        classrooms::update(c, class.id, &changes)?;
        if let Some(closed) = closed {
            classrooms::set_closed(c, class.id, closed, t)?;
        }
        let class = classrooms::by_id(c, class.id)?.ok_or(SiteError::NotFound)?;
        site_class(c, &class)
    })?;
    Ok(Json(body).into_response())
}

/// `POST /site-api/classrooms/close_classroom/<id>/`.
pub(crate) async fn close(
    State(s): State<Shared>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let id = class_id(&id)?;
    let t = now();
    let body = tx(&s, |c| {
        let class = taught(c, id, &me)?;
        classrooms::set_closed(c, class.id, true, t)?;
        let class = classrooms::by_id(c, class.id)?.ok_or(SiteError::NotFound)?;
        site_class(c, &class)
    })?;
    Ok(Json(body).into_response())
}

/// `GET /site-api/classrooms/generate_registration_link/<id>/` (open classes only).
pub(crate) async fn registration_link(
    State(s): State<Shared>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let id = class_id(&id)?;
    let class = read(&s, |c| taught(c, id, &me))?;
    if class.closed {
        return Err(SiteError::BadRequest);
    }
    Ok(
        Json(json!({"reg_link": format!("https://scratch.mit.edu/signup/{}", class.token)}))
            .into_response(),
    )
}

/// `POST /classes/create_classroom_gallery/` `{classroom_id, classroom_token, title, description}`.
pub(crate) async fn create_studio(
    State(s): State<Shared>,
    auth: Auth,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let body = body_object(&bytes);
    let id = int_field(&body, "classroom_id").ok_or(SiteError::BadRequest)?;
    let token = text_field(&body, "classroom_token").unwrap_or_default();
    let title = text_field(&body, "title").unwrap_or_default();
    let description = text_field(&body, "description").unwrap_or_default();
    let bad = title.trim().is_empty()
        || title.chars().count() > 52
        || description.chars().count() > MAX_TEXT;
    let t = now();
    let studio = tx(&s, |c| {
        let class = taught(c, id, &me)?;
        if class.token != token || class.closed {
            return Err(SiteError::Forbidden);
        }
        if bad {
            return Err(SiteError::BadRequest);
        }
        let studio = studios::insert(
            c,
            &NewStudio {
                id: None,
                host_id: me.id,
                title: &title,
                description: &description,
                open_to_all: false,
                created: t,
                followers: 0,
                language: "en",
                tag: "",
            },
        )?;
        classrooms::add_studio(c, class.id, studio)?;
        Ok(studio)
    })?;
    Ok(Json(json!({"success": true, "redirect": format!("/studios/{studio}/")})).into_response())
}

fn refusal(status: StatusCode, msg: &str) -> Response {
    (status, Json(json!([{"success": false, "msg": msg}]))).into_response()
}

/// `POST /classes/register_new_student/`: creates a Student account in the class named by
/// `classroom_id` when `classroom_token` is its token and the class is open.
pub(crate) async fn register_student(State(s): State<Shared>, bytes: Bytes) -> Response {
    let body = body_object(&bytes);
    let class_id = int_field(&body, "classroom_id");
    let token = text_field(&body, "classroom_token").unwrap_or_default();
    let username = text_field(&body, "username").unwrap_or_default();
    let password = text_field(&body, "password").unwrap_or_default();
    let country = text_field(&body, "country").filter(|c| !c.trim().is_empty());
    if bool_field(&body, "is_robot") == Some(true) {
        return refusal(StatusCode::BAD_REQUEST, "Robots may not register.");
    }
    if !is_valid_username(&username) || is_bad_username(&username) {
        return refusal(StatusCode::BAD_REQUEST, "Invalid username.");
    }
    if password.chars().count() < 6 || password.eq_ignore_ascii_case(&username) {
        return refusal(StatusCode::BAD_REQUEST, "Password too weak.");
    }
    let class = match class_id.map(|id| read(&s, |c| classrooms::by_id(c, id))) {
        Some(Ok(Some(class))) => class,
        Some(Err(_)) => return SiteError::Internal.into_response(),
        _ => return refusal(StatusCode::NOT_FOUND, "This class does not exist."),
    };
    if class.token != token || class.closed {
        return refusal(
            StatusCode::FORBIDDEN,
            "This registration link is not valid.",
        );
    }
    let Ok(hash) = hash_password(&password) else {
        return SiteError::Internal.into_response();
    };
    let t = now();
    let created = tx(&s, |c| {
        if users::by_name(c, &username)?.is_some() {
            return Ok::<_, SiteError>(false);
        }
        let id = users::insert(
            c,
            &NewUser {
                id: None,
                username: &username,
                password_hash: &hash,
                role: "student",
                joined: t,
                profile_id: None,
                status: "",
                bio: "",
                country: country.as_deref(),
                muted_until: None,
                banned: false,
                message_count: 0,
            },
        )?;
        c.execute(
            "UPDATE users SET classroom_id = ?2 WHERE id = ?1",
            rusqlite::params![id, class.id],
        )?;
        Ok(true)
    });
    match created {
        Ok(true) => {
            Json(json!([{"username": username, "success": true, "msg": "Account created."}]))
                .into_response()
        }
        Ok(false) => refusal(StatusCode::BAD_REQUEST, "Username already exists."),
        Err(e) => e.into_response(),
    }
}

/// The sort direction of `?ascsort=&descsort=`: oldest first only when `ascsort` is set.
fn oldest_first(params: &Params) -> bool {
    params.get("ascsort").is_some_and(|v| !v.is_empty())
}

/// A classroom activity item of type `kind` by `a`'s student, with no per-type keys yet.
fn class_item(kind: ClassroomActivityType, a: &StudentActivity) -> ClassroomActivity {
    ClassroomActivity {
        kind,
        actor: Some(render::site_user_ref(&a.actor)),
        datetime_created: Timestamp::from_unix_seconds(a.created),
        project: None,
        title: None,
        project_title: None,
        project_creator: None,
        gallery: None,
        gallery_title: None,
        recipient: None,
        recipient_username: None,
        followed_username: None,
        parent: None,
        parent_title: None,
        is_reshare: None,
        comment_type: None,
        comment_fragment: None,
        comment_id: None,
        comment_obj_id: None,
        comment_obj_title: None,
        commentee_username: None,
        extra: Map::new(),
    }
}

/// What a student did as a classroom activity item (§2.11.11), as the client's own model
/// type; `None` for kinds the classroom activity does not show.
fn activity_item(
    c: &Connection,
    a: &StudentActivity,
) -> rusqlite::Result<Option<ClassroomActivity>> {
    let done = render::recorded_activity(&a.kind, &a.extra);
    let user = |id: Option<i64>| match id {
        Some(id) => users::by_id(c, id),
        None => Ok(None),
    };
    let owner_of = |project: Option<ProjectId>| -> rusqlite::Result<Option<UserRow>> {
        let found = match project.and_then(|p| i64::try_from(p.0).ok()) {
            Some(id) => projects::by_id(c, id)?,
            None => None,
        };
        user(found.map(|p| p.owner_id))
    };
    let item = match a.kind.as_str() {
        "followuser" => {
            let mut item = class_item(ClassroomActivityType::FollowUser, a);
            item.followed_username = done.extra["followed_username"].as_str().map(str::to_owned);
            // Not a typed key of the model: kept in `extra`, as the clients read it.
            let followed = done.extra.get("followed_user_id").cloned();
            item.extra
                .insert("followed_user".into(), followed.unwrap_or_default());
            item
        }
        "followstudio" => ClassroomActivity {
            gallery: done.gallery_id,
            title: done.title,
            ..class_item(ClassroomActivityType::FollowStudio, a)
        },
        "loveproject" => ClassroomActivity {
            recipient: Some(
                owner_of(done.project_id)?
                    .as_ref()
                    .map(render::site_user_ref),
            ),
            project: done.project_id,
            title: done.title,
            ..class_item(ClassroomActivityType::LoveProject, a)
        },
        "favoriteproject" => ClassroomActivity {
            project_creator: owner_of(done.project_id)?.map(|u| u.username),
            project: done.project_id,
            project_title: done.project_title,
            ..class_item(ClassroomActivityType::FavoriteProject, a)
        },
        "shareproject" => ClassroomActivity {
            project: done.project_id,
            title: done.title,
            is_reshare: Some(false),
            ..class_item(ClassroomActivityType::ShareProject(8), a)
        },
        "becomeownerstudio" => {
            let recipient = user(done.recipient_id.and_then(|u| i64::try_from(u.0).ok()))?;
            ClassroomActivity {
                gallery: done.gallery_id,
                gallery_title: done.gallery_title,
                recipient: Some(recipient.as_ref().map(render::site_user_ref)),
                recipient_username: done.recipient_username,
                ..class_item(ClassroomActivityType::PromoteToManager(20), a)
            }
        }
        _ => return Ok(None),
    };
    Ok(Some(item))
}

/// `GET /site-api/classrooms/activity/<id>/<student|all>/`.
pub(crate) async fn activity(
    State(s): State<Shared>,
    auth: Auth,
    Path((id, student)): Path<(String, String)>,
    params: Params,
) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let id = class_id(&id)?;
    let (number, page) = site_page(&params)?;
    let oldest = oldest_first(&params);
    let items = read(&s, |c| {
        let class = taught(c, id, &me)?;
        let student_id = if student == "all" {
            None
        } else {
            let u = users::by_name(c, &student)?.ok_or(SiteError::NotFound)?;
            if u.classroom_id != Some(class.id) {
                return Err(SiteError::NotFound);
            }
            Some(u.id)
        };
        let mut out = Vec::new();
        for a in classrooms::activity(c, class.id, student_id, oldest, page)? {
            out.extend(activity_item(c, &a)?);
        }
        Ok(out)
    })?;
    if items.is_empty() && number > 1 {
        return Err(SiteError::NotFound);
    }
    Ok(Json(items).into_response())
}

async fn alerts_of(
    s: Shared,
    auth: Auth,
    class: Option<String>,
    params: Params,
) -> Result<Response, SiteError> {
    let me = auth.user(Cred::Cookie)?.clone();
    let class = class.as_deref().map(class_id).transpose()?;
    let (number, page) = site_page(&params)?;
    let oldest = oldest_first(&params);
    let t = now();
    let items = tx(&s, |c| {
        if me.role != "teacher" {
            return Err(SiteError::Forbidden);
        }
        if let Some(id) = class {
            taught(c, id, &me)?;
        }
        let list = classrooms::alerts(c, me.id, class, oldest, page)?;
        let ids: Vec<i64> = list.iter().map(|a| a.id).collect();
        let items: Vec<EducatorAlert> = list.iter().map(educator_alert).collect();
        classrooms::mark_alerts_read(c, &ids, t)?;
        Ok(items)
    })?;
    if items.is_empty() && number > 1 {
        return Err(SiteError::NotFound);
    }
    Ok(Json(items).into_response())
}

/// An educator alert in Django's serializer shape, as the client's own model type.
fn educator_alert(a: &classrooms::Alert) -> EducatorAlert {
    EducatorAlert {
        model: Some("educators.educatoralert".to_owned()),
        pk: Some(AlertId(render::unsigned(a.id))),
        fields: EducatorAlertFields {
            educator_datetime_read: a.read_at.and_then(Timestamp::from_unix_seconds),
            admin_action: Some(AdminAction {
                kind: Some(AlertCode::Text(a.kind.clone())),
                datetime_created: Timestamp::from_unix_seconds(a.created),
                target_user: Some(render::site_user_ref(&a.target)),
                actor: Some(render::site_user_ref(&a.actor)),
                object_id: Some(Value::from(a.object_id)),
                extra_data: Some(serde_json::from_str(&a.extra).unwrap_or(Value::Null)),
                extra: Map::new(),
            }),
            extra: Map::new(),
        },
        extra: Map::new(),
    }
}

/// `GET /site-api/classrooms/alerts/`: alerts of all the caller's classes.
pub(crate) async fn alerts(
    State(s): State<Shared>,
    auth: Auth,
    params: Params,
) -> Result<Response, SiteError> {
    alerts_of(s, auth, None, params).await
}

/// `GET /site-api/classrooms/alerts/<id>/`: alerts of one class.
pub(crate) async fn class_alerts(
    State(s): State<Shared>,
    auth: Auth,
    Path(id): Path<String>,
    params: Params,
) -> Result<Response, SiteError> {
    alerts_of(s, auth, Some(id), params).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_twenty_alphanumerics_and_differ() {
        let a = new_token();
        assert_eq!(a.len(), 20);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, new_token());
    }

    #[test]
    fn activity_codes() {
        let store = crate::store::Store::open(None, 1, 0).unwrap();
        store
            .read(|c| {
                let actor = users::by_name(c, "mres")?.expect("a demo user");
                let did = |kind: &str, extra: Value| StudentActivity {
                    kind: kind.to_owned(),
                    actor: actor.clone(),
                    created: 0,
                    extra: extra.to_string(),
                };
                let follow = did(
                    "followuser",
                    json!({"followed_username": "mres", "followed_user_id": 3}),
                );
                let item = activity_item(c, &follow)?.unwrap();
                assert_eq!(item.kind.code(), 0);
                assert_eq!(item.followed_username.as_deref(), Some("mres"));
                assert_eq!(item.extra["followed_user"], 3);
                let project = json!({"project_id": 142, "title": "t"});
                let code = |kind: &str| -> rusqlite::Result<Option<i64>> {
                    Ok(activity_item(c, &did(kind, project.clone()))?.map(|i| i.kind.code()))
                };
                assert_eq!(code("shareproject")?, Some(8));
                assert_eq!(code("loveproject")?, Some(2));
                assert_eq!(code("becomecurator")?, None);
                Ok(())
            })
            .unwrap();
    }
}
