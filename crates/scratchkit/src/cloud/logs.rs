//! Cloud logs (`clouddata.scratch.mit.edu/logs`): typed pages, a stream of every row, and a
//! polling stream of new rows.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::IntoFuture;
use std::time::Duration;

use futures_util::future::BoxFuture;
use futures_util::{FutureExt, Stream, stream};
use scratchkit_model::{CloudLogEntry, ProjectId};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::page::{Page, paginate};

/// Most rows one `/logs` request asks for.
pub const MAX_LOG_LIMIT: u32 = 100;
/// Rows one page holds unless [`CloudLogsRequest::limit`] says otherwise (the website's 40).
pub const DEFAULT_LOG_LIMIT: u32 = 40;
/// How often [`CloudLogEvents`] polls unless told otherwise.
pub const DEFAULT_LOG_POLL: Duration = Duration::from_secs(5);
/// The shortest polling period [`CloudLogEvents`] accepts (shorter ones are raised to it).
pub const MIN_LOG_POLL: Duration = Duration::from_secs(1);
/// Pages of [`MAX_LOG_LIMIT`] rows one poll reads at most to catch up.
const MAX_CATCH_UP_PAGES: u32 = 10;

/// A project's cloud log: who set which cloud variable to what, and when (server time).
/// Made by [`Client::cloud_logs`]; nothing is sent until it is awaited or streamed.
///
/// * `.await`: one [`Page`] of rows, newest first;
/// * [`stream`](Self::stream): every row from the offset on, newest first;
/// * [`events`](Self::events): the rows added from now on, oldest first, by polling politely.
///
/// Scratch path: `GET https://clouddata.scratch.mit.edu/logs?projectid=<id>&limit=<n>&offset=<n>`.
/// The endpoint needs no login and has been down for long periods: treat its failures as
/// "unknown", not as "empty".
///
/// ```no_run
/// # async fn demo() -> scratchkit::Result<()> {
/// let client = scratchkit::Client::new();
/// let page = client.cloud_logs(1_182_391_014u64).limit(10).await?;
/// for row in page {
///     println!("{} set {} to {}", row.user, row.variable(), row.value);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a log request does nothing until it is awaited or streamed"]
pub struct CloudLogsRequest {
    client: Client,
    project: ProjectId,
    limit: u32,
    offset: u32,
    max: Option<usize>,
}

impl fmt::Debug for CloudLogsRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CloudLogsRequest")
            .field("project", &self.project)
            .field("limit", &self.limit)
            .field("offset", &self.offset)
            .field("max", &self.max)
            .finish_non_exhaustive()
    }
}

impl CloudLogsRequest {
    pub(crate) fn new(client: Client, project: ProjectId) -> Self {
        CloudLogsRequest {
            client,
            project,
            limit: DEFAULT_LOG_LIMIT,
            offset: 0,
            max: None,
        }
    }

    /// Rows per page: 1 to [`MAX_LOG_LIMIT`] (default [`DEFAULT_LOG_LIMIT`]). Out of range is
    /// an [`Error::InvalidInput`] when awaited.
    pub fn limit(mut self, n: u32) -> Self {
        self.limit = n;
        self
    }

    /// Rows to skip from the newest (default 0).
    pub fn offset(mut self, n: u32) -> Self {
        self.offset = n;
        self
    }

    /// At most this many rows in all from [`stream`](Self::stream).
    pub fn max(mut self, n: usize) -> Self {
        self.max = Some(n);
        self
    }

    /// Every row from the offset on, newest first, 40 per request; ends after a short page, an
    /// error, or [`max`](Self::max) rows.
    pub fn stream(self) -> impl Stream<Item = Result<CloudLogEntry>> + Send + 'static {
        let Self {
            client,
            project,
            offset,
            max,
            ..
        } = self;
        paginate(
            move |offset, limit| {
                let client = client.clone();
                async move { fetch(&client, project, limit, offset).await }
            },
            offset,
            max,
        )
    }

    /// The rows added from now on, oldest first, found by polling the log every
    /// [`DEFAULT_LOG_POLL`] (see [`CloudLogEvents::every`]). The first poll only notes what is
    /// already there. Rows are matched by (timestamp, user, name, value) across overlapping
    /// pages, so none is reported twice and none is skipped while fewer than 1000 rows arrive
    /// between two polls. A failed poll is reported as an `Err` item and polling goes on.
    pub fn events(self) -> CloudLogEvents {
        CloudLogEvents {
            client: self.client,
            project: self.project,
            every: DEFAULT_LOG_POLL,
        }
    }
}

