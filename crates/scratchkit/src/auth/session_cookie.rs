//! Offline decoding of the `scratchsessionsid` cookie (a Django signed value) into the login it
//! carries: user name, user id, X-Token and login time.
//!
//! Format (`[.]<payload>:<timestamp>:<signature>`): the payload is URL-safe base64 without
//! padding of a JSON object, zlib-compressed when the value starts with `.`; the timestamp is
//! the login time in base62 (`0-9A-Za-z`); the signature cannot be checked without Scratch's
//! secret and is ignored.

use std::fmt;
use std::io::Read;

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use scratchkit_model::{Timestamp, UserId, XToken};
use serde::Deserialize;

use crate::error::{Error, Result};

/// The most bytes a decoded payload may inflate to (real payloads are a few hundred bytes).
const MAX_PAYLOAD: u64 = 64 * 1024;

/// What a session id says about its login, decoded offline by [`decode_session_id`].
///
/// The signature is not (and cannot be) verified: this is what the cookie *claims*. The X-Token
/// is a secret and never shows in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SessionIdInfo {
    /// The account name.
    pub username: String,
    /// The account's user id.
    pub user_id: UserId,
    /// The X-Token of this session (for api.scratch.mit.edu and the backpack).
    pub x_token: XToken,
    /// When the session was created (the signed timestamp), if it could be read.
    pub login_time: Option<Timestamp>,
    /// The UI language stored in the session (`_language`), if any.
    pub language: Option<String>,
}

impl fmt::Debug for SessionIdInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionIdInfo")
            .field("username", &self.username)
            .field("user_id", &self.user_id)
            .field("x_token", &self.x_token)
            .field("login_time", &self.login_time)
            .field("language", &self.language)
            .finish()
    }
}

/// The payload keys this crate reads.
#[derive(Deserialize)]
struct Payload {
    username: String,
    #[serde(rename = "_auth_user_id")]
    user_id: UserId,
    token: String,
    #[serde(rename = "_language", default)]
    language: Option<String>,
}

/// The session id without surroundings a user may paste with it: whitespace, a
/// `scratchsessionsid=` prefix, a trailing `;`, surrounding double quotes.
pub(crate) fn normalize_session_id(session_id: &str) -> &str {
    let mut s = session_id.trim();
    if let Some(rest) = s.strip_prefix("scratchsessionsid=") {
        s = rest.trim();
    }
    s = s.strip_suffix(';').unwrap_or(s).trim();
    s.trim_matches('"')
}

fn invalid(reason: &str) -> Error {
    // Never put the value itself in the error: it is a secret.
    Error::invalid("session id", reason)
}

