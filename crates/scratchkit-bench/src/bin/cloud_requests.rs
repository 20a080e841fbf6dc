//! `cloud-requests`: Cloud Requests round trips against scratchkit's host
//! (`scratchkit_cloud_requests::CloudRequests`) and scratchattach 2.2.6's `CloudRequests`, in
//! the same run, through the same in-process sandbox cloud server on TurboWarp rules
//! (`/turbowarp`, 100 000-character values).
//!
//! Each host serves its own project room; the same Rust client that behaves like the template
//! sprite (`scratchkit_cloud_requests::TemplateClient`) sends `reply&<n>` requests one after
//! another and checks every answer (`n` times `x`, encoded). Printed per host and reply size
//! (10, 1 000 and 10 000 characters): round trips per second and latency p50 / p99 (request
//! set → complete reply assembled).
//!
//! ```text
//! cargo run --release -p scratchkit-bench --bin cloud-requests              # 200 requests per size
//! cargo run --release -p scratchkit-bench --bin cloud-requests -- --quick   # 20 per size
//! cloud-requests [--requests N] [--only ours|scratchattach]
//! ```
//!
//! scratchattach runs in `compat/.venv` (made by `compat/run.sh`; `PYTHON` overrides the
//! interpreter); its websocket is redirected to the sandbox by `compat/redirect.py`.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use scratchkit::cloud::{CloudConfig, CloudConnection, CloudEvent, RateLimit};
use scratchkit_cloud_requests::{CloudRequests, RequestContext, TemplateClient};
use scratchkit_sandbox::cloud::{CloudMode, CloudOptions, CloudServer, serve_standalone};

const SIZES: [usize; 3] = [10, 1_000, 10_000];
const USER_AGENT: &str = "scratchkit-bench/cloud-requests (benchmark; 127.0.0.1 only)";
const OURS_PROJECT: &str = "9101";
const SCRATCHATTACH_PROJECT: &str = "9102";

struct Options {
    requests: usize,
    only: Option<String>,
}

/// One measured series.
struct Series {
    host: &'static str,
    size: usize,
    requests: usize,
    wall: Duration,
    latencies: Vec<Duration>,
}

