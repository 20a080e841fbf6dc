//! Studios: members, projects and activity.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::Page;
use super::messages::{Item, item_from_row, per_type_keys};
use super::projects::{Discover, Mode, discover_filter};
use super::users::{self, UserRow};

/// A studio with its counts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StudioRow {
    pub id: i64,
    pub host_id: i64,
    pub title: String,
    pub description: String,
    pub open_to_all: bool,
    pub comments_allowed: bool,
    pub created: i64,
    pub modified: i64,
    pub followers: i64,
    pub comments: i64,
    pub managers: i64,
    pub projects: i64,
}

const SELECT: &str = "SELECT s.id, s.host_id, s.title, s.description, s.open_to_all, s.comments_allowed, \
     s.created, s.modified, s.followers, \
     (SELECT COUNT(*) FROM comments c WHERE c.place = 'studio' AND c.object_id = s.id), \
     (SELECT COUNT(*) FROM studio_members m WHERE m.studio_id = s.id AND m.role = 'manager'), \
     (SELECT COUNT(*) FROM studio_projects sp WHERE sp.studio_id = s.id) \
     FROM studios s";

fn from_row(r: &Row<'_>) -> rusqlite::Result<StudioRow> {
    Ok(StudioRow {
        id: r.get(0)?,
        host_id: r.get(1)?,
        title: r.get(2)?,
        description: r.get(3)?,
        open_to_all: r.get(4)?,
        comments_allowed: r.get(5)?,
        created: r.get(6)?,
        modified: r.get(7)?,
        followers: r.get(8)?,
        comments: r.get(9)?,
        managers: r.get(10)?,
        projects: r.get(11)?,
    })
}

fn query(
    conn: &Connection,
    tail: &str,
    mut args: Vec<Value>,
    page: Page,
) -> rusqlite::Result<Vec<StudioRow>> {
    args.push(Value::Integer(page.limit));
    args.push(Value::Integer(page.offset));
    let n = args.len();
    let mut stmt =
        conn.prepare_cached(&format!("{SELECT} {tail} LIMIT ?{} OFFSET ?{}", n - 1, n))?;
    let rows = stmt.query_map(params_from_iter(args), from_row)?;
    rows.collect()
}

/// A studio by id.
pub(crate) fn by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<StudioRow>> {
    conn.prepare_cached(&format!("{SELECT} WHERE s.id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

/// Studios the user curates or manages, most recent membership first.
pub(crate) fn curated_by(
    conn: &Connection,
    user_id: i64,
    page: Page,
) -> rusqlite::Result<Vec<StudioRow>> {
    query(
        conn,
        "JOIN studio_members m ON m.studio_id = s.id WHERE m.user_id = ?1 AND m.role IN ('curator','manager') \
         ORDER BY m.since DESC, s.id DESC",
        vec![Value::Integer(user_id)],
        page,
    )
}

/// Studios that hold a project, most recently added first.
pub(crate) fn containing(
    conn: &Connection,
    project_id: i64,
    page: Page,
) -> rusqlite::Result<Vec<StudioRow>> {
    query(
        conn,
        "JOIN studio_projects sp ON sp.studio_id = s.id WHERE sp.project_id = ?1 ORDER BY sp.added DESC, s.id DESC",
        vec![Value::Integer(project_id)],
        page,
    )
}

/// Studios by follower count (featured studios).
pub(crate) fn top(conn: &Connection, limit: i64) -> rusqlite::Result<Vec<StudioRow>> {
    query(
        conn,
        "ORDER BY s.followers DESC, s.id DESC",
        Vec::new(),
        Page { limit, offset: 0 },
    )
}

/// `/explore/studios` and `/search/studios`.
pub(crate) fn discover(
    conn: &Connection,
    d: &Discover,
    page: Page,
) -> rusqlite::Result<Vec<StudioRow>> {
    let mut args = Vec::new();
    let filter = discover_filter(d, "s", &["title", "description"], &mut args);
    let order = match d.mode {
        Mode::Trending => {
            "(s.followers * 1000) / (1 + (SELECT MAX(modified) FROM studios) / 86400 - s.modified / 86400) DESC, s.id DESC"
        }
        Mode::Popular => "s.followers DESC, s.id DESC",
        Mode::Recent => "s.created DESC, s.id DESC",
    };
    query(
        conn,
        &format!("WHERE 1 = 1{filter} ORDER BY {order}"),
        args,
        page,
    )
}

/// An item of `/studios/<id>/projects`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StudioProjectRow {
    pub project_id: i64,
    pub title: String,
    pub creator_id: i64,
    pub username: String,
    pub actor_id: i64,
}

/// Shared projects of a studio, most recently added first.
pub(crate) fn projects(
    conn: &Connection,
    studio_id: i64,
    page: Page,
) -> rusqlite::Result<Vec<StudioProjectRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.title, p.owner_id, u.username, sp.actor_id
         FROM studio_projects sp JOIN projects p ON p.id = sp.project_id JOIN users u ON u.id = p.owner_id
         WHERE sp.studio_id = ?1 AND p.shared = 1 ORDER BY sp.added DESC, p.id DESC LIMIT ?2 OFFSET ?3",
    )?;
    let rows = stmt.query_map(params![studio_id, page.limit, page.offset], |r| {
        Ok(StudioProjectRow {
            project_id: r.get(0)?,
            title: r.get(1)?,
            creator_id: r.get(2)?,
            username: r.get(3)?,
            actor_id: r.get(4)?,
        })
    })?;
    rows.collect()
}

