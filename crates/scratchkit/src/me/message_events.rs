//! New messages of the logged-in user, as a stream.
//!
//! [`MeHandler::message_events`] polls the unread count (`/users/<me>/messages/count`, one small
//! request per interval) and fetches messages (`/users/<me>/messages?offset&limit`) only when
//! the count has changed, page by page from the newest until it reaches the newest message
//! already seen. Messages come out oldest first, each once.

use std::collections::VecDeque;
use std::fmt;
use std::time::Duration;

use futures_util::Stream;
use scratchkit_model::Message;
use scratchkit_model::ids::ActivityId;

use super::MeHandler;
use super::MessageFilter;
use crate::client::Client;
use crate::error::Result;
use crate::page::MAX_LIMIT;

/// Default time between two polls of the unread count.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(30);
/// Most pages of 40 fetched after one change of the count (1 200 messages).
pub const MAX_PAGES_PER_POLL: u32 = 30;

/// A stream of new messages being configured; see [`MeHandler::message_events`].
#[derive(Clone)]
pub struct MessageEvents {
    client: Client,
    interval: Duration,
    include_unread: bool,
}

impl fmt::Debug for MessageEvents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MessageEvents")
            .field("interval", &self.interval)
            .field("include_unread", &self.include_unread)
            .finish_non_exhaustive()
    }
}

impl MeHandler {
    /// New messages of the logged-in user, as they arrive.
    ///
    /// Polls `GET https://api.scratch.mit.edu/users/<me>/messages/count` every
    /// [`interval`](MessageEvents::interval) (30 s by default) and, when the count changed,
    /// `GET https://api.scratch.mit.edu/users/<me>/messages?offset=&limit=40` from the newest
    /// until it meets the newest message already seen, so nothing that arrived between two
    /// polls is lost. A count that stays the same because messages were read on the site
    /// while as many new ones arrived is noticed at its next change.
    ///
    /// ```no_run
    /// use futures_util::StreamExt;
    ///
    /// # async fn demo(client: scratchkit::Client) {
    /// let mut messages = std::pin::pin!(client.me().message_events().stream());
    /// while let Some(message) = messages.next().await {
    ///     match message {
    ///         Ok(message) => println!("{:?} from {}", message.kind, message.actor_username),
    ///         Err(error) => eprintln!("poll failed: {error}"),
    ///     }
    /// }
    /// # }
    /// ```
    pub fn message_events(&self) -> MessageEvents {
        MessageEvents {
            client: self.client.clone(),
            interval: DEFAULT_POLL_INTERVAL,
            include_unread: false,
        }
    }
}

impl MessageEvents {
    /// Time between two polls of the count (at least one second).
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval.max(Duration::from_secs(1));
        self
    }

    /// Also yield the messages that are unread when the stream starts (default: only
    /// messages that arrive later).
    pub fn include_unread(mut self, include: bool) -> Self {
        self.include_unread = include;
        self
    }

    /// The stream. Each failed poll yields one `Err` (for example
    /// [`Error::LoginRequired`](crate::Error::LoginRequired) when logged out, before anything
    /// is sent) and polling goes on at the next interval; drop the stream to stop.
    pub fn stream(self) -> impl Stream<Item = Result<Message>> + Send + 'static {
        let state = Poller {
            config: self,
            started: false,
            last_count: None,
            newest: None,
            ready: VecDeque::new(),
        };
        futures_util::stream::unfold(state, |mut state| async move {
            let item = state.next().await;
            Some((item, state))
        })
    }
}

struct Poller {
    config: MessageEvents,
    started: bool,
    last_count: Option<u64>,
    /// The newest message seen (its id), once known.
    newest: Option<ActivityId>,
    ready: VecDeque<Message>,
}

impl Poller {
    async fn next(&mut self) -> Result<Message> {
        loop {
            if let Some(message) = self.ready.pop_front() {
                return Ok(message);
            }
            if self.started {
                tokio::time::sleep(self.config.interval).await;
            }
            self.poll().await?;
        }
    }

    async fn poll(&mut self) -> Result<()> {
        let client = &self.config.client;
        let count = client.me().message_count().await?;
        if !self.started {
            // The baseline: the newest message now, so that later fetches stop there.
            let first = client.me().messages(MessageFilter::All).limit(1).await?;
            self.started = true;
            self.last_count = Some(count);
            if self.config.include_unread && count > 0 {
                let unread = self.fetch_since(None, count).await?;
                self.ready.extend(unread);
            }
            if let Some(message) = first.items.into_iter().next() {
                self.newest = Some(message.id);
            }
            return Ok(());
        }
        if self.last_count == Some(count) {
            return Ok(());
        }
        let newest = self.newest.clone();
        let fresh = match newest {
            Some(newest) => self.fetch_since(Some(&newest), u64::MAX).await?,
            // No message existed at the start: everything is new.
            None => self.fetch_since(None, u64::MAX).await?,
        };
        if let Some(latest) = fresh.last() {
            self.newest = Some(latest.id.clone());
        }
        self.last_count = Some(count);
        self.ready.extend(fresh);
        Ok(())
    }

    /// Messages newer than `newest` (at most `max`), oldest first.
    async fn fetch_since(&self, newest: Option<&ActivityId>, max: u64) -> Result<Vec<Message>> {
        let client = &self.config.client;
        let mut found: Vec<Message> = Vec::new();
        let mut offset = 0;
        'pages: for _ in 0..MAX_PAGES_PER_POLL {
            let page = client
                .me()
                .messages(MessageFilter::All)
                .offset(offset)
                .limit(MAX_LIMIT)
                .await?;
            let last_page = page.items.len() < MAX_LIMIT as usize;
            for message in page.items {
                if newest.is_some_and(|newest| !is_newer(&message.id, newest)) {
                    break 'pages;
                }
                found.push(message);
                if found.len() as u64 >= max {
                    break 'pages;
                }
            }
            if last_page {
                break;
            }
            offset += MAX_LIMIT;
        }
        found.reverse();
        Ok(found)
    }
}

/// Whether message `id` is newer than `newest`: message ids grow with time; ids of another
/// form only differ.
fn is_newer(id: &ActivityId, newest: &ActivityId) -> bool {
    match (id, newest) {
        (ActivityId::Number(id), ActivityId::Number(newest)) => id > newest,
        _ => id != newest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newer_ids() {
        assert!(is_newer(&ActivityId::Number(5), &ActivityId::Number(4)));
        assert!(!is_newer(&ActivityId::Number(4), &ActivityId::Number(4)));
        assert!(!is_newer(&ActivityId::Number(3), &ActivityId::Number(4)));
        assert!(is_newer(
            &ActivityId::Text("a-2".into()),
            &ActivityId::Text("a-1".into())
        ));
    }

    #[test]
    fn interval_has_a_floor() {
        let events = Client::new().me().message_events().interval(Duration::ZERO);
        assert_eq!(events.interval, Duration::from_secs(1));
    }
}
