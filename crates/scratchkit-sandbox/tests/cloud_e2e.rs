//! End to end: logged-in scratchkit clients against the whole sandbox's cloud (`/cloud` with
//! the sandbox's real sessions, `/turbowarp`, `/clouddata/logs`), on 127.0.0.1.
//!
//! These run on the real clock (logins hash passwords on blocking threads, which a paused
//! clock would skip past); nothing asserts on timing, the timeouts are only safety nets.

mod common;

use std::time::Duration;

use futures_util::StreamExt;
use scratchkit::Client;
use scratchkit::cloud::{
    CloseReason, CloudConfig, CloudConnection, CloudError, CloudEvent, CloudEvents, CloudRules,
    ReconnectPolicy,
};
use scratchkit::model::CloudVerb;
use scratchkit_sandbox::{DEMO_PASSWORD, SandboxConfig, SandboxHandle};

const PROJECT: u64 = 142;
const WAIT: Duration = Duration::from_secs(30);

fn fast_reconnect() -> ReconnectPolicy {
    ReconnectPolicy {
        base: Duration::from_millis(50),
        cap: Duration::from_millis(500),
        jitter: true,
    }
}

async fn logged_in(sandbox: &SandboxHandle, username: &str) -> Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = Client::sandbox(sandbox.addr());
    client
        .login(username, DEMO_PASSWORD)
        .await
        .unwrap_or_else(|e| panic!("{username} logs in: {e}"));
    client
}

async fn next_event(events: &mut CloudEvents) -> CloudEvent {
    tokio::time::timeout(WAIT, events.next())
        .await
        .expect("an event within the safety timeout")
        .expect("the stream is open")
}

async fn next_set(events: &mut CloudEvents) -> (String, String) {
    loop {
        if let CloudEvent::Set { name, value } = next_event(events).await {
            return (name, value);
        }
    }
}

