//! Account settings (email, subscriptions), creation rate limits and reports.

use rusqlite::{Connection, OptionalExtension, params};

/// Email and subscriptions of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    pub email: String,
    pub activities: bool,
    pub teacher_tips: bool,
}

/// The account's settings; seeded accounts get `<username>@sandbox.invalid`.
pub(crate) fn settings(
    conn: &Connection,
    user_id: i64,
    username: &str,
) -> rusqlite::Result<Settings> {
    let found = conn
        .query_row(
            "SELECT email, activities, teacher_tips FROM accounts WHERE user_id = ?1",
            [user_id],
            |r| {
                Ok(Settings {
                    email: r.get(0)?,
                    activities: r.get(1)?,
                    teacher_tips: r.get(2)?,
                })
            },
        )
        .optional()?;
    Ok(found.unwrap_or_else(|| Settings {
        email: format!("{}@sandbox.invalid", username.to_ascii_lowercase()),
        activities: true,
        teacher_tips: false,
    }))
}

/// Reads the account's settings, lets `change` edit them, and stores the result.
pub(crate) fn edit_settings(
    conn: &Connection,
    user_id: i64,
    username: &str,
    change: impl FnOnce(&mut Settings),
) -> rusqlite::Result<()> {
    let mut current = settings(conn, user_id, username)?;
    change(&mut current);
    save_settings(conn, user_id, &current)
}

/// Stores the account's settings.
pub(crate) fn save_settings(conn: &Connection, user_id: i64, s: &Settings) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO accounts (user_id, email, activities, teacher_tips) VALUES (?1, ?2, ?3, ?4)",
        params![user_id, s.email, s.activities, s.teacher_tips],
    )?;
    Ok(())
}

/// How many `kind` objects the user created since `since`.
pub(crate) fn creations_since(
    conn: &Connection,
    user_id: i64,
    kind: &str,
    since: i64,
) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COUNT(*) FROM creations WHERE user_id = ?1 AND kind = ?2 AND created >= ?3",
        params![user_id, kind, since],
        |r| r.get(0),
    )
}

/// Remembers a creation for the rate limit.
pub(crate) fn record_creation(
    conn: &Connection,
    user_id: i64,
    kind: &str,
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO creations (user_id, kind, created) VALUES (?1, ?2, ?3)",
        params![user_id, kind, now],
    )?;
    Ok(())
}

/// Files a report (`kind` = `project`, `project_comment`, `studio_comment`…); returns its id.
pub(crate) fn report(
    conn: &Connection,
    kind: &str,
    object_id: i64,
    reporter: i64,
    now: i64,
    notes: &str,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO reports (kind, object_id, reporter_id, created, notes) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![kind, object_id, reporter, now, notes],
    )?;
    Ok(conn.last_insert_rowid())
}