impl IntoFuture for CloudLogsRequest {
    type Output = Result<Page<CloudLogEntry>>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        async move {
            let limit = check_limit(self.limit)?;
            let items = fetch(&self.client, self.project, limit, self.offset).await?;
            Ok(Page {
                items,
                offset: self.offset,
                limit,
            })
        }
        .boxed()
    }
}

fn check_limit(limit: u32) -> Result<u32> {
    if (1..=MAX_LOG_LIMIT).contains(&limit) {
        Ok(limit)
    } else {
        Err(Error::invalid(
            "limit",
            format!("{limit} is outside 1 to {MAX_LOG_LIMIT}"),
        ))
    }
}

/// One `GET /logs` request.
async fn fetch(
    client: &Client,
    project: ProjectId,
    limit: u32,
    offset: u32,
) -> Result<Vec<CloudLogEntry>> {
    let (project, limit, offset) = (project.to_string(), limit.to_string(), offset.to_string());
    client
        .get_json(
            Host::CloudData,
            "/logs",
            &[
                ("projectid", project.as_str()),
                ("limit", limit.as_str()),
                ("offset", offset.as_str()),
            ],
        )
        .await
}

/// New rows of a cloud log, by polling; made by [`CloudLogsRequest::events`]. Turn it into a
/// stream with [`stream`](Self::stream).
///
/// ```no_run
/// # async fn demo() -> scratchkit::Result<()> {
/// use std::time::Duration;
/// use futures_util::StreamExt;
///
/// let client = scratchkit::Client::new();
/// let events = client.cloud_logs(1_182_391_014u64).events().every(Duration::from_secs(10));
/// let mut events = std::pin::pin!(events.stream());
/// while let Some(row) = events.next().await {
///     let row = row?;
///     println!("{}: {} set {} to {}", row.timestamp, row.user, row.variable(), row.value);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
#[must_use = "events do nothing until streamed"]
pub struct CloudLogEvents {
    client: Client,
    project: ProjectId,
    every: Duration,
}

/// The identity of a row across polls.
type RowKey = (i64, String, String, String);

fn key(row: &CloudLogEntry) -> RowKey {
    (
        row.timestamp.unix_millis(),
        row.user.clone(),
        row.name.clone(),
        row.value.to_string(),
    )
}

/// What a poller knows between polls.
#[derive(Debug, Default)]
struct Seen {
    /// The rows of the last window read (the newest rows of the log).
    keys: HashSet<RowKey>,
    /// Rows older than this were below the last window: never new (`None` before the first
    /// poll or when the whole log fitted in the window).
    floor: Option<i64>,
    started: bool,
}

impl Seen {
    /// Takes one poll's window (newest first, possibly several pages) and returns the new rows,
    /// oldest first. `complete` says whether the window reached the end of the log.
    fn absorb(&mut self, window: Vec<CloudLogEntry>, complete: bool) -> Vec<CloudLogEntry> {
        let first = !self.started;
        self.started = true;
        let mut fresh = Vec::new();
        let mut keys = HashSet::with_capacity(window.len());
        for row in window {
            let k = key(&row);
            let old = self.keys.contains(&k) || self.floor.is_some_and(|floor| k.0 < floor);
            if !first && !old && !keys.contains(&k) {
                fresh.push(row);
            }
            keys.insert(k);
        }
        self.floor = if complete {
            None
        } else {
            keys.iter().map(|k| k.0).min()
        };
        self.keys = keys;
        fresh.reverse();
        fresh
    }
}

impl CloudLogEvents {
    /// Polls every `period` (at least [`MIN_LOG_POLL`]; default [`DEFAULT_LOG_POLL`]).
    pub fn every(mut self, period: Duration) -> Self {
        self.every = period.max(MIN_LOG_POLL);
        self
    }

    /// The polling period.
    pub fn period(&self) -> Duration {
        self.every
    }

