//! A category's topic list, `GET /discuss/<category id>/?page=<n>` (`html.md` §7.2).

use futures_util::Stream;
use scraper::{ElementRef, Html};
use scratchkit_model::TopicId;
use url::Url;

use super::{CategoryHandler, LastPost, current_page, last_post, page_count, page_stream};
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::html::dom::{self, missing, sel};
use crate::request::RequestSpec;

/// A topic as listed in its category.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TopicSummary {
    /// The topic id (`/discuss/topic/<id>/`).
    pub id: TopicId,
    /// The title.
    pub title: String,
    /// Who started it (`by <name>`).
    pub author: Option<String>,
    /// Pinned to the top of the category.
    pub sticky: bool,
    /// Closed to new posts.
    pub closed: bool,
    /// Number of replies.
    pub replies: Option<u64>,
    /// Number of views.
    pub views: Option<u64>,
    /// The latest post.
    pub last_post: Option<LastPost>,
}

/// One page of a category.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TopicList {
    /// The category's name, when the page shows it.
    pub category_name: Option<String>,
    /// This page's number (1-based).
    pub page: u32,
    /// How many pages the category has (1 when there is no pagination).
    pub page_count: u32,
    /// The topics of this page (sticky ones first, as the site lists them).
    pub topics: Vec<TopicSummary>,
}

fn has_class_under(scope: ElementRef<'_>, class: &str) -> bool {
    scope
        .descendent_elements()
        .any(|e| e.value().classes().any(|c| c == class))
}

fn parse_row(row: ElementRef<'_>, url: &Url) -> Result<Option<TopicSummary>> {
    let Some(tcl) = dom::first(row, &sel("td.tcl")) else {
        return Ok(None);
    };
    let (link, id) = tcl
        .select(&sel("a[href]"))
        .find_map(|a| Some((a, dom::id_after(a.attr("href")?, "/topic/")?)))
        .ok_or_else(|| missing("td.tcl a[href=/discuss/topic/<id>/]", url))?;
    let author = tcl
        .select(&sel("span.byuser"))
        .map(dom::text)
        .find_map(|t| t.strip_prefix("by ").map(|s| s.trim().to_owned()));
    let number =
        |css: &'static str| dom::first(row, &sel(css)).and_then(|td| dom::number(&dom::text(td)));
    Ok(Some(TopicSummary {
        id: TopicId(id),
        title: dom::text(link),
        author,
        sticky: has_class_under(tcl, "isticky"),
        closed: has_class_under(tcl, "iclosed"),
        replies: number("td.tc2"),
        views: number("td.tc3"),
        last_post: dom::first(row, &sel("td.tcr")).and_then(last_post),
    }))
}

/// Parses a category page.
///
/// # Errors
/// [`Error::Scrape`] when the page is not a category page (no `h4`
/// heading and no topic rows) or a topic row has no link to its topic.
pub fn parse_category_page(html: &str, url: &Url) -> Result<TopicList> {
    let doc = Html::parse_document(html);
    let category_name = doc
        .select(&sel("div#vf div.box-head span, div#vf h4 span"))
        .map(dom::text)
        .find(|t| !t.is_empty())
        .or_else(|| {
            doc.select(&sel("h4"))
                .next()
                .map(dom::text)
                .filter(|t| !t.is_empty())
        });
    let mut topics = Vec::new();
    for row in doc.select(&sel("tbody tr")) {
        if let Some(topic) = parse_row(row, url)? {
            topics.push(topic);
        }
    }
    if category_name.is_none() && topics.is_empty() {
        return Err(missing("category heading (h4)", url));
    }
    let page_count = page_count(&doc);
    let page = current_page(&doc).unwrap_or(1);
    Ok(TopicList {
        category_name,
        page,
        page_count,
        topics,
    })
}

async fn fetch_topics(client: &crate::Client, id: u64, page: u32) -> Result<TopicList> {
    let spec = RequestSpec::get(Host::Site, format!("/discuss/{id}/")).query("page", page);
    let response = client.send(spec).await?;
    let mut list = parse_category_page(&response.text(), &response.url)?;
    list.page = page;
    Ok(list)
}

impl CategoryHandler {
    /// One page (1-based, 25 topics) of the category's topics.
    ///
    /// `GET https://scratch.mit.edu/discuss/<id>/?page=<page>`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let list = client.forum().category(31).topics(1).await?;
    /// for t in &list.topics {
    ///     println!("{}{} ({:?} replies)", if t.sticky { "[sticky] " } else { "" }, t.title, t.replies);
    /// }
    /// println!("page 1 of {}", list.page_count);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for page 0 (nothing sent), [`Error::NotFound`] for an unknown
    /// category or a page past the end, [`Error::Scrape`] for an
    /// unexpected page, or a transport error.
    pub async fn topics(&self, page: u32) -> Result<TopicList> {
        if page == 0 {
            return Err(Error::invalid("page", "pages start at 1"));
        }
        fetch_topics(&self.client, self.id, page).await
    }

