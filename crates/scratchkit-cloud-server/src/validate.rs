//! The server's validation rules: values, names, usernames and room ids come from the wire
//! contract (`scratchkit-wire`); the header checks are the server's own.

use http::HeaderMap;
use http::header::{COOKIE, USER_AGENT};

/// The `☁ ` prefix of cloud variable names (the wire contract's).
pub use scratchkit_wire::cloud::CLOUD_PREFIX;
pub(crate) use scratchkit_wire::cloud::{
    is_numeric_value, is_valid_full_name as is_valid_name, is_valid_room_id,
};

/// A handshake username: 1–20 characters of `[A-Za-z0-9_-]` (the wire contract's rule).
pub(crate) fn is_valid_username(user: &str) -> bool {
    scratchkit_wire::limits::check_username(user).is_ok()
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
    fn cookies_are_found_anywhere_in_the_header() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, "a=b; scratchsessionsid=x".parse().unwrap());
        assert!(has_scratch_cookie(&headers));
        headers.insert(COOKIE, "scratchcsrftoken=x".parse().unwrap());
        assert!(!has_scratch_cookie(&headers));
    }
}
