//! Forum form posts (`html.md` §7.7): new topic, reply, edit, report, follow/unfollow,
//! signature. All need a login (session cookie and CSRF token); none is retried.

use scratchkit_model::{PostId, TopicId};
use url::Url;

use super::{CategoryHandler, ForumHandler, PostHandler, TopicHandler};
use crate::client::Client;
use crate::error::Result;
use crate::hosts::Host;
use crate::html::dom;
use crate::request::{AuthMode, RequestSpec};
use crate::validate;

/// A `multipart/form-data` body: the content type (with its boundary) and the bytes.
pub(crate) fn multipart(fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    // A boundary that cannot occur in the fields: grow it until it does not.
    let mut boundary = String::from("----scratchkit-form-7d1f0e9a");
    while fields
        .iter()
        .any(|(k, v)| k.contains(boundary.as_str()) || v.contains(boundary.as_str()))
    {
        boundary.push('x');
    }
    let mut body = Vec::new();
    for (name, value) in fields {
        let name = name.replace(['"', '\r', '\n'], "");
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        body.extend_from_slice(
            format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(value.as_bytes());
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn csrf(client: &Client) -> Result<String> {
    Ok(client.require_auth()?.csrf().to_owned())
}

fn site_url(client: &Client, path: &str) -> String {
    client.hosts().url(Host::Site, path).to_string()
}

/// The post id in the URL the site redirected to after a post (`/discuss/post/<id>/` or
/// `…#post-<id>`).
fn post_id_in(url: &Url) -> Option<PostId> {
    dom::id_after(url.path(), "/post/")
        .or_else(|| url.fragment().and_then(|f| dom::id_after(f, "post-")))
        .map(PostId)
}

impl TopicHandler {
    /// Posts a reply (BBCode) to the topic; returns the new post's id when the site's redirect
    /// shows it. Needs a login.
    ///
    /// `POST https://scratch.mit.edu/discuss/topic/<id>/`, multipart
    /// `csrfmiddlewaretoken, body, AddPostForm`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// use scratchkit::model::TopicId;
    /// let id = client.forum().topic(TopicId(4242)).reply("[b]+1[/b]").await?;
    /// println!("posted {id:?}");
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty body, [`Error::LoginRequired`](crate::Error::LoginRequired) when logged out
    /// (nothing sent); [`Error::Forbidden`](crate::Error::Forbidden) when the topic is closed or the poster may not post;
    /// [`Error::RateLimited`](crate::Error::RateLimited) when posting too fast; or a transport error.
    pub async fn reply(&self, body: &str) -> Result<Option<PostId>> {
        validate::not_blank("body", body)?;
        let token = csrf(&self.client)?;
        let path = format!("/discuss/topic/{}/", self.id);
        let (content_type, data) = multipart(&[
            ("csrfmiddlewaretoken", &token),
            ("body", body),
            ("AddPostForm", ""),
        ]);
        let spec = RequestSpec::post(Host::Site, &path)
            .auth(AuthMode::Cookie)
            .header("Referer", site_url(&self.client, &path))
            .bytes(Some(&content_type), data);
        let response = self.client.send(spec).await?;
        Ok(post_id_in(&response.url))
    }

    /// Follows the topic (its new posts appear in your messages). Needs a login.
    ///
    /// `POST https://scratch.mit.edu/discuss/subscription/topic/<id>/add/`
    ///
    /// # Errors
    /// [`Error::LoginRequired`](crate::Error::LoginRequired) when logged out; [`Error::NotFound`](crate::Error::NotFound) for an unknown topic; or a
    /// transport error.
    pub async fn follow(&self) -> Result<()> {
        self.subscription("add").await
    }

    /// Stops following the topic. Needs a login.
    ///
    /// `POST https://scratch.mit.edu/discuss/subscription/topic/<id>/delete/`
    ///
    /// # Errors
    /// As [`TopicHandler::follow`].
    pub async fn unfollow(&self) -> Result<()> {
        self.subscription("delete").await
    }

    async fn subscription(&self, action: &str) -> Result<()> {
        let token = csrf(&self.client)?;
        let path = format!("/discuss/subscription/topic/{}/{action}/", self.id);
        let referer = site_url(&self.client, &format!("/discuss/topic/{}/", self.id));
        let spec = RequestSpec::post(Host::Site, path)
            .auth(AuthMode::Cookie)
            .header("Referer", referer)
            .form(vec![("csrfmiddlewaretoken".into(), token)]);
        self.client.send(spec).await?;
        Ok(())
    }
}

impl CategoryHandler {
    /// Starts a topic in the category; returns its id when the site's redirect shows it.
    /// Needs a login.
    ///
    /// `POST https://scratch.mit.edu/discuss/<id>/topic/add/`, multipart
    /// `csrfmiddlewaretoken, name, body, subscribe=on, AddPostForm`
    ///
    /// # Errors
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty title or body, [`Error::LoginRequired`](crate::Error::LoginRequired) when
    /// logged out (nothing sent); [`Error::Forbidden`](crate::Error::Forbidden) when not allowed; or a transport error.
    pub async fn new_topic(&self, title: &str, body: &str) -> Result<Option<TopicId>> {
        validate::not_blank("title", title)?;
        validate::not_blank("body", body)?;
        let token = csrf(&self.client)?;
        let path = format!("/discuss/{}/topic/add/", self.id);
        let (content_type, data) = multipart(&[
            ("csrfmiddlewaretoken", &token),
            ("name", title),
            ("body", body),
            ("subscribe", "on"),
            ("AddPostForm", ""),
        ]);
        let spec = RequestSpec::post(Host::Site, &path)
            .auth(AuthMode::Cookie)
            .header("Referer", site_url(&self.client, &path))
            .bytes(Some(&content_type), data);
        let response = self.client.send(spec).await?;
        Ok(dom::id_after(response.url.path(), "/topic/").map(TopicId))
    }
}

impl PostHandler {
    /// Replaces the post's text (BBCode). Only its author may. Needs a login.
    ///
    /// `POST https://scratch.mit.edu/discuss/post/<id>/edit/`, form `csrfmiddlewaretoken, body`
    ///
    /// # Errors
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty body, [`Error::LoginRequired`](crate::Error::LoginRequired) when logged out
    /// (nothing sent); [`Error::Forbidden`](crate::Error::Forbidden) when the post is not yours; or a transport error.
    pub async fn edit(&self, body: &str) -> Result<()> {
        validate::not_blank("body", body)?;
        let token = csrf(&self.client)?;
        let path = format!("/discuss/post/{}/edit/", self.id);
        let spec = RequestSpec::post(Host::Site, &path)
            .auth(AuthMode::Cookie)
            .header("Referer", site_url(&self.client, &path))
            .form(vec![
                ("csrfmiddlewaretoken".into(), token),
                ("body".into(), body.to_owned()),
            ]);
        self.client.send(spec).await?;
        Ok(())
    }

    /// Reports the post to the moderators with a reason. Needs a login.
    ///
    /// `POST https://scratch.mit.edu/discuss/misc/?action=report&post_id=<id>`, form
    /// `csrfmiddlewaretoken, post, reason, submit`
    ///
    /// # Errors
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty reason, [`Error::LoginRequired`](crate::Error::LoginRequired) when logged out
    /// (nothing sent); or a transport error.
    pub async fn report(&self, reason: &str) -> Result<()> {
        validate::not_blank("reason", reason)?;
        let token = csrf(&self.client)?;
        let spec = RequestSpec::post(Host::Site, "/discuss/misc/")
            .query("action", "report")
            .query("post_id", self.id)
            .auth(AuthMode::Cookie)
            .header(
                "Referer",
                site_url(&self.client, &format!("/discuss/post/{}/", self.id)),
            )
            .form(vec![
                ("csrfmiddlewaretoken".into(), token),
                ("post".into(), self.id.to_string()),
                ("reason".into(), reason.to_owned()),
                ("submit".into(), String::new()),
            ]);
        self.client.send(spec).await?;
        Ok(())
    }
}

impl ForumHandler {
    /// Sets the logged-in user's forum signature (BBCode; empty to remove it). Needs a login.
    ///
    /// `POST https://scratch.mit.edu/discuss/settings/<me>/`, form
    /// `csrfmiddlewaretoken, signature, update`
    ///
    /// # Errors
    /// [`Error::LoginRequired`](crate::Error::LoginRequired) when logged out (nothing sent); [`Error::Forbidden`](crate::Error::Forbidden) when not
    /// allowed; or a transport error.
    pub async fn set_signature(&self, signature: &str) -> Result<()> {
        let auth = self.client.require_auth()?;
        let me = validate::segment(auth.username());
        let path = format!("/discuss/settings/{me}/");
        let spec = RequestSpec::post(Host::Site, &path)
            .auth(AuthMode::Cookie)
            .header("Referer", site_url(&self.client, &path))
            .form(vec![
                ("csrfmiddlewaretoken".into(), auth.csrf().to_owned()),
                ("signature".into(), signature.to_owned()),
                ("update".into(), String::new()),
            ]);
        self.client.send(spec).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn multipart_bodies() {
        let (ct, body) = multipart(&[("csrfmiddlewaretoken", "a"), ("body", "x\r\ny")]);
        let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
        let text = String::from_utf8(body).unwrap();
        assert!(text.starts_with(&format!("--{boundary}\r\n")));
        assert!(text.contains("name=\"body\"\r\n\r\nx\r\ny\r\n"));
        assert!(text.ends_with(&format!("--{boundary}--\r\n")));
        // A value containing the boundary gets a longer one.
        let tricky = "----scratchkit-form-7d1f0e9a";
        let (ct, _) = multipart(&[("body", tricky)]);
        assert!(!tricky.contains(ct.strip_prefix("multipart/form-data; boundary=").unwrap()));
    }

    #[test]
    fn post_ids_in_redirects() {
        let u = Url::parse("https://scratch.mit.edu/discuss/post/77/").unwrap();
        assert_eq!(post_id_in(&u), Some(PostId(77)));
        let u = Url::parse("https://scratch.mit.edu/discuss/topic/5/?page=2#post-78").unwrap();
        assert_eq!(post_id_in(&u), Some(PostId(78)));
        let u = Url::parse("https://scratch.mit.edu/discuss/topic/5/").unwrap();
        assert_eq!(post_id_in(&u), None);
    }

    #[tokio::test]
    async fn writes_need_a_login_and_check_arguments_first() {
        let client = Client::sandbox("127.0.0.1:9".parse().unwrap());
        let forum = client.forum();
        assert!(matches!(
            forum.topic(TopicId(1)).reply("hi").await,
            Err(Error::LoginRequired)
        ));
        assert!(matches!(
            forum.topic(TopicId(1)).reply("  ").await,
            Err(Error::InvalidInput { what: "body", .. })
        ));
        assert!(matches!(
            forum.post(PostId(1)).edit("x").await,
            Err(Error::LoginRequired)
        ));
        assert!(matches!(
            forum.set_signature("x").await,
            Err(Error::LoginRequired)
        ));
        assert!(matches!(
            forum.topic(TopicId(1)).follow().await,
            Err(Error::LoginRequired)
        ));
        assert!(matches!(
            forum.category(1).new_topic("", "b").await,
            Err(Error::InvalidInput { what: "title", .. })
        ));
        assert!(matches!(
            forum.post(PostId(1)).report("spam").await,
            Err(Error::LoginRequired)
        ));
    }
}
