//! [`Images`]: the size → URL maps Scratch attaches to users, projects and classes.
//!
//! Every project of a list carries two of these maps (eleven URLs), so their representation
//! matters: a map of owned strings cost two allocations per entry plus tree nodes, about a third
//! of the client's instructions when decoding a page of projects. [`Images`] keeps all sizes and
//! URLs in one string and their boundaries in one vector, and decodes straight into them.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A map from an image size (`"90x90"`, `"282x218"`…) to its URL.
///
/// User images (`profile.images`) have the sizes `90x90`, `60x60`, `55x55`, `50x50`, `32x32`
/// and URLs ending in `?v=`; project `images` have `282x218`, `216x163`, `200x200`, `144x108`,
/// `135x102`, `100x80` and URLs ending in `?v=<unix seconds>`. The map keeps any size the server
/// sends, in sorted key order (a repeated key keeps its last URL, like a JSON object read into a
/// map); it serializes back as a JSON object in that order.
///
/// ```
/// use scratchkit_model::Images;
/// let images: Images = serde_json::from_str(r#"{"90x90":"https://a/90.png?v="}"#).unwrap();
/// assert_eq!(images.get("90x90"), Some("https://a/90.png?v="));
/// assert_eq!(images.get("32x32"), None);
/// assert_eq!(images.len(), 1);
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Images {
    /// Every key followed by its value, entry after entry.
    text: String,
    /// For each entry, in key order: where its key ends and where its value ends in `text`.
    /// An entry starts where the previous one's value ends (or at 0).
    ends: Vec<(u32, u32)>,
}

impl Images {
    /// An empty map.
    ///
    /// ```
    /// assert!(scratchkit_model::Images::new().is_empty());
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The URL for a size key such as `"90x90"`.
    #[must_use]
    pub fn get(&self, size: &str) -> Option<&str> {
        self.iter()
            .find(|(key, _)| *key == size)
            .map(|(_, url)| url)
    }

    /// The URL of the largest image (by width × height parsed from the key), if any.
    ///
    /// ```
    /// use scratchkit_model::Images;
    /// let images: Images = [("50x50", "small"), ("282x218", "big")].into_iter().collect();
    /// assert_eq!(images.largest(), Some("big"));
    /// ```
    #[must_use]
    pub fn largest(&self) -> Option<&str> {
        self.iter()
            .max_by_key(|(size, _)| area(size))
            .map(|(_, url)| url)
    }

    /// Whether the map is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// How many sizes the map holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The `(size, url)` pairs in sorted size order.
    ///
    /// ```
    /// use scratchkit_model::Images;
    /// let images: Images = [("90x90", "b"), ("32x32", "a")].into_iter().collect();
    /// let pairs: Vec<(&str, &str)> = images.iter().collect();
    /// assert_eq!(pairs, [("32x32", "a"), ("90x90", "b")]);
    /// ```
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            images: self,
            index: 0,
        }
    }

    /// Sets the URL of `size`, replacing any URL it had.
    ///
    /// ```
    /// let mut images = scratchkit_model::Images::new();
    /// images.insert("60x60", "https://cdn2.scratch.mit.edu/get_image/user/1_60x60.png?v=");
    /// images.insert("60x60", "https://example.org/other.png");
    /// assert_eq!(images.get("60x60"), Some("https://example.org/other.png"));
    /// assert_eq!(images.len(), 1);
    /// ```
    pub fn insert(&mut self, size: &str, url: &str) {
        let in_order = self.iter().last().is_none_or(|(last, _)| last < size);
        if in_order && self.push(size, url) {
            return;
        }
        // Out of order, a repeated key, or past the 4 GiB offset range: rebuild.
        let mut pairs: Vec<(String, String)> = self
            .iter()
            .filter(|(key, _)| *key != size)
            .map(|(key, value)| (key.to_owned(), value.to_owned()))
            .collect();
        pairs.push((size.to_owned(), url.to_owned()));
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        self.text.clear();
        self.ends.clear();
        for (key, value) in &pairs {
            // Offsets only overflow past 4 GiB of text; such an entry is dropped, not wrapped.
            let _ = self.push(key, value);
        }
    }

    /// Appends an entry known to sort after every key present. False (and nothing changed)
    /// when the offsets would not fit.
    fn push(&mut self, size: &str, url: &str) -> bool {
        let key_end = self.text.len() + size.len();
        let value_end = key_end + url.len();
        let (Ok(key_end), Ok(value_end)) = (u32::try_from(key_end), u32::try_from(value_end))
        else {
            return false;
        };
        self.text.push_str(size);
        self.text.push_str(url);
        self.ends.push((key_end, value_end));
        true
    }

    /// The entry at `index` (which must be in range).
    fn entry(&self, index: usize) -> (&str, &str) {
        let start = match index.checked_sub(1) {
            Some(previous) => self.ends[previous].1 as usize,
            None => 0,
        };
        let (key_end, value_end) = self.ends[index];
        (
            &self.text[start..key_end as usize],
            &self.text[key_end as usize..value_end as usize],
        )
    }
}

