//! Reconnect delays: capped exponential backoff with jitter.

use std::time::Duration;

/// When to reconnect after a connection is lost.
///
/// The delay before attempt `n` (1-based) grows like Scratch's editor does,
/// `base × (2ⁿ − 1)`, capped at `cap`. With `jitter`, the delay is drawn uniformly from the
/// upper half of that range (never zero, so a flapping server is not hammered).
///
/// ```
/// use std::time::Duration;
/// use scratchkit::cloud::ReconnectPolicy;
///
/// let policy = ReconnectPolicy { base: Duration::from_secs(1), cap: Duration::from_secs(30), jitter: false };
/// assert_eq!(policy.delay(1, 0.5), Duration::from_secs(1));
/// assert_eq!(policy.delay(3, 0.5), Duration::from_secs(7));
/// assert_eq!(policy.delay(10, 0.5), Duration::from_secs(30));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReconnectPolicy {
    /// The first delay (before jitter).
    pub base: Duration,
    /// The longest delay.
    pub cap: Duration,
    /// Randomise each delay within `[d/2, d]`.
    pub jitter: bool,
}

impl Default for ReconnectPolicy {
    /// 1 s base, 30 s cap, jitter on.
    fn default() -> Self {
        ReconnectPolicy {
            base: Duration::from_secs(1),
            cap: Duration::from_secs(30),
            jitter: true,
        }
    }
}

impl ReconnectPolicy {
    /// The delay before reconnect attempt `attempt` (1-based). `random` is a number in
    /// `[0, 1)` used for the jitter (values outside are clamped).
    pub fn delay(&self, attempt: u32, random: f64) -> Duration {
        let exponent = attempt.clamp(1, 20);
        let factor = f64::from((1u32 << exponent) - 1);
        let ceiling = Duration::try_from_secs_f64(self.base.as_secs_f64() * factor)
            .unwrap_or(self.cap)
            .min(self.cap);
        if !self.jitter {
            return ceiling;
        }
        let random = if random.is_finite() {
            random.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let half = ceiling / 2;
        half + (ceiling - half).mul_f64(random)
    }

    /// [`delay`](Self::delay) with a random jitter.
    pub fn next_delay(&self, attempt: u32) -> Duration {
        self.delay(attempt, rand::random::<f64>())
    }
}
