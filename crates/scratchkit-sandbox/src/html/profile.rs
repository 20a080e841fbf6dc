//! The profile page `/users/<u>/` (rank, class), the count pages (`Followers (N)`…) and the
//! activity fragment `/messages/ajax/user-activity/` (`html.md` §4–§6.1).

use axum::extract::{Path, State};
use axum::response::Response;
use rusqlite::{Connection, OptionalExtension, params};

use super::markup::{avatar, escape, html, page, page_number, relative};
use crate::routes::reply::{Params, SiteError};
use crate::state::Shared;
use crate::store::users::{self, UserRow};
use crate::timefmt::now;

fn rank(u: &UserRow) -> &'static str {
    match u.role.as_str() {
        "new_scratcher" => "New Scratcher",
        "scratch_team" => "Scratch Team",
        _ => "Scratcher",
    }
}

/// `GET /users/<u>/`: 200 with the rank in `<span class="group">`, 404 for unknown users.
pub(crate) async fn profile_page(
    State(s): State<Shared>,
    Path(name): Path<String>,
) -> Result<Response, SiteError> {
    let (u, class) = s
        .store
        .read(|c| {
            let u = match users::by_name(c, &name)? {
                Some(u) => u,
                None => return Ok(None),
            };
            let class: Option<(i64, String, bool)> = match u.classroom_id {
                Some(id) => c
                    .query_row(
                        "SELECT id, title, closed FROM classrooms WHERE id = ?1",
                        [id],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .optional()?,
                None => None,
            };
            Ok(Some((u, class)))
        })?
        .ok_or(SiteError::NotFound)?;
    let name = escape(&u.username);
    let joined = crate::timefmt::naive(u.joined);
    let joined_date = joined.get(..10).unwrap_or("");
    let class_html = match class {
        Some((id, title, closed)) => format!(
            "\n    <a href=\"/classes/{id}/\">Student of: {}{}</a>",
            escape(&title),
            if closed { "\n      (ended)" } else { "" }
        ),
        None => String::new(),
    };
    let location = u
        .country
        .as_deref()
        .map(|c| format!("\n    <span class=\"location\">{}</span>", escape(c)))
        .unwrap_or_default();
    let body = format!(
        "<div id=\"profile-data\">\n<div class=\"box-head\">\n<img class=\"avatar\" src=\"{avatar}\" width=\"55\" height=\"55\">\n\
<div class=\"header-text\">\n  <h2>{name}</h2>\n  <p class=\"profile-details\">\n    <span class=\"group\">\n      {rank}\n    </span>\n    \
Joined <span title=\"{joined_date}\">{ago}</span>{location}{class_html}\n  </p>\n</div>\n</div>\n\
<div class=\"box-content\"><div id=\"user-details\"><h3>About me</h3><p class=\"overview\">{bio}</p>\
<h3>What I'm working on</h3><p class=\"overview\">{status}</p></div></div>\n</div>",
        avatar = avatar(u.id, 55),
        rank = rank(&u),
        ago = relative(u.joined, now()),
        bio = escape(&u.bio),
        status = escape(&u.status),
    );
    Ok(html(page(&format!("{} on Scratch", u.username), "", &body)))
}

/// The label and the count query of a count page.
fn count_query(list: &str) -> Option<(&'static str, &'static str)> {
    Some(match list {
        "followers" => (
            "Followers",
            "SELECT COUNT(*) FROM follows WHERE followee_id = ?1",
        ),
        "following" => (
            "Following",
            "SELECT COUNT(*) FROM follows WHERE follower_id = ?1",
        ),
        "favorites" => (
            "Favorites",
            "SELECT COUNT(*) FROM favorites f JOIN projects p ON p.id = f.project_id WHERE f.user_id = ?1 AND p.shared = 1",
        ),
        "studios" => (
            "Studios I Curate",
            "SELECT COUNT(*) FROM studios s WHERE s.host_id = ?1 OR EXISTS (SELECT 1 FROM studio_members m
             WHERE m.studio_id = s.id AND m.user_id = ?1 AND m.role IN ('curator','manager'))",
        ),
        "studios_following" => (
            "Studios I Follow",
            "SELECT COUNT(*) FROM studio_followers WHERE user_id = ?1",
        ),
        "projects" => (
            "Shared Projects",
            "SELECT COUNT(*) FROM projects WHERE owner_id = ?1 AND shared = 1",
        ),
        _ => return None,
    })
}

/// `GET /users/<u>/{followers,following,favorites,studios,studios_following,projects}/`:
/// a heading `<name> &raquo; <Label> (N)`.
pub(crate) async fn count_page(
    State(s): State<Shared>,
    Path((name, list)): Path<(String, String)>,
    params: Params,
) -> Result<Response, SiteError> {
    let (label, sql) = count_query(&list).ok_or(SiteError::NotFound)?;
    let page_no = page_number(params.get("page")).ok_or(SiteError::NotFound)?;
    let (u, n, items) = s
        .store
        .read(|c| {
            let Some(u) = users::by_name(c, &name)? else {
                return Ok(None);
            };
            let n: i64 = c.query_row(sql, params![u.id], |r| r.get(0))?;
            // The favorites page lists the projects too (40 a page), like the loves page.
            let items = if list == "favorites" {
                super::loves::favorites_items(c, u.id, page_no)?
            } else {
                String::new()
            };
            Ok(Some((u, n, items)))
        })?
        .ok_or(SiteError::NotFound)?;
    if list == "favorites" && items.is_empty() && page_no > 1 {
        return Err(SiteError::NotFound);
    }
    let name = escape(&u.username);
    let body = format!(
        "<div class=\"box\">\n<div class=\"box-head\"><h2><a href=\"/users/{name}/\">{name}</a> &raquo;\n  {label} ({n})</h2></div>\n\
<div class=\"box-content\"><ul class=\"media-grid\">\n{items}</ul></div>\n</div>"
    );
    Ok(html(page(&format!("{} on Scratch", u.username), "", &body)))
}

