//! `scratch comment`: list, post, reply to, delete and report comments on projects, studios
//! and profiles.

use clap::{Args, Subcommand, ValueEnum};
use futures_util::{StreamExt, TryStreamExt};
use scratchkit::html::ProfileComment;
use scratchkit_model::{Comment, CommentId, ProjectId, StudioId};
use serde_json::{Value, json};

use crate::cli::PageArgs;
use crate::commands::{Ctx, show_page};
use crate::exit::{CliError, CliResult};
use crate::output::{Table, date, one_line, thousands};

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
        page: PageArgs,
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

/// A comment's target, checked.
enum Target {
    Project(ProjectId),
    Studio(StudioId),
    Profile(String),
}

impl Target {
    fn parse(place: Place, target: &str) -> CliResult<Self> {
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
            page,
        } => list(ctx, Target::parse(place, &target)?, page).await,
        CommentAction::Post {
            place,
            target,
            text,
        } => {
            let target = Target::parse(place, &target)?;
            ctx.ensure_login().await?;
            let posted = match &target {
                Target::Project(id) => {
                    comment_json(&ctx.client.project(*id).post_comment(&text).await?)?
                }
                Target::Studio(id) => {
                    comment_json(&ctx.client.studio(*id).post_comment(&text).await?)?
                }
                Target::Profile(name) => profile_json(
                    &ctx.client
                        .profile(name.as_str())
                        .post_comment(&text)
                        .await?,
                ),
            };
            done(
                ctx,
                &posted,
                &format!("Posted comment #{} on {}.", posted["id"], target.describe()),
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
            let id = CommentId(comment);
            let posted = match &target {
                Target::Project(pid) => {
                    let handler = ctx.client.project(*pid);
                    let parent = handler.comment(id).await?;
                    comment_json(&handler.reply_to(&parent, &text).await?)?
                }
                Target::Studio(sid) => {
                    let handler = ctx.client.studio(*sid);
                    let parent = handler.comment(id).await?;
                    comment_json(&handler.reply_to(&parent, &text).await?)?
                }
                Target::Profile(name) => {
                    let profile = ctx.client.profile(name.as_str());
                    let parent = profile.comment(id).await?;
                    let commentee = match parent.author_id {
                        Some(user) => user,
                        None => ctx.client.user(parent.author.as_str()).info().await?.id,
                    };
                    let top = parent.parent_id.unwrap_or(parent.id);
                    profile_json(&profile.reply_to_comment(top, commentee, &text).await?)
                }
            };
            done(
                ctx,
                &posted,
                &format!(
                    "Replied to #{comment} on {} (reply #{}).",
                    target.describe(),
                    posted["id"]
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
            let id = CommentId(comment);
            match &target {
                Target::Project(pid) => ctx.client.project(*pid).delete_comment(id).await?,
                Target::Studio(sid) => ctx.client.studio(*sid).delete_comment(id).await?,
                Target::Profile(name) => {
                    ctx.client.profile(name.as_str()).delete_comment(id).await?
                }
            }
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
            let id = CommentId(comment);
            match &target {
                Target::Project(pid) => ctx.client.project(*pid).report_comment(id).await?,
                Target::Studio(sid) => ctx.client.studio(*sid).report_comment(id).await?,
                Target::Profile(name) => {
                    ctx.client.profile(name.as_str()).report_comment(id).await?
                }
            }
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

async fn list(ctx: &Ctx, target: Target, page: PageArgs) -> CliResult {
    match target {
        Target::Project(id) => {
            let handler = ctx.client.project(id);
            let info = handler.info().await?;
            let handler = match &info.author.username {
                Some(author) => ctx.client.project(id).by(author.as_str()),
                None => handler,
            };
            let list = handler
                .comments()
                .limit(page.limit)
                .offset(page.offset)
                .await?;
            show_page(&ctx.out, &list)
        }
        Target::Studio(id) => {
            let list = ctx
                .client
                .studio(id)
                .comments()
                .limit(page.limit)
                .offset(page.offset)
                .await?;
            show_page(&ctx.out, &list)
        }
        Target::Profile(name) => {
            // The old site serves profile comments in pages of its own size: read them in
            // order, skipping `--offset` comments and keeping `--limit` (and one more, to know
            // whether there are more), as for projects and studios.
            let profile = ctx.client.profile(name.as_str());
            let offset = usize::try_from(page.offset).unwrap_or(usize::MAX);
            let limit = usize::try_from(page.limit).unwrap_or(usize::MAX);
            let mut comments: Vec<ProfileComment> = profile
                .comments()
                .skip(offset)
                .take(limit.saturating_add(1))
                .try_collect()
                .await?;
            if comments.is_empty() && offset == 0 {
                // The list ends at the first 404: ask for page 1 again so that an unknown
                // user is reported as not found rather than shown as an empty list.
                comments = profile.comments_page(1).await?;
            }
            let more = comments.len() > limit;
            comments.truncate(limit);
            if ctx.out.is_json() {
                let all: Vec<Value> = comments.iter().map(profile_json).collect();
                return ctx.out.json(&all);
            }
            ctx.out.table(profile_table(&comments))?;
            if more {
                let next = page.offset.saturating_add(page.limit);
                // One comment past the limit was read, so more certainly follow.
                ctx.out.more_hint(&format!("--offset {next}"), true)?;
            }
            Ok(())
        }
    }
}

/// A project or studio comment as JSON.
fn comment_json(comment: &Comment) -> CliResult<Value> {
    Ok(serde_json::to_value(comment)?)
}

/// A profile comment (an old-site HTML comment) as JSON, replies included.
pub fn profile_json(c: &ProfileComment) -> Value {
    json!({
        "id": c.id,
        "author": c.author,
        "author_id": c.author_id,
        "content": c.content,
        "created": c.created,
        "parent_id": c.parent_id,
        "replies": c.replies.iter().map(profile_json).collect::<Vec<_>>(),
    })
}

/// Profile comments as a table (the same columns as other comments).
pub fn profile_table(comments: &[ProfileComment]) -> Table {
    let mut table = Table::new(&["ID", "Author", "Date", "Replies", "Comment"]).right(&[0, 3]);
    for c in comments {
        table.row(vec![
            c.id.to_string(),
            c.author.clone(),
            date(c.created),
            thousands(c.replies.len() as u64),
            one_line(&c.content, 60),
        ]);
    }
    table
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
