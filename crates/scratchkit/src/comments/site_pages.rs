//! The old site's comment pages of any place: `/site-api/comments/{project,gallery,user}/<id>/`.
//!
//! The three share the markup of profile comments (`html.md` §1), so one parser,
//! [`parse_profile_comments`], reads them all.

use super::profile::{ProfileComment, parse_profile_comments};
use super::{CommentsHandler, Target};
use crate::error::Result;
use crate::hosts::Host;
use crate::request::RequestSpec;

impl CommentsHandler {
    /// The old site's path of this place's comment pages.
    fn site_page_path(&self) -> Result<String> {
        Ok(match &self.target {
            Target::Project(h) => format!("/site-api/comments/project/{}/", h.id()),
            Target::Studio(h) => format!("/site-api/comments/gallery/{}/", h.id()),
            Target::Profile(h) => format!("/site-api/comments/user/{}/", h.segment()?),
        })
    }

    /// One page of the old site's comment page (20 threads a page, each with all its
    /// replies), as scratchattach's HTML readers see it. The API's [`list`](Self::list) is
    /// the usual way; this one shows what the site renders (for example a comment the API
    /// does not list any more).
    ///
    /// * project: `GET https://scratch.mit.edu/site-api/comments/project/<id>/?page=<n>`
    /// * studio: `GET https://scratch.mit.edu/site-api/comments/gallery/<id>/?page=<n>`
    /// * profile: `GET https://scratch.mit.edu/site-api/comments/user/<name>/?page=<n>`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// for thread in client.project(142u64).comments().site_page(1).await? {
    ///     println!("{}: {} ({} replies)", thread.author, thread.content, thread.replies.len());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::NotFound`](crate::Error::NotFound) for an unknown (or unshared) place and for
    /// a page past the end, [`Error::Scrape`](crate::Error::Scrape) for an unexpected page,
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for page 0; any request error.
    pub async fn site_page(&self, page: u32) -> Result<Vec<ProfileComment>> {
        if page == 0 {
            return Err(crate::Error::invalid("page", "pages start at 1"));
        }
        let spec = RequestSpec::get(Host::Site, self.site_page_path()?).query("page", page);
        let response = self.client().send(spec).await?;
        parse_profile_comments(&response.text(), &response.url)
    }
}
