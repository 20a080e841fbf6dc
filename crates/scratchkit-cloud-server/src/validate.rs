//! The server's validation rules: values, names, usernames, room ids, headers.

use http::HeaderMap;
use http::header::{COOKIE, USER_AGENT};

/// The `☁ ` prefix of cloud variable names.
pub const CLOUD_PREFIX: &str = "\u{2601} ";

/// TurboWarp's value rule: `^-?[0-9]*\.?[0-9]*$`, except `"."` and `"-"`.
pub(crate) fn is_numeric_value(value: &str) -> bool {
    if value == "." || value == "-" {
        return false;
    }
    let rest = value.strip_prefix('-').unwrap_or(value);
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    int.bytes().all(|b| b.is_ascii_digit()) && frac.bytes().all(|b| b.is_ascii_digit())
}

/// A cloud variable name: `☁ ` (or `:cloud: `) followed by something, at most 1024 UTF-16
/// units.
pub(crate) fn is_valid_name(name: &str) -> bool {
    let rest = name
        .strip_prefix(CLOUD_PREFIX)
        .or_else(|| name.strip_prefix(":cloud: "));
    matches!(rest, Some(rest) if !rest.is_empty()) && name.encode_utf16().count() <= 1024
}

/// 1–20 characters of `[A-Za-z0-9_-]`.
pub(crate) fn is_valid_username(user: &str) -> bool {
    (1..=20).contains(&user.len())
        && user
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Whether the request carries a `scratchsessionsid` cookie.
pub(crate) fn has_scratch_cookie(headers: &HeaderMap) -> bool {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .any(|cookie| cookie.trim_start().starts_with("scratchsessionsid="))
}

/// Whether the request has a non-empty User-Agent.
pub(crate) fn has_user_agent(headers: &HeaderMap) -> bool {
    headers
        .get(USER_AGENT)
        .is_some_and(|value| !value.as_bytes().iter().all(u8::is_ascii_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_follow_turbowarps_rule() {
        for ok in ["123", "-4.5", "", "-0", "00", ".5", "5.", "-."] {
            assert!(is_numeric_value(ok), "{ok}");
        }
        for bad in [
            "+1", " 1", "1e5", "0x03", "1,000", "NaN", "Infinity", "true", ".", "-", "١",
        ] {
            assert!(!is_numeric_value(bad), "{bad}");
        }
    }

    #[test]
    fn names_need_a_prefix_and_something_after_it() {
        assert!(is_valid_name("☁ score"));
        assert!(is_valid_name(":cloud: score"));
        assert!(!is_valid_name("☁ "));
        assert!(!is_valid_name("score"));
        assert!(!is_valid_name(&format!("☁ {}", "x".repeat(1023))));
        assert!(is_valid_name(&format!("☁ {}", "x".repeat(1022))));
    }

    #[test]
    fn usernames() {
        assert!(is_valid_username("griffpatch_-9"));
        assert!(!is_valid_username(""));
        assert!(!is_valid_username("a b"));
        assert!(!is_valid_username(&"a".repeat(21)));
        assert!(!is_valid_username("é"));
    }

    #[test]
    fn cookies_are_found_anywhere_in_the_header() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, "a=b; scratchsessionsid=x".parse().unwrap());
        assert!(has_scratch_cookie(&headers));
        headers.insert(COOKIE, "scratchcsrftoken=x".parse().unwrap());
        assert!(!has_scratch_cookie(&headers));
    }
}
