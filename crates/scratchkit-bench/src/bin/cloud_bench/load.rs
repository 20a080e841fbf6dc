//! The load generator: raw WebSocket clients (tokio-tungstenite, TCP_NODELAY) that speak the
//! cloud protocol, the same for every server.
//!
//! Each client joins its room, then sets its own variable `rate` times per second; the value
//! is the send time (µs since the run's epoch, plus 1), so the receiver computes the latency
//! on one clock. Every set should reach the other clients of the room; what did not arrive
//! before the drain deadline is counted as lost.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt, stream};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::time::{Instant, MissedTickBehavior, interval_at, sleep, timeout};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async_with_config};

use crate::servers::{Server, ServerProcess};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

const USER_AGENT: &str = "scratchkit-bench/0.1 (cloud benchmark; local only)";
/// Connections opened at once while a scenario sets up.
const CONNECT_PARALLELISM: usize = 32;

/// One load shape.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Its row label.
    pub name: String,
    /// Rooms.
    pub rooms: usize,
    /// Clients in each room (each with a variable of its own).
    pub per_room: usize,
    /// Sets per second of each client.
    pub rate: f64,
    /// How long clients set.
    pub seconds: f64,
    /// Clients joining and leaving continuously (each joins a room, waits for the snapshot,
    /// leaves with a close frame, and starts again), besides the steady clients.
    pub churners: usize,
}

/// What one scenario measured on one server.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    /// Sets sent (in the timed phase).
    pub sets: u64,
    /// Deliveries that arrived.
    pub delivered: u64,
    /// Deliveries that should have arrived.
    pub expected: u64,
    /// Server CPU time over the timed phase and the drain, seconds.
    pub cpu_s: Option<f64>,
    /// The part of `cpu_s` spent in the kernel (system time), seconds.
    pub sys_s: Option<f64>,
    /// Latency percentiles and maximum, milliseconds.
    pub p50_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Maximum.
    pub max_ms: f64,
    /// Server RSS before any client connected, KiB.
    pub rss_idle_kib: Option<u64>,
    /// Highest server RSS sampled while the clients were connected, KiB.
    pub rss_peak_kib: Option<u64>,
    /// Steady connections.
    pub connections: usize,
    /// Completed churn cycles (join, snapshot, leave).
    pub churn_cycles: u64,
    /// Length of the timed phase plus drain, seconds.
    pub elapsed_s: f64,
}

impl Figures {
    /// Server CPU per delivered update, µs.
    pub fn cpu_per_delivery_us(&self) -> Option<f64> {
        let cpu = self.cpu_s?;
        (self.delivered > 0).then(|| cpu * 1e6 / self.delivered as f64)
    }

    /// Server system (kernel) CPU per delivered update, µs.
    pub fn sys_per_delivery_us(&self) -> Option<f64> {
        let sys = self.sys_s?;
        (self.delivered > 0).then(|| sys * 1e6 / self.delivered as f64)
    }

    /// (peak RSS − idle RSS) / steady connections, KiB.
    pub fn kib_per_connection(&self) -> Option<f64> {
        let (idle, peak) = (self.rss_idle_kib?, self.rss_peak_kib?);
        (self.connections > 0).then(|| peak.saturating_sub(idle) as f64 / self.connections as f64)
    }

    /// Deliveries that never arrived.
    pub fn lost(&self) -> u64 {
        self.expected.saturating_sub(self.delivered)
    }
}

async fn connect(url: &str, server: Server) -> Result<Ws, String> {
    let mut request = url.into_client_request().map_err(|e| e.to_string())?;
    let headers = request.headers_mut();
    headers.insert("User-Agent", HeaderValue::from_static(USER_AGENT));
    for (name, value) in server.headers() {
        headers.insert(*name, HeaderValue::from_static(value));
    }
    let (ws, _) =
        connect_async_with_config(request, Some(scratchkit_bench::load_socket::config()), true)
            .await
            .map_err(|e| format!("cannot connect to {url}: {e}"))?;
    Ok(ws)
}

fn handshake(room: usize, user: &str) -> String {
    format!(
        r#"{{"method":"handshake","project_id":"{}","user":"{user}"}}"#,
        1000 + room
    )
}

fn set(name: &str, value: u64) -> String {
    format!(r#"{{"method":"set","name":"☁ {name}","value":{value}}}"#)
}

/// The numeric value of a `set` line, as the servers write it (`"value":123` or
/// `"value":"123"`).
fn value_of(line: &str) -> Option<u64> {
    let start = line.find("\"value\":")? + "\"value\":".len();
    let digits = line[start..].trim_start_matches('"');
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse().ok()
}

fn micros_since(epoch: std::time::Instant) -> u64 {
    u64::try_from(epoch.elapsed().as_micros()).unwrap_or(u64::MAX)
}

/// Phases of a run, broadcast to every client task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Joined; counting the room's `ready` set.
    Setup,
    /// Setting until the deadline.
    Run,
    /// Stop and report.
    End,
}

