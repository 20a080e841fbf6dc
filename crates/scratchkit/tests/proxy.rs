//! Requests and cloud connections through an HTTP proxy: a small proxy on 127.0.0.1 in this
//! file forwards absolute-form requests and opens `CONNECT` tunnels, and records what it saw.

use std::sync::{Arc, Mutex};

use scratchkit::{Client, Error, Host, Hosts, Proxy, RateLimit, RetryPolicy, Url};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// One request head the proxy received.
#[derive(Debug, Clone)]
struct Seen {
    /// `GET http://127.0.0.1:1234/site/x HTTP/1.1` or `CONNECT 127.0.0.1:1234 HTTP/1.1`.
    request_line: String,
    /// `Proxy-Authorization`, when sent.
    proxy_authorization: Option<String>,
}

/// A forwarding and tunnelling HTTP proxy on 127.0.0.1, one request per connection.
struct TestProxy {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl TestProxy {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let record = Arc::clone(&record);
                tokio::spawn(async move {
                    let _ = serve(client, record).await;
                });
            }
        });
        Self { url, seen }
    }

    /// The proxy URL with credentials.
    fn url_with_credentials(&self) -> String {
        self.url.replacen("http://", "http://robot:pa%3Ass@", 1)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn serve(mut client: TcpStream, record: Arc<Mutex<Vec<Seen>>>) -> std::io::Result<()> {
    let (head, rest) = read_head(&mut client).await?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_owned();
    let mut headers = Vec::new();
    let mut proxy_authorization = None;
    for line in lines.filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').unwrap_or((line, ""));
        if name.eq_ignore_ascii_case("proxy-authorization") {
            proxy_authorization = Some(value.trim().to_owned());
        } else if !name.eq_ignore_ascii_case("connection")
            && !name.eq_ignore_ascii_case("proxy-connection")
        {
            headers.push(line.to_owned());
        }
    }
    record.lock().unwrap().push(Seen {
        request_line: request_line.clone(),
        proxy_authorization,
    });
    let mut parts = request_line.split(' ');
    let (verb, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if verb == "CONNECT" {
        let mut upstream = TcpStream::connect(target).await?;
        client
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await?;
        upstream.write_all(&rest).await?;
        tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
        return Ok(());
    }
    // Absolute form: `http://host:port/path`.
    let without_scheme = target.strip_prefix("http://").unwrap_or(target);
    let (authority, origin_path) = match without_scheme.find('/') {
        Some(at) => without_scheme.split_at(at),
        None => (without_scheme, "/"),
    };
    let mut upstream = TcpStream::connect(authority).await?;
    let mut forwarded = format!("{verb} {origin_path} HTTP/1.1\r\n");
    for line in headers {
        forwarded.push_str(&line);
        forwarded.push_str("\r\n");
    }
    // One request per connection: the answer then says `Connection: close` too.
    forwarded.push_str("Connection: close\r\n\r\n");
    upstream.write_all(forwarded.as_bytes()).await?;
    upstream.write_all(&rest).await?;
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
    Ok(())
}

/// Reads up to the blank line: the head as text and the bytes read after it.
async fn read_head(stream: &mut TcpStream) -> std::io::Result<(String, Vec<u8>)> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = buffer.split_off(end + 4);
            return Ok((String::from_utf8_lossy(&buffer).into_owned(), rest));
        }
    }
}

fn client(hosts: Hosts, proxy: Proxy) -> Client {
    Client::builder()
        .hosts(hosts)
        .rate_limit(RateLimit::unlimited())
        .retry(RetryPolicy::none())
        .proxy(proxy)
        .build()
        .unwrap()
}

async fn origin() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/hello"))
        .respond_with(ResponseTemplate::new(200).set_body_string("hi"))
        .mount(&server)
        .await;
    server
}

fn sandbox_hosts(server: &MockServer) -> Hosts {
    Hosts::sandbox_url(Url::parse(&server.uri()).unwrap())
}

