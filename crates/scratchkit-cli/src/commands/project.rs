//! `scratch project <id>`: a project's details, and optionally its comments and remixes;
//! `scratch project <action>`: writes (title, sharing, loves…) and project files.

use std::path::PathBuf;

use clap::Args;
use clap::Subcommand;
use scratchkit::Host;
use scratchkit_model::{Project, ProjectId};
use serde_json::json;

use crate::commands::args::{ListArgs, PageArgs};
use crate::commands::comment::done;
use crate::commands::{
    Ctx, Listing, one_list, project_file, project_local, show_list, show_resource,
};
use crate::exit::{CliError, CliResult};
use crate::output::{Out, count, date, excerpt};

/// `scratch project`: `scratch project <ID> [--comments…]`, or `scratch project <action> …`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ProjectArgs {
    /// An action instead of showing a project.
    #[command(subcommand)]
    pub action: Option<ProjectAction>,

    /// The project ID (the number in https://scratch.mit.edu/projects/<ID>).
    #[arg(required = true)]
    pub id: Option<u64>,

    /// Also list the project's comments.
    #[arg(long)]
    pub comments: bool,

    /// Also list the project's remixes.
    #[arg(long)]
    pub remixes: bool,

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

/// The `scratch project` actions (`scratch project <id>` alone shows the project).
#[derive(Debug, Subcommand)]
pub enum ProjectAction {
    /// Download a project as an .sb3 (project.json and every asset, md5-checked).
    #[command(after_help = "\
Examples:
  scratch project download 104                  writes 104.sb3
  scratch project download 104 -o game.sb3")]
    Download {
        /// The project ID.
        id: u64,
        /// Where to write it (default: <ID>.sb3; a directory: <DIR>/<ID>.sb3).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Create a new (unshared) project from an .sb3 file (needs a login).
    #[command(after_help = "\
Examples:
  scratch project upload game.sb3 --title \"My game\"")]
    Upload {
        /// The .sb3 file.
        file: PathBuf,
        /// The new project's title (default: the file's name).
        #[arg(long)]
        title: Option<String>,
    },
    /// Save an .sb3 file over one of your projects (a new version: the assets it needs, then
    /// its project.json). Title, notes and sharing stay as they are.
    #[command(after_help = "\
Examples:
  scratch project save 1000001 game.sb3
  scratch project download 1000001 -o game.sb3 && scratch project save 1000001 game.sb3")]
    Save {
        /// The project ID (yours).
        id: u64,
        /// The .sb3 file.
        file: PathBuf,
    },
    /// Create a remix of a project from an .sb3 file (typically the project, downloaded and
    /// changed). The new project is yours and unshared.
    #[command(after_help = "\
Examples:
  scratch project download 104 -o mine.sb3
  scratch project remix 104 mine.sb3 --title \"My remix\"")]
    Remix {
        /// The project remixed.
        id: u64,
        /// The .sb3 file of the remix.
        file: PathBuf,
        /// The remix's title (default: Scratch's, \"<original> remix\").
        #[arg(long)]
        title: Option<String>,
    },
    /// What is inside an .sb3 file: sprites, blocks, assets, cloud variables (offline).
    #[command(after_help = "\
