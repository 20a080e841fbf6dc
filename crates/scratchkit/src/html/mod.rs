//! The old Scratch site ("scratchr2") as HTML, and the third-party services the client
//! supports (feature `html`).
//!
//! Some Scratch features exist only as HTML pages: profile comments, the profile page (rank,
//! class), follower/project counts, a user's activity feed and the whole forum. This module
//! fetches and scrapes them. Every scraper is a pure function `parse_…(html, url)` that never
//! panics: a page without the expected structure is an [`Error::Scrape`](crate::Error::Scrape)
//! naming the missing element, never an empty list that would hide a layout change.
//!
//! No real recording of these pages exists: the structures follow the parsers that work against
//! the live site (scratchattach, scapi, scratchclient), see the project's `reference/html.md`.
//!
//! | what | handler |
//! |---|---|
//! | profile comments, profile page, counts, activity | [`Client::profile`](crate::Client::profile) → [`ProfileHandler`] |
//! | forum index, categories, topics, posts, feeds, forms | [`Client::forum`](crate::Client::forum) → [`ForumHandler`](forums::ForumHandler) |
//! | my-ocular statuses and reactions | [`Client::ocular`](crate::Client::ocular) → [`OcularHandler`] |
//! | nfe ("not for everyone") | [`Client::nfe_status`](crate::Client::nfe_status) |
//!
//! ```no_run
//! # async fn demo() -> scratchkit::Result<()> {
//! let client = scratchkit::Client::new();
//! let mres = client.profile("mres");
//! println!("{:?}", mres.page().await?.rank);
//! for comment in mres.comments_page(1).await? {
//!     println!("{}: {}", comment.author, comment.content);
//! }
//! # Ok(())
//! # }
//! ```

pub(crate) mod dom;
pub mod forums;
mod nfe;
mod ocular;
mod profile;
mod profile_comments;
mod profile_page;
mod user_activity;

pub use nfe::NfeStatus;
pub use ocular::{OCULAR_EMOJI, OcularHandler, OcularReaction};
pub use profile::ProfileHandler;
pub use profile_comments::{
    ProfileComment, comment_post_refusal, parse_posted_comment, parse_profile_comments,
};
pub use profile_page::{
    ProfileCount, ProfileCounts, ProfilePage, Rank, StudentClass, parse_profile_count,
    parse_profile_page,
};
pub use user_activity::{
    ActivityEvent, ActivityKind, ActivityTarget, TargetKind, parse_relative_time,
    parse_user_activity,
};
