//! The reconnecting cloud connection against a scripted WebSocket server on 127.0.0.1.
//! (End-to-end tests against the sandbox's real cloud server live in the sandbox crate.)
#![cfg(feature = "cloud")]

use std::time::Duration;

use futures_util::{FutureExt, SinkExt, StreamExt};
use scratchkit::cloud::{
    CloseReason, CloudConfig, CloudConnection, CloudError, CloudEvent, CloudEvents, CloudRules,
    Keepalive, RateLimit, ReconnectPolicy, ValidationError,
};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

type Ws = WebSocketStream<TcpStream>;

/// An accepted connection: its upgrade headers and socket.
struct Accepted {
    headers: http::HeaderMap,
    ws: Ws,
}

/// A server that hands every accepted WebSocket to the test.
// tungstenite's header callback must return its large `ErrorResponse` type.
#[allow(clippy::result_large_err)]
async fn mock_server() -> (String, mpsc::UnboundedReceiver<Accepted>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (htx, hrx) = std::sync::mpsc::channel();
                let callback = move |request: &Request, response: Response| {
                    let _ = htx.send(request.headers().clone());
                    Ok(response)
                };
                if let Ok(ws) = tokio_tungstenite::accept_hdr_async(tcp, callback).await {
                    let headers = hrx.recv().unwrap_or_default();
                    let _ = tx.send(Accepted { headers, ws });
                }
            });
        }
    });
    (url, rx)
}

fn fast_reconnect() -> ReconnectPolicy {
    ReconnectPolicy {
        base: Duration::from_millis(100),
        cap: Duration::from_secs(1),
        jitter: false,
    }
}

fn config(url: &str) -> CloudConfig {
    CloudConfig::custom(url, 1234, "griffpatch", CloudRules::Scratch)
        .with_reconnect(fast_reconnect())
}

/// Drives `future` under the paused clock. Real sockets deliver data asynchronously, so the
/// clock must not run ahead while bytes are in flight: poll the future, give the I/O driver
/// turns for a moment, and only then let virtual time move by `step`. Assertions are on
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

async fn next_text(ws: &mut Ws) -> String {
    loop {
        let message = settle(ws.next())
            .await
            .expect("the socket is open")
            .expect("a valid frame");
        if let Message::Text(text) = message {
            return text.as_str().to_owned();
        }
    }
}

async fn next_event(events: &mut CloudEvents) -> CloudEvent {
    settle(events.next()).await.expect("the stream is open")
}

async fn accept(rx: &mut mpsc::UnboundedReceiver<Accepted>) -> Accepted {
    settle(rx.recv()).await.expect("the server runs")
}

#[tokio::test(start_paused = true)]
async fn scratch_preset_sends_cookie_origin_and_the_handshake() {
    let (url, mut server) = mock_server().await;
    let config = CloudConfig::scratch(1234, "griffpatch", "sess-secret").with_url(&url);
    let (sender, mut events) = settle(CloudConnection::connect(config)).await.unwrap();
    let mut conn = accept(&mut server).await;
    assert_eq!(
        conn.headers["cookie"].to_str().unwrap(),
        "scratchsessionsid=sess-secret"
    );
    assert_eq!(conn.headers["origin"], "https://scratch.mit.edu");
    assert!(
        conn.headers["user-agent"]
            .to_str()
            .unwrap()
            .starts_with("scratchkit/")
    );
    assert_eq!(
        next_text(&mut conn.ws).await,
        "{\"method\":\"handshake\",\"user\":\"griffpatch\",\"project_id\":\"1234\"}\n"
    );
    assert_eq!(next_event(&mut events).await, CloudEvent::Connected);
    assert!(sender.is_connected());
    assert!(!format!("{sender:?}").contains("sess-secret"));
}

#[tokio::test(start_paused = true)]
async fn turbowarp_preset_sends_no_cookie_and_the_user_agent() {
    let (url, mut server) = mock_server().await;
    let config = CloudConfig::turbowarp(99, "player", "bot/1.0 (me@example.com)").with_url(&url);
    let (_sender, _events) = settle(CloudConnection::connect(config)).await.unwrap();
    let conn = accept(&mut server).await;
    assert!(conn.headers.get("cookie").is_none());
    assert!(conn.headers.get("origin").is_none());
    assert_eq!(conn.headers["user-agent"], "bot/1.0 (me@example.com)");
}

