//! Comments on projects and studios (api): [`Comment`], [`CommentAuthor`], and the refusal a
//! comment post can get instead, [`CommentRejection`]. Also the [`NewComment`] request body.

use serde::{Deserialize, Serialize, Serializer};

use crate::ids::{CommentId, UserId};
use crate::mute::MuteStatus;
use crate::timestamp::Timestamp;
use crate::visibility::Visibility;

/// A project or studio comment, or a reply (`/users/<a>/projects/<id>/comments`,
/// `/studios/<id>/comments`, `…/comments/<cid>`, `…/comments/<cid>/replies`), and the comment
/// returned by a successful `POST /proxy/comments/…`.
///
/// ```
/// use scratchkit_model::{Comment, CommentId};
/// let json = r#"{"id":447648029,"parent_id":447647641,"commentee_id":141638754,
///   "content":"Hi","datetime_created":"2025-01-21T20:37:44.000Z",
///   "datetime_modified":"2025-01-21T20:37:44.000Z","visibility":"visible",
///   "author":{"id":49156,"username":"Paddle2See","scratchteam":true,"image":"https://x/49156_60x60.png"},
///   "reply_count":0}"#;
/// let c: Comment = serde_json::from_str(json).unwrap();
/// assert_eq!(c.parent_id, Some(CommentId(447647641)));
/// assert!(c.is_reply());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    /// The comment's ID.
    pub id: CommentId,
    /// The top-level comment this one replies to; `null` on top-level comments. Scratch
    /// flattens threads: replies to replies carry the top-level ID.
    #[serde(default)]
    pub parent_id: Option<CommentId>,
    /// The user being answered (they get a message); `null` on top-level comments.
    #[serde(default)]
    pub commentee_id: Option<UserId>,
    /// The text as stored (HTML-escaped by the server in places).
    #[serde(default)]
    pub content: String,
    /// When it was posted.
    #[serde(default)]
    pub datetime_created: Option<Timestamp>,
    /// When it was last modified (equal to `datetime_created` in practice).
    #[serde(default)]
    pub datetime_modified: Option<Timestamp>,
    /// Visibility (`visible`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    /// Who wrote it.
    pub author: CommentAuthor,
    /// Number of replies (0 on replies).
    #[serde(default)]
    pub reply_count: u64,
}

impl Comment {
    /// Whether this comment is a reply (has a `parent_id`).
    #[must_use]
    pub fn is_reply(&self) -> bool {
        self.parent_id.is_some()
    }
}

/// The `author` of a [`Comment`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentAuthor {
    /// The author's user ID.
    pub id: UserId,
    /// The author's username.
    #[serde(default)]
    pub username: String,
    /// Whether the author is on the Scratch Team.
    #[serde(default)]
    pub scratchteam: bool,
    /// The 60x60 avatar URL (no `?v=`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

/// What `POST /proxy/comments/{project,studio}/<id>/` returns (still with HTTP 200) when the
/// comment is refused: `{"rejected":"<reason>","status":{"mute_status":{…}}}`.
///
/// ```
/// use scratchkit_model::CommentRejection;
/// let r: CommentRejection =
///     serde_json::from_str(r#"{"rejected":"isFlood","status":{"mute_status":{}}}"#).unwrap();
/// assert_eq!(r.rejected, "isFlood");
/// assert!(!r.status.unwrap().mute_status.is_muted());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentRejection {
    /// The reason code, e.g. `isFlood`, `isBad`, `isMuted` (the list is not documented: keep
    /// the raw string).
    pub rejected: String,
    /// The poster's mute state, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<RejectionStatus>,
}

/// The `status` of a [`CommentRejection`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RejectionStatus {
    /// The mute state (`{}` when not muted).
    #[serde(default)]
    pub mute_status: MuteStatus,
}

/// The JSON body of a new comment (`POST /proxy/comments/{project,studio}/<id>/` and
/// `POST site-api/comments/<place>/add/`): `{"content","parent_id","commentee_id"}`, where a
/// missing parent or commentee is sent as `""`, as the website does.
///
/// ```
/// use scratchkit_model::{CommentId, NewComment, UserId};
/// let top = NewComment { content: "Hi".into(), parent_id: None, commentee_id: None };
/// assert_eq!(serde_json::to_string(&top).unwrap(),
///     r#"{"content":"Hi","parent_id":"","commentee_id":""}"#);
/// let reply = NewComment { content: "Hi".into(), parent_id: Some(CommentId(5)),
///     commentee_id: Some(UserId(7)) };
/// assert_eq!(serde_json::to_string(&reply).unwrap(),
///     r#"{"content":"Hi","parent_id":5,"commentee_id":7}"#);
/// let back: NewComment = serde_json::from_str(r#"{"content":"Hi","parent_id":"","commentee_id":""}"#).unwrap();
/// assert_eq!(back, top);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewComment {
    /// The text.
    pub content: String,
    /// The **top-level** comment replied to, or `None` (sent as `""`).
    #[serde(
        serialize_with = "id_or_empty",
        deserialize_with = "empty_or_id::deserialize",
        default
    )]
    pub parent_id: Option<CommentId>,
    /// The user answered, or `None` (sent as `""`).
    #[serde(
        serialize_with = "id_or_empty",
        deserialize_with = "empty_or_id::deserialize",
        default
    )]
    pub commentee_id: Option<UserId>,
}

fn id_or_empty<T: Serialize, S: Serializer>(id: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
    match id {
        Some(id) => id.serialize(s),
        None => s.serialize_str(""),
    }
}

mod empty_or_id {
    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw<T> {
        Id(T),
        Text(String),
        Null(()),
    }

    pub(super) fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<T>, D::Error> {
        match Raw::<T>::deserialize(d)? {
            Raw::Id(id) => Ok(Some(id)),
            Raw::Text(s) if s.is_empty() => Ok(None),
            Raw::Text(s) => Err(serde::de::Error::custom(format!(
                "expected an id or \"\", found {:?}",
                s.chars().take(32).collect::<String>()
            ))),
            Raw::Null(()) => Ok(None),
        }
    }
}
