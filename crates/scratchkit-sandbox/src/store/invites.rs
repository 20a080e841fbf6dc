//! Scratcher invites: a New Scratcher who qualifies is invited (lazily, when they look) and
//! becomes a Scratcher by accepting.
//!
//! The sandbox's rule ([`qualifies`]): a New Scratcher, neither banned nor muted, whose
//! account is at least [`MIN_AGE_DAYS`] days old and who has shared at least
//! [`MIN_SHARED_PROJECTS`] projects. (Scratch's own rule is unpublished and looks at
//! participation; this one is simple and easy to reach in tests through `/_sandbox/projects`.)

use rusqlite::{Connection, OptionalExtension, params};

use super::users::UserRow;

/// Account age an invite needs, in days.
pub(crate) const MIN_AGE_DAYS: i64 = 14;
/// Shared projects an invite needs.
pub(crate) const MIN_SHARED_PROJECTS: i64 = 2;

/// A Scratcher invite.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Invite {
    /// The invited user (also the invite's id: one invite per account).
    pub user_id: i64,
    /// Who "sent" it (a Scratch Team account).
    pub actor_id: i64,
    pub created: i64,
    pub accepted: Option<i64>,
}

/// True when `user` qualifies for an invite at `now`.
pub(crate) fn qualifies(conn: &Connection, user: &UserRow, now: i64) -> rusqlite::Result<bool> {
    if user.role != "new_scratcher" || user.banned || user.muted_until.is_some_and(|m| m > now) {
        return Ok(false);
    }
    if now - user.joined < MIN_AGE_DAYS * 86_400 {
        return Ok(false);
    }
    let shared: i64 = conn.query_row(
        "SELECT COUNT(*) FROM projects WHERE owner_id = ?1 AND shared = 1",
        [user.id],
        |r| r.get(0),
    )?;
    Ok(shared >= MIN_SHARED_PROJECTS)
}

/// The user's invite, if any.
pub(crate) fn of_user(conn: &Connection, user_id: i64) -> rusqlite::Result<Option<Invite>> {
    conn.query_row(
        "SELECT user_id, actor_id, created, accepted FROM scratcher_invites WHERE user_id = ?1",
        [user_id],
        |r| {
            Ok(Invite {
                user_id: r.get(0)?,
                actor_id: r.get(1)?,
                created: r.get(2)?,
                accepted: r.get(3)?,
            })
        },
    )
    .optional()
}

/// The pending invite of `user`: the stored one, or a new one when the user qualifies now.
/// `None` when there is none (already a Scratcher, or not qualified yet).
pub(crate) fn pending(
    conn: &Connection,
    user: &UserRow,
    now: i64,
) -> rusqlite::Result<Option<Invite>> {
    if user.role != "new_scratcher" {
        return Ok(None);
    }
    if let Some(invite) = of_user(conn, user.id)? {
        return Ok(invite.accepted.is_none().then_some(invite));
    }
    if !qualifies(conn, user, now)? {
        return Ok(None);
    }
    let actor: i64 = conn
        .query_row(
            "SELECT id FROM users WHERE role = 'scratch_team'
             ORDER BY CASE WHEN username = 'ScratchCat' THEN 0 ELSE 1 END, id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(user.id);
    conn.execute(
        "INSERT INTO scratcher_invites (user_id, actor_id, created) VALUES (?1, ?2, ?3)",
        params![user.id, actor, now],
    )?;
    of_user(conn, user.id)
}

/// Accepts the pending invite: the user becomes a Scratcher. False when there was none.
pub(crate) fn accept(conn: &Connection, user: &UserRow, now: i64) -> rusqlite::Result<bool> {
    if pending(conn, user, now)?.is_none() {
        return Ok(false);
    }
    conn.execute(
        "UPDATE scratcher_invites SET accepted = ?2 WHERE user_id = ?1",
        params![user.id, now],
    )?;
    conn.execute(
        "UPDATE users SET role = 'scratcher' WHERE id = ?1",
        [user.id],
    )?;
    Ok(true)
}
