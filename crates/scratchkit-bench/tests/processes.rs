//! The binaries: `sandbox-for-compat` serves until released, `bulk-read --quick` prints figures.

use std::net::TcpStream;
use std::process::Command;

use scratchkit::{Client, Host};
use scratchkit_bench::process::SandboxProcess;

#[tokio::test]
async fn sandbox_for_compat_serves_until_its_handle_is_dropped() {
    let sandbox = SandboxProcess::start(Command::new(env!("CARGO_BIN_EXE_sandbox-for-compat")))
        .expect("the sandbox reports its address");
    let addr = sandbox.addr();
    assert!(addr.ip().is_loopback());

    let client = Client::sandbox(addr);
    let user = client
        .raw()
        .get_value(Host::Api, "/users/mres", &[])
        .await
        .expect("the demo user is served");
    assert_eq!(user["id"], 167);

    drop(sandbox); // closes its stdin, then waits for it
    assert!(
        TcpStream::connect(addr).is_err(),
        "still listening after drop"
    );
}

#[test]
fn sandbox_for_compat_rejects_unknown_options() {
    let out = Command::new(env!("CARGO_BIN_EXE_sandbox-for-compat"))
        .arg("--bogus")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--bogus"));
    assert!(out.stdout.is_empty(), "no ADDR line for a bad command line");
}

#[test]
fn bulk_read_quick_prints_the_table() {
    let out = Command::new(env!("CARGO_BIN_EXE_bulk-read"))
        .args([
            "--quick",
            "--no-python",
            "--lookups",
            "20",
            "--rounds",
            "2",
            "--json",
        ])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("rate limit DISABLED"), "{stdout}");
    assert!(stdout.contains("median of 2 rounds"), "{stdout}");
    let json = stdout.lines().last().expect("a JSON line last");
    let rounds: Vec<Vec<scratchkit_bench::report::ClientRun>> =
        serde_json::from_str(json).expect("the rounds as JSON");
    assert_eq!(rounds.len(), 2);
    for runs in &rounds {
        let clients: Vec<&str> = runs.iter().map(|r| r.client.as_str()).collect();
        assert_eq!(
            clients,
            [
                "scratchkit sequential, multi-thread, block_on",
                "scratchkit sequential, multi-thread, in a task",
                "scratchkit sequential, current-thread runtime",
                "scratchkit concurrent (16 in flight)",
            ],
            "four scratchkit runs per round, Python skipped"
        );
        for sequential in &runs[..3] {
            assert_eq!(sequential.phase("list").map(|p| p.items), Some(2000));
            assert_eq!(sequential.phase("lookups").map(|p| p.items), Some(20));
        }
        assert_eq!(runs[3].phase("lookups").map(|p| p.requests), Some(20));
    }
}
