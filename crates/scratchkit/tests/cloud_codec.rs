//! The cloud frame codec: encoding, newline-split decoding, round trips.
#![cfg(feature = "cloud")]

use proptest::prelude::*;
use scratchkit::cloud::{
    ClientMessage, ServerMessage, decode_server_frame, encode_client_frame, encode_server_frame,
};

fn client_message() -> impl Strategy<Value = ClientMessage> {
    let s = any::<String>;
    prop_oneof![
        (s(), s()).prop_map(|(user, project_id)| ClientMessage::Handshake { user, project_id }),
        (s(), s()).prop_map(|(name, value)| ClientMessage::Set { name, value }),
        (s(), s()).prop_map(|(name, value)| ClientMessage::Create { name, value }),
        (s(), s()).prop_map(|(name, new_name)| ClientMessage::Rename { name, new_name }),
        s().prop_map(|name| ClientMessage::Delete { name }),
    ]
}

fn server_message() -> impl Strategy<Value = ServerMessage> {
    let s = any::<String>;
    prop_oneof![
        (s(), s()).prop_map(|(name, value)| ServerMessage::Set { name, value }),
        (s(), s()).prop_map(|(name, value)| ServerMessage::Create { name, value }),
        (s(), s()).prop_map(|(name, new_name)| ServerMessage::Rename { name, new_name }),
        s().prop_map(|name| ServerMessage::Delete { name }),
    ]
}

proptest! {
    #[test]
    fn client_messages_round_trip(message in client_message(), user in any::<String>(), project in any::<String>()) {
        let line = message.encode(&user, &project);
        prop_assert!(!line.contains('\n'));
        prop_assert_eq!(ClientMessage::decode(&line), Ok(message));
    }

    #[test]
    fn client_frames_are_one_line_per_message(messages in prop::collection::vec(client_message(), 0..8)) {
        let frame = encode_client_frame(&messages, "user", "1");
        let lines: Vec<&str> = frame.lines().collect();
        prop_assert_eq!(lines.len(), messages.len());
        for (line, message) in lines.iter().zip(&messages) {
            prop_assert_eq!(&ClientMessage::decode(line), &Ok(message.clone()));
        }
    }

    #[test]
    fn server_frames_round_trip(messages in prop::collection::vec(server_message(), 0..8)) {
        let frame = encode_server_frame(&messages);
        let decoded: Vec<ServerMessage> = decode_server_frame(&frame)
            .into_iter()
            .collect::<Result<_, _>>()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(decoded, messages);
    }

    #[test]
    fn decoding_garbage_never_panics(frame in any::<String>()) {
        let _ = decode_server_frame(&frame);
        let _ = ClientMessage::decode(&frame);
    }
}

#[test]
fn set_carries_user_and_project_in_the_official_order() {
    let frame = encode_client_frame(
        &[ClientMessage::Set {
            name: "☁ score".into(),
            value: "42".into(),
        }],
        "griffpatch",
        "12345678",
    );
    assert_eq!(
        frame,
        "{\"method\":\"set\",\"user\":\"griffpatch\",\"project_id\":\"12345678\",\"name\":\"☁ score\",\"value\":\"42\"}\n"
    );
}

#[test]
fn rename_and_delete_encode_their_fields() {
    let rename = ClientMessage::Rename {
        name: "☁ a".into(),
        new_name: "☁ b".into(),
    };
    assert_eq!(
        rename.encode("u", "1"),
        "{\"method\":\"rename\",\"user\":\"u\",\"project_id\":\"1\",\"name\":\"☁ a\",\"new_name\":\"☁ b\"}"
    );
    let delete = ClientMessage::Delete {
        name: "☁ a".into()
    };
    assert_eq!(
        delete.encode("u", "1"),
        "{\"method\":\"delete\",\"user\":\"u\",\"project_id\":\"1\",\"name\":\"☁ a\"}"
    );
}

#[test]
fn turbowarp_style_frames_decode_in_order() {
    let frame = "{\"method\":\"set\",\"name\":\"☁ a\",\"value\":\"1\"}\n{\"method\":\"set\",\"name\":\"☁ b\",\"value\":2.50}";
    let decoded = decode_server_frame(frame);
    assert_eq!(
        decoded,
        vec![
            Ok(ServerMessage::Set {
                name: "☁ a".into(),
                value: "1".into()
            }),
            Ok(ServerMessage::Set {
                name: "☁ b".into(),
                value: "2.5".into()
            }),
        ]
    );
}
