//! Comparing what the two clients sent for one operation.
//!
//! Requests are paired by method, logical host and path shape (numbers as `{n}`; for
//! WebSocket messages, the message's `method`). For every pair the facts the live site cares
//! about are compared: the path, the query keys, `X-Token`, the Scratch cookies by name and the
//! kind of User-Agent; for writes (and WebSocket handshakes) also `X-CSRFToken`,
//! `X-Requested-With`, the `Referer` and `Origin` hosts, the `Content-Type` and the body's keys
//! and JSON types. A trailing slash is normalised away but reported as a note.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// One way the two sides differ: `kind` names what (`query:cachebust`, `header:x-token`,
/// `method`, `only-scratchattach`…), `detail` says how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub kind: String,
    pub detail: String,
}

/// The comparison of one operation.
#[derive(Debug, Clone, Default)]
pub struct OpComparison {
    pub differences: Vec<Difference>,
    pub notes: Vec<String>,
}

/// The Scratch cookies whose presence is compared.
const SCRATCH_COOKIES: &[&str] = &["scratchcsrftoken", "scratchlanguage", "scratchsessionsid"];

/// The logical host of a URL: a sandbox URL (`http://127.0.0.1:P/site/…`) maps back to the
/// Scratch host its prefix stands for (`scratch.mit.edu`).
pub fn logical_url_host(url: &str) -> String {
    let Some((_, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = authority
        .rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(authority, |(h, _)| h);
    if host != "127.0.0.1" && host != "localhost" {
        return host.to_owned();
    }
    let first = path.split('/').next().unwrap_or("");
    match first {
        "api" => "api.scratch.mit.edu",
        "site" => "scratch.mit.edu",
        "projects" => "projects.scratch.mit.edu",
        "cloud" | "clouddata" => "clouddata.scratch.mit.edu",
        "turbowarp" => "clouddata.turbowarp.org",
        "" => "the sandbox itself",
        _ => "an unknown sandbox prefix",
    }
    .to_owned()
}

fn header<'a>(entry: &'a Value, name: &str) -> Option<&'a str> {
    entry["headers"].get(name).and_then(Value::as_str)
}

/// What a User-Agent looks like.
fn user_agent_kind(entry: &Value) -> &'static str {
    match header(entry, "user-agent") {
        None => "none",
        Some(ua) if ua.starts_with("Mozilla/") => "a browser's",
        Some(_) => "a descriptive one",
    }
}

fn is_write(entry: &Value) -> bool {
    let method = entry["method"].as_str().unwrap_or("");
    !matches!(method, "GET" | "HEAD") || entry.get("conn").is_some()
}

