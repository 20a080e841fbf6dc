//! Messages (`/users/<me>/messages`), the "what's happening" feed and studio activity, as the
//! client's own model types ([`Message`] and [`Activity`]).
//!
//! The stores keep each item's type, actor and time in columns and the rest of the model
//! value in `extra` (see `store::messages::per_type_keys`); reading decodes `extra` back into
//! the model type and sets the base keys from the columns.

use scratchkit_model::{Activity, ActivityId, Message, Timestamp, UserId};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::store::messages::{Item, new_activity, new_message};

/// The per-type keys `extra` of an item of type `kind`, decoded as `T` (its `id` is a
/// placeholder the caller replaces). `extra` that does not fit `T` (the sandbox's typed
/// writers cannot produce it) gives `blank`: the item keeps its base keys.
fn per_type<T: DeserializeOwned>(kind: &str, extra: &str, blank: impl FnOnce() -> T) -> T {
    let mut keys = match serde_json::from_str(extra) {
        Ok(Value::Object(keys)) => keys,
        _ => serde_json::Map::new(),
    };
    keys.insert("id".into(), Value::from(0));
    keys.insert("type".into(), Value::String(kind.to_owned()));
    serde_json::from_value(Value::Object(keys)).unwrap_or_else(|_| blank())
}

/// A recorded user activity (type and per-type keys only), for the views built from it
/// (the classroom activity).
pub(crate) fn recorded_activity(kind: &str, extra: &str) -> Activity {
    per_type(kind, extra, || new_activity(kind.into()))
}

fn actor(row: &Item) -> Option<UserId> {
    u64::try_from(row.actor_id).ok().map(UserId)
}

fn number(id: i64) -> ActivityId {
    ActivityId::Number(u64::try_from(id).unwrap_or_default())
}

/// A message of `/users/<me>/messages`.
pub(crate) fn message(row: &Item) -> Message {
    let mut message = per_type(&row.kind, &row.extra, || {
        new_message(row.kind.as_str().into())
    });
    message.id = number(row.id);
    message.actor_id = actor(row);
    message.actor_username.clone_from(&row.actor_username);
    message.datetime_created = Timestamp::from_unix_seconds(row.created);
    message
}

fn activity(row: &Item, id: ActivityId) -> Activity {
    let mut item = recorded_activity(&row.kind, &row.extra);
    item.id = id;
    item.actor_id = actor(row);
    item.actor_username.clone_from(&row.actor_username);
    item.datetime_created = Timestamp::from_unix_seconds(row.created);
    item
}

/// An item of the "what's happening" feed: its id is an integer.
pub(crate) fn feed_item(row: &Item) -> Activity {
    activity(row, number(row.id))
}

/// A studio activity item: its id is the string `"<type>-<number>"`.
pub(crate) fn studio_activity(row: &Item) -> Activity {
    activity(row, ActivityId::Text(format!("{}-{}", row.kind, row.id)))
}
