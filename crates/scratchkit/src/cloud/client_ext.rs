//! Cloud variables from a [`Client`]: `client.cloud(project)`, `client.turbowarp_cloud(…)` and
//! `client.cloud_logs(project)`, using the client's hosts, login and User-Agent.

use std::collections::HashMap;
use std::fmt;
use std::future::IntoFuture;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use scratchkit_model::{CloudVerb, ProjectId};

use super::backoff::ReconnectPolicy;
use super::config::{CloudConfig, Keepalive};
use super::connection::CloudConnection;
use super::error::CloudError;
use super::events::CloudEvents;
use super::logs::{CloudLogsRequest, MAX_LOG_LIMIT};
use super::sender::CloudSender;
use crate::RateLimit;
use crate::client::Client;
use scratchkit_model::js_number_to_string;
use scratchkit_wire::cloud::strip_cloud_prefix;

/// Which server a [`CloudBuilder`] connects to.
#[derive(Debug, Clone)]
enum Server {
    /// Scratch's (the client's login).
    Scratch,
    /// TurboWarp's, under this username.
    TurboWarp { username: String },
}

/// A cloud connection to be opened; made by [`Client::cloud`] or [`Client::turbowarp_cloud`].
/// Await it to connect: the output is the sending half and the event stream of
/// [`CloudConnection::connect`].
///
/// Before connecting it can seed the latest-value map that [`CloudSender::get`] reads, for
/// servers that send no join snapshot (Scratch's is unreliable): from the project file's
/// cloud variables, then from the newest rows of the cloud log. The snapshot and live updates
/// override seeded values. Seeding is best effort: a failed lookup is logged and skipped.
/// By default Scratch connections seed from both, TurboWarp connections from neither.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use futures_util::StreamExt;
/// use scratchkit::cloud::CloudEvent;
///
/// let client = scratchkit::Client::new(); // log in first for Scratch's cloud
/// let (sender, mut events) = client
///     .turbowarp_cloud(1_182_391_014u64, "player42")
///     .await?;
/// sender.set("score", 7)?;
/// while let Some(event) = events.next().await {
///     if let CloudEvent::Set { name, value } = event {
///         println!("{name} = {value}");
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a cloud connection is opened when the builder is awaited"]
pub struct CloudBuilder {
    client: Client,
    project: ProjectId,
    server: Server,
    rate_limit: Option<RateLimit>,
    reconnect: Option<ReconnectPolicy>,
    keepalive: Option<Keepalive>,
    seed_from_project: bool,
    seed_from_logs: bool,
    headers: Vec<(String, String)>,
}

impl fmt::Debug for CloudBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CloudBuilder")
            .field("project", &self.project)
            .field("server", &self.server)
            .field("seed_from_project", &self.seed_from_project)
            .field("seed_from_logs", &self.seed_from_logs)
            .finish_non_exhaustive()
    }
}

impl CloudBuilder {
    fn new(client: &Client, project: ProjectId, server: Server) -> Self {
        let scratch = matches!(server, Server::Scratch);
        CloudBuilder {
            client: client.clone(),
            project,
            server,
            rate_limit: None,
            reconnect: None,
            keepalive: None,
            seed_from_project: scratch,
            seed_from_logs: scratch,
            headers: Vec::new(),
        }
    }

    /// Paces outgoing messages with this limit (default: 10/s on Scratch, none on TurboWarp).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Reconnects with this policy (default: Scratch's editor backoff, capped).
    pub fn reconnect(mut self, policy: ReconnectPolicy) -> Self {
        self.reconnect = Some(policy);
        self
    }

    /// Uses these keepalive timers.
    pub fn keepalive(mut self, keepalive: Keepalive) -> Self {
        self.keepalive = Some(keepalive);
        self
    }

    /// Sends one more header with the WebSocket handshake (see
    /// [`CloudConfig::with_header`]); later calls add more.
    ///
    /// ```
    /// let client = scratchkit::Client::sandbox("127.0.0.1:8080".parse().unwrap());
    /// let builder = client.turbowarp_cloud(5u64, "player1").header("X-Bot", "scoreboard");
    /// assert!(builder.config().is_ok());
    /// ```
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Seeds values from the project file's cloud variables (stage variables with the cloud
    /// flag) before connecting.
    pub fn seed_from_project(mut self, yes: bool) -> Self {
        self.seed_from_project = yes;
        self
    }

