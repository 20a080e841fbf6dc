//! [`AdminAlert`]: an alert from the Scratch Team
//! (`GET api.scratch.mit.edu/users/<me>/messages/admin`).
//!
//! The shape was never recorded (peers hand these out as raw dictionaries): an `id`, the
//! alert's text in `message` and `datetime_created` are read when present, and every other key
//! is kept in [`AdminAlert::extra`].

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::ids::AlertId;
use crate::timestamp::Timestamp;

/// One alert from the Scratch Team, shown at the top of your messages page.
///
/// ```
/// use scratchkit_model::{AdminAlert, AlertId};
/// let json = r#"{"id":12,"message":"Please be kind","datetime_created":"2025-06-02T09:25:59.000Z"}"#;
/// let alert: AdminAlert = serde_json::from_str(json).unwrap();
/// assert_eq!(alert.id, Some(AlertId(12)));
/// assert_eq!(alert.message.as_deref(), Some("Please be kind"));
///
/// let other: AdminAlert = serde_json::from_str(r#"{"text":"hi"}"#).unwrap();
/// assert_eq!(other.extra["text"], "hi");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AdminAlert {
    /// The alert's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<AlertId>,
    /// The alert's text (it may contain HTML).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// When it was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datetime_created: Option<Timestamp>,
    /// Any other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