/// One activity event: when, the verb phrase, and up to two links (href, text).
struct Event {
    when: i64,
    phrase: &'static str,
    links: Vec<(String, String)>,
    between: &'static str,
}

fn events(c: &Connection, u: &UserRow, max: i64) -> rusqlite::Result<Vec<Event>> {
    let mut out = Vec::new();
    let mut one = |sql: &str, phrase: &'static str, kind: &'static str| -> rusqlite::Result<()> {
        let mut stmt = c.prepare(sql)?;
        let rows = stmt.query_map(params![u.id, max], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (when, id, text) = row?;
            let href = match kind {
                "user" => format!("/users/{text}/"),
                other => format!("/{other}/{id}/"),
            };
            out.push(Event {
                when,
                phrase,
                links: vec![(href, text)],
                between: "",
            });
        }
        Ok(())
    };
    one(
        "SELECT shared_at, id, title FROM projects WHERE owner_id = ?1 AND shared = 1 AND shared_at IS NOT NULL ORDER BY shared_at DESC LIMIT ?2",
        "shared the project",
        "projects",
    )?;
    one(
        "SELECT l.since, p.id, p.title FROM loves l JOIN projects p ON p.id = l.project_id WHERE l.user_id = ?1 AND p.shared = 1 ORDER BY l.since DESC LIMIT ?2",
        "loved",
        "projects",
    )?;
    one(
        "SELECT f.since, p.id, p.title FROM favorites f JOIN projects p ON p.id = f.project_id WHERE f.user_id = ?1 AND p.shared = 1 ORDER BY f.since DESC LIMIT ?2",
        "favorited",
        "projects",
    )?;
    one(
        "SELECT f.since, u.id, u.username FROM follows f JOIN users u ON u.id = f.followee_id WHERE f.follower_id = ?1 ORDER BY f.since DESC LIMIT ?2",
        "is now following",
        "user",
    )?;
    one(
        "SELECT m.since, s.id, s.title FROM studio_members m JOIN studios s ON s.id = m.studio_id WHERE m.user_id = ?1 AND m.role = 'curator' ORDER BY m.since DESC LIMIT ?2",
        "became a curator of",
        "studios",
    )?;
    // Projects added to studios: two links.
    let mut stmt = c.prepare(
        "SELECT sp.added, p.id, p.title, s.id, s.title FROM studio_projects sp JOIN projects p ON p.id = sp.project_id
         JOIN studios s ON s.id = sp.studio_id WHERE sp.actor_id = ?1 ORDER BY sp.added DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![u.id, max], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    for row in rows {
        let (when, pid, ptitle, sid, stitle) = row?;
        out.push(Event {
            when,
            phrase: "added",
            links: vec![
                (format!("/projects/{pid}/"), ptitle),
                (format!("/studios/{sid}/"), stitle),
            ],
            between: " to ",
        });
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.when));
    out.truncate(usize::try_from(max).unwrap_or(0));
    Ok(out)
}

/// `GET /messages/ajax/user-activity/?user=<u>&max=<n>`: one `<li>` per event, newest first.
pub(crate) async fn user_activity(
    State(s): State<Shared>,
    params: Params,
) -> Result<Response, SiteError> {
    let name = params.get("user").unwrap_or_default().to_owned();
    let max = params
        .get("max")
        .and_then(|m| m.trim().parse::<i64>().ok())
        .unwrap_or(10)
        .clamp(1, 1000);
    let (u, list) = s
        .store
        .read(|c| {
            let Some(u) = users::by_name(c, &name)? else {
                return Ok(None);
            };
            let list = events(c, &u, max)?;
            Ok(Some((u, list)))
        })?
        .ok_or(SiteError::NotFound)?;
    let t = now();
    let uname = escape(&u.username);
    let mut out = String::new();
    for e in list {
        let links: Vec<String> = e
            .links
            .iter()
            .map(|(href, text)| format!("<a href=\"{}\">{}</a>", escape(href), escape(text)))
            .collect();
        out.push_str(&format!(
            "<li>\n  <a href=\"/users/{uname}/\"><img class=\"avatar\" src=\"{avatar}\" width=\"32\" height=\"32\"></a>\n  <div>\n    \
<span class=\"actor\">{uname}</span> {phrase} {links}\n    <span class=\"time\">{ago}</span>\n  </div>\n</li>\n",
            avatar = avatar(u.id, 32),
            phrase = e.phrase,
            links = links.join(e.between),
            ago = relative(e.when, t),
        ));
    }
    Ok(html(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_pages_are_known() {
        for list in [
            "followers",
            "following",
            "favorites",
            "studios",
            "studios_following",
            "projects",
        ] {
            assert!(count_query(list).is_some(), "{list}");
        }
        assert!(count_query("loves").is_none());
    }
}
