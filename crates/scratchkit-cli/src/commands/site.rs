//! Site-wide commands: `scratch frontpage`, `scratch stats`, `scratch health`,
//! `scratch check-username`.

use clap::Args;
use scratchkit_model::{Featured, FeaturedProject};
use serde_json::json;

use crate::commands::Ctx;
use crate::exit::CliResult;
use crate::output::{Table, one_line, thousands};

/// `scratch stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The monthly statistics (as Scratch publishes them, JSON) instead of today's totals.
    #[arg(long)]
    pub monthly: bool,
}

/// `scratch check-username`.
#[derive(Debug, Args)]
pub struct CheckUsernameArgs {
    /// The name to check.
    pub username: String,
}

/// Shows the front page rows (featured, most loved, newest…).
///
/// # Errors
/// Network or server failures (exit 5).
pub async fn frontpage(ctx: &Ctx) -> CliResult {
    let featured = ctx.client.featured().await?;
    if ctx.out.is_json() {
        return ctx.out.json(&featured);
    }
    ctx.out.table(front_page_rows(&featured))
}

/// One table row per front page row: its name, size and first titles.
pub fn front_page_rows(featured: &Featured) -> Table {
    let rows: [(&str, &[FeaturedProject]); 6] = [
        ("Featured projects", &featured.community_featured_projects),
        ("Most loved", &featured.community_most_loved_projects),
        ("Most remixed", &featured.community_most_remixed_projects),
        ("Newest", &featured.community_newest_projects),
        ("Curated", &featured.curator_top_projects),
        ("Design studio", &featured.scratch_design_studio),
    ];
    let mut table = Table::new(&["Row", "Items", "First"]).right(&[1]);
    for (name, items) in rows {
        let first = items
            .iter()
            .take(2)
            .map(|p| one_line(&p.title, 24))
            .collect::<Vec<_>>()
            .join(", ");
        table.row(vec![name.to_owned(), items.len().to_string(), first]);
    }
    let studios = &featured.community_featured_studios;
    table.row(vec![
        "Featured studios".to_owned(),
        studios.len().to_string(),
        studios
            .iter()
            .take(2)
            .map(|s| one_line(&s.title, 24))
            .collect::<Vec<_>>()
            .join(", "),
    ]);
    table
}

/// Shows Scratch's statistics.
///
/// # Errors
/// Network or server failures (exit 5).
pub async fn stats(ctx: &Ctx, args: StatsArgs) -> CliResult {
    let statistics = ctx.client.statistics();
    if args.monthly {
        let monthly = statistics.monthly().await?;
        return ctx.out.json(&monthly);
    }
    let daily = statistics.daily().await?;
    if ctx.out.is_json() {
        return ctx.out.json(&daily);
    }
    ctx.out.fields(&[
        ("Projects", thousands(daily.project_count)),
        ("Users", thousands(daily.user_count)),
        ("Studios", thousands(daily.studio_count)),
        ("Comments", thousands(daily.comment_count)),
    ])
}

/// Shows the API's health report.
///
/// # Errors
/// Network or server failures (exit 5).
pub async fn health(ctx: &Ctx) -> CliResult {
    let health = ctx.client.health().await?;
    if ctx.out.is_json() {
        return ctx.out.json(&health);
    }
    let load = health
        .load
        .iter()
        .map(|l| format!("{l:.2}"))
        .collect::<Vec<_>>()
        .join(" ");
    ctx.out.fields(&[
        ("Version", health.version.clone().unwrap_or_default()),
        (
            "Uptime",
            health
                .uptime
                .map(|u| format!("{:.1} hours", u / 3600.0))
                .unwrap_or_default(),
        ),
        ("Load", load),
    ])
}

/// Says whether a username is free.
///
/// # Errors
/// Network or server failures (exit 5).
pub async fn check_username(ctx: &Ctx, args: CheckUsernameArgs) -> CliResult {
    let check = ctx.client.check_username(&args.username).await?;
    if ctx.out.is_json() {
        return ctx.out.json(&json!({
            "username": args.username,
            "status": check.msg,
            "available": check.is_available(),
        }));
    }
    let verdict = if check.is_available() {
        "is available"
    } else {
        match check.msg.as_str() {
            "username exists" => "is taken",
            "bad username" => "is refused by Scratch's word filter",
            "invalid username" => "is not a valid username",
            _ => "cannot be used",
        }
    };
    ctx.out
        .line(format!("{} {verdict}.", ctx.out.bold(&args.username)))
}
