//! Short ASCII text assembled on the stack (URLs, dates, token messages), with integers
//! written digit by digit instead of through `core::fmt`: these run several times per item
//! of every list the api serves.

/// The two-digit decimal strings `00` to `99`, back to back.
const DIGIT_PAIRS: &[u8; 200] = b"\
0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// At most `N` bytes of ASCII text. Pushing past `N` bytes drops what does not fit (sizes
/// are chosen so that the longest text of each use fits; tests check those).
#[derive(Clone, Copy)]
pub(crate) struct AsciiBuf<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> AsciiBuf<N> {
    /// An empty buffer.
    pub(crate) const fn new() -> Self {
        AsciiBuf {
            bytes: [0; N],
            len: 0,
        }
    }

    /// Appends raw ASCII bytes (as many as fit).
    fn push_bytes(&mut self, bytes: &[u8]) {
        let end = (self.len + bytes.len()).min(N);
        let take = end - self.len;
        self.bytes[self.len..end].copy_from_slice(&bytes[..take]);
        self.len = end;
    }

    /// Appends `text`, which must be ASCII (the callers push literals).
    pub(crate) fn push_str(&mut self, text: &str) {
        debug_assert!(text.is_ascii());
        self.push_bytes(text.as_bytes());
    }

    /// Appends `n` in decimal, as `Display` writes it (`-` for negatives, no padding).
    pub(crate) fn push_i64(&mut self, n: i64) {
        if n < 0 {
            self.push_bytes(b"-");
        }
        self.push_u64(n.unsigned_abs());
    }

    /// Appends `n` in decimal.
    pub(crate) fn push_u64(&mut self, mut n: u64) {
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        while n >= 100 {
            let pair = usize::try_from(n % 100).unwrap_or(0) * 2;
            n /= 100;
            start -= 2;
            digits[start..start + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
        }
        if n >= 10 {
            let pair = usize::try_from(n).unwrap_or(0) * 2;
            start -= 2;
            digits[start..start + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
        } else {
            start -= 1;
            digits[start] = b'0' + u8::try_from(n).unwrap_or(0);
        }
        self.push_bytes(&digits[start..]);
    }

    /// Appends `n` (0..=99) as exactly two digits, zero-padded (`{:02}`).
    pub(crate) fn push_two_digits(&mut self, n: u8) {
        let pair = usize::from(n % 100) * 2;
        self.push_bytes(&DIGIT_PAIRS[pair..pair + 2]);
    }

    /// The text so far.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII is ever pushed, so this never fails.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
}

/// Appends `n` in decimal to `out`, as `Display` writes it.
pub(crate) fn push_decimal(out: &mut String, n: i64) {
    let mut digits = AsciiBuf::<20>::new();
    digits.push_i64(n);
    out.push_str(digits.as_str());
}

impl<const N: usize> Default for AsciiBuf<N> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decimal(n: i64) -> String {
        let mut buf = AsciiBuf::<24>::new();
        buf.push_i64(n);
        buf.as_str().to_owned()
    }

    #[test]
    fn integers_match_display() {
        let mut samples = vec![
            0,
            1,
            -1,
            9,
            10,
            11,
            99,
            100,
            101,
            999,
            1000,
            -1000,
            2_000_002_010,
            1_748_736_000,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
        ];
        let mut n: i64 = 1;
        while let Some(next) = n.checked_mul(7) {
            samples.extend([n, n - 1, n + 1, -n]);
            n = next;
        }
        for n in samples {
            assert_eq!(decimal(n), n.to_string(), "{n}");
        }
        let mut text = String::from("x");
        push_decimal(&mut text, i64::MIN);
        assert_eq!(text, format!("x{}", i64::MIN));
        let mut buf = AsciiBuf::<20>::new();
        buf.push_u64(u64::MAX);
        assert_eq!(buf.as_str(), u64::MAX.to_string());
    }

    #[test]
    fn two_digits_are_zero_padded() {
        for n in 0u8..100 {
            let mut buf = AsciiBuf::<2>::new();
            buf.push_two_digits(n);
            assert_eq!(buf.as_str(), format!("{n:02}"));
        }
    }

    #[test]
    fn text_that_does_not_fit_is_dropped() {
        let mut buf = AsciiBuf::<5>::new();
        buf.push_str("abc");
        buf.push_i64(12345);
        assert_eq!(buf.as_str(), "abc12");
        buf.push_str("x");
        assert_eq!(buf.as_str(), "abc12");
    }
}
