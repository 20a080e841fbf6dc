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

/// Shows a page of My Stuff.
///
/// # Errors
/// No login (exit 4), network or server failures (5).
pub async fn run(ctx: &Ctx, args: MyStuffArgs) -> CliResult {
    ctx.ensure_login().await?;
    if args.studios {
        let studios = ctx.client.me().studios(args.sort.into(), args.page).await?;
        if ctx.out.is_json() {
            return ctx.out.json(&studios);
        }
        let mut table = Table::new(&["ID", "Title", "Modified"]).right(&[0]);
        for s in &studios {
            table.row(vec![
                s.pk.to_string(),
                one_line(&s.fields.title, 40),
                date(s.fields.datetime_modified),
            ]);
        }
        return ctx.out.table(table);
    }
    let projects = ctx
        .client
        .me()
        .projects(args.filter.into(), args.sort.into(), args.page)
        .await?;
    if ctx.out.is_json() {
        return ctx.out.json(&projects);
    }
    ctx.out.table(table_of(&projects))?;
    if projects.len() >= 40 {
        ctx.out
            .more_hint(&format!("--page {}", args.page + 1), false)?;
    }
    Ok(())
}
