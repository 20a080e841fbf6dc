//! `cloud-requests`: Cloud Requests round trips against scratchkit's host
//! (`scratchkit_cloud_requests::CloudRequests`) and scratchattach 2.2.6's `CloudRequests`, in
//! the same run, through the same cloud servers:
//!
//! * the sandbox's `/cloud` (Scratch rules: 256-character values, 10 messages/s per client);
//! * the sandbox's `/turbowarp` (TurboWarp rules: 100 000-character values, no rate limit);
//! * TurboWarp's own cloud-server (Node), when it is available (see below).
//!
//! Each host runs in a process of its own (ours: this binary with `--serve-host`; theirs:
//! `py/cloud_requests_host.py`), with the connection defaults of the rules it serves, in its
//! own project room. The same Rust client that behaves like the template sprite
//! (`TemplateClient`, with the same defaults) sends `reply&<n>` requests one after another and
//! checks every answer (`n` times `x`, encoded). Printed per server, host and reply size:
//! round trips per second, latency p50 / p99 (request set → complete reply assembled), the
//! host process's CPU time per round trip (its process CPU clock, all threads), and requests
//! that got no reply within the template's 10 s.
//!
//! ```text
//! cargo run --release -p scratchkit-bench --bin cloud-requests              # 200 requests per size
//! cargo run --release -p scratchkit-bench --bin cloud-requests -- --quick   # 20 per size
//! cloud-requests [--requests N] [--only ours|scratchattach]
//!                [--server cloud|turbowarp|turbowarp-server] [--turbowarp-server DIR]
//! ```
//!
//! On Scratch rules the larger reply takes nine packets at 10 per second: it runs a tenth as
//! many requests.
//!
//! scratchattach runs in `compat/.venv` (made by `compat/run.sh`; `PYTHON` overrides the
//! interpreter); its websocket is redirected to the server under test by `compat/redirect.py`.
//!
//! TurboWarp's cloud-server: a checkout of github.com/TurboWarp/cloud-server (measured at
//! commit a0b29ec472fd7669ea814a802369b0e358c6a99f) with `npm ci` done, named by
//! `--turbowarp-server DIR` or `TURBOWARP_CLOUD_SERVER`. It is started with `node` on a free
//! port of 127.0.0.1 (a preloaded shim binds its listener there). Without `node` or the
//! checkout, that part is skipped and the reason printed.

use std::io::{BufRead as _, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use scratchkit::cloud::{CloudConfig, CloudConnection, CloudEvent};
use scratchkit_cloud_requests::{
    CloudRequests, RequestContext, RequestEvent, TemplateClient, TemplateError,
};
use scratchkit_sandbox::cloud::{CloudOptions, serve_standalone};

const USER_AGENT: &str = "scratchkit-bench/cloud-requests (benchmark; 127.0.0.1 only)";
const OURS_PROJECT: &str = "9101";
const SCRATCHATTACH_PROJECT: &str = "9102";
/// The TurboWarp cloud-server commit the figures were measured with.
const TURBOWARP_COMMIT: &str = "a0b29ec472fd7669ea814a802369b0e358c6a99f";

/// Which rules a server applies (and so which connection defaults both ends use).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rules {
    Scratch,
    TurboWarp,
}

impl Rules {
    fn name(self) -> &'static str {
        match self {
            Rules::Scratch => "scratch",
            Rules::TurboWarp => "turbowarp",
        }
    }

    /// The connection a host or player makes by default on these rules.
    fn config(self, url: &str, project: &str, user: &str) -> CloudConfig {
        match self {
            Rules::Scratch => CloudConfig::scratch(project, user, "scratchkit-bench-session"),
            Rules::TurboWarp => CloudConfig::turbowarp(project, user, USER_AGENT),
        }
        .with_url(url)
    }

    /// Reply sizes and the share of the requests each runs.
    fn sizes(self) -> &'static [(usize, usize)] {
        match self {
            Rules::Scratch => &[(10, 1), (1_000, 10)],
            Rules::TurboWarp => &[(10, 1), (1_000, 1), (10_000, 1)],
        }
    }
}

/// One cloud server under test.
struct Target {
    name: &'static str,
    /// Its name for `--server` (one of [`SERVERS`]).
    key: &'static str,
    rules: Rules,
    /// `ws://…` for our host and the template.
    url: String,
    /// `HOST:PORT` for scratchattach's redirect.
    addr: String,
}

