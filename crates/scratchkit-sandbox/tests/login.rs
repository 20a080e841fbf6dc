//! Password login, the Django-signed session cookie, `/session/`, CSRF, logout.

mod common;

use std::io::Read;

use base64::Engine as _;
use common::session::Caller;
use common::{client, fixture, sandbox, shape_diff};
use scratchkit_sandbox::{DEMO_PASSWORD, SandboxHandle};
use serde_json::{Value, json};

struct LoginReply {
    status: u16,
    set_cookies: Vec<String>,
    body: Value,
}

async fn login(
    sb: &SandboxHandle,
    username: &str,
    password: &str,
    csrf: (&str, &str),
) -> LoginReply {
    let response = client()
        .post(format!("{}/site/login/", sb.base_url()))
        .header(
            "Cookie",
            format!("scratchcsrftoken={}; scratchlanguage=en", csrf.0),
        )
        .header("X-CSRFToken", csrf.1)
        .header("X-Requested-With", "XMLHttpRequest")
        .header("Referer", "https://scratch.mit.edu")
        .body(json!({"username": username, "password": password, "useMessages": true}).to_string())
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    let set_cookies = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let text = response.text().await.unwrap();
    LoginReply {
        status,
        set_cookies,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

/// The quoted session id, extracted the way scratchattach does (greedy `"(.*)"`).
fn quoted_session(set_cookies: &[String]) -> String {
    let merged = set_cookies.join(", ");
    let first = merged.find('"').expect("a quote");
    let last = merged.rfind('"').expect("a quote");
    merged[first + 1..last].to_owned()
}

/// auth.md §3.3, as scratchattach 2.2.6 does it: split on `:`, lenient base64, always inflate.
fn decode_like_scratchattach(value: &str) -> (Value, u64) {
    let parts: Vec<&str> = value.split(':').collect();
    assert_eq!(parts.len(), 3, "{value}");
    let payload = parts[0].trim_start_matches('.');
    let mut padded = payload.to_owned();
    while !padded.len().is_multiple_of(4) {
        padded.push('=');
    }
    let compressed = base64::engine::general_purpose::URL_SAFE
        .decode(padded)
        .expect("base64url");
    let mut json = String::new();
    flate2::read::ZlibDecoder::new(compressed.as_slice())
        .read_to_string(&mut json)
        .expect("zlib");
    let stamp = parts[1].bytes().fold(0u64, |acc, b| {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'A'..=b'Z' => b - b'A' + 10,
            _ => b - b'a' + 36,
        };
        acc * 62 + u64::from(digit)
    });
    (serde_json::from_str(&json).expect("json payload"), stamp)
}

#[tokio::test]
async fn login_sets_a_quoted_cookie_that_decodes_offline() {
    let sb = sandbox().await;
    let reply = login(&sb, "griffpatch", DEMO_PASSWORD, ("a", "a")).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let item = &reply.body[0];
    assert_eq!(reply.body.as_array().unwrap().len(), 1);
    assert_eq!(item["success"], 1);
    assert_eq!(item["username"], "griffpatch");
    assert_eq!(item["id"], 1_882_674);
    assert_eq!(item["messages"], json!([]));
    assert!(item["num_tries"].is_i64() && item["msg"].is_string());
    let token = item["token"].as_str().unwrap().to_owned();
    assert!(!token.is_empty());

    let session_cookie = reply
        .set_cookies
        .iter()
        .find(|c| c.starts_with("scratchsessionsid="))
        .expect("session cookie");
    assert!(
        session_cookie.starts_with("scratchsessionsid=\".eJ"),
        "{session_cookie}"
    );
    assert!(session_cookie.contains("Path=/") && session_cookie.contains("HttpOnly"));
    let others_quoted = reply
        .set_cookies
        .iter()
        .filter(|c| !c.starts_with("scratchsessionsid="))
        .any(|c| c.contains('"'));
    assert!(!others_quoted, "no other Set-Cookie may contain a quote");

    let value = quoted_session(&reply.set_cookies);
    let (payload, stamp) = decode_like_scratchattach(&value);
    let keys: Vec<&str> = payload
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "username",
        "_auth_user_id",
        "token",
        "login-ip",
        "_language",
        "django_timezone",
        "testcookie",
        "_auth_user_backend",
        "_auth_user_hash",
    ] {
        assert!(keys.contains(&key), "payload lacks {key}: {payload}");
    }
    assert_eq!(payload.as_object().unwrap().len(), 9);
    assert_eq!(payload["username"], "griffpatch");
    assert_eq!(payload["_auth_user_id"], "1882674");
    assert_eq!(payload["token"], token.as_str());
    assert_eq!(payload["login-ip"], "127.0.0.1");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(stamp.abs_diff(now) < 600, "login time {stamp} vs now {now}");

    // The cookie is accepted quoted and unquoted; /session/ shows the same X-Token.
    for cookie in [
        format!("scratchsessionsid=\"{value}\""),
        format!("scratchsessionsid={value}"),
    ] {
        let session: Value = client()
            .get(format!("{}/site/session/", sb.base_url()))
            .header("Cookie", cookie)
            .header("X-Requested-With", "XMLHttpRequest")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(session["user"]["username"], "griffpatch");
        assert_eq!(session["user"]["token"], token.as_str());
    }
    // The X-Token works on the api host.
    let me = Caller {
        base: sb.base_url(),
        username: Some("griffpatch".into()),
        session_id: None,
        token: Some(token),
    };
    let messages = me.get("/api/users/griffpatch/messages").await;
    assert_eq!(messages.status, 200, "{:?}", messages.body);
}

