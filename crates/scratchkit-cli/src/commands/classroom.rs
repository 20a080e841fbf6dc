//! `scratch classroom <id>`: a class's details, and optionally its students.

use clap::Args;
use scratchkit_model::ClassroomId;
use serde_json::json;

use crate::commands::Ctx;
use crate::exit::CliResult;
use crate::output::{Table, date, excerpt};

/// `scratch classroom`.
#[derive(Debug, Args)]
pub struct ClassroomArgs {
    /// The class ID (the number in https://scratch.mit.edu/classes/<ID>/).
    pub id: u64,

    /// Also list the students (one page of them).
    #[arg(long)]
    pub students: bool,

    /// With `--students`: the page (from 1).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub page: u32,
}

/// Shows a class.
///
/// # Errors
/// No such class (exit 3), network or server failures (5).
pub async fn run(ctx: &Ctx, args: ClassroomArgs) -> CliResult {
    let handler = ctx.client.classroom(ClassroomId(args.id));
    let class = handler.info().await?;
    let students = if args.students {
        Some(handler.students(args.page).await?)
    } else {
        None
    };
    let out = &ctx.out;
    if out.is_json() {
        return match students {
            None => out.json(&class),
            Some(students) => out.json(&json!({"classroom": class, "students": students})),
        };
    }
    let educator = class
        .educator
        .as_ref()
        .map(|u| format!("by {}", u.username))
        .unwrap_or_default();
    out.title(&class.title, &educator)?;
    out.fields(&[
        ("ID", class.id.to_string()),
        ("Working on", class.status.clone()),
        ("Started", date(class.date_start)),
        ("About", excerpt(&class.description, 4, 100)),
    ])?;
    if let Some(students) = students {
        out.heading("Students")?;
        let mut table = Table::new(&["Username"]);
        for name in students {
            table.row(vec![name]);
        }
        out.table(table)?;
    }
    Ok(())
}