    /// Seeds values from the newest 100 rows of the cloud log before connecting.
    pub fn seed_from_logs(mut self, yes: bool) -> Self {
        self.seed_from_logs = yes;
        self
    }

    /// The connection settings this builder would use, without connecting or seeding.
    ///
    /// ```
    /// let client = scratchkit::Client::sandbox("127.0.0.1:8080".parse().unwrap());
    /// let config = client.turbowarp_cloud(5u64, "player1").config().unwrap();
    /// assert_eq!(config.url(), "ws://127.0.0.1:8080/turbowarp");
    /// assert_eq!(config.username(), "player1");
    /// ```
    ///
    /// # Errors
    ///
    /// [`CloudError::LoginRequired`] for Scratch's cloud on a logged-out client.
    pub fn config(&self) -> Result<CloudConfig, CloudError> {
        let hosts = self.client.hosts();
        let mut config = match &self.server {
            Server::Scratch => {
                let auth = self.client.auth_state().ok_or(CloudError::LoginRequired)?;
                CloudConfig::scratch(self.project, auth.username(), auth.session_id().to_owned())
                    .with_url(hosts.cloud_ws().as_str().trim_end_matches('/'))
                    .with_user_agent(self.client.user_agent())
            }
            Server::TurboWarp { username } => {
                CloudConfig::turbowarp(self.project, username.clone(), self.client.user_agent())
                    .with_url(hosts.turbowarp_ws().as_str().trim_end_matches('/'))
            }
        };
        config = config.with_proxy(crate::Proxy::resolved(
            self.client.transport().proxies().cloned(),
        ));
        if let Some(limit) = self.rate_limit {
            config = config.with_rate_limit(limit);
        }
        if let Some(policy) = self.reconnect {
            config = config.with_reconnect(policy);
        }
        if let Some(keepalive) = self.keepalive {
            config = config.with_keepalive(keepalive);
        }
        for (name, value) in &self.headers {
            config = config.with_header(name.clone(), value.clone());
        }
        Ok(config)
    }

    /// The seed values: the project file's, then the log's newest (which win).
    async fn seed(&self) -> HashMap<String, String> {
        let mut values = HashMap::new();
        if self.seed_from_project {
            match self.client.project(self.project).project_json().await {
                Ok(project) => {
                    if let Some(stage) = project.stage() {
                        for (_, var) in stage.cloud_variables() {
                            let value = match &var.value {
                                serde_json::Value::String(text) => text.clone(),
                                serde_json::Value::Number(n) => n
                                    .as_f64()
                                    .map_or_else(|| n.to_string(), js_number_to_string),
                                other => other.to_string(),
                            };
                            values.insert(strip_cloud_prefix(&var.name).to_owned(), value);
                        }
                    }
                }
                Err(error) => tracing::debug!(%error, "no cloud seed from the project file"),
            }
        }
        if self.seed_from_logs {
            let logs =
                CloudLogsRequest::new(self.client.clone(), self.project).limit(MAX_LOG_LIMIT);
            match logs.await {
                Ok(page) => {
                    let mut decided = std::collections::HashSet::new();
                    // Newest first: the first row of a variable is its latest state.
                    for row in page {
                        let name = row.variable().to_owned();
                        if !decided.insert(name.clone()) {
                            continue;
                        }
                        match row.verb {
                            CloudVerb::Set | CloudVerb::Create => {
                                values.insert(name, row.value.to_string());
                            }
                            CloudVerb::Delete => {
                                values.remove(&name);
                            }
                            _ => {}
                        }
                    }
                }
                Err(error) => tracing::debug!(%error, "no cloud seed from the logs"),
            }
        }
        values
    }
}

impl IntoFuture for CloudBuilder {
    type Output = Result<(CloudSender, CloudEvents), CloudError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        async move {
            let config = self.config()?;
            let seed = self.seed().await;
            CloudConnection::connect_seeded(config, seed).await
        }
        .boxed()
    }
}

