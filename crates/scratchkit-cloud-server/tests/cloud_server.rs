//! The cloud WebSocket server, checked at the protocol level with a raw
//! tokio-tungstenite client on 127.0.0.1.

use std::time::Duration;

use futures_util::{FutureExt, SinkExt, StreamExt};
use scratchkit_cloud_server::{
    CloudMode, CloudOptions, CloudServer, InboundRate, OverLimit, serve_standalone,
};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Drives `future` under the paused clock, letting the I/O driver deliver bytes for a moment
/// before virtual time moves by `step` (real sockets are asynchronous). Assertions are on
/// virtual time only.
async fn settle_with<F: Future>(step: Duration, future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let deadline = Instant::now() + Duration::from_secs(300);
    while Instant::now() < deadline {
        let turn = std::time::Instant::now();
        loop {
            if let Some(output) = future.as_mut().now_or_never() {
                return output;
            }
            tokio::task::yield_now().await;
            if turn.elapsed() > std::time::Duration::from_micros(500) {
                break;
            }
        }
        tokio::time::sleep(step).await;
    }
    panic!("nothing happened within 300 s of virtual time");
}

async fn settle<F: Future>(future: F) -> F::Output {
    settle_with(Duration::from_millis(1), future).await
}

async fn server(options: CloudOptions) -> CloudServer {
    settle(serve_standalone("127.0.0.1:0".parse().unwrap(), options))
        .await
        .unwrap()
}

const SCRATCH_HEADERS: &[(&str, &str)] = &[
    ("Origin", "https://scratch.mit.edu"),
    ("Cookie", "scratchsessionsid=\"abc\""),
];
const TW_HEADERS: &[(&str, &str)] = &[("User-Agent", "tests/1.0 (scratchkit)")];

async fn try_open(url: &str, headers: &[(&str, &str)]) -> Result<Ws, tungstenite::Error> {
    let mut request = url.into_client_request().unwrap();
    for (name, value) in headers {
        request.headers_mut().insert(
            http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    settle(tokio_tungstenite::connect_async(request))
        .await
        .map(|(ws, _)| ws)
}

async fn open(url: &str, headers: &[(&str, &str)]) -> Ws {
    try_open(url, headers).await.unwrap()
}

async fn send(ws: &mut Ws, text: &str) {
    settle(ws.send(Message::text(text))).await.unwrap();
}

async fn handshake(ws: &mut Ws, user: &str, project: &str) {
    send(
        ws,
        &format!("{{\"method\":\"handshake\",\"user\":\"{user}\",\"project_id\":\"{project}\"}}\n"),
    )
    .await;
}

async fn join(url: &str, headers: &[(&str, &str)], user: &str, project: &str) -> Ws {
    let mut ws = open(url, headers).await;
    handshake(&mut ws, user, project).await;
    ws
}

fn set(name: &str, value: &str) -> String {
    format!("{{\"method\":\"set\",\"name\":\"☁ {name}\",\"value\":{value}}}\n")
}

/// The next text frame (pings and pongs skipped); `None` if the socket closed.
async fn recv_text(ws: &mut Ws) -> Option<String> {
    loop {
        match settle(ws.next()).await {
            Some(Ok(Message::Text(text))) => return Some(text.as_str().to_owned()),
            Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return None,
            Some(Ok(_)) => {}
        }
    }
}

/// Reads until the close frame; returns its code and the text frames seen before it.
async fn recv_close(ws: &mut Ws) -> (Option<u16>, Vec<String>) {
    let mut texts = Vec::new();
    loop {
        match settle(ws.next()).await {
            Some(Ok(Message::Text(text))) => texts.push(text.as_str().to_owned()),
            Some(Ok(Message::Close(frame))) => {
                return (frame.map(|frame| u16::from(frame.code)), texts);
            }
            Some(Ok(_)) => {}
            Some(Err(_)) | None => return (None, texts),
        }
    }
}

/// Asserts that no text frame arrives during `wait` of virtual time.
async fn assert_silent(ws: &mut Ws, wait: Duration) {
    let quiet = settle(tokio::time::timeout(wait, async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(text))) => return Some(text.as_str().to_owned()),
                Some(Ok(_)) => {}
                _ => return None,
            }
        }
    }))
    .await;
    assert!(
        matches!(quiet, Err(_) | Ok(None)),
        "unexpected frame {quiet:?}"
    );
}

