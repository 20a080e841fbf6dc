//! Project writes on [`ProjectHandler`]: title, instructions, notes, commenting, sharing, loves
//! and favorites, views, visibility, trash, thumbnail.

use bytes::Bytes;
use scratchkit_model::{FavoriteStatus, LoveStatus, Project, ProjectVisibility};

use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::multipart;
use crate::projects::ProjectHandler;
use crate::request::{AuthMode, RequestSpec};
use crate::validate;

impl ProjectHandler {
    /// `PUT api /projects/<id>` with `fields`.
    async fn put_fields(&self, fields: serde_json::Value) -> Result<Project> {
        let client = self.client();
        client.require_auth()?;
        let spec = RequestSpec::put(Host::Api, format!("/projects/{}", self.id()))
            .auth(AuthMode::Token)
            .json(&fields)?;
        client.send_authed_json(spec).await
    }

    /// Renames the project (yours).
    ///
    /// `PUT https://api.scratch.mit.edu/projects/<id>` with `{"title": …}` and the X-Token.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let project = client.project(104u64).set_title("My game (v2)").await?;
    /// assert_eq!(project.title, "My game (v2)");
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for a blank title
    /// (nothing sent); [`Error::Forbidden`] when the project is not yours; any request error.
    pub async fn set_title(&self, title: &str) -> Result<Project> {
        self.client().require_auth()?;
        validate::not_blank("title", title)?;
        self.put_fields(serde_json::json!({ "title": title })).await
    }

    /// Sets the "Instructions" text (yours).
    ///
    /// `PUT https://api.scratch.mit.edu/projects/<id>` with `{"instructions": …}`.
    ///
    /// # Errors
    /// As [`ProjectHandler::set_title`] (an empty text is allowed).
    pub async fn set_instructions(&self, instructions: &str) -> Result<Project> {
        self.put_fields(serde_json::json!({ "instructions": instructions }))
            .await
    }

    /// Sets the "Notes and Credits" text (the API's `description`; yours).
    ///
    /// `PUT https://api.scratch.mit.edu/projects/<id>` with `{"description": …}`.
    ///
    /// # Errors
    /// As [`ProjectHandler::set_title`] (an empty text is allowed).
    pub async fn set_notes(&self, notes: &str) -> Result<Project> {
        self.put_fields(serde_json::json!({ "description": notes }))
            .await
    }

    /// Turns commenting on this project (yours) on or off.
    ///
    /// `PUT https://api.scratch.mit.edu/projects/<id>` with `{"comments_allowed": …}`.
    ///
    /// # Errors
    /// As [`ProjectHandler::set_title`].
    pub async fn set_comments_allowed(&self, allowed: bool) -> Result<Project> {
        self.put_fields(serde_json::json!({ "comments_allowed": allowed }))
            .await
    }

    /// `PUT api /proxy/projects/<id>/<what>` with the session cookie.
    async fn proxy_put(&self, what: &str) -> Result<()> {
        let client = self.client();
        client.require_auth()?;
        let spec = RequestSpec::put(Host::Api, format!("/proxy/projects/{}/{what}", self.id()))
            .auth(AuthMode::Cookie);
        client.send_authed(spec).await.map(|_| ())
    }

    /// Shares the project (yours).
    ///
    /// `PUT https://api.scratch.mit.edu/proxy/projects/<id>/share` with the session cookie.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// client.project(104u64).share().await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out (nothing sent); [`Error::Forbidden`] when the
    /// project is not yours; any request error.
    pub async fn share(&self) -> Result<()> {
        self.proxy_put("share").await
    }

    /// Unshares the project (yours).
    ///
    /// `PUT https://api.scratch.mit.edu/proxy/projects/<id>/unshare` with the session cookie.
    ///
    /// # Errors
    /// As [`ProjectHandler::share`].
    pub async fn unshare(&self) -> Result<()> {
        self.proxy_put("unshare").await
    }

    /// `<method> api <prefix>/projects/<id>/<what>/user/<me>`.
    async fn mark<T: serde::de::DeserializeOwned>(
        &self,
        method: http::Method,
        what: &str,
    ) -> Result<T> {
        let client = self.client();
        let (_, me) = client.me_for_path()?;
        let (prefix, auth) = if method == http::Method::GET {
            ("", AuthMode::Token)
        } else {
            ("/proxy", AuthMode::Cookie)
        };
        let path = format!("{prefix}/projects/{}/{what}/user/{me}", self.id());
        client
            .send_authed_json(RequestSpec::new(method, Host::Api, path).auth(auth))
            .await
    }

    /// Loves the project. One request, no retry loop: the answer says whether it is loved now
    /// and whether this call changed anything (`status_changed` is `false` when it already
    /// was).
    ///
    /// `POST https://api.scratch.mit.edu/proxy/projects/<id>/loves/user/<me>` with the session
    /// cookie.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let status = client.project(104u64).love().await?;
    /// assert!(status.user_love);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out (nothing sent); any request error.
    pub async fn love(&self) -> Result<LoveStatus> {
        self.mark(http::Method::POST, "loves").await
    }

    /// Takes the love back (one request; see [`ProjectHandler::love`]).
    ///
    /// `DELETE https://api.scratch.mit.edu/proxy/projects/<id>/loves/user/<me>`.
    ///
    /// # Errors
    /// As [`ProjectHandler::love`].
    pub async fn unlove(&self) -> Result<LoveStatus> {
        self.mark(http::Method::DELETE, "loves").await
    }

