#![no_main]
//! Fuzz target: decoding a `scratchsessionsid` cookie value (Django's signed, optionally
//! zlib-compressed base64 JSON) must never panic, and an error must never repeat the value.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    match scratchkit::decode_session_id(data) {
        Ok(info) => {
            assert!(!info.username.is_empty());
            let _ = format!("{info:?}");
        }
        Err(error) => {
            let message = error.to_string();
            if data.len() > 16 {
                assert!(!message.contains(data), "the error repeats the secret");
            }
        }
    }
});
