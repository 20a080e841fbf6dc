//! Rooms shared by several instances of the server (`--redis URL`).
//!
//! A server alone needs nothing of this: [`Alone`] answers that no other instance has
//! clients. With Redis ([`redis`](self::redis), behind the `redis` feature), the store given
//! to the server is wrapped so that every accepted change is also published once per room
//! through Redis, and a task delivers what other instances publish to this instance's
//! clients. Room membership stays local; room values and the Scratch-mode log live in Redis.

use std::sync::Arc;

use crate::state::{CloudState, Room, RoomKey};

#[cfg(feature = "redis")]
mod events;
#[cfg(feature = "redis")]
mod link;
#[cfg(feature = "redis")]
mod ops;
#[cfg(feature = "redis")]
mod presence;
#[cfg(feature = "redis")]
pub(crate) mod redis;
#[cfg(feature = "redis")]
mod seats;
#[cfg(feature = "redis")]
mod shared_store;
#[cfg(feature = "redis")]
#[doc(hidden)]
pub mod testing;

/// What a joining client got when its place was reserved across instances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(feature = "redis"), allow(dead_code))]
pub(crate) enum Seat {
    /// A place is held for the client (given back when it leaves).
    Reserved,
    /// The room has its limit of clients across instances.
    Full,
    /// Redis could not answer: the presence counts decide.
    Unavailable,
}

/// What the connection and operator code ask about the other instances.
pub(crate) trait Backplane: Send + Sync + 'static {
    /// Clients of `key` connected to other instances.
    fn remote_clients(&self, key: &RoomKey) -> usize;
    /// Counters, when rooms are shared.
    fn stats(&self) -> Option<BackplaneStats>;
    /// Reserves a place in `key` for `client`, at most `max` across instances; `None` when
    /// rooms are not shared (the local count is the whole count).
    fn reserve_seat(
        &self,
        _key: &RoomKey,
        _client: u64,
        _max: usize,
    ) -> Option<futures_util::future::BoxFuture<'static, Seat>> {
        None
    }
    /// Gives back the place [`reserve_seat`](Self::reserve_seat) took.
    fn release_seat(&self, _key: &RoomKey, _client: u64) {}
}

/// The single-instance case: no other instance, nothing to count.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Alone;

impl Backplane for Alone {
    fn remote_clients(&self, _key: &RoomKey) -> usize {
        0
    }

    fn stats(&self) -> Option<BackplaneStats> {
        None
    }
}

/// Counters of an instance that shares its rooms through Redis (shown by `GET /metrics` and
/// [`CloudState::backplane_stats`]).
///
/// ```
/// use scratchkit_cloud_server::{CloudOptions, CloudState};
///
/// // Alone, an instance has none.
/// assert!(CloudState::new(CloudOptions::default()).backplane_stats().is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BackplaneStats {
    /// This instance's id in the published events.
    pub instance: u64,
    /// Whether the connection to Redis is up.
    pub connected: bool,
    /// Changes published (acknowledged by Redis).
    pub published: u64,
    /// Changes waiting to be published.
    pub queued: u64,
    /// Sum of the publish lags (from acceptance to Redis's acknowledgement), seconds.
    pub publish_lag_sum_seconds: f64,
    /// Longest publish lag seen, seconds.
    pub publish_lag_max_seconds: f64,
    /// Publish lags at or under each bound of [`PUBLISH_LAG_BUCKETS`] (cumulative).
    pub publish_lag_buckets: Vec<u64>,
    /// Connections to Redis made after the first (after Redis restarted or was unreachable).
    pub reconnects: u64,
    /// Seconds spent without a connection to Redis.
    pub outage_seconds: f64,
    /// Changes accepted here while Redis was unreachable (published after it came back).
    pub queued_during_outage: u64,
    /// Values that differed from Redis's when this instance resynchronised after a
    /// reconnect (what it missed meanwhile: delivered to its clients then).
    pub resync_changes: u64,
    /// Updates from other instances delivered to this instance's clients (one per recipient).
    pub cross_instance_deliveries: u64,
    /// Changes received from other instances.
    pub remote_changes: u64,
    /// Updates from another instance not delivered because this instance had a newer one
    /// for the same variable on its way to Redis.
    pub superseded: u64,
    /// Changes Redis refused (a variable beyond the room's limit, created at the same time
    /// on two instances).
    pub refused: u64,
    /// Other instances heard from recently.
    pub peers: u64,
}

/// Upper bounds (seconds) of the publish-lag histogram.
pub const PUBLISH_LAG_BUCKETS: [f64; 9] = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.1, 1.0, 5.0];

