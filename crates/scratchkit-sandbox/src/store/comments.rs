//! Comments on projects, studios and profiles (threads are flat: replies hang off a top-level comment).

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Page;

/// Where a comment lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Project,
    Studio,
    User,
}

impl Place {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Place::Project => "project",
            Place::Studio => "studio",
            Place::User => "user",
        }
    }
}

/// A comment with its author and reply count.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CommentRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub commentee_id: Option<i64>,
    pub content: String,
    pub created: i64,
    pub modified: i64,
    pub visibility: String,
    pub author_id: i64,
    pub author_username: String,
    pub author_role: String,
    pub reply_count: i64,
}

const SELECT: &str = "SELECT c.id, c.parent_id, c.commentee_id, c.content, c.created, c.modified, c.visibility, \
     c.author_id, u.username, u.role, \
     (SELECT COUNT(*) FROM comments r WHERE r.place = c.place AND r.object_id = c.object_id AND r.parent_id = c.id AND r.visibility = 'visible') \
     FROM comments c JOIN users u ON u.id = c.author_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<CommentRow> {
    Ok(CommentRow {
        id: r.get(0)?,
        parent_id: r.get(1)?,
        commentee_id: r.get(2)?,
        content: r.get(3)?,
        created: r.get(4)?,
        modified: r.get(5)?,
        visibility: r.get(6)?,
        author_id: r.get(7)?,
        author_username: r.get(8)?,
        author_role: r.get(9)?,
        reply_count: r.get(10)?,
    })
}

/// Top-level comments, newest first.
pub(crate) fn top_level(
    conn: &Connection,
    place: Place,
    object_id: i64,
    page: Page,
) -> rusqlite::Result<Vec<CommentRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE c.place = ?1 AND c.object_id = ?2 AND c.parent_id IS NULL AND c.visibility = 'visible'
         ORDER BY c.created DESC, c.id DESC LIMIT ?3 OFFSET ?4"
    ))?;
    let rows = stmt.query_map(
        params![place.as_str(), object_id, page.limit, page.offset],
        from_row,
    )?;
    rows.collect()
}

/// Replies to a top-level comment, oldest first.
pub(crate) fn replies(
    conn: &Connection,
    place: Place,
    object_id: i64,
    parent_id: i64,
    page: Page,
) -> rusqlite::Result<Vec<CommentRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE c.place = ?1 AND c.object_id = ?2 AND c.parent_id = ?3 AND c.visibility = 'visible'
         ORDER BY c.created ASC, c.id ASC LIMIT ?4 OFFSET ?5"
    ))?;
    let rows = stmt.query_map(
        params![
            place.as_str(),
            object_id,
            parent_id,
            page.limit,
            page.offset
        ],
        from_row,
    )?;
    rows.collect()
}

/// One comment of an object.
pub(crate) fn by_id(
    conn: &Connection,
    place: Place,
    object_id: i64,
    id: i64,
) -> rusqlite::Result<Option<CommentRow>> {
    conn.query_row(
        &format!("{SELECT} WHERE c.place = ?1 AND c.object_id = ?2 AND c.id = ?3 AND c.visibility = 'visible'"),
        params![place.as_str(), object_id, id],
        from_row,
    )
    .optional()
}

/// A comment to create.
#[derive(Debug, Clone)]
pub(crate) struct NewCommentRow<'a> {
    pub id: Option<i64>,
    pub place: Place,
    pub object_id: i64,
    pub author_id: i64,
    pub parent_id: Option<i64>,
    pub commentee_id: Option<i64>,
    pub content: &'a str,
    pub created: i64,
}

/// Inserts a comment; returns its id.
pub(crate) fn insert(conn: &Connection, c: &NewCommentRow<'_>) -> rusqlite::Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO comments (id, place, object_id, author_id, parent_id, commentee_id, content, created, modified)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    )?;
    stmt.execute(params![
        c.id,
        c.place.as_str(),
        c.object_id,
        c.author_id,
        c.parent_id,
        c.commentee_id,
        c.content,
        c.created
    ])?;
    Ok(conn.last_insert_rowid())
}

/// When the author last commented anywhere (Unix seconds).
pub(crate) fn last_by(conn: &Connection, author_id: i64) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT MAX(created) FROM comments WHERE author_id = ?1",
        [author_id],
        |r| r.get(0),
    )
}

/// The object (project or studio) a comment belongs to and its author, visible or not.
pub(crate) fn owner_of(
    conn: &Connection,
    place: Place,
    object_id: i64,
    id: i64,
) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT author_id FROM comments WHERE place = ?1 AND object_id = ?2 AND id = ?3 AND visibility = 'visible'",
        params![place.as_str(), object_id, id],
        |r| r.get(0),
    )
    .optional()
}

/// Hides a comment and its replies (the site keeps deleted comments, invisible).
pub(crate) fn delete(
    conn: &Connection,
    place: Place,
    object_id: i64,
    id: i64,
) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "UPDATE comments SET visibility = 'deleted' WHERE place = ?1 AND object_id = ?2
         AND (id = ?3 OR parent_id = ?3) AND visibility = 'visible'",
        params![place.as_str(), object_id, id],
    )?;
    Ok(n > 0)
}
