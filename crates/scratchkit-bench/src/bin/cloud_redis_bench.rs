//! `cloud-redis-bench`: one cloud-server instance against two instances sharing rooms through
//! Redis, under the same load, in one run (issue 16's figures).
//!
//! Scenarios: one room of 100 clients at 10 sets/s each, and 1 000 rooms of 5 clients at
//! 2 sets/s each; with two instances, every room's clients are split over both. Each client
//! sets its own variable to the send time (µs since the run's epoch, plus 1), so every
//! receiver measures latency on one clock. Printed per setup: deliveries per second, p50 /
//! p99 / max latency, updates lost, and CPU per delivery of each instance and of Redis.
//!
//! ```text
//! cargo run --release -p scratchkit-bench --bin cloud-redis-bench -- [--seconds 5]
//! ```
//!
//! Needs `redis-server` (Debian package `redis-server`) on the PATH. Each instance runs in a
//! child process (this binary, `serve`), so that its CPU time is its own.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt, stream};
use scratchkit_bench::procstats::process_cpu_time;
use scratchkit_cloud_server::redis_testing::RedisProcess;
use scratchkit_cloud_server::{CloudOptions, Secret, serve_standalone};
use tokio::sync::watch;
use tokio::time::{Instant, MissedTickBehavior, interval_at, sleep};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

/// One instance in a child process, killed when dropped.
struct Instance {
    child: Child,
    stdin: Option<ChildStdin>,
    url: String,
}

impl Instance {
    fn start(redis: Option<&str>) -> Result<Instance, String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut command = Command::new(exe);
        command.arg("serve");
        if let Some(url) = redis {
            command.arg(url);
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start an instance: {e}"))?;
        let stdin = child.stdin.take();
        let mut line = String::new();
        if let Some(out) = child.stdout.take() {
            let _ = BufReader::new(out).read_line(&mut line);
        }
        let Some(addr) = line.trim().strip_prefix("ADDR=") else {
            let _ = child.kill();
            return Err(format!("the instance did not report its address: {line:?}"));
        };
        Ok(Instance {
            url: format!("ws://{addr}/turbowarp"),
            child,
            stdin,
        })
    }

