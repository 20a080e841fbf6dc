//! Account settings and classes against wiremock: the exact requests (path, method, fields,
//! credentials) and the handling of Scratch's answers.

mod auth_support;

use auth_support::*;
use scratchkit::model::ClassroomId;
use scratchkit::{Error, StudentRegistration};
use secrecy::SecretString;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn json(value: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(value)
}

/// The form fields of a urlencoded body.
fn form(request: &Request) -> Vec<(String, String)> {
    url::form_urlencoded::parse(&request.body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn field<'a>(fields: &'a [(String, String)], key: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Asserts a form post with the CSRF token both as header and as `csrfmiddlewaretoken`.
fn assert_form_post(request: &Request) -> Vec<(String, String)> {
    assert_eq!(request.method.as_str(), "POST");
    assert_cookie_auth(request);
    assert_eq!(
        header_of(request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let fields = form(request);
    assert_eq!(
        field(&fields, "csrfmiddlewaretoken"),
        header_of(request, "x-csrftoken")
    );
    fields
}

const FORM_AGAIN: &str = r#"<!DOCTYPE html><html><body><form method="post"><ul class="errorlist"><li>Your old password was entered incorrectly. Please enter it again.</li></ul></form></body></html>"#;

#[tokio::test]
async fn settings_forms_post_the_right_fields() {
    let server = MockServer::start().await;
    for at in [
        "/site/accounts/settings/",
        "/site/accounts/email_change/",
        "/site/accounts/settings/update_subscription/",
    ] {
        Mock::given(method("POST"))
            .and(path(at))
            .respond_with(ResponseTemplate::new(200).set_body_string("<html>Settings</html>"))
            .mount(&server)
            .await;
    }
    let client = logged_in(&server).await;

    client.me().set_country("United Kingdom").await.unwrap();
    let r = last(&server).await;
    let fields = assert_form_post(&r);
    assert_eq!(field(&fields, "country"), Some("United Kingdom"));
    assert!(
        header_of(&r, "referer")
            .unwrap()
            .ends_with("/site/accounts/settings/")
    );

    client
        .me()
        .change_email("me@example.org", &SecretString::from("pw-123456"))
        .await
        .unwrap();
    let fields = assert_form_post(&last(&server).await);
    assert_eq!(field(&fields, "email_address"), Some("me@example.org"));
    assert_eq!(field(&fields, "password"), Some("pw-123456"));

    client
        .me()
        .set_email_subscriptions(true, false)
        .await
        .unwrap();
    let fields = assert_form_post(&last(&server).await);
    assert_eq!(field(&fields, "activities"), Some("on"));
    assert_eq!(field(&fields, "teacher_tips"), None, "unchecked = absent");
    client
        .me()
        .set_email_subscriptions(false, true)
        .await
        .unwrap();
    let fields = assert_form_post(&last(&server).await);
    assert_eq!(field(&fields, "activities"), None);
    assert_eq!(field(&fields, "teacher_tips"), Some("on"));

    // Checked before sending.
    let sent = received(&server).await.len();
    assert!(matches!(
        client.me().set_country("  ").await,
        Err(Error::InvalidInput { .. })
    ));
    assert!(matches!(
        client
            .me()
            .change_email("nope", &SecretString::from("x"))
            .await,
        Err(Error::InvalidInput { .. })
    ));
    assert!(matches!(
        client
            .me()
            .change_email("a@b.org", &SecretString::from(""))
            .await,
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(received(&server).await.len(), sent);
}

#[tokio::test]
async fn password_change_success_and_refusal() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/site/accounts/password_change/"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("Location", "/site/accounts/password_change/done/"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/site/accounts/password_change/done/"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>Done</html>"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/site/accounts/password_change/"))
        .respond_with(ResponseTemplate::new(200).set_body_string(FORM_AGAIN))
        .mount(&server)
        .await;
    let client = logged_in(&server).await;
    let old = SecretString::from("old-password");
    let new = SecretString::from("new-password");

    client.me().change_password(&old, &new).await.unwrap();
    let posted = received(&server)
        .await
        .into_iter()
        .find(|r| r.method.as_str() == "POST")
        .unwrap();
    let fields = assert_form_post(&posted);
    assert_eq!(field(&fields, "old_password"), Some("old-password"));
    assert_eq!(field(&fields, "new_password1"), Some("new-password"));
    assert_eq!(field(&fields, "new_password2"), Some("new-password"));

    let err = client.me().change_password(&old, &new).await.unwrap_err();
    match err {
        Error::Refused { action, message } => {
            assert_eq!(action, "change password");
            assert!(message.starts_with("Your old password"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // Never in an error or debug text.
    assert!(!format!("{old:?}{new:?}").contains("password"));
}

#[tokio::test]
async fn password_checks() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/accounts/checkpassword/"))
        .and(body_json(serde_json::json!({"password": "hunter22"})))
        .respond_with(json(serde_json::json!({"msg": "valid password"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/site/accounts/check_password/"))
        .respond_with(json(serde_json::json!({"success": false})))
        .mount(&server)
        .await;

    // The strength check needs no login and sends none.
    let anonymous = client_for(&server);
    let check = anonymous
        .check_password(&SecretString::from("hunter22"))
        .await
        .unwrap();
    assert!(check.is_valid());
    let r = last(&server).await;
    assert!(header_of(&r, "x-token").is_none());
    assert!(cookie(&r, "scratchsessionsid").is_none());

    let client = logged_in(&server).await;
    assert!(
        !client
            .me()
            .verify_password(&SecretString::from("guess"))
            .await
            .unwrap()
    );
    let fields = assert_form_post(&last(&server).await);
    assert_eq!(field(&fields, "password"), Some("guess"));
}

#[tokio::test]
async fn account_actions_need_a_login() {
    let server = MockServer::start().await;
    let client = client_for(&server);
    let pw = SecretString::from("x-password");
    assert!(matches!(
        client.me().set_country("Japan").await,
        Err(Error::LoginRequired)
    ));
    assert!(matches!(
        client.me().change_password(&pw, &pw).await,
        Err(Error::LoginRequired)
    ));
    assert!(matches!(
        client.me().change_email("a@b.org", &pw).await,
        Err(Error::LoginRequired)
    ));
    assert!(matches!(
        client.me().set_email_subscriptions(true, true).await,
        Err(Error::LoginRequired)
    ));
    assert!(matches!(
        client.me().verify_password(&pw).await,
        Err(Error::LoginRequired)
    ));
    assert!(matches!(
        client.classroom(1u64).set_title("x").await,
        Err(Error::LoginRequired)
    ));
    assert!(matches!(
        client.me().classrooms(false, 1).await,
        Err(Error::LoginRequired)
    ));
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn classes_are_read_by_id_and_token() {
    let server = MockServer::start().await;
    let class = serde_json::json!({
        "id": 367806, "title": "Sandbox Class", "description": "d", "status": "s",
        "date_start": "2024-01-01T00:00:00.000Z", "images": {},
        "educator": {"id": 99000102, "username": "demo_teacher"}
    });
    Mock::given(method("GET"))
        .and(path("/api/classrooms/367806"))
        .respond_with(json(class.clone()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/classtoken/abc_123"))
        .respond_with(json(class))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let by_id = client.classroom(367806u64).info().await.unwrap();
    assert_eq!(by_id.id, ClassroomId(367806));
    assert_eq!(by_id.educator.unwrap().username, "demo_teacher");
    let by_token = client.classroom_by_token("abc_123").await.unwrap();
    assert_eq!(by_token.title, "Sandbox Class");
    let sent = received(&server).await.len();
    assert!(matches!(
        client.classroom_by_token("../x").await,
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(received(&server).await.len(), sent);
}

#[tokio::test]
async fn teacher_actions_send_the_right_requests() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/site/site-api/classrooms/all/42/"))
        .respond_with(json(serde_json::json!({"id": 42})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/site/site-api/classrooms/close_classroom/42/"))
        .respond_with(json(serde_json::json!({"success": true})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(
            "/site/site-api/classrooms/generate_registration_link/42/",
        ))
        .respond_with(json(
            serde_json::json!({"reg_link": "https://scratch.mit.edu/signup/tok42"}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/site/classes/create_classroom_gallery/"))
        .respond_with(json(
            serde_json::json!({"success": false, "msg": "Too many studios"}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/site/classes/create_classroom/"))
        .respond_with(json(serde_json::json!([{"id": 42}])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/site/site-api/classrooms/activity/42/all/"))
        .and(query_param("page", "1"))
        .respond_with(json(
            serde_json::json!([{"type": 0, "actor": {"username": "kid"}}]),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/site/site-api/classrooms/activity/42/kid/"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/site/site-api/classrooms/alerts/"))
        .respond_with(json(serde_json::json!([{"pk": 1, "fields": {}}])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/site/site-api/classrooms/closed/"))
        .respond_with(json(serde_json::json!([])))
        .mount(&server)
        .await;
    let client = logged_in(&server).await;

    let class = client.create_classroom("Year 7", "Games").await.unwrap();
    assert_eq!(class.id(), ClassroomId(42));
    let r = last(&server).await;
    assert_cookie_auth(&r);
    assert_eq!(
        json_body(&r),
        serde_json::json!({"title": "Year 7", "description": "Games"})
    );

    class.set_title("Year 8").await.unwrap();
    let r = last(&server).await;
    assert_cookie_auth(&r);
    assert_token(&r);
    assert_eq!(json_body(&r), serde_json::json!({"title": "Year 8"}));
    class.set_description("About").await.unwrap();
    assert_eq!(
        json_body(&last(&server).await),
        serde_json::json!({"description": "About"})
    );
    class.set_status("Clones").await.unwrap();
    assert_eq!(
        json_body(&last(&server).await),
        serde_json::json!({"status": "Clones"})
    );
    class.reopen().await.unwrap();
    assert_eq!(
        json_body(&last(&server).await),
        serde_json::json!({"visibility": "visible"})
    );
    class.close().await.unwrap();
    assert_cookie_auth(&last(&server).await);

    let link = class.registration_link().await.unwrap();
    assert_eq!(link, "https://scratch.mit.edu/signup/tok42");

    let err = class.add_studio("tok42", "Week 1", "").await.unwrap_err();
    assert!(
        matches!(&err, Error::Refused { message, .. } if message == "Too many studios"),
        "{err:?}"
    );
    assert_eq!(
        json_body(&last(&server).await),
        serde_json::json!({"classroom_id": "42", "classroom_token": "tok42", "title": "Week 1", "description": ""})
    );

    let activity = class.activity(None, 1).await.unwrap();
    assert_eq!(
        activity[0].kind,
        scratchkit::model::ClassroomActivityType::FollowUser
    );
    assert_eq!(activity[0].actor.as_ref().unwrap().username, "kid");
    assert!(
        class.activity(Some("kid"), 1).await.unwrap().is_empty(),
        "404 = past the end"
    );
    assert!(matches!(
        class.activity(None, 0).await,
        Err(Error::InvalidInput { .. })
    ));
    let alerts = client.me().educator_alerts(1).await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].pk, Some(scratchkit::model::AlertId(1)));
    assert!(client.me().classrooms(true, 1).await.unwrap().is_empty());
    let r = last(&server).await;
    assert_eq!(r.url.path(), "/site/site-api/classrooms/closed/");
    assert!(r.url.query().unwrap().contains("page=1"));
}

#[tokio::test]
async fn students_register_with_the_class_token_and_no_session() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/site/classes/register_new_student/"))
        .respond_with(json(
            serde_json::json!([{"username": "new_kid", "success": true}]),
        ))
        .mount(&server)
        .await;
    // Even a logged-in client sends no session with it.
    let client = logged_in(&server).await;
    let mut student = StudentRegistration::new(
        42u64,
        "tok42",
        "new_kid",
        SecretString::from("kid-password"),
    );
    student.country = "Japan".into();
    assert_eq!(client.register_student(&student).await.unwrap(), "new_kid");
    let r = last(&server).await;
    assert!(cookie(&r, "scratchsessionsid").is_none());
    let csrf = header_of(&r, "x-csrftoken").unwrap().to_owned();
    assert_eq!(
        cookie(&r, "scratchcsrftoken").as_deref(),
        Some(csrf.as_str())
    );
    let fields = form(&r);
    for (key, value) in [
        ("classroom_id", "42"),
        ("classroom_token", "tok42"),
        ("username", "new_kid"),
        ("password", "kid-password"),
        ("birth_month", "1"),
        ("birth_year", "2000"),
        ("country", "Japan"),
        ("is_robot", "false"),
        ("csrfmiddlewaretoken", csrf.as_str()),
    ] {
        assert_eq!(field(&fields, key), Some(value), "{key}");
    }

    student.birth_month = 13;
    assert!(matches!(
        client.register_student(&student).await,
        Err(Error::InvalidInput { .. })
    ));
}

#[tokio::test]
async fn studio_creation_refused_with_403_keeps_scratchs_message() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/site/studios/create/"))
        .respond_with(ResponseTemplate::new(403).set_body_json(
            serde_json::json!({"msg": "Only Scratchers can create studios.", "success": false}),
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/site/studios/create/"))
        .respond_with(ResponseTemplate::new(403).set_body_string("<html>Forbidden</html>"))
        .mount(&server)
        .await;
    let client = logged_in(&server).await;
    let err = client.create_studio().await.unwrap_err();
    assert!(
        matches!(&err, Error::Refused { action: "create studio", message } if message == "Only Scratchers can create studios."),
        "{err:?}"
    );
    // Any other 403 stays a 403.
    let err = client.create_studio().await.unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }), "{err:?}");
}
