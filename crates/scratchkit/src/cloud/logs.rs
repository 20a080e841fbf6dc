//! Cloud logs (`clouddata.scratch.mit.edu/logs`): typed pages, a stream of every row, and a
//! polling stream of new rows.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::fmt;
use std::future::IntoFuture;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use futures_util::{FutureExt, Stream, StreamExt, stream};
use scratchkit_model::{CloudLogEntry, CloudValue, CloudVerb, ProjectId};
use tokio::sync::watch;

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

    /// The current value of every variable, as the log tells it: for each variable the newest
    /// row decides (a set or a create gives its value, a delete removes the variable). Reads
    /// at most [`max`](Self::max) rows (default 1000, the log's usual depth) from the
    /// [offset](Self::offset) on. Needs no login, unlike a cloud connection; variables not set
    /// within those rows are missing from the map. Keys are names without the `☁ ` prefix.
    ///
    /// `GET https://clouddata.scratch.mit.edu/logs?projectid=<id>&limit=100&offset=<n>`…
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let client = scratchkit::Client::new();
    /// for (name, value) in client.cloud_logs(1_182_391_014u64).values().await? {
    ///     println!("{name} = {value}");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Any request error of the log reads (a log that is down is an error, not an empty map).
    pub async fn values(self) -> Result<BTreeMap<String, CloudValue>> {
        let max = self.max.unwrap_or(DEFAULT_VALUES_DEPTH);
        let rows = self.max(max).stream();
        let mut rows = std::pin::pin!(rows);
        Ok(latest_values(collect_rows(&mut rows).await?))
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
            control: LogEventsControl::new(),
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

/// Rows [`CloudLogsRequest::values`] reads unless [`max`](CloudLogsRequest::max) says
/// otherwise.
pub const DEFAULT_VALUES_DEPTH: usize = 1000;

/// Every row of a stream, or its first error.
async fn collect_rows(
    rows: &mut (impl Stream<Item = Result<CloudLogEntry>> + Unpin),
) -> Result<Vec<CloudLogEntry>> {
    let mut out = Vec::new();
    while let Some(row) = rows.next().await {
        out.push(row?);
    }
    Ok(out)
}

/// The value of each variable after the rows `newest_first`: the newest row of a variable
/// decides (set and create give a value, delete removes it; renames are ignored).
fn latest_values(
    newest_first: impl IntoIterator<Item = CloudLogEntry>,
) -> BTreeMap<String, CloudValue> {
    let mut decided = HashSet::new();
    let mut values = BTreeMap::new();
    for row in newest_first {
        if row.verb == CloudVerb::Rename || !decided.insert(row.name.clone()) {
            continue;
        }
        if row.verb != CloudVerb::Delete {
            values.insert(row.variable().to_owned(), row.value);
        }
    }
    values
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
    control: LogEventsControl,
}

/// Pauses and resumes a [`CloudLogEvents`] stream from elsewhere (another task, a command
/// handler). Cheap to clone; every clone controls the same stream.
///
/// While paused the stream sends no request and yields nothing; on resume it polls at once
/// and reports the rows that arrived meanwhile, oldest first (up to 1000 rows, as between
/// any two polls).
///
/// ```no_run
/// # async fn demo() -> scratchkit::Result<()> {
/// use futures_util::StreamExt;
///
/// let client = scratchkit::Client::new();
/// let events = client.cloud_logs(1_182_391_014u64).events();
/// let control = events.control();
/// let mut rows = std::pin::pin!(events.stream());
/// control.pause(); // e.g. while the bot is busy
/// control.resume();
/// if let Some(row) = rows.next().await {
///     println!("{:?}", row?);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct LogEventsControl {
    paused: Arc<watch::Sender<bool>>,
}

impl LogEventsControl {
    fn new() -> Self {
        Self {
            paused: Arc::new(watch::Sender::new(false)),
        }
    }

    /// Stops polling (and yielding) until [`resume`](Self::resume).
    pub fn pause(&self) {
        self.paused.send_replace(true);
    }

    /// Polls again (at once), reporting what arrived during the pause.
    pub fn resume(&self) {
        self.paused.send_replace(false);
    }

    /// Whether the stream is paused.
    pub fn is_paused(&self) -> bool {
        *self.paused.borrow()
    }

    /// Returns when not paused (at once if running). Returns `true` when it waited.
    async fn wait_running(&self) -> bool {
        let mut rx = self.paused.subscribe();
        let waited = *rx.borrow_and_update();
        // The sender lives in `self`: the channel cannot close while waiting.
        let _ = rx.wait_for(|paused| !paused).await;
        waited
    }
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

    /// A handle that pauses and resumes the stream made from these events.
    pub fn control(&self) -> LogEventsControl {
        self.control.clone()
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
                let resumed = st.events.control.wait_running().await;
                if let Some(row) = st.ready.pop_front() {
                    return Some((Ok(row), st));
                }
                if !st.first && !resumed {
                    tokio::time::sleep(st.events.every).await;
                    if st.events.control.is_paused() {
                        continue;
                    }
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

    fn verb_row(verb: &str, name: &str, value: &str) -> CloudLogEntry {
        serde_json::from_value(serde_json::json!({
            "user": "u", "verb": verb, "name": format!("☁ {name}"), "value": value, "timestamp": 1
        }))
        .unwrap()
    }

    #[test]
    fn the_newest_row_of_each_variable_decides() {
        let newest_first = vec![
            verb_row("set_var", "a", "3"),
            verb_row("del_var", "gone", "0"),
            verb_row("rename_var", "b", "x"),
            verb_row("set_var", "a", "2"),
            verb_row("set_var", "gone", "9"),
            verb_row("create_var", "b", "0"),
        ];
        let values = latest_values(newest_first);
        let shown: Vec<(String, String)> = values
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect();
        assert_eq!(
            shown,
            [
                ("a".to_owned(), "3".to_owned()),
                ("b".to_owned(), "0".to_owned())
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_paused_control_holds_its_waiters_until_resumed() {
        let control = LogEventsControl::new();
        assert!(!control.wait_running().await, "running: no wait");
        control.pause();
        let waiter = tokio::spawn({
            let control = control.clone();
            async move { control.wait_running().await }
        });
        tokio::time::sleep(Duration::from_secs(3600)).await;
        assert!(!waiter.is_finished(), "still paused an hour later");
        control.resume();
        assert!(waiter.await.unwrap(), "it waited, then ran");
        assert!(!control.is_paused());
    }

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
