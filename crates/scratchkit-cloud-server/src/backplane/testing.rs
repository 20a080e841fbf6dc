//! A `redis-server` of its own for tests and benchmarks (not part of the supported API).
//!
//! [`RedisProcess::start`] runs the `redis-server` binary (Debian package `redis-server`) on
//! a free loopback port, without persistence, and stops it when dropped. When the binary is
//! missing it returns `None` after printing why the caller is skipped, unless
//! [`REQUIRE_REDIS_ENV`] is set (as `.ci/run` does), in which case it panics so that the
//! test fails instead. `REDIS_SERVER` names another binary.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Set to `1` to make a missing `redis-server` a failure instead of a skip.
pub const REQUIRE_REDIS_ENV: &str = "SCRATCHKIT_REQUIRE_REDIS";

/// A running `redis-server`, stopped (SIGKILL) when dropped.
#[derive(Debug)]
pub struct RedisProcess {
    port: u16,
    child: Option<Child>,
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn binary() -> Option<String> {
    let name = std::env::var("REDIS_SERVER").unwrap_or_else(|_| "redis-server".to_owned());
    let found = Command::new(&name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    found.then_some(name)
}

impl RedisProcess {
    /// Starts a server for the test `who`; `None` (after printing why `who` is skipped) when
    /// `redis-server` is not installed and [`REQUIRE_REDIS_ENV`] is not set.
    ///
    /// # Panics
    /// When the binary is missing and required, or it does not answer within 10 seconds.
    pub fn start(who: &str) -> Option<RedisProcess> {
        let Some(binary) = binary() else {
            let required = std::env::var(REQUIRE_REDIS_ENV).is_ok_and(|v| v == "1");
            assert!(
                !required,
                "{who}: redis-server is not installed but {REQUIRE_REDIS_ENV}=1 requires it \
                 (Debian package `redis-server`)"
            );
            eprintln!(
                "SKIPPED {who}: redis-server is not installed (Debian package `redis-server`; \
                 set {REQUIRE_REDIS_ENV}=1 to make this a failure)"
            );
            return None;
        };
        let port = free_port().expect("a free loopback port");
        let mut process = RedisProcess { port, child: None };
        process.spawn(&binary);
        Some(process)
    }

    fn spawn(&mut self, binary: &str) {
        let child = Command::new(binary)
            .args([
                "--port",
                &self.port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "redis-server did not listen on port {} within 10 s",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `redis://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Kills the server (SIGKILL: its data is gone, it has no persistence).
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port, empty.
    ///
    /// # Panics
    /// When it does not answer within 10 seconds.
    pub fn restart(&mut self) {
        self.kill();
        let binary = binary().expect("redis-server is installed");
        self.spawn(&binary);
    }
}

impl Drop for RedisProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
