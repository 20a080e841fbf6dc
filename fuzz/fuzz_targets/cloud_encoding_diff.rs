#![no_main]
//! Differential fuzz target: the Cloud Requests Encoding against itself. Any text over the
//! alphabet (built from the input bytes, one character per byte) encodes losslessly and
//! decodes back to itself; lists round-trip through `encode_list`/`decode_list`; and every
//! code the decoder accepts is one the encoder produces (decode ∘ encode ∘ decode = decode).

use libfuzzer_sys::fuzz_target;
use scratchkit_cloud_requests::{Encoding, alphabet};

fuzz_target!(|data: &[u8]| {
    let letters: Vec<char> = alphabet().collect();
    let text: String = data
        .iter()
        .map(|&b| letters[usize::from(b) % letters.len()])
        .collect();
    assert!(Encoding::supports(&text));
    let encoded = Encoding::encode(&text);
    assert!(encoded.is_lossless());
    assert!(encoded.digits.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(
        Encoding::decode(&encoded.digits).as_deref(),
        Ok(text.as_str())
    );

    // A list: the input split at every 0 byte.
    let items: Vec<String> = text.split(letters[0]).map(str::to_owned).collect();
    let list = Encoding::encode_list(&items);
    if list.is_lossless() {
        assert_eq!(Encoding::decode_list(&list.digits), Ok(items));
    }

    // The input bytes read as digits: whatever decodes re-encodes to the same digits.
    let digits: String = data.iter().map(|&b| char::from(b'0' + b % 10)).collect();
    if let Ok(decoded) = Encoding::decode(&digits) {
        let again = Encoding::encode(&decoded);
        assert_eq!(
            again.digits, digits,
            "decode then encode changed the digits"
        );
    }
});
