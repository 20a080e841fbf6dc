//! The website in a real browser: headless Chromium driven over the DevTools protocol
//! (see `browser/mod.rs`) against an in-process sandbox on 127.0.0.1. A person logs in
//! through the form, comments, loves and favourites, watches the cloud monitor and turns a
//! fault on in the panel, while a scratchkit client acts on the same sandbox; each side sees
//! what the other did.
//!
//! Skipped with a printed reason when Chromium is missing, failed instead when
//! `SCRATCHKIT_REQUIRE_CHROMIUM=1` (CI). Screenshots of the main pages are written to
//! `$SCRATCHKIT_SCREENSHOTS` (default: `screenshots/` under Cargo's test tmp directory).
//!
//! Runs on the real clock: Chromium and the sandbox are real processes and sockets.

mod browser;
mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use browser::{Browser, WAIT, chromium_or_skip, js};
use futures_util::StreamExt;
use scratchkit::Client;
use scratchkit::cloud::CloudEvent;
use scratchkit::model::{CommentId, UserId};
use scratchkit_sandbox::{DEMO_PASSWORD, SandboxHandle};
use serde_json::Value;

const PROJECT: u64 = 142;
/// The person in the browser.
const PERSON: &str = "kakurenbo";
/// The bot: a scratchkit client (mres owns project 142).
const BOT: &str = "mres";

fn screenshot_dir() -> PathBuf {
    let dir = std::env::var_os("SCRATCHKIT_SCREENSHOTS").map_or_else(
        || PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&dir).expect("screenshot directory");
    dir
}

async fn bot(sb: &SandboxHandle, username: &str) -> Client {
    logged_in(sb, username, DEMO_PASSWORD).await
}

/// A scratchkit client logged in to the sandbox as `username`.
async fn logged_in(sb: &SandboxHandle, username: &str, password: &str) -> Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = Client::sandbox(sb.addr());
    client
        .login(username, password)
        .await
        .unwrap_or_else(|e| panic!("{username} logs in: {e}"));
    client
}

async fn project_json(sb: &SandboxHandle) -> Value {
    common::get_json(sb, &format!("/api/projects/{PROJECT}")).await
}

async fn log_in_through_the_form(b: &mut Browser, base: &str, shots: &std::path::Path) {
    b.goto(&format!("{base}/web/login?next=/web/projects/{PROJECT}"))
        .await;
    b.screenshot(&shots.join("login.png")).await;
    // A wrong password first: the form shows the API's message and stays.
    b.eval(&format!(
        "document.getElementById('username').value = {user};
         document.getElementById('password').value = 'wrong-password';
         document.getElementById('login-form').requestSubmit(); true",
        user = js(PERSON)
    ))
    .await;
    b.wait_for(
        "document.getElementById('login-error').textContent.includes('Incorrect')",
        WAIT,
    )
    .await;
    b.mark_page().await;
    b.eval(&format!(
        "document.getElementById('password').value = {pw};
         document.getElementById('login-form').requestSubmit(); true",
        pw = js(DEMO_PASSWORD)
    ))
    .await;
    b.wait_for_new_page().await;
    assert_eq!(
        b.eval("location.pathname").await,
        format!("/web/projects/{PROJECT}")
    );
    assert_eq!(
        b.eval("document.getElementById('me').textContent").await,
        PERSON
    );
    assert_eq!(
        b.eval("document.cookie.includes('scratchsessionsid')")
            .await,
        false,
        "the session cookie stays HttpOnly"
    );
}

async fn comment_and_get_a_reply(b: &mut Browser, sb: &SandboxHandle, base: &str) {
    let text = "Hello from a browser <b>not bold</b> & friends";
    b.mark_page().await;
    b.eval(&format!(
        "const f = document.querySelector('form.comment-form');
         f.content.value = {text}; f.requestSubmit(); true",
        text = js(text)
    ))
    .await;
    b.wait_for_new_page().await;
    b.wait_for(
        &format!(
            "[...document.querySelectorAll('.comment .content')].some(e => e.textContent === {})",
            js(text)
        ),
        WAIT,
    )
    .await;
    assert_eq!(
        b.eval("document.querySelector('.comment .content b') === null")
            .await,
        true,
        "markup in a comment is text"
    );

    // The bot sees it through the API, with the person as author, and replies.
    let comments =
        common::get_json(sb, &format!("/api/users/{BOT}/projects/{PROJECT}/comments")).await;
    let mine = comments
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["content"] == text)
        .expect("the browser's comment is in the API");
    assert_eq!(mine["author"]["username"], PERSON);
    let owner = bot(sb, BOT).await;
    let reply = "Thanks, says the bot";
    owner
        .project(PROJECT)
        .comments()
        .reply(
            CommentId(mine["id"].as_u64().unwrap()),
            Some(UserId(mine["author"]["id"].as_u64().unwrap())),
            reply,
        )
        .await
        .expect("the bot replies");
    b.goto(&format!("{base}/web/projects/{PROJECT}")).await;
    b.wait_for(
        &format!(
            "[...document.querySelectorAll('.replies .comment')].some(e => e.querySelector('.content').textContent === {} && e.querySelector('.author').textContent === {})",
            js(reply),
            js(BOT)
        ),
        WAIT,
    )
    .await;
    // And the person got a message about it.
    b.goto(&format!("{base}/web/messages")).await;
    b.wait_for(
        &format!(
            "[...document.querySelectorAll('#message-list li.addcomment')].some(e => e.textContent.includes({}))",
            js("Thanks, says the bot")
        ),
        WAIT,
    )
    .await;
}

