//! "My Stuff" on [`Client`]: your projects (all, shared, unshared, trashed) and studios from
//! the old site's site-api, and emptying the trash.

use scratchkit_model::{SiteGallery, SiteProject};
use secrecy::{ExposeSecret, SecretString};

use super::MeHandler;
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::request::{AuthMode, RequestSpec};

/// Which of your projects [`MeHandler::projects`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum MyStuffFilter {
    /// Every project not in the trash.
    #[default]
    All,
    /// Shared projects.
    Shared,
    /// Unshared projects.
    NotShared,
    /// Projects in the trash.
    Trashed,
}

impl MyStuffFilter {
    fn path(self) -> &'static str {
        match self {
            MyStuffFilter::All => "all",
            MyStuffFilter::Shared => "shared",
            MyStuffFilter::NotShared => "notshared",
            MyStuffFilter::Trashed => "trashed",
        }
    }
}

/// The order of a My Stuff list (`descsort=<field>`; date order when
/// [`MyStuffSort::LastModified`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum MyStuffSort {
    /// Most recently modified first (Scratch's default).
    #[default]
    LastModified,
    /// Most viewed first.
    Views,
    /// Most loved first.
    Loves,
    /// Most remixed first.
    Remixes,
    /// By title.
    Title,
}

impl MyStuffSort {
    fn field(self) -> &'static str {
        match self {
            MyStuffSort::LastModified => "",
            MyStuffSort::Views => "view_count",
            MyStuffSort::Loves => "love_count",
            MyStuffSort::Remixes => "remixers_count",
            MyStuffSort::Title => "title",
        }
    }
}

/// Checks a 1-based page number.
fn check_page(page: u32) -> Result<()> {
    if page == 0 {
        return Err(Error::invalid("page", "pages start at 1"));
    }
    Ok(())
}

impl MeHandler {
    /// A page (1-based, 40 items) of a site-api My Stuff list; past the end (404) it is empty.
    async fn my_stuff_page<T: serde::de::DeserializeOwned>(
        &self,
        path: String,
        sort: MyStuffSort,
        page: u32,
    ) -> Result<Vec<T>> {
        self.client.require_auth()?;
        check_page(page)?;
        let spec = RequestSpec::get(Host::Site, path)
            .query("page", page)
            .query("ascsort", "")
            .query("descsort", sort.field())
            .auth(AuthMode::Cookie)
            .header("Referer", self.client.site_page("/mystuff/"));
        match self.client.send_authed_json(spec).await {
            Err(Error::NotFound { .. }) => Ok(Vec::new()),
            other => other,
        }
    }

    /// One page (1-based, up to 40 projects) of your projects, including unshared and trashed
    /// ones; an empty page past the end.
    ///
    /// `GET https://scratch.mit.edu/site-api/projects/<all|shared|notshared|trashed>/?page=&ascsort=&descsort=`
    /// with the session cookie.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// use scratchkit::{MyStuffFilter, MyStuffSort};
    ///
    /// let mut page = 1;
    /// loop {
    ///     let projects = client.me().projects(MyStuffFilter::NotShared, MyStuffSort::Title, page).await?;
    ///     if projects.is_empty() {
    ///         break;
    ///     }
    ///     for p in &projects {
    ///         println!("{} {}", p.pk, p.fields.title);
    ///     }
    ///     page += 1;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for page 0
    /// (nothing sent); any request error.
    pub async fn projects(
        &self,
        filter: MyStuffFilter,
        sort: MyStuffSort,
        page: u32,
    ) -> Result<Vec<SiteProject>> {
        self.my_stuff_page(format!("/site-api/projects/{}/", filter.path()), sort, page)
            .await
    }

    /// One page (1-based, up to 40) of the studios you own or curate, as Scratch's site-api
    /// gallery records (`{"pk", "model", "fields": {title, owner, …}}`); an empty page past the
    /// end. Studios sort as the site offers them: [`MyStuffSort::LastModified`] (newest first)
    /// or [`MyStuffSort::Title`] (`descsort=title`); the project-only orders (views, loves,
    /// remixes) fall back to the date order on Scratch's side.
    ///
    /// `GET https://scratch.mit.edu/site-api/galleries/all/?page=&ascsort=&descsort=`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// use scratchkit::MyStuffSort;
    ///
    /// for studio in client.me().studios(MyStuffSort::Title, 1).await? {
    ///     println!("{} {} ({} projects)", studio.pk, studio.fields.title, studio.fields.projecters_count);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// As [`MeHandler::projects`].
    pub async fn studios(&self, sort: MyStuffSort, page: u32) -> Result<Vec<SiteGallery>> {
        self.my_stuff_page("/site-api/galleries/all/".to_owned(), sort, page)
            .await
    }

    /// Deletes every project in your trash for good; returns how many were deleted.
    ///
    /// `PUT https://scratch.mit.edu/site-api/projects/trashed/empty/` with
    /// `{"csrfmiddlewaretoken", "password"}` and the session cookie; the answer is
    /// `{"trashed": <count>}`.
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for an empty
    /// password (nothing sent); any request error.
    pub async fn empty_trash(&self, password: &SecretString) -> Result<u64> {
        let state = self.client.require_auth()?;
        if password.expose_secret().is_empty() {
            return Err(Error::invalid("password", "it is empty"));
        }
        #[derive(serde::Deserialize)]
        struct Emptied {
            #[serde(default)]
            trashed: u64,
        }
        let spec = RequestSpec::put(Host::Site, "/site-api/projects/trashed/empty/")
            .auth(AuthMode::Cookie)
            .json(&serde_json::json!({
                "csrfmiddlewaretoken": state.csrf(),
                "password": password.expose_secret(),
            }))?
            .header("Referer", self.client.site_page("/mystuff/"));
        let emptied: Emptied = self.client.send_authed_json(spec).await?;
        Ok(emptied.trashed)
    }
}
