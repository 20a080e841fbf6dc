//! The servers under test, each in a child process: scratchkit's (this binary, `serve-ours`),
//! TurboWarp's cloud-server (Node) and scratchattach's (Python).

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use scratchkit_bench::process::parse_addr_line;
use scratchkit_sandbox::cloud::{CloudOptions, serve_standalone};

/// A server under test, with the rule set its clients connect under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// scratchkit, `/turbowarp` (TurboWarp rules).
    OursTurboWarp,
    /// scratchkit, `/cloud` (Scratch rules, with the 10-variable limit and the 10 sets/s rate
    /// limit lifted so that the scenarios' load is legal).
    OursScratch,
    /// TurboWarp's cloud-server at the commit `compat/turbowarp-cloud-server.sh` pins.
    TurboWarp,
    /// scratchattach's TurboWarp-compatible server (`init_cloud_server`, PyPI).
    Scratchattach,
    /// Another build of this benchmark's `serve-ours` (`CLOUD_BENCH_BASELINE=PATH`, for
    /// before/after figures), `/turbowarp`.
    BaselineTurboWarp,
    /// The same, `/cloud`.
    BaselineScratch,
}

impl Server {
    /// Its column label.
    pub fn label(self) -> &'static str {
        match self {
            Server::OursTurboWarp => "scratchkit /turbowarp",
            Server::OursScratch => "scratchkit /cloud",
            Server::TurboWarp => "TurboWarp cloud-server",
            Server::Scratchattach => "scratchattach",
            Server::BaselineTurboWarp => "baseline /turbowarp",
            Server::BaselineScratch => "baseline /cloud",
        }
    }

    /// Its name on the command line (`--servers`).
    pub fn key(self) -> &'static str {
        match self {
            Server::OursTurboWarp => "turbowarp-rules",
            Server::OursScratch => "scratch-rules",
            Server::TurboWarp => "turbowarp",
            Server::Scratchattach => "scratchattach",
            Server::BaselineTurboWarp => "baseline-turbowarp-rules",
            Server::BaselineScratch => "baseline-scratch-rules",
        }
    }

    /// Every server, in column order.
    pub const ALL: [Server; 6] = [
        Server::OursTurboWarp,
        Server::OursScratch,
        Server::TurboWarp,
        Server::Scratchattach,
        Server::BaselineTurboWarp,
        Server::BaselineScratch,
    ];

    /// Whether it is a scratchkit server (this build or the baseline).
    pub fn is_scratchkit(self) -> bool {
        !matches!(self, Server::TurboWarp | Server::Scratchattach)
    }

    /// Extra request headers its clients send (besides the User-Agent every client sends).
    pub fn headers(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Server::OursScratch | Server::BaselineScratch => &[
                ("Origin", "https://scratch.mit.edu"),
                ("Cookie", "scratchsessionsid=bench"),
            ],
            _ => &[],
        }
    }

    /// Starts it; `Err` explains why it cannot run here (printed as a skip).
    pub fn start(self) -> Result<ServerProcess, String> {
        match self {
            Server::OursTurboWarp
            | Server::OursScratch
            | Server::BaselineTurboWarp
            | Server::BaselineScratch => {
                let exe = match self {
                    Server::BaselineTurboWarp | Server::BaselineScratch => {
                        std::env::var_os("CLOUD_BENCH_BASELINE")
                            .map(PathBuf::from)
                            .ok_or("set CLOUD_BENCH_BASELINE to another cloud-bench binary")?
                    }
                    _ => std::env::current_exe().map_err(|e| e.to_string())?,
                };
                let mut command = Command::new(exe);
                command.arg("serve-ours");
                let mut process = ServerProcess::start_reporting(command)?;
                let path = if matches!(self, Server::OursScratch | Server::BaselineScratch) {
                    "/cloud"
                } else {
                    "/turbowarp"
                };
                process.url = format!("ws://{}{path}", process.addr);
                Ok(process)
            }
            Server::TurboWarp => start_turbowarp(),
            Server::Scratchattach => {
                let mut command = Command::new(python()?);
                command.args(["-c", SCRATCHATTACH_SERVER]);
                let mut process = ServerProcess::start_reporting(command)?;
                process.url = format!("ws://{}/", process.addr);
                Ok(process)
            }
        }
    }
}

/// A server in a child process; it is killed when this handle goes away.
pub struct ServerProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    addr: SocketAddr,
    /// The WebSocket URL clients connect to.
    pub url: String,
}