    /// Every topic of the category, page after page, up to the last page.
    ///
    /// `GET https://scratch.mit.edu/discuss/<id>/?page=1, 2, …`
    pub fn all_topics(&self) -> impl Stream<Item = Result<TopicSummary>> + Send + 'static {
        let client = self.client.clone();
        let id = self.id;
        page_stream(move |page| {
            let client = client.clone();
            async move {
                let list = fetch_topics(&client, id, page).await?;
                Ok((list.topics, list.page_count))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scratchkit_model::PostId;

    fn url() -> Url {
        Url::parse("https://scratch.mit.edu/discuss/31/?page=1").unwrap()
    }

    /// Synthetic (html.md §7.2), with a stray `</div>` after `nosize` as on the live site.
    const SYNTHETIC: &str = r#"<div class="djangobb">
  <div id="vf" class="blocktable">
    <div class="box">
      <div class="box-head"><h4><span>Suggestions</span></h4></div>
      <div class="box-content">
        <table>
          <thead><tr><th class="tcl">Topic</th><th class="tc2">Replies</th><th class="tc3">Views</th><th class="tcr">Last Post</th></tr></thead>
          <tbody>
            <tr>
              <td class="tcl">
                <div class="intd">
                  <div class="isticky iclosed"><div class="nosize"><!-- --></div></div></div>
                  <div class="tclcon">
                    <h3><a href="/discuss/topic/1/">Read before posting</a></h3>
                    <span class="byuser">by ScratchCat</span>
                  </div>
                </div>
              </td>
              <td class="tc2">0</td>
              <td class="tc3">99,999</td>
              <td class="tcr"><a href="/discuss/post/5/">Jan 1, 2020 00:00:00</a> <span class="byuser">by ScratchCat</span></td>
            </tr>
            <tr>
              <td class="tcl">
                <div class="intd">
                  <div class="forumicon"><div class="nosize"><!-- --></div></div>
                  <div class="tclcon">
                    <h3><a href="/discuss/topic/4242/">Add more blocks</a></h3>
                    <span class="byuser">by alice</span>
                  </div>
                </div>
              </td>
              <td class="tc2">12</td>
              <td class="tc3">345</td>
              <td class="tcr"><a href="/discuss/post/98765/">Today 10:15:00</a> <span class="byuser">by bob</span></td>
            </tr>
            <tr><td class="djangobbcon1" colspan="4">separator</td></tr>
          </tbody>
        </table>
      </div>
    </div>
  </div>
  <div class="pagination"><span class="current page">1</span> <a class="page" href="?page=2">2</a> <a class="page" href="?page=3">3</a> <a href="?page=2">Next</a></div>
</div>"#;

    #[test]
    fn parses_topics_flags_and_pages() {
        let list = parse_category_page(SYNTHETIC, &url()).unwrap();
        assert_eq!(list.category_name.as_deref(), Some("Suggestions"));
        assert_eq!((list.page, list.page_count), (1, 3));
        assert_eq!(list.topics.len(), 2);
        let sticky = &list.topics[0];
        assert!(sticky.sticky && sticky.closed);
        assert_eq!(sticky.views, Some(99_999));
        let t = &list.topics[1];
        assert_eq!(t.id, TopicId(4242));
        assert_eq!(t.title, "Add more blocks");
        assert_eq!(t.author.as_deref(), Some("alice"));
        assert!(!t.sticky && !t.closed);
        assert_eq!((t.replies, t.views), (Some(12), Some(345)));
        let last = t.last_post.as_ref().unwrap();
        assert_eq!(last.post_id, Some(PostId(98765)));
        assert_eq!(last.date_text, "Today 10:15:00");
        assert!(last.posted.is_some());
    }

    #[test]
    fn empty_category_and_errors() {
        let empty = r#"<div class="djangobb"><div id="vf"><div class="box-head"><h4><span>Empty</span></h4></div>
          <table><tbody><tr><td class="djangobbcon1">Forum is empty.</td></tr></tbody></table></div></div>"#;
        let list = parse_category_page(empty, &url()).unwrap();
        assert!(list.topics.is_empty());
        assert_eq!(list.page_count, 1);
        assert!(matches!(
            parse_category_page("<p>nothing</p>", &url()),
            Err(Error::Scrape { .. })
        ));
        let no_link =
            "<h4>x</h4><table><tbody><tr><td class=\"tcl\">no link</td></tr></tbody></table>";
        assert!(parse_category_page(no_link, &url()).is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in ".*") {
            let _ = parse_category_page(&s, &url());
        }

        #[test]
        fn never_panics_on_category_like_markup(s in "(<h4>|<tbody>|<tr>|<td class=\"tcl\">|<td class=\"tc2\">|<a href=\"/discuss/topic/[0-9]{0,3}/\">|<div class=\"isticky\">|<div class=\"pagination\">|<span class=\"current page\">|[0-9]{1,4}|</a>|</td>|</tr>|</div>){0,30}") {
            let _ = parse_category_page(&s, &url());
        }
    }
}