/// Managers (the host first) of a studio.
pub(crate) fn managers(
    conn: &Connection,
    studio_id: i64,
    page: Page,
) -> rusqlite::Result<Vec<UserRow>> {
    users::list(
        conn,
        "FROM studio_members m JOIN users u ON u.id = m.user_id JOIN studios s ON s.id = m.studio_id \
         WHERE m.studio_id = ?1 AND m.role = 'manager' ORDER BY (m.user_id = s.host_id) DESC, m.since ASC, u.id ASC",
        studio_id,
        page,
    )
}

/// Curators (not managers) of a studio, in the order they joined.
pub(crate) fn curators(
    conn: &Connection,
    studio_id: i64,
    page: Page,
) -> rusqlite::Result<Vec<UserRow>> {
    users::list(
        conn,
        "FROM studio_members m JOIN users u ON u.id = m.user_id \
         WHERE m.studio_id = ?1 AND m.role = 'curator' ORDER BY m.since ASC, u.id ASC",
        studio_id,
        page,
    )
}

/// Studio activity, newest first, strictly older than `date_limit` when given.
pub(crate) fn activity(
    conn: &Connection,
    studio_id: i64,
    date_limit: Option<i64>,
    page: Page,
) -> rusqlite::Result<Vec<Item>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.type, a.actor_id, u.username, a.created, a.extra
         FROM studio_activity a JOIN users u ON u.id = a.actor_id
         WHERE a.studio_id = ?1 AND (?2 IS NULL OR a.created < ?2)
         ORDER BY a.created DESC, a.id DESC LIMIT ?3 OFFSET ?4",
    )?;
    let rows = stmt.query_map(
        params![studio_id, date_limit, page.limit, page.offset],
        item_from_row,
    )?;
    rows.collect()
}

/// Records a studio activity item (`item`: its type and per-type keys).
pub(crate) fn add_activity(
    conn: &Connection,
    studio_id: i64,
    actor_id: i64,
    created: i64,
    item: &scratchkit_model::Activity,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO studio_activity (studio_id, type, actor_id, created, extra) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    stmt.execute(params![
        studio_id,
        item.kind.as_str(),
        actor_id,
        created,
        per_type_keys(item)
    ])?;
    Ok(())
}

