//! Projects a user viewed recently (`/users/<me>/projects/recentlyviewed`).

use rusqlite::{Connection, params};

use super::Page;

/// Records (or refreshes) a view of a project by a logged-in user.
pub(crate) fn record(
    conn: &Connection,
    user_id: i64,
    project_id: i64,
    now: i64,
) -> rusqlite::Result<()> {
    // Delete and insert again so that the row id (the tie-breaker within a second) grows.
    conn.execute(
        "DELETE FROM recently_viewed WHERE user_id = ?1 AND project_id = ?2",
        params![user_id, project_id],
    )?;
    conn.execute(
        "INSERT INTO recently_viewed (user_id, project_id, viewed) VALUES (?1, ?2, ?3)",
        params![user_id, project_id, now],
    )?;
    Ok(())
}

/// Ids of the projects the user viewed that they may still see (shared ones and their own),
/// most recent view first.
pub(crate) fn list(conn: &Connection, user_id: i64, page: Page) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.project_id FROM recently_viewed r JOIN projects p ON p.id = r.project_id
         WHERE r.user_id = ?1 AND (p.shared = 1 OR p.owner_id = ?1)
           AND r.project_id NOT IN (SELECT project_id FROM project_trash)
         ORDER BY r.viewed DESC, r.rowid DESC LIMIT ?2 OFFSET ?3",
    )?;
    let rows = stmt.query_map(params![user_id, page.limit, page.offset], |r| r.get(0))?;
    rows.collect()
}
