//! The one rate limit type and its token bucket: the client's requests and the cloud
//! connection's messages are paced by the same code.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// The longest a single wait can be, whatever the configured rate.
const MAX_WAIT: Duration = Duration::from_secs(24 * 60 * 60);

/// How fast something may be sent: requests of a [`Client`](crate::Client) (shared by all its
/// clones), or messages of a [cloud connection](crate::cloud::CloudConfig::with_rate_limit).
///
/// A token bucket ([`TokenBucket`]): up to [`burst`](RateLimit::burst) go out at once, then one
/// every `1 / per_second` seconds. For a client every attempt, retries included, takes a token.
///
/// The default for the live site is [`RateLimit::polite`]: **5 requests per second with a burst
/// of 10**, well below what gets clients blocked. The sandbox needs no politeness:
/// [`Client::sandbox`](crate::Client::sandbox) and clients built with sandbox
/// [`Hosts`](crate::Hosts) default to [`RateLimit::unlimited`].
///
/// ```
/// use scratchkit::RateLimit;
///
/// let limit = RateLimit::per_second(2.0).burst(4);
/// assert_eq!(limit.rate(), Some(2.0));
/// assert_eq!(limit.burst_size(), 4);
/// assert!(RateLimit::unlimited().is_unlimited());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    rate: Option<f64>,
    burst: u32,
}

impl RateLimit {
    /// At most `rate` requests per second on average, with a burst of 1 (change it with
    /// [`burst`](RateLimit::burst)). `rate` must be finite and positive; this is checked when the
    /// client is built.
    pub fn per_second(rate: f64) -> Self {
        Self {
            rate: Some(rate),
            burst: 1,
        }
    }

    /// How many requests may go out at once after a quiet period (at least 1; 0 counts as 1).
    pub fn burst(mut self, burst: u32) -> Self {
        self.burst = burst.max(1);
        self
    }

    /// No limit at all (the default for the sandbox).
    pub fn unlimited() -> Self {
        Self {
            rate: None,
            burst: 1,
        }
    }

    /// `rate` per second with bursts of `burst`: the same as
    /// `RateLimit::per_second(rate).burst(burst)`.
    pub fn new(rate: f64, burst: u32) -> Self {
        Self::per_second(rate).burst(burst)
    }

    /// The default for the live site: 5 requests per second, burst of 10.
    pub fn polite() -> Self {
        Self::per_second(5.0).burst(10)
    }

    /// The default for a cloud connection (Scratch's server "bumps off" clients that send
    /// more than about 10 messages per second; TurboWarp's gets the same, out of politeness):
    /// 10 messages per second, burst of 10.
    pub fn cloud() -> Self {
        Self::per_second(10.0).burst(10)
    }

    /// Requests per second, or `None` when unlimited.
    pub fn rate(&self) -> Option<f64> {
        self.rate
    }

    /// The burst size.
    pub fn burst_size(&self) -> u32 {
        self.burst
    }

    /// Whether there is no limit: [`unlimited`](RateLimit::unlimited), or a rate that is not a
    /// finite number above zero (a [`Client`](crate::Client) refuses those when built; a
    /// [`TokenBucket`] lets everything through).
    pub fn is_unlimited(&self) -> bool {
        self.usable_rate().is_none()
    }

    /// The rate, when it is a finite number above zero.
    fn usable_rate(&self) -> Option<f64> {
        self.rate.filter(|r| r.is_finite() && *r > 0.0)
    }

    /// Checks that the rate is usable.
    pub(crate) fn validate(&self) -> Result<(), String> {
        match self.rate {
            Some(r) if !(r.is_finite() && r > 0.0) => Err(format!(
                "the rate limit must be a finite number of requests per second above 0, not {r}"
            )),
            _ => Ok(()),
        }
    }
}

impl Default for RateLimit {
    /// [`RateLimit::polite`].
    fn default() -> Self {
        Self::polite()
    }
}

