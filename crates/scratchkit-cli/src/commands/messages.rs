//! `scratch messages`: your messages (with a filter), their count, and marking them read.

use clap::{Args, Subcommand, ValueEnum};
use scratchkit::MessageFilter;
use serde_json::json;

use crate::commands::args::ListArgs;
use crate::commands::comment::done;
use crate::commands::{Ctx, show_list};
use crate::exit::CliResult;

/// `scratch messages`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct MessagesArgs {
    /// `count` or `clear` (default: list the messages).
    #[command(subcommand)]
    pub action: Option<MessagesAction>,

    /// Only one kind of message.
    #[arg(long, value_enum, default_value_t = Filter::All)]
    pub filter: Filter,

    /// Which messages.
    #[command(flatten)]
    pub list: ListArgs,
}

/// The `scratch messages` actions.
#[derive(Debug, Subcommand)]
pub enum MessagesAction {
    /// How many unread messages you have.
    #[command(after_help = "Examples:\n  scratch messages count")]
    Count,
    /// Mark every message as read.
    #[command(after_help = "Examples:\n  scratch messages clear")]
    Clear,
    /// Messages from the Scratch Team (alerts).
    #[command(
        after_help = "Examples:\n  scratch messages admin\n  scratch messages admin --all --json"
    )]
    Admin {
        /// Which alerts.
        #[command(flatten)]
        list: ListArgs,
    },
}

/// The kinds of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Filter {
    /// Every message.
    All,
    /// Comments and replies.
    Comments,
    /// Loves, favourites and remixes of your projects.
    Projects,
    /// Studio activity and invitations.
    Studios,
    /// Forum posts in topics you follow.
    Forums,
}

impl From<Filter> for MessageFilter {
    fn from(filter: Filter) -> Self {
        match filter {
            Filter::All => MessageFilter::All,
            Filter::Comments => MessageFilter::Comments,
            Filter::Projects => MessageFilter::Projects,
            Filter::Studios => MessageFilter::Studios,
            Filter::Forums => MessageFilter::Forums,
        }
    }
}

/// Lists, counts or clears your messages.
///
/// # Errors
/// No login (exit 4), network or server failures (5).
pub async fn run(ctx: &Ctx, args: MessagesArgs) -> CliResult {
    let me = ctx.ensure_login().await?;
    match args.action {
        None => show_list!(ctx, ctx.client.me().messages(args.filter.into()), args.list),
        Some(MessagesAction::Count) => {
            let count = ctx.client.me().message_count().await?;
            done(
                ctx,
                &json!({"username": me.username, "count": count}),
                &format!(
                    "{} unread message{}.",
                    count,
                    if count == 1 { "" } else { "s" }
                ),
            )
        }
        Some(MessagesAction::Admin { list }) => {
            show_list!(ctx, ctx.client.me().admin_messages(), list)
        }
        Some(MessagesAction::Clear) => {
            ctx.client.me().clear_messages().await?;
            done(
                ctx,
                &json!({"cleared": true}),
                "Marked every message as read.",
            )
        }
    }
}
