//! Cloud variables on the wire: names, values, each server's limits and the frame codec.
//!
//! Both ends use these: the client validates before sending and decodes what servers send; a
//! server (the sandbox's) decodes what clients send with [`ClientMessage::decode`] /
//! [`decode_client_frame`], checks it with [`is_valid_full_name`], [`is_numeric_value`],
//! [`is_valid_room_id`] and [`crate::limits::check_username`], and answers with
//! [`ServerMessage::encode`] / [`encode_server_frame`].

mod frame;
mod rules;

pub use frame::{
    ClientMessage, FrameError, ServerMessage, decode_client_frame, decode_server_frame,
    encode_client_frame, encode_server_frame,
};
pub use rules::{
    ALT_CLOUD_PREFIX, CLOUD_PREFIX, CloudRules, MAX_NAME_LEN, MAX_ROOM_ID_LEN,
    SCRATCH_MAX_VALUE_LEN, SCRATCH_MAX_VARIABLES, TURBOWARP_MAX_VALUE_LEN, TURBOWARP_MAX_VARIABLES,
    ValidationError, is_numeric_value, is_valid_full_name, is_valid_room_id, strip_cloud_prefix,
    validate_name,
};

/// Scratch's cloud WebSocket server.
pub const SCRATCH_CLOUD_URL: &str = "wss://clouddata.scratch.mit.edu";
/// TurboWarp's cloud WebSocket server.
pub const TURBOWARP_CLOUD_URL: &str = "wss://clouddata.turbowarp.org";
/// The `Origin` Scratch's cloud server expects.
pub const SCRATCH_ORIGIN: &str = "https://scratch.mit.edu";
