//! Finding out who sent a request: the cloud logs, matched by exact value.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use scratchkit::Client;
use scratchkit::cloud::{MAX_LOG_LIMIT, strip_cloud_prefix};
use scratchkit_model::{CloudLogEntry, ProjectId};

/// The future a [`RequesterLookup`] returns.
pub type LookupFuture<'a> = Pin<Box<dyn Future<Output = Option<String>> + Send + 'a>>;

/// Resolves the user who set `variable` (bare name) to `value`, or `None` when it cannot be
/// established. Implementations must never guess: a wrong name is worse than none.
pub trait RequesterLookup: Send + Sync {
    /// Who set `variable` to exactly `value`.
    fn lookup<'a>(&'a self, variable: &'a str, value: &'a str) -> LookupFuture<'a>;
}

/// Looks requesters up in Scratch's cloud logs.
///
/// [`Client::cloud_logs`] (`GET https://clouddata.scratch.mit.edu/logs?projectid=<id>&limit=100&offset=0`): the
/// newest row whose variable and value equal the request's final `TO_HOST` value (which
/// ends in a random id, so it is practically unique). Timestamps are ignored (clock skew and
/// log lag made scratchattach's time-based match unreliable); the logs are read again a few
/// times while the row has not appeared yet. Logs down or no matching row: `None`.
/// TurboWarp keeps no logs: do not use this lookup there.
///
/// ```no_run
/// use scratchkit_cloud_requests::CloudLogsLookup;
///
/// let lookup = CloudLogsLookup::new(scratchkit::Client::new(), 1234u64);
/// # let _ = lookup;
/// ```
#[derive(Clone)]
pub struct CloudLogsLookup {
    client: Client,
    project: ProjectId,
    attempts: u32,
    delay: Duration,
}

impl fmt::Debug for CloudLogsLookup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CloudLogsLookup")
            .field("project", &self.project)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

impl CloudLogsLookup {
    /// A lookup in the logs of `project`, through `client` (its hosts, rate limit and
    /// retries). Three attempts, 500 ms apart.
    pub fn new(client: Client, project: impl Into<ProjectId>) -> Self {
        CloudLogsLookup {
            client,
            project: project.into(),
            attempts: 3,
            delay: Duration::from_millis(500),
        }
    }

    /// Reads the logs up to `attempts` times (at least once), `delay` apart, while no row
    /// matches.
    pub fn with_attempts(mut self, attempts: u32, delay: Duration) -> Self {
        self.attempts = attempts.max(1);
        self.delay = delay;
        self
    }

    async fn find(&self, variable: &str, value: &str) -> Option<String> {
        for attempt in 0..self.attempts {
            if attempt > 0 {
                tokio::time::sleep(self.delay).await;
            }
            let rows = match self
                .client
                .cloud_logs(self.project)
                .limit(MAX_LOG_LIMIT)
                .await
            {
                Ok(page) => page.into_iter().collect::<Vec<CloudLogEntry>>(),
                Err(error) => {
                    tracing::debug!(%error, "cloud logs unavailable for the requester lookup");
                    continue;
                }
            };
            if let Some(user) = matching_user(&rows, variable, value) {
                return Some(user);
            }
        }
        None
    }
}

impl RequesterLookup for CloudLogsLookup {
    fn lookup<'a>(&'a self, variable: &'a str, value: &'a str) -> LookupFuture<'a> {
        Box::pin(self.find(variable, value))
    }
}

/// The user of the newest row that set `variable` (bare) to exactly `value`.
fn matching_user(rows: &[CloudLogEntry], variable: &str, value: &str) -> Option<String> {
    rows.iter()
        .find(|row| strip_cloud_prefix(&row.name) == variable && row.value.as_text() == value)
        .map(|row| row.user.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_by_exact_value_only() {
        let rows: Vec<CloudLogEntry> = serde_json::from_str(
            r#"[
              {"user":"bob","verb":"set_var","name":"☁ TO_HOST","value":"51374733.123450","timestamp":1700000000000},
              {"user":"eve","verb":"set_var","name":"☁ FROM_HOST_1","value":"51374733.223450","timestamp":1700000000000},
              {"user":"ann","verb":"set_var","name":"☁ TO_HOST","value":"51374733.223450","timestamp":1600000000000}
            ]"#,
        )
        .unwrap();
        assert_eq!(
            matching_user(&rows, "TO_HOST", "51374733.223450").as_deref(),
            Some("ann")
        );
        assert_eq!(
            matching_user(&rows, "TO_HOST", "51374733.123450").as_deref(),
            Some("bob")
        );
        assert_eq!(matching_user(&rows, "TO_HOST", "51374733.999990"), None);
    }
}