/// A token bucket for a [`RateLimit`]: starts full (`burst` tokens) and refills at the rate.
///
/// Taking more tokens than there are is allowed: the bucket goes into debt and later sends wait
/// longer, so the sustained rate always holds. Uses `tokio::time`, so it follows a paused test
/// clock.
///
/// ```
/// use std::time::Duration;
/// use scratchkit::{RateLimit, TokenBucket};
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
    /// Available tokens; negative when more were taken than there were.
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket for `limit`.
    pub fn new(limit: RateLimit) -> Self {
        TokenBucket {
            limit,
            tokens: f64::from(limit.burst),
            last: Instant::now(),
        }
    }

    fn refill(&mut self, rate: f64, now: Instant) {
        if now > self.last {
            let elapsed = now.duration_since(self.last).as_secs_f64();
            self.tokens = (self.tokens + elapsed * rate).min(f64::from(self.limit.burst));
            self.last = now;
        }
    }

    /// How long to wait from `now` until `n` may be sent (`n` is capped at the burst; the wait
    /// at one day).
    pub fn wait_time(&mut self, n: u32, now: Instant) -> Duration {
        let Some(rate) = self.limit.usable_rate() else {
            return Duration::ZERO;
        };
        self.refill(rate, now);
        let needed = f64::from(n.max(1)).min(f64::from(self.limit.burst));
        if self.tokens >= needed {
            Duration::ZERO
        } else {
            Duration::try_from_secs_f64((needed - self.tokens) / rate)
                .unwrap_or(MAX_WAIT)
                .min(MAX_WAIT)
        }
    }

    /// Takes `n` tokens at `now` (the bucket may go into debt).
    pub fn take(&mut self, n: u32, now: Instant) {
        if let Some(rate) = self.limit.usable_rate() {
            self.refill(rate, now);
            self.tokens -= f64::from(n);
        }
    }

    /// Waits until `n` may be sent, then takes their tokens.
    pub async fn acquire(&mut self, n: u32) {
        let wait = self.wait_time(n, Instant::now());
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        self.take(n, Instant::now());
    }
}

/// A [`TokenBucket`] shared by concurrent callers (a client and its clones).
#[derive(Debug)]
pub(crate) struct Limiter {
    unlimited: bool,
    bucket: Mutex<TokenBucket>,
}

impl Limiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Self {
            unlimited: limit.is_unlimited(),
            bucket: Mutex::new(TokenBucket::new(limit)),
        }
    }

    /// Waits until a request may be sent, and takes its token.
    ///
    /// Each caller takes its token at once (the bucket may go into debt) and then sleeps until
    /// that token exists, so concurrent callers are served in order without polling.
    pub(crate) async fn acquire(&self) {
        if self.unlimited {
            return;
        }
        let wait = {
            // A poisoned lock only means another task panicked mid-update of two numbers; the
            // bucket is still usable.
            let mut bucket = self.bucket.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let wait = bucket.wait_time(1, now);
            bucket.take(1, now);
            wait
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn validation() {
        assert!(RateLimit::per_second(1.0).validate().is_ok());
        assert!(RateLimit::unlimited().validate().is_ok());
        assert!(RateLimit::per_second(0.0).validate().is_err());
        assert!(RateLimit::per_second(-1.0).validate().is_err());
        assert!(RateLimit::per_second(f64::NAN).validate().is_err());
        assert!(RateLimit::per_second(f64::INFINITY).validate().is_err());
        assert_eq!(RateLimit::per_second(1.0).burst(0).burst_size(), 1);
        assert_eq!(RateLimit::default(), RateLimit::per_second(5.0).burst(10));
    }

    #[tokio::test(start_paused = true)]
    async fn spaces_requests_at_the_configured_rate() {
        let limiter = Limiter::new(RateLimit::per_second(2.0));
        let start = Instant::now();
        for _ in 0..5 {
            limiter.acquire().await;
        }
        // First immediately, then one every 0.5 s.
        let elapsed = start.elapsed();
        assert!(
            elapsed >= Duration::from_millis(1999) && elapsed <= Duration::from_millis(2010),
            "{elapsed:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn burst_goes_out_at_once_then_refills() {
        let limiter = Limiter::new(RateLimit::per_second(10.0).burst(3));
        let start = Instant::now();
        for _ in 0..3 {
            limiter.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        limiter.acquire().await;
        let elapsed = start.elapsed();
        assert!(
            elapsed >= Duration::from_millis(99) && elapsed <= Duration::from_millis(101),
            "{elapsed:?}"
        );
        // After a long pause the bucket is full again, but never above the burst.
        tokio::time::sleep(Duration::from_secs(60)).await;
        let start = Instant::now();
        for _ in 0..3 {
            limiter.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        limiter.acquire().await;
        assert!(start.elapsed() >= Duration::from_millis(99));
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_share_the_bucket() {
        let limiter = Arc::new(Limiter::new(RateLimit::per_second(4.0)));
        let start = Instant::now();
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let l = Arc::clone(&limiter);
                tokio::spawn(async move {
                    l.acquire().await;
                    Instant::now()
                })
            })
            .collect();
        let mut done = Vec::new();
        for t in tasks {
            done.push(t.await.unwrap() - start);
        }
        done.sort();
        // 8 requests at 4/s with a burst of 1: the last one at 7 × 0.25 s.
        let last = *done.last().unwrap();
        assert!(
            last >= Duration::from_millis(1749) && last <= Duration::from_millis(1760),
            "{done:?}"
        );
        // No two requests went out closer than the rate allows.
        for pair in done.windows(2) {
            assert!(pair[1] - pair[0] >= Duration::from_millis(249), "{done:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn unlimited_never_waits() {
        let limiter = Limiter::new(RateLimit::unlimited());
        let start = Instant::now();
        for _ in 0..1000 {
            limiter.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
    }
}
