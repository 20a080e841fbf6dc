//! The Cloud Requests parsers never panic on a cloud value, whatever they are given
//! (arbitrary text, and text shaped like the real thing but wrong), and supported text
//! round-trips through the Encoding. The same properties as the cargo-fuzz target
//! `cloud_requests` in `crates/scratchkit/fuzz/`, run in CI with proptest.

use proptest::prelude::*;
use scratchkit_cloud_requests::{Encoding, alphabet, parse_to_host, read_packet, split_request};

/// A cloud value: digits with dots and dashes, or anything.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?[0-9]{0,20}(\\.[0-9]{0,9}){0,2}",
        "[0-9.\\-e]{0,16}",
        any::<String>()
    ]
}

proptest! {
    #[test]
    fn parsers_never_panic(value in value()) {
        let _ = parse_to_host(&value);
        let _ = read_packet(&value);
        let _ = Encoding::decode(&value);
        let _ = Encoding::decode_list(&value);
        let (name, args) = split_request(&value);
        prop_assert_eq!(args.len() + 1, value.split('&').count());
        prop_assert!(value.starts_with(&name));
    }

    #[test]
    fn supported_text_round_trips(
        chars in prop::collection::vec(prop::sample::select(alphabet().collect::<Vec<_>>()), 0..40),
    ) {
        let text: String = chars.into_iter().collect();
        prop_assert!(Encoding::supports(&text));
        let encoded = Encoding::encode(&text);
        prop_assert!(encoded.is_lossless());
        prop_assert_eq!(Encoding::decode(&encoded.digits), Ok(text));
    }
}