/// `/users/mres/projects/142/` → `/users/mres/projects/{n}`.
fn path_shape(path: &str) -> String {
    path.trim_end_matches('/')
        .split('/')
        .map(|seg| {
            if !seg.is_empty() && seg.chars().all(|c| c.is_ascii_digit()) {
                "{n}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn pair_key(entry: &Value) -> String {
    let method = entry["method"].as_str().unwrap_or("?");
    let host = entry["host"].as_str().unwrap_or("?");
    let path = path_shape(entry["path"].as_str().unwrap_or(""));
    if method == "WS" {
        let message = entry["body"]["method"].as_str().unwrap_or("?");
        return format!("WS {host} {message}");
    }
    format!("{method} {host}{path}")
}

/// A short description of a request, for messages.
pub fn describe(entry: &Value) -> String {
    let method = entry["method"].as_str().unwrap_or("?");
    let host = entry["host"].as_str().unwrap_or("?");
    if method == "WS" {
        return format!(
            "WS {host} message {}",
            entry["body"]["method"].as_str().unwrap_or("?")
        );
    }
    format!("{method} {host}{}", entry["path"].as_str().unwrap_or(""))
}

/// The JSON type name of a value.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The body as an object of fields when it has fields: JSON objects as they are, form bodies
/// (`a=1&b=2`) as string fields.
fn body_fields(entry: &Value) -> Option<BTreeMap<String, Value>> {
    match &entry["body"] {
        Value::Object(map) => Some(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        Value::String(text) if is_form(entry) => Some(
            text.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let key = p.split('=').next().unwrap_or("");
                    (key.to_owned(), Value::String(String::new()))
                })
                .collect(),
        ),
        _ => None,
    }
}

fn is_form(entry: &Value) -> bool {
    content_type(entry).as_deref() == Some("application/x-www-form-urlencoded")
}

fn content_type(entry: &Value) -> Option<String> {
    header(entry, "content-type").map(|ct| {
        ct.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    })
}

fn side_only(in_sa: bool) -> &'static str {
    if in_sa {
        "only scratchattach sends it"
    } else {
        "only scratchkit sends it"
    }
}

fn compare_fields(
    prefix: &str,
    sa: &BTreeMap<String, Value>,
    sk: &BTreeMap<String, Value>,
    out: &mut Vec<Difference>,
) {
    let keys: BTreeSet<&String> = sa.keys().chain(sk.keys()).collect();
    for key in keys {
        let name = format!("{prefix}{key}");
        match (sa.get(key), sk.get(key)) {
            (Some(a), Some(b)) => match (a, b) {
                (Value::Object(a), Value::Object(b)) => {
                    let a = a.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                    let b = b.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                    compare_fields(&format!("{name}."), &a, &b, out);
                }
                _ if type_name(a) != type_name(b) => out.push(Difference {
                    kind: format!("body-type:{name}"),
                    detail: format!(
                        "scratchattach sends a {}, scratchkit a {}",
                        type_name(a),
                        type_name(b)
                    ),
                }),
                _ => {}
            },
            (a, _) => out.push(Difference {
                kind: format!("body-key:{name}"),
                detail: side_only(a.is_some()).to_owned(),
            }),
        }
    }
}

fn compare_presence(kind: &str, sa: bool, sk: bool, out: &mut Vec<Difference>) {
    if sa != sk {
        out.push(Difference {
            kind: kind.to_owned(),
            detail: side_only(sa).to_owned(),
        });
    }
}

fn compare_value(kind: &str, sa: Option<String>, sk: Option<String>, out: &mut Vec<Difference>) {
    if sa != sk {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "nothing".into());
        out.push(Difference {
            kind: kind.to_owned(),
            detail: format!("scratchattach: {}, scratchkit: {}", show(&sa), show(&sk)),
        });
    }
}

