//! Password login, session-id login, `/session/`, logout and saved sessions, against wiremock
//! on 127.0.0.1: the exact requests sent and the handling of Scratch's answers.

use std::time::Duration;

use scratchkit::{AuthMode, Client, Error, Host, Hosts, RateLimit, RawRequest, RetryPolicy, Url};
use secrecy::SecretString;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The test vector of auth.md §3.4 (user `sandbox_user`, id 1000001).
const VECTOR: &str = ".eJyNjk0PgjAMhv_LzjgBP1CPGo_e9LzsS5jAatiIRuN_tyUkhpvtpe37tn3erA-287K1bMeC9EbBU9CIJUzIPlZDI5xBOUspMlSiDVED1I62HtDV1kz9SuraeloyN-lL4Bp87JziZOGjGvgJjG32oxfPAhY_jqFNs3yxXK2LzVYqbewVbQ2Uzs_cnZDygqeYBCUa_NTLkpjwTDK-FtG19gWexseo55fzYcpayVChlv4Z7PMFjjdhBg:1vb66i:SANDBOXSIGNATURE";
const VECTOR_TOKEN: &str = "sandboxtoken0123456789abcdef";

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .hosts(Hosts::sandbox_url(Url::parse(&server.uri()).unwrap()))
        .rate_limit(RateLimit::unlimited())
        .retry(RetryPolicy::new(
            1,
            Duration::from_millis(1),
            Duration::from_millis(2),
        ))
        .build()
        .unwrap()
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn header_of<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The cookies of a request as (name, value) pairs.
fn cookies_of(request: &Request) -> Vec<(String, String)> {
    header_of(request, "cookie")
        .unwrap_or("")
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn cookie(request: &Request, name: &str) -> Option<String> {
    cookies_of(request)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn login_ok_body() -> serde_json::Value {
    serde_json::json!([{
        "username": "Griffpatch",
        "token": "xtoken-SECRET-1",
        "num_tries": 0,
        "success": 1,
        "msg": "",
        "messages": [],
        "id": 1882674
    }])
}

async fn mount_login_ok(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/site/login/"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(login_ok_body())
                .append_header(
                    "set-cookie",
                    "scratchsessionsid=\"sess-SECRET-abc:1:sig\"; Path=/; HttpOnly",
                )
                .append_header("set-cookie", "scratchpolicyseen=true; Path=/"),
        )
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn password_login_sends_the_csrf_double_submit_and_keeps_the_session() {
    let server = MockServer::start().await;
    mount_login_ok(&server).await;
    Mock::given(method("PUT"))
        .and(path("/api/proxy/anything"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let client = client_for(&server);

    let me = client.login("griffpatch", "pw-SECRET").await.unwrap();
    assert_eq!(me.username, "Griffpatch", "the name as Scratch spells it");
    assert_eq!(me.user_id.map(|id| id.get()), Some(1882674));
    assert_eq!(client.logged_in_as(), Some(me));

    let requests = received(&server).await;
    let login = &requests[0];
    assert_eq!(login.url.path(), "/site/login/");
    let body: serde_json::Value = serde_json::from_slice(&login.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"username": "griffpatch", "password": "pw-SECRET"})
    );
    assert_eq!(header_of(login, "content-type"), Some("application/json"));
    assert_eq!(header_of(login, "x-requested-with"), Some("XMLHttpRequest"));
    assert_eq!(
        header_of(login, "referer"),
        Some(format!("{}/site/", server.uri()).as_str())
    );
    let csrf = header_of(login, "x-csrftoken").unwrap().to_owned();
    assert_eq!(csrf.len(), 32);
    assert_eq!(
        cookie(login, "scratchcsrftoken").as_deref(),
        Some(csrf.as_str())
    );
    assert_eq!(cookie(login, "scratchlanguage").as_deref(), Some("en"));
    assert_eq!(cookie(login, "scratchsessionsid"), None);

    // A cookie-authenticated call afterwards: the session cookie quoted as received, and the
    // same CSRF token as cookie and header; the X-Token from the login body.
    let response = client
        .raw()
        .send(
            RawRequest::new(scratchkit::Method::PUT, Host::Api, "/proxy/anything")
                .auth(AuthMode::Both),
        )
        .await
        .unwrap();
    assert_eq!(response.status.as_u16(), 200);
    let requests = received(&server).await;
    let call = &requests[1];
    assert_eq!(
        cookie(call, "scratchsessionsid").as_deref(),
        Some("\"sess-SECRET-abc:1:sig\"")
    );
    assert_eq!(
        cookie(call, "scratchcsrftoken").as_deref(),
        Some(csrf.as_str())
    );
    assert_eq!(header_of(call, "x-csrftoken"), Some(csrf.as_str()));
    assert_eq!(header_of(call, "x-token"), Some("xtoken-SECRET-1"));
    server.verify().await;

    // Nothing secret in Debug output.
    let debug = format!("{client:?}");
    assert!(!debug.contains("SECRET"), "{debug}");
}

#[tokio::test]
async fn wrong_password_is_login_failed_and_leaves_the_client_logged_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/site/login/"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!([{
                "username": "griffpatch", "num_tries": 1, "success": 0,
                "msg": "Incorrect username or password.", "messages": [], "id": null
            }])),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server);
    let err = client.login("griffpatch", "pw-SECRET").await.unwrap_err();
    assert!(
        matches!(&err, Error::LoginFailed { message } if message == "Incorrect username or password."),
        "{err:?}"
    );
    assert!(!format!("{err} {err:?}").contains("pw-SECRET"));
    assert!(client.logged_in_as().is_none());
    server.verify().await;
}

