//! Messages (`GET api.scratch.mit.edu/users/<me>/messages`): [`Message`], [`MessageType`] and
//! [`CommentTarget`].
//!
//! Only a fragment of a real message was ever published; beyond the base keys, the per-type
//! keys are assumed to follow the feed's naming. They are all optional and every other key is
//! kept in [`Message::extra`].

use std::collections::BTreeMap;

use serde::de::Deserializer;
use serde::{Deserialize, Serialize, Serializer};

use crate::ids::{ActivityId, CommentId, ProjectId, StudioId, TopicId, UserId};
use crate::lenient::string_enum;
use crate::timestamp::Timestamp;

string_enum! {
    /// The `type` of a [`Message`].
    MessageType {
        /// `followuser`: someone followed you.
        FollowUser = "followuser",
        /// `loveproject`: someone loved your project.
        LoveProject = "loveproject",
        /// `favoriteproject`: someone favorited your project.
        FavoriteProject = "favoriteproject",
        /// `addcomment`: a comment on your profile, project or studio, or a reply to you.
        AddComment = "addcomment",
        /// `curatorinvite`: an invitation to curate a studio.
        CuratorInvite = "curatorinvite",
        /// `remixproject`: someone remixed your project.
        RemixProject = "remixproject",
        /// `studioactivity`: activity in a studio you manage.
        StudioActivity = "studioactivity",
        /// `forumpost`: a new post in a topic you follow.
        ForumPost = "forumpost",
        /// `becomeownerstudio`: you were promoted to manager.
        BecomeOwnerStudio = "becomeownerstudio",
        /// `becomehoststudio`: you became a studio's host.
        BecomeHostStudio = "becomehoststudio",
        /// `userjoin`: welcome message.
        UserJoin = "userjoin",
        /// `shareproject`: a project was shared.
        ShareProject = "shareproject",
    }
}

/// Where an `addcomment` message's comment is (`comment_type`: 0 project, 1 profile,
/// 2 studio). Unknown codes are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CommentTarget {
    /// `0`: a project comment (`comment_obj_id` is the project ID).
    Project,
    /// `1`: a profile comment (`comment_obj_id` is the profile owner's user ID).
    Profile,
    /// `2`: a studio comment (`comment_obj_id` is the studio ID).
    Studio,
    /// Any other code, kept as sent.
    Unknown(i64),
}

impl CommentTarget {
    /// The integer code Scratch uses.
    #[must_use]
    pub fn code(self) -> i64 {
        match self {
            Self::Project => 0,
            Self::Profile => 1,
            Self::Studio => 2,
            Self::Unknown(code) => code,
        }
    }
}

impl From<i64> for CommentTarget {
    fn from(code: i64) -> Self {
        match code {
            0 => Self::Project,
            1 => Self::Profile,
            2 => Self::Studio,
            other => Self::Unknown(other),
        }
    }
}

impl Serialize for CommentTarget {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.code())
    }
}

impl<'de> Deserialize<'de> for CommentTarget {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::int_code::deserialize(deserializer, "an integer comment type", false)
    }
}

/// One message of your message list.
///
/// ```
/// use scratchkit_model::{CommentTarget, Message, MessageType};
/// let json = r#"{"id":1,"datetime_created":"2017-10-31T20:28:56.000Z","comment_type":1,
///   "comment_fragment":"hello","type":"addcomment","actor_id":2,"actor_username":"a",
///   "comment_id":3,"comment_obj_id":4,"comment_obj_title":"me","commentee_username":null}"#;
/// let m: Message = serde_json::from_str(json).unwrap();
/// assert_eq!(m.kind, MessageType::AddComment);
/// assert_eq!(m.comment_type, Some(CommentTarget::Profile));
/// assert_eq!(m.commentee(), None);
/// // The `null` is written back: the key is there, as it was sent.
/// assert!(serde_json::to_string(&m).unwrap().contains(r#""commentee_username":null"#));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// The message's ID.
    pub id: ActivityId,
    /// What happened (`type`).
    #[serde(rename = "type")]
    pub kind: MessageType,
    /// Who did it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<UserId>,
    /// Who did it, by name.
    #[serde(default)]
    pub actor_username: String,
    /// When it happened.
    #[serde(default)]
    pub datetime_created: Option<Timestamp>,
    /// `addcomment`: where the comment is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_type: Option<CommentTarget>,
    /// `addcomment`: the start of the comment text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_fragment: Option<String>,
    /// `addcomment`: the comment's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_id: Option<CommentId>,
    /// `addcomment`: the ID of the project, user or studio commented on (see
    /// [`CommentTarget`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_obj_id: Option<u64>,
    /// `addcomment`: the title (or username) of what was commented on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_obj_title: Option<String>,
    /// `addcomment`: the user replied to. `None` when the key was not sent,
    /// `Some(None)` when it was sent as `null` (an `addcomment` that is not a reply), so that
    /// a message encodes back with the keys it came with. [`Message::commentee`] reads it
    /// flat.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::nullable::deserialize"
    )]
    pub commentee_username: Option<Option<String>>,
    /// The project concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<ProjectId>,
    /// A title (of the project, or of the studio).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The project's title (`favoriteproject`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_title: Option<String>,
    /// The studio concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gallery_id: Option<StudioId>,
    /// The studio's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gallery_title: Option<String>,
    /// The user who received a role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_username: Option<String>,
    /// `followuser`: the user followed (you).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followed_username: Option<String>,
    /// `remixproject`: the remixed (parent) project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<ProjectId>,
    /// `remixproject`: the parent project's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_title: Option<String>,
    /// `forumpost`: the topic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<TopicId>,
    /// `forumpost`: the topic's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic_title: Option<String>,
    /// Every other key, as sent.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Message {
    /// `addcomment`: the user replied to, if the comment is a reply (whether the key was
    /// absent or `null` does not matter here).
    ///
    /// ```
    /// use scratchkit_model::Message;
    /// let m: Message = serde_json::from_str(
    ///     r#"{"id":1,"type":"addcomment","commentee_username":"kid"}"#,
    /// ).unwrap();
    /// assert_eq!(m.commentee(), Some("kid"));
    /// ```
    #[must_use]
    pub fn commentee(&self) -> Option<&str> {
        self.commentee_username.as_ref()?.as_deref()
    }
}
