//! Smaller tables: news, classrooms, cloud variable logs, site-wide counts.

use rusqlite::{Connection, params};

use super::Page;

/// A news item of the front page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NewsRow {
    pub id: i64,
    pub stamp: i64,
    pub headline: String,
    pub url: String,
    pub image: String,
    pub copy: String,
}

/// News, newest first.
pub(crate) fn news(conn: &Connection, page: Page) -> rusqlite::Result<Vec<NewsRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, stamp, headline, url, image, copy FROM news ORDER BY stamp DESC, id DESC LIMIT ?1 OFFSET ?2",
    )?;
    let rows = stmt.query_map(params![page.limit, page.offset], |r| {
        Ok(NewsRow {
            id: r.get(0)?,
            stamp: r.get(1)?,
            headline: r.get(2)?,
            url: r.get(3)?,
            image: r.get(4)?,
            copy: r.get(5)?,
        })
    })?;
    rows.collect()
}

/// One cloud variable change.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CloudLogRow {
    pub user: String,
    pub verb: String,
    pub name: String,
    pub value: String,
    pub timestamp_ms: i64,
}

/// A project's cloud log, newest first.
pub(crate) fn cloud_log(
    conn: &Connection,
    project_id: i64,
    page: Page,
) -> rusqlite::Result<Vec<CloudLogRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT username, verb, name, value, timestamp_ms FROM cloud_log WHERE project_id = ?1
         ORDER BY timestamp_ms DESC, id DESC LIMIT ?2 OFFSET ?3",
    )?;
    let rows = stmt.query_map(params![project_id, page.limit, page.offset], |r| {
        Ok(CloudLogRow {
            user: r.get(0)?,
            verb: r.get(1)?,
            name: r.get(2)?,
            value: r.get(3)?,
            timestamp_ms: r.get(4)?,
        })
    })?;
    rows.collect()
}

/// Appends a cloud log entry.
pub(crate) fn add_cloud_log(
    conn: &Connection,
    project_id: i64,
    e: &CloudLogRow,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO cloud_log (project_id, username, verb, name, value, timestamp_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    stmt.execute(params![
        project_id,
        e.user,
        e.verb,
        e.name,
        e.value,
        e.timestamp_ms
    ])?;
    Ok(())
}

/// Site-wide counts (statistics, `/_sandbox/info`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counts {
    pub users: i64,
    pub projects: i64,
    pub shared_projects: i64,
    pub studios: i64,
    pub project_comments: i64,
    pub studio_comments: i64,
    pub profile_comments: i64,
    pub news: i64,
}

/// Counts every object.
pub(crate) fn counts(conn: &Connection) -> rusqlite::Result<Counts> {
    let one = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
    Ok(Counts {
        users: one("SELECT COUNT(*) FROM users")?,
        projects: one("SELECT COUNT(*) FROM projects")?,
        shared_projects: one("SELECT COUNT(*) FROM projects WHERE shared = 1")?,
        studios: one("SELECT COUNT(*) FROM studios")?,
        project_comments: one("SELECT COUNT(*) FROM comments WHERE place = 'project'")?,
        studio_comments: one("SELECT COUNT(*) FROM comments WHERE place = 'studio'")?,
        profile_comments: one("SELECT COUNT(*) FROM comments WHERE place = 'user'")?,
        news: one("SELECT COUNT(*) FROM news")?,
    })
}
