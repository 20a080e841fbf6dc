//! Argument groups shared by several commands: which page of a list, or all of it.

use clap::Args;

/// Which part of a list to show.
#[derive(Debug, Clone, Copy, Args)]
pub struct PageArgs {
    /// How many items (1 to 40).
    #[arg(long, short = 'n', default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=40))]
    pub limit: u32,

    /// How many items to skip.
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
}

/// A page of a list, or every item as a stream.
#[derive(Debug, Clone, Copy, Args)]
pub struct ListArgs {
    /// Page options (ignored by `--all` except `--offset`).
    #[command(flatten)]
    pub page: PageArgs,

    /// Every item, fetched 40 at a time (with `--json`: one JSON object per line).
    #[arg(long)]
    pub all: bool,

    /// With `--all`: stop after this many items.
    #[arg(long, requires = "all", value_name = "N")]
    pub max: Option<usize>,
}
