//! Project tokens: `<unix seconds>_<128 hex chars>`, like the live API's, signed with the
//! sandbox's secret so that the projects host (a later issue) can check them statelessly.

use std::fmt::Write as _;

use hmac::{KeyInit, Mac};

type HmacSha1 = hmac::Hmac<sha1::Sha1>;

/// How long a project token is accepted.
#[allow(dead_code)] // used by the projects host
pub(crate) const PROJECT_TOKEN_TTL: i64 = 600;

fn signature(secret: &[u8], project_id: i64, issued: i64) -> String {
    let mut hex = String::with_capacity(160);
    for block in 0u8..4 {
        let Ok(mut mac) = HmacSha1::new_from_slice(secret) else {
            return String::new();
        };
        mac.update(format!("project:{project_id}:{issued}:{block}").as_bytes());
        for byte in mac.finalize().into_bytes() {
            // Into the buffer, not through a `String` per byte: this runs on every project read.
            let _ = write!(hex, "{byte:02x}");
        }
    }
    hex.truncate(128);
    hex
}

/// A token for `project_id` issued at `issued` (Unix seconds).
pub(crate) fn project_token(secret: &[u8], project_id: i64, issued: i64) -> String {
    format!("{issued}_{}", signature(secret, project_id, issued))
}

/// True when `token` was issued by this sandbox for `project_id` and has not expired at `now`.
#[allow(dead_code)] // used by the projects host
pub(crate) fn verify_project_token(secret: &[u8], project_id: i64, token: &str, now: i64) -> bool {
    let Some((issued, sig)) = token.split_once('_') else {
        return false;
    };
    let Ok(issued) = issued.parse::<i64>() else {
        return false;
    };
    (issued..=issued + PROJECT_TOKEN_TTL).contains(&now)
        && signature(secret, project_id, issued) == sig
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_look_real_and_verify() {
        let token = project_token(b"secret", 142, 1_700_000_000);
        let (ts, hex) = token.split_once('_').unwrap();
        assert_eq!(ts, "1700000000");
        assert_eq!(hex.len(), 128);
        assert!(hex.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(verify_project_token(b"secret", 142, &token, 1_700_000_100));
        assert!(!verify_project_token(b"secret", 143, &token, 1_700_000_100));
        assert!(!verify_project_token(b"other", 142, &token, 1_700_000_100));
        assert!(!verify_project_token(b"secret", 142, &token, 1_700_009_000));
        assert!(!verify_project_token(
            b"secret",
            142,
            "garbage",
            1_700_000_100
        ));
    }
}
