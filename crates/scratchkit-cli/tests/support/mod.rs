//! What the CLI's process tests share: the `scratch` binary with a clean environment and a
//! temporary config directory, a `scratch sandbox` process on 127.0.0.1, and logging in.

#![allow(dead_code)] // each test file uses a different part of it

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

/// The environment variables of the CLI that must not leak in from the outside.
pub const SCRATCH_ENV: &[&str] = &[
    "SCRATCH_SANDBOX",
    "SCRATCH_SESSION_ID",
    "SCRATCH_ACCOUNT",
    "SCRATCH_PASSWORD",
    "SCRATCH_USERNAME",
    "SCRATCH_CONFIG_DIR",
];

/// `scratch` with a clean environment, colour off, sessions under `config`.
pub fn command(config: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scratch"));
    for var in SCRATCH_ENV {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1").env("SCRATCH_CONFIG_DIR", config);
    cmd
}

pub fn run(config: &Path, args: &[&str]) -> Output {
    command(config)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the scratch binary runs")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn code(out: &Output) -> i32 {
    out.status.code().expect("exited normally")
}

/// Runs a command that must succeed and print one JSON document.
pub fn json(config: &Path, args: &[&str]) -> Value {
    let out = run(config, args);
    assert_eq!(code(&out), 0, "scratch {args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&out)))
}

/// A `scratch sandbox` process on an ephemeral port, killed when dropped.
pub struct Sandbox {
    pub child: Child,
    pub addr: String,
}

impl Sandbox {
    pub fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_scratch"))
            .args(["sandbox", "--port", "0", "--json"])
            .env("NO_COLOR", "1")
            .env_remove("SCRATCH_SANDBOX")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the sandbox starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut first)
            .expect("the sandbox prints its address");
        let info: Value = serde_json::from_str(&first).expect("a JSON line");
        let addr = info["address"].as_str().expect("an address").to_owned();
        assert!(addr.starts_with("127.0.0.1:"), "{addr}");
        Self { child, addr }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `--sandbox-at ADDR` followed by `args`.
pub fn at<'a>(addr: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["--sandbox-at", addr];
    all.extend_from_slice(args);
    all
}

/// Logs `name` in on the sandbox at `addr` with the demo password (the session is saved).
pub fn login(config: &Path, addr: &str, name: &str) {
    let out = command(config)
        .args(at(addr, &["login", name]))
        .env("SCRATCH_PASSWORD", scratchkit_sandbox::DEMO_PASSWORD)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}
