//! `scratch user <name>`: a profile, and optionally the user's lists.

use clap::Args;
use scratchkit::UserHandler;
use scratchkit_model::{Project, ProjectId, User};

use crate::commands::args::PageArgs;
use crate::commands::{Ctx, Listing, show_resource};
use crate::exit::CliResult;
use crate::output::{Out, date, excerpt};

/// `scratch user`.
#[derive(Debug, Args)]
pub struct UserArgs {
    /// The username.
    pub username: String,

    /// Also list the user's shared projects.
    #[arg(long)]
    pub projects: bool,

    /// Also list the user's favourite projects.
    #[arg(long)]
    pub favorites: bool,

    /// Also list the user's followers.
    #[arg(long)]
    pub followers: bool,

    /// Also list whom the user follows.
    #[arg(long)]
    pub following: bool,

    /// Which page of the lists.
    #[command(flatten)]
    pub page: PageArgs,
}

/// Shows a user's profile (and the lists asked for).
///
/// # Errors
/// No such user (exit 3), an invalid name (2), network or server failures (5).
pub async fn run(ctx: &Ctx, args: UserArgs) -> CliResult {
    let handler = ctx.client.user(args.username.as_str());
    let user = handler.info().await?;
    let (limit, offset) = (args.page.limit, args.page.offset);

    let mut listings = Vec::new();
    if args.projects {
        let mut page = handler.projects().limit(limit).offset(offset).await?;
        fill_author(&mut page.items, &user.username);
        listings.push(Listing::new("projects", "Shared projects", &page)?);
    }
    if args.favorites {
        let page = handler.favorites().limit(limit).offset(offset).await?;
        listings.push(Listing::new("favorites", "Favourites", &page)?);
    }
    if args.followers {
        let page = handler.followers().limit(limit).offset(offset).await?;
        listings.push(Listing::new("followers", "Followers", &page)?);
    }
    if args.following {
        let page = handler.following().limit(limit).offset(offset).await?;
        listings.push(Listing::new("following", "Following", &page)?);
    }

    let featured = if ctx.out.is_json() {
        None
    } else {
        featured(&handler).await
    };

    show_resource(&ctx.out, "user", &user, listings, |out| {
        card(out, &user, featured)
    })
}

/// The profile for people.
pub fn card(out: &Out, user: &User, featured: Option<FeaturedOnProfile>) -> CliResult {
    let note = if user.scratchteam {
        "Scratch Team"
    } else {
        "Scratcher"
    };
    out.title(&user.username, note)?;
    let mut fields = vec![
        ("ID", user.id.to_string()),
        ("Joined", date(user.history.joined)),
        ("Country", user.profile.country.clone().unwrap_or_default()),
        ("About me", excerpt(&user.profile.bio, 4, 100)),
        ("Working on", excerpt(&user.profile.status, 4, 100)),
    ];
    if let Some(f) = featured {
        let label = if f.label.is_empty() {
            "Featured Project".to_owned()
        } else {
            f.label
        };
        fields.push(("Featured", format!("{} ({}) — {label}", f.title, f.id)));
    }
    out.fields(&fields)
}

/// Scratch leaves the author's name out of a user's own project list: fills it in.
pub fn fill_author(projects: &mut [Project], username: &str) {
    for project in projects {
        if project.author.username.is_none() {
            project.author.username = Some(username.to_owned());
        }
    }
}

/// A user's featured project, for people: what [`card`] shows. It is a nicety, so a failure
/// (the old site is flaky) is only logged.
pub async fn featured(handler: &UserHandler) -> Option<FeaturedOnProfile> {
    match handler.featured_project().await {
        Ok(f) => f.featured_project_data.map(|p| FeaturedOnProfile {
            label: f.featured_project_label_name,
            id: p.id,
            title: p.title,
        }),
        Err(e) => {
            tracing::debug!("no featured project for {}: {e}", handler.name());
            None
        }
    }
}

/// A user's featured project.
#[derive(Debug, Clone)]
pub struct FeaturedOnProfile {
    /// The label the user chose ("Featured Project", "Why I Scratch"…).
    pub label: String,
    /// The project.
    pub id: ProjectId,
    /// Its title.
    pub title: String,
}
