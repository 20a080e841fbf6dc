//! Scratch's response shapes, built from store rows. Field order follows the live API.

mod api;
mod session;
mod site;

pub(crate) use api::*;
pub(crate) use session::{
    logged_in as session_logged_in, logged_out as session_logged_out, mute_status,
};
pub(crate) use site::*;

/// `https://cdn2.scratch.mit.edu/get_image/user/<id>_<w>x<h>.png?v=` for the five avatar sizes.
pub(crate) fn user_images(id: i64) -> serde_json::Map<String, serde_json::Value> {
    ["90x90", "60x60", "55x55", "50x50", "32x32"]
        .into_iter()
        .map(|size| {
            (
                size.to_owned(),
                serde_json::Value::String(format!(
                    "https://cdn2.scratch.mit.edu/get_image/user/{id}_{size}.png?v="
                )),
            )
        })
        .collect()
}
