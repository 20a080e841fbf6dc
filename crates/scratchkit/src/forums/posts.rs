//! A topic's posts, `GET /discuss/topic/<id>/?page=<n>` and `GET /discuss/post/<id>/`, and a
//! post's BBCode source, `GET /discuss/post/<id>/source/` (`html.md` §7.3, §7.6).

use futures_util::Stream;
use scraper::{ElementRef, Html};
use scratchkit_model::{PostId, Timestamp, TopicId, UserId};
use url::Url;

use super::post_text::post_text;
use super::{PostHandler, TopicHandler, current_page, page_count, page_stream, parse_forum_date};
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::html::dom::{self, missing, sel};
use crate::request::RequestSpec;

/// A forum post.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ForumPost {
    /// The post id (`id="p<id>"`).
    pub id: PostId,
    /// Its position in the topic (`#1` is the opening post), when shown.
    pub index: Option<u64>,
    /// The author's username.
    pub author: String,
    /// The author's user id (from the avatar URL), when shown.
    pub author_id: Option<UserId>,
    /// The date as shown (`Today 10:15:00`, `Jan 5, 2025 10:20:00`).
    pub posted_text: String,
    /// The date, read as UTC (see [`parse_forum_date`](super::parse_forum_date)).
    pub posted: Option<Timestamp>,
    /// The rendered post (inner HTML of `div.post_body_html`), trimmed.
    pub content_html: String,
    /// The post's plain text: one line per `<br>` or block (`p`, `div`, `blockquote`, `li`, …),
    /// whitespace collapsed within each line, at most one blank line in a row.
    pub content_text: String,
    /// `Last edited by <user> (<date>)`, when edited.
    pub edited: Option<String>,
    /// The signature's HTML (without the leading `<hr>`), when shown.
    pub signature_html: Option<String>,
}

/// One page of a topic.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PostList {
    /// The topic id (from `og:url` or the page's URL), when known.
    pub topic_id: Option<TopicId>,
    /// The topic's title (breadcrumb, or the first post's `h3`).
    pub topic_title: Option<String>,
    /// The category the topic is in (breadcrumb link).
    pub category_id: Option<u64>,
    /// The category's name.
    pub category_name: Option<String>,
    /// This page's number (1-based).
    pub page: u32,
    /// How many pages the topic has.
    pub page_count: u32,
    /// The posts of this page (20 per page), oldest first.
    pub posts: Vec<ForumPost>,
}

fn parse_post(el: ElementRef<'_>, url: &Url) -> Result<ForumPost> {
    let id = el
        .attr("id")
        .and_then(|v| v.strip_prefix('p'))
        .and_then(|v| v.parse::<u64>().ok())
        .or_else(|| {
            el.select(&sel("a[name]")).find_map(|a| {
                a.attr("name")?
                    .strip_prefix("post-")
                    .and_then(|v| v.parse().ok())
            })
        })
        .map(PostId)
        .ok_or_else(|| missing("div.blockpost[id=p<id>]", url))?;
    let head = dom::first(el, &sel("div.box-head"));
    let index = head
        .and_then(|h| dom::first(h, &sel("span.conr")))
        .and_then(|s| dom::number(dom::text(s).trim_start_matches('#')));
    let posted_text = head
        .and_then(|h| {
            h.select(&sel("a[href]")).find(|a| {
                a.attr("href")
                    .is_some_and(|href| href.contains("/discuss/post/"))
            })
        })
        .map(dom::text)
        .unwrap_or_default();
    let author_link = dom::first(el, &sel("div.postleft dl dt a"))
        .or_else(|| dom::first(el, &sel("dd.postavatar a[href]")));
    let author = author_link
        .map(|a| {
            let t = dom::text(a);
            if t.is_empty() {
                a.attr("href")
                    .and_then(dom::last_segment)
                    .unwrap_or_default()
                    .to_owned()
            } else {
                t
            }
        })
        .filter(|s| !s.is_empty())
        .ok_or_else(|| missing("div.postleft dl dt a (post author)", url))?;
    let author_id = dom::first(el, &sel("dd.postavatar img[src]"))
        .and_then(|img| img.attr("src"))
        .and_then(dom::avatar_user_id)
        .map(UserId);
    let body = dom::first(el, &sel("div.post_body_html"))
        .or_else(|| dom::first(el, &sel("div.postmsg")))
        .ok_or_else(|| missing("div.post_body_html", url))?;
    let edited = dom::first(el, &sel("em.posteditmessage"))
        .map(dom::text)
        .filter(|s| !s.is_empty());
    let signature_html = dom::first(el, &sel("div.postsignature")).map(|s| {
        let html = s.inner_html();
        let trimmed = html.trim();
        trimmed
            .strip_prefix("<hr>")
            .unwrap_or(trimmed)
            .trim()
            .to_owned()
    });
    Ok(ForumPost {
        id,
        index,
        author,
        author_id,
        posted: parse_forum_date(&posted_text, time::OffsetDateTime::now_utc()),
        posted_text,
        content_html: body.inner_html().trim().to_owned(),
        content_text: post_text(body),
        edited,
        signature_html,
    })
}

