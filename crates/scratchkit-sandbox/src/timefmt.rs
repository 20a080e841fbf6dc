//! Scratch's date formats: ISO 8601 with milliseconds and `Z` on the api, naive on the old site.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

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

/// `2021-03-09T21:20:14.000Z` (api.scratch.mit.edu).
pub(crate) fn iso(ts: i64) -> String {
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
    fn parses_date_limits() {
        assert_eq!(parse_iso("2021-03-09T21:20:14.000Z"), Some(1_615_324_814));
        assert_eq!(parse_iso("2021-03-09T21:20:14"), Some(1_615_324_814));
        assert_eq!(parse_iso("2021-03-09"), Some(1_615_248_000));
        assert_eq!(parse_iso("yesterday"), None);
    }
}
