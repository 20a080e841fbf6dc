//! Third-party services (not Scratch): [`OcularUser`] from my-ocular
//! (`GET https://my-ocular.jeffalo.net/api/user/<u>`), a forum status service.

use serde::{Deserialize, Serialize};

use crate::timestamp::Timestamp;

/// A user's ocular status.
///
/// ```
/// use scratchkit_model::OcularUser;
/// let u: OcularUser = serde_json::from_str(
///     r##"{"_id":"5fb9","name":"Jeffalo","status":"{joke}","color":"#0fbd8c","admin":true,
///        "meta":{"updated":"2021-05-09T13:24:30.021Z","updatedBy":"Jeffalo"}}"##,
/// ).unwrap();
/// assert_eq!(u.color.as_deref(), Some("#0fbd8c"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OcularUser {
    /// Ocular's own record ID (`_id`).
    #[serde(rename = "_id", default, skip_serializing_if = "Option::is_none")]
    pub record_id: Option<String>,
    /// The Scratch username.
    pub name: String,
    /// The status text.
    #[serde(default)]
    pub status: String,
    /// The status colour (`#rrggbb`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Whether the user is an ocular admin.
    #[serde(default)]
    pub admin: bool,
    /// Who changed the status last, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<OcularMeta>,
}

/// The `meta` of an [`OcularUser`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OcularMeta {
    /// When the status was last changed.
    #[serde(default)]
    pub updated: Option<Timestamp>,
    /// Who changed it (`updatedBy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<String>,
}
