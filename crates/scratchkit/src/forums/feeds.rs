//! Atom feeds of the latest posts: `GET /discuss/feeds/topic/<id>/` and
//! `GET /discuss/feeds/forum/<category id>/` (`html.md` §7.5).
//!
//! Read with the same lenient HTML5 parser as the pages (no XML dependency): element names,
//! text and entities are what an Atom feed needs. CDATA sections are not supported (Django's
//! feed generator escapes text instead).

use scraper::{ElementRef, Html};
use scratchkit_model::{PostId, Timestamp, TopicId};
use url::Url;

use super::{CategoryHandler, TopicHandler};
use crate::error::Result;
use crate::hosts::Host;
use crate::html::dom::{self, missing, sel};
use crate::request::RequestSpec;

/// An Atom feed of forum posts, newest first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ForumFeed {
    /// The feed's title (`Latest posts on <topic>`).
    pub title: String,
    /// The topic or category name: the title without its `Latest posts on ` prefix.
    pub subject: String,
    /// When the feed was last updated.
    pub updated: Option<Timestamp>,
    /// The posts.
    pub entries: Vec<FeedEntry>,
}

/// One post in a [`ForumFeed`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FeedEntry {
    /// The post id (the entry's `id`, or the id in its link).
    pub post_id: Option<PostId>,
    /// The entry's title: a ` :: `-separated path (forum, category, topic).
    pub title: String,
    /// The category: the second element of the title's path.
    pub category: Option<String>,
    /// The link to the post.
    pub link: Option<String>,
    /// The author's username.
    pub author: Option<String>,
    /// When it was posted.
    pub published: Option<Timestamp>,
    /// When it was last changed.
    pub updated: Option<Timestamp>,
    /// The post's HTML (`summary`, or `content`).
    pub summary_html: String,
}

fn child_text(scope: ElementRef<'_>, css: &'static str) -> Option<String> {
    dom::first(scope, &sel(css))
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .filter(|t| !t.is_empty())
}

fn time_of(scope: ElementRef<'_>, css: &'static str) -> Option<Timestamp> {
    child_text(scope, css).and_then(|t| Timestamp::parse(&t).ok())
}

/// Parses an Atom feed of forum posts.
///
/// ```
/// use scratchkit::forums::parse_forum_feed;
/// use scratchkit::Url;
///
/// let xml = r#"<?xml version="1.0" encoding="utf-8"?>
/// <feed xmlns="http://www.w3.org/2005/Atom"><title>Latest posts on Add more blocks</title>
/// <updated>2025-01-05T10:20:00Z</updated>
/// <entry><title>Discussion Forums :: Suggestions :: Add more blocks</title>
///   <link href="https://scratch.mit.edu/discuss/post/98765/" rel="alternate"></link>
///   <published>2025-01-05T10:15:00Z</published><updated>2025-01-05T10:20:00Z</updated>
///   <author><name>alice</name></author><id>98765</id>
///   <summary type="html">Please add &lt;b&gt;more&lt;/b&gt; blocks.</summary></entry></feed>"#;
/// let url = Url::parse("https://scratch.mit.edu/discuss/feeds/topic/4242/").unwrap();
/// let feed = parse_forum_feed(xml, &url).unwrap();
/// assert_eq!(feed.subject, "Add more blocks");
/// assert_eq!(feed.entries[0].category.as_deref(), Some("Suggestions"));
/// assert_eq!(feed.entries[0].summary_html, "Please add <b>more</b> blocks.");
/// ```
///
/// # Errors
/// [`Error::Scrape`](crate::Error::Scrape) when there is no `feed` element.
pub fn parse_forum_feed(xml: &str, url: &Url) -> Result<ForumFeed> {
    let doc = Html::parse_document(xml);
    let feed = doc
        .select(&sel("feed"))
        .next()
        .ok_or_else(|| missing("feed", url))?;
    let title = feed
        .child_elements()
        .find(|e| e.value().name() == "title")
        .map(|e| dom::collapse(&e.text().collect::<String>()))
        .unwrap_or_default();
    let subject = title
        .strip_prefix("Latest posts on ")
        .unwrap_or(&title)
        .trim()
        .to_owned();
    let updated = feed
        .child_elements()
        .find(|e| e.value().name() == "updated")
        .and_then(|e| Timestamp::parse(e.text().collect::<String>().trim()).ok());
    let entries = feed
        .select(&sel("entry"))
        .map(|entry| {
            let title = child_text(entry, "title")
                .map(|t| dom::collapse(&t))
                .unwrap_or_default();
            let category = title
                .split(" :: ")
                .nth(1)
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty());
            let link = dom::first(entry, &sel("link[href]"))
                .and_then(|l| l.attr("href"))
                .map(str::to_owned);
            let post_id = child_text(entry, "id")
                .and_then(|id| {
                    id.parse::<u64>()
                        .ok()
                        .or_else(|| dom::id_after(&id, "/post/"))
                })
                .or_else(|| link.as_deref().and_then(|l| dom::id_after(l, "/post/")))
                .map(PostId);
            FeedEntry {
                post_id,
                category,
                link,
                author: child_text(entry, "author name"),
                published: time_of(entry, "published"),
                updated: time_of(entry, "updated"),
                summary_html: child_text(entry, "summary")
                    .or_else(|| child_text(entry, "content"))
                    .unwrap_or_default(),
                title,
            }
        })
        .collect();
    Ok(ForumFeed {
        title,
        subject,
        updated,
        entries,
    })
}

