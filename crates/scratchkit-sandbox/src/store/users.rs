//! Users, profiles and follows.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Page;

/// A user with their profile.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UserRow {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub joined: i64,
    pub profile_id: Option<i64>,
    pub status: String,
    pub bio: String,
    pub country: Option<String>,
    pub muted_until: Option<i64>,
    pub banned: bool,
    pub classroom_id: Option<i64>,
    pub featured_project_id: Option<i64>,
    pub featured_label: Option<i64>,
    pub message_count: i64,
}

impl UserRow {
    /// Scratch Team member (`scratchteam: true`).
    pub(crate) fn scratchteam(&self) -> bool {
        self.role == "scratch_team"
    }
}

const COLUMNS: &str = "u.id, u.username, u.role, u.joined, u.profile_id, u.status, u.bio, u.country, \
     u.muted_until, u.banned, u.classroom_id, u.featured_project_id, u.featured_label, u.message_count";

fn from_row(r: &Row<'_>) -> rusqlite::Result<UserRow> {
    Ok(UserRow {
        id: r.get(0)?,
        username: r.get(1)?,
        role: r.get(2)?,
        joined: r.get(3)?,
        profile_id: r.get(4)?,
        status: r.get(5)?,
        bio: r.get(6)?,
        country: r.get(7)?,
        muted_until: r.get(8)?,
        banned: r.get(9)?,
        classroom_id: r.get(10)?,
        featured_project_id: r.get(11)?,
        featured_label: r.get(12)?,
        message_count: r.get(13)?,
    })
}

/// A user by name (case-insensitive, as on Scratch).
pub(crate) fn by_name(conn: &Connection, username: &str) -> rusqlite::Result<Option<UserRow>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM users u WHERE u.username = ?1"
    ))?
    .query_row([username], from_row)
    .optional()
}

/// A user by id.
pub(crate) fn by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<UserRow>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM users u WHERE u.id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

/// Runs a user query with trailing `LIMIT ? OFFSET ?` parameters.
pub(crate) fn list(
    conn: &Connection,
    sql_after_columns: &str,
    key: i64,
    page: Page,
) -> rusqlite::Result<Vec<UserRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} {sql_after_columns} LIMIT ?2 OFFSET ?3"
    ))?;
    let rows = stmt.query_map(params![key, page.limit, page.offset], from_row)?;
    rows.collect()
}

/// Who follows the user, newest first.
pub(crate) fn followers(
    conn: &Connection,
    user_id: i64,
    page: Page,
) -> rusqlite::Result<Vec<UserRow>> {
    list(
        conn,
        "FROM follows f JOIN users u ON u.id = f.follower_id WHERE f.followee_id = ?1 ORDER BY f.since DESC, u.id DESC",
        user_id,
        page,
    )
}

/// Whom the user follows, newest first.
pub(crate) fn following(
    conn: &Connection,
    user_id: i64,
    page: Page,
) -> rusqlite::Result<Vec<UserRow>> {
    list(
        conn,
        "FROM follows f JOIN users u ON u.id = f.followee_id WHERE f.follower_id = ?1 ORDER BY f.since DESC, u.id DESC",
        user_id,
        page,
    )
}

/// A user to create.
#[derive(Debug, Clone)]
pub(crate) struct NewUser<'a> {
    pub id: Option<i64>,
    pub username: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub joined: i64,
    pub profile_id: Option<i64>,
    pub status: &'a str,
    pub bio: &'a str,
    pub country: Option<&'a str>,
    pub muted_until: Option<i64>,
    pub banned: bool,
    pub message_count: i64,
}

/// Inserts a user; returns its id (the given one, or the next free id).
pub(crate) fn insert(conn: &Connection, u: &NewUser<'_>) -> rusqlite::Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO users (id, username, password_hash, role, joined, profile_id, status, bio, country,
                            muted_until, banned, message_count)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    stmt.execute(params![
        u.id,
        u.username,
        u.password_hash,
        u.role,
        u.joined,
        u.profile_id,
        u.status,
        u.bio,
        u.country,
        u.muted_until,
        u.banned,
        u.message_count
    ])?;
    let id = conn.last_insert_rowid();
    if u.profile_id.is_none() {
        // Profiles have their own ids on Scratch; derive a stable distinct one.
        conn.execute(
            "UPDATE users SET profile_id = id + 7000000 WHERE id = ?1",
            [id],
        )?;
    }
    Ok(id)
}

/// The stored password hash (PHC string).
pub(crate) fn password_hash(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT password_hash FROM users WHERE id = ?1", [id], |r| {
        r.get(0)
    })
    .optional()
}

/// Replaces the password hash.
pub(crate) fn set_password_hash(conn: &Connection, id: i64, phc: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE users SET password_hash = ?2 WHERE id = ?1",
        params![id, phc],
    )?;
    Ok(())
}

/// Profile fields to change (`None` = unchanged; `Some(None)` clears a nullable one).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ProfileEdit {
    pub bio: Option<String>,
    pub status: Option<String>,
    pub country: Option<String>,
    pub featured_project_id: Option<Option<i64>>,
    pub featured_label: Option<Option<i64>>,
}

/// Applies a profile edit.
pub(crate) fn update_profile(conn: &Connection, id: i64, e: &ProfileEdit) -> rusqlite::Result<()> {
    if let Some(bio) = &e.bio {
        conn.execute("UPDATE users SET bio = ?2 WHERE id = ?1", params![id, bio])?;
    }
    if let Some(status) = &e.status {
        conn.execute(
            "UPDATE users SET status = ?2 WHERE id = ?1",
            params![id, status],
        )?;
    }
    if let Some(country) = &e.country {
        conn.execute(
            "UPDATE users SET country = ?2 WHERE id = ?1",
            params![id, country],
        )?;
    }
    if let Some(featured) = e.featured_project_id {
        conn.execute(
            "UPDATE users SET featured_project_id = ?2 WHERE id = ?1",
            params![id, featured],
        )?;
    }
    if let Some(label) = e.featured_label {
        conn.execute(
            "UPDATE users SET featured_label = ?2 WHERE id = ?1",
            params![id, label],
        )?;
    }
    Ok(())
}

/// Whether `follower` follows `followee`.
pub(crate) fn is_following(
    conn: &Connection,
    follower: i64,
    followee: i64,
) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM follows WHERE follower_id = ?1 AND followee_id = ?2")?
        .query_row(params![follower, followee], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Follows or unfollows; true when the state changed.
pub(crate) fn set_following(
    conn: &Connection,
    follower: i64,
    followee: i64,
    on: bool,
    now: i64,
) -> rusqlite::Result<bool> {
    let n = if on {
        conn.execute(
            "INSERT OR IGNORE INTO follows (follower_id, followee_id, since) VALUES (?1, ?2, ?3)",
            params![follower, followee, now],
        )?
    } else {
        conn.execute(
            "DELETE FROM follows WHERE follower_id = ?1 AND followee_id = ?2",
            params![follower, followee],
        )?
    };
    Ok(n > 0)
}
