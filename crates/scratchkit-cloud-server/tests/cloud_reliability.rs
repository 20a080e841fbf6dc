//! Reliability: one client sets 10 000 values over 20 variables while the cloud server is
//! killed (every socket dropped without a close frame, the store's queued writes forgotten)
//! and restarted 10 times on the same port over the same SQLite directory. Afterwards the server holds the client's last value of
//! every variable, also after one more restart. Reconnect times are printed, not asserted
//! (run with `--nocapture` to see them).
//!
//! Real clock: the kills and restarts are real. Nothing asserts on timing; the timeouts are
//! safety nets.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use scratchkit::cloud::{CloudConfig, CloudConnection, CloudEvent, RateLimit, ReconnectPolicy};
use scratchkit_cloud_server::{
    CloudMode, CloudOptions, CloudServer, SqliteStore, serve_standalone_with,
};

const PROJECT: &str = "4242";
const VARIABLES: usize = 20;
const SETS: usize = 10_000;
const RESTARTS: usize = 10;
const SAFETY: Duration = Duration::from_secs(60);

async fn start(addr: SocketAddr, dir: &Path) -> CloudServer {
    let deadline = Instant::now() + SAFETY;
    loop {
        let store = Arc::new(SqliteStore::open(dir).expect("the store opens"));
        match serve_standalone_with(addr, CloudOptions::default(), store).await {
            Ok(server) => return server,
            Err(error) => {
                assert!(
                    Instant::now() < deadline,
                    "cannot listen again on {addr}: {error}"
                );
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

fn name(i: usize) -> String {
    format!("v{}", i % VARIABLES)
}

/// Waits until the server's variables equal `expected`.
async fn wait_for_values(server: &CloudServer, expected: &HashMap<String, String>) {
    let deadline = Instant::now() + SAFETY;
    loop {
        let stored: HashMap<String, String> = server
            .state()
            .variables(CloudMode::TurboWarp, PROJECT)
            .into_iter()
            .map(|(name, value)| (name.trim_start_matches("☁ ").to_owned(), value))
            .collect();
        if &stored == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the server never caught up: {} of {} variables match",
            expected
                .iter()
                .filter(|(k, v)| stored.get(*k) == Some(v))
                .count(),
            expected.len()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_variable_holds_the_last_value_after_ten_server_kills() {
    let dir = std::env::temp_dir().join(format!(
        "scratchkit-cloud-reliability-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let mut server = start("127.0.0.1:0".parse().unwrap(), &dir).await;
    let addr = server.addr();

    let config = CloudConfig::turbowarp(PROJECT, "reliable", "scratchkit-tests/1.0 (reliability)")
        .with_url(server.turbowarp_url())
        .with_rate_limit(RateLimit::new(2000.0, 200))
        .with_reconnect(ReconnectPolicy {
            base: Duration::from_millis(20),
            cap: Duration::from_millis(200),
            jitter: true,
        });
    let (sender, mut events) = CloudConnection::connect(config).await.expect("connects");

    // Record when each reconnect happened.
    let reconnected: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let watcher = {
        let reconnected = Arc::clone(&reconnected);
        tokio::spawn(async move {
            while let Some(event) = events.next().await {
                match event {
                    CloudEvent::Reconnected => reconnected.lock().unwrap().push(Instant::now()),
                    CloudEvent::Closed { reason } => return Some(reason),
                    _ => {}
                }
            }
            None
        })
    };
    let reconnects = || reconnected.lock().unwrap().len();

    let mut expected: HashMap<String, String> = HashMap::new();
    let mut next = 0usize;
    let mut set_some = |count: usize, expected: &mut HashMap<String, String>| {
        for _ in 0..count {
            let value = next.to_string();
            sender.set(&name(next), &value).expect("valid set");
            expected.insert(name(next), value);
            next += 1;
        }
    };
    let per_round = SETS / RESTARTS;
    let mut downtime = Vec::new();
    let mut reconnect_after_restart = Vec::new();
    for round in 0..RESTARTS {
        // Half of the round's sets while the server is up, paced so that frames are in flight
        // when it dies.
        for _ in 0..per_round / 2 / 50 {
            set_some(50, &mut expected);
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let before = reconnects();
        let killed = Instant::now();
        server.shutdown().await;
        // The other half while it is down: queued (the latest value per variable).
        for _ in 0..per_round / 2 / 50 {
            set_some(50, &mut expected);
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        server = start(addr, &dir).await;
        let restarted = Instant::now();
        let deadline = Instant::now() + SAFETY;
        while reconnects() <= before {
            assert!(
                Instant::now() < deadline,
                "no reconnect after restart {}",
                round + 1
            );
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let at = reconnected.lock().unwrap()[before];
        downtime.push(at.duration_since(killed));
        reconnect_after_restart.push(at.saturating_duration_since(restarted));
    }
    assert_eq!(next, SETS);
    sender.flush().await.expect("everything is written");
    wait_for_values(&server, &expected).await;

    // And it is on disk once written out (as a graceful shutdown does): one more restart,
    // nothing from this client in between. The kills above lost what the store had queued;
    // the client's resends after each reconnect brought it back.
    server.state().store().flush();
    server.shutdown().await;
    let server = start(addr, &dir).await;
    wait_for_values(&server, &expected).await;

    println!("reliability: {SETS} sets over {VARIABLES} variables, {RESTARTS} kills");
    for (i, (down, after)) in downtime.iter().zip(&reconnect_after_restart).enumerate() {
        println!(
            "  restart {:>2}: reconnected {:>6.1} ms after the kill, {:>6.1} ms after the restart",
            i + 1,
            down.as_secs_f64() * 1e3,
            after.as_secs_f64() * 1e3
        );
    }
    let mut sorted = reconnect_after_restart.clone();
    sorted.sort();
    println!(
        "  after restart: median {:.1} ms, max {:.1} ms",
        sorted[sorted.len() / 2].as_secs_f64() * 1e3,
        sorted[sorted.len() - 1].as_secs_f64() * 1e3
    );
    assert!(reconnects() >= RESTARTS, "a reconnect per restart");
    sender.close();
    let ended = tokio::time::timeout(SAFETY, watcher)
        .await
        .expect("the stream ends")
        .expect("the watcher ran");
    assert_eq!(
        ended,
        Some(scratchkit::cloud::CloseReason::ClientClosed),
        "never closed before"
    );
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