Examples:
  scratch project info game.sb3
  scratch project info game.sb3 --json")]
    Info {
        /// The .sb3 file.
        file: PathBuf,
    },
    /// Set the title of one of your projects.
    #[command(after_help = "Examples:\n  scratch project set-title 1000001 \"Space game\"")]
    SetTitle {
        /// The project ID.
        id: u64,
        /// The new title.
        title: String,
    },
    /// Set the instructions of one of your projects.
    #[command(
        after_help = "Examples:\n  scratch project set-instructions 1000001 \"Arrow keys to move\""
    )]
    SetInstructions {
        /// The project ID.
        id: u64,
        /// The new instructions.
        text: String,
    },
    /// Set the notes and credits of one of your projects.
    #[command(after_help = "Examples:\n  scratch project set-notes 1000001 \"Music by …\"")]
    SetNotes {
        /// The project ID.
        id: u64,
        /// The new notes.
        text: String,
    },
    /// Share one of your projects.
    #[command(after_help = "Examples:\n  scratch project share 1000001")]
    Share {
        /// The project ID.
        id: u64,
    },
    /// Unshare one of your projects.
    #[command(after_help = "Examples:\n  scratch project unshare 1000001")]
    Unshare {
        /// The project ID.
        id: u64,
    },
    /// Love a project.
    #[command(after_help = "Examples:\n  scratch project love 104")]
    Love {
        /// The project ID.
        id: u64,
    },
    /// Take back a love.
    #[command(after_help = "Examples:\n  scratch project unlove 104")]
    Unlove {
        /// The project ID.
        id: u64,
    },
    /// Add a project to your favourites.
    #[command(after_help = "Examples:\n  scratch project favorite 104")]
    Favorite {
        /// The project ID.
        id: u64,
    },
    /// Remove a project from your favourites.
    #[command(after_help = "Examples:\n  scratch project unfavorite 104")]
    Unfavorite {
        /// The project ID.
        id: u64,
    },
    /// Count a view of a project.
    #[command(after_help = "Examples:\n  scratch project view 104")]
    View {
        /// The project ID.
        id: u64,
    },
    /// Turn comments on one of your projects on or off.
    #[command(after_help = "Examples:\n  scratch project commenting 1000001 off")]
    Commenting {
        /// The project ID.
        id: u64,
        /// `on` or `off`.
        #[arg(value_parser = ["on", "off"])]
        state: String,
    },
    /// Whether you love and favourite a project (needs a login).
    #[command(after_help = "Examples:\n  scratch project marks 104 --json")]
    Marks {
        /// The project ID.
        id: u64,
    },
    /// The moderation state of one of your projects (censored, trashed, deleted…).
    #[command(after_help = "Examples:\n  scratch project visibility 1000001")]
    Visibility {
        /// The project ID.
        id: u64,
    },
    /// Move one of your projects to the trash.
    #[command(
        after_help = "Examples:\n  scratch project trash 1000001\n  scratch project restore 1000001"
    )]
    Trash {
        /// The project ID.
        id: u64,
    },
    /// Delete every project in your trash for good (Scratch asks for your password:
    /// SCRATCH_PASSWORD, or a prompt without echo). Needs --yes.
    #[command(after_help = "Examples:\n  scratch project empty-trash --yes")]
    EmptyTrash {
        /// Really delete them.
        #[arg(long)]
        yes: bool,
    },
    /// Take one of your projects out of the trash.
    #[command(after_help = "Examples:\n  scratch project restore 1000001")]
    Restore {
        /// The project ID.
        id: u64,
    },
    /// Set the thumbnail of one of your projects from an image file (PNG, JPEG, GIF).
    #[command(after_help = "Examples:\n  scratch project thumbnail 1000001 cover.png")]
    Thumbnail {
        /// The project ID.
        id: u64,
        /// The image file.
        file: PathBuf,
    },
    /// The studios a project is in.
    #[command(
        after_help = "Examples:\n  scratch project studios 104\n  scratch project studios 104 --all --json"
    )]
    Studios {
        /// The project ID.
        id: u64,
        /// Which studios.
        #[command(flatten)]
        list: ListArgs,
    },
    /// Upload one costume or sound file to the assets server (named by its md5, as a
    /// project.json refers to it).
    #[command(after_help = "Examples:\n  scratch project upload-asset cat.svg")]
    UploadAsset {
        /// The file (svg, png, jpg, gif, wav or mp3).
        file: PathBuf,
    },
    /// The "not for everyone" status of a project (jeffalo.net's nfe service).
    #[command(after_help = "Examples:\n  scratch project nfe 104")]
    Nfe {
        /// The project ID.
        id: u64,
    },
    /// Offline project files: unpack, pack, validate, diff.
    #[command(flatten)]
    Local(project_local::LocalAction),
}

