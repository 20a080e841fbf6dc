//! `scratch studio <id>`: a studio's details, and optionally its projects, curators and
//! managers.

use clap::Args;
use clap::Subcommand;
use scratchkit::{Host, StudioHandler};
use scratchkit_model::{ProjectId, Studio, StudioId};
use serde_json::json;

use crate::commands::args::{ListArgs, PageArgs};
use crate::commands::comment::done;
use crate::commands::{Ctx, Listing, one_list, show_list, show_resource};
use crate::exit::{CliError, CliResult};
use crate::output::{Out, count, date, excerpt};

/// `scratch studio`: `scratch studio <ID> [--projects…]`, or `scratch studio <action> …`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct StudioArgs {
    /// An action instead of showing a studio.
    #[command(subcommand)]
    pub action: Option<StudioAction>,

    /// The studio ID (the number in https://scratch.mit.edu/studios/<ID>).
    #[arg(required = true)]
    pub id: Option<u64>,

    /// Also list the studio's projects.
    #[arg(long)]
    pub projects: bool,

    /// Also list the studio's curators.
    #[arg(long)]
    pub curators: bool,

    /// Also list the studio's managers.
    #[arg(long)]
    pub managers: bool,

    /// Which page of the lists.
    #[command(flatten)]
    pub page: PageArgs,

    /// Every item of the one list asked for, fetched 40 at a time (with `--json`: one JSON
    /// object per line).
    #[arg(long)]
    pub all: bool,

    /// With `--all`: stop after this many items.
    #[arg(long, requires = "all", value_name = "N")]
    pub max: Option<usize>,
}

/// The `scratch studio` actions (`scratch studio <id>` alone shows the studio).
#[derive(Debug, Subcommand)]
pub enum StudioAction {
    /// Create a studio (Scratchers only), optionally with a title and description.
    #[command(
        after_help = "Examples:\n  scratch studio create --title Platformers --description \"Add yours!\""
    )]
    Create {
        /// Its title.
        #[arg(long)]
        title: Option<String>,
        /// Its description.
        #[arg(long)]
        description: Option<String>,
    },
    /// Set a studio's title (managers).
    #[command(after_help = "Examples:\n  scratch studio set-title 5342 \"Best games\"")]
    SetTitle {
        /// The studio ID.
        id: u64,
        /// The new title.
        title: String,
    },
    /// Set a studio's description (managers).
    #[command(after_help = "Examples:\n  scratch studio set-description 5342 \"Games only\"")]
    SetDescription {
        /// The studio ID.
        id: u64,
        /// The new description.
        text: String,
    },
    /// Add a project to a studio.
    #[command(after_help = "Examples:\n  scratch studio add-project 5342 104")]
    AddProject {
        /// The studio ID.
        id: u64,
        /// The project ID.
        project: u64,
    },
    /// Remove a project from a studio.
    #[command(after_help = "Examples:\n  scratch studio remove-project 5342 104")]
    RemoveProject {
        /// The studio ID.
        id: u64,
        /// The project ID.
        project: u64,
    },
    /// Invite a user to curate a studio (managers).
    #[command(after_help = "Examples:\n  scratch studio invite 5342 griffpatch")]
    Invite {
        /// The studio ID.
        id: u64,
        /// The user.
        username: String,
    },
    /// Accept an invitation to curate a studio.
    #[command(after_help = "Examples:\n  scratch studio accept-invite 5342")]
    AcceptInvite {
        /// The studio ID.
        id: u64,
    },
    /// Make a curator a manager (managers).
    #[command(after_help = "Examples:\n  scratch studio promote 5342 griffpatch")]
    Promote {
        /// The studio ID.
        id: u64,
        /// The curator.
        username: String,
    },
    /// Remove a curator or manager (managers).
    #[command(after_help = "Examples:\n  scratch studio remove-curator 5342 griffpatch")]
    RemoveCurator {
        /// The studio ID.
        id: u64,
        /// The curator.
        username: String,
    },
    /// Turn commenting on a studio on or off (read first: only changes what differs).
    #[command(
        after_help = "Examples:\n  scratch studio commenting 5342 off\n  scratch studio commenting 5342 on"
    )]
    Commenting {
        /// The studio ID.
        id: u64,
        /// `on` or `off`.
        #[arg(value_parser = ["on", "off"])]
        state: String,
    },
    /// Make another manager the host of a studio you host (Scratch asks for your password:
    /// SCRATCH_PASSWORD, or a prompt without echo).
    #[command(after_help = "\
