//! Scratch's date formats: ISO 8601 with milliseconds and `Z` on the api, naive on the old site.

use serde::{Serialize, Serializer};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::asciibuf::AsciiBuf;

/// The instant the seeded world was "recorded" (2025-06-01T00:00:00Z): seeded dates lie before it.
pub(crate) const WORLD_NOW: i64 = 1_748_736_000;

/// Current Unix time in seconds.
pub(crate) fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// Current Unix time in milliseconds.
pub(crate) fn now_millis() -> i64 {
    i64::try_from(OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
}

fn at(ts: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(ts).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The first and last instants `time` represents (-9999-01-01, 9999-12-31T23:59:59): [`at`]
/// turns others into the epoch.
const TIME_MIN: i64 = -377_705_116_800;
const TIME_MAX: i64 = 253_402_300_799;

/// Seconds in a day.
const DAY: i64 = 86_400;

/// The proleptic Gregorian `(year, month, day)` of a day counted from 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March first
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        u8::try_from(month).unwrap_or(1),
        u8::try_from(day).unwrap_or(1),
    )
}

/// `ts` as `2021-03-09T21:20:14.000Z`, built without `core::fmt`. Instants `time` cannot
/// represent are the Unix epoch, as before; years before 1 (never stored) take the slow path.
pub(crate) fn iso_buf(ts: i64) -> AsciiBuf<32> {
    let ts = if (TIME_MIN..=TIME_MAX).contains(&ts) {
        ts
    } else {
        0
    };
    let (year, month, day) = civil_from_days(ts.div_euclid(DAY));
    let mut buf = AsciiBuf::new();
    if !(0..=9999).contains(&year) {
        buf.push_str(&iso_with_fmt(ts));
        return buf;
    }
    let second_of_day = ts.rem_euclid(DAY);
    let [hour, minute, second] = [
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60,
    ]
    .map(|n| u8::try_from(n).unwrap_or(0));
    let year = u8::try_from(year / 100)
        .ok()
        .zip(u8::try_from(year % 100).ok());
    let (century, year_of_century) = year.unwrap_or((0, 0));
    buf.push_two_digits(century);
    buf.push_two_digits(year_of_century);
    buf.push_str("-");
    buf.push_two_digits(month);
    buf.push_str("-");
    buf.push_two_digits(day);
    buf.push_str("T");
    buf.push_two_digits(hour);
    buf.push_str(":");
    buf.push_two_digits(minute);
    buf.push_str(":");
    buf.push_two_digits(second);
    buf.push_str(".000Z");
    buf
}

/// [`iso`] through `time` and `format!` (years outside 0..=9999).
pub(crate) fn iso_with_fmt(ts: i64) -> String {
    let t = at(ts);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.000Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `2021-03-09T21:20:14.000Z` (api.scratch.mit.edu).
pub(crate) fn iso(ts: i64) -> String {
    iso_buf(ts).as_str().to_owned()
}

/// A Unix time serialized as [`iso`] text, straight into the output (no `String`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IsoTime(pub i64);

impl Serialize for IsoTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(iso_buf(self.0).as_str())
    }
}

/// `2025-06-02T09:25:59` (scratch.mit.edu site-api).
pub(crate) fn naive(ts: i64) -> String {
    let mut s = iso(ts);
    s.truncate(19);
    s
}

/// Parses an ISO date as clients send it in `dateLimit` (`2025-01-01T00:00:00.000Z`, with or
/// without zone, or a bare date).
pub(crate) fn parse_iso(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t.unix_timestamp());
    }
    let with_zone = if s.len() == 10 {
        format!("{s}T00:00:00Z")
    } else {
        format!("{s}Z")
    };
    OffsetDateTime::parse(&with_zone, &Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_scratch() {
        assert_eq!(iso(1_615_324_814), "2021-03-09T21:20:14.000Z");
        assert_eq!(naive(1_615_324_814), "2021-03-09T21:20:14");
    }

    #[test]
    fn fast_iso_matches_time_and_format() {
        let mut samples = vec![
            0,
            -1,
            1,
            86_399,
            86_400,
            -86_400,
            -86_401,
            951_782_400, // 2000-02-29
            951_868_799,
            4_107_542_399, // 2100-02-28T23:59:59
            4_107_542_400,
            WORLD_NOW,
            253_402_300_799,  // 9999-12-31T23:59:59
            253_402_300_800,  // out of range: the epoch
            -62_167_219_200,  // 0000-01-01
            -62_167_219_201,  // -0001-12-31T23:59:59
            -377_705_116_800, // -9999-01-01
            -377_705_116_801,
            i64::MAX,
            i64::MIN,
        ];
        let mut ts: i64 = -80_000_000_000;
        while ts < 260_000_000_000 {
            samples.push(ts);
            ts += 7_777_777 + ts.rem_euclid(86_400);
        }
        for ts in samples {
            assert_eq!(iso(ts), iso_with_fmt(ts), "{ts}");
        }
        // `{:04}` counts the sign as a digit.
        assert_eq!(iso(-62_167_219_201), "-001-12-31T23:59:59.000Z");
        assert_eq!(
            serde_json::to_string(&IsoTime(1_615_324_814)).unwrap(),
            "\"2021-03-09T21:20:14.000Z\""
        );
    }

    #[test]
    fn parses_date_limits() {
        assert_eq!(parse_iso("2021-03-09T21:20:14.000Z"), Some(1_615_324_814));
        assert_eq!(parse_iso("2021-03-09T21:20:14"), Some(1_615_324_814));
        assert_eq!(parse_iso("2021-03-09"), Some(1_615_248_000));
        assert_eq!(parse_iso("yesterday"), None);
    }
}
