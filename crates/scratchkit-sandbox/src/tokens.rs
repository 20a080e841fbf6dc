//! Project tokens: `<unix seconds>_<128 hex chars>`, like the live API's, signed with the
//! sandbox's secret so that the projects host can check them statelessly.
//!
//! The signature is four HMAC-MD5 blocks of `project:<id>:<issued>:<block>` (4 × 16 bytes).
//! The MAC is keyed once per sandbox ([`ProjectTokens::new`]) and cloned per block: a token
//! is made on every `GET /api/projects/<id>`. (HMAC's strength does not rest on the hash's
//! collision resistance; MD5 costs half of SHA-1 here and gives 64 bytes in 4 blocks.)

use hmac::{KeyInit, Mac};

use crate::asciibuf::AsciiBuf;

type HmacMd5 = hmac::Hmac<md5::Md5>;

/// How long a project token is accepted.
pub(crate) const PROJECT_TOKEN_TTL: i64 = 600;

/// Hex characters of a signature (64 bytes of MAC output).
const SIGNATURE_HEX_LEN: usize = 128;

/// Hex characters of one MAC block (16 bytes).
const BLOCK_HEX_LEN: usize = 32;

/// MAC blocks in a signature.
const BLOCKS: u8 = 4;

/// The lowercase hex digits, by value.
const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Writes `bytes` as lowercase hex into `out` (two characters per byte; stops when `out` is
/// full).
fn encode_hex(bytes: &[u8], out: &mut [u8]) {
    for (byte, pair) in bytes.iter().zip(out.chunks_exact_mut(2)) {
        pair[0] = HEX_DIGITS[usize::from(byte >> 4)];
        pair[1] = HEX_DIGITS[usize::from(byte & 0x0f)];
    }
}

/// Issues and checks project tokens with a MAC keyed once from the sandbox's secret.
#[derive(Clone)]
pub(crate) struct ProjectTokens {
    /// HMAC-MD5 with the key already absorbed (cloned for every block).
    keyed: HmacMd5,
}

impl std::fmt::Debug for ProjectTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The keyed state is secret.
        f.write_str("ProjectTokens(..)")
    }
}

impl ProjectTokens {
    /// Keys the MAC with `secret` (HMAC zero-pads a key shorter than a SHA-1 block, so this
    /// is HMAC with `secret` itself; MD5's block is 64 bytes too).
    pub(crate) fn new(secret: &[u8; 32]) -> Self {
        let mut key = [0u8; 64];
        key[..secret.len()].copy_from_slice(secret);
        ProjectTokens {
            keyed: HmacMd5::new(&key.into()),
        }
    }

    /// The 128 lowercase hex characters that sign `project_id` issued at `issued`.
    fn signature(&self, project_id: i64, issued: i64) -> [u8; SIGNATURE_HEX_LEN] {
        let mut message = AsciiBuf::<64>::new();
        message.push_str("project:");
        message.push_i64(project_id);
        message.push_str(":");
        message.push_i64(issued);
        message.push_str(":");
        let mut hex = [0u8; SIGNATURE_HEX_LEN];
        for (block, out) in (0..BLOCKS).zip(hex.chunks_exact_mut(BLOCK_HEX_LEN)) {
            let mut mac = self.keyed.clone();
            mac.update(message.as_str().as_bytes());
            mac.update(&[b'0' + block]);
            encode_hex(&mac.finalize().into_bytes(), out);
        }
        hex
    }

    /// A token for `project_id` issued at `issued` (Unix seconds).
    pub(crate) fn issue(&self, project_id: i64, issued: i64) -> String {
        let mut stamp = AsciiBuf::<24>::new();
        stamp.push_i64(issued);
        let signature = self.signature(project_id, issued);
        let mut token = String::with_capacity(stamp.as_str().len() + 1 + SIGNATURE_HEX_LEN);
        token.push_str(stamp.as_str());
        token.push('_');
        token.push_str(std::str::from_utf8(&signature).unwrap_or(""));
        token
    }

    /// True when `token` was issued by this sandbox for `project_id` and has not expired at
    /// `now`.
    pub(crate) fn verify(&self, project_id: i64, token: &str, now: i64) -> bool {
        let Some((issued, sig)) = token.split_once('_') else {
            return false;
        };
        let Ok(issued) = issued.parse::<i64>() else {
            return false;
        };
        let Some(expires) = issued.checked_add(PROJECT_TOKEN_TTL) else {
            return false;
        };
        if !(issued..=expires).contains(&now) || sig.len() != SIGNATURE_HEX_LEN {
            return false;
        }
        // Compared without an early exit.
        let expected = self.signature(project_id, issued);
        expected
            .iter()
            .zip(sig.as_bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(secret: u8) -> ProjectTokens {
        ProjectTokens::new(&[secret; 32])
    }

    #[test]
    fn tokens_look_real_and_verify() {
        let t = tokens(7);
        let token = t.issue(142, 1_700_000_000);
        let (ts, hex) = token.split_once('_').unwrap();
        assert_eq!(ts, "1700000000");
        assert_eq!(hex.len(), 128);
        assert!(
            hex.chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        );
        assert!(t.verify(142, &token, 1_700_000_000));
        assert!(t.verify(142, &token, 1_700_000_600));
        assert_eq!(t.issue(142, 1_700_000_000), token, "deterministic");
    }

    #[test]
    fn wrong_project_secret_or_time_is_refused() {
        let t = tokens(7);
        let token = t.issue(142, 1_700_000_000);
        assert!(!t.verify(143, &token, 1_700_000_100));
        assert!(!tokens(8).verify(142, &token, 1_700_000_100));
        assert!(!t.verify(142, &token, 1_700_000_601), "expired");
        assert!(!t.verify(142, &token, 1_699_999_999), "not yet issued");
        assert!(!t.verify(142, "garbage", 1_700_000_100));
        assert!(!t.verify(142, "1700000000_abc", 1_700_000_100));
        assert!(!t.verify(142, &format!("{}_{}", i64::MAX, "0".repeat(128)), i64::MAX));
        // Another issue time signs differently.
        let (_, sig) = token.split_once('_').unwrap();
        assert!(!t.verify(142, &format!("1700000001_{sig}"), 1_700_000_100));
        // One flipped character is refused.
        let mut bad = token.clone().into_bytes();
        let last = bad.len() - 1;
        bad[last] = if bad[last] == b'0' { b'1' } else { b'0' };
        assert!(!t.verify(142, std::str::from_utf8(&bad).unwrap(), 1_700_000_100));
    }

    #[test]
    fn signature_is_hmac_md5_of_each_block_message() {
        // Same MAC as keying from the 32-byte secret directly, in hex as `{:02x}` writes it.
        let secret = [7u8; 32];
        let mut expected = String::new();
        for block in 0..4 {
            let mut mac = HmacMd5::new_from_slice(&secret).unwrap();
            mac.update(format!("project:-5:1700000000:{block}").as_bytes());
            for byte in mac.finalize().into_bytes() {
                expected.push_str(&format!("{byte:02x}"));
            }
        }
        let token = ProjectTokens::new(&secret).issue(-5, 1_700_000_000);
        assert_eq!(token, format!("1700000000_{expected}"));
    }

    #[test]
    fn hex_matches_format() {
        let bytes: Vec<u8> = (0..=255).collect();
        let mut out = vec![0u8; 512];
        encode_hex(&bytes, &mut out);
        let expected: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(std::str::from_utf8(&out).unwrap(), expected);
    }

    #[test]
    fn debug_hides_the_key() {
        assert_eq!(format!("{:?}", tokens(7)), "ProjectTokens(..)");
    }
}