Examples:
  scratch studio transfer 5342 kakurenbo
  SCRATCH_PASSWORD=… scratch studio transfer 5342 kakurenbo --json")]
    Transfer {
        /// The studio ID.
        id: u64,
        /// The new host (a manager of the studio).
        username: String,
    },
    /// Delete a studio you host. Needs --yes: the studio, its comments and its curators' list
    /// go away for everyone.
    #[command(after_help = "Examples:\n  scratch studio delete 5342 --yes")]
    Delete {
        /// The studio ID.
        id: u64,
        /// Really delete it.
        #[arg(long)]
        yes: bool,
    },
    /// Stop curating a studio.
    #[command(after_help = "Examples:\n  scratch studio leave 5342")]
    Leave {
        /// The studio ID.
        id: u64,
    },
    /// Follow a studio.
    #[command(after_help = "Examples:\n  scratch studio follow 5342")]
    Follow {
        /// The studio ID.
        id: u64,
    },
    /// Stop following a studio.
    #[command(after_help = "Examples:\n  scratch studio unfollow 5342")]
    Unfollow {
        /// The studio ID.
        id: u64,
    },
    /// Let everyone add projects (managers).
    #[command(after_help = "Examples:\n  scratch studio open 5342")]
    Open {
        /// The studio ID.
        id: u64,
    },
    /// Let only curators add projects (managers).
    #[command(after_help = "Examples:\n  scratch studio close 5342")]
    Close {
        /// The studio ID.
        id: u64,
    },
    /// Your role in a studio: manager, curator, invited, following.
    #[command(after_help = "Examples:\n  scratch studio role 5342 --json")]
    Role {
        /// The studio ID.
        id: u64,
    },
    /// A studio's activity (projects added, curators invited…), newest first.
    #[command(after_help = "Examples:\n  scratch studio activity 5342 --limit 10")]
    Activity {
        /// The studio ID.
        id: u64,
        /// Which items.
        #[command(flatten)]
        list: ListArgs,
    },
}

