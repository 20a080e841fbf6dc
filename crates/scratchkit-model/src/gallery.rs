//! [`SiteGallery`]: a studio as the old site's "My Stuff" lists it
//! (`GET scratch.mit.edu/site-api/galleries/all/`; the old site calls studios "galleries").
//!
//! No answer was recorded; the keys follow endpoints.md §3.8. Dates are naive
//! (`2025-06-02T09:25:59`) and serialize back in that form.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::ids::StudioId;
use crate::site_user::SiteUser;
use crate::timestamp::{Timestamp, naive_option};

/// An item of `GET scratch.mit.edu/site-api/galleries/all/?page=`: one of your studios, in
/// Django's serializer shape `{pk, model, fields}`.
///
/// ```
/// use scratchkit_model::{SiteGallery, StudioId};
/// let json = r#"{"pk":5342,"model":"galleries.gallery","fields":{"title":"Games",
///   "owner":{"username":"mres","pk":3,"thumbnail_url":"//uploads.scratch.mit.edu/users/avatars/3.png","admin":false},
///   "thumbnail_url":"//uploads.scratch.mit.edu/galleries/thumbnails/5342.png",
///   "datetime_created":"2025-06-02T09:25:59","datetime_modified":"2025-06-03T10:00:00",
///   "commenters_count":2,"curators_count":3,"projecters_count":40}}"#;
/// let studio: SiteGallery = serde_json::from_str(json).unwrap();
/// assert_eq!(studio.pk, StudioId(5342));
/// assert_eq!(studio.fields.title, "Games");
/// assert_eq!(studio.fields.projecters_count, 40);
/// assert!(serde_json::to_string(&studio).unwrap().contains(r#""datetime_modified":"2025-06-03T10:00:00""#));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteGallery {
    /// The studio's ID.
    pub pk: StudioId,
    /// The Django model name (`galleries.gallery`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The studio's fields.
    #[serde(default)]
    pub fields: SiteGalleryFields,
    /// Any other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `fields` of a [`SiteGallery`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SiteGalleryFields {
    /// The title.
    #[serde(default)]
    pub title: String,
    /// The studio's host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<SiteUser>,
    /// Protocol-relative thumbnail URL.
    #[serde(default)]
    pub thumbnail_url: String,
    /// When the studio was created (naive on the wire).
    #[serde(
        default,
        with = "naive_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub datetime_created: Option<Timestamp>,
    /// When it was last modified (naive on the wire).
    #[serde(
        default,
        with = "naive_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub datetime_modified: Option<Timestamp>,
    /// How many comments it has.
    #[serde(default)]
    pub commenters_count: u64,
    /// How many curators it has.
    #[serde(default)]
    pub curators_count: u64,
    /// How many projects it holds.
    #[serde(default)]
    pub projecters_count: u64,
    /// Any other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