#[tokio::test]
async fn http_requests_go_through_the_proxy_with_its_credentials() {
    let (proxy, server) = (TestProxy::start().await, origin().await);
    let client = client(
        sandbox_hosts(&server),
        Proxy::to(proxy.url_with_credentials()),
    );
    for _ in 0..2 {
        let answer = client
            .raw()
            .get_text(Host::Api, "/hello", &[])
            .await
            .expect("through the proxy");
        assert_eq!(answer, "hi");
    }

    let seen = proxy.seen();
    assert_eq!(seen.len(), 2, "{seen:?}");
    let expected = format!("GET {}/api/hello HTTP/1.1", server.uri());
    for request in &seen {
        assert_eq!(request.request_line, expected);
        // "robot:pa:ss" in base64 (the password was percent-encoded in the URL).
        assert_eq!(
            request.proxy_authorization.as_deref(),
            Some("Basic cm9ib3Q6cGE6c3M=")
        );
    }
    let arrived = server.received_requests().await.unwrap();
    assert_eq!(arrived.len(), 2);
    for request in arrived {
        assert!(request.headers.get("proxy-authorization").is_none());
    }
}

#[tokio::test]
async fn no_proxy_hosts_are_reached_directly() {
    let (proxy, server) = (TestProxy::start().await, origin().await);
    let client = client(
        sandbox_hosts(&server),
        Proxy::to(proxy.url_with_credentials()).no_proxy("example.org, 127.0.0.1"),
    );
    let answer = client
        .raw()
        .get_text(Host::Api, "/hello", &[])
        .await
        .unwrap();
    assert_eq!(answer, "hi");
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// HTTPS goes through a `CONNECT` tunnel: the proxy sees only the target and its own
/// credentials; the server at the other end receives the TLS handshake, never the proxy's
/// credentials. (The server here does not speak TLS, so the request then fails.)
#[tokio::test]
async fn https_goes_through_a_connect_tunnel() {
    let proxy = TestProxy::start().await;
    let tls_server = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = tls_server.local_addr().unwrap().port();
    let (first_bytes_tx, first_bytes) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let (mut socket, _) = tls_server.accept().await.unwrap();
        let mut hello = vec![0u8; 5];
        socket.read_exact(&mut hello).await.unwrap();
        let _ = first_bytes_tx.send(hello);
    });
    let hosts = Hosts::scratch().with(
        Host::Api,
        Url::parse(&format!("https://localhost:{port}")).unwrap(),
    );
    let client = client(hosts, Proxy::to(proxy.url_with_credentials()));
    let result = client.raw().get_text(Host::Api, "/hello", &[]).await;
    assert!(
        matches!(result, Err(Error::Connection { .. })),
        "{result:?}"
    );

    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(
        seen[0].request_line,
        format!("CONNECT localhost:{port} HTTP/1.1")
    );
    assert_eq!(
        seen[0].proxy_authorization.as_deref(),
        Some("Basic cm9ib3Q6cGE6c3M=")
    );
    // A TLS handshake record (type 22, version 3.x) arrived through the tunnel.
    let hello = first_bytes.await.unwrap();
    assert_eq!(&hello[..2], &[0x16, 0x03], "{hello:?}");
}

#[tokio::test]
async fn a_refused_proxy_is_a_connection_error_without_the_password() {
    // Nothing listens on this port once the listener is dropped.
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    };
    let server = origin().await;
    let client = client(
        sandbox_hosts(&server),
        Proxy::to(format!("http://robot:hunter2@127.0.0.1:{port}")),
    );
    let error = client
        .raw()
        .get_text(Host::Api, "/hello", &[])
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert_eq!(
        refusal_in_chain(&error),
        Some(std::io::ErrorKind::ConnectionRefused)
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// The kind of the first `std::io::Error` in `error`'s source chain.
fn refusal_in_chain(error: &Error) -> Option<std::io::ErrorKind> {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = cause.source();
    }
    None
}

