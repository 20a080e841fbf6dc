//! The old site's project grids of a user: loved projects (`/projects/all/<u>/loves/`) and
//! favorites (`/users/<u>/favorites/`), `html.md` §6.1–§6.2.

use futures_util::stream::{self, StreamExt};
use scraper::Html;
use scratchkit_model::ProjectId;
use url::Url;

use super::UserHandler;
use crate::client::Client;
use crate::error::Result;
use crate::hosts::Host;
use crate::html::dom::{self, missing, sel};
use crate::list::ListRequest;
use crate::page::paginate_pages;
use crate::request::RequestSpec;

/// Projects on one page of a grid.
const PER_PAGE: usize = 40;

/// One project of an old-site grid (`li.project.thumb.item`): what the page shows of it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GridProject {
    /// The project's ID (from the thumbnail's link).
    pub id: ProjectId,
    /// The title (the second link's text).
    pub title: String,
    /// The author's username (the third link's text).
    pub author: String,
}

/// Parses a project grid page (the loves page, the favorites page): every
/// `<li class="project thumb item">`, whose three links are the thumbnail
/// (`/projects/<id>/`), the title and the author. A page without items is an empty list.
///
/// ```
/// use scratchkit::html::parse_project_grid;
/// use scratchkit::Url;
///
/// let html = r#"<ul><li class="project thumb item">
///   <a href="/projects/42/"><img src="x.png"></a>
///   <span class="title"><a href="/projects/42/">Pong</a></span>
///   <span class="owner">by <a href="/users/alice/">alice</a></span></li></ul>"#;
/// let url = Url::parse("https://scratch.mit.edu/projects/all/bob/loves/").unwrap();
/// let grid = parse_project_grid(html, &url).unwrap();
/// assert_eq!(grid[0].id, 42u64.into());
/// assert_eq!((grid[0].title.as_str(), grid[0].author.as_str()), ("Pong", "alice"));
/// ```
///
/// # Errors
/// [`Error::Scrape`](crate::Error::Scrape) for an item without its three links or with a
/// thumbnail link that holds no project id.
pub fn parse_project_grid(html: &str, url: &Url) -> Result<Vec<GridProject>> {
    let doc = Html::parse_document(html);
    let mut out = Vec::new();
    for li in doc.select(&sel("li.project.thumb.item")) {
        let links: Vec<_> = li.select(&sel("a")).collect();
        let [thumb, title, author, ..] = links.as_slice() else {
            return Err(missing("li.project.thumb.item's three links", url));
        };
        let id = thumb
            .attr("href")
            .and_then(|h| dom::id_after(h, "/projects/"))
            .ok_or_else(|| missing("the project link's id", url))?;
        out.push(GridProject {
            id: ProjectId(id),
            title: dom::text(*title),
            author: dom::text(*author),
        });
    }
    Ok(out)
}

/// One page of a grid at `path` on the site.
async fn fetch_grid(client: Client, path: String, page: u32) -> Result<Vec<GridProject>> {
    let spec = RequestSpec::get(Host::Site, path).query("page", page);
    let response = client.send(spec).await?;
    parse_project_grid(&response.text(), &response.url)
}

impl UserHandler {
    /// The grid at `/…/` page by page: the first page's errors are returned (an unknown
    /// user is [`Error::NotFound`](crate::Error::NotFound)); past the last page the site's 404
    /// ends the list.
    fn grid(&self, path: Result<String>) -> ListRequest<GridProject> {
        let client = self.client.clone();
        ListRequest::items(
            self.client.clone(),
            Box::new(move || {
                stream::once(async move {
                    let path = path?;
                    let first = fetch_grid(client.clone(), path.clone(), 1).await?;
                    Ok((client, path, first))
                })
                .map(|start| match start {
                    Ok((client, path, first)) => {
                        let full = first.len() >= PER_PAGE;
                        let rest = paginate_pages(
                            move |page| fetch_grid(client.clone(), path.clone(), page),
                            2,
                            Some(PER_PAGE),
                            None,
                        );
                        let head = stream::iter(first.into_iter().map(Ok));
                        if full {
                            head.chain(rest).boxed()
                        } else {
                            head.boxed()
                        }
                    }
                    Err(e) => stream::once(std::future::ready(Err(e))).boxed(),
                })
                .flatten()
                .boxed()
            }),
        )
    }

    /// The projects this user loves, most recent first, from the old site's loves page (the
    /// API has no such list). 40 a page.
    ///
    /// `GET https://scratch.mit.edu/projects/all/<name>/loves/?page=<n>`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// for p in client.user("griffpatch").loved_projects().limit(10).await? {
    ///     println!("{} {} by {}", p.id, p.title, p.author);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// When awaited or streamed: [`Error::NotFound`](crate::Error::NotFound) for an unknown
    /// user, [`Error::Scrape`](crate::Error::Scrape) for an unexpected page, or any request
    /// error.
    pub fn loved_projects(&self) -> ListRequest<GridProject> {
        let path = self
            .segment()
            .map(|name| format!("/projects/all/{name}/loves/"));
        self.grid(path)
    }

    /// The user's favorites as the old site's favorites page lists them (the API's
    /// [`favorites`](UserHandler::favorites) gives full projects; this is what scratchattach's
    /// page readers see).
    ///
    /// `GET https://scratch.mit.edu/users/<name>/favorites/?page=<n>`
    ///
    /// # Errors
    /// As [`loved_projects`](UserHandler::loved_projects).
    pub fn favorites_page(&self) -> ListRequest<GridProject> {
        let path = self
            .segment()
            .map(|name| format!("/users/{name}/favorites/"));
        self.grid(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn url() -> Url {
        Url::parse("https://scratch.mit.edu/projects/all/bob/loves/").unwrap()
    }

    #[test]
    fn reads_items_in_order_and_rejects_broken_ones() {
        let html = r#"<h2>bob &raquo;

 (2)</h2><ul>
<li class="project thumb item"><a href="/projects/1/"><img></a><a href="/projects/1/">One &amp; only</a><a href="/users/ann/">ann</a></li>
<li class="project thumb item"><a href="/projects/22/"><img></a><a href="/projects/22/">Two</a><a href="/users/cy/">cy</a></li>
<li class="user thumb item"><a href="/users/zed/">zed</a></li></ul>"#;
        let grid = parse_project_grid(html, &url()).unwrap();
        let got: Vec<_> = grid
            .iter()
            .map(|p| (p.id.0, p.title.as_str(), p.author.as_str()))
            .collect();
        assert_eq!(got, [(1, "One & only", "ann"), (22, "Two", "cy")]);
        assert!(parse_project_grid("<ul></ul>", &url()).unwrap().is_empty());
        let broken = r#"<li class="project thumb item"><a href="/projects/1/">x</a></li>"#;
        assert!(matches!(
            parse_project_grid(broken, &url()),
            Err(Error::Scrape { .. })
        ));
        let no_id = r#"<li class="project thumb item"><a href="/x/"></a><a>t</a><a>u</a></li>"#;
        assert!(parse_project_grid(no_id, &url()).is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in ".*") {
            let _ = parse_project_grid(&s, &url());
        }
    }
}
