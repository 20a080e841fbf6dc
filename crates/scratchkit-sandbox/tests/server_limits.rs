//! The limits that protect a sandbox: each test sends too much (too many connections, too
//! large a head or body, too slow a head) and checks the clear refusal, then checks that the
//! server still serves a well-behaved client.
//!
//! Clients that must count as another address connect from 127.0.0.2 (all of 127.0.0.0/8 is
//! loopback on Linux).

mod common;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use common::sandbox_with;
use scratchkit_sandbox::{SandboxConfig, SandboxHandle, ServerLimits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

const OTHER_ADDRESS: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
/// An upper bound for waits on the server, far above what any of them takes.
const PATIENCE: Duration = Duration::from_secs(30);

async fn sandbox(limits: ServerLimits) -> SandboxHandle {
    sandbox_with(SandboxConfig {
        limits,
        ..SandboxConfig::default()
    })
    .await
}

async fn connect(sb: &SandboxHandle, from: IpAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("socket");
    socket
        .bind(SocketAddr::new(from, 0))
        .expect("bind the client address");
    socket.connect(sb.addr()).await.expect("connect")
}

fn get(path: &str, close: bool) -> String {
    let connection = if close { "close" } else { "keep-alive" };
    format!("GET {path} HTTP/1.1\r\nhost: localhost\r\nconnection: {connection}\r\n\r\n")
}

/// Sends `request` and reads until the server closes the connection.
async fn exchange(stream: &mut TcpStream, request: &[u8]) -> String {
    stream.write_all(request).await.expect("request written");
    read_to_close(stream).await
}

async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut bytes = Vec::new();
    tokio::time::timeout(PATIENCE, stream.read_to_end(&mut bytes))
        .await
        .expect("the server answers and closes in time")
        .expect("read");
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Reads one response head on a kept-alive connection, proving the request was served.
async fn served_once(stream: &mut TcpStream) -> String {
    stream
        .write_all(get("/api/health", false).as_bytes())
        .await
        .expect("written");
    let mut buf = vec![0u8; 64 * 1024];
    let n = tokio::time::timeout(PATIENCE, stream.read(&mut buf))
        .await
        .expect("answered in time")
        .expect("read");
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

/// Opens `n` kept-alive connections from 127.0.0.1, each proven admitted by one request.
async fn hold_served_connections(sb: &SandboxHandle, n: usize) -> Vec<TcpStream> {
    let mut held = Vec::new();
    for _ in 0..n {
        let mut stream = connect(sb, Ipv4Addr::LOCALHOST.into()).await;
        let head = served_once(&mut stream).await;
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        held.push(stream);
    }
    held
}

fn status_line(response: &str) -> &str {
    response.lines().next().unwrap_or("")
}

#[tokio::test]
async fn one_address_over_its_share_gets_a_503_while_others_are_served() {
    let sb = sandbox(ServerLimits {
        max_connections_per_ip: 3,
        ..ServerLimits::default()
    })
    .await;
    let mut held = hold_served_connections(&sb, 3).await;

    let mut fourth = connect(&sb, Ipv4Addr::LOCALHOST.into()).await;
    let refused = exchange(&mut fourth, get("/api/health", true).as_bytes()).await;
    assert!(
        status_line(&refused).starts_with("HTTP/1.1 503"),
        "{refused}"
    );
    assert!(
        refused.contains("too many connections from 127.0.0.1 (limit 3 per address)"),
        "{refused}"
    );

    let mut other = connect(&sb, OTHER_ADDRESS).await;
    let served = exchange(&mut other, get("/api/health", true).as_bytes()).await;
    assert!(status_line(&served).starts_with("HTTP/1.1 200"), "{served}");

    // Closing one connection frees its place (the server notices the close asynchronously).
    drop(held.pop());
    let deadline = Instant::now() + PATIENCE;
    loop {
        let mut again = connect(&sb, Ipv4Addr::LOCALHOST.into()).await;
        let response = exchange(&mut again, get("/api/health", true).as_bytes()).await;
        if status_line(&response).starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the freed place was never reused"
        );
        tokio::task::yield_now().await;
    }
}

#[tokio::test]
async fn the_total_limit_counts_every_address() {
    let sb = sandbox(ServerLimits {
        max_connections: 2,
        ..ServerLimits::default()
    })
    .await;
    let mut held = hold_served_connections(&sb, 2).await;
    let mut other = connect(&sb, OTHER_ADDRESS).await;
    let refused = exchange(&mut other, get("/api/health", true).as_bytes()).await;
    assert!(
        status_line(&refused).starts_with("HTTP/1.1 503"),
        "{refused}"
    );
    assert!(
        refused.contains("too many connections to this server (limit 2)"),
        "{refused}"
    );
    // The connections already admitted are still served.
    for stream in &mut held {
        assert!(served_once(stream).await.starts_with("HTTP/1.1 200"));
    }
}

#[tokio::test]
async fn a_request_head_over_the_limit_gets_a_431() {
    let sb = sandbox(ServerLimits {
        max_header_bytes: 16 * 1024,
        ..ServerLimits::default()
    })
    .await;
    let mut stream = connect(&sb, Ipv4Addr::LOCALHOST.into()).await;
    let huge = format!(
        "GET /api/health HTTP/1.1\r\nhost: localhost\r\nx-padding: {}\r\nconnection: close\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    let refused = exchange(&mut stream, huge.as_bytes()).await;
    assert!(
        status_line(&refused).starts_with("HTTP/1.1 431"),
        "{refused}"
    );

    // Just under the limit is fine.
    let mut stream = connect(&sb, Ipv4Addr::LOCALHOST.into()).await;
    let fits = format!(
        "GET /api/health HTTP/1.1\r\nhost: localhost\r\nx-padding: {}\r\nconnection: close\r\n\r\n",
        "a".repeat(12 * 1024)
    );
    let served = exchange(&mut stream, fits.as_bytes()).await;
    assert!(status_line(&served).starts_with("HTTP/1.1 200"), "{served}");
}

#[tokio::test]
async fn a_body_over_the_limit_gets_a_413_and_a_small_one_is_read() {
    let sb = sandbox(ServerLimits {
        max_body_bytes: 1024,
        ..ServerLimits::default()
    })
    .await;
    let post = |body: String| {
        format!(
            "POST /_sandbox/settings HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n\
             content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let padding = "x".repeat(4096);
    let big = format!(r#"{{"comment_max_chars": 500, "padding": "{padding}"}}"#);
    let mut stream = connect(&sb, Ipv4Addr::LOCALHOST.into()).await;
    let refused = exchange(&mut stream, post(big).as_bytes()).await;
    assert!(
        status_line(&refused).starts_with("HTTP/1.1 413"),
        "{refused}"
    );

    let mut stream = connect(&sb, Ipv4Addr::LOCALHOST.into()).await;
    let small = r#"{"comment_max_chars": 321}"#.to_owned();
    let served = exchange(&mut stream, post(small).as_bytes()).await;
    assert!(status_line(&served).starts_with("HTTP/1.1 200"), "{served}");
    assert!(served.contains("321"), "the setting was applied: {served}");
}

#[tokio::test]
async fn a_client_too_slow_to_send_its_head_is_disconnected_and_others_are_served() {
    let timeout = Duration::from_millis(300);
    let sb = sandbox(ServerLimits {
        header_read_timeout: timeout,
        ..ServerLimits::default()
    })
    .await;
    let started = Instant::now();
    let mut slow = connect(&sb, Ipv4Addr::LOCALHOST.into()).await;
    slow.write_all(b"GET /api/health HTTP/1.1\r\nhost: localhost\r\n")
        .await
        .expect("the first half of a head");

    // While the slow client dawdles, another is served.
    let mut other = connect(&sb, OTHER_ADDRESS).await;
    let served = exchange(&mut other, get("/api/health", true).as_bytes()).await;
    assert!(status_line(&served).starts_with("HTTP/1.1 200"), "{served}");

    let answer = read_to_close(&mut slow).await;
    assert!(
        started.elapsed() >= timeout,
        "closed before the head timeout"
    );
    assert!(
        answer.is_empty() || status_line(&answer).starts_with("HTTP/1.1 408"),
        "the slow client gets nothing or a 408, never a response to its half request: {answer}"
    );
}
