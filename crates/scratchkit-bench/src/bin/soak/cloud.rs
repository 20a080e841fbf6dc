//! The cloud server's soak: `scratch cloud-server` in a child process under continuous
//! abuse while well-behaved players keep playing.
//!
//! Running at once for the whole run:
//! * players: 10 rooms of 5 clients, each setting its own variable 4 times a second; at the
//!   end every player must hold every other player's last value (nothing lost) and no player
//!   may have been disconnected;
//! * churners: 8 loops of join, wait for the snapshot, leave, pause 10 ms;
//! * malformed clients: join, send one bad frame (1 MiB text, not JSON, binary, a set without
//!   a name, a non-numeric value, a deep JSON nest), read until the server closes or 2 s pass;
//! * flooders: 2 clients in a players' room sending 400 sets/s, over the 20 sets/s limit the
//!   server is configured with (over-limit sets are dropped);
//! * slow readers: 4 clients in the flooded room that never read a byte;
//! * half-open sockets: 32 TCP connections that send nothing and 16 that send half an HTTP
//!   request; slow readers and half-open sockets are replaced every 15 s.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::io::AsyncWriteExt as _;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::child::ServerProcess;
use crate::samples;
use crate::{Outcome, SoakOptions};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

const ROOMS: u64 = 10;
const PLAYERS_PER_ROOM: u64 = 5;
const PLAYER_PERIOD: Duration = Duration::from_millis(250);
const CHURNERS: usize = 8;
/// Pause between two churn cycles of one churner (a few hundred joins a second in all).
const CHURN_PAUSE: Duration = Duration::from_millis(10);
const MALFORMED_LOOPS: usize = 2;
const FLOODERS: usize = 2;
const FLOOD_PERIOD: Duration = Duration::from_micros(2_500);
const SLOW_READERS: usize = 4;
const SILENT_SOCKETS: usize = 32;
const HALF_REQUESTS: usize = 16;
const REPLACE_EVERY: Duration = Duration::from_secs(15);
/// The room the flooders and the slow readers share with players.
const FLOODED_ROOM: u64 = 0;

const CONFIG: &str = r#"listen = "127.0.0.1:0"
connections_per_ip = 0

[turbowarp]
preset = "turbowarp"
sets_per_second = 20.0
burst = 40
over_limit = "drop"
"#;

/// Counts of what every kind of client did.
#[derive(Default)]
struct Counters {
    player_sets: AtomicU64,
    players_disconnected: AtomicU64,
    churn_cycles: AtomicU64,
    churn_failures: AtomicU64,
    malformed_sent: AtomicU64,
    malformed_closed_by_server: AtomicU64,
    flood_sets: AtomicU64,
    flooder_reconnects: AtomicU64,
    slow_reader_connections: AtomicU64,
    half_open_sockets: AtomicU64,
    connections_opened: AtomicU64,
}

