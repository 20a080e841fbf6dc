//! `scratch news`: the news on Scratch's front page.

use clap::Args;

use crate::commands::args::ListArgs;
use crate::commands::{Ctx, show_list};
use crate::exit::CliResult;

/// `scratch news`.
#[derive(Debug, Args)]
pub struct NewsArgs {
    /// Which items.
    #[command(flatten)]
    pub list: ListArgs,
}

/// Shows the news.
///
/// # Errors
/// Network or server failures (exit 5).
pub async fn run(ctx: &Ctx, args: NewsArgs) -> CliResult {
    show_list!(ctx, ctx.client.news(), args.list)
}
