//! `scratch follow` and `scratch unfollow`: follow users.

use clap::Args;
use serde_json::json;

use crate::commands::Ctx;
use crate::commands::comment::done;
use crate::exit::{CliError, CliResult};

/// `scratch follow` / `scratch unfollow`.
#[derive(Debug, Args)]
pub struct FollowArgs {
    /// The user.
    pub username: String,
}

/// Follows (or, with `follow == false`, unfollows) a user.
///
/// # Errors
/// No login (exit 4), yourself as the user (2), no such user (3), network or server failures
/// (5).
pub async fn run(ctx: &Ctx, args: FollowArgs, follow: bool) -> CliResult {
    let me = ctx.ensure_login().await?;
    if me.username.eq_ignore_ascii_case(&args.username) {
        // Scratch answers a bare 400 page; say what is wrong before sending anything.
        return Err(CliError::Usage(format!(
            "you are logged in as {}: you cannot {} yourself",
            me.username,
            if follow { "follow" } else { "unfollow" }
        )));
    }
    let user = ctx.client.user(args.username.as_str());
    if follow {
        user.follow().await?;
    } else {
        user.unfollow().await?;
    }
    let name = &args.username;
    let message = if follow {
        format!("Following {name}.")
    } else {
        format!("No longer following {name}.")
    };
    done(
        ctx,
        &json!({"username": name, "following": follow}),
        &message,
    )
}
