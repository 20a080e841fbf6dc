//! The old site's project grids of a user: `/projects/all/<u>/loves/?page=<n>` (loved projects,
//! `html.md` §6.2) and the project list under the favorites count page (§6.1).
//!
//! Each project is an `<li class="project thumb item">` holding three links in order: the
//! thumbnail, the title and the owner. 40 projects a page; a page past the last one (when the
//! first page is not empty) is the site's "Whoops" 404 page, which is how scratchattach's
//! `user.loves()` stops.

use axum::extract::{Path, State};
use axum::response::Response;
use rusqlite::Connection;

use super::markup::{escape, html, page, page_number};
use crate::routes::reply::{Params, SiteError};
use crate::state::Shared;
use crate::store::Page;
use crate::store::projects::{self, ProjectRow};
use crate::store::users;

/// Projects on one page of a grid.
pub(crate) const PER_PAGE: i64 = 40;

/// One `<li class="project thumb item">`.
pub(crate) fn project_item(p: &ProjectRow) -> String {
    let title = escape(&p.title);
    let owner = escape(&p.owner_username);
    format!(
        "<li class=\"project thumb item\">\n  <a href=\"/projects/{id}/\"><img class=\"lazy image\" src=\"//cdn2.scratch.mit.edu/get_image/project/{id}_144x108.png\" width=\"144\" height=\"108\"></a>\n  \
<span class=\"title\"><a href=\"/projects/{id}/\">{title}</a></span>\n  \
<span class=\"owner\">by <a href=\"/users/{owner}/\">{owner}</a></span>\n</li>\n",
        id = p.id,
    )
}

/// How many shared projects `user_id` loves.
fn loved_count(c: &Connection, user_id: i64) -> rusqlite::Result<i64> {
    c.query_row(
        "SELECT COUNT(*) FROM loves l JOIN projects p ON p.id = l.project_id
         WHERE l.user_id = ?1 AND p.shared = 1",
        [user_id],
        |r| r.get(0),
    )
}

/// `GET /projects/all/<u>/loves/?page=<n>`: the user's loved projects, 40 a page, with the
/// count after `&raquo;` (shown only when there is at least one). Unknown users, bad page
/// numbers and pages past the end (beyond the first) are the 404 page.
pub(crate) async fn loves_page(
    State(s): State<Shared>,
    Path(name): Path<String>,
    params: Params,
) -> Result<Response, SiteError> {
    let page_no = page_number(params.get("page")).ok_or(SiteError::NotFound)?;
    let (u, list, count) = s
        .store
        .read(|c| {
            let Some(u) = users::by_name(c, &name)? else {
                return Ok(None);
            };
            let page = Page {
                limit: PER_PAGE,
                offset: (page_no - 1) * PER_PAGE,
            };
            let list = projects::loved_by(c, u.id, page)?;
            let count = loved_count(c, u.id)?;
            Ok(Some((u, list, count)))
        })?
        .ok_or(SiteError::NotFound)?;
    if list.is_empty() && page_no > 1 {
        return Err(SiteError::NotFound);
    }
    let name = escape(&u.username);
    let count_text = if count > 0 {
        format!(" ({count})")
    } else {
        String::new()
    };
    let items: String = list.iter().map(project_item).collect();
    let body = format!(
        "<div class=\"box\">\n<div class=\"box-head\"><h2><a href=\"/users/{name}/\">{name}</a> &raquo;\n\n{count_text}</h2>\
<span class=\"label\">Loved projects</span></div>\n\
<div class=\"box-content\"><ul class=\"media-grid\">\n{items}</ul></div>\n</div>"
    );
    Ok(html(page(
        &format!("Projects loved by {} on Scratch", u.username),
        "",
        &body,
    )))
}

/// The favorites of `user_id` for page `page_no` of the favorites count page.
pub(crate) fn favorites_items(
    c: &Connection,
    user_id: i64,
    page_no: i64,
) -> rusqlite::Result<String> {
    let page = Page {
        limit: PER_PAGE,
        offset: (page_no - 1) * PER_PAGE,
    };
    Ok(projects::favorites_of(c, user_id, page)?
        .iter()
        .map(project_item)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_holds_three_links_in_order() {
        let p = ProjectRow {
            id: 7,
            owner_id: 1,
            owner_username: "alice".into(),
            owner_role: "scratcher".into(),
            title: "A <b> game".into(),
            description: String::new(),
            instructions: String::new(),
            shared: true,
            comments_allowed: true,
            created: 0,
            modified: 0,
            shared_at: Some(0),
            views: 0,
            loves: 0,
            favorites: 0,
            remixes: 0,
            parent_id: None,
            root_id: None,
        };
        let li = project_item(&p);
        let hrefs: Vec<&str> = li
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        assert_eq!(hrefs, ["/projects/7/", "/projects/7/", "/users/alice/"]);
        assert!(li.contains(">A &lt;b&gt; game</a>"));
        assert!(li.starts_with("<li class=\"project thumb item\">"));
    }
}
