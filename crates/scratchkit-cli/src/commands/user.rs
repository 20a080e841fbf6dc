//! `scratch user <name>`: a profile, and optionally the user's lists.

use clap::Args;
use futures_util::StreamExt;
use scratchkit::UserHandler;
use scratchkit_model::{Project, ProjectId, User};

use crate::commands::args::PageArgs;
use crate::commands::{Ctx, Listing, one_list, show_resource, show_stream};
use crate::exit::CliResult;
use crate::output::{Out, date, excerpt};
use crate::rows::table_of;

/// `scratch user`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  scratch user griffpatch
  scratch user griffpatch --projects --limit 40
  scratch user griffpatch --projects --all --json     every shared project, one JSON line each
  scratch user griffpatch --loves                     loved projects (the old site's page)
  scratch user griffpatch --curated --counts
  scratch user griffpatch --activity 10             what they did lately
  scratch user griffpatch --rank --json              rank and class from the profile page
  scratch user griffpatch --follows mres              exit 0 and \"yes\", or \"no\"")]
pub struct UserArgs {
    /// The username.
    pub username: String,

    /// Also list the user's shared projects.
    #[arg(long)]
    pub projects: bool,

    /// Also list the user's favourite projects.
    #[arg(long)]
    pub favorites: bool,

    /// Also list the projects the user loves (from the old site's loves page).
    #[arg(long)]
    pub loves: bool,

    /// Also list the studios the user curates.
    #[arg(long)]
    pub curated: bool,

    /// Also list the user's followers.
    #[arg(long)]
    pub followers: bool,

    /// Also list whom the user follows.
    #[arg(long)]
    pub following: bool,

    /// Also list the user's recent activity (the old site's feed: shares, loves, follows…),
    /// at most N events (default 20, up to 1000).
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "20",
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub activity: Option<u32>,

    /// Also show what the profile page tells: rank (New Scratcher, Scratcher, Scratch Team),
    /// the class of a student account, the location.
    #[arg(long)]
    pub rank: bool,

    /// Also show the profile's counts (followers, following, favourites, studios, projects).
    #[arg(long)]
    pub counts: bool,

    /// Only answer whether the user follows NAME (reads their following list).
    #[arg(long, value_name = "NAME", conflicts_with = "followed_by")]
    pub follows: Option<String>,

