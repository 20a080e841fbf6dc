//! [`MuteStatus`]: a user's comment-mute state (in `/session/` permissions and in comment
//! rejections).

use serde::{Deserialize, Serialize};

use crate::timestamp::{Timestamp, epoch_seconds_option};

/// Mute state: `{}` when not muted, otherwise
/// `{"offenses":[…],"showWarning":bool,"muteExpiresAt":<epoch s>,"currentMessageType":str}`.
///
/// ```
/// use scratchkit_model::MuteStatus;
/// let m: MuteStatus = serde_json::from_str(
///     r#"{"offenses":[{"expiresAt":1700000300,"messageType":"general","createdAt":1700000000}],
///        "showWarning":true,"muteExpiresAt":1700000300,"currentMessageType":"general"}"#,
/// ).unwrap();
/// assert!(m.is_muted());
/// assert_eq!(m.mute_expires_at.unwrap().unix_seconds(), 1700000300);
/// assert!(!MuteStatus::default().is_muted());
/// assert_eq!(serde_json::to_string(&MuteStatus::default()).unwrap(), "{}");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MuteStatus {
    /// Past and current offenses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offenses: Vec<MuteOffense>,
    /// Whether the site should show a warning (`showWarning`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_warning: Option<bool>,
    /// When the current mute ends (`muteExpiresAt`, epoch seconds on the wire).
    #[serde(
        default,
        with = "epoch_seconds_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub mute_expires_at: Option<Timestamp>,
    /// The kind of message that caused the current mute (`currentMessageType`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_message_type: Option<String>,
}

impl MuteStatus {
    /// Whether this describes an active mute (an expiry time is present).
    #[must_use]
    pub fn is_muted(&self) -> bool {
        self.mute_expires_at.is_some()
    }
}

/// One entry of [`MuteStatus::offenses`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MuteOffense {
    /// When this offense's mute ends (`expiresAt`, epoch seconds).
    #[serde(
        default,
        with = "epoch_seconds_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub expires_at: Option<Timestamp>,
    /// The kind of offending message (`messageType`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_type: Option<String>,
    /// When the offense happened (`createdAt`, epoch seconds).
    #[serde(
        default,
        with = "epoch_seconds_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<Timestamp>,
}