/// A connection error keeps the network stack's error as its source, down to the
/// `std::io::Error`.
#[tokio::test]
async fn connection_errors_keep_their_source_chain() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    };
    let hosts = Hosts::sandbox_url(Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap());
    let error = client(hosts, Proxy::none())
        .raw()
        .get_text(Host::Api, "/hello", &[])
        .await
        .unwrap_err();
    assert!(std::error::Error::source(&error).is_some(), "{error:?}");
    assert_eq!(
        refusal_in_chain(&error),
        Some(std::io::ErrorKind::ConnectionRefused)
    );
}

#[test]
fn unusable_proxy_urls_fail_the_build() {
    for url in ["socks5://127.0.0.1:1080", "no scheme at all"] {
        let result = Client::builder().proxy(Proxy::to(url)).build();
        assert!(matches!(result, Err(Error::Build(_))), "{url}");
    }
}

/// The cloud WebSocket uses the same proxy, through a `CONNECT` tunnel.
#[cfg(feature = "cloud")]
#[tokio::test]
async fn the_cloud_websocket_goes_through_a_connect_tunnel() {
    use scratchkit::cloud::{CloudConfig, CloudConnection, CloudRules};

    let proxy = TestProxy::start().await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (handshake_tx, handshake) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
        use futures_util::StreamExt as _;
        if let Some(Ok(message)) = ws.next().await {
            let _ = handshake_tx.send(message.into_text().unwrap().to_string());
        }
    });
    let config = CloudConfig::custom(
        format!("ws://{address}/"),
        "123",
        "player1",
        CloudRules::turbowarp(),
    )
    .with_proxy(Proxy::to(proxy.url_with_credentials()));
    let (_sender, _events) = CloudConnection::connect(config).await.unwrap();
    let first = handshake.await.unwrap();
    assert!(first.contains("\"method\":\"handshake\""), "{first}");
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].request_line, format!("CONNECT {address} HTTP/1.1"));
    assert!(seen[0].proxy_authorization.is_some());
}

/// The environment's proxy variables, read when a client is built with the default
/// [`Proxy::from_env`]: checked in child processes of this test binary (so that no test
/// changes the environment of the others), once with `HTTP_PROXY` alone and once with the
/// origin in `NO_PROXY`.
#[tokio::test]
async fn the_environment_names_the_proxy_and_its_exceptions() {
    let (proxy, server) = (TestProxy::start().await, origin().await);
    let proxied = |proxy: &TestProxy| {
        proxy
            .seen()
            .iter()
            .filter(|s| s.request_line.contains("/api/hello"))
            .count()
    };
    for (no_proxy, through_proxy) in [("", true), ("127.0.0.1", false)] {
        let before = proxied(&proxy);
        let mut child = std::process::Command::new(std::env::current_exe().unwrap());
        child
            .args(["--exact", "environment_child", "--ignored", "--nocapture"])
            .env("HTTP_PROXY", proxy.url_with_credentials())
            .env("NO_PROXY", no_proxy)
            .env("no_proxy", no_proxy)
            .env_remove("http_proxy")
            .env_remove("ALL_PROXY")
            .env_remove("all_proxy")
            .env_remove("REQUEST_METHOD")
            .env("SCRATCHKIT_TEST_ORIGIN", server.uri());
        let output = tokio::task::spawn_blocking(move || child.output())
            .await
            .unwrap()
            .unwrap();
        assert!(
            output.status.success(),
            "child failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.contains("1 passed"),
            "the child test did not run: {stdout}"
        );
        assert_eq!(
            proxied(&proxy) - before,
            usize::from(through_proxy),
            "NO_PROXY={no_proxy:?}"
        );
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
#[ignore = "run by the_environment_names_the_proxy_and_its_exceptions, in a child process with HTTP_PROXY set"]
async fn environment_child() {
    let origin = std::env::var("SCRATCHKIT_TEST_ORIGIN")
        .expect("started by the_environment_names_the_proxy_and_its_exceptions");
    let client = Client::builder()
        .hosts(Hosts::sandbox_url(Url::parse(&origin).unwrap()))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let answer = client
        .raw()
        .get_text(Host::Api, "/hello", &[])
        .await
        .unwrap();
    assert_eq!(answer, "hi");
}
