//! End to end: scratchkit's cloud client against the sandbox's cloud server, in-process on
//! 127.0.0.1.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{FutureExt, StreamExt};
use scratchkit::cloud::{
    CloseReason, CloudConfig, CloudConnection, CloudError, CloudEvent, CloudEvents, CloudRules,
    CloudSender, ReconnectPolicy, ValidationError,
};
use scratchkit_sandbox::cloud::{CloudMode, CloudOptions, CloudServer, serve_standalone};
use tokio::time::Instant;

/// Drives `future` under the paused clock, letting the I/O driver deliver bytes for a moment
/// before virtual time moves by 1 ms (real sockets are asynchronous).
async fn settle<F: Future>(future: F) -> F::Output {
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
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    panic!("nothing happened within 300 s of virtual time");
}

async fn server(options: CloudOptions) -> CloudServer {
    settle(serve_standalone("127.0.0.1:0".parse().unwrap(), options))
        .await
        .unwrap()
}

fn reconnect() -> ReconnectPolicy {
    ReconnectPolicy {
        base: Duration::from_millis(200),
        cap: Duration::from_secs(2),
        jitter: true,
    }
}

/// A Scratch-rules config for the sandbox's `/cloud` endpoint.
fn scratch(server: &CloudServer, user: &str, project: u64) -> CloudConfig {
    CloudConfig::scratch(project, user, format!("session-of-{user}"))
        .with_url(server.scratch_url())
        .with_reconnect(reconnect())
}

fn turbowarp(server: &CloudServer, user: &str, project: u64) -> CloudConfig {
    CloudConfig::turbowarp(project, user, "scratchkit-tests/1.0 (tests)")
        .with_url(server.turbowarp_url())
        .with_reconnect(reconnect())
}

async fn connect(config: CloudConfig) -> (CloudSender, CloudEvents) {
    let (sender, mut events) = settle(CloudConnection::connect(config)).await.unwrap();
    assert_eq!(next_event(&mut events).await, CloudEvent::Connected);
    (sender, events)
}

async fn next_event(events: &mut CloudEvents) -> CloudEvent {
    settle(events.next()).await.expect("the stream is open")
}

/// The next `Set` event, skipping connection-state events.
async fn next_set(events: &mut CloudEvents) -> (String, String) {
    loop {
        if let CloudEvent::Set { name, value } = next_event(events).await {
            return (name, value);
        }
    }
}

