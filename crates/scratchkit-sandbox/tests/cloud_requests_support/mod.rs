//! Shared helpers of the `cloud_requests_*` tests: an in-process cloud server on 127.0.0.1,
//! a host and a template client connected to it, under tokio's paused clock.

#![allow(dead_code)]

use std::time::Duration;

use futures_util::FutureExt;
use scratchkit::cloud::{
    CloudConfig, CloudConnection, CloudEvent, CloudEvents, CloudSender, ReconnectPolicy,
};
use scratchkit_cloud_requests::{CloudRequests, RequestEvent, RequestEvents, TemplateClient};
use scratchkit_sandbox::cloud::{CloudMode, CloudOptions, CloudServer, serve_standalone};
use tokio::time::Instant;

/// The project every test uses.
pub const PROJECT: &str = "1";

/// Drives `future` under the paused clock, letting real sockets deliver bytes for a moment
/// before virtual time moves on by 1 ms.
pub async fn settle<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let deadline = Instant::now() + Duration::from_secs(600);
    while Instant::now() < deadline {
        let turn = std::time::Instant::now();
        loop {
            if let Some(output) = future.as_mut().now_or_never() {
                return output;
            }
            tokio::task::yield_now().await;
            if turn.elapsed() > std::time::Duration::from_micros(300) {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    panic!("nothing happened within 600 s of virtual time");
}

pub async fn server() -> CloudServer {
    settle(serve_standalone(
        "127.0.0.1:0".parse().unwrap(),
        CloudOptions::default(),
    ))
    .await
    .unwrap()
}

fn reconnect() -> ReconnectPolicy {
    ReconnectPolicy {
        base: Duration::from_millis(200),
        cap: Duration::from_secs(2),
        jitter: false,
    }
}

/// A config for `user` on `mode`'s endpoint of `server`.
pub fn config(server: &CloudServer, mode: CloudMode, user: &str) -> CloudConfig {
    match mode {
        CloudMode::Scratch => CloudConfig::scratch(PROJECT, user, format!("session-of-{user}"))
            .with_url(server.scratch_url()),
        CloudMode::TurboWarp => {
            CloudConfig::turbowarp(PROJECT, user, "scratchkit-tests/1.0 (tests)")
                .with_url(server.turbowarp_url())
        }
    }
    .with_reconnect(reconnect())
}

pub async fn connect(config: CloudConfig) -> (CloudSender, CloudEvents) {
    settle(CloudConnection::connect(config)).await.unwrap()
}

pub async fn wait_for_clients(server: &CloudServer, mode: CloudMode, n: usize) {
    settle(async {
        while server.state().client_count(mode, PROJECT) != n {
            tokio::task::yield_now().await;
        }
    })
    .await;
}

/// A template client ("player") in the room, after the host.
pub async fn template(server: &CloudServer, mode: CloudMode) -> TemplateClient {
    let before = server.state().client_count(mode, PROJECT);
    let (sender, mut events) = connect(config(server, mode, "player")).await;
    assert_eq!(
        settle(events.recv()).await,
        Some(CloudEvent::Connected),
        "the first event"
    );
    wait_for_clients(server, mode, before + 1).await;
    TemplateClient::new(sender, events)
}

/// A host connection ("host") with its builder, not started yet.
pub async fn host_builder(server: &CloudServer, mode: CloudMode) -> CloudRequests {
    let (sender, events) = connect(config(server, mode, "host")).await;
    CloudRequests::new(sender, events)
}

/// Everything the host reported so far (without waiting).
pub fn drain(events: &mut RequestEvents) -> Vec<RequestEvent> {
    let mut out = Vec::new();
    while let Some(Some(event)) = events.recv().now_or_never() {
        out.push(event);
    }
    out
}

/// Waits for a host event matching `predicate`, returning it.
pub async fn wait_event(
    events: &mut RequestEvents,
    predicate: impl Fn(&RequestEvent) -> bool,
) -> RequestEvent {
    settle(async {
        loop {
            let event = events.recv().await.expect("the host is running");
            if predicate(&event) {
                return event;
            }
        }
    })
    .await
}

/// The value of a variable (bare name) in the server's room.
pub fn room_value(server: &CloudServer, mode: CloudMode, bare: &str) -> Option<String> {
    let full = format!("☁ {bare}");
    server
        .state()
        .variables(mode, PROJECT)
        .into_iter()
        .find(|(name, _)| *name == full)
        .map(|(_, value)| value)
}
