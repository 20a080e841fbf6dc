//! `scratch account`: the logged-in account: profile text, country, the Scratcher invite, and
//! the session's secrets for another tool.

use clap::{Args, Subcommand};
use scratchkit::secrecy::ExposeSecret;
use serde_json::json;

use crate::commands::Ctx;
use crate::commands::comment::done;
use crate::exit::{CliError, CliResult};

/// `scratch account`.
#[derive(Debug, Args)]
pub struct AccountArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: AccountAction,
}

/// The `scratch account` actions.
#[derive(Debug, Subcommand)]
pub enum AccountAction {
    /// Set "About me" on your profile.
    #[command(after_help = "Examples:\n  scratch account set-bio \"I make platformers.\"")]
    SetBio {
        /// The new text (at most 200 characters).
        text: String,
    },
    /// Set "What I'm working on" on your profile.
    #[command(after_help = "Examples:\n  scratch account set-status \"A racing game\"")]
    SetStatus {
        /// The new text (at most 200 characters).
        text: String,
    },
    /// Set your country (as Scratch names it).
    #[command(after_help = "Examples:\n  scratch account set-country Germany")]
    SetCountry {
        /// The country.
        country: String,
    },
    /// Your pending Scratcher invite, or accept it with --accept.
    #[command(
        after_help = "Examples:\n  scratch account invite\n  scratch account invite --accept"
    )]
    Invite {
        /// Accept the invite: the account becomes a Scratcher.
        #[arg(long)]
        accept: bool,
    },
    /// The session id and X-Token of the login, for handing to another tool. Shown only with
    /// --reveal: anyone holding them is logged in as you.
    #[command(after_help = "\
Examples:
  scratch account secrets                  says what would be shown, shows nothing secret
  scratch account secrets --reveal --json  {\"username\", \"session_id\", \"x_token\"}

Anyone with the session id is logged in as you until you log out (`scratch logout`).")]
    Secrets {
        /// Print the secrets (without this flag nothing secret is printed).
        #[arg(long)]
        reveal: bool,
    },
}

/// Runs `scratch account`.
///
/// # Errors
/// No login (exit 4), a text Scratch refuses (2 or 1), no invite to accept (4), network (5).
pub async fn run(ctx: &Ctx, args: AccountArgs) -> CliResult {
    let me = ctx.ensure_login().await?;
    let account = ctx.client.me();
    match args.action {
        AccountAction::SetBio { text } => {
            account.set_bio(&text).await?;
            done(ctx, &json!({"bio": text}), "Updated \"About me\".")
        }
        AccountAction::SetStatus { text } => {
            account.set_status(&text).await?;
            done(
                ctx,
                &json!({"status": text}),
                "Updated \"What I'm working on\".",
            )
        }
        AccountAction::SetCountry { country } => {
            account.set_country(&country).await?;
            done(
                ctx,
                &json!({"country": country}),
                &format!("Country set to {country}."),
            )
        }
        AccountAction::Invite { accept: false } => {
            let invite = account.scratcher_invite().await?;
            if ctx.out.is_json() {
                return ctx.out.json(&json!({"invite": invite}));
            }
            match invite {
                Some(_) => ctx.out.line(
                    "You are invited to become a Scratcher: accept with `scratch account invite --accept`.",
                ),
                None => ctx.out.line("No pending Scratcher invite."),
            }
        }
        AccountAction::Invite { accept: true } => {
            account.accept_scratcher_invite().await?;
            done(
                ctx,
                &json!({"username": me.username, "scratcher": true}),
                &format!("{} is a Scratcher now.", me.username),
            )
        }
        AccountAction::Secrets { reveal } => {
            let secrets = ctx
                .client
                .session_secrets()
                .ok_or_else(|| CliError::NotLoggedIn("no login to read secrets from".into()))?;
            if !reveal {
                return ctx.out.line(format!(
                    "Logged in as {}. The session id and X-Token are not shown; add --reveal to \
                     print them (anyone holding them is logged in as you).",
                    secrets.username
                ));
            }
            let (session_id, x_token) = (
                secrets.session_id.expose_secret(),
                secrets.x_token.expose_secret(),
            );
            if ctx.out.is_json() {
                return ctx.out.json(&json!({
                    "username": secrets.username,
                    "session_id": session_id,
                    "x_token": x_token,
                }));
            }
            ctx.out.line(format!("username    {}", secrets.username))?;
            ctx.out.line(format!("session_id  {session_id}"))?;
            ctx.out.line(format!("x_token     {x_token}"))
        }
    }
}
