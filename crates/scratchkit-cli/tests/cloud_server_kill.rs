//! `scratch cloud-server --data DIR` as a real process, killed with SIGKILL while a client
//! is setting values, then started again on the same port and data: every value the client
//! set is there afterwards. What the killed process had not written out yet (its write queue)
//! comes back through the client, which re-sends on reconnect what the join snapshot shows
//! lost; this test checks that the two together lose nothing.
//!
//! Real processes and a real clock: nothing asserts on timing, the timeouts are safety nets.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use scratchkit::cloud::{
    CloudConfig, CloudConnection, CloudEvent, CloudSender, RateLimit, ReconnectPolicy,
};

const PROJECT: &str = "4343";
const VARIABLES: usize = 20;
const SAFETY: Duration = Duration::from_secs(30);

/// A `scratch cloud-server` process.
struct ServerProcess {
    child: Child,
    addr: SocketAddr,
}

impl ServerProcess {
    /// Starts one on `port` (0: any) over `data`; retries while the port is still taken.
    fn start(port: u16, data: &Path) -> Self {
        let deadline = Instant::now() + SAFETY;
        loop {
            let mut command = Command::new(env!("CARGO_BIN_EXE_scratch"));
            for (name, _) in std::env::vars_os() {
                if name.to_string_lossy().starts_with("SCRATCH_") {
                    command.env_remove(name);
                }
            }
            let mut child = command
                .args(["--json", "cloud-server", "--port", &port.to_string()])
                .arg("--data")
                .arg(data)
                .env("NO_COLOR", "1")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("scratch cloud-server starts");
            let mut first = String::new();
            let _ =
                BufReader::new(child.stdout.take().expect("piped stdout")).read_line(&mut first);
            if let Ok(info) = serde_json::from_str::<serde_json::Value>(&first) {
                let addr = info["addr"].as_str().expect("an address").parse().unwrap();
                return ServerProcess { child, addr };
            }
            let _ = child.kill();
            let _ = child.wait();
            assert!(Instant::now() < deadline, "cannot start on port {port}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL: no graceful shutdown, no flush.
    fn kill_9(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }

    /// SIGTERM: the graceful shutdown (clients closed with 1012, values flushed).
    fn stop(mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let deadline = Instant::now() + SAFETY;
        while self.child.try_wait().expect("waitable").is_none() {
            assert!(Instant::now() < deadline, "no exit after SIGTERM");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn url(&self) -> String {
        format!("ws://{}/turbowarp", self.addr)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn config(url: &str, user: &str) -> CloudConfig {
    CloudConfig::turbowarp(PROJECT, user, "scratchkit-tests/1.0 (kill -9)")
        .with_url(url)
        .with_rate_limit(RateLimit::new(5000.0, 500))
        .with_reconnect(ReconnectPolicy {
            base: Duration::from_millis(20),
            cap: Duration::from_millis(200),
            jitter: true,
        })
}

/// Waits until what `observer` sees equals `expected`.
async fn wait_for(observer: &CloudSender, expected: &HashMap<String, String>) {
    let deadline = Instant::now() + SAFETY;
    loop {
        let seen = observer.values();
        if &seen == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{} of {} variables hold the last value set: {seen:?}",
            expected
                .iter()
                .filter(|(k, v)| seen.get(*k) == Some(v))
                .count(),
            expected.len()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigkilled_server_restarted_on_its_data_keeps_every_value_a_client_set() {
    let dir = std::env::temp_dir().join(format!("scratchkit-cloud-kill9-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let first = ServerProcess::start(0, &dir);
    let port = first.addr.port();
    let (setter, mut events) = CloudConnection::connect(config(&first.url(), "setter"))
        .await
        .expect("connects");
    let reconnects = tokio::spawn(async move {
        let mut reconnects = 0;
        while let Some(event) = events.next().await {
            if matches!(event, CloudEvent::Reconnected) {
                reconnects += 1;
            }
        }
        reconnects
    });

    let mut expected = HashMap::new();
    let mut next = 0usize;
    let mut burst = |expected: &mut HashMap<String, String>| {
        for _ in 0..50 {
            let name = format!("v{}", next % VARIABLES);
            setter.set(&name, next).expect("a valid set");
            expected.insert(name, next.to_string());
            next += 1;
        }
    };
    // Traffic in flight when the process dies: bursts of 50 sets, 1 ms apart.
    for _ in 0..20 {
        burst(&mut expected);
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    first.kill_9();
    // More while it is down (queued by the client).
    for _ in 0..10 {
        burst(&mut expected);
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let second = ServerProcess::start(port, &dir);
    for _ in 0..10 {
        burst(&mut expected);
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    tokio::time::timeout(SAFETY, setter.flush())
        .await
        .expect("the client flushes")
        .expect("everything is written");
    let (observer, _observer_events) = CloudConnection::connect(config(&second.url(), "watcher"))
        .await
        .expect("the observer connects");
    wait_for(&observer, &expected).await;
    setter.close();
    observer.close();
    assert!(
        tokio::time::timeout(SAFETY, reconnects)
            .await
            .expect("the event stream ends")
            .expect("the watcher ran")
            >= 1,
        "the setter reconnected after the kill"
    );

    // On disk: a graceful stop and a fresh process with nobody re-sending anything.
    second.stop();
    let third = ServerProcess::start(port, &dir);
    let (reader, _reader_events) = CloudConnection::connect(config(&third.url(), "reader"))
        .await
        .expect("the reader connects");
    wait_for(&reader, &expected).await;
    reader.close();
    third.stop();
    let _ = std::fs::remove_dir_all(&dir);
}
