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
use std::time::{Duration, Instant};

use scratchkit_cloud_requests::{
    CloudRequests, RequestContext, RequestEvent, TemplateClient, TemplateReply,
};
#[cfg(test)]
use scratchkit_model::Featured;
use scratchkit_model::{ProjectId, StudioId, TopicId};
use serde::Serialize;
use serde_json::json;

use crate::commands::Ctx;
use crate::embedded;
use crate::exit::CliResult;
use crate::output::{Out, thousands};
use crate::rows::table_of;

/// What a step returns: a boxed future borrowing the tour.
pub type StepFuture<'a> = Pin<Box<dyn Future<Output = CliResult> + Send + 'a>>;

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
    Step {
        title: "Log in",
        run: log_in,
    },
    Step {
        title: "Post a comment and read it back",
        run: comment,
    },
    Step {
        title: "Love a project",
        run: love,
    },
    Step {
        title: "A forum post",
        run: forum_post,
    },
    Step {
        title: "Download it as an .sb3",
        run: download,
    },
    Step {
        title: "Cloud variables: set, then read back",
        run: cloud,
    },
    Step {
        title: "A Cloud Request",
        run: cloud_request,
    },
];

/// The demo account the tour logs in as (password: the sandbox's demo password).
const DEMO_ACCOUNT: &str = "griffpatch";
/// The project the writes of the tour go to (mres's, in the demo world).
const WRITE_PROJECT: ProjectId = ProjectId(142);

/// The forum topic the tour replies in (seeded in category 31 of the demo world).
const FORUM_TOPIC: TopicId = TopicId(4242);
/// What the tour posts there, in BBCode.
const FORUM_BODY: &str = "Hello from the [b]scratchkit[/b] demo!";
/// The names the Cloud Requests host and the template client use on TurboWarp's server.
const CLOUD_HOST_NAME: &str = "demo-host";
/// See [`CLOUD_HOST_NAME`].
const CLOUD_PLAYER_NAME: &str = "demo-player";
/// How long the Cloud Request step waits for anything before it gives up.
const CLOUD_REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

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
    /// A scratch directory for files (the downloaded .sb3), deleted at the end.
    pub dir: std::path::PathBuf,
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
    let dir = std::env::temp_dir().join(format!("scratchkit-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| crate::exit::CliError::file(&dir, e))?;
    let mut tour = Tour {
        dir: dir.clone(),
        ctx: Ctx::with_client(sandbox.client.clone(), out),
        section: "",
        project: None,
    };
    let mut result = Ok(());
    for step in STEPS {
        tour.section = step.title;
        if !out.is_json()
            && let Err(e) = out.heading(step.title)
        {
            result = Err(e);
            break;
        }
        if let Err(e) = (step.run)(&mut tour).await {
            result = Err(e);
            break;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    result?;
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
        let comments = handler.comments().list().limit(ROWS).await?;
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
        let host = crate::commands::studio::host_name(&handler, &studio).await;
        let link = tour
            .ctx
            .client
            .hosts()
            .url(scratchkit::Host::Site, &format!("/studios/{STUDIO}/"))
            .to_string();
        let data = json!({"studio": studio, "curators": curators.items});
        tour.show(&data, |out| {
            crate::commands::studio::card(out, &studio, host.as_deref(), &link)?;
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
        tour.show(&featured, |out| {
            out.table(crate::commands::site::front_page_rows(&featured))
        })
    })
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

fn log_in(tour: &mut Tour) -> StepFuture<'_> {
    Box::pin(async move {
        let password = secrecy::SecretString::from(scratchkit_sandbox::DEMO_PASSWORD);
        let me = tour.ctx.client.login(DEMO_ACCOUNT, password).await?;
        let session = tour.ctx.client.session().await?;
        let scratcher = session.permissions.as_ref().is_some_and(|p| p.scratcher);
        let data = json!({"username": me.username, "user_id": me.user_id, "scratcher": scratcher});
        tour.show(&data, |out| {
            out.fields(&[
                ("Logged in as", me.username.clone()),
                (
                    "User ID",
                    me.user_id.map(|id| id.to_string()).unwrap_or_default(),
                ),
                ("Scratcher", if scratcher { "yes" } else { "no" }.to_owned()),
                (
                    "How",
                    "POST /login/ with the demo password, then GET /session/".to_owned(),
                ),
            ])
        })
    })
}

fn comment(tour: &mut Tour) -> StepFuture<'_> {
    Box::pin(async move {
        let client = &tour.ctx.client;
        let project = client.project(WRITE_PROJECT).info().await?;
        let handler = match &project.author.username {
            Some(author) => client.project(WRITE_PROJECT).by(author.as_str()),
            None => client.project(WRITE_PROJECT),
        };
        let posted = handler
            .comments()
            .post("Hello from the scratchkit demo!")
            .await?;
        // Read it back from the server, by its id.
        let read = handler.comments().get(posted.id).await?;
        tour.show(&read, |out| {
            out.line(format!(
                "Posted comment #{} on \"{}\"; read back from the server:",
                posted.id, project.title
            ))?;
            out.table(table_of(std::slice::from_ref(&read)))
        })
    })
}

fn love(tour: &mut Tour) -> StepFuture<'_> {
    Box::pin(async move {
        let client = &tour.ctx.client;
        let before = client.project(WRITE_PROJECT).info().await?.stats.loves;
        let status = client.project(WRITE_PROJECT).love().await?;
        let after = client.project(WRITE_PROJECT).info().await?.stats.loves;
        let data = json!({"status": status, "loves_before": before, "loves_after": after});
        tour.show(&data, |out| {
            out.fields(&[
                ("Project", WRITE_PROJECT.to_string()),
                (
                    "Loved",
                    if status.user_love { "yes" } else { "no" }.to_owned(),
                ),
                (
                    "Loves",
                    format!("{} → {}", thousands(before), thousands(after)),
                ),
            ])
        })
    })
}

fn download(tour: &mut Tour) -> StepFuture<'_> {
    Box::pin(async move {
        let path = tour.dir.join(format!("{WRITE_PROJECT}.sb3"));
        let done = tour
            .ctx
            .client
            .project(WRITE_PROJECT)
            .download_to(&path)
            .await?;
        // Read the file back from disk, as `scratch project info` does.
        let (summary, _) = crate::commands::project_file::Sb3Summary::read(&done.path)?;
        tour.show(&summary, |out| {
            out.line(format!(
                "Downloaded project.json and {} assets (md5-checked) into an .sb3:",
                done.assets
            ))?;
            out.line("")?;
            summary.print(out)
        })
    })
}

