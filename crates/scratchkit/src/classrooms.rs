//! Classes (teacher accounts): [`ClassroomHandler`] (`client.classroom(id)`) for one class, and
//! on [`Client`] the class looked up by its token, your classes, creating a class, educator
//! alerts and a student's registration with a class token.
//!
//! Reads of a class (`api.scratch.mit.edu/classrooms/<id>`, `/classtoken/<token>`) need no
//! login and only show open classes; its students and studios come from the public class pages
//! (`scratch.mit.edu/classes/<id>/students/`, `/studios/`). Everything else is the old site's teacher pages and needs
//! the teacher's login. The site-api answers of classes, their activity and alerts were never
//! recorded (one client reads each): their models ([`SiteClassroom`], [`ClassroomActivity`],
//! [`EducatorAlert`]) are lenient and keep unknown keys in an `extra` map.

use bytes::Bytes;
use scratchkit_model::{
    Classroom, ClassroomActivity, ClassroomId, EducatorAlert, SiteClassroom, StudioId,
};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::me::MeHandler;
use crate::multipart;
use crate::request::{AuthMode, RequestSpec, Response};
use crate::validate;

/// One class of Scratch's teacher accounts, by ID. Made by [`Client::classroom`]; nothing is
/// fetched until a method is called.
///
/// ```no_run
/// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
/// let class = client.classroom(367806u64).info().await?;
/// println!("{}: {}", class.title, class.description);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ClassroomHandler {
    client: Client,
    id: ClassroomId,
}

/// A new student account for a class, registered with the class's sign-up token
/// ([`Client::register_student`]). The password is a secret: never printed.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct StudentRegistration {
    /// The class.
    pub class_id: ClassroomId,
    /// The class's sign-up token (the last part of its registration link).
    pub class_token: String,
    /// The new account's name.
    pub username: String,
    /// The new account's password.
    pub password: SecretString,
    /// Birth month, 1 to 12 (default 1).
    pub birth_month: u8,
    /// Birth year (default 2000).
    pub birth_year: u16,
    /// Gender as the sign-up form offers it (default `"(Prefer not to say)"`).
    pub gender: String,
    /// Country as the sign-up form lists it (default `"United States"`).
    pub country: String,
}

impl StudentRegistration {
    /// A registration with the form's defaults for birth date, gender and country.
    ///
    /// ```
    /// use scratchkit::StudentRegistration;
    /// use secrecy::SecretString;
    ///
    /// let mut student = StudentRegistration::new(
    ///     367806u64,
    ///     "sandboxclass367806",
    ///     "new_student",
    ///     SecretString::from("a good password"),
    /// );
    /// student.country = "Japan".into();
    /// assert_eq!(student.birth_year, 2000);
    /// ```
    pub fn new(
        class_id: impl Into<ClassroomId>,
        class_token: impl Into<String>,
        username: impl Into<String>,
        password: SecretString,
    ) -> Self {
        Self {
            class_id: class_id.into(),
            class_token: class_token.into(),
            username: username.into(),
            password,
            birth_month: 1,
            birth_year: 2000,
            gender: "(Prefer not to say)".into(),
            country: "United States".into(),
        }
    }
}

/// `page` checked (site-api pages start at 1).
fn check_page(page: u32) -> Result<()> {
    if page == 0 {
        return Err(Error::invalid("page", "pages start at 1"));
    }
    Ok(())
}

/// A class token checked for use in a path or a form.
fn check_token(token: &str) -> Result<&str> {
    let token = token.trim();
    if token.is_empty()
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
    {
        return Err(Error::invalid(
            "class token",
            "expected letters, digits, `-` or `_`",
        ));
    }
    Ok(token)
}

/// The first element of a one-element array answer, or the answer itself.
fn first_object(value: Value) -> Value {
    match value {
        Value::Array(mut items) if !items.is_empty() => items.swap_remove(0),
        other => other,
    }
}

