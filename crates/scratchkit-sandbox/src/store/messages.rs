//! Messages (the bell), admin alerts and the "what's happening" activity of users.

use std::collections::BTreeMap;

use rusqlite::{Connection, params};
use scratchkit_model::{
    Activity, ActivityId, ActivityType, CommentId, CommentTarget, Message, MessageType,
};
use serde::Serialize;
use serde_json::Value;

use super::Page;

/// The keys every message and activity item has. The tables keep them in columns (the
/// username comes from `users`, so a rename shows), and the rest in `extra`.
const BASE_KEYS: [&str; 5] = [
    "id",
    "type",
    "actor_id",
    "actor_username",
    "datetime_created",
];

/// The per-type keys of a model message or activity item, as the `extra` column stores them.
pub(crate) fn per_type_keys(item: &impl Serialize) -> String {
    match serde_json::to_value(item) {
        Ok(Value::Object(mut keys)) => {
            for key in BASE_KEYS {
                keys.remove(key);
            }
            Value::Object(keys).to_string()
        }
        _ => "{}".to_owned(),
    }
}

/// A message of type `kind` with no per-type keys yet; writers fill in theirs with
/// `..new_message(kind)`. The base keys are the row's, set when it is read.
pub(crate) fn new_message(kind: MessageType) -> Message {
    Message {
        id: ActivityId::Number(0),
        kind,
        actor_id: None,
        actor_username: String::new(),
        datetime_created: None,
        comment_type: None,
        comment_fragment: None,
        comment_id: None,
        comment_obj_id: None,
        comment_obj_title: None,
        commentee_username: None,
        project_id: None,
        title: None,
        project_title: None,
        gallery_id: None,
        gallery_title: None,
        recipient_username: None,
        followed_username: None,
        parent_id: None,
        parent_title: None,
        topic_id: None,
        topic_title: None,
        extra: BTreeMap::new(),
    }
}

/// An activity item (studio activity or feed) of type `kind` with no per-type keys yet, for
/// `..new_activity(kind)`; the base keys are the row's.
pub(crate) fn new_activity(kind: ActivityType) -> Activity {
    Activity {
        id: ActivityId::Number(0),
        kind,
        actor_id: None,
        actor_username: String::new(),
        datetime_created: None,
        username: None,
        project_id: None,
        project_title: None,
        title: None,
        gallery_id: None,
        gallery_title: None,
        recipient_id: None,
        recipient_username: None,
        former_host_username: None,
        admin_actor: None,
        extra: BTreeMap::new(),
    }
}

/// The `followuser` message to the user followed. Besides the model's `followed_username`, it
/// carries `followed_user_id` (in `extra`), which the classroom activity reads back.
pub(crate) fn follow_message(followed_id: i64, followed: &str) -> Message {
    let mut message = Message {
        followed_username: Some(followed.to_owned()),
        ..new_message(MessageType::FollowUser)
    };
    message
        .extra
        .insert("followed_user_id".into(), followed_id.into());
    message
}

/// The follower's `followuser` feed item: the same keys as [`follow_message`], both in
/// `extra` (the model's [`Activity`] has no typed key for them).
pub(crate) fn follow_item(followed_id: i64, followed: &str) -> Activity {
    let mut item = new_activity(ActivityType::from("followuser"));
    item.extra
        .insert("followed_username".into(), followed.into());
    item.extra
        .insert("followed_user_id".into(), followed_id.into());
    item
}

/// A message, a user activity item or a studio activity item: base keys plus the per-type
/// keys in `extra`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Item {
    pub id: i64,
    pub kind: String,
    pub actor_id: i64,
    pub actor_username: String,
    pub created: i64,
    pub extra: String,
}

/// An [`Item`] from `SELECT id, type, actor_id, username, created, extra`.
pub(crate) fn item_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Item> {
    Ok(Item {
        id: r.get(0)?,
        kind: r.get(1)?,
        actor_id: r.get(2)?,
        actor_username: r.get(3)?,
        created: r.get(4)?,
        extra: r.get(5)?,
    })
}

/// Sends `message` (its type and per-type keys) from `actor` to `recipient` (never to
/// oneself) and bumps their unread count.
pub(crate) fn send(
    conn: &Connection,
    recipient: i64,
    actor: i64,
    now: i64,
    message: &Message,
) -> rusqlite::Result<()> {
    if recipient == actor {
        return Ok(());
    }
    insert(conn, recipient, actor, now, message)?;
    conn.execute(
        "UPDATE users SET message_count = message_count + 1 WHERE id = ?1",
        [recipient],
    )?;
    Ok(())
}

/// Stores `message` without touching the unread count (the seed sets counts itself).
pub(crate) fn insert(
    conn: &Connection,
    recipient: i64,
    actor: i64,
    now: i64,
    message: &Message,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO messages (recipient_id, type, actor_id, created, extra) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        recipient,
        message.kind.as_str(),
        actor,
        now,
        per_type_keys(message)
    ])?;
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
        item_from_row,
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

/// Records something a user did (`item`: its type and per-type keys), for their followers'
/// feed.
pub(crate) fn record_activity(
    conn: &Connection,
    actor: i64,
    now: i64,
    item: &Activity,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO user_activity (actor_id, type, created, extra) VALUES (?1, ?2, ?3, ?4)",
        params![actor, item.kind.as_str(), now, per_type_keys(item)],
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
    let rows = stmt.query_map(
        params![me, date_limit, page.limit, page.offset],
        item_from_row,
    )?;
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
    let message = Message {
        comment_type: Some(match notice.place {
            Place::Project => CommentTarget::Project,
            Place::User => CommentTarget::Profile,
            Place::Studio => CommentTarget::Studio,
        }),
        comment_fragment: Some(notice.content.chars().take(40).collect()),
        comment_id: u64::try_from(notice.comment_id).ok().map(CommentId),
        comment_obj_id: u64::try_from(notice.object_id).ok(),
        comment_obj_title: Some(notice.object_title.to_owned()),
        // Sent as `null` when the comment answers nobody.
        commentee_username: Some(notice.commentee.map(|(_, name)| name.to_owned())),
        ..new_message(MessageType::AddComment)
    };
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
        send(conn, recipient, notice.author_id, notice.now, &message)?;
    }
    Ok(())
}