impl ServerProcess {
    /// Runs `command` and waits for its first stdout line, `ADDR=HOST:PORT`.
    fn start_reporting(mut command: Command) -> Result<Self, String> {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {command:?}: {e}"))?;
        let stdin = child.stdin.take();
        let mut line = String::new();
        if let Some(out) = child.stdout.take() {
            let _ = BufReader::new(out).read_line(&mut line);
        }
        match parse_addr_line(&line) {
            Some(addr) => Ok(Self {
                child,
                stdin,
                addr,
                url: String::new(),
            }),
            None => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!(
                    "the server did not report its address (got {line:?})"
                ))
            }
        }
    }

    /// Resident memory (`VmRSS`), in KiB.
    pub fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kib| kib.parse().ok())
    }

    /// User and system CPU time so far (`/proc/PID/stat` utime, stime), in seconds.
    pub fn cpu_split_seconds(&self) -> Option<(f64, f64)> {
        scratchkit_bench::procstats::process_cpu_split(self.child.id())
            .map(|(user, system)| (user.as_secs_f64(), system.as_secs_f64()))
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// TurboWarp's cloud-server: `compat/turbowarp-cloud-server.sh` sets it up (once) in
/// `target/turbowarp-cloud-server`; it runs as `node src/index.js` with `PORT` set to a free
/// port and `NODE_ENV=production`, logging off (see the script).
fn start_turbowarp() -> Result<ServerProcess, String> {
    let root = workspace_root();
    let setup = Command::new(root.join("compat/turbowarp-cloud-server.sh"))
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run compat/turbowarp-cloud-server.sh: {e}"))?;
    let stderr = String::from_utf8_lossy(&setup.stderr);
    if let Some(skip) = stderr.lines().find(|line| line.starts_with("skip:")) {
        return Err(skip.to_owned());
    }
    if !setup.status.success() {
        return Err(format!("compat/turbowarp-cloud-server.sh failed: {stderr}"));
    }
    let dir = PathBuf::from(String::from_utf8_lossy(&setup.stdout).trim());
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|probe| probe.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let child = Command::new("node")
        .arg("src/index.js")
        .current_dir(&dir)
        .env("PORT", port.to_string())
        .env("NODE_ENV", "production")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start node: {e}"))?;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut process = ServerProcess {
        child,
        stdin: None,
        addr,
        url: format!("ws://{addr}/"),
    };
    process.stdin = process.child.stdin.take();
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(addr).is_err() {
        if Instant::now() > deadline {
            return Err("TurboWarp's cloud-server did not start listening within 20 s".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(process)
}

/// The scratchattach server: prints `ADDR=…`, serves in a thread, exits when stdin closes.
const SCRATCHATTACH_SERVER: &str = r#"
import os, socket, sys
import scratchattach as sa
probe = socket.socket(); probe.bind(("127.0.0.1", 0)); port = probe.getsockname()[1]; probe.close()
server = sa.init_cloud_server("127.0.0.1", port, log_var_sets=False)
print("ADDR=127.0.0.1:%d" % port, flush=True)
sys.stdout = open(os.devnull, "w")
server.start(thread=True)
sys.stdin.read()
os._exit(0)
"#;

/// `compat/.venv/bin/python`, creating the venv from `compat/requirements.txt` if needed.
fn python() -> Result<PathBuf, String> {
    let compat = workspace_root().join("compat");
    let venv = compat.join(".venv");
    let python = venv.join("bin/python");
    if python.exists() {
        return Ok(python);
    }
    eprintln!(
        "cloud-bench: creating {} (pip install -r compat/requirements.txt)…",
        venv.display()
    );
    let base = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = Command::new(&base)
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .is_ok_and(|s| s.success())
        && Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "-r"])
            .arg(compat.join("requirements.txt"))
            .status()
            .is_ok_and(|s| s.success());
    if ok {
        Ok(python)
    } else {
        Err("could not create compat/.venv with scratchattach (run compat/run.sh)".into())
    }
}

/// The options `serve-ours` runs with: the defaults (the presets of both rule sets), except
/// that Scratch rules allow 128 variables and no rate limit (the scenarios give every client a
/// variable of its own and send up to 50 sets/s; Scratch's 10-variable and 10/s limits would
/// drop most of them by design).
fn bench_options() -> CloudOptions {
    let mut options = CloudOptions::default();
    options.scratch.max_variables = 128;
    options.scratch.rate = None;
    // For tuning: CLOUD_BENCH_GATHER_MS overrides the server's max_gather.
    if let Some(ms) = std::env::var("CLOUD_BENCH_GATHER_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
    {
        options.max_gather = std::time::Duration::from_millis(ms);
    }
    options
}

/// `cloud-bench serve-ours`: scratchkit's cloud server in this process until stdin closes.
pub async fn serve_ours() -> ExitCode {
    let server = match serve_standalone(
        "127.0.0.1:0".parse().expect("a valid address"),
        bench_options(),
    )
    .await
    {
        Ok(server) => server,
        Err(error) => {
            eprintln!("cloud-bench: cannot serve: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "ADDR={}", server.addr()).and_then(|()| out.flush());
    drop(out);
    let _ = tokio::task::spawn_blocking(|| {
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
    })
    .await;
    server.shutdown().await;
    ExitCode::SUCCESS
}