    /// Only answer whether NAME follows the user (reads their followers).
    #[arg(long, value_name = "NAME")]
    pub followed_by: Option<String>,

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

/// The lists a `scratch user` can ask for, with whether each was asked.
fn list_flags(args: &UserArgs) -> [(bool, &'static str); 6] {
    [
        (args.projects, "--projects"),
        (args.favorites, "--favorites"),
        (args.loves, "--loves"),
        (args.curated, "--curated"),
        (args.followers, "--followers"),
        (args.following, "--following"),
    ]
}

/// Shows a user's profile (and the lists asked for), streams one list (`--all`), or answers a
/// follow question.
///
/// # Errors
/// No such user (exit 3), an invalid name or `--all` without exactly one list (2), network or
/// server failures (5).
pub async fn run(ctx: &Ctx, args: UserArgs) -> CliResult {
    let handler = ctx.client.user(args.username.as_str());
    if let Some(question) = follow_question(&args) {
        return answer_follow(ctx, &handler, question).await;
    }
    if args.all {
        return stream_one(ctx, &handler, &args).await;
    }
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
    if args.loves {
        let page = handler.loved_projects().limit(limit).offset(offset).await?;
        listings.push(Listing::new("loves", "Loved projects", &page)?);
    }
    if args.curated {
        let page = handler
            .curated_studios()
            .limit(limit)
            .offset(offset)
            .await?;
        listings.push(Listing::new("curated", "Studios curated", &page)?);
    }
    if args.followers {
        let page = handler.followers().limit(limit).offset(offset).await?;
        listings.push(Listing::new("followers", "Followers", &page)?);
    }
    if args.following {
        let page = handler.following().limit(limit).offset(offset).await?;
        listings.push(Listing::new("following", "Following", &page)?);
    }
    if let Some(max) = args.activity {
        let events = handler.activity(max).await?;
        listings.push(Listing {
            key: "activity",
            title: "Activity",
            json: serde_json::to_value(&events)?,
            table: table_of(&events),
            more: None,
        });
    }
    let page = if args.rank {
        Some(handler.profile_page().await?)
    } else {
        None
    };
    let counts = if args.counts {
        Some(handler.counts().await?)
    } else {
        None
    };

    let featured = if ctx.out.is_json() {
        None
    } else {
        featured(&handler).await
    };

    if ctx.out.is_json() && (counts.is_some() || page.is_some()) {
        let mut doc = serde_json::Map::new();
        doc.insert("user".into(), serde_json::to_value(&user)?);
        if let Some(c) = &counts {
            doc.insert("counts".into(), counts_json(c));
        }
        if let Some(p) = &page {
            doc.insert("profile_page".into(), serde_json::to_value(p)?);
        }
        for listing in listings {
            doc.insert(listing.key.to_owned(), listing.json);
        }
        return ctx.out.json(&doc);
    }
    show_resource(&ctx.out, "user", &user, listings, |out| {
        card(out, &user, featured)?;
        if let Some(p) = &page {
            out.fields(&[
                ("Rank", rank_text(&p.rank)),
                (
                    "Class",
                    p.class
                        .as_ref()
                        .map(|c| format!("{} ({})", c.name, c.id))
                        .unwrap_or_default(),
                ),
                ("Location", p.location.clone().unwrap_or_default()),
            ])?;
        }
        if let Some(c) = counts {
            out.fields(&[
                ("Followers", c.followers.to_string()),
                ("Following", c.following.to_string()),
                ("Favourites", c.favorites.to_string()),
                ("Curating", c.studios_curated.to_string()),
                ("Following studios", c.studios_followed.to_string()),
                ("Shared projects", c.shared_projects.to_string()),
            ])?;
        }
        Ok(())
    })
}

/// The six counts as JSON.
fn counts_json(c: &scratchkit::html::ProfileCounts) -> serde_json::Value {
    serde_json::json!({
        "followers": c.followers,
        "following": c.following,
        "favorites": c.favorites,
        "studios_curated": c.studios_curated,
        "studios_followed": c.studios_followed,
        "shared_projects": c.shared_projects,
    })
}

/// A follow question: (does the user follow NAME?, NAME).
fn follow_question(args: &UserArgs) -> Option<(bool, &str)> {
    match (&args.follows, &args.followed_by) {
        (Some(name), _) => Some((true, name.as_str())),
        (None, Some(name)) => Some((false, name.as_str())),
        (None, None) => None,
    }
}

/// Answers `--follows` / `--followed-by`: "yes" or "no" (`{"answer": bool}` in JSON).
async fn answer_follow(ctx: &Ctx, handler: &UserHandler, question: (bool, &str)) -> CliResult {
    let (follows, other) = question;
    let answer = if follows {
        handler.is_following(other).await?
    } else {
        handler.is_followed_by(other).await?
    };
    if ctx.out.is_json() {
        let key = if follows { "follows" } else { "followed_by" };
        return ctx.out.json(&serde_json::json!({
            "user": handler.name(),
            key: other,
            "answer": answer,
        }));
    }
    ctx.out.line(if answer { "yes" } else { "no" })
}

/// `--all`: streams the one list asked for.
async fn stream_one(ctx: &Ctx, handler: &UserHandler, args: &UserArgs) -> CliResult {
    let asked = one_list(&list_flags(args))?;
    let (offset, max) = (args.page.offset, args.max);
    macro_rules! stream {
        ($request:expr) => {{
            let mut request = $request.offset(offset);
            if let Some(max) = max {
                request = request.max(max);
            }
            show_stream(&ctx.out, request.stream(), max).await
        }};
    }
    match asked {
        "--projects" => {
            let name = handler.name().to_owned();
            let mut request = handler.projects().offset(offset);
            if let Some(max) = max {
                request = request.max(max);
            }
            let stream = request.stream().map(move |p| {
                p.map(|mut p| {
                    fill_author(std::slice::from_mut(&mut p), &name);
                    p
                })
            });
            show_stream(&ctx.out, stream, max).await
        }
        "--favorites" => stream!(handler.favorites()),
        "--loves" => stream!(handler.loved_projects()),
        "--curated" => stream!(handler.curated_studios()),
        "--followers" => stream!(handler.followers()),
        _ => stream!(handler.following()),
    }
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

/// A rank as the profile page words it.
fn rank_text(rank: &scratchkit::html::Rank) -> String {
    use scratchkit::html::Rank;
    match rank {
        Rank::NewScratcher => "New Scratcher".to_owned(),
        Rank::Scratcher => "Scratcher".to_owned(),
        Rank::ScratchTeam => "Scratch Team".to_owned(),
        Rank::Other(text) => text.clone(),
        other => format!("{other:?}"),
    }
}
