//! When and how long to wait before retrying a request.

use std::time::{Duration, SystemTime};

use rand::Rng;

/// How the client retries requests that failed in a way that may pass.
///
/// Only **idempotent** requests (GET and HEAD) are retried, and only on HTTP 429, 502, 503, 504
/// and broken connections (refused, reset, closed mid-response). POST, PUT and DELETE are never
/// retried. Timeouts are not retried either: a request that timed out may be slow rather than
/// lost, and retrying it would multiply the time a caller waits (raise the
/// [timeout](crate::ClientBuilder::timeout) instead).
///
/// The wait before retry *n* (counting from 0) is capped exponential backoff with "equal
/// jitter": with `d = min(max_delay, base_delay × 2ⁿ)`, a random duration in `[d/2, d]`. When
/// the server sends `Retry-After` (in seconds, or an HTTP date), that wait is used instead, but
/// never more than `max_delay`. Every attempt also goes through the client's
/// [`RateLimit`](crate::RateLimit).
///
/// Default: 3 retries (4 attempts in all), 500 ms base delay, 30 s cap.
///
/// ```
/// use std::time::Duration;
/// use scratchkit::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .with_max_retries(5)
///     .with_base_delay(Duration::from_millis(200));
/// assert_eq!(policy.max_retries(), 5);
/// assert_eq!(policy.max_delay(), Duration::from_secs(30));
/// assert_eq!(RetryPolicy::none().max_retries(), 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// A policy with the given number of retries, base delay and cap.
    pub fn new(max_retries: u32, base_delay: Duration, max_delay: Duration) -> Self {
        Self {
            max_retries,
            base_delay,
            max_delay,
        }
    }

    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Sets how many times a request may be retried (so `n + 1` attempts in all).
    pub fn with_max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// Sets the delay before the first retry (before jitter).
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Sets the longest wait between two attempts, `Retry-After` included.
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// How many times a request may be retried.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The delay before the first retry (before jitter).
    pub fn base_delay(&self) -> Duration {
        self.base_delay
    }

    /// The longest wait between two attempts.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// The exponential part of the wait before retry number `retry` (0-based), before jitter:
    /// `min(max_delay, base_delay × 2^retry)`.
    pub fn ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        self.base_delay
            .checked_mul(factor)
            .unwrap_or(Duration::MAX)
            .min(self.max_delay)
    }

    /// The wait before retry number `retry` (0-based): a random duration in
    /// `[ceiling/2, ceiling]` (see [`ceiling`](RetryPolicy::ceiling)), or the server's
    /// `retry_after` capped at [`max_delay`](RetryPolicy::max_delay) when it sent one.
    ///
    /// A pure function of its inputs (the randomness comes from `rng`).
    pub fn delay<R: Rng + ?Sized>(
        &self,
        retry: u32,
        retry_after: Option<Duration>,
        rng: &mut R,
    ) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.max_delay);
        }
        let ceiling = self.ceiling(retry);
        let half = ceiling / 2;
        let spread = (ceiling - half).as_nanos();
        let extra = u64::try_from(spread).unwrap_or(u64::MAX);
        half + Duration::from_nanos(rng.random_range(0..=extra))
    }
}

/// Parses a `Retry-After` header value: a number of seconds, or an HTTP date (then the time
/// left from `now`; zero if it is in the past). `None` for anything else.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>()
        && secs.is_finite()
        && secs >= 0.0
    {
        return Duration::try_from_secs_f64(secs).ok();
    }
    let date =
        time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822).ok()?;
    let at = SystemTime::from(date);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn policy() -> RetryPolicy {
        RetryPolicy::new(5, Duration::from_millis(100), Duration::from_secs(1))
    }

    #[test]
    fn ceiling_doubles_then_caps() {
        let p = policy();
        assert_eq!(p.ceiling(0), Duration::from_millis(100));
        assert_eq!(p.ceiling(1), Duration::from_millis(200));
        assert_eq!(p.ceiling(3), Duration::from_millis(800));
        assert_eq!(p.ceiling(4), Duration::from_secs(1));
        assert_eq!(p.ceiling(40), Duration::from_secs(1));
        assert_eq!(p.ceiling(u32::MAX), Duration::from_secs(1));
        let huge = RetryPolicy::new(1, Duration::MAX, Duration::MAX);
        assert_eq!(huge.ceiling(3), Duration::MAX);
    }

    #[test]
    fn jitter_stays_within_half_and_full_ceiling() {
        let p = policy();
        let mut rng = StdRng::seed_from_u64(7);
        for retry in 0..8 {
            let ceiling = p.ceiling(retry);
            let mut seen_low = false;
            let mut seen_high = false;
            for _ in 0..500 {
                let d = p.delay(retry, None, &mut rng);
                assert!(d >= ceiling / 2 && d <= ceiling, "{retry}: {d:?}");
                seen_low |= d < ceiling * 3 / 4;
                seen_high |= d > ceiling * 3 / 4;
            }
            // Really random, not a constant.
            assert!(seen_low && seen_high, "retry {retry}");
        }
    }

    #[test]
    fn retry_after_is_honoured_but_capped() {
        let p = policy();
        let mut rng = StdRng::seed_from_u64(1);
        assert_eq!(
            p.delay(0, Some(Duration::from_millis(300)), &mut rng),
            Duration::from_millis(300)
        );
        assert_eq!(
            p.delay(0, Some(Duration::from_secs(120)), &mut rng),
            Duration::from_secs(1)
        );
        assert_eq!(p.delay(2, Some(Duration::ZERO), &mut rng), Duration::ZERO);
    }

    #[test]
    fn zero_base_delay_means_no_wait() {
        let p = RetryPolicy::new(3, Duration::ZERO, Duration::from_secs(1));
        let mut rng = StdRng::seed_from_u64(3);
        assert_eq!(p.delay(2, None, &mut rng), Duration::ZERO);
    }

    #[test]
    fn retry_after_parsing() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_470); // 2015-10-21 07:27:50 UTC
        assert_eq!(parse_retry_after("1", now), Some(Duration::from_secs(1)));
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("1.5", now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }

    #[test]
    fn defaults_and_setters() {
        let d = RetryPolicy::default();
        assert_eq!(d.max_retries(), 3);
        assert_eq!(d.base_delay(), Duration::from_millis(500));
        assert_eq!(d.max_delay(), Duration::from_secs(30));
        let p = d
            .with_max_retries(1)
            .with_base_delay(Duration::from_millis(1))
            .with_max_delay(Duration::from_millis(10));
        assert_eq!(
            p,
            RetryPolicy::new(1, Duration::from_millis(1), Duration::from_millis(10))
        );
    }
}
