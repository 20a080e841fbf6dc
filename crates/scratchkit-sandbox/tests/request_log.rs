//! The request log: one JSON line per request, logical host, secrets redacted.

mod common;

use common::{client, sandbox_with};
use scratchkit_sandbox::SandboxConfig;
use serde_json::{Value, json};

#[tokio::test]
async fn logs_one_redacted_line_per_request() {
    let path = std::env::temp_dir().join(format!(
        "scratchkit-sandbox-log-{}.jsonl",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    let sb = sandbox_with(SandboxConfig {
        log_requests: Some(path.clone()),
        ..SandboxConfig::default()
    })
    .await;
    let http = client();
    let base = sb.base_url();
    http.get(format!("{base}/api/users/mres/projects/?limit=2&offset=4"))
        .header("Cookie", "scratchsessionsid=very-secret-session")
        .header("X-Token", "very-secret-token")
        .header("X-Requested-With", "XMLHttpRequest")
        .send()
        .await
        .unwrap();
    http.post(format!("{base}/site/login/"))
        .header("Content-Type", "application/json")
        .body(r#"{"username":"griffpatch","password":"hunter2-secret"}"#)
        .send()
        .await
        .unwrap();
    http.get(format!("{base}/users/ScratchCat"))
        .header("Host", "api.scratch.mit.edu")
        .send()
        .await
        .unwrap();
    sb.shutdown().await;

    let text = std::fs::read_to_string(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(
        !text.contains("very-secret") && !text.contains("hunter2-secret"),
        "secrets leaked: {text}"
    );
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{text}");

    let first = &lines[0];
    assert_eq!(first["method"], "GET");
    assert_eq!(first["host"], "api.scratch.mit.edu");
    assert_eq!(first["path"], "/users/mres/projects");
    assert_eq!(first["query"], json!({"limit": "2", "offset": "4"}));
    assert_eq!(first["headers"]["cookie"], "<redacted>");
    assert_eq!(first["headers"]["x-token"], "<redacted>");
    assert_eq!(first["headers"]["x-requested-with"], "XMLHttpRequest");
    assert_eq!(first["body"], Value::Null);

    let login = &lines[1];
    assert_eq!(
        (
            login["method"].as_str(),
            login["host"].as_str(),
            login["path"].as_str()
        ),
        (Some("POST"), Some("scratch.mit.edu"), Some("/login"))
    );
    assert_eq!(
        login["body"],
        json!({"username": "griffpatch", "password": "<redacted>"})
    );

    let routed = &lines[2];
    assert_eq!(
        (routed["host"].as_str(), routed["path"].as_str()),
        (Some("api.scratch.mit.edu"), Some("/users/ScratchCat"))
    );
}