async fn read_messages_and_follow(b: &mut Browser, sb: &SandboxHandle, base: &str) {
    // On the messages page: "mark all as read" empties the bell for the API too.
    assert_eq!(b.eval("location.pathname").await, "/web/messages");
    assert_eq!(
        b.eval("document.getElementById('unread') !== null").await,
        true
    );
    b.mark_page().await;
    b.eval("document.getElementById('messages-clear').click(); true")
        .await;
    b.wait_for_new_page().await;
    assert_eq!(
        b.eval("document.getElementById('unread') === null").await,
        true
    );
    let count = common::get_json(sb, &format!("/api/users/{PERSON}/messages/count")).await;
    assert_eq!(count["count"], 0);

    // Follow the bot's owner from the profile; the API's follower list shows it.
    b.goto(&format!("{base}/web/users/{BOT}")).await;
    assert_eq!(
        b.eval("document.getElementById('follow').textContent")
            .await,
        "Follow"
    );
    b.mark_page().await;
    b.eval("document.getElementById('follow').click(); true")
        .await;
    b.wait_for_new_page().await;
    assert_eq!(
        b.eval("document.getElementById('follow').textContent")
            .await,
        "Unfollow"
    );
    let followers = common::get_json(sb, &format!("/api/users/{BOT}/followers?limit=1")).await;
    assert_eq!(followers[0]["username"], PERSON);
}

async fn love_and_favourite(
    b: &mut Browser,
    sb: &SandboxHandle,
    base: &str,
    shots: &std::path::Path,
) {
    b.goto(&format!("{base}/web/projects/{PROJECT}")).await;
    let before = project_json(sb).await;
    let loves = before["stats"]["loves"].as_i64().unwrap();
    let favourites = before["stats"]["favorites"].as_i64().unwrap();
    assert_eq!(
        b.eval("Number(document.getElementById('love-count').textContent)")
            .await,
        loves
    );
    b.eval("document.getElementById('love-button').click(); true")
        .await;
    b.wait_for(
        &format!(
            "document.getElementById('love-count').textContent === '{}' && document.getElementById('love-button').classList.contains('on')",
            loves + 1
        ),
        WAIT,
    )
    .await;
    b.eval("document.getElementById('favorite-button').click(); true")
        .await;
    b.wait_for(
        &format!(
            "document.getElementById('favorite-count').textContent === '{}'",
            favourites + 1
        ),
        WAIT,
    )
    .await;
    let after = project_json(sb).await;
    assert_eq!(after["stats"]["loves"].as_i64().unwrap(), loves + 1);
    assert_eq!(
        after["stats"]["favorites"].as_i64().unwrap(),
        favourites + 1
    );
    // A reload shows the stored counts and the buttons on.
    b.goto(&format!("{base}/web/projects/{PROJECT}")).await;
    assert_eq!(
        b.eval("[document.getElementById('love-count').textContent, document.getElementById('favorite-count').textContent, document.querySelectorAll('button.mark.on').length]").await,
        serde_json::json!([(loves + 1).to_string(), (favourites + 1).to_string(), 2])
    );
    b.screenshot(&shots.join("project.png")).await;
    // Unlove: back down by one.
    b.eval("document.getElementById('love-button').click(); true")
        .await;
    b.wait_for(
        &format!("document.getElementById('love-count').textContent === '{loves}'"),
        WAIT,
    )
    .await;
    assert_eq!(
        project_json(sb).await["stats"]["loves"].as_i64().unwrap(),
        loves
    );
}

