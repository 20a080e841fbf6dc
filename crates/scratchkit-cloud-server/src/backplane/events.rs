//! What instances publish to each other on the Redis channel, and the Redis keys.
//!
//! One channel carries every event as a JSON object: `o` is the publishing instance, `k` the
//! kind. Values travel as their JSON text (`12`, `"12"`), so their type is kept.

use serde::{Deserialize, Serialize};

use crate::options::CloudMode;
use crate::store::{LogEntry, StoredValue};

/// Prefix of every key and of the channel.
pub(crate) const PREFIX: &str = "scratchkit:cloud";

/// The channel every instance publishes to and listens on.
pub(crate) fn channel() -> String {
    format!("{PREFIX}:events")
}

/// The set of rooms that have values (`s:ID` and `t:ID`).
pub(crate) fn rooms_key() -> String {
    format!("{PREFIX}:rooms")
}

/// A room's values: a hash of name → JSON text.
pub(crate) fn values_key(mode: u8, room: &str) -> String {
    format!("{PREFIX}:values:{}:{room}", mode_letter(mode))
}

/// A project's Scratch-mode log: a list of JSON rows, newest first.
pub(crate) fn log_key(room: &str) -> String {
    format!("{PREFIX}:log:{room}")
}

/// The seats of a room's clients across instances: a sorted set (see `seats.rs`).
pub(crate) fn seats_key(mode: u8, room: &str) -> String {
    format!("{PREFIX}:seats:{}:{room}", mode_letter(mode))
}

/// A member of [`rooms_key`].
pub(crate) fn room_member(mode: u8, room: &str) -> String {
    format!("{}:{room}", mode_letter(mode))
}

/// The inverse of [`room_member`].
pub(crate) fn parse_room_member(member: &str) -> Option<(u8, &str)> {
    let (letter, room) = member.split_once(':')?;
    let mode = match letter {
        "s" => 0,
        "t" => 1,
        _ => return None,
    };
    Some((mode, room))
}

fn mode_letter(mode: u8) -> char {
    if mode == 0 { 's' } else { 't' }
}

/// A mode as it travels (0: Scratch, 1: TurboWarp).
pub(crate) fn mode_code(mode: CloudMode) -> u8 {
    crate::store::mode_index(mode) as u8
}

/// The inverse of [`mode_code`].
pub(crate) fn mode_from_code(code: u8) -> CloudMode {
    if code == 0 {
        CloudMode::Scratch
    } else {
        CloudMode::TurboWarp
    }
}

/// A value as its JSON text.
pub(crate) fn encode_value(value: &StoredValue) -> String {
    value.to_json()
}

/// The inverse of [`encode_value`]; `None` for text that is neither.
pub(crate) fn decode_value(text: &str) -> Option<StoredValue> {
    if text.starts_with('"') {
        serde_json::from_str::<String>(text)
            .ok()
            .map(StoredValue::Text)
    } else {
        text.parse::<f64>().ok().map(StoredValue::Number)
    }
}

/// One published event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Event {
    /// The instance that published it.
    pub(crate) o: u64,
    /// What happened.
    #[serde(flatten)]
    pub(crate) body: Body,
}

/// The kinds of [`Event`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "k")]
pub(crate) enum Body {
    /// A variable was set (created if new).
    #[serde(rename = "s")]
    Set {
        /// The publisher's sequence number.
        q: u64,
        /// Mode code.
        m: u8,
        /// Room (project id).
        r: String,
        /// Variable name.
        n: String,
        /// Value as JSON text.
        v: String,
    },
    /// A variable was deleted.
    #[serde(rename = "d")]
    Delete { q: u64, m: u8, r: String, n: String },
    /// A variable was renamed.
    #[serde(rename = "n")]
    Rename {
        q: u64,
        m: u8,
        r: String,
        n: String,
        to: String,
    },
    /// A room's values were forgotten (expiry).
    #[serde(rename = "c")]
    Clear { m: u8, r: String },
    /// A row was added to a project's log.
    #[serde(rename = "l")]
    Log { r: String, e: LogEntry },
    /// The publisher's client count per room (every room it has clients in).
    #[serde(rename = "p")]
    Presence { rooms: Vec<(u8, String, usize)> },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_and_values_round_trip() {
        let event = Event {
            o: 7,
            body: Body::Set {
                q: 3,
                m: 1,
                r: "42".into(),
                n: "☁ a\"b".into(),
                v: encode_value(&StoredValue::Text("007".into())),
            },
        };
        let text = serde_json::to_string(&event).unwrap();
        assert_eq!(serde_json::from_str::<Event>(&text).unwrap(), event);
        for value in [
            StoredValue::Number(1.5),
            StoredValue::Number(-0.25),
            StoredValue::Text("12".into()),
            StoredValue::Text("1e3".into()),
        ] {
            assert_eq!(decode_value(&encode_value(&value)), Some(value));
        }
        assert_eq!(decode_value("nope"), None);
        assert_eq!(parse_room_member(&room_member(0, "9")), Some((0, "9")));
        assert_eq!(parse_room_member("x:9"), None);
    }
}
