//! Studio writes on [`StudioHandler`] (and [`Client::create_studio`]): title, description,
//! thumbnail, open/closed, commenting, follow, projects, curators, host transfer, your role.

use bytes::Bytes;
use scratchkit_model::{ProjectId, StudioId, StudioMembership};
use secrecy::{ExposeSecret, SecretString};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::multipart;
use crate::request::{AuthMode, RequestSpec};
use crate::studios::StudioHandler;
use crate::validate;

/// The answer of `POST /studios/create/`.
#[derive(serde::Deserialize)]
struct Created {
    #[serde(default)]
    success: Option<bool>,
    #[serde(default)]
    redirect: Option<String>,
    #[serde(default)]
    msg: Option<String>,
}

/// The studio id in a `/studios/<id>/` redirect path.
fn studio_id_in(redirect: &str) -> Option<StudioId> {
    let rest = redirect.split("/studios/").nth(1)?;
    rest.split('/').next()?.parse().ok()
}

impl Client {
    /// Creates a new, empty studio (Scratchers only) and returns its handler; set its title
    /// and description with [`StudioHandler::set_title`] and
    /// [`StudioHandler::set_description`].
    ///
    /// `POST https://scratch.mit.edu/studios/create/` with the session cookie and
    /// `Referer: https://scratch.mit.edu/mystuff/`; the answer is
    /// `{"success": true, "redirect": "/studios/<id>/"}`.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let studio = client.create_studio().await?;
    /// studio.set_title("Platformers").await?;
    /// studio.set_description("Add your platformers!").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out (nothing sent); [`Error::Refused`] when
    /// Scratch says no (New Scratchers, too many studios: its message is kept); any request
    /// error.
    pub async fn create_studio(&self) -> Result<StudioHandler> {
        self.require_auth()?;
        let spec = RequestSpec::post(Host::Site, "/studios/create/")
            .auth(AuthMode::Cookie)
            .header("Referer", self.site_page("/mystuff/"));
        let refused = |message: String| Error::Refused {
            action: "create studio",
            message,
        };
        let response = match self.send_authed(spec).await {
            Ok(response) => response,
            // A refusal may also come with HTTP 403 and the same JSON body (New Scratchers).
            Err(Error::Forbidden { snippet, code, url }) => {
                return Err(match serde_json::from_str::<Created>(&snippet) {
                    Ok(Created {
                        success: Some(false),
                        msg: Some(msg),
                        ..
                    }) => refused(msg),
                    _ => Error::Forbidden { url, code, snippet },
                });
            }
            Err(e) => return Err(e),
        };
        let Ok(created) = serde_json::from_slice::<Created>(&response.body) else {
            // Scratch answers a refusal ("Woah, …") as text.
            return Err(refused(crate::error::snippet(&response.body)));
        };
        let id = created.redirect.as_deref().and_then(studio_id_in);
        match (created.success, id) {
            (Some(false), _) | (_, None) => Err(refused(
                created
                    .msg
                    .unwrap_or_else(|| crate::error::snippet(&response.body)),
            )),
            (_, Some(id)) => Ok(self.studio(id)),
        }
    }
}

impl StudioHandler {
    /// `PUT site /site-api/galleries/all/<id>/` with `fields`.
    async fn put_gallery(&self, fields: serde_json::Value) -> Result<()> {
        let client = self.client();
        client.require_auth()?;
        let spec = RequestSpec::put(
            Host::Site,
            format!("/site-api/galleries/all/{}/", self.id()),
        )
        .auth(AuthMode::Cookie)
        .json(&fields)?
        .header(
            "Referer",
            client.site_page(&format!("/studios/{}/", self.id())),
        );
        let response = client.send_authed(spec).await?;
        crate::writes::check_site_answer("edit studio", &response.body)
    }

    /// Renames the studio (you manage it).
    ///
    /// `PUT https://scratch.mit.edu/site-api/galleries/all/<id>/` with `{"title": …}` and the
    /// session cookie.
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for a blank title
    /// (nothing sent); [`Error::Refused`] when Scratch answers with errors; any request error.
    pub async fn set_title(&self, title: &str) -> Result<()> {
        self.client().require_auth()?;
        validate::not_blank("title", title)?;
        self.put_gallery(serde_json::json!({ "title": title }))
            .await
    }

