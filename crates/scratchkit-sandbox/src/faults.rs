//! Fault injection: latency, 429s, 5xx pages and dropped connections.
//!
//! A [`FaultSpec`] is written like `latency=200ms,rate=0.3,kinds=429|429-retry-after|500|502|503|dropped`
//! (the `--faults` option of `scratch sandbox`), or posted as JSON to `POST /_sandbox/faults`
//! with the same keys (`{"kind":"503","count":2}` fails exactly the next two requests with 503).
//! Administration paths (`/_sandbox/…`) are never faulted.

use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// One way a request can fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultKind {
    /// `429 Too Many Requests` without a `Retry-After` header (spec name `429`).
    TooManyRequests,
    /// `429 Too Many Requests` with `Retry-After: <retry_after>` (spec name `429-retry-after`).
    TooManyRequestsRetryAfter,
    /// `500 Internal Server Error` with an HTML body (`500`).
    InternalServerError,
    /// `502 Bad Gateway` with an HTML body (`502`).
    BadGateway,
    /// `503 Service Unavailable` with an HTML body (`503`).
    ServiceUnavailable,
    /// `504 Gateway Timeout` with an HTML body (`504`).
    GatewayTimeout,
    /// The TCP connection is closed after the request was read, without any response byte
    /// (`dropped`). An HTTP client sees an error such as "connection closed before message
    /// completed", never a status code.
    Dropped,
}

impl FaultKind {
    /// Every kind, in spec order.
    pub const ALL: [FaultKind; 7] = [
        FaultKind::TooManyRequests,
        FaultKind::TooManyRequestsRetryAfter,
        FaultKind::InternalServerError,
        FaultKind::BadGateway,
        FaultKind::ServiceUnavailable,
        FaultKind::GatewayTimeout,
        FaultKind::Dropped,
    ];

    /// The name used in a spec (`429`, `429-retry-after`, `500`, `502`, `503`, `504`, `dropped`).
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::TooManyRequests => "429",
            FaultKind::TooManyRequestsRetryAfter => "429-retry-after",
            FaultKind::InternalServerError => "500",
            FaultKind::BadGateway => "502",
            FaultKind::ServiceUnavailable => "503",
            FaultKind::GatewayTimeout => "504",
            FaultKind::Dropped => "dropped",
        }
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FaultKind {
    type Err = FaultSpecError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FaultKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| FaultSpecError::UnknownKind(s.trim().to_owned()))
    }
}

/// What faults to inject.
///
/// A request is *selected* when `every` is set and it is the `every`-th (2×`every`-th, …)
/// request since the spec was set, or otherwise with probability `rate` (dice seeded from
/// the sandbox's seed, so runs are reproducible). At most `count` requests are selected when
/// `count` is set. A selected request fails with one of `kinds` (all kinds when empty: picked
/// by the dice, or in turn with `every`/`count`). `latency` is added to every non-admin request.
///
/// ```
/// use std::time::Duration;
/// use scratchkit_sandbox::{FaultKind, FaultSpec};
///
/// let spec: FaultSpec = "latency=200ms,rate=0.3,kinds=429|503|dropped".parse().unwrap();
/// assert_eq!(spec.latency, Duration::from_millis(200));
/// assert_eq!(spec.kinds, vec![FaultKind::TooManyRequests, FaultKind::ServiceUnavailable, FaultKind::Dropped]);
///
/// // "fail exactly the next two requests with 503"
/// let spec: FaultSpec = "kind=503,count=2".parse().unwrap();
/// assert_eq!(spec.count, Some(2));
/// assert_eq!(spec.rate, 1.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FaultSpec {
    /// Added before every non-admin request is answered (`latency=200ms`, `2s`, or plain ms;
    /// at most [`MAX_FAULT_LATENCY`]).
    pub latency: Duration,
    /// Probability (0..=1) that a request fails (`rate=0.3`); 1 when only `count` is given.
    pub rate: f64,
    /// Fail exactly every N-th request instead of using `rate` (`every=3`).
    pub every: Option<u64>,
    /// Fail at most this many requests in total (`count=2`).
    pub count: Option<u64>,
    /// The kinds to pick from (`kinds=429|503`, or `kind=503`); empty means all of them.
    pub kinds: Vec<FaultKind>,
    /// Seconds sent in `Retry-After` by the `429-retry-after` kind (`retry-after=2`; default 1).
    pub retry_after: u64,
}

