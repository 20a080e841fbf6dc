//! Scratch's response shapes, built from store rows. Field order follows the live API.

mod activity;
mod api;
mod image_urls;
mod project_writer;
mod session;
mod site;

pub(crate) use activity::{feed_item, message, recorded_activity, studio_activity};
pub(crate) use api::*;
pub(crate) use image_urls::{ImageUrl, ProjectImages, UserImages};
pub(crate) use project_writer::{PROJECT_CAPACITY, project_list, write_project};
pub(crate) use session::{
    logged_in as session_logged_in, logged_out as session_logged_out, mute_status,
};
pub(crate) use site::*;

/// A store id (an SQLite integer, never negative) as the unsigned number of the model's ids.
pub(crate) fn unsigned(id: i64) -> u64 {
    u64::try_from(id).unwrap_or_default()
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
        let keys: Vec<usize> = ["32x32", "50x50", "55x55", "60x60", "90x90"]
            .iter()
            .map(|size| text.find(&format!("\"{size}\":")).unwrap())
            .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{text}");
    }
}
