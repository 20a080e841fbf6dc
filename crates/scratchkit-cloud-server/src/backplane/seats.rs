//! Places in a room, counted in Redis so that a room's client limit holds across instances.
//!
//! Each joined client holds a seat: a member `INSTANCE:CLIENT` of the room's sorted set,
//! scored with the Redis time (ms) at which it lapses. A join runs [`RESERVE`], which drops
//! lapsed seats, counts the others and adds the new one only while the room has fewer than
//! its limit; Redis runs scripts one at a time, so two instances can never both take the last
//! place. Leaving removes the seat (`ZREM`); the relay task renews this instance's seats every
//! second ([`RENEW`]), so the seats of an instance that dies lapse after [`SEAT_TTL`].
//!
//! While Redis is unreachable, a join cannot reserve and falls back to the presence counts
//! (the room may then be passed by the clients that join elsewhere within one presence tick).

use futures_util::future::BoxFuture;
use redis::aio::MultiplexedConnection;

use super::Seat;
use super::events;
use super::link::{Link, lock};
use crate::state::RoomKey;

/// How long a seat lasts without being renewed (the relay renews every second).
pub(crate) const SEAT_TTL_MS: u64 = 5_000;

/// `KEYS[1]` = the room's seats; `ARGV` = limit, member, lifetime (ms). Returns 1 when the
/// seat was taken, 0 when the room is full.
pub(super) const RESERVE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[2]) == false
    and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], 2 * tonumber(ARGV[3]))
return 1
";

/// `KEYS[1]` = the room's seats; `ARGV` = lifetime (ms), `XX` (renew only seats that still
/// exist) or `NX`-less re-creation (`ADD`), then the members. Returns how many were written.
pub(super) const RENEW: &str = r"
local t = redis.call('TIME')
local until_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
local written = 0
for i = 3, #ARGV do
  if ARGV[2] == 'XX' then
    written = written + redis.call('ZADD', KEYS[1], 'XX', 'CH', until_ms, ARGV[i])
  else
    written = written + redis.call('ZADD', KEYS[1], 'CH', until_ms, ARGV[i])
  end
end
redis.call('PEXPIRE', KEYS[1], 2 * tonumber(ARGV[1]))
return written
";

/// The command connection and script hash that joins use, while Redis is up.
#[derive(Clone)]
pub(crate) struct SeatLink {
    pub(super) cmd: MultiplexedConnection,
    pub(super) reserve_sha: String,
}

/// The member that stands for `client` of `instance`.
pub(super) fn member(instance: u64, client: u64) -> String {
    format!("{instance:016x}:{client}")
}

/// Reserves a place for `client` in `key` (at most `max` across instances).
pub(super) fn reserve(
    link: &Link,
    key: &RoomKey,
    client: u64,
    max: usize,
) -> BoxFuture<'static, Seat> {
    let Some(seats) = lock(&link.seats).clone() else {
        return Box::pin(async { Seat::Unavailable });
    };
    let room_key = events::seats_key(events::mode_code(key.0), &key.1);
    let member = member(link.instance, client);
    Box::pin(async move {
        let mut cmd = seats.cmd;
        let taken: redis::RedisResult<i64> = redis::cmd("EVALSHA")
            .arg(&seats.reserve_sha)
            .arg(1)
            .arg(room_key)
            .arg(max)
            .arg(member)
            .arg(SEAT_TTL_MS)
            .query_async(&mut cmd)
            .await;
        match taken {
            Ok(1) => Seat::Reserved,
            Ok(_) => Seat::Full,
            Err(error) => {
                tracing::debug!(%error, "reserving a seat in Redis failed");
                Seat::Unavailable
            }
        }
    })
}

/// Gives `client`'s place in `key` back (in the background; a seat that cannot be removed
/// lapses after [`SEAT_TTL_MS`] since it is no longer renewed).
pub(super) fn release(link: &Link, key: &RoomKey, client: u64) {
    let Some(seats) = lock(&link.seats).clone() else {
        return;
    };
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let room_key = events::seats_key(events::mode_code(key.0), &key.1);
    let member = member(link.instance, client);
    runtime.spawn(async move {
        let mut cmd = seats.cmd;
        let removed: redis::RedisResult<i64> = redis::cmd("ZREM")
            .arg(room_key)
            .arg(member)
            .query_async(&mut cmd)
            .await;
        if let Err(error) = removed {
            tracing::debug!(%error, "releasing a seat in Redis failed");
        }
    });
}

/// Renews (or after a reconnect, re-creates) the seats of this instance's clients, one
/// `EVALSHA` per room, in `pipe`.
pub(super) fn renew(
    pipe: &mut redis::Pipeline,
    renew_sha: &str,
    instance: u64,
    rooms: &[(u8, String, Vec<u64>)],
    recreate: bool,
) {
    for (mode, room, clients) in rooms {
        if clients.is_empty() {
            continue;
        }
        let command = pipe
            .cmd("EVALSHA")
            .arg(renew_sha)
            .arg(1)
            .arg(events::seats_key(*mode, room))
            .arg(SEAT_TTL_MS)
            .arg(if recreate { "ADD" } else { "XX" });
        for client in clients {
            command.arg(member(instance, *client));
        }
        command.ignore();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_name_the_instance_and_the_client() {
        assert_eq!(member(0xab, 7), "00000000000000ab:7");
        assert_ne!(member(1, 2), member(2, 1));
    }

    #[test]
    fn renewals_skip_empty_rooms_and_name_every_client() {
        let mut pipe = redis::pipe();
        renew(
            &mut pipe,
            "sha",
            1,
            &[(1, "5".into(), vec![3, 4]), (0, "6".into(), Vec::new())],
            false,
        );
        let packed = String::from_utf8_lossy(&pipe.get_packed_pipeline()).into_owned();
        assert_eq!(packed.matches("EVALSHA").count(), 1, "{packed}");
        assert!(packed.contains("0000000000000001:3") && packed.contains("0000000000000001:4"));
        assert!(packed.contains(&events::seats_key(1, "5")));
    }
}
