//! Backpack items and their files (content and thumbnail, by name `<md5>.<ext>`).

use rusqlite::{Connection, OptionalExtension, params};

use super::Page;

/// One backpack item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Item {
    pub id: String,
    pub kind: String,
    pub mime: String,
    pub name: String,
    pub body: String,
    pub thumbnail: String,
}

/// The user's items, newest first.
pub(crate) fn list(conn: &Connection, user_id: i64, page: Page) -> rusqlite::Result<Vec<Item>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, type, mime, name, body, thumbnail FROM backpack WHERE user_id = ?1
         ORDER BY created DESC, rowid DESC LIMIT ?2 OFFSET ?3",
    )?;
    let rows = stmt.query_map(params![user_id, page.limit, page.offset], |r| {
        Ok(Item {
            id: r.get(0)?,
            kind: r.get(1)?,
            mime: r.get(2)?,
            name: r.get(3)?,
            body: r.get(4)?,
            thumbnail: r.get(5)?,
        })
    })?;
    rows.collect()
}

/// Stores an item and its two files.
pub(crate) fn insert(
    conn: &Connection,
    user_id: i64,
    item: &Item,
    body: &[u8],
    thumbnail: &[u8],
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO backpack (id, user_id, type, mime, name, body, thumbnail, created)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            item.id,
            user_id,
            item.kind,
            item.mime,
            item.name,
            item.body,
            item.thumbnail,
            now
        ],
    )?;
    for (name, content) in [(&item.body, body), (&item.thumbnail, thumbnail)] {
        conn.execute(
            "INSERT OR IGNORE INTO backpack_files (name, content) VALUES (?1, ?2)",
            params![name, content],
        )?;
    }
    Ok(())
}

/// Deletes one of the user's items; true when it existed.
pub(crate) fn delete(conn: &Connection, user_id: i64, id: &str) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "DELETE FROM backpack WHERE user_id = ?1 AND id = ?2",
        params![user_id, id],
    )? > 0)
}

/// A stored file.
pub(crate) fn file(conn: &Connection, name: &str) -> rusqlite::Result<Option<Vec<u8>>> {
    conn.query_row(
        "SELECT content FROM backpack_files WHERE name = ?1",
        [name],
        |r| r.get(0),
    )
    .optional()
}
