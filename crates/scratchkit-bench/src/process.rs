//! Child processes: a served sandbox, and benchmark clients that print one JSON line.

use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, Command, Stdio};

use crate::report::ClientRun;

/// A sandbox running in a child process (`bulk-read serve` or `sandbox-for-compat`): started
/// with a piped stdin, so that it stops when this handle (or this process) goes away.
#[derive(Debug)]
pub struct SandboxProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    addr: SocketAddr,
}

impl SandboxProcess {
    /// Runs `command` and waits for its first stdout line, `ADDR=HOST:PORT`.
    ///
    /// # Errors
    /// The command could not start, or exited / printed something else before the address.
    pub fn start(mut command: Command) -> Result<Self, String> {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {command:?}: {e}"))?;
        let stdin = child.stdin.take();
        let mut line = String::new();
        let read = match child.stdout.take() {
            Some(out) => BufReader::new(out).read_line(&mut line),
            None => Ok(0),
        };
        match read.ok().and_then(|_| parse_addr_line(&line)) {
            Some(addr) => Ok(Self { child, stdin, addr }),
            None => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!(
                    "the sandbox did not report its address (got {line:?})"
                ))
            }
        }
    }

    /// Where the sandbox listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// CPU time the sandbox process has used so far (see
    /// [`process_cpu_time`](crate::procstats::process_cpu_time)).
    pub fn cpu_time(&self) -> Option<std::time::Duration> {
        crate::procstats::process_cpu_time(self.child.id())
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        // Closing stdin asks it to stop; kill in case it does not.
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The address in an `ADDR=127.0.0.1:PORT` line.
///
/// ```
/// let addr = scratchkit_bench::process::parse_addr_line("ADDR=127.0.0.1:8007\n");
/// assert_eq!(addr, Some("127.0.0.1:8007".parse().unwrap()));
/// assert_eq!(scratchkit_bench::process::parse_addr_line("listening"), None);
/// ```
pub fn parse_addr_line(line: &str) -> Option<SocketAddr> {
    line.trim().strip_prefix("ADDR=")?.parse().ok()
}

/// Runs a benchmark client to completion and decodes the [`ClientRun`] on the last line of
/// its stdout.
///
/// # Errors
/// The client could not start, failed, or printed no valid JSON.
pub fn run_client(mut command: Command) -> Result<ClientRun, String> {
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    if !output.status.success() {
        return Err(format!("{command:?} failed: {}", output.status));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    serde_json::from_str(last).map_err(|e| format!("{command:?} printed no result ({e}): {last:?}"))
}
