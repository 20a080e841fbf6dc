//! `scratch explore`: trending, popular or recent projects or studios.

use clap::{Args, ValueEnum};
use scratchkit_model::ExploreMode;

use crate::commands::args::ListArgs;
use crate::commands::{Ctx, show_list};
use crate::exit::CliResult;

/// The explore and search orderings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// What is popular right now.
    Trending,
    /// Most loved and viewed overall.
    Popular,
    /// Newest first.
    Recent,
}

impl From<Mode> for ExploreMode {
    fn from(mode: Mode) -> Self {
        match mode {
            Mode::Trending => ExploreMode::Trending,
            Mode::Popular => ExploreMode::Popular,
            Mode::Recent => ExploreMode::Recent,
        }
    }
}

/// `scratch explore`.
#[derive(Debug, Args)]
pub struct ExploreArgs {
    /// The ordering.
    #[arg(long, value_enum, default_value_t = Mode::Trending)]
    pub mode: Mode,

    /// Only items with this tag (`*` for all).
    #[arg(long, value_name = "TAG")]
    pub query: Option<String>,

    /// Prefer items in this language (a code such as `en`, `de`, `ja`).
    #[arg(long, value_name = "CODE")]
    pub language: Option<String>,

    /// Explore studios instead of projects.
    #[arg(long)]
    pub studios: bool,

    /// Which items.
    #[command(flatten)]
    pub list: ListArgs,
}

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