impl Series {
    fn per_second(&self) -> f64 {
        self.requests as f64 / self.wall.as_secs_f64().max(1e-9)
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
    let options = match parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("cloud-requests: {message}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cloud-requests: cannot start Tokio: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("cloud-requests: {message}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        requests: 200,
        only: None,
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
            "-h" | "--help" => {
                return Err(
                    "usage: cloud-requests [--quick] [--requests N] [--only ours|scratchattach]"
                        .into(),
                );
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(options)
}

fn wanted(options: &Options, which: &str) -> bool {
    options.only.as_deref().is_none_or(|only| only == which)
}

async fn run(options: Options) -> Result<(), String> {
    let server = serve_standalone(
        "127.0.0.1:0".parse().map_err(|e| format!("{e}"))?,
        CloudOptions::default(),
    )
    .await
    .map_err(|e| format!("cannot start the cloud server: {e}"))?;
    println!(
        "sandbox cloud server on {} (TurboWarp rules), {} requests per size",
        server.addr(),
        options.requests
    );
    let mut results: Vec<Series> = Vec::new();

    if wanted(&options, "ours") {
        let config = config(&server, OURS_PROJECT, "scratchkit-host");
        let (sender, events) = CloudConnection::connect(config)
            .await
            .map_err(|e| format!("host connection: {e}"))?;
        let (host, _events) = CloudRequests::new(sender, events)
            .handler("reply", |ctx: RequestContext| async move {
                let n: usize = ctx.arg(0)?.parse()?;
                Ok("x".repeat(n))
            })
            .start();
        results.extend(measure(&server, OURS_PROJECT, "scratchkit", options.requests).await?);
        host.shutdown().await;
        host.sender().close();
    }

    if wanted(&options, "scratchattach") {
        let mut child = start_scratchattach(&server)?;
        // Its event listener connects in a thread of its own: wait until it joined the room.
        let deadline = Instant::now() + Duration::from_secs(30);
        while server
            .state()
            .client_count(CloudMode::TurboWarp, SCRATCHATTACH_PROJECT)
            < 1
            && Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let measured = measure(
            &server,
            SCRATCHATTACH_PROJECT,
            "scratchattach",
            options.requests,
        )
        .await;
        drop(child.stdin.take());
        let _ = child.kill();
        let _ = child.wait();
        results.extend(measured?);
    }

    println!();
    println!(
        "{:<14} {:>8} {:>9} {:>12} {:>10} {:>10}",
        "host", "reply", "requests", "round trips/s", "p50 ms", "p99 ms"
    );
    for series in &results {
        println!(
            "{:<14} {:>8} {:>9} {:>12.1} {:>10.2} {:>10.2}",
            series.host,
            series.size,
            series.requests,
            series.per_second(),
            series.percentile(50.0).as_secs_f64() * 1e3,
            series.percentile(99.0).as_secs_f64() * 1e3,
        );
    }
    for size in SIZES {
        let ours = results
            .iter()
            .find(|s| s.host == "scratchkit" && s.size == size);
        let theirs = results
            .iter()
            .find(|s| s.host == "scratchattach" && s.size == size);
        if let (Some(ours), Some(theirs)) = (ours, theirs) {
            println!(
                "reply {size:>6}: scratchkit {:.1}x the round trips/s of scratchattach, p99 {:.1}x lower",
                ours.per_second() / theirs.per_second().max(1e-9),
                theirs.percentile(99.0).as_secs_f64()
                    / ours.percentile(99.0).as_secs_f64().max(1e-9),
            );
        }
    }
    server.shutdown().await;
    Ok(())
}

fn config(server: &CloudServer, project: &str, user: &str) -> CloudConfig {
    CloudConfig::turbowarp(project, user, USER_AGENT)
        .with_url(server.turbowarp_url())
        .with_rate_limit(RateLimit::unlimited())
}

/// Warms up, then times `requests` round trips per reply size.
async fn measure(
    server: &CloudServer,
    project: &str,
    host: &'static str,
    requests: usize,
) -> Result<Vec<Series>, String> {
    let (sender, mut events) = CloudConnection::connect(config(server, project, "bench-player"))
        .await
        .map_err(|e| format!("template connection: {e}"))?;
    if events.recv().await != Some(CloudEvent::Connected) {
        return Err("the template connection did not open".into());
    }
    let mut template = TemplateClient::new(sender, events);
    for _ in 0..5 {
        round_trip(&mut template, 10, host).await?;
    }
    let mut out = Vec::new();
    for size in SIZES {
        let mut latencies = Vec::with_capacity(requests);
        let started = Instant::now();
        for _ in 0..requests {
            latencies.push(round_trip(&mut template, size, host).await?);
        }
        out.push(Series {
            host,
            size,
            requests,
            wall: started.elapsed(),
            latencies,
        });
        eprintln!("{host}: {requests} round trips with {size}-character replies done");
    }
    Ok(out)
}

/// Request ids: sequential (six digits ending in 0) rather than random, so that no id comes
/// back while the template still remembers its previous reply (with random ids, that
/// happens to the real template about once in 4 500 requests and makes it wait 10 s).
static NEXT_ID: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

async fn round_trip(
    template: &mut TemplateClient,
    size: usize,
    host: &str,
) -> Result<Duration, String> {
    let n = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let id = format!("{}0", 10_001 + n % 89_999);
    let started = Instant::now();
    let reply = template
        .request_with_id("reply", &[&size.to_string()], &id)
        .await
        .map_err(|e| format!("{host}: request failed: {e}"))?;
    let elapsed = started.elapsed();
    let ok = reply.items.len() == 1
        && reply.items[0].len() == size
        && reply.items[0].bytes().all(|b| b == b'x');
    if !ok {
        return Err(format!("{host}: wrong reply to reply&{size}"));
    }
    Ok(elapsed)
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
fn start_scratchattach(server: &CloudServer) -> Result<Child, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("py/cloud_requests_host.py");
    let python = python();
    if !python.exists() {
        return Err(format!(
            "{} is missing: run compat/run.sh once (or set PYTHON)",
            python.display()
        ));
    }
    let mut child = Command::new(&python)
        .arg(&script)
        .arg("--compat")
        .arg(compat_dir())
        .arg("--sandbox")
        .arg(server.addr().to_string())
        .arg("--project")
        .arg(SCRATCHATTACH_PROJECT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", python.display()))?;
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
                eprintln!("scratchattach: {line}");
            }
        }
    });
    if ready_rx.recv_timeout(Duration::from_secs(60)).is_err() {
        let _ = child.kill();
        return Err("scratchattach's host did not start within 60 s".into());
    }
    Ok(child)
}