struct Options {
    requests: usize,
    only: Option<String>,
    /// `cloud`, `turbowarp` or `turbowarp-server`: measure through that server alone.
    server: Option<String>,
    turbowarp_dir: Option<PathBuf>,
}

/// One measured series.
struct Series {
    target: &'static str,
    host: &'static str,
    size: usize,
    requests: usize,
    lost: usize,
    wall: Duration,
    cpu: Option<Duration>,
    latencies: Vec<Duration>,
}

impl Series {
    fn per_second(&self) -> f64 {
        (self.requests - self.lost) as f64 / self.wall.as_secs_f64().max(1e-9)
    }

    fn cpu_per_round_trip(&self) -> Option<Duration> {
        let answered = u32::try_from(self.requests - self.lost).ok()?.max(1);
        Some(self.cpu? / answered)
    }

    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        if sorted.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted[rank.clamp(1, sorted.len()) - 1]
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--serve-host") {
        return serve_host(&args[1..]);
    }
    let options = match parse(args.into_iter()) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("cloud-requests: {message}");
            return ExitCode::FAILURE;
        }
    };
    let Some(runtime) = runtime(&mut tokio::runtime::Builder::new_multi_thread()) else {
        return ExitCode::FAILURE;
    };
    match runtime.block_on(run(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("cloud-requests: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Builds a runtime with every driver on, or says why it cannot.
fn runtime(builder: &mut tokio::runtime::Builder) -> Option<tokio::runtime::Runtime> {
    match builder.enable_all().build() {
        Ok(runtime) => Some(runtime),
        Err(error) => {
            eprintln!("cloud-requests: cannot start Tokio: {error}");
            None
        }
    }
}

fn parse(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        requests: 200,
        only: None,
        server: None,
        turbowarp_dir: std::env::var_os("TURBOWARP_CLOUD_SERVER").map(PathBuf::from),
    };
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => options.requests = 20,
            "--requests" => {
                options.requests = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n > 0)
                    .ok_or("--requests needs a positive number")?;
            }
            "--only" => {
                let which = args.next().ok_or("--only needs ours or scratchattach")?;
                if which != "ours" && which != "scratchattach" {
                    return Err("--only needs ours or scratchattach".into());
                }
                options.only = Some(which);
            }
            "--server" => {
                let which = args
                    .next()
                    .filter(|w| SERVERS.contains(&w.as_str()))
                    .ok_or("--server needs cloud, turbowarp or turbowarp-server")?;
                options.server = Some(which);
            }
            "--turbowarp-server" => {
                options.turbowarp_dir = Some(
                    args.next()
                        .ok_or("--turbowarp-server needs a directory")?
                        .into(),
                );
            }
            "-h" | "--help" => {
                return Err("usage: cloud-requests [--quick] [--requests N] \
                     [--only ours|scratchattach] [--server cloud|turbowarp|turbowarp-server] \
                     [--turbowarp-server DIR]"
                    .into());
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(options)
}

/// The names `--server` takes (a target's `key`; TurboWarp's server may be absent).
const SERVERS: [&str; 3] = ["cloud", "turbowarp", "turbowarp-server"];

fn wanted(options: &Options, which: &str) -> bool {
    options.only.as_deref().is_none_or(|only| only == which)
}

async fn run(options: Options) -> Result<(), String> {
    // The sandbox's cloud server, both modes, any session cookie and Origin accepted.
    let mut cloud_options = CloudOptions::default();
    cloud_options.scratch.allowed_origins.clear();
    let server = serve_standalone(
        "127.0.0.1:0".parse().map_err(|e| format!("{e}"))?,
        cloud_options,
    )
    .await
    .map_err(|e| format!("cannot start the cloud server: {e}"))?;
    let mut targets = vec![
        Target {
            name: "sandbox /cloud",
            key: "cloud",
            rules: Rules::Scratch,
            url: server.scratch_url(),
            addr: server.addr().to_string(),
        },
        Target {
            name: "sandbox /turbowarp",
            key: "turbowarp",
            rules: Rules::TurboWarp,
            url: server.turbowarp_url(),
            addr: server.addr().to_string(),
        },
    ];
    let turbowarp = match start_turbowarp(options.turbowarp_dir.as_deref()).await {
        Ok(turbowarp) => {
            targets.push(Target {
                name: "TurboWarp server",
                key: "turbowarp-server",
                rules: Rules::TurboWarp,
                url: format!("ws://{}/", turbowarp.addr),
                addr: turbowarp.addr.clone(),
            });
            Some(turbowarp)
        }
        Err(reason) => {
            println!("TurboWarp's cloud-server: skipped ({reason})");
            None
        }
    };
    println!(
        "{} requests per size; hosts and template with each rule set's connection defaults",
        options.requests
    );

    let mut results: Vec<Series> = Vec::new();
    let mut outcome = Ok(());
    for target in &targets {
        if options
            .server
            .as_deref()
            .is_some_and(|only| only != target.key)
        {
            continue;
        }
        for host in ["scratchkit", "scratchattach"] {
            let which = if host == "scratchkit" {
                "ours"
            } else {
                "scratchattach"
            };
            if !wanted(&options, which) {
                continue;
            }
            match measure_host(target, host, options.requests).await {
                Ok(series) => results.extend(series),
                Err(error) => {
                    outcome = Err(error);
                    break;
                }
            }
        }
        if outcome.is_err() {
            break;
        }
    }
    server.shutdown().await;
    drop(turbowarp);
    print_results(&results);
    outcome
}

fn print_results(results: &[Series]) {
    println!();
    println!(
        "{:<20} {:<14} {:>6} {:>8} {:>5} {:>13} {:>8} {:>8} {:>16}",
        "server",
        "host",
        "reply",
        "requests",
        "lost",
        "round trips/s",
        "p50 ms",
        "p99 ms",
        "host CPU µs/rt"
    );
    for series in results {
        println!(
            "{:<20} {:<14} {:>6} {:>8} {:>5} {:>13.1} {:>8.2} {:>8.2} {:>16}",
            series.target,
            series.host,
            series.size,
            series.requests,
            series.lost,
            series.per_second(),
            series.percentile(50.0).as_secs_f64() * 1e3,
            series.percentile(99.0).as_secs_f64() * 1e3,
            series
                .cpu_per_round_trip()
                .map_or("n/a".to_owned(), |cpu| format!(
                    "{:.1}",
                    cpu.as_secs_f64() * 1e6
                )),
        );
    }
    println!();
    for ours in results.iter().filter(|s| s.host == "scratchkit") {
        let Some(theirs) = results
            .iter()
            .find(|s| s.host == "scratchattach" && s.target == ours.target && s.size == ours.size)
        else {
            continue;
        };
        let cpu = match (ours.cpu_per_round_trip(), theirs.cpu_per_round_trip()) {
            (Some(ours), Some(theirs)) => format!(
                "{:.3}x the CPU per round trip",
                ours.as_secs_f64() / theirs.as_secs_f64().max(1e-12)
            ),
            _ => "CPU n/a".to_owned(),
        };
        println!(
            "{:<20} reply {:>6}: scratchkit {:.2}x the round trips/s of scratchattach, {cpu}",
            ours.target,
            ours.size,
            ours.per_second() / theirs.per_second().max(1e-9),
        );
    }
}

/// Starts one host, measures every reply size through it, stops it.
async fn measure_host(
    target: &Target,
    host: &'static str,
    requests: usize,
) -> Result<Vec<Series>, String> {
    let mut child = if host == "scratchkit" {
        start_ours(target)?
    } else {
        start_scratchattach(target)?
    };
    let pid = child.id();
    let measured = measure(target, host, pid, requests).await;
    drop(child.stdin.take());
    // Ours stops when its stdin closes; scratchattach leaves with os._exit.
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    measured
}

/// Warms up, then times the round trips of every reply size.
async fn measure(
    target: &Target,
    host: &'static str,
    pid: u32,
    requests: usize,
) -> Result<Vec<Series>, String> {
    let project = if host == "scratchkit" {
        OURS_PROJECT
    } else {
        SCRATCHATTACH_PROJECT
    };
    let config = target.rules.config(&target.url, project, "bench-player");
    let (sender, mut events) = CloudConnection::connect(config)
        .await
        .map_err(|e| format!("template connection: {e}"))?;
    if events.recv().await != Some(CloudEvent::Connected) {
        return Err("the template connection did not open".into());
    }
    let mut template = TemplateClient::new(sender.clone(), events);
    // The first request may reach the room before the host listens: retry it.
    let mut warm = 0;
    let mut attempts = 0;
    while warm < 5 {
        attempts += 1;
        match round_trip(&mut template, 10, host).await? {
            Some(_) => warm += 1,
            None if attempts < 4 => {}
            None => {
                return Err(format!(
                    "{host} on {}: no reply while warming up",
                    target.name
                ));
            }
        }
    }
    let mut out = Vec::new();
    for &(size, share) in target.rules.sizes() {
        let count = (requests / share).max(5);
        let mut latencies = Vec::with_capacity(count);
        let mut lost = 0;
        let cpu_before = process_cpu(pid);
        let started = Instant::now();
        for _ in 0..count {
            match round_trip(&mut template, size, host).await? {
                Some(latency) => latencies.push(latency),
                None => lost += 1,
            }
        }
        let wall = started.elapsed();
        let cpu = process_cpu(pid)
            .zip(cpu_before)
            .map(|(after, before)| after.saturating_sub(before));
        out.push(Series {
            target: target.name,
            host,
            size,
            requests: count,
            lost,
            wall,
            cpu,
            latencies,
        });
        eprintln!(
            "{host} on {}: {count} round trips with {size}-character replies done",
            target.name
        );
    }
    sender.close();
    Ok(out)
}

/// Request ids: sequential (six digits ending in 0) rather than random, so that no id comes
/// back while the template still remembers its previous reply (with random ids, that
/// happens to the real template about once in 4 500 requests and makes it wait 10 s).
static NEXT_ID: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// One request; its latency, or `None` when no complete reply came within the template's
/// timeout (nothing, or a reply assembled with a part missing).
async fn round_trip(
    template: &mut TemplateClient,
    size: usize,
    host: &str,
) -> Result<Option<Duration>, String> {
    let n = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let id = format!("{}0", 10_001 + n % 89_999);
    let started = Instant::now();
    let reply = match template
        .request_with_id("reply", &[&size.to_string()], &id)
        .await
    {
        Ok(reply) => reply,
        Err(TemplateError::Timeout(_)) => return Ok(None),
        Err(error) => return Err(format!("{host}: request failed: {error}")),
    };
    let elapsed = started.elapsed();
    let ok = reply.items.len() == 1
        && reply.items[0].len() == size
        && reply.items[0].bytes().all(|b| b == b'x');
    if !ok {
        // A part lost without the template noticing (it cannot see a missing last part).
        eprintln!("{host}: wrong reply to reply&{size} (counted as lost)");
        return Ok(None);
    }
    Ok(Some(elapsed))
}

/// CPU time a process has used so far, all its threads (including finished ones).
fn process_cpu(pid: u32) -> Option<Duration> {
    scratchkit_bench::procstats::process_cpu_clock(pid)
}

/// `--serve-host RULES URL PROJECT`: our host, alone in this process (a current-thread
/// runtime), with the connection defaults of `RULES`. Prints `READY` once it serves, stops
/// when stdin closes.
fn serve_host(args: &[String]) -> ExitCode {
    let [rules, url, project] = args else {
        eprintln!("usage: cloud-requests --serve-host scratch|turbowarp URL PROJECT");
        return ExitCode::FAILURE;
    };
    let rules = match rules.as_str() {
        "scratch" => Rules::Scratch,
        "turbowarp" => Rules::TurboWarp,
        other => {
            eprintln!("cloud-requests: unknown rules {other:?}");
            return ExitCode::FAILURE;
        }
    };
    let Some(runtime) = runtime(&mut tokio::runtime::Builder::new_current_thread()) else {
        return ExitCode::FAILURE;
    };
    let served = runtime.block_on(async {
        let config = rules.config(url, project, "scratchkit-host");
        let (sender, events) = CloudConnection::connect(config)
            .await
            .map_err(|e| format!("host connection: {e}"))?;
        let (host, mut events) = CloudRequests::new(sender, events)
            .handler("reply", |ctx: RequestContext| async move {
                let n: usize = ctx.arg(0)?.parse()?;
                Ok("x".repeat(n))
            })
            .start();
        while let Some(event) = events.recv().await {
            if event == RequestEvent::Ready {
                break;
            }
        }
        // Nothing reads the events from here on: dropped, as a host that does not log them
        // would (before, they piled up in the channel for the whole run).
        drop(events);
        println!("READY");
        // Stdin closes when the benchmark is done with this host.
        let (done_tx, done_rx) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let _ = std::io::stdin().read_to_end(&mut Vec::new());
            let _ = done_tx.send(());
        });
        let _ = done_rx.await;
        host.shutdown().await;
        host.sender().close();
        Ok::<(), String>(())
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("cloud-requests: {message}");
            ExitCode::FAILURE
        }
    }
}