    /// Whether you love the project.
    ///
    /// `GET https://api.scratch.mit.edu/projects/<id>/loves/user/<me>` with the X-Token.
    ///
    /// # Errors
    /// As [`ProjectHandler::love`].
    pub async fn love_status(&self) -> Result<LoveStatus> {
        self.mark(http::Method::GET, "loves").await
    }

    /// Adds the project to your favorites (one request; see [`ProjectHandler::love`]).
    ///
    /// `POST https://api.scratch.mit.edu/proxy/projects/<id>/favorites/user/<me>`.
    ///
    /// # Errors
    /// As [`ProjectHandler::love`].
    pub async fn favorite(&self) -> Result<FavoriteStatus> {
        self.mark(http::Method::POST, "favorites").await
    }

    /// Removes the project from your favorites (one request).
    ///
    /// `DELETE https://api.scratch.mit.edu/proxy/projects/<id>/favorites/user/<me>`.
    ///
    /// # Errors
    /// As [`ProjectHandler::love`].
    pub async fn unfavorite(&self) -> Result<FavoriteStatus> {
        self.mark(http::Method::DELETE, "favorites").await
    }

    /// Whether the project is among your favorites.
    ///
    /// `GET https://api.scratch.mit.edu/projects/<id>/favorites/user/<me>` with the X-Token.
    ///
    /// # Errors
    /// As [`ProjectHandler::love`].
    pub async fn favorite_status(&self) -> Result<FavoriteStatus> {
        self.mark(http::Method::GET, "favorites").await
    }

    /// Counts a view of the project. This works logged out too (the X-Token is sent when
    /// logged in). The author comes from [`by`](ProjectHandler::by) or one
    /// `GET /projects/<id>`.
    ///
    /// `POST https://api.scratch.mit.edu/users/<author>/projects/<id>/views/`
    ///
    /// # Errors
    /// Any request error (for the lookup of the author too).
    pub async fn view(&self) -> Result<()> {
        let author = match self.author() {
            Some(author) => author.to_owned(),
            None => self.info().await?.author.username.ok_or(Error::Decode {
                url: self
                    .client()
                    .hosts()
                    .url(Host::Api, &format!("/projects/{}", self.id()))
                    .to_string(),
                path: "author.username".into(),
                message: "the project's author has no username; give it with `.by(author)`".into(),
                snippet: String::new(),
                source: None,
            })?,
        };
        let author = validate::segment(validate::username(&author)?);
        let spec = RequestSpec::post(
            Host::Api,
            format!("/users/{author}/projects/{}/views/", self.id()),
        )
        .auth(AuthMode::TokenIfLoggedIn);
        self.client().send(spec).await.map(|_| ())
    }

    /// The moderation state of the project (yours): deleted, censored (and by whom), whether it
    /// can be shared again, and Scratch's message.
    ///
    /// `GET https://api.scratch.mit.edu/users/<me>/projects/<id>/visibility` with the X-Token.
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out (nothing sent); any request error.
    pub async fn visibility(&self) -> Result<ProjectVisibility> {
        let client = self.client();
        let (_, me) = client.me_for_path()?;
        let spec = RequestSpec::get(
            Host::Api,
            format!("/users/{me}/projects/{}/visibility", self.id()),
        )
        .auth(AuthMode::Token);
        client.send_authed_json(spec).await
    }

    /// `PUT site /site-api/projects/all/<id>/` with `{"visibility": …}`.
    async fn set_site_visibility(&self, visibility: &str) -> Result<()> {
        let client = self.client();
        client.require_auth()?;
        let spec = RequestSpec::put(Host::Site, format!("/site-api/projects/all/{}/", self.id()))
            .auth(AuthMode::Cookie)
            .json(&serde_json::json!({ "visibility": visibility }))?;
        let response = client.send_authed(spec).await?;
        crate::writes::check_site_answer("change project visibility", &response.body)
    }

    /// Moves the project (yours) to the trash ("Delete" in My Stuff).
    ///
    /// `PUT https://scratch.mit.edu/site-api/projects/all/<id>/` with
    /// `{"visibility":"trshbyusr"}` and the session cookie.
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out (nothing sent); any request error.
    pub async fn trash(&self) -> Result<()> {
        self.set_site_visibility("trshbyusr").await
    }

    /// Takes the project (yours) out of the trash.
    ///
    /// `PUT https://scratch.mit.edu/site-api/projects/all/<id>/` with
    /// `{"visibility":"visible"}` and the session cookie.
    ///
    /// # Errors
    /// As [`ProjectHandler::trash`].
    pub async fn restore(&self) -> Result<()> {
        self.set_site_visibility("visible").await
    }

    /// Sets the project's thumbnail (yours) from PNG, JPEG or GIF bytes.
    ///
    /// `POST https://scratch.mit.edu/internalapi/project/thumbnail/<id>/set/` with the image as
    /// the body (its own `Content-Type`), the session cookie and the X-Token.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let png = std::fs::read("thumbnail.png").unwrap_or_default();
    /// client.project(104u64).set_thumbnail(png).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for data that is
    /// not such an image or is over 10 MB (nothing sent); any request error.
    pub async fn set_thumbnail(&self, image: impl Into<Bytes>) -> Result<()> {
        let client = self.client();
        client.require_auth()?;
        let image = image.into();
        let mime = multipart::image_type(&image)?;
        let spec = RequestSpec::post(
            Host::Site,
            format!("/internalapi/project/thumbnail/{}/set/", self.id()),
        )
        .auth(AuthMode::Both)
        .bytes(Some(mime), image)
        .header(
            "Referer",
            client.site_page(&format!("/projects/{}/editor/", self.id())),
        );
        client.send_authed(spec).await.map(|_| ())
    }
}
