//! [`Timestamp`]: one type for every date and time Scratch sends.
//!
//! Scratch writes dates in several ways:
//!
//! | where | form | example |
//! |---|---|---|
//! | api.scratch.mit.edu | ISO 8601, milliseconds, `Z` | `2021-03-09T21:20:14.000Z` |
//! | scratch.mit.edu (site-api, `/session/`) | naive, no zone, no fraction | `2025-06-02T09:25:59` |
//! | clouddata `/logs`, api `/health` | integer epoch milliseconds | `1749632385759` |
//! | mute status | integer epoch seconds | `1700000000` |
//! | statistics `_TS` | float epoch seconds | `1720917651.072025` |
//!
//! A [`Timestamp`] parses the two string forms (naive ones are taken as UTC) and serializes in the
//! api form. Fields that Scratch writes another way use the serde helper modules of this module
//! ([`naive`], [`epoch_millis`], [`epoch_seconds`] and their `_option` variants) so that they
//! serialize back in the same form.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// An instant in time, as sent by Scratch.
///
/// ```
/// use scratchkit_model::Timestamp;
///
/// let api: Timestamp = "2021-03-09T21:20:14.000Z".parse().unwrap();
/// let site: Timestamp = "2021-03-09T21:20:14".parse().unwrap(); // old-site form, taken as UTC
/// assert_eq!(api, site);
/// assert_eq!(api.to_string(), "2021-03-09T21:20:14.000Z");
/// assert_eq!(api.unix_seconds(), 1615324814);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

/// The error returned when a string is not a date Scratch would send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseTimestampError {
    input: String,
}

impl fmt::Display for ParseTimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid timestamp {:?}: expected ISO 8601 like 2021-03-09T21:20:14.000Z or 2021-03-09T21:20:14",
            self.input
        )
    }
}

impl std::error::Error for ParseTimestampError {}

impl Timestamp {
    /// Wraps a [`time::OffsetDateTime`].
    #[must_use]
    pub fn new(datetime: OffsetDateTime) -> Self {
        Self(datetime)
    }

    /// The wrapped [`time::OffsetDateTime`].
    #[must_use]
    pub fn as_offset_date_time(&self) -> OffsetDateTime {
        self.0
    }

    /// Seconds since the Unix epoch (sub-second part dropped, rounding toward the past).
    #[must_use]
    pub fn unix_seconds(&self) -> i64 {
        self.0.unix_timestamp()
    }

    /// Milliseconds since the Unix epoch (sub-millisecond part dropped).
    #[must_use]
    pub fn unix_millis(&self) -> i64 {
        let millis = self.0.unix_timestamp_nanos().div_euclid(1_000_000);
        // Every representable date fits in an i64 of milliseconds.
        i64::try_from(millis).unwrap_or(if millis < 0 { i64::MIN } else { i64::MAX })
    }

    /// The instant `seconds` after the Unix epoch (mute expiry, `expiresAt`), or `None` when out
    /// of range.
    ///
    /// ```
    /// use scratchkit_model::Timestamp;
    /// let t = Timestamp::from_unix_seconds(1_615_324_814).unwrap();
    /// assert_eq!(t.to_string(), "2021-03-09T21:20:14.000Z");
    /// ```
    #[must_use]
    pub fn from_unix_seconds(seconds: i64) -> Option<Self> {
        OffsetDateTime::from_unix_timestamp(seconds).ok().map(Self)
    }

    /// The instant `millis` milliseconds after the Unix epoch (cloud log `timestamp`, health
    /// `timestamp`), or `None` when out of range.
    ///
    /// ```
    /// use scratchkit_model::Timestamp;
    /// let t = Timestamp::from_unix_millis(1_749_632_385_759).unwrap();
    /// assert_eq!(t.to_string(), "2025-06-11T08:59:45.759Z");
    /// ```
    #[must_use]
    pub fn from_unix_millis(millis: i64) -> Option<Self> {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
            .ok()
            .map(Self)
    }

    /// The instant `seconds` (a float, like statistics `_TS`) after the Unix epoch, rounded to
    /// the nearest microsecond, or `None` when not finite or out of range.
    ///
    /// ```
    /// use scratchkit_model::Timestamp;
    /// let t = Timestamp::from_unix_seconds_f64(1720917651.072025).unwrap();
    /// assert_eq!(t.unix_millis(), 1_720_917_651_072);
    /// ```
    #[must_use]
    pub fn from_unix_seconds_f64(seconds: f64) -> Option<Self> {
        if !seconds.is_finite() {
            return None;
        }
        let micros = (seconds * 1_000_000.0).round();
        // Far beyond the range `time` accepts; rejects values the cast would saturate.
        if micros.abs() > 1e18 {
            return None;
        }
        let nanos = (micros as i128) * 1_000;
        OffsetDateTime::from_unix_timestamp_nanos(nanos)
            .ok()
            .map(Self)
    }

