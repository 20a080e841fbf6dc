//! Entry points for the fuzz targets (`fuzz/` at the repository root) into the sandbox's
//! hand-written request parsing and its hand-written JSON writer. Not part of the supported
//! API: the names follow the code they reach and may change with it.

use axum::http::{HeaderMap, HeaderValue, header};

use crate::render::{self, ProjectStyle};

/// A header map with each `(name, value)` pair that is a valid header, others left out.
fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        if let Ok(value) = HeaderValue::from_str(value) {
            map.append(name.clone(), value);
        }
    }
    map
}

/// The api paging of a query string (`limit`, `offset`), as the api routes read it.
pub fn query_page(query: &str) -> Option<(i64, i64)> {
    let params = crate::routes::reply::Params::parse(query);
    params
        .page_with(20, 40)
        .ok()
        .map(|page| (page.limit, page.offset))
}

/// The form fields of a body sent with `content_type` (the forum's form reader).
pub fn form_fields(content_type: &str, body: &[u8]) -> Vec<(String, String)> {
    let map = headers(&[(header::CONTENT_TYPE, content_type)]);
    crate::html::forum_forms::form_fields(&map, body)
}

/// The upload boundary of `content_type` and the bytes of the `file` field of `body`, with
/// the image type the upload routes would accept them as.
pub fn upload(content_type: &str, body: &[u8]) -> Option<(Vec<u8>, Option<&'static str>)> {
    let map = headers(&[(header::CONTENT_TYPE, content_type)]);
    let boundary = crate::routes::site::uploads::boundary(&map)?;
    let file = crate::routes::site::uploads::multipart_field(body, &boundary, "file")?;
    let kind = crate::routes::site::uploads::check_image(file).ok();
    Some((file.to_vec(), kind))
}

/// Every cookie of the `Cookie` header values, in order.
pub fn cookies(values: &[&str]) -> Vec<(String, String)> {
    let pairs: Vec<_> = values.iter().map(|v| (header::COOKIE, *v)).collect();
    crate::auth::cookies(&headers(&pairs))
}

/// The CSRF token of a form-encoded or JSON body.
pub fn csrf_body_token(body: &[u8]) -> Option<String> {
    crate::auth::body_token(body)
}

/// Whether a request with this `Referer` and `Host` passes the same-site check.
pub fn same_site_referer(referer: &str, host: &str) -> bool {
    crate::auth::same_site_referer(&headers(&[
        (header::REFERER, referer),
        (header::HOST, host),
    ]))
}

/// A `dateLimit` date as the sandbox parses it (Unix seconds).
pub fn parse_iso(text: &str) -> Option<i64> {
    crate::timefmt::parse_iso(text)
}

/// The fast ISO date writer's text for `ts` and the reference (`time` + `format!`) text.
pub fn iso_fast_and_reference(ts: i64) -> (String, String) {
    (crate::timefmt::iso(ts), crate::timefmt::iso_with_fmt(ts))
}

/// Forum BBCode rendered as HTML, as topic pages show it.
pub fn bbcode(source: &str) -> String {
    crate::html::bbcode::render(source)
}

/// A project row as the store reads it (the writer's input).
pub use crate::store::projects::ProjectRow;
/// [`ProjectRow`] under its old name, which the fuzz target `sandbox_project_writer` still
/// uses; remove it once that target says `ProjectRow`.
pub type Project = ProjectRow;
/// One project written by the hand-written writer and by serde (`style`: 0 full, 1 own
/// list, 2 list), in that order.
pub fn project_json_hand_and_serde(
    p: &ProjectRow,
    style: u8,
    token: Option<&str>,
) -> (Vec<u8>, Vec<u8>) {
    let style = match style % 3 {
        0 => ProjectStyle::Full,
        1 => ProjectStyle::OwnList,
        _ => ProjectStyle::List,
    };
    let mut hand = Vec::new();
    render::write_project(&mut hand, p, style, token);
    let serde = serde_json::to_vec(&render::project(p, style, token.map(str::to_owned)))
        .unwrap_or_default();
    (hand, serde)
}
