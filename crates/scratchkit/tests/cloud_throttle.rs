//! Token bucket and reconnect backoff, under a paused clock.
#![cfg(feature = "cloud")]

use std::time::Duration;

use scratchkit::cloud::{RateLimit, ReconnectPolicy, TokenBucket};
use tokio::time::Instant;

#[tokio::test(start_paused = true)]
async fn bucket_allows_a_burst_then_paces() {
    let mut bucket = TokenBucket::new(RateLimit::new(10.0, 3));
    let start = Instant::now();
    for _ in 0..3 {
        bucket.acquire(1).await;
    }
    assert_eq!(start.elapsed(), Duration::ZERO, "the burst is free");
    bucket.acquire(1).await;
    assert_eq!(start.elapsed(), Duration::from_millis(100));
    for _ in 0..10 {
        bucket.acquire(1).await;
    }
    assert_eq!(start.elapsed(), Duration::from_millis(1100));
}

#[tokio::test(start_paused = true)]
async fn bucket_refills_while_idle_but_not_beyond_the_burst() {
    let mut bucket = TokenBucket::new(RateLimit::new(10.0, 2));
    bucket.acquire(2).await;
    tokio::time::sleep(Duration::from_secs(60)).await;
    let start = Instant::now();
    bucket.acquire(1).await;
    bucket.acquire(1).await;
    assert_eq!(start.elapsed(), Duration::ZERO);
    bucket.acquire(1).await;
    assert_eq!(start.elapsed(), Duration::from_millis(100));
}

#[tokio::test(start_paused = true)]
async fn big_batches_go_into_debt_and_keep_the_rate() {
    let mut bucket = TokenBucket::new(RateLimit::new(10.0, 5));
    let start = Instant::now();
    bucket.acquire(25).await; // capped at the burst: sent at once, 20 tokens of debt
    assert_eq!(start.elapsed(), Duration::ZERO);
    bucket.acquire(1).await; // needs 21 tokens of refill
    assert_eq!(start.elapsed(), Duration::from_millis(2100));
}

#[tokio::test(start_paused = true)]
async fn unlimited_never_waits() {
    let mut bucket = TokenBucket::new(RateLimit::unlimited());
    let start = Instant::now();
    for _ in 0..10_000 {
        bucket.acquire(1).await;
    }
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert!(RateLimit::new(0.0, 1).is_unlimited());
    assert!(!RateLimit::cloud().is_unlimited());
}

#[test]
fn backoff_grows_like_scratch_and_is_capped() {
    let policy = ReconnectPolicy {
        base: Duration::from_secs(1),
        cap: Duration::from_secs(20),
        jitter: false,
    };
    let delays: Vec<u64> = (1..=6).map(|n| policy.delay(n, 0.3).as_secs()).collect();
    assert_eq!(delays, [1, 3, 7, 15, 20, 20]);
    assert_eq!(policy.delay(u32::MAX, 0.0), Duration::from_secs(20));
    assert_eq!(policy.delay(0, 0.0), Duration::from_secs(1));
}

#[test]
fn jitter_stays_in_the_upper_half() {
    let policy = ReconnectPolicy {
        base: Duration::from_millis(500),
        cap: Duration::from_secs(30),
        jitter: true,
    };
    for attempt in 1..=8 {
        let ceiling = policy.delay(attempt, 1.0);
        assert_eq!(policy.delay(attempt, 0.0), ceiling / 2);
        for _ in 0..100 {
            let delay = policy.next_delay(attempt);
            assert!(delay >= ceiling / 2 && delay <= ceiling, "{delay:?}");
        }
    }
    assert_eq!(policy.delay(3, f64::NAN), policy.delay(3, 0.0));
}

#[tokio::test(start_paused = true)]
async fn backoff_sleeps_advance_the_paused_clock_exactly() {
    let policy = ReconnectPolicy {
        base: Duration::from_millis(100),
        cap: Duration::from_secs(1),
        jitter: false,
    };
    let start = Instant::now();
    for attempt in 1..=5 {
        tokio::time::sleep(policy.delay(attempt, 0.0)).await;
    }
    // 100 + 300 + 700 + 1000 + 1000 ms
    assert_eq!(start.elapsed(), Duration::from_millis(3100));
}

#[test]
fn absurd_settings_do_not_panic() {
    let policy = ReconnectPolicy {
        base: Duration::from_secs(u64::MAX / 2),
        cap: Duration::from_secs(60),
        jitter: true,
    };
    assert!(policy.delay(20, 0.9) <= Duration::from_secs(60));
    let mut bucket = TokenBucket::new(RateLimit::new(1e-300, 1));
    let now = Instant::now();
    bucket.take(5, now);
    assert_eq!(
        bucket.wait_time(1, now),
        Duration::from_secs(24 * 60 * 60),
        "waits are capped at a day"
    );
}
