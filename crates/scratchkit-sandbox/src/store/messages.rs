//! Messages (the bell), admin alerts and the "what's happening" activity of users.

use rusqlite::{Connection, params};
use serde_json::Value;

use super::Page;

/// A message or a user activity item: base keys plus the per-type keys in `extra`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Item {
    pub id: i64,
    pub kind: String,
    pub actor_id: i64,
    pub actor_username: String,
    pub created: i64,
    pub extra: String,
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Item> {
    Ok(Item {
        id: r.get(0)?,
        kind: r.get(1)?,
        actor_id: r.get(2)?,
        actor_username: r.get(3)?,
        created: r.get(4)?,
        extra: r.get(5)?,
    })
}

/// Sends a message to `recipient` (never to oneself) and bumps their unread count.
pub(crate) fn send(
    conn: &Connection,
    recipient: i64,
    kind: &str,
    actor: i64,
    now: i64,
    extra: &Value,
) -> rusqlite::Result<()> {
    if recipient == actor {
        return Ok(());
    }
    conn.execute(
        "INSERT INTO messages (recipient_id, type, actor_id, created, extra) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![recipient, kind, actor, now, extra.to_string()],
    )?;
    conn.execute(
        "UPDATE users SET message_count = message_count + 1 WHERE id = ?1",
        [recipient],
    )?;
    Ok(())
}

/// The message types a `filter` keeps (`None` = every type; unknown filters keep nothing).
pub(crate) fn filter_types(filter: &str) -> Option<&'static [&'static str]> {
    match filter {
        "comments" => Some(&["addcomment"]),
        "projects" => Some(&[
            "loveproject",
            "favoriteproject",
            "remixproject",
            "shareproject",
        ]),
        "studios" => Some(&[
            "curatorinvite",
            "becomeownerstudio",
            "becomehoststudio",
            "studioactivity",
        ]),
        "forums" => Some(&["forumpost"]),
        _ => Some(&[]),
    }
}

/// The user's messages, newest first, strictly older than `date_limit` when given.
pub(crate) fn list(
    conn: &Connection,
    recipient: i64,
    types: Option<&[&str]>,
    date_limit: Option<i64>,
    page: Page,
) -> rusqlite::Result<Vec<Item>> {
    let types_json = types.map(|t| Value::from(t.to_vec()).to_string());
    let mut stmt = conn.prepare_cached(
        "SELECT m.id, m.type, m.actor_id, u.username, m.created, m.extra
         FROM messages m JOIN users u ON u.id = m.actor_id
         WHERE m.recipient_id = ?1 AND (?2 IS NULL OR m.type IN (SELECT value FROM json_each(?2)))
           AND (?3 IS NULL OR m.created < ?3)
         ORDER BY m.created DESC, m.id DESC LIMIT ?4 OFFSET ?5",
    )?;
    let rows = stmt.query_map(
        params![recipient, types_json, date_limit, page.limit, page.offset],
        from_row,
    )?;
    rows.collect()
}

/// Marks every message read and zeroes the unread count.
pub(crate) fn clear(conn: &Connection, recipient: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE messages SET unread = 0 WHERE recipient_id = ?1",
        [recipient],
    )?;
    conn.execute(
        "UPDATE users SET message_count = 0 WHERE id = ?1",
        [recipient],
    )?;
    Ok(())
}

/// An alert from the Scratch Team (`/users/<me>/messages/admin`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Alert {
    pub id: i64,
    pub created: i64,
    pub message: String,
}

/// Adds an admin alert.
pub(crate) fn add_alert(
    conn: &Connection,
    user_id: i64,
    now: i64,
    message: &str,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO admin_alerts (user_id, created, message) VALUES (?1, ?2, ?3)",
        params![user_id, now, message],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The user's admin alerts, newest first.
pub(crate) fn alerts(conn: &Connection, user_id: i64, page: Page) -> rusqlite::Result<Vec<Alert>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, created, message FROM admin_alerts WHERE user_id = ?1
         ORDER BY created DESC, id DESC LIMIT ?2 OFFSET ?3",
    )?;
    let rows = stmt.query_map(params![user_id, page.limit, page.offset], |r| {
        Ok(Alert {
            id: r.get(0)?,
            created: r.get(1)?,
            message: r.get(2)?,
        })
    })?;
    rows.collect()
}

/// Records something a user did, for their followers' feed.
pub(crate) fn record_activity(
    conn: &Connection,
    actor: i64,
    kind: &str,
    now: i64,
    extra: &Value,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO user_activity (actor_id, type, created, extra) VALUES (?1, ?2, ?3, ?4)",
        params![actor, kind, now, extra.to_string()],
    )?;
    Ok(())
}

/// What the people `me` follows did, newest first.
pub(crate) fn feed(
    conn: &Connection,
    me: i64,
    date_limit: Option<i64>,
    page: Page,
) -> rusqlite::Result<Vec<Item>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.type, a.actor_id, u.username, a.created, a.extra
         FROM user_activity a JOIN users u ON u.id = a.actor_id
         JOIN follows f ON f.followee_id = a.actor_id AND f.follower_id = ?1
         WHERE (?2 IS NULL OR a.created < ?2)
         ORDER BY a.created DESC, a.id DESC LIMIT ?3 OFFSET ?4",
    )?;
    let rows = stmt.query_map(params![me, date_limit, page.limit, page.offset], from_row)?;
    rows.collect()
}

/// A comment just posted, as the `addcomment` messages describe it.
pub(crate) struct CommentNotice<'a> {
    /// Where: project, studio or profile (`comment_type` 0, 2 and 1).
    pub(crate) place: super::comments::Place,
    /// The new comment.
    pub(crate) comment_id: i64,
    /// The project, studio or profile owner's user id.
    pub(crate) object_id: i64,
    /// Its title (the username for a profile).
    pub(crate) object_title: &'a str,
    /// Who wrote it.
    pub(crate) author_id: i64,
    /// The user answered, for a reply.
    pub(crate) commentee: Option<(i64, &'a str)>,
    /// Who owns the place (project owners, the studio host, the profile's user).
    pub(crate) owners: &'a [i64],
    /// The text (the message carries its first 40 characters).
    pub(crate) content: &'a str,
    /// When.
    pub(crate) now: i64,
}

/// Sends the `addcomment` messages of a new comment: to the user answered, or else to the
/// place's first owner; a reply on a project or a profile also tells its owners.
pub(crate) fn comment_added(conn: &Connection, notice: &CommentNotice<'_>) -> rusqlite::Result<()> {
    use super::comments::Place;
    let fragment: String = notice.content.chars().take(40).collect();
    let extra = serde_json::json!({
        "comment_type": match notice.place {
            Place::Project => 0,
            Place::User => 1,
            Place::Studio => 2,
        },
        "comment_fragment": fragment,
        "comment_id": notice.comment_id,
        "comment_obj_id": notice.object_id,
        "comment_obj_title": notice.object_title,
        "commentee_username": notice.commentee.map(|(_, name)| name),
    });
    let mut recipients: Vec<i64> = match notice.commentee {
        Some((id, _)) => vec![id],
        None => notice.owners.iter().take(1).copied().collect(),
    };
    if notice.place != Place::Studio && notice.commentee.is_some() {
        recipients.extend(notice.owners.iter().copied());
    }
    recipients.sort_unstable();
    recipients.dedup();
    for recipient in recipients {
        send(
            conn,
            recipient,
            "addcomment",
            notice.author_id,
            notice.now,
            &extra,
        )?;
    }
    Ok(())
}