/// Runs the soak and prints its report.
pub async fn run(options: &SoakOptions) -> Result<Outcome, String> {
    let config_path =
        std::env::temp_dir().join(format!("scratchkit-soak-{}.toml", std::process::id()));
    std::fs::write(&config_path, CONFIG).map_err(|e| format!("cannot write the config: {e}"))?;
    let mut server = start_server(&options.server_bin, &config_path)?;
    let _ = std::fs::remove_file(&config_path);
    let addr = server.addr;
    let url = format!("ws://{addr}/");
    println!(
        "cloud server {} (pid {}) at {url}",
        options.server_bin.display(),
        server.child.id()
    );

    let counters = Arc::new(Counters::default());
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut tasks = Vec::new();

    let mut players = Vec::new();
    for room in 0..ROOMS {
        for seat in 0..PLAYERS_PER_ROOM {
            let ws = connect(&url).await?;
            counters.connections_opened.fetch_add(1, Ordering::Relaxed);
            players.push(tokio::spawn(player(
                ws,
                room,
                seat,
                stop.clone(),
                counters.clone(),
            )));
        }
    }
    for i in 0..CHURNERS {
        tasks.push(tokio::spawn(churner(
            url.clone(),
            i,
            stop.clone(),
            counters.clone(),
        )));
    }
    for i in 0..MALFORMED_LOOPS {
        tasks.push(tokio::spawn(malformed(
            url.clone(),
            i,
            stop.clone(),
            counters.clone(),
        )));
    }
    for i in 0..FLOODERS {
        tasks.push(tokio::spawn(flooder(
            url.clone(),
            i,
            stop.clone(),
            counters.clone(),
        )));
    }
    tasks.push(tokio::spawn(idlers(
        url.clone(),
        addr,
        stop.clone(),
        counters.clone(),
    )));

    let samples_taken = samples::sample_for(options, server.child.id(), started, || async {
        let text = crate::child::http(addr, "GET /metrics", None).await.ok();
        let text = text.as_deref().unwrap_or("");
        samples::Reported {
            gauge: metric_in(text, "scratch_cloud_connections"),
            tasks: metric_in(text, "scratch_cloud_runtime_tasks"),
        }
    })
    .await?;

    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        let _ = task.await;
    }
    // Let the last sets arrive, then compare what every player holds.
    let mut finals = Vec::new();
    for player in players {
        match player.await {
            Ok(report) => finals.push(report),
            Err(e) => return Err(format!("a player task failed: {e}")),
        }
    }
    let lost = lost_values(&finals);
    let deliveries = metric(addr, "scratch_cloud_deliveries_total").await;
    server.kill_9();

    let c = &*counters;
    let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
    println!(
        "\n### Cloud server soak ({:.0} s)\n",
        started.elapsed().as_secs_f64()
    );
    println!("| client kind | count |\n|---|---:|");
    for (label, value) in [
        ("players (steady, 10 rooms × 5)", ROOMS * PLAYERS_PER_ROOM),
        ("player sets", load(&c.player_sets)),
        (
            "players disconnected by the server",
            load(&c.players_disconnected),
        ),
        ("player values lost (final value not seen by a peer)", lost),
        (
            "churn cycles (join, snapshot, leave)",
            load(&c.churn_cycles),
        ),
        ("churn cycles that failed", load(&c.churn_failures)),
        ("malformed frames sent", load(&c.malformed_sent)),
        (
            "… of which the server closed the connection",
            load(&c.malformed_closed_by_server),
        ),
        ("flood sets sent (over the 20/s limit)", load(&c.flood_sets)),
        ("flooder reconnects", load(&c.flooder_reconnects)),
        ("slow-reader connections", load(&c.slow_reader_connections)),
        ("half-open sockets", load(&c.half_open_sockets)),
        (
            "WebSocket connections opened in all",
            load(&c.connections_opened),
        ),
        ("server deliveries (its metrics)", deliveries.unwrap_or(0)),
    ] {
        println!("| {label} | {value} |");
    }
    println!();

    let mut problems = Vec::new();
    if load(&c.players_disconnected) > 0 {
        problems.push(format!(
            "{} players were disconnected",
            load(&c.players_disconnected)
        ));
    }
    if lost > 0 {
        problems.push(format!("{lost} final player values never reached a peer"));
    }
    if load(&c.churn_failures) > load(&c.churn_cycles) / 100 {
        problems.push(format!(
            "{} of {} churn cycles failed",
            load(&c.churn_failures),
            load(&c.churn_cycles)
        ));
    }
    Ok(Outcome {
        samples: samples_taken,
        gauge_name: "connections",
        problems,
    })
}

fn start_server(bin: &std::path::Path, config: &std::path::Path) -> Result<ServerProcess, String> {
    let mut command = Command::new(bin);
    command.arg("cloud-server").arg("--config").arg(config);
    ServerProcess::start(command, "ws")
}

async fn connect(url: &str) -> Result<Ws, String> {
    let mut request = url.into_client_request().map_err(|e| e.to_string())?;
    request.headers_mut().insert(
        "User-Agent",
        HeaderValue::from_static("scratchkit-soak/0.1 (local only)"),
    );
    let (ws, _) = tokio_tungstenite::connect_async_with_config(
        request,
        Some(scratchkit_bench::load_socket::config()),
        true,
    )
    .await
    .map_err(|e| format!("cannot connect to {url}: {e}"))?;
    Ok(ws)
}

fn handshake(room: u64, user: &str) -> Message {
    Message::text(format!(
        r#"{{"method":"handshake","project_id":"{}","user":"{user}"}}"#,
        7000 + room
    ))
}

fn set(name: &str, value: u64) -> Message {
    Message::text(format!(
        r#"{{"method":"set","name":"☁ {name}","value":"{value}"}}"#
    ))
}

/// `(name, value)` of every `set` line in a frame (servers may put several lines in one).
fn sets_in(text: &str) -> impl Iterator<Item = (String, u64)> + '_ {
    text.lines().filter_map(|line| {
        let v: serde_json::Value = serde_json::from_str(line).ok()?;
        if v["method"] != "set" {
            return None;
        }
        let name = v["name"].as_str()?.to_owned();
        let value = match &v["value"] {
            serde_json::Value::String(s) => s.parse().ok()?,
            other => other.as_u64()?,
        };
        Some((name, value))
    })
}