impl Client {
    /// Scratch's cloud variables of a project, as the logged-in user: a WebSocket to
    /// [`Hosts::cloud_ws`](crate::Hosts::cloud_ws) with the session cookie and
    /// `Origin: https://scratch.mit.edu`, Scratch's rules (numbers only, at most 256
    /// characters and 10 variables, 10 sets/s).
    ///
    /// Scratch path: `wss://clouddata.scratch.mit.edu` (handshake `{"method":"handshake",
    /// "user":<you>,"project_id":<id>}`). Only Scratchers may use it (not New Scratchers).
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> Result<(), scratchkit::cloud::CloudError> {
    /// let (sender, _events) = client.cloud(1_182_391_014u64).await?;
    /// sender.set("score", 100)?;
    /// println!("high score: {:?}", sender.get("high score"));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// When awaited: [`CloudError::LoginRequired`] on a logged-out client (nothing is sent),
    /// [`CloudError::Refused`] when the server refuses the session or Origin, or another
    /// [`CloudError`] from [`CloudConnection::connect`].
    pub fn cloud(&self, project: impl Into<ProjectId>) -> CloudBuilder {
        CloudBuilder::new(self, project.into(), Server::Scratch)
    }

    /// TurboWarp's cloud variables of a project under any username: a WebSocket to
    /// [`Hosts::turbowarp_ws`](crate::Hosts::turbowarp_ws) with the client's User-Agent (make
    /// it descriptive: TurboWarp asks bots for contact information) and never a Scratch
    /// cookie; TurboWarp's rules (at most 100 000 characters and 128 variables).
    ///
    /// Server: `wss://clouddata.turbowarp.org`.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> Result<(), scratchkit::cloud::CloudError> {
    /// let (sender, _events) = client.turbowarp_cloud(1_182_391_014u64, "player42").await?;
    /// sender.set("score", 100)?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// When awaited: as [`CloudConnection::connect`].
    pub fn turbowarp_cloud(
        &self,
        project: impl Into<ProjectId>,
        username: impl Into<String>,
    ) -> CloudBuilder {
        CloudBuilder::new(
            self,
            project.into(),
            Server::TurboWarp {
                username: username.into(),
            },
        )
    }

    /// A project's cloud log (who set what, with the server's timestamp): pages, a stream of
    /// every row, or a polling stream of new rows. See [`CloudLogsRequest`].
    ///
    /// Scratch path: `GET https://clouddata.scratch.mit.edu/logs?projectid=<id>&limit=<n>&offset=<n>`.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let newest = client.cloud_logs(1_182_391_014u64).limit(5).await?;
    /// println!("{} rows", newest.len());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// When awaited: [`Error::InvalidInput`](crate::Error::InvalidInput) for a limit outside
    /// 1 to 100, or the error of the request.
    pub fn cloud_logs(&self, project: impl Into<ProjectId>) -> CloudLogsRequest {
        CloudLogsRequest::new(self.clone(), project.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::CloudRules;

    #[test]
    fn scratch_cloud_needs_a_login_and_turbowarp_uses_the_client_user_agent() {
        let client = Client::builder()
            .hosts(crate::Hosts::sandbox("127.0.0.1:9".parse().unwrap()))
            .user_agent("bot/1.0 (me@example.org)")
            .build()
            .unwrap();
        assert!(matches!(
            client.cloud(1u64).config(),
            Err(CloudError::LoginRequired)
        ));
        let config = client.turbowarp_cloud(1u64, "p1").config().unwrap();
        assert_eq!(config.url(), "ws://127.0.0.1:9/turbowarp");
        assert_eq!(config.rules(), CloudRules::turbowarp());
        assert_eq!(
            config.user_agent.as_deref(),
            Some("bot/1.0 (me@example.org)")
        );
        assert!(config.session_id.is_none());
    }

    #[test]
    fn scratch_cloud_uses_the_login_and_scratch_rules() {
        let client = Client::sandbox("127.0.0.1:9".parse().unwrap());
        client.set_auth(Some(crate::client::AuthState::new(
            "griffpatch",
            Some(1),
            "tok",
            "s3cr3t-sess",
            "csrf",
        )));
        let config = client
            .cloud(5u64)
            .rate_limit(RateLimit::new(2.0, 2))
            .config()
            .unwrap();
        assert_eq!(config.url(), "ws://127.0.0.1:9/cloud");
        assert_eq!(config.username(), "griffpatch");
        assert_eq!(config.project_id(), "5");
        assert_eq!(config.rules(), CloudRules::Scratch);
        assert_eq!(config.rate_limit(), RateLimit::new(2.0, 2));
        assert_eq!(config.origin.as_deref(), Some(super::super::SCRATCH_ORIGIN));
        assert!(!format!("{config:?}").contains("s3cr3t"));
    }
}
