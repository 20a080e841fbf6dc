//! The last requests the sandbox served, kept in memory for the panel's live request log
//! (`GET /_sandbox/requests`). Query values that are secrets are redacted as in the request
//! log file; headers and bodies are not kept.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{Value, json};

use crate::hosts::{logical, sandbox_path};
use crate::state::Shared;

/// How many requests are kept.
const KEEP: usize = 2000;
/// The panel's own polling path, never recorded (it would drown everything else).
pub(crate) const POLL_PATH: &str = "/_sandbox/requests";

/// One served request.
#[derive(Debug, Clone)]
struct Entry {
    seq: u64,
    at_ms: i64,
    method: String,
    host: String,
    path: String,
    query: Value,
    status: u16,
    millis: u64,
}

#[derive(Debug, Default)]
struct Ring {
    next: u64,
    items: VecDeque<Entry>,
}

/// The ring of recent requests (oldest dropped first).
#[derive(Debug, Default)]
pub(crate) struct Recent {
    ring: Mutex<Ring>,
}

impl Recent {
    fn push(&self, mut entry: Entry) {
        let mut ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
        ring.next += 1;
        entry.seq = ring.next;
        if ring.items.len() == KEEP {
            ring.items.pop_front();
        }
        ring.items.push_back(entry);
    }

    /// Entries after `after` (a `seq`), oldest first, whose host and path contain the filters
    /// (case-insensitive; empty filters keep everything), at most `limit`.
    pub(crate) fn since(&self, after: u64, host: &str, path: &str, limit: usize) -> Value {
        let host = host.to_ascii_lowercase();
        let path = path.to_ascii_lowercase();
        let ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
        let items: Vec<Value> = ring
            .items
            .iter()
            .filter(|e| e.seq > after)
            .filter(|e| e.host.to_ascii_lowercase().contains(&host))
            .filter(|e| e.path.to_ascii_lowercase().contains(&path))
            .take(limit)
            .map(|e| {
                json!({
                    "seq": e.seq, "at_ms": e.at_ms, "method": e.method, "host": e.host,
                    "path": e.path, "query": e.query, "status": e.status, "millis": e.millis,
                })
            })
            .collect();
        json!({"last": ring.next, "requests": items})
    }

    /// How many entries are kept now.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.ring.lock().map(|r| r.items.len()).unwrap_or(0)
    }
}

/// Outermost layer: records every request as the client sent it (its `Host` and path,
/// before the sandbox's own rewriting), with the status it got, faults included.
pub(crate) async fn record(State(s): State<Shared>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let host_header = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned);
    let websocket = req
        .headers()
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    let full = sandbox_path(host_header.as_deref(), websocket, req.uri().path());
    let method = req.method().as_str().to_owned();
    let query = crate::reqlog::query_object(req.uri().query().unwrap_or(""));
    let response = next.run(req).await;
    if full != POLL_PATH {
        let (host, path) = logical(&full);
        s.recent.push(Entry {
            seq: 0,
            at_ms: crate::timefmt::now_millis(),
            method,
            host,
            path,
            query,
            status: response.status().as_u16(),
            millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        });
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(host: &str, path: &str) -> Entry {
        Entry {
            seq: 0,
            at_ms: 0,
            method: "GET".into(),
            host: host.into(),
            path: path.into(),
            query: json!({}),
            status: 200,
            millis: 1,
        }
    }

    #[test]
    fn filters_and_pages_by_sequence() {
        let r = Recent::default();
        r.push(entry("api.scratch.mit.edu", "/users/mres"));
        r.push(entry("scratch.mit.edu", "/session"));
        r.push(entry("api.scratch.mit.edu", "/projects/1"));
        let all = r.since(0, "", "", 100);
        assert_eq!(all["last"], 3);
        assert_eq!(all["requests"].as_array().unwrap().len(), 3);
        let api = r.since(0, "API.", "", 100);
        assert_eq!(api["requests"].as_array().unwrap().len(), 2);
        let after = r.since(2, "", "", 100);
        assert_eq!(after["requests"][0]["path"], "/projects/1");
        let path = r.since(0, "", "users", 100);
        assert_eq!(path["requests"][0]["seq"], 1);
        assert_eq!(
            r.since(0, "", "", 1)["requests"].as_array().unwrap().len(),
            1
        );
    }

    #[test]
    fn keeps_a_bounded_number() {
        let r = Recent::default();
        for i in 0..KEEP + 5 {
            r.push(entry("h", &format!("/{i}")));
        }
        assert_eq!(r.len(), KEEP);
        assert_eq!(r.since(0, "", "", 1)["requests"][0]["seq"], 6);
    }
}
