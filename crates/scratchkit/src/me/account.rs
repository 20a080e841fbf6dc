//! Your account's settings on [`Client`]: country, password, email address, email
//! subscriptions, and the two password checks (strength, and "is this my password").
//!
//! The settings are the old site's Django forms (`scratch.mit.edu/accounts/…`): a success is a
//! redirect; a failure is the form rendered again with an error list, which becomes
//! [`Error::Refused`] with Scratch's message.

pub use scratchkit_model::PasswordCheck;
use secrecy::{ExposeSecret, SecretString};

use super::MeHandler;
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::request::{AuthMode, RequestSpec, Response};

/// The first item of a Django form's error list (`<ul class="errorlist"><li>…</li>`), as text.
fn form_error(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let list = text.find("errorlist")?;
    let rest = &text[list..];
    let start = rest.find("<li>")? + "<li>".len();
    let end = rest[start..].find("</li>")? + start;
    let message = strip_tags(&rest[start..end]);
    let message = message.trim();
    (!message.is_empty()).then(|| message.to_owned())
}

/// `html` without its tags (for short error texts).
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The outcome of a Django form post: the form shown again with an error list is a refusal;
/// anything else (the page a success redirects to) is a success. The redirect itself cannot
/// be seen (the HTTP stack follows it), and Scratch's settings form redirects to itself.
fn form_outcome(action: &'static str, response: &Response) -> Result<()> {
    match form_error(&response.body) {
        Some(message) => Err(Error::Refused { action, message }),
        None => Ok(()),
    }
}

pub(crate) fn require_password(what: &'static str, password: &SecretString) -> Result<()> {
    if password.expose_secret().is_empty() {
        return Err(Error::invalid(what, "it is empty"));
    }
    Ok(())
}

