//! `scratch mystuff`: your projects (shared, unshared, in the trash) or studios.

use clap::{Args, ValueEnum};
use scratchkit::{MyStuffFilter, MyStuffSort};

use crate::commands::Ctx;
use crate::exit::CliResult;
use crate::output::{Table, date, one_line};
use crate::rows::table_of;

/// `scratch mystuff`.
#[derive(Debug, Args)]
pub struct MyStuffArgs {
    /// Which projects.
    #[arg(long, value_enum, default_value_t = Which::All)]
    pub filter: Which,

    /// The order.
    #[arg(long, value_enum, default_value_t = Sort::Modified)]
    pub sort: Sort,

    /// The page (40 items each, from 1).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub page: u32,

    /// Your studios instead of your projects.
    #[arg(long)]
    pub studios: bool,

    /// Every page from `--page` on, 40 items at a time (with `--json`: one JSON object per
    /// line, printed as each page arrives).
    #[arg(long)]
    pub all: bool,
}

/// Which of your projects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Which {
    /// Every project not in the trash.
    All,
    /// Shared projects.
    Shared,
    /// Unshared projects.
    Unshared,
    /// Projects in the trash.
    Trashed,
}

/// The order of My Stuff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Sort {
    /// Last modified first.
    Modified,
    /// Most viewed first.
    Views,
    /// Most loved first.
    Loves,
    /// Most remixed first.
    Remixes,
    /// By title.
    Title,
}

impl From<Which> for MyStuffFilter {
    fn from(which: Which) -> Self {
        match which {
            Which::All => MyStuffFilter::All,
            Which::Shared => MyStuffFilter::Shared,
            Which::Unshared => MyStuffFilter::NotShared,
            Which::Trashed => MyStuffFilter::Trashed,
        }
    }
}

impl From<Sort> for MyStuffSort {
    fn from(sort: Sort) -> Self {
        match sort {
            Sort::Modified => MyStuffSort::LastModified,
            Sort::Views => MyStuffSort::Views,
            Sort::Loves => MyStuffSort::Loves,
            Sort::Remixes => MyStuffSort::Remixes,
            Sort::Title => MyStuffSort::Title,
        }
    }
}

/// Items in one page of My Stuff (a shorter page is the last).
const PAGE_SIZE: usize = 40;

/// Shows a page of My Stuff, or every page (`--all`).
///
/// # Errors
/// No login (exit 4), network or server failures (5).
pub async fn run(ctx: &Ctx, args: MyStuffArgs) -> CliResult {
    ctx.ensure_login().await?;
    let me = ctx.client.me();
    let mut page = args.page;
    let (mut projects, mut studios) = (Vec::new(), Vec::new());
    loop {
        let got = if args.studios {
            let items = me.studios(args.sort.into(), page).await?;
            let got = items.len();
            emit(ctx, args.all, &items, &mut studios)?;
            got
        } else {
            let items = me
                .projects(args.filter.into(), args.sort.into(), page)
                .await?;
            let got = items.len();
            emit(ctx, args.all, &items, &mut projects)?;
            got
        };
        if !args.all || got < PAGE_SIZE {
            break;
        }
        page += 1;
    }
    if ctx.out.is_json() {
        if !args.all {
            return if args.studios {
                ctx.out.json(&studios)
            } else {
                ctx.out.json(&projects)
            };
        }
        return Ok(());
    }
    let shown = if args.studios {
        let mut table = Table::new(&["ID", "Title", "Modified"]).right(&[0]);
        for s in &studios {
            table.row(vec![
                s.pk.to_string(),
                one_line(&s.fields.title, 40),
                date(s.fields.datetime_modified),
            ]);
        }
        ctx.out.table(table)?;
        studios.len()
    } else {
        ctx.out.table(table_of(&projects))?;
        projects.len()
    };
    if args.all {
        ctx.out.line(ctx.out.dim(&format!("  {shown} in all")))
    } else if shown >= PAGE_SIZE {
        ctx.out
            .more_hint(&format!("--page {}", args.page + 1), false)
    } else {
        Ok(())
    }
}

/// One page's items: printed at once as JSON lines (`--all --json`), else kept for the end.
fn emit<T: Clone + serde::Serialize>(
    ctx: &Ctx,
    all: bool,
    items: &[T],
    kept: &mut Vec<T>,
) -> CliResult {
    if all && ctx.out.is_json() {
        return items.iter().try_for_each(|item| ctx.out.json_line(item));
    }
    kept.extend_from_slice(items);
    Ok(())
}
