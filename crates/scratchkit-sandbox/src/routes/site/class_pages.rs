//! The public class pages (HTML, open and closed classes alike), shaped so that the peers'
//! scrapers work (endpoints.md §3.9):
//!
//! * `/classes/<id>/`: `<title>{title} on Scratch</title>`, two `p.overview` (description,
//!   status), `Scratch.INIT_DATA.PROFILE` naming the educator, "Students (N)",
//!   "Class Studios (N)", and the first page of students (`ul.scroll-content li.user a`) and
//!   studios (`ul.scroll-content li.gallery a`);
//! * `/classes/<id>/students/?page=` and `/classes/<id>/studios/?page=`: 40 per page, 404
//!   past the end (an empty first page is a page).
//!
//! Unknown classes get the old site's 404 page.

use std::fmt::Write as _;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;

use super::galleries::site_page;
use crate::routes::reply::{Params, SiteError, id, read};
use crate::state::Shared;
use crate::store::Page;
use crate::store::classrooms::{self, ClassroomRow};
use crate::store::studios::{self, StudioRow};
use crate::store::users::{self, UserRow};

/// HTML-escapes text.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

fn html(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

fn class_of(c: &Connection, segment: &str) -> Result<ClassroomRow, SiteError> {
    let class_id = id(segment)?;
    classrooms::by_id(c, class_id)?.ok_or(SiteError::NotFound)
}

fn studios_of(
    c: &Connection,
    class: &ClassroomRow,
    page: Page,
) -> rusqlite::Result<Vec<StudioRow>> {
    let mut out = Vec::new();
    for sid in classrooms::studio_ids(c, class.id, page)? {
        if let Some(st) = studios::by_id(c, sid)? {
            out.push(st);
        }
    }
    Ok(out)
}

/// One student of a list: exactly one `<a href="/users/…">` per student, indented by eight
/// spaces (scratchattach splits the page on that text).
fn student_item(out: &mut String, u: &UserRow) {
    let name = esc(&u.username);
    let _ = write!(
        out,
        "<li class=\"user thumb item\">\n        <a href=\"/users/{name}/\">{name}</a>\n</li>\n"
    );
}

/// One studio of a list: `<span class="title">\n    <a href="/studios/<id>/">` (split on by
/// scratchattach); the only anchor without a class.
fn studio_item(out: &mut String, st: &StudioRow) {
    let _ = write!(
        out,
        "<li class=\"gallery thumb item\"><span class=\"title\">\n    <a href=\"/studios/{}/\">{}</a>\n</span></li>\n",
        st.id,
        esc(&st.title)
    );
}

/// `GET /classes/<id>/`.
pub(crate) async fn class_page(
    State(s): State<Shared>,
    Path(class): Path<String>,
) -> Result<Response, SiteError> {
    let first = Page {
        limit: 40,
        offset: 0,
    };
    let (class, educator, students, studios, n_students, n_studios) = read(&s, |c| {
        let class = class_of(c, &class)?;
        let educator = users::by_id(c, class.educator_id)?.ok_or(SiteError::NotFound)?;
        let students = classrooms::students(c, class.id, first)?;
        let studios = studios_of(c, &class, first)?;
        let n_students = classrooms::student_count(c, class.id)?;
        let n_studios = classrooms::studio_count(c, class.id)?;
        Ok::<_, SiteError>((class, educator, students, studios, n_students, n_studios))
    })?;
    let mut page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} on Scratch</title></head>\n<body>\n\
<div id=\"content\"><div class=\"box\"><div class=\"box-head\"><h2>{title}</h2></div>\n\
<div class=\"box-content\">\n<h3>About this Class</h3>\n<p class=\"overview\">{description}</p>\n\
<h3>What we're working on</h3>\n<p class=\"overview\">{status}</p>\n",
        title = esc(&class.title),
        description = esc(&class.description),
        status = esc(&class.status),
    );
    let _ = write!(
        page,
        "<h4>Students ({n_students})</h4>\n<ul class=\"scroll-content\">\n"
    );
    for u in &students {
        student_item(&mut page, u);
    }
    let _ = write!(
        page,
        "</ul>\n<h4>Class Studios ({n_studios})</h4>\n<ul class=\"scroll-content\">\n"
    );
    for st in &studios {
        studio_item(&mut page, st);
    }
    let _ = write!(
        page,
        "</ul>\n</div></div></div>\n<script type=\"text/javascript\">\nScratch.INIT_DATA.PROFILE = {{\n  model: {{\n    id: '{name}',\n    userId: {id},\n    username: '{name}',\n  }},\n}};\n</script>\n</body></html>\n",
        name = esc(&educator.username),
        id = educator.id,
    );
    Ok(html(page))
}

/// `GET /classes/<id>/students/?page=`.
pub(crate) async fn students_page(
    State(s): State<Shared>,
    Path(class): Path<String>,
    params: Params,
) -> Result<Response, SiteError> {
    let (number, page) = site_page(&params)?;
    let students = read(&s, |c| {
        let class = class_of(c, &class)?;
        Ok::<_, SiteError>(classrooms::students(c, class.id, page)?)
    })?;
    if students.is_empty() && number > 1 {
        return Err(SiteError::NotFound);
    }
    let mut out = String::from("<ul class=\"media-grid\">\n");
    for u in &students {
        student_item(&mut out, u);
    }
    out.push_str("</ul>\n");
    Ok(html(out))
}

/// `GET /classes/<id>/studios/?page=`.
pub(crate) async fn studios_page(
    State(s): State<Shared>,
    Path(class): Path<String>,
    params: Params,
) -> Result<Response, SiteError> {
    let (number, page) = site_page(&params)?;
    let studios = read(&s, |c| {
        let class = class_of(c, &class)?;
        Ok::<_, SiteError>(studios_of(c, &class, page)?)
    })?;
    if studios.is_empty() && number > 1 {
        return Err(SiteError::NotFound);
    }
    let mut out = String::from("<ul class=\"media-grid\">\n");
    for st in &studios {
        studio_item(&mut out, st);
    }
    out.push_str("</ul>\n");
    Ok(html(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            esc("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }
}