    /// Parses a Scratch date string: ISO 8601 / RFC 3339 with a zone (`…Z`, `…+02:00`), or a
    /// naive `YYYY-MM-DDTHH:MM:SS[.fff]` taken as UTC. A space instead of `T` is accepted in
    /// the naive form. The year in UTC must be within 0000–9999 (what the api form prints).
    ///
    /// # Errors
    /// [`ParseTimestampError`] when the string is in neither form.
    pub fn parse(input: &str) -> Result<Self, ParseTimestampError> {
        let error = || ParseTimestampError {
            input: input.chars().take(64).collect(),
        };
        if let Some(dt) = parse_api_form(input.as_bytes()) {
            return Ok(Self(dt));
        }
        if let Ok(dt) = OffsetDateTime::parse(input, &Rfc3339) {
            return Self::printable(dt).ok_or_else(error);
        }
        let naive_t = format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
        );
        let naive_space = format_description!(
            "[year]-[month]-[day] [hour]:[minute]:[second][optional [.[subsecond]]]"
        );
        PrimitiveDateTime::parse(input, naive_t)
            .or_else(|_| PrimitiveDateTime::parse(input, naive_space))
            .ok()
            .and_then(|dt| Self::printable(dt.assume_utc()))
            .ok_or_else(error)
    }

    /// `dt` when its UTC year is within 0000–9999, the years the api form can print (the
    /// naive parser also reads `-2021-…`, and an offset can move `0000-01-01` into year −1):
    /// every parsed timestamp prints as text that parses again.
    fn printable(dt: OffsetDateTime) -> Option<Self> {
        let utc = dt.checked_to_offset(UtcOffset::UTC)?;
        (0..=9999).contains(&utc.year()).then_some(Self(dt))
    }

    /// The date in UTC, falling back to its own offset at the very edges of the range.
    fn utc(&self) -> OffsetDateTime {
        self.0.checked_to_offset(UtcOffset::UTC).unwrap_or(self.0)
    }

    /// Formats in the api form, `2021-03-09T21:20:14.000Z` (milliseconds, UTC).
    #[must_use]
    pub fn to_api_string(&self) -> String {
        let dt = self.utc();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            dt.year(),
            u8::from(dt.month()),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second(),
            dt.millisecond()
        )
    }

    /// Formats in the old-site naive form, `2025-06-02T09:25:59` (UTC, no fraction, no zone).
    #[must_use]
    pub fn to_naive_string(&self) -> String {
        let dt = self.utc();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            dt.year(),
            u8::from(dt.month()),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second()
        )
    }
}

impl From<OffsetDateTime> for Timestamp {
    fn from(value: OffsetDateTime) -> Self {
        Self(value)
    }
}

impl From<Timestamp> for OffsetDateTime {
    fn from(value: Timestamp) -> Self {
        value.0
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.to_api_string())
    }
}

/// Displays the api form, `2021-03-09T21:20:14.000Z`.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_api_string())
    }
}

impl FromStr for Timestamp {
    type Err = ParseTimestampError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_api_string())
    }
}

/// The api form every project and user carries, `YYYY-MM-DDTHH:MM:SS.mmmZ`, read without the
/// general RFC 3339 parser. `None` for anything else (other forms, out-of-range fields, leap
/// seconds), which then goes through [`Timestamp::parse`]'s general path.
fn parse_api_form(b: &[u8]) -> Option<OffsetDateTime> {
    if b.len() != 24
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'.'
        || b[23] != b'Z'
    {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    let month = time::Month::try_from(u8::try_from(num(5..7)?).ok()?).ok()?;
    let day = u8::try_from(num(8..10)?).ok()?;
    let hour = u8::try_from(num(11..13)?).ok()?;
    let minute = u8::try_from(num(14..16)?).ok()?;
    let second = u8::try_from(num(17..19)?).ok()?;
    let milli = u16::try_from(num(20..23)?).ok()?;
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let time = time::Time::from_hms_milli(hour, minute, second, milli).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_utc())
}

struct StrVisitor;

