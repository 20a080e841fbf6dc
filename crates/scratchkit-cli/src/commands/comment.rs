//! `scratch comment`: list, post, reply to, delete and report comments on projects, studios
//! and profiles.

use clap::{Args, Subcommand, ValueEnum};
use scratchkit::{Client, CommentsHandler};
use scratchkit_model::{CommentId, ProjectId, StudioId};
use serde_json::{Value, json};

use crate::commands::args::ListArgs;
use crate::commands::{Ctx, show_list};
use crate::exit::{CliError, CliResult};

/// `scratch comment`.
#[derive(Debug, Args)]
pub struct CommentArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: CommentAction,
}

/// Where comments live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Place {
    /// A project (TARGET is its ID).
    Project,
    /// A studio (TARGET is its ID).
    Studio,
    /// A user's profile (TARGET is the username).
    Profile,
}

/// The `scratch comment` actions.
#[derive(Debug, Subcommand)]
pub enum CommentAction {
    /// List the comments (top-level, newest first).
    #[command(after_help = "\
Examples:
  scratch comment list project 104
  scratch comment list profile griffpatch --json")]
    List {
        /// Where.
        place: Place,
        /// The project or studio ID, or the username.
        target: String,
        /// Which comments.
        #[command(flatten)]
        list: ListArgs,
    },
    /// The replies to a comment.
    #[command(after_help = "\
Examples:
  scratch comment replies project 104 12345
  scratch comment replies studio 5342 678 --all --json")]
    Replies {
        /// Where.
        place: Place,
        /// The project or studio ID, or the username.
        target: String,
        /// The top-level comment's ID.
        comment: u64,
        /// Which replies.
        #[command(flatten)]
        list: ListArgs,
    },
    /// Post a comment (needs a login).
    #[command(after_help = "\
Examples:
  scratch comment post project 104 \"Nice work!\"
  scratch comment post profile griffpatch \"Hi!\"")]
    Post {
        /// Where.
        place: Place,
        /// The project or studio ID, or the username.
        target: String,
        /// The comment (at most 500 characters).
        text: String,
    },
    /// Reply to a comment (needs a login); the reply notifies its author.
    #[command(after_help = "\
Examples:
  scratch comment reply project 104 123456 \"Thanks!\"
  scratch comment reply studio 5342 987 \"Welcome\"")]
    Reply {
        /// Where.
        place: Place,
        /// The project or studio ID, or the username.
        target: String,
        /// The comment answered.
        comment: u64,
        /// The reply.
        text: String,
    },
    /// Delete a comment (yours, or any on something you own; needs a login).
    #[command(after_help = "\
Examples:
  scratch comment delete project 104 123456")]
    Delete {
        /// Where.
        place: Place,
        /// The project or studio ID, or the username.
        target: String,
        /// The comment.
        comment: u64,
    },
    /// Report a comment to the Scratch Team (needs a login).
    #[command(after_help = "\
Examples:
  scratch comment report profile griffpatch 123456")]
    Report {
        /// Where.
        place: Place,
        /// The project or studio ID, or the username.
        target: String,
        /// The comment.
        comment: u64,
    },
}

impl CommentAction {
    /// Where the action's comments live, and the target as typed.
    pub(crate) fn place_and_target(&self) -> (Place, &str) {
        match self {
            CommentAction::List { place, target, .. }
            | CommentAction::Replies { place, target, .. }
            | CommentAction::Post { place, target, .. }
            | CommentAction::Reply { place, target, .. }
            | CommentAction::Delete { place, target, .. }
            | CommentAction::Report { place, target, .. } => (*place, target),
        }
    }
}

/// A comment's target, checked.
pub(crate) enum Target {
    Project(ProjectId),
    Studio(StudioId),
    Profile(String),
}

