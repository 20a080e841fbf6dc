//! A token bucket that paces outgoing cloud messages.

use std::time::Duration;

use tokio::time::Instant;

/// The longest a single wait can be, whatever the configured rate.
const MAX_WAIT: Duration = Duration::from_secs(24 * 60 * 60);

/// How fast a connection may send: a sustained rate and a burst.
///
/// Scratch's server "bumps off" clients that send more than about 10 messages per second.
///
/// ```
/// use scratchkit::cloud::RateLimit;
///
/// let polite = RateLimit::new(10.0, 10);
/// assert_eq!(polite, RateLimit::scratch());
/// assert!(RateLimit::unlimited().is_unlimited());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Sustained messages per second. Zero, negative or non-finite means unlimited.
    pub per_second: f64,
    /// Messages that may be sent at once after a quiet period (at least 1).
    pub burst: u32,
}

impl RateLimit {
    /// `per_second` messages per second with bursts of `burst`.
    pub fn new(per_second: f64, burst: u32) -> Self {
        RateLimit { per_second, burst }
    }

    /// The default on Scratch's rules: 10/s, burst 10 (TurboWarp's rules default to
    /// [`unlimited`](Self::unlimited): its server has no inbound limit).
    pub fn scratch() -> Self {
        RateLimit::new(10.0, 10)
    }

    /// No pacing at all.
    pub fn unlimited() -> Self {
        RateLimit::new(f64::INFINITY, u32::MAX)
    }

    /// Whether this limit lets everything through at once.
    pub fn is_unlimited(&self) -> bool {
        !(self.per_second.is_finite() && self.per_second > 0.0)
    }
}

/// A token bucket: starts full (`burst` tokens), refills at `per_second` tokens per second.
///
/// Taking more tokens than the burst is allowed once the bucket is full: the bucket goes into
/// debt and later messages wait longer, so the sustained rate always holds.
///
/// ```
/// use std::time::Duration;
/// use scratchkit::cloud::{RateLimit, TokenBucket};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let mut bucket = TokenBucket::new(RateLimit::new(10.0, 2));
/// let now = tokio::time::Instant::now();
/// assert_eq!(bucket.wait_time(1, now), Duration::ZERO);
/// bucket.take(2, now);
/// assert_eq!(bucket.wait_time(1, now), Duration::from_millis(100));
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct TokenBucket {
    limit: RateLimit,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket for `limit`.
    pub fn new(limit: RateLimit) -> Self {
        TokenBucket {
            limit,
            tokens: f64::from(limit.burst.max(1)),
            last: Instant::now(),
        }
    }

    fn capacity(&self) -> f64 {
        f64::from(self.limit.burst.max(1))
    }

    fn refill(&mut self, now: Instant) {
        if now > self.last {
            let elapsed = now.duration_since(self.last).as_secs_f64();
            self.tokens = (self.tokens + elapsed * self.limit.per_second).min(self.capacity());
            self.last = now;
        }
    }

    /// How long to wait from `now` until `n` messages may be sent (`n` is capped at the burst;
    /// the wait at one day).
    pub fn wait_time(&mut self, n: u32, now: Instant) -> Duration {
        if self.limit.is_unlimited() {
            return Duration::ZERO;
        }
        self.refill(now);
        let needed = f64::from(n.max(1)).min(self.capacity());
        if self.tokens >= needed {
            Duration::ZERO
        } else {
            Duration::try_from_secs_f64((needed - self.tokens) / self.limit.per_second)
                .unwrap_or(MAX_WAIT)
                .min(MAX_WAIT)
        }
    }

    /// Takes `n` tokens at `now` (the bucket may go into debt).
    pub fn take(&mut self, n: u32, now: Instant) {
        if self.limit.is_unlimited() {
            return;
        }
        self.refill(now);
        self.tokens -= f64::from(n);
    }

    /// Waits until `n` messages may be sent, then takes their tokens.
    pub async fn acquire(&mut self, n: u32) {
        let wait = self.wait_time(n, Instant::now());
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        self.take(n, Instant::now());
    }
}
