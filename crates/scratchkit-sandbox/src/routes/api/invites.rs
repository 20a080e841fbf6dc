//! Scratcher invites (rule in `store/invites.rs`):
//!
//! * `GET /users/<me>/invites` (token or cookie): `{}` when there is no pending invite, else
//!   `{"id":int,"datetime_created":str,"actor":User,"invitee_id":int}`;
//! * `GET|POST|PUT /users/<me>/promote-to-scratcher/` (on the api host and on
//!   scratch.mit.edu, since peers disagree on the host): accepts the invite → 200
//!   `{"success":true,"username":str}` and the account is a Scratcher; 403 `Forbidden` when
//!   there is no pending invite (nothing changes).

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::auth::{Auth, Cred};
use crate::render;
use crate::routes::reply::{ApiError, tx};
use crate::state::Shared;
use crate::store::{invites, users};
use crate::timefmt::{iso, now};

pub(crate) async fn status(
    State(s): State<Shared>,
    auth: Auth,
    Path(me): Path<String>,
) -> Result<Response, ApiError> {
    let user = auth.user_named(Cred::Either, &me)?.clone();
    let t = now();
    let invite = tx(&s, |c| {
        let Some(invite) = invites::pending(c, &user, t)? else {
            return Ok::<_, ApiError>(None);
        };
        let actor = users::by_id(c, invite.actor_id)?.ok_or(ApiError::Internal)?;
        Ok(Some((invite, actor)))
    })?;
    let body = match invite {
        None => json!({}),
        Some((invite, actor)) => json!({
            "id": invite.user_id,
            "datetime_created": iso(invite.created),
            "actor": render::user(&actor),
            "invitee_id": invite.user_id,
        }),
    };
    Ok(Json(body).into_response())
}

pub(crate) async fn accept(
    State(s): State<Shared>,
    auth: Auth,
    Path(me): Path<String>,
) -> Result<Response, ApiError> {
    let user = auth.user_named(Cred::Either, &me)?.clone();
    let t = now();
    tx(&s, |c| {
        if invites::accept(c, &user, t)? {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    })?;
    Ok(Json(json!({"success": true, "username": user.username})).into_response())
}