/// Whether `key` is full counting the clients of every instance (called at handshake with the
/// room lock held; the local count is `rooms`' own). A seat reserved in Redis settles it;
/// without one (Redis unreachable) the other instances' presence counts decide.
pub(crate) fn room_full_across_instances(
    state: &CloudState,
    rooms: &std::collections::HashMap<RoomKey, Room>,
    key: &RoomKey,
    seat: Option<Seat>,
) -> bool {
    match seat {
        Some(Seat::Reserved) => return false,
        Some(Seat::Full) => return true,
        Some(Seat::Unavailable) | None => {}
    }
    let remote = state.backplane().remote_clients(key);
    if remote == 0 {
        return false;
    }
    let local = rooms.get(key).map_or(0, |room| room.clients.len());
    local + remote >= state.options().max_clients_per_room
}

/// A connected backplane waiting for its state (see [`connect`] and [`start`]).
pub(crate) struct Pending {
    #[cfg(feature = "redis")]
    link: Arc<link::Link>,
}

/// Connects to Redis when the options ask for it and wraps `store` so that changes are
/// shared; returns the store to build the state with, and what [`start`] needs.
///
/// # Errors
/// Redis cannot be reached or answered wrongly (the message names its address, never its
/// password), or the server was built without the `redis` feature.
pub(crate) async fn connect(
    options: &crate::CloudOptions,
    store: Arc<dyn crate::CloudStore>,
) -> std::io::Result<(Arc<dyn crate::CloudStore>, Option<Pending>)> {
    let Some(url) = &options.redis else {
        return Ok((store, None));
    };
    #[cfg(feature = "redis")]
    {
        let (store, link) = redis::connect(url.expose(), store, options).await?;
        Ok((store, Some(Pending { link })))
    }
    #[cfg(not(feature = "redis"))]
    {
        let _ = url;
        Err(std::io::Error::other(
            "this server was built without the `redis` feature: --redis is not available",
        ))
    }
}

/// Starts sharing `state`'s rooms (a no-op without a backplane).
pub(crate) fn start(state: &CloudState, pending: Option<Pending>) {
    #[cfg(feature = "redis")]
    if let Some(pending) = pending {
        redis::start(state, pending.link);
    }
    #[cfg(not(feature = "redis"))]
    let _ = (state, pending);
}

/// Appends the backplane's Prometheus families to `out` (nothing when alone).
pub(crate) fn render_metrics(stats: Option<&BackplaneStats>, out: &mut String) {
    use std::fmt::Write as _;
    let Some(stats) = stats else {
        return;
    };
    let mut single = |name: &str, kind: &str, help: &str, value: String| {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} {kind}");
        let _ = writeln!(out, "{name} {value}");
    };
    single(
        "scratch_cloud_redis_connected",
        "gauge",
        "Whether the connection to Redis is up.",
        u8::from(stats.connected).to_string(),
    );
    single(
        "scratch_cloud_redis_published_total",
        "counter",
        "Changes published through Redis.",
        stats.published.to_string(),
    );
    single(
        "scratch_cloud_redis_queued",
        "gauge",
        "Changes waiting to be published.",
        stats.queued.to_string(),
    );
    single(
        "scratch_cloud_redis_reconnects_total",
        "counter",
        "Connections to Redis made after the first.",
        stats.reconnects.to_string(),
    );
    single(
        "scratch_cloud_redis_outage_seconds_total",
        "counter",
        "Seconds without a connection to Redis.",
        format!("{}", stats.outage_seconds),
    );
    single(
        "scratch_cloud_redis_queued_during_outage_total",
        "counter",
        "Changes accepted while Redis was unreachable.",
        stats.queued_during_outage.to_string(),
    );
    single(
        "scratch_cloud_redis_resync_changes_total",
        "counter",
        "Values found different from Redis's when resynchronising.",
        stats.resync_changes.to_string(),
    );
    single(
        "scratch_cloud_cross_instance_deliveries_total",
        "counter",
        "Updates from other instances delivered to this instance's clients.",
        stats.cross_instance_deliveries.to_string(),
    );
    single(
        "scratch_cloud_redis_remote_changes_total",
        "counter",
        "Changes received from other instances.",
        stats.remote_changes.to_string(),
    );
    single(
        "scratch_cloud_redis_superseded_total",
        "counter",
        "Updates from other instances skipped for a newer local one.",
        stats.superseded.to_string(),
    );
    single(
        "scratch_cloud_redis_refused_total",
        "counter",
        "Changes Redis refused (room variable limit).",
        stats.refused.to_string(),
    );
    single(
        "scratch_cloud_redis_peers",
        "gauge",
        "Other instances heard from recently.",
        stats.peers.to_string(),
    );
    let name = "scratch_cloud_redis_publish_lag_seconds";
    let _ = writeln!(
        out,
        "# HELP {name} From acceptance to Redis's acknowledgement."
    );
    let _ = writeln!(out, "# TYPE {name} histogram");
    for (bound, count) in PUBLISH_LAG_BUCKETS.iter().zip(&stats.publish_lag_buckets) {
        let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {count}");
    }
    let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {}", stats.published);
    let _ = writeln!(out, "{name}_sum {}", stats.publish_lag_sum_seconds);
    let _ = writeln!(out, "{name}_count {}", stats.published);
}