#[tokio::test]
async fn http_403_is_login_blocked_and_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/site/login/"))
        .respond_with(ResponseTemplate::new(403).set_body_string("<h1>Forbidden</h1>"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client_for(&server)
        .login("griffpatch", "pw")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::LoginBlocked { snippet } if snippet.contains("Forbidden")),
        "{err:?}"
    );
    assert_eq!(err.status(), Some(scratchkit::StatusCode::FORBIDDEN));
    server.verify().await;
}

#[tokio::test]
async fn captcha_demand_then_login_retry_with_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/site/login/"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!([{
                "username": "griffpatch", "num_tries": 3, "success": 0,
                "msg": "Please complete the captcha", "messages": [], "id": null
            }])),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/site/login_retry/"))
        .and(body_json(serde_json::json!({
            "username": "griffpatch", "password": "pw", "g-recaptcha-response": "captcha-token"
        })))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(login_ok_body())
                .append_header("set-cookie", "scratchsessionsid=\"s:1:x\"; Path=/"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server);
    let err = client.login("griffpatch", "pw").await.unwrap_err();
    assert!(matches!(err, Error::CaptchaRequired { .. }), "{err:?}");
    let me = client
        .login_retry("griffpatch", "pw", "captcha-token")
        .await
        .unwrap();
    assert_eq!(me.username, "Griffpatch");
    server.verify().await;
}

#[tokio::test]
async fn token_and_id_come_from_the_cookie_when_the_body_lacks_them() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/site/login/"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!([{"username":"sandbox_user","success":1,"msg":"","messages":[]}]))
                .append_header("set-cookie", format!("scratchsessionsid=\"{VECTOR}\"; Path=/"))
                .append_header("set-cookie", "scratchcsrftoken=RotatedCsrfToken; Path=/"),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/users/sandbox_user/messages"))
        .and(header("x-token", VECTOR_TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/site/site-api/x/"))
        .and(header("x-csrftoken", "RotatedCsrfToken"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server);
    let me = client.login("sandbox_user", "pw").await.unwrap();
    assert_eq!(me.user_id.map(|id| id.get()), Some(1000001));
    let r = client
        .raw()
        .send(RawRequest::get(Host::Api, "/users/sandbox_user/messages").auth(AuthMode::Token))
        .await
        .unwrap();
    assert_eq!(r.status.as_u16(), 200);
    let r = client
        .raw()
        .send(RawRequest::post(Host::Site, "/site-api/x/").auth(AuthMode::Cookie))
        .await
        .unwrap();
    assert_eq!(r.status.as_u16(), 200);
    let requests = received(&server).await;
    assert_eq!(
        cookie(&requests[2], "scratchcsrftoken").as_deref(),
        Some("RotatedCsrfToken"),
        "a rotated CSRF cookie is adopted"
    );
    server.verify().await;
}

#[tokio::test]
async fn success_without_a_session_cookie_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/site/login/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(login_ok_body()))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let err = client.login("griffpatch", "pw").await.unwrap_err();
    assert!(matches!(err, Error::LoginFailed { .. }), "{err:?}");
    assert!(!client.is_logged_in());
}

