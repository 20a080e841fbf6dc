//! Helpers shared by the sandbox's integration tests: spawn on 127.0.0.1:0, fetch, compare shapes.
#![allow(dead_code)]

pub mod session;

use std::path::PathBuf;

use scratchkit_sandbox::{SandboxConfig, SandboxHandle, spawn_with};
use serde_json::Value;

/// A sandbox on an ephemeral loopback port.
pub async fn sandbox() -> SandboxHandle {
    sandbox_with(SandboxConfig::default()).await
}

pub async fn sandbox_with(config: SandboxConfig) -> SandboxHandle {
    spawn_with(([127, 0, 0, 1], 0).into(), config)
        .await
        .expect("sandbox starts")
}

/// A plain HTTP client (no proxy: everything stays on 127.0.0.1).
pub fn client() -> reqwest::Client {
    // reqwest is built without a default TLS provider in this workspace; install ring once.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client builds")
}

/// POST `body` to the admin API (`/_sandbox<path>`): the status and the body's text.
pub async fn admin_post(sb: &SandboxHandle, path: &str, body: Value) -> (u16, String) {
    let response = client()
        .post(format!("{}/_sandbox{path}", sb.base_url()))
        .body(body.to_string())
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

/// POST `body` to the admin API (`/_sandbox<path>`), expecting success and a JSON answer.
pub async fn admin(sb: &SandboxHandle, path: &str, body: Value) -> Value {
    let (status, text) = admin_post(sb, path, body).await;
    assert!((200..300).contains(&status), "{path}");
    serde_json::from_str(&text).expect("json")
}

/// GET `base + path`, expecting 200 and a JSON body.
pub async fn get_json(sb: &SandboxHandle, path: &str) -> Value {
    let url = format!("{}{path}", sb.base_url());
    let response = client().get(&url).send().await.expect("request sent");
    assert_eq!(response.status(), 200, "GET {url}");
    let text = response.text().await.expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("GET {url}: not JSON ({e}): {text}"))
}

/// GET `base + path`: status and body text.
pub async fn get_text(sb: &SandboxHandle, path: &str) -> (u16, String) {
    let response = client()
        .get(format!("{}{path}", sb.base_url()))
        .send()
        .await
        .expect("request sent");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

/// The in-repository copy of the real fixtures.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/real")
}

pub fn fixture(name: &str) -> Value {
    let path = fixtures_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Differences of shape between a real response and ours: objects must have the same key
/// sets, arrays are compared through their first elements, JSON types must agree (a real
/// `null` matches anything; a real float accepts an integer, not the other way round).
pub fn shape_diff(real: &Value, ours: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk("$", real, ours, &mut out);
    out
}

fn walk(path: &str, real: &Value, ours: &Value, out: &mut Vec<String>) {
    match (real, ours) {
        (Value::Null, _) => {}
        (Value::Object(r), Value::Object(o)) => {
            for key in r.keys().filter(|k| !o.contains_key(*k)) {
                out.push(format!("{path}: missing key {key}"));
            }
            for key in o.keys().filter(|k| !r.contains_key(*k)) {
                out.push(format!("{path}: extra key {key}"));
            }
            for (key, rv) in r {
                if let Some(ov) = o.get(key) {
                    walk(&format!("{path}.{key}"), rv, ov, out);
                }
            }
        }
        (Value::Array(r), Value::Array(o)) => match (r.first(), o.first()) {
            (Some(rf), Some(of)) => walk(&format!("{path}[0]"), rf, of, out),
            (Some(_), None) => out.push(format!("{path}: real array has elements, ours is empty")),
            _ => {}
        },
        (Value::Number(r), Value::Number(_)) if r.is_f64() => {}
        (r, o) if type_name(r) == type_name(o) => {}
        (r, o) => out.push(format!(
            "{path}: expected {}, found {}",
            type_name(r),
            type_name(o)
        )),
    }
}
