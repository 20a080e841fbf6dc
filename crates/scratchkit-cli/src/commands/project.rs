//! `scratch project <id>`: a project's details, and optionally its comments and remixes.

use scratchkit::Host;
use scratchkit_model::{Project, ProjectId};

use crate::cli::ProjectArgs;
use crate::commands::{Ctx, Listing, show_resource};
use crate::exit::CliResult;
use crate::output::{Out, count, date, excerpt};

/// Shows a project (and the lists asked for).
///
/// # Errors
/// No such (shared) project (exit 3), network or server failures (5).
pub async fn run(ctx: &Ctx, args: ProjectArgs) -> CliResult {
    let id = ProjectId(args.id);
    let project = ctx.client.project(id).info().await?;
    let (limit, offset) = (args.page.limit, args.page.offset);
    // The author is known now: comment paths need it, and this saves the handler a lookup.
    let handler = match &project.author.username {
        Some(author) => ctx.client.project(id).by(author.as_str()),
        None => ctx.client.project(id),
    };

    let mut listings = Vec::new();
    if args.comments {
        let page = handler.comments().limit(limit).offset(offset).await?;
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