/// Decodes a `scratchsessionsid` value offline (no request): the user name, user id and X-Token
/// it carries, and its login time.
///
/// Accepts the value with or without its surrounding double quotes (and with a
/// `scratchsessionsid=` prefix), compressed (leading `.`) or not.
///
/// ```
/// let id = ".eJyNjk0PgjAMhv_LzjgBP1CPGo_e9LzsS5jAatiIRuN_tyUkhpvtpe37tn3erA-287K1bMeC9EbBU9CIJUzIPlZDI5xBOUspMlSiDVED1I62HtDV1kz9SuraeloyN-lL4Bp87JziZOGjGvgJjG32oxfPAhY_jqFNs3yxXK2LzVYqbewVbQ2Uzs_cnZDygqeYBCUa_NTLkpjwTDK-FtG19gWexseo55fzYcpayVChlv4Z7PMFjjdhBg:1vb66i:SANDBOXSIGNATURE";
/// let info = scratchkit::decode_session_id(id)?;
/// assert_eq!(info.username, "sandbox_user");
/// assert_eq!(info.user_id.get(), 1000001);
/// assert_eq!(info.x_token.expose_secret(), "sandboxtoken0123456789abcdef");
/// assert_eq!(info.login_time.unwrap().unix_seconds(), 1767225600);
/// # Ok::<(), scratchkit::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::InvalidInput`] (`what: "session id"`) when the value is not a Django signed value
/// holding a JSON object with `username`, `_auth_user_id` and `token`. The message never
/// contains the value.
pub fn decode_session_id(session_id: &str) -> Result<SessionIdInfo> {
    let value = normalize_session_id(session_id);
    if value.is_empty() {
        return Err(invalid("it is empty"));
    }
    let (compressed, value) = match value.strip_prefix('.') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    let mut parts = value.split(':');
    let (Some(payload), Some(timestamp), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid(
            "it is not of the form <payload>:<timestamp>:<signature>",
        ));
    };
    let engine = GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let raw = engine
        .decode(payload)
        .map_err(|_| invalid("its payload is not URL-safe base64"))?;
    let json = if compressed {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(raw.as_slice())
            .take(MAX_PAYLOAD + 1)
            .read_to_end(&mut out)
            .map_err(|_| invalid("its payload is not zlib data"))?;
        if out.len() as u64 > MAX_PAYLOAD {
            return Err(invalid("its payload is too large"));
        }
        out
    } else {
        raw
    };
    let payload: Payload = serde_json::from_slice(&json)
        .map_err(|_| invalid("its payload is not a session (username, _auth_user_id, token)"))?;
    if payload.username.is_empty() || payload.token.is_empty() {
        return Err(invalid("its payload has an empty username or token"));
    }
    Ok(SessionIdInfo {
        username: payload.username,
        user_id: payload.user_id,
        x_token: XToken::new(payload.token),
        login_time: decode_base62(timestamp)
            .and_then(|s| i64::try_from(s).ok())
            .and_then(Timestamp::from_unix_seconds),
        language: payload.language.filter(|l| !l.is_empty()),
    })
}