impl MeHandler {
    /// Posts the form `fields` (with `csrfmiddlewaretoken`) to `path` on the site.
    async fn post_account_form(
        &self,
        action: &'static str,
        path: &str,
        fields: Vec<(&str, &str)>,
    ) -> Result<()> {
        let state = self.client.require_auth()?;
        let mut form = vec![("csrfmiddlewaretoken".to_owned(), state.csrf().to_owned())];
        form.extend(
            fields
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned())),
        );
        let spec = RequestSpec::post(Host::Site, path)
            .auth(AuthMode::Cookie)
            .form(form)
            .header("Referer", self.client.site_page(path));
        let response = self.client.send_authed(spec).await?;
        form_outcome(action, &response)
    }

    /// Sets your account's country (the name as Scratch's settings page lists it, for example
    /// `"United Kingdom"`).
    ///
    /// `POST https://scratch.mit.edu/accounts/settings/` with the form fields
    /// `csrfmiddlewaretoken` and `country`, and the session cookie.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// client.me().set_country("Japan").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for a blank
    /// country (nothing sent); [`Error::Refused`] when Scratch shows the form again; any
    /// request error.
    pub async fn set_country(&self, country: &str) -> Result<()> {
        self.client.require_auth()?;
        let country = crate::validate::not_blank("country", country)?;
        self.post_account_form(
            "change country",
            "/accounts/settings/",
            vec![("country", country.trim())],
        )
        .await
    }

    /// Changes your password. Scratch keeps this session and ends your others.
    ///
    /// `POST https://scratch.mit.edu/accounts/password_change/` with the form fields
    /// `csrfmiddlewaretoken`, `old_password`, `new_password1`, `new_password2`.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// use secrecy::SecretString;
    ///
    /// let old = SecretString::from(std::env::var("OLD_PASSWORD").unwrap_or_default());
    /// let new = SecretString::from(std::env::var("NEW_PASSWORD").unwrap_or_default());
    /// client.me().change_password(&old, &new).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for an empty
    /// password (nothing sent); [`Error::Refused`] with Scratch's message when the old password
    /// is wrong or the new one is refused; any request error.
    pub async fn change_password(
        &self,
        old_password: &SecretString,
        new_password: &SecretString,
    ) -> Result<()> {
        self.client.require_auth()?;
        require_password("old password", old_password)?;
        require_password("new password", new_password)?;
        let new = new_password.expose_secret();
        self.post_account_form(
            "change password",
            "/accounts/password_change/",
            vec![
                ("old_password", old_password.expose_secret()),
                ("new_password1", new),
                ("new_password2", new),
            ],
        )
        .await
    }

    /// Changes your email address (Scratch asks for your password too).
    ///
    /// `POST https://scratch.mit.edu/accounts/email_change/` with the form fields
    /// `csrfmiddlewaretoken`, `email_address` and `password`.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// use secrecy::SecretString;
    ///
    /// let password = SecretString::from(std::env::var("SCRATCH_PASSWORD").unwrap_or_default());
    /// client.me().change_email("me@example.org", &password).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for an address
    /// without `@` or an empty password (nothing sent); [`Error::Refused`] with Scratch's
    /// message when it refuses (wrong password, invalid address); any request error.
    pub async fn change_email(&self, email: &str, password: &SecretString) -> Result<()> {
        self.client.require_auth()?;
        let email = email.trim();
        if !email.contains('@') || email.contains(char::is_whitespace) {
            return Err(Error::invalid("email address", "not an email address"));
        }
        require_password("password", password)?;
        self.post_account_form(
            "change email address",
            "/accounts/email_change/",
            vec![
                ("email_address", email),
                ("password", password.expose_secret()),
            ],
        )
        .await
    }

    /// Chooses which emails Scratch sends you: activity ideas, and tips for teachers.
    ///
    /// `POST https://scratch.mit.edu/accounts/settings/update_subscription/` with the form
    /// fields `csrfmiddlewaretoken` and `activities=on` / `teacher_tips=on` for each one wanted
    /// (a missing field means "no", as with any HTML checkbox).
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// client.me().set_email_subscriptions(true, false).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out (nothing sent); [`Error::Refused`] when
    /// Scratch shows the form again; any request error.
    pub async fn set_email_subscriptions(
        &self,
        activities: bool,
        teacher_tips: bool,
    ) -> Result<()> {
        let mut fields = Vec::new();
        if activities {
            fields.push(("activities", "on"));
        }
        if teacher_tips {
            fields.push(("teacher_tips", "on"));
        }
        self.post_account_form(
            "change email subscriptions",
            "/accounts/settings/update_subscription/",
            fields,
        )
        .await
    }

    /// Whether `password` is your account's password (the old site's check, used before
    /// sensitive changes).
    ///
    /// `POST https://scratch.mit.edu/accounts/check_password/` with the form fields
    /// `csrfmiddlewaretoken` and `password`; Scratch answers `{"success": bool}`.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// use secrecy::SecretString;
    ///
    /// let password = SecretString::from(std::env::var("SCRATCH_PASSWORD").unwrap_or_default());
    /// assert!(client.me().verify_password(&password).await?);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for an empty
    /// password (nothing sent); [`Error::Decode`] when the answer has no `success`; any
    /// request error.
    pub async fn verify_password(&self, password: &SecretString) -> Result<bool> {
        let state = self.client.require_auth()?;
        require_password("password", password)?;
        #[derive(serde::Deserialize)]
        struct Checked {
            success: bool,
        }
        let spec = RequestSpec::post(Host::Site, "/accounts/check_password/")
            .auth(AuthMode::Cookie)
            .form(vec![
                ("csrfmiddlewaretoken".to_owned(), state.csrf().to_owned()),
                ("password".to_owned(), password.expose_secret().to_owned()),
            ])
            .header("Referer", self.client.site_page("/accounts/settings/"));
        let checked: Checked = self.client.send_authed_json(spec).await?;
        Ok(checked.success)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn django_form_errors() {
        let page = br#"<form method="post"><ul class="errorlist"><li>Your old password was entered incorrectly.</li></ul></form>"#;
        assert_eq!(
            form_error(page).as_deref(),
            Some("Your old password was entered incorrectly.")
        );
        let nested = br#"<ul class="errorlist nonfield"><li><b>Enter</b> a valid email address.</li><li>x</li></ul>"#;
        assert_eq!(
            form_error(nested).as_deref(),
            Some("Enter a valid email address.")
        );
        assert_eq!(form_error(b"<html><body>Settings</body></html>"), None);
        assert_eq!(
            form_error(br#"<ul class="errorlist"><li> </li></ul>"#),
            None
        );
        assert_eq!(form_error(br#"<ul class="errorlist"><li>cut"#), None);
    }

    #[test]
    fn password_verdicts() {
        let ok: PasswordCheck = serde_json::from_str(r#"{"msg":"valid password"}"#).unwrap();
        assert!(ok.is_valid());
        let weak: PasswordCheck = serde_json::from_str(r#"{"msg":"invalid password"}"#).unwrap();
        assert!(!weak.is_valid());
        let empty: PasswordCheck = serde_json::from_str("{}").unwrap();
        assert!(!empty.is_valid());
    }
}
