#![no_main]
//! Fuzz target: the Cloud Requests parsers (the `TO_HOST` value, reply packets, the digit
//! encoding) must never panic on a cloud value, and encoding supported text must round-trip.

use libfuzzer_sys::fuzz_target;
use scratchkit_cloud_requests::{Encoding, parse_to_host, read_packet, split_request};

fuzz_target!(|data: &str| {
    let _ = parse_to_host(data);
    let _ = read_packet(data);
    let _ = Encoding::decode(data);
    let _ = Encoding::decode_list(data);
    let (name, args) = split_request(data);
    assert_eq!(args.len() + 1, data.split('&').count());
    assert!(data.starts_with(&name));
    if Encoding::supports(data) {
        let encoded = Encoding::encode(data);
        assert!(encoded.is_lossless());
        assert_eq!(Encoding::decode(&encoded.digits).as_deref(), Ok(data));
    }
});
