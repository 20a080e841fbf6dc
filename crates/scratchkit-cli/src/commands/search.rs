//! `scratch search <query>`: search projects or studios.

use clap::Args;

use crate::commands::args::ListArgs;
use crate::commands::explore::Mode;
use crate::commands::{Ctx, show_list};
use crate::exit::CliResult;

/// `scratch search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to search for.
    pub query: String,

    /// Search studios instead of projects.
    #[arg(long)]
    pub studios: bool,

    /// The ordering.
    #[arg(long, value_enum, default_value_t = Mode::Popular)]
    pub mode: Mode,

    /// Prefer items in this language (a code such as `en`, `de`, `ja`).
    #[arg(long, value_name = "CODE")]
    pub language: Option<String>,

    /// Which items.
    #[command(flatten)]
    pub list: ListArgs,
}

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
