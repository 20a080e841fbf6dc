//! `scratch cloud …` as processes against a `scratch sandbox` process on 127.0.0.1: set then
//! get, the log names the setter, saved sessions log cloud commands in, and refusals exit with
//! the documented codes (2 for an invalid value, 4 for a login problem).

mod support;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use support::{Sandbox, code, stderr};

const PROJECT: &str = "142";

/// Commands run against this test file's sandbox.
impl Sandbox {
    /// `scratch --sandbox-at ADDR ARGS…` with a clean environment and sessions under `config`.
    fn command(&self, config: &Path, args: &[&str]) -> Command {
        let mut cmd = support::command(config);
        cmd.args(["--sandbox-at", &self.addr])
            .args(args)
            .stdin(Stdio::null());
        cmd
    }

    fn run(&self, config: &Path, args: &[&str]) -> Output {
        self.command(config, args)
            .output()
            .expect("the scratch binary runs")
    }

    /// Runs a command that must succeed and print one JSON document.
    fn json(&self, config: &Path, args: &[&str]) -> Value {
        let out = self.run(config, args);
        assert_eq!(code(&out), 0, "scratch {args:?}: {}", stderr(&out));
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
    }
}

/// A log row's value as text (the log may carry a string or a number).
fn value_text(row: &Value) -> String {
    match &row["value"] {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[test]
fn set_then_get_and_the_log_names_the_setter() {
    let sandbox = Sandbox::start();
    let config = tempfile::tempdir().unwrap();
    let dir = config.path();

    let set = sandbox.json(
        dir,
        &[
            "--json",
            "cloud",
            "set",
            PROJECT,
            "score",
            "4321",
            "--user",
            "griffpatch",
        ],
    );
    assert_eq!(set["name"], "score");
    assert_eq!(set["value"], "4321");

    // Another account reads it back from the join snapshot.
    let got = sandbox.json(
        dir,
        &[
            "--json",
            "cloud",
            "get",
            PROJECT,
            "score",
            "--user",
            "kakurenbo",
        ],
    );
    assert_eq!(got, serde_json::json!({"score": "4321"}));
    let out = sandbox.run(
        dir,
        &["cloud", "get", PROJECT, "☁ score", "--user", "kakurenbo"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "4321");

    // The log (no login needed) has the row, newest first, with the setter's name.
    let logs = sandbox.json(dir, &["--json", "cloud", "logs", PROJECT]);
    let first = &logs.as_array().expect("an array of rows")[0];
    assert_eq!(first["user"], "griffpatch");
    assert_eq!(first["verb"], "set_var");
    assert_eq!(first["name"], "☁ score");
    assert_eq!(value_text(first), "4321");
}

#[test]
fn a_saved_session_logs_cloud_commands_in() {
    let sandbox = Sandbox::start();
    let config = tempfile::tempdir().unwrap();
    let dir = config.path();

    // No --user and no saved session: a login is needed (exit 4), nothing is sent.
    let out = sandbox.run(dir, &["cloud", "set", PROJECT, "level", "7"]);
    assert_eq!(code(&out), 4, "{}", stderr(&out));

    let out = sandbox
        .command(dir, &["--json", "login", "kakurenbo"])
        .env("SCRATCH_PASSWORD", scratchkit_sandbox::DEMO_PASSWORD)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    let out = sandbox.run(dir, &["cloud", "set", PROJECT, "level", "7"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let logs = sandbox.json(dir, &["--json", "cloud", "logs", PROJECT, "--limit", "1"]);
    let first = &logs[0];
    assert_eq!(
        first["user"], "kakurenbo",
        "the saved session's account set it"
    );
    assert_eq!(first["name"], "☁ level");
    assert_eq!(value_text(first), "7");
}

#[test]
fn an_invalid_value_exits_2_and_a_new_scratcher_exits_4() {
    let sandbox = Sandbox::start();
    let config = tempfile::tempdir().unwrap();
    let dir = config.path();

    let out = sandbox.run(
        dir,
        &[
            "cloud",
            "set",
            PROJECT,
            "score",
            "hello",
            "--user",
            "griffpatch",
        ],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));

    // New Scratchers may not use cloud data: the upgrade is refused.
    let out = sandbox.run(
        dir,
        &["cloud", "set", PROJECT, "score", "1", "--user", "demo_new"],
    );
    assert_eq!(code(&out), 4, "{}", stderr(&out));

    // Neither reached the log (the seeded rows are other users').
    let logs = sandbox.json(dir, &["--json", "cloud", "logs", PROJECT]);
    assert!(
        logs.as_array()
            .expect("an array of rows")
            .iter()
            .all(|row| row["user"] != "griffpatch" && row["user"] != "demo_new"),
        "{logs}"
    );
}
