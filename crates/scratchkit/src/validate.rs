//! Checks of handler arguments made before anything is sent, and path-segment encoding.

use crate::error::{Error, Result};

/// Checks a username with the wire contract's rule
/// ([`check_username`](scratchkit_wire::limits::check_username)): 1 to 20 characters of
/// `A-Z a-z 0-9 _ -`.
///
/// Scratch registers names of 3 to 20 such characters today; the lower bound is relaxed to 1
/// because accounts from the site's first years have shorter names. Deleted accounts
/// (`gdpr0000001`) fit too.
///
/// # Errors
/// [`Error::InvalidInput`] with `what: "username"`.
pub(crate) fn username(name: &str) -> Result<&str> {
    scratchkit_wire::limits::check_username(name)
        .map(|()| name)
        .map_err(|problem| Error::invalid("username", problem.to_string()))
}

/// Checks that a text argument (`what`) is not empty or only whitespace.
///
/// # Errors
/// [`Error::InvalidInput`] with `what`.
pub(crate) fn not_blank<'a>(what: &'static str, value: &'a str) -> Result<&'a str> {
    if value.trim().is_empty() {
        Err(Error::invalid(what, "must not be empty"))
    } else {
        Ok(value)
    }
}

/// `value` percent-encoded for use as one path segment: everything except `A-Z a-z 0-9 - . _ ~`
/// is encoded (so `/`, `?`, `#`, `%` and spaces cannot change the path).
pub(crate) fn segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    // `.` and `..` alone would be read as relative segments.
    match out.as_str() {
        "." => "%2E".to_owned(),
        ".." => "%2E%2E".to_owned(),
        _ => out,
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        for ok in [
            "mres",
            "griffpatch",
            "a",
            "ab",
            "Scratch_Cat-2",
            "gdpr0000001",
        ] {
            assert_eq!(username(ok).unwrap(), ok);
        }
        assert_eq!(username(&"x".repeat(20)).unwrap().len(), 20);
        for bad in ["", "has space", "a/b", "ScratchCat*", "émile", "a?b"] {
            assert!(
                matches!(
                    username(bad),
                    Err(Error::InvalidInput {
                        what: "username",
                        ..
                    })
                ),
                "{bad:?}"
            );
        }
        assert!(username(&"x".repeat(21)).is_err());
    }

    #[test]
    fn blank_text() {
        assert_eq!(not_blank("query", " a ").unwrap(), " a ");
        assert!(matches!(
            not_blank("query", " \t"),
            Err(Error::InvalidInput { what: "query", .. })
        ));
    }

    #[test]
    fn segments_are_encoded() {
        assert_eq!(segment("mres"), "mres");
        assert_eq!(segment("a_b-c.d~e"), "a_b-c.d~e");
        assert_eq!(segment("a/b c?d#e%f&"), "a%2Fb%20c%3Fd%23e%25f%26");
        assert_eq!(segment("é"), "%C3%A9");
        assert_eq!(segment(".."), "%2E%2E");
        assert_eq!(segment("."), "%2E");
    }
}
