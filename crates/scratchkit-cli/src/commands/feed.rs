//! `scratch feed`: what the people and studios you follow are doing.

use clap::{Args, ValueEnum};

use crate::commands::args::ListArgs;
use crate::commands::{Ctx, show_list};
use crate::exit::CliResult;

/// `scratch feed`.
#[derive(Debug, Args)]
pub struct FeedArgs {
    /// Which feed.
    #[arg(value_enum, default_value_t = Feed::Happening)]
    pub feed: Feed,

    /// Which items.
    #[command(flatten)]
    pub list: ListArgs,
}

/// The feeds of the front page (logged in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Feed {
    /// "What's happening": activity of the people you follow.
    Happening,
    /// Projects loved by the people you follow.
    Loves,
    /// Projects shared by the people you follow.
    Projects,
    /// Projects added to the studios you follow.
    Studios,
    /// Projects you viewed recently.
    Viewed,
}

/// Shows a feed.
///
/// # Errors
/// No login (exit 4), network or server failures (5).
pub async fn run(ctx: &Ctx, args: FeedArgs) -> CliResult {
    ctx.ensure_login().await?;
    let client = &ctx.client;
    match args.feed {
        Feed::Happening => show_list!(ctx, client.me().whats_happening(), args.list),
        Feed::Loves => show_list!(ctx, client.me().following_loves(), args.list),
        Feed::Projects => show_list!(ctx, client.me().following_projects(), args.list),
        Feed::Studios => show_list!(ctx, client.me().followed_studios_projects(), args.list),
        Feed::Viewed => show_list!(ctx, client.me().recently_viewed(), args.list),
    }
}