impl Default for FaultSpec {
    fn default() -> Self {
        Self {
            latency: Duration::ZERO,
            rate: 0.0,
            every: None,
            count: None,
            kinds: Vec::new(),
            retry_after: 1,
        }
    }
}

/// A fault spec could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FaultSpecError {
    /// A part was not `key=value`.
    #[error("expected key=value, found {0:?}")]
    NotKeyValue(String),
    /// The key is not one of latency, rate, every, count, kind(s), retry-after.
    #[error(
        "unknown fault option {0:?} (expected latency, rate, every, count, kinds, retry-after)"
    )]
    UnknownKey(String),
    /// The value of a key could not be read.
    #[error("bad value {value:?} for {key}{}", expected_value(key))]
    BadValue {
        /// The option.
        key: String,
        /// Its value.
        value: String,
    },
    /// A fault kind that does not exist.
    #[error(
        "unknown fault kind {0:?} (expected 429, 429-retry-after, 500, 502, 503, 504, dropped)"
    )]
    UnknownKind(String),
    /// Kinds were given but nothing says when to fail.
    #[error("kinds given without rate, every or count: no request would fail")]
    NoTrigger,
}

/// What a key takes, for the message of [`FaultSpecError::BadValue`].
fn expected_value(key: &str) -> &'static str {
    match key {
        "latency" => {
            " (expected milliseconds like 200ms or 200, or seconds like 2s, at most 3600s)"
        }
        "rate" => " (expected a number from 0 to 1)",
        "every" => " (expected a whole number above 0)",
        "count" | "retry-after" | "retry_after" => " (expected a whole number)",
        _ => "",
    }
}

/// The longest `latency` a spec may ask for: an hour is far beyond any test of a slow
/// server, and a bound keeps every value printable and re-readable in milliseconds.
///
/// ```
/// use scratchkit_sandbox::{FaultSpec, MAX_FAULT_LATENCY};
///
/// let spec: FaultSpec = "latency=3600s".parse().unwrap();
/// assert_eq!(spec.latency, MAX_FAULT_LATENCY);
/// assert!("latency=3601s".parse::<FaultSpec>().is_err());
/// ```
pub const MAX_FAULT_LATENCY: Duration = Duration::from_secs(3600);

/// `200ms`, `2s`, `0.5s` or plain milliseconds, at most [`MAX_FAULT_LATENCY`].
fn parse_duration(value: &str) -> Option<Duration> {
    let v = value.trim();
    let duration = if let Some(ms) = v.strip_suffix("ms") {
        ms.trim().parse::<u64>().ok().map(Duration::from_millis)
    } else if let Some(s) = v.strip_suffix('s') {
        // `try_`: seconds beyond what a Duration holds (`1e30s`) are a bad value, not a panic.
        s.trim()
            .parse::<f64>()
            .ok()
            .and_then(|s| Duration::try_from_secs_f64(s).ok())
    } else {
        v.parse::<u64>().ok().map(Duration::from_millis)
    };
    duration.filter(|d| *d <= MAX_FAULT_LATENCY)
}

