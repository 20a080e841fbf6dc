//! The client against faulty servers: wiremock (and a raw TCP listener) on 127.0.0.1 only.
//!
//! Retry delays are tiny (1 ms base, 10 ms cap) so these real-IO tests stay fast; the timing of
//! backoff and rate limiting is tested under a paused clock in the unit tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use scratchkit::{Client, Error, Host, Hosts, RateLimit, RawRequest, RetryPolicy, Url};
use serde::Deserialize;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const WHOOPS_HTML: &str = "<!DOCTYPE html>\n<html><head><title>Scratch - Imagine, Program, Share</title></head>\
    <body><h1>Whoops! Our server is Scratch'ing its head</h1><p>Gateway timeout</p></body></html>";

fn fixture(name: &str) -> String {
    let path = format!("{}/../../fixtures/real/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn policy() -> RetryPolicy {
    RetryPolicy::new(3, Duration::from_millis(1), Duration::from_millis(10))
}

/// A client whose hosts all point at `base` (sandbox layout: the api is under `/api`).
fn client_for(base: &str) -> Client {
    Client::builder()
        .hosts(Hosts::sandbox_url(Url::parse(base).unwrap()))
        .rate_limit(RateLimit::unlimited())
        .retry(policy())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[derive(Debug, Deserialize)]
struct User {
    id: u64,
    username: String,
    history: History,
}

#[derive(Debug, Deserialize)]
struct History {
    joined: String,
}

#[tokio::test]
async fn ok_response_is_decoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/users/ScratchCat"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(fixture("api_users_ScratchCat.json"), "application/json"),
        )
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let user: User = client
        .raw()
        .get_json(Host::Api, "/users/ScratchCat", &[])
        .await
        .unwrap();
    assert_eq!(user.id, 15883188);
    assert_eq!(user.username, "ScratchCat");
    assert_eq!(user.history.joined, "2007-03-05T00:00:00.000Z");
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn json_with_a_wrong_content_type_is_decoded_by_body() {
    // /proxy/featured is served as application/xml although the body is JSON.
    let server = MockServer::start().await;
    Mock::given(path("/api/proxy/featured"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(fixture("api_proxy_featured_2025.json"), "application/xml"),
        )
        .mount(&server)
        .await;
    let value = client_for(&server.uri())
        .raw()
        .get_value(Host::Api, "/proxy/featured", &[])
        .await
        .unwrap();
    assert!(value["scratch_design_studio"].is_array(), "{value}");
}

#[tokio::test]
async fn not_found_is_typed_and_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/api/users/nobody"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_raw(r#"{"code":"NotFound","message":""}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let err = client_for(&server.uri())
        .raw()
        .get_value(Host::Api, "/users/nobody", &[])
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.status(), Some(scratchkit::StatusCode::NOT_FOUND));
    assert!(err.url().unwrap().ends_with("/api/users/nobody"));
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn bad_request_keeps_scratchs_code() {
    let server = MockServer::start().await;
    Mock::given(path("/api/search/projects"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_raw(r#"{"code":"BadRequest","message":""}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let err = client_for(&server.uri())
        .raw()
        .get_value(Host::Api, "/search/projects", &[])
        .await
        .unwrap_err();
    match err {
        Error::BadRequest { code, snippet, .. } => {
            assert_eq!(code.as_deref(), Some("BadRequest"));
            assert!(snippet.contains("BadRequest"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn html_504_is_retried_then_a_server_error_with_a_snippet() {
    let server = MockServer::start().await;
    Mock::given(path("/api/projects/1"))
        .respond_with(ResponseTemplate::new(504).set_body_raw(WHOOPS_HTML, "text/html"))
        .mount(&server)
        .await;
    let err = client_for(&server.uri())
        .raw()
        .get_value(Host::Api, "/projects/1", &[])
        .await
        .unwrap_err();
    match &err {
        Error::Server {
            status, snippet, ..
        } => {
            assert_eq!(*status, 504);
            assert!(snippet.contains("Whoops! Our server"), "{snippet}");
        }
        other => panic!("{other:?}"),
    }
    // One attempt plus the three retries of the policy.
    assert_eq!(requests(&server).await, 4);
}

#[tokio::test]
async fn a_500_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/api/x"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&server)
        .await;
    let err = client_for(&server.uri())
        .raw()
        .get_value(Host::Api, "/x", &[])
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Server {
                status: scratchkit::StatusCode::INTERNAL_SERVER_ERROR,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_503_then_200_succeeds_after_one_retry() {
    let server = MockServer::start().await;
    Mock::given(path("/api/users/a"))
        .respond_with(ResponseTemplate::new(503).set_body_string("unavailable"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/users/a"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"id":1}"#, "application/json"))
        .with_priority(2)
        .mount(&server)
        .await;
    let value = client_for(&server.uri())
        .raw()
        .get_value(Host::Api, "/users/a", &[])
        .await
        .unwrap();
    assert_eq!(value["id"], 1);
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn a_429_with_retry_after_then_200_succeeds() {
    let server = MockServer::start().await;
    Mock::given(path("/api/news"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_string("Too Many Requests"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/news"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("[]", "application/json"))
        .with_priority(2)
        .mount(&server)
        .await;
    // The wait asked for (1 s) is capped by the policy's 10 ms cap here.
    let value = client_for(&server.uri())
        .raw()
        .get_value(Host::Api, "/news", &[])
        .await
        .unwrap();
    assert_eq!(value, serde_json::json!([]));
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn a_429_without_retry_after_exhausts_the_retries() {
    let server = MockServer::start().await;
    Mock::given(path("/api/news"))
        .respond_with(ResponseTemplate::new(429))
        .mount(&server)
        .await;
    let err = client_for(&server.uri())
        .raw()
        .get_value(Host::Api, "/news", &[])
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::RateLimited {
                retry_after: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert_eq!(requests(&server).await, 4);
}

#[tokio::test]
async fn a_429_keeps_the_retry_after_it_was_given() {
    let server = MockServer::start().await;
    Mock::given(path("/api/news"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .mount(&server)
        .await;
    let err = client_for(&server.uri())
        .raw()
        .get_value(Host::Api, "/news", &[])
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::RateLimited { retry_after: Some(d), .. } if d == Duration::ZERO),
        "{err:?}"
    );
}

#[tokio::test]
async fn scratchs_too_many_requests_body_counts_as_429() {
    let server = MockServer::start().await;
    Mock::given(path("/api/x"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"response":"Too many requests"}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let err = client_for(&server.uri())
        .raw()
        .get_value(Host::Api, "/x", &[])
        .await
        .unwrap_err();
    assert!(err.is_rate_limited(), "{err:?}");
    assert_eq!(requests(&server).await, 4);
}

#[tokio::test]
async fn a_post_that_gets_503_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/site/comments"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let request = RawRequest::post(Host::Site, "/comments")
        .json(&serde_json::json!({"content": "hi"}))
        .unwrap();
    // `send` returns the response whatever its status…
    let response = client.raw().send(request.clone()).await.unwrap();
    assert_eq!(response.status.as_u16(), 503);
    assert_eq!(response.text(), "busy");
    assert_eq!(requests(&server).await, 1);
    // …and a POST is never sent twice.
    let response = client.raw().send(request).await.unwrap();
    assert_eq!(response.status.as_u16(), 503);
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_path_and_snippet() {
    let server = MockServer::start().await;
    Mock::given(path("/api/users/a"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"id":1,"username":"a","history":{"joined":"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let err = client_for(&server.uri())
        .raw()
        .get_json::<User>(Host::Api, "/users/a", &[])
        .await
        .unwrap_err();
    match &err {
        Error::Decode {
            path,
            snippet,
            message,
            ..
        } => {
            assert_eq!(path, "history.joined", "{message}");
            assert!(snippet.starts_with(r#"{"id":1"#), "{snippet}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_wrong_type_is_a_decode_error_naming_the_field() {
    let server = MockServer::start().await;
    Mock::given(path("/api/users/a"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"id":"not a number","username":"a","history":{"joined":"x"}}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let err = client_for(&server.uri())
        .raw()
        .get_json::<User>(Host::Api, "/users/a", &[])
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode { path, .. } if path == "id"),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_empty_200_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(path("/api/x"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let err = client_for(&server.uri())
        .raw()
        .get_value(Host::Api, "/x", &[])
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode { message, snippet, .. } if message.contains("empty") && snippet.is_empty()),
        "{err:?}"
    );
}

#[tokio::test]
async fn html_where_json_was_expected_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(path("/site/session/"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(WHOOPS_HTML, "text/html"))
        .mount(&server)
        .await;
    let err = client_for(&server.uri())
        .raw()
        .get_value(Host::Site, "/session/", &[])
        .await
        .unwrap_err();
    match &err {
        Error::Decode {
            message, snippet, ..
        } => {
            assert!(message.contains("HTML"), "{message}");
            assert!(snippet.starts_with("<!DOCTYPE html>"), "{snippet}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_slow_server_is_a_timeout_and_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/api/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .hosts(Hosts::sandbox_url(Url::parse(&server.uri()).unwrap()))
        .rate_limit(RateLimit::unlimited())
        .retry(policy())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = client
        .raw()
        .get_value(Host::Api, "/slow", &[])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(!err.is_retryable());
    assert_eq!(requests(&server).await, 1);
}

/// A TCP server on 127.0.0.1 that accepts connections and closes them at once, counting them.
async fn dropping_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&accepted);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    (format!("http://{addr}/"), accepted)
}

#[tokio::test]
async fn a_dropped_connection_is_retried_then_a_connection_error() {
    let (base, accepted) = dropping_server().await;
    let err = client_for(&base)
        .raw()
        .get_value(Host::Api, "/users/a", &[])
        .await
        .unwrap_err();
    match &err {
        Error::Connection { url, message, .. } => {
            assert!(url.ends_with("/api/users/a"), "{url}");
            assert!(!message.is_empty());
        }
        other => panic!("{other:?}"),
    }
    assert!(err.is_retryable());
    assert_eq!(accepted.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn a_dropped_connection_on_a_post_is_not_retried() {
    let (base, accepted) = dropping_server().await;
    let err = client_for(&base)
        .raw()
        .send(RawRequest::post(Host::Site, "/x").body(None, "{}"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn garbage_instead_of_http_is_a_connection_error() {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&accepted);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let _ = socket.write_all(b"this is not HTTP\r\n\r\n").await;
        }
    });
    let client = Client::builder()
        .hosts(Hosts::sandbox(addr))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client
        .raw()
        .get_value(Host::Api, "/x", &[])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_refused_connection_is_a_connection_error() {
    // Bind then free a port so that nothing listens on it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::builder()
        .hosts(Hosts::sandbox(addr))
        .retry(policy())
        .build()
        .unwrap();
    let err = client
        .raw()
        .get_value(Host::Api, "/x", &[])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
}