/// What one player ends with: its own last value and what it saw of its peers.
struct PlayerReport {
    room: u64,
    name: String,
    last_set: u64,
    seen: HashMap<String, u64>,
}

async fn player(
    ws: Ws,
    room: u64,
    seat: u64,
    stop: Arc<AtomicBool>,
    counters: Arc<Counters>,
) -> PlayerReport {
    let name = format!("r{room}p{seat}");
    let (mut sink, mut stream) = ws.split();
    let mut report = PlayerReport {
        room,
        name: format!("☁ {name}"),
        last_set: 0,
        seen: HashMap::new(),
    };
    let mut alive = sink
        .send(handshake(room, &format!("player{room}x{seat}")))
        .await
        .is_ok();
    let mut tick = tokio::time::interval(PLAYER_PERIOD);
    let mut drain_until: Option<tokio::time::Instant> = None;
    while alive {
        tokio::select! {
            _ = tick.tick(), if drain_until.is_none() => {
                if stop.load(Ordering::Relaxed) {
                    drain_until = Some(tokio::time::Instant::now() + Duration::from_secs(3));
                    continue;
                }
                report.last_set += 1;
                if sink.send(set(&name, report.last_set)).await.is_err() {
                    alive = false;
                } else {
                    counters.player_sets.fetch_add(1, Ordering::Relaxed);
                }
            }
            _ = async { tokio::time::sleep_until(drain_until.expect("guarded")).await }, if drain_until.is_some() => break,
            message = stream.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    for (name, value) in sets_in(&text) {
                        report.seen.insert(name, value);
                    }
                }
                Some(Ok(_)) => {}
                _ => alive = false,
            },
        }
    }
    if !alive {
        counters
            .players_disconnected
            .fetch_add(1, Ordering::Relaxed);
    }
    let _ = sink.close().await;
    report
}

/// Final values of players that a peer in the same room did not end up holding.
fn lost_values(players: &[PlayerReport]) -> u64 {
    let mut lost = 0;
    for a in players {
        for b in players
            .iter()
            .filter(|b| b.room == a.room && b.name != a.name)
        {
            if b.seen.get(&a.name) != Some(&a.last_set) {
                lost += 1;
            }
        }
    }
    lost
}

async fn churner(url: String, index: usize, stop: Arc<AtomicBool>, counters: Arc<Counters>) {
    let mut cycle = 0u64;
    while !stop.load(Ordering::Relaxed) {
        cycle += 1;
        let room = cycle % ROOMS;
        let ok = async {
            let mut ws = connect(&url).await.ok()?;
            counters.connections_opened.fetch_add(1, Ordering::Relaxed);
            ws.send(handshake(room, &format!("churn{index}x{}", cycle % 1000)))
                .await
                .ok()?;
            // Players' rooms always hold values, so the snapshot is never empty.
            let first = tokio::time::timeout(Duration::from_secs(5), ws.next())
                .await
                .ok()??;
            first.ok()?;
            ws.close(None).await.ok()
        }
        .await;
        let counter = if ok.is_some() {
            &counters.churn_cycles
        } else {
            &counters.churn_failures
        };
        counter.fetch_add(1, Ordering::Relaxed);
        tokio::time::sleep(CHURN_PAUSE).await;
    }
}

