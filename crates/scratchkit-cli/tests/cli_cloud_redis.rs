//! Three `scratch cloud-server --redis URL` processes behind a small TCP load balancer (as
//! nginx would be), sharing one room through their own `redis-server` on a free loopback
//! port. One instance is killed with SIGKILL mid-traffic: its clients reconnect through the
//! client's own reconnect, land on another instance, and no value any client set is lost;
//! every client ends with every other client's last value.
//!
//! Skipped with a printed reason when `redis-server` is missing, failed instead when
//! `SCRATCHKIT_REQUIRE_REDIS=1` (as `.ci/run` sets). Real clock and real processes: the
//! deadlines are safety nets, nothing asserts on timing.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use scratchkit::cloud::{CloudConfig, CloudConnection, CloudEvent, RateLimit, ReconnectPolicy};
use scratchkit_cloud_server::redis_testing::RedisProcess;
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};

const PROJECT: &str = "616";
const CLIENTS: usize = 6;
const SETS: usize = 150;
const SAFETY: Duration = Duration::from_secs(60);

/// A `scratch cloud-server` process sharing rooms through `redis`, killed when dropped.
struct Instance {
    child: Child,
    addr: SocketAddr,
}

impl Instance {
    fn start(redis: &RedisProcess) -> Instance {
        let mut command = Command::new(env!("CARGO_BIN_EXE_scratch"));
        for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("SCRATCH_")) {
            command.env_remove(name);
        }
        let mut child = command
            .args([
                "cloud-server",
                "--port",
                "0",
                "--json",
                "--redis",
                &redis.url(),
            ])
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("scratch cloud-server starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut first)
            .expect("it prints its address");
        let info: Value = serde_json::from_str(&first)
            .unwrap_or_else(|error| panic!("a JSON line, not {first:?}: {error}"));
        assert!(info["redis_instance"].is_string(), "shares rooms: {info}");
        let addr = info["addr"].as_str().expect("an address").parse().unwrap();
        Instance { child, addr }
    }

    /// SIGKILL: no close frame, nothing flushed.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A TCP load balancer: each connection goes to the next backend in turn that accepts it.
async fn balancer(backends: Vec<SocketAddr>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let next = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        loop {
            let Ok((mut inbound, _)) = listener.accept().await else {
                return;
            };
            let backends = backends.clone();
            let start = next.fetch_add(1, Ordering::Relaxed);
            tokio::spawn(async move {
                for i in 0..backends.len() {
                    let backend = backends[(start + i) % backends.len()];
                    if let Ok(mut outbound) = TcpStream::connect(backend).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                        return;
                    }
                }
            });
        }
    });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_killed_mid_traffic_loses_no_value() {
    let Some(redis) = RedisProcess::start("an_instance_killed_mid_traffic_loses_no_value") else {
        return;
    };
    let mut instances: Vec<Instance> = (0..3).map(|_| Instance::start(&redis)).collect();
    let proxy = balancer(instances.iter().map(|i| i.addr).collect()).await;
    let url = format!("ws://{proxy}/turbowarp");

    // Six clients through the balancer: two on each instance. Each records the last value
    // of every variable it hears of.
    let mut senders = Vec::new();
    let mut heard: Vec<Arc<Mutex<HashMap<String, String>>>> = Vec::new();
    for i in 0..CLIENTS {
        let config = CloudConfig::turbowarp(
            PROJECT,
            format!("player{i}"),
            "scratchkit-tests/1.0 (redis)",
        )
        .with_url(url.clone())
        .with_rate_limit(RateLimit::new(2000.0, 200))
        .with_reconnect(ReconnectPolicy {
            base: Duration::from_millis(20),
            cap: Duration::from_millis(200),
            jitter: true,
        });
        let (sender, mut events) = CloudConnection::connect(config).await.expect("connects");
        let last: Arc<Mutex<HashMap<String, String>>> = Arc::default();
        let record = Arc::clone(&last);
        tokio::spawn(async move {
            while let Some(event) = events.next().await {
                if let CloudEvent::Set { name, value } = event {
                    record.lock().unwrap().insert(name, value);
                }
            }
        });
        senders.push(sender);
        heard.push(last);
    }

    // Each client sets its own variable 0..SETS; instance 0 is killed a third of the way.
    for round in 0..SETS {
        for (i, sender) in senders.iter().enumerate() {
            sender.set(&format!("own{i}"), round).expect("a valid set");
        }
        if round == SETS / 3 {
            instances[0].kill();
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    for sender in &senders {
        sender.flush().await.expect("everything is sent");
    }
    let last = (SETS - 1).to_string();
    let deadline = Instant::now() + SAFETY;
    for (i, heard) in heard.iter().enumerate() {
        loop {
            let missing: Vec<usize> = (0..CLIENTS)
                .filter(|j| *j != i)
                .filter(|j| heard.lock().unwrap().get(&format!("own{j}")) != Some(&last))
                .collect();
            if missing.is_empty() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "client {i} never heard the last value of {missing:?}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    // The killed instance's two clients moved: the survivors saw six handshakes.
    let mut handshakes = 0;
    for instance in &instances[1..] {
        handshakes += metric(instance.addr, "scratch_cloud_handshakes_total").await;
    }
    assert!(
        handshakes >= CLIENTS as u64,
        "{handshakes} handshakes on the survivors"
    );
    // A player joining a surviving instance gets every last value in its join snapshot.
    for instance in &instances[1..] {
        let config = CloudConfig::turbowarp(PROJECT, "latecomer", "scratchkit-tests/1.0 (redis)")
            .with_url(format!("ws://{}/turbowarp", instance.addr));
        let (late, mut events) = CloudConnection::connect(config).await.expect("connects");
        let mut snapshot = HashMap::new();
        while (0..CLIENTS).any(|j| snapshot.get(&format!("own{j}")) != Some(&last)) {
            match tokio::time::timeout(SAFETY, events.next()).await {
                Ok(Some(CloudEvent::Set { name, value })) => {
                    snapshot.insert(name, value);
                }
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => panic!("incomplete snapshot: {snapshot:?}"),
            }
        }
        late.close();
    }
    for sender in &senders {
        sender.close();
    }
    drop(instances);
}

/// A counter of `GET /metrics` (plain HTTP/1.0 on loopback).
async fn metric(addr: SocketAddr, name: &str) -> u64 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = TcpStream::connect(addr)
        .await
        .expect("the instance answers");
    stream
        .write_all(b"GET /metrics HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .await
        .expect("the request is sent");
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .await
        .expect("a response");
    response
        .lines()
        .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} in {response}"))
}
