//! How many clients other instances have in each room, from their presence events.
//!
//! Every instance publishes its whole per-room count when it changes and at least once a
//! second; an instance not heard from for [`PEER_TIMEOUT`] (killed, or cut from Redis) no
//! longer counts.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::state::RoomKey;

/// How long an instance's counts hold without a new presence event.
pub(crate) const PEER_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug, Default)]
struct Peer {
    seen: Option<Instant>,
    rooms: HashMap<RoomKey, usize>,
}

/// Client counts of the other instances.
#[derive(Debug, Default)]
pub(crate) struct Presence {
    peers: HashMap<u64, Peer>,
}

impl Presence {
    /// `instance` now has these counts (replacing what it had).
    pub(crate) fn update(
        &mut self,
        instance: u64,
        rooms: impl IntoIterator<Item = (RoomKey, usize)>,
        now: Instant,
    ) {
        let peer = self.peers.entry(instance).or_default();
        peer.seen = Some(now);
        peer.rooms = rooms.into_iter().filter(|(_, n)| *n > 0).collect();
    }

    /// Forgets instances not heard from for [`PEER_TIMEOUT`].
    pub(crate) fn expire(&mut self, now: Instant) {
        self.peers.retain(|_, peer| {
            peer.seen
                .is_some_and(|seen| now.duration_since(seen) < PEER_TIMEOUT)
        });
    }

    /// Clients of `key` on other instances.
    pub(crate) fn clients(&self, key: &RoomKey) -> usize {
        self.peers
            .values()
            .map(|peer| peer.rooms.get(key).copied().unwrap_or(0))
            .sum()
    }

    /// Instances heard from.
    pub(crate) fn peers(&self) -> usize {
        self.peers.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CloudMode;

    #[test]
    fn counts_add_up_and_silent_instances_expire() {
        let key: RoomKey = (CloudMode::TurboWarp, "7".into());
        let start = Instant::now();
        let mut presence = Presence::default();
        presence.update(1, [(key.clone(), 3)], start);
        presence.update(2, [(key.clone(), 2)], start + Duration::from_secs(2));
        assert_eq!(presence.clients(&key), 5);
        presence.update(1, [(key.clone(), 1)], start + Duration::from_secs(1));
        assert_eq!(presence.clients(&key), 3);
        presence.expire(start + Duration::from_secs(4));
        assert_eq!(presence.clients(&key), 2, "instance 1 went silent");
        assert_eq!(presence.peers(), 1);
    }
}
