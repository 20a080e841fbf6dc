//! Profile-comment state that the shared `comments` table does not hold: whether a profile
//! takes comments (the owner's toggle) and reports. The comments themselves live in
//! `comments` with place `user` and the profile owner's id as object id.
//!
//! The tables are created (and a guaranteed thread with replies is added on `mres`'s profile)
//! on first use, and again after a reset ([`ensure`]).

use rusqlite::{Connection, OptionalExtension, params};

use super::comments::{self, NewCommentRow, Place};
use crate::timefmt::WORLD_NOW;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS profile_comment_settings (
    user_id INTEGER PRIMARY KEY,
    comments_enabled INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS profile_comment_reports (
    comment_id INTEGER NOT NULL,
    reporter_id INTEGER NOT NULL,
    created INTEGER NOT NULL,
    PRIMARY KEY (comment_id, reporter_id)
);
";

const SEEDED_KEY: &str = "profile_comments_seeded";

/// mres (167) — the profile every compat test reads.
const MRES: i64 = 167;
/// One seeded comment: (id, author, parent, commentee, text, seconds before the world's "now").
type SeedComment = (i64, i64, Option<i64>, Option<i64>, &'static str, i64);

/// The fixed thread on mres's profile.
const MRES_THREAD: &[SeedComment] = &[
    (
        900_000_001,
        1_882_674,
        None,
        None,
        "Thank you for Scratch! <3 & everything",
        86_400,
    ),
    (
        900_000_002,
        MRES,
        Some(900_000_001),
        Some(1_882_674),
        "@griffpatch You're welcome!",
        80_000,
    ),
    (
        900_000_003,
        27_675_462,
        Some(900_000_001),
        Some(MRES),
        "@mres Same here :)",
        70_000,
    ),
    (
        900_000_004,
        15_883_188,
        None,
        None,
        "Meow! Welcome to the sandbox.",
        3_600,
    ),
];

/// Creates the tables and the guaranteed seed when missing (first use, or after a reset
/// emptied `meta`). Cheap when already done.
pub(crate) fn ensure(conn: &Connection) -> rusqlite::Result<()> {
    let done: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [SEEDED_KEY], |r| {
            r.get(0)
        })
        .optional()?;
    if done.is_some() {
        return Ok(());
    }
    conn.execute_batch(SCHEMA)?;
    conn.execute("DELETE FROM profile_comment_settings", [])?;
    conn.execute("DELETE FROM profile_comment_reports", [])?;
    let mres_exists: bool = conn
        .query_row("SELECT COUNT(*) FROM users WHERE id = ?1", [MRES], |r| {
            r.get::<_, i64>(0)
        })
        .map(|n| n > 0)?;
    if mres_exists {
        for &(id, author, parent, commentee, text, ago) in MRES_THREAD {
            let known: i64 =
                conn.query_row("SELECT COUNT(*) FROM comments WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
            if known == 0 {
                comments::insert(
                    conn,
                    &NewCommentRow {
                        id: Some(id),
                        place: Place::User,
                        object_id: MRES,
                        author_id: author,
                        parent_id: parent,
                        commentee_id: commentee,
                        content: text,
                        created: WORLD_NOW - ago,
                    },
                )?;
            }
        }
    }
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, '1')",
        [SEEDED_KEY],
    )?;
    Ok(())
}

/// Whether `user_id`'s profile takes comments (on unless turned off).
pub(crate) fn comments_enabled(conn: &Connection, user_id: i64) -> rusqlite::Result<bool> {
    let v: Option<bool> = conn
        .query_row(
            "SELECT comments_enabled FROM profile_comment_settings WHERE user_id = ?1",
            [user_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.unwrap_or(true))
}

/// Flips the toggle; returns the new state.
pub(crate) fn toggle(conn: &Connection, user_id: i64) -> rusqlite::Result<bool> {
    let enabled = !comments_enabled(conn, user_id)?;
    conn.execute(
        "INSERT OR REPLACE INTO profile_comment_settings (user_id, comments_enabled) VALUES (?1, ?2)",
        params![user_id, enabled],
    )?;
    Ok(enabled)
}

/// Records a report (once per reporter).
pub(crate) fn report(
    conn: &Connection,
    comment_id: i64,
    reporter_id: i64,
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO profile_comment_reports (comment_id, reporter_id, created) VALUES (?1, ?2, ?3)",
        params![comment_id, reporter_id, now],
    )?;
    Ok(())
}

/// Number of reports of a comment.
#[cfg_attr(not(test), allow(dead_code))] // read by the tests only
pub(crate) fn report_count(conn: &Connection, comment_id: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COUNT(*) FROM profile_comment_reports WHERE comment_id = ?1",
        [comment_id],
        |r| r.get(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn seeds_once_toggles_and_reseeds_after_reset() {
        let store = Store::open(None, 7, 0).unwrap();
        store.write(|c| ensure(c)).unwrap();
        store.write(|c| ensure(c)).unwrap();
        let thread: i64 = store
            .read(|c| {
                c.query_row(
                    "SELECT COUNT(*) FROM comments WHERE place = 'user' AND object_id = 167 AND id >= 900000001",
                    [],
                    |r| r.get(0),
                )
            })
            .unwrap();
        assert_eq!(thread, 4);
        assert!(store.read(|c| comments_enabled(c, 167)).unwrap());
        assert!(!store.write(|c| toggle(c, 167)).unwrap());
        assert!(!store.read(|c| comments_enabled(c, 167)).unwrap());
        store.write(|c| report(c, 900_000_001, 1, 5)).unwrap();
        store.write(|c| report(c, 900_000_001, 1, 6)).unwrap();
        assert_eq!(store.read(|c| report_count(c, 900_000_001)).unwrap(), 1);
        store.reset().unwrap();
        store.write(|c| ensure(c)).unwrap();
        assert!(store.read(|c| comments_enabled(c, 167)).unwrap());
        assert_eq!(store.read(|c| report_count(c, 900_000_001)).unwrap(), 0);
    }
}
