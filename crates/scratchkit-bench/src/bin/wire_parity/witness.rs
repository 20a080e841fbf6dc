//! The cloud witness: a WebSocket proxy in front of the sandbox's cloud servers that writes
//! what each client sent into the sandbox's request log (the HTTP log cannot see WebSocket
//! messages). It logs the handshake request (headers redacted like the sandbox does, cookies
//! by name) with a connection number, then every message the client sends, one log line per
//! `\n`-separated message (`"method": "WS"`, the message as `body`), and forwards everything
//! both ways. Its own upstream handshake carries `x-parity-proxy` so the log reader drops it.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Map, Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::http::{HeaderMap, HeaderValue};

use crate::log::PROXY_HEADER;

const SECRET_HEADERS: &[&str] = &["cookie", "x-token", "authorization"];
const FORWARDED_HEADERS: &[&str] = &["cookie", "origin", "user-agent"];

/// A running witness.
pub struct Witness {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Witness {
    /// Its `HOST:PORT`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Witness {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts a witness on `127.0.0.1:0` for the sandbox at `upstream`, logging to `log`.
pub async fn start(upstream: SocketAddr, log: PathBuf) -> std::io::Result<Witness> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let log = Arc::new(log);
    let next = Arc::new(AtomicU64::new(1));
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let conn = next.fetch_add(1, Ordering::Relaxed);
            let log = Arc::clone(&log);
            tokio::spawn(async move {
                if let Err(e) = relay(stream, upstream, &log, conn).await {
                    eprintln!("wire-parity: cloud witness connection {conn}: {e}");
                }
            });
        }
    });
    Ok(Witness { addr, task })
}

fn append(log: &PathBuf, entry: &Value) {
    let line = format!("{entry}\n");
    let written = OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .and_then(|mut f| f.write_all(line.as_bytes()));
    if let Err(e) = written {
        eprintln!("wire-parity: cannot write {}: {e}", log.display());
    }
}

/// The logical host of a cloud path of the sandbox.
fn cloud_host(path: &str) -> &'static str {
    if path.starts_with("/turbowarp") {
        "clouddata.turbowarp.org"
    } else {
        "clouddata.scratch.mit.edu"
    }
}

/// The handshake as a request-log line (secrets redacted, cookies by name).
pub fn handshake_entry(path: &str, headers: &HeaderMap, conn: u64) -> Value {
    let mut logged = Map::new();
    for name in headers.keys() {
        let value = if SECRET_HEADERS.contains(&name.as_str()) {
            "<redacted>".to_owned()
        } else {
            headers
                .get_all(name)
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        };
        logged.insert(name.as_str().to_owned(), Value::String(value));
    }
    let mut cookies: Vec<String> = headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.split('=').next())
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect();
    cookies.sort();
    cookies.dedup();
    let (bare, query) = path.split_once('?').unwrap_or((path, ""));
    let query: Map<String, Value> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_owned(), Value::String(v.to_owned()))
        })
        .collect();
    json!({
        "method": "GET",
        "host": cloud_host(bare),
        "path": "/",
        "query": query,
        "headers": logged,
        "cookies": cookies,
        "trailing_slash": bare.len() > 1 && bare.ends_with('/'),
        "body": null,
        "conn": conn,
        "websocket": true,
    })
}

/// One client message (one line of a frame) as a request-log line.
pub fn message_entry(host: &str, line: &str, conn: u64) -> Value {
    let body = serde_json::from_str::<Value>(line).unwrap_or_else(|_| Value::String(line.into()));
    json!({"method": "WS", "host": host, "path": "/", "query": {}, "headers": {},
           "cookies": [], "body": body, "conn": conn})
}

// The accept callback's error type is tungstenite's HTTP response (its signature, not ours).
#[allow(clippy::result_large_err)]
async fn relay(
    stream: TcpStream,
    upstream: SocketAddr,
    log: &PathBuf,
    conn: u64,
) -> Result<(), String> {
    let seen: Arc<Mutex<Option<(String, HeaderMap)>>> = Arc::new(Mutex::new(None));
    let keep = Arc::clone(&seen);
    let client =
        tokio_tungstenite::accept_hdr_async(stream, move |req: &Request, resp: Response| {
            let path = req
                .uri()
                .path_and_query()
                .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
            if let Ok(mut slot) = keep.lock() {
                *slot = Some((path, req.headers().clone()));
            }
            Ok(resp)
        })
        .await
        .map_err(|e| format!("client handshake: {e}"))?;
    let (path, headers) = seen
        .lock()
        .ok()
        .and_then(|mut s| s.take())
        .ok_or("no handshake seen")?;
    append(log, &handshake_entry(&path, &headers, conn));
    let host = cloud_host(&path);

    let mut request = format!("ws://{upstream}{path}")
        .into_client_request()
        .map_err(|e| format!("upstream request: {e}"))?;
    for name in FORWARDED_HEADERS {
        for value in headers.get_all(*name) {
            request.headers_mut().append(*name, value.clone());
        }
    }
    request
        .headers_mut()
        .insert(PROXY_HEADER, HeaderValue::from_static("1"));
    let (server, _) = tokio_tungstenite::connect_async(request)
        .await
        .map_err(|e| format!("upstream handshake: {e}"))?;

    let (mut client_tx, mut client_rx) = client.split();
    let (mut server_tx, mut server_rx) = server.split();
    loop {
        tokio::select! {
            from_client = client_rx.next() => {
                let Some(Ok(message)) = from_client else { break };
                if let Message::Text(text) = &message {
                    for line in text.as_str().split('\n').filter(|l| !l.trim().is_empty()) {
                        append(log, &message_entry(host, line, conn));
                    }
                }
                let closing = matches!(message, Message::Close(_));
                if server_tx.send(message).await.is_err() || closing {
                    break;
                }
            }
            from_server = server_rx.next() => {
                let Some(Ok(message)) = from_server else { break };
                let closing = matches!(message, Message::Close(_));
                if client_tx.send(message).await.is_err() || closing {
                    break;
                }
            }
        }
    }
    let _ = server_tx.close().await;
    let _ = client_tx.close().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handshake_entries_redact_cookies_but_keep_their_names() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "cookie",
            HeaderValue::from_static("scratchsessionsid=SECRET; b=2"),
        );
        headers.insert(
            "origin",
            HeaderValue::from_static("https://scratch.mit.edu"),
        );
        let e = handshake_entry("/cloud", &headers, 3);
        assert_eq!(e["host"], "clouddata.scratch.mit.edu");
        assert_eq!(e["cookies"], json!(["b", "scratchsessionsid"]));
        assert_eq!(e["headers"]["cookie"], "<redacted>");
        assert_eq!(e["conn"], 3);
        assert!(!e.to_string().contains("SECRET"));
        assert_eq!(
            handshake_entry("/turbowarp/", &headers, 1)["host"],
            "clouddata.turbowarp.org"
        );
    }

    #[test]
    fn message_entries_keep_json_or_text() {
        let e = message_entry("h", r#"{"method":"set","value":1}"#, 2);
        assert_eq!(e["body"]["value"], 1);
        assert_eq!(message_entry("h", "banner", 2)["body"], "banner");
    }
}