fn cloud(tour: &mut Tour) -> StepFuture<'_> {
    Box::pin(async move {
        let client = &tour.ctx.client;
        let me = client
            .logged_in_as()
            .map(|m| m.username)
            .unwrap_or_default();
        let value = 1000 + u64::from(std::process::id() % 9000);
        let (sender, _events) = client.cloud(WRITE_PROJECT).await?;
        sender.set("score", value)?;
        sender.flush().await?;
        sender.close();
        // Read it back over HTTP: the cloud log records who set what.
        let mut found = None;
        for _ in 0..40 {
            let page = client.cloud_logs(WRITE_PROJECT).limit(10).await?;
            found = page.items.into_iter().find(|e| {
                e.user == me
                    && e.name.ends_with("score")
                    && e.value.to_string() == value.to_string()
            });
            if found.is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let Some(entry) = found else {
            return Err(crate::exit::CliError::Demo(
                "the cloud log never showed the value the demo set".into(),
            ));
        };
        tour.show(&entry, |out| {
            out.fields(&[
                ("Set", format!("☁ score = {value} (WebSocket, as {me})")),
                (
                    "Read back",
                    format!(
                        "{} = {} by {} (cloud log, HTTP)",
                        entry.name, entry.value, entry.user
                    ),
                ),
            ])
        })
    })
}

fn forum_post(tour: &mut Tour) -> StepFuture<'_> {
    Box::pin(async move {
        let forum = tour.ctx.client.forum();
        let Some(id) = forum.topic(FORUM_TOPIC).reply(FORUM_BODY).await? else {
            return Err(crate::exit::CliError::Demo(
                "the forum reply did not lead to a post".into(),
            ));
        };
        // Read it back: the topic page that holds it, then its BBCode source.
        let handler = forum.post(id);
        let page = handler.topic_page().await?;
        let Some(post) = page.posts.into_iter().find(|p| p.id == id) else {
            return Err(crate::exit::CliError::Demo(format!(
                "post #{id} is missing from its topic page"
            )));
        };
        let source = handler.source().await?;
        let topic = page
            .topic_title
            .unwrap_or_else(|| format!("topic {FORUM_TOPIC}"));
        let data = json!({
            "topic_id": FORUM_TOPIC,
            "topic_title": topic,
            "post": post,
            "source": source,
        });
        tour.show(&data, |out| {
            out.line(format!(
                "Replied in \"{topic}\" (topic {FORUM_TOPIC}); read back from the server:"
            ))?;
            out.line("")?;
            out.fields(&[
                ("Post", format!("#{} by {}", post.id, post.author)),
                ("Posted", post.posted_text.clone()),
                ("Shown as", post.content_text.clone()),
                ("BBCode source", source.clone()),
            ])
        })
    })
}