struct Counters {
    ready: AtomicU64,
    sets: AtomicU64,
    delivered: AtomicU64,
    churn_cycles: AtomicU64,
}

/// One steady client: reads (recording the latency of every timed delivery) and, in the run
/// phase, sets its variable every period until `stop_at`.
#[allow(clippy::too_many_arguments)]
async fn steady_client(
    ws: Ws,
    name: String,
    announce: bool,
    period: Duration,
    phase_offset: Duration,
    run_for: Duration,
    epoch: std::time::Instant,
    mut phase: watch::Receiver<Phase>,
    counters: Arc<Counters>,
) -> Vec<u32> {
    let (mut sink, mut stream) = ws.split();
    let mut latencies = Vec::new();
    if announce && sink.send(Message::text(set("ready", 0))).await.is_err() {
        return latencies;
    }
    let mut ticker = None;
    let mut stop_at = None;
    loop {
        let current = *phase.borrow();
        if current == Phase::End {
            break;
        }
        if current == Phase::Run && stop_at.is_none() {
            let now = Instant::now();
            let mut tick = interval_at(now + phase_offset, period);
            tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
            ticker = Some(tick);
            stop_at = Some(now + run_for);
        }
        tokio::select! {
            _ = async { ticker.as_mut().expect("guarded").tick().await }, if ticker.is_some() => {
                if stop_at.is_some_and(|stop| Instant::now() >= stop) {
                    // Done setting; keep reading until the end.
                    ticker = None;
                    continue;
                }
                let line = set(&name, micros_since(epoch) + 1);
                if sink.send(Message::text(line)).await.is_err() {
                    break;
                }
                counters.sets.fetch_add(1, Ordering::Relaxed);
            }
            message = stream.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    for line in text.split('\n') {
                        match value_of(line) {
                            Some(0) => {
                                counters.ready.fetch_add(1, Ordering::Relaxed);
                            }
                            Some(sent) => {
                                let latency = micros_since(epoch).saturating_sub(sent - 1);
                                latencies.push(u32::try_from(latency).unwrap_or(u32::MAX));
                                counters.delivered.fetch_add(1, Ordering::Relaxed);
                            }
                            None => {}
                        }
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            },
            changed = phase.changed() => {
                if changed.is_err() {
                    break;
                }
            }
        }
    }
    let _ = sink.send(Message::Close(None)).await;
    latencies
}

/// A churning client: join, wait for the snapshot, leave; again until the end.
async fn churner(
    url: String,
    server: Server,
    rooms: usize,
    index: usize,
    mut phase: watch::Receiver<Phase>,
    counters: Arc<Counters>,
) {
    let mut cycle = 0usize;
    while *phase.borrow() != Phase::End {
        let room = (index + cycle * 7) % rooms;
        cycle += 1;
        let Ok(mut ws) = connect(&url, server).await else {
            sleep(Duration::from_millis(10)).await;
            continue;
        };
        let user = format!("churn{index}");
        if ws
            .send(Message::text(handshake(room, &user)))
            .await
            .is_err()
        {
            continue;
        }
        let snapshot = async {
            while let Some(Ok(message)) = ws.next().await {
                if matches!(message, Message::Text(_)) {
                    return true;
                }
            }
            false
        };
        tokio::select! {
            got = timeout(Duration::from_secs(2), snapshot) => {
                if matches!(got, Ok(true)) {
                    counters.churn_cycles.fetch_add(1, Ordering::Relaxed);
                }
            }
            _ = phase.changed() => {}
        }
        let _ = ws.close(None).await;
    }
}

