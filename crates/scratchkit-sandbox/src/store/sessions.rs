//! Logged-in sessions: the full cookie value, its user and its X-Token. Deleting a row logs
//! the session out everywhere (cookie and token alike).

use rusqlite::{Connection, OptionalExtension, params};

/// A live session.
#[derive(Clone, PartialEq)]
pub(crate) struct SessionRow {
    pub key: String,
    pub user_id: i64,
    pub token: String,
    pub created: i64,
}

impl std::fmt::Debug for SessionRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionRow")
            .field("key", &"<redacted>")
            .field("user_id", &self.user_id)
            .field("token", &"<redacted>")
            .field("created", &self.created)
            .finish()
    }
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SessionRow> {
    Ok(SessionRow {
        key: r.get(0)?,
        user_id: r.get(1)?,
        token: r.get(2)?,
        created: r.get(3)?,
    })
}

/// Stores a session.
pub(crate) fn insert(conn: &Connection, s: &SessionRow, login_ip: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO sessions (key, user_id, token, created, login_ip) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![s.key, s.user_id, s.token, s.created, login_ip],
    )?;
    Ok(())
}

/// The session of a cookie value (unquoted).
pub(crate) fn by_key(conn: &Connection, key: &str) -> rusqlite::Result<Option<SessionRow>> {
    conn.query_row(
        "SELECT key, user_id, token, created FROM sessions WHERE key = ?1",
        [key],
        from_row,
    )
    .optional()
}

/// The session of an X-Token.
pub(crate) fn by_token(conn: &Connection, token: &str) -> rusqlite::Result<Option<SessionRow>> {
    conn.query_row(
        "SELECT key, user_id, token, created FROM sessions WHERE token = ?1",
        [token],
        from_row,
    )
    .optional()
}

/// Logs one session out.
pub(crate) fn delete(conn: &Connection, key: &str) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM sessions WHERE key = ?1", [key])? > 0)
}

/// Logs every session of a user out except `keep` (after a password change).
pub(crate) fn delete_others(conn: &Connection, user_id: i64, keep: &str) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM sessions WHERE user_id = ?1 AND key <> ?2",
        params![user_id, keep],
    )?;
    Ok(())
}