/// Decodes Django's base62 (`0-9A-Za-z`, most significant digit first); `None` when empty,
/// not base62, or too large.
pub(crate) fn decode_base62(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0u64, |acc, b| {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'A'..=b'Z' => b - b'A' + 10,
            b'a'..=b'z' => b - b'a' + 36,
            _ => return None,
        };
        acc.checked_mul(62)?.checked_add(u64::from(digit))
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    /// The test vector of auth.md §3.4.
    pub(crate) const VECTOR: &str = ".eJyNjk0PgjAMhv_LzjgBP1CPGo_e9LzsS5jAatiIRuN_tyUkhpvtpe37tn3erA-287K1bMeC9EbBU9CIJUzIPlZDI5xBOUspMlSiDVED1I62HtDV1kz9SuraeloyN-lL4Bp87JziZOGjGvgJjG32oxfPAhY_jqFNs3yxXK2LzVYqbewVbQ2Uzs_cnZDygqeYBCUa_NTLkpjwTDK-FtG19gWexseo55fzYcpayVChlv4Z7PMFjjdhBg:1vb66i:SANDBOXSIGNATURE";

    fn encode_base62(mut n: u64) -> String {
        const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let mut out = Vec::new();
        loop {
            out.push(DIGITS[(n % 62) as usize]);
            n /= 62;
            if n == 0 {
                break;
            }
        }
        out.reverse();
        String::from_utf8(out).unwrap()
    }

    /// Mints a cookie value like the sandbox does (for tests).
    pub(crate) fn mint(json: &str, compress: bool, time: u64) -> String {
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let payload = if compress {
            let mut enc =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(json.as_bytes()).unwrap();
            format!(".{}", engine.encode(enc.finish().unwrap()))
        } else {
            engine.encode(json)
        };
        format!("{payload}:{}:sig-NOT-CHECKED", encode_base62(time))
    }

    #[test]
    fn decodes_the_reference_vector_quoted_or_not() {
        for input in [
            VECTOR.to_owned(),
            format!("\"{VECTOR}\""),
            format!("  scratchsessionsid=\"{VECTOR}\"; "),
        ] {
            let info = decode_session_id(&input).unwrap();
            assert_eq!(info.username, "sandbox_user");
            assert_eq!(info.user_id, UserId(1000001));
            assert_eq!(info.x_token.expose_secret(), "sandboxtoken0123456789abcdef");
            assert_eq!(info.login_time.unwrap().unix_seconds(), 1767225600);
            assert_eq!(info.language.as_deref(), Some("en"));
        }
    }

    #[test]
    fn base62_matches_the_reference() {
        assert_eq!(decode_base62("1vb66i"), Some(1767225600));
        assert_eq!(decode_base62("0"), Some(0));
        assert_eq!(decode_base62("z"), Some(61));
        assert_eq!(decode_base62("10"), Some(62));
        assert_eq!(decode_base62(""), None);
        assert_eq!(decode_base62("a-b"), None);
        assert_eq!(decode_base62(&"z".repeat(20)), None, "overflow is refused");
        for n in [0, 1, 61, 62, 3843, 1767225600, u64::MAX] {
            assert_eq!(decode_base62(&encode_base62(n)), Some(n));
        }
    }

    #[test]
    fn round_trips_compressed_and_uncompressed() {
        let json = r#"{"username":"griffpatch","_auth_user_id":"1882674","token":"tok-SECRET","_language":""}"#;
        for compress in [true, false] {
            let value = mint(json, compress, 1_700_000_000);
            assert_eq!(value.starts_with('.'), compress);
            let info = decode_session_id(&value).unwrap();
            assert_eq!(info.username, "griffpatch");
            assert_eq!(info.user_id, UserId(1882674));
            assert_eq!(info.x_token.expose_secret(), "tok-SECRET");
            assert_eq!(info.login_time.unwrap().unix_seconds(), 1_700_000_000);
            assert_eq!(info.language, None, "an empty language is no language");
            let debug = format!("{info:?}");
            assert!(!debug.contains("tok-SECRET"), "{debug}");
            assert!(debug.contains("griffpatch"));
        }
        // The user id may also be a number.
        let value = mint(r#"{"username":"a","_auth_user_id":5,"token":"t"}"#, true, 1);
        assert_eq!(decode_session_id(&value).unwrap().user_id, UserId(5));
    }

    #[test]
    fn bad_values_are_typed_errors_without_the_secret() {
        let cases = [
            String::new(),
            "\"\"".to_owned(),
            "no-colons-SECRET".to_owned(),
            "a:b:c:d-SECRET".to_owned(),
            ".!!!:1vb66i:SECRET".to_owned(),
            // Valid base64, not zlib.
            ".aGVsbG8:1vb66i:SECRET".to_owned(),
            // Uncompressed but not JSON.
            "aGVsbG8:1vb66i:SECRET".to_owned(),
            // JSON without a token.
            mint(r#"{"username":"a","_auth_user_id":"1"}"#, true, 1),
            mint(
                r#"{"username":"","_auth_user_id":"1","token":"x"}"#,
                true,
                1,
            ),
            mint(
                r#"{"username":"a","_auth_user_id":"x1","token":"x"}"#,
                false,
                1,
            ),
        ];
        for case in &cases {
            let err = decode_session_id(case).unwrap_err();
            let Error::InvalidInput { what, reason } = &err else {
                panic!("{err:?}");
            };
            assert_eq!(*what, "session id");
            assert!(!reason.contains("SECRET") && !err.to_string().contains("SECRET"));
        }
    }

    #[test]
    fn a_bad_timestamp_only_loses_the_login_time() {
        let value = mint(
            r#"{"username":"a","_auth_user_id":"1","token":"t"}"#,
            true,
            5,
        );
        let (head, _) = value.split_once(':').unwrap();
        let info = decode_session_id(&format!("{head}:#:sig")).unwrap();
        assert_eq!(info.login_time, None);
        assert_eq!(info.username, "a");
    }

    #[test]
    fn inflating_is_bounded() {
        let json = format!(
            r#"{{"username":"a","_auth_user_id":"1","token":"t","pad":"{}"}}"#,
            "x".repeat(200_000)
        );
        let err = decode_session_id(&mint(&json, true, 1)).unwrap_err();
        assert!(err.to_string().contains("too large"), "{err}");
    }
}
