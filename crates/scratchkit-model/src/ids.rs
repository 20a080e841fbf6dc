//! Typed identifiers.
//!
//! Scratch identifies everything with unsigned integers, but not every endpoint sends them the
//! same way: most send a JSON number, some send a numeric string (`"projectId":"123"`). Every ID
//! type here accepts both forms and serializes as a JSON number. Fields that Scratch sends as a
//! string are annotated with [`string_form`] so that they serialize back as a string.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// The error returned when a string is not a valid numeric ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseIdError {
    kind: &'static str,
    input: String,
}

impl ParseIdError {
    fn new(kind: &'static str, input: &str) -> Self {
        // Keep a bounded copy of the input: it may come from a server.
        let input: String = input.chars().take(64).collect();
        Self { kind, input }
    }
}

impl fmt::Display for ParseIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {}: expected an unsigned integer, found {:?}",
            self.kind, self.input
        )
    }
}

impl std::error::Error for ParseIdError {}

/// Parses the decimal digits of an ID. Signs, spaces and empty strings are rejected.
fn parse_digits(kind: &'static str, s: &str) -> Result<u64, ParseIdError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseIdError::new(kind, s));
    }
    s.parse::<u64>().map_err(|_| ParseIdError::new(kind, s))
}

/// A serde visitor that accepts a non-negative integer, an integral float, or a numeric string.
struct IdVisitor(&'static str);

impl Visitor<'_> for IdVisitor {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a {} (a non-negative integer or a numeric string)",
            self.0
        )
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
        // 2^64 as f64; anything at or above it does not fit.
        const LIMIT: f64 = 18_446_744_073_709_551_616.0;
        if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v < LIMIT {
            // The checks above make this cast exact.
            Ok(v as u64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
        parse_digits(self.0, v).map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident, $kind:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u64);

        impl $name {
            /// The numeric value of this ID.
            #[must_use]
            pub const fn get(self) -> u64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = ParseIdError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                parse_digits($kind, s).map(Self)
            }
        }

        impl From<u64> for $name {
            fn from(value: u64) -> Self {
                Self(value)
            }
        }

        impl From<$name> for u64 {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_u64(self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(IdVisitor($kind)).map(Self)
            }
        }
    };
}

id_type!(
    /// A user's ID (`id` of `/users/<name>`, `actor_id`, `commentee_id`, site-api `pk`).
    ///
    /// ```
    /// use scratchkit_model::UserId;
    /// let id: UserId = serde_json::from_str("\"15883188\"").unwrap();
    /// assert_eq!(id, UserId(15883188));
    /// assert_eq!(serde_json::to_string(&id).unwrap(), "15883188");
    /// assert_eq!("15883188".parse::<UserId>().unwrap(), id);
    /// ```
    UserId,
    "user id"
);
id_type!(
    /// The ID of a user's profile record (`profile.id`), which usually differs from the user ID.
    ProfileId,
    "profile id"
);
id_type!(
    /// A project's ID (`/projects/<id>`).
    ProjectId,
    "project id"
);
id_type!(
    /// A studio's ID (`/studios/<id>`; the old site calls studios "galleries").
    StudioId,
    "studio id"
);
id_type!(
    /// A comment's ID (project, studio or profile comments).
    CommentId,
    "comment id"
);
id_type!(
    /// A news item's ID. These exceed 2^53 and the server sends them already rounded, so they
    /// are kept as an exact `u64` (never go through `f64` with them).
    NewsId,
    "news id"
);
id_type!(
    /// A class's ID (`/classrooms/<id>`, `classroomId` of the session).
    ClassroomId,
    "classroom id"
);
id_type!(
    /// A forum post's ID (`/discuss/post/<id>/`).
    PostId,
    "post id"
);
id_type!(
    /// A forum topic's ID (`/discuss/topic/<id>/`).
    TopicId,
    "topic id"
);
id_type!(
    /// An alert's ID: the `pk` of an educator alert (`site-api/classrooms/alerts/`) or the `id`
    /// of a Scratch Team alert (`/users/<me>/messages/admin`).
    AlertId,
    "alert id"
);

/// The ID of an activity item.
///
/// Studio activity (`/studios/<id>/activity`) uses strings like `"addprojecttostudio-123"`;
/// the feed (`/users/<me>/following/users/activity`) and messages use integers. Each form
/// serializes back as it came.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActivityId {
    /// An integer ID (feed items and messages).
    Number(u64),
    /// A string ID (studio activity, `"<type>-<number>"`).
    Text(String),
}

impl fmt::Display for ActivityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Number(n) => fmt::Display::fmt(n, f),
            Self::Text(s) => f.write_str(s),
        }
    }
}

