//! The forum index, `GET /discuss/`: sections and their categories (`html.md` §7.1).

use scraper::{ElementRef, Html, Node};
use url::Url;

use super::{ForumHandler, LastPost, last_post};
use crate::error::Result;
use crate::hosts::Host;
use crate::html::dom::{self, missing, sel};
use crate::request::RequestSpec;

/// A section of the forum index ("Welcome to Scratch", "Making Scratch Projects"…).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ForumSection {
    /// The section's name.
    pub name: String,
    /// Its categories, in page order.
    pub categories: Vec<ForumCategory>,
}

/// A forum category as listed on the index.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ForumCategory {
    /// The category id (`/discuss/<id>/`).
    pub id: u64,
    /// The name.
    pub name: String,
    /// The description under the name.
    pub description: String,
    /// Number of topics.
    pub topic_count: Option<u64>,
    /// Number of posts.
    pub post_count: Option<u64>,
    /// The latest post.
    pub last_post: Option<LastPost>,
}

/// The last non-empty text node directly inside `el`.
fn last_own_text(el: ElementRef<'_>) -> String {
    el.children()
        .filter_map(|n| match n.value() {
            Node::Text(t) => Some(dom::collapse(t)),
            _ => None,
        })
        .rfind(|t| !t.is_empty())
        .unwrap_or_default()
}

/// Parses the forum index.
///
/// # Errors
/// [`Error::Scrape`](crate::Error::Scrape) when there is no `div.blocktable` with sections, or
/// a category row has no link to its category.
pub fn parse_forum_index(html: &str, url: &Url) -> Result<Vec<ForumSection>> {
    let doc = Html::parse_document(html);
    let mut sections = Vec::new();
    for bx in doc.select(&sel("div.blocktable div.box")) {
        let name = dom::first(bx, &sel("h4"))
            .map(|h| {
                let own = last_own_text(h);
                if own.is_empty() { dom::text(h) } else { own }
            })
            .unwrap_or_default();
        let mut categories = Vec::new();
        for row in bx.select(&sel("tbody tr")) {
            let Some(con) = dom::first(row, &sel("div.tclcon")) else {
                continue;
            };
            let link = con
                .select(&sel("a[href]"))
                .find_map(|a| Some((a, dom::id_after(a.attr("href")?, "/discuss/")?)))
                .ok_or_else(|| missing("div.tclcon a[href=/discuss/<id>/]", url))?;
            let cell = |css: &'static str| {
                dom::first(row, &sel(css)).and_then(|td| dom::number(&dom::text(td)))
            };
            categories.push(ForumCategory {
                id: link.1,
                name: dom::text(link.0),
                description: last_own_text(con),
                topic_count: cell("td.tc2"),
                post_count: cell("td.tc3"),
                last_post: dom::first(row, &sel("td.tcr")).and_then(last_post),
            });
        }
        if !categories.is_empty() || !name.is_empty() {
            sections.push(ForumSection { name, categories });
        }
    }
    if sections.is_empty() {
        return Err(missing("div.blocktable div.box", url));
    }
    Ok(sections)
}

impl ForumHandler {
    /// The forum index: every section with its categories.
    ///
    /// `GET https://scratch.mit.edu/discuss/`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// for section in client.forum().categories().await? {
    ///     for c in section.categories {
    ///         println!("{} / {} ({:?} topics)", section.name, c.name, c.topic_count);
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::Scrape`](crate::Error::Scrape) for an unexpected page, or a transport error.
    pub async fn categories(&self) -> Result<Vec<ForumSection>> {
        let response = self
            .client
            .send(RequestSpec::get(Host::Site, "/discuss/"))
            .await?;
        parse_forum_index(&response.text(), &response.url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use scratchkit_model::PostId;

    fn url() -> Url {
        Url::parse("https://scratch.mit.edu/discuss/").unwrap()
    }

    /// Synthetic (html.md §7.1).
    const SYNTHETIC: &str = r#"<div id="idx1" class="blocktable">
  <div class="box">
    <div class="box-head"><h4><span class="toggle"></span>Welcome to Scratch</h4></div>
    <div class="box-content"><table><thead><tr><th>Forum</th></tr></thead><tbody>
      <tr>
        <td class="tcl"><div class="intd"><div class="icon"></div><div class="tclcon">
          <h3><a href="/discuss/5/">Announcements</a></h3>
          Updates from the Scratch Team.
        </div></div></td>
        <td class="tc2">1,234</td>
        <td class="tc3">56789</td>
        <td class="tcr"><a href="/discuss/post/98765/">Jan 5, 2025 10:20:00</a> <span class="byuser">by bob</span></td>
      </tr>
    </tbody></table></div>
  </div>
  <div class="box">
    <div class="box-head"><h4>Empty section</h4></div>
  </div>
</div>"#;

    #[test]
    fn parses_sections_and_categories() {
        let sections = parse_forum_index(SYNTHETIC, &url()).unwrap();
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[0].name, "Welcome to Scratch");
        let c = &sections[0].categories[0];
        assert_eq!(c.id, 5);
        assert_eq!(c.name, "Announcements");
        assert_eq!(c.description, "Updates from the Scratch Team.");
        assert_eq!(c.topic_count, Some(1234));
        assert_eq!(c.post_count, Some(56789));
        let last = c.last_post.as_ref().unwrap();
        assert_eq!(last.post_id, Some(PostId(98765)));
        assert_eq!(last.author.as_deref(), Some("bob"));
        assert_eq!(
            last.posted.unwrap().to_naive_string(),
            "2025-01-05T10:20:00"
        );
        assert!(sections[1].categories.is_empty());
    }

    #[test]
    fn not_an_index_is_an_error() {
        assert!(matches!(
            parse_forum_index("<h1>Whoops</h1>", &url()),
            Err(Error::Scrape { .. })
        ));
        let bad = r#"<div class="blocktable"><div class="box"><table><tbody><tr><td><div class="tclcon">no link</div></td></tr></tbody></table></div></div>"#;
        assert!(parse_forum_index(bad, &url()).is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in ".*") {
            let _ = parse_forum_index(&s, &url());
        }
    }
}