async fn cloud_monitor(b: &mut Browser, sb: &SandboxHandle, base: &str, shots: &std::path::Path) {
    b.goto(&format!("{base}/web/projects/{PROJECT}/cloud"))
        .await;
    b.wait_for(
        "document.getElementById('cloud-status').textContent === 'live'",
        WAIT,
    )
    .await;
    let setter = bot(sb, "griffpatch").await;
    let (sender, mut events) = setter.cloud(PROJECT).await.expect("cloud connects");
    let first = tokio::time::timeout(WAIT, events.next())
        .await
        .expect("event");
    assert_eq!(first, Some(CloudEvent::Connected));
    let value = "271828";
    sender.set("score", value).expect("valid");
    sender.flush().await.expect("sent");
    let sent = Instant::now();
    b.wait_for(
        &format!(
            "[...document.querySelectorAll('#cloud-vars tr')].some(r => r.cells[0].textContent === '☁ score' && r.cells[1].textContent === {})",
            js(value)
        ),
        Duration::from_secs(1),
    )
    .await;
    let shown_after = sent.elapsed();
    eprintln!("cloud monitor showed the value {shown_after:?} after the client sent it");
    assert!(shown_after < Duration::from_secs(1));
    // Who set it, from the cloud log (written behind, so given longer).
    b.wait_for(
        &format!(
            "[...document.querySelectorAll('#cloud-log tr')].some(r => r.cells[1].textContent === 'griffpatch' && r.cells[4].textContent === {})",
            js(value)
        ),
        WAIT,
    )
    .await;
    b.screenshot(&shots.join("cloud-monitor.png")).await;
}

async fn panel_fault(b: &mut Browser, sb: &SandboxHandle, base: &str, shots: &std::path::Path) {
    b.goto(&format!("{base}/_sandbox")).await;
    b.wait_for(
        "document.querySelectorAll('#settings-fields input').length > 0",
        WAIT,
    )
    .await;
    b.eval(
        "document.getElementById('faults-spec').value = 'kinds=503,count=1';
         document.getElementById('faults-form').requestSubmit(); true",
    )
    .await;
    b.wait_for(
        "document.getElementById('faults-now').textContent.includes('503')",
        WAIT,
    )
    .await;
    let http = common::client();
    let url = format!("{}/api/users/griffpatch", sb.base_url());
    let first = http.get(&url).send().await.unwrap();
    assert_eq!(first.status(), 503, "the next API call sees the fault");
    let second = http.get(&url).send().await.unwrap();
    assert_eq!(second.status(), 200, "count=1: only one");
    // The panel's request log shows the bot's two calls as they happen, filtered by host.
    b.eval(
        "const h = document.getElementById('log-host'); h.value = 'api.scratch';
         h.dispatchEvent(new Event('input')); true",
    )
    .await;
    b.wait_for(
        "(() => { const rows = [...document.querySelectorAll('#log-rows tr')].map(r => r.cells[4].textContent + ' ' + r.cells[5].textContent);
                  return rows.includes('/users/griffpatch 503') && rows.includes('/users/griffpatch 200')
                      && rows.every(r => !r.startsWith('/web/')); })()",
        WAIT,
    )
    .await;
    b.screenshot(&shots.join("panel.png")).await;
    // Turn it off again through the button.
    b.eval("document.getElementById('faults-off').click(); true")
        .await;
    b.wait_for(
        "document.getElementById('faults-now').textContent === 'off'",
        WAIT,
    )
    .await;
    let faults = common::get_json(sb, "/_sandbox/faults").await;
    assert_eq!(faults["faults"], Value::Null);
}