/// Polls `/clouddata/logs` until its newest row has `value`.
async fn wait_for_log(client: &Client, value: &str) -> scratchkit::model::CloudLogEntry {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let page = client.cloud_logs(PROJECT).limit(5).await.expect("logs");
        if let Some(row) = page.items.first()
            && row.value.to_string() == value
        {
            return row.clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "log row {value} never appeared"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logged_in_clients_share_values_and_logs_name_the_setter() {
    let sandbox = common::sandbox().await;
    let griff = logged_in(&sandbox, "griffpatch").await;
    let kaku = logged_in(&sandbox, "kakurenbo").await;

    let (sender, mut events) = griff.cloud(PROJECT).await.expect("griffpatch connects");
    assert_eq!(next_event(&mut events).await, CloudEvent::Connected);
    let (watcher, mut watched) = kaku.cloud(PROJECT).await.expect("kakurenbo connects");
    assert_eq!(next_event(&mut watched).await, CloudEvent::Connected);
    // Let kakurenbo's handshake land before the set (there is no join acknowledgement).
    watcher.flush().await.expect("flushed");
    tokio::time::sleep(Duration::from_millis(100)).await;

    sender.set("score", 4321).expect("valid");
    sender.flush().await.expect("flushed");
    assert_eq!(
        next_set(&mut watched).await,
        ("score".into(), "4321".into())
    );
    assert_eq!(watcher.get("score").as_deref(), Some("4321"));

    let row = wait_for_log(&kaku, "4321").await;
    assert_eq!(row.user, "griffpatch");
    assert_eq!(row.verb, CloudVerb::Set);
    assert_eq!(row.name, "☁ score");
    let now_ms = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap();
    assert!(
        (now_ms - row.timestamp.unix_millis()).abs() < 600_000,
        "server time in ms"
    );

    // The raw endpoint has the real shape: an array of {user, verb, name, value, timestamp}.
    let raw = common::get_json(
        &sandbox,
        &format!("/clouddata/logs?projectid={PROJECT}&limit=1&offset=0"),
    )
    .await;
    let first = &raw[0];
    let mut keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["name", "timestamp", "user", "value", "verb"]);
    assert_eq!(first["value"], "4321");
    assert!(first["timestamp"].is_i64());
    sender.close();
    watcher.close();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_scratchers_strangers_bad_origins_and_unknown_projects_are_refused() {
    let sandbox = common::sandbox().await;
    let _ = rustls::crypto::ring::default_provider().install_default();

    // Logged out: refused before anything is sent.
    let anonymous = Client::sandbox(sandbox.addr());
    assert!(matches!(
        anonymous.cloud(PROJECT).await,
        Err(CloudError::LoginRequired)
    ));

    // New Scratchers cannot use cloud variables: the upgrade is refused.
    let newbie = logged_in(&sandbox, "demo_new").await;
    match newbie.cloud(PROJECT).await {
        Err(CloudError::Refused { status }) => assert_eq!(status, 401),
        other => panic!("a New Scratcher was let in: {other:?}"),
    }

    // A session the sandbox never issued.
    let forged = CloudConfig::scratch(PROJECT, "griffpatch", "\"not-a-real-session\"")
        .with_url(format!("ws://{}/cloud", sandbox.addr()));
    assert!(matches!(
        CloudConnection::connect(forged).await,
        Err(CloudError::Refused {
            status: http::StatusCode::UNAUTHORIZED
        })
    ));

    // A real session without Scratch's Origin.
    let griff = logged_in(&sandbox, "griffpatch").await;
    let config = griff.cloud(PROJECT).config().expect("logged in");
    let foreign = CloudConfig::custom(config.url(), PROJECT, "griffpatch", CloudRules::Scratch)
        .with_origin("https://evil.example")
        .with_session_id(session_id_of(&sandbox, "griffpatch").await);
    assert!(matches!(
        CloudConnection::connect(foreign).await,
        Err(CloudError::Refused {
            status: http::StatusCode::FORBIDDEN
        })
    ));

    // A project that does not exist: closed with 4004, for good.
    let (_sender, mut events) = griff
        .cloud(987_654_321u64)
        .seed_from_project(false)
        .seed_from_logs(false)
        .await
        .expect("the upgrade succeeds");
    assert_eq!(next_event(&mut events).await, CloudEvent::Connected);
    assert_eq!(
        next_event(&mut events).await,
        CloudEvent::Closed {
            reason: CloseReason::Server { code: 4004 }
        }
    );

    // The handshake must name the session's own account: 4002.
    let impostor = CloudConfig::scratch(
        PROJECT,
        "ScratchCat",
        session_id_of(&sandbox, "griffpatch").await,
    )
    .with_url(config.url());
    let (_sender, mut events) = CloudConnection::connect(impostor).await.expect("upgrade");
    assert_eq!(next_event(&mut events).await, CloudEvent::Connected);
    assert_eq!(
        next_event(&mut events).await,
        CloudEvent::Closed {
            reason: CloseReason::Server { code: 4002 }
        }
    );
}

/// A fresh session id for `username`, minted by the sandbox's administration API.
async fn session_id_of(sandbox: &SandboxHandle, username: &str) -> String {
    let answer: serde_json::Value = common::client()
        .post(format!("{}/_sandbox/sessions", sandbox.base_url()))
        .json(&serde_json::json!({ "username": username }))
        .send()
        .await
        .expect("admin reachable")
        .json()
        .await
        .expect("admin JSON");
    answer["session_id"]
        .as_str()
        .expect("a session id")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_is_seeded_from_the_logs_when_there_is_no_snapshot() {
    let sandbox = common::sandbox().await;
    let griff = logged_in(&sandbox, "griffpatch").await;
    // The seeded world has log rows for project 142 but no stored values: no snapshot.
    let newest = griff.cloud_logs(PROJECT).limit(100).await.expect("logs");
    let expected = newest
        .items
        .iter()
        .find(|row| row.variable() == "high score")
        .expect("a seeded row")
        .value
        .to_string();
    let (sender, _events) = griff.cloud(PROJECT).await.expect("connects");
    assert_eq!(sender.get("high score"), Some(expected));
    sender.close();

    let (bare, _events) = griff
        .cloud(PROJECT)
        .seed_from_logs(false)
        .seed_from_project(false)
        .await
        .expect("connects");
    assert_eq!(bare.get("high score"), None);
    bare.close();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_events_report_each_new_row_once_with_its_user() {
    let sandbox = common::sandbox().await;
    let griff = logged_in(&sandbox, "griffpatch").await;
    let events = griff
        .cloud_logs(PROJECT)
        .events()
        .every(Duration::from_millis(10));
    assert_eq!(events.period(), scratchkit::cloud::MIN_LOG_POLL);
    let mut rows = std::pin::pin!(events.stream());

    let (sender, _events) = griff
        .cloud(PROJECT)
        .reconnect(fast_reconnect())
        .await
        .expect("connects");
    // The first poll is the baseline; wait for it before setting anything.
    let first = tokio::time::timeout(Duration::from_millis(300), rows.next()).await;
    assert!(first.is_err(), "history is not reported as new: {first:?}");
    for value in 1..=3 {
        sender.set("score", value).expect("valid");
        sender.flush().await.expect("flushed");
        // One set per server tick (Scratch's 10/s rule is enforced by the client's bucket).
    }
    let mut seen = Vec::new();
    while seen.len() < 3 {
        let row = tokio::time::timeout(WAIT, rows.next())
            .await
            .expect("a row within the safety timeout")
            .expect("the stream goes on")
            .expect("the poll succeeds");
        assert_eq!(row.user, "griffpatch");
        seen.push(row.value.to_string());
    }
    assert_eq!(seen, ["1", "2", "3"]);
    // Nothing more: no duplicates on later polls.
    let extra = tokio::time::timeout(Duration::from_millis(2500), rows.next()).await;
    assert!(extra.is_err(), "a row was reported twice: {extra:?}");
    sender.close();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_from_the_logs_need_no_login_and_events_pause_and_resume() {
    let sandbox = common::sandbox().await;
    let griff = logged_in(&sandbox, "griffpatch").await;
    let anonymous = Client::sandbox(sandbox.addr());
    let (sender, _events) = griff
        .cloud(PROJECT)
        .reconnect(fast_reconnect())
        .await
        .expect("connects");
    sender.set("score", 41).expect("valid");
    sender.flush().await.expect("flushed");
    sender.set("score", 42).expect("valid");
    sender.flush().await.expect("flushed");
    // The server writes its log behind (every 50 ms): wait until the row is there.
    wait_for_log(&anonymous, "42").await;

    // The newest row of each variable wins; no login is needed.
    let values = anonymous.cloud_logs(PROJECT).values().await.expect("logs");
    assert_eq!(
        values.get("score").map(ToString::to_string).as_deref(),
        Some("42")
    );
    let newest_high = anonymous
        .cloud_logs(PROJECT)
        .limit(100)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|row| row.variable() == "high score")
        .expect("a seeded row");
    assert_eq!(values.get("high score"), Some(&newest_high.value));

    // Events: paused, nothing comes; resumed, what arrived meanwhile comes, once.
    // Polling every second: without the pause, the new row would come within the quiet window.
    let events = anonymous
        .cloud_logs(PROJECT)
        .events()
        .every(Duration::from_secs(1));
    let control = events.control();
    let mut rows = std::pin::pin!(events.stream());
    let first = tokio::time::timeout(Duration::from_millis(300), rows.next()).await;
    assert!(first.is_err(), "history is not reported as new: {first:?}");
    control.pause();
    assert!(control.is_paused());
    sender.set("score", 43).expect("valid");
    sender.flush().await.expect("flushed");
    let quiet = tokio::time::timeout(Duration::from_millis(2500), rows.next()).await;
    assert!(quiet.is_err(), "a paused stream yielded {quiet:?}");
    control.resume();
    let row = tokio::time::timeout(WAIT, rows.next())
        .await
        .expect("a row after resume")
        .expect("the stream goes on")
        .expect("the poll succeeds");
    assert_eq!(
        (row.variable(), row.value.to_string().as_str()),
        ("score", "43")
    );
    sender.close();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn turbowarp_rooms_need_no_login_and_refuse_scratch_cookies() {
    let sandbox = common::sandbox().await;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let anonymous = Client::sandbox(sandbox.addr());
    let (a, mut a_events) = anonymous
        .turbowarp_cloud(555u64, "player1")
        .await
        .expect("connects");
    let (b, mut b_events) = anonymous
        .turbowarp_cloud(555u64, "player2")
        .await
        .expect("connects");
    assert_eq!(next_event(&mut a_events).await, CloudEvent::Connected);
    assert_eq!(next_event(&mut b_events).await, CloudEvent::Connected);
    b.flush().await.expect("flushed");
    tokio::time::sleep(Duration::from_millis(100)).await;
    a.set("big", "1".repeat(1000))
        .expect("TurboWarp allows long values");
    a.flush().await.expect("flushed");
    assert_eq!(
        next_set(&mut b_events).await,
        ("big".into(), "1".repeat(1000))
    );

    let with_cookie = CloudConfig::turbowarp(555u64, "player3", "tests/1.0")
        .with_url(format!("ws://{}/turbowarp", sandbox.addr()))
        .with_session_id("\"abc\"");
    let (_c, mut c_events) = CloudConnection::connect(with_cookie)
        .await
        .expect("upgrade");
    assert_eq!(next_event(&mut c_events).await, CloudEvent::Connected);
    assert_eq!(
        next_event(&mut c_events).await,
        CloudEvent::Closed {
            reason: CloseReason::Server { code: 4005 }
        }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_and_logs_survive_a_sandbox_restart() {
    let dir = std::env::temp_dir().join(format!("scratchkit-cloud-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = SandboxConfig {
        data_dir: Some(dir.clone()),
        ..SandboxConfig::default()
    };
    {
        let sandbox = common::sandbox_with(config.clone()).await;
        let griff = logged_in(&sandbox, "griffpatch").await;
        let (sender, _events) = griff.cloud(PROJECT).await.expect("connects");
        sender.set("score", 777).expect("valid");
        sender.set("lives", -3).expect("valid");
        sender.flush().await.expect("flushed");
        wait_for_log(&griff, "-3").await;
        sender.close();
        sandbox.shutdown().await;
    }
    let sandbox = common::sandbox_with(config).await;
    let kaku = logged_in(&sandbox, "kakurenbo").await;
    let (_sender, mut events) = kaku
        .cloud(PROJECT)
        .seed_from_logs(false)
        .seed_from_project(false)
        .await
        .expect("connects");
    // The join snapshot comes from the database written before the restart.
    let mut values = std::collections::HashMap::new();
    while values.len() < 2 {
        let (name, value) = next_set(&mut events).await;
        values.insert(name, value);
    }
    assert_eq!(values["score"], "777");
    assert_eq!(values["lives"], "-3");
    let row = kaku.cloud_logs(PROJECT).limit(1).await.expect("logs");
    assert_eq!(row.items[0].user, "griffpatch");
    assert_eq!(row.items[0].value.to_string(), "-3");
    sandbox.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sandbox_reset_forgets_cloud_values_logs_and_connections() {
    let sandbox = common::sandbox().await;
    let griff = logged_in(&sandbox, "griffpatch").await;
    let (sender, mut events) = griff.cloud(PROJECT).await.expect("griffpatch connects");
    assert_eq!(next_event(&mut events).await, CloudEvent::Connected);
    sender.set("score", 77).expect("valid");
    sender.flush().await.expect("flushed");
    wait_for_log(&griff, "77").await;

    let response = common::client()
        .post(format!("{}/_sandbox/reset", sandbox.base_url()))
        .send()
        .await
        .expect("reset sent");
    assert_eq!(response.status(), 200);

    // The connection is dropped, and its session no longer exists: the reconnect is refused.
    loop {
        match next_event(&mut events).await {
            CloudEvent::Closed { reason } => {
                assert_eq!(
                    reason,
                    CloseReason::Refused {
                        status: http::StatusCode::UNAUTHORIZED
                    }
                );
                break;
            }
            CloudEvent::Set { name, value } => panic!("unexpected set {name} = {value}"),
            _ => {}
        }
    }
    // The log is empty.
    let kaku = logged_in(&sandbox, "kakurenbo").await;
    assert!(
        kaku.cloud_logs(PROJECT)
            .limit(5)
            .await
            .expect("logs")
            .items
            .is_empty()
    );
    // The room starts empty: a newcomer's snapshot holds only what was set after the reset.
    let (writer, mut writer_events) = kaku.cloud(PROJECT).await.expect("kakurenbo connects");
    assert_eq!(next_event(&mut writer_events).await, CloudEvent::Connected);
    writer.set("other", 1).expect("valid");
    writer.flush().await.expect("flushed");
    wait_for_log(&kaku, "1").await;
    let griff = logged_in(&sandbox, "griffpatch").await;
    let (reader, mut reader_events) = griff.cloud(PROJECT).await.expect("griffpatch connects");
    assert_eq!(
        next_set(&mut reader_events).await,
        ("other".into(), "1".into())
    );
    assert_eq!(reader.get("score"), None);
    writer.close();
    reader.close();
}