/// One request of the Cloud Request step: what was sent and what came back.
#[derive(Serialize)]
struct Exchange {
    /// The request name.
    request: &'static str,
    /// Its arguments.
    args: Vec<&'static str>,
    /// The `TO_HOST` values the template sent.
    to_host: Vec<String>,
    /// The reply's items.
    reply: Vec<String>,
    /// Packets the reply took.
    packets: usize,
}

fn cloud_request(tour: &mut Tour) -> StepFuture<'_> {
    Box::pin(async move {
        let client = &tour.ctx.client;
        let url = client.hosts().turbowarp_ws().to_string();
        // The host: a bot answering the project's requests, with two handlers.
        let (sender, events) = client
            .turbowarp_cloud(WRITE_PROJECT, CLOUD_HOST_NAME)
            .await?;
        let (host, mut host_events) = CloudRequests::new(sender.clone(), events)
            .handler("ping", |_ctx: RequestContext| async { Ok("pong") })
            .handler("reverse", |ctx: RequestContext| async move {
                Ok(ctx.arg(0)?.chars().rev().collect::<String>())
            })
            .start();
        let ready = tokio::time::timeout(CLOUD_REQUEST_TIMEOUT, async {
            while let Some(event) = host_events.recv().await {
                if event == RequestEvent::Ready {
                    return true;
                }
            }
            false
        })
        .await;
        if ready != Ok(true) {
            host.shutdown().await;
            sender.close();
            return Err(crate::exit::CliError::Demo(
                "the Cloud Requests host never became ready".into(),
            ));
        }
        // The player: a stand-in for the Scratch project's template sprite.
        let (player_sender, player_events) = client
            .turbowarp_cloud(WRITE_PROJECT, CLOUD_PLAYER_NAME)
            .await?;
        let mut template = TemplateClient::new(player_sender.clone(), player_events)
            .with_timeout(CLOUD_REQUEST_TIMEOUT);
        let mut exchanges = Vec::new();
        let mut failure = None;
        for (request, args) in [("ping", vec![]), ("reverse", vec!["scratchkit"])] {
            let before = template.sent().len();
            match template.request(request, &args).await {
                Ok(TemplateReply { items, packets, .. }) => exchanges.push(Exchange {
                    request,
                    args,
                    to_host: template.sent()[before..].to_vec(),
                    reply: items,
                    packets,
                }),
                Err(e) => {
                    failure = Some(format!("Cloud Request {request:?} failed: {e}"));
                    break;
                }
            }
        }
        host.shutdown().await;
        sender.close();
        player_sender.close();
        // What the host saw (everything it reported until now).
        let mut served = Vec::new();
        while let Ok(Some(event)) =
            tokio::time::timeout(Duration::from_millis(1), host_events.recv()).await
        {
            if let RequestEvent::Received { name, .. } = event {
                served.push(name);
            }
        }
        if let Some(failure) = failure {
            return Err(crate::exit::CliError::Demo(failure));
        }
        let data = json!({
            "rules": "turbowarp",
            "server": url,
            "project": WRITE_PROJECT,
            "exchanges": exchanges,
            "host_received": served,
        });
        tour.show(&data, |out| {
            out.line(format!(
                "A host answers \"ping\" and \"reverse\" on project {WRITE_PROJECT}'s cloud \
                 (TurboWarp rules, {url});"
            ))?;
            out.line("a template client, playing the Scratch project, asks:")?;
            out.line("")?;
            let mut rows = Vec::new();
            for e in &exchanges {
                let call = if e.args.is_empty() {
                    e.request.to_owned()
                } else {
                    format!("{}({})", e.request, e.args.join(", "))
                };
                rows.push((
                    "Request",
                    format!("{call}  →  ☁ TO_HOST = {}", e.to_host.join(", ")),
                ));
                rows.push((
                    "Reply",
                    format!(
                        "{}  ({} packet{} in ☁ FROM_HOST_n)",
                        e.reply.join(", "),
                        e.packets,
                        if e.packets == 1 { "" } else { "s" }
                    ),
                ));
            }
            out.fields(&rows)
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
        let table = crate::commands::site::front_page_rows(&featured);
        assert_eq!(table.len(), 7);
        assert!(!featured.community_featured_projects.is_empty());
    }
}