impl Visitor<'_> for StrVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an ISO 8601 date string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
        Timestamp::parse(v).map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(StrVisitor)
    }
}

/// The unit of an epoch number.
#[derive(Clone, Copy)]
enum Unit {
    Seconds,
    Millis,
}

#[derive(Clone, Copy)]
struct EpochVisitor(Unit);

impl Visitor<'_> for EpochVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Unit::Seconds => f.write_str("a number of seconds since the Unix epoch"),
            Unit::Millis => f.write_str("a number of milliseconds since the Unix epoch"),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
        let out = match self.0 {
            Unit::Seconds => Timestamp::from_unix_seconds(v),
            Unit::Millis => Timestamp::from_unix_millis(v),
        };
        out.ok_or_else(|| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
        let signed =
            i64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))?;
        self.visit_i64(signed)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Timestamp, E> {
        let seconds = match self.0 {
            Unit::Seconds => v,
            Unit::Millis => v / 1000.0,
        };
        Timestamp::from_unix_seconds_f64(seconds)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Float(v), &self))
    }
}

struct OptionVisitor<V>(V);

impl<'de, V: Visitor<'de, Value = Timestamp> + Copy> Visitor<'de> for OptionVisitor<V> {
    type Value = Option<Timestamp>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)?;
        f.write_str(" or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self.0).map(Some)
    }
}

/// A visitor accepting any Scratch date string (for the naive helpers, which accept both forms).
#[derive(Clone, Copy)]
struct AnyStr;

impl Visitor<'_> for AnyStr {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        StrVisitor.expecting(f)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
        StrVisitor.visit_str(v)
    }
}

/// Serde helpers for old-site naive date fields (`"2025-06-02T09:25:59"`).
///
/// Decoding accepts both string forms; encoding writes the naive form.
/// Use with `#[serde(with = "scratchkit_model::timestamp::naive")]`.
pub mod naive {
    use super::{AnyStr, Timestamp};
    use serde::{Deserializer, Serializer};

    /// Writes `YYYY-MM-DDTHH:MM:SS` (UTC).
    ///
    /// # Errors
    /// Only the serializer's own errors.
    pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.to_naive_string())
    }

    /// Reads a naive or zoned date string.
    ///
    /// # Errors
    /// When the value is not a date string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        d.deserialize_str(AnyStr)
    }
}

/// Like [`naive`], for `Option<Timestamp>` fields where Scratch sends `null`.
pub mod naive_option {
    use super::{AnyStr, OptionVisitor, Timestamp};
    use serde::{Deserializer, Serializer};

    /// Writes `YYYY-MM-DDTHH:MM:SS` or `null`.
    ///
    /// # Errors
    /// Only the serializer's own errors.
    pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&t.to_naive_string()),
            None => s.serialize_none(),
        }
    }

    /// Reads a date string or `null`.
    ///
    /// # Errors
    /// When the value is neither a date string nor `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        d.deserialize_option(OptionVisitor(AnyStr))
    }
}

/// Serde helpers for integer epoch-millisecond fields (cloud logs, health `timestamp`).
pub mod epoch_millis {
    use super::{EpochVisitor, Timestamp, Unit};
    use serde::{Deserializer, Serializer};

    /// Writes the integer number of milliseconds since the epoch.
    ///
    /// # Errors
    /// Only the serializer's own errors.
    pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(t.unix_millis())
    }

    /// Reads a number of milliseconds since the epoch (integer or float).
    ///
    /// # Errors
    /// When the value is not a number or is out of range.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        d.deserialize_any(EpochVisitor(Unit::Millis))
    }
}

/// Like [`epoch_millis`], for `Option<Timestamp>` fields.
pub mod epoch_millis_option {
    use super::{EpochVisitor, OptionVisitor, Timestamp, Unit};
    use serde::{Deserializer, Serializer};

    /// Writes the integer number of milliseconds since the epoch, or `null`.
    ///
    /// # Errors
    /// Only the serializer's own errors.
    pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_i64(t.unix_millis()),
            None => s.serialize_none(),
        }
    }

    /// Reads a number of milliseconds since the epoch, or `null`.
    ///
    /// # Errors
    /// When the value is neither a number in range nor `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        d.deserialize_option(OptionVisitor(EpochVisitor(Unit::Millis)))
    }
}

/// Serde helpers for integer epoch-second fields (mute status `muteExpiresAt`).
pub mod epoch_seconds {
    use super::{EpochVisitor, Timestamp, Unit};
    use serde::{Deserializer, Serializer};

