//! The scratchkit side: the same operations as `compat/parity_sa.py`, through the scratchkit
//! client, each announced with a marker request (setup traffic under the `-` marker).

use std::collections::HashMap;
use std::fmt::Display;
use std::future::IntoFuture;
use std::net::SocketAddr;
use std::time::Duration;

use futures_util::StreamExt as _;
use scratchkit::model::{CommentId, ExploreMode};
use scratchkit::{Client, Hosts, RateLimit, Url};
use serde::Serialize;

use crate::http::mark;

/// Every compared operation, in the order both sides run them (reads logged out, then the
/// login, the writes, the cloud and the logout).
pub const OPS: &[&str] = &[
    "user_info",
    "user_projects",
    "user_followers",
    "user_following",
    "user_favorites",
    "user_curated_studios",
    "user_message_count",
    "user_featured_project",
    "project_info",
    "project_remixes",
    "project_studios",
    "project_comments",
    "project_comment_replies",
    "project_body",
    "studio_info",
    "studio_projects",
    "studio_curators",
    "studio_managers",
    "studio_comments",
    "studio_activity",
    "news",
    "featured",
    "explore_projects",
    "search_projects",
    "explore_studios",
    "search_studios",
    "check_username",
    "health",
    "project_count",
    "statistics_daily",
    "cloud_logs",
    "profile_comments_read",
    "login",
    "session_message_count",
    "love",
    "unlove",
    "favorite",
    "unfavorite",
    "follow_user",
    "unfollow_user",
    "follow_studio",
    "unfollow_studio",
    "project_set_title",
    "project_set_instructions",
    "project_share",
    "post_project_comment",
    "reply_project_comment",
    "delete_project_comment",
    "report_project_comment",
    "post_studio_comment",
    "delete_studio_comment",
    "report_studio_comment",
    "studio_add_project",
    "studio_remove_project",
    "project_unshare",
    "post_profile_comment",
    "delete_profile_comment",
    "report_profile_comment",
    "cloud_set",
    "turbowarp_cloud_set",
    "logout",
];

/// The operations' arguments, shared with the Python side (as JSON).
#[derive(Debug, Clone, Serialize)]
pub struct Args {
    pub user: String,
    pub project: u64,
    pub project_author: String,
    pub studio: u64,
    pub comment_with_replies: u64,
    pub me: String,
    pub password: String,
    pub my_project: u64,
    pub my_studio: u64,
    pub profile_comment_delete: u64,
    pub profile_comment_report: u64,
    pub cloud_project: u64,
    pub cloud_value: u64,
}

/// The scratchkit side's state.
pub struct Side {
    client: Client,
    sandbox: SocketAddr,
    args: Args,
    comments: HashMap<&'static str, CommentId>,
}

/// Where a setup comment goes.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// Project 142 (someone else's).
    Project,
    /// The parity project (the logged-in user's: scratchattach only deletes comments there).
    MyProject,
    /// The parity studio.
    Studio,
}

fn text(kind: &str) -> String {
    format!("parity {kind} comment")
}

fn err(e: impl Display) -> String {
    e.to_string()
}

impl Side {
    /// A logged-out client for the sandbox at `sandbox` whose cloud WebSockets go to the
    /// witness at `witness`.
    pub fn new(sandbox: SocketAddr, witness: SocketAddr, args: Args) -> Result<Self, String> {
        let ws = |path: &str| Url::parse(&format!("ws://{witness}{path}")).map_err(err);
        let hosts = Hosts::sandbox(sandbox)
            .with_cloud_ws(ws("/cloud")?)
            .with_turbowarp_ws(ws("/turbowarp")?);
        let client = Client::builder()
            .hosts(hosts)
            .rate_limit(RateLimit::unlimited())
            .build()
            .map_err(err)?;
        Ok(Side {
            client,
            sandbox,
            args,
            comments: HashMap::new(),
        })
    }