/// A studio to create; the host becomes its first manager.
#[derive(Debug, Clone)]
pub(crate) struct NewStudio<'a> {
    pub id: Option<i64>,
    pub host_id: i64,
    pub title: &'a str,
    pub description: &'a str,
    pub open_to_all: bool,
    pub created: i64,
    pub followers: i64,
    pub language: &'a str,
    pub tag: &'a str,
}

/// Inserts a studio and its host's manager membership; returns its id.
pub(crate) fn insert(conn: &Connection, s: &NewStudio<'_>) -> rusqlite::Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO studios (id, host_id, title, description, open_to_all, created, modified, followers, language, tag)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9)",
    )?;
    stmt.execute(params![
        s.id,
        s.host_id,
        s.title,
        s.description,
        s.open_to_all,
        s.created,
        s.followers,
        s.language,
        s.tag
    ])?;
    let id = conn.last_insert_rowid();
    add_member(conn, id, s.host_id, "manager", s.created)?;
    Ok(id)
}

/// Adds (or changes) a membership.
pub(crate) fn add_member(
    conn: &Connection,
    studio_id: i64,
    user_id: i64,
    role: &str,
    since: i64,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT OR REPLACE INTO studio_members (studio_id, user_id, role, since) VALUES (?1, ?2, ?3, ?4)",
    )?;
    stmt.execute(params![studio_id, user_id, role, since])?;
    Ok(())
}

/// Adds a project to a studio (ignored when already there).
pub(crate) fn add_project(
    conn: &Connection,
    studio_id: i64,
    project_id: i64,
    actor_id: i64,
    added: i64,
) -> rusqlite::Result<bool> {
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO studio_projects (studio_id, project_id, actor_id, added) VALUES (?1, ?2, ?3, ?4)",
    )?;
    Ok(stmt.execute(params![studio_id, project_id, actor_id, added])? > 0)
}

/// The user's membership in a studio: `manager`, `curator`, `invited`, or `None`.
pub(crate) fn role_of(
    conn: &Connection,
    studio_id: i64,
    user_id: i64,
) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT role FROM studio_members WHERE studio_id = ?1 AND user_id = ?2",
        params![studio_id, user_id],
        |r| r.get(0),
    )
    .optional()
}

/// Ends a membership (or an invitation).
pub(crate) fn remove_member(
    conn: &Connection,
    studio_id: i64,
    user_id: i64,
) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "DELETE FROM studio_members WHERE studio_id = ?1 AND user_id = ?2",
        params![studio_id, user_id],
    )? > 0)
}

/// Makes `user_id` the host (already a manager).
pub(crate) fn set_host(conn: &Connection, studio_id: i64, user_id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE studios SET host_id = ?2 WHERE id = ?1",
        params![studio_id, user_id],
    )?;
    Ok(())
}

/// Studio fields to change (`None` = unchanged).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct StudioEdit {
    pub title: Option<String>,
    pub description: Option<String>,
    pub open_to_all: Option<bool>,
    pub comments_allowed: Option<bool>,
}

/// Applies a studio edit and stamps the modification time.
pub(crate) fn update(conn: &Connection, id: i64, e: &StudioEdit, now: i64) -> rusqlite::Result<()> {
    if let Some(title) = &e.title {
        conn.execute(
            "UPDATE studios SET title = ?2 WHERE id = ?1",
            params![id, title],
        )?;
    }
    if let Some(text) = &e.description {
        conn.execute(
            "UPDATE studios SET description = ?2 WHERE id = ?1",
            params![id, text],
        )?;
    }
    if let Some(open) = e.open_to_all {
        conn.execute(
            "UPDATE studios SET open_to_all = ?2 WHERE id = ?1",
            params![id, open],
        )?;
    }
    if let Some(allowed) = e.comments_allowed {
        conn.execute(
            "UPDATE studios SET comments_allowed = ?2 WHERE id = ?1",
            params![id, allowed],
        )?;
    }
    conn.execute(
        "UPDATE studios SET modified = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// Removes a project from a studio; true when it was there.
pub(crate) fn remove_project(
    conn: &Connection,
    studio_id: i64,
    project_id: i64,
) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "DELETE FROM studio_projects WHERE studio_id = ?1 AND project_id = ?2",
        params![studio_id, project_id],
    )? > 0)
}

