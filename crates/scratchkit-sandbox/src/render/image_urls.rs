//! cdn2 image URLs (avatars, thumbnails), serialized straight into the output: each URL is
//! built in a stack buffer with digits written by hand and handed to `serialize_str` (no
//! `format_args!`, no `String`). They are written a dozen times per project of a list.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::asciibuf::{AsciiBuf, push_decimal};

/// Room for the longest URL: the prefix, `project/`, two `i64`s and the longest suffix.
const URL_CAPACITY: usize = 128;

/// `https://cdn2.scratch.mit.edu/get_image/<kind>/<id>_` (`kind_prefix` ends with `/`): the
/// part shared by every size of one image. A `String` (not an [`AsciiBuf`]) so that each
/// size's URL is a few `push_str`s and no UTF-8 check.
fn image_base(kind_prefix: &str, id: i64) -> String {
    let mut url = String::with_capacity(URL_CAPACITY);
    url.push_str(kind_prefix);
    push_decimal(&mut url, id);
    url.push('_');
    url
}

/// The user avatar prefix.
pub(super) const USER_PREFIX: &str = "https://cdn2.scratch.mit.edu/get_image/user/";

/// The project thumbnail prefix.
pub(super) const PROJECT_PREFIX: &str = "https://cdn2.scratch.mit.edu/get_image/project/";

/// The studio thumbnail prefix.
const GALLERY_PREFIX: &str = "https://cdn2.scratch.mit.edu/get_image/gallery/";

/// The avatar sizes, in the order of the keys as served (sorted, like a `serde_json::Map`).
pub(super) const USER_IMAGE_SIZES: [&str; 5] = ["32x32", "50x50", "55x55", "60x60", "90x90"];

/// `https://cdn2.scratch.mit.edu/get_image/user/<id>_<w>x<h>.png?v=` for the five avatar
/// sizes, as a JSON object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UserImages(pub i64);

impl UserImages {
    /// Calls `f` with each size and its URL, in key order.
    fn try_each<E>(self, mut f: impl FnMut(&'static str, &str) -> Result<(), E>) -> Result<(), E> {
        let mut url = image_base(USER_PREFIX, self.0);
        let base = url.len();
        for size in USER_IMAGE_SIZES {
            url.truncate(base);
            url.push_str(size);
            url.push_str(".png?v=");
            f(size, &url)?;
        }
        Ok(())
    }

    /// The same URLs as the client's model type.
    pub(crate) fn to_images(self) -> scratchkit_model::Images {
        let mut images = scratchkit_model::Images::new();
        let _ = self.try_each(|size, url| {
            images.insert(size, url);
            Ok::<(), std::convert::Infallible>(())
        });
        images
    }
}

impl Serialize for UserImages {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(USER_IMAGE_SIZES.len()))?;
        self.try_each(|size, url| map.serialize_entry(size, url))?;
        map.end()
    }
}

/// The thumbnail sizes of a project, in the order of the keys as served (sorted, like a
/// `serde_json::Map`).
pub(super) const PROJECT_IMAGE_SIZES: [&str; 6] = [
    "100x80", "135x102", "144x108", "200x200", "216x163", "282x218",
];

/// `https://cdn2.scratch.mit.edu/get_image/project/<id>_<w>x<h>.png?v=<version>` for the six
/// thumbnail sizes, as a JSON object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ProjectImages {
    /// The project.
    pub id: i64,
    /// The `?v=` value (the project's modification time).
    pub version: i64,
}

impl Serialize for ProjectImages {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(PROJECT_IMAGE_SIZES.len()))?;
        let mut version = AsciiBuf::<20>::new();
        version.push_i64(self.version);
        let mut url = image_base(PROJECT_PREFIX, self.id);
        let base = url.len();
        for size in PROJECT_IMAGE_SIZES {
            url.truncate(base);
            url.push_str(size);
            url.push_str(".png?v=");
            url.push_str(version.as_str());
            map.serialize_entry(size, url.as_str())?;
        }
        map.end()
    }
}

/// One image URL without a query: `…/get_image/<kind>/<id>_<size>.png`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ImageUrl {
    /// The URL up to the id (one of the `*_PREFIX` constants).
    kind_prefix: &'static str,
    id: i64,
    size: &'static str,
}

impl ImageUrl {
    /// A project's 480x360 thumbnail.
    pub(crate) const fn project(id: i64) -> Self {
        ImageUrl {
            kind_prefix: PROJECT_PREFIX,
            id,
            size: "480x360",
        }
    }

    /// A user's 60x60 avatar (comment authors).
    pub(crate) const fn user_60(id: i64) -> Self {
        ImageUrl {
            kind_prefix: USER_PREFIX,
            id,
            size: "60x60",
        }
    }

    /// A studio's 170x100 thumbnail.
    pub(crate) const fn studio(id: i64) -> Self {
        ImageUrl {
            kind_prefix: GALLERY_PREFIX,
            id,
            size: "170x100",
        }
    }
}

impl ImageUrl {
    /// The URL as text.
    pub(crate) fn to_url(self) -> String {
        let mut url = image_base(self.kind_prefix, self.id);
        url.push_str(self.size);
        url.push_str(".png");
        url
    }
}

impl Serialize for ImageUrl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_url())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids around the edges: zero, negatives, the largest and smallest `i64`.
    const IDS: [i64; 7] = [0, 1, 42, -7, 2_000_002_010, i64::MAX, i64::MIN];

    fn text(value: impl Serialize) -> String {
        serde_json::to_string(&value).unwrap()
    }

    #[test]
    fn user_images_match_the_formatted_urls() {
        for id in IDS {
            let expected: serde_json::Map<String, serde_json::Value> = USER_IMAGE_SIZES
                .iter()
                .map(|size| {
                    (
                        (*size).to_owned(),
                        format!("https://cdn2.scratch.mit.edu/get_image/user/{id}_{size}.png?v=")
                            .into(),
                    )
                })
                .collect();
            assert_eq!(
                text(UserImages(id)),
                serde_json::to_string(&expected).unwrap()
            );
        }
    }

    #[test]
    fn project_images_match_the_formatted_urls() {
        for id in IDS {
            for version in [0, 1_748_736_000, -1, i64::MIN] {
                let expected: serde_json::Map<String, serde_json::Value> = PROJECT_IMAGE_SIZES
                    .iter()
                    .map(|size| {
                        (
                            (*size).to_owned(),
                            format!(
                                "https://cdn2.scratch.mit.edu/get_image/project/{id}_{size}.png?v={version}"
                            )
                            .into(),
                        )
                    })
                    .collect();
                assert_eq!(
                    text(ProjectImages { id, version }),
                    serde_json::to_string(&expected).unwrap()
                );
            }
        }
    }

    #[test]
    fn single_urls_match_the_formatted_urls() {
        for id in IDS {
            assert_eq!(
                text(ImageUrl::project(id)),
                format!("\"https://cdn2.scratch.mit.edu/get_image/project/{id}_480x360.png\"")
            );
            assert_eq!(
                text(ImageUrl::user_60(id)),
                format!("\"https://cdn2.scratch.mit.edu/get_image/user/{id}_60x60.png\"")
            );
            assert_eq!(
                text(ImageUrl::studio(id)),
                format!("\"https://cdn2.scratch.mit.edu/get_image/gallery/{id}_170x100.png\"")
            );
        }
    }
}
