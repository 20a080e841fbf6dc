//! The website (`/`, `/web/…`) and the panel (`/_sandbox`) over plain HTTP: every page
//! answers, user text is escaped, the writes its forms make go through the API's rules
//! (CSRF refused without a token), and the panel's request log records what was sent.

mod common;

use common::session::{Caller, no_redirect_client};
use common::{client, get_text, sandbox};
use scratchkit_sandbox::SandboxHandle;
use serde_json::{Value, json};

const PROJECT: u64 = 142;
const STUDIO: u64 = 5342;

/// GET with a session cookie (or none): status, `Location`, body.
async fn get_as(sb: &SandboxHandle, who: &Caller, path: &str) -> (u16, Option<String>, String) {
    let mut request = no_redirect_client().get(format!("{}{path}", sb.base_url()));
    if let Some(id) = &who.session_id {
        request = request.header("Cookie", format!("scratchsessionsid=\"{id}\""));
    }
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, location, response.text().await.expect("body"))
}

/// The first number after `prefix` in `html` (ids of links).
fn first_id_after(html: &str, prefix: &str) -> u64 {
    let at = html
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} in page"));
    html[at + prefix.len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("no id after {prefix}"))
}

#[tokio::test]
async fn every_page_answers_with_the_site_shell() {
    let sb = sandbox().await;
    let (_, forums) = get_text(&sb, "/web/discuss").await;
    let category = first_id_after(&forums, "href=\"/web/discuss/");
    let (_, topics) = get_text(&sb, &format!("/web/discuss/{category}")).await;
    let topic = first_id_after(&topics, "href=\"/web/discuss/topic/");
    let pages = [
        ("/", "Most loved"),
        ("/web", "Most loved"),
        ("/web/explore", "Explore"),
        ("/web/explore?mode=recent&q=games", "Explore"),
        ("/web/search?q=face", "PlayWithYourFace"),
        ("/web/login", "id=\"login-form\""),
        (
            "/web/users/mres",
            "Thank you for Scratch! &lt;3 &amp; everything",
        ),
        ("/web/projects/142", "PlayWithYourFace"),
        ("/web/projects/142/", "PlayWithYourFace"),
        ("/web/projects/142/cloud", "Cloud monitor"),
        (&format!("/web/studios/{STUDIO}"), "id=\"studio-title\""),
        ("/web/discuss", "Discussion forums"),
        (
            &format!("/web/discuss/{category}"),
            "<table class=\"grid\">",
        ),
        (&format!("/web/discuss/topic/{topic}"), "class=\"post\""),
        ("/_sandbox", "Sandbox panel"),
        ("/_sandbox/", "Sandbox panel"),
    ];
    for (path, needle) in pages {
        let (status, body) = get_text(&sb, path).await;
        assert_eq!(status, 200, "GET {path}");
        assert!(body.starts_with("<!DOCTYPE html>"), "GET {path}: a page");
        assert!(
            body.contains("href=\"/web/explore\""),
            "GET {path}: navigation"
        );
        assert!(body.contains(needle), "GET {path}: lacks {needle}");
        assert!(body.contains("id=\"login-link\""), "GET {path}: logged out");
    }
    for (path, kind) in [
        ("/web/static/style.css", "text/css"),
        ("/web/static/app.js", "text/javascript"),
        ("/_sandbox/static/app.js", "text/javascript"),
    ] {
        let response = client()
            .get(format!("{}{path}", sb.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "GET {path}");
        let ct = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(ct.starts_with(kind), "GET {path}: {ct}");
    }
    for path in [
        "/web/users/nobody_here_42",
        "/web/projects/999999999",
        "/web/projects/abc",
        "/web/studios/999999999",
        "/web/discuss/topic/999999999",
        "/web/static/nothing.js",
    ] {
        let (status, _) = get_text(&sb, path).await;
        assert_eq!(status, 404, "GET {path}");
    }
}

#[tokio::test]
async fn pages_for_a_viewer_need_a_login_and_show_their_owner() {
    let sb = sandbox().await;
    let nobody = Caller::anonymous(&sb);
    for path in ["/web/messages", "/web/mystuff"] {
        let (status, location, _) = get_as(&sb, &nobody, path).await;
        assert_eq!(status, 303, "GET {path} logged out");
        assert_eq!(
            location.as_deref(),
            Some(format!("/web/login?next=%2Fweb%2F{}", &path[5..]).as_str())
        );
    }
    let fan = Caller::login(&sb, "kakurenbo").await;
    let love = fan
        .post(
            &format!("/api/proxy/projects/{PROJECT}/loves/user/kakurenbo"),
            json!({}),
        )
        .await;
    assert_eq!(love.status, 200, "{:?}", love.body);
    let owner = Caller::login(&sb, "mres").await;
    let (status, _, messages) = get_as(&sb, &owner, "/web/messages").await;
    assert_eq!(status, 200);
    assert!(messages.contains("id=\"me\" href=\"/web/users/mres\""));
    assert!(
        messages.contains("kakurenbo</a> loved <a href=\"/web/projects/142\">PlayWithYourFace</a>"),
        "the love arrived as a message"
    );
    let (status, _, stuff) = get_as(&sb, &owner, "/web/mystuff").await;
    assert_eq!(status, 200);
    assert!(stuff.contains("PlayWithYourFace"));
    assert!(stuff.contains("data-url=\"/api/proxy/projects/142/unshare\""));
    let (_, _, project) = get_as(&sb, &fan, "/web/projects/142").await;
    assert!(
        project.contains("class=\"mark love on\""),
        "the viewer's love is shown"
    );
    assert!(project.contains("data-url=\"/api/proxy/projects/142/loves/user/kakurenbo\""));
}

#[tokio::test]
async fn user_text_is_escaped_everywhere() {
    let sb = sandbox().await;
    let evil = "<script>alert(\"x\")</script><img src=x onerror=alert(1)>";
    let escaped =
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;";
    let admin = client();
    let made = admin
        .post(format!("{}/_sandbox/users", sb.base_url()))
        .body(json!({"username": "xss_tester", "password": "secret-pass", "bio": evil, "status": evil}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), 201);
    let project: Value = admin
        .post(format!("{}/_sandbox/projects", sb.base_url()))
        .body(json!({"owner": "xss_tester", "title": evil, "description": evil, "instructions": evil}).to_string())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = project["id"].as_u64().expect("project id");
    let me = Caller::login(&sb, "xss_tester").await;
    let posted = me
        .post(
            &format!("/api/proxy/comments/project/{id}"),
            json!({"content": evil}),
        )
        .await;
    assert!(posted.body["id"].is_number(), "{:?}", posted.body);
    let profile = me
        .post(
            "/site/site-api/comments/user/xss_tester/add",
            json!({"content": evil}),
        )
        .await;
    assert_eq!(profile.status, 200, "{:?}", profile.body);
    for path in [
        format!("/web/projects/{id}"),
        "/web/users/xss_tester".to_owned(),
        format!("/web/search?q={}", urlencode(evil)),
        "/web/explore?q=%3Cscript%3E".to_owned(),
        "/".to_owned(),
        format!("/web/projects/{id}/cloud"),
    ] {
        let (status, _, body) = get_as(&sb, &me, &path).await;
        assert_eq!(status, 200, "GET {path}");
        assert!(!body.contains("<script>alert"), "GET {path}: raw script");
        assert!(!body.contains("<img src=x"), "GET {path}: raw img");
        if !path.starts_with("/web/explore") {
            assert!(body.contains(escaped), "GET {path}: escaped text shown");
        }
    }
}

fn urlencode(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// The page's comment form posts to the API route; that route refuses a post without the
/// CSRF token, accepts it with one, and the page and the API then show the same comment.
#[tokio::test]
async fn the_forms_routes_keep_the_api_rules() {
    let sb = sandbox().await;
    let me = Caller::login(&sb, "griffpatch").await;
    let (_, _, page) = get_as(&sb, &me, "/web/projects/142").await;
    let url = "/api/proxy/comments/project/142";
    assert!(page.contains(&format!("data-url=\"{url}\"")));

    // No CSRF pair: 403, nothing stored.
    let refused = client()
        .post(format!("{}{url}", sb.base_url()))
        .header(
            "Cookie",
            format!(
                "scratchsessionsid=\"{}\"",
                me.session_id.as_deref().unwrap()
            ),
        )
        .header("Referer", sb.base_url())
        .header("Content-Type", "application/json")
        .body(json!({"content": "without a token"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.unwrap().contains("CSRF"));
    // The login form's route too.
    let login = client()
        .post(format!("{}/site/login", sb.base_url()))
        .header("Referer", sb.base_url())
        .body(
            json!({"username": "griffpatch", "password": scratchkit_sandbox::DEMO_PASSWORD})
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 403, "login without the CSRF pair");

    let ok = me
        .post(url, json!({"content": "through the page's route"}))
        .await;
    assert!(ok.body["id"].is_number(), "{:?}", ok.body);
    // Flood control applies as it does to bots.
    let again = me.post(url, json!({"content": "too fast"})).await;
    assert_eq!(again.body["rejected"], "isFlood");
    let (_, _, page) = get_as(&sb, &me, "/web/projects/142").await;
    assert!(page.contains("through the page&#39;s route"));
    assert!(!page.contains("too fast"));
    let api = me
        .get("/api/users/mres/projects/142/comments?limit=40")
        .await;
    assert!(
        api.body
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["content"] == "through the page's route")
    );
}

#[tokio::test]
async fn the_panel_log_records_requests_as_sent() {
    let sb = sandbox().await;
    let http = client();
    http.get(format!(
        "{}/api/users/mres?x-token=very-secret",
        sb.base_url()
    ))
    .send()
    .await
    .unwrap();
    // By Host header, as a client pointed at the sandbox with real URLs sends it.
    http.get(format!("{}/users/griffpatch", sb.base_url()))
        .header("Host", "api.scratch.mit.edu")
        .send()
        .await
        .unwrap();
    let faults = http
        .post(format!("{}/_sandbox/faults", sb.base_url()))
        .body(r#"{"spec":"kinds=503,count=1"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(faults.status(), 200);
    let faulted = http
        .get(format!("{}/api/users/kakurenbo", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(faulted.status(), 503);

    let page: Value = http
        .get(format!(
            "{}/_sandbox/requests?host=api.scratch",
            sb.base_url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let rows = page["requests"].as_array().unwrap();
    let paths: Vec<(&str, u64)> = rows
        .iter()
        .map(|r| (r["path"].as_str().unwrap(), r["status"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        paths,
        [
            ("/users/mres", 200),
            ("/users/griffpatch", 200),
            ("/users/kakurenbo", 503)
        ]
    );
    assert_eq!(rows[0]["query"]["x-token"], "<redacted>");
    assert!(!page.to_string().contains("very-secret"));
    // Paging: only what came after a sequence number; filters by path; the poll is not logged.
    let last = rows[1]["seq"].as_u64().unwrap();
    let after: Value = http
        .get(format!(
            "{}/_sandbox/requests?after={last}&path=kakurenbo",
            sb.base_url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after["requests"].as_array().unwrap().len(), 1);
    let all: Value = http
        .get(format!("{}/_sandbox/requests", sb.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        all["requests"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["path"] != "/requests")
    );
}

/// The forum reply form follows the reply route's rule: staff-only forums take posts from the
/// Scratch Team only, so only they get a form there.
#[tokio::test]
async fn forum_reply_forms_follow_the_posting_rules() {
    let sb = sandbox().await;
    let person = Caller::login(&sb, "kakurenbo").await;
    let staff = Caller::login(&sb, "mres").await;
    // Announcements (5) is staff-only; Help with Scripts (7) is open.
    for (category, person_may) in [(5, false), (7, true)] {
        let (_, _, topics) = get_as(&sb, &person, &format!("/web/discuss/{category}")).await;
        let topic = first_id_after(&topics, "href=\"/web/discuss/topic/");
        let path = format!("/web/discuss/topic/{topic}");
        let (_, _, as_person) = get_as(&sb, &person, &path).await;
        assert_eq!(
            as_person.contains("id=\"forum-reply\""),
            person_may,
            "{path} as a Scratcher"
        );
        let (_, _, as_staff) = get_as(&sb, &staff, &path).await;
        assert!(as_staff.contains("id=\"forum-reply\""), "{path} as staff");
        // The route agrees with the page.
        let posted = person
            .send_raw(
                "POST",
                &format!("/site/discuss/topic/{topic}"),
                "application/x-www-form-urlencoded",
                b"body=checking+the+rule".to_vec(),
            )
            .await;
        assert_eq!(
            posted.status == 403,
            !person_may,
            "{path}: route answered {}",
            posted.status
        );
    }
}

/// The cloud monitor's socket: a snapshot on connect, another when a client sets a value,
/// naming the setter from the cloud log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cloud_monitor_socket_sends_changes() {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;

    let sb = sandbox().await;
    let wait = std::time::Duration::from_secs(20);
    let url = format!("ws://{}/web/projects/142/cloud/live", sb.addr());
    let (mut socket, _) = tokio_tungstenite::connect_async(url.as_str())
        .await
        .expect("live socket");
    let mut next = async || -> Value {
        loop {
            let frame = tokio::time::timeout(wait, socket.next())
                .await
                .expect("a snapshot in time")
                .expect("open")
                .expect("frame");
            if let Message::Text(text) = frame {
                return serde_json::from_str(&text).expect("JSON snapshot");
            }
        }
    };
    let first = next().await;
    assert!(first["variables"].is_array() && first["log"].is_array());

    let _ = rustls::crypto::ring::default_provider().install_default();
    let griff = scratchkit::Client::sandbox(sb.addr());
    griff
        .login("griffpatch", scratchkit_sandbox::DEMO_PASSWORD)
        .await
        .expect("login");
    let (sender, _events) = griff.cloud(142u64).await.expect("cloud");
    sender.set("score", "4242").expect("valid");
    sender.flush().await.expect("sent");
    loop {
        let snap = next().await;
        let has_value = snap["variables"]
            .as_array()
            .unwrap()
            .iter()
            .any(|pair| pair[0] == "☁ score" && pair[1] == "4242");
        let logged = snap["log"]
            .as_array()
            .unwrap()
            .first()
            .is_some_and(|row| row["user"] == "griffpatch" && row["value"] == "4242");
        if has_value && logged {
            break;
        }
    }
    // Not a project id: the upgrade is refused with 404; a plain GET is not a WebSocket (400).
    match tokio_tungstenite::connect_async(
        format!("ws://{}/web/projects/abc/cloud/live", sb.addr()).as_str(),
    )
    .await
    {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 404);
        }
        other => panic!("expected a refused upgrade, got {other:?}"),
    }
    let (status, _) = get_text(&sb, "/web/projects/142/cloud/live").await;
    assert_eq!(status, 400);
}