    fn cpu_seconds(&self) -> f64 {
        process_cpu_time(self.child.id()).map_or(f64::NAN, |d| d.as_secs_f64())
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `cloud-redis-bench serve [REDIS_URL]`: one instance until stdin closes.
async fn serve(redis: Option<String>) -> ExitCode {
    let mut options = CloudOptions {
        max_clients_per_room: 1_000,
        redis: redis.map(Secret::new),
        ..CloudOptions::default()
    };
    options.turbowarp.require_user_agent = false;
    let server = match serve_standalone("127.0.0.1:0".parse().expect("an address"), options).await {
        Ok(server) => server,
        Err(error) => {
            eprintln!("cloud-redis-bench: cannot serve: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "ADDR={}", server.addr()).and_then(|()| out.flush());
    drop(out);
    let _ = tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new())).await;
    server.shutdown().await;
    ExitCode::SUCCESS
}

struct Scenario {
    name: &'static str,
    rooms: usize,
    per_room: usize,
    rate: f64,
}

/// Phases of a run: clients join, set, stop setting while the last sets arrive, end.
const RUN: u8 = 1;
const DRAIN: u8 = 2;
const END: u8 = 3;

#[derive(Default)]
struct Counters {
    joined: AtomicU64,
    sets: AtomicU64,
    delivered: AtomicU64,
}

struct Figures {
    sets: u64,
    delivered: u64,
    expected: u64,
    seconds: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    instance_cpu_s: Vec<f64>,
    redis_cpu_s: Option<f64>,
}

/// The numeric value of a `set` line.
fn value_of(line: &str) -> Option<u64> {
    let (_, rest) = line.split_once("\"value\":")?;
    let digits = rest.trim_start_matches('"');
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse().ok()
}

/// One client: joins, waits for the start, sets `rate` times a second until `stop`, reads
/// throughout; returns the latencies it measured (µs).
#[allow(clippy::too_many_arguments)]
async fn client(
    url: String,
    room: usize,
    member: usize,
    period: Duration,
    offset: Duration,
    epoch: std::time::Instant,
    mut phase: watch::Receiver<u8>,
    counters: Arc<Counters>,
) -> Result<Vec<u32>, String> {
    let mut request = url.into_client_request().map_err(|e| e.to_string())?;
    request.headers_mut().insert(
        "User-Agent",
        HeaderValue::from_static("scratchkit-bench/0.1 (redis; local only)"),
    );
    let (ws, _) = tokio_tungstenite::connect_async_with_config(
        request,
        Some(scratchkit_bench::load_socket::config()),
        true,
    )
    .await
    .map_err(|e| e.to_string())?;
    let (mut write, mut read) = ws.split();
    write
        .send(Message::text(format!(
            r#"{{"method":"handshake","project_id":"{}","user":"b{room}m{member}"}}"#,
            5000 + room
        )))
        .await
        .map_err(|e| e.to_string())?;
    counters.joined.fetch_add(1, Ordering::Relaxed);
    let mut latencies = Vec::new();
    let _ = phase.wait_for(|p| *p >= RUN).await;
    let mut ticker = interval_at(Instant::now() + offset, period);
    ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let name = format!("c{member}");
    loop {
        tokio::select! {
            _ = ticker.tick(), if *phase.borrow() == RUN => {
                let now = u64::try_from(epoch.elapsed().as_micros()).unwrap_or(u64::MAX) + 1;
                let line = format!(r#"{{"method":"set","name":"☁ {name}","value":{now}}}"#);
                if write.send(Message::text(line)).await.is_err() {
                    break;
                }
                counters.sets.fetch_add(1, Ordering::Relaxed);
            }
            message = read.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    let now = u64::try_from(epoch.elapsed().as_micros()).unwrap_or(u64::MAX) + 1;
                    for line in text.as_str().lines() {
                        if let Some(sent) = value_of(line) {
                            latencies.push(u32::try_from(now.saturating_sub(sent)).unwrap_or(u32::MAX));
                            counters.delivered.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
                Some(Ok(_)) => {}
                _ => break,
            },
            changed = phase.changed() => {
                if changed.is_err() || *phase.borrow() >= END {
                    break;
                }
            }
        }
    }
    let _ = write.close().await;
    Ok(latencies)
}

async fn run(
    scenario: &Scenario,
    instances: &[Instance],
    redis_pid: Option<u32>,
    seconds: f64,
) -> Result<Figures, String> {
    let total = scenario.rooms * scenario.per_room;
    let counters = Arc::new(Counters::default());
    let (phase_tx, phase_rx) = watch::channel(0u8);
    let epoch = std::time::Instant::now();
    let period = Duration::from_secs_f64(1.0 / scenario.rate);
    // Client i is member i / rooms of room i % rooms, on instance i % instances.
    let tasks: Vec<_> = stream::iter(0..total)
        .map(|i| {
            let url = instances[i % instances.len()].url.clone();
            let (room, member) = (i % scenario.rooms, i / scenario.rooms);
            let offset = period.mul_f64(i as f64 / total as f64);
            tokio::spawn(client(
                url,
                room,
                member,
                period,
                offset,
                epoch,
                phase_rx.clone(),
                Arc::clone(&counters),
            ))
        })
        .collect()
        .await;
    let deadline = Instant::now() + Duration::from_secs(120);
    while counters.joined.load(Ordering::Relaxed) < total as u64 {
        if Instant::now() > deadline {
            return Err("clients did not all join within 120 s".to_owned());
        }
        sleep(Duration::from_millis(20)).await;
    }
    sleep(Duration::from_millis(500)).await;
    let cpu_before: Vec<f64> = instances.iter().map(Instance::cpu_seconds).collect();
    let redis_before = redis_pid.and_then(process_cpu_time);
    let started = Instant::now();
    let _ = phase_tx.send(RUN);
    sleep(Duration::from_secs_f64(seconds)).await;
    // Stop setting, keep reading: drain until everything arrived, or for at most 5 s.
    let _ = phase_tx.send(DRAIN);
    let expected = counters.sets.load(Ordering::Relaxed) * (scenario.per_room as u64 - 1);
    let drain_until = Instant::now() + Duration::from_secs(5);
    while counters.delivered.load(Ordering::Relaxed) < expected && Instant::now() < drain_until {
        sleep(Duration::from_millis(10)).await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let instance_cpu_s = instances
        .iter()
        .zip(&cpu_before)
        .map(|(instance, before)| instance.cpu_seconds() - before)
        .collect();
    let redis_cpu_s = redis_before
        .zip(redis_pid.and_then(process_cpu_time))
        .map(|(a, b)| (b - a).as_secs_f64());
    let _ = phase_tx.send(END);
    let mut latencies = Vec::new();
    for task in tasks {
        match tokio::time::timeout(Duration::from_secs(10), task).await {
            Ok(Ok(Ok(mut some))) => latencies.append(&mut some),
            Ok(Ok(Err(error))) => return Err(error),
            _ => {}
        }
    }
    latencies.sort_unstable();
    let pct = |p: f64| -> f64 {
        latencies
            .get(((latencies.len().max(1) - 1) as f64 * p).round() as usize)
            .map_or(f64::NAN, |us| f64::from(*us) / 1000.0)
    };
    Ok(Figures {
        sets: counters.sets.load(Ordering::Relaxed),
        delivered: latencies.len() as u64,
        expected,
        seconds: elapsed,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        max_ms: pct(1.0),
        instance_cpu_s,
        redis_cpu_s,
    })
}

fn print_row(setup: &str, scenario: &Scenario, figures: &Figures) {
    let per_delivery = |cpu: f64| cpu * 1e6 / figures.delivered.max(1) as f64;
    let instances: Vec<String> = figures
        .instance_cpu_s
        .iter()
        .map(|cpu| format!("{:.2}", per_delivery(*cpu)))
        .collect();
    println!(
        "| {} | {} | {} | {:.0} | {:.2} / {:.2} / {:.1} | {} of {} | {} | {} |",
        scenario.name,
        setup,
        figures.sets,
        figures.delivered as f64 / figures.seconds,
        figures.p50_ms,
        figures.p99_ms,
        figures.max_ms,
        figures.expected.saturating_sub(figures.delivered),
        figures.expected,
        instances.join(" + "),
        figures
            .redis_cpu_s
            .map_or("–".to_owned(), |cpu| format!("{:.2}", per_delivery(cpu))),
    );
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("serve") {
        return serve(args.get(1).cloned()).await;
    }
    let seconds = args
        .iter()
        .position(|a| a == "--seconds")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(5.0);
    let Some(redis) = RedisProcess::start("cloud-redis-bench") else {
        return ExitCode::FAILURE;
    };
    let scenarios = [
        Scenario {
            name: "1 room × 100, 10 sets/s",
            rooms: 1,
            per_room: 100,
            rate: 10.0,
        },
        Scenario {
            name: "1 000 rooms × 5, 2 sets/s",
            rooms: 1_000,
            per_room: 5,
            rate: 2.0,
        },
    ];
    println!("cloud-redis-bench: {seconds} s per run, CPU in µs per delivered update");
    println!(
        "| scenario | setup | sets | deliveries/s | p50 / p99 / max ms | lost | CPU per instance | CPU Redis |"
    );
    println!("|---|---|---:|---:|---|---|---|---|");
    for scenario in &scenarios {
        for shared in [false, true] {
            let started: Result<Vec<Instance>, String> = if shared {
                (0..2)
                    .map(|_| Instance::start(Some(&redis.url())))
                    .collect()
            } else {
                Instance::start(None).map(|i| vec![i])
            };
            let instances = match started {
                Ok(instances) => instances,
                Err(error) => {
                    eprintln!("cloud-redis-bench: {error}");
                    return ExitCode::FAILURE;
                }
            };
            sleep(Duration::from_millis(300)).await;
            let setup = if shared {
                "2 instances + Redis"
            } else {
                "1 instance"
            };
            match run(
                scenario,
                &instances,
                shared.then(|| redis.pid()).flatten(),
                seconds,
            )
            .await
            {
                Ok(figures) => print_row(setup, scenario, &figures),
                Err(error) => {
                    eprintln!("cloud-redis-bench: {}: {setup}: {error}", scenario.name);
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    ExitCode::SUCCESS
}
