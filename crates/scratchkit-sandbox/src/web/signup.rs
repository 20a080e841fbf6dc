//! `/web/signup/<token>`: the page a class's registration link leads to, where a student
//! makes an account in the class.
//!
//! The link a teacher gets (`GET /site-api/classrooms/generate_registration_link/<id>/`) is
//! the live site's, `https://scratch.mit.edu/signup/<token>`, so that clients read it as
//! they would on Scratch; through the sandbox's hosts table that is `/site/signup/<token>`,
//! which serves this same page. The form posts to `/site/classes/register_new_student/`, the
//! route a bot calls, so the same rules apply (valid username, password of at least six
//! characters, an open class and its token).

use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::layout::{Viewer, WebError, WebResult, page};
use super::text::{esc, url_part};
use crate::auth::Auth;
use crate::state::Shared;
use crate::store::{classrooms, users};

/// The month names of the birth-date field (values 1–12).
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `GET /web/signup/<token>` and `GET /site/signup/<token>`: the class's sign-up form; 404
/// for an unknown token, 410 with an explanation for a closed class.
pub(crate) async fn page_of(
    State(s): State<Shared>,
    auth: Auth,
    Path(token): Path<String>,
) -> WebResult {
    let viewer = Viewer::of(&auth);
    let found = s.store.read(|c| {
        let Some(class) = classrooms::by_token(c, &token)? else {
            return Ok(None);
        };
        let teacher = users::by_id(c, class.educator_id)?.map(|u| u.username);
        Ok(Some((class, teacher)))
    })?;
    let Some((class, teacher)) = found else {
        return Err(WebError::NotFound("class registration link"));
    };
    let teacher = teacher.map_or(String::new(), |name| {
        format!(
            " <span class=\"muted\">taught by <a href=\"/web/users/{u}\">{name}</a></span>",
            u = url_part(&name),
            name = esc(&name),
        )
    });
    if class.closed {
        let body = format!(
            "<div class=\"narrow\"><h1>{title}</h1><p class=\"empty\" id=\"signup-closed\">This class is closed: its registration link is not valid.</p></div>",
            title = esc(&class.title),
        );
        let mut r = page("Class closed", viewer.as_ref(), &body);
        *r.status_mut() = StatusCode::GONE;
        return Ok(r);
    }
    let months: String = MONTHS
        .iter()
        .zip(1..)
        .map(|(name, n)| format!("<option value=\"{n}\">{name}</option>"))
        .collect();
    let body = format!(
        "<div class=\"narrow\"><h1>Join {title}</h1><p>{teacher}</p>\
<p class=\"muted\">A student account belongs to this class: its teacher sees what it does in the class activity.</p>\
<form id=\"signup-form\" data-classroom-id=\"{id}\" data-classroom-token=\"{token}\">\
<label>Username <input name=\"username\" id=\"signup-username\" autocomplete=\"username\" required maxlength=\"20\"></label>\
<label>Password <input name=\"password\" id=\"signup-password\" type=\"password\" autocomplete=\"new-password\" required minlength=\"6\"></label>\
<label>Birth month <select name=\"birth_month\">{months}</select></label>\
<label>Birth year <input name=\"birth_year\" type=\"number\" min=\"1900\" max=\"2100\" value=\"2012\" required></label>\
<label>Gender <input name=\"gender\" value=\"\"></label>\
<label>Country <input name=\"country\" value=\"\"></label>\
<div class=\"row\"><button type=\"submit\" id=\"signup-submit\">Create account</button>\
<span class=\"form-error\" role=\"alert\" id=\"signup-error\"></span></div></form>\
<p class=\"notice\" id=\"signup-done\" hidden></p></div>",
        title = esc(&class.title),
        id = class.id,
        token = esc(&class.token),
    );
    Ok(page(
        &format!("Join {}", class.title),
        viewer.as_ref(),
        &body,
    ))
}
