//! The parsers of data that comes from outside (cloud frames from a server, session cookie
//! values from a user or a file) never panic, whatever they are given:
//! arbitrary text, and text shaped like the real thing but wrong in every way. The same
//! properties as the cargo-fuzz targets in `fuzz/`, run in CI with proptest.

use std::io::Write;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use serde_json::{Value, json};

/// Any JSON scalar or small container, including numbers JavaScript cannot hold exactly.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        "[0-9]{0,30}".prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

mod session_cookie {
    use super::*;
    use scratchkit::decode_session_id;

    /// A session payload: sometimes a real one, sometimes one with wrong types or keys.
    fn payload() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            prop::collection::vec(any::<u8>(), 0..64),
            json_value().prop_map(|v| v.to_string().into_bytes()),
            (
                "[a-zA-Z0-9_-]{0,20}",
                json_value(),
                json_value(),
                json_value()
            )
                .prop_map(|(username, id, token, language)| {
                    json!({
                        "username": username,
                        "_auth_user_id": id,
                        "token": token,
                        "_language": language,
                    })
                    .to_string()
                    .into_bytes()
                }),
        ]
    }

    fn compress(bytes: &[u8]) -> Vec<u8> {
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    /// `[.]<base64 payload>:<timestamp>:<signature>`, with every part possibly wrong.
    fn cookie() -> impl Strategy<Value = String> {
        (
            payload(),
            any::<bool>(),
            prop_oneof!["[0-9A-Za-z]{0,12}", any::<String>()],
            "[A-Za-z0-9_-]{0,43}",
            prop_oneof![Just(""), Just("\""), Just(":x"), Just("; Path=/")],
        )
            .prop_map(|(payload, compressed, timestamp, signature, tail)| {
                let (dot, bytes) = if compressed {
                    (".", compress(&payload))
                } else {
                    ("", payload)
                };
                format!(
                    "{dot}{}:{timestamp}:{signature}{tail}",
                    URL_SAFE_NO_PAD.encode(bytes)
                )
            })
    }

    fn check(value: &str) {
        match decode_session_id(value) {
            Ok(info) => {
                assert!(!info.username.is_empty());
                // Debug output never shows the token.
                let _ = format!("{info:?}");
            }
            Err(error) => {
                let message = error.to_string();
                assert!(!message.is_empty());
                if value.len() > 16 {
                    assert!(!message.contains(value), "the error repeats the value");
                }
            }
        }
    }

    proptest! {
        #[test]
        fn arbitrary_text(value in any::<String>()) {
            check(&value);
        }

        #[test]
        fn cookie_shaped_values(value in cookie()) {
            check(&value);
        }

        #[test]
        fn real_sessions_decode(
            username in "[a-zA-Z0-9_-]{1,20}",
            id in any::<u32>(),
            token in "[a-z0-9]{1,32}",
            compressed in any::<bool>(),
        ) {
            let payload = json!({"username": username, "_auth_user_id": id.to_string(), "token": token})
                .to_string()
                .into_bytes();
            let (dot, bytes) = if compressed { (".", compress(&payload)) } else { ("", payload) };
            let value = format!("{dot}{}:1tK9aB:sig", URL_SAFE_NO_PAD.encode(bytes));
            let info = decode_session_id(&value).unwrap();
            prop_assert_eq!(info.username, username);
            prop_assert_eq!(info.user_id.get(), u64::from(id));
            prop_assert_eq!(info.x_token.expose_secret(), token.as_str());
            prop_assert_eq!(format!("{:?}", info.x_token), "XToken(<redacted>)");
        }
    }
}

#[cfg(feature = "cloud")]
mod cloud_frames {
    use super::*;
    use scratchkit::cloud::{
        ClientMessage, ServerMessage, decode_server_frame, encode_server_frame,
    };

    /// One line of a frame: a message-like JSON object with any field types, or anything.
    fn line() -> impl Strategy<Value = String> {
        let method = prop_oneof![
            Just(json!("set")),
            Just(json!("create")),
            Just(json!("rename")),
            Just(json!("delete")),
            Just(json!("handshake")),
            json_value(),
        ];
        prop_oneof![
            (method, json_value(), json_value(), json_value()).prop_map(
                |(method, name, value, new_name)| {
                    json!({"method": method, "name": name, "value": value, "new_name": new_name})
                        .to_string()
                }
            ),
            json_value().prop_map(|v| v.to_string()),
            "[ \\t{}\\[\\]\",:a-z0-9.eE+-]{0,40}",
            any::<String>(),
        ]
    }

    fn frame() -> impl Strategy<Value = String> {
        (
            prop::collection::vec(line(), 0..6),
            prop_oneof![Just("\n"), Just("\n\n"), Just("\r\n"), Just("\n \n")],
        )
            .prop_map(|(lines, separator)| lines.join(separator))
    }

    fn check(frame: &str) {
        let results = decode_server_frame(frame);
        let pieces = frame.split('\n').filter(|p| !p.trim().is_empty()).count();
        assert_eq!(results.len(), pieces);
        let decoded: Vec<ServerMessage> = results.into_iter().filter_map(Result::ok).collect();
        for message in &decoded {
            assert_eq!(
                ServerMessage::decode(&message.encode()).as_ref(),
                Ok(message)
            );
        }
        let again: Vec<ServerMessage> = decode_server_frame(&encode_server_frame(&decoded))
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(again, decoded);
        for line in frame.split('\n') {
            if let Ok(message) = ClientMessage::decode(line) {
                assert!(!message.encode("user", "1").contains('\n'));
            }
        }
    }

    proptest! {
        #[test]
        fn arbitrary_text(frame in any::<String>()) {
            check(&frame);
        }

        #[test]
        fn frame_shaped_text(frame in frame()) {
            check(&frame);
        }

        #[test]
        fn well_formed_sets_decode(name in any::<String>(), value in "-?[0-9]{1,15}") {
            let frame = format!(
                "{}\n",
                json!({"method": "set", "name": name, "value": value.clone()})
            );
            let results = decode_server_frame(&frame);
            prop_assert_eq!(results, vec![Ok(ServerMessage::Set { name, value })]);
        }
    }
}