    /// Sets the studio's description (you manage it).
    ///
    /// `PUT https://scratch.mit.edu/site-api/galleries/all/<id>/` with `{"description": …}`.
    ///
    /// # Errors
    /// As [`StudioHandler::set_title`] (an empty description is allowed).
    pub async fn set_description(&self, description: &str) -> Result<()> {
        self.put_gallery(serde_json::json!({ "description": description }))
            .await
    }

    /// Deletes the studio (you are its host).
    ///
    /// `PUT https://scratch.mit.edu/site-api/galleries/all/<id>/` with
    /// `{"visibility":"delbyusr"}`.
    ///
    /// # Errors
    /// As [`StudioHandler::set_title`].
    pub async fn delete(&self) -> Result<()> {
        self.put_gallery(serde_json::json!({ "visibility": "delbyusr" }))
            .await
    }

    /// Sets the studio's thumbnail from PNG, JPEG or GIF bytes (you manage it).
    ///
    /// `POST https://scratch.mit.edu/site-api/galleries/all/<id>/` with a multipart body
    /// whose field `file` holds the image; the answer is `{"thumbnail_url": …}` or
    /// `{"errors": […]}`.
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for data that is
    /// not such an image or is over 10 MB (nothing sent); [`Error::Refused`] for `errors`;
    /// any request error.
    pub async fn set_thumbnail(&self, image: impl Into<Bytes>) -> Result<()> {
        let client = self.client();
        client.require_auth()?;
        let image = image.into();
        let mime = multipart::image_type(&image)?;
        let filename = format!("thumbnail.{}", mime.trim_start_matches("image/"));
        let (content_type, body) = multipart::one_file("file", &filename, mime, &image);
        let spec = RequestSpec::post(
            Host::Site,
            format!("/site-api/galleries/all/{}/", self.id()),
        )
        .auth(AuthMode::Cookie)
        .bytes(Some(&content_type), body)
        .header(
            "Referer",
            client.site_page(&format!("/studios/{}/", self.id())),
        );
        let response = client.send_authed(spec).await?;
        crate::writes::check_site_answer("set the studio thumbnail", &response.body)
    }

    /// `PUT site /site-api/galleries/<id>/mark/<state>/`.
    async fn mark(&self, state: &str) -> Result<()> {
        let client = self.client();
        client.require_auth()?;
        let spec = RequestSpec::put(
            Host::Site,
            format!("/site-api/galleries/{}/mark/{state}/", self.id()),
        )
        .auth(AuthMode::Cookie)
        .header(
            "Referer",
            client.site_page(&format!("/studios/{}/", self.id())),
        );
        client.send_authed(spec).await.map(|_| ())
    }

    /// Lets anyone add projects to the studio (you manage it).
    ///
    /// `PUT https://scratch.mit.edu/site-api/galleries/<id>/mark/open/`
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out (nothing sent); any request error.
    pub async fn open_to_everyone(&self) -> Result<()> {
        self.mark("open").await
    }

    /// Lets only curators add projects to the studio (you manage it).
    ///
    /// `PUT https://scratch.mit.edu/site-api/galleries/<id>/mark/closed/`
    ///
    /// # Errors
    /// As [`StudioHandler::open_to_everyone`].
    pub async fn close_to_everyone(&self) -> Result<()> {
        self.mark("closed").await
    }

    /// Turns commenting on the studio on if it was off, off if it was on (Scratch only offers a
    /// toggle; read [`Studio::comments_allowed`](scratchkit_model::Studio) first to know).
    ///
    /// `POST https://scratch.mit.edu/site-api/comments/gallery/<id>/toggle-comments/`
    ///
    /// # Errors
    /// As [`StudioHandler::open_to_everyone`].
    pub async fn toggle_commenting(&self) -> Result<()> {
        let client = self.client();
        client.require_auth()?;
        let spec = RequestSpec::post(
            Host::Site,
            format!("/site-api/comments/gallery/{}/toggle-comments/", self.id()),
        )
        .auth(AuthMode::Cookie)
        .header(
            "Referer",
            client.site_page(&format!("/studios/{}/comments/", self.id())),
        );
        client.send_authed(spec).await.map(|_| ())
    }