#[tokio::test]
async fn wrong_password_banned_and_too_many_attempts() {
    let sb = sandbox().await;
    let reply = login(&sb, "griffpatch", "not-the-password", ("a", "a")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body[0]["success"], 0);
    assert_eq!(reply.body[0]["id"], Value::Null);
    assert_eq!(reply.body[0]["msg"], "Incorrect username or password.");
    assert!(
        reply
            .set_cookies
            .iter()
            .all(|c| !c.starts_with("scratchsessionsid"))
    );

    let reply = login(&sb, "nobody_at_all", DEMO_PASSWORD, ("a", "a")).await;
    assert_eq!(reply.body[0]["success"], 0);

    let reply = login(&sb, "demo_banned", DEMO_PASSWORD, ("a", "a")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body[0]["success"], 0);
    assert_eq!(reply.body[0]["redirect"], "/accounts/banned-response/");
    assert!(reply.set_cookies.is_empty(), "{:?}", reply.set_cookies);

    // Five failures in a row block /login/ with a non-JSON 403 …
    for n in 2..=5 {
        let reply = login(&sb, "griffpatch", "wrong", ("a", "a")).await;
        assert_eq!(reply.body[0]["num_tries"], n);
    }
    let blocked = login(&sb, "griffpatch", DEMO_PASSWORD, ("a", "a")).await;
    assert_eq!(blocked.status, 403);
    assert!(blocked.body.is_string(), "non-JSON body");
    // … until /login_retry/ with a captcha response.
    let retry = |captcha: &'static str| {
        let base = sb.base_url();
        async move {
            client()
                .post(format!("{base}/site/login_retry/"))
                .header("Cookie", "scratchcsrftoken=a")
                .header("X-CSRFToken", "a")
                .header("Referer", "https://scratch.mit.edu")
                .body(json!({"username": "griffpatch", "password": DEMO_PASSWORD, "g-recaptcha-response": captcha}).to_string())
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    assert_eq!(retry("").await[0]["success"], 0);
    assert_eq!(retry("captcha-ok").await[0]["success"], 1);
    assert_eq!(
        login(&sb, "griffpatch", DEMO_PASSWORD, ("a", "a"))
            .await
            .body[0]["success"],
        1
    );
}

#[tokio::test]
async fn csrf_mismatch_is_refused_like_django() {
    let sb = sandbox().await;
    let reply = login(&sb, "griffpatch", DEMO_PASSWORD, ("a", "b")).await;
    assert_eq!(reply.status, 403);
    assert!(
        reply
            .body
            .as_str()
            .unwrap()
            .contains("CSRF verification failed")
    );
    assert!(reply.set_cookies.is_empty());
    // No cookie, no header, foreign Referer: all 403; a GET is never checked.
    let base = sb.base_url();
    let no_cookie = client()
        .post(format!("{base}/site/login/"))
        .header("X-CSRFToken", "a")
        .header("Referer", "https://scratch.mit.edu")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(no_cookie.status(), 403);
    let foreign = client()
        .post(format!("{base}/site/login/"))
        .header("Cookie", "scratchcsrftoken=a")
        .header("X-CSRFToken", "a")
        .header("Referer", "https://evil.example/")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);
    // The form field stands in for the header.
    let form = client()
        .post(format!("{base}/site/login/"))
        .header("Cookie", "scratchcsrftoken=tok")
        .header("Referer", "https://scratch.mit.edu/")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!(
            "csrfmiddlewaretoken=tok&username=griffpatch&password={DEMO_PASSWORD}"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    let body: Value = form.json().await.unwrap();
    assert_eq!(body[0]["success"], 1);
    // A proxy write with a mismatched pair is refused before anything changes.
    let me = Caller::login(&sb, "griffpatch").await;
    let response = client()
        .post(format!(
            "{base}/api/proxy/projects/142/loves/user/griffpatch"
        ))
        .header(
            "Cookie",
            format!(
                "scratchcsrftoken=a; scratchsessionsid=\"{}\"",
                me.session_id.clone().unwrap()
            ),
        )
        .header("X-CSRFToken", "b")
        .header("Referer", "https://scratch.mit.edu")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let status = me.get("/api/projects/142/loves/user/griffpatch").await;
    assert_eq!(status.body["userLove"], false);
}

#[tokio::test]
async fn csrf_token_endpoint_sets_the_cookie() {
    let sb = sandbox().await;
    let response = client()
        .get(format!("{}/site/csrf_token/", sb.base_url()))
        .header("X-Requested-With", "XMLHttpRequest")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    let token = cookie
        .strip_prefix("scratchcsrftoken=")
        .and_then(|rest| rest.split(';').next())
        .expect("scratchcsrftoken cookie");
    assert_eq!(token.len(), 32);
    assert!(token.chars().all(|c| c.is_ascii_alphanumeric()));
}

#[tokio::test]
async fn session_shapes_logged_in_and_out() {
    let sb = sandbox().await;
    let anonymous = Caller::anonymous(&sb);
    for method in ["GET", "POST"] {
        for path in ["/site/session/", "/site/session"] {
            let reply = anonymous.send(method, path, None).await;
            assert_eq!(reply.status, 200);
            assert!(shape_diff(&fixture("session_logged_out.json"), &reply.body).is_empty());
            assert!(reply.body.get("user").is_none());
        }
    }
    let student = Caller::login(&sb, "demo_student").await;
    let reply = student.get("/site/session/").await;
    let diff = shape_diff(
        &fixture("session_logged_in_student_REDACTED.json"),
        &reply.body,
    );
    assert!(diff.is_empty(), "{diff:?}");
    assert_eq!(reply.body["user"]["classroomId"], 367806);
    assert_eq!(reply.body["permissions"]["student"], true);
    assert_eq!(
        reply.body["user"]["token"],
        student.token.clone().unwrap().as_str()
    );

    let new = Caller::login(&sb, "demo_new")
        .await
        .get("/site/session/")
        .await;
    assert_eq!(new.body["permissions"]["new_scratcher"], true);
    assert_eq!(new.body["permissions"]["scratcher"], false);
    assert!(new.body["user"].get("classroomId").is_none());
    let teacher = Caller::login(&sb, "demo_teacher")
        .await
        .get("/site/session/")
        .await;
    assert_eq!(teacher.body["permissions"]["educator"], true);
    let muted = Caller::login(&sb, "demo_muted")
        .await
        .get("/site/session/")
        .await;
    let mute = &muted.body["permissions"]["mute_status"];
    assert_eq!(mute["muteExpiresAt"], 4_102_444_800i64);
    assert!(mute["offenses"][0]["expiresAt"].is_i64());
    assert!(mute["currentMessageType"].is_string() && mute["showWarning"].is_boolean());
    let banned = Caller::login(&sb, "demo_banned")
        .await
        .get("/site/session/")
        .await;
    assert_eq!(banned.body["user"]["banned"], true);
}

#[tokio::test]
async fn logout_revokes_cookie_and_token() {
    let sb = sandbox().await;
    let me = Caller::login(&sb, "kakurenbo").await;
    assert_eq!(
        me.get("/site/session/").await.body["user"]["username"],
        "kakurenbo"
    );
    assert_eq!(me.get("/api/users/kakurenbo/messages").await.status, 200);

    let response = client()
        .post(format!("{}/site/accounts/logout/", sb.base_url()))
        .header(
            "Cookie",
            format!(
                "scratchcsrftoken=a; scratchsessionsid=\"{}\"",
                me.session_id.clone().unwrap()
            ),
        )
        .header("Referer", "https://scratch.mit.edu")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("csrfmiddlewaretoken=a")
        .send()
        .await
        .unwrap();
    // reqwest follows the redirect to `/` (outside the prefixes): check it was a redirect.
    assert!(response.url().path() == "/" || response.status() == 302);

    let after = me.get("/site/session/").await;
    assert!(after.body.get("user").is_none(), "{:?}", after.body);
    assert_eq!(me.get("/api/users/kakurenbo/messages").await.status, 401);
    let cookie_only = Caller {
        token: None,
        ..me.clone()
    };
    assert_eq!(
        cookie_only
            .put("/api/proxy/projects/142/unshare", json!({}))
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn forged_cookies_are_not_sessions() {
    let sb = sandbox().await;
    // The reference test vector decodes, but this sandbox did not sign it.
    let forged = Caller {
        base: sb.base_url(),
        username: Some("sandbox_user".into()),
        session_id: Some(".eJyNjk0PgjAMhv_LzjgBP1CPGo_e9LzsS5jAatiIRuN_tyUkhpvtpe37tn3erA-287K1bMeC9EbBU9CIJUzIPlZDI5xBOUspMlSiDVED1I62HtDV1kz9SuraeloyN-lL4Bp87JziZOGjGvgJjG32oxfPAhY_jqFNs3yxXK2LzVYqbewVbQ2Uzs_cnZDygqeYBCUa_NTLkpjwTDK-FtG19gWexseo55fzYcpayVChlv4Z7PMFjjdhBg:1vb66i:SANDBOXSIGNATURE".into()),
        token: Some("sandboxtoken0123456789abcdef".into()),
    };
    assert!(
        forged
            .get("/site/session/")
            .await
            .body
            .get("user")
            .is_none()
    );
    assert_eq!(
        forged.get("/api/users/sandbox_user/messages").await.status,
        401
    );
}
