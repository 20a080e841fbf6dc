//! [`SiteUser`]: the old site's user reference (`{username, pk, thumbnail_url, admin}`) as it
//! appears in answers that were never recorded (class lists, educator alerts, classroom
//! activity, gallery owners), read leniently.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::ids::UserId;

/// A user as the old site (`scratch.mit.edu/site-api/…`) refers to one:
/// `{"username", "pk", "thumbnail_url", "admin"}`.
///
/// Unlike [`SiteCreator`](crate::SiteCreator) (from a recorded answer), every key is optional:
/// where this shape appears, no answer was recorded. Other keys are kept in
/// [`extra`](SiteUser::extra).
///
/// ```
/// use scratchkit_model::{SiteUser, UserId};
/// let u: SiteUser = serde_json::from_str(
///     r#"{"username":"ScratchCat*","pk":1,"thumbnail_url":"//uploads.scratch.mit.edu/users/avatars/1.png","admin":true}"#,
/// ).unwrap();
/// assert_eq!(u.pk, Some(UserId(1)));
/// assert_eq!(u.name(), "ScratchCat");
/// assert!(u.is_scratch_team());
///
/// let bare: SiteUser = serde_json::from_str(r#"{"username":"kid"}"#).unwrap();
/// assert_eq!(bare.pk, None);
/// assert!(!bare.is_scratch_team());
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SiteUser {
    /// The username; the old site adds a `*` to Scratch Team members' names.
    #[serde(default)]
    pub username: String,
    /// The user ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pk: Option<UserId>,
    /// Protocol-relative avatar URL (`//uploads.scratch.mit.edu/users/avatars/<id>.png`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_url: Option<String>,
    /// Whether the user is a Scratch Team member (`admin`), when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin: Option<bool>,
    /// Any other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SiteUser {
    /// The username without the Scratch Team `*` suffix.
    #[must_use]
    pub fn name(&self) -> &str {
        self.username.strip_suffix('*').unwrap_or(&self.username)
    }

    /// Whether the user is a Scratch Team member: `admin: true`, or a name with the old
    /// site's `*` suffix.
    #[must_use]
    pub fn is_scratch_team(&self) -> bool {
        self.admin == Some(true) || self.username.ends_with('*')
    }
}
