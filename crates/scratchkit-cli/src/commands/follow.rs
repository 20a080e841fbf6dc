//! `scratch follow` and `scratch unfollow`: follow users.

use clap::Args;
use serde_json::json;

use crate::commands::Ctx;
use crate::commands::comment::done;
use crate::exit::CliResult;

/// `scratch follow` / `scratch unfollow`.
#[derive(Debug, Args)]
pub struct FollowArgs {
    /// The user.
    pub username: String,
}

/// Follows (or, with `follow == false`, unfollows) a user.
///
/// # Errors
/// No login (exit 4), no such user (3), network or server failures (5).
pub async fn run(ctx: &Ctx, args: FollowArgs, follow: bool) -> CliResult {
    ctx.ensure_login().await?;
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