fn start_ours(target: &Target) -> Result<Child, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let child = Command::new(exe)
        .arg("--serve-host")
        .arg(target.rules.name())
        .arg(&target.url)
        .arg(OURS_PROJECT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start our host: {e}"))?;
    wait_ready(child, "our host")
}

fn compat_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../compat")
}

fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("PYTHON") {
        return PathBuf::from(python);
    }
    compat_dir().join(".venv/bin/python")
}

/// Starts scratchattach's host and waits for its `READY` line.
fn start_scratchattach(target: &Target) -> Result<Child, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("py/cloud_requests_host.py");
    let python = python();
    if !python.exists() {
        return Err(format!(
            "{} is missing: run compat/run.sh once (or set PYTHON)",
            python.display()
        ));
    }
    let child = Command::new(&python)
        .arg(&script)
        .arg("--compat")
        .arg(compat_dir())
        .arg("--server")
        .arg(&target.addr)
        .arg("--project")
        .arg(SCRATCHATTACH_PROJECT)
        .arg("--rules")
        .arg(target.rules.name())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", python.display()))?;
    wait_ready(child, "scratchattach's host")
}

/// Waits (60 s at most) for a `READY` line on the child's stdout; other lines are relayed.
fn wait_ready(mut child: Child, what: &'static str) -> Result<Child, String> {
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut ready = Some(ready_tx);
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if line.trim() == "READY" {
                if let Some(tx) = ready.take() {
                    let _ = tx.send(());
                }
            } else {
                eprintln!("{what}: {line}");
            }
        }
    });
    if ready_rx.recv_timeout(Duration::from_secs(60)).is_err() {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!("{what} did not start within 60 s"));
    }
    Ok(child)
}

