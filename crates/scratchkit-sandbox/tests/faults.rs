//! Fault injection through the admin endpoint and the configuration.

mod common;

use std::time::Duration;

use common::{client, get_json, get_text, sandbox, sandbox_with};
use scratchkit_sandbox::SandboxConfig;
use serde_json::{Value, json};

async fn set_faults(sb: &scratchkit_sandbox::SandboxHandle, spec: Value) -> Value {
    let response = client()
        .post(format!("{}/_sandbox/faults", sb.base_url()))
        .json(&spec)
        .send()
        .await
        .expect("admin reachable");
    assert_eq!(response.status(), 200, "faults accepted");
    response.json().await.expect("json")
}

#[tokio::test]
async fn the_next_k_requests_fail_then_recover() {
    let sb = sandbox().await;
    let set = set_faults(&sb, json!({"kind": "503", "count": 2})).await;
    assert!(set["faults"].as_str().unwrap().contains("count=2"));
    let http = client();
    let url = format!("{}/api/users/mres", sb.base_url());
    for _ in 0..2 {
        let response = http.get(&url).send().await.unwrap();
        assert_eq!(response.status(), 503);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(response.text().await.unwrap().contains("503"));
        // Administration is never faulted (and does not use up the count).
        assert!(get_json(&sb, "/_sandbox/info").await["faults"].is_string());
    }
    assert_eq!(http.get(&url).send().await.unwrap().status(), 200);
    assert_eq!(http.get(&url).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn too_many_requests_with_and_without_retry_after() {
    let sb = sandbox().await;
    let http = client();
    let url = format!("{}/api/news", sb.base_url());
    set_faults(
        &sb,
        json!({"kind": "429-retry-after", "count": 1, "retry-after": 7}),
    )
    .await;
    let response = http.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "7");
    set_faults(&sb, json!({"kind": "429", "count": 1})).await;
    let response = http.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.headers().get("retry-after").is_none());
    assert_eq!(http.get(&url).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn a_dropped_connection_is_a_client_error_not_a_status() {
    let sb = sandbox().await;
    let http = client();
    let url = format!("{}/api/users/griffpatch", sb.base_url());
    assert_eq!(
        http.get(&url).send().await.unwrap().status(),
        200,
        "a pooled connection exists"
    );
    set_faults(&sb, json!({"kind": "dropped", "count": 1})).await;
    let err = http.get(&url).send().await.expect_err("no response at all");
    assert!(err.status().is_none());
    // hyper reports "connection closed before message completed" (IncompleteMessage).
    assert!(err.is_request(), "{err:?}");
    assert_eq!(
        http.get(&url).send().await.unwrap().status(),
        200,
        "the next request is served"
    );
}

#[tokio::test]
async fn faults_from_the_config_every_nth() {
    let config = SandboxConfig {
        faults: Some("every=2,kinds=502|504".parse().unwrap()),
        ..SandboxConfig::default()
    };
    let sb = sandbox_with(config).await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(get_text(&sb, "/api/").await.0);
    }
    assert_eq!(statuses, [200, 502, 200, 504]);
    let cleared = client()
        .delete(format!("{}/_sandbox/faults", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        cleared.json::<Value>().await.unwrap(),
        json!({"faults": null})
    );
    assert_eq!(get_text(&sb, "/api/").await.0, 200);
    let bad = client()
        .post(format!("{}/_sandbox/faults", sb.base_url()))
        .body(r#"{"kind":"teapot","count":1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
}

#[tokio::test(start_paused = true)]
async fn latency_is_added_before_answering() {
    let config = SandboxConfig {
        faults: Some("latency=30s".parse().unwrap()),
        ..SandboxConfig::default()
    };
    let sb = sandbox_with(config).await;
    let started = tokio::time::Instant::now();
    assert_eq!(get_text(&sb, "/api/health").await.0, 200);
    assert!(
        started.elapsed() >= Duration::from_secs(30),
        "virtual time advanced by the latency"
    );
    let started = tokio::time::Instant::now();
    assert_eq!(get_text(&sb, "/_sandbox/info").await.0, 200);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "admin paths get no latency"
    );
}
