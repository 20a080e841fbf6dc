//! [`Visibility`]: the `visibility` string of projects, studios and comments.

use crate::lenient::string_enum;

string_enum! {
    /// Whether an object is shown, as Scratch's `visibility` string.
    ///
    /// ```
    /// use scratchkit_model::Visibility;
    /// let v: Visibility = serde_json::from_str("\"visible\"").unwrap();
    /// assert_eq!(v, Visibility::Visible);
    /// let odd: Visibility = serde_json::from_str("\"censbyadmin\"").unwrap();
    /// assert_eq!(odd.as_str(), "censbyadmin");
    /// ```
    Visibility {
        /// `visible`: shown normally.
        Visible = "visible",
        /// `notvisible`: hidden (seen in public type definitions of the api).
        NotVisible = "notvisible",
        /// `trshbyusr`: moved to the trash by its owner (site-api).
        TrashedByUser = "trshbyusr",
        /// `delbyusr`: deleted by its owner (site-api).
        DeletedByUser = "delbyusr",
    }
}
