//! `scratch studio <id>`: a studio's details, and optionally its projects, curators and
//! managers.

use scratchkit::Host;
use scratchkit_model::{Studio, StudioId};

use crate::cli::StudioArgs;
use crate::commands::{Ctx, Listing, show_resource};
use crate::exit::CliResult;
use crate::output::{Out, count, date, excerpt};

/// Shows a studio (and the lists asked for).
///
/// # Errors
/// No such studio (exit 3), network or server failures (5).
pub async fn run(ctx: &Ctx, args: StudioArgs) -> CliResult {
    let handler = ctx.client.studio(StudioId(args.id));
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
    show_resource(&ctx.out, "studio", &studio, listings, |out| {
        card(out, &studio, &link)
    })
}

/// The studio for people.
pub fn card(out: &Out, studio: &Studio, link: &str) -> CliResult {
    let note = if studio.open_to_all {
        "open to everyone"
    } else {
        "curated"
    };
    out.title(&studio.title, note)?;
    let s = studio.stats;
    out.fields(&[
        ("ID", studio.id.to_string()),
        (
            "Host",
            studio.host.map(|h| format!("user {h}")).unwrap_or_default(),
        ),
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
