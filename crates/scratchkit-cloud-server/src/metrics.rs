//! Counters of the server, kept in atomics (no lock on the hot path), and their Prometheus
//! text exposition.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// Why a message from a client was dropped (the connection stays open unless noted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropReason {
    /// Over the sets-per-second limit.
    RateLimit,
    /// A value longer than the limit.
    ValueTooLong,
    /// A value that is not a number.
    BadValue,
    /// A name missing, malformed, or refused by the name filter.
    BadName,
    /// A new variable beyond the room's limit.
    TooManyVariables,
}

impl DropReason {
    const ALL: [DropReason; 5] = [
        DropReason::RateLimit,
        DropReason::ValueTooLong,
        DropReason::BadValue,
        DropReason::BadName,
        DropReason::TooManyVariables,
    ];

    fn label(self) -> &'static str {
        match self {
            DropReason::RateLimit => "rate_limit",
            DropReason::ValueTooLong => "value_too_long",
            DropReason::BadValue => "bad_value",
            DropReason::BadName => "bad_name",
            DropReason::TooManyVariables => "too_many_variables",
        }
    }
}

/// Why a connection was refused (at the HTTP upgrade or at the handshake).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// `Origin` not allowed.
    Origin,
    /// No or invalid session (Scratch rules).
    Session,
    /// A Scratch session cookie sent to TurboWarp rules.
    ScratchCookie,
    /// No User-Agent.
    UserAgent,
    /// The client's address is blocked.
    AddressBlocked,
    /// Too many connections from the address.
    PerAddressLimit,
    /// The username is malformed, filtered or blocked.
    Username,
    /// The project is blocked, not allowed or refused by the check.
    Project,
    /// The project check did not answer.
    ProjectCheckFailed,
    /// Too many rooms.
    RoomsFull,
    /// The room is full.
    RoomFull,
    /// The server is shutting down.
    ShuttingDown,
}

impl Rejection {
    const ALL: [Rejection; 12] = [
        Rejection::Origin,
        Rejection::Session,
        Rejection::ScratchCookie,
        Rejection::UserAgent,
        Rejection::AddressBlocked,
        Rejection::PerAddressLimit,
        Rejection::Username,
        Rejection::Project,
        Rejection::ProjectCheckFailed,
        Rejection::RoomsFull,
        Rejection::RoomFull,
        Rejection::ShuttingDown,
    ];

    fn label(self) -> &'static str {
        match self {
            Rejection::Origin => "origin",
            Rejection::Session => "session",
            Rejection::ScratchCookie => "scratch_cookie",
            Rejection::UserAgent => "user_agent",
            Rejection::AddressBlocked => "address_blocked",
            Rejection::PerAddressLimit => "per_address_limit",
            Rejection::Username => "username",
            Rejection::Project => "project",
            Rejection::ProjectCheckFailed => "project_check_failed",
            Rejection::RoomsFull => "rooms_full",
            Rejection::RoomFull => "room_full",
            Rejection::ShuttingDown => "shutting_down",
        }
    }
}

/// Close codes counted one by one; others are counted as `other`.
const CLOSE_CODES: [u16; 11] = [
    1000, 1001, 1008, 1009, 1011, 1012, 4000, 4002, 4003, 4004, 4005,
];
const CLOSE_SLOTS: usize = CLOSE_CODES.len() + 2;

/// The server's counters. Every method is a relaxed atomic add.
#[derive(Debug, Default)]
pub struct Metrics {
    connections_open: AtomicI64,
    connections_total: AtomicU64,
    handshakes: AtomicU64,
    sets_in: AtomicU64,
    sets_out: AtomicU64,
    deliveries: AtomicU64,
    drops: [AtomicU64; DropReason::ALL.len()],
    rejections: [AtomicU64; Rejection::ALL.len()],
    /// Indexed like `CLOSE_CODES`, then 4006, then other.
    closes: [AtomicU64; CLOSE_SLOTS],
    kicks: AtomicU64,
}