/// Runs `scenario` against a fresh `server` process.
///
/// # Errors
/// The server cannot start or a client cannot connect.
pub async fn run(server: Server, scenario: &Scenario) -> Result<Figures, String> {
    let process: ServerProcess = server.start()?;
    sleep(Duration::from_millis(300)).await;
    let rss_idle_kib = process.rss_kib();
    let url = process.url.clone();
    let total = scenario.rooms * scenario.per_room;
    let connections: Vec<Result<(usize, Ws), String>> = stream::iter(0..total)
        .map(|i| {
            let url = url.clone();
            async move {
                let (room, member) = (i % scenario.rooms, i / scenario.rooms);
                let mut ws = connect(&url, server).await?;
                ws.send(Message::text(handshake(room, &format!("b{room}x{member}"))))
                    .await
                    .map_err(|e| e.to_string())?;
                Ok((i, ws))
            }
        })
        .buffer_unordered(CONNECT_PARALLELISM)
        .collect()
        .await;
    let mut sockets = Vec::with_capacity(total);
    for connection in connections {
        sockets.push(connection?);
    }
    sockets.sort_by_key(|(i, _)| *i);

    let epoch = std::time::Instant::now();
    let counters = Arc::new(Counters {
        ready: AtomicU64::new(0),
        sets: AtomicU64::new(0),
        delivered: AtomicU64::new(0),
        churn_cycles: AtomicU64::new(0),
    });
    let (phase_tx, phase_rx) = watch::channel(Phase::Setup);
    let period = Duration::from_secs_f64(1.0 / scenario.rate);
    let run_for = Duration::from_secs_f64(scenario.seconds);
    let mut tasks = Vec::with_capacity(total);
    for (i, ws) in sockets {
        let (room, member) = (i % scenario.rooms, i / scenario.rooms);
        // Spread the clients over one period so that they do not all fire at once.
        let offset = period.mul_f64(i as f64 / total as f64);
        tasks.push(tokio::spawn(steady_client(
            ws,
            format!("r{room}c{member}"),
            member == 0,
            period,
            offset,
            run_for,
            epoch,
            phase_rx.clone(),
            Arc::clone(&counters),
        )));
    }
    // Every member but the first has seen the first member's `ready` set (live or in the join
    // snapshot): everybody is in.
    let ready = (scenario.rooms * (scenario.per_room - 1)) as u64;
    let deadline = Instant::now() + Duration::from_secs(60);
    while counters.ready.load(Ordering::Relaxed) < ready {
        if Instant::now() > deadline {
            return Err(format!(
                "only {} of {ready} clients saw their room's first set",
                counters.ready.load(Ordering::Relaxed)
            ));
        }
        sleep(Duration::from_millis(20)).await;
    }
    sleep(Duration::from_millis(300)).await;
    let mut churners = Vec::new();
    for index in 0..scenario.churners {
        churners.push(tokio::spawn(churner(
            url.clone(),
            server,
            scenario.rooms,
            index,
            phase_rx.clone(),
            Arc::clone(&counters),
        )));
    }
    let mut rss_peak_kib = process.rss_kib();
    let cpu_before = process.cpu_split_seconds();
    let started = Instant::now();
    let _ = phase_tx.send(Phase::Run);
    let run_end = started + run_for + period;
    while Instant::now() < run_end {
        sleep(Duration::from_millis(200)).await;
        rss_peak_kib = rss_peak_kib.max(process.rss_kib());
    }
    // The last sets are on their way; wait for them (or give up after 5 s: lost).
    let expected = || counters.sets.load(Ordering::Relaxed) * (scenario.per_room as u64 - 1);
    let drain_until = Instant::now() + Duration::from_secs(5);
    while counters.delivered.load(Ordering::Relaxed) < expected() && Instant::now() < drain_until {
        sleep(Duration::from_millis(10)).await;
    }
    let cpu_after = process.cpu_split_seconds();
    let elapsed_s = started.elapsed().as_secs_f64();
    let churn_cycles = counters.churn_cycles.load(Ordering::Relaxed);
    let _ = phase_tx.send(Phase::End);
    let mut latencies: Vec<u32> = Vec::new();
    for task in tasks {
        if let Ok(Ok(mut some)) = timeout(Duration::from_secs(10), task).await {
            latencies.append(&mut some);
        }
    }
    for task in churners {
        let _ = timeout(Duration::from_secs(5), task).await;
    }
    latencies.sort_unstable();
    let pct = |p: f64| -> f64 {
        if latencies.is_empty() {
            return f64::NAN;
        }
        let rank = ((latencies.len() - 1) as f64 * p).round() as usize;
        f64::from(latencies[rank.min(latencies.len() - 1)]) / 1000.0
    };
    Ok(Figures {
        sets: counters.sets.load(Ordering::Relaxed),
        delivered: latencies.len() as u64,
        expected: expected(),
        cpu_s: cpu_before
            .zip(cpu_after)
            .map(|((u0, s0), (u1, s1))| (u1 + s1) - (u0 + s0)),
        sys_s: cpu_before.zip(cpu_after).map(|((_, s0), (_, s1))| s1 - s0),
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        max_ms: pct(1.0),
        rss_idle_kib,
        rss_peak_kib,
        connections: total,
        churn_cycles,
        elapsed_s,
    })
}

#[cfg(test)]
mod tests {
    use super::value_of;

    #[test]
    fn values_are_read_from_both_encodings() {
        assert_eq!(
            value_of(r#"{"method":"set","name":"☁ a","value":123}"#),
            Some(123)
        );
        assert_eq!(
            value_of(r#"{"method":"set","name":"☁ a","value":"45"}"#),
            Some(45)
        );
        assert_eq!(value_of(r#"{"method":"set","name":"☁ a"}"#), None);
    }
}