    /// Marks `op`, then awaits `call` (built beforehand: builders and async calls send
    /// nothing until awaited).
    async fn step<F, T, E>(&self, op: &str, call: F) -> Result<(), String>
    where
        F: IntoFuture<Output = Result<T, E>>,
        E: Display,
    {
        mark(self.sandbox, op).await?;
        call.await.map(|_| ()).map_err(err)
    }

    /// Setup: posts a comment (on project 142, the own project or the own studio) and keeps
    /// its id.
    async fn posted(&mut self, key: &'static str, on: Place) -> Result<CommentId, String> {
        mark(self.sandbox, "-").await?;
        let body = text(key);
        let comment = match on {
            Place::Studio => {
                self.client
                    .studio(self.args.my_studio)
                    .comments()
                    .post(&body)
                    .await
            }
            Place::Project => {
                self.client
                    .project(self.args.project)
                    .comments()
                    .post(&body)
                    .await
            }
            Place::MyProject => {
                self.client
                    .project(self.args.my_project)
                    .comments()
                    .post(&body)
                    .await
            }
        }
        .map_err(err)?;
        self.comments.insert(key, comment.id);
        Ok(comment.id)
    }

    /// Runs one operation.
    pub async fn run(&mut self, op: &str) -> Result<(), String> {
        let c = self.client.clone();
        let a = self.args.clone();
        let user = c.user(a.user.as_str());
        let project = c.project(a.project).by(a.project_author.as_str());
        let studio = c.studio(a.studio);
        let mine = c.project(a.my_project);
        let my_studio = c.studio(a.my_studio);
        match op {
            "user_info" => self.step(op, user.info()).await,
            "user_projects" => self.step(op, user.projects().limit(40)).await,
            "user_followers" => self.step(op, user.followers().limit(40)).await,
            "user_following" => self.step(op, user.following().limit(40)).await,
            "user_favorites" => self.step(op, user.favorites().limit(40)).await,
            "user_curated_studios" => self.step(op, user.curated_studios().limit(40)).await,
            "user_message_count" => self.step(op, user.message_count()).await,
            "user_featured_project" => self.step(op, user.featured_project()).await,
            "project_info" => self.step(op, project.info()).await,
            "project_remixes" => self.step(op, project.remixes().limit(40)).await,
            "project_studios" => self.step(op, project.studios().limit(40)).await,
            "project_comments" => self.step(op, project.comments().list().limit(40)).await,
            "project_comment_replies" => {
                let replies = project
                    .comments()
                    .replies(CommentId::from(a.comment_with_replies))
                    .limit(40);
                self.step(op, replies).await
            }
            "project_body" => self.step(op, project.project_body()).await,
            "studio_info" => self.step(op, studio.info()).await,
            "studio_projects" => self.step(op, studio.projects().limit(40)).await,
            "studio_curators" => self.step(op, studio.curators().limit(40)).await,
            "studio_managers" => self.step(op, studio.managers().limit(40)).await,
            "studio_comments" => self.step(op, studio.comments().list().limit(40)).await,
            "studio_activity" => self.step(op, studio.activity().limit(40)).await,
            "news" => self.step(op, c.news().limit(10)).await,
            "featured" => self.step(op, c.featured()).await,
            "explore_projects" => {
                let call = c
                    .explore()
                    .projects()
                    .query("*")
                    .mode(ExploreMode::Trending)
                    .language("en")
                    .limit(40);
                self.step(op, call).await
            }
            "search_projects" => {
                let call = c
                    .search("cat")
                    .projects()
                    .mode(ExploreMode::Popular)
                    .language("en")
                    .limit(40);
                self.step(op, call).await
            }
            "explore_studios" => {
                let call = c
                    .explore()
                    .studios()
                    .query("*")
                    .mode(ExploreMode::Trending)
                    .language("en")
                    .limit(40);
                self.step(op, call).await
            }
            "search_studios" => {
                let call = c
                    .search("art")
                    .studios()
                    .mode(ExploreMode::Popular)
                    .language("en")
                    .limit(40);
                self.step(op, call).await
            }
            "check_username" => self.step(op, c.check_username("a_fresh_name_42")).await,
            "health" => self.step(op, c.health()).await,
            "project_count" => self.step(op, c.shared_project_count()).await,
            "statistics_daily" => self.step(op, c.statistics().daily()).await,
            "cloud_logs" => self.step(op, c.cloud_logs(a.project).limit(10)).await,
            "profile_comments_read" => {
                // One comment: only `?page=1` is read, as scratchattach reads it.
                self.step(op, user.comments().list().limit(1)).await
            }
            "login" => {
                let password = a.password.clone();
                self.step(op, c.login(&a.me, password)).await
            }
            "session_message_count" => self.step(op, c.me().message_count()).await,
            "love" => self.step(op, project.love()).await,
            "unlove" => self.step(op, project.unlove()).await,
            "favorite" => self.step(op, project.favorite()).await,
            "unfavorite" => self.step(op, project.unfavorite()).await,
            "follow_user" => self.step(op, user.follow()).await,
            "unfollow_user" => self.step(op, user.unfollow()).await,
            "follow_studio" => self.step(op, studio.follow()).await,
            "unfollow_studio" => self.step(op, studio.unfollow()).await,
            "post_project_comment" => self.step(op, project.comments().post(&text("top"))).await,
            "reply_project_comment" => {
                let parent = self.posted("parent", Place::Project).await?;
                let body = text("reply");
                self.step(op, project.comments().reply(parent, None, &body))
                    .await
            }
            "delete_project_comment" => {
                let doomed = self.posted("doomed", Place::MyProject).await?;
                self.step(op, mine.comments().delete(doomed)).await
            }
            "report_project_comment" => {
                let bad = self.posted("reported", Place::Project).await?;
                self.step(op, project.comments().report(bad)).await
            }
            "post_studio_comment" => {
                self.step(op, my_studio.comments().post(&text("studio")))
                    .await
            }
            "delete_studio_comment" => {
                let doomed = self.posted("doomed", Place::Studio).await?;
                self.step(op, my_studio.comments().delete(doomed)).await
            }
            "report_studio_comment" => {
                let bad = self.posted("reported", Place::Studio).await?;
                self.step(op, my_studio.comments().report(bad)).await
            }
            "studio_add_project" => self.step(op, my_studio.add_project(a.my_project)).await,
            "studio_remove_project" => self.step(op, my_studio.remove_project(a.my_project)).await,
            "project_set_title" => self.step(op, mine.set_title("parity title")).await,
            "project_set_instructions" => {
                self.step(op, mine.set_instructions("parity instructions"))
                    .await
            }
            "project_share" => self.step(op, mine.share()).await,
            "project_unshare" => self.step(op, mine.unshare()).await,
            "post_profile_comment" => {
                let body = text("profile");
                self.step(op, user.comments().post(&body)).await
            }
            "delete_profile_comment" => {
                let comments = c.user(a.me.as_str()).comments();
                let call = comments.delete(CommentId::from(a.profile_comment_delete));
                self.step(op, call).await
            }
            "report_profile_comment" => {
                let comments = c.user(a.me.as_str()).comments();
                let call = comments.report(CommentId::from(a.profile_comment_report));
                self.step(op, call).await
            }
            "cloud_set" | "turbowarp_cloud_set" => {
                mark(self.sandbox, op).await?;
                let builder = if op == "cloud_set" {
                    c.cloud(a.cloud_project)
                } else {
                    c.turbowarp_cloud(a.cloud_project, "parity_player")
                };
                let (sender, mut events) = builder.await.map_err(err)?;
                sender.set("score", a.cloud_value).map_err(err)?;
                sender.flush().await.map_err(err)?;
                sender.close();
                // Let the connection wind down (bounded) before the next operation.
                let _ = tokio::time::timeout(Duration::from_secs(3), async {
                    while events.next().await.is_some() {}
                })
                .await;
                Ok(())
            }
            "logout" => self.step(op, c.logout()).await,
            other => Err(format!("no scratchkit side for {other}")),
        }
    }
}
