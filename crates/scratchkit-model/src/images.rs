//! [`Images`]: the size → URL maps Scratch attaches to users, projects and classes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A map from an image size (`"90x90"`, `"282x218"`…) to its URL.
///
/// User images (`profile.images`) have the sizes `90x90`, `60x60`, `55x55`, `50x50`, `32x32`
/// and URLs ending in `?v=`; project `images` have `282x218`, `216x163`, `200x200`, `144x108`,
/// `135x102`, `100x80` and URLs ending in `?v=<unix seconds>`. The map keeps any size the server
/// sends. Keys serialize in sorted order.
///
/// ```
/// use scratchkit_model::Images;
/// let images: Images = serde_json::from_str(r#"{"90x90":"https://a/90.png?v="}"#).unwrap();
/// assert_eq!(images.get("90x90"), Some("https://a/90.png?v="));
/// assert_eq!(images.get("32x32"), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Images(pub BTreeMap<String, String>);

impl Images {
    /// The URL for a size key such as `"90x90"`.
    #[must_use]
    pub fn get(&self, size: &str) -> Option<&str> {
        self.0.get(size).map(String::as_str)
    }

    /// The URL of the largest image (by width × height parsed from the key), if any.
    #[must_use]
    pub fn largest(&self) -> Option<&str> {
        self.0
            .iter()
            .max_by_key(|(size, _)| area(size))
            .map(|(_, url)| url.as_str())
    }

    /// Whether the map is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// `"282x218"` → 282 × 218; unparsable keys count as 0.
fn area(size: &str) -> u64 {
    size.split_once('x')
        .and_then(|(w, h)| {
            Some(
                w.parse::<u64>()
                    .ok()?
                    .saturating_mul(h.parse::<u64>().ok()?),
            )
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_uses_the_area() {
        let images: Images = serde_json::from_str(
            r#"{"100x80":"small","282x218":"big","200x200":"square","odd":"odd"}"#,
        )
        .unwrap();
        assert_eq!(images.largest(), Some("big"));
        assert!(Images::default().largest().is_none());
    }
}