/// `Err(Refused)` when `object` says `"success": false` (or `0`), with its `msg`.
fn check_success(action: &'static str, object: &Value) -> Result<()> {
    let failed = match object.get("success") {
        Some(Value::Bool(ok)) => !ok,
        Some(Value::Number(n)) => n.as_i64() == Some(0),
        _ => false,
    };
    if failed {
        let message = object
            .get("msg")
            .and_then(Value::as_str)
            .filter(|m| !m.is_empty())
            .unwrap_or("Scratch said no")
            .to_owned();
        return Err(Error::Refused { action, message });
    }
    Ok(())
}

/// A `Decode` error for `response` (an answer without what was expected).
fn missing(response: &Response, path: &str, message: &str) -> Error {
    Error::Decode {
        url: response.requested.clone(),
        path: path.into(),
        message: message.into(),
        snippet: crate::error::snippet(&response.body),
        source: None,
    }
}

/// The ID of a created class: `[{"id": …}]` or `{"success", "msg", "id", "title"}`.
fn created_class_id(response: &Response) -> Result<ClassroomId> {
    let object = first_object(response.json()?);
    check_success("create class", &object)?;
    let id = object.get("id").cloned().unwrap_or(Value::Null);
    serde_json::from_value::<ClassroomId>(id)
        .map_err(|_| missing(response, "id", "the answer has no class id"))
}

/// The `<li>` items of an HTML list page whose `class` has the token `kind`, as raw text.
fn list_items<'a>(html: &'a str, kind: &str) -> Vec<&'a str> {
    html.split("<li")
        .skip(1)
        .filter(|item| {
            let tag_end = item.find('>').unwrap_or(item.len());
            let tag = &item[..tag_end];
            tag.split("class=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .is_some_and(|classes| classes.split_whitespace().any(|c| c == kind))
        })
        .map(|item| item.split("</li>").next().unwrap_or(item))
        .collect()
}

/// The first path segment after `prefix` in an `href="…"` of `item`.
fn first_link<'a>(item: &'a str, prefix: &str) -> Option<&'a str> {
    let marker = format!("href=\"{prefix}");
    let start = item.find(&marker)? + marker.len();
    let rest = &item[start..];
    let end = rest.find(['/', '"'])?;
    Some(&rest[..end]).filter(|s| !s.is_empty())
}

/// The students' names of a `/classes/<id>/students/` page (`li.user` items).
fn student_names(html: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for item in list_items(html, "user") {
        if let Some(name) = first_link(item, "/users/")
            && validate::username(name).is_ok()
            && !names.iter().any(|n| n == name)
        {
            names.push(name.to_owned());
        }
    }
    names
}

