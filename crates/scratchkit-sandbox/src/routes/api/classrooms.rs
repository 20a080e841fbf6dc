//! `/classtoken/<token>`: a class looked up by its token (the same shape as
//! `/classrooms/<id>`, served by `accounts.rs`). Closed classes answer 404, as live.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use crate::render;
use crate::routes::json_reply::JsonReply;
use crate::routes::reply::{ApiError, read};
use crate::state::Shared;
use crate::store::{classrooms, users};

pub(crate) async fn by_token(
    State(s): State<Shared>,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    let (class, educator) = read(&s, |c| {
        let class = classrooms::by_token(c, &token)?
            .filter(|k| !k.closed)
            .ok_or(ApiError::NotFound)?;
        let educator = users::by_id(c, class.educator_id)?.ok_or(ApiError::NotFound)?;
        Ok::<_, ApiError>((class, educator))
    })?;
    Ok(JsonReply::new(render::classroom(&class, &educator)).into_response())
}