#[tokio::test]
async fn html_answer_to_login_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/site/login/"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"))
        .mount(&server)
        .await;
    let err = client_for(&server).login("a", "pw").await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn empty_credentials_are_refused_before_sending() {
    let server = MockServer::start().await;
    let client = client_for(&server);
    for (user, pw) in [("", "pw"), ("  ", "pw"), ("a", "")] {
        let err = client.login(user, pw).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    }
    let err = client.login_retry("a", "pw", " ").await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn session_id_login_decodes_offline_without_a_request() {
    let server = MockServer::start().await;
    let client = client_for(&server);
    for pasted in [VECTOR.to_owned(), format!("\"{VECTOR}\"")] {
        let me = client
            .login_with_session_id(SecretString::from(pasted))
            .await
            .unwrap();
        assert_eq!(me.username, "sandbox_user");
        assert_eq!(me.user_id.map(|id| id.get()), Some(1000001));
    }
    assert!(received(&server).await.is_empty());
    let debug = format!("{client:?}");
    assert!(!debug.contains(VECTOR_TOKEN) && !debug.contains("SANDBOXSIGNATURE"));
}

fn session_json(banned: bool) -> serde_json::Value {
    serde_json::json!({
        "user": {"id": 42, "banned": banned, "username": "opaque_user", "token": "tok-from-session",
                 "thumbnailUrl": "//cdn2.scratch.mit.edu/get_image/user/42_32x32.png",
                 "dateJoined": "2021-01-06T07:10:56", "email": "a@b.c"},
        "permissions": {"admin": false, "scratcher": true, "new_scratcher": false,
                        "invited_scratcher": false, "social": true, "educator": false,
                        "educator_invitee": false, "student": false, "mute_status": {}},
        "flags": {"project_comments_enabled": true}
    })
}

#[tokio::test]
async fn an_undecodable_session_id_falls_back_to_the_session_endpoint() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/site/session/"))
        .and(header(
            "cookie",
            "scratchsessionsid=\"opaque-SECRET\"; scratchlanguage=en",
        ))
        .and(header("x-requested-with", "XMLHttpRequest"))
        .respond_with(ResponseTemplate::new(200).set_body_json(session_json(false)))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server);
    let me = client
        .login_with_session_id(SecretString::from("opaque-SECRET"))
        .await
        .unwrap();
    assert_eq!(me.username, "opaque_user");
    assert_eq!(me.user_id.map(|id| id.get()), Some(42));
    server.verify().await;
}

#[tokio::test]
async fn unknown_and_banned_session_ids_are_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/site/session/"))
        .and(header(
            "cookie",
            "scratchsessionsid=\"gone\"; scratchlanguage=en",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"flags": {}})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/site/session/"))
        .and(header(
            "cookie",
            "scratchsessionsid=\"banned\"; scratchlanguage=en",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(session_json(true)))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let err = client
        .login_with_session_id(SecretString::from("gone"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::SessionExpired), "{err:?}");
    let err = client
        .login_with_session_id(SecretString::from("banned"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::AccountBanned { username } if username == "opaque_user"),
        "{err:?}"
    );
    assert!(!client.is_logged_in());
    // Values a cookie cannot carry never leave the client.
    let before = received(&server).await.len();
    for bad in ["", "a b", "a;b", "x\ny"] {
        let err = client
            .login_with_session_id(SecretString::from(bad))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    }
    assert_eq!(received(&server).await.len(), before);
}

#[tokio::test]
async fn a_rejected_session_fails_fast_afterwards() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/site/session/"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"flags": {"everything_is_totally_normal": false}}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server);
    client
        .login_with_session_id(SecretString::from(VECTOR))
        .await
        .unwrap();
    let err = client.session().await.unwrap_err();
    assert!(matches!(err, Error::SessionExpired), "{err:?}");
    // Later calls fail before sending.
    let err = client.session().await.unwrap_err();
    assert!(matches!(err, Error::SessionExpired), "{err:?}");
    let err = client
        .raw()
        .send(RawRequest::get(Host::Api, "/x").auth(AuthMode::Token))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::SessionExpired), "{err:?}");
    assert_eq!(received(&server).await.len(), 1);
    // A new login clears the state.
    client
        .login_with_session_id(SecretString::from(VECTOR))
        .await
        .unwrap();
    assert!(client.logged_in_as().is_some());
    server.verify().await;
}