impl Target {
    pub(crate) fn parse(place: Place, target: &str) -> CliResult<Self> {
        let id = || {
            target
                .trim()
                .parse::<u64>()
                .map_err(|_| CliError::Usage(format!("{target:?} is not a project or studio ID")))
        };
        Ok(match place {
            Place::Project => Target::Project(ProjectId(id()?)),
            Place::Studio => Target::Studio(StudioId(id()?)),
            Place::Profile => Target::Profile(target.to_owned()),
        })
    }

    fn describe(&self) -> String {
        match self {
            Target::Project(id) => format!("project {id}"),
            Target::Studio(id) => format!("studio {id}"),
            Target::Profile(name) => format!("{name}'s profile"),
        }
    }

    /// The comments handler of the target: every action below is the same for the three
    /// places.
    fn comments(&self, client: &Client) -> CommentsHandler {
        match self {
            Target::Project(id) => client.project(*id).comments(),
            Target::Studio(id) => client.studio(*id).comments(),
            Target::Profile(name) => client.user(name.as_str()).comments(),
        }
    }
}

/// Runs a `scratch comment` action.
///
/// # Errors
/// No login for a write (exit 4), no such target or comment (3), a refused comment (1),
/// network or server failures (5).
pub async fn run(ctx: &Ctx, args: CommentArgs) -> CliResult {
    match args.action {
        CommentAction::List {
            place,
            target,
            list,
        } => {
            let comments = Target::parse(place, &target)?.comments(&ctx.client);
            show_list!(ctx, comments.list(), list)
        }
        CommentAction::Replies {
            place,
            target,
            comment,
            list,
        } => {
            let comments = Target::parse(place, &target)?.comments(&ctx.client);
            show_list!(ctx, comments.replies(CommentId(comment)), list)
        }
        CommentAction::Post {
            place,
            target,
            text,
        } => {
            let target = Target::parse(place, &target)?;
            ctx.ensure_login().await?;
            let posted = target.comments(&ctx.client).post(&text).await?;
            done(
                ctx,
                &serde_json::to_value(&posted)?,
                &format!("Posted comment #{} on {}.", posted.id, target.describe()),
            )
        }
        CommentAction::Reply {
            place,
            target,
            comment,
            text,
        } => {
            let target = Target::parse(place, &target)?;
            ctx.ensure_login().await?;
            let comments = target.comments(&ctx.client);
            let parent = comments.get(CommentId(comment)).await?;
            let posted = comments.reply_to(&parent, &text).await?;
            done(
                ctx,
                &serde_json::to_value(&posted)?,
                &format!(
                    "Replied to #{comment} on {} (reply #{}).",
                    target.describe(),
                    posted.id
                ),
            )
        }
        CommentAction::Delete {
            place,
            target,
            comment,
        } => {
            let target = Target::parse(place, &target)?;
            ctx.ensure_login().await?;
            target
                .comments(&ctx.client)
                .delete(CommentId(comment))
                .await?;
            done(
                ctx,
                &json!({"deleted": comment}),
                &format!("Deleted comment #{comment} on {}.", target.describe()),
            )
        }
        CommentAction::Report {
            place,
            target,
            comment,
        } => {
            let target = Target::parse(place, &target)?;
            ctx.ensure_login().await?;
            target
                .comments(&ctx.client)
                .report(CommentId(comment))
                .await?;
            done(
                ctx,
                &json!({"reported": comment}),
                &format!("Reported comment #{comment} on {}.", target.describe()),
            )
        }
    }
}

/// Prints the result of a write: `value` as JSON, or `message` for people.
pub fn done(ctx: &Ctx, value: &Value, message: &str) -> CliResult {
    if ctx.out.is_json() {
        ctx.out.json(value)
    } else {
        ctx.out.line(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_checked_before_anything_is_sent() {
        assert!(matches!(
            Target::parse(Place::Project, "104").unwrap(),
            Target::Project(ProjectId(104))
        ));
        let err = Target::parse(Place::Studio, "abc").err().unwrap();
        assert_eq!(err.exit_code(), crate::exit::USAGE);
        let profile = Target::parse(Place::Profile, "griffpatch").unwrap();
        assert_eq!(profile.describe(), "griffpatch's profile");
    }
}
