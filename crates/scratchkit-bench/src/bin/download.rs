//! `download`: downloads a project with 200 assets as an .sb3 from a sandbox that adds
//! latency to every request (fault spec `latency=20ms`), once with the assets fetched one by
//! one (concurrency 1) and once concurrently, and prints both wall times.
//!
//! ```text
//! cargo run --release -p scratchkit-bench --bin download
//! download [--concurrency N] [--latency MS] [--rounds R]
//! ```
//! Defaults: concurrency 8, latency 20 ms, 1 round (the best of R rounds is reported). The
//! sandbox runs in this process at `scale = 1`, where project 2000000001 ("Bench project 0")
//! uses exactly 200 distinct assets; every download is checked (md5 of every asset, no asset
//! missing).

use std::process::ExitCode;
use std::time::{Duration, Instant};

use scratchkit::Client;
use scratchkit_sandbox::{FaultSpec, SandboxConfig, spawn_with};

/// The sandbox project with 200 assets (scale ≥ 1).
const PROJECT: u64 = 2_000_000_001;

const USAGE: &str = "usage: download [--concurrency N] [--latency MS] [--rounds R]";

struct Args {
    concurrency: usize,
    latency_ms: u64,
    rounds: u32,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        concurrency: 8,
        latency_ms: 20,
        rounds: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--concurrency" => {
                args.concurrency = value("--concurrency")?
                    .parse()
                    .map_err(|e| format!("--concurrency: {e}"))?;
            }
            "--latency" => {
                args.latency_ms = value("--latency")?
                    .parse()
                    .map_err(|e| format!("--latency: {e}"))?;
            }
            "--rounds" => {
                args.rounds = value("--rounds")?
                    .parse()
                    .map_err(|e| format!("--rounds: {e}"))?;
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    if args.concurrency == 0 || args.rounds == 0 {
        return Err("--concurrency and --rounds must be at least 1".to_owned());
    }
    Ok(args)
}

/// The best wall time of `rounds` downloads with `concurrency`, and the asset count.
async fn time_download(
    client: &Client,
    concurrency: usize,
    rounds: u32,
) -> Result<(Duration, usize), String> {
    let mut best = Duration::MAX;
    let mut assets = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        let sb3 = client
            .project(PROJECT)
            .download()
            .concurrency(concurrency)
            .await
            .map_err(|e| format!("download failed: {e}"))?;
        best = best.min(start.elapsed());
        if !sb3.missing_assets().is_empty() {
            return Err("the download is incomplete".to_owned());
        }
        assets = sb3.assets.len();
    }
    Ok((best, assets))
}

async fn run(args: Args) -> Result<(), String> {
    let faults: FaultSpec = format!("latency={}ms", args.latency_ms)
        .parse()
        .map_err(|e| format!("fault spec: {e}"))?;
    let config = SandboxConfig {
        scale: 1,
        faults: Some(faults),
        ..SandboxConfig::default()
    };
    let sandbox = spawn_with(([127, 0, 0, 1], 0).into(), config)
        .await
        .map_err(|e| format!("sandbox: {e}"))?;
    let client = Client::sandbox(sandbox.addr());

    let (sequential, assets) = time_download(&client, 1, args.rounds).await?;
    let (concurrent, _) = time_download(&client, args.concurrency, args.rounds).await?;
    sandbox.shutdown().await;

    println!(
        "project {PROJECT}: {assets} assets, sandbox latency {} ms per request",
        args.latency_ms
    );
    println!("| mode | concurrency | wall time |");
    println!("|---|---|---|");
    println!("| sequential | 1 | {:.3} s |", sequential.as_secs_f64());
    println!(
        "| concurrent | {} | {:.3} s |",
        args.concurrency,
        concurrent.as_secs_f64()
    );
    println!(
        "speed-up: {:.1}x",
        sequential.as_secs_f64() / concurrent.as_secs_f64().max(f64::EPSILON)
    );
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("download: cannot start a Tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("download: {message}");
            ExitCode::FAILURE
        }
    }
}