impl FromStr for FaultSpec {
    type Err = FaultSpecError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut spec = FaultSpec::default();
        let mut rate_given = false;
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| FaultSpecError::NotKeyValue(part.to_owned()))?;
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            let bad = || FaultSpecError::BadValue {
                key: key.clone(),
                value: value.to_owned(),
            };
            match key.as_str() {
                "latency" => spec.latency = parse_duration(value).ok_or_else(bad)?,
                "rate" => {
                    let rate: f64 = value.parse().map_err(|_| bad())?;
                    if !(0.0..=1.0).contains(&rate) {
                        return Err(bad());
                    }
                    spec.rate = rate;
                    rate_given = true;
                }
                "every" => {
                    let n: u64 = value.parse().map_err(|_| bad())?;
                    if n == 0 {
                        return Err(bad());
                    }
                    spec.every = Some(n);
                }
                "count" => spec.count = Some(value.parse().map_err(|_| bad())?),
                "kind" | "kinds" => {
                    for k in value.split('|').filter(|k| !k.trim().is_empty()) {
                        let kind: FaultKind = k.parse()?;
                        if !spec.kinds.contains(&kind) {
                            spec.kinds.push(kind);
                        }
                    }
                }
                "retry-after" | "retry_after" => {
                    spec.retry_after = value.parse().map_err(|_| bad())?;
                }
                _ => return Err(FaultSpecError::UnknownKey(key)),
            }
        }
        if spec.count.is_some() && !rate_given && spec.every.is_none() {
            spec.rate = 1.0;
        }
        if !spec.kinds.is_empty() && spec.rate == 0.0 && spec.every.is_none() {
            return Err(FaultSpecError::NoTrigger);
        }
        Ok(spec)
    }
}

impl fmt::Display for FaultSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "latency={}ms,rate={},retry-after={}",
            self.latency.as_millis(),
            self.rate,
            self.retry_after
        )?;
        if let Some(every) = self.every {
            write!(f, ",every={every}")?;
        }
        if let Some(count) = self.count {
            write!(f, ",count={count}")?;
        }
        if !self.kinds.is_empty() {
            let kinds: Vec<&str> = self.kinds.iter().map(|k| k.as_str()).collect();
            write!(f, ",kinds={}", kinds.join("|"))?;
        }
        Ok(())
    }
}

/// What to do with one request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Decision {
    pub latency: Duration,
    pub fault: Option<FaultKind>,
    pub retry_after: u64,
}

struct Active {
    spec: FaultSpec,
    rng: StdRng,
    seen: u64,
    fired: u64,
}

/// The runtime fault switch shared by all requests.
pub(crate) struct FaultController {
    seed: u64,
    active: Mutex<Option<Active>>,
}

impl FaultController {
    pub(crate) fn new(seed: u64, spec: Option<FaultSpec>) -> Self {
        let controller = Self {
            seed,
            active: Mutex::new(None),
        };
        controller.set(spec);
        controller
    }

    /// Replaces the current spec (`None` clears it); counters and dice restart.
    pub(crate) fn set(&self, spec: Option<FaultSpec>) {
        let active = spec.map(|spec| Active {
            spec,
            rng: StdRng::seed_from_u64(self.seed ^ 0x5eed_fa17),
            seen: 0,
            fired: 0,
        });
        *self.active.lock().unwrap_or_else(|e| e.into_inner()) = active;
    }

