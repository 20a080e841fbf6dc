//! serde helper for keys that may be absent, `null`, or hold a value, kept apart as
//! `Option<Option<T>>`: absent → `None`, `null` → `Some(None)`. Use with
//! `#[serde(default, skip_serializing_if = "Option::is_none", deserialize_with =
//! "crate::nullable::deserialize")]`; serde's own `Option<Option<T>>` writes `Some(None)` as
//! `null`, so a value encodes back with the keys it came with.

use serde::{Deserialize, Deserializer};

/// Reads a key that was sent, `null` included (an absent key never reaches here).
pub(crate) fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}