/// Runs `scratch project`: shows a project, or does an action.
///
/// # Errors
/// As [`show`] and the actions: no login for a write (exit 4), no such project (3), files
/// (1), network (5).
pub async fn run(ctx: &Ctx, args: ProjectArgs) -> CliResult {
    let Some(action) = args.action else {
        return show(ctx, args).await;
    };
    let client = &ctx.client;
    match action {
        ProjectAction::Download { id, output } => project_file::download(ctx, id, output).await,
        ProjectAction::Upload { file, title } => project_file::upload(ctx, &file, title).await,
        ProjectAction::Save { id, file } => project_file::save(ctx, id, &file).await,
        ProjectAction::Remix { id, file, title } => {
            project_file::remix(ctx, id, &file, title).await
        }
        ProjectAction::Info { file } => project_file::info(&ctx.out, &file),
        ProjectAction::Local(action) => project_local::run(&ctx.out, action),
        ProjectAction::SetTitle { id, title } => {
            ctx.ensure_login().await?;
            let p = client.project(ProjectId(id)).set_title(&title).await?;
            done(
                ctx,
                &serde_json::to_value(&p)?,
                &format!("Project {id} is now called \"{}\".", p.title),
            )
        }
        ProjectAction::SetInstructions { id, text } => {
            ctx.ensure_login().await?;
            let p = client
                .project(ProjectId(id))
                .set_instructions(&text)
                .await?;
            done(
                ctx,
                &serde_json::to_value(&p)?,
                &format!("Set the instructions of project {id}."),
            )
        }
        ProjectAction::SetNotes { id, text } => {
            ctx.ensure_login().await?;
            let p = client.project(ProjectId(id)).set_notes(&text).await?;
            done(
                ctx,
                &serde_json::to_value(&p)?,
                &format!("Set the notes of project {id}."),
            )
        }
        ProjectAction::Share { id } => {
            ctx.ensure_login().await?;
            client.project(ProjectId(id)).share().await?;
            done(
                ctx,
                &json!({"id": id, "shared": true}),
                &format!("Shared project {id}."),
            )
        }
        ProjectAction::Unshare { id } => {
            ctx.ensure_login().await?;
            client.project(ProjectId(id)).unshare().await?;
            done(
                ctx,
                &json!({"id": id, "shared": false}),
                &format!("Unshared project {id}."),
            )
        }
        ProjectAction::Love { id } | ProjectAction::Unlove { id } => {
            let love = matches!(action, ProjectAction::Love { .. });
            ctx.ensure_login().await?;
            let handler = client.project(ProjectId(id));
            let status = if love {
                handler.love().await?
            } else {
                handler.unlove().await?
            };
            let message = match (status.user_love, status.status_changed) {
                (true, true) => format!("Loved project {id}."),
                (true, false) => format!("You already love project {id}."),
                (false, true) => format!("No longer loving project {id}."),
                (false, false) => format!("You did not love project {id}."),
            };
            done(ctx, &serde_json::to_value(&status)?, &message)
        }
        ProjectAction::Favorite { id } | ProjectAction::Unfavorite { id } => {
            let favorite = matches!(action, ProjectAction::Favorite { .. });
            ctx.ensure_login().await?;
            let handler = client.project(ProjectId(id));
            let status = if favorite {
                handler.favorite().await?
            } else {
                handler.unfavorite().await?
            };
            let message = match (status.user_favorite, status.status_changed) {
                (true, true) => format!("Added project {id} to your favourites."),
                (true, false) => format!("Project {id} already is a favourite."),
                (false, true) => format!("Removed project {id} from your favourites."),
                (false, false) => format!("Project {id} was not a favourite."),
            };
            done(ctx, &serde_json::to_value(&status)?, &message)
        }
        ProjectAction::Commenting { id, state } => {
            ctx.ensure_login().await?;
            let on = state == "on";
            client
                .project(ProjectId(id))
                .set_comments_allowed(on)
                .await?;
            done(
                ctx,
                &json!({"id": id, "comments_allowed": on}),
                &format!("Comments on project {id} are {state}."),
            )
        }
        ProjectAction::Marks { id } => {
            ctx.ensure_login().await?;
            let handler = client.project(ProjectId(id));
            let love = handler.love_status().await?;
            let favorite = handler.favorite_status().await?;
            done(
                ctx,
                &json!({"id": id, "loved": love.user_love, "favorited": favorite.user_favorite}),
                &format!(
                    "Project {id}: {}, {}.",
                    if love.user_love { "loved" } else { "not loved" },
                    if favorite.user_favorite {
                        "a favourite"
                    } else {
                        "not a favourite"
                    }
                ),
            )
        }
        ProjectAction::Visibility { id } => {
            ctx.ensure_login().await?;
            let v = client.project(ProjectId(id)).visibility().await?;
            done(ctx, &serde_json::to_value(&v)?, &format!("{v:#?}"))
        }
        ProjectAction::Trash { id } | ProjectAction::Restore { id } => {
            let trash = matches!(action, ProjectAction::Trash { .. });
            ctx.ensure_login().await?;
            let handler = client.project(ProjectId(id));
            if trash {
                handler.trash().await?;
            } else {
                handler.restore().await?;
            }
            done(
                ctx,
                &json!({"id": id, "trashed": trash}),
                &if trash {
                    format!("Moved project {id} to the trash.")
                } else {
                    format!("Restored project {id} from the trash.")
                },
            )
        }
        ProjectAction::EmptyTrash { yes } => {
            if !yes {
                return Err(CliError::Usage(
                    "emptying the trash deletes its projects for good: add --yes".into(),
                ));
            }
            ctx.ensure_login().await?;
            let password = crate::commands::account::current_password()?;
            let deleted = client.me().empty_trash(&password).await?;
            done(
                ctx,
                &json!({"deleted": deleted}),
                &format!(
                    "Deleted {deleted} project{} from your trash for good.",
                    if deleted == 1 { "" } else { "s" }
                ),
            )
        }
        ProjectAction::Thumbnail { id, file } => {
            ctx.ensure_login().await?;
            let image = std::fs::read(&file).map_err(|source| CliError::File {
                path: file.display().to_string(),
                source,
            })?;
            client.project(ProjectId(id)).set_thumbnail(image).await?;
            done(
                ctx,
                &json!({"id": id, "thumbnail": file}),
                &format!("Set the thumbnail of project {id}."),
            )
        }
        ProjectAction::Studios { id, list } => {
            ctx.login_if_available().await?;
            show_list!(ctx, client.project(ProjectId(id)).studios(), list)
        }
        ProjectAction::UploadAsset { file } => {
            ctx.ensure_login().await?;
            let data = std::fs::read(&file).map_err(|source| CliError::File {
                path: file.display().to_string(),
                source,
            })?;
            let ext = file
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or_default()
                .to_owned();
            let name = client.upload_asset(data, &ext).await?;
            done(
                ctx,
                &json!({"file": file, "md5ext": name}),
                &format!("Uploaded {} as {name}.", file.display()),
            )
        }
        ProjectAction::Nfe { id } => {
            let status = client.project(ProjectId(id)).nfe_status().await?;
            done(
                ctx,
                &json!({"id": id, "status": status}),
                &format!("Project {id}: {status:?}"),
            )
        }
        ProjectAction::View { id } => {
            // Views count logged out too.
            client.project(ProjectId(id)).view().await?;
            done(
                ctx,
                &json!({"id": id, "viewed": true}),
                &format!("Counted a view of project {id}."),
            )
        }
    }
}