    /// Turns commenting on the studio on (`true`) or off (`false`), whatever it was: reads
    /// the studio's `comments_allowed` first and toggles only when it differs (Scratch offers
    /// only a toggle). Returns whether anything changed.
    ///
    /// `GET https://api.scratch.mit.edu/studios/<id>`, then when needed
    /// `POST https://scratch.mit.edu/site-api/comments/gallery/<id>/toggle-comments/`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let changed = client.studio(5342u64).set_commenting(false).await?;
    /// println!("comments now off{}", if changed { "" } else { " (they already were)" });
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// As [`StudioHandler::info`] and [`StudioHandler::toggle_commenting`].
    pub async fn set_commenting(&self, allowed: bool) -> Result<bool> {
        self.client().require_auth()?;
        if self.info().await?.comments_allowed == allowed {
            return Ok(false);
        }
        self.toggle_commenting().await?;
        Ok(true)
    }

    /// `PUT site /site-api/users/<list>/<id>/<action>/?usernames=<who>`; `who` is you when
    /// `None`.
    async fn membership(&self, list: &str, action: &str, who: Option<&str>) -> Result<()> {
        let client = self.client();
        let state = client.require_auth()?;
        let who = validate::username(who.unwrap_or(state.username()))?;
        let spec = RequestSpec::put(
            Host::Site,
            format!("/site-api/users/{list}/{}/{action}/", self.id()),
        )
        .query("usernames", who)
        .auth(AuthMode::Cookie)
        .header(
            "Referer",
            client.site_page(&format!("/studios/{}/curators/", self.id())),
        );
        client.send_authed(spec).await.map(|_| ())
    }

    /// Follows the studio.
    ///
    /// `PUT https://scratch.mit.edu/site-api/users/bookmarkers/<id>/add/?usernames=<me>`
    ///
    /// # Errors
    /// As [`StudioHandler::open_to_everyone`].
    pub async fn follow(&self) -> Result<()> {
        self.membership("bookmarkers", "add", None).await
    }

    /// Stops following the studio.
    ///
    /// `PUT https://scratch.mit.edu/site-api/users/bookmarkers/<id>/remove/?usernames=<me>`
    ///
    /// # Errors
    /// As [`StudioHandler::open_to_everyone`].
    pub async fn unfollow(&self) -> Result<()> {
        self.membership("bookmarkers", "remove", None).await
    }

    /// Invites a user to curate the studio (you manage it).
    ///
    /// `PUT https://scratch.mit.edu/site-api/users/curators-in/<id>/invite_curator/?usernames=<user>`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// client.studio(5342u64).invite_curator("griffpatch").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for a malformed
    /// name (nothing sent); any request error.
    pub async fn invite_curator(&self, username: &str) -> Result<()> {
        self.membership("curators-in", "invite_curator", Some(username))
            .await
    }

    /// Accepts your invitation to curate the studio.
    ///
    /// `PUT https://scratch.mit.edu/site-api/users/curators-in/<id>/add/?usernames=<me>`
    ///
    /// # Errors
    /// As [`StudioHandler::open_to_everyone`].
    pub async fn accept_invite(&self) -> Result<()> {
        self.membership("curators-in", "add", None).await
    }

    /// Promotes a curator to manager (you manage the studio).
    ///
    /// `PUT https://scratch.mit.edu/site-api/users/curators-in/<id>/promote/?usernames=<user>`
    ///
    /// # Errors
    /// As [`StudioHandler::invite_curator`].
    pub async fn promote(&self, username: &str) -> Result<()> {
        self.membership("curators-in", "promote", Some(username))
            .await
    }

