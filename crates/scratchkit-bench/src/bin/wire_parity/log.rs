//! Reading a sandbox request log and cutting it into operations.
//!
//! Both sides announce each operation with a marker request, `GET /_sandbox/parity?op=NAME`
//! (`op=-` starts setup traffic that is not compared). The cloud witness writes the WebSocket
//! handshakes (with a `conn` number) and every message a client sent (`"method": "WS"`) into
//! the same file; messages belong to the operation of their connection's handshake, whenever
//! they were written. Requests the witness itself made to the sandbox carry the header
//! `x-parity-proxy` and are dropped, as are other `/_sandbox` requests.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

/// The header the cloud witness adds to its own upstream handshakes.
pub const PROXY_HEADER: &str = "x-parity-proxy";

/// Every logged request of each operation, in order.
pub type OpRequests = BTreeMap<String, Vec<Value>>;

/// Cuts `text` (JSON lines) into operations. Lines that are not JSON objects are skipped and
/// counted in the second value.
pub fn split(text: &str) -> (OpRequests, usize) {
    let mut ops = OpRequests::new();
    let mut current: Option<String> = None;
    let mut conns: HashMap<u64, Option<String>> = HashMap::new();
    let mut skipped = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(entry) = serde_json::from_str::<Value>(line) else {
            skipped += 1;
            continue;
        };
        if !entry.is_object() {
            skipped += 1;
            continue;
        }
        if entry["host"] == "sandbox" {
            if entry["path"] == "/parity" {
                current = entry["query"]["op"]
                    .as_str()
                    .filter(|op| *op != "-")
                    .map(str::to_owned);
            }
            continue;
        }
        if entry["headers"].get(PROXY_HEADER).is_some() {
            continue;
        }
        let conn = entry["conn"].as_u64();
        let owner = match (conn, entry["method"].as_str()) {
            (Some(id), Some("WS")) => conns.get(&id).cloned().flatten(),
            (Some(id), _) => {
                conns.insert(id, current.clone());
                current.clone()
            }
            (None, _) => current.clone(),
        };
        if let Some(op) = owner {
            ops.entry(op).or_default().push(entry);
        }
    }
    (ops, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_markers_and_drops_setup_and_admin() {
        let log = [
            r#"{"method":"GET","host":"api.scratch.mit.edu","path":"/before"}"#,
            r#"{"method":"GET","host":"sandbox","path":"/parity","query":{"op":"a"}}"#,
            r#"{"method":"GET","host":"api.scratch.mit.edu","path":"/one","headers":{}}"#,
            r#"{"method":"GET","host":"sandbox","path":"/info","query":{}}"#,
            r#"{"method":"GET","host":"sandbox","path":"/parity","query":{"op":"-"}}"#,
            r#"{"method":"GET","host":"api.scratch.mit.edu","path":"/setup"}"#,
            r#"{"method":"GET","host":"sandbox","path":"/parity","query":{"op":"b"}}"#,
            "not json",
            r#"{"method":"GET","host":"api.scratch.mit.edu","path":"/two"}"#,
            r#"{"method":"GET","host":"api.scratch.mit.edu","path":"/three"}"#,
        ]
        .join("\n");
        let (ops, skipped) = split(&log);
        assert_eq!(skipped, 1);
        let paths = |op: &str| -> Vec<String> {
            ops[op]
                .iter()
                .map(|e| e["path"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(paths("a"), ["/one"]);
        assert_eq!(paths("b"), ["/two", "/three"]);
        assert_eq!(ops.len(), 2);
    }

    #[test]
    fn websocket_messages_follow_their_handshake() {
        let log = [
            r#"{"method":"GET","host":"sandbox","path":"/parity","query":{"op":"cloud"}}"#,
            r#"{"method":"GET","host":"clouddata.scratch.mit.edu","path":"/","conn":7,"headers":{}}"#,
            r#"{"method":"GET","host":"clouddata.scratch.mit.edu","path":"/","headers":{"x-parity-proxy":"1"}}"#,
            r#"{"method":"GET","host":"sandbox","path":"/parity","query":{"op":"next"}}"#,
            r#"{"method":"WS","host":"clouddata.scratch.mit.edu","path":"/","conn":7,"body":{"method":"set"}}"#,
            r#"{"method":"GET","host":"api.scratch.mit.edu","path":"/x"}"#,
        ]
        .join("\n");
        let (ops, _) = split(&log);
        assert_eq!(ops["cloud"].len(), 2, "handshake and late message");
        assert_eq!(ops["cloud"][1]["method"], "WS");
        assert_eq!(ops["next"].len(), 1);
    }
}