async fn wait_for_clients(server: &CloudServer, mode: CloudMode, project: &str, n: usize) {
    settle(async {
        while server.state().client_count(mode, project) != n {
            tokio::task::yield_now().await;
        }
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn two_clients_exchange_values_without_echo() {
    let server = server(CloudOptions::default()).await;
    let (alice, mut alice_events) = connect(scratch(&server, "alice", 42)).await;
    let (bob, mut bob_events) = connect(scratch(&server, "bob", 42)).await;
    wait_for_clients(&server, CloudMode::Scratch, "42", 2).await;

    alice.set("score", 10).unwrap();
    settle(alice.flush()).await.unwrap();
    assert_eq!(
        next_set(&mut bob_events).await,
        ("score".into(), "10".into())
    );
    assert_eq!(bob.get("☁ score").as_deref(), Some("10"));

    bob.set("☁ score", "-2.5").unwrap();
    assert_eq!(
        next_set(&mut alice_events).await,
        ("score".into(), "-2.5".into())
    );
    // Alice received only Bob's value: her own set was not echoed back before it.
    assert_eq!(alice.get("score").as_deref(), Some("-2.5"));
    let quiet = settle(tokio::time::timeout(
        Duration::from_millis(300),
        bob_events.next(),
    ))
    .await;
    assert!(quiet.is_err(), "bob got his own set back: {quiet:?}");

    let logs = server.state().logs("42", 10, 0);
    assert_eq!(logs.len(), 2);
    assert_eq!(
        (logs[0].user.as_str(), logs[0].value.as_str()),
        ("bob", "-2.5")
    );
    assert_eq!(
        (logs[1].user.as_str(), logs[1].value.as_str()),
        ("alice", "10")
    );
}

#[tokio::test(start_paused = true)]
async fn the_join_snapshot_seeds_get() {
    let server = server(CloudOptions::default()).await;
    let (alice, _alice_events) = connect(turbowarp(&server, "alice", 7)).await;
    alice.set("a", 1).unwrap();
    alice.set("b", "22").unwrap();
    settle(alice.flush()).await.unwrap();
    settle(async {
        while server.state().variables(CloudMode::TurboWarp, "7").len() < 2 {
            tokio::task::yield_now().await;
        }
    })
    .await;
    let (bob, mut bob_events) = connect(turbowarp(&server, "bob", 7)).await;
    assert_eq!(next_set(&mut bob_events).await, ("a".into(), "1".into()));
    assert_eq!(next_set(&mut bob_events).await, ("b".into(), "22".into()));
    assert_eq!(bob.get("a").as_deref(), Some("1"));
    assert_eq!(bob.values().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn invalid_sets_are_refused_before_sending() {
    let server = server(CloudOptions::default()).await;
    let (alice, _events) = connect(scratch(&server, "alice", 1)).await;
    assert!(matches!(
        alice.set("x", "not a number"),
        Err(CloudError::Invalid(ValidationError::NotNumeric { .. }))
    ));
    assert!(matches!(
        alice.set("x", "9".repeat(300)),
        Err(CloudError::Invalid(ValidationError::ValueTooLong { .. }))
    ));
    for i in 0..10 {
        alice.set(&format!("v{i}"), i).unwrap();
    }
    assert!(matches!(
        alice.set("v10", 1),
        Err(CloudError::Invalid(ValidationError::TooManyVariables {
            max: 10
        }))
    ));
    settle(alice.flush()).await.unwrap();
    settle(async {
        while server.state().logs("1", 100, 0).len() < 10 {
            tokio::task::yield_now().await;
        }
    })
    .await;
    let vars = server.state().variables(CloudMode::Scratch, "1");
    assert_eq!(vars.len(), 10, "nothing invalid reached the server");

    // TurboWarp rules allow long values.
    let (tw, _tw_events) = connect(turbowarp(&server, "alice", 1)).await;
    tw.set("long", "9".repeat(300)).unwrap();
    settle(tw.flush()).await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn reconnects_after_a_dropped_connection_and_flushes_pending_sets() {
    let server = server(CloudOptions::default()).await;
    let (alice, mut alice_events) = connect(turbowarp(&server, "alice", 3)).await;
    let (_bob, mut bob_events) = connect(turbowarp(&server, "bob", 3)).await;
    wait_for_clients(&server, CloudMode::TurboWarp, "3", 2).await;

    assert_eq!(
        server
            .state()
            .disconnect(CloudMode::TurboWarp, "3", Some("alice")),
        1
    );
    let CloudEvent::Reconnecting { attempt, delay } = next_event(&mut alice_events).await else {
        panic!("expected Reconnecting");
    };
    assert_eq!(attempt, 1);
    assert!(delay >= Duration::from_millis(100) && delay <= Duration::from_millis(200));
    // Sets made while disconnected are kept (latest per variable) and sent after reconnecting.
    alice.set("x", 1).unwrap();
    alice.set("y", 5).unwrap();
    alice.set("x", 2).unwrap();
    assert!(!alice.is_connected());
    assert_eq!(next_event(&mut alice_events).await, CloudEvent::Reconnected);
    let mut got = vec![
        next_set(&mut bob_events).await,
        next_set(&mut bob_events).await,
    ];
    got.sort();
    assert_eq!(got, [("x".into(), "2".into()), ("y".into(), "5".into())]);
    assert!(alice.is_connected());
    settle(alice.flush()).await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_username_that_does_not_match_the_session_ends_the_stream() {
    let mut options = CloudOptions::default();
    options.scratch.session_validator = Some(Arc::new(|headers: &http::HeaderMap| {
        let cookie = headers.get("cookie")?.to_str().ok()?;
        cookie
            .strip_prefix("scratchsessionsid=session-of-")
            .map(str::to_owned)
    }));
    let server = server(options).await;
    let config = CloudConfig::scratch(1, "mallory", "session-of-alice")
        .with_url(server.scratch_url())
        .with_reconnect(reconnect());
    let (sender, mut events) = connect(config).await;
    assert_eq!(
        next_event(&mut events).await,
        CloudEvent::Closed {
            reason: CloseReason::Server { code: 4002 }
        }
    );
    assert_eq!(settle(events.next()).await, None);
    assert!(matches!(
        sender.set("x", 1),
        Err(CloudError::Closed(CloseReason::Server { code: 4002 }))
    ));
}

#[tokio::test(start_paused = true)]
async fn a_scratch_cookie_sent_to_turbowarp_mode_is_fatal() {
    let server = server(CloudOptions::default()).await;
    // A misconfigured client: TurboWarp URL with a Scratch session.
    let config = CloudConfig::custom(server.turbowarp_url(), 1, "alice", CloudRules::turbowarp())
        .with_session_id("oops")
        .with_reconnect(reconnect());
    let (_sender, mut events) = connect(config).await;
    assert_eq!(
        next_event(&mut events).await,
        CloudEvent::Closed {
            reason: CloseReason::Server { code: 4005 }
        }
    );
    assert_eq!(settle(events.next()).await, None);
}

#[tokio::test(start_paused = true)]
async fn a_refused_session_fails_connect() {
    let server = server(CloudOptions::default()).await;
    let config = CloudConfig::custom(server.scratch_url(), 1, "alice", CloudRules::Scratch)
        .with_origin("https://scratch.mit.edu");
    let result = settle(CloudConnection::connect(config)).await;
    assert!(matches!(
        result,
        Err(CloudError::Refused {
            status: http::StatusCode::UNAUTHORIZED
        })
    ));
}

#[tokio::test(start_paused = true)]
async fn rename_and_delete_reach_the_scratch_log() {
    let server = server(CloudOptions::default()).await;
    let (alice, _events) = connect(scratch(&server, "alice", 9)).await;
    alice.create("a", 1).unwrap();
    alice.rename("a", "b").unwrap();
    alice.delete("b").unwrap();
    settle(alice.flush()).await.unwrap();
    settle(async {
        while server.state().logs("9", 10, 0).len() < 3 {
            tokio::task::yield_now().await;
        }
    })
    .await;
    let verbs: Vec<String> = server
        .state()
        .logs("9", 10, 0)
        .into_iter()
        .map(|row| row.verb)
        .collect();
    assert_eq!(verbs, ["del_var", "rename_var", "create_var"]);
    assert!(server.state().variables(CloudMode::Scratch, "9").is_empty());
}
