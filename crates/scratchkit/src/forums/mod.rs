//! The Scratch forums (djangobb, HTML only): [`ForumHandler`] and its category, topic and post
//! handlers, the page parsers, the Atom feeds and the forum forms (`html.md` §7).
//!
//! ```no_run
//! # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
//! use scratchkit::model::{PostId, TopicId};
//!
//! let forum = client.forum();
//! let topics = forum.category(31).topics(1).await?;
//! let posts = forum.topic(TopicId(4242)).posts(1).await?;
//! let source = forum.post(PostId(98765)).source().await?;
//! # Ok(())
//! # }
//! ```

mod categories;
mod dates;
mod feeds;
mod forms;
mod lookups;
mod ocular;
mod post_text;
mod posts;
mod topics;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use futures_util::Stream;
use scraper::{ElementRef, Html};
use scratchkit_model::{PostId, Timestamp, TopicId};

use crate::client::Client;
use crate::error::Result;
use crate::html::dom::{self, sel};
use crate::page::paginate_pages;

pub use categories::{ForumCategory, ForumSection, parse_forum_index};
pub use dates::{format_forum_date, parse_forum_date};
pub use feeds::{FeedEntry, ForumFeed, parse_forum_feed, topic_of_link};
pub use ocular::{OCULAR_EMOJI, OcularHandler, OcularReaction};
pub use posts::{ForumPost, PostList, parse_topic_page};
pub use topics::{TopicList, TopicSummary, parse_category_page};

/// The Scratch forums, from [`Client::forum`].
#[derive(Debug, Clone)]
pub struct ForumHandler {
    client: Client,
}

impl ForumHandler {
    /// A handler sending with `client` (see the constructor on [`Client`]).
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// A category (`/discuss/<id>/`).
    pub fn category(&self, id: u64) -> CategoryHandler {
        CategoryHandler {
            client: self.client.clone(),
            id,
        }
    }

    /// A topic (`/discuss/topic/<id>/`).
    pub fn topic(&self, id: TopicId) -> TopicHandler {
        TopicHandler {
            client: self.client.clone(),
            id,
        }
    }

    /// A post (`/discuss/post/<id>/`).
    pub fn post(&self, id: PostId) -> PostHandler {
        PostHandler {
            client: self.client.clone(),
            id,
        }
    }
}

/// One forum category, from [`ForumHandler::category`].
#[derive(Debug, Clone)]
pub struct CategoryHandler {
    client: Client,
    id: u64,
}

impl CategoryHandler {
    /// The category id.
    pub fn id(&self) -> u64 {
        self.id
    }
}

/// One forum topic, from [`ForumHandler::topic`].
#[derive(Debug, Clone)]
pub struct TopicHandler {
    client: Client,
    id: TopicId,
}

impl TopicHandler {
    /// The topic id.
    pub fn id(&self) -> TopicId {
        self.id
    }
}

/// One forum post, from [`ForumHandler::post`].
#[derive(Debug, Clone)]
pub struct PostHandler {
    client: Client,
    id: PostId,
}

impl PostHandler {
    /// The post id.
    pub fn id(&self) -> PostId {
        self.id
    }
}

/// The latest post of a category or topic, as listed (`td.tcr`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LastPost {
    /// The post (`/discuss/post/<id>/`).
    pub post_id: Option<PostId>,
    /// The date as shown (`Today 10:15:00`, `Jan 5, 2025 10:20:00`).
    pub date_text: String,
    /// The date, read as UTC (see [`parse_forum_date`]).
    pub posted: Option<Timestamp>,
    /// Who posted it (`by <name>`).
    pub author: Option<String>,
}

/// The last post in a `td.tcr` cell.
pub(crate) fn last_post(td: ElementRef<'_>) -> Option<LastPost> {
    let a = td
        .select(&sel("a[href]"))
        .find(|a| a.attr("href").is_some_and(|h| h.contains("/discuss/post/")))?;
    let date_text = dom::text(a);
    let author = td
        .select(&sel("span"))
        .map(dom::text)
        .find_map(|t| t.strip_prefix("by ").map(|s| s.trim().to_owned()))
        .filter(|s| !s.is_empty());
    Some(LastPost {
        post_id: a
            .attr("href")
            .and_then(|h| dom::id_after(h, "/post/"))
            .map(PostId),
        posted: parse_forum_date(&date_text, time::OffsetDateTime::now_utc()),
        date_text,
        author,
    })
}

/// The page count from `div.pagination` (the last `span.current.page` or `a.page` number);
/// 1 when there is no pagination.
pub(crate) fn page_count(doc: &Html) -> u32 {
    doc.select(&sel("div.pagination span.current, div.pagination a.page"))
        .filter_map(|e| dom::number(&dom::text(e)))
        .filter_map(|n| u32::try_from(n).ok())
        .max()
        .unwrap_or(1)
        .max(1)
}

/// The current page from `div.pagination span.current`, when shown.
pub(crate) fn current_page(doc: &Html) -> Option<u32> {
    doc.select(&sel("div.pagination span.current"))
        .filter_map(|e| dom::number(&dom::text(e)))
        .find_map(|n| u32::try_from(n).ok())
}

/// A stream over a `?page=N` forum list that stops after the last page the pages announce
/// (the live site may show the last page again for a page number past the end) as well as on
/// a 404 or an empty page.
pub(crate) fn page_stream<T, F, Fut>(mut fetch: F) -> impl Stream<Item = Result<T>> + Send
where
    T: Send,
    F: FnMut(u32) -> Fut + Send,
    Fut: Future<Output = Result<(Vec<T>, u32)>> + Send + 'static,
{
    let known_last = Arc::new(AtomicU32::new(u32::MAX));
    paginate_pages(
        move |page| {
            let known_last = Arc::clone(&known_last);
            let past_end = page > known_last.load(Ordering::Relaxed);
            let fut = (!past_end).then(|| fetch(page));
            async move {
                let Some(fut) = fut else {
                    return Ok(Vec::new());
                };
                let (items, last) = fut.await?;
                known_last.store(last, Ordering::Relaxed);
                Ok(if page > last { Vec::new() } else { items })
            }
        },
        1,
        None,
        None,
    )
}
