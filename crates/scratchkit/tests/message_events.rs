//! `Client::message_events` against wiremock: polite polling of the count, only new messages
//! fetched, nothing lost between polls, oldest first.

mod auth_support;

use std::time::Duration;

use auth_support::{ME, logged_in, received};
use futures_util::{FutureExt, StreamExt};
use scratchkit::model::Message;
use tokio::time::Instant;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Drives `future` under the paused clock, letting real sockets work before virtual time
/// moves on by 1 ms.
async fn settle<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let deadline = Instant::now() + Duration::from_secs(3600);
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
    panic!("nothing happened within an hour of virtual time");
}

fn message(id: u64) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "datetime_created": "2024-01-01T00:00:00.000Z",
        "actor_username": format!("user{id}"),
        "actor_id": id,
        "type": "followuser",
        "followed_user_id": 1,
        "followed_username": ME,
    })
}

/// Messages newest first, ids `from..=to` descending.
fn page(ids: impl Iterator<Item = u64>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(ids.map(message).collect::<Vec<_>>())
}

async fn mount_count(server: &MockServer, count: u64) {
    server.reset().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/users/{ME}/messages/count")))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"count": count})))
        .mount(server)
        .await;
}

async fn mount_messages(server: &MockServer, newest: u64, oldest: u64) {
    // limit=1: the newest only; offset 0 limit 40: the first page; offset 40: the next.
    Mock::given(method("GET"))
        .and(path(format!("/api/users/{ME}/messages")))
        .and(query_param("limit", "1"))
        .respond_with(page(std::iter::once(newest)))
        .mount(server)
        .await;
    let all: Vec<u64> = (oldest..=newest).rev().collect();
    for (index, chunk) in all.chunks(40).enumerate() {
        Mock::given(method("GET"))
            .and(path(format!("/api/users/{ME}/messages")))
            .and(query_param("limit", "40"))
            .and(query_param("offset", (index * 40).to_string()))
            .respond_with(page(chunk.iter().copied()))
            .mount(server)
            .await;
    }
    let past = all.len().div_ceil(40) * 40;
    Mock::given(method("GET"))
        .and(path(format!("/api/users/{ME}/messages")))
        .and(query_param("offset", past.to_string()))
        .respond_with(page(std::iter::empty()))
        .mount(server)
        .await;
}

fn ids(messages: &[Message]) -> Vec<String> {
    messages.iter().map(|m| m.id.to_string()).collect()
}

#[tokio::test(start_paused = true)]
async fn yields_only_new_messages_oldest_first_without_losing_any() {
    let server = MockServer::start().await;
    let client = logged_in(&server).await;
    // At the start: 2 unread, newest message 100.
    mount_count(&server, 2).await;
    mount_messages(&server, 100, 50).await;
    let mut stream = Box::pin(
        client
            .me()
            .message_events()
            .interval(Duration::from_secs(5))
            .stream(),
    );

    // 45 new messages (101..=145) arrive before the next poll: more than a page.
    let first = settle(async {
        // Let the baseline poll run, then change the server.
        let next = stream.next();
        tokio::pin!(next);
        for _ in 0..50 {
            tokio::task::yield_now().await;
            if let Some(item) = next.as_mut().now_or_never() {
                return item;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        mount_count(&server, 47).await;
        mount_messages(&server, 145, 50).await;
        next.await
    })
    .await;
    let mut got = vec![first.unwrap().unwrap()];
    for _ in 0..44 {
        got.push(settle(stream.next()).await.unwrap().unwrap());
    }
    let expected: Vec<String> = (101..=145).map(|id| id.to_string()).collect();
    assert_eq!(ids(&got), expected);

    // Polite: since the change (the mock server was reset then), the messages were fetched
    // in exactly two pages of 40, stopping at the newest message already seen (100).
    let requests = received(&server).await;
    let pages: Vec<String> = requests
        .iter()
        .filter(|r| r.url.path().ends_with("/messages"))
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(requests.iter().all(|r| r.headers.get("x-token").is_some()));

    // No change of the count: no message request at the next poll, and nothing yielded.
    let quiet = settle(tokio::time::timeout(Duration::from_secs(6), stream.next())).await;
    assert!(quiet.is_err());
    let requests = received(&server).await;
    assert!(
        requests
            .iter()
            .filter(|r| r.url.path().ends_with("/messages"))
            .count()
            == 2
    );
    assert!(
        requests
            .iter()
            .filter(|r| r.url.path().ends_with("/messages/count"))
            .count()
            >= 2
    );
}

#[tokio::test(start_paused = true)]
async fn include_unread_yields_the_unread_messages_first() {
    let server = MockServer::start().await;
    let client = logged_in(&server).await;
    mount_count(&server, 3).await;
    mount_messages(&server, 10, 1).await;
    let mut stream = Box::pin(client.me().message_events().include_unread(true).stream());
    let mut got = Vec::new();
    for _ in 0..3 {
        got.push(settle(stream.next()).await.unwrap().unwrap());
    }
    assert_eq!(ids(&got), ["8", "9", "10"]);
}

#[tokio::test(start_paused = true)]
async fn a_logged_out_client_gets_an_error_before_sending() {
    let server = MockServer::start().await;
    let client = auth_support::client_for(&server);
    let mut stream = Box::pin(client.me().message_events().stream());
    let first = settle(stream.next()).await.unwrap();
    assert!(
        matches!(first, Err(scratchkit::Error::LoginRequired)),
        "{first:?}"
    );
    assert!(received(&server).await.is_empty());
}
