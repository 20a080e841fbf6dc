//! Enums that Scratch sends as integer codes (each implements `From<i64>` and has a `code()`):
//! one deserializer for all of them.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, Visitor};

/// Decodes an integer code into `T`. `expecting` names the value in error messages; with
/// `numeric_strings`, a string holding an integer (`"7"`) is accepted too.
pub(crate) fn deserialize<'de, D, T>(
    deserializer: D,
    expecting: &'static str,
    numeric_strings: bool,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: From<i64>,
{
    deserializer.deserialize_any(CodeVisitor {
        expecting,
        numeric_strings,
        marker: PhantomData,
    })
}

struct CodeVisitor<T> {
    expecting: &'static str,
    numeric_strings: bool,
    marker: PhantomData<T>,
}

impl<T: From<i64>> Visitor<'_> for CodeVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Ok(T::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        i64::try_from(v)
            .map(T::from)
            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        if !self.numeric_strings {
            return Err(E::invalid_type(de::Unexpected::Str(v), &self));
        }
        v.parse::<i64>()
            .map(T::from)
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

#[cfg(test)]
mod tests {
    use crate::classroom_site::ClassroomActivityType;
    use crate::message::CommentTarget;

    #[test]
    fn integers_decode_and_strings_only_where_allowed() {
        let target: CommentTarget = serde_json::from_str("2").unwrap();
        assert_eq!(target, CommentTarget::Studio);
        assert_eq!(
            serde_json::from_str::<CommentTarget>("99").unwrap(),
            CommentTarget::Unknown(99)
        );
        assert!(serde_json::from_str::<CommentTarget>(r#""2""#).is_err());
        assert!(serde_json::from_str::<CommentTarget>("18446744073709551615").is_err());
        assert!(serde_json::from_str::<CommentTarget>("1.5").is_err());

        let activity: ClassroomActivityType = serde_json::from_str(r#""11""#).unwrap();
        assert_eq!(activity, ClassroomActivityType::RemixProject);
        assert_eq!(
            serde_json::from_str::<ClassroomActivityType>("0").unwrap(),
            ClassroomActivityType::FollowUser
        );
        assert!(serde_json::from_str::<ClassroomActivityType>(r#""x""#).is_err());
    }
}
