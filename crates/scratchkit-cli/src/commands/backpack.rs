//! `scratch backpack`: the items in your backpack, and removing one.

use clap::{Args, Subcommand};
use serde_json::json;

use crate::commands::args::ListArgs;
use crate::commands::comment::done;
use crate::commands::{Ctx, show_list};
use crate::exit::CliResult;

/// `scratch backpack`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BackpackArgs {
    /// `delete` (default: list the items).
    #[command(subcommand)]
    pub action: Option<BackpackAction>,

    /// Which items.
    #[command(flatten)]
    pub list: ListArgs,
}

/// The `scratch backpack` actions.
#[derive(Debug, Subcommand)]
pub enum BackpackAction {
    /// Remove an item from your backpack.
    #[command(after_help = "Examples:\n  scratch backpack delete 6b1d2a3c-…")]
    Delete {
        /// The item's ID (the first column of `scratch backpack`).
        id: String,
    },
}

/// Lists your backpack, or removes an item.
///
/// # Errors
/// No login (exit 4), a malformed ID (2), network or server failures (5).
pub async fn run(ctx: &Ctx, args: BackpackArgs) -> CliResult {
    ctx.ensure_login().await?;
    match args.action {
        None => show_list!(ctx, ctx.client.me().backpack(), args.list),
        Some(BackpackAction::Delete { id }) => {
            ctx.client.me().delete_from_backpack(&id).await?;
            done(
                ctx,
                &json!({"deleted": id}),
                &format!("Removed {id} from your backpack."),
            )
        }
    }
}
