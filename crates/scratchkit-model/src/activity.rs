//! Activity items: [`Activity`] (studio activity `GET /studios/<id>/activity` and the
//! "What's happening" feed `GET /users/<me>/following/users/activity`) and [`ActivityType`].
//!
//! No real response of either endpoint was ever recorded; the keys come from public type
//! definitions. Every per-type key is optional and any other key is kept in
//! [`Activity::extra`], so new or unexpected keys survive a decode/encode round trip.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::{ActivityId, ProjectId, StudioId, UserId};
use crate::lenient::string_enum;
use crate::timestamp::Timestamp;

string_enum! {
    /// The `type` of an [`Activity`].
    ActivityType {
        /// `updatestudio`: the studio's title, description or thumbnail changed.
        UpdateStudio = "updatestudio",
        /// `becomecurator`: `username` became a curator.
        BecomeCurator = "becomecurator",
        /// `removecuratorstudio`: `username` was removed from the curators.
        RemoveCuratorStudio = "removecuratorstudio",
        /// `becomehoststudio`: the host changed (`former_host_username` →
        /// `recipient_username`).
        BecomeHostStudio = "becomehoststudio",
        /// `addprojecttostudio`: a project was added.
        AddProjectToStudio = "addprojecttostudio",
        /// `removeprojectstudio`: a project was removed.
        RemoveProjectStudio = "removeprojectstudio",
        /// `becomeownerstudio`: `recipient_username` was promoted to manager.
        BecomeOwnerStudio = "becomeownerstudio",
        /// `shareproject` (feed): the actor shared a project.
        ShareProject = "shareproject",
        /// `loveproject` (feed): the actor loved a project.
        LoveProject = "loveproject",
        /// `favoriteproject` (feed): the actor favorited a project.
        FavoriteProject = "favoriteproject",
        /// `followstudio` (feed): the actor followed a studio.
        FollowStudio = "followstudio",
    }
}

/// One studio-activity or feed item.
///
/// Studio activity IDs are strings (`"addprojecttostudio-123"`), feed IDs integers: both fit
/// [`ActivityId`].
///
/// ```
/// use scratchkit_model::{Activity, ActivityType, ProjectId};
/// let json = r#"{"id":"addprojecttostudio-9","type":"addprojecttostudio","actor_id":1,
///   "actor_username":"a","datetime_created":"2024-01-01T00:00:00.000Z",
///   "project_id":42,"project_title":"P","brand_new_key":true}"#;
/// let a: Activity = serde_json::from_str(json).unwrap();
/// assert_eq!(a.kind, ActivityType::AddProjectToStudio);
/// assert_eq!(a.project_id, Some(ProjectId(42)));
/// assert_eq!(a.extra["brand_new_key"], serde_json::json!(true));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// The item's ID.
    pub id: ActivityId,
    /// What happened (`type`).
    #[serde(rename = "type")]
    pub kind: ActivityType,
    /// Who did it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<UserId>,
    /// Who did it, by name.
    #[serde(default)]
    pub actor_username: String,
    /// When it happened.
    #[serde(default)]
    pub datetime_created: Option<Timestamp>,
    /// The user concerned (`becomecurator`, `removecuratorstudio`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The project concerned (project-related types).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<ProjectId>,
    /// The project's title (`addprojecttostudio`, `removeprojectstudio`, `favoriteproject`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_title: Option<String>,
    /// A title: of the project (`shareproject`, `loveproject`) or of the studio
    /// (`followstudio`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The studio concerned (feed items).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gallery_id: Option<StudioId>,
    /// The studio's title (feed items).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gallery_title: Option<String>,
    /// The user who received a role (`becomeownerstudio`, `becomehoststudio`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_id: Option<UserId>,
    /// The user who received a role, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_username: Option<String>,
    /// The previous host (`becomehoststudio`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub former_host_username: Option<String>,
    /// Whether a Scratch Team member made the change (`becomehoststudio`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_actor: Option<bool>,
    /// Every other key, as sent.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}
