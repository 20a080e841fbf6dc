//! Studios: [`Studio`] (`GET api.scratch.mit.edu/studios/<id>`, studio lists), the items of
//! `/studios/<id>/projects` ([`StudioProject`]) and your role in a studio
//! ([`StudioMembership`]).

use serde::{Deserialize, Serialize};

use crate::ids::{ClassroomId, ProjectId, StudioId, UserId};
use crate::images::Images;
use crate::timestamp::Timestamp;
use crate::visibility::Visibility;

/// A studio (`/studios/<id>`, `/users/<u>/studios/curate`, explore and search of studios).
///
/// ```
/// use scratchkit_model::{Studio, UserId};
/// let json = r#"{"id":37071074,"title":"Party","host":15883188,"description":"",
///   "visibility":"visible","public":true,"open_to_all":false,"comments_allowed":true,
///   "image":"https://cdn2.scratch.mit.edu/get_image/gallery/37071074_170x100.png",
///   "history":{"created":"2025-05-16T09:26:04.000Z","modified":"2025-05-16T09:27:00.000Z"},
///   "stats":{"comments":100,"followers":3353,"managers":2,"projects":100}}"#;
/// let studio: Studio = serde_json::from_str(json).unwrap();
/// assert_eq!(studio.host, Some(UserId(15883188)));
/// assert_eq!(studio.stats.followers, 3353);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Studio {
    /// The studio's ID.
    pub id: StudioId,
    /// The title.
    #[serde(default)]
    pub title: String,
    /// The host's **user ID** (not a name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<UserId>,
    /// The description.
    #[serde(default)]
    pub description: String,
    /// Visibility (`visible`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    /// Whether the studio is public.
    #[serde(default)]
    pub public: bool,
    /// Whether anyone may add projects.
    #[serde(default)]
    pub open_to_all: bool,
    /// Whether comments are turned on.
    #[serde(default)]
    pub comments_allowed: bool,
    /// The 170x100 thumbnail URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Creation and modification dates.
    #[serde(default)]
    pub history: StudioHistory,
    /// Counters.
    #[serde(default)]
    pub stats: StudioStats,
}

/// The `history` object of a [`Studio`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StudioHistory {
    /// When the studio was created.
    #[serde(default)]
    pub created: Option<Timestamp>,
    /// When it was last modified.
    #[serde(default)]
    pub modified: Option<Timestamp>,
}

/// The `stats` object of a [`Studio`].
///
/// `comments` and `projects` appear **capped at 100** (the site shows "100+"): treat them as
/// lower bounds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudioStats {
    /// Comment count (capped at 100).
    #[serde(default)]
    pub comments: u64,
    /// Follower count.
    #[serde(default)]
    pub followers: u64,
    /// Manager count.
    #[serde(default)]
    pub managers: u64,
    /// Project count (capped at 100).
    #[serde(default)]
    pub projects: u64,
}

/// An item of `GET /studios/<id>/projects` (shape from public type definitions; no real
/// response was ever recorded): `{id, title, image, creator_id, username, avatar, actor_id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudioProject {
    /// The project's ID.
    pub id: ProjectId,
    /// The project's title.
    #[serde(default)]
    pub title: String,
    /// The project's thumbnail URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// The project author's user ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator_id: Option<UserId>,
    /// The project author's username.
    #[serde(default)]
    pub username: String,
    /// The author's avatar URLs by size.
    #[serde(default)]
    pub avatar: Images,
    /// The user who added the project to the studio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<UserId>,
}

/// Your role in a studio (`GET /studios/<id>/users/<me>`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudioMembership {
    /// Whether you manage the studio.
    #[serde(default)]
    pub manager: bool,
    /// Whether you curate it.
    #[serde(default)]
    pub curator: bool,
    /// Whether you have a pending curator invitation.
    #[serde(default)]
    pub invited: bool,
    /// Whether you follow it.
    #[serde(default)]
    pub following: bool,
}

/// The class a class studio belongs to (`GET /studios/<id>/classroom`): `{"id":int}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudioClassroom {
    /// The class's ID.
    pub id: ClassroomId,
}
