//! Forum form posts (`html.md` §7.7): new topic, reply, edit, report, follow/unfollow,
//! signature. The CSRF check runs in front of every route (see `auth::csrf_guard`); these
//! handlers check the login, permissions (closed topics, staff-only categories, authorship)
//! and flood control: a second post within the `comment_flood_seconds` setting is refused
//! with 429.
//!
//! Success answers 302 to the page a browser would land on, with the sandbox's `/site` prefix
//! unless the request came for a real Scratch host name.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::markup::{html, page};
use crate::auth::{Auth, Cred};
use crate::routes::reply::{Params, SiteError, body_object, id, site_redirect, text_field, tx};
use crate::state::Shared;
use crate::store::forums;
use crate::store::users::UserRow;
use crate::timefmt::now;

/// The form fields of a `multipart/form-data`, urlencoded or JSON body.
pub(crate) fn form_fields(headers: &HeaderMap, body: &[u8]) -> Vec<(String, String)> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if let Some(boundary) = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))
    {
        return multipart_fields(body, boundary.trim_matches('"'));
    }
    body_object(body)
        .into_iter()
        .filter_map(|(k, v)| match v {
            serde_json::Value::String(s) => Some((k, s)),
            serde_json::Value::Number(n) => Some((k, n.to_string())),
            _ => None,
        })
        .collect()
}

/// A minimal `multipart/form-data` reader (text fields only).
fn multipart_fields(body: &[u8], boundary: &str) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(body);
    let delimiter = format!("--{boundary}");
    let mut out = Vec::new();
    for part in text.split(delimiter.as_str()).skip(1) {
        if part.starts_with("--") {
            break;
        }
        let part = part.strip_prefix("\r\n").unwrap_or(part);
        let Some((head, value)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let name = head.lines().find_map(|line| {
            let lower = line.to_ascii_lowercase();
            if !lower.starts_with("content-disposition") {
                return None;
            }
            let start = line.find("name=\"")? + "name=\"".len();
            let end = line[start..].find('"')? + start;
            Some(line[start..end].to_owned())
        });
        if let Some(name) = name {
            let value = value.strip_suffix("\r\n").unwrap_or(value);
            out.push((name, value.to_owned()));
        }
    }
    out
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn numeric(segment: &str) -> Result<i64, SiteError> {
    id(segment).map_err(|_| SiteError::NotFound)
}

/// Whether `user` posted within the flood window (the Scratch Team is exempt); creates the
/// forum tables first when needed.
fn flooding(s: &Shared, user: &UserRow, t: i64) -> Result<bool, SiteError> {
    let window = s.settings().comment_flood_seconds;
    if window <= 0 || user.scratchteam() {
        return Ok(false);
    }
    let last = s.store.write(|c| {
        forums::ensure(c)?;
        forums::last_post_time(c, user.id)
    })?;
    Ok(last.is_some_and(|last| t - last < window))
}

/// The answer to a post made too soon after the last one.
fn too_fast() -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page(
            "Posting too fast",
            "",
            "<div class=\"djangobb\"><p class=\"errornote\">Sorry, you have to wait before posting again.</p></div>",
        ),
    )
        .into_response()
}

/// `POST /discuss/topic/<id>/`: a reply (multipart `body`). 403 when the topic is closed.
pub(crate) async fn reply(
    State(s): State<Shared>,
    auth: Auth,
    headers: HeaderMap,
    Path(topic_id): Path<String>,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    let user = auth.user(Cred::Cookie)?.clone();
    let topic_id = numeric(&topic_id)?;
    let fields = form_fields(&headers, &bytes);
    let body = field(&fields, "body").unwrap_or_default().to_owned();
    let t = now();
    if flooding(&s, &user, t)? {
        return Ok(too_fast());
    }
    tx(&s, |c| {
        forums::ensure(c)?;
        let topic = forums::topic(c, topic_id)?.ok_or(SiteError::NotFound)?;
        let category = forums::category(c, topic.category_id)?.ok_or(SiteError::NotFound)?;
        if (topic.closed || category.staff_only) && !user.scratchteam() {
            return Err(SiteError::Forbidden);
        }
        if body.trim().is_empty() {
            return Err(SiteError::BadRequest);
        }
        let post = forums::insert_post(c, topic_id, user.id, &body, t)?;
        Ok(site_redirect(&headers, &format!("/discuss/post/{post}/")))
    })
}

/// `POST /discuss/<category>/topic/add/`: a new topic (multipart `name`, `body`).
pub(crate) async fn new_topic(
    State(s): State<Shared>,
    auth: Auth,
    headers: HeaderMap,
    Path(cat): Path<String>,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    let user = auth.user(Cred::Cookie)?.clone();
    let cat = numeric(&cat)?;
    let fields = form_fields(&headers, &bytes);
    let title = field(&fields, "name").unwrap_or_default().trim().to_owned();
    let body = field(&fields, "body").unwrap_or_default().to_owned();
    let subscribe = field(&fields, "subscribe").is_some_and(|v| v == "on");
    let t = now();
    if flooding(&s, &user, t)? {
        return Ok(too_fast());
    }
    tx(&s, |c| {
        forums::ensure(c)?;
        let category = forums::category(c, cat)?.ok_or(SiteError::NotFound)?;
        if category.staff_only && !user.scratchteam() {
            return Err(SiteError::Forbidden);
        }
        if title.is_empty() || title.chars().count() > 100 || body.trim().is_empty() {
            return Err(SiteError::BadRequest);
        }
        let (topic, _) = forums::insert_topic(c, cat, user.id, &title, &body, t)?;
        if subscribe {
            forums::set_subscription(c, user.id, topic, true)?;
        }
        Ok(site_redirect(&headers, &format!("/discuss/topic/{topic}/")))
    })
}