/// Whether the studio holds the project.
pub(crate) fn has_project(
    conn: &Connection,
    studio_id: i64,
    project_id: i64,
) -> rusqlite::Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM studio_projects WHERE studio_id = ?1 AND project_id = ?2",
            params![studio_id, project_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Whether the user follows the studio.
pub(crate) fn is_follower(
    conn: &Connection,
    studio_id: i64,
    user_id: i64,
) -> rusqlite::Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM studio_followers WHERE studio_id = ?1 AND user_id = ?2",
            params![studio_id, user_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Follows or unfollows a studio, keeping the follower count; true when the state changed.
pub(crate) fn set_follower(
    conn: &Connection,
    studio_id: i64,
    user_id: i64,
    on: bool,
    now: i64,
) -> rusqlite::Result<bool> {
    let changed = if on {
        conn.execute(
            "INSERT OR IGNORE INTO studio_followers (studio_id, user_id, since) VALUES (?1, ?2, ?3)",
            params![studio_id, user_id, now],
        )?
    } else {
        conn.execute(
            "DELETE FROM studio_followers WHERE studio_id = ?1 AND user_id = ?2",
            params![studio_id, user_id],
        )?
    } > 0;
    if changed {
        conn.execute(
            "UPDATE studios SET followers = MAX(0, followers + ?2) WHERE id = ?1",
            params![studio_id, if on { 1 } else { -1 }],
        )?;
    }
    Ok(changed)
}

/// Studios the user hosts, manages or curates ("My Stuff" galleries), newest first.
pub(crate) fn mine(
    conn: &Connection,
    user_id: i64,
    order: MineOrder,
    page: Page,
) -> rusqlite::Result<Vec<StudioRow>> {
    let order = match order {
        MineOrder::ModifiedDesc => "s.modified DESC, s.id DESC",
        MineOrder::ModifiedAsc => "s.modified ASC, s.id ASC",
        MineOrder::TitleAsc => "s.title COLLATE NOCASE ASC, s.id ASC",
        MineOrder::TitleDesc => "s.title COLLATE NOCASE DESC, s.id DESC",
    };
    query(
        conn,
        &format!(
            "JOIN studio_members m ON m.studio_id = s.id WHERE m.user_id = ?1 AND m.role IN ('curator','manager') \
             ORDER BY {order}"
        ),
        vec![Value::Integer(user_id)],
        page,
    )
}

/// The orders of "My Stuff"'s studios (`?ascsort=` / `?descsort=`: `title`, else the date
/// modified).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MineOrder {
    ModifiedDesc,
    ModifiedAsc,
    TitleAsc,
    TitleDesc,
}

/// Number of curators and managers.
pub(crate) fn member_count(conn: &Connection, studio_id: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COUNT(*) FROM studio_members WHERE studio_id = ?1 AND role IN ('curator','manager')",
        [studio_id],
        |r| r.get(0),
    )
}

/// Deletes a studio and everything that hangs off it (projects list, members, followers,
/// activity, comments). The projects themselves stay.
pub(crate) fn delete(conn: &Connection, studio_id: i64) -> rusqlite::Result<()> {
    for sql in [
        "DELETE FROM comments WHERE place = 'studio' AND object_id = ?1",
        "DELETE FROM studio_projects WHERE studio_id = ?1",
        "DELETE FROM studio_members WHERE studio_id = ?1",
        "DELETE FROM studio_followers WHERE studio_id = ?1",
        "DELETE FROM studio_activity WHERE studio_id = ?1",
        "DELETE FROM studios WHERE id = ?1",
    ] {
        conn.execute(sql, [studio_id])?;
    }
    Ok(())
}
