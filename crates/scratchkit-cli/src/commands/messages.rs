//! `scratch messages`: your messages (with a filter), their count, and marking them read.

use clap::{Args, Subcommand, ValueEnum};
use scratchkit::MessageFilter;
use serde_json::json;

use crate::commands::args::ListArgs;
use crate::commands::comment::done;
use crate::commands::{Ctx, show_list};
use crate::exit::CliResult;
use crate::rows::Tabular;

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

    /// Keep running and print each new message as it arrives (Ctrl-C stops; with `--json`:
    /// one JSON object per line). Polls the unread count, reads the list only when it grows.
    #[arg(long, conflicts_with_all = ["all", "filter"])]
    pub follow: bool,

    /// With `--follow`: seconds between two polls (at least 1).
    #[arg(long, requires = "follow", default_value_t = 30, value_name = "SECS",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub interval: u64,

    /// With `--follow`: first print the messages that are unread now.
    #[arg(long, requires = "follow")]
    pub unread: bool,
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
    if args.follow {
        return follow(ctx, &args).await;
    }
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

/// `scratch messages --follow`: new messages as they arrive, until Ctrl-C. A failed poll is
/// reported on stderr and polling goes on; a login that is refused ends the command.
///
/// # Errors
/// The session is refused (exit 4), output failures.
async fn follow(ctx: &Ctx, args: &MessagesArgs) -> CliResult {
    use futures_util::StreamExt;

    let events = ctx
        .client
        .me()
        .message_events()
        .interval(std::time::Duration::from_secs(args.interval))
        .include_unread(args.unread)
        .stream();
    let mut events = std::pin::pin!(events);
    while let Some(event) = events.next().await {
        let message = match event {
            Ok(message) => message,
            Err(e @ (scratchkit::Error::SessionExpired | scratchkit::Error::LoginRequired)) => {
                return Err(e.into());
            }
            Err(error) => {
                tracing::warn!(%error, "polling the messages failed; trying again");
                continue;
            }
        };
        if ctx.out.is_json() {
            ctx.out.json_line(&message)?;
        } else {
            let cells = message.cells();
            ctx.out.line(format!(
                "{}  {}  {}",
                ctx.out.dim(&cells[0]),
                ctx.out.bold(&cells[1]),
                cells[2]
            ))?;
        }
    }
    Ok(())
}