/// Parses a topic page (`/discuss/topic/<id>/?page=` or `/discuss/post/<id>/`).
///
/// # Errors
/// [`Error::Scrape`] when the page has neither `div.djangobb` nor posts,
/// or a post lacks its id, author or body.
pub fn parse_topic_page(html: &str, url: &Url) -> Result<PostList> {
    let doc = Html::parse_document(html);
    let mut posts = Vec::new();
    for el in doc.select(&sel("div.blockpost")) {
        posts.push(parse_post(el, url)?);
    }
    if posts.is_empty() && doc.select(&sel("div.djangobb")).next().is_none() {
        return Err(missing("div.djangobb", url));
    }
    let topic_id = doc
        .select(&sel("meta[property=\"og:url\"]"))
        .find_map(|m| dom::id_after(m.attr("content")?, "/topic/"))
        .or_else(|| dom::id_after(url.path(), "/topic/"))
        .map(TopicId);
    let crumbs: Vec<ElementRef<'_>> = doc.select(&sel("div.linkst ul li")).collect();
    let category = crumbs.iter().find_map(|li| {
        li.select(&sel("a[href]")).find_map(|a| {
            let href = a.attr("href")?;
            let rest = href.split("/discuss/").nth(1)?;
            let id = dom::number(rest.trim_end_matches('/'))?;
            Some((id, dom::text(a)))
        })
    });
    let topic_title = crumbs
        .get(2)
        .map(|li| dom::text(*li).trim_start_matches('»').trim().to_owned())
        .filter(|t| !t.is_empty())
        .or_else(|| {
            doc.select(&sel("div.blockpost h3"))
                .next()
                .map(dom::text)
                .filter(|t| !t.is_empty())
        });
    Ok(PostList {
        topic_id,
        topic_title,
        category_id: category.as_ref().map(|c| c.0),
        category_name: category.map(|c| c.1),
        page: current_page(&doc).unwrap_or(1),
        page_count: page_count(&doc),
        posts,
    })
}

async fn fetch_posts(client: &crate::Client, id: TopicId, page: u32) -> Result<PostList> {
    let spec = RequestSpec::get(Host::Site, format!("/discuss/topic/{id}/")).query("page", page);
    let response = client.send(spec).await?;
    let mut list = parse_topic_page(&response.text(), &response.url)?;
    list.page = page;
    list.topic_id.get_or_insert(id);
    Ok(list)
}

impl TopicHandler {
    /// One page (1-based, 20 posts) of the topic.
    ///
    /// `GET https://scratch.mit.edu/discuss/topic/<id>/?page=<page>`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// use scratchkit::model::TopicId;
    /// let page = client.forum().topic(TopicId(4242)).posts(1).await?;
    /// for p in &page.posts {
    ///     println!("#{:?} {} at {}: {}", p.index, p.author, p.posted_text, p.content_text);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for page 0 (nothing sent), [`Error::NotFound`] for an unknown
    /// topic or a page past the end, [`Error::Scrape`] for an unexpected
    /// page, or a transport error.
    pub async fn posts(&self, page: u32) -> Result<PostList> {
        if page == 0 {
            return Err(Error::invalid("page", "pages start at 1"));
        }
        fetch_posts(&self.client, self.id, page).await
    }