fn key_set(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn cookie_set(entry: &Value) -> BTreeSet<String> {
    entry["cookies"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|name| SCRATCH_COOKIES.contains(name))
        .map(str::to_owned)
        .collect()
}

/// The differences between two requests paired as the same call.
pub fn compare_pair(sa: &Value, sk: &Value, notes: &mut Vec<String>) -> Vec<Difference> {
    let mut out = Vec::new();
    let (sa_path, sk_path) = (
        sa["path"].as_str().unwrap_or(""),
        sk["path"].as_str().unwrap_or(""),
    );
    if sa_path.trim_end_matches('/') != sk_path.trim_end_matches('/') {
        out.push(Difference {
            kind: "path".into(),
            detail: format!("scratchattach {sa_path}, scratchkit {sk_path}"),
        });
    }
    let slash = |e: &Value| e["trailing_slash"].as_bool().unwrap_or(false);
    if slash(sa) != slash(sk) {
        let with = |e: &Value| if slash(e) { "with" } else { "without" };
        notes.push(format!(
            "{}: scratchattach {} trailing slash, scratchkit {}",
            describe(sa),
            with(sa),
            with(sk)
        ));
    }
    if sa["method"] == "WS" {
        compare_body(sa, sk, &mut out);
        return out;
    }
    let (sa_query, sk_query) = (key_set(&sa["query"]), key_set(&sk["query"]));
    for key in sa_query.symmetric_difference(&sk_query) {
        out.push(Difference {
            kind: format!("query:{key}"),
            detail: side_only(sa_query.contains(key)).to_owned(),
        });
    }
    compare_presence(
        "header:x-token",
        header(sa, "x-token").is_some(),
        header(sk, "x-token").is_some(),
        &mut out,
    );
    let (sa_cookies, sk_cookies) = (cookie_set(sa), cookie_set(sk));
    for name in sa_cookies.symmetric_difference(&sk_cookies) {
        out.push(Difference {
            kind: format!("cookie:{name}"),
            detail: side_only(sa_cookies.contains(name)).to_owned(),
        });
    }
    compare_value(
        "user-agent",
        Some(user_agent_kind(sa).to_owned()),
        Some(user_agent_kind(sk).to_owned()),
        &mut out,
    );
    if !(is_write(sa) || is_write(sk)) {
        return out;
    }
    for name in ["x-csrftoken", "x-requested-with"] {
        compare_presence(
            &format!("header:{name}"),
            header(sa, name).is_some(),
            header(sk, name).is_some(),
            &mut out,
        );
    }
    for name in ["referer", "origin"] {
        compare_value(
            &format!("header:{name}"),
            header(sa, name).map(logical_url_host),
            header(sk, name).map(logical_url_host),
            &mut out,
        );
    }
    let has_body = |e: &Value| !e["body"].is_null();
    if has_body(sa) || has_body(sk) {
        compare_value("content-type", content_type(sa), content_type(sk), &mut out);
    }
    compare_body(sa, sk, &mut out);
    out
}

fn compare_body(sa: &Value, sk: &Value, out: &mut Vec<Difference>) {
    match (body_fields(sa), body_fields(sk)) {
        (Some(a), Some(b)) => compare_fields("", &a, &b, out),
        (None, None) => {
            let (a, b) = (type_name(&sa["body"]), type_name(&sk["body"]));
            if a != b {
                out.push(Difference {
                    kind: "body".into(),
                    detail: format!("scratchattach sends {a}, scratchkit {b}"),
                });
            }
        }
        (a, _) => out.push(Difference {
            kind: "body".into(),
            detail: format!(
                "{} sends fields, the other {}",
                if a.is_some() {
                    "scratchattach"
                } else {
                    "scratchkit"
                },
                if a.is_some() {
                    type_name(&sk["body"])
                } else {
                    type_name(&sa["body"])
                }
            ),
        }),
    }
}

/// Pairs and compares the requests of one operation.
pub fn compare_op(sa: &[Value], sk: &[Value]) -> OpComparison {
    let mut result = OpComparison::default();
    let mut used = vec![false; sk.len()];
    for a in sa {
        let key = pair_key(a);
        let found = sk
            .iter()
            .enumerate()
            .find(|(i, b)| !used[*i] && pair_key(b) == key);
        match found {
            Some((i, b)) => {
                used[i] = true;
                let diffs = compare_pair(a, b, &mut result.notes);
                result.differences.extend(diffs);
            }
            None => result.differences.push(Difference {
                kind: "only-scratchattach".into(),
                detail: describe(a),
            }),
        }
    }
    for (b, used) in sk.iter().zip(used) {
        if !used {
            result.differences.push(Difference {
                kind: "only-scratchkit".into(),
                detail: describe(b),
            });
        }
    }
    result.differences.dedup();
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn get(path: &str, ua: &str) -> Value {
        json!({"method":"GET","host":"api.scratch.mit.edu","path":path,"query":{},
               "headers":{"user-agent":ua},"cookies":[],"body":null})
    }

    #[test]
    fn identical_reads_have_no_differences() {
        let a = get("/users/mres", "scratchkit/0.1");
        let r = compare_op(std::slice::from_ref(&a), std::slice::from_ref(&a));
        assert!(r.differences.is_empty(), "{:?}", r.differences);
        assert!(r.notes.is_empty());
    }

    #[test]
    fn reports_query_keys_user_agent_and_trailing_slash() {
        let mut a = get("/users/mres/projects/142/comments", "Mozilla/5.0");
        a["query"] = json!({"limit":"40","offset":"0","cachebust":"12"});
        a["trailing_slash"] = json!(true);
        let mut b = get("/users/mres/projects/142/comments", "scratchkit/0.1");
        b["query"] = json!({"limit":"40","offset":"0"});
        let r = compare_op(&[a], &[b]);
        let kinds: Vec<&str> = r.differences.iter().map(|d| d.kind.as_str()).collect();
        assert_eq!(kinds, ["query:cachebust", "user-agent"]);
        assert_eq!(r.notes.len(), 1);
        assert!(r.notes[0].contains("scratchattach with trailing slash"));
    }

    #[test]
    fn writes_compare_csrf_referer_and_body_types() {
        let a = json!({"method":"POST","host":"api.scratch.mit.edu","path":"/proxy/comments/project/142",
            "query":{},"cookies":["scratchcsrftoken","scratchsessionsid"],
            "headers":{"user-agent":"x","x-csrftoken":"<redacted>","x-requested-with":"XMLHttpRequest",
                       "referer":"https://scratch.mit.edu/projects/142","content-type":"application/json"},
            "body":{"content":"hi","parent_id":"","commentee_id":""}});
        let b = json!({"method":"POST","host":"api.scratch.mit.edu","path":"/proxy/comments/project/142",
            "query":{},"cookies":["scratchsessionsid"],
            "headers":{"user-agent":"x","x-csrftoken":"<redacted>",
                       "referer":"http://127.0.0.1:5/site/projects/142/","content-type":"application/json; charset=utf-8"},
            "body":{"content":"hi","parent_id":1}});
        let r = compare_op(&[a], &[b]);
        let kinds: Vec<&str> = r.differences.iter().map(|d| d.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "cookie:scratchcsrftoken",
                "header:x-requested-with",
                "body-key:commentee_id",
                "body-type:parent_id"
            ]
        );
    }

    #[test]
    fn unpaired_requests_and_methods_are_differences() {
        let mut del = get("/proxy/comments/project/1/comment/2/report", "x");
        del["method"] = json!("DELETE");
        let mut post = get("/proxy/project/1/comment/2/report", "x");
        post["method"] = json!("POST");
        let r = compare_op(&[del], &[post]);
        let kinds: Vec<&str> = r.differences.iter().map(|d| d.kind.as_str()).collect();
        assert_eq!(kinds, ["only-scratchattach", "only-scratchkit"]);
        assert!(
            r.differences[0]
                .detail
                .starts_with("DELETE api.scratch.mit.edu/proxy/comments")
        );
    }

    #[test]
    fn websocket_messages_pair_by_message_method() {
        let frame = |v: Value| json!({"method":"WS","host":"clouddata.scratch.mit.edu","path":"/","conn":1,"body":v});
        let a =
            frame(json!({"method":"set","name":"☁ a","value":"1","user":"u","project_id":"142"}));
        let b = frame(json!({"method":"set","name":"☁ a","value":1,"user":"u","project_id":"142"}));
        let r = compare_op(&[a], &[b]);
        assert_eq!(r.differences.len(), 1);
        assert_eq!(r.differences[0].kind, "body-type:value");
    }

    #[test]
    fn sandbox_urls_map_back_to_scratch_hosts() {
        assert_eq!(
            logical_url_host("http://127.0.0.1:80/site/projects/1/"),
            "scratch.mit.edu"
        );
        assert_eq!(
            logical_url_host("https://scratch.mit.edu"),
            "scratch.mit.edu"
        );
        assert_eq!(
            logical_url_host("http://localhost:9/api/x"),
            "api.scratch.mit.edu"
        );
        assert_eq!(
            path_shape("/users/a/projects/142/"),
            "/users/a/projects/{n}"
        );
    }
}