#[tokio::test(start_paused = true)]
async fn extra_headers_reach_the_server_and_bad_ones_are_refused() {
    let (url, mut server) = mock_server().await;
    let config = CloudConfig::turbowarp(99, "player", "bot/1.0 (me@example.com)")
        .with_url(&url)
        .with_header("X-Room-Key", "k-123")
        .with_header("Origin", "https://example.org");
    let (_sender, _events) = settle(CloudConnection::connect(config)).await.unwrap();
    let conn = accept(&mut server).await;
    assert_eq!(conn.headers["x-room-key"], "k-123");
    assert_eq!(conn.headers["origin"], "https://example.org");

    let bad = CloudConfig::turbowarp(99, "player", "bot/1.0")
        .with_url(&url)
        .with_header("Bad Name", "x");
    let err = settle(CloudConnection::connect(bad)).await.unwrap_err();
    assert!(matches!(err, CloudError::Config(_)), "{err:?}");
}

#[tokio::test(start_paused = true)]
async fn join_snapshot_seeds_values_and_junk_lines_are_skipped() {
    let (url, mut server) = mock_server().await;
    let (sender, mut events) = settle(CloudConnection::connect(config(&url)))
        .await
        .unwrap();
    let mut conn = accept(&mut server).await;
    next_text(&mut conn.ws).await; // handshake
    conn.ws
        .send(Message::text(
            "{\"method\":\"set\",\"name\":\"☁ a\",\"value\":\"1\"}\nWelcome!\n\n{\"method\":\"set\",\"name\":\"☁ b\",\"value\":1E5}",
        ))
        .await
        .unwrap();
    assert_eq!(next_event(&mut events).await, CloudEvent::Connected);
    assert_eq!(
        next_event(&mut events).await,
        CloudEvent::Set {
            name: "a".into(),
            value: "1".into()
        }
    );
    assert_eq!(
        next_event(&mut events).await,
        CloudEvent::Set {
            name: "b".into(),
            value: "100000".into()
        }
    );
    assert_eq!(sender.get("☁ b").as_deref(), Some("100000"));
    assert_eq!(sender.get("a").as_deref(), Some("1"));
    assert_eq!(sender.values().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn sets_are_validated_before_sending() {
    let (url, mut server) = mock_server().await;
    let (sender, _events) = settle(CloudConnection::connect(config(&url)))
        .await
        .unwrap();
    let _conn = accept(&mut server).await;
    assert!(matches!(
        sender.set("x", "hello"),
        Err(CloudError::Invalid(ValidationError::NotNumeric { .. }))
    ));
    assert!(matches!(
        sender.set("x", "1".repeat(257)),
        Err(CloudError::Invalid(ValidationError::ValueTooLong {
            len: 257,
            max: 256
        }))
    ));
    assert!(matches!(
        sender.set("☁ ", 1),
        Err(CloudError::Invalid(ValidationError::BadName { .. }))
    ));
    for i in 0..10 {
        sender.set(&format!("v{i}"), i).unwrap();
    }
    assert!(matches!(
        sender.set("v10", 1),
        Err(CloudError::Invalid(ValidationError::TooManyVariables {
            max: 10
        }))
    ));
    // Existing variables can still be set.
    sender.set("v3", 33).unwrap();
    assert!(sender.set_many(&[("v1", "1"), ("new", "oops")]).is_err());
    assert_eq!(sender.get("v3").as_deref(), Some("33"));
}

#[tokio::test(start_paused = true)]
async fn sets_are_paced_by_the_token_bucket() {
    let (url, mut server) = mock_server().await;
    let config = config(&url).with_rate_limit(RateLimit::new(10.0, 3));
    let (sender, _events) = settle(CloudConnection::connect(config)).await.unwrap();
    let mut conn = accept(&mut server).await;
    next_text(&mut conn.ws).await; // handshake
    for i in 0..6 {
        sender.set(&format!("v{i}"), i).unwrap();
    }
    let start = Instant::now();
    let mut arrivals = Vec::new();
    for i in 0..6 {
        let text = next_text(&mut conn.ws).await;
        assert!(text.contains(&format!("\"☁ v{i}\"")), "{text}");
        assert_eq!(text.matches('\n').count(), 1, "one message per frame");
        arrivals.push(start.elapsed());
    }
    // Burst of 3, then one every 100 ms (the burst itself is checked in cloud_throttle.rs).
    assert!(arrivals[3] >= Duration::from_millis(100), "{arrivals:?}");
    assert!(arrivals[4] >= Duration::from_millis(200), "{arrivals:?}");
    assert!(arrivals[5] >= Duration::from_millis(300), "{arrivals:?}");
    settle(sender.flush()).await.unwrap();
    assert_eq!(sender.pending(), 0);
}

#[tokio::test(start_paused = true)]
async fn set_many_sends_one_frame() {
    let (url, mut server) = mock_server().await;
    let (sender, _events) = settle(CloudConnection::connect(config(&url)))
        .await
        .unwrap();
    let mut conn = accept(&mut server).await;
    next_text(&mut conn.ws).await;
    sender.set_many(&[("a", 1), ("b", 2), ("c", 3)]).unwrap();
    let frame = next_text(&mut conn.ws).await;
    let lines: Vec<&str> = frame.lines().collect();
    assert_eq!(lines.len(), 3, "{frame}");
    assert!(lines[2].contains("\"☁ c\"") && lines[2].contains("\"3\""));
}

#[tokio::test(start_paused = true)]
async fn create_rename_delete_are_sent_in_order() {
    let (url, mut server) = mock_server().await;
    let (sender, _events) = settle(CloudConnection::connect(config(&url)))
        .await
        .unwrap();
    let mut conn = accept(&mut server).await;
    next_text(&mut conn.ws).await;
    sender.create("a", 5).unwrap();
    sender.rename("a", "b").unwrap();
    sender.set("b", 6).unwrap();
    sender.delete("b").unwrap();
    let mut methods = Vec::new();
    for _ in 0..4 {
        let line: serde_json::Value = serde_json::from_str(&next_text(&mut conn.ws).await).unwrap();
        methods.push(line["method"].as_str().unwrap().to_owned());
    }
    assert_eq!(methods, ["create", "rename", "set", "delete"]);
    assert_eq!(sender.get("b"), None);
}

#[tokio::test(start_paused = true)]
async fn reconnects_and_flushes_the_latest_pending_values() {
    let (url, mut server) = mock_server().await;
    let (sender, mut events) = settle(CloudConnection::connect(config(&url)))
        .await
        .unwrap();
    let mut first = accept(&mut server).await;
    next_text(&mut first.ws).await;
    assert_eq!(next_event(&mut events).await, CloudEvent::Connected);
    drop(first); // the server goes away without a close frame
    match next_event(&mut events).await {
        CloudEvent::Reconnecting { attempt, delay } => {
            assert_eq!(attempt, 1);
            assert_eq!(delay, Duration::from_millis(100));
        }
        other => panic!("unexpected {other:?}"),
    }
    // Made while disconnected: kept, coalesced per variable, flushed after the handshake.
    sender.set("x", 1).unwrap();
    sender.set("y", 1).unwrap();
    sender.set("x", 2).unwrap();
    sender.set("x", 3).unwrap();
    assert!(!sender.is_connected());
    assert_eq!(sender.pending(), 2);
    let mut second = accept(&mut server).await;
    assert!(next_text(&mut second.ws).await.contains("\"handshake\""));
    let x: serde_json::Value = serde_json::from_str(&next_text(&mut second.ws).await).unwrap();
    let y: serde_json::Value = serde_json::from_str(&next_text(&mut second.ws).await).unwrap();
    assert_eq!(
        (x["name"].as_str(), x["value"].as_str()),
        (Some("☁ x"), Some("3"))
    );
    assert_eq!(
        (y["name"].as_str(), y["value"].as_str()),
        (Some("☁ y"), Some("1"))
    );
    assert_eq!(next_event(&mut events).await, CloudEvent::Reconnected);
    settle(sender.flush()).await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn sets_written_just_before_the_connection_died_are_sent_again() {
    let (url, mut server) = mock_server().await;
    let (sender, mut events) = settle(CloudConnection::connect(config(&url)))
        .await
        .unwrap();
    let mut first = accept(&mut server).await;
    assert!(next_text(&mut first.ws).await.contains("\"handshake\""));
    assert_eq!(next_event(&mut events).await, CloudEvent::Connected);

    // Written 3 s before the loss: outside the 2 s window, assumed to have arrived.
    sender.set("old", 1).unwrap();
    assert!(next_text(&mut first.ws).await.contains("☁ old"));
    tokio::time::sleep(Duration::from_secs(3)).await;
    // Written just before the loss: the server reads them but never applies them.
    sender.set("fresh", 2).unwrap();
    sender.set("answered", 3).unwrap();
    assert!(next_text(&mut first.ws).await.contains("☁ fresh"));
    assert!(next_text(&mut first.ws).await.contains("☁ answered"));
    // The server has a newer value of "answered" (another client's): that one is not re-sent.
    settle(first.ws.send(Message::text(
        "{\"method\":\"set\",\"name\":\"☁ answered\",\"value\":\"4\"}",
    )))
    .await
    .unwrap();
    assert_eq!(
        next_event(&mut events).await,
        CloudEvent::Set {
            name: "answered".into(),
            value: "4".into()
        }
    );
    drop(first); // the server goes away without a close frame
    assert!(matches!(
        next_event(&mut events).await,
        CloudEvent::Reconnecting { attempt: 1, .. }
    ));

    let mut second = accept(&mut server).await;
    assert!(next_text(&mut second.ws).await.contains("\"handshake\""));
    let resent: serde_json::Value = serde_json::from_str(&next_text(&mut second.ws).await).unwrap();
    assert_eq!(
        (resent["name"].as_str(), resent["value"].as_str()),
        (Some("☁ fresh"), Some("2"))
    );
    assert_eq!(next_event(&mut events).await, CloudEvent::Reconnected);
    // Nothing else is re-sent: not the old set, not the one the server answered.
    let more = settle(tokio::time::timeout(
        Duration::from_secs(1),
        next_text_raw(&mut second.ws),
    ))
    .await;
    assert!(more.is_err(), "unexpected frame {more:?}");
    assert_eq!(sender.get("answered").as_deref(), Some("4"));
}

/// The next text frame, without [`settle`] (for use inside a timeout).
async fn next_text_raw(ws: &mut Ws) -> Option<String> {
    while let Some(Ok(message)) = ws.next().await {
        if let Message::Text(text) = message {
            return Some(text.as_str().to_owned());
        }
    }
    None
}

#[tokio::test(start_paused = true)]
async fn a_non_fatal_close_code_reconnects() {
    let (url, mut server) = mock_server().await;
    let (_sender, mut events) = settle(CloudConnection::connect(config(&url)))
        .await
        .unwrap();
    let mut first = accept(&mut server).await;
    next_event(&mut events).await;
    first
        .ws
        .close(Some(CloseFrame {
            code: CloseCode::from(4000),
            reason: "".into(),
        }))
        .await
        .unwrap();
    assert!(matches!(
        next_event(&mut events).await,
        CloudEvent::Reconnecting { attempt: 1, .. }
    ));
    let _second = accept(&mut server).await;
    assert_eq!(next_event(&mut events).await, CloudEvent::Reconnected);
}

#[tokio::test(start_paused = true)]
async fn fatal_close_codes_end_the_stream() {
    for code in [4002u16, 4004, 4005, 4006] {
        let (url, mut server) = mock_server().await;
        let (sender, mut events) = settle(CloudConnection::connect(config(&url)))
            .await
            .unwrap();
        let mut conn = accept(&mut server).await;
        next_text(&mut conn.ws).await;
        conn.ws
            .close(Some(CloseFrame {
                code: CloseCode::from(code),
                reason: "".into(),
            }))
            .await
            .unwrap();
        assert_eq!(next_event(&mut events).await, CloudEvent::Connected);
        assert_eq!(
            next_event(&mut events).await,
            CloudEvent::Closed {
                reason: CloseReason::Server { code }
            }
        );
        assert_eq!(settle(events.next()).await, None);
        assert!(matches!(
            sender.set("x", 1),
            Err(CloudError::Closed(CloseReason::Server { code: c })) if c == code
        ));
        assert!(settle(sender.flush()).await.is_err());
    }
}

#[tokio::test(start_paused = true)]
async fn a_dead_connection_is_detected_by_the_read_timeout() {
    let (url, mut server) = mock_server().await;
    let keepalive = Keepalive {
        ping_interval: Duration::from_secs(30),
        read_timeout: Duration::from_secs(45),
    };
    let config = config(&url).with_keepalive(keepalive);
    let (_sender, mut events) = settle(CloudConnection::connect(config)).await.unwrap();
    // Keep the socket open but never read it: pings go unanswered.
    let _silent = accept(&mut server).await;
    let start = Instant::now();
    assert_eq!(next_event(&mut events).await, CloudEvent::Connected);
    assert!(matches!(
        settle_with(Duration::from_millis(50), events.next())
            .await
            .unwrap(),
        CloudEvent::Reconnecting { .. }
    ));
    assert!(start.elapsed() >= Duration::from_secs(45));
    assert_eq!(_silent.headers.get("cookie"), None);
}

#[tokio::test(start_paused = true)]
async fn pings_are_sent_on_the_keepalive_interval() {
    let (url, mut server) = mock_server().await;
    let (_sender, _events) = settle(CloudConnection::connect(config(&url)))
        .await
        .unwrap();
    let mut conn = accept(&mut server).await;
    next_text(&mut conn.ws).await;
    let start = Instant::now();
    let message = settle_with(Duration::from_millis(50), conn.ws.next())
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(message, Message::Ping(_)), "{message:?}");
    assert!(start.elapsed() >= Duration::from_secs(29));
}

#[tokio::test(start_paused = true)]
async fn close_ends_the_stream_with_client_closed() {
    let (url, mut server) = mock_server().await;
    let (sender, mut events) = settle(CloudConnection::connect(config(&url)))
        .await
        .unwrap();
    let mut conn = accept(&mut server).await;
    next_text(&mut conn.ws).await;
    assert_eq!(next_event(&mut events).await, CloudEvent::Connected);
    sender.close();
    assert_eq!(
        next_event(&mut events).await,
        CloudEvent::Closed {
            reason: CloseReason::ClientClosed
        }
    );
    assert_eq!(settle(events.next()).await, None);
    assert!(matches!(
        settle(conn.ws.next()).await,
        Some(Ok(Message::Close(_))) | None
    ));
}

#[tokio::test(start_paused = true)]
async fn connect_reports_an_http_refusal() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut tcp, _) = listener.accept().await.unwrap();
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut buf = [0u8; 1024];
        let _ = tcp.read(&mut buf).await;
        let _ = tcp
            .write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n")
            .await;
    });
    let result = settle(CloudConnection::connect(config(&format!("ws://{addr}/")))).await;
    assert!(matches!(
        result,
        Err(CloudError::Refused {
            status: http::StatusCode::FORBIDDEN
        })
    ));
}