/// The iterator of [`Images::iter`]: `(size, url)` pairs in sorted size order.
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    images: &'a Images,
    index: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.index >= self.images.ends.len() {
            return None;
        }
        let entry = self.images.entry(self.index);
        self.index += 1;
        Some(entry)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.images.ends.len().saturating_sub(self.index);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Images {
    type Item = (&'a str, &'a str);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<K: AsRef<str>, V: AsRef<str>> FromIterator<(K, V)> for Images {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let mut images = Images::new();
        for (size, url) in pairs {
            images.insert(size.as_ref(), url.as_ref());
        }
        images
    }
}

impl fmt::Debug for Images {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for Images {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (size, url) in self {
            map.serialize_entry(size, url)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Images {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ImagesVisitor)
    }
}

struct ImagesVisitor;

impl<'de> Visitor<'de> for ImagesVisitor {
    type Value = Images;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of image sizes to URLs")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Images, A::Error> {
        let mut images = Images::new();
        // Room for a project's six thumbnails without growing; no text is copied twice.
        images.text.reserve(576);
        images.ends.reserve(map.size_hint().unwrap_or(6));
        let mut sorted = true;
        let mut previous_key_start = 0;
        while let Some(key_end) = map.next_key_seed(AppendStr(&mut images.text))? {
            let key_start = images
                .ends
                .last()
                .map_or(0, |&(_, value_end)| value_end as usize);
            let value_end = map.next_value_seed(AppendStr(&mut images.text))?;
            if let (Some(&(previous_key_end, _)), true) = (images.ends.last(), sorted) {
                let previous = &images.text[previous_key_start..previous_key_end as usize];
                sorted = previous < &images.text[key_start..key_end];
            }
            let (Ok(key_end), Ok(value_end)) = (u32::try_from(key_end), u32::try_from(value_end))
            else {
                return Err(de::Error::custom("image map larger than 4 GiB"));
            };
            images.ends.push((key_end, value_end));
            previous_key_start = key_start;
        }
        if !sorted {
            // Rare (the site sends sorted keys): sort and let later repeats win.
            let pairs: Vec<(String, String)> = images
                .iter()
                .map(|(key, value)| (key.to_owned(), value.to_owned()))
                .collect();
            let mut rebuilt = Images::new();
            for (key, value) in &pairs {
                rebuilt.insert(key, value);
            }
            images = rebuilt;
        }
        Ok(images)
    }
}

/// Deserializes a string by appending it to a buffer; yields the buffer's new length.
struct AppendStr<'a>(&'a mut String);

impl<'de> DeserializeSeed<'de> for AppendStr<'_> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for AppendStr<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        self.0.push_str(v);
        Ok(self.0.len())
    }
}

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
    use std::collections::BTreeMap;

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

    #[test]
    fn decodes_like_a_sorted_map_whatever_the_order_and_repeats() {
        let text = r#"{"90x90":"n","32x32":"a","60x60":"s","32x32":"b","é\"x":"q\u00e9"}"#;
        let images: Images = serde_json::from_str(text).unwrap();
        let map: BTreeMap<String, String> = serde_json::from_str(text).unwrap();
        let pairs: Vec<(&str, &str)> = images.iter().collect();
        let expected: Vec<(&str, &str)> =
            map.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(pairs, expected);
        assert_eq!(images.get("32x32"), Some("b"));
        assert_eq!(images.get("é\"x"), Some("qé"));
        assert_eq!(images.len(), 4);
    }

    #[test]
    fn round_trips_through_json_in_sorted_order() {
        let text = r#"{"100x80":"https://a/1?v=2","135x102":"https://a/2","282x218":""}"#;
        let images: Images = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&images).unwrap(), text);
        let again: Images = serde_json::from_str(&serde_json::to_string(&images).unwrap()).unwrap();
        assert_eq!(again, images);
        assert_eq!(serde_json::to_string(&Images::new()).unwrap(), "{}");
    }

    #[test]
    fn non_string_values_are_errors() {
        assert!(serde_json::from_str::<Images>(r#"{"90x90":null}"#).is_err());
        assert!(serde_json::from_str::<Images>(r#"{"90x90":3}"#).is_err());
        assert!(serde_json::from_str::<Images>(r#"["90x90"]"#).is_err());
    }

    #[test]
    fn equal_maps_compare_equal_however_they_were_built() {
        let a: Images = [("b", "2"), ("a", "1")].into_iter().collect();
        let b: Images = serde_json::from_str(r#"{"a":"1","b":"2"}"#).unwrap();
        assert_eq!(a, b);
        assert_eq!(format!("{a:?}"), r#"{"a": "1", "b": "2"}"#);
        let c: Images = [("a", "1")].into_iter().collect();
        assert_ne!(a, c);
    }
}
