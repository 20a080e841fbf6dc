#![no_main]
//! Fuzz target: decoding a cloud WebSocket frame (from a server or a client) must never panic,
//! and every server message that decodes must encode into a line that decodes back to it.

use libfuzzer_sys::fuzz_target;
use scratchkit::cloud::{ClientMessage, ServerMessage, decode_server_frame, encode_server_frame};

fuzz_target!(|data: &str| {
    let decoded: Vec<ServerMessage> = decode_server_frame(data)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    for message in &decoded {
        let again = ServerMessage::decode(&message.encode());
        assert_eq!(again.as_ref(), Ok(message), "server message round trip");
    }
    let _ = decode_server_frame(&encode_server_frame(&decoded));
    for line in data.split('\n') {
        let _ = ClientMessage::decode(line);
    }
});
