#![no_main]
//! Fuzz target: the sandbox's cloud server reading client frames (Scratch and TurboWarp
//! rules). The input is split into frames at 0 bytes and fed to two connections of one room
//! in turn; the server must never panic, and every line it sends must be a `set` that the
//! client's decoder reads.

use libfuzzer_sys::fuzz_target;
use scratchkit::cloud::{ServerMessage, decode_server_frame};
use scratchkit_sandbox::cloud::{CloudMode, CloudOptions, CloudState, DetachedConnection};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mode = if mode & 1 == 0 {
        CloudMode::Scratch
    } else {
        CloudMode::TurboWarp
    };
    let text = String::from_utf8_lossy(rest);
    let state = CloudState::new(CloudOptions::default());
    let mut clients = [
        DetachedConnection::new(&state, mode, None),
        DetachedConnection::new(&state, mode, Some("alice".to_owned())),
    ];
    let mut open = [true, true];
    for (i, frame) in text.split('\0').enumerate() {
        let who = i % 2;
        if open[who] && clients[who].frame(frame).is_err() {
            open[who] = false;
        }
    }
    for client in &mut clients {
        for frame in client.take_sent() {
            for message in decode_server_frame(&frame) {
                let message = message.expect("the server writes what the client reads");
                assert!(matches!(message, ServerMessage::Set { .. }), "{frame}");
            }
        }
    }
});
