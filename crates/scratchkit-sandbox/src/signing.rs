//! Session cookie values in Django's signed format (`signing.dumps(payload, compress=True)`),
//! as Scratch issues them (reference: auth.md §3):
//!
//! `.` + base64url-nopad(zlib(compact JSON)) + `:` + base62(login time) + `:` + signature
//!
//! The signature is an HMAC-SHA1 of the first two parts with the sandbox's secret (base64url,
//! no padding, so it never contains `:`), which lets the sandbox recognise its own cookies.
//! Clients such as scratchattach decode the payload offline to learn the X-Token.

use std::io::{Read, Write};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use flate2::Compression;
use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use hmac::{KeyInit, Mac};
use serde_json::{Map, Value};

type HmacSha1 = hmac::Hmac<sha1::Sha1>;

/// Largest inflated payload accepted when decoding (a real one is about 400 bytes).
const MAX_PAYLOAD: u64 = 64 * 1024;

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Unix seconds in Django's base62 (`0-9A-Za-z`, most significant digit first).
pub(crate) fn base62(mut n: u64) -> String {
    if n == 0 {
        return "0".to_owned();
    }
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(BASE62[(n % 62) as usize]);
        n /= 62;
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

/// The inverse of [`base62`]; `None` for an empty text, a foreign character or an overflow.
pub(crate) fn unbase62(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0u64, |acc, b| {
        let digit = BASE62.iter().position(|&d| d == b)? as u64;
        acc.checked_mul(62)?.checked_add(digit)
    })
}

fn signature(secret: &[u8], signed_part: &str) -> String {
    match HmacSha1::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(b"django.contrib.sessions.backends.signed_cookies:");
            mac.update(signed_part.as_bytes());
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// Mints a cookie value (without the surrounding quotes) for `payload`, issued at `issued`.
pub(crate) fn mint(secret: &[u8], payload: &Map<String, Value>, issued: u64) -> String {
    let json = Value::Object(payload.clone()).to_string();
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    // Writing into a Vec cannot fail.
    let compressed = match encoder.write_all(json.as_bytes()) {
        Ok(()) => encoder.finish().unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    let signed_part = format!(".{}:{}", URL_SAFE_NO_PAD.encode(compressed), base62(issued));
    let sig = signature(secret, &signed_part);
    format!("{signed_part}:{sig}")
}

/// A decoded cookie value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Decoded {
    /// The JSON payload.
    pub payload: Map<String, Value>,
    /// The login time (Unix seconds).
    pub issued: u64,
    /// Whether the signature is this sandbox's.
    pub signed_here: bool,
}

/// Removes one pair of surrounding double quotes (cookies arrive quoted or not).
pub(crate) fn unquote(value: &str) -> &str {
    let value = value.trim();
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
}

/// Decodes a cookie value the way clients do (auth.md §3.3) and checks the signature against
/// `secret`. `None` when the value is not a Django signed value.
pub(crate) fn decode(secret: &[u8], value: &str) -> Option<Decoded> {
    let value = unquote(value);
    let mut parts = value.split(':');
    let (payload, stamp, sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let signed_here = !sig.is_empty() && signature(secret, &format!("{payload}:{stamp}")) == sig;
    let (compressed, body) = match payload.strip_prefix('.') {
        Some(rest) => (true, rest),
        None => (false, payload),
    };
    let raw = URL_SAFE_NO_PAD.decode(body.trim_end_matches('=')).ok()?;
    let json = if compressed {
        let mut out = Vec::new();
        ZlibDecoder::new(raw.as_slice())
            .take(MAX_PAYLOAD)
            .read_to_end(&mut out)
            .ok()?;
        out
    } else {
        raw
    };
    let Value::Object(payload) = serde_json::from_slice(&json).ok()? else {
        return None;
    };
    Some(Decoded {
        payload,
        issued: unbase62(stamp)?,
        signed_here,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTOR: &str = ".eJyNjk0PgjAMhv_LzjgBP1CPGo_e9LzsS5jAatiIRuN_tyUkhpvtpe37tn3erA-287K1bMeC9EbBU9CIJUzIPlZDI5xBOUspMlSiDVED1I62HtDV1kz9SuraeloyN-lL4Bp87JziZOGjGvgJjG32oxfPAhY_jqFNs3yxXK2LzVYqbewVbQ2Uzs_cnZDygqeYBCUa_NTLkpjwTDK-FtG19gWexseo55fzYcpayVChlv4Z7PMFjjdhBg:1vb66i:SANDBOXSIGNATURE";

    #[test]
    fn base62_matches_the_reference_vector() {
        assert_eq!(base62(1_767_225_600), "1vb66i");
        assert_eq!(unbase62("1vb66i"), Some(1_767_225_600));
        assert_eq!(base62(0), "0");
        assert_eq!(unbase62("0"), Some(0));
        assert_eq!(unbase62("a"), Some(36));
        assert_eq!(unbase62(""), None);
        assert_eq!(unbase62("1-2"), None);
        assert_eq!(unbase62("zzzzzzzzzzzzzzzzzz"), None, "overflow");
    }

    #[test]
    fn decodes_the_reference_vector_quoted_or_not() {
        for value in [VECTOR.to_owned(), format!("\"{VECTOR}\"")] {
            let d = decode(b"k", &value).unwrap();
            assert_eq!(d.issued, 1_767_225_600);
            assert!(!d.signed_here);
            assert_eq!(d.payload["username"], "sandbox_user");
            assert_eq!(d.payload["_auth_user_id"], "1000001");
            assert_eq!(d.payload["token"], "sandboxtoken0123456789abcdef");
            assert_eq!(d.payload.len(), 9);
        }
    }

    #[test]
    fn mints_what_it_decodes_and_signs() {
        let mut payload = Map::new();
        payload.insert("username".into(), "griffpatch".into());
        payload.insert("token".into(), "abc".into());
        let value = mint(b"secret", &payload, 1_767_225_600);
        assert!(value.starts_with(".eJ"), "{value}");
        assert_eq!(value.matches(':').count(), 2);
        assert!(!value.contains('"'));
        let d = decode(b"secret", &value).unwrap();
        assert_eq!(d.payload, payload);
        assert!(d.signed_here);
        assert_eq!(d.issued, 1_767_225_600);
        assert!(!decode(b"other", &value).unwrap().signed_here);
    }

    #[test]
    fn garbage_is_refused_without_panicking() {
        for bad in [
            "",
            "\"",
            "a:b",
            "a:b:c:d",
            ".!!!:1:x",
            ".eJzLSM3JyVcozy_KSQEAGgQEXQ:1vb66i:x",
            "e30:zz-:x",
        ] {
            assert!(decode(b"k", bad).is_none(), "{bad}");
        }
        // Uncompressed payloads decode too (Django leaves short ones uncompressed).
        let plain = format!("{}:1:x", URL_SAFE_NO_PAD.encode(br#"{"a":1}"#));
        assert_eq!(decode(b"k", &plain).unwrap().payload["a"], 1);
    }
}
