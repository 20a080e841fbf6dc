#![no_main]
//! Differential fuzz target: the cloud frame codec of the client against the sandbox's cloud
//! server. A `set` the client encodes (its hand-written JSON writer) must read the same with
//! serde_json and with the client's own decoder; when the client's validation accepts the
//! name and value, the server (Scratch rules) must accept it too and broadcast it to another
//! client of the room, whose decoder must read back exactly the name and value sent.

use libfuzzer_sys::fuzz_target;
use scratchkit::cloud::{
    ClientMessage, CloudRules, ServerMessage, decode_server_frame, validate_name,
};
use scratchkit_sandbox::cloud::{CloudMode, CloudOptions, CloudState, DetachedConnection};

fuzz_target!(|input: (String, String, String)| {
    let (name, value, user) = input;
    let set = ClientMessage::Set {
        name: name.clone(),
        value: value.clone(),
    };
    let line = set.encode(&user, "1");
    assert_eq!(
        ClientMessage::decode(&line).as_ref(),
        Ok(&set),
        "client round trip: {line}"
    );
    let object: serde_json::Value = serde_json::from_str(&line).expect("the client writes JSON");
    assert_eq!(object["name"].as_str(), Some(name.as_str()));
    assert_eq!(object["value"].as_str(), Some(value.as_str()));
    assert_eq!(object["user"].as_str(), Some(user.as_str()));

    let state = CloudState::new(CloudOptions::default());
    let mut observer = DetachedConnection::new(&state, CloudMode::Scratch, None);
    let mut sender = DetachedConnection::new(&state, CloudMode::Scratch, None);
    let join = |who: &str| {
        ClientMessage::Handshake {
            user: who.to_owned(),
            project_id: "1".to_owned(),
        }
        .encode("", "")
    };
    observer
        .frame(&join("observer"))
        .expect("the observer joins");
    sender.frame(&join("sender")).expect("the sender joins");
    // The server reads one message per line; a name or value with a line break is split.
    let outcome = sender.frame(&line);
    let received: Vec<ServerMessage> = observer
        .take_sent()
        .iter()
        .flat_map(|frame| decode_server_frame(frame))
        .map(|message| message.expect("the server writes what the client reads"))
        .collect();
    let client_accepts = validate_name(&name).is_ok()
        && name.starts_with(scratchkit::cloud::CLOUD_PREFIX)
        && CloudRules::Scratch.validate_value(&value).is_ok();
    if client_accepts && !line.contains('\n') {
        assert_eq!(outcome, Ok(()), "the server closed on a valid set: {line}");
        assert_eq!(
            received,
            vec![ServerMessage::Set { name, value }],
            "what the observer read of {line}"
        );
    } else {
        for message in &received {
            assert!(matches!(message, ServerMessage::Set { .. }));
        }
    }
});
