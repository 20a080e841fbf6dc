//! [`Featured`]: the front page rows (`GET api.scratch.mit.edu/proxy/featured`).
//!
//! The endpoint serves JSON with a wrong `Content-Type` (`application/xml`): decode the body
//! regardless of the header.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::{ProjectId, StudioId};
use crate::lenient::string_enum;

/// The seven front page rows. Any row may be empty (four were empty in the 2025 recording);
/// a missing row decodes as empty. Keys this crate does not know (older responses had
/// `curator` and `current_sds`) are kept in [`Featured::extra`].
///
/// ```
/// use scratchkit_model::Featured;
/// let json = r#"{"community_featured_projects":[{"id":1,"title":"T","creator":"c",
///   "love_count":3,"thumbnail_url":"//uploads.scratch.mit.edu/projects/thumbnails/1.png",
///   "type":"project"}],"community_featured_studios":[]}"#;
/// let featured: Featured = serde_json::from_str(json).unwrap();
/// assert_eq!(featured.community_featured_projects[0].creator, "c");
/// assert!(featured.curator_top_projects.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Featured {
    /// "Featured Projects".
    #[serde(default)]
    pub community_featured_projects: Vec<FeaturedProject>,
    /// "Featured Studios".
    #[serde(default)]
    pub community_featured_studios: Vec<FeaturedStudio>,
    /// "What the Community is Loving".
    #[serde(default)]
    pub community_most_loved_projects: Vec<FeaturedProject>,
    /// "What the Community is Remixing" (items carry `remixers_count`).
    #[serde(default)]
    pub community_most_remixed_projects: Vec<FeaturedProject>,
    /// Newest projects.
    #[serde(default)]
    pub community_newest_projects: Vec<FeaturedProject>,
    /// "Projects Curated by …" (items may carry `curator_name`).
    #[serde(default)]
    pub curator_top_projects: Vec<FeaturedProject>,
    /// "Scratch Design Studio" (items carry `remixers_count`, `gallery_id`, `gallery_title`).
    #[serde(default)]
    pub scratch_design_studio: Vec<FeaturedProject>,
    /// Any other key, as sent.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

string_enum! {
    /// The `type` of a featured row item.
    FeaturedItemKind {
        /// `project`.
        Project = "project",
        /// `gallery` (a studio).
        Gallery = "gallery",
    }
}

/// A project in a [`Featured`] row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeaturedProject {
    /// The project's ID.
    pub id: ProjectId,
    /// The project's title.
    #[serde(default)]
    pub title: String,
    /// The author's username.
    #[serde(default)]
    pub creator: String,
    /// Love count.
    #[serde(default)]
    pub love_count: u64,
    /// Protocol-relative thumbnail URL (`//uploads.scratch.mit.edu/projects/thumbnails/<id>.png`).
    #[serde(default)]
    pub thumbnail_url: String,
    /// Always `project` here.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<FeaturedItemKind>,
    /// Remix count (remixed and design-studio rows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remixers_count: Option<u64>,
    /// The design studio's ID (design-studio row).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gallery_id: Option<StudioId>,
    /// The design studio's title (design-studio row).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gallery_title: Option<String>,
    /// The curator's name (curated row, when present).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub curator_name: Option<String>,
}

/// A studio in the featured-studios row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeaturedStudio {
    /// The studio's ID.
    pub id: StudioId,
    /// The studio's title.
    #[serde(default)]
    pub title: String,
    /// Protocol-relative thumbnail URL.
    #[serde(default)]
    pub thumbnail_url: String,
    /// `gallery` (assumed).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<FeaturedItemKind>,
}
