//! Studio deletion: `PUT /site-api/galleries/all/<id>/` with `{"visibility":"delbyusr"}`.
//! Only the host (or the Scratch Team) may delete; other managers get 403. The studio is
//! gone afterwards (api and site answer 404) and its projects list, members, followers,
//! activity, comments, thumbnail and class-studio link go with it; the projects stay.
//! Answer: `{"id":int,"visibility":"delbyusr"}`.

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::routes::reply::{SiteError, tx};
use crate::state::AppState;
use crate::store::images::{self, ImageKind};
use crate::store::users::UserRow;
use crate::store::{classrooms, studios};

/// True when a galleries PUT body asks for deletion.
pub(crate) fn is_deletion(body: &serde_json::Map<String, serde_json::Value>) -> bool {
    body.get("visibility").and_then(serde_json::Value::as_str) == Some("delbyusr")
}

/// Deletes the studio when `me` hosts it.
pub(crate) fn delete(s: &AppState, me: &UserRow, studio_id: i64) -> Result<Response, SiteError> {
    tx(s, |c| {
        let st = studios::by_id(c, studio_id)?.ok_or(SiteError::NotFound)?;
        if st.host_id != me.id && !me.scratchteam() {
            return Err(SiteError::Forbidden);
        }
        classrooms::forget_studio(c, st.id)?;
        images::delete(c, ImageKind::Gallery, st.id)?;
        studios::delete(c, st.id)?;
        Ok(())
    })?;
    Ok(Json(json!({"id": studio_id, "visibility": "delbyusr"})).into_response())
}
