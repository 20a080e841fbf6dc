//! `cloud-bench`: scratchkit's cloud server against TurboWarp's cloud-server (Node, the
//! GitHub repository TurboWarp/cloud-server at a pinned commit, dependencies from npm) and,
//! on request, scratchattach's, in the same run, each in a child process of its own and
//! driven by the same Rust load generator (raw WebSocket clients, see `load.rs`).
//!
//! Scenarios (each on a fresh server process):
//!
//! * `room100x10`: one room of 100 clients, each setting its own variable 10 times a second;
//! * `room100x50`: the same at 50 sets/s each;
//! * `rooms1000`: 1 000 rooms of 5 clients at 2 sets/s each (5 000 connections);
//! * `churn`: 100 rooms of 4 clients at 2 sets/s, and 16 clients joining and leaving
//!   continuously (join, wait for the snapshot, close).
//!
//! Figures per server: server CPU per delivered update (`/proc/PID/stat` utime + stime over
//! the timed phase and its drain, divided by the deliveries) and the kernel's share of it
//! (stime; the ratio line also divides our kernel time alone by TurboWarp's whole CPU),
//! latency p50/p99/max (set → delivery, one clock), RSS (peak while connected) and RSS per
//! connection (peak − idle, divided by the steady connections), updates lost (expected
//! deliveries that had not arrived 5 s after the last set), and `sent%`, the share of the
//! planned sets the load generator managed to send (below 100 % it, not the server, was the
//! bottleneck). The churn scenario also prints server CPU per completed join. The ratio
//! columns divide ours by TurboWarp's from the same run. Servers: scratchkit with TurboWarp
//! rules (`/turbowarp`) and with Scratch rules (`/cloud`, limits lifted so that the load is
//! legal; see `servers.rs`); TurboWarp's server has one rule set.
//!
//! ```text
//! cargo build --release -p scratchkit-bench
//! ./target/release/cloud-bench                        # every scenario, 10 s each
//! ./target/release/cloud-bench --quick                # 3 s each
//! cloud-bench [--seconds S] [--scenarios a,b] [--servers turbowarp-rules,scratch-rules,turbowarp,scratchattach]
//! ```
//!
//! `CLOUD_BENCH_BASELINE=PATH` names another build of this binary (an older commit) whose
//! `serve-ours` runs as `--servers baseline-turbowarp-rules,baseline-scratch-rules`, for
//! before/after figures in one run.
//!
//! TurboWarp's server is set up by `compat/turbowarp-cloud-server.sh` (into
//! `target/turbowarp-cloud-server`, `npm ci`); without node or npm its column is skipped
//! with the reason printed. scratchattach runs in `compat/.venv` (made by `compat/run.sh`).

mod load;
mod servers;

use std::process::ExitCode;

use load::{Figures, Scenario};
use servers::Server;

const USAGE: &str = "usage: cloud-bench [--quick] [--seconds S] [--scenarios room100x10,room100x50,rooms1000,churn] [--servers turbowarp-rules,scratch-rules,turbowarp,scratchattach,baseline-turbowarp-rules,baseline-scratch-rules]";

struct Options {
    seconds: f64,
    scenarios: Vec<String>,
    servers: Vec<Server>,
}

fn scenarios(seconds: f64) -> Vec<Scenario> {
    let scenario = |name: &str, rooms, per_room, rate, churners| Scenario {
        name: name.to_owned(),
        rooms,
        per_room,
        rate,
        seconds,
        churners,
    };
    vec![
        scenario("room100x10", 1, 100, 10.0, 0),
        scenario("room100x50", 1, 100, 50.0, 0),
        scenario("rooms1000", 1000, 5, 2.0, 0),
        scenario("churn", 100, 4, 2.0, 16),
    ]
}

