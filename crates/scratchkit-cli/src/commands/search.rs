//! `scratch search <query>`: search projects or studios.

use crate::cli::SearchArgs;
use crate::commands::{Ctx, show_list};
use crate::exit::CliResult;

/// Shows search results.
///
/// # Errors
/// Network or server failures (exit 5).
pub async fn run(ctx: &Ctx, args: SearchArgs) -> CliResult {
    let search = ctx.client.search(args.query);
    let mode = args.mode.into();
    if args.studios {
        let mut request = search.studios().mode(mode);
        if let Some(code) = args.language {
            request = request.language(code);
        }
        show_list!(ctx, request, args.list)
    } else {
        let mut request = search.projects().mode(mode);
        if let Some(code) = args.language {
            request = request.language(code);
        }
        show_list!(ctx, request, args.list)
    }
}