/// `POST /discuss/post/<id>/edit/`: the author (or the Scratch Team) replaces the text.
pub(crate) async fn edit(
    State(s): State<Shared>,
    auth: Auth,
    headers: HeaderMap,
    Path(post_id): Path<String>,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    let user = auth.user(Cred::Cookie)?.clone();
    let post_id = numeric(&post_id)?;
    let fields = form_fields(&headers, &bytes);
    let body = field(&fields, "body").unwrap_or_default().to_owned();
    let t = now();
    tx(&s, |c| {
        forums::ensure(c)?;
        let post = forums::post(c, post_id)?.ok_or(SiteError::NotFound)?;
        if post.author_id != user.id && !user.scratchteam() {
            return Err(SiteError::Forbidden);
        }
        if body.trim().is_empty() {
            return Err(SiteError::BadRequest);
        }
        forums::edit_post(c, post_id, &body, &user.username, t)?;
        Ok(site_redirect(
            &headers,
            &format!("/discuss/post/{post_id}/"),
        ))
    })
}

/// `POST /discuss/misc/?action=report&post_id=<id>` with `reason`.
pub(crate) async fn misc(
    State(s): State<Shared>,
    auth: Auth,
    headers: HeaderMap,
    params: Params,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    let user = auth.user(Cred::Cookie)?.clone();
    if params.get("action") != Some("report") {
        return Err(SiteError::BadRequest);
    }
    let fields = form_fields(&headers, &bytes);
    let post_id = params
        .get("post_id")
        .or_else(|| field(&fields, "post"))
        .and_then(|v| v.trim().parse::<i64>().ok())
        .ok_or(SiteError::BadRequest)?;
    let reason = field(&fields, "reason").unwrap_or_default().to_owned();
    let t = now();
    tx(&s, |c| {
        forums::ensure(c)?;
        forums::post(c, post_id)?.ok_or(SiteError::NotFound)?;
        forums::report(c, post_id, user.id, &reason, t)?;
        Ok(site_redirect(
            &headers,
            &format!("/discuss/post/{post_id}/"),
        ))
    })
}

/// `POST /discuss/subscription/topic/<id>/{add,delete,remove}/`.
pub(crate) async fn subscription(
    State(s): State<Shared>,
    auth: Auth,
    headers: HeaderMap,
    Path((topic_id, action)): Path<(String, String)>,
) -> Result<Response, SiteError> {
    let user = auth.user(Cred::Cookie)?.clone();
    let topic_id = numeric(&topic_id)?;
    let on = match action.as_str() {
        "add" => true,
        "delete" | "remove" => false,
        _ => return Err(SiteError::NotFound),
    };
    tx(&s, |c| {
        forums::ensure(c)?;
        forums::topic(c, topic_id)?.ok_or(SiteError::NotFound)?;
        forums::set_subscription(c, user.id, topic_id, on)?;
        Ok(site_redirect(
            &headers,
            &format!("/discuss/topic/{topic_id}/"),
        ))
    })
}

/// `POST /discuss/settings/<me>/` with `signature`: only for yourself.
pub(crate) async fn settings(
    State(s): State<Shared>,
    auth: Auth,
    headers: HeaderMap,
    Path(name): Path<String>,
    bytes: Bytes,
) -> Result<Response, SiteError> {
    let user = auth.user_named(Cred::Cookie, &name)?.clone();
    let fields = form_fields(&headers, &bytes);
    let signature = field(&fields, "signature")
        .map(str::to_owned)
        .or_else(|| text_field(&body_object(&bytes), "signature"))
        .unwrap_or_default();
    if signature.chars().count() > 2_000 {
        return Err(SiteError::BadRequest);
    }
    tx(&s, |c| {
        forums::ensure(c)?;
        forums::set_signature(c, user.id, &signature)?;
        Ok::<(), SiteError>(())
    })?;
    Ok(html(page(
        "Forum settings",
        "",
        "<div class=\"djangobb\"><p class=\"success\">Your forum settings were saved.</p></div>",
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_multipart_and_urlencoded_forms() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            "multipart/form-data; boundary=XyZ".parse().unwrap(),
        );
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\na\r\n--XyZ\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\nline1\r\nline2\r\n--XyZ\r\nContent-Disposition: form-data; name=\"AddPostForm\"\r\n\r\n\r\n--XyZ--\r\n";
        let f = form_fields(&h, body.as_bytes());
        assert_eq!(field(&f, "body"), Some("line1\r\nline2"));
        assert_eq!(field(&f, "AddPostForm"), Some(""));
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            "application/x-www-form-urlencoded".parse().unwrap(),
        );
        let f = form_fields(&h, b"csrfmiddlewaretoken=a&body=hi+there");
        assert_eq!(field(&f, "body"), Some("hi there"));
    }

    #[test]
    fn redirects_keep_the_prefix_unless_routed_by_host() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(crate::routes::reply::site_prefix(&h), "/site");
        h.insert(header::HOST, "scratch.mit.edu".parse().unwrap());
        assert_eq!(crate::routes::reply::site_prefix(&h), "");
    }
}