    /// Writes the integer number of seconds since the epoch.
    ///
    /// # Errors
    /// Only the serializer's own errors.
    pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(t.unix_seconds())
    }

    /// Reads a number of seconds since the epoch (integer or float).
    ///
    /// # Errors
    /// When the value is not a number or is out of range.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        d.deserialize_any(EpochVisitor(Unit::Seconds))
    }
}

/// Like [`epoch_seconds`], for `Option<Timestamp>` fields.
pub mod epoch_seconds_option {
    use super::{EpochVisitor, OptionVisitor, Timestamp, Unit};
    use serde::{Deserializer, Serializer};

    /// Writes the integer number of seconds since the epoch, or `null`.
    ///
    /// # Errors
    /// Only the serializer's own errors.
    pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_i64(t.unix_seconds()),
            None => s.serialize_none(),
        }
    }

    /// Reads a number of seconds since the epoch, or `null`.
    ///
    /// # Errors
    /// When the value is neither a number in range nor `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        d.deserialize_option(OptionVisitor(EpochVisitor(Unit::Seconds)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[test]
    fn api_form_fast_path_agrees_with_the_rfc3339_parser() {
        for input in [
            "2021-03-09T21:20:14.000Z",
            "1900-01-01T00:00:00.000Z",
            "2024-02-29T23:59:59.999Z",
            "0000-01-01T00:00:00.001Z",
            "9999-12-31T12:34:56.789Z",
        ] {
            let fast = parse_api_form(input.as_bytes()).unwrap();
            assert_eq!(
                fast,
                OffsetDateTime::parse(input, &Rfc3339).unwrap(),
                "{input}"
            );
            assert_eq!(fast.offset(), UtcOffset::UTC);
        }
        // Not the exact api form, or out of range: left to the general path.
        for input in [
            "2021-03-09T21:20:14.000+00:00",
            "2021-03-09T21:20:14Z",
            "2021-02-30T21:20:14.000Z",
            "2021-13-09T21:20:14.000Z",
            "2021-03-09T24:00:00.000Z",
            "2021-03-09T23:59:60.000Z",
            "2021-03-09t21:20:14.000Z",
            "2021-03-09T21:20:1x.000Z",
            "+021-03-09T21:20:14.000Z",
        ] {
            assert!(parse_api_form(input.as_bytes()).is_none(), "{input}");
        }
        assert!(Timestamp::parse("2021-02-30T21:20:14.000Z").is_err());
    }

    #[test]
    fn parses_api_form() {
        let t: Timestamp = serde_json::from_str("\"2021-03-09T21:20:14.000Z\"").unwrap();
        assert_eq!(t.unix_seconds(), 1_615_324_814);
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2021-03-09T21:20:14.000Z\""
        );
    }

    #[test]
    fn parses_naive_form_as_utc() {
        let t: Timestamp = "2025-06-02T09:25:59".parse().unwrap();
        assert_eq!(t.to_string(), "2025-06-02T09:25:59.000Z");
        assert_eq!(t.to_naive_string(), "2025-06-02T09:25:59");
        let frac: Timestamp = "2025-06-02T09:25:59.250".parse().unwrap();
        assert_eq!(frac.unix_millis(), t.unix_millis() + 250);
        let space: Timestamp = "2025-06-02 09:25:59".parse().unwrap();
        assert_eq!(space, t);
    }

    /// Found by the `model_json` fuzz target (2026-12-07): the naive form read a negative
    /// year (`-2021-01-09T…`), printed `-2021-01-09T…Z`, which no form parses.
    #[test]
    fn years_outside_0000_to_9999_in_utc_are_refused_so_that_every_parse_prints_back() {
        for text in [
            "-2021-01-09T21:20:14.0222222",
            "-2021-01-09 21:20:14",
            "0000-01-01T00:00:00+01:00",
        ] {
            assert!(Timestamp::parse(text).is_err(), "{text}");
        }
        for text in [
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999Z",
            "0000-01-01 00:00:00",
        ] {
            let t = Timestamp::parse(text).unwrap();
            assert_eq!(Timestamp::parse(&t.to_string()).unwrap(), t, "{text}");
        }
    }

    #[test]
    fn parses_offsets_and_without_fraction() {
        let z: Timestamp = "2021-05-09T13:24:30Z".parse().unwrap();
        let plus: Timestamp = "2021-05-09T15:24:30+02:00".parse().unwrap();
        assert_eq!(z, plus);
        assert_eq!(plus.to_string(), "2021-05-09T13:24:30.000Z");
        let micros: Timestamp = "2021-05-09T13:24:30.021345Z".parse().unwrap();
        assert_eq!(micros.to_string(), "2021-05-09T13:24:30.021Z");
    }

    /// Found by the `model_json` fuzz target (2026-12-07): a fraction longer than nanoseconds
    /// parses, prints in milliseconds, and the printed text is a fixpoint (the value itself
    /// is not: the sub-millisecond part is not printed, by design).
    #[test]
    fn a_long_fraction_prints_as_milliseconds_and_reparses_to_the_same_text() {
        let long = format!("2021-03-09T21:20:14.0{}00Z", "2".repeat(52));
        let t: Timestamp = long.parse().unwrap();
        assert_eq!(t.to_string(), "2021-03-09T21:20:14.022Z");
        let again: Timestamp = t.to_string().parse().unwrap();
        assert_ne!(again, t, "the sub-millisecond part is kept when read");
        assert_eq!(again.to_string(), t.to_string());
        let twice: Timestamp = again.to_string().parse().unwrap();
        assert_eq!(twice, again);
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "yesterday",
            "2021-13-01T00:00:00Z",
            "2021-03-09",
            "2021-03-09T25:00:00",
        ] {
            let err = bad.parse::<Timestamp>().unwrap_err();
            assert!(err.to_string().contains("invalid timestamp"), "{err}");
        }
        assert!(serde_json::from_str::<Timestamp>("1615324814").is_err());
    }

    #[test]
    fn round_trip_api_string() {
        for s in [
            "2000-01-01T00:00:00.000Z",
            "1900-01-01T00:00:00.000Z",
            "2025-01-21T20:37:44.123Z",
        ] {
            let t: Timestamp = s.parse().unwrap();
            assert_eq!(t.to_string(), s);
            let back: Timestamp =
                serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
            assert_eq!(back, t);
        }
    }

    #[test]
    fn epoch_helpers() {
        let t = Timestamp::from_unix_millis(1_749_632_385_759).unwrap();
        assert_eq!(t.unix_millis(), 1_749_632_385_759);
        assert_eq!(t.unix_seconds(), 1_749_632_385);
        assert_eq!(
            Timestamp::from_unix_seconds(0).unwrap().to_string(),
            "1970-01-01T00:00:00.000Z"
        );
        assert!(Timestamp::from_unix_seconds(i64::MAX).is_none());
        assert!(Timestamp::from_unix_millis(i64::MIN).is_none());
        assert!(Timestamp::from_unix_seconds_f64(f64::NAN).is_none());
        assert!(Timestamp::from_unix_seconds_f64(1e300).is_none());
        let f = Timestamp::from_unix_seconds_f64(1_724_599_063.617_775).unwrap();
        assert_eq!(f.unix_millis(), 1_724_599_063_617); // .617775 s → 617 ms, truncated
    }

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Wire {
        #[serde(with = "epoch_millis")]
        ms: Timestamp,
        #[serde(with = "epoch_seconds_option")]
        s: Option<Timestamp>,
        #[serde(with = "naive")]
        naive: Timestamp,
        #[serde(with = "naive_option")]
        maybe: Option<Timestamp>,
        #[serde(with = "epoch_millis_option")]
        ms2: Option<Timestamp>,
    }

    #[test]
    fn serde_helpers_keep_the_wire_form() {
        let text = r#"{"ms":1749632385759,"s":1700000000,"naive":"2025-06-02T09:25:59","maybe":null,"ms2":null}"#;
        let w: Wire = serde_json::from_str(text).unwrap();
        assert_eq!(w.s.unwrap().unix_seconds(), 1_700_000_000);
        assert_eq!(w.maybe, None);
        assert_eq!(serde_json::to_string(&w).unwrap(), text);
        let floaty: Wire = serde_json::from_str(
            r#"{"ms":1749632385759.0,"s":null,"naive":"2025-06-02T09:25:59.000Z","maybe":"2025-06-02T09:25:59","ms2":5}"#,
        )
        .unwrap();
        assert_eq!(floaty.ms, w.ms);
        assert_eq!(floaty.naive, w.naive);
        assert_eq!(floaty.maybe, Some(w.naive));
        assert!(
            serde_json::from_str::<Wire>(
                r#"{"ms":"x","s":null,"naive":"a","maybe":null,"ms2":null}"#
            )
            .is_err()
        );
    }
}
