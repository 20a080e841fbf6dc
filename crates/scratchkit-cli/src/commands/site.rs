//! Site-wide commands: `scratch frontpage`, `scratch stats`, `scratch health`,
//! `scratch check-username`.

use clap::Args;
use std::collections::BTreeMap;

use scratchkit_model::{ChartSeries, Featured, FeaturedProject, StatisticsMonthly, Timestamp};
use serde_json::json;

use crate::commands::Ctx;
use crate::exit::{CliError, CliResult};
use crate::output::{Table, date, one_line, thousands};

/// `scratch stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The monthly statistics (new projects, users, comments and active users per month, newest
    /// first) instead of today's totals; with `--json`, everything Scratch publishes.
    #[arg(long, conflicts_with_all = ["shared_count", "api_root"])]
    pub monthly: bool,

    /// Only the number of shared projects (the front page's counter).
    #[arg(long, conflicts_with = "api_root")]
    pub shared_count: bool,

    /// The API root document (`GET api.scratch.mit.edu/`).
    #[arg(long)]
    pub api_root: bool,
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
    if args.shared_count {
        let n = ctx.client.shared_project_count().await?;
        if ctx.out.is_json() {
            return ctx.out.json(&json!({ "shared_projects": n }));
        }
        return ctx.out.line(thousands(n));
    }
    if args.api_root {
        let root = ctx.client.api_root().await?;
        if ctx.out.is_json() {
            return ctx.out.json(&root);
        }
        return ctx.out.line(format!("{root:#?}"));
    }
    if args.monthly {
        let monthly = statistics.monthly().await?;
        if ctx.out.is_json() {
            return ctx.out.json(&monthly);
        }
        let view = monthly_table(&monthly, MONTHS_SHOWN);
        let note = monthly
            .ts
            .and_then(Timestamp::from_unix_seconds_f64)
            .map(|ts| format!("computed {}", date(Some(ts))))
            .unwrap_or_default();
        ctx.out.title("Scratch statistics per month", &note)?;
        ctx.out.table(view.table)?;
        let hint = if view.months > view.shown {
            format!(
                "  the newest {} of {} months; all of them, comment and project breakdowns, \
                 ages and countries: --json",
                view.shown, view.months
            )
        } else {
            "  comment and project breakdowns, ages and countries: --json".to_owned()
        };
        return ctx.out.line(ctx.out.dim(&hint));
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

/// How many months `scratch stats --monthly` shows (`--json` has them all).
const MONTHS_SHOWN: usize = 12;

/// The monthly table and how many of the months it shows.
#[derive(Debug)]
pub struct MonthlyView {
    /// Month, then one column per activity and active-user series.
    pub table: Table,
    /// The months in the data.
    pub months: usize,
    /// The months in the table (the newest ones).
    pub shown: usize,
}

/// One row per month (newest first, at most `limit`), one column per series of
/// `activity_data` (new projects, users, comments) and `active_user_data` (project and comment
/// creators). Points whose `x` is not epoch milliseconds are left out.
pub fn monthly_table(monthly: &StatisticsMonthly, limit: usize) -> MonthlyView {
    let series: Vec<&ChartSeries> = monthly
        .activity_data
        .iter()
        .chain(&monthly.active_user_data)
        .collect();
    let mut rows: BTreeMap<i64, Vec<Option<f64>>> = BTreeMap::new();
    for (column, s) in series.iter().enumerate() {
        for point in &s.values {
            let Some(ms) = point
                .x
                .as_i64()
                .or_else(|| point.x.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
            else {
                continue;
            };
            rows.entry(ms).or_insert_with(|| vec![None; series.len()])[column] = Some(point.y);
        }
    }
    let mut headers = vec!["Month".to_owned()];
    headers.extend(series.iter().map(|s| s.key.clone()));
    let mut table = Table::with_headers(headers).right(&(1..=series.len()).collect::<Vec<_>>());
    let months = rows.len();
    for (ms, values) in rows.iter().rev().take(limit) {
        let month = Timestamp::from_unix_millis(*ms)
            .map(|ts| ts.to_api_string().chars().take(7).collect())
            .unwrap_or_else(|| ms.to_string());
        let mut row = vec![month];
        row.extend(values.iter().map(|v| match v {
            Some(y) if y.is_finite() && *y >= 0.0 && y.fract() == 0.0 => thousands(*y as u64),
            Some(y) if y.is_finite() => format!("{y:.1}"),
            _ => "—".to_owned(),
        }));
        table.row(row);
    }
    MonthlyView {
        table,
        months,
        shown: months.min(limit),
    }
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

/// Says whether Scratch would accept a password for a new account (SCRATCH_NEW_PASSWORD, or a
/// prompt without echo; never SCRATCH_PASSWORD, the login's). Exit 0 when it would, 2 when
/// not.
///
/// # Errors
/// No password to check (exit 2), a password Scratch refuses (2), network failures (5).
pub async fn check_password(ctx: &Ctx) -> CliResult {
    let password = crate::commands::auth::secret(
        crate::commands::account::NEW_PASSWORD_ENV,
        "Password to check: ",
        "password",
    )?;
    let check = ctx.client.check_password(&password).await?;
    let valid = check.is_valid();
    if ctx.out.is_json() {
        ctx.out
            .json(&json!({"status": check.msg, "valid": valid}))?;
    } else if valid {
        ctx.out.line("Scratch would accept that password.")?;
    }
    if valid {
        Ok(())
    } else {
        Err(CliError::Usage(format!(
            "Scratch would refuse that password ({})",
            check.msg
        )))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn series(key: &str, points: &[(serde_json::Value, f64)]) -> ChartSeries {
        serde_json::from_value(json!({
            "key": key,
            "values": points.iter().map(|(x, y)| json!({"x": x, "y": y})).collect::<Vec<_>>(),
        }))
        .unwrap()
    }

    #[test]
    fn monthly_table_is_newest_first_and_limited() {
        // 2024-01-01, 2024-02-01, 2024-03-01 (epoch ms), in no particular order.
        let (jan, feb, mar) = (
            1_704_067_200_000_i64,
            1_706_745_600_000_i64,
            1_709_251_200_000_i64,
        );
        let monthly = StatisticsMonthly {
            activity_data: vec![
                series(
                    "New Projects",
                    &[
                        (json!(feb), 2000.0),
                        (json!(jan), 1000.0),
                        (json!(mar), 3000.0),
                    ],
                ),
                series(
                    "New Users",
                    &[(json!(jan), 5.0), (json!("not a date"), 9.0)],
                ),
            ],
            active_user_data: vec![series("Project Creators", &[(json!(mar), 12.5)])],
            ..StatisticsMonthly::default()
        };
        let view = monthly_table(&monthly, 2);
        assert_eq!((view.months, view.shown), (3, 2));
        let (headers, rows) = view.table.cells();
        assert_eq!(
            headers,
            ["Month", "New Projects", "New Users", "Project Creators"]
        );
        assert_eq!(
            rows,
            [
                vec!["2024-03", "3,000", "—", "12.5"],
                vec!["2024-02", "2,000", "—", "—"],
            ]
        );
        let all = monthly_table(&monthly, 12);
        assert_eq!((all.months, all.shown), (3, 3));
        assert_eq!(all.table.cells().1[2], ["2024-01", "1,000", "5", "—"]);
        let empty = monthly_table(&StatisticsMonthly::default(), 12);
        assert_eq!((empty.months, empty.table.len()), (0, 0));
    }
}
