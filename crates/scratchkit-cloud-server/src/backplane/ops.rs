//! The changes an instance publishes: what each does, and the one Lua script that stores and
//! publishes it in a single step.

use std::time::Instant;

use super::events::{self, Body, Event};
use crate::store::{LogEntry, MEMORY_LOG_ROWS};

/// The script every change goes through: `KEYS` = room hash (or log list), rooms set,
/// channel; `ARGV` = op, name (or log row), value (or new name), limit, room member,
/// event. Returns 1 when applied and published, 0 when refused.
pub(super) const SCRIPT: &str = r"
local op = ARGV[1]
if op == 's' then
  if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then
    return 0
  end
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
  redis.call('SADD', KEYS[2], ARGV[5])
elseif op == 'd' then
  if redis.call('HDEL', KEYS[1], ARGV[2]) == 0 then return 0 end
elseif op == 'n' then
  local value = redis.call('HGET', KEYS[1], ARGV[2])
  if (not value) or redis.call('HEXISTS', KEYS[1], ARGV[3]) == 1 then return 0 end
  redis.call('HDEL', KEYS[1], ARGV[2])
  redis.call('HSET', KEYS[1], ARGV[3], value)
elseif op == 'c' then
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[2], ARGV[5])
elseif op == 'l' then
  redis.call('LPUSH', KEYS[1], ARGV[2])
  redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[4]) - 1)
end
redis.call('PUBLISH', KEYS[3], ARGV[6])
return 1
";

/// What a queued change does.
#[derive(Debug)]
pub(crate) enum OpKind {
    /// Set a variable (value as JSON text) unless the room has `max` others.
    Set {
        name: String,
        value: String,
        max: usize,
    },
    /// Delete a variable.
    Delete { name: String },
    /// Rename a variable.
    Rename { name: String, to: String },
    /// Forget a room's values.
    Clear,
    /// Add a row to the project's log.
    Log(LogEntry),
}

/// A change waiting to be published.
#[derive(Debug)]
pub(crate) struct Op {
    /// This instance's sequence number.
    pub(super) seq: u64,
    /// Mode code.
    pub(super) mode: u8,
    /// Room (project id).
    pub(super) room: String,
    /// What it does.
    pub(super) kind: OpKind,
    /// When the server accepted it.
    pub(super) accepted: Instant,
}

impl Op {
    /// The variable whose newer local value an older remote event must not overwrite.
    pub(super) fn variable(&self) -> Option<&str> {
        match &self.kind {
            OpKind::Set { name, .. } | OpKind::Delete { name } | OpKind::Rename { name, .. } => {
                Some(name)
            }
            OpKind::Clear | OpKind::Log(_) => None,
        }
    }

    pub(super) fn command(&self, sha: &str, instance: u64) -> redis::Cmd {
        let (op, key, a2, a3, limit, body) = match &self.kind {
            OpKind::Set { name, value, max } => (
                "s",
                events::values_key(self.mode, &self.room),
                name.clone(),
                value.clone(),
                (*max).min(i64::MAX as usize) as i64,
                Body::Set {
                    q: self.seq,
                    m: self.mode,
                    r: self.room.clone(),
                    n: name.clone(),
                    v: value.clone(),
                },
            ),
            OpKind::Delete { name } => (
                "d",
                events::values_key(self.mode, &self.room),
                name.clone(),
                String::new(),
                0,
                Body::Delete {
                    q: self.seq,
                    m: self.mode,
                    r: self.room.clone(),
                    n: name.clone(),
                },
            ),
            OpKind::Rename { name, to } => (
                "n",
                events::values_key(self.mode, &self.room),
                name.clone(),
                to.clone(),
                0,
                Body::Rename {
                    q: self.seq,
                    m: self.mode,
                    r: self.room.clone(),
                    n: name.clone(),
                    to: to.clone(),
                },
            ),
            OpKind::Clear => (
                "c",
                events::values_key(self.mode, &self.room),
                String::new(),
                String::new(),
                0,
                Body::Clear {
                    m: self.mode,
                    r: self.room.clone(),
                },
            ),
            OpKind::Log(entry) => (
                "l",
                events::log_key(&self.room),
                serde_json::to_string(entry).unwrap_or_default(),
                String::new(),
                MEMORY_LOG_ROWS as i64,
                Body::Log {
                    r: self.room.clone(),
                    e: entry.clone(),
                },
            ),
        };
        let event = serde_json::to_string(&Event { o: instance, body }).unwrap_or_default();
        let mut cmd = redis::cmd("EVALSHA");
        cmd.arg(sha)
            .arg(3)
            .arg(key)
            .arg(events::rooms_key())
            .arg(events::channel())
            .arg(op)
            .arg(a2)
            .arg(a3)
            .arg(limit)
            .arg(events::room_member(self.mode, &self.room))
            .arg(event);
        cmd
    }
}
