//! Old-site (`scratch.mit.edu/site-api/…`) JSON: a user's featured project
//! ([`SiteUserFeatured`]) and the Django-serializer project items of "My Stuff"
//! ([`SiteProject`]).
//!
//! The old site sends **naive** datetimes (`2025-06-02T09:25:59`) and protocol-relative URLs
//! (`//uploads.scratch.mit.edu/…`); these types serialize dates back in the naive form.

use serde::{Deserialize, Serialize};

use crate::ids::{ProfileId, ProjectId, UserId};
use crate::timestamp::{Timestamp, naive_option};
use crate::visibility::Visibility;

/// `GET scratch.mit.edu/site-api/users/all/<u>/`: the profile's featured project.
///
/// ```
/// use scratchkit_model::{ProjectId, SiteUserFeatured};
/// let json = r#"{"featured_project_label_name":"Remix This!","featured_project_data":null,
///   "featured_project":null,"thumbnail_url":"//uploads.scratch.mit.edu/users/avatars/1.png",
///   "user":{"username":"ScratchCat*","pk":1},"featured_project_label_id":null,"id":2}"#;
/// let f: SiteUserFeatured = serde_json::from_str(json).unwrap();
/// assert_eq!(f.user.username, "ScratchCat*");
/// assert_eq!(f.user.name(), "ScratchCat");
/// assert!(f.user.is_scratch_team());
/// assert_eq!(f.featured_project, None);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteUserFeatured {
    /// The **profile** ID (not the user ID).
    #[serde(default)]
    pub id: Option<ProfileId>,
    /// The user.
    pub user: SiteUserRef,
    /// Protocol-relative avatar URL (`//uploads.scratch.mit.edu/users/avatars/<id>.png`).
    #[serde(default)]
    pub thumbnail_url: String,
    /// The featured project's ID, or `null`.
    #[serde(default)]
    pub featured_project: Option<ProjectId>,
    /// The label code: `null` or none = "Featured Project", 0 "Featured Tutorial", 1 "Work In
    /// Progress", 2 "Remix This!", 3 "My Favorite Things", 4 "Why I Scratch".
    #[serde(default)]
    pub featured_project_label_id: Option<u32>,
    /// The label text, **localized** by the `scratchlanguage` cookie.
    #[serde(default)]
    pub featured_project_label_name: String,
    /// The featured project, or `null`.
    #[serde(default)]
    pub featured_project_data: Option<FeaturedProjectData>,
}

/// The `user` of [`SiteUserFeatured`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteUserRef {
    /// The username; Scratch Team members get a `*` suffix (`"ScratchCat*"`).
    pub username: String,
    /// The user ID.
    pub pk: UserId,
}

impl SiteUserRef {
    /// The username without the Scratch Team `*` suffix.
    #[must_use]
    pub fn name(&self) -> &str {
        self.username.strip_suffix('*').unwrap_or(&self.username)
    }

    /// Whether the name carries the Scratch Team `*` suffix.
    #[must_use]
    pub fn is_scratch_team(&self) -> bool {
        self.username.ends_with('*')
    }
}

/// The `featured_project_data` of [`SiteUserFeatured`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeaturedProjectData {
    /// The project's ID.
    pub id: ProjectId,
    /// The project's title.
    #[serde(default)]
    pub title: String,
    /// The author's username.
    #[serde(default)]
    pub creator: String,
    /// Protocol-relative thumbnail URL.
    #[serde(default)]
    pub thumbnail_url: String,
    /// When the project was last modified (naive on the wire).
    #[serde(default, with = "naive_option")]
    pub datetime_modified: Option<Timestamp>,
}

/// An item of `GET scratch.mit.edu/site-api/projects/<filter>/` ("My Stuff") and
/// `/site-api/projects/shared/<u>/`: Django's serializer shape `{fields, model, pk}`.
///
/// ```
/// use scratchkit_model::{ProjectId, SiteProject};
/// let json = r#"{"fields":{"title":"T","isPublished":true,"visibility":"visible",
///   "datetime_created":"2025-05-29T14:34:47","datetime_shared":null,
///   "creator":{"username":"a","pk":1,"thumbnail_url":"//u/1.png","admin":false}},
///   "model":"projects.project","pk":5}"#;
/// let p: SiteProject = serde_json::from_str(json).unwrap();
/// assert_eq!(p.pk, ProjectId(5));
/// assert!(p.fields.is_published);
/// assert!(serde_json::to_string(&p).unwrap().contains(r#""datetime_created":"2025-05-29T14:34:47""#));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteProject {
    /// The project fields.
    pub fields: SiteProjectFields,
    /// The Django model name, `projects.project`.
    #[serde(default)]
    pub model: String,
    /// The project's ID.
    pub pk: ProjectId,
}

/// The `fields` of a [`SiteProject`] (camelCase and snake_case mixed, as Scratch sends them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteProjectFields {
    /// The title.
    #[serde(default)]
    pub title: String,
    /// Whether the project is shared (`isPublished`).
    #[serde(rename = "isPublished", default)]
    pub is_published: bool,
    /// `visible`, or `trshbyusr` when in the trash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    /// View count.
    #[serde(default)]
    pub view_count: u64,
    /// Love count.
    #[serde(default)]
    pub love_count: u64,
    /// Favorite count.
    #[serde(default)]
    pub favorite_count: u64,
    /// Remix count.
    #[serde(default)]
    pub remixers_count: u64,
    /// Comment count.
    #[serde(default)]
    pub commenters_count: u64,
    /// When the project was created (naive on the wire).
    #[serde(default, with = "naive_option")]
    pub datetime_created: Option<Timestamp>,
    /// When it was last modified (naive on the wire).
    #[serde(default, with = "naive_option")]
    pub datetime_modified: Option<Timestamp>,
    /// When it was shared, or `null` (naive on the wire).
    #[serde(default, with = "naive_option")]
    pub datetime_shared: Option<Timestamp>,
    /// Protocol-relative thumbnail URL.
    #[serde(default)]
    pub thumbnail_url: String,
    /// Thumbnail URL that bypasses the cache (`//cdn2…/get_image/project/<id>_100x80.png`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncached_thumbnail_url: Option<String>,
    /// Thumbnail file name (`"<id>.png"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    /// The author.
    pub creator: SiteCreator,
}

/// An old-site user reference with avatar: `{username, pk, thumbnail_url, admin}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteCreator {
    /// The username.
    pub username: String,
    /// The user ID.
    pub pk: UserId,
    /// Protocol-relative avatar URL.
    #[serde(default)]
    pub thumbnail_url: String,
    /// Whether the user is a Scratch Team member.
    #[serde(default)]
    pub admin: bool,
}