/// The studio ids of a `/classes/<id>/studios/` page (`li.gallery` items).
fn studio_ids(html: &str) -> Vec<StudioId> {
    let mut ids = Vec::new();
    for item in list_items(html, "gallery") {
        if let Some(id) = first_link(item, "/studios/").and_then(|s| s.parse().ok())
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    ids
}

impl Client {
    /// The open class whose sign-up token is `token`. No login needed.
    ///
    /// `GET https://api.scratch.mit.edu/classtoken/<token>`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let class = client.classroom_by_token("sandboxclass367806").await?;
    /// println!("{} ({})", class.title, class.id);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a malformed token (nothing sent); [`Error::NotFound`] for an
    /// unknown token or a closed class; any request error.
    pub async fn classroom_by_token(&self, token: &str) -> Result<Classroom> {
        let token = check_token(token)?;
        self.send_json(RequestSpec::get(Host::Api, format!("/classtoken/{token}")))
            .await
    }

    /// Creates a class (teacher accounts) and returns its handler.
    ///
    /// `POST https://scratch.mit.edu/classes/create_classroom/` with
    /// `{"title", "description"}` and the session cookie.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let class = client.create_classroom("Year 7 games", "Making games with clones").await?;
    /// println!("class {}", class.id());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for a blank title
    /// (nothing sent); [`Error::Refused`] when Scratch answers `success: false` (not a teacher,
    /// too many classes); [`Error::Decode`] when the answer has no class id; any request error.
    pub async fn create_classroom(
        &self,
        title: &str,
        description: &str,
    ) -> Result<ClassroomHandler> {
        self.require_auth()?;
        validate::not_blank("title", title)?;
        let spec = RequestSpec::post(Host::Site, "/classes/create_classroom/")
            .auth(AuthMode::Cookie)
            .json(&serde_json::json!({ "title": title, "description": description }))?
            .header("Referer", self.site_page("/educators/classes/"));
        let response = self.send_authed(spec).await?;
        Ok(self.classroom(created_class_id(&response)?))
    }

    /// `GET site <path>?page=&ascsort=&descsort=` with the session cookie; a page past the end
    /// (404) is empty.
    pub(crate) async fn teacher_page<T: serde::de::DeserializeOwned>(
        &self,
        path: String,
        page: u32,
    ) -> Result<Vec<T>> {
        self.require_auth()?;
        check_page(page)?;
        let spec = RequestSpec::get(Host::Site, path)
            .query("page", page)
            .query("ascsort", "")
            .query("descsort", "")
            .auth(AuthMode::Cookie)
            .header("Referer", self.site_page("/educators/classes/"));
        match self.send_authed_json(spec).await {
            Err(Error::NotFound { .. }) => Ok(Vec::new()),
            other => other,
        }
    }

    /// Registers a new student account in a class with the class's sign-up token, as the
    /// class sign-up page does. It needs no login (and sends none); returns the new account's
    /// name.
    ///
    /// `POST https://scratch.mit.edu/classes/register_new_student/` with the form fields
    /// `classroom_id`, `classroom_token`, `username`, `password`, `birth_month`, `birth_year`,
    /// `gender`, `country`, `is_robot=false` and `csrfmiddlewaretoken`, and the CSRF
    /// cookie and header.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// use scratchkit::StudentRegistration;
    /// use secrecy::SecretString;
    ///
    /// let student = StudentRegistration::new(
    ///     367806u64,
    ///     "sandboxclass367806",
    ///     "new_student",
    ///     SecretString::from("a good password"),
    /// );
    /// let name = client.register_student(&student).await?;
    /// println!("welcome, {name}");
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a malformed username or token, an empty password or a
    /// month outside 1–12 (nothing sent); [`Error::Refused`] when Scratch answers
    /// `success: false`; any request error.
    pub async fn register_student(&self, student: &StudentRegistration) -> Result<String> {
        let username = validate::username(student.username.trim())?;
        let token = check_token(&student.class_token)?;
        if student.password.expose_secret().is_empty() {
            return Err(Error::invalid("password", "it is empty"));
        }
        if !(1..=12).contains(&student.birth_month) {
            return Err(Error::invalid("birth month", "expected 1 to 12"));
        }
        let csrf = crate::auth::new_csrf_token();
        let fields = [
            ("classroom_id", student.class_id.to_string()),
            ("classroom_token", token.to_owned()),
            ("username", username.to_owned()),
            ("password", student.password.expose_secret().to_owned()),
            ("birth_month", student.birth_month.to_string()),
            ("birth_year", student.birth_year.to_string()),
            ("gender", student.gender.clone()),
            ("country", student.country.clone()),
            ("is_robot", "false".to_owned()),
            ("csrfmiddlewaretoken", csrf.clone()),
        ];
        let spec = RequestSpec::post(Host::Site, "/classes/register_new_student/")
            .form(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            .header(
                "Cookie",
                format!("scratchcsrftoken={csrf}; scratchlanguage=en"),
            )
            .header("X-CSRFToken", csrf.as_str())
            .header("X-Requested-With", "XMLHttpRequest")
            .header("Referer", self.site_page(&format!("/signup/{token}")));
        let response = self.send(spec).await?;
        let object = first_object(response.json()?);
        check_success("register student", &object)?;
        Ok(object
            .get("username")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .unwrap_or(username)
            .to_owned())
    }
}

/// The teacher's lists of the logged-in account.
impl MeHandler {
    /// One page (from 1) of your classes, open or closed (teacher accounts), with their
    /// `title`, `token`, `student_count`, `gallery_count`, `unread_alert_count`,
    /// `visibility`… A page past the end is empty.
    ///
    /// `GET https://scratch.mit.edu/site-api/classrooms/all/?page=<n>` (or `/closed/`) with the
    /// session cookie.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// for class in client.me().classrooms(false, 1).await? {
    ///     println!("{} ({} students)", class.title, class.student_count);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for page 0 (nothing
    /// sent); any request error.
    pub async fn classrooms(&self, closed: bool, page: u32) -> Result<Vec<SiteClassroom>> {
        let filter = if closed { "closed" } else { "all" };
        self.client
            .teacher_page(format!("/site-api/classrooms/{filter}/"), page)
            .await
    }

    /// One page (from 1) of your educator alerts, all classes together: what the Scratch Team
    /// did to your students (`fields.admin_action`: `type`, `target_user`, `actor`,
    /// `datetime_created`…) and when you read it (`fields.educator_datetime_read`). Listing
    /// them marks them read.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// for alert in client.me().educator_alerts(1).await? {
    ///     if let Some(action) = &alert.fields.admin_action {
    ///         let student = action.target_user.as_ref().map(|u| u.username.as_str());
    ///         println!("{:?} about {:?}", action.kind, student);
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// `GET https://scratch.mit.edu/site-api/classrooms/alerts/?page=<n>` with the session
    /// cookie.
    ///
    /// # Errors
    /// As [`MeHandler::classrooms`].
    pub async fn educator_alerts(&self, page: u32) -> Result<Vec<EducatorAlert>> {
        self.client
            .teacher_page("/site-api/classrooms/alerts/".to_owned(), page)
            .await
    }
}

impl ClassroomHandler {
    /// A handler sending with `client` (see the constructor on [`Client`]).
    pub(crate) fn new(client: Client, id: ClassroomId) -> Self {
        Self { client, id }
    }

    /// The class's ID.
    pub fn id(&self) -> ClassroomId {
        self.id
    }

    /// The class (open classes only). No login needed.
    ///
    /// `GET https://api.scratch.mit.edu/classrooms/<id>`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let class = client.classroom(367806u64).info().await?;
    /// if let Some(teacher) = &class.educator {
    ///     println!("taught by {}", teacher.username);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown or closed class; any request error.
    pub async fn info(&self) -> Result<Classroom> {
        self.client
            .send_json(RequestSpec::get(
                Host::Api,
                format!("/classrooms/{}", self.id),
            ))
            .await
    }

    /// `GET site /classes/<id>/<list>/?page=<n>` as text; a page past the end (404) is `None`.
    async fn class_list_page(&self, list: &str, page: u32) -> Result<Option<String>> {
        check_page(page)?;
        let spec = RequestSpec::get(Host::Site, format!("/classes/{}/{list}/", self.id))
            .query("page", page);
        match self.client.send(spec).await {
            Ok(response) => Ok(Some(response.text())),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// One page (from 1) of the class's students' names, open and closed classes alike; a
    /// page past the end is empty. No login needed.
    ///
    /// `GET https://scratch.mit.edu/classes/<id>/students/?page=<n>` (an HTML page: one
    /// `li.user` item per student).
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// for name in client.classroom(367806u64).students(1).await? {
    ///     println!("{name}");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for page 0 (nothing sent); any request error.
    pub async fn students(&self, page: u32) -> Result<Vec<String>> {
        Ok(self
            .class_list_page("students", page)
            .await?
            .map(|html| student_names(&html))
            .unwrap_or_default())
    }

    /// One page (from 1) of the class's studios; a page past the end is empty. No login
    /// needed.
    ///
    /// `GET https://scratch.mit.edu/classes/<id>/studios/?page=<n>` (an HTML page: one
    /// `li.gallery` item per studio).
    ///
    /// # Errors
    /// As [`ClassroomHandler::students`].
    pub async fn studios(&self, page: u32) -> Result<Vec<StudioId>> {
        Ok(self
            .class_list_page("studios", page)
            .await?
            .map(|html| studio_ids(&html))
            .unwrap_or_default())
    }

    /// The class as its teacher sees it (with its `token`, `student_count`,
    /// `unread_alert_count`…).
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let class = client.classroom(367806u64).details().await?;
    /// println!("{}: {} unread alerts", class.title, class.unread_alert_count);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// `GET https://scratch.mit.edu/site-api/classrooms/all/<id>/` with the session cookie.
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out (nothing sent); [`Error::Forbidden`] or
    /// [`Error::NotFound`] when it is not your class; any request error.
    pub async fn details(&self) -> Result<SiteClassroom> {
        let client = &self.client;
        client.require_auth()?;
        let spec = RequestSpec::get(Host::Site, self.site_path())
            .auth(AuthMode::Cookie)
            .header("Referer", self.page());
        client.send_authed_json(spec).await
    }

    /// `/site-api/classrooms/all/<id>/`.
    fn site_path(&self) -> String {
        format!("/site-api/classrooms/all/{}/", self.id)
    }

    /// The class's page on the site, for a `Referer`.
    fn page(&self) -> String {
        self.client.site_page(&format!("/classes/{}/", self.id))
    }

    /// `PUT site /site-api/classrooms/all/<id>/` with `fields`.
    async fn put_fields(&self, action: &'static str, fields: Value) -> Result<()> {
        let client = &self.client;
        client.require_auth()?;
        let spec = RequestSpec::put(Host::Site, self.site_path())
            .auth(AuthMode::Both)
            .json(&fields)?
            .header("Referer", self.page());
        let response = client.send_authed(spec).await?;
        crate::writes::check_site_answer(action, &response.body)
    }

    /// Renames the class (yours).
    ///
    /// `PUT https://scratch.mit.edu/site-api/classrooms/all/<id>/` with `{"title": …}`, the
    /// session cookie and the X-Token.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// client.classroom(367806u64).set_title("Year 8 games").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for a blank title
    /// (nothing sent); [`Error::Forbidden`] when the class is not yours; [`Error::Refused`]
    /// when Scratch answers with `success: false` or `errors`; any request error.
    pub async fn set_title(&self, title: &str) -> Result<()> {
        self.client.require_auth()?;
        validate::not_blank("title", title)?;
        self.put_fields("edit class", serde_json::json!({ "title": title }))
            .await
    }

    /// Sets "About this class" (yours).
    ///
    /// `PUT https://scratch.mit.edu/site-api/classrooms/all/<id>/` with `{"description": …}`.
    ///
    /// # Errors
    /// As [`ClassroomHandler::set_title`] (an empty text is allowed).
    pub async fn set_description(&self, description: &str) -> Result<()> {
        self.put_fields(
            "edit class",
            serde_json::json!({ "description": description }),
        )
        .await
    }

    /// Sets "What we're working on" (yours).
    ///
    /// `PUT https://scratch.mit.edu/site-api/classrooms/all/<id>/` with `{"status": …}`.
    ///
    /// # Errors
    /// As [`ClassroomHandler::set_title`] (an empty text is allowed).
    pub async fn set_status(&self, status: &str) -> Result<()> {
        self.put_fields("edit class", serde_json::json!({ "status": status }))
            .await
    }

    /// Reopens the class (yours) after [`close`](ClassroomHandler::close).
    ///
    /// `PUT https://scratch.mit.edu/site-api/classrooms/all/<id>/` with
    /// `{"visibility":"visible"}`.
    ///
    /// # Errors
    /// As [`ClassroomHandler::set_title`].
    pub async fn reopen(&self) -> Result<()> {
        self.put_fields(
            "reopen class",
            serde_json::json!({ "visibility": "visible" }),
        )
        .await
    }

    /// Closes the class (yours): it disappears from the api and its students can no longer
    /// log in until it is reopened.
    ///
    /// `POST https://scratch.mit.edu/site-api/classrooms/close_classroom/<id>/` with the
    /// session cookie.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let class = client.classroom(367806u64);
    /// class.close().await?;
    /// class.reopen().await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out (nothing sent); [`Error::Forbidden`] when the
    /// class is not yours; [`Error::Refused`] when Scratch answers with `success: false`; any
    /// request error.
    pub async fn close(&self) -> Result<()> {
        let client = &self.client;
        client.require_auth()?;
        let spec = RequestSpec::post(
            Host::Site,
            format!("/site-api/classrooms/close_classroom/{}/", self.id),
        )
        .auth(AuthMode::Cookie)
        .header("Referer", self.page());
        let response = client.send_authed(spec).await?;
        crate::writes::check_site_answer("close class", &response.body)
    }

    /// Sets the class's picture (yours) from PNG, JPEG or GIF bytes.
    ///
    /// `POST https://scratch.mit.edu/site-api/classrooms/all/<id>/` with a multipart body
    /// whose field `file` holds the image, the session cookie and the X-Token.
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for data that is
    /// not such an image or is over 10 MB (nothing sent); [`Error::Refused`] when Scratch
    /// answers with `errors`; any request error.
    pub async fn set_thumbnail(&self, image: impl Into<Bytes>) -> Result<()> {
        let client = &self.client;
        client.require_auth()?;
        let image = image.into();
        let mime = multipart::image_type(&image)?;
        let filename = format!("thumbnail.{}", mime.trim_start_matches("image/"));
        let (content_type, body) = multipart::one_file("file", &filename, mime, &image);
        let spec = RequestSpec::post(Host::Site, self.site_path())
            .auth(AuthMode::Both)
            .bytes(Some(&content_type), body)
            .header("Referer", self.page());
        let response = client.send_authed(spec).await?;
        crate::writes::check_site_answer("set the class picture", &response.body)
    }

    /// Creates a class studio (yours). `class_token` is the class's sign-up token: the last
    /// part of [`registration_link`](ClassroomHandler::registration_link), or `token` in
    /// [`details`](ClassroomHandler::details).
    ///
    /// `POST https://scratch.mit.edu/classes/create_classroom_gallery/` with
    /// `{"classroom_id", "classroom_token", "title", "description"}` and the session cookie.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let class = client.classroom(367806u64);
    /// let link = class.registration_link().await?;
    /// let token = link.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    /// class.add_studio(token, "Week 1: clones", "Share your clone games here").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for a blank title
    /// or a malformed token (nothing sent); [`Error::Forbidden`] when the class is not yours;
    /// [`Error::Refused`] when Scratch answers with `success: false`; any request error.
    pub async fn add_studio(
        &self,
        class_token: &str,
        title: &str,
        description: &str,
    ) -> Result<()> {
        let client = &self.client;
        client.require_auth()?;
        let token = check_token(class_token)?;
        validate::not_blank("title", title)?;
        let spec = RequestSpec::post(Host::Site, "/classes/create_classroom_gallery/")
            .auth(AuthMode::Cookie)
            .json(&serde_json::json!({
                "classroom_id": self.id.to_string(),
                "classroom_token": token,
                "title": title,
                "description": description,
            }))?
            .header("Referer", self.page());
        let response = client.send_authed(spec).await?;
        crate::writes::check_site_answer("create class studio", &response.body)
    }

    /// The class's student sign-up link (`https://scratch.mit.edu/signup/<token>`; yours).
    ///
    /// `GET https://scratch.mit.edu/site-api/classrooms/generate_registration_link/<id>/` with
    /// the session cookie; Scratch answers `{"reg_link": …}`.
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out (nothing sent); [`Error::Forbidden`] when the
    /// class is not yours; [`Error::Decode`] when the answer has no `reg_link`; any request
    /// error.
    pub async fn registration_link(&self) -> Result<String> {
        let client = &self.client;
        client.require_auth()?;
        let spec = RequestSpec::get(
            Host::Site,
            format!(
                "/site-api/classrooms/generate_registration_link/{}/",
                self.id
            ),
        )
        .auth(AuthMode::Cookie)
        .header("Referer", self.page());
        let response = client.send_authed(spec).await?;
        let value: Value = response.json()?;
        value
            .get("reg_link")
            .and_then(Value::as_str)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| missing(&response, "reg_link", "the answer has no registration link"))
    }

    /// One page (from 1) of the class's activity (yours): of every student, or of the one
    /// named. Items have an integer `type`, an `actor`, `datetime_created` and per-type keys.
    /// A page past the end is empty.
    ///
    /// `GET https://scratch.mit.edu/site-api/classrooms/activity/<id>/<student|all>/?page=<n>`
    /// with the session cookie.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// for item in client.classroom(367806u64).activity(None, 1).await? {
    ///     let who = item.actor.as_ref().map_or("someone", |a| a.username.as_str());
    ///     println!("{who} did {:?}", item.kind);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for page 0 or a
    /// malformed student name (nothing sent); any request error.
    pub async fn activity(
        &self,
        student: Option<&str>,
        page: u32,
    ) -> Result<Vec<ClassroomActivity>> {
        let who = match student {
            Some(name) => validate::segment(validate::username(name)?),
            None => "all".to_owned(),
        };
        self.client
            .teacher_page(
                format!("/site-api/classrooms/activity/{}/{who}/", self.id),
                page,
            )
            .await
    }

    /// One page (from 1) of this class's educator alerts (yours). A page past the end is
    /// empty.
    ///
    /// `GET https://scratch.mit.edu/site-api/classrooms/alerts/<id>/?page=<n>` with the
    /// session cookie.
    ///
    /// # Errors
    /// As [`ClassroomHandler::activity`].
    pub async fn alerts(&self, page: u32) -> Result<Vec<EducatorAlert>> {
        self.client
            .teacher_page(format!("/site-api/classrooms/alerts/{}/", self.id), page)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(body: &str) -> Response {
        Response {
            status: http::StatusCode::OK,
            headers: http::HeaderMap::new(),
            url: url::Url::parse("http://127.0.0.1:9/site/classes/create_classroom/").unwrap(),
            requested: "http://127.0.0.1:9/site/classes/create_classroom/".into(),
            body: Bytes::from(body.to_owned()),
        }
    }

    #[test]
    fn created_class_answers() {
        assert_eq!(
            created_class_id(&response(r#"[{"id":367808}]"#)).unwrap(),
            ClassroomId(367808)
        );
        assert_eq!(
            created_class_id(&response(
                r#"{"success":true,"msg":"","id":"42","title":"x"}"#
            ))
            .unwrap(),
            ClassroomId(42)
        );
        let refused =
            created_class_id(&response(r#"{"success":false,"msg":"Not a teacher"}"#)).unwrap_err();
        assert!(
            matches!(&refused, Error::Refused { message, .. } if message == "Not a teacher"),
            "{refused:?}"
        );
        let nothing = created_class_id(&response("[]")).unwrap_err();
        assert!(matches!(nothing, Error::Decode { .. }), "{nothing:?}");
    }

    #[test]
    fn class_list_pages() {
        let students = "<ul class=\"scroll-content\">\n<li class=\"user thumb item\">\n        <a href=\"/users/kid_1/\"><img></a><a href=\"/users/kid_1/\">kid_1</a>\n</li>\n<li class=\"user thumb item\"><a href=\"/users/kid-2/\">kid-2</a></li><li class=\"other\"><a href=\"/users/teacher/\">t</a></li></ul>";
        assert_eq!(student_names(students), ["kid_1", "kid-2"]);
        let studios = "<li class=\"gallery thumb item\"><span class=\"title\">\n    <a href=\"/studios/501/\">Week 1</a>\n</span></li><li class=\"gallery\"><a href=\"/studios/x/\">bad</a></li><li class=\"gallery thumb item\"><a href=\"/studios/502/\">W2</a></li>";
        assert_eq!(studio_ids(studios), [StudioId(501), StudioId(502)]);
        assert!(student_names("<html>no list</html>").is_empty());
        assert!(studio_ids("<li class=\"gallery\"><a href=\"/studios/").is_empty());
    }

    #[test]
    fn tokens_and_pages() {
        assert_eq!(check_token(" abc_DEF-1 ").unwrap(), "abc_DEF-1");
        for bad in ["", "a/b", "a b", "../x", "a?b"] {
            assert!(check_token(bad).is_err(), "{bad}");
        }
        assert!(check_page(0).is_err());
        assert!(check_page(1).is_ok());
    }

    #[test]
    fn registration_is_not_printed_with_its_password() {
        let student = StudentRegistration::new(1u64, "t", "kid", SecretString::from("hunter22"));
        assert!(!format!("{student:?}").contains("hunter22"));
    }
}
