//! Scratch's response shapes, built from store rows. Field order follows the live API.

mod api;
mod session;
mod site;

use serde::ser::{Serialize, SerializeMap, Serializer};

pub(crate) use api::*;
pub(crate) use session::{
    logged_in as session_logged_in, logged_out as session_logged_out, mute_status,
};
pub(crate) use site::*;

/// The avatar sizes, in the order of the keys as served (sorted, like a `serde_json::Map`).
const USER_IMAGE_SIZES: [&str; 5] = ["32x32", "50x50", "55x55", "60x60", "90x90"];

/// `https://cdn2.scratch.mit.edu/get_image/user/<id>_<w>x<h>.png?v=` for the five avatar
/// sizes, serialized as a JSON object straight into the output (no map, no strings built: it
/// is written a dozen times per project of a list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UserImages(pub i64);

impl Serialize for UserImages {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(USER_IMAGE_SIZES.len()))?;
        for size in USER_IMAGE_SIZES {
            map.serialize_entry(
                size,
                &format_args!(
                    "https://cdn2.scratch.mit.edu/get_image/user/{}_{size}.png?v=",
                    self.0
                ),
            )?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_images_are_the_five_sorted_avatar_urls() {
        let value = serde_json::to_value(UserImages(42)).unwrap();
        let map = value.as_object().unwrap();
        assert_eq!(map.len(), 5);
        assert_eq!(
            map["60x60"],
            "https://cdn2.scratch.mit.edu/get_image/user/42_60x60.png?v="
        );
        let text = serde_json::to_string(&UserImages(42)).unwrap();
        let keys: Vec<usize> = USER_IMAGE_SIZES
            .iter()
            .map(|size| text.find(&format!("\"{size}\":")).unwrap())
            .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{text}");
    }
}