/// Shows a project (and the lists asked for).
///
/// # Errors
/// No such (shared) project (exit 3), network or server failures (5).
pub async fn show(ctx: &Ctx, args: ProjectArgs) -> CliResult {
    let Some(id) = args.id else {
        return Err(CliError::Usage(
            "which project? `scratch project <ID>` (see `scratch project --help`)".into(),
        ));
    };
    let id = ProjectId(id);
    // An owner sees their unshared project (with its token) only when the lookup is signed.
    ctx.login_if_available().await?;
    if args.all {
        let handler = ctx.client.project(id);
        let list = ListArgs {
            page: args.page,
            all: true,
            max: args.max,
        };
        return match one_list(&[(args.comments, "--comments"), (args.remixes, "--remixes")])? {
            "--comments" => show_list!(ctx, handler.comments().list(), list),
            _ => show_list!(ctx, handler.remixes(), list),
        };
    }
    let project = ctx.client.project(id).info().await?;
    let (limit, offset) = (args.page.limit, args.page.offset);
    // The author is known now: comment paths need it, and this saves the handler a lookup.
    let handler = match &project.author.username {
        Some(author) => ctx.client.project(id).by(author.as_str()),
        None => ctx.client.project(id),
    };

    let mut listings = Vec::new();
    if args.comments {
        let page = handler
            .comments()
            .list()
            .limit(limit)
            .offset(offset)
            .await?;
        listings.push(Listing::new("comments", "Comments", &page)?);
    }
    if args.remixes {
        let page = handler.remixes().limit(limit).offset(offset).await?;
        listings.push(Listing::new("remixes", "Remixes", &page)?);
    }
    let link = ctx
        .client
        .hosts()
        .url(Host::Site, &format!("/projects/{id}/"))
        .to_string();
    show_resource(&ctx.out, "project", &project, listings, |out| {
        card(out, &project, &link)
    })
}

/// The project for people.
pub fn card(out: &Out, project: &Project, link: &str) -> CliResult {
    let author = project.author.username.as_deref().unwrap_or("?");
    out.title(&project.title, &format!("by {author}"))?;
    let s = project.stats;
    let mut fields = vec![
        ("ID", project.id.to_string()),
        ("Shared", date(project.history.shared)),
        ("Modified", date(project.history.modified)),
        (
            "Stats",
            format!(
                "{} · {} · {} · {}",
                count(s.loves, "love", "loves"),
                count(s.favorites, "favourite", "favourites"),
                count(s.views, "view", "views"),
                count(s.remixes, "remix", "remixes")
            ),
        ),
    ];
    if let Some(parent) = project.remix.parent {
        fields.push(("Remix of", parent.to_string()));
    }
    fields.push(("Instructions", excerpt(&project.instructions, 4, 100)));
    fields.push(("Notes", excerpt(&project.description, 4, 100)));
    if !project.comments_allowed {
        fields.push(("Comments", "turned off".to_owned()));
    }
    fields.push(("Link", out.accent(link)));
    out.fields(&fields)
}
