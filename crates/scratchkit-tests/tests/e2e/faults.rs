//! Retries against the sandbox's fault injection (paused clock: waits cost no real time).

use std::time::Duration;

use scratchkit::model::UserId;
use scratchkit::{Error, RetryPolicy, StatusCode};
use scratchkit_tests::TestSandbox;
use serde_json::json;
use tokio::time::Instant;

/// A client whose request timeout cannot fire while the paused clock jumps over waits.
fn client(sb: &TestSandbox) -> scratchkit::Client {
    sb.client_builder()
        .timeout(Duration::from_secs(3600))
        .retry(RetryPolicy::new(
            3,
            Duration::from_millis(500),
            Duration::from_secs(30),
        ))
        .build()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn two_503s_then_success() {
    let sb = TestSandbox::start_logged().await;
    let client = client(&sb);
    sb.set_faults(json!({"kind": "503", "count": 2})).await;
    let user = client.user("mres").info().await.unwrap();
    assert_eq!(user.id, UserId(167));
    assert_eq!(
        sb.requests_to("/users/mres").len(),
        3,
        "two failures, one success"
    );
}

#[tokio::test(start_paused = true)]
async fn too_many_requests_waits_for_retry_after() {
    let sb = TestSandbox::start_logged().await;
    let client = client(&sb);
    sb.set_faults(json!({"kind": "429-retry-after", "count": 1, "retry-after": 7}))
        .await;
    let start = Instant::now();
    let page = client.news().limit(2).await.unwrap();
    assert_eq!(page.len(), 2);
    assert!(
        start.elapsed() >= Duration::from_secs(7),
        "Retry-After honoured: {:?}",
        start.elapsed()
    );
    assert_eq!(sb.requests_to("/news").len(), 2);
}

#[tokio::test(start_paused = true)]
async fn dropped_connection_is_retried() {
    let sb = TestSandbox::start_logged().await;
    let client = client(&sb);
    sb.set_faults(json!({"kind": "dropped", "count": 1})).await;
    let studio = client.studio(5342u64).info().await.unwrap();
    assert_eq!(studio.title, "Sandbox Showcase");
    assert_eq!(sb.requests_to("/studios/5342").len(), 2);
}

#[tokio::test(start_paused = true)]
async fn server_errors_are_not_retried_and_retries_run_out() {
    let sb = TestSandbox::start_logged().await;
    let client = client(&sb);
    sb.set_faults(json!({"kind": "500", "count": 1})).await;
    let err = client.project(142u64).info().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Server {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(sb.requests_to("/projects/142").len(), 1);

    sb.set_faults(json!({"kind": "503", "count": 10})).await;
    let err = client.health().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Server {
                status: StatusCode::SERVICE_UNAVAILABLE,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(sb.requests_to("/health").len(), 4, "1 attempt + 3 retries");
}