/// A copy of the counters at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetricsSnapshot {
    /// Open WebSocket connections.
    pub connections_open: i64,
    /// Connections accepted since start.
    pub connections_total: u64,
    /// Successful handshakes.
    pub handshakes: u64,
    /// Sets accepted from clients.
    pub sets_in: u64,
    /// Sets relayed to a room (one per accepted set, admin sets included).
    pub sets_out: u64,
    /// Messages delivered to clients (one per recipient).
    pub deliveries: u64,
    /// Dropped messages by reason.
    pub drops: Vec<(&'static str, u64)>,
    /// Refused connections by reason.
    pub rejections: Vec<(&'static str, u64)>,
    /// Close frames sent, by code (`other` for the rest).
    pub closes: Vec<(String, u64)>,
    /// Clients kicked by an operator.
    pub kicks: u64,
}

impl MetricsSnapshot {
    /// The count of drops for `reason`.
    pub fn drops_for(&self, reason: DropReason) -> u64 {
        find(&self.drops, reason.label())
    }

    /// The count of rejections for `reason`.
    pub fn rejections_for(&self, reason: Rejection) -> u64 {
        find(&self.rejections, reason.label())
    }

    /// How many close frames with `code` were sent.
    pub fn closes_for(&self, code: u16) -> u64 {
        let label = code.to_string();
        self.closes
            .iter()
            .find(|(c, _)| *c == label)
            .map_or(0, |(_, n)| *n)
    }
}

fn find(list: &[(&'static str, u64)], label: &str) -> u64 {
    list.iter()
        .find(|(l, _)| *l == label)
        .map_or(0, |(_, n)| *n)
}

fn close_slot(code: u16) -> usize {
    match CLOSE_CODES.iter().position(|c| *c == code) {
        Some(index) => index,
        None if code == 4006 => CLOSE_CODES.len(),
        None => CLOSE_CODES.len() + 1,
    }
}

fn close_label(slot: usize) -> String {
    match CLOSE_CODES.get(slot) {
        Some(code) => code.to_string(),
        None if slot == CLOSE_CODES.len() => "4006".to_owned(),
        None => "other".to_owned(),
    }
}

impl Metrics {
    fn connection_opened(&self) {
        self.connections_open.fetch_add(1, Ordering::Relaxed);
        self.connections_total.fetch_add(1, Ordering::Relaxed);
    }

    fn connection_closed(&self) {
        self.connections_open.fetch_sub(1, Ordering::Relaxed);
    }

    /// Counts a connection as open until the guard is dropped.
    pub(crate) fn open_connection(&self) -> OpenConnection<'_> {
        self.connection_opened();
        OpenConnection(self)
    }

    pub(crate) fn handshake(&self) {
        self.handshakes.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn set_in(&self) {
        self.sets_in.fetch_add(1, Ordering::Relaxed);
    }

    /// One set relayed to `recipients` clients.
    pub(crate) fn set_out(&self, recipients: usize) {
        self.sets_out.fetch_add(1, Ordering::Relaxed);
        self.deliveries
            .fetch_add(recipients as u64, Ordering::Relaxed);
    }

    pub(crate) fn drop(&self, reason: DropReason) {
        let index = DropReason::ALL
            .iter()
            .position(|r| *r == reason)
            .unwrap_or(0);
        self.drops[index].fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn reject(&self, reason: Rejection) {
        let index = Rejection::ALL
            .iter()
            .position(|r| *r == reason)
            .unwrap_or(0);
        self.rejections[index].fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn close(&self, code: u16) {
        self.closes[close_slot(code)].fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn kick(&self) {
        self.kicks.fetch_add(1, Ordering::Relaxed);
    }

    /// Open connections right now.
    pub(crate) fn open_connections(&self) -> i64 {
        self.connections_open.load(Ordering::Relaxed)
    }

    /// A copy of every counter.
    pub fn snapshot(&self) -> MetricsSnapshot {
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        MetricsSnapshot {
            connections_open: self.connections_open.load(Ordering::Relaxed),
            connections_total: load(&self.connections_total),
            handshakes: load(&self.handshakes),
            sets_in: load(&self.sets_in),
            sets_out: load(&self.sets_out),
            deliveries: load(&self.deliveries),
            drops: DropReason::ALL
                .iter()
                .zip(&self.drops)
                .map(|(r, n)| (r.label(), load(n)))
                .collect(),
            rejections: Rejection::ALL
                .iter()
                .zip(&self.rejections)
                .map(|(r, n)| (r.label(), load(n)))
                .collect(),
            closes: (0..CLOSE_SLOTS)
                .map(|slot| (close_label(slot), load(&self.closes[slot])))
                .collect(),
            kicks: load(&self.kicks),
        }
    }
}

/// An open connection, counted until dropped.
#[derive(Debug)]
pub(crate) struct OpenConnection<'a>(&'a Metrics);

impl Drop for OpenConnection<'_> {
    fn drop(&mut self) {
        self.0.connection_closed();
    }
}

/// Gauges read at scrape time.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Gauges {
    pub(crate) rooms_scratch: usize,
    pub(crate) rooms_turbowarp: usize,
    pub(crate) persistence_pending: u64,
    pub(crate) persistence_lag_seconds: f64,
    /// Tasks alive on the Tokio runtime that serves the scrape (`None` outside a runtime).
    pub(crate) runtime_tasks: Option<usize>,
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// The Prometheus text exposition (format 0.0.4).
pub(crate) fn render(snapshot: &MetricsSnapshot, gauges: Gauges) -> String {
    let mut out = String::with_capacity(4096);
    let mut single = |name: &str, kind: &str, help: &str, value: String| {
        family(&mut out, name, kind, help);
        let _ = writeln!(out, "{name} {value}");
    };
    single(
        "scratch_cloud_connections",
        "gauge",
        "Open WebSocket connections.",
        snapshot.connections_open.to_string(),
    );
    single(
        "scratch_cloud_connections_total",
        "counter",
        "WebSocket connections accepted.",
        snapshot.connections_total.to_string(),
    );
    single(
        "scratch_cloud_handshakes_total",
        "counter",
        "Clients that joined a room.",
        snapshot.handshakes.to_string(),
    );
    single(
        "scratch_cloud_sets_in_total",
        "counter",
        "Sets accepted from clients.",
        snapshot.sets_in.to_string(),
    );
    single(
        "scratch_cloud_sets_out_total",
        "counter",
        "Sets relayed to a room.",
        snapshot.sets_out.to_string(),
    );
    single(
        "scratch_cloud_deliveries_total",
        "counter",
        "Updates delivered to clients (one per recipient).",
        snapshot.deliveries.to_string(),
    );
    single(
        "scratch_cloud_kicks_total",
        "counter",
        "Clients kicked by an operator.",
        snapshot.kicks.to_string(),
    );
    single(
        "scratch_cloud_persistence_pending",
        "gauge",
        "Changes not yet written to the database.",
        gauges.persistence_pending.to_string(),
    );
    single(
        "scratch_cloud_persistence_lag_seconds",
        "gauge",
        "Age of the oldest change not yet written to the database.",
        format!("{}", gauges.persistence_lag_seconds),
    );
    if let Some(tasks) = gauges.runtime_tasks {
        single(
            "scratch_cloud_runtime_tasks",
            "gauge",
            "Tasks alive on the server's Tokio runtime (connections, writers, timers).",
            tasks.to_string(),
        );
    }
    family(
        &mut out,
        "scratch_cloud_rooms",
        "gauge",
        "Rooms with clients, by rules.",
    );
    let _ = writeln!(
        out,
        "scratch_cloud_rooms{{rules=\"scratch\"}} {}",
        gauges.rooms_scratch
    );
    let _ = writeln!(
        out,
        "scratch_cloud_rooms{{rules=\"turbowarp\"}} {}",
        gauges.rooms_turbowarp
    );
    family(
        &mut out,
        "scratch_cloud_drops_total",
        "counter",
        "Messages dropped, by reason.",
    );
    for (reason, n) in &snapshot.drops {
        let _ = writeln!(out, "scratch_cloud_drops_total{{reason=\"{reason}\"}} {n}");
    }
    family(
        &mut out,
        "scratch_cloud_rejections_total",
        "counter",
        "Connections refused, by reason.",
    );
    for (reason, n) in &snapshot.rejections {
        let _ = writeln!(
            out,
            "scratch_cloud_rejections_total{{reason=\"{reason}\"}} {n}"
        );
    }
    family(
        &mut out,
        "scratch_cloud_closes_total",
        "counter",
        "Close frames sent, by code.",
    );
    for (code, n) in &snapshot.closes {
        let _ = writeln!(out, "scratch_cloud_closes_total{{code=\"{code}\"}} {n}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_show_in_the_exposition() {
        let metrics = Metrics::default();
        let first = metrics.open_connection();
        let _second = metrics.open_connection();
        drop(first);
        metrics.set_in();
        metrics.set_out(3);
        metrics.drop(DropReason::RateLimit);
        metrics.reject(Rejection::PerAddressLimit);
        metrics.close(4002);
        metrics.close(4006);
        metrics.close(1234);
        let snapshot = metrics.snapshot();
        assert_eq!(snapshot.connections_open, 1);
        assert_eq!(snapshot.deliveries, 3);
        assert_eq!(snapshot.closes_for(4006), 1);
        let text = render(
            &snapshot,
            Gauges {
                rooms_turbowarp: 2,
                runtime_tasks: Some(7),
                ..Gauges::default()
            },
        );
        for line in [
            "scratch_cloud_connections 1",
            "scratch_cloud_connections_total 2",
            "scratch_cloud_deliveries_total 3",
            "scratch_cloud_drops_total{reason=\"rate_limit\"} 1",
            "scratch_cloud_rejections_total{reason=\"per_address_limit\"} 1",
            "scratch_cloud_closes_total{code=\"4002\"} 1",
            "scratch_cloud_closes_total{code=\"other\"} 1",
            "scratch_cloud_rooms{rules=\"turbowarp\"} 2",
            "scratch_cloud_runtime_tasks 7",
        ] {
            assert!(text.lines().any(|l| l == line), "missing {line} in\n{text}");
        }
        // Every sample line belongs to a declared family.
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let name = line.split(['{', ' ']).next().unwrap();
            assert!(text.contains(&format!("# TYPE {name} ")), "{line}");
        }
    }
}