impl Serialize for ActivityId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Number(n) => serializer.serialize_u64(*n),
            Self::Text(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for ActivityId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ActivityId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an activity id (an integer or a string)")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ActivityId, E> {
                Ok(ActivityId::Number(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ActivityId, E> {
                IdVisitor("activity id")
                    .visit_i64(v)
                    .map(ActivityId::Number)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ActivityId, E> {
                IdVisitor("activity id")
                    .visit_f64(v)
                    .map(ActivityId::Number)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ActivityId, E> {
                Ok(ActivityId::Text(v.to_owned()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// Serde helpers for ID fields that Scratch sends as a **string** (`"projectId":"123"`).
///
/// Decoding accepts a number or a string; encoding writes a string, so the JSON type matches
/// the live site. Use with `#[serde(with = "scratchkit_model::ids::string_form")]`.
pub mod string_form {
    use std::fmt::Display;

    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the ID as a JSON string.
    ///
    /// # Errors
    /// Only the serializer's own errors.
    pub fn serialize<T: Display, S: Serializer>(id: &T, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(id)
    }

    /// Reads the ID from a JSON number or numeric string.
    ///
    /// # Errors
    /// When the value is neither a non-negative integer nor a numeric string.
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        T::deserialize(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_number_and_string() {
        assert_eq!(
            serde_json::from_str::<ProjectId>("123").unwrap(),
            ProjectId(123)
        );
        assert_eq!(
            serde_json::from_str::<ProjectId>("\"123\"").unwrap(),
            ProjectId(123)
        );
        assert_eq!(
            serde_json::from_str::<ProjectId>("123.0").unwrap(),
            ProjectId(123)
        );
    }

    #[test]
    fn serializes_as_number() {
        assert_eq!(serde_json::to_string(&StudioId(5342)).unwrap(), "5342");
    }

    #[test]
    fn news_id_keeps_every_digit() {
        let id: NewsId = serde_json::from_str("697105880184946700").unwrap();
        assert_eq!(id.get(), 697_105_880_184_946_700);
        assert_eq!(id.to_string(), "697105880184946700");
        assert_eq!(serde_json::to_string(&id).unwrap(), "697105880184946700");
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "-1",
            "1.5",
            "\"\"",
            "\"12a\"",
            "\"-3\"",
            "\" 12\"",
            "\"+1\"",
            "null",
            "true",
            "[]",
            "{}",
            "\"99999999999999999999\"",
            "1e30",
        ] {
            assert!(
                serde_json::from_str::<UserId>(bad).is_err(),
                "accepted {bad}"
            );
        }
    }

    #[test]
    fn from_str_and_display() {
        let id: CommentId = "447648029".parse().unwrap();
        assert_eq!(id, CommentId::from(447_648_029));
        assert_eq!(u64::from(id), 447_648_029);
        assert_eq!(id.to_string(), "447648029");
        let err = "abc".parse::<TopicId>().unwrap_err();
        assert!(err.to_string().contains("topic id"), "{err}");
        assert!("".parse::<PostId>().is_err());
    }

    #[test]
    fn ordering_and_hash_follow_the_number() {
        use std::collections::HashSet;
        assert!(ClassroomId(2) < ClassroomId(10));
        let set: HashSet<UserId> = [UserId(1), UserId(1), UserId(2)].into_iter().collect();
        assert_eq!(set.len(), 2);
    }

    #[test]
    fn activity_id_keeps_its_form() {
        let text: ActivityId = serde_json::from_str("\"addprojecttostudio-42\"").unwrap();
        assert_eq!(text, ActivityId::Text("addprojecttostudio-42".into()));
        assert_eq!(
            serde_json::to_string(&text).unwrap(),
            "\"addprojecttostudio-42\""
        );
        let num: ActivityId = serde_json::from_str("42").unwrap();
        assert_eq!(num, ActivityId::Number(42));
        assert_eq!(serde_json::to_string(&num).unwrap(), "42");
        assert!(serde_json::from_str::<ActivityId>("-4").is_err());
    }

    #[test]
    fn string_form_round_trips_as_string() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct S {
            #[serde(with = "string_form")]
            id: ProjectId,
        }
        let s: S = serde_json::from_str(r#"{"id":"77"}"#).unwrap();
        assert_eq!(s.id, ProjectId(77));
        assert_eq!(serde_json::to_string(&s).unwrap(), r#"{"id":"77"}"#);
        let n: S = serde_json::from_str(r#"{"id":77}"#).unwrap();
        assert_eq!(n, s);
    }
}