async fn forum_reply(b: &mut Browser, sb: &SandboxHandle, base: &str) {
    // "Help with Scripts" takes posts from everyone.
    b.goto(&format!("{base}/web/discuss/7")).await;
    let href = b
        .eval("document.querySelector('a[href^=\"/web/discuss/topic/\"]').getAttribute('href')")
        .await;
    let topic: u64 = href
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    b.goto(&format!("{base}/web/discuss/topic/{topic}")).await;
    let text = "A reply typed in a browser [b]bbcode[/b]";
    b.mark_page().await;
    b.eval(&format!(
        "const f = document.getElementById('forum-reply'); f.body.value = {}; f.requestSubmit(); true",
        js(text)
    ))
    .await;
    b.wait_for_new_page().await;
    b.wait_for(
        &format!(
            "[...document.querySelectorAll('.post')].some(p => p.querySelector('header a').textContent === {} && p.querySelector('.content').textContent === {})",
            js(PERSON),
            js(text)
        ),
        WAIT,
    )
    .await;
    // The old-site page that forum scrapers read has it too.
    let (status, page) = common::get_text(sb, &format!("/site/discuss/topic/{topic}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("A reply typed in a browser"),
        "scrapers see the post"
    );
}

/// A student signs up through the class's registration link (logged out), then the account
/// works for a client: the page's form posts to the route bots use.
async fn class_sign_up(b: &mut Browser, sb: &SandboxHandle, base: &str, shots: &std::path::Path) {
    let teacher = common::session::Caller::login(sb, "demo_teacher").await;
    let link = teacher
        .get("/site/site-api/classrooms/generate_registration_link/367806/")
        .await;
    let reg_link = link.body["reg_link"].as_str().expect("reg_link");
    let token = reg_link
        .strip_prefix("https://scratch.mit.edu/signup/")
        .expect("a live-shaped link");
    b.goto(&format!("{base}/web/signup/{token}")).await;
    b.screenshot(&shots.join("signup.png")).await;
    // A password that is too short first: the API's message shows, no account is made.
    b.eval(
        "document.getElementById('signup-username').value = 'browser_pupil';
         document.getElementById('signup-password').value = 'abc';
         document.getElementById('signup-password').removeAttribute('minlength');
         document.getElementById('signup-form').requestSubmit(); true",
    )
    .await;
    b.wait_for(
        "document.getElementById('signup-error').textContent.includes('weak')",
        WAIT,
    )
    .await;
    b.eval(
        "document.getElementById('signup-password').value = 'pupil-pass-1';
         document.getElementById('signup-form').requestSubmit(); true",
    )
    .await;
    b.wait_for("!document.getElementById('signup-done').hidden", WAIT)
        .await;
    assert_eq!(
        b.eval("document.getElementById('signup-login') !== null")
            .await,
        true
    );
    // The student made in the browser logs in.
    logged_in(sb, "browser_pupil", "pupil-pass-1").await;
    let (_, students) = common::get_text(sb, "/site/classes/367806/students/").await;
    assert!(
        students.contains("/users/browser_pupil/"),
        "the student is in the class: {students}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_in_chromium_and_a_bot_share_the_sandbox() {
    let Some(chromium) = chromium_or_skip("a_person_in_chromium_and_a_bot_share_the_sandbox")
    else {
        return;
    };
    let sb = common::sandbox().await;
    let base = sb.base_url();
    let shots = screenshot_dir();
    let mut b = Browser::launch(&chromium).await;

    b.goto(&format!("{base}/")).await;
    b.screenshot(&shots.join("home.png")).await;
    log_in_through_the_form(&mut b, &base, &shots).await;
    comment_and_get_a_reply(&mut b, &sb, &base).await;
    read_messages_and_follow(&mut b, &sb, &base).await;
    love_and_favourite(&mut b, &sb, &base, &shots).await;
    cloud_monitor(&mut b, &sb, &base, &shots).await;
    panel_fault(&mut b, &sb, &base, &shots).await;
    forum_reply(&mut b, &sb, &base).await;

    b.goto(&format!("{base}/web/users/{BOT}")).await;
    b.screenshot(&shots.join("profile.png")).await;
    b.goto(&format!("{base}/web/studios/5342")).await;
    b.mark_page().await;
    b.eval("document.getElementById('follow-studio').click(); true")
        .await;
    b.wait_for_new_page().await;
    assert_eq!(
        b.eval("document.getElementById('follow-studio').textContent")
            .await,
        "Unfollow"
    );
    b.screenshot(&shots.join("studio.png")).await;

    // Log out through the header button: the session is gone for the API too.
    b.mark_page().await;
    b.eval("document.getElementById('logout').click(); true")
        .await;
    b.wait_for_new_page().await;
    assert_eq!(
        b.eval("document.getElementById('login-link') !== null")
            .await,
        true
    );
    class_sign_up(&mut b, &sb, &base, &shots).await;
    // Reset from the panel (its confirm() answered yes): the person's comment is gone.
    b.goto(&format!("{base}/_sandbox")).await;
    b.eval("window.confirm = () => true; document.getElementById('reset').click(); true")
        .await;
    b.wait_for(
        "document.getElementById('reset-done').textContent === 'done'",
        WAIT,
    )
    .await;
    let comments = common::get_json(
        &sb,
        &format!("/api/users/{BOT}/projects/{PROJECT}/comments"),
    )
    .await;
    assert!(
        comments
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["author"]["username"] != PERSON),
        "the reset forgot the browser's comment"
    );
    assert!(
        b.exceptions.is_empty(),
        "JavaScript errors: {:?}",
        b.exceptions
    );
    eprintln!("screenshots in {}", shots.display());
}
