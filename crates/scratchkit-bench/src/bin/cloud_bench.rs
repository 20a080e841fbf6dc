//! `cloud-bench`: a room of N cloud clients (default 100), each setting its own variable R
//! times per second (default 10) for S seconds, against scratchkit's cloud server (TurboWarp
//! rules, `/turbowarp`, in memory) and against scratchattach's TurboWarp-compatible cloud
//! server (`scratchattach.init_cloud_server`, from PyPI) in the same run, both in child
//! processes and driven by the same Rust load generator (scratchkit's cloud client).
//!
//! Printed per server: delivered updates per second (each set should reach the N-1 other
//! clients; over the time until the last delivery, so a server that falls behind and catches
//! up later shows a lower rate), the share of expected deliveries that arrived, latency p50/p99 (set → delivery,
//! measured on one clock: the value is the send time), and server memory per connection
//! (resident memory with the clients connected minus before, divided by N).
//!
//! ```text
//! cargo run --release -p scratchkit-bench --bin cloud-bench                 # 100 clients, 10 s
//! cargo run --release -p scratchkit-bench --bin cloud-bench -- --quick      # 20 clients, 3 s
//! cloud-bench [--clients N] [--rate R] [--seconds S] [--only ours|scratchattach]
//! ```
//!
//! scratchattach runs in `compat/.venv` (made by `compat/run.sh`; created here from
//! `compat/requirements.txt` when missing; `PYTHON` picks the interpreter).

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use scratchkit::cloud::{CloudConfig, CloudConnection, CloudEvent, CloudRules, RateLimit};
use scratchkit_bench::process::parse_addr_line;

const USAGE: &str = "usage: cloud-bench [--quick] [--clients N] [--rate R] [--seconds S] [--only ours|scratchattach]";
const PROJECT: &str = "1234";
const USER_AGENT: &str = "scratchkit-bench/0.1 (cloud benchmark; local only)";

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

#[derive(Debug, Clone)]
struct Options {
    clients: usize,
    rate: f64,
    seconds: f64,
    only: Option<String>,
}

fn parse(args: Vec<String>) -> Result<Options, String> {
    let mut options = Options {
        clients: 100,
        rate: 10.0,
        seconds: 10.0,
        only: None,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--quick" => {
                options.clients = 20;
                options.seconds = 3.0;
            }
            "--clients" => {
                options.clients = value("--clients")?
                    .parse()
                    .map_err(|e| format!("--clients: {e}"))?;
            }
            "--rate" => {
                options.rate = value("--rate")?
                    .parse()
                    .map_err(|e| format!("--rate: {e}"))?;
            }
            "--seconds" => {
                options.seconds = value("--seconds")?
                    .parse()
                    .map_err(|e| format!("--seconds: {e}"))?;
            }
            "--only" => options.only = Some(value("--only")?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if !(2..=128).contains(&options.clients) {
        return Err("--clients must be 2 to 128 (one variable each; TurboWarp allows 128)".into());
    }
    if !(options.rate > 0.0 && options.rate <= 100.0 && options.seconds > 0.0) {
        return Err("--rate must be in (0, 100] and --seconds positive".into());
    }
    Ok(options)
}

/// A server in a child process that stops when its stdin closes.
struct ServerProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    addr: SocketAddr,
}

impl ServerProcess {
    fn start(mut command: Command) -> Result<Self, String> {
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
            Some(addr) => Ok(Self { child, stdin, addr }),
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
    fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kib| kib.parse().ok())
    }

    fn cpu_seconds(&self) -> Option<f64> {
        scratchkit_bench::procstats::process_cpu_time(self.child.id()).map(|d| d.as_secs_f64())
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What one run measured.
struct Figures {
    server: &'static str,
    sets: u64,
    delivered: u64,
    expected: u64,
    seconds: f64,
    p50_ms: f64,
    p99_ms: f64,
    kib_per_connection: Option<f64>,
    server_cpu_s: Option<f64>,
}

fn micros_since(epoch: Instant) -> u64 {
    u64::try_from(epoch.elapsed().as_micros()).unwrap_or(u64::MAX)
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)] as f64 / 1000.0
}