    /// Every post of the topic, page after page, up to the last page.
    ///
    /// `GET https://scratch.mit.edu/discuss/topic/<id>/?page=1, 2, …`
    pub fn all_posts(&self) -> impl Stream<Item = Result<ForumPost>> + Send + 'static {
        let client = self.client.clone();
        let id = self.id;
        page_stream(move |page| {
            let client = client.clone();
            async move {
                let list = fetch_posts(&client, id, page).await?;
                Ok((list.posts, list.page_count))
            }
        })
    }
}

impl PostHandler {
    /// The post, read from the topic page that holds it.
    ///
    /// `GET https://scratch.mit.edu/discuss/post/<id>/`
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown post (or one missing from the page shown),
    /// [`Error::Scrape`] for an unexpected page, or a transport error.
    pub async fn get(&self) -> Result<ForumPost> {
        let response = self
            .client
            .send(RequestSpec::get(
                Host::Site,
                format!("/discuss/post/{}/", self.id),
            ))
            .await?;
        let list = parse_topic_page(&response.text(), &response.url)?;
        list.posts
            .into_iter()
            .find(|p| p.id == self.id)
            .ok_or_else(|| Error::NotFound {
                url: crate::error::redact_url(&response.url),
            })
    }

    /// The topic page that holds the post (with the topic's id and title).
    ///
    /// `GET https://scratch.mit.edu/discuss/post/<id>/`
    ///
    /// # Errors
    /// As [`PostHandler::get`].
    pub async fn topic_page(&self) -> Result<PostList> {
        let response = self
            .client
            .send(RequestSpec::get(
                Host::Site,
                format!("/discuss/post/{}/", self.id),
            ))
            .await?;
        parse_topic_page(&response.text(), &response.url)
    }