    /// The new rows as a stream (oldest first); it never ends by itself. A failed poll yields
    /// its error and polling goes on at the next period.
    pub fn stream(self) -> impl Stream<Item = Result<CloudLogEntry>> + Send + 'static {
        struct Poll {
            events: CloudLogEvents,
            seen: Seen,
            ready: VecDeque<CloudLogEntry>,
            first: bool,
        }
        let state = Poll {
            events: self,
            seen: Seen::default(),
            ready: VecDeque::new(),
            first: true,
        };
        stream::unfold(state, |mut st| async move {
            loop {
                if let Some(row) = st.ready.pop_front() {
                    return Some((Ok(row), st));
                }
                if !st.first {
                    tokio::time::sleep(st.events.every).await;
                }
                st.first = false;
                match st.events.window(&st.seen).await {
                    Ok((window, complete)) => st.ready.extend(st.seen.absorb(window, complete)),
                    Err(error) => return Some((Err(error), st)),
                }
            }
        })
    }

    /// Reads the newest rows until a known one, the end of the log, or the page cap.
    async fn window(&self, seen: &Seen) -> Result<(Vec<CloudLogEntry>, bool)> {
        let mut window = Vec::new();
        for page in 0..MAX_CATCH_UP_PAGES {
            let rows = fetch(
                &self.client,
                self.project,
                MAX_LOG_LIMIT,
                page * MAX_LOG_LIMIT,
            )
            .await?;
            let short = rows.len() < MAX_LOG_LIMIT as usize;
            let known = !seen.started
                || rows.iter().any(|row| {
                    let k = key(row);
                    seen.keys.contains(&k) || seen.floor.is_some_and(|floor| k.0 < floor)
                });
            window.extend(rows);
            if short {
                return Ok((window, true));
            }
            if known {
                return Ok((window, false));
            }
        }
        tracing::warn!("more than 1000 cloud log rows between two polls: some were skipped");
        Ok((window, false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(ts: i64, user: &str, value: &str) -> CloudLogEntry {
        serde_json::from_value(serde_json::json!({
            "user": user, "verb": "set_var", "name": "☁ a", "value": value, "timestamp": ts
        }))
        .unwrap()
    }

    fn values(rows: &[CloudLogEntry]) -> Vec<String> {
        rows.iter().map(|r| r.value.to_string()).collect()
    }

    #[test]
    fn first_poll_is_a_baseline_then_only_new_rows_oldest_first() {
        let mut seen = Seen::default();
        assert!(
            seen.absorb(vec![row(2, "a", "2"), row(1, "a", "1")], true)
                .is_empty()
        );
        let fresh = seen.absorb(
            vec![
                row(4, "b", "4"),
                row(3, "a", "3"),
                row(2, "a", "2"),
                row(1, "a", "1"),
            ],
            true,
        );
        assert_eq!(values(&fresh), ["3", "4"]);
        // The same window again: nothing new.
        let again = seen.absorb(
            vec![row(4, "b", "4"), row(3, "a", "3"), row(2, "a", "2")],
            false,
        );
        assert!(again.is_empty());
    }

    #[test]
    fn overlapping_windows_neither_lose_nor_duplicate() {
        let mut seen = Seen::default();
        // A full window (the log is longer): rows below it are old.
        seen.absorb(vec![row(10, "a", "10"), row(9, "a", "9")], false);
        // A row older than the last window shows up (a deletion shifted the log): not new.
        let fresh = seen.absorb(
            vec![row(11, "a", "11"), row(10, "a", "10"), row(8, "a", "8")],
            false,
        );
        assert_eq!(values(&fresh), ["11"]);
        // Same millisecond, different user or value: both are new.
        let fresh = seen.absorb(
            vec![row(12, "b", "5"), row(12, "a", "5"), row(11, "a", "11")],
            false,
        );
        assert_eq!(values(&fresh), ["5", "5"]);
        assert_eq!(fresh[0].user, "a");
    }

    #[test]
    fn limits_are_checked_before_sending() {
        assert!(check_limit(0).is_err());
        assert!(check_limit(101).is_err());
        assert_eq!(check_limit(100).unwrap(), 100);
    }
}
