//! `scratch demo`: a short tour of the toolkit against an embedded sandbox.
//!
//! The tour is a list of [`Step`]s run in order. Each step has a section title and an async
//! function that reads through the [`Tour`]'s client and shows what it found with
//! [`Tour::show`] (a table or card for people, one JSON line per section with `--json`).
//! Steps may leave findings in the tour for later steps (the featured project found by
//! "A user" is the one "A project and its comments" opens).
//!
//! To add a step (login, writes, cloud variables, Cloud Requests, forums, .sb3…): write an
//! `fn my_step(tour: &mut Tour) -> StepFuture<'_>` and add it to [`STEPS`] where it belongs.

use std::future::Future;
use std::pin::Pin;
use std::time::Instant;

use scratchkit_model::{Featured, FeaturedProject, ProjectId, StudioId};
use serde::Serialize;
use serde_json::json;

use crate::commands::Ctx;
use crate::embedded;
use crate::exit::CliResult;
use crate::output::{Out, Table, thousands};
use crate::rows::table_of;

/// What a step returns: a boxed future borrowing the tour.
pub type StepFuture<'a> = Pin<Box<dyn Future<Output = CliResult> + 'a>>;

/// One section of the tour.
pub struct Step {
    /// The section header.
    pub title: &'static str,
    /// What it does.
    pub run: for<'a> fn(&'a mut Tour) -> StepFuture<'a>,
}

/// The tour, in order.
pub const STEPS: &[Step] = &[
    Step {
        title: "A user",
        run: user,
    },
    Step {
        title: "Their projects",
        run: user_projects,
    },
    Step {
        title: "A project and its comments",
        run: project,
    },
    Step {
        title: "A studio and its curators",
        run: studio,
    },
    Step {
        title: "Explore: trending projects",
        run: explore,
    },
    Step {
        title: "Search: \"game\"",
        run: search,
    },
    Step {
        title: "News",
        run: news,
    },
    Step {
        title: "Front page rows",
        run: front_page,
    },
    Step {
        title: "Statistics",
        run: statistics,
    },
];

/// The demo user.
const USERNAME: &str = "mres";
/// The demo studio (the Scratch wiki's example).
const STUDIO: StudioId = StudioId(5342);
/// The demo project when the user's list gives none.
const FALLBACK_PROJECT: ProjectId = ProjectId(142);
/// Items per list in the tour.
const ROWS: u32 = 5;

/// The state of the tour: the client, the output, and what earlier steps found.
pub struct Tour {
    /// The client (pointed at the embedded sandbox) and the output.
    pub ctx: Ctx,
    /// The title of the section running now.
    pub section: &'static str,
    /// A project found on the way (the user's featured project, else their first).
    pub project: Option<ProjectId>,
}

impl Tour {
    /// Shows what a step found: `human` for people, or `{"section": …, "data": value}` as one
    /// JSON line.
    ///
    /// # Errors
    /// Output or JSON failures, or whatever `human` fails with.
    pub fn show<T: Serialize>(
        &self,
        value: &T,
        human: impl FnOnce(&Out) -> CliResult,
    ) -> CliResult {
        if self.ctx.out.is_json() {
            self.ctx
                .out
                .json_line(&json!({"section": self.section, "data": value}))
        } else {
            human(&self.ctx.out)
        }
    }
}

/// Runs the tour on a fresh embedded sandbox.
///
/// # Errors
/// The sandbox could not start, or a step failed.
pub async fn run(out: Out, user_agent: Option<&str>) -> CliResult {
    let started = Instant::now();
    let sandbox = embedded::start(user_agent).await?;
    let base = sandbox.handle.base_url();
    if !out.is_json() {
        out.title("scratchkit demo", &format!("an offline Scratch at {base}"))?;
        out.line(
            out.dim(
                "  Every call below goes through the scratchkit client to an embedded sandbox.",
            ),
        )?;
    }
    let mut tour = Tour {
        ctx: Ctx::with_client(sandbox.client.clone(), out),
        section: "",
        project: None,
    };
    for step in STEPS {
        tour.section = step.title;
        if !out.is_json() {
            out.heading(step.title)?;
        }
        (step.run)(&mut tour).await?;
    }
    if !out.is_json() {
        out.line("")?;
        out.line(format!(
            "Done in {:.1} s. Next: `scratch sandbox` for a sandbox of your own, or \
             `scratch --sandbox user mres --projects`.",
            started.elapsed().as_secs_f64()
        ))?;
    }
    sandbox.handle.shutdown().await;
    Ok(())
}