#[tokio::test(start_paused = true)]
async fn connect_rejects_a_bad_url() {
    let result = settle(CloudConnection::connect(config("not a url"))).await;
    assert!(matches!(result, Err(CloudError::Config(_))));
}

#[tokio::test(start_paused = true)]
async fn dropping_every_handle_closes_the_socket() {
    let (url, mut server) = mock_server().await;
    let (sender, events) = settle(CloudConnection::connect(config(&url)))
        .await
        .unwrap();
    let mut conn = accept(&mut server).await;
    next_text(&mut conn.ws).await;
    let clone = sender.clone();
    drop(events);
    drop(sender);
    // A clone still holds the connection open.
    let still_open = settle(tokio::time::timeout(
        Duration::from_millis(200),
        conn.ws.next(),
    ))
    .await;
    assert!(still_open.is_err(), "{still_open:?}");
    drop(clone);
    let end = settle(conn.ws.next()).await;
    assert!(
        matches!(end, None | Some(Err(_)) | Some(Ok(Message::Close(_)))),
        "{end:?}"
    );
}

#[tokio::test]
async fn a_refused_connection_keeps_the_network_error_as_its_source() {
    // A port that was just free: nothing listens there.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/", listener.local_addr().unwrap());
    drop(listener);
    let error = CloudConnection::connect(config(&url))
        .await
        .map(|_| ())
        .expect_err("nothing listens");
    let CloudError::Connect { message, .. } = &error else {
        panic!("{error:?}");
    };
    let source = std::error::Error::source(&error).expect("the WebSocket error is the source");
    assert_eq!(
        message,
        &source.to_string(),
        "the message is the source's text"
    );
    // The chain goes down to the operating system's refusal.
    let mut cause: &dyn std::error::Error = source;
    while let Some(deeper) = cause.source() {
        cause = deeper;
    }
    let io = cause
        .downcast_ref::<std::io::Error>()
        .or_else(|| {
            source
                .downcast_ref::<tokio_tungstenite::tungstenite::Error>()
                .and_then(|e| match e {
                    tokio_tungstenite::tungstenite::Error::Io(io) => Some(io),
                    _ => None,
                })
        })
        .expect("an I/O error at the bottom of the chain");
    assert_eq!(io.kind(), std::io::ErrorKind::ConnectionRefused);
}