fn bad_frame(kind: u64) -> Message {
    match kind % 6 {
        0 => Message::text("x".repeat(1 << 20)),
        1 => Message::text("this is not json"),
        2 => Message::binary(vec![0u8, 1, 2, 3, 255]),
        3 => Message::text(r#"{"method":"set","value":"1"}"#),
        4 => Message::text(r#"{"method":"set","name":"☁ p","value":"not a number"}"#),
        _ => Message::text(format!("{}{}", "[".repeat(10_000), "]".repeat(10_000))),
    }
}

async fn malformed(url: String, index: usize, stop: Arc<AtomicBool>, counters: Arc<Counters>) {
    let mut kind = index as u64;
    while !stop.load(Ordering::Relaxed) {
        kind += 1;
        let Ok(mut ws) = connect(&url).await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        counters.connections_opened.fetch_add(1, Ordering::Relaxed);
        let room = ROOMS + 1 + kind % 3; // rooms of their own: players are not disturbed
        if ws.send(handshake(room, "malformed")).await.is_err()
            || ws.send(bad_frame(kind)).await.is_err()
        {
            counters
                .malformed_closed_by_server
                .fetch_add(1, Ordering::Relaxed);
            continue;
        }
        counters.malformed_sent.fetch_add(1, Ordering::Relaxed);
        let closed = tokio::time::timeout(Duration::from_secs(2), async {
            loop {
                match ws.next().await {
                    None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                    Some(Ok(_)) => {}
                }
            }
        })
        .await
        .is_ok();
        if closed {
            counters
                .malformed_closed_by_server
                .fetch_add(1, Ordering::Relaxed);
        } else {
            let _ = ws.close(None).await;
        }
    }
}

async fn flooder(url: String, index: usize, stop: Arc<AtomicBool>, counters: Arc<Counters>) {
    let mut value = 0u64;
    while !stop.load(Ordering::Relaxed) {
        let Ok(ws) = connect(&url).await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        counters.connections_opened.fetch_add(1, Ordering::Relaxed);
        let (mut sink, mut stream) = ws.split();
        // Read (and drop) what the server sends, so that only the rate limit is tested.
        let reader = tokio::spawn(async move { while let Some(Ok(_)) = stream.next().await {} });
        if sink
            .send(handshake(FLOODED_ROOM, &format!("flooder{index}")))
            .await
            .is_ok()
        {
            let mut tick = tokio::time::interval(FLOOD_PERIOD);
            while !stop.load(Ordering::Relaxed) && !reader.is_finished() {
                tick.tick().await;
                value += 1;
                if sink
                    .send(set(&format!("flood{index}"), value))
                    .await
                    .is_err()
                {
                    break;
                }
                counters.flood_sets.fetch_add(1, Ordering::Relaxed);
            }
        }
        reader.abort();
        if !stop.load(Ordering::Relaxed) {
            counters.flooder_reconnects.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Slow readers and half-open sockets, replaced every [`REPLACE_EVERY`].
async fn idlers(url: String, addr: SocketAddr, stop: Arc<AtomicBool>, counters: Arc<Counters>) {
    let mut generation = 0u64;
    while !stop.load(Ordering::Relaxed) {
        generation += 1;
        let mut held_ws = Vec::new();
        for i in 0..SLOW_READERS {
            if let Ok(mut ws) = connect(&url).await
                && ws
                    .send(handshake(FLOODED_ROOM, &format!("slow{i}x{generation}")))
                    .await
                    .is_ok()
            {
                counters.connections_opened.fetch_add(1, Ordering::Relaxed);
                counters
                    .slow_reader_connections
                    .fetch_add(1, Ordering::Relaxed);
                held_ws.push(ws); // never read again
            }
        }
        let mut held_tcp = Vec::new();
        for i in 0..SILENT_SOCKETS + HALF_REQUESTS {
            if let Ok(mut tcp) = TcpStream::connect(addr).await {
                if i >= SILENT_SOCKETS {
                    let _ = tcp
                        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n")
                        .await;
                }
                counters.half_open_sockets.fetch_add(1, Ordering::Relaxed);
                held_tcp.push(tcp);
            }
        }
        let until = Instant::now() + REPLACE_EVERY;
        while Instant::now() < until && !stop.load(Ordering::Relaxed) {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        // Closed without a WebSocket close frame: only the sockets go away.
        drop(held_ws);
        drop(held_tcp);
    }
}

/// One value of the server's Prometheus text (`/metrics`), read with a bare HTTP/1.0 GET.
async fn metric(addr: SocketAddr, name: &str) -> Option<u64> {
    let text = crate::child::http(addr, "GET /metrics", None).await.ok()?;
    metric_in(&text, name)
}

/// One unlabelled value of a Prometheus text.
fn metric_in(text: &str, name: &str) -> Option<u64> {
    text.lines()
        .find_map(|line| {
            line.strip_prefix(name)?
                .strip_prefix(' ')?
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map(|v| v as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_are_read_from_every_line_of_a_frame() {
        let frame = "{\"method\":\"set\",\"name\":\"☁ a\",\"value\":\"3\"}\n{\"method\":\"set\",\"name\":\"☁ b\",\"value\":4}";
        let sets: Vec<_> = sets_in(frame).collect();
        assert_eq!(sets, vec![("☁ a".to_owned(), 3), ("☁ b".to_owned(), 4)]);
    }

    #[test]
    fn a_peer_missing_a_final_value_counts_as_lost() {
        let player = |name: &str, last_set, seen: &[(&str, u64)]| PlayerReport {
            room: 0,
            name: name.to_owned(),
            last_set,
            seen: seen.iter().map(|(n, v)| ((*n).to_owned(), *v)).collect(),
        };
        let complete = [player("a", 5, &[("b", 7)]), player("b", 7, &[("a", 5)])];
        assert_eq!(lost_values(&complete), 0);
        let stale = [player("a", 5, &[("b", 6)]), player("b", 7, &[("a", 5)])];
        assert_eq!(lost_values(&stale), 1);
    }
}