fn user(tour: &mut Tour) -> StepFuture<'_> {
    Box::pin(async move {
        let handler = tour.ctx.client.user(USERNAME);
        let user = handler.info().await?;
        let featured = crate::commands::user::featured(&handler).await;
        // The featured project is the one the tour opens later.
        tour.project = featured.as_ref().map(|f| f.id);
        tour.show(&user, |out| {
            crate::commands::user::card(out, &user, featured)
        })
    })
}

fn user_projects(tour: &mut Tour) -> StepFuture<'_> {
    Box::pin(async move {
        let mut page = tour
            .ctx
            .client
            .user(USERNAME)
            .projects()
            .limit(ROWS)
            .await?;
        crate::commands::user::fill_author(&mut page.items, USERNAME);
        if tour.project.is_none() {
            tour.project = page.items.first().map(|p| p.id);
        }
        tour.show(&page.items, |out| out.table(table_of(&page.items)))
    })
}

fn project(tour: &mut Tour) -> StepFuture<'_> {
    Box::pin(async move {
        let id = tour.project.unwrap_or(FALLBACK_PROJECT);
        let project = tour.ctx.client.project(id).info().await?;
        let handler = match &project.author.username {
            Some(author) => tour.ctx.client.project(id).by(author.as_str()),
            None => tour.ctx.client.project(id),
        };
        let comments = handler.comments().limit(ROWS).await?;
        let link = tour
            .ctx
            .client
            .hosts()
            .url(scratchkit::Host::Site, &format!("/projects/{id}/"))
            .to_string();
        let data = json!({"project": project, "comments": comments.items});
        tour.show(&data, |out| {
            crate::commands::project::card(out, &project, &link)?;
            out.line("")?;
            out.table(table_of(&comments.items))
        })
    })
}

fn studio(tour: &mut Tour) -> StepFuture<'_> {
    Box::pin(async move {
        let handler = tour.ctx.client.studio(STUDIO);
        let studio = handler.info().await?;
        let curators = handler.curators().limit(ROWS).await?;
        let link = tour
            .ctx
            .client
            .hosts()
            .url(scratchkit::Host::Site, &format!("/studios/{STUDIO}/"))
            .to_string();
        let data = json!({"studio": studio, "curators": curators.items});
        tour.show(&data, |out| {
            crate::commands::studio::card(out, &studio, &link)?;
            out.line("")?;
            out.table(table_of(&curators.items))
        })
    })
}

fn explore(tour: &mut Tour) -> StepFuture<'_> {
    Box::pin(async move {
        let page = tour.ctx.client.explore().projects().limit(ROWS).await?;
        tour.show(&page.items, |out| out.table(table_of(&page.items)))
    })
}

fn search(tour: &mut Tour) -> StepFuture<'_> {
    Box::pin(async move {
        let page = tour
            .ctx
            .client
            .search("game")
            .projects()
            .limit(ROWS)
            .await?;
        tour.show(&page.items, |out| out.table(table_of(&page.items)))
    })
}

fn news(tour: &mut Tour) -> StepFuture<'_> {
    Box::pin(async move {
        let page = tour.ctx.client.news().limit(3).await?;
        tour.show(&page.items, |out| out.table(table_of(&page.items)))
    })
}

fn front_page(tour: &mut Tour) -> StepFuture<'_> {
    Box::pin(async move {
        let featured = tour.ctx.client.featured().await?;
        tour.show(&featured, |out| out.table(front_page_rows(&featured)))
    })
}

/// One table row per front page row: its name, size and first titles.
fn front_page_rows(featured: &Featured) -> Table {
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
            .map(|p| crate::output::one_line(&p.title, 24))
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
            .map(|s| crate::output::one_line(&s.title, 24))
            .collect::<Vec<_>>()
            .join(", "),
    ]);
    table
}

fn statistics(tour: &mut Tour) -> StepFuture<'_> {
    Box::pin(async move {
        let daily = tour.ctx.client.statistics().daily().await?;
        tour.show(&daily, |out| {
            out.fields(&[
                ("Projects", thousands(daily.project_count)),
                ("Users", thousands(daily.user_count)),
                ("Studios", thousands(daily.studio_count)),
                ("Comments", thousands(daily.comment_count)),
            ])
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_have_distinct_titles() {
        let mut titles: Vec<_> = STEPS.iter().map(|s| s.title).collect();
        let n = titles.len();
        titles.sort_unstable();
        titles.dedup();
        assert_eq!(titles.len(), n);
        assert!(n >= 9);
    }

    #[test]
    fn front_page_rows_count_items() {
        let path = format!(
            "{}/../../fixtures/real/api_proxy_featured_2025.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let featured: Featured =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let table = front_page_rows(&featured);
        assert_eq!(table.len(), 7);
        assert!(!featured.community_featured_projects.is_empty());
    }
}
