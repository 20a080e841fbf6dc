//! Your profile ([`MeHandler`]): bio, status, featured project, avatar.

use bytes::Bytes;
use scratchkit_model::{ProjectId, SiteUserFeatured};

use super::MeHandler;
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::multipart;
use crate::request::{AuthMode, RequestSpec};

/// The longest "About me" and "What I'm working on" texts Scratch accepts, in characters.
pub const MAX_PROFILE_TEXT: usize = scratchkit_wire::limits::PROFILE_TEXT_MAX_CHARS;

/// The label shown above a profile's featured project (the site-api's
/// `featured_project_label` codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum FeaturedLabel {
    /// "Featured Project" (code `""`).
    #[default]
    FeaturedProject,
    /// "Featured Tutorial" (0).
    FeaturedTutorial,
    /// "Work In Progress" (1).
    WorkInProgress,
    /// "Remix This!" (2).
    RemixThis,
    /// "My Favorite Things" (3).
    MyFavoriteThings,
    /// "Why I Scratch" (4).
    WhyIScratch,
}

impl FeaturedLabel {
    /// The value sent as `featured_project_label`.
    fn code(self) -> serde_json::Value {
        match self {
            FeaturedLabel::FeaturedProject => serde_json::Value::from(""),
            FeaturedLabel::FeaturedTutorial => 0.into(),
            FeaturedLabel::WorkInProgress => 1.into(),
            FeaturedLabel::RemixThis => 2.into(),
            FeaturedLabel::MyFavoriteThings => 3.into(),
            FeaturedLabel::WhyIScratch => 4.into(),
        }
    }
}

fn check_profile_text(what: &'static str, text: &str) -> Result<()> {
    let length = text.chars().count();
    if length > MAX_PROFILE_TEXT {
        return Err(Error::invalid(
            what,
            format!("it has {length} characters; Scratch accepts at most {MAX_PROFILE_TEXT}"),
        ));
    }
    Ok(())
}

impl MeHandler {
    /// `PUT site /site-api/users/all/<me>/` with `fields`.
    async fn put_profile(&self, fields: serde_json::Value) -> Result<SiteUserFeatured> {
        let (_, me) = self.client.me_for_path()?;
        let spec = RequestSpec::put(Host::Site, format!("/site-api/users/all/{me}/"))
            .auth(AuthMode::Cookie)
            .json(&fields)?
            .header("Referer", self.client.site_page(&format!("/users/{me}/")));
        self.client.send_authed_json(spec).await
    }

    /// Sets your "About me" text (at most 200 characters).
    ///
    /// `PUT https://scratch.mit.edu/site-api/users/all/<me>/` with `{"bio": …}` and the
    /// session cookie.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// client.me().set_bio("I make platformers.").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for a text over
    /// 200 characters (nothing sent); any request error.
    pub async fn set_bio(&self, bio: &str) -> Result<()> {
        self.client.require_auth()?;
        check_profile_text("bio", bio)?;
        self.put_profile(serde_json::json!({ "bio": bio }))
            .await
            .map(|_| ())
    }

    /// Sets your "What I'm working on" text (at most 200 characters).
    ///
    /// `PUT https://scratch.mit.edu/site-api/users/all/<me>/` with `{"status": …}`.
    ///
    /// # Errors
    /// As [`MeHandler::set_bio`].
    pub async fn set_status(&self, status: &str) -> Result<()> {
        self.client.require_auth()?;
        check_profile_text("status", status)?;
        self.put_profile(serde_json::json!({ "status": status }))
            .await
            .map(|_| ())
    }

    /// Sets the featured project of your profile and its label; returns the profile's
    /// featured-project data as Scratch now has it.
    ///
    /// `PUT https://scratch.mit.edu/site-api/users/all/<me>/` with
    /// `{"featured_project": <id>, "featured_project_label": ""|0..4}`.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// use scratchkit::FeaturedLabel;
    ///
    /// client.me().set_featured_project(104u64, FeaturedLabel::WorkInProgress).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out (nothing sent); any request error.
    pub async fn set_featured_project(
        &self,
        project: impl Into<ProjectId>,
        label: FeaturedLabel,
    ) -> Result<SiteUserFeatured> {
        let project = project.into();
        self.put_profile(serde_json::json!({
            "featured_project": project.get(),
            "featured_project_label": label.code(),
        }))
        .await
    }

    /// Sets your profile picture from PNG, JPEG or GIF bytes.
    ///
    /// `POST https://scratch.mit.edu/site-api/users/all/<me>/` with a multipart body whose
    /// field `file` holds the image, and the session cookie.
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for data that is
    /// not such an image or is over 10 MB (nothing sent); [`Error::Refused`] when Scratch
    /// answers with `errors`; any request error.
    pub async fn set_avatar(&self, image: impl Into<Bytes>) -> Result<()> {
        let (_, me) = self.client.me_for_path()?;
        let image = image.into();
        let mime = multipart::image_type(&image)?;
        let filename = format!("avatar.{}", mime.trim_start_matches("image/"));
        let (content_type, body) = multipart::one_file("file", &filename, mime, &image);
        let spec = RequestSpec::post(Host::Site, format!("/site-api/users/all/{me}/"))
            .auth(AuthMode::Cookie)
            .bytes(Some(&content_type), body)
            .header("Referer", self.client.site_page(&format!("/users/{me}/")));
        let response = self.client.send_authed(spec).await?;
        crate::writes::check_site_answer("set the profile picture", &response.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_codes() {
        assert_eq!(FeaturedLabel::default().code(), serde_json::json!(""));
        assert_eq!(FeaturedLabel::FeaturedTutorial.code(), serde_json::json!(0));
        assert_eq!(FeaturedLabel::WhyIScratch.code(), serde_json::json!(4));
    }

    #[test]
    fn profile_text_limit() {
        assert!(check_profile_text("bio", &"ü".repeat(200)).is_ok());
        assert!(check_profile_text("bio", "").is_ok());
        assert!(check_profile_text("bio", &"a".repeat(201)).is_err());
    }
}
