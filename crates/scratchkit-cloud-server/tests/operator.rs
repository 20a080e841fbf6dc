//! The operator side of the cloud server, driven over real sockets on 127.0.0.1: the admin
//! API and its token, kicks and blocks, trusted proxies and the per-address limit, metrics,
//! filters, project rules, configured limits and graceful shutdown with persistence.
//!
//! Nothing here depends on timing: every wait is bounded by [`within`] only so that a bug
//! fails the test instead of hanging it.

use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use scratchkit_cloud_server::{
    BLOCKS_FILE, CloudMode, CloudOptions, CloudServer, ConfigSources, DropReason, ProjectCheck,
    Rejection, Secret, ServerConfig, SqliteStore, WordFilter, serve_standalone,
    serve_standalone_with,
};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

const TOKEN: &str = "operator-token-for-tests";

async fn within<F: Future>(future: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(20), future)
        .await
        .expect("nothing happened within 20 s")
}

async fn server(options: CloudOptions) -> CloudServer {
    serve_standalone("127.0.0.1:0".parse().unwrap(), options)
        .await
        .unwrap()
}

fn with_admin() -> CloudOptions {
    let mut options = CloudOptions::default();
    options.operator.admin_token = Some(Secret::new(TOKEN));
    options
}

fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

async fn try_open(url: &str, headers: &[(&str, &str)]) -> Result<Ws, tungstenite::Error> {
    let mut request = url.into_client_request().unwrap();
    request
        .headers_mut()
        .insert("User-Agent", "operator-tests/1.0".parse().unwrap());
    for (name, value) in headers {
        request.headers_mut().insert(
            http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    within(tokio_tungstenite::connect_async(request))
        .await
        .map(|(ws, _)| ws)
}

async fn send(ws: &mut Ws, text: &str) {
    within(ws.send(Message::text(text))).await.unwrap();
}

async fn join_with(url: &str, headers: &[(&str, &str)], user: &str, project: &str) -> Ws {
    let mut ws = try_open(url, headers).await.unwrap();
    send(
        &mut ws,
        &format!("{{\"method\":\"handshake\",\"user\":\"{user}\",\"project_id\":\"{project}\"}}"),
    )
    .await;
    ws
}

async fn join(server: &CloudServer, user: &str, project: &str) -> Ws {
    join_with(&server.turbowarp_url(), &[], user, project).await
}

fn set(name: &str, value: &str) -> String {
    format!("{{\"method\":\"set\",\"name\":\"☁ {name}\",\"value\":{value}}}")
}

/// The next text frame; `None` once the socket closed.
async fn recv_text(ws: &mut Ws) -> Option<String> {
    loop {
        match within(ws.next()).await {
            Some(Ok(Message::Text(text))) => return Some(text.as_str().to_owned()),
            Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return None,
            Some(Ok(_)) => {}
        }
    }
}

/// Reads until the close frame; its code (`None`: closed without one).
async fn recv_close(ws: &mut Ws) -> Option<u16> {
    loop {
        match within(ws.next()).await {
            Some(Ok(Message::Close(frame))) => return frame.map(|frame| u16::from(frame.code)),
            Some(Ok(_)) => {}
            Some(Err(_)) | None => return None,
        }
    }
}

/// Waits until the server counts `n` handshakes (a handshake has no reply to wait for).
async fn until_joined(server: &CloudServer, n: u64) {
    within(async {
        while server.state().metrics().handshakes < n {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
}

async fn admin(
    server: &CloudServer,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> (u16, String) {
    let mut request = http().request(method, format!("{}{path}", server.http_url()));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.body(body.to_owned());
    }
    let response = within(request.send()).await.unwrap();
    let status = response.status().as_u16();
    (status, within(response.text()).await.unwrap())
}

async fn get(server: &CloudServer, path: &str, token: Option<&str>) -> (u16, String) {
    admin(server, reqwest::Method::GET, path, token, None).await
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("{error}: {text}"))
}

#[tokio::test]
async fn the_admin_api_is_off_without_a_token_and_needs_the_right_one() {
    let off = server(CloudOptions::default()).await;
    assert_eq!(get(&off, "/admin/rooms", None).await.0, 404);
    assert_eq!(get(&off, "/admin/rooms", Some(TOKEN)).await.0, 404);
    assert_eq!(get(&off, "/health", None).await, (200, "ok\n".to_owned()));

    let on = server(with_admin()).await;
    assert_eq!(get(&on, "/admin/rooms", None).await.0, 401);
    assert_eq!(
        get(&on, "/admin/rooms", Some("operator-token-for-tesTs"))
            .await
            .0,
        401
    );
    assert_eq!(get(&on, "/admin/rooms", Some("short")).await.0, 401);
    let (status, body) = get(&on, "/admin/rooms", Some(TOKEN)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body)["rooms"], serde_json::json!([]));
    // The token never shows in the options' Debug output.
    assert!(!format!("{:?}", on.state()).contains(TOKEN));
}

#[tokio::test]
async fn an_operator_reads_sets_and_deletes_variables() {
    let server = server(with_admin()).await;
    let mut alice = join(&server, "alice", "7").await;
    let mut bob = join(&server, "bob", "7").await;
    until_joined(&server, 2).await;
    send(&mut alice, &set("score", "12")).await;
    assert_eq!(
        recv_text(&mut bob).await.unwrap(),
        "{\"method\":\"set\",\"name\":\"☁ score\",\"value\":12}"
    );

    let (status, body) = get(&server, "/admin/rooms", Some(TOKEN)).await;
    assert_eq!(status, 200);
    assert_eq!(
        json(&body)["rooms"],
        serde_json::json!([{ "rules": "turbowarp", "project": "7", "clients": 2, "variables": 1 }])
    );
    let (_, body) = get(&server, "/admin/rooms/turbowarp/7", Some(TOKEN)).await;
    let room = json(&body);
    assert_eq!(room["variables"], serde_json::json!({ "☁ score": "12" }));
    let users: HashSet<_> = room["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["user"].as_str().unwrap().to_owned(),
                c["address"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        users,
        HashSet::from([
            ("alice".into(), "127.0.0.1".into()),
            ("bob".into(), "127.0.0.1".into())
        ])
    );

    let path = "/admin/rooms/turbowarp/7/variables/%E2%98%81%20score";
    let (status, body) = admin(&server, reqwest::Method::PUT, path, Some(TOKEN), Some("42")).await;
    assert_eq!(status, 200, "{body}");
    for ws in [&mut alice, &mut bob] {
        assert_eq!(
            recv_text(ws).await.unwrap(),
            "{\"method\":\"set\",\"name\":\"☁ score\",\"value\":\"42\"}"
        );
    }
    let (status, _) = admin(
        &server,
        reqwest::Method::PUT,
        path,
        Some(TOKEN),
        Some("4e5"),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = admin(&server, reqwest::Method::DELETE, path, Some(TOKEN), None).await;
    assert_eq!(status, 204);
    // Both clients are told (scratchkit's client forgets the variable; Scratch's and
    // TurboWarp's editors skip a method other than `set`).
    for ws in [&mut alice, &mut bob] {
        assert_eq!(
            recv_text(ws).await.unwrap(),
            "{\"method\":\"delete\",\"name\":\"☁ score\"}"
        );
    }
    let (status, _) = admin(&server, reqwest::Method::DELETE, path, Some(TOKEN), None).await;
    assert_eq!(status, 404);
    let (_, body) = get(&server, "/admin/rooms/turbowarp/7", Some(TOKEN)).await;
    assert_eq!(json(&body)["variables"], serde_json::json!({}));
    // A client that joins now finds no snapshot to send (the room is empty): its first frame
    // is the next set.
    let mut carol = join(&server, "carol", "7").await;
    until_joined(&server, 3).await;
    send(&mut alice, &set("other", "1")).await;
    assert_eq!(
        recv_text(&mut carol).await.unwrap(),
        "{\"method\":\"set\",\"name\":\"☁ other\",\"value\":1}"
    );
}

#[tokio::test]
async fn the_room_list_shows_rooms_whose_values_outlive_their_clients() {
    let server = server(with_admin()).await;
    let mut alice = join(&server, "alice", "8").await;
    until_joined(&server, 1).await;
    send(&mut alice, &set("kept", "5")).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while server
        .state()
        .variables(CloudMode::TurboWarp, "8")
        .is_empty()
    {
        assert!(std::time::Instant::now() < deadline, "the set never landed");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    alice.close(None).await.unwrap();
    while server.state().client_count(CloudMode::TurboWarp, "8") > 0 {
        assert!(std::time::Instant::now() < deadline, "alice never left");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // Empty, but a TurboWarp room keeps its values for an hour: the operator sees it.
    let (status, body) = get(&server, "/admin/rooms", Some(TOKEN)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        json(&body)["rooms"],
        serde_json::json!([{ "rules": "turbowarp", "project": "8", "clients": 0, "variables": 1 }])
    );
}

#[tokio::test]
async fn a_kicked_client_is_closed_with_4000() {
    let server = server(with_admin()).await;
    let mut alice = join(&server, "alice", "7").await;
    until_joined(&server, 1).await;
    let (_, body) = get(&server, "/admin/rooms/turbowarp/7", Some(TOKEN)).await;
    let id = json(&body)["clients"][0]["id"].as_u64().unwrap();
    let (status, _) = admin(
        &server,
        reqwest::Method::POST,
        &format!("/admin/clients/{id}/kick"),
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(recv_close(&mut alice).await, Some(4000));
    let (status, _) = admin(
        &server,
        reqwest::Method::POST,
        &format!("/admin/clients/{id}/kick"),
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(server.state().metrics().kicks, 1);
    assert_eq!(server.state().metrics().closes_for(4000), 1);
}

#[tokio::test]
async fn blocked_usernames_projects_and_addresses_are_closed_and_refused() {
    let server = server(with_admin()).await;
    let put = reqwest::Method::PUT;
    let delete = reqwest::Method::DELETE;

    let mut griefer = join(&server, "Griefer_1", "7").await;
    let mut other = join(&server, "other", "8").await;
    until_joined(&server, 2).await;
    let (status, _) = admin(
        &server,
        put.clone(),
        "/admin/blocks/usernames/griefer1",
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(recv_close(&mut griefer).await, Some(4002));
    let mut again = join(&server, "GRIEFER1", "7").await;
    assert_eq!(recv_close(&mut again).await, Some(4002));
    assert_eq!(
        admin(
            &server,
            delete.clone(),
            "/admin/blocks/usernames/griefer1",
            Some(TOKEN),
            None
        )
        .await
        .0,
        204
    );
    let _back = join(&server, "griefer1", "7").await;
    until_joined(&server, 3).await;

    assert_eq!(
        admin(
            &server,
            put.clone(),
            "/admin/blocks/projects/8",
            Some(TOKEN),
            None
        )
        .await
        .0,
        200
    );
    assert_eq!(recv_close(&mut other).await, Some(4004));
    let mut refused = join(&server, "other", "8").await;
    assert_eq!(recv_close(&mut refused).await, Some(4004));
    let (_, body) = get(&server, "/admin/blocks", Some(TOKEN)).await;
    assert_eq!(
        json(&body),
        serde_json::json!({ "projects": ["8"], "usernames": [], "addresses": [] })
    );

    assert_eq!(
        admin(
            &server,
            put.clone(),
            "/admin/blocks/addresses/not-an-ip",
            Some(TOKEN),
            None
        )
        .await
        .0,
        400
    );
    let (status, body) = admin(
        &server,
        put.clone(),
        "/admin/blocks/addresses/127.0.0.0%2F8",
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        json(&body)["closed"],
        1,
        "the client rejoined as griefer1 is closed"
    );
    match try_open(&server.turbowarp_url(), &[]).await {
        Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), 403),
        other => panic!("a blocked address connected: {:?}", other.map(|_| ())),
    }
    assert_eq!(
        admin(
            &server,
            delete,
            "/admin/blocks/addresses/127.0.0.0%2F8",
            Some(TOKEN),
            None
        )
        .await
        .0,
        204
    );
    assert!(try_open(&server.turbowarp_url(), &[]).await.is_ok());
    let metrics = server.state().metrics();
    assert_eq!(metrics.rejections_for(Rejection::Username), 1);
    assert_eq!(metrics.rejections_for(Rejection::Project), 1);
    assert_eq!(metrics.rejections_for(Rejection::AddressBlocked), 1);
}

#[tokio::test]
async fn a_forged_forwarded_for_from_an_untrusted_peer_is_ignored() {
    let mut options = with_admin();
    options.operator.connections_per_ip = 1;
    options.operator.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()];
    let server = server(options).await;
    let _first = join_with(
        &server.turbowarp_url(),
        &[("X-Forwarded-For", "1.2.3.4")],
        "alice",
        "7",
    )
    .await;
    until_joined(&server, 1).await;
    let (_, body) = get(&server, "/admin/rooms/turbowarp/7", Some(TOKEN)).await;
    assert_eq!(json(&body)["clients"][0]["address"], "127.0.0.1");
    // A different forged address does not escape the per-address limit.
    match try_open(&server.turbowarp_url(), &[("X-Forwarded-For", "5.6.7.8")]).await {
        Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), 429),
        other => panic!("the limit did not apply: {:?}", other.map(|_| ())),
    }
    assert_eq!(
        server
            .state()
            .metrics()
            .rejections_for(Rejection::PerAddressLimit),
        1
    );
}

#[tokio::test]
async fn a_trusted_proxy_names_the_client_and_the_limit_is_per_client() {
    let mut options = with_admin();
    options.operator.connections_per_ip = 1;
    options.operator.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    let server = server(options).await;
    // The client forged the first entry; the proxy appended the address it saw.
    let first = join_with(
        &server.turbowarp_url(),
        &[("X-Forwarded-For", "9.9.9.9, 198.51.100.7")],
        "alice",
        "7",
    )
    .await;
    until_joined(&server, 1).await;
    let (_, body) = get(&server, "/admin/rooms/turbowarp/7", Some(TOKEN)).await;
    assert_eq!(json(&body)["clients"][0]["address"], "198.51.100.7");
    match try_open(
        &server.turbowarp_url(),
        &[("X-Forwarded-For", "198.51.100.7")],
    )
    .await
    {
        Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), 429),
        other => panic!("the limit did not apply: {:?}", other.map(|_| ())),
    }
    let _other_client = try_open(
        &server.turbowarp_url(),
        &[("X-Forwarded-For", "198.51.100.8")],
    )
    .await
    .unwrap();
    // The slot comes back when the connection ends.
    drop(first);
    within(async {
        loop {
            if try_open(
                &server.turbowarp_url(),
                &[("X-Forwarded-For", "198.51.100.7")],
            )
            .await
            .is_ok()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
}

#[tokio::test]
async fn metrics_count_sets_deliveries_drops_and_closes() {
    let mut options = CloudOptions::default();
    options.turbowarp.max_value_len = 5;
    let server = server(options).await;
    let mut a = join(&server, "alice", "7").await;
    let mut b = join(&server, "bob", "7").await;
    let mut c = join(&server, "carol", "7").await;
    until_joined(&server, 3).await;
    for value in ["1", "2", "3"] {
        send(&mut a, &set("x", value)).await;
    }
    send(&mut a, &set("x", "\"123456\"")).await;
    send(&mut a, &set("x", "\"abc\"")).await;
    send(&mut a, &set("x", "4")).await;
    for ws in [&mut b, &mut c] {
        let mut seen = Vec::new();
        while seen.len() < 4 {
            seen.extend(recv_text(ws).await.unwrap().lines().map(str::to_owned));
        }
        assert!(seen[3].ends_with("\"value\":4}"), "{seen:?}");
    }
    let metrics = server.state().metrics();
    assert_eq!(metrics.sets_in, 4);
    assert_eq!(metrics.sets_out, 4);
    assert_eq!(metrics.deliveries, 8);
    assert_eq!(metrics.drops_for(DropReason::ValueTooLong), 1);
    assert_eq!(metrics.drops_for(DropReason::BadValue), 1);
    assert_eq!(metrics.connections_open, 3);

    let (status, text) = get(&server, "/metrics", None).await;
    assert_eq!(status, 200);
    for line in [
        "scratch_cloud_connections 3",
        "scratch_cloud_sets_in_total 4",
        "scratch_cloud_deliveries_total 8",
        "scratch_cloud_rooms{rules=\"turbowarp\"} 1",
        "scratch_cloud_drops_total{reason=\"value_too_long\"} 1",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line} in\n{text}");
    }
    drop((a, b, c));
}

#[tokio::test]
async fn username_and_name_filters_apply() {
    let mut options = CloudOptions::default();
    options.turbowarp.username_filter = WordFilter::parse("# staff\n*moderator*\n").unwrap();
    options.turbowarp.name_filter = WordFilter::parse("badword\n").unwrap();
    let server = server(options).await;
    let mut fake = join(&server, "the_Moderator_2", "7").await;
    assert_eq!(recv_close(&mut fake).await, Some(4002));
    // The default blocklist compares letters and digits only.
    let mut cat = join(&server, "Scratch_Cat", "7").await;
    assert_eq!(recv_close(&mut cat).await, Some(4002));

    let mut a = join(&server, "alice", "7").await;
    let mut b = join(&server, "bob", "7").await;
    until_joined(&server, 2).await;
    send(&mut a, &set("Bad Word", "1")).await;
    send(&mut a, &set("fine", "2")).await;
    assert_eq!(
        recv_text(&mut b).await.unwrap(),
        "{\"method\":\"set\",\"name\":\"☁ fine\",\"value\":2}"
    );
    assert_eq!(server.state().metrics().drops_for(DropReason::BadName), 1);
    assert_eq!(server.state().variables(CloudMode::TurboWarp, "7").len(), 1);
}

#[tokio::test]
async fn a_project_check_url_decides_with_a_cache_and_a_timeout() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&hits);
    let checker = axum::Router::new().route(
        "/check/{id}",
        axum::routing::get(
            move |axum::extract::Path(id): axum::extract::Path<String>| {
                let counter = Arc::clone(&counter);
                async move {
                    counter.fetch_add(1, Ordering::SeqCst);
                    match id.as_str() {
                        "1" => axum::http::StatusCode::OK,
                        "3" => {
                            tokio::time::sleep(Duration::from_secs(30)).await;
                            axum::http::StatusCode::OK
                        }
                        _ => axum::http::StatusCode::NOT_FOUND,
                    }
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let check_addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, checker).await });

    let mut options = CloudOptions::default();
    options.operator.project_check = Some(ProjectCheck {
        url: format!("http://{check_addr}/check/{{id}}"),
        timeout: Duration::from_millis(300),
        cache_for: Duration::from_secs(600),
    });
    let server = server(options).await;
    let _a = join(&server, "alice", "1").await;
    until_joined(&server, 1).await;
    let _b = join(&server, "bob", "1").await;
    until_joined(&server, 2).await;
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "the second join used the cached answer"
    );
    let mut refused = join(&server, "carol", "2").await;
    assert_eq!(recv_close(&mut refused).await, Some(4004));
    let mut slow = join(&server, "dave", "3").await;
    assert_eq!(recv_close(&mut slow).await, Some(4003));
    let metrics = server.state().metrics();
    assert_eq!(metrics.rejections_for(Rejection::ProjectCheckFailed), 1);
    assert_eq!(metrics.rejections_for(Rejection::Project), 1);
}

#[tokio::test]
async fn a_configured_server_applies_its_limits_and_serves_the_root() {
    let config = ServerConfig::load(&ConfigSources {
        file_text: Some((
            "cloud.toml".into(),
            "[projects]\nallow = [\"7\"]\n[turbowarp]\nsets_per_second = 1\nburst = 1\nover_limit = \"close\"\n".into(),
        )),
        env: vec![("SCRATCH_CLOUD_ADMIN_PUBLIC_VALUES".into(), "true".into())],
        flags: vec![],
    })
    .unwrap();
    let server = server(config.to_options().unwrap()).await;
    let root = format!("ws://{}/", server.addr());
    let mut other = join_with(&root, &[], "alice", "8").await;
    assert_eq!(recv_close(&mut other).await, Some(4004));
    let mut fast = join_with(&root, &[], "alice", "7").await;
    until_joined(&server, 1).await;
    send(&mut fast, &set("x", "1")).await;
    send(&mut fast, &set("x", "2")).await;
    assert_eq!(recv_close(&mut fast).await, Some(4000));
    assert_eq!(server.state().metrics().drops_for(DropReason::RateLimit), 1);
    let (status, body) = get(&server, "/values/turbowarp/7", None).await;
    assert_eq!(status, 200);
    assert_eq!(json(&body), serde_json::json!({ "☁ x": "1" }));
    // A browser on `/` gets a line of text.
    let (status, body) = get(&server, "/", None).await;
    assert_eq!((status, body.contains("WebSocket")), (200, true));
}

#[tokio::test]
async fn public_values_are_off_by_default() {
    let server = server(CloudOptions::default()).await;
    assert_eq!(get(&server, "/values/turbowarp/7", None).await.0, 404);
}

#[tokio::test]
async fn a_graceful_shutdown_closes_with_1012_and_a_restart_keeps_every_value() {
    let dir = std::env::temp_dir().join(format!("cloud-graceful-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let addr = "127.0.0.1:0".parse().unwrap();
    let store = Arc::new(SqliteStore::open(&dir).unwrap());
    let first = serve_standalone_with(addr, CloudOptions::default(), store)
        .await
        .unwrap();
    let mut a = join(&first, "alice", "7").await;
    let mut b = join(&first, "bob", "7").await;
    until_joined(&first, 2).await;
    for i in 0..50 {
        send(&mut a, &set(&format!("v{}", i % 5), &i.to_string())).await;
    }
    // Bob has seen the last one: every set was handled.
    let mut seen = String::new();
    while !seen.contains("\"value\":49}") {
        seen.push_str(&recv_text(&mut b).await.unwrap());
    }
    let report = first.shutdown_gracefully().await;
    assert_eq!(report.closed, 2);
    assert_eq!(report.dropped, 0);
    assert_eq!(recv_close(&mut a).await, Some(1012));
    assert_eq!(recv_close(&mut b).await, Some(1012));

    let store = Arc::new(SqliteStore::open(&dir).unwrap());
    let second = serve_standalone_with(addr, CloudOptions::default(), store)
        .await
        .unwrap();
    let mut c = join(&second, "carol", "7").await;
    let snapshot = recv_text(&mut c).await.unwrap();
    for (name, value) in [("v0", 45), ("v1", 46), ("v2", 47), ("v3", 48), ("v4", 49)] {
        let line = format!("{{\"method\":\"set\",\"name\":\"☁ {name}\",\"value\":{value}}}");
        assert!(
            snapshot.lines().any(|l| l == line),
            "{line} missing from {snapshot}"
        );
    }
    second.shutdown_gracefully().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn blocks_survive_a_restart_with_a_blocks_file() {
    let dir = std::env::temp_dir().join(format!("cloud-blocks-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let options = || {
        let mut options = with_admin();
        options.operator.blocks_file = Some(dir.join(BLOCKS_FILE));
        options
    };
    let first = server(options()).await;
    let put = reqwest::Method::PUT;
    for path in [
        "/admin/blocks/usernames/griefer1",
        "/admin/blocks/projects/8",
        "/admin/blocks/addresses/10.0.0.0%2F8",
        "/admin/blocks/projects/9",
    ] {
        let (status, body) = admin(&first, put.clone(), path, Some(TOKEN), None).await;
        assert_eq!(status, 200, "{path}: {body}");
    }
    let (status, _) = admin(
        &first,
        reqwest::Method::DELETE,
        "/admin/blocks/projects/9",
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(status, 204);
    first.shutdown_gracefully().await;

    let second = server(options()).await;
    let (_, body) = get(&second, "/admin/blocks", Some(TOKEN)).await;
    assert_eq!(
        json(&body),
        serde_json::json!({
            "projects": ["8"],
            "usernames": ["griefer1"],
            "addresses": ["10.0.0.0/8"]
        })
    );
    let mut griefer = join(&second, "Griefer_1", "7").await;
    assert_eq!(recv_close(&mut griefer).await, Some(4002));
    let mut project = join(&second, "someone", "8").await;
    assert_eq!(recv_close(&mut project).await, Some(4004));
    second.shutdown_gracefully().await;

    // A damaged file is not loaded, and not saved over either.
    std::fs::write(dir.join(BLOCKS_FILE), "{\"projects\": 8}").unwrap();
    let third = server(options()).await;
    let (_, body) = get(&third, "/admin/blocks", Some(TOKEN)).await;
    assert_eq!(json(&body)["projects"], serde_json::json!([]));
    let (status, body) = admin(
        &third,
        put.clone(),
        "/admin/blocks/projects/10",
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(
        std::fs::read_to_string(dir.join(BLOCKS_FILE)).unwrap(),
        "{\"projects\": 8}"
    );
    third.shutdown_gracefully().await;
    // The configuration refuses to start on it.
    let config = ServerConfig {
        data: Some(dir.clone()),
        ..ServerConfig::default()
    };
    assert!(config.to_options().is_err());
    let _ = std::fs::remove_dir_all(&dir);
}