    /// Removes a curator or manager from the studio (you manage it).
    ///
    /// `PUT https://scratch.mit.edu/site-api/users/curators-in/<id>/remove/?usernames=<user>`
    ///
    /// # Errors
    /// As [`StudioHandler::invite_curator`].
    pub async fn remove_curator(&self, username: &str) -> Result<()> {
        self.membership("curators-in", "remove", Some(username))
            .await
    }

    /// Leaves the studio (stops curating or managing it).
    ///
    /// `PUT https://scratch.mit.edu/site-api/users/curators-in/<id>/remove/?usernames=<me>`
    ///
    /// # Errors
    /// As [`StudioHandler::open_to_everyone`].
    pub async fn leave(&self) -> Result<()> {
        self.membership("curators-in", "remove", None).await
    }

    /// `<method> api /studios/<id>/project/<project>` with the X-Token.
    async fn project_call(&self, method: http::Method, project: ProjectId) -> Result<()> {
        let client = self.client();
        client.require_auth()?;
        let spec = RequestSpec::new(
            method,
            Host::Api,
            format!("/studios/{}/project/{project}", self.id()),
        )
        .auth(AuthMode::Token);
        client.send_authed(spec).await.map(|_| ())
    }

    /// Adds a project to the studio.
    ///
    /// `POST https://api.scratch.mit.edu/studios/<id>/project/<project id>` with the X-Token.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// client.studio(5342u64).add_project(104u64).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// As [`StudioHandler::open_to_everyone`].
    pub async fn add_project(&self, project: impl Into<ProjectId>) -> Result<()> {
        self.project_call(http::Method::POST, project.into()).await
    }

    /// Removes a project from the studio.
    ///
    /// `DELETE https://api.scratch.mit.edu/studios/<id>/project/<project id>` with the
    /// X-Token.
    ///
    /// # Errors
    /// As [`StudioHandler::open_to_everyone`].
    pub async fn remove_project(&self, project: impl Into<ProjectId>) -> Result<()> {
        self.project_call(http::Method::DELETE, project.into())
            .await
    }

    /// Makes another manager the studio's host (you are the host; Scratch asks for your
    /// password).
    ///
    /// `PUT https://api.scratch.mit.edu/studios/<id>/transfer/<new host>` with
    /// `{"password": …}`, the session cookie and the X-Token.
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for a malformed
    /// name or an empty password (nothing sent); any request error.
    pub async fn transfer_host(&self, new_host: &str, password: &SecretString) -> Result<()> {
        let client = self.client();
        client.require_auth()?;
        let new_host = validate::segment(validate::username(new_host)?);
        if password.expose_secret().is_empty() {
            return Err(Error::invalid("password", "it is empty"));
        }
        let spec = RequestSpec::put(
            Host::Api,
            format!("/studios/{}/transfer/{new_host}", self.id()),
        )
        .auth(AuthMode::Both)
        .json(&serde_json::json!({ "password": password.expose_secret() }))?;
        client.send_authed(spec).await.map(|_| ())
    }

    /// Your role in the studio: manager, curator, invited, following.
    ///
    /// `GET https://api.scratch.mit.edu/studios/<id>/users/<me>` with the X-Token.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let role = client.studio(5342u64).my_role().await?;
    /// if role.invited {
    ///     client.studio(5342u64).accept_invite().await?;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// As [`StudioHandler::open_to_everyone`].
    pub async fn my_role(&self) -> Result<StudioMembership> {
        let client = self.client();
        let (_, me) = client.me_for_path()?;
        let spec = RequestSpec::get(Host::Api, format!("/studios/{}/users/{me}", self.id()))
            .auth(AuthMode::Token);
        client.send_authed_json(spec).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn studio_ids_from_redirects() {
        assert_eq!(studio_id_in("/studios/123/"), Some(StudioId(123)));
        assert_eq!(
            studio_id_in("https://scratch.mit.edu/studios/45"),
            Some(StudioId(45))
        );
        assert_eq!(studio_id_in("/projects/1/"), None);
        assert_eq!(studio_id_in("/studios/x/"), None);
    }
}
