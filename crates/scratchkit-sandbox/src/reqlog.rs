//! The request log: one JSON line per request, secrets redacted.
//!
//! Each line is `{"method","host","path","query":{…},"headers":{…},"cookies":[…],"body":…}`
//! (`cookies`: the cookie names only; the front layer adds `trailing_slash`) where `host` is
//! the logical Scratch host (`api.scratch.mit.edu`), `path` has no sandbox prefix, header
//! values of `cookie`, `x-token`, `authorization` and `x-csrftoken` are `"<redacted>"`, and
//! `body` is the JSON value, a string, or `null`, with password and token fields redacted.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use http::HeaderMap;
use serde_json::{Map, Value};

/// Replacement text of a secret.
pub(crate) const REDACTED: &str = "<redacted>";

const SECRET_HEADERS: &[&str] = &[
    "cookie",
    "x-token",
    "authorization",
    "proxy-authorization",
    "x-csrftoken",
];

/// True for field names whose values are secrets (passwords, tokens).
fn is_secret_field(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("password")
        || matches!(
            lower.as_str(),
            "token" | "x-token" | "x_token" | "csrfmiddlewaretoken"
        )
}

/// An append-only JSON-lines file.
pub(crate) struct RequestLog {
    file: Mutex<File>,
}

impl RequestLog {
    pub(crate) fn open(path: &Path) -> std::io::Result<Self> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(Self {
            file: Mutex::new(file),
        })
    }

    pub(crate) fn write(&self, entry: &Value) {
        let mut line = entry.to_string();
        line.push('\n');
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(e) = file.write_all(line.as_bytes()) {
            tracing::warn!("request log write failed: {e}");
        }
    }
}

fn redact_value(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if is_secret_field(k) {
                    *v = Value::String(REDACTED.to_owned());
                } else {
                    redact_value(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_value),
        _ => {}
    }
}

/// A query string as a JSON object, secret values redacted.
pub(crate) fn query_object(query: &str) -> Value {
    let mut map = Map::new();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        let v = if is_secret_field(&k) {
            REDACTED.to_owned()
        } else {
            v.into_owned()
        };
        match map.get_mut(k.as_ref()) {
            Some(Value::Array(items)) => items.push(Value::String(v)),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, Value::String(v)]);
            }
            None => {
                map.insert(k.into_owned(), Value::String(v));
            }
        }
    }
    Value::Object(map)
}

fn headers_object(headers: &HeaderMap) -> Value {
    let mut map = Map::new();
    for name in headers.keys() {
        let value = if SECRET_HEADERS.contains(&name.as_str()) {
            REDACTED.to_owned()
        } else {
            headers
                .get_all(name)
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        };
        map.insert(name.as_str().to_owned(), Value::String(value));
    }
    Value::Object(map)
}

fn body_value(headers: &HeaderMap, body: &[u8]) -> Value {
    if body.is_empty() {
        return Value::Null;
    }
    if let Ok(mut json) = serde_json::from_slice::<Value>(body) {
        redact_value(&mut json);
        return json;
    }
    let Ok(text) = std::str::from_utf8(body) else {
        return Value::String(format!("<{} bytes of binary data>", body.len()));
    };
    let is_form = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if is_form {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in url::form_urlencoded::parse(text.as_bytes()) {
            let v = if is_secret_field(&k) {
                REDACTED.into()
            } else {
                v
            };
            out.append_pair(&k, &v);
        }
        return Value::String(out.finish());
    }
    Value::String(text.to_owned())
}

/// The names of the cookies in the `Cookie` headers (their values are secrets: never logged).
fn cookie_names(headers: &HeaderMap) -> Value {
    let mut names: Vec<String> = headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.split('=').next())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .collect();
    names.sort();
    names.dedup();
    Value::Array(names.into_iter().map(Value::String).collect())
}

/// One log line's JSON.
pub(crate) fn entry(
    method: &str,
    sandbox_path: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Value {
    let (host, path) = crate::hosts::logical(sandbox_path);
    serde_json::json!({
        "method": method,
        "host": host,
        "path": path,
        "query": query_object(query),
        "headers": headers_object(headers),
        "cookies": cookie_names(headers),
        "body": body_value(headers, body),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_secrets_everywhere() {
        let mut headers = HeaderMap::new();
        headers.insert("cookie", "scratchsessionsid=abc".parse().unwrap());
        headers.insert("x-token", "tok".parse().unwrap());
        headers.insert(
            "content-type",
            "application/x-www-form-urlencoded".parse().unwrap(),
        );
        let e = entry(
            "POST",
            "/site/login",
            "x-token=t&a=1&a=2",
            &headers,
            b"username=u&password=p",
        );
        assert_eq!(e["host"], "scratch.mit.edu");
        assert_eq!(e["path"], "/login");
        assert_eq!(e["headers"]["cookie"], REDACTED);
        assert_eq!(e["cookies"], serde_json::json!(["scratchsessionsid"]));
        assert_eq!(e["headers"]["x-token"], REDACTED);
        assert_eq!(e["query"]["x-token"], REDACTED);
        assert_eq!(e["query"]["a"], serde_json::json!(["1", "2"]));
        assert_eq!(e["body"], "username=u&password=%3Credacted%3E");
        let text = e.to_string();
        assert!(!text.contains("abc") && !text.contains("tok\""));
    }

    #[test]
    fn json_bodies_stay_json() {
        let e = entry(
            "POST",
            "/site/login",
            "",
            &HeaderMap::new(),
            br#"{"username":"u","password":"p"}"#,
        );
        assert_eq!(
            e["body"],
            serde_json::json!({"username":"u","password":REDACTED})
        );
        let e = entry("GET", "/api", "", &HeaderMap::new(), b"");
        assert_eq!(e["body"], Value::Null);
        let e = entry("PUT", "/assets/x.png", "", &HeaderMap::new(), &[0xff, 0xfe]);
        assert_eq!(e["body"], "<2 bytes of binary data>");
    }
}