/// Connects the room, lets every client set its variable at `rate` for `seconds`, and
/// collects the deliveries.
async fn drive(
    server: &'static str,
    process: &ServerProcess,
    url: String,
    options: &Options,
) -> Result<Figures, String> {
    tokio::time::sleep(Duration::from_millis(300)).await;
    let rss_before = process.rss_kib();
    let mut senders = Vec::new();
    let mut receivers = Vec::new();
    for i in 0..options.clients {
        let config = CloudConfig::custom(
            url.clone(),
            PROJECT,
            format!("bench{i}"),
            CloudRules::turbowarp(),
        )
        .with_user_agent(USER_AGENT)
        .with_rate_limit(RateLimit::new(options.rate * 4.0 + 10.0, 20));
        let (sender, events) = CloudConnection::connect(config)
            .await
            .map_err(|e| format!("{server}: client {i} cannot connect: {e}"))?;
        senders.push(sender);
        receivers.push(events);
    }
    // Every client creates its variable once, then the room is idle: memory with N clients.
    for (i, sender) in senders.iter().enumerate() {
        sender.set(&format!("c{i}"), 0).map_err(|e| e.to_string())?;
    }
    for sender in &senders {
        sender.flush().await.map_err(|e| e.to_string())?;
    }
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let rss_after = process.rss_kib();
    let cpu_before = process.cpu_seconds();

    let epoch = Instant::now();
    // Values carry their send time (µs since `epoch`, offset by 1 so 0 never counts).
    let delivered = Arc::new(AtomicU64::new(0));
    let mut collectors = Vec::new();
    for mut events in receivers {
        let delivered = Arc::clone(&delivered);
        collectors.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while let Some(event) = events.next().await {
                if let CloudEvent::Set { value, .. } = event
                    && let Ok(sent) = value.parse::<u64>()
                    && sent > 0
                {
                    latencies.push(micros_since(epoch).saturating_sub(sent - 1));
                    delivered.fetch_add(1, Ordering::Relaxed);
                }
            }
            latencies
        }));
    }
    let period = Duration::from_secs_f64(1.0 / options.rate);
    let run_for = Duration::from_secs_f64(options.seconds);
    let sets = Arc::new(AtomicU64::new(0));
    let mut setters = Vec::new();
    for (i, sender) in senders.iter().cloned().enumerate() {
        let sets = Arc::clone(&sets);
        let name = format!("c{i}");
        // Spread the clients over one period so that they do not all fire at once.
        let phase = period.mul_f64(i as f64 / options.clients as f64);
        setters.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + phase, period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            while epoch.elapsed() < run_for {
                tick.tick().await;
                if sender.set(&name, micros_since(epoch) + 1).is_ok() {
                    sets.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for setter in setters {
        let _ = setter.await;
    }
    // Let the last updates arrive; the rate is over the time until the last one did.
    let expected = sets.load(Ordering::Relaxed) * (options.clients as u64 - 1);
    let drain_until = Instant::now() + Duration::from_secs(5);
    while delivered.load(Ordering::Relaxed) < expected && Instant::now() < drain_until {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let measured = epoch.elapsed().as_secs_f64();
    let cpu_after = process.cpu_seconds();
    for sender in &senders {
        sender.close();
    }
    let mut latencies = Vec::new();
    for collector in collectors {
        if let Ok(Ok(mut some)) = tokio::time::timeout(Duration::from_secs(10), collector).await {
            latencies.append(&mut some);
        }
    }
    latencies.sort_unstable();
    let kib_per_connection = match (rss_before, rss_after) {
        (Some(before), Some(after)) => {
            Some(after.saturating_sub(before) as f64 / options.clients as f64)
        }
        _ => None,
    };
    Ok(Figures {
        server,
        sets: sets.load(Ordering::Relaxed),
        delivered: latencies.len() as u64,
        expected,
        seconds: measured,
        p50_ms: percentile(&latencies, 0.50),
        p99_ms: percentile(&latencies, 0.99),
        kib_per_connection,
        server_cpu_s: cpu_before.zip(cpu_after).map(|(a, b)| b - a),
    })
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

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

/// `cloud-bench serve-ours`: scratchkit's cloud server in this process until stdin closes.
async fn serve_ours() -> ExitCode {
    let options = scratchkit_sandbox::cloud::CloudOptions::default();
    let server = match scratchkit_sandbox::cloud::serve_standalone(
        "127.0.0.1:0".parse().expect("a valid address"),
        options,
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

fn print_table(options: &Options, figures: &[Figures]) {
    println!(
        "\ncloud room: {} clients, each setting its own variable {}/s for {} s (expected {} deliveries/s)",
        options.clients,
        options.rate,
        options.seconds,
        (options.rate * options.clients as f64 * (options.clients as f64 - 1.0)).round()
    );
    println!(
        "{:<14} {:>8} {:>12} {:>14} {:>10} {:>9} {:>9} {:>12} {:>10}",
        "server",
        "sets",
        "delivered",
        "delivered/s",
        "of expected",
        "p50 ms",
        "p99 ms",
        "KiB/conn",
        "server CPU"
    );
    for f in figures {
        println!(
            "{:<14} {:>8} {:>12} {:>14.0} {:>10.1}% {:>9.2} {:>9.2} {:>12} {:>9}",
            f.server,
            f.sets,
            f.delivered,
            f.delivered as f64 / f.seconds,
            if f.expected == 0 {
                0.0
            } else {
                100.0 * f.delivered as f64 / f.expected as f64
            },
            f.p50_ms,
            f.p99_ms,
            f.kib_per_connection
                .map_or("?".into(), |k| format!("{k:.1}")),
            f.server_cpu_s.map_or("?".into(), |c| format!("{c:.2} s")),
        );
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("serve-ours") {
        return serve_ours().await;
    }
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let options = match parse(args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("cloud-bench: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let wants = |name: &str| options.only.as_deref().is_none_or(|only| only == name);
    let mut figures = Vec::new();
    if wants("ours") {
        let exe = match std::env::current_exe() {
            Ok(exe) => exe,
            Err(e) => {
                eprintln!("cloud-bench: {e}");
                return ExitCode::FAILURE;
            }
        };
        let mut command = Command::new(exe);
        command.arg("serve-ours");
        let result = match ServerProcess::start(command) {
            Ok(process) => {
                let url = format!("ws://{}/turbowarp", process.addr);
                drive("scratchkit", &process, url, &options).await
            }
            Err(e) => Err(e),
        };
        match result {
            Ok(f) => figures.push(f),
            Err(e) => eprintln!("cloud-bench: scratchkit: {e}"),
        }
    }
    if wants("scratchattach") {
        let result = match python() {
            Ok(python) => {
                let mut command = Command::new(python);
                command.args(["-c", SCRATCHATTACH_SERVER]);
                match ServerProcess::start(command) {
                    Ok(process) => {
                        let url = format!("ws://{}/", process.addr);
                        drive("scratchattach", &process, url, &options).await
                    }
                    Err(e) => Err(e),
                }
            }
            Err(e) => Err(e),
        };
        match result {
            Ok(f) => figures.push(f),
            Err(e) => eprintln!("cloud-bench: scratchattach: {e}"),
        }
    }
    if figures.is_empty() {
        return ExitCode::FAILURE;
    }
    print_table(&options, &figures);
    ExitCode::SUCCESS
}