fn parse(args: Vec<String>) -> Result<Options, String> {
    let mut options = Options {
        seconds: 10.0,
        scenarios: scenarios(1.0).into_iter().map(|s| s.name).collect(),
        servers: vec![
            Server::OursTurboWarp,
            Server::OursScratch,
            Server::TurboWarp,
        ],
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--quick" => options.seconds = 3.0,
            "--seconds" => {
                options.seconds = value("--seconds")?
                    .parse()
                    .map_err(|e| format!("--seconds: {e}"))?;
            }
            "--scenarios" => {
                let known: Vec<String> = scenarios(1.0).into_iter().map(|s| s.name).collect();
                options.scenarios = value("--scenarios")?
                    .split(',')
                    .map(|name| {
                        known
                            .iter()
                            .find(|k| *k == name)
                            .cloned()
                            .ok_or(format!("unknown scenario {name:?}"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            "--servers" => {
                options.servers = value("--servers")?
                    .split(',')
                    .map(|name| {
                        Server::ALL
                            .into_iter()
                            .find(|s| s.key() == name)
                            .ok_or(format!("unknown server {name:?}"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if !(options.seconds > 0.0 && options.seconds <= 600.0) {
        return Err("--seconds must be in (0, 600]".into());
    }
    Ok(options)
}

fn ratio(ours: Option<f64>, theirs: Option<f64>) -> String {
    match (ours, theirs) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}×", a / b),
        _ => "–".into(),
    }
}

fn print_scenario(scenario: &Scenario, results: &[(Server, Figures)]) {
    println!(
        "\n{}: {} room(s) × {} clients, {} sets/s each, {} s{}",
        scenario.name,
        scenario.rooms,
        scenario.per_room,
        scenario.rate,
        scenario.seconds,
        if scenario.churners > 0 {
            format!(
                ", {} clients joining and leaving continuously",
                scenario.churners
            )
        } else {
            String::new()
        }
    );
    println!(
        "{:<24} {:>9} {:>6} {:>10} {:>7} {:>10} {:>7} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9}",
        "server",
        "sets",
        "sent%",
        "delivered",
        "lost",
        "CPU µs/upd",
        "kernel",
        "p50 ms",
        "p99 ms",
        "max ms",
        "RSS MB",
        "KiB/conn",
        "joins/s",
    );
    // Sets the scenario asks for: below 100 % the load generator fell behind.
    let planned = (scenario.rooms * scenario.per_room) as f64 * scenario.rate * scenario.seconds;
    for (server, f) in results {
        println!(
            "{:<24} {:>9} {:>5.0}% {:>10} {:>7} {:>10} {:>7} {:>8.2} {:>8.2} {:>8.1} {:>8} {:>9} {:>9}",
            server.label(),
            f.sets,
            100.0 * f.sets as f64 / planned,
            f.delivered,
            f.lost(),
            f.cpu_per_delivery_us()
                .map_or("?".into(), |c| format!("{c:.3}")),
            f.sys_s.zip(f.cpu_s).filter(|(_, cpu)| *cpu > 0.0).map_or(
                "?".into(),
                |(sys, cpu)| format!("{:.0}%", 100.0 * sys / cpu)
            ),
            f.p50_ms,
            f.p99_ms,
            f.max_ms,
            f.rss_peak_kib
                .map_or("?".into(), |k| format!("{:.1}", k as f64 / 1024.0)),
            f.kib_per_connection()
                .map_or("?".into(), |k| format!("{k:.1}")),
            if scenario.churners > 0 {
                format!("{:.0}", f.churn_cycles as f64 / f.elapsed_s)
            } else {
                "–".into()
            },
        );
        if scenario.churners > 0
            && let Some(cpu) = f.cpu_s
            && f.churn_cycles > 0
        {
            // Joins dominate this scenario's CPU: per join (with its share of the sets) is
            // the fairer figure when servers complete different numbers of joins.
            println!(
                "{:<24} server CPU per join (join, snapshot, leave): {:.1} µs",
                "",
                cpu * 1e6 / f.churn_cycles as f64
            );
        }
    }
    let Some((_, theirs)) = results.iter().find(|(s, _)| *s == Server::TurboWarp) else {
        return;
    };
    for (server, ours) in results.iter().filter(|(s, _)| s.is_scratchkit()) {
        // The kernel's part (system time) alone, against TurboWarp's whole CPU: what the
        // CPU ratio would be if our own code cost nothing.
        println!(
            "  {} ÷ TurboWarp: CPU/update {} (target ≤ 0.33×; kernel part alone {}), p99 {} (≤ 0.5×), RSS {} (≤ 0.25×), lost {} (0)",
            server.label(),
            ratio(ours.cpu_per_delivery_us(), theirs.cpu_per_delivery_us()),
            ratio(ours.sys_per_delivery_us(), theirs.cpu_per_delivery_us()),
            ratio(Some(ours.p99_ms), Some(theirs.p99_ms)),
            ratio(
                ours.rss_peak_kib.map(|k| k as f64),
                theirs.rss_peak_kib.map(|k| k as f64)
            ),
            ours.lost(),
        );
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "?".into())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `serve-ours` runs on a current-thread runtime like `scratch cloud-server` (its default
    // `threads = 1`); CLOUD_BENCH_MULTI_THREAD=1 gives it a pool of workers instead.
    let current_thread = args.first().map(String::as_str) == Some("serve-ours")
        && std::env::var_os("CLOUD_BENCH_MULTI_THREAD").is_none();
    let runtime = if current_thread {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
    };
    match runtime {
        Ok(runtime) => runtime.block_on(run(args)),
        Err(error) => {
            eprintln!("cloud-bench: no runtime: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Vec<String>) -> ExitCode {
    if args.first().map(String::as_str) == Some("serve-ours") {
        return servers::serve_ours().await;
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
    println!("cloud-bench: load average at start {}", load_average());
    let mut any = false;
    for scenario in scenarios(options.seconds)
        .into_iter()
        .filter(|s| options.scenarios.contains(&s.name))
    {
        let mut results = Vec::new();
        for &server in &options.servers {
            match load::run(server, &scenario).await {
                Ok(figures) => results.push((server, figures)),
                Err(reason) => {
                    println!("  {} skipped: {reason}", server.label());
                }
            }
        }
        if !results.is_empty() {
            any = true;
            print_scenario(&scenario, &results);
        }
    }
    println!("\ncloud-bench: load average at end {}", load_average());
    if any {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
