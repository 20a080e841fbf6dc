//! Projects: [`Project`] (`GET api.scratch.mit.edu/projects/<id>` and every project list) and
//! its parts.

use serde::{Deserialize, Serialize};

use crate::ids::{ProfileId, ProjectId, UserId};
use crate::images::Images;
use crate::timestamp::Timestamp;
use crate::user::UserHistory;
use crate::visibility::Visibility;

/// A shared (or owned) project.
///
/// One type serves `GET /projects/<id>` and the project lists (`/users/<u>/projects`,
/// favorites, remixes, explore, search, feeds): list items are the same object except that
/// `author.username` is missing, `stats.remixes` is always 0, and there is no `project_token`.
///
/// ```
/// use scratchkit_model::{Project, ProjectId};
/// let json = r#"{"id":624134306,"title":"Demo","description":"","instructions":"",
///   "visibility":"visible","public":true,"comments_allowed":true,"is_published":true,
///   "author":{"id":27675462,"username":"kakurenbo","scratchteam":false,
///     "history":{"joined":"1900-01-01T00:00:00.000Z"},"profile":{"id":null,"images":{}}},
///   "image":"https://cdn2.scratch.mit.edu/get_image/project/624134306_480x360.png","images":{},
///   "history":{"created":"2022-01-05T12:23:43.000Z","modified":"2022-01-06T04:17:09.000Z",
///     "shared":"2022-01-06T01:42:04.000Z"},
///   "stats":{"views":6,"loves":0,"favorites":0,"remixes":0},
///   "remix":{"parent":null,"root":null}}"#;
/// let project: Project = serde_json::from_str(json).unwrap();
/// assert_eq!(project.id, ProjectId(624134306));
/// assert_eq!(project.author.username.as_deref(), Some("kakurenbo"));
/// assert!(project.project_token.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    /// The project's ID.
    pub id: ProjectId,
    /// The title.
    #[serde(default)]
    pub title: String,
    /// "Notes and Credits".
    #[serde(default)]
    pub description: String,
    /// "Instructions".
    #[serde(default)]
    pub instructions: String,
    /// Visibility (`visible` for shared projects).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    /// Whether the project is public.
    #[serde(default)]
    pub public: bool,
    /// Whether comments are turned on.
    #[serde(default)]
    pub comments_allowed: bool,
    /// Whether the project is shared.
    #[serde(default)]
    pub is_published: bool,
    /// The author, a reduced user object.
    pub author: ProjectAuthor,
    /// The 480x360 thumbnail URL (no `?v=`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Thumbnail URLs by size (`282x218` … `100x80`), ending in `?v=<unix seconds>`.
    #[serde(default)]
    pub images: Images,
    /// Creation, modification and sharing dates.
    #[serde(default)]
    pub history: ProjectHistory,
    /// View, love, favorite and remix counters.
    #[serde(default)]
    pub stats: ProjectStats,
    /// Remix parent and root.
    #[serde(default)]
    pub remix: RemixInfo,
    /// The short-lived token needed to read the project body from
    /// `projects.scratch.mit.edu/<id>?token=…` (`<unix seconds>_<hex>`, valid for minutes).
    /// Only in `GET /projects/<id>`; absent in project lists and in responses recorded before
    /// late 2022.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_token: Option<String>,
}

/// The `author` of a [`Project`]: a reduced user object.
///
/// `history.joined` is always the placeholder `1900-01-01T00:00:00.000Z` and `profile.id` is
/// `null`; there is no status, bio or country.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectAuthor {
    /// The author's user ID.
    pub id: UserId,
    /// The author's username. **Absent in project lists** (`/users/<u>/projects` and others):
    /// take the name from context there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Scratch Team flag (seen `false` even for ScratchCat: do not rely on it).
    #[serde(default)]
    pub scratchteam: bool,
    /// Placeholder history (`joined` is always 1900-01-01).
    #[serde(default)]
    pub history: UserHistory,
    /// Avatar URLs.
    #[serde(default)]
    pub profile: AuthorProfile,
}

/// The `profile` of a [`ProjectAuthor`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuthorProfile {
    /// Always `null` in project responses.
    #[serde(default)]
    pub id: Option<ProfileId>,
    /// Avatar URLs by size.
    #[serde(default)]
    pub images: Images,
}

/// The `history` object of a [`Project`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProjectHistory {
    /// When the project was created.
    #[serde(default)]
    pub created: Option<Timestamp>,
    /// When it was last saved.
    #[serde(default)]
    pub modified: Option<Timestamp>,
    /// When it was (last) shared; `null` if never shared.
    #[serde(default)]
    pub shared: Option<Timestamp>,
}

/// The `stats` object of a [`Project`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectStats {
    /// View count.
    #[serde(default)]
    pub views: u64,
    /// Love count.
    #[serde(default)]
    pub loves: u64,
    /// Favorite count.
    #[serde(default)]
    pub favorites: u64,
    /// Remix count (always 0 in project lists).
    #[serde(default)]
    pub remixes: u64,
}

/// The `remix` object of a [`Project`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemixInfo {
    /// The project this one remixes; `null` for originals.
    #[serde(default)]
    pub parent: Option<ProjectId>,
    /// The original at the root of the remix tree; `null` for originals.
    #[serde(default)]
    pub root: Option<ProjectId>,
}

impl Project {
    /// Whether this project is a remix.
    #[must_use]
    pub fn is_remix(&self) -> bool {
        self.remix.parent.is_some()
    }
}
