//! Several instances sharing rooms through Redis (`--redis`), each test with its own
//! `redis-server` on a free loopback port (skipped with a printed reason when the binary is
//! missing, failed instead when `SCRATCHKIT_REQUIRE_REDIS=1`, as in CI).
//!
//! Real clock: Redis is a real process, so the tests wait for conditions with deadlines that
//! are safety nets; nothing asserts on timing.

#![cfg(feature = "redis")]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use scratchkit_cloud_server::redis_testing::RedisProcess;
use scratchkit_cloud_server::{
    CloudMode, CloudOptions, CloudServer, Rejection, Secret, serve_standalone,
    serve_standalone_with,
};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

const SAFETY: Duration = Duration::from_secs(30);
const TW_HEADERS: &[(&str, &str)] = &[("User-Agent", "tests/1.0 (scratchkit)")];
const SCRATCH_HEADERS: &[(&str, &str)] = &[
    ("Origin", "https://scratch.mit.edu"),
    ("Cookie", "scratchsessionsid=\"abc\""),
];

fn shared(redis: &RedisProcess, mut options: CloudOptions) -> CloudOptions {
    options.redis = Some(Secret::new(redis.url()));
    options
}

async fn instance(redis: &RedisProcess, options: CloudOptions) -> CloudServer {
    serve_standalone("127.0.0.1:0".parse().unwrap(), shared(redis, options))
        .await
        .expect("the instance starts")
}

