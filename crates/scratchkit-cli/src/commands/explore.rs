//! `scratch explore`: trending, popular or recent projects or studios.

use crate::cli::ExploreArgs;
use crate::commands::{Ctx, show_list};
use crate::exit::CliResult;

/// Shows explore results.
///
/// # Errors
/// Network or server failures (exit 5).
pub async fn run(ctx: &Ctx, args: ExploreArgs) -> CliResult {
    let explore = ctx.client.explore();
    let mode = args.mode.into();
    if args.studios {
        let mut request = explore.studios().mode(mode);
        if let Some(tag) = args.query {
            request = request.query(tag);
        }
        if let Some(code) = args.language {
            request = request.language(code);
        }
        show_list!(ctx, request, args.list)
    } else {
        let mut request = explore.projects().mode(mode);
        if let Some(tag) = args.query {
            request = request.query(tag);
        }
        if let Some(code) = args.language {
            request = request.language(code);
        }
        show_list!(ctx, request, args.list)
    }
}
