//! A serde helper for keys that may be absent, `null`, or hold a value, kept apart as
//! `Option<Option<T>>`: absent → `None`, `null` → `Some(None)`.
//!
//! Use it with `#[serde(default, skip_serializing_if = "Option::is_none", deserialize_with =
//! "scratchkit_model::nullable::deserialize")]` (`crate::nullable::deserialize` inside this
//! crate). serde's own `Option<Option<T>>` writes `Some(None)` as `null`, so a value encodes
//! back with the keys it came with. Scratch needs the difference in places: a project
//! comment's `x` may be `null`, and an absent key is not the same file.
//!
//! ```
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Deserialize, Serialize)]
//! struct Comment {
//!     #[serde(
//!         default,
//!         skip_serializing_if = "Option::is_none",
//!         deserialize_with = "scratchkit_model::nullable::deserialize"
//!     )]
//!     x: Option<Option<f64>>,
//! }
//!
//! for text in [r#"{}"#, r#"{"x":null}"#, r#"{"x":1.5}"#] {
//!     let c: Comment = serde_json::from_str(text).unwrap();
//!     assert_eq!(serde_json::to_string(&c).unwrap(), text);
//! }
//! ```

use serde::{Deserialize, Deserializer};

/// Reads a key that was sent, `null` included, as `Some(value or None)` (an absent key never
/// reaches here: `#[serde(default)]` makes it `None`).
///
/// # Errors
/// The deserializer's error when the value is neither `null` nor a `T`.
pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}