/// Runs `scratch studio`: shows a studio, or does an action.
///
/// # Errors
/// As [`show`] and the actions: no login for a write (exit 4), no such studio (3), a refused
/// action (1), network (5).
pub async fn run(ctx: &Ctx, args: StudioArgs) -> CliResult {
    let Some(action) = args.action else {
        return show(ctx, args).await;
    };
    if let StudioAction::Activity { id, list } = action {
        return show_list!(ctx, ctx.client.studio(StudioId(id)).activity(), list);
    }
    if let StudioAction::Delete { id, yes: false } = action {
        return Err(CliError::Usage(format!(
            "deleting studio {id} cannot be undone here: add --yes to really delete it"
        )));
    }
    ctx.ensure_login().await?;
    let studio = |id: u64| ctx.client.studio(StudioId(id));
    let (value, message) = match action {
        StudioAction::Create { title, description } => {
            let handler = ctx.client.create_studio().await?;
            if let Some(title) = &title {
                handler.set_title(title).await?;
            }
            if let Some(description) = &description {
                handler.set_description(description).await?;
            }
            let id = handler.id();
            (
                json!({"id": id, "title": title, "description": description}),
                format!("Created studio {id}."),
            )
        }
        StudioAction::SetTitle { id, title } => {
            studio(id).set_title(&title).await?;
            (
                json!({"id": id, "title": title}),
                format!("Studio {id} is now called \"{title}\"."),
            )
        }
        StudioAction::SetDescription { id, text } => {
            studio(id).set_description(&text).await?;
            (
                json!({"id": id, "description": text}),
                format!("Set the description of studio {id}."),
            )
        }
        StudioAction::AddProject { id, project } => {
            studio(id).add_project(ProjectId(project)).await?;
            (
                json!({"id": id, "added": project}),
                format!("Added project {project} to studio {id}."),
            )
        }
        StudioAction::RemoveProject { id, project } => {
            studio(id).remove_project(ProjectId(project)).await?;
            (
                json!({"id": id, "removed": project}),
                format!("Removed project {project} from studio {id}."),
            )
        }
        StudioAction::Invite { id, username } => {
            studio(id).invite_curator(&username).await?;
            (
                json!({"id": id, "invited": username}),
                format!("Invited {username} to curate studio {id}."),
            )
        }
        StudioAction::AcceptInvite { id } => {
            studio(id).accept_invite().await?;
            (
                json!({"id": id, "curator": true}),
                format!("You now curate studio {id}."),
            )
        }
        StudioAction::Promote { id, username } => {
            studio(id).promote(&username).await?;
            (
                json!({"id": id, "promoted": username}),
                format!("{username} now manages studio {id}."),
            )
        }
        StudioAction::RemoveCurator { id, username } => {
            studio(id).remove_curator(&username).await?;
            (
                json!({"id": id, "removed_curator": username}),
                format!("Removed {username} from studio {id}."),
            )
        }
        StudioAction::Commenting { id, state } => {
            let on = state == "on";
            let changed = studio(id).set_commenting(on).await?;
            (
                json!({"id": id, "comments_allowed": on, "changed": changed}),
                format!(
                    "Commenting on studio {id} is {state}{}.",
                    if changed { "" } else { " (it already was)" }
                ),
            )
        }
        StudioAction::Leave { id } => {
            studio(id).leave().await?;
            (
                json!({"id": id, "curator": false}),
                format!("You left studio {id}."),
            )
        }
        StudioAction::Follow { id } => {
            studio(id).follow().await?;
            (
                json!({"id": id, "following": true}),
                format!("Following studio {id}."),
            )
        }
        StudioAction::Unfollow { id } => {
            studio(id).unfollow().await?;
            (
                json!({"id": id, "following": false}),
                format!("No longer following studio {id}."),
            )
        }
        StudioAction::Open { id } => {
            studio(id).open_to_everyone().await?;
            (
                json!({"id": id, "open_to_all": true}),
                format!("Everyone can add projects to studio {id}."),
            )
        }
        StudioAction::Close { id } => {
            studio(id).close_to_everyone().await?;
            (
                json!({"id": id, "open_to_all": false}),
                format!("Only curators can add projects to studio {id}."),
            )
        }
        StudioAction::Role { id } => {
            let role = studio(id).my_role().await?;
            let mut roles = Vec::new();
            for (yes, name) in [
                (role.manager, "manager"),
                (role.curator, "curator"),
                (role.invited, "invited"),
                (role.following, "following"),
            ] {
                if yes {
                    roles.push(name);
                }
            }
            let roles = if roles.is_empty() {
                "none".to_owned()
            } else {
                roles.join(", ")
            };
            (
                serde_json::to_value(role)?,
                format!("Studio {id}: {roles}."),
            )
        }
        StudioAction::Transfer { id, username } => {
            let password = crate::commands::account::current_password()?;
            studio(id).transfer_host(&username, &password).await?;
            (
                json!({"id": id, "host": username}),
                format!("{username} is now the host of studio {id}."),
            )
        }
        StudioAction::Delete { id, .. } => {
            studio(id).delete().await?;
            (
                json!({"id": id, "deleted": true}),
                format!("Deleted studio {id}."),
            )
        }
        StudioAction::Activity { .. } => return Ok(()),
    };
    done(ctx, &value, &message)
}