fn lines(frame: &str) -> Vec<Value> {
    frame
        .split('\n')
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn tw_options() -> CloudOptions {
    CloudOptions::default()
}

// ---------------------------------------------------------------- Scratch mode: upgrade

#[tokio::test(start_paused = true)]
async fn scratch_mode_requires_origin_and_session_cookie() {
    let server = server(CloudOptions::default()).await;
    let url = server.scratch_url();
    let no_origin = try_open(&url, &[("Cookie", "scratchsessionsid=x")]).await;
    assert!(
        matches!(no_origin, Err(tungstenite::Error::Http(ref r)) if r.status() == 403),
        "{no_origin:?}"
    );
    let bad_origin = try_open(
        &url,
        &[
            ("Origin", "https://evil.example"),
            ("Cookie", "scratchsessionsid=x"),
        ],
    )
    .await;
    assert!(matches!(bad_origin, Err(tungstenite::Error::Http(ref r)) if r.status() == 403));
    let no_cookie = try_open(&url, &[("Origin", "https://scratch.mit.edu")]).await;
    assert!(matches!(no_cookie, Err(tungstenite::Error::Http(ref r)) if r.status() == 401));
    assert!(try_open(&url, SCRATCH_HEADERS).await.is_ok());
    // With a trailing slash too.
    assert!(try_open(&format!("{url}/"), SCRATCH_HEADERS).await.is_ok());
}

#[tokio::test(start_paused = true)]
async fn scratch_mode_binds_the_handshake_to_the_session_user() {
    let mut options = CloudOptions::default();
    options.scratch.session_validator = Some(std::sync::Arc::new(|headers: &http::HeaderMap| {
        let cookie = headers.get("cookie")?.to_str().ok()?;
        cookie
            .strip_prefix("scratchsessionsid=valid-")
            .map(str::to_owned)
    }));
    let server = server(options).await;
    let url = server.scratch_url();
    let refused = try_open(
        &url,
        &[
            ("Origin", "https://scratch.mit.edu"),
            ("Cookie", "scratchsessionsid=forged"),
        ],
    )
    .await;
    assert!(matches!(refused, Err(tungstenite::Error::Http(ref r)) if r.status() == 401));
    let headers = [
        ("Origin", "https://scratch.mit.edu"),
        ("Cookie", "scratchsessionsid=valid-alice"),
    ];
    let mut impostor = join(&url, &headers, "bob", "1").await;
    assert_eq!(recv_close(&mut impostor).await.0, Some(4002));
    let mut alice = join(&url, &headers, "Alice", "1").await;
    let mut other = join(&url, &headers, "alice", "1").await;
    send(&mut alice, &set("x", "1")).await;
    assert!(recv_text(&mut other).await.unwrap().contains("\"☁ x\""));
}

// ---------------------------------------------------------------- shared behaviour

#[tokio::test(start_paused = true)]
async fn broadcast_without_echo_and_only_within_the_room() {
    let server = server(CloudOptions::default()).await;
    let url = server.scratch_url();
    let mut a = join(&url, SCRATCH_HEADERS, "alice", "7").await;
    let mut b = join(&url, SCRATCH_HEADERS, "bob", "7").await;
    let mut elsewhere = join(&url, SCRATCH_HEADERS, "carol", "8").await;
    settle(async {
        while server.state().client_count(CloudMode::Scratch, "7") < 2 {
            tokio::task::yield_now().await;
        }
    })
    .await;
    send(&mut a, &set("score", "\"42\"")).await;
    let got = recv_text(&mut b).await.unwrap();
    assert_eq!(
        got,
        "{\"method\":\"set\",\"name\":\"☁ score\",\"value\":\"42\"}"
    );
    assert_silent(&mut a, Duration::from_millis(300)).await;
    assert_silent(&mut elsewhere, Duration::from_millis(300)).await;
}

#[tokio::test(start_paused = true)]
async fn join_snapshot_is_one_frame_in_creation_order() {
    let server = server(CloudOptions::default()).await;
    let url = server.turbowarp_url();
    let mut a = join(&url, TW_HEADERS, "alice", "1").await;
    send(&mut a, &set("b", "1")).await;
    send(&mut a, &set("a", "2")).await;
    send(&mut a, &set("b", "3")).await;
    settle(async {
        while server.state().variables(CloudMode::TurboWarp, "1").len() < 2
            || server.state().variables(CloudMode::TurboWarp, "1")[0].1 != "3"
        {
            tokio::task::yield_now().await;
        }
    })
    .await;
    let mut late = join(&url, TW_HEADERS, "bob", "1").await;
    let snapshot = recv_text(&mut late).await.unwrap();
    assert_eq!(
        snapshot,
        "{\"method\":\"set\",\"name\":\"☁ b\",\"value\":3}\n{\"method\":\"set\",\"name\":\"☁ a\",\"value\":2}"
    );
    // An empty room sends no snapshot.
    let mut empty = join(&url, TW_HEADERS, "carol", "2").await;
    assert_silent(&mut empty, Duration::from_millis(300)).await;
}

#[tokio::test(start_paused = true)]
async fn snapshot_can_be_switched_off() {
    let options = CloudOptions {
        send_snapshot: false,
        ..CloudOptions::default()
    };
    let server = server(options).await;
    let url = server.turbowarp_url();
    server
        .state()
        .set_variable(CloudMode::TurboWarp, "1", "☁ x", "5");
    let mut ws = join(&url, TW_HEADERS, "alice", "1").await;
    assert_silent(&mut ws, Duration::from_millis(300)).await;
}

#[tokio::test(start_paused = true)]
async fn several_messages_per_frame_are_applied_in_order() {
    let server = server(CloudOptions::default()).await;
    let url = server.turbowarp_url();
    let mut a = open(&url, TW_HEADERS).await;
    let mut b = join(&url, TW_HEADERS, "bob", "1").await;
    let frame = format!(
        "{{\"method\":\"handshake\",\"user\":\"alice\",\"project_id\":1}}\n{}{}\n{}",
        set("x", "1"),
        set("y", "2"),
        set("x", "3")
    );
    send(&mut a, &frame).await;
    let mut received = Vec::new();
    while received.len() < 3 {
        let frame = recv_text(&mut b).await.unwrap();
        received.extend(lines(&frame));
    }
    let values: Vec<(String, String)> = received
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap().to_owned(),
                m["value"].to_string(),
            )
        })
        .collect();
    assert_eq!(
        values,
        [
            ("☁ x".to_owned(), "1".to_owned()),
            ("☁ y".to_owned(), "2".to_owned()),
            ("☁ x".to_owned(), "3".to_owned())
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn strict_framing_refuses_multi_message_frames() {
    let options = CloudOptions {
        split_frames: false,
        ..CloudOptions::default()
    };
    let server = server(options).await;
    let mut ws = join(&server.turbowarp_url(), TW_HEADERS, "alice", "1").await;
    send(&mut ws, &format!("{}{}", set("x", "1"), set("y", "2"))).await;
    assert_eq!(recv_close(&mut ws).await.0, Some(4000));
}

#[tokio::test(start_paused = true)]
async fn numbers_are_reserialised_the_javascript_way_and_strings_kept() {
    let server = server(CloudOptions::default()).await;
    let url = server.turbowarp_url();
    let mut a = join(&url, TW_HEADERS, "alice", "1").await;
    let mut b = join(&url, TW_HEADERS, "bob", "1").await;
    let cases = [
        ("1E5", "100000"),
        ("1.50", "1.5"),
        ("-0", "0"),
        ("1e21", "1e+21"),
        ("0.0000001", "1e-7"),
        ("9007199254740993", "9007199254740992"),
        ("\"007\"", "\"007\""),
    ];
    for (sent, want) in cases {
        send(&mut a, &set("n", sent)).await;
        let got = recv_text(&mut b).await.unwrap();
        assert_eq!(
            got,
            format!("{{\"method\":\"set\",\"name\":\"☁ n\",\"value\":{want}}}"),
            "{sent}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn invalid_values_are_dropped_silently() {
    let server = server(CloudOptions::default()).await;
    let url = server.scratch_url();
    let mut a = join(&url, SCRATCH_HEADERS, "alice", "1").await;
    let mut b = join(&url, SCRATCH_HEADERS, "bob", "1").await;
    let long = format!("\"{}\"", "1".repeat(257));
    for bad in [
        "\"hello\"",
        "\"1e5\"",
        "true",
        "null",
        "[1]",
        "{}",
        "\"+1\"",
        long.as_str(),
    ] {
        send(&mut a, &set("x", bad)).await;
    }
    // No prefix: dropped in Scratch mode.
    send(&mut a, "{\"method\":\"set\",\"name\":\"x\",\"value\":1}").await;
    send(&mut a, &set("x", &format!("\"{}\"", "1".repeat(256)))).await;
    let got = lines(&recv_text(&mut b).await.unwrap());
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["value"].as_str().unwrap().len(), 256);
    assert_eq!(server.state().logs("1", 100, 0).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn protocol_violations_close_with_4000() {
    let server = server(CloudOptions::default()).await;
    let url = server.turbowarp_url();
    let handshake = "{\"method\":\"handshake\",\"user\":\"alice\",\"project_id\":\"1\"}";
    let cases: Vec<Vec<&str>> = vec![
        vec!["not json"],
        vec!["[1,2]"],
        vec!["{\"method\":5}"],
        vec!["{\"user\":\"x\"}"],
        vec!["{\"method\":\"set\",\"name\":\"☁ x\",\"value\":1}"], // before the handshake
        vec![handshake, handshake],
        vec![handshake, "{\"method\":\"get\",\"name\":\"☁ x\"}"],
        vec!["{\"method\":\"handshake\",\"user\":\"alice\",\"project_id\":\"\"}"],
        vec!["{\"method\":\"handshake\",\"user\":\"alice\"}"],
    ];
    for frames in cases {
        let mut ws = open(&url, TW_HEADERS).await;
        for frame in &frames {
            send(&mut ws, frame).await;
        }
        assert_eq!(recv_close(&mut ws).await.0, Some(4000), "{frames:?}");
    }
    let long_room = format!(
        "{{\"method\":\"handshake\",\"user\":\"alice\",\"project_id\":\"{}\"}}",
        "9".repeat(1000)
    );
    let mut ws = open(&url, TW_HEADERS).await;
    send(&mut ws, &long_room).await;
    assert_eq!(recv_close(&mut ws).await.0, Some(4000));
}

#[tokio::test(start_paused = true)]
async fn binary_frames_are_ignored() {
    let server = server(CloudOptions::default()).await;
    let url = server.turbowarp_url();
    let mut a = join(&url, TW_HEADERS, "alice", "1").await;
    let mut b = join(&url, TW_HEADERS, "bob", "1").await;
    settle(a.send(Message::binary(b"garbage".to_vec())))
        .await
        .unwrap();
    send(&mut a, &set("x", "1")).await;
    assert!(recv_text(&mut b).await.unwrap().contains("\"☁ x\""));
}

// ---------------------------------------------------------------- TurboWarp mode

#[tokio::test(start_paused = true)]
async fn turbowarp_refuses_a_scratch_cookie_with_4005() {
    let server = server(tw_options()).await;
    let mut ws = open(
        &server.turbowarp_url(),
        &[
            ("User-Agent", "x"),
            ("Cookie", "a=b; scratchsessionsid=secret"),
        ],
    )
    .await;
    let (code, texts) = recv_close(&mut ws).await;
    assert_eq!(code, Some(4005));
    assert_eq!(texts.len(), 1, "one explanation frame first");
    assert!(serde_json::from_str::<Value>(&texts[0]).is_err());
}

#[tokio::test(start_paused = true)]
async fn turbowarp_requires_a_user_agent_with_4006_unless_disabled() {
    let server = server(tw_options()).await;
    let mut ws = open(&server.turbowarp_url(), &[]).await;
    let (code, texts) = recv_close(&mut ws).await;
    assert_eq!(code, Some(4006));
    assert_eq!(texts.len(), 1);

    let mut options = tw_options();
    options.turbowarp.require_user_agent = false;
    let lenient = self::server(options).await;
    let mut ws = join(&lenient.turbowarp_url(), &[], "alice", "1").await;
    let mut other = join(&lenient.turbowarp_url(), &[], "bob", "1").await;
    send(&mut ws, &set("x", "1")).await;
    assert!(recv_text(&mut other).await.is_some());
}

#[tokio::test(start_paused = true)]
async fn turbowarp_username_rules_close_with_4002() {
    let server = server(tw_options()).await;
    let url = server.turbowarp_url();
    for user in ["", "has space", "ü", "a_very_long_username_x", "scratchcat"] {
        let mut ws = join(&url, TW_HEADERS, user, "1").await;
        assert_eq!(recv_close(&mut ws).await.0, Some(4002), "{user:?}");
    }
    let mut ws = open(&url, TW_HEADERS).await;
    send(
        &mut ws,
        "{\"method\":\"handshake\",\"user\":5,\"project_id\":\"1\"}",
    )
    .await;
    assert_eq!(recv_close(&mut ws).await.0, Some(4002));
    // Valid names, duplicates allowed.
    let mut one = join(&url, TW_HEADERS, "player_1-x", "1").await;
    let mut two = join(&url, TW_HEADERS, "player_1-x", "1").await;
    send(&mut one, &set("x", "1")).await;
    assert!(recv_text(&mut two).await.is_some());
}

#[tokio::test(start_paused = true)]
async fn project_validator_closes_with_4004() {
    let mut options = tw_options();
    options.project_validator = Some(std::sync::Arc::new(|project: &str| project != "666"));
    let server = server(options).await;
    let mut ws = join(&server.turbowarp_url(), TW_HEADERS, "alice", "666").await;
    assert_eq!(recv_close(&mut ws).await.0, Some(4004));
    let mut ws = join(&server.scratch_url(), SCRATCH_HEADERS, "alice", "666").await;
    assert_eq!(recv_close(&mut ws).await.0, Some(4004));
}

#[tokio::test(start_paused = true)]
async fn too_many_rooms_close_with_4003_and_full_rooms_with_4000() {
    let mut options = tw_options();
    options.max_rooms = 1;
    options.max_clients_per_room = 2;
    let server = server(options).await;
    let url = server.turbowarp_url();
    let mut first = join(&url, TW_HEADERS, "a", "1").await;
    let mut second = join(&url, TW_HEADERS, "b", "1").await;
    settle(async {
        while server.state().client_count(CloudMode::TurboWarp, "1") < 2 {
            tokio::task::yield_now().await;
        }
    })
    .await;
    let mut third = join(&url, TW_HEADERS, "c", "1").await;
    assert_eq!(recv_close(&mut third).await.0, Some(4000));
    let mut other_room = join(&url, TW_HEADERS, "d", "2").await;
    assert_eq!(recv_close(&mut other_room).await.0, Some(4003));
    send(&mut first, &set("x", "1")).await;
    assert!(recv_text(&mut second).await.is_some());
}

#[tokio::test(start_paused = true)]
async fn turbowarp_limits_values_and_variables() {
    let server = server(tw_options()).await;
    let url = server.turbowarp_url();
    let mut a = join(&url, TW_HEADERS, "alice", "1").await;
    let mut b = join(&url, TW_HEADERS, "bob", "1").await;
    // 100 000 characters pass, 100 001 are dropped.
    send(&mut a, &set("big", &format!("\"{}\"", "7".repeat(100_001)))).await;
    send(&mut a, &set("big", &format!("\"{}\"", "7".repeat(100_000)))).await;
    let got = lines(&recv_text(&mut b).await.unwrap());
    assert_eq!(got[0]["value"].as_str().unwrap().len(), 100_000);
    // Names need no prefix in TurboWarp mode.
    send(
        &mut a,
        "{\"method\":\"set\",\"name\":\"plain\",\"value\":1}",
    )
    .await;
    assert!(recv_text(&mut b).await.unwrap().contains("\"plain\""));
    // 128 variables (2 exist already); the 129th closes the sender with 4000.
    let frame: String = (0..126).map(|i| set(&format!("v{i}"), "1")).collect();
    send(&mut a, &frame).await;
    settle(async {
        while server.state().variables(CloudMode::TurboWarp, "1").len() < 128 {
            tokio::task::yield_now().await;
        }
    })
    .await;
    send(&mut a, &set("one_too_many", "1")).await;
    assert_eq!(recv_close(&mut a).await.0, Some(4000));
    assert_eq!(
        server.state().variables(CloudMode::TurboWarp, "1").len(),
        128
    );
}

#[tokio::test(start_paused = true)]
async fn turbowarp_ignores_rename_and_delete_and_keeps_no_logs() {
    let server = server(tw_options()).await;
    let url = server.turbowarp_url();
    let mut a = join(&url, TW_HEADERS, "alice", "1").await;
    let mut b = join(&url, TW_HEADERS, "bob", "1").await;
    send(&mut a, &set("x", "1")).await;
    send(
        &mut a,
        "{\"method\":\"rename\",\"name\":\"☁ x\",\"new_name\":\"☁ y\"}",
    )
    .await;
    send(&mut a, "{\"method\":\"delete\",\"name\":\"☁ x\"}").await;
    send(&mut a, &set("z", "2")).await;
    let mut seen = Vec::new();
    while seen.len() < 2 {
        seen.extend(lines(&recv_text(&mut b).await.unwrap()));
    }
    let names: Vec<(String, String)> = server.state().variables(CloudMode::TurboWarp, "1");
    assert_eq!(
        names,
        [("☁ x".into(), "1".into()), ("☁ z".into(), "2".into())]
    );
    assert!(server.state().logs("1", 100, 0).is_empty());
}

// ---------------------------------------------------------------- Scratch mode rules

#[tokio::test(start_paused = true)]
async fn scratch_mode_drops_sets_beyond_ten_variables() {
    let server = server(CloudOptions::default()).await;
    let url = server.scratch_url();
    let mut a = join(&url, SCRATCH_HEADERS, "alice", "1").await;
    let frame: String = (0..11).map(|i| set(&format!("v{i}"), "1")).collect();
    send(&mut a, &frame).await;
    send(&mut a, &set("v0", "2")).await;
    settle(async {
        while server.state().logs("1", 100, 0).len() < 11 {
            tokio::task::yield_now().await;
        }
    })
    .await;
    let vars = server.state().variables(CloudMode::Scratch, "1");
    assert_eq!(vars.len(), 10);
    assert!(!vars.iter().any(|(name, _)| name == "☁ v10"));
    assert_eq!(vars[0].1, "2");
    // The connection stays open.
    let mut b = join(&url, SCRATCH_HEADERS, "bob", "1").await;
    assert_eq!(lines(&recv_text(&mut b).await.unwrap()).len(), 10);
}

#[tokio::test(start_paused = true)]
async fn scratch_mode_rate_limit_drops_the_excess() {
    let server = server(CloudOptions::default()).await;
    let url = server.scratch_url();
    let mut a = join(&url, SCRATCH_HEADERS, "alice", "1").await;
    let frame: String = (0..20).map(|i| set("x", &i.to_string())).collect();
    send(&mut a, &frame).await;
    settle(async {
        while server.state().logs("1", 100, 0).len() < 15 {
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert_silent(&mut a, Duration::from_millis(50)).await;
    assert_eq!(server.state().logs("1", 100, 0).len(), 15, "burst of 15");
    // One second later, the bucket has refilled.
    settle(tokio::time::sleep(Duration::from_secs(1))).await;
    send(&mut a, &set("x", "99")).await;
    settle(async {
        while server.state().logs("1", 100, 0).len() < 16 {
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert_eq!(server.state().logs("1", 1, 0)[0].value, "99");
}

#[tokio::test(start_paused = true)]
async fn scratch_mode_rate_limit_can_close_with_4000() {
    let mut options = CloudOptions::default();
    options.scratch.rate = Some(InboundRate {
        per_second: 10.0,
        burst: 3,
    });
    options.scratch.over_limit = OverLimit::Close;
    let server = server(options).await;
    let mut a = join(&server.scratch_url(), SCRATCH_HEADERS, "alice", "1").await;
    let frame: String = (0..5).map(|i| set("x", &i.to_string())).collect();
    send(&mut a, &frame).await;
    assert_eq!(recv_close(&mut a).await.0, Some(4000));
    assert_eq!(server.state().logs("1", 100, 0).len(), 3);
}

#[tokio::test(start_paused = true)]
async fn logs_have_the_real_shape_newest_first_and_page() {
    let server = server(CloudOptions::default()).await;
    let url = server.scratch_url();
    let mut a = join(&url, SCRATCH_HEADERS, "alice", "5").await;
    send(&mut a, &set("a", "1")).await;
    send(
        &mut a,
        "{\"method\":\"create\",\"name\":\"☁ b\",\"value\":2.50}",
    )
    .await;
    send(
        &mut a,
        "{\"method\":\"rename\",\"name\":\"☁ b\",\"new_name\":\"☁ c\"}",
    )
    .await;
    send(&mut a, "{\"method\":\"delete\",\"name\":\"☁ a\"}").await;
    send(&mut a, "{\"method\":\"delete\",\"name\":\"☁ unknown\"}").await;
    let state = server.state().clone();
    settle(async {
        while state.logs("5", 100, 0).len() < 4 {
            tokio::task::yield_now().await;
        }
    })
    .await;
    let logs = state.logs("5", 100, 0);
    let verbs: Vec<&str> = logs.iter().map(|row| row.verb.as_str()).collect();
    assert_eq!(verbs, ["del_var", "rename_var", "create_var", "set_var"]);
    assert_eq!(logs[1].name, "☁ c");
    assert_eq!(logs[1].value, "☁ b");
    assert_eq!(logs[2].value, "2.5");
    assert_eq!(logs[3].user, "alice");
    assert!(logs.windows(2).all(|w| w[0].timestamp >= w[1].timestamp));
    assert_eq!(state.logs("5", 2, 1), logs[1..3].to_vec());
    assert!(state.logs("5", 10, 10).is_empty());
    assert_eq!(
        state.variables(CloudMode::Scratch, "5"),
        [("☁ c".to_owned(), "2.5".to_owned())]
    );

    // Same keys and JSON types as the real fixture.
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/real/clouddata_logs_entry.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let ours = serde_json::to_value(&logs[3]).unwrap();
    let shape = |v: &Value| -> Vec<(String, &'static str)> {
        let mut keys: Vec<(String, &'static str)> = v
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| {
                let kind = match v {
                    Value::String(_) => "string",
                    Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
                    Value::Number(_) => "float",
                    _ => "other",
                };
                (k.clone(), kind)
            })
            .collect();
        keys.sort();
        keys
    };
    assert_eq!(shape(&ours), shape(&fixture));
}

#[tokio::test(start_paused = true)]
async fn log_limit_is_capped_at_100() {
    let server = server(CloudOptions::default()).await;
    let state = server.state();
    for i in 0..150 {
        state.store().append_log(
            "9",
            scratchkit_cloud_server::LogEntry {
                user: "u".into(),
                verb: "set_var".into(),
                name: "☁ x".into(),
                value: i.to_string(),
                timestamp: i,
            },
        );
    }
    let page = state.logs("9", 1000, 0);
    assert_eq!(page.len(), 100);
    assert_eq!(page[0].value, "149");
}

// ---------------------------------------------------------------- keepalive and faults

#[tokio::test(start_paused = true)]
async fn silent_sockets_that_never_handshake_are_dropped() {
    let server = server(tw_options()).await;
    let mut ws = open(&server.turbowarp_url(), TW_HEADERS).await;
    let start = Instant::now();
    let end = settle_with(Duration::from_millis(100), async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
                Some(Ok(_)) => {}
            }
        }
    });
    end.await;
    let elapsed = start.elapsed();
    assert!(
        elapsed >= Duration::from_secs(30) && elapsed < Duration::from_secs(61),
        "{elapsed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn clients_that_answer_pings_stay_and_others_are_dropped() {
    let server = server(tw_options()).await;
    let url = server.turbowarp_url();
    let mut alive = join(&url, TW_HEADERS, "alive", "1").await;
    let mut deaf = join(&url, TW_HEADERS, "deaf", "1").await;
    settle(async {
        while server.state().client_count(CloudMode::TurboWarp, "1") < 2 {
            tokio::task::yield_now().await;
        }
    })
    .await;
    // `alive` keeps reading (and so answers pings) for 100 s; `deaf` never reads.
    let mut pings = 0;
    let start = Instant::now();
    settle_with(Duration::from_millis(100), async {
        while start.elapsed() < Duration::from_secs(100) {
            if let Ok(Some(Ok(Message::Ping(_)))) =
                tokio::time::timeout(Duration::from_secs(1), alive.next()).await
            {
                pings += 1;
            }
        }
    })
    .await;
    assert!(pings >= 3, "{pings} pings");
    assert_eq!(server.state().client_count(CloudMode::TurboWarp, "1"), 1);
    let (code, _) = recv_close(&mut deaf).await;
    assert_eq!(code, None, "dropped without a close frame");
}

#[tokio::test(start_paused = true)]
async fn disconnect_drops_connections_for_fault_injection() {
    let server = server(tw_options()).await;
    let url = server.turbowarp_url();
    let mut a = join(&url, TW_HEADERS, "alice", "1").await;
    let mut b = join(&url, TW_HEADERS, "bob", "1").await;
    settle(async {
        while server.state().client_count(CloudMode::TurboWarp, "1") < 2 {
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert_eq!(
        server
            .state()
            .disconnect(CloudMode::TurboWarp, "1", Some("alice")),
        1
    );
    assert_eq!(recv_close(&mut a).await.0, None);
    send(&mut b, &set("x", "1")).await;
    settle(async {
        while server.state().client_count(CloudMode::TurboWarp, "1") > 1 {
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert_eq!(server.state().client_count(CloudMode::TurboWarp, "1"), 1);
}

// ---------------------------------------------------------------- room expiry and reset

/// Waits until a room has no clients left (the server noticed the close).
async fn wait_empty(server: &CloudServer, mode: CloudMode, project: &str) {
    settle(async {
        while server.state().client_count(mode, project) > 0 {
            tokio::task::yield_now().await;
        }
    })
    .await;
}

/// Waits until a room stores `name` (full name) with `value`.
async fn wait_value(server: &CloudServer, mode: CloudMode, project: &str, name: &str, value: &str) {
    settle(async {
        while !server
            .state()
            .variables(mode, project)
            .iter()
            .any(|(n, v)| n == name && v == value)
        {
            tokio::task::yield_now().await;
        }
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn empty_turbowarp_rooms_expire_after_an_hour_unless_someone_joins() {
    assert_eq!(
        CloudOptions::default().turbowarp.room_expiry,
        Some(Duration::from_secs(3600))
    );
    let server = server(tw_options()).await;
    let url = server.turbowarp_url();
    let mut alice = join(&url, TW_HEADERS, "alice", "1").await;
    send(&mut alice, &set("x", "5")).await;
    wait_value(&server, CloudMode::TurboWarp, "1", "☁ x", "5").await;
    settle(alice.close(None)).await.unwrap();
    wait_empty(&server, CloudMode::TurboWarp, "1").await;

    // 59 minutes later the value is still there, and a newcomer gets it.
    tokio::time::sleep(Duration::from_secs(59 * 60)).await;
    assert_eq!(server.state().variables(CloudMode::TurboWarp, "1").len(), 1);
    let mut bob = join(&url, TW_HEADERS, "bob", "1").await;
    let snapshot = recv_text(&mut bob).await.unwrap();
    assert_eq!(
        snapshot,
        "{\"method\":\"set\",\"name\":\"☁ x\",\"value\":5}"
    );
    settle(bob.close(None)).await.unwrap();
    wait_empty(&server, CloudMode::TurboWarp, "1").await;

    // Bob's visit restarted the clock: the first expiry (60 min after Alice left) passes by.
    tokio::time::sleep(Duration::from_secs(59 * 60)).await;
    assert_eq!(server.state().variables(CloudMode::TurboWarp, "1").len(), 1);
    // One hour after Bob left, the room is gone.
    tokio::time::sleep(Duration::from_secs(2 * 60)).await;
    settle(async {
        while !server
            .state()
            .variables(CloudMode::TurboWarp, "1")
            .is_empty()
        {
            tokio::task::yield_now().await;
        }
    })
    .await;
    let mut carol = join(&url, TW_HEADERS, "carol", "1").await;
    assert_silent(&mut carol, Duration::from_millis(300)).await;
}

#[tokio::test(start_paused = true)]
async fn occupied_rooms_scratch_rooms_and_unexpiring_rooms_keep_their_values() {
    let mut options = tw_options();
    options.turbowarp.room_expiry = Some(Duration::from_secs(60));
    let server = server(options).await;
    let tw = server.turbowarp_url();
    // An occupied TurboWarp room never expires.
    let mut stay = join(&tw, TW_HEADERS, "alice", "busy").await;
    send(&mut stay, &set("a", "1")).await;
    wait_value(&server, CloudMode::TurboWarp, "busy", "☁ a", "1").await;
    // A Scratch room keeps its values when empty (Scratch persists cloud data).
    let mut scratch = join(&server.scratch_url(), SCRATCH_HEADERS, "bob", "7").await;
    send(&mut scratch, &set("b", "2")).await;
    wait_value(&server, CloudMode::Scratch, "7", "☁ b", "2").await;
    settle(scratch.close(None)).await.unwrap();
    wait_empty(&server, CloudMode::Scratch, "7").await;
    // A TurboWarp room left empty expires after the configured minute.
    let mut gone = join(&tw, TW_HEADERS, "carol", "gone").await;
    send(&mut gone, &set("c", "3")).await;
    wait_value(&server, CloudMode::TurboWarp, "gone", "☁ c", "3").await;
    settle(gone.close(None)).await.unwrap();
    wait_empty(&server, CloudMode::TurboWarp, "gone").await;

    // Four minutes pass; Alice keeps reading (and so answers the server's pings).
    let heard = settle_with(
        Duration::from_secs(1),
        tokio::time::timeout(Duration::from_secs(4 * 60), async {
            loop {
                match stay.next().await {
                    Some(Ok(Message::Text(text))) => return Some(text.as_str().to_owned()),
                    Some(Ok(_)) => {}
                    _ => return None,
                }
            }
        }),
    )
    .await;
    assert!(
        heard.is_err(),
        "Alice stays connected and hears nothing: {heard:?}"
    );
    assert_eq!(server.state().client_count(CloudMode::TurboWarp, "busy"), 1);
    settle(async {
        while !server
            .state()
            .variables(CloudMode::TurboWarp, "gone")
            .is_empty()
        {
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert_eq!(
        server.state().variables(CloudMode::TurboWarp, "busy"),
        vec![("☁ a".to_owned(), "1".to_owned())]
    );
    assert_eq!(
        server.state().variables(CloudMode::Scratch, "7"),
        vec![("☁ b".to_owned(), "2".to_owned())]
    );

    // With expiry switched off, an empty room keeps its values.
    let mut options = tw_options();
    options.turbowarp.room_expiry = None;
    let keeper = self::server(options).await;
    let mut ws = join(&keeper.turbowarp_url(), TW_HEADERS, "dave", "1").await;
    send(&mut ws, &set("d", "4")).await;
    wait_value(&keeper, CloudMode::TurboWarp, "1", "☁ d", "4").await;
    settle(ws.close(None)).await.unwrap();
    wait_empty(&keeper, CloudMode::TurboWarp, "1").await;
    tokio::time::sleep(Duration::from_secs(24 * 3600)).await;
    assert_eq!(keeper.state().variables(CloudMode::TurboWarp, "1").len(), 1);
}

#[tokio::test(start_paused = true)]
async fn reset_forgets_values_and_logs_and_drops_connections() {
    let server = server(CloudOptions::default()).await;
    let mut tw = join(&server.turbowarp_url(), TW_HEADERS, "alice", "1").await;
    send(&mut tw, &set("a", "1")).await;
    let mut scratch = join(&server.scratch_url(), SCRATCH_HEADERS, "bob", "7").await;
    send(&mut scratch, &set("b", "2")).await;
    wait_value(&server, CloudMode::TurboWarp, "1", "☁ a", "1").await;
    wait_value(&server, CloudMode::Scratch, "7", "☁ b", "2").await;
    assert_eq!(server.state().logs("7", 10, 0).len(), 1);

    assert_eq!(server.state().reset(), 2);
    assert!(
        server
            .state()
            .variables(CloudMode::TurboWarp, "1")
            .is_empty()
    );
    assert!(server.state().variables(CloudMode::Scratch, "7").is_empty());
    assert!(server.state().logs("7", 10, 0).is_empty());
    // Both sockets are dropped (no close frame, as a crash would).
    assert_eq!(recv_close(&mut tw).await.0, None);
    assert_eq!(recv_close(&mut scratch).await.0, None);
    // A newcomer finds an empty room.
    let mut again = join(&server.turbowarp_url(), TW_HEADERS, "carol", "1").await;
    assert_silent(&mut again, Duration::from_millis(300)).await;
}
