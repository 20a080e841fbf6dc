//! `scratch news`: the news on Scratch's front page.

use crate::cli::NewsArgs;
use crate::commands::{Ctx, show_list};
use crate::exit::CliResult;

/// Shows the news.
///
/// # Errors
/// Network or server failures (exit 5).
pub async fn run(ctx: &Ctx, args: NewsArgs) -> CliResult {
    show_list!(ctx, ctx.client.news(), args.list)
}