#[tokio::test]
async fn session_decodes_the_real_fixtures() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/real");
    let logged_in =
        std::fs::read_to_string(format!("{dir}/session_logged_in_student_REDACTED.json")).unwrap();
    let logged_out = std::fs::read_to_string(format!("{dir}/session_logged_out.json")).unwrap();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/site/session/"))
        .respond_with(ResponseTemplate::new(200).set_body_string(logged_out))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let client = client_for(&server);
    let session = client.session().await.unwrap();
    assert!(
        !session.is_logged_in(),
        "logged out: the answer only has flags"
    );
    assert_eq!(session.flags.project_comments_enabled, Some(true));

    Mock::given(method("GET"))
        .and(path("/site/session/"))
        .respond_with(ResponseTemplate::new(200).set_body_string(logged_in))
        .mount(&server)
        .await;
    client
        .login_with_session_id(SecretString::from(VECTOR))
        .await
        .unwrap();
    let session = client.session().await.unwrap();
    let user = session.user.as_ref().unwrap();
    assert_eq!(user.username, "1001re");
    assert!(session.permissions.as_ref().unwrap().student);
    let requests = received(&server).await;
    assert_eq!(
        cookie(&requests[1], "scratchsessionsid"),
        Some(format!("\"{VECTOR}\""))
    );
    // Scratch's token (here "REDACTED") replaces the one decoded from the cookie.
    Mock::given(method("GET"))
        .and(path("/api/probe"))
        .and(header("x-token", "REDACTED"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    client
        .raw()
        .send(RawRequest::get(Host::Api, "/probe").auth(AuthMode::Token))
        .await
        .unwrap();
    server.verify().await;
}

#[tokio::test]
async fn logout_posts_the_form_then_forgets_everything() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/site/accounts/logout/"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/site/"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/site/"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>home</html>"))
        .mount(&server)
        .await;
    let client = client_for(&server);
    client
        .login_with_session_id(SecretString::from(VECTOR))
        .await
        .unwrap();
    client.logout().await.unwrap();
    assert!(client.logged_in_as().is_none());
    let requests = received(&server).await;
    let logout = &requests[0];
    let csrf = header_of(logout, "x-csrftoken").unwrap().to_owned();
    assert_eq!(
        std::str::from_utf8(&logout.body).unwrap(),
        format!("csrfmiddlewaretoken={csrf}")
    );
    assert_eq!(cookie(logout, "scratchcsrftoken"), Some(csrf));
    assert_eq!(
        cookie(logout, "scratchsessionsid"),
        Some(format!("\"{VECTOR}\""))
    );
    // Logged out: nothing more is sent, and the cookies are gone.
    client.logout().await.unwrap();
    let err = client
        .raw()
        .send(RawRequest::post(Host::Site, "/x").auth(AuthMode::Cookie))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::LoginRequired));
    let _ = client
        .raw()
        .send(RawRequest::get(Host::Site, "/"))
        .await
        .unwrap();
    let requests = received(&server).await;
    let last = requests.last().unwrap();
    assert_eq!(
        header_of(last, "cookie"),
        None,
        "no cookie survives a logout"
    );
    server.verify().await;
}

#[tokio::test]
async fn saved_sessions_are_owner_only_and_restore_without_a_request() {
    let server = MockServer::start().await;
    let client = client_for(&server);
    let dir = std::env::temp_dir().join(format!("scratchkit-auth-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("session.json");

    let err = client.save_session(&file).unwrap_err();
    assert!(matches!(err, Error::LoginRequired));

    client
        .login_with_session_id(SecretString::from(VECTOR))
        .await
        .unwrap();
    client.save_session(&file).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(VECTOR) && text.contains("sandbox_user"));
    assert!(!text.contains(VECTOR_TOKEN), "the X-Token is not stored");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let other = client_for(&server);
    let me = other.restore_session(&file).await.unwrap();
    assert_eq!(Some(me), client.logged_in_as());
    assert!(received(&server).await.is_empty());

    // Broken files are typed errors that do not echo their content.
    std::fs::write(
        &file,
        r#"{"version":1,"username":"a","session_id":5,"x":"SECRET"}"#,
    )
    .unwrap();
    let err = other.restore_session(&file).await.unwrap_err();
    assert!(matches!(err, Error::SessionFile { .. }), "{err:?}");
    assert!(!err.to_string().contains("SECRET"));
    let err = other
        .restore_session(dir.join("missing.json"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::SessionFile { .. }), "{err:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
