//! [`CloudLogEntry`]: one row of `GET clouddata.scratch.mit.edu/logs?projectid=<id>` (the
//! body is an array of these, newest first).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::lenient::string_enum;
use crate::timestamp::{Timestamp, epoch_millis};

string_enum! {
    /// What a cloud log row records (`verb`).
    CloudVerb {
        /// `set_var`: a value was set.
        Set = "set_var",
        /// `create_var`: a variable was created.
        Create = "create_var",
        /// `del_var`: a variable was deleted.
        Delete = "del_var",
        /// `rename_var`: a variable was renamed.
        Rename = "rename_var",
    }
}

/// A cloud variable value in the logs: a string or a number, kept in the form sent.
///
/// ```
/// use scratchkit_model::CloudValue;
/// let s: CloudValue = serde_json::from_str("\"1\"").unwrap();
/// let n: CloudValue = serde_json::from_str("1").unwrap();
/// assert_eq!(s.to_string(), n.to_string());
/// assert_eq!(serde_json::to_string(&s).unwrap(), "\"1\"");
/// assert_eq!(serde_json::to_string(&n).unwrap(), "1");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum CloudValue {
    /// Sent as a JSON string (the usual form).
    Text(String),
    /// Sent as a JSON number.
    Number(serde_json::Number),
}

impl CloudValue {
    /// The value as text, as Scratch shows it.
    #[must_use]
    pub fn as_text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Self::Text(s) => std::borrow::Cow::Borrowed(s),
            Self::Number(n) => std::borrow::Cow::Owned(n.to_string()),
        }
    }
}

impl fmt::Display for CloudValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(s) => f.write_str(s),
            Self::Number(n) => fmt::Display::fmt(n, f),
        }
    }
}

impl Serialize for CloudValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(s) => serializer.serialize_str(s),
            Self::Number(n) => n.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for CloudValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = CloudValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CloudValue, E> {
                Ok(CloudValue::Text(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<CloudValue, E> {
                Ok(CloudValue::Text(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<CloudValue, E> {
                Ok(CloudValue::Number(v.into()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<CloudValue, E> {
                Ok(CloudValue::Number(v.into()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<CloudValue, E> {
                serde_json::Number::from_f64(v)
                    .map(CloudValue::Number)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Float(v), &self))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// One cloud log row.
///
/// ```
/// use scratchkit_model::{CloudLogEntry, CloudVerb};
/// let e: CloudLogEntry = serde_json::from_str(
///     r#"{"user":"ScratchCat","verb":"set_var","name":"☁ cloud","value":"1","timestamp":1749632385759}"#,
/// ).unwrap();
/// assert_eq!(e.verb, CloudVerb::Set);
/// assert_eq!(e.variable(), "cloud");
/// assert_eq!(e.timestamp.unix_millis(), 1749632385759);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloudLogEntry {
    /// Who made the change.
    pub user: String,
    /// What kind of change.
    pub verb: CloudVerb,
    /// The variable name **with** its `☁ ` prefix.
    pub name: String,
    /// The value (a string in the only recorded sample; numbers are accepted too).
    pub value: CloudValue,
    /// When the change happened (epoch milliseconds on the wire).
    #[serde(with = "epoch_millis")]
    pub timestamp: Timestamp,
}

impl CloudLogEntry {
    /// The variable name without the `☁ ` prefix.
    #[must_use]
    pub fn variable(&self) -> &str {
        self.name.strip_prefix("☁ ").unwrap_or(&self.name)
    }
}
