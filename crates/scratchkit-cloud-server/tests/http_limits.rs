//! The standalone server's connection and request-head limits (`CloudOptions::http`): a
//! client too slow to send its head is dropped, a connection over the total gets a 503 that
//! names the limit, and a well-behaved client is served meanwhile.

use std::time::{Duration, Instant};

use scratchkit_cloud_server::http_serve::ServerLimits;
use scratchkit_cloud_server::{CloudOptions, CloudServer, serve_standalone};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const PATIENCE: Duration = Duration::from_secs(30);

async fn server(http: ServerLimits) -> CloudServer {
    let options = CloudOptions {
        http,
        ..CloudOptions::default()
    };
    serve_standalone(([127, 0, 0, 1], 0).into(), options)
        .await
        .expect("server starts")
}

async fn health(server: &CloudServer) -> String {
    let mut tcp = TcpStream::connect(server.addr()).await.expect("connect");
    tcp.write_all(b"GET /health HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n")
        .await
        .expect("request");
    read_to_close(&mut tcp).await
}

async fn read_to_close(tcp: &mut TcpStream) -> String {
    let mut bytes = Vec::new();
    tokio::time::timeout(PATIENCE, tcp.read_to_end(&mut bytes))
        .await
        .expect("the server answers and closes in time")
        .expect("read");
    String::from_utf8_lossy(&bytes).into_owned()
}

#[tokio::test]
async fn a_slow_head_is_dropped_while_others_are_served() {
    let timeout = Duration::from_millis(300);
    let server = server(ServerLimits {
        header_read_timeout: timeout,
        ..CloudOptions::default().http
    })
    .await;
    let started = Instant::now();
    let mut slow = TcpStream::connect(server.addr()).await.expect("connect");
    slow.write_all(b"GET /turbowarp HTTP/1.1\r\nhost: localhost\r\nupgrade: websocket\r\n")
        .await
        .expect("half a head");
    assert!(health(&server).await.starts_with("HTTP/1.1 200"));
    let answer = read_to_close(&mut slow).await;
    assert!(started.elapsed() >= timeout, "dropped before the timeout");
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_connection_over_the_total_gets_a_503() {
    let server = server(ServerLimits {
        max_connections: 2,
        ..CloudOptions::default().http
    })
    .await;
    let held: Vec<TcpStream> = vec![
        TcpStream::connect(server.addr()).await.expect("first"),
        TcpStream::connect(server.addr()).await.expect("second"),
    ];
    let refused = health(&server).await;
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    assert!(refused.contains("limit 2"), "{refused}");
    drop(held);
    let deadline = Instant::now() + PATIENCE;
    while !health(&server).await.starts_with("HTTP/1.1 200") {
        assert!(
            Instant::now() < deadline,
            "the freed places were never reused"
        );
        tokio::task::yield_now().await;
    }
    server.shutdown().await;
}
