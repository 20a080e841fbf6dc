//! [`ExploreMode`]: the `mode` query parameter of explore and search.

use crate::lenient::string_enum;

string_enum! {
    /// Sort order of `/explore/{projects,studios}` and `/search/{projects,studios}`
    /// (`mode=trending|popular|recent`).
    ///
    /// ```
    /// use scratchkit_model::ExploreMode;
    /// assert_eq!(ExploreMode::Trending.as_str(), "trending");
    /// assert_eq!(ExploreMode::from("recent"), ExploreMode::Recent);
    /// ```
    ExploreMode {
        /// `trending`.
        Trending = "trending",
        /// `popular`.
        Popular = "popular",
        /// `recent`.
        Recent = "recent",
    }
}