/// TurboWarp's cloud-server, running under `node` on 127.0.0.1; killed when dropped.
struct TurboWarpServer {
    child: Child,
    addr: String,
    _scratch: TempDir,
}

impl Drop for TurboWarpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Preloaded by node: numeric ports are bound on 127.0.0.1 only (the server binds every
/// interface otherwise).
const LOOPBACK_SHIM: &str = "\
const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (port, ...rest) {
  if (typeof port === 'number' || (typeof port === 'string' && /^[0-9]+$/.test(port))) {
    return listen.call(this, Number(port), '127.0.0.1', ...rest);
  }
  return listen.call(this, port, ...rest);
};
";

/// Starts TurboWarp's cloud-server from `dir`, or says why it cannot.
async fn start_turbowarp(dir: Option<&Path>) -> Result<TurboWarpServer, String> {
    let dir = dir.ok_or(
        "no checkout: pass --turbowarp-server DIR or set TURBOWARP_CLOUD_SERVER to a \
         TurboWarp/cloud-server checkout with `npm ci` done",
    )?;
    if !dir.join("src/index.js").exists() || !dir.join("node_modules/ws").exists() {
        return Err(format!(
            "{} is not a TurboWarp/cloud-server checkout with node_modules (run `npm ci` there)",
            dir.display()
        ));
    }
    match Command::new("node").arg("--version").output() {
        Ok(output) if output.status.success() => {}
        _ => return Err("node is not installed".into()),
    }
    let scratch = TempDir(
        std::env::temp_dir().join(format!("scratchkit-bench-turbowarp-{}", std::process::id())),
    );
    std::fs::create_dir_all(&scratch.0).map_err(|e| format!("temporary directory: {e}"))?;
    let shim = scratch.0.join("loopback.js");
    std::fs::write(&shim, LOOPBACK_SHIM).map_err(|e| format!("{}: {e}", shim.display()))?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let child = Command::new("node")
        .arg("-r")
        .arg(&shim)
        .arg("src/index.js")
        .current_dir(dir)
        .env("PORT", port.to_string())
        .env("LOGS_DIRECTORY", scratch.0.join("logs"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start node: {e}"))?;
    let addr = format!("127.0.0.1:{port}");
    let mut server = TurboWarpServer {
        child,
        addr,
        _scratch: scratch,
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while tokio::net::TcpStream::connect(&server.addr).await.is_err() {
        if Instant::now() > deadline || matches!(server.child.try_wait(), Ok(Some(_))) {
            return Err("TurboWarp's cloud-server did not start listening".into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let commit = std::fs::read_to_string(dir.join(".commit")).unwrap_or_default();
    println!(
        "TurboWarp cloud-server (node) on {} from {}{}",
        server.addr,
        dir.display(),
        if commit.trim().is_empty() {
            format!(" (figures measured at {TURBOWARP_COMMIT})")
        } else {
            format!(" at {}", commit.trim())
        }
    );
    Ok(server)
}