/// Shows a studio (and the lists asked for).
///
/// # Errors
/// No such studio (exit 3), network or server failures (5).
pub async fn show(ctx: &Ctx, args: StudioArgs) -> CliResult {
    let Some(id) = args.id else {
        return Err(CliError::Usage(
            "which studio? `scratch studio <ID>` (see `scratch studio --help`)".into(),
        ));
    };
    let handler = ctx.client.studio(StudioId(id));
    if args.all {
        let list = ListArgs {
            page: args.page,
            all: true,
            max: args.max,
        };
        return match one_list(&[
            (args.projects, "--projects"),
            (args.curators, "--curators"),
            (args.managers, "--managers"),
        ])? {
            "--projects" => show_list!(ctx, handler.projects(), list),
            "--curators" => show_list!(ctx, handler.curators(), list),
            _ => show_list!(ctx, handler.managers(), list),
        };
    }
    let studio = handler.info().await?;
    let (limit, offset) = (args.page.limit, args.page.offset);

    let mut listings = Vec::new();
    if args.projects {
        let page = handler.projects().limit(limit).offset(offset).await?;
        listings.push(Listing::new("projects", "Projects", &page)?);
    }
    if args.curators {
        let page = handler.curators().limit(limit).offset(offset).await?;
        listings.push(Listing::new("curators", "Curators", &page)?);
    }
    if args.managers {
        let page = handler.managers().limit(limit).offset(offset).await?;
        listings.push(Listing::new("managers", "Managers", &page)?);
    }
    let link = ctx
        .client
        .hosts()
        .url(Host::Site, &format!("/studios/{}/", studio.id))
        .to_string();
    // Only people see the host's name; JSON keeps the studio as Scratch sends it.
    let host = if ctx.out.is_json() {
        None
    } else {
        host_name(&handler, &studio).await
    };
    show_resource(&ctx.out, "studio", &studio, listings, |out| {
        card(out, &studio, host.as_deref(), &link)
    })
}

/// The host's username, from the first page of the studio's managers (one request; Scratch
/// lists the host first). `None` when the studio has no host, the request fails or the host is
/// not on that page: the card then shows the host's id.
pub async fn host_name(handler: &StudioHandler, studio: &Studio) -> Option<String> {
    let host = studio.host?;
    match handler.managers().limit(40).await {
        Ok(page) => page
            .items
            .into_iter()
            .find(|u| u.id == host)
            .map(|u| u.username),
        Err(e) => {
            tracing::debug!("no host name for studio {}: {e}", studio.id);
            None
        }
    }
}

/// What the card shows as the host: the username when known, else `user <id>`.
fn host_label(studio: &Studio, host_name: Option<&str>) -> String {
    match (host_name, studio.host) {
        (Some(name), _) => name.to_owned(),
        (None, Some(id)) => format!("user {id}"),
        (None, None) => String::new(),
    }
}

/// The studio for people; `host_name` is the host's username when it could be looked up
/// ([`host_name`]).
pub fn card(out: &Out, studio: &Studio, host_name: Option<&str>, link: &str) -> CliResult {
    let note = if studio.open_to_all {
        "open to everyone"
    } else {
        "curated"
    };
    out.title(&studio.title, note)?;
    let s = studio.stats;
    out.fields(&[
        ("ID", studio.id.to_string()),
        ("Host", host_label(studio, host_name)),
        ("Created", date(studio.history.created)),
        ("Modified", date(studio.history.modified)),
        (
            "Stats",
            format!(
                "{} · {} · {} · {}",
                count(s.projects, "project", "projects"),
                count(s.followers, "follower", "followers"),
                count(s.managers, "manager", "managers"),
                count(s.comments, "comment", "comments")
            ),
        ),
        ("About", excerpt(&studio.description, 4, 100)),
        ("Link", out.accent(link)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use scratchkit_model::UserId;

    #[test]
    fn the_host_is_named_when_known_else_shown_by_id() {
        let mut studio: Studio = serde_json::from_value(json!({"id": 5342, "title": "S"})).unwrap();
        assert_eq!(host_label(&studio, None), "");
        studio.host = Some(UserId(167));
        assert_eq!(host_label(&studio, None), "user 167");
        assert_eq!(host_label(&studio, Some("mres")), "mres");
    }
}
