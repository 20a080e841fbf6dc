//! Loves and favorites, token style (`/projects/<id>/loves/user/<me>`) and proxy style
//! (`/proxy/projects/<id>/loves/user/<me>`): GET tells, POST sets, DELETE clears; the answer
//! is `{"projectId":"<id>","userLove":bool,"statusChanged":bool}` (`userFavorite` for
//! favorites). Setting one sends the owner a message and feeds the lover's followers.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use scratchkit_model::{
    Activity, ActivityType, FavoriteStatus, LoveStatus, Message, MessageType, ProjectId,
};

use crate::auth::{Auth, Cred};
use crate::render;
use crate::routes::reply::{ApiError, id, tx};
use crate::state::Shared;
use crate::store::messages;
use crate::store::projects::{self, Mark};
use crate::timefmt::now;

async fn mark(
    s: Shared,
    auth: Auth,
    method: Method,
    cred: Cred,
    mark: Mark,
    (project_id, me): (String, String),
) -> Result<Response, ApiError> {
    let user = auth.user_named(cred, &me)?.clone();
    let project_id = id(&project_id)?;
    let (state, changed) = tx(&s, |c| {
        let p = projects::by_id(c, project_id)?.ok_or(ApiError::NotFound)?;
        if !p.shared && p.owner_id != user.id {
            return Err(ApiError::NotFound);
        }
        let on = match method {
            Method::POST => true,
            Method::DELETE => false,
            _ => return Ok((projects::has_mark(c, mark, user.id, p.id)?, false)),
        };
        let changed = projects::set_mark(c, mark, user.id, p.id, on, now())?;
        if changed && on {
            let project_id = Some(ProjectId(render::unsigned(p.id)));
            let title = Some(p.title.clone());
            // Loves carry `title`, favorites `project_title`.
            let (message, item) = match mark {
                Mark::Love => (
                    Message {
                        project_id,
                        title: title.clone(),
                        ..messages::new_message(MessageType::LoveProject)
                    },
                    Activity {
                        project_id,
                        title,
                        ..messages::new_activity(ActivityType::LoveProject)
                    },
                ),
                Mark::Favorite => (
                    Message {
                        project_id,
                        project_title: title.clone(),
                        ..messages::new_message(MessageType::FavoriteProject)
                    },
                    Activity {
                        project_id,
                        project_title: title,
                        ..messages::new_activity(ActivityType::FavoriteProject)
                    },
                ),
            };
            messages::send(c, p.owner_id, user.id, now(), &message)?;
            messages::record_activity(c, user.id, now(), &item)?;
        }
        Ok((on, changed))
    })?;
    let project_id = ProjectId(render::unsigned(project_id));
    Ok(match mark {
        Mark::Love => Json(LoveStatus {
            project_id,
            user_love: state,
            status_changed: changed,
        })
        .into_response(),
        Mark::Favorite => Json(FavoriteStatus {
            project_id,
            user_favorite: state,
            status_changed: changed,
        })
        .into_response(),
    })
}

pub(crate) async fn love(
    State(s): State<Shared>,
    auth: Auth,
    method: Method,
    Path(path): Path<(String, String)>,
) -> Result<Response, ApiError> {
    mark(s, auth, method, Cred::Either, Mark::Love, path).await
}

pub(crate) async fn favorite(
    State(s): State<Shared>,
    auth: Auth,
    method: Method,
    Path(path): Path<(String, String)>,
) -> Result<Response, ApiError> {
    mark(s, auth, method, Cred::Either, Mark::Favorite, path).await
}

pub(crate) async fn proxy_love(
    State(s): State<Shared>,
    auth: Auth,
    method: Method,
    Path(path): Path<(String, String)>,
) -> Result<Response, ApiError> {
    mark(s, auth, method, Cred::Cookie, Mark::Love, path).await
}

pub(crate) async fn proxy_favorite(
    State(s): State<Shared>,
    auth: Auth,
    method: Method,
    Path(path): Path<(String, String)>,
) -> Result<Response, ApiError> {
    mark(s, auth, method, Cred::Cookie, Mark::Favorite, path).await
}