    /// The current spec.
    pub(crate) fn current(&self) -> Option<FaultSpec> {
        self.active
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|a| a.spec.clone())
    }

    /// Rolls the dice for one request.
    pub(crate) fn decide(&self) -> Decision {
        let mut guard = self.active.lock().unwrap_or_else(|e| e.into_inner());
        let Some(active) = guard.as_mut() else {
            return Decision {
                latency: Duration::ZERO,
                fault: None,
                retry_after: 1,
            };
        };
        active.seen += 1;
        let spent = active.spec.count.is_some_and(|c| active.fired >= c);
        let selected = !spent
            && match active.spec.every {
                Some(n) => active.seen % n == 0,
                None => active.spec.rate > 0.0 && active.rng.random::<f64>() < active.spec.rate,
            };
        let fault = if selected {
            let kinds: &[FaultKind] = if active.spec.kinds.is_empty() {
                &FaultKind::ALL
            } else {
                &active.spec.kinds
            };
            let index = if active.spec.every.is_some() || active.spec.count.is_some() {
                usize::try_from(active.fired).unwrap_or(0) % kinds.len()
            } else {
                active.rng.random_range(0..kinds.len())
            };
            active.fired += 1;
            Some(kinds[index])
        } else {
            None
        };
        Decision {
            latency: active.spec.latency,
            fault,
            retry_after: active.spec.retry_after,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_spec() {
        let spec: FaultSpec = "latency=2s, rate=0.5, kinds=429|429-retry-after|500|502|503|504|dropped, retry-after=3"
            .parse()
            .unwrap();
        assert_eq!(spec.latency, Duration::from_secs(2));
        assert_eq!(spec.rate, 0.5);
        assert_eq!(spec.kinds, FaultKind::ALL.to_vec());
        assert_eq!(spec.retry_after, 3);
        assert_eq!(spec.to_string().parse::<FaultSpec>().unwrap(), spec);
    }

    #[test]
    fn a_latency_beyond_an_hour_or_a_duration_is_a_bad_value_not_a_panic() {
        // Found by the sandbox_requests fuzz target: `from_secs_f64` panicked on seconds
        // beyond what a Duration holds.
        for spec in [
            "latency=777777777777777777007727s",
            "latency=1e300s",
            "latency=3601s",
            "latency=3600001ms",
            "latency=3600001",
            "latency=-1s",
            "latency=NaNs",
            "latency=infs",
        ] {
            assert!(
                matches!(
                    spec.parse::<FaultSpec>(),
                    Err(FaultSpecError::BadValue { .. })
                ),
                "{spec}"
            );
        }
        let message = "latency=2h".parse::<FaultSpec>().unwrap_err().to_string();
        assert!(message.contains("at most 3600s"), "{message}");
        let longest: FaultSpec = "latency=3600s".parse().unwrap();
        assert_eq!(longest.latency, MAX_FAULT_LATENCY);
        assert_eq!(longest.to_string().parse::<FaultSpec>().unwrap(), longest);
    }

    #[test]
    fn rejects_bad_specs() {
        assert!(matches!(
            "rate=2".parse::<FaultSpec>(),
            Err(FaultSpecError::BadValue { .. })
        ));
        assert!(matches!(
            "kinds=418,rate=1".parse::<FaultSpec>(),
            Err(FaultSpecError::UnknownKind(_))
        ));
        assert!(matches!(
            "kinds=503".parse::<FaultSpec>(),
            Err(FaultSpecError::NoTrigger)
        ));
        assert!(matches!(
            "oops".parse::<FaultSpec>(),
            Err(FaultSpecError::NotKeyValue(_))
        ));
        assert!(matches!(
            "speed=1".parse::<FaultSpec>(),
            Err(FaultSpecError::UnknownKey(_))
        ));
        assert!(matches!(
            "every=0".parse::<FaultSpec>(),
            Err(FaultSpecError::BadValue { .. })
        ));
    }

    #[test]
    fn count_fails_exactly_the_next_k() {
        let c = FaultController::new(1, Some("kind=503,count=2".parse().unwrap()));
        let faults: Vec<_> = (0..5).map(|_| c.decide().fault).collect();
        let expected = [
            Some(FaultKind::ServiceUnavailable),
            Some(FaultKind::ServiceUnavailable),
            None,
            None,
            None,
        ];
        assert_eq!(faults, expected);
    }

    #[test]
    fn every_nth_round_robins_kinds() {
        let c = FaultController::new(1, Some("every=2,kinds=500|502".parse().unwrap()));
        let faults: Vec<_> = (0..6).map(|_| c.decide().fault).collect();
        assert_eq!(
            faults,
            [
                None,
                Some(FaultKind::InternalServerError),
                None,
                Some(FaultKind::BadGateway),
                None,
                Some(FaultKind::InternalServerError)
            ]
        );
    }

    #[test]
    fn rate_is_reproducible_from_the_seed() {
        let spec: FaultSpec = "rate=0.3".parse().unwrap();
        let run = |seed| {
            let c = FaultController::new(seed, Some(spec.clone()));
            (0..200).map(|_| c.decide().fault).collect::<Vec<_>>()
        };
        let a = run(9);
        assert_eq!(a, run(9));
        let failed = a.iter().filter(|f| f.is_some()).count();
        assert!(
            (30..=90).contains(&failed),
            "{failed} of 200 failed at rate 0.3"
        );
    }

    #[test]
    fn no_spec_means_no_fault() {
        let c = FaultController::new(1, None);
        assert_eq!(c.decide().fault, None);
        c.set(Some("latency=5ms".parse().unwrap()));
        let d = c.decide();
        assert_eq!((d.latency, d.fault), (Duration::from_millis(5), None));
    }
}