async fn try_open(url: &str, headers: &[(&str, &str)]) -> Result<Ws, tungstenite::Error> {
    let mut request = url.into_client_request().unwrap();
    for (name, value) in headers {
        request.headers_mut().insert(
            http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    tokio_tungstenite::connect_async(request)
        .await
        .map(|(ws, _)| ws)
}

async fn join(url: &str, headers: &[(&str, &str)], user: &str, project: &str) -> Ws {
    let mut ws = try_open(url, headers).await.expect("connects");
    send(
        &mut ws,
        &format!("{{\"method\":\"handshake\",\"user\":\"{user}\",\"project_id\":\"{project}\"}}"),
    )
    .await;
    ws
}

async fn send(ws: &mut Ws, text: &str) {
    ws.send(Message::text(text)).await.expect("sends");
}

fn set(name: &str, value: i64) -> String {
    format!("{{\"method\":\"set\",\"name\":\"☁ {name}\",\"value\":{value}}}")
}

/// Reads set lines until `done` says so (or the deadline); returns every (name, value) seen,
/// in order, and the close code if the socket closed.
async fn read_until(
    ws: &mut Ws,
    seen: &mut Vec<(String, String)>,
    done: impl Fn(&[(String, String)]) -> bool,
) -> Option<u16> {
    let deadline = tokio::time::Instant::now() + SAFETY;
    while !done(seen) {
        let next = tokio::time::timeout_at(deadline, ws.next())
            .await
            .unwrap_or_else(|_| panic!("timed out; saw {} updates", seen.len()));
        match next {
            Some(Ok(Message::Text(text))) => {
                for line in text.as_str().lines() {
                    let value: Value = serde_json::from_str(line).unwrap();
                    seen.push((
                        value["name"].as_str().unwrap().to_owned(),
                        match &value["value"] {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        },
                    ));
                }
            }
            Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
            Some(Ok(_)) => {}
            Some(Err(_)) | None => return None,
        }
    }
    None
}

/// The last value of each variable in `seen`.
fn last_values(seen: &[(String, String)]) -> HashMap<String, String> {
    seen.iter().cloned().collect()
}

/// `GET url` (plain HTTP on loopback).
async fn get_url(url: impl reqwest::IntoUrl) -> reqwest::Result<reqwest::Response> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new().get(url).send().await
}

async fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + SAFETY;
    while !condition() {
        assert!(Instant::now() < deadline, "never happened: {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_share_a_room_in_one_order() {
    let Some(redis) = RedisProcess::start("three_instances_share_a_room_in_one_order") else {
        return;
    };
    let servers = [
        instance(&redis, CloudOptions::default()).await,
        instance(&redis, CloudOptions::default()).await,
        instance(&redis, CloudOptions::default()).await,
    ];
    // Two clients on each instance.
    let mut clients = Vec::new();
    for i in 0..6 {
        let url = servers[i % 3].turbowarp_url();
        clients.push(join(&url, TW_HEADERS, &format!("player{i}"), "77").await);
    }
    wait_until("every instance sees the two others", || {
        servers.iter().all(|s| {
            let stats = s.state().backplane_stats().unwrap();
            stats.peers == 2 && stats.connected
        })
    })
    .await;
    // Each client sets its own variable 1..=20, and all of them set `shared`, interleaved.
    const ROUNDS: i64 = 20;
    for round in 1..=ROUNDS {
        for (i, ws) in clients.iter_mut().enumerate() {
            send(ws, &set(&format!("own{i}"), round)).await;
            send(ws, &set("shared", i as i64 * 1000 + round)).await;
        }
    }
    // Every client ends with every other client's last value of its own variable.
    let mut seen: Vec<Vec<(String, String)>> = Vec::new();
    for (i, ws) in clients.iter_mut().enumerate() {
        let mut got = Vec::new();
        let close = read_until(ws, &mut got, |seen| {
            let last = last_values(seen);
            (0..6)
                .filter(|j| *j != i)
                .all(|j| last.get(&format!("☁ own{j}")) == Some(&ROUNDS.to_string()))
        })
        .await;
        assert_eq!(close, None, "client {i} was not closed");
        seen.push(got);
    }
    // Each variable's updates reached every client in one order: any two clients saw the
    // values they both saw in the same relative order.
    let shared_values = |seen: &[(String, String)]| -> Vec<String> {
        seen.iter()
            .filter(|(name, _)| name == "☁ shared")
            .map(|(_, value)| value.clone())
            .collect()
    };
    for a in 0..6 {
        for b in 0..6 {
            let (sa, sb) = (shared_values(&seen[a]), shared_values(&seen[b]));
            let common: Vec<&String> = sa.iter().filter(|v| sb.contains(v)).collect();
            let in_b: Vec<&String> = sb.iter().filter(|v| sa.contains(v)).collect();
            assert_eq!(common, in_b, "clients {a} and {b} disagree on the order");
        }
        // Its own variable's values arrive in the order they were set.
        let own: Vec<i64> = seen[a]
            .iter()
            .filter(|(name, _)| name == &format!("☁ own{}", (a + 1) % 6))
            .map(|(_, value)| value.parse().unwrap())
            .collect();
        assert!(own.windows(2).all(|w| w[0] < w[1]), "in order: {own:?}");
    }
    // Every instance ends with the same values, and a player joining on any instance gets
    // them all in the join snapshot.
    wait_until("the instances converge", || {
        let reference = servers[0].state().variables(CloudMode::TurboWarp, "77");
        let reference: HashMap<_, _> = reference.into_iter().collect();
        reference.len() == 7
            && servers.iter().all(|s| {
                let values: HashMap<_, _> = s
                    .state()
                    .variables(CloudMode::TurboWarp, "77")
                    .into_iter()
                    .collect();
                values == reference
            })
    })
    .await;
    let expected: HashMap<String, String> = servers[1]
        .state()
        .variables(CloudMode::TurboWarp, "77")
        .into_iter()
        .collect();
    for server in &servers {
        let mut late = join(&server.turbowarp_url(), TW_HEADERS, "latecomer", "77").await;
        let mut got = Vec::new();
        read_until(&mut late, &mut got, |seen| seen.len() >= 7).await;
        assert_eq!(last_values(&got), expected, "a complete join snapshot");
    }
    // The deliveries from other instances are counted.
    let crossed: u64 = servers
        .iter()
        .map(|s| {
            s.state()
                .backplane_stats()
                .unwrap()
                .cross_instance_deliveries
        })
        .sum();
    assert!(crossed > 0);
    let metrics = get_url(format!("{}/metrics", servers[0].http_url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for family in [
        "scratch_cloud_redis_publish_lag_seconds_count",
        "scratch_cloud_redis_reconnects_total 0",
        "scratch_cloud_cross_instance_deliveries_total",
    ] {
        assert!(metrics.contains(family), "{family} in /metrics");
    }
}

/// Successful joins on these instances.
fn joined(instances: &[&CloudServer]) -> u64 {
    instances
        .iter()
        .map(|i| i.state().metrics().handshakes)
        .sum()
}

/// Joins refused because the room was full, on these instances.
fn refused_full(instances: &[&CloudServer]) -> u64 {
    instances
        .iter()
        .map(|i| i.state().metrics().rejections_for(Rejection::RoomFull))
        .sum()
}

/// Seats of TurboWarp room `room` in Redis (lapsed ones included until a join drops them).
fn seats_in_redis(redis: &RedisProcess, room: &str) -> usize {
    let client = redis::Client::open(redis.url()).expect("a Redis URL");
    let mut connection = client.get_connection().expect("Redis answers");
    redis::cmd("ZCARD")
        .arg(format!("scratchkit:cloud:seats:t:{room}"))
        .query(&mut connection)
        .expect("ZCARD")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_joins_on_three_instances_admit_exactly_the_limit() {
    let Some(redis) = RedisProcess::start("racing_joins_admit_exactly_the_limit") else {
        return;
    };
    let options = CloudOptions {
        max_clients_per_room: 4,
        ..CloudOptions::default()
    };
    let instances = [
        instance(&redis, options.clone()).await,
        instance(&redis, options.clone()).await,
        instance(&redis, options).await,
    ];
    let all: Vec<&CloudServer> = instances.iter().collect();
    // Twelve clients join at once, four on each instance: before any presence event could
    // tell the instances about each other, each alone would admit all four of its own.
    let joins = (0..12).map(|n| {
        let url = instances[n % 3].turbowarp_url();
        async move { join(&url, TW_HEADERS, &format!("player{n}"), "77").await }
    });
    let clients = futures_util::future::join_all(joins).await;
    wait_until("every join answered", || {
        joined(&all) + refused_full(&all) == 12
    })
    .await;
    assert_eq!(joined(&all), 4, "exactly the limit is admitted");
    assert_eq!(refused_full(&all), 8);
    assert_eq!(seats_in_redis(&redis, "77"), 4);
    drop(clients);
    wait_until("the seats given back", || seats_in_redis(&redis, "77") == 0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn room_limits_hold_across_instances() {
    let Some(redis) = RedisProcess::start("room_limits_hold_across_instances") else {
        return;
    };
    let mut options = CloudOptions {
        max_clients_per_room: 3,
        ..CloudOptions::default()
    };
    options.turbowarp.max_variables = 2;
    let a = instance(&redis, options.clone()).await;
    let b = instance(&redis, options.clone()).await;
    let c = instance(&redis, options).await;
    let mut on_a = vec![
        join(&a.turbowarp_url(), TW_HEADERS, "alice", "5").await,
        join(&a.turbowarp_url(), TW_HEADERS, "amy", "5").await,
    ];
    let mut bob = join(&b.turbowarp_url(), TW_HEADERS, "bob", "5").await;
    wait_until("three joins", || joined(&[&a, &b, &c]) == 3).await;
    // Three clients in the room (two on A, one on B): a fourth on the third instance is
    // refused with 4000 at once (the seats are counted in Redis, not heard of later).
    let mut extra = join(&c.turbowarp_url(), TW_HEADERS, "extra", "5").await;
    let close = read_until(&mut extra, &mut Vec::new(), |_| false).await;
    assert_eq!(close, Some(4000), "the fourth client is refused");
    // One leaves instance A: a client fits on B again, at the first try (once A has given
    // the seat back, which it does as the client leaves).
    let mut amy = on_a.pop().unwrap();
    amy.close(None).await.unwrap();
    wait_until("amy's seat given back", || seats_in_redis(&redis, "5") == 2).await;
    let mut carol = join(&b.turbowarp_url(), TW_HEADERS, "carol", "5").await;
    send(&mut carol, &set("probe", 1)).await;
    read_until(&mut on_a[0], &mut Vec::new(), |seen| {
        seen.iter().any(|(n, _)| n == "☁ probe")
    })
    .await;
    // Two variables per room: `probe` (from carol) and one more from A; a third, new on B,
    // closes bob (TurboWarp rules) even though B's own clients created only one.
    send(&mut on_a[0], &set("second", 2)).await;
    read_until(&mut carol, &mut Vec::new(), |seen| {
        seen.iter().any(|(n, _)| n == "☁ second")
    })
    .await;
    send(&mut bob, &set("third", 3)).await;
    let close = read_until(&mut bob, &mut Vec::new(), |_| false).await;
    assert_eq!(
        close,
        Some(4000),
        "the variable limit holds across instances"
    );
    assert_eq!(a.state().variables(CloudMode::TurboWarp, "5").len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_read_the_same_history_on_every_instance() {
    let Some(redis) = RedisProcess::start("logs_read_the_same_history_on_every_instance") else {
        return;
    };
    let a = instance(&redis, CloudOptions::default()).await;
    let b = instance(&redis, CloudOptions::default()).await;
    let mut alice = join(&a.scratch_url(), SCRATCH_HEADERS, "alice", "31").await;
    let mut bob = join(&b.scratch_url(), SCRATCH_HEADERS, "bob", "31").await;
    for i in 0..5 {
        send(&mut alice, &set("a", i)).await;
        send(&mut bob, &set("b", i)).await;
    }
    let history = |server: &CloudServer| {
        let url = format!("{}?projectid=31&limit=100", server.logs_url());
        async move {
            let rows: Vec<Value> = get_url(url).await.unwrap().json().await.unwrap();
            rows
        }
    };
    let deadline = Instant::now() + SAFETY;
    loop {
        let (on_a, on_b) = (history(&a).await, history(&b).await);
        if on_a.len() == 10 && on_a == on_b {
            let users: Vec<&str> = on_a.iter().map(|r| r["user"].as_str().unwrap()).collect();
            assert!(users.contains(&"alice") && users.contains(&"bob"));
            break;
        }
        assert!(
            Instant::now() < deadline,
            "histories differ: {} vs {} rows",
            on_a.len(),
            on_b.len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A third instance started later reads the same history from Redis.
    let c = instance(&redis, CloudOptions::default()).await;
    assert_eq!(history(&c).await, history(&a).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_restart_is_survived_and_the_gap_counted() {
    let Some(mut redis) = RedisProcess::start("a_redis_restart_is_survived_and_the_gap_counted")
    else {
        return;
    };
    let a = instance(&redis, CloudOptions::default()).await;
    let b = instance(&redis, CloudOptions::default()).await;
    let mut alice = join(&a.turbowarp_url(), TW_HEADERS, "alice", "9").await;
    let mut bob = join(&b.turbowarp_url(), TW_HEADERS, "bob", "9").await;
    send(&mut alice, &set("before", 1)).await;
    read_until(&mut bob, &mut Vec::new(), |seen| {
        seen.iter().any(|(n, _)| n == "☁ before")
    })
    .await;

    // Redis dies (and loses everything: no persistence); alice keeps setting meanwhile.
    redis.kill();
    wait_until("A notices", || {
        !a.state().backplane_stats().unwrap().connected
    })
    .await;
    for i in 1..=10 {
        send(&mut alice, &set("during", i)).await;
    }
    wait_until("A accepted the sets", || a.state().metrics().sets_in >= 11).await;
    redis.restart();

    // Both reconnect and resynchronise; bob gets what alice set during the outage.
    let mut got = Vec::new();
    read_until(&mut bob, &mut got, |seen| {
        last_values(seen).get("☁ during").map(String::as_str) == Some("10")
    })
    .await;
    wait_until("both reconnected", || {
        [&a, &b]
            .iter()
            .all(|s| s.state().backplane_stats().unwrap().reconnects >= 1)
    })
    .await;
    let stats = a.state().backplane_stats().unwrap();
    assert!(stats.queued_during_outage >= 10, "{stats:?}");
    assert!(stats.outage_seconds > 0.0);
    // Redis has the room again (written back by the instances): a third instance's join
    // snapshot is complete.
    let c = instance(&redis, CloudOptions::default()).await;
    let mut carol = join(&c.turbowarp_url(), TW_HEADERS, "carol", "9").await;
    let mut got = Vec::new();
    read_until(&mut carol, &mut got, |seen| seen.len() >= 2).await;
    let values = last_values(&got);
    assert_eq!(values.get("☁ before").map(String::as_str), Some("1"));
    assert_eq!(values.get("☁ during").map(String::as_str), Some("10"));
    let metrics = get_url(format!("{}/metrics", a.http_url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("scratch_cloud_redis_reconnects_total 1"));
    assert!(metrics.contains("scratch_cloud_redis_queued_during_outage_total"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_that_dies_loses_nothing_its_clients_set() {
    use scratchkit::cloud::{CloudConfig, CloudConnection, ReconnectPolicy};
    let Some(redis) = RedisProcess::start("an_instance_that_dies_loses_nothing_its_clients_set")
    else {
        return;
    };
    let a = instance(&redis, CloudOptions::default()).await;
    let b = instance(&redis, CloudOptions::default()).await;
    let a_addr = a.addr();
    let url = a.turbowarp_url();
    let mut a = Some(a);
    // The client's own reconnect goes to whichever instance listens on the address it
    // knows; a second instance takes over A's address after A dies (as behind a proxy).
    let config = CloudConfig::turbowarp("12", "steady", "scratchkit-tests/1.0 (redis)")
        .with_url(url)
        .with_reconnect(ReconnectPolicy {
            base: Duration::from_millis(20),
            cap: Duration::from_millis(200),
            jitter: true,
        });
    let (sender, _events) = CloudConnection::connect(config).await.expect("connects");
    let mut watcher = join(&b.turbowarp_url(), TW_HEADERS, "watcher", "12").await;
    let mut expected = HashMap::new();
    for i in 0..200 {
        let name = format!("v{}", i % 10);
        sender.set(&name, i.to_string()).unwrap();
        expected.insert(format!("☁ {name}"), i.to_string());
        if i == 120 {
            // Killed mid-traffic: sockets dropped, nothing queued is published.
            a.take().unwrap().shutdown().await;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let deadline = Instant::now() + SAFETY;
    let replacement = loop {
        match serve_standalone_with(
            a_addr,
            shared(&redis, CloudOptions::default()),
            std::sync::Arc::new(scratchkit_cloud_server::MemoryStore::new()),
        )
        .await
        {
            Ok(server) => break server,
            Err(error) => {
                assert!(
                    Instant::now() < deadline,
                    "cannot listen on {a_addr}: {error}"
                );
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    };
    sender.flush().await.expect("everything is sent");
    let mut got = Vec::new();
    read_until(&mut watcher, &mut got, |seen| {
        let last = last_values(seen);
        expected.iter().all(|(k, v)| last.get(k) == Some(v))
    })
    .await;
    drop(replacement);
}

#[tokio::test]
async fn an_unreachable_redis_is_a_clear_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let options = CloudOptions {
        redis: Some(Secret::new(format!("redis://:hunter2@127.0.0.1:{port}/"))),
        ..CloudOptions::default()
    };
    let error = serve_standalone("127.0.0.1:0".parse().unwrap(), options)
        .await
        .expect_err("no Redis there");
    let message = error.to_string();
    assert!(
        message.contains(&format!("cannot reach Redis at 127.0.0.1:{port}")),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "no password in {message}");
    let options = CloudOptions {
        redis: Some(Secret::new("http://nope")),
        ..CloudOptions::default()
    };
    let error = serve_standalone("127.0.0.1:0".parse().unwrap(), options)
        .await
        .expect_err("not a Redis URL");
    assert!(error.to_string().contains("not a Redis URL"), "{error}");
}