    /// The post's BBCode source, as its author wrote it.
    ///
    /// `GET https://scratch.mit.edu/discuss/post/<id>/source/`
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown post, or a transport error.
    pub async fn source(&self) -> Result<String> {
        self.client
            .get_text(
                Host::Site,
                &format!("/discuss/post/{}/source/", self.id),
                &[],
            )
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> Url {
        Url::parse("https://scratch.mit.edu/discuss/topic/4242/?page=1").unwrap()
    }

    /// Synthetic (html.md §7.3).
    const SYNTHETIC: &str = r#"<html><head><meta property="og:url" content="https://scratch.mit.edu/discuss/topic/4242/"></head><body>
<div class="djangobb">
<div class="linkst"><div class="inbox"><ul>
  <li><a href="/discuss/">Discussion Forums</a></li>
  <li>&raquo; <a href="/discuss/31/">Suggestions</a></li>
  <li>&raquo; Add more blocks</li>
</ul></div></div>
<div class="pagination"><span class="current page">1</span> <a class="page" href="?page=2">2</a></div>
<div id="p98765" class="blockpost roweven firstpost">
  <a name="post-98765"></a>
  <div class="box">
    <div class="box-head">
      <span class="conr">#1</span>
      <a href="/discuss/post/98765/">Jan 5, 2025 10:15:00</a>
    </div>
    <div class="box-content">
      <div class="postleft">
        <dl>
          <dt><a class="black username" href="/users/alice/">alice</a></dt>
          <dd class="postavatar"><a href="/users/alice/"><img src="//cdn2.scratch.mit.edu/get_image/user/123_60x60.png" width="60" height="60"></a></dd>
          <dd class="postrank">Scratcher</dd>
        </dl>
      </div>
      <div class="postright">
        <h3>Add more blocks</h3>
        <div class="postmsg">
          <div class="post_body_html">Please add <span class="bb-bold">more</span> blocks.</div>
          <p class="postedit"><em class="posteditmessage">Last edited by alice (Jan 5, 2025 10:20:00)</em></p>
        </div>
        <div class="postsignature"><hr>my signature</div>
      </div>
      <div class="clearer"><div class="nosize"><!-- --></div></div>
    </div>
  </div>
</div>
<div id="p98766" class="blockpost roweven firstpost">
  <div class="box"><div class="box-head"><span class="conr">#2</span><a href="/discuss/post/98766/">Today 11:00:00</a></div>
  <div class="box-content"><div class="postleft"><dl><dt><a class="black username" href="/users/bob/">bob</a></dt></dl></div>
  <div class="postright"><div class="postmsg"><div class="post_body_html">+1 &amp; more</div></div></div></div></div>
</div>
</div></body></html>"#;

    #[test]
    fn parses_posts_and_topic_info() {
        let list = parse_topic_page(SYNTHETIC, &url()).unwrap();
        assert_eq!(list.topic_id, Some(TopicId(4242)));
        assert_eq!(list.topic_title.as_deref(), Some("Add more blocks"));
        assert_eq!(list.category_id, Some(31));
        assert_eq!(list.category_name.as_deref(), Some("Suggestions"));
        assert_eq!((list.page, list.page_count), (1, 2));
        assert_eq!(list.posts.len(), 2);
        let p = &list.posts[0];
        assert_eq!(p.id, PostId(98765));
        assert_eq!(p.index, Some(1));
        assert_eq!(p.author, "alice");
        assert_eq!(p.author_id, Some(UserId(123)));
        assert_eq!(p.posted_text, "Jan 5, 2025 10:15:00");
        assert_eq!(p.posted.unwrap().to_naive_string(), "2025-01-05T10:15:00");
        assert_eq!(
            p.content_html,
            r#"Please add <span class="bb-bold">more</span> blocks."#
        );
        assert_eq!(p.content_text, "Please add more blocks.");
        assert_eq!(
            p.edited.as_deref(),
            Some("Last edited by alice (Jan 5, 2025 10:20:00)")
        );
        assert_eq!(p.signature_html.as_deref(), Some("my signature"));
        let q = &list.posts[1];
        assert_eq!(q.content_text, "+1 & more");
        assert_eq!(q.author_id, None);
        assert!(q.edited.is_none() && q.signature_html.is_none());
    }

    #[test]
    fn post_text_keeps_line_breaks() {
        let page = r#"<div class="djangobb"><div id="p7" class="blockpost">
<div class="postleft"><dl><dt><a href="/users/carol/">carol</a></dt></dl></div>
<div class="post_body_html"><blockquote><p class="bb-quote-author">alice wrote:</p>Please add<br>more blocks</blockquote>Agreed.<br><br><br>Line   two<br></div>
</div></div>"#;
        let list = parse_topic_page(page, &url()).unwrap();
        let p = &list.posts[0];
        assert_eq!(
            p.content_text,
            "alice wrote:\nPlease add\nmore blocks\nAgreed.\n\nLine two"
        );
        assert!(
            p.content_html.starts_with("<blockquote>"),
            "{}",
            p.content_html
        );
        assert!(p.content_html.contains("Please add<br>more blocks"));
    }

    #[test]
    fn errors_and_empty_pages() {
        assert!(matches!(
            parse_topic_page("<h1>Whoops</h1>", &url()),
            Err(Error::Scrape {
                what: "div.djangobb",
                ..
            })
        ));
        let empty = parse_topic_page("<div class=\"djangobb\"></div>", &url()).unwrap();
        assert!(empty.posts.is_empty());
        assert_eq!(empty.topic_id, Some(TopicId(4242)));
        let no_author =
            r#"<div id="p1" class="blockpost"><div class="post_body_html">x</div></div>"#;
        assert!(parse_topic_page(no_author, &url()).is_err());
        let no_id = r#"<div class="blockpost"><dl><dt><a href="/users/a/">a</a></dt></dl></div>"#;
        assert!(parse_topic_page(no_id, &url()).is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in ".*") {
            let _ = parse_topic_page(&s, &url());
        }

        #[test]
        fn never_panics_on_topic_like_markup(s in "(<div class=\"blockpost\" id=\"p[0-9]{0,3}\">|<div class=\"postleft\"><dl><dt><a href=\"/users/x/\">|<div class=\"post_body_html\">|<span class=\"conr\">#[0-9]|<div class=\"postsignature\"><hr>|<meta property=\"og:url\" content=\"/topic/[0-9]{0,2}/\">|</a>|</div>|x){0,25}") {
            let _ = parse_topic_page(&s, &url());
        }
    }
}
