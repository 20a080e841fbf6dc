//! The old Scratch site ("scratchr2") as HTML: the page types and their parsers (feature
//! `html`).
//!
//! Some Scratch features exist only as HTML pages: profile comments, the profile page (rank,
//! class), follower/project counts, a user's activity feed, the nfe status and the whole forum.
//! The calls that fetch them live with their resource ([`UserHandler`](crate::UserHandler),
//! [`CommentsHandler`](crate::CommentsHandler), [`ProjectHandler`](crate::ProjectHandler),
//! the [`forums`](crate::forums) module); this module gathers the types they return and the
//! pure parsers behind them, for callers that have a page of their own to read.
//!
//! Every scraper is a pure function `parse_…(html, url)` that never panics: a page without the
//! expected structure is an [`Error::Scrape`](crate::Error::Scrape) naming the missing element,
//! never an empty list that would hide a layout change.
//!
//! No real recording of these pages exists: the structures follow the parsers that work against
//! the live site (scratchattach, scapi, scratchclient), see the project's `reference/html.md`.
//!
//! | page | call | types and parser here |
//! |---|---|---|
//! | profile comments | [`UserHandler::comments`](crate::UserHandler::comments) | [`ProfileComment`], [`parse_profile_comments`], [`parse_posted_comment`], [`comment_post_refusal`] |
//! | profile page | [`UserHandler::profile_page`](crate::UserHandler::profile_page), [`UserHandler::counts`](crate::UserHandler::counts) | [`ProfilePage`], [`ProfileCounts`], [`parse_profile_page`], [`parse_profile_count`] |
//! | loved projects, favorites page | [`UserHandler::loved_projects`](crate::UserHandler::loved_projects), [`UserHandler::favorites_page`](crate::UserHandler::favorites_page) | [`GridProject`], [`parse_project_grid`] |
//! | activity feed | [`UserHandler::activity`](crate::UserHandler::activity) | [`ActivityEvent`], [`parse_user_activity`] |
//! | nfe status | [`ProjectHandler::nfe_status`](crate::ProjectHandler::nfe_status) | [`NfeStatus`] |
//! | forums | [`Client::forum`](crate::Client::forum) | in [`forums`](crate::forums) |
//!
//! ```no_run
//! # async fn demo() -> scratchkit::Result<()> {
//! let client = scratchkit::Client::new();
//! let mres = client.user("mres");
//! println!("{:?}", mres.profile_page().await?.rank);
//! for comment in mres.comments().list().limit(10).await? {
//!     println!("{}: {}", comment.author.username, comment.content);
//! }
//! # Ok(())
//! # }
//! ```

pub(crate) mod dom;

pub use crate::comments::profile::{
    ProfileComment, comment_post_refusal, parse_posted_comment, parse_profile_comments,
};
pub use crate::projects::NfeStatus;
pub use crate::users::{
    ActivityEvent, ActivityKind, ActivityTarget, ProfileCount, ProfileCounts, ProfilePage, Rank,
    StudentClass, TargetKind, parse_profile_count, parse_profile_page, parse_relative_time,
    parse_user_activity,
};
pub use crate::users::{GridProject, parse_project_grid};
