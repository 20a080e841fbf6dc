//! Small project-related responses: [`ProjectVisibility`], [`LoveStatus`], [`FavoriteStatus`]
//! and [`ProjectSaved`].

use serde::{Deserialize, Serialize};

use crate::ids::{ProjectId, UserId, string_form};

/// Moderation state of one of your projects (`GET api…/users/<me>/projects/<id>/visibility`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectVisibility {
    /// The project's ID (`projectId`).
    pub project_id: ProjectId,
    /// The owner's user ID (`creatorId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator_id: Option<UserId>,
    /// Whether the project is deleted.
    #[serde(default)]
    pub deleted: bool,
    /// Whether the project is censored (by anyone).
    #[serde(default)]
    pub censored: bool,
    /// Whether the Scratch Team censored it (`censoredByAdmin`).
    #[serde(default)]
    pub censored_by_admin: bool,
    /// Whether community reports censored it (`censoredByCommunity`).
    #[serde(default)]
    pub censored_by_community: bool,
    /// Whether the owner may share it again.
    #[serde(default)]
    pub reshareable: bool,
    /// The moderation message, if any (may be empty).
    #[serde(default)]
    pub message: String,
}

/// Result of reading, setting or clearing a love (`/projects/<id>/loves/user/<me>`, GET/POST/
/// DELETE, also under `/proxy/…`).
///
/// ```
/// use scratchkit_model::{LoveStatus, ProjectId};
/// let s: LoveStatus =
///     serde_json::from_str(r#"{"projectId":"123","userLove":true,"statusChanged":false}"#).unwrap();
/// assert_eq!(s.project_id, ProjectId(123));
/// assert_eq!(serde_json::to_string(&s).unwrap(),
///     r#"{"projectId":"123","userLove":true,"statusChanged":false}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoveStatus {
    /// The project (`projectId`, sent as a **string**).
    #[serde(with = "string_form")]
    pub project_id: ProjectId,
    /// Whether you love the project after this call (`userLove`).
    #[serde(default)]
    pub user_love: bool,
    /// Whether this call changed the state (`statusChanged`).
    #[serde(default)]
    pub status_changed: bool,
}

/// Result of reading, setting or clearing a favorite (`/projects/<id>/favorites/user/<me>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FavoriteStatus {
    /// The project (`projectId`, sent as a **string**).
    #[serde(with = "string_form")]
    pub project_id: ProjectId,
    /// Whether the project is among your favorites after this call (`userFavorite`).
    #[serde(default)]
    pub user_favorite: bool,
    /// Whether this call changed the state (`statusChanged`).
    #[serde(default)]
    pub status_changed: bool,
}

/// Answer of `projects.scratch.mit.edu` to creating (`POST /`) or saving (`PUT /<id>`) a
/// project body.
///
/// ```
/// use scratchkit_model::{ProjectSaved, ProjectId};
/// let s: ProjectSaved = serde_json::from_str(
///     r#"{"status":"ok","content-name":"1234","content-title":"VW50aXRsZWQ=","autosave-interval":"120"}"#,
/// ).unwrap();
/// assert!(s.is_ok());
/// assert_eq!(s.project_id(), Some(ProjectId(1234)));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectSaved {
    /// `"ok"` on success.
    #[serde(default)]
    pub status: String,
    /// Creation only: the new project's ID, as a string (`content-name`).
    #[serde(
        rename = "content-name",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub content_name: Option<String>,
    /// Creation only: base64 of the title (`content-title`).
    #[serde(
        rename = "content-title",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub content_title: Option<String>,
    /// Suggested autosave interval in seconds (`autosave-interval`; a string or a number).
    #[serde(
        rename = "autosave-interval",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub autosave_interval: Option<serde_json::Value>,
}

impl ProjectSaved {
    /// Whether `status` is `"ok"`.
    #[must_use]
    pub fn is_ok(&self) -> bool {
        self.status == "ok"
    }

    /// The new project's ID parsed from `content-name`, when present and numeric.
    #[must_use]
    pub fn project_id(&self) -> Option<ProjectId> {
        self.content_name.as_deref()?.parse().ok()
    }
}