async fn fetch_feed(client: &crate::Client, path: String) -> Result<ForumFeed> {
    let response = client.send(RequestSpec::get(Host::Site, path)).await?;
    parse_forum_feed(&response.text(), &response.url)
}

impl TopicHandler {
    /// The Atom feed of the topic's latest posts. Logged-out feeds are cached by the site for
    /// minutes and can be slow.
    ///
    /// `GET https://scratch.mit.edu/discuss/feeds/topic/<id>/`
    ///
    /// # Errors
    /// [`Error::NotFound`](crate::Error::NotFound) for an unknown topic,
    /// [`Error::Scrape`](crate::Error::Scrape) for a body that is not a feed, or a transport
    /// error.
    pub async fn feed(&self) -> Result<ForumFeed> {
        fetch_feed(&self.client, format!("/discuss/feeds/topic/{}/", self.id)).await
    }
}

impl CategoryHandler {
    /// The Atom feed of the category's latest posts.
    ///
    /// `GET https://scratch.mit.edu/discuss/feeds/forum/<id>/`
    ///
    /// # Errors
    /// As [`TopicHandler::feed`].
    pub async fn feed(&self) -> Result<ForumFeed> {
        fetch_feed(&self.client, format!("/discuss/feeds/forum/{}/", self.id)).await
    }
}

/// The topic id in a feed entry's link, for entries that link to a topic page.
pub fn topic_of_link(link: &str) -> Option<TopicId> {
    dom::id_after(link, "/topic/").map(TopicId)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> Url {
        Url::parse("https://scratch.mit.edu/discuss/feeds/topic/1/").unwrap()
    }

    #[test]
    fn parses_entries_newest_first() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-us">
<title>Latest posts on Bugs &amp; Glitches</title><link href="https://scratch.mit.edu/discuss/topic/1/" rel="alternate"></link>
<id>https://scratch.mit.edu/discuss/topic/1/</id><updated>2025-02-01T00:00:00Z</updated>
<entry><title>Discussion Forums :: Bugs and Glitches :: Bugs &amp; Glitches</title>
<link href="https://scratch.mit.edu/discuss/post/2/" rel="alternate"></link>
<published>2025-02-01T00:00:00Z</published><updated>2025-02-01T00:00:00Z</updated>
<author><name>bob</name></author><id>https://scratch.mit.edu/discuss/post/2/</id>
<summary type="html">&lt;p&gt;second&lt;/p&gt;</summary></entry>
<entry><title>Discussion Forums :: Bugs and Glitches :: Bugs &amp; Glitches</title>
<link href="https://scratch.mit.edu/discuss/post/1/" rel="alternate"></link>
<published>2025-01-01T00:00:00Z</published><author><name>alice</name></author><id>1</id>
<summary type="html">first</summary></entry>
</feed>"#;
        let feed = parse_forum_feed(xml, &url()).unwrap();
        assert_eq!(feed.title, "Latest posts on Bugs & Glitches");
        assert_eq!(feed.subject, "Bugs & Glitches");
        assert_eq!(feed.updated.unwrap().unix_seconds(), 1_738_368_000);
        assert_eq!(feed.entries.len(), 2);
        let e = &feed.entries[0];
        assert_eq!(e.post_id, Some(PostId(2)));
        assert_eq!(e.author.as_deref(), Some("bob"));
        assert_eq!(e.category.as_deref(), Some("Bugs and Glitches"));
        assert_eq!(e.summary_html, "<p>second</p>");
        assert_eq!(feed.entries[1].post_id, Some(PostId(1)));
        assert!(feed.entries[1].updated.is_none());
        assert_eq!(
            topic_of_link("https://scratch.mit.edu/discuss/topic/9/"),
            Some(TopicId(9))
        );
    }

    #[test]
    fn not_a_feed() {
        assert!(parse_forum_feed("<html><body>Whoops</body></html>", &url()).is_err());
        let empty = parse_forum_feed("<feed></feed>", &url()).unwrap();
        assert!(empty.entries.is_empty() && empty.title.is_empty());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in ".*") {
            let _ = parse_forum_feed(&s, &url());
        }

        #[test]
        fn never_panics_on_feed_like_markup(s in "(<feed>|<entry>|<title>|<id>[0-9]{0,3}|<link href=\"/post/[0-9]\">|<summary>|&lt;|::|</title>|</id>|</entry>|</feed>|x){0,25}") {
            let _ = parse_forum_feed(&s, &url());
        }
    }
}
